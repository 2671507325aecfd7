//! Versions of training courses (shared): written once, never changed but for their review.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_course_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub course_id: Uuid,
    /// The tenant that wrote it; NULL for the platform.
    pub owner_tenant_id: Option<Uuid>,
    pub visibility: String,
    pub verification_status: Option<String>,
    /// Order of publication; NULL while unpublished.
    pub number: Option<i32>,
    pub base_version_id: Option<Uuid>,
    pub title: String,
    pub summary: String,
    /// `,police,ngo_staff,`.
    pub audiences: String,
    /// `,en,fr,`.
    pub languages: String,
    pub duration_minutes: i32,
    /// A JSON array of texts.
    pub objectives: String,
    pub review_note: Option<String>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub published_at: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
