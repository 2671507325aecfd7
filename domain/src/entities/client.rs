//! Clients: a case code, a sealed identity, statistical attributes in clear (tenant-owned).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_code: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub identity_sealed: Option<String>,
    pub name_index: Option<String>,
    pub name_dob_index: Option<String>,
    pub gender: String,
    pub birth_year: Option<i32>,
    pub age_band: String,
    pub nationality: Option<String>,
    pub languages: String,
    pub exploitation_types: String,
    pub needs: String,
    pub trafficking_status: String,
    pub status_decided_by: Option<String>,
    pub recruitment_methods: String,
    pub control_methods: String,
    #[sea_orm(column_type = "Text")]
    pub trafficking_events: String,
    #[sea_orm(column_type = "Text")]
    pub connected_persons: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the client was erased: the row is then a tombstone (case code and statistical
    /// attributes only, the data key destroyed).
    pub erased_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Entity {
    /// The only way to query this tenant-owned table: filtered to one tenant.
    pub fn scoped(tenant: crate::ids::TenantId) -> Select<Entity> {
        Entity::find().filter(Column::TenantId.eq(*tenant.as_uuid()))
    }
}
