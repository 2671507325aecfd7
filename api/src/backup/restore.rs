//! `haven restore`: open, verify, migrate, erase again what the live ledger says, and put the
//! database in place — or leave nothing behind.

use super::{
    Scratch, byte_bar, create_private_file, integrity_check, open_sqlite_file, step, sync_dir,
    table_counts,
};
use crate::config::{ERASURE_LEDGER_FILE, Settings};
use crate::db::{self, SQLITE_FILE};
use crate::startup::existing_master_key;
use anyhow::{Context as _, bail};
use haven_domain::backup::{Manifest, open};
use haven_domain::crypto::MasterKey;
use haven_domain::dataprot::{ErasureLedger, ReapplyReport, reapply_erasures};
use haven_migration::{Migrator, MigratorTrait as _};
use sea_orm::sqlx::sqlite::SqliteJournalMode;
use secrecy::SecretString;
use std::path::{Path, PathBuf};

/// What a restore did.
#[derive(Debug)]
pub struct RestoreOutcome {
    /// The restored database file.
    pub database: PathBuf,
    pub manifest: Manifest,
    /// Rows verified against the manifest.
    pub rows: u64,
    /// Migrations applied to bring the restored database to this version.
    pub migrations_applied: usize,
    /// Each master key id of the manifest, and whether it is the current key or a retired one.
    pub keys: Vec<(String, &'static str)>,
    /// The ledger applied, and what it did; `None` when there is no ledger file.
    pub ledger: Option<(PathBuf, ReapplyReport)>,
    /// Where the ledger was copied into the restored directory, when it is the data
    /// directory's own.
    pub ledger_copy: Option<PathBuf>,
}

/// Removes a directory made by the restore when the restore fails (only when it is empty).
struct MadeDir(Option<PathBuf>);

impl Drop for MadeDir {
    fn drop(&mut self) {
        if let Some(dir) = &self.0 {
            std::fs::remove_dir(dir).ok();
        }
    }
}

/// Whether `into` may receive a restore: absent (`true`: to be made) or an empty directory.
fn check_target(into: &Path) -> anyhow::Result<bool> {
    match std::fs::read_dir(into) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                bail!(
                    "{} is not empty: restore into a new or empty directory",
                    into.display()
                );
            }
            Ok(false)
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(err) => bail!(
            "cannot restore into {}: {err} (it must be a new or empty directory)",
            into.display()
        ),
    }
}

/// The key ring that opens every master key id of `manifest`, and which each id is.
fn keys_for(
    settings: &Settings,
    manifest: &Manifest,
) -> anyhow::Result<(MasterKey, Vec<(String, &'static str)>)> {
    let (current, retired) = existing_master_key(settings)?;
    let Some(current) = current else {
        bail!(
            "no master key is configured: set HAVEN_MASTER_KEY or HAVEN_MASTER_KEY_FILE, or put \
             master.key in HAVEN_DATA_DIR (the backup holds only the ids of the keys it needs: {})",
            manifest.master_key_ids.join(", ")
        );
    };
    let ring = current.with_retired(retired);
    let retired_ids = ring.retired_ids();
    let mut keys = Vec::new();
    let mut missing = Vec::new();
    for id in &manifest.master_key_ids {
        if id == ring.id() {
            keys.push((id.clone(), "current"));
        } else if retired_ids.contains(&id.as_str()) {
            keys.push((id.clone(), "retired"));
        } else {
            missing.push(id.as_str());
        }
    }
    if !missing.is_empty() {
        bail!(
            "the backup's data keys are wrapped under master key(s) that are not configured: {} \
             (current key: {}). Configure them (HAVEN_MASTER_KEY, HAVEN_MASTER_KEYS_RETIRED, or \
             retired-master-keys/<id>.key in HAVEN_DATA_DIR) and restore again",
            missing.join(", "),
            ring.id()
        );
    }
    Ok((ring, keys))
}

/// Restores the backup `from` into the new or empty directory `into`: decrypts it with
/// `passphrase`, checks SQLite's integrity and the manifest's row counts, applies pending
/// migrations, and erases again every client of the configured erasure ledger, before the
/// database appears as `into/haven.db`. On any failure nothing is left in `into`.
///
/// # Errors
/// A non-empty target, a wrong passphrase, an altered or truncated file, missing master keys,
/// a backup from a newer Haven, failed verification; I/O and database errors.
pub async fn restore(
    settings: &Settings,
    from: &Path,
    into: &Path,
    passphrase: SecretString,
) -> anyhow::Result<RestoreOutcome> {
    let make_dir = check_target(into)?;
    let file = std::fs::File::open(from)
        .with_context(|| format!("cannot read the backup {}", from.display()))?;
    let opened =
        tokio::task::spawn_blocking(move || open(std::io::BufReader::new(file), &passphrase))
            .await
            .context("the key derivation task failed")?
            .with_context(|| format!("cannot open the backup {}", from.display()))?;
    let manifest = opened.manifest().clone();
    if let Some(latest) = &manifest.latest_migration
        && !Migrator::migrations().iter().any(|m| m.name() == latest)
    {
        bail!(
            "the backup was made by a newer Haven (migration {latest} is unknown to {}): restore \
             it with that version",
            env!("CARGO_PKG_VERSION")
        );
    }
    let (master, keys) = keys_for(settings, &manifest)?;

    let made = MadeDir(if make_dir {
        db::create_private_dir(into)?;
        Some(into.to_owned())
    } else {
        None
    });
    let restoring = into.join(format!(".{SQLITE_FILE}.restoring"));
    let scratch = Scratch::sqlite(&restoring);
    let file = create_private_file(&restoring)?;
    let total = manifest.database_bytes;
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let bar = byte_bar(total, "restored");
        let mut writer = std::io::BufWriter::new(file);
        opened.unseal_into(&mut writer, &mut |done| bar.set_position(done))?;
        bar.finish_and_clear();
        writer
            .into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()?;
        Ok(())
    })
    .await
    .context("the decryption task failed")?
    .with_context(|| format!("cannot restore the backup {}", from.display()))?;

    let conn = open_sqlite_file(&restoring, SqliteJournalMode::Delete).await?;
    let spinner = step("checking, migrating and re-applying the erasure ledger");
    let checked = verify_and_prepare(&conn, &manifest, &master, settings).await;
    spinner.finish_and_clear();
    conn.close().await.ok();
    let (rows, migrations_applied, ledger) = checked?;

    let database = into.join(SQLITE_FILE);
    std::fs::rename(&restoring, &database).with_context(|| {
        format!(
            "cannot move the database into place at {}",
            database.display()
        )
    })?;
    scratch.keep();
    let mut made = made;
    made.0 = None;
    let ledger_copy = copy_own_ledger(settings, into)?;
    sync_dir(into);
    Ok(RestoreOutcome {
        database,
        manifest,
        rows,
        migrations_applied,
        keys,
        ledger,
        ledger_copy,
    })
}

