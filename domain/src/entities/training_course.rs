//! Courses of the shared training library (shared: `owner_tenant_id` NULL for
//! platform-curated courses).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_courses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_tenant_id: Option<Uuid>,
    /// `shared` or `private`.
    pub visibility: String,
    /// `pending`, `verified` or `rejected`; NULL for private courses.
    pub verification_status: Option<String>,
    pub verified_at: Option<DateTimeUtc>,
    pub published_version_id: Option<Uuid>,
    pub latest_version_id: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
