//! `haven backup`: snapshot, describe, seal, and put the file in place atomically.

use super::{
    POSTGRES_REFUSAL, Scratch, byte_bar, create_private_file, integrity_check, open_sqlite_file,
    step, sync_dir, table_counts,
};
use crate::config::{Profile, Settings};
use crate::db::SQLITE_FILE;
use anyhow::{Context as _, bail};
use haven_domain::backup::{FORMAT_VERSION, Manifest, seal};
use sea_orm::sqlx::sqlite::SqliteJournalMode;
use sea_orm::{ConnectionTrait as _, DatabaseBackend, Statement};
use secrecy::SecretString;
use std::path::{Path, PathBuf};

/// What a backup holds and where it went.
#[derive(Debug)]
pub struct BackupOutcome {
    pub path: PathBuf,
    pub manifest: Manifest,
    /// Size of the sealed file.
    pub file_bytes: u64,
}

/// Takes a consistent snapshot of the embedded database while the server may be writing, and
/// seals it into `out` under `passphrase`. The plain snapshot lives only in the data directory
/// (owner-only) and is removed on every path; `out` appears whole or not at all.
///
/// # Errors
/// On the PostgreSQL profile; when there is no database; on database and I/O errors.
pub async fn backup(
    settings: &Settings,
    out: &Path,
    passphrase: SecretString,
) -> anyhow::Result<BackupOutcome> {
    if settings.profile() == Profile::Postgres {
        bail!("{POSTGRES_REFUSAL}");
    }
    let live = settings.data_dir.join(SQLITE_FILE);
    if !live.is_file() {
        bail!(
            "there is no database at {} (HAVEN_DATA_DIR names the data directory)",
            live.display()
        );
    }
    let (out_dir, out_name) = match (out.parent(), out.file_name()) {
        (Some(dir), Some(name)) => (
            if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            },
            name,
        ),
        _ => bail!("--out must name a file"),
    };
    if !out_dir.is_dir() {
        bail!("the directory of {} does not exist", out.display());
    }

    let tag = uuid::Uuid::now_v7().simple().to_string();
    let plain = settings.data_dir.join(format!(".backup-{tag}.db"));
    let plain_scratch = Scratch::sqlite(&plain);
    drop(create_private_file(&plain)?);
    let taken_at = haven_domain::now();
    let spinner = step("taking the snapshot (VACUUM INTO) and counting its rows");
    let described = match snapshot(&live, &plain).await {
        Ok(()) => describe(&plain, taken_at).await,
        Err(err) => Err(err),
    };
    spinner.finish_and_clear();
    let manifest = described?;

    let mut sealed_name = std::ffi::OsString::from(".");
    sealed_name.push(out_name);
    sealed_name.push(format!(".{tag}.partial"));
    let sealed = out_dir.join(sealed_name);
    let sealed_scratch = Scratch::file(&sealed);
    let file = create_private_file(&sealed)?;
    let source = std::fs::File::open(&plain)
        .with_context(|| format!("cannot read the snapshot {}", plain.display()))?;
    let started = std::time::Instant::now();
    let sealed_manifest = manifest.clone();
    let file = tokio::task::spawn_blocking(move || -> anyhow::Result<std::fs::File> {
        let bar = byte_bar(sealed_manifest.database_bytes, "sealed");
        let mut reader = std::io::BufReader::new(source);
        let mut writer = std::io::BufWriter::new(file);
        seal(
            &mut reader,
            &mut writer,
            &passphrase,
            &sealed_manifest,
            &mut |done| bar.set_position(done),
        )?;
        bar.finish_and_clear();
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(file)
    })
    .await
    .context("the sealing task failed")??;
    let file_bytes = file.metadata()?.len();
    drop(file);
    drop(plain_scratch);
    std::fs::rename(&sealed, out)
        .with_context(|| format!("cannot move the backup into place at {}", out.display()))?;
    sealed_scratch.keep();
    sync_dir(out_dir);
    eprintln!(
        "haven: sealed {} bytes of database in {:.1}s",
        manifest.database_bytes,
        started.elapsed().as_secs_f64(),
    );
    Ok(BackupOutcome {
        path: out.to_owned(),
        manifest,
        file_bytes,
    })
}

/// `VACUUM INTO` the (empty, owner-only) file `into`: SQLite writes a consistent copy of the
/// database as of one read transaction, beside writers (WAL lets them go on).
async fn snapshot(live: &Path, into: &Path) -> anyhow::Result<()> {
    let db = open_sqlite_file(live, SqliteJournalMode::Wal).await?;
    let target = into
        .to_str()
        .context("the data directory's path is not valid UTF-8")?;
    let result = db
        .execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            "VACUUM INTO ?",
            [target.into()],
        ))
        .await
        .context("SQLite could not write the snapshot (VACUUM INTO)");
    db.close().await.ok();
    result.map(|_| ())
}

/// The manifest of the snapshot at `path`, read from the snapshot itself; leaves it a single
/// file in rollback-journal mode.
async fn describe(
    path: &Path,
    taken_at: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Manifest> {
    let db = open_sqlite_file(path, SqliteJournalMode::Delete).await?;
    let result = async {
        integrity_check(&db).await?;
        let tables = table_counts(&db).await?;
        let latest_migration = if tables.contains_key("seaql_migrations") {
            db.query_one_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT version FROM seaql_migrations ORDER BY version DESC LIMIT 1",
            ))
            .await?
            .map(|row| row.try_get::<String>("", "version"))
            .transpose()?
        } else {
            None
        };
        let master_key_ids = haven_domain::keyring::references(&db)
            .await
            .map_err(|e| anyhow::anyhow!("cannot list the master key ids: {e}"))?
            .into_keys()
            .collect();
        Ok::<_, anyhow::Error>((tables, latest_migration, master_key_ids))
    }
    .await;
    db.close().await.ok();
    let (tables, latest_migration, master_key_ids) = result?;
    Ok(Manifest {
        format: FORMAT_VERSION,
        created_at: taken_at,
        haven_version: env!("CARGO_PKG_VERSION").to_owned(),
        latest_migration,
        master_key_ids,
        tables,
        database_bytes: std::fs::metadata(path)?.len(),
    })
}
