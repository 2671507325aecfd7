//! Goals of a case's support plan, one service area each (tenant-owned).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "support_goals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub client_id: Uuid,
    /// A service area's snake_case name.
    pub area: String,
    pub description_sealed: String,
    pub target_on: Option<Date>,
    /// `planned`, `in_progress`, `achieved` or `dropped`.
    pub status: String,
    pub owner_id: Option<Uuid>,
    /// The client's own words about the goal.
    pub client_view_sealed: Option<String>,
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
