//! Database connections, migrations and PostgreSQL role bootstrap.
//!
//! The embedded profile keeps a SQLite file (WAL, foreign keys on, a busy timeout) in the
//! data directory. The SaaS profile uses two PostgreSQL roles: an owner that runs migrations
//! and owns every table, and an app role — the one the server serves with — that owns
//! nothing, is no superuser and cannot bypass row-level security.

use crate::config::{Profile, Settings};
use anyhow::{Context as _, bail};
use haven_migration::{Migrator, MigratorTrait as _};
use rand::distr::{Alphanumeric, SampleString as _};
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    SqlxSqliteConnector, Statement,
};
use secrecy::{ExposeSecret as _, SecretString};
use std::path::Path;
use std::time::Duration;

/// How long a pooled PostgreSQL connection may sit unused before it is tested on checkout.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(30);

/// File name of the embedded database inside the data directory.
pub const SQLITE_FILE: &str = "haven.db";

/// Opens the database the server works with: the SQLite file, or PostgreSQL as the app role.
///
/// # Errors
/// When the database cannot be reached or opened.
pub async fn connect(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    match &settings.database.url {
        None => {
            connect_sqlite(
                &settings.data_dir.join(SQLITE_FILE),
                settings.database.pool_size,
            )
            .await
        }
        Some(url) => connect_postgres(url, settings.database.pool_size).await,
    }
}

async fn connect_sqlite(path: &Path, pool_size: u32) -> anyhow::Result<DatabaseConnection> {
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(pool_size.clamp(1, 8))
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open the SQLite database at {}", path.display()))?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

async fn connect_postgres(
    url: &SecretString,
    pool_size: u32,
) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.expose_secret().to_owned());
    options
        .max_connections(pool_size)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .statement_timeout(Duration::from_secs(30))
        // Test only connections that sat idle for a while (those a firewall or the server
        // may have closed). Testing every checkout costs a round trip per request; a busy
        // connection that the server terminated fails at `BEGIN` instead, and
        // `tenancy::begin` moves on to the next one.
        .test_before_acquire_if_idle_for(IDLE_BEFORE_PING)
        .sqlx_logging(false);
    // `haven` in pg_stat_activity, unless the URL names the replica itself.
    if !url.expose_secret().contains("application_name=") {
        options.set_application_name("haven");
    }
    Database::connect(options)
        .await
        .context("cannot connect to PostgreSQL at DATABASE_URL")
}

/// Applies pending migrations: on the SQLite file, or on PostgreSQL as the owner role
/// (`HAVEN_MIGRATION_DATABASE_URL`, falling back to `DATABASE_URL` for `haven migrate`).
/// Concurrent replicas are serialised by an advisory lock.
///
/// # Errors
/// When the database cannot be reached or a migration fails.
pub async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    match settings.profile() {
        Profile::Embedded => {
            let db = connect(settings).await?;
            Migrator::up(&db, None)
                .await
                .context("migrating the SQLite database failed")?;
            db.close().await.ok();
        }
        Profile::Postgres => {
            let url = settings
                .database
                .migration_url
                .as_ref()
                .or(settings.database.url.as_ref())
                .context("DATABASE_URL is not set")?;
            // One connection, so the advisory lock and the migrations share a session.
            let db = connect_postgres(url, 1)
                .await
                .context("cannot connect to PostgreSQL as the owner role")?;
            let lock = Statement::from_string(
                DatabaseBackend::Postgres,
                "SELECT pg_advisory_lock(hashtext('haven:migrate'))",
            );
            db.execute_raw(lock).await?;
            let result = Migrator::up(&db, None).await;
            db.execute_unprepared("SELECT pg_advisory_unlock(hashtext('haven:migrate'))")
                .await
                .ok();
            result.context("migrating the PostgreSQL database failed")?;
            db.close().await.ok();
        }
    }
    Ok(())
}

/// A connection as the owner role (`HAVEN_MIGRATION_DATABASE_URL`) on PostgreSQL, for the
/// maintenance only the owner may do (e.g. `ANALYZE`); `None` on the embedded profile or when
/// no owner URL is configured.
///
/// # Errors
/// When the owner URL is set but PostgreSQL cannot be reached with it.
pub async fn owner_connection(settings: &Settings) -> anyhow::Result<Option<DatabaseConnection>> {
    match (settings.profile(), settings.database.migration_url.as_ref()) {
        (Profile::Postgres, Some(url)) => {
            Ok(Some(connect_postgres(url, 1).await.context(
                "cannot connect to PostgreSQL as the owner role",
            )?))
        }
        _ => Ok(None),
    }
}

