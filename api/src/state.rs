//! What every handler can reach: the database, the cache, the settings and the signing keys.

use crate::config::Settings;
use haven_domain::cache::Cache;
use haven_domain::crypto::MasterKey;
use haven_domain::dataprot::ErasureLedger;
use haven_domain::tokens::KeyRing;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// Shared application state, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub cache: Cache,
    pub settings: Arc<Settings>,
    pub master_key: Arc<MasterKey>,
    pub keys: Arc<KeyRing>,
    /// Where erasures are recorded apart from the database.
    pub ledger: Arc<ErasureLedger>,
    /// Rate-limit counters of this process alone, counted while the shared cache does not
    /// answer (see [`crate::ratelimit`]).
    pub local_limits: Cache,
}
