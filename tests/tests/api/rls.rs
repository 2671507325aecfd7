//! PostgreSQL roles and the row-level security scaffolding: the server serves as an app role
//! that cannot bypass RLS, and `begin_scoped` confines a transaction to one tenant.

use crate::helpers::{Profile, env, spawn_app};
use haven_api::Application;
use haven_api::config::Settings;
use haven_domain::ids::TenantId;
use haven_domain::tenancy::begin_scoped;
use sea_orm::{
    ConnectOptions, ConnectionTrait as _, Database, DatabaseBackend, DatabaseConnection, Statement,
    TransactionTrait as _,
};

async fn connect(url: &str, pool: u32) -> DatabaseConnection {
    let mut options = ConnectOptions::new(url.to_owned());
    options.max_connections(pool).sqlx_logging(false);
    Database::connect(options).await.expect("connect")
}

async fn count(db: &impl sea_orm::ConnectionTrait, table: &str) -> i64 {
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT count(*) AS n FROM {table}"),
    ))
    .await
    .expect("count")
    .expect("row")
    .try_get::<i64>("", "n")
    .expect("n")
}

async fn notes(db: &impl sea_orm::ConnectionTrait, table: &str) -> Vec<String> {
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT note FROM {table} ORDER BY note"),
    ))
    .await
    .expect("select")
    .into_iter()
    .map(|row| row.try_get::<String>("", "note").expect("note"))
    .collect()
}

fn insert(table: &str, tenant: TenantId, note: &str) -> Statement {
    Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        format!("INSERT INTO {table} (tenant_id, id, note) VALUES ($1, $2, $3)"),
        [
            (*tenant.as_uuid()).into(),
            uuid::Uuid::now_v7().into(),
            note.into(),
        ],
    )
}

#[tokio::test]
async fn the_server_serves_as_an_app_role_that_cannot_bypass_rls() {
    let env = env();
    let app = spawn_app().await;
    if env.profile == Profile::Embedded {
        assert_eq!(app.state.db.get_database_backend(), DatabaseBackend::Sqlite);
        return;
    }
    let row = app
        .state
        .db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT current_user AS who, r.rolsuper, r.rolbypassrls, \
               (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid) AS owned \
             FROM pg_roles r WHERE r.rolname = current_user",
        ))
        .await
        .expect("query")
        .expect("row");
    let who: String = row.try_get("", "who").expect("who");
    assert!(who.ends_with("_app"), "serving as {who}");
    assert!(!row.try_get::<bool>("", "rolsuper").expect("super"));
    assert!(!row.try_get::<bool>("", "rolbypassrls").expect("bypass"));
    assert_eq!(
        row.try_get::<i64>("", "owned").expect("owned"),
        0,
        "owns nothing"
    );
}

#[tokio::test]
async fn the_server_refuses_roles_that_could_bypass_rls() {
    let env = env();
    let (Some(admin), Some(owner)) = (&env.admin_url, &env.owner_url) else {
        assert_eq!(env.profile, Profile::Embedded);
        return;
    };
    // A superuser, and the owner of the tables: both refused.
    let database = env.database.as_deref().expect("database");
    let mut superuser = url::Url::parse(admin).expect("url");
    superuser.set_path(&format!("/{database}"));
    for (url, expected) in [
        (superuser.to_string(), "bypasses row-level security"),
        (owner.clone(), "owns tables"),
    ] {
        let vars = env.vars(&[("DATABASE_URL", &url), ("HAVEN_MIGRATION_DATABASE_URL", "")]);
        let err = Application::build(Settings::from_vars(vars).expect("settings"))
            .await
            .err()
            .expect("start-up refused");
        assert!(format!("{err:#}").contains(expected), "{err:#}");
    }
}

#[tokio::test]
async fn a_scoped_transaction_sees_and_writes_only_its_tenant() {
    let env = env();
    let table = format!("rls_probe_{}", uuid::Uuid::now_v7().simple());
    let (a, b) = (TenantId::new(), TenantId::new());

    let (Some(owner_url), Some(app_url)) = (&env.owner_url, &env.app_url) else {
        // SQLite has no RLS: the helper still opens a working transaction, and the explicit
        // tenant filters are the wall there.
        assert_eq!(env.profile, Profile::Embedded);
        let app = spawn_app().await;
        let db = &app.state.db;
        db.execute_unprepared(&format!(
            "CREATE TABLE {table} (tenant_id TEXT NOT NULL, id TEXT NOT NULL, note TEXT, PRIMARY KEY (tenant_id, id))"
        ))
        .await
        .expect("create");
        let txn = begin_scoped(db, a).await.expect("begin");
        txn.execute_unprepared(&format!("INSERT INTO {table} VALUES ('{a}', 'x', 'a1')"))
            .await
            .expect("insert");
        txn.commit().await.expect("commit");
        assert_eq!(notes(db, &table).await, ["a1"]);
        return;
    };

    // The owner creates a tenant-owned table under the same policy every migration uses.
    let owner = connect(owner_url, 1).await;
    owner
        .execute_unprepared(&format!(
            "CREATE TABLE {table} (tenant_id uuid NOT NULL, id uuid NOT NULL, note text NOT NULL, \
             PRIMARY KEY (tenant_id, id))"
        ))
        .await
        .expect("create");
    haven_migration::rls::enable_tenant_rls(&owner, &table)
        .await
        .expect("rls");
    // FORCE applies to the owner too: rows go in through a scoped transaction.
    for (tenant, note) in [(a, "a1"), (a, "a2"), (b, "b1")] {
        let txn = begin_scoped(&owner, tenant).await.expect("begin");
        txn.execute_raw(insert(&table, tenant, note))
            .await
            .expect("insert");
        txn.commit().await.expect("commit");
    }
    assert_eq!(
        count(&owner, &table).await,
        0,
        "unscoped, even the owner sees nothing"
    );

    // The app role, through a pool of one connection so every step reuses it.
    let app = connect(app_url, 1).await;
    let txn = begin_scoped(&app, a).await.expect("begin");
    assert_eq!(notes(&txn, &table).await, ["a1", "a2"]);
    let foreign = txn.execute_raw(insert(&table, b, "smuggled")).await;
    assert!(foreign.is_err(), "writing another tenant's row is refused");
    drop(txn);

    assert_eq!(count(&app, &table).await, 0, "no setting, no rows");

    // A transaction that fails must not carry its tenant into the connection's next use.
    let txn = begin_scoped(&app, a).await.expect("begin");
    assert!(txn.execute_unprepared("SELECT 1/0").await.is_err());
    drop(txn);
    assert_eq!(
        count(&app, &table).await,
        0,
        "the failed transaction's tenant is gone"
    );
    let txn = begin_scoped(&app, b).await.expect("begin");
    assert_eq!(notes(&txn, &table).await, ["b1"]);
    txn.commit().await.expect("commit");
    assert_eq!(count(&app, &table).await, 0);

    // A committed transaction leaves nothing behind either.
    let txn = app.begin().await.expect("begin");
    assert_eq!(count(&txn, &table).await, 0);
    txn.commit().await.expect("commit");

    owner
        .execute_unprepared(&format!("DROP TABLE {table}"))
        .await
        .expect("drop");
}
