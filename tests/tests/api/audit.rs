//! The audit log: what is recorded, the hash chain, tamper evidence, append-only storage.

use crate::helpers::{DEMO_PASSWORD, Profile, assert_problem, env, spawn_app};
use haven_domain::ids::TenantId;
use sea_orm::{ConnectionTrait as _, Database, DatabaseBackend, Statement};
use std::time::Duration;

async fn events(app: &crate::helpers::TestApp, token: &str, query: &str) -> Vec<serde_json::Value> {
    let page: serde_json::Value = app
        .get_as(&format!("/api/v1/audit-events?{query}"), token)
        .await
        .json()
        .await
        .expect("json");
    page["items"].as_array().expect("items").clone()
}

#[tokio::test]
async fn logins_user_changes_and_onboarding_are_recorded_and_chained() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let bad = app
        .try_login(
            &fixture.admin_email,
            "a wrong passphrase",
            Some(&fixture.slug),
        )
        .await;
    assert_eq!(bad.status().as_u16(), 401);
    let (member_id, _) = app.add_user(&fixture, &["analyst"]).await;
    let token = &fixture.admin.access_token;
    // The background linker chains on its own schedule, beside every other test's tenants:
    // wait until it has chained this one's events rather than for a fixed time.
    let mut all = events(&app, token, "limit=200").await;
    for _ in 0..100 {
        if all.iter().all(|e| e["chain"]["position"].is_i64()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        all = events(&app, token, "limit=200").await;
    }
    let actions: Vec<&str> = all
        .iter()
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    for expected in [
        "tenant.onboarded",
        "auth.login",
        "user.invited",
        "user.password_set",
    ] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    let failed: Vec<_> = all
        .iter()
        .filter(|e| e["action"] == "auth.login" && e["outcome"] == "failure")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["actor_kind"], "anonymous");
    assert!(
        !serde_json::to_string(&all)
            .expect("json")
            .contains("wrong passphrase")
    );
    let invited: Vec<_> = all
        .iter()
        .filter(|e| e["action"] == "user.invited")
        .collect();
    assert_eq!(invited[0]["target_id"], member_id.as_str());

    // Every event is chained, positions 1..n without gaps, newest first.
    let positions: Vec<i64> = all
        .iter()
        .map(|e| e["chain"]["position"].as_i64().expect("linked"))
        .collect();
    let mut sorted = positions.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        (1..=i64::try_from(positions.len()).expect("len")).collect::<Vec<_>>()
    );
    assert_eq!(positions[0], *sorted.last().expect("some"), "newest first");

    // Filters.
    let logins = events(&app, token, "action=auth.login").await;
    assert!(logins.iter().all(|e| e["action"] == "auth.login"));
    let future = events(&app, token, "from=2100-01-01T00:00:00Z").await;
    assert!(future.is_empty());
    let page = events(&app, token, "limit=1").await;
    assert_eq!(page.len(), 1);

    // Only tenant administrators read it.
    let analyst = app
        .login("analyst@demo-be.example", DEMO_PASSWORD, None)
        .await
        .access_token;
    assert_problem(
        app.get_as("/api/v1/audit-events", &analyst).await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn the_chain_verifies_and_a_changed_event_is_found() {
    // On SQLite the tampering below changes the schema, so it gets a database of its own.
    let own_dir = tempfile::tempdir().expect("tempdir");
    let own_dir_text = own_dir.path().display().to_string();
    let app = match env().profile {
        Profile::Postgres => spawn_app().await,
        Profile::Embedded => {
            crate::helpers::spawn_app_with(&[
                ("HAVEN_DATA_DIR", &own_dir_text),
                ("HAVEN_DEMO", "true"),
                ("REDIS_URL", ""),
            ])
            .await
        }
    };
    let fixture = app.onboard().await;
    app.add_user(&fixture, &["trainer"]).await;
    let tenant = TenantId::from_uuid(uuid::Uuid::parse_str(&fixture.id).expect("uuid"));
    haven_domain::audit::link_pending(&app.state.db, tenant)
        .await
        .expect("link");
    let report = haven_domain::audit::verify(&app.state.db, tenant)
        .await
        .expect("verify");
    assert!(report.first_broken.is_none(), "{report:?}");
    assert!(report.linked >= 4);

    // Someone with the owner's powers rewrites history behind the application's back.
    let victim_action = "user.invited";
    match env().profile {
        Profile::Postgres => {
            let owner = Database::connect(env().owner_url.clone().expect("owner"))
                .await
                .expect("owner");
            let txn = haven_domain::tenancy::begin_scoped(&owner, tenant)
                .await
                .expect("begin");
            for sql in [
                "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only".to_owned(),
                format!(
                    "UPDATE audit_events SET outcome = 'denied' WHERE action = '{victim_action}' AND tenant_id = '{}'",
                    fixture.id
                ),
                "ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only".to_owned(),
            ] {
                txn.execute_unprepared(&sql).await.expect("tamper");
            }
            txn.commit().await.expect("commit");
        }
        Profile::Embedded => {
            let db = haven_domain::tenancy::begin(&app.state.db)
                .await
                .expect("begin");
            db.execute_unprepared("DROP TRIGGER audit_events_no_UPDATE")
                .await
                .expect("drop trigger");
            db.execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Sqlite,
                "UPDATE audit_events SET outcome = 'denied' WHERE action = ? AND tenant_id = ?",
                [
                    victim_action.into(),
                    uuid::Uuid::parse_str(&fixture.id).expect("uuid").into(),
                ],
            ))
            .await
            .expect("tamper");
            db.execute_unprepared(
                "CREATE TRIGGER audit_events_no_UPDATE BEFORE UPDATE ON audit_events \
                 BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
            )
            .await
            .expect("restore trigger");
            db.commit().await.expect("commit");
        }
    }
    let report = haven_domain::audit::verify(&app.state.db, tenant)
        .await
        .expect("verify");
    let (position, reason) = report.first_broken.expect("the change is found");
    assert!(position >= 2, "{position}");
    assert!(reason.contains("altered"), "{reason}");
}

