//! Support for Haven's black-box suite: clean-up of what a test run creates (a PostgreSQL
//! database and its two roles, a Redis key prefix, a temporary directory), run by the
//! `haven-test-reaper` process once the test binary that created them has exited.

use anyhow::Context as _;
use sea_orm::{ConnectOptions, ConnectionTrait as _, Database, DatabaseBackend, Statement};
use std::path::Path;
use std::time::Duration;

/// Everything one test binary created.
#[derive(Debug, Clone, Default)]
pub struct Leftovers {
    /// Superuser URL used to create the database.
    pub admin_url: Option<String>,
    pub database: Option<String>,
    pub roles: Vec<String>,
    pub redis_url: Option<String>,
    pub redis_prefix: Option<String>,
    pub dir: Option<String>,
}

/// Prefix of every database and role the suite creates.
pub const TEST_PREFIX: &str = "haven_test_";

/// Whether process `pid` is still running.
#[must_use]
pub fn alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// Removes everything in `leftovers`. Best effort: each part is tried.
///
/// # Errors
/// The first failure, after every part has been tried.
pub async fn clean(leftovers: &Leftovers) -> anyhow::Result<()> {
    let mut first_error = None;
    if let (Some(url), Some(database)) = (&leftovers.admin_url, &leftovers.database)
        && let Err(err) = drop_database(url, database, &leftovers.roles).await
    {
        first_error.get_or_insert(err);
    }
    if let (Some(url), Some(prefix)) = (&leftovers.redis_url, &leftovers.redis_prefix)
        && let Err(err) = drop_redis_prefix(url, prefix).await
    {
        first_error.get_or_insert(err);
    }
    if let Some(dir) = &leftovers.dir
        && Path::new(dir).exists()
        && let Err(err) = std::fs::remove_dir_all(dir)
    {
        first_error.get_or_insert(err.into());
    }
    first_error.map_or(Ok(()), Err)
}

async fn admin(url: &str) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    Database::connect(options)
        .await
        .context("cannot connect to PostgreSQL")
}

async fn drop_database(url: &str, database: &str, roles: &[String]) -> anyhow::Result<()> {
    let db = admin(url).await?;
    db.execute_unprepared(&format!(
        "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
    ))
    .await?;
    for role in roles {
        db.execute_unprepared(&format!("DROP ROLE IF EXISTS \"{role}\""))
            .await?;
    }
    db.close().await.ok();
    Ok(())
}

/// Drops databases and roles left by earlier runs whose process is gone (a run that was
/// killed before its reaper could act).
///
/// # Errors
/// When PostgreSQL cannot be reached.
pub async fn sweep_stale(url: &str) -> anyhow::Result<()> {
    let db = admin(url).await?;
    let rows = db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            format!(
                "SELECT datname AS name FROM pg_database WHERE datname LIKE '{TEST_PREFIX}%' \
                 UNION ALL SELECT rolname FROM pg_roles WHERE rolname LIKE '{TEST_PREFIX}%'"
            ),
        ))
        .await?;
    let mut databases = Vec::new();
    let mut roles = Vec::new();
    for row in rows {
        let name: String = row.try_get("", "name")?;
        let pid = name
            .strip_prefix(TEST_PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        if pid.is_some_and(|pid| !alive(pid)) {
            if name.ends_with("_owner") || name.ends_with("_app") {
                roles.push(name);
            } else {
                databases.push(name);
            }
        }
    }
    for database in databases {
        db.execute_unprepared(&format!(
            "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
        ))
        .await?;
    }
    for role in roles {
        db.execute_unprepared(&format!("DROP ROLE IF EXISTS \"{role}\""))
            .await?;
    }
    db.close().await.ok();
    Ok(())
}

async fn drop_redis_prefix(url: &str, prefix: &str) -> anyhow::Result<()> {
    let client = redis::Client::open(url)?;
    let mut conn = client.get_multiplexed_async_connection().await?;
    let mut cursor: u64 = 0;
    loop {
        let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(format!("{prefix}*"))
            .arg("COUNT")
            .arg(500)
            .query_async(&mut conn)
            .await?;
        if !keys.is_empty() {
            redis::cmd("DEL")
                .arg(&keys)
                .query_async::<()>(&mut conn)
                .await?;
        }
        if next == 0 {
            return Ok(());
        }
        cursor = next;
    }
}
