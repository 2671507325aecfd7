//! Training sessions an organisation delivered (tenant-owned).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub course_id: Uuid,
    pub course_version_id: Uuid,
    pub held_on: Date,
    /// `in_person` or `online`.
    pub delivery: String,
    pub place: Option<String>,
    pub online_link: Option<String>,
    /// One of [`crate::vocab::Audience`].
    pub audience: String,
    pub participant_count: i32,
    /// The participant list, a JSON array sealed with the tenant's data key.
    pub participants_sealed: Option<String>,
    pub pre_score: Option<i32>,
    pub post_score: Option<i32>,
    pub notes: Option<String>,
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
