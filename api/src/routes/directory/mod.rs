//! The shared referral directory: search, entries, proposals and their verification, links to
//! Haven organisations and beds tonight. The DTOs live here; the operations in [`entries`] and
//! [`proposals`].

pub mod entries;
pub mod proposals;

use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::routes::common::present;
use chrono::{DateTime, Utc};
use haven_domain::directory::model::{EntryChange, EntryFields};
use haven_domain::directory::proposals::ProposalView;
use haven_domain::directory::{EntryView, Viewer};
use haven_domain::tenancy::Principal;
use haven_domain::vocab::{
    DirectoryServiceType, PartnerOrganisationType, VerificationStatus, Visibility,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// The viewer a request speaks for.
pub(crate) fn viewer(auth: &Authenticated) -> Viewer<'_> {
    match &auth.0 {
        Principal::User(scope) => Viewer::Tenant(scope),
        Principal::PlatformAdmin(ctx) => Viewer::Platform(ctx),
    }
}

/// A new directory entry.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "visibility": "private", "name": "Example Legal Clinic Gent",
    "organisation_type": "legal_service", "country": "BE", "region": "East Flanders",
    "city": "Gent", "service_types": ["legal_aid"], "languages": ["nl", "fr", "en"],
    "phone": "+32 9 000 00 00", "email": "intake@legal-clinic.example.org",
    "website": "https://legal-clinic.example.org", "hours": "Mon–Fri 9:00–17:00",
    "open_24_7": false, "accessibility": "Step-free entrance",
    "descriptions": {"en": "Free legal advice on victim status and residence.",
        "nl": "Gratis juridisch advies over slachtofferstatuut en verblijf."}
}))]
pub struct EntryIn {
    /// `private` (default: only your organisation sees it) or `shared` (every organisation,
    /// once a platform administrator verified it). Platform administrators' entries are
    /// always shared and verified.
    pub visibility: Option<Visibility>,
    #[schema(max_length = 200)]
    pub name: String,
    /// What consents to share name (`ngo`, `legal_service`, …).
    pub organisation_type: PartnerOrganisationType,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    #[schema(max_length = 100)]
    pub region: Option<String>,
    #[schema(max_length = 100)]
    pub city: Option<String>,
    /// At least one.
    pub service_types: Vec<DirectoryServiceType>,
    /// ISO 639 codes, up to 20.
    #[serde(default)]
    pub languages: Vec<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// An http(s) address.
    pub website: Option<String>,
    #[schema(max_length = 300)]
    pub hours: Option<String>,
    #[serde(default)]
    pub open_24_7: bool,
    #[schema(max_length = 500)]
    pub accessibility: Option<String>,
    /// Locale → description (up to 10 locales, 4000 characters each).
    #[serde(default)]
    pub descriptions: BTreeMap<String, String>,
}

impl EntryIn {
    pub(crate) fn split(self) -> (Option<Visibility>, EntryFields) {
        (
            self.visibility,
            EntryFields {
                name: self.name,
                organisation_type: self.organisation_type,
                country: self.country,
                region: self.region,
                city: self.city,
                service_types: self.service_types,
                languages: self.languages,
                phone: self.phone,
                email: self.email,
                website: self.website,
                hours: self.hours,
                open_24_7: self.open_24_7,
                accessibility: self.accessibility,
                descriptions: self.descriptions,
            },
        )
    }
}

/// A change to an entry: absent fields stay, `null` clears an optional one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"hours": "Mon–Sat 8:00–20:00", "languages": ["nl", "fr", "en", "ro"]}))]
pub struct EntryPatchIn {
    pub name: Option<String>,
    pub organisation_type: Option<PartnerOrganisationType>,
    pub country: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub region: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub city: Option<Option<String>>,
    pub service_types: Option<Vec<DirectoryServiceType>>,
    pub languages: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub hours: Option<Option<String>>,
    pub open_24_7: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub accessibility: Option<Option<String>>,
    pub descriptions: Option<BTreeMap<String, String>>,
}

impl From<EntryPatchIn> for EntryChange {
    fn from(p: EntryPatchIn) -> Self {
        Self {
            name: p.name,
            organisation_type: p.organisation_type,
            country: p.country,
            region: p.region,
            city: p.city,
            service_types: p.service_types,
            languages: p.languages,
            phone: p.phone,
            email: p.email,
            website: p.website,
            hours: p.hours,
            open_24_7: p.open_24_7,
            accessibility: p.accessibility,
            descriptions: p.descriptions,
        }
    }
}