/// Refuses to serve when migrations are pending or, on PostgreSQL, when the serving role
/// could bypass row-level security (superuser, BYPASSRLS, or owner of a table).
///
/// # Errors
/// Describes what is wrong and how to fix it.
pub async fn check_serving_database(db: &DatabaseConnection) -> anyhow::Result<()> {
    let pending = Migrator::get_pending_migrations_read_only(db)
        .await
        .context("cannot read the migration state")?;
    if !pending.is_empty() {
        bail!(
            "{} migration(s) are pending: set HAVEN_MIGRATION_DATABASE_URL or run `haven migrate`",
            pending.len()
        );
    }
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    let row = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT r.rolsuper, r.rolbypassrls, \
               (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid \
                  AND c.relnamespace = 'public'::regnamespace) AS owned \
             FROM pg_roles r WHERE r.rolname = current_user",
        ))
        .await?
        .context("the current role is missing from pg_roles")?;
    let superuser: bool = row.try_get("", "rolsuper")?;
    let bypass: bool = row.try_get("", "rolbypassrls")?;
    let owned: i64 = row.try_get("", "owned")?;
    if superuser || bypass {
        bail!(
            "DATABASE_URL connects as a role that bypasses row-level security (superuser or BYPASSRLS); \
             create an app role with `haven db bootstrap`"
        );
    }
    if owned > 0 {
        bail!(
            "DATABASE_URL connects as a role that owns tables; serve as the app role and migrate as the \
             owner with HAVEN_MIGRATION_DATABASE_URL (see `haven db bootstrap`)"
        );
    }
    Ok(())
}

/// Creates `path` (and its parents) readable by the owner only, if missing.
///
/// # Errors
/// When the directory cannot be created.
pub fn create_private_dir(path: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder
        .create(path)
        .with_context(|| format!("cannot create the data directory {}", path.display()))
}

/// What `haven db bootstrap` creates.
pub struct BootstrapRequest {
    /// A superuser (or CREATEROLE + CREATEDB) URL.
    pub admin_url: SecretString,
    pub database: String,
    pub owner_role: String,
    pub owner_password: Option<SecretString>,
    pub app_role: String,
    pub app_password: Option<SecretString>,
}

/// The connection URLs of the two roles.
pub struct BootstrapOutcome {
    pub owner_url: SecretString,
    pub app_url: SecretString,
}

