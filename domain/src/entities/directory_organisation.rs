//! Partner organisations of the referral directory (**shared**: `owner_tenant_id` is the
//! tenant that keeps or proposed the entry, `NULL` for platform-curated ones). Queried through
//! [`Entity::visible_to`] or, for curation, [`Entity::curated`].

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "directory_organisations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_tenant_id: Option<Uuid>,
    /// `shared` or `private`.
    pub visibility: String,
    /// `pending`, `verified` or `rejected` for shared entries; `NULL` for private ones.
    pub verification_status: Option<String>,
    pub verified_at: Option<DateTimeUtc>,
    pub review_note: Option<String>,
    pub name: String,
    /// A [`crate::vocab::PartnerOrganisationType`] (what consents to share name).
    pub organisation_type: String,
    pub country: String,
    pub region: Option<String>,
    pub city: Option<String>,
    /// Comma-separated [`crate::vocab::DirectoryServiceType`] names.
    pub service_types: String,
    /// Comma-separated ISO 639 codes.
    pub languages: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub hours: Option<String>,
    #[sea_orm(column_name = "open_24_7")]
    pub open_24_7: bool,
    pub accessibility: Option<String>,
    /// JSON object: locale → description.
    pub descriptions: String,
    /// Every description in one text, for the full-text index.
    pub search_text: String,
    /// The Haven tenant that receives referrals sent to this organisation.
    pub linked_tenant_id: Option<Uuid>,
    /// The owner's shelter whose free beds the entry publishes.
    pub shelter_id: Option<Uuid>,
    pub free_beds: Option<i32>,
    pub free_beds_women: Option<i32>,
    pub free_beds_men: Option<i32>,
    pub free_beds_minors: Option<i32>,
    pub beds_updated_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The condition of the rows a tenant may read: its own, and the verified shared ones (the
/// same rule as the row-level security policy, as the first wall).
#[must_use]
pub fn visible_condition(tenant: crate::ids::TenantId) -> sea_orm::Condition {
    sea_orm::Condition::any()
        .add(Column::OwnerTenantId.eq(*tenant.as_uuid()))
        .add(
            sea_orm::Condition::all()
                .add(Column::Visibility.eq("shared"))
                .add(Column::VerificationStatus.eq("verified")),
        )
}

impl Entity {
    /// The rows `tenant` may read.
    pub fn visible_to(tenant: crate::ids::TenantId) -> Select<Entity> {
        Entity::find().filter(visible_condition(tenant))
    }

    /// Every row, for platform curation (in a platform transaction).
    pub fn curated(_ctx: &crate::tenancy::PlatformContext) -> Select<Entity> {
        Entity::find()
    }
}
