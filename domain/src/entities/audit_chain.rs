//! The hash chain over each tenant's audit events, in link order (tenant-owned).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_chain")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i64,
    pub event_id: Uuid,
    pub prev_hash: String,
    pub hash: String,
    pub linked_at: DateTimeUtc,
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
