//! Proposed edits of shared directory entries (**shared** table, never published: the
//! proposing tenant and platform operators see them).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "directory_proposals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The proposing tenant.
    pub owner_tenant_id: Uuid,
    pub organisation_id: Uuid,
    /// JSON object of the proposed values.
    pub changes: String,
    /// `pending`, `verified` or `rejected`.
    pub status: String,
    pub review_note: Option<String>,
    pub proposed_by: Uuid,
    pub reviewed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Entity {
    /// The proposals of `tenant`.
    pub fn scoped(tenant: crate::ids::TenantId) -> Select<Entity> {
        Entity::find().filter(Column::OwnerTenantId.eq(*tenant.as_uuid()))
    }

    /// Every proposal, for platform curation (in a platform transaction).
    pub fn curated(_ctx: &crate::tenancy::PlatformContext) -> Select<Entity> {
        Entity::find()
    }
}
