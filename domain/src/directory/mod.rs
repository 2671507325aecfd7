//! The shared referral directory: partner organisations every tenant can find (shared,
//! verified entries) and entries a tenant keeps for itself (private).
//!
//! How entries come to be shared:
//! - a platform operator adds an entry: it is platform-curated (`owner_tenant_id` NULL) and
//!   verified at once;
//! - a tenant adds a **private** entry: only that tenant sees it, no verification;
//! - a tenant adds a **shared** entry: it is a proposal (`pending`), seen by the tenant and the
//!   platform, until a platform operator verifies it (then every tenant sees it) or rejects it
//!   with a note (the tenant sees the note, may edit and so propose it again);
//! - a tenant changes a verified shared entry (its own or anyone's): the change becomes a
//!   proposal in `directory_proposals`, applied when a platform operator verifies it.
//!
//! Only platform operators link an entry to a Haven tenant (so referrals to it land in that
//! tenant's inbox); the owner tenant of an entry may publish a
//! shelter's free beds on it ([`beds`]). Every change bumps the search cache's version
//! ([`search::invalidate`]).

pub mod beds;
pub mod model;
pub mod proposals;
pub mod search;
pub mod service;
pub mod taxonomy;

use crate::entities::directory_organisation;
use crate::ids::TenantId;
use crate::tenancy::{PlatformContext, TenantScope};
use crate::vocab::{
    self, DirectoryServiceType, PartnerOrganisationType, VerificationStatus, Visibility,
};
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, QueryFilter as _, Select};
use std::collections::BTreeMap;

/// Who is reading or changing the directory.
#[derive(Clone, Copy, Debug)]
pub enum Viewer<'a> {
    Tenant(&'a TenantScope),
    Platform(&'a PlatformContext),
}

impl Viewer<'_> {
    /// Opens the viewer's transaction: tenant-bound, or a platform curation transaction.
    ///
    /// # Errors
    /// When the transaction cannot be opened.
    pub async fn begin(&self, db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
        match self {
            Viewer::Tenant(scope) => scope.begin(db).await,
            Viewer::Platform(ctx) => ctx.begin(db).await,
        }
    }

    /// The entries the viewer may read.
    #[must_use]
    pub fn entries(&self) -> Select<directory_organisation::Entity> {
        match self {
            Viewer::Tenant(scope) => directory_organisation::Entity::visible_to(scope.tenant_id()),
            Viewer::Platform(ctx) => directory_organisation::Entity::curated(ctx),
        }
    }

    /// The tenant, for a tenant viewer.
    #[must_use]
    pub fn tenant(&self) -> Option<TenantId> {
        match self {
            Viewer::Tenant(scope) => Some(scope.tenant_id()),
            Viewer::Platform(_) => None,
        }
    }

    /// A stable name of what the viewer may see, for cache keys.
    #[must_use]
    pub fn cache_name(&self) -> String {
        match self {
            Viewer::Tenant(scope) => format!("t:{}", scope.tenant_id()),
            Viewer::Platform(_) => "platform".to_owned(),
        }
    }
}

/// The free beds an entry publishes, by admission policy (`None`: the shelter does not admit
/// that group). Never an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BedsTonight {
    pub free: i32,
    pub women: Option<i32>,
    pub men: Option<i32>,
    pub minors: Option<i32>,
    pub updated_at: DateTime<Utc>,
}

/// A directory entry as a viewer sees it.
#[derive(Clone, Debug)]
pub struct EntryView {
    pub row: directory_organisation::Model,
    pub visibility: Visibility,
    pub verification_status: Option<VerificationStatus>,
    pub organisation_type: PartnerOrganisationType,
    pub service_types: Vec<DirectoryServiceType>,
    pub languages: Vec<String>,
    pub descriptions: BTreeMap<String, String>,
    /// Whether the viewer's tenant keeps the entry.
    pub own: bool,
    /// Whether referrals to it reach a Haven organisation's inbox.
    pub linked_to_haven: bool,
    /// Owner and linked tenant ids, shown to platform operators only.
    pub owner_tenant_id: Option<uuid::Uuid>,
    pub linked_tenant_id: Option<uuid::Uuid>,
    pub beds_tonight: Option<BedsTonight>,
}

impl EntryView {
    /// The view of `row` for `viewer`.
    #[must_use]
    pub fn new(row: directory_organisation::Model, viewer: Viewer<'_>) -> Self {
        let platform = matches!(viewer, Viewer::Platform(_));
        let own = viewer
            .tenant()
            .is_some_and(|t| row.owner_tenant_id == Some(*t.as_uuid()));
        let beds_tonight = match (row.free_beds, row.beds_updated_at) {
            (Some(free), Some(updated_at)) => Some(BedsTonight {
                free,
                women: row.free_beds_women,
                men: row.free_beds_men,
                minors: row.free_beds_minors,
                updated_at,
            }),
            _ => None,
        };
        Self {
            visibility: Visibility::parse(&row.visibility).unwrap_or(Visibility::Private),
            verification_status: row
                .verification_status
                .as_deref()
                .and_then(VerificationStatus::parse),
            organisation_type: PartnerOrganisationType::parse(&row.organisation_type)
                .unwrap_or(PartnerOrganisationType::Other),
            service_types: vocab::split(&row.service_types, DirectoryServiceType::parse),
            languages: row
                .languages
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            descriptions: serde_json::from_str(&row.descriptions).unwrap_or_default(),
            own,
            linked_to_haven: row.linked_tenant_id.is_some(),
            owner_tenant_id: row.owner_tenant_id.filter(|_| platform),
            linked_tenant_id: row.linked_tenant_id.filter(|_| platform),
            beds_tonight,
            row,
        }
    }
}

/// The version tag of an entry, for `ETag` / `If-Match`.
#[must_use]
pub fn etag(row: &directory_organisation::Model) -> String {
    format!("\"{}\"", row.updated_at.timestamp_micros())
}

/// The entry `id` if `viewer` may read it, in the caller's transaction.
///
/// # Errors
/// Database errors.
pub(crate) async fn visible_entry<C: sea_orm::ConnectionTrait>(
    conn: &C,
    viewer: Viewer<'_>,
    id: uuid::Uuid,
) -> Result<Option<directory_organisation::Model>, DbErr> {
    viewer
        .entries()
        .filter(sea_orm::ColumnTrait::eq(
            &directory_organisation::Column::Id,
            id,
        ))
        .one(conn)
        .await
}
