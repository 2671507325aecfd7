//! `haven backup` and `haven restore` on the embedded profile: an online snapshot of the SQLite
//! database taken by SQLite itself (`VACUUM INTO`, consistent while the server writes), sealed
//! into a file under the operator's passphrase (see [`haven_domain::backup`]); and its way
//! back, verified, into an empty directory, with the erasure ledger applied again.
//!
//! The master key and the erasure ledger are never in a backup: a stolen backup opens nothing
//! without the master key, and the live ledger erases again whoever was erased after it was
//! taken.

mod restore;
mod snapshot;

pub use restore::{RestoreOutcome, restore};
pub use snapshot::{BackupOutcome, backup};

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use secrecy::{ExposeSecret as _, SecretString};
use std::path::{Path, PathBuf};

/// The variable naming the file that holds the backup passphrase.
pub const PASSPHRASE_FILE_VAR: &str = "HAVEN_BACKUP_PASSPHRASE_FILE";

/// Why `haven backup` does not run on PostgreSQL.
pub const POSTGRES_REFUSAL: &str = "`haven backup` snapshots the embedded profile's SQLite \
     database; with PostgreSQL (DATABASE_URL) back the database up with pg_dump or with base \
     backups and WAL archiving, as the README's section \"Backups\" describes (\"The SaaS \
     profile: PostgreSQL\")";

/// Reads the passphrase from the first line of `path` (the line ending is not part of it).
///
/// # Errors
/// When the file cannot be read or the passphrase is too short.
pub fn read_passphrase(path: Option<&Path>) -> anyhow::Result<SecretString> {
    let Some(path) = path else {
        anyhow::bail!(
            "no passphrase: name a file holding it with --passphrase-file or {PASSPHRASE_FILE_VAR}"
        );
    };
    let text = SecretString::from(
        std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the passphrase file {}", path.display()))?,
    );
    let passphrase = SecretString::from(
        text.expose_secret()
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned(),
    );
    haven_domain::backup::check_passphrase(&passphrase)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0) {
            eprintln!(
                "haven: warning: the passphrase file {} can be read by others (chmod 600 it)",
                path.display()
            );
        }
    }
    Ok(passphrase)
}

/// Files removed when dropped — on success and on every error — unless kept.
struct Scratch {
    paths: Vec<PathBuf>,
}

impl Scratch {
    /// A SQLite file and its companions (`-journal`, `-wal`, `-shm`).
    fn sqlite(path: &Path) -> Self {
        let mut paths = vec![path.to_owned()];
        for suffix in ["-journal", "-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            paths.push(PathBuf::from(name));
        }
        Self { paths }
    }

    fn file(path: &Path) -> Self {
        Self {
            paths: vec![path.to_owned()],
        }
    }

    /// Keeps the files: they were renamed into place.
    fn keep(mut self) {
        self.paths.clear();
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for path in &self.paths {
            if let Err(err) = std::fs::remove_file(path)
                && err.kind() != std::io::ErrorKind::NotFound
            {
                eprintln!("haven: cannot remove {}: {err}", path.display());
            }
        }
    }
}

/// Creates `path` empty, readable by the owner only; fails when it exists.
fn create_private_file(path: &Path) -> anyhow::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))
}

/// Flushes a directory's entries (a rename into it) to disk.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        d.sync_all().ok();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// A bar of bytes on a terminal; nothing otherwise (the caller prints a final line).
fn byte_bar(total: u64, verb: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template(&format!(
        "{{elapsed_precise}} [{{bar:30}}] {{bytes}}/{{total_bytes}} {verb} ({{bytes_per_sec}})"
    )) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// A spinner saying what is under way, on a terminal only (SQLite's own steps report no
/// progress).
fn step(message: &'static str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{elapsed_precise} {spinner} {msg}") {
        bar.set_style(style);
    }
    bar.set_message(message);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Opens a SQLite file for the backup tools: never created here, rollback journal (so the
/// file stands alone), one connection.
async fn open_sqlite_file(
    path: &Path,
    journal: sea_orm::sqlx::sqlite::SqliteJournalMode,
) -> anyhow::Result<sea_orm::DatabaseConnection> {
    use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .journal_mode(journal)
        .foreign_keys(true)
        .busy_timeout(std::time::Duration::from_secs(30));
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open the SQLite database {}", path.display()))?;
    Ok(sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

/// Rows per table of a SQLite database (SQLite's own tables left out).
async fn table_counts(
    db: &sea_orm::DatabaseConnection,
) -> anyhow::Result<std::collections::BTreeMap<String, u64>> {
    use sea_orm::{ConnectionTrait as _, DatabaseBackend, Statement};
    let tables = db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name",
        ))
        .await?;
    let mut counts = std::collections::BTreeMap::new();
    for row in tables {
        let name: String = row.try_get("", "name")?;
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        let n: i64 = db
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                format!("SELECT count(*) AS n FROM {quoted}"),
            ))
            .await?
            .context("count(*) answered nothing")?
            .try_get("", "n")?;
        counts.insert(name, u64::try_from(n).unwrap_or(0));
    }
    Ok(counts)
}

/// `PRAGMA integrity_check` of a SQLite database: `Ok` when it answers `ok`.
async fn integrity_check(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    use sea_orm::{ConnectionTrait as _, DatabaseBackend, Statement};
    let rows = db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await?;
    let answers: Vec<String> = rows
        .iter()
        .filter_map(|r| r.try_get_by_index::<String>(0).ok())
        .collect();
    if answers != ["ok"] {
        anyhow::bail!(
            "the database fails SQLite's integrity check: {}",
            answers.join("; ")
        );
    }
    Ok(())
}
