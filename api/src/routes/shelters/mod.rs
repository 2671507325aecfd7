//! Shelters, rooms, beds, shelter staff and occupancy.
//!
//! A shelter's address is confidential: it is returned only to callers allowed to read it
//! (`shelters.address_read`), only on single-shelter responses, and each read is audited.
//! A shelter with beds cannot be deleted (409 `shelter_has_beds`): close it with
//! `PATCH {"status": "closed"}` to keep its history.

pub mod beds;
pub mod rooms;
pub mod shelter;
pub mod staff;
