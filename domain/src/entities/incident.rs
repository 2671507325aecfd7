//! Incidents in shelter life (tenant-owned).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "incidents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub shelter_id: Uuid,
    pub occurred_at: DateTimeUtc,
    pub category: String,
    /// `low`, `medium`, `high` or `critical`.
    pub severity: String,
    /// Case codes of the residents involved, comma-separated (pseudonyms, never names).
    pub involved_case_codes: String,
    /// Sealed with the tenant's data key.
    pub description_sealed: String,
    /// Sealed with the tenant's data key.
    pub actions_taken_sealed: Option<String>,
    /// `open`, `in_progress` or `closed`.
    pub follow_up_status: String,
    pub reported_by: Uuid,
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
