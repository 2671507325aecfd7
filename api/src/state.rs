//! What every handler can reach: the database, the cache and the settings.

use crate::config::Settings;
use haven_domain::cache::Cache;
use haven_domain::crypto::MasterKey;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// Shared application state, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub cache: Cache,
    pub settings: Arc<Settings>,
    pub master_key: Arc<MasterKey>,
}
