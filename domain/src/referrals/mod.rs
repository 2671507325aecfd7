//! Referrals: a case referred to a partner organisation of the directory (tenant-owned).
//!
//! A referral needs the client's consent to share with organisations of the partner's type
//! ([`coverage`] says which types a referral reaches); without one it is refused, unless a
//! user holding `referrals.consent_override` overrides it with a reason (audited), and then no
//! identifying field travels. Its status moves `sent → accepted | declined`, `accepted →
//! completed`, `sent | accepted → cancelled` ([`flow`]). The referral pack ([`packet`]) holds
//! only the fields the referral names.
//!
//! When the organisation is linked to another Haven tenant the referral also lands in that
//! tenant's inbox ([`inbox`]) as a packet copied at send time and sealed under the receiver's
//! key; [`exchange`] is the one place where work crosses from one tenant to another.
//!
//! Need to know follows the cases: a referral is visible when its case is.

pub mod coverage;
pub(crate) mod exchange;
pub mod flow;
pub mod inbox;
pub mod packet;
pub mod service;

use crate::entities::referral;
use crate::fieldcrypt::FieldRef;
use crate::ids::TenantId;
use crate::vocab::{
    self, DirectoryServiceType, PacketField, ReferralStatus, ReferralUrgency, ServiceArea,
};
use uuid::Uuid;

/// Longest reason, outcome or override reason, in characters.
pub const MAX_TEXT: usize = 2000;

/// A referral as read back.
#[derive(Clone, Debug)]
pub struct ReferralView {
    pub row: referral::Model,
    pub status: ReferralStatus,
    pub service_type: DirectoryServiceType,
    pub service_area: ServiceArea,
    pub urgency: ReferralUrgency,
    pub shared_fields: Vec<PacketField>,
    /// The organisation's name, when the tenant can still see its entry.
    pub organisation_name: Option<String>,
    /// Opened only when one referral is read.
    pub reason: Option<String>,
    pub outcome: Option<String>,
    pub override_reason: Option<String>,
}

impl ReferralView {
    pub(crate) fn new(row: referral::Model, organisation_name: Option<String>) -> Self {
        Self {
            status: ReferralStatus::parse(&row.status).unwrap_or(ReferralStatus::Sent),
            service_type: DirectoryServiceType::parse(&row.service_type)
                .unwrap_or(DirectoryServiceType::Other),
            service_area: ServiceArea::parse(&row.service_area)
                .unwrap_or(ServiceArea::Administrative),
            urgency: ReferralUrgency::parse(&row.urgency).unwrap_or(ReferralUrgency::Routine),
            shared_fields: vocab::split(&row.shared_fields, PacketField::parse),
            organisation_name,
            reason: None,
            outcome: None,
            override_reason: None,
            row,
        }
    }

    /// Whether the referral went to another Haven organisation's inbox.
    #[must_use]
    pub fn linked(&self) -> bool {
        self.row.incoming_id.is_some()
    }
}

/// The version tag of a referral, for `ETag` / `If-Match`.
#[must_use]
pub fn etag(row: &referral::Model) -> String {
    format!("\"{}\"", row.updated_at.timestamp_micros())
}

pub(crate) fn field(tenant: TenantId, id: Uuid, name: &'static str) -> FieldRef<'static> {
    FieldRef {
        tenant,
        table: "referrals",
        row: id,
        field: name,
    }
}

/// Whether `text` is 1 to [`MAX_TEXT`] characters without control characters other than line
/// breaks.
pub(crate) fn text_ok(text: &str) -> bool {
    !text.trim().is_empty()
        && text.chars().count() <= MAX_TEXT
        && !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}
