//! Haven's domain: typed identifiers, tenancy, field-encryption keys and the cache
//! abstraction shared by both runtime profiles. Nothing in this crate knows about HTTP.

pub mod cache;
pub mod crypto;
pub mod ids;
pub mod tenancy;
