//! `haven keys rotate-master` and `haven keys retire`: moving every wrapped key to the current
//! master key, and telling when an old one is no longer needed.

use crate::config::{Profile, Settings};
use crate::db;
use crate::startup::{MASTER_KEY_FILE, RETIRED_KEYS_DIR, load_master_key};
use anyhow::{Context as _, bail};
use haven_domain::crypto::MasterKey;
use haven_domain::keyring::{self, RewrapReport};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::DatabaseConnection;
use std::collections::BTreeMap;

/// What a rotation did.
#[derive(Debug)]
pub struct RotateOutcome {
    /// The current master key id everything is now wrapped under.
    pub current: String,
    /// When a new key file was made: the id of the key it replaced.
    pub replaced: Option<String>,
    pub rewrapped: RewrapReport,
    /// Stored values per master key id after the rotation.
    pub references: BTreeMap<String, u64>,
}

/// The key ring and the database for an operator's command, with the blind-index keys loaded.
///
/// # Errors
/// When the key or the database cannot be opened.
pub async fn open(settings: &Settings) -> anyhow::Result<(MasterKey, DatabaseConnection)> {
    let master = load_master_key(settings)?;
    if settings.profile() == Profile::Embedded || settings.database.migration_url.is_some() {
        db::migrate(settings).await?;
    }
    let conn = db::connect(settings).await?;
    db::check_serving_database(&conn).await?;
    keyring::load_index_keys(&conn, &master)
        .await
        .map_err(|e| anyhow::anyhow!("cannot load the blind-index keys: {e}"))?;
    Ok((master, conn))
}

/// Re-wraps every stored key under the current master key, `batch` rows per transaction. With
/// `new_key` (key file only), first makes a new key file and keeps the old key among the
/// retired ones.
///
/// # Errors
/// When a value is wrapped by a key that is not configured, or on database errors.
pub async fn rotate_master(
    settings: &Settings,
    batch: u64,
    new_key: bool,
) -> anyhow::Result<RotateOutcome> {
    let replaced = if new_key {
        if settings.keys.master_key.is_some() {
            bail!(
                "HAVEN_MASTER_KEY is set: put a new key there (`haven keys generate`), move the \
                 old one to HAVEN_MASTER_KEYS_RETIRED, restart, then run this without --new-key"
            );
        }
        let path = settings
            .keys
            .master_key_file
            .clone()
            .unwrap_or_else(|| settings.data_dir.join(MASTER_KEY_FILE));
        let retired = settings.data_dir.join(RETIRED_KEYS_DIR);
        db::create_private_dir(&retired)?;
        // Make sure every tenant's index key is stored under the old key before it changes.
        drop(open(settings).await?);
        let (old, new) = MasterKey::replace_file(&path, &retired)
            .with_context(|| format!("cannot replace {}", path.display()))?;
        tracing::info!(old = %old, new = %new, "made a new master key; the old one is retired");
        Some(old)
    } else {
        None
    };
    let (master, conn) = open(settings).await?;
    let bar = ProgressBar::new_spinner();
    bar.set_style(ProgressStyle::with_template(
        "{elapsed_precise} {spinner} {msg}",
    )?);
    let mut progress = |table: &'static str, done: u64| {
        bar.set_message(format!("{table}: {done} re-wrapped"));
        bar.tick();
    };
    let rewrapped = keyring::rewrap_all(&conn, &master, batch, &mut progress)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    bar.finish_and_clear();
    let references = keyring::references(&conn)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    conn.close().await.ok();
    Ok(RotateOutcome {
        current: master.id().to_owned(),
        replaced,
        rewrapped,
        references,
    })
}

/// Whether the master key `id` may be removed: nothing stored refers to it and it is not the
/// current key. Returns the number of stored values that still do (0: it may go).
///
/// # Errors
/// When `id` is the current key, or on database errors.
pub async fn retire(settings: &Settings, id: &str) -> anyhow::Result<u64> {
    let (master, conn) = open(settings).await?;
    if master.id() == id {
        bail!("{id} is the current master key; rotate to a new one first");
    }
    let references = keyring::references(&conn)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    conn.close().await.ok();
    Ok(references.get(id).copied().unwrap_or(0))
}
