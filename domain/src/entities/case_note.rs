//! Versions of case notes; append-only (tenant-owned).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_notes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// This version's id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The note all its versions share.
    pub note_id: Uuid,
    pub version: i32,
    pub case_id: Uuid,
    /// `team` or `managers`.
    pub visibility: String,
    #[sea_orm(column_type = "Text")]
    pub body_sealed: String,
    pub author_id: Uuid,
    pub created_at: DateTimeUtc,
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
