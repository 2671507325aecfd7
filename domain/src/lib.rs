//! Haven's domain: typed identifiers, tenancy, field-encryption keys and the cache
//! abstraction shared by both runtime profiles. Nothing in this crate knows about HTTP.

mod access;
pub mod agenda;
pub mod audit;
pub mod auth;
pub mod authz;
pub mod backup;
pub mod cache;
pub mod cases;
pub mod clients;
pub mod consents;
pub mod context;
mod countries;
pub mod crypto;
pub mod dataprot;
pub mod deadlines;
pub mod directory;
pub mod documents;
pub mod entities;
pub mod error;
pub mod fieldcrypt;
pub mod ids;
pub mod incidents;
pub mod interviews;
pub mod keyring;
pub mod legal;
pub mod notes;
pub mod notifications;
pub mod objects;
pub mod passwords;
pub mod placements;
pub mod platform;
pub mod procedures;
pub mod referrals;
pub mod reports;
pub mod sealed;
pub mod seed;
pub mod seed_casework;
mod seed_course_medical;
mod seed_course_police;
pub mod seed_directory;
pub mod seed_library;
pub mod seed_referrals;
pub mod seed_training;
pub mod services_log;
pub mod shelters;
pub mod support;
pub mod synthetic;
pub mod tasks;
pub mod tenancy;
pub mod tenants;
pub mod timeline;
pub mod tokens;
pub mod training;
pub mod types;
pub mod users;
pub mod vocab;

/// The current time at the precision both databases keep (microseconds), so a value reads
/// back exactly as it was written.
#[must_use]
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound as _;
    chrono::Utc::now().trunc_subsecs(6)
}
