//! Start-up of the embedded profile, and what the server refuses to start with.

use crate::helpers::{Profile, env};
use haven_api::Application;
use haven_api::config::Settings;
use sea_orm::{ConnectionTrait as _, DatabaseBackend, Statement};
use std::os::unix::fs::PermissionsExt as _;

/// Variables for an embedded server in `dir`, whatever profile the suite runs.
fn embedded_vars(dir: &std::path::Path) -> Vec<(String, String)> {
    env().vars(&[
        ("HAVEN_DATA_DIR", &dir.display().to_string()),
        ("DATABASE_URL", ""),
        ("HAVEN_MIGRATION_DATABASE_URL", ""),
        ("HAVEN_MASTER_KEY", ""),
        ("REDIS_URL", ""),
    ])
}

async fn pragma(app: &Application, name: &str) -> String {
    let row = app
        .state()
        .db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            format!("PRAGMA {name}"),
        ))
        .await
        .expect("pragma")
        .expect("a row");
    row.try_get_by_index::<String>(0)
        .or_else(|_| row.try_get_by_index::<i64>(0).map(|v| v.to_string()))
        .expect("pragma value")
}

#[tokio::test]
async fn the_embedded_profile_creates_its_directory_key_and_wal_database() {
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join("haven-data");
    let settings = Settings::from_vars(embedded_vars(&dir)).expect("settings");
    let app = Application::build(settings)
        .await
        .expect("starts with no configuration");

    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700, "the data directory is private");
    let key_file = dir.join("master.key");
    assert_eq!(mode(&key_file), 0o600, "the key file is private");
    assert!(dir.join("haven.db").is_file());
    assert_eq!(pragma(&app, "journal_mode").await, "wal");
    assert_eq!(pragma(&app, "foreign_keys").await, "1");
    let migrations = app
        .state()
        .db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT count(*) AS n FROM sqlite_master WHERE name = 'seaql_migrations'",
        ))
        .await
        .expect("query")
        .expect("row");
    assert_eq!(
        migrations.try_get::<i64>("", "n").expect("n"),
        1,
        "migrations ran"
    );
    let first_key = app.state().master_key.id().to_owned();
    let key_text = std::fs::read_to_string(&key_file).expect("key file");
    drop(app);

    // A second start keeps the key it made the first time.
    let settings = Settings::from_vars(embedded_vars(&dir)).expect("settings");
    let again = Application::build(settings).await.expect("restarts");
    assert_eq!(again.state().master_key.id(), first_key);
    assert_eq!(
        std::fs::read_to_string(&key_file).expect("key file"),
        key_text
    );
}

#[tokio::test]
async fn a_key_file_others_can_read_is_refused() {
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join("data");
    std::fs::create_dir_all(&dir).expect("dir");
    let key_file = dir.join("master.key");
    std::fs::write(
        &key_file,
        haven_domain::crypto::MasterKey::generate_base64().expect("key"),
    )
    .expect("write");
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let settings = Settings::from_vars(embedded_vars(&dir)).expect("settings");
    let err = Application::build(settings)
        .await
        .err()
        .expect("a readable key file stops start-up");
    assert!(format!("{err:#}").contains("0600"), "{err:#}");
}

#[tokio::test]
async fn postgres_without_a_configured_master_key_does_not_start() {
    let env = env();
    let Some(app_url) = &env.app_url else {
        // Only the PostgreSQL profile needs a configured key; the embedded one makes its own
        // (checked above).
        assert_eq!(env.profile, Profile::Embedded);
        return;
    };
    let vars = env.vars(&[("DATABASE_URL", app_url), ("HAVEN_MASTER_KEY", "")]);
    let err = Application::build(Settings::from_vars(vars).expect("settings"))
        .await
        .err()
        .expect("start-up refused");
    let text = format!("{err:#}");
    assert!(text.contains("HAVEN_MASTER_KEY"), "{text}");
    assert!(
        !text.contains(app_url.as_str()),
        "the URL (with its password) is not repeated"
    );
}
