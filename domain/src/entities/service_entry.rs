//! The service log: what was done for a client, in which area, when and by whom
//! (tenant-owned).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub client_id: Uuid,
    /// A service area's snake_case name.
    pub area: String,
    /// A service type code of the taxonomy, belonging to `area`.
    pub service_type: String,
    pub provided_on: Date,
    pub duration_minutes: i32,
    pub provider_user_id: Option<Uuid>,
    pub provider_organisation_name: Option<String>,
    /// A referral-directory organisation (no foreign key yet).
    pub provider_organisation_id: Option<Uuid>,
    pub goal_id: Option<Uuid>,
    pub note_sealed: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
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