/// Checks integrity and row counts, migrates, and re-applies the erasure ledger.
async fn verify_and_prepare(
    conn: &sea_orm::DatabaseConnection,
    manifest: &Manifest,
    master: &MasterKey,
    settings: &Settings,
) -> anyhow::Result<(u64, usize, Option<(PathBuf, ReapplyReport)>)> {
    integrity_check(conn).await?;
    let counts = table_counts(conn).await?;
    if counts != manifest.tables {
        let differ: Vec<String> = manifest
            .tables
            .keys()
            .chain(counts.keys())
            .filter(|t| manifest.tables.get(*t) != counts.get(*t))
            .map(|t| {
                format!(
                    "{t}: {} in the manifest, {} restored",
                    manifest.tables.get(t).copied().unwrap_or(0),
                    counts.get(t).copied().unwrap_or(0)
                )
            })
            .collect();
        bail!(
            "the restored rows differ from the backup's manifest ({})",
            differ.join("; ")
        );
    }
    let rows = counts.values().sum();
    let pending = Migrator::get_pending_migrations(conn)
        .await
        .context("cannot read the restored database's migrations")?
        .len();
    Migrator::up(conn, None)
        .await
        .context("migrating the restored database failed")?;
    let path = &settings.data_protection.erasure_ledger;
    let ledger = if path.exists() {
        let ledger = ErasureLedger::open(path).map_err(|e| anyhow::anyhow!("{e:#}"))?;
        let report = reapply_erasures(conn, master, &ledger)
            .await
            .map_err(|e| anyhow::anyhow!("cannot re-apply the erasure ledger: {e}"))?;
        Some((path.clone(), report))
    } else {
        None
    };
    Ok((rows, pending, ledger))
}

/// Copies the erasure ledger into the restored directory when it is the data directory's own
/// (the default), so a server started on the restored directory keeps every erasure.
fn copy_own_ledger(settings: &Settings, into: &Path) -> anyhow::Result<Option<PathBuf>> {
    let ledger = &settings.data_protection.erasure_ledger;
    if *ledger != settings.data_dir.join(ERASURE_LEDGER_FILE) || !ledger.exists() {
        return Ok(None);
    }
    let copy = into.join(ERASURE_LEDGER_FILE);
    let mut target = create_private_file(&copy)?;
    let mut source = std::fs::File::open(ledger)
        .with_context(|| format!("cannot read the erasure ledger {}", ledger.display()))?;
    std::io::copy(&mut source, &mut target)
        .and_then(|_| target.sync_all())
        .with_context(|| format!("cannot copy the erasure ledger to {}", copy.display()))?;
    Ok(Some(copy))
}