fn valid_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && name.len() <= 63
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn quote_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// Creates (or updates) the database, the owner role and the app role, and grants the app
/// role data access to every table the owner creates. Safe to run again.
///
/// # Errors
/// On invalid names or any database error.
pub async fn bootstrap(req: &BootstrapRequest) -> anyhow::Result<BootstrapOutcome> {
    for (what, name) in [
        ("database", &req.database),
        ("owner role", &req.owner_role),
        ("app role", &req.app_role),
    ] {
        if !valid_identifier(name) {
            bail!("the {what} name `{name}` must be lower-case letters, digits and _ (at most 63)");
        }
    }
    if req.owner_role == req.app_role {
        bail!("the owner role and the app role must differ");
    }
    let generate = || SecretString::from(Alphanumeric.sample_string(&mut rand::rng(), 32));
    let owner_password = req.owner_password.clone().unwrap_or_else(generate);
    let app_password = req.app_password.clone().unwrap_or_else(generate);

    let admin = Database::connect(admin_options(req.admin_url.expose_secret())?)
        .await
        .context("cannot connect with --admin-url")?;
    for (role, password) in [
        (&req.owner_role, &owner_password),
        (&req.app_role, &app_password),
    ] {
        let exists = admin
            .query_one_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT 1 AS one FROM pg_roles WHERE rolname = $1",
                [role.as_str().into()],
            ))
            .await?
            .is_some();
        let verb = if exists { "ALTER" } else { "CREATE" };
        admin
            .execute_unprepared(&format!(
                "{verb} ROLE \"{role}\" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD {}",
                quote_literal(password.expose_secret())
            ))
            .await
            .with_context(|| format!("cannot create or update role {role}"))?;
    }
    let db_exists = admin
        .query_one_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT 1 AS one FROM pg_database WHERE datname = $1",
            [req.database.as_str().into()],
        ))
        .await?
        .is_some();
    if !db_exists {
        admin
            .execute_unprepared(&format!(
                "CREATE DATABASE \"{}\" OWNER \"{}\" ENCODING 'UTF8'",
                req.database, req.owner_role
            ))
            .await
            .context("cannot create the database")?;
    }
    admin.close().await.ok();

    let owner_url = with_credentials(
        req.admin_url.expose_secret(),
        &req.owner_role,
        &owner_password,
        &req.database,
    )?;
    let app_url = with_credentials(
        req.admin_url.expose_secret(),
        &req.app_role,
        &app_password,
        &req.database,
    )?;

    // Inside the new database, as the administrator: tighten defaults and grant the app role
    // data access (never DDL) to whatever the owner creates from now on. Migrations narrow
    // this where needed (the audit log is insert-and-read only), so tables are never granted
    // wholesale here: run bootstrap before the first migration.
    let admin_in_db = Database::connect(admin_options(&with_database(
        req.admin_url.expose_secret(),
        &req.database,
    )?)?)
    .await
    .context("cannot connect to the new database with --admin-url")?;
    let (db, owner, app) = (&req.database, &req.owner_role, &req.app_role);
    for sql in [
        format!("ALTER DATABASE \"{db}\" OWNER TO \"{owner}\""),
        format!("REVOKE ALL ON DATABASE \"{db}\" FROM PUBLIC"),
        format!("GRANT CONNECT, TEMPORARY ON DATABASE \"{db}\" TO \"{owner}\""),
        format!("GRANT CONNECT ON DATABASE \"{db}\" TO \"{app}\""),
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC".to_owned(),
        format!("ALTER SCHEMA public OWNER TO \"{owner}\""),
        format!("GRANT USAGE ON SCHEMA public TO \"{app}\""),
        format!(
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"{owner}\" IN SCHEMA public \
             GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO \"{app}\""
        ),
        format!(
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"{owner}\" IN SCHEMA public \
             GRANT USAGE, SELECT ON SEQUENCES TO \"{app}\""
        ),
    ] {
        admin_in_db
            .execute_unprepared(&sql)
            .await
            .with_context(|| {
                format!(
                    "bootstrap step failed: {}",
                    sql.split(" TO ").next().unwrap_or(&sql)
                )
            })?;
    }
    admin_in_db.close().await.ok();
    Ok(BootstrapOutcome {
        owner_url: SecretString::from(owner_url),
        app_url: SecretString::from(app_url),
    })
}

fn admin_options(url: &str) -> anyhow::Result<ConnectOptions> {
    let parsed = url::Url::parse(url).context("--admin-url is not a valid URL")?;
    if !matches!(parsed.scheme(), "postgres" | "postgresql") {
        bail!("--admin-url must be a postgres:// URL");
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    Ok(options)
}

fn with_database(url: &str, database: &str) -> anyhow::Result<String> {
    let mut parsed = url::Url::parse(url).context("--admin-url is not a valid URL")?;
    parsed.set_path(&format!("/{database}"));
    Ok(parsed.to_string())
}

fn with_credentials(
    url: &str,
    role: &str,
    password: &SecretString,
    database: &str,
) -> anyhow::Result<String> {
    let mut parsed = url::Url::parse(&with_database(url, database)?)?;
    parsed
        .set_username(role)
        .map_err(|()| anyhow::anyhow!("cannot put a user name in this URL"))?;
    parsed
        .set_password(Some(password.expose_secret()))
        .map_err(|()| anyhow::anyhow!("cannot put a password in this URL"))?;
    Ok(parsed.to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn identifiers_are_restricted_and_literals_escaped() {
        assert!(valid_identifier("haven_app"));
        assert!(!valid_identifier("Haven"));
        assert!(!valid_identifier("a\"; DROP"));
        assert!(!valid_identifier(""));
        assert_eq!(quote_literal("it's"), "'it''s'");
    }

    #[test]
    fn urls_get_the_role_and_database() {
        let url = with_credentials(
            "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
            "haven_app",
            &SecretString::from("pw"),
            "haven",
        )
        .unwrap();
        assert_eq!(
            url,
            "postgres://haven_app:pw@127.0.0.1:5432/haven?sslmode=disable"
        );
    }
}
