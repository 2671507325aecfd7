//! Technical-assistance engagements with partner organisations (tenant-owned).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ta_engagements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub partner_name: String,
    /// `ngo`, `government_body`, `international_organisation` or `other`.
    pub partner_kind: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// One of the engagement types of [`crate::vocab::EngagementType`].
    pub engagement_type: String,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    /// A JSON array of texts.
    pub deliverables: String,
    /// `planned`, `ongoing`, `completed` or `cancelled`.
    pub status: String,
    pub created_by: Uuid,
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
