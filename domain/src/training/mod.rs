//! Training work an organisation does for outside professionals: the shared training library
//! (courses, their versions and modules, proposed by tenants and verified by platform
//! administrators), the training sessions an organisation delivers and their summary, and
//! technical-assistance engagements with partner organisations and government bodies. Sessions
//! and engagements are tenant-owned.

pub mod content;
pub mod courses;
pub mod engagements;
pub mod languages;
pub mod library;
pub mod markdown;
mod session_rows;
pub mod sessions;
mod sessions_check;
pub mod summary;
pub mod versions;
