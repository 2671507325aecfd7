//! Shelters, their rooms and beds, the staff who work at each, and occupancy.
//!
//! Every function takes the caller's [`crate::tenancy::TenantScope`] first and reaches rows
//! only through `Entity::scoped(tenant)`, so another tenant's id is simply not found (and the
//! miss is audited). A shelter's address is sealed with the tenant's data key before it is
//! stored and opened only for callers holding `shelters.address_read`; each opening is
//! audited as `shelter.address_read`. Lists never carry addresses.
//!
//! Removal: a bed may be removed; a room only while it has no beds; a shelter only while it
//! has no beds (its empty rooms and staff assignments go with it). A shelter that is no longer
//! used but has history is closed (`status: closed`) instead, which also stops new rooms and
//! beds being added to it.

pub mod beds;
mod model;
pub mod occupancy;
pub mod rooms;
pub(crate) mod service;
pub mod staff;

pub use model::{
    ADULT_AGE, BedPatch, BedStatus, MAX_AGE, MAX_CAPACITY, NewBed, NewRoom, NewShelter, RoomPatch,
    ShelterDraft, ShelterPatch, ShelterPatchDraft, ShelterStatus, check_admission_policy,
    decode_genders, encode_genders, parse_bed_patch, parse_new_bed, parse_new_room,
    parse_new_shelter, parse_room_patch, parse_shelter_patch,
};
pub use service::{ShelterFilter, ShelterRecord, create, delete, get, list, update};

use crate::error::{DomainError, DomainResult};
use chrono::{DateTime, Utc};

/// The version tag of a shelter, room or bed row (its last change), for `ETag` / `If-Match`.
#[must_use]
pub fn etag(updated_at: &DateTime<Utc>) -> String {
    format!("\"{}\"", updated_at.timestamp_micros())
}

/// Checks `If-Match` (`*`, one tag or a comma-separated list) against the current tag.
fn check_version(if_match: Option<&str>, current: &DateTime<Utc>) -> DomainResult<()> {
    let Some(header) = if_match else {
        return Err(DomainError::PreconditionRequired);
    };
    let current = etag(current);
    if header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag == current)
    {
        Ok(())
    } else {
        Err(DomainError::PreconditionFailed)
    }
}

/// Field names for audit details: which fields a change touched, never their values.
fn changed(fields: &[(&'static str, bool)]) -> Vec<&'static str> {
    fields
        .iter()
        .filter_map(|(name, touched)| touched.then_some(*name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_accepts_the_current_tag_a_list_or_a_wildcard() {
        let now = crate::now();
        let tag = etag(&now);
        assert!(check_version(Some(&tag), &now).is_ok());
        assert!(check_version(Some("*"), &now).is_ok());
        assert!(check_version(Some(&format!("\"1\", {tag}")), &now).is_ok());
        assert!(matches!(
            check_version(Some("\"1\""), &now),
            Err(DomainError::PreconditionFailed)
        ));
        assert!(matches!(
            check_version(None, &now),
            Err(DomainError::PreconditionRequired)
        ));
        assert_eq!(changed(&[("name", true), ("address", false)]), vec!["name"]);
    }
}
