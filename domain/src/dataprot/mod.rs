//! The data-protection lifecycle of a client: subject access (everything held about one
//! person, opened), erasure by crypto-shredding (with an optional second administrator's
//! approval), the erasure ledger that keeps an erasure erased across a database restore, and
//! the retention run that erases clients whose cases closed long enough ago.

mod erasure;
mod export;
mod ledger;
mod lock;
mod retention;

pub use erasure::{
    ErasureView, approve as approve_erasure, get as get_erasure,
    list_pending as list_pending_erasures, request as request_erasure,
};
pub use export::{SubjectRecord, subject_export};
pub use ledger::{ErasureLedger, LedgerEntry, ReapplyReport, reapply_erasures};
pub use lock::{JobLock, try_lock};
pub use retention::{RetentionReport, TenantRetention, run as run_retention};