#[tokio::test]
async fn the_serving_role_can_neither_change_nor_delete_audit_events() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let db = &app.state.db;
    let tenant = TenantId::from_uuid(uuid::Uuid::parse_str(&fixture.id).expect("uuid"));
    haven_domain::audit::link_pending(db, tenant)
        .await
        .expect("link");
    for sql in [
        "UPDATE audit_events SET outcome = 'success'",
        "DELETE FROM audit_events",
        "DELETE FROM audit_chain",
    ] {
        let txn = haven_domain::tenancy::begin_scoped(db, tenant)
            .await
            .expect("begin");
        let result = txn.execute_unprepared(sql).await;
        assert!(result.is_err(), "{sql} must fail");
    }
    if env().profile == Profile::Postgres {
        let row = db
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Postgres,
                "SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) AS p \
                 FROM information_schema.role_table_grants \
                 WHERE table_name = 'audit_events' AND grantee = current_user",
            ))
            .await
            .expect("query")
            .expect("row");
        assert_eq!(row.try_get::<String>("", "p").expect("p"), "INSERT,SELECT");
    }
}

#[tokio::test]
async fn events_are_chained_in_turn_and_one_committed_late_by_the_full_pass() {
    // Two write transactions open at once: SQLite takes them one after the other.
    if env().profile != Profile::Postgres {
        return;
    }
    use haven_domain::audit::{self, Actor, Event, Outcome};
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let db = &app.state.db;
    let tenant = TenantId::from_uuid(uuid::Uuid::parse_str(&fixture.id).expect("uuid"));
    audit::link_pending(db, tenant).await.expect("link");

    // A transaction records an event and stays open while a later event commits.
    let slow = haven_domain::tenancy::begin_scoped(db, tenant)
        .await
        .expect("begin");
    audit::record(
        &slow,
        tenant,
        Event::new("test.slow", Actor::system(), Outcome::Success),
    )
    .await
    .expect("record");
    tokio::time::sleep(Duration::from_millis(20)).await;
    audit::record_alone(
        db,
        tenant,
        Event::new("test.quick", Actor::system(), Outcome::Success),
    )
    .await
    .expect("record");
    audit::link_new(db, tenant).await.expect("link new");
    slow.commit().await.expect("commit");

    // The pass that follows the chain does not go back for it; the full pass does.
    audit::link_new(db, tenant).await.expect("link new");
    let report = audit::verify(db, tenant).await.expect("verify");
    assert!(report.first_broken.is_none(), "{report:?}");
    assert_eq!(report.unlinked, 1, "{report:?}");
    assert_eq!(audit::link_pending(db, tenant).await.expect("link"), 1);
    let report = audit::verify(db, tenant).await.expect("verify");
    assert!(report.first_broken.is_none(), "{report:?}");
    assert_eq!(report.unlinked, 0, "{report:?}");

    // Later events follow the late one in the chain.
    audit::record_alone(
        db,
        tenant,
        Event::new("test.after", Actor::system(), Outcome::Success),
    )
    .await
    .expect("record");
    // (The server's own linker may chain it first: either way it is chained in turn.)
    audit::link_new(db, tenant).await.expect("link new");
    let report = audit::verify(db, tenant).await.expect("verify");
    assert!(report.first_broken.is_none(), "{report:?}");
    assert_eq!(report.unlinked, 0, "{report:?}");
}