/// Free beds tonight, by admission policy (`null`: the shelter does not admit that group).
#[derive(Serialize, ToSchema)]
pub struct BedsTonightOut {
    pub free: i32,
    pub women: Option<i32>,
    pub men: Option<i32>,
    pub minors: Option<i32>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a90", "visibility": "shared",
    "verification_status": "verified", "verified_at": "2026-11-30T10:00:00Z",
    "review_note": null, "own": false, "linked_to_haven": false,
    "name": "Example Legal Clinic Gent", "organisation_type": "legal_service", "country": "BE",
    "region": "East Flanders", "city": "Gent", "service_types": ["legal_aid"],
    "languages": ["en", "fr", "nl"], "phone": "+32 9 000 00 00",
    "email": "intake@legal-clinic.example.org", "website": "https://legal-clinic.example.org",
    "hours": "Mon–Fri 9:00–17:00", "open_24_7": false, "accessibility": "Step-free entrance",
    "descriptions": {"en": "Free legal advice on victim status and residence."},
    "beds_tonight": null, "created_at": "2026-11-30T09:00:00Z",
    "updated_at": "2026-11-30T10:00:00Z"
}))]
pub struct EntryOut {
    pub id: Uuid,
    pub visibility: Visibility,
    /// `null` for private entries (they need no verification).
    pub verification_status: Option<VerificationStatus>,
    pub verified_at: Option<DateTime<Utc>>,
    /// A platform administrator's note on the last verdict (e.g. why it was rejected).
    pub review_note: Option<String>,
    /// Whether your organisation keeps the entry.
    pub own: bool,
    /// Whether referrals to it land in a Haven organisation's inbox.
    pub linked_to_haven: bool,
    /// Platform administrators only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_tenant_id: Option<Uuid>,
    /// Platform administrators only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linked_tenant_id: Option<Uuid>,
    pub name: String,
    pub organisation_type: PartnerOrganisationType,
    pub country: String,
    pub region: Option<String>,
    pub city: Option<String>,
    pub service_types: Vec<DirectoryServiceType>,
    pub languages: Vec<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub hours: Option<String>,
    pub open_24_7: bool,
    pub accessibility: Option<String>,
    pub descriptions: BTreeMap<String, String>,
    /// Published by a shelter of the owner organisation; never an address.
    pub beds_tonight: Option<BedsTonightOut>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<EntryView> for EntryOut {
    fn from(v: EntryView) -> Self {
        Self {
            id: v.row.id,
            visibility: v.visibility,
            verification_status: v.verification_status,
            verified_at: v.row.verified_at,
            review_note: v.row.review_note,
            own: v.own,
            linked_to_haven: v.linked_to_haven,
            owner_tenant_id: v.owner_tenant_id,
            linked_tenant_id: v.linked_tenant_id,
            name: v.row.name,
            organisation_type: v.organisation_type,
            country: v.row.country,
            region: v.row.region,
            city: v.row.city,
            service_types: v.service_types,
            languages: v.languages,
            phone: v.row.phone,
            email: v.row.email,
            website: v.row.website,
            hours: v.row.hours,
            open_24_7: v.row.open_24_7,
            accessibility: v.row.accessibility,
            descriptions: v.descriptions,
            beds_tonight: v.beds_tonight.map(|b| BedsTonightOut {
                free: b.free,
                women: b.women,
                men: b.men,
                minors: b.minors,
                updated_at: b.updated_at,
            }),
            created_at: v.row.created_at,
            updated_at: v.row.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EntryPage {
    pub items: Vec<EntryOut>,
    pub next_cursor: Option<String>,
}

/// A proposed edit of a shared entry.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a91",
    "organisation_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a90",
    "organisation_name": "Example Legal Clinic Gent",
    "changes": {"hours": "Mon–Sat 8:00–20:00"}, "status": "pending", "review_note": null,
    "proposed_by": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a12", "reviewed_at": null,
    "created_at": "2026-11-30T11:00:00Z", "updated_at": "2026-11-30T11:00:00Z"
}))]
pub struct ProposalOut {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    /// The proposed values (`null`: clear the field).
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
    pub status: VerificationStatus,
    pub review_note: Option<String>,
    /// The proposing user (shown to the proposing organisation).
    pub proposed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ProposalView> for ProposalOut {
    fn from(v: ProposalView) -> Self {
        Self {
            id: v.id,
            organisation_id: v.organisation_id,
            organisation_name: v.organisation_name,
            changes: serde_json::to_value(&v.change).unwrap_or_default(),
            status: v.status,
            review_note: v.review_note,
            proposed_by: v.proposed_by,
            reviewed_at: v.reviewed_at,
            created_at: v.created_at,
            updated_at: v.updated_at,
        }
    }
}

/// A platform administrator's verdict.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "Checked with the organisation by phone."}))]
pub struct VerdictIn {
    /// Required to reject: the proposer reads it.
    #[schema(max_length = 1000)]
    pub note: Option<String>,
}

/// Answers 404 to a tenant user for an entry they cannot see, 403 otherwise; passes platform
/// administrators through.
pub(crate) async fn platform_only(
    auth: &Authenticated,
    probe: impl std::future::Future<Output = Result<(), haven_domain::error::DomainError>>,
) -> Result<&haven_domain::tenancy::PlatformContext, ApiError> {
    match &auth.0 {
        Principal::PlatformAdmin(ctx) => Ok(ctx),
        Principal::User(_) => {
            probe.await?;
            Err(ApiError::Forbidden(
                "Only platform administrators may do this.".into(),
            ))
        }
    }
}
