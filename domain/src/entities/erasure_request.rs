//! Requests to erase a client: pending until a second administrator approves them (when the
//! organisation asks for two people), then completed (tenant-owned).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "erasure_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    /// `pending` or `completed`.
    pub status: String,
    /// The reason, sealed with the organisation's key (it may name the person).
    #[sea_orm(column_type = "Text", nullable)]
    pub reason_sealed: Option<String>,
    /// `None` for erasures of the retention run.
    pub requested_by: Option<Uuid>,
    pub requested_at: DateTimeUtc,
    pub approved_by: Option<Uuid>,
    pub completed_at: Option<DateTimeUtc>,
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
