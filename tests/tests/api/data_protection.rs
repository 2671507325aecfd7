//! The data-protection lifecycle: subject access, erasure (one or two administrators), the
//! erasure ledger across a database restore, retention, and the audit log's filters, export
//! and verification.

use crate::clients::register;
use crate::helpers::{Fixture, TestApp, assert_problem, spawn_app, spawn_app_alone};
use haven_domain::dataprot::{TenantRetention, run_retention};
use haven_domain::entities::{case, client, client_key, interview};
use haven_domain::ids::TenantId;
use haven_domain::tenancy::begin_scoped;
use reqwest::Method;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, EntityTrait as _, IntoActiveModel as _,
    QueryFilter as _,
};
use serde_json::{Value, json};
use std::time::Duration;

/// A unique marker, so a name found anywhere is this test's.
fn marker() -> String {
    format!("Zq{}", &uuid::Uuid::now_v7().simple().to_string()[22..])
}

fn details(name: &str) -> Value {
    json!({
        "identity": {
            "legal_given_name": name, "legal_family_name": format!("{name}son"),
            "date_of_birth": "1994-03-02", "phone": "+40712345678",
            "documents": [{"kind": "passport", "number": format!("P-{name}"), "issuing_country": "RO"}]
        },
        "gender": "female", "nationality": "RO", "languages": ["ro"],
        "exploitation_types": ["forced_labour"], "trafficking_status": "actual",
        "trafficking_events": [{"kind": "exploitation", "country": "BE", "from": "2025-01-01", "to": "2025-06-01"}],
        "connected_persons": [{"role": "child", "age_band": "0-8", "name": format!("Child {name}")}]
    })
}

/// A case worker's client with an interview (narrative and consents) and a note, all naming
/// `name`: (client id, case id, interview id).
async fn client_with_history(
    app: &TestApp,
    fixture: &Fixture,
    name: &str,
) -> (String, String, String, String) {
    let (worker_id, worker) = app.add_user(fixture, &["case_worker"]).await;
    let token = worker.access_token;
    let created = register(app, &token, details(name)).await;
    let client = created["client"]["id"].as_str().expect("id").to_owned();
    let case = created["case_id"].as_str().expect("case").to_owned();
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/cases/{case}/interviews"),
            &token,
        )
        .json(&json!({
            "held_on": (chrono::Utc::now().date_naive() - chrono::Duration::days(1)).to_string(),
            "interviewer_ids": [worker_id], "language": "ro", "interpreter_used": false,
            "location_type": "ngo_office", "presumed_victim": "yes", "indicators": {},
            "risks": [{"kind": "traffickers", "level": "high", "note": format!("{name} risk")}],
            "narrative": format!("{name} was promised work abroad."),
            "consents": [{"purpose": "data_processing"}]
        }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201, "interview");
    let interview: Value = response.json().await.expect("json");
    let response = app
        .authed(Method::POST, &format!("/api/v1/cases/{case}/notes"), &token)
        .json(&json!({"body": format!("Called {name} about the hearing.")}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201, "note");
    (
        client,
        case,
        interview["id"].as_str().expect("id").to_owned(),
        token,
    )
}

async fn json_of(app: &TestApp, path: &str, token: &str) -> Value {
    let response = app.get_as(path, token).await;
    assert_eq!(response.status().as_u16(), 200, "GET {path}");
    response.json().await.expect("json")
}

async fn set(app: &TestApp, token: &str, body: Value) {
    let response = app.patch_settings(token, body).await;
    assert_eq!(response.status().as_u16(), 200, "settings");
}

pub(crate) async fn erase(app: &TestApp, token: &str, client: &str) -> reqwest::Response {
    app.authed(
        Method::POST,
        &format!("/api/v1/clients/{client}/erasure"),
        token,
    )
    .json(&json!({"reason": "The client asked to be forgotten."}))
    .send()
    .await
    .expect("request")
}

/// Nothing a reader can get about the client holds `name`.
async fn assert_erased_everywhere(
    app: &TestApp,
    admin: &str,
    client: &str,
    case: &str,
    interview: &str,
    name: &str,
) {
    let read = json_of(app, &format!("/api/v1/clients/{client}"), admin).await;
    assert!(read["erased_at"].is_string(), "{read}");
    assert_eq!(read["identity_shown"], false);
    assert!(read["details"]["identity"]["legal_given_name"].is_null());
    // The statistical attributes stay for the aggregates.
    assert_eq!(read["details"]["gender"], "female");
    assert_eq!(read["details"]["nationality"], "RO");
    assert_eq!(
        read["details"]["exploitation_types"],
        json!(["forced_labour"])
    );
    let mut seen = String::new();
    for path in [
        format!("/api/v1/clients/{client}"),
        format!("/api/v1/clients/{client}/export"),
        format!("/api/v1/interviews/{interview}"),
        format!("/api/v1/cases/{case}/interviews"),
        format!("/api/v1/cases/{case}/notes"),
        format!("/api/v1/cases/{case}/transitions"),
        format!("/api/v1/cases/{case}"),
        "/api/v1/clients?nationality=RO".to_owned(),
    ] {
        let response = app.get_as(&path, admin).await;
        assert_eq!(
            response.status().as_u16(),
            200,
            "{path} answers an erased client"
        );
        seen.push_str(&response.text().await.expect("body"));
    }
    assert!(!seen.contains(name), "the identity is gone");
    let response = app
        .authed(Method::POST, "/api/v1/clients/search", admin)
        .json(&json!({"name": name}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200, "search");
    let found: Value = response.json().await.expect("json");
    assert_eq!(found["items"], json!([]), "no name index is left");
    // The client still counts.
    let listed = json_of(app, "/api/v1/clients?nationality=RO&limit=200", admin).await;
    assert!(
        listed["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|c| c["id"] == client && c["gender"] == "female")
    );
}

async fn events(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    json_of(
        app,
        &format!("/api/v1/audit-events?limit=200&{query}"),
        token,
    )
    .await["items"]
        .as_array()
        .expect("items")
        .clone()
}

#[tokio::test]
async fn the_subject_export_holds_everything_about_the_client_and_is_audited() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let admin = fixture.admin.access_token.clone();
    let name = marker();
    let (client, case, interview, worker) = client_with_history(&app, &fixture, &name).await;

    let response = app
        .get_as(&format!("/api/v1/clients/{client}/export"), &admin)
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["cache-control"], "no-store");
    assert!(
        headers["content-disposition"]
            .to_str()
            .expect("text")
            .starts_with("attachment;")
    );
    let export: Value = response.json().await.expect("json");
    assert_eq!(export["client"]["id"], client.as_str());
    assert_eq!(
        export["client"]["details"]["identity"]["legal_given_name"],
        name.as_str()
    );
    assert_eq!(
        export["client"]["details"]["connected_persons"][0]["name"],
        format!("Child {name}")
    );
    assert_eq!(export["cases"][0]["id"], case.as_str());
    assert_eq!(export["interviews"][0]["id"], interview.as_str());
    assert_eq!(
        export["interviews"][0]["narrative"],
        format!("{name} was promised work abroad.")
    );
    assert_eq!(export["consents"].as_array().expect("consents").len(), 1);
    assert_eq!(
        export["notes"][0]["body"],
        format!("Called {name} about the hearing.")
    );
    assert!(!export["transitions"].as_array().expect("moves").is_empty());
    let actions: Vec<&str> = export["audit_events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    assert!(actions.contains(&"client.created"), "{actions:?}");
    assert!(actions.contains(&"case.opened"), "{actions:?}");

    // The export is audited, without the name.
    let exported = events(
        &app,
        &admin,
        &format!("action=client.exported&target_id={client}"),
    )
    .await;
    assert_eq!(exported.len(), 1);
    assert!(
        !serde_json::to_string(&exported)
            .expect("json")
            .contains(&name)
    );

    // Only administrators export; another organisation's administrator finds nothing.
    let analyst = app.add_user(&fixture, &["analyst"]).await.1.access_token;
    let manager = app
        .add_user(&fixture, &["shelter_manager"])
        .await
        .1
        .access_token;
    for token in [&worker, &analyst, &manager] {
        assert_problem(
            app.get_as(&format!("/api/v1/clients/{client}/export"), token)
                .await,
            403,
            "forbidden",
        )
        .await;
    }
    let other = app.onboard().await;
    assert_problem(
        app.get_as(
            &format!("/api/v1/clients/{client}/export"),
            &other.admin.access_token,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        erase(&app, &other.admin.access_token, &client).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn one_administrator_erases_a_client_and_no_endpoint_shows_them_again() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let admin = fixture.admin.access_token.clone();
    let name = marker();
    let (client, case, interview, worker) = client_with_history(&app, &fixture, &name).await;

    // A reason is required; a case worker may not erase.
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/clients/{client}/erasure"),
            &admin,
        )
        .json(&json!({"reason": "  "}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 422, "validation_failed").await;
    assert_problem(erase(&app, &worker, &client).await, 403, "forbidden").await;

    let response = erase(&app, &admin, &client).await;
    assert_eq!(response.status().as_u16(), 201);
    let erasure: Value = response.json().await.expect("json");
    assert_eq!(erasure["status"], "completed");
    assert!(erasure["reason"].is_null());

    assert_erased_everywhere(&app, &admin, &client, &case, &interview, &name).await;
    let export = json_of(&app, &format!("/api/v1/clients/{client}/export"), &admin).await;
    assert!(export["client"]["erased_at"].is_string());
    assert!(export["interviews"][0]["narrative"].is_null());
    assert!(export["notes"][0]["body"].is_null());

    // Writes that need the identity are refused; erasing again too.
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/cases/{case}/notes"),
            &worker,
        )
        .json(&json!({"body": "After the erasure"}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 409, "client_erased").await;
    // So are a task's details on the case, which the client's key would seal.
    let admin_id = json_of(&app, "/api/v1/me", &admin).await["id"].clone();
    let response = app
        .authed(Method::POST, "/api/v1/tasks", &admin)
        .json(&json!({"title": "Accompany to the office", "case_id": case,
            "assignee_id": admin_id, "due_at": "2030-01-01T09:00:00Z", "details": "Sealed detail"}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 409, "client_erased").await;
    assert_problem(erase(&app, &admin, &client).await, 409, "client_erased").await;

    let erased = events(
        &app,
        &admin,
        &format!("action=client.erased&target_id={client}"),
    )
    .await;
    assert_eq!(erased.len(), 1);
    assert_eq!(erased[0]["details"]["approval"], "single");
}

#[tokio::test]
async fn with_the_two_person_rule_another_administrator_must_approve() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let first = fixture.admin.access_token.clone();
    let second = app
        .add_user(&fixture, &["tenant_admin"])
        .await
        .1
        .access_token;
    set(&app, &first, json!({"two_person_erasure": true})).await;
    let name = marker();
    let (client, case, interview, _) = client_with_history(&app, &fixture, &name).await;

    let response = erase(&app, &first, &client).await;
    assert_eq!(response.status().as_u16(), 202);
    let pending: Value = response.json().await.expect("json");
    assert_eq!(pending["status"], "pending");
    let id = pending["id"].as_str().expect("id").to_owned();
    assert_problem(erase(&app, &second, &client).await, 409, "erasure_pending").await;

    let listed = json_of(&app, "/api/v1/erasures", &second).await;
    assert_eq!(listed["items"][0]["id"], id.as_str());
    assert_eq!(
        listed["items"][0]["reason"],
        "The client asked to be forgotten."
    );

    // The requester cannot approve; nothing is erased yet.
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/erasures/{id}/approve"),
            &first,
        )
        .send()
        .await
        .expect("request");
    assert_problem(response, 409, "second_administrator_required").await;
    let read = json_of(&app, &format!("/api/v1/clients/{client}"), &first).await;
    assert_eq!(
        read["details"]["identity"]["legal_given_name"],
        name.as_str()
    );

    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/erasures/{id}/approve"),
            &second,
        )
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201);
    let done: Value = response.json().await.expect("json");
    assert_eq!(done["status"], "completed");
    assert!(done["approved_by"].is_string());
    assert_ne!(done["approved_by"], done["requested_by"]);
    assert_erased_everywhere(&app, &first, &client, &case, &interview, &name).await;
    let listed = json_of(&app, "/api/v1/erasures", &second).await;
    assert_eq!(listed["items"], json!([]));
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/erasures/{id}/approve"),
            &second,
        )
        .send()
        .await
        .expect("request");
    assert_problem(response, 409, "erasure_not_pending").await;
    let refused = events(&app, &first, "action=client.erasure_approved").await;
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0]["outcome"], "denied");
}

#[tokio::test]
async fn a_database_restored_from_before_the_erasure_does_not_bring_the_client_back() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let admin = fixture.admin.access_token.clone();
    let name = marker();
    let (client, case, interview, _) = client_with_history(&app, &fixture, &name).await;
    let tenant = TenantId::from_uuid(fixture.id.parse().expect("uuid"));
    let client_id: uuid::Uuid = client.parse().expect("uuid");

    // The dump: the client's rows as they were before the erasure.
    let txn = begin_scoped(&app.state.db, tenant).await.expect("txn");
    let key_row = client_key::Entity::scoped(tenant)
        .filter(client_key::Column::ClientId.eq(client_id))
        .one(&txn)
        .await
        .expect("key")
        .expect("a data key");
    let client_row = client::Entity::scoped(tenant)
        .filter(client::Column::Id.eq(client_id))
        .one(&txn)
        .await
        .expect("client")
        .expect("row");
    let interview_row = interview::Entity::scoped(tenant)
        .filter(interview::Column::ClientId.eq(client_id))
        .one(&txn)
        .await
        .expect("interview")
        .expect("row");
    txn.commit().await.expect("commit");

    assert_eq!(erase(&app, &admin, &client).await.status().as_u16(), 201);

    // The restore: the old rows back, data key included.
    let txn = begin_scoped(&app.state.db, tenant).await.expect("txn");
    key_row
        .clone()
        .into_active_model()
        .reset_all()
        .insert(&txn)
        .await
        .expect("restore the key");
    client_row
        .clone()
        .into_active_model()
        .reset_all()
        .update(&txn)
        .await
        .expect("restore the client");
    interview_row
        .clone()
        .into_active_model()
        .reset_all()
        .update(&txn)
        .await
        .expect("restore the interview");
    txn.commit().await.expect("commit");
    // Restored as it was, the identity would open again.
    let restored = json_of(&app, &format!("/api/v1/clients/{client}"), &admin).await;
    assert_eq!(
        restored["details"]["identity"]["legal_given_name"],
        name.as_str()
    );

    // A server started with the current keys re-applies the ledger before serving.
    let again = spawn_app().await;
    let admin = again
        .login(
            &fixture.admin_email,
            crate::helpers::FIXTURE_PASSWORD,
            Some(&fixture.slug),
        )
        .await
        .access_token;
    assert_erased_everywhere(&again, &admin, &client, &case, &interview, &name).await;
    let txn = begin_scoped(&again.state.db, tenant).await.expect("txn");
    let keys = client_key::Entity::scoped(tenant)
        .filter(client_key::Column::ClientId.eq(client_id))
        .all(&txn)
        .await
        .expect("keys");
    txn.commit().await.expect("commit");
    assert!(keys.is_empty(), "the data key is destroyed again");
    let reapplied = events(
        &again,
        &admin,
        &format!("action=client.erasure_reapplied&target_id={client}"),
    )
    .await;
    assert!(!reapplied.is_empty());
}

/// What `haven retention run [--dry-run] --tenant <slug>` does (it calls the same function),
/// in this process: a second process writing to the busy embedded database of the suite would
/// wait on its lock.
pub(crate) async fn retention(app: &TestApp, slug: &str, dry_run: bool) -> TenantRetention {
    let report = run_retention(
        &app.state.db,
        &app.state.master_key,
        &app.state.ledger,
        Some(slug),
        dry_run,
    )
    .await
    .expect("retention run");
    assert_eq!(report.dry_run, dry_run);
    assert_eq!(report.tenants.len(), 1);
    report.tenants[0].clone()
}

/// Closes every case of `client` at `closed_at`, as if long ago.
async fn close_at(
    app: &TestApp,
    tenant: TenantId,
    client: &str,
    closed_at: chrono::DateTime<chrono::Utc>,
) {
    let txn = begin_scoped(&app.state.db, tenant).await.expect("txn");
    case::Entity::update_many()
        .col_expr(
            case::Column::Stage,
            sea_orm::sea_query::Expr::value("closed"),
        )
        .col_expr(
            case::Column::ClosureReason,
            sea_orm::sea_query::Expr::value("other"),
        )
        .col_expr(
            case::Column::ClosedAt,
            sea_orm::sea_query::Expr::value(closed_at),
        )
        .filter(case::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(case::Column::ClientId.eq(client.parse::<uuid::Uuid>().expect("uuid")))
        .exec(&txn)
        .await
        .expect("close");
    txn.commit().await.expect("commit");
}

/// Registers a client whose names carry `name`; returns its id.
async fn registered(app: &TestApp, admin: &str, name: &str) -> String {
    register(app, admin, details(name)).await["client"]["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

async fn given_name(app: &TestApp, admin: &str, client: &str) -> Value {
    json_of(app, &format!("/api/v1/clients/{client}"), admin).await["details"]["identity"]
        ["legal_given_name"]
        .clone()
}

#[tokio::test]
async fn retention_erases_exactly_the_clients_whose_cases_closed_long_ago() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let admin = fixture.admin.access_token.clone();
    let tenant = TenantId::from_uuid(fixture.id.parse().expect("uuid"));
    set(&app, &admin, json!({"retention_years": 2})).await;
    let settings = json_of(&app, "/api/v1/settings", &admin).await;
    assert_eq!(settings["retention_years"], 2);
    let now = chrono::Utc::now();
    let (old, recent, open) = (marker(), marker(), marker());
    let old_id = registered(&app, &admin, &old).await;
    let recent_id = registered(&app, &admin, &recent).await;
    let open_id = registered(&app, &admin, &open).await;
    close_at(&app, tenant, &old_id, now - chrono::Duration::days(3 * 366)).await;
    close_at(&app, tenant, &recent_id, now - chrono::Duration::days(300)).await;

    let dry = retention(&app, &fixture.slug, true).await;
    assert_eq!(
        (dry.retention_years, dry.expired, dry.erased),
        (Some(2), 1, 0)
    );
    assert_eq!(
        given_name(&app, &admin, &old_id).await,
        old.as_str(),
        "a dry run changes nothing"
    );

    let run = retention(&app, &fixture.slug, false).await;
    assert_eq!(
        (run.retention_years, run.expired, run.erased),
        (Some(2), 1, 1)
    );
    assert!(given_name(&app, &admin, &old_id).await.is_null());
    assert_eq!(given_name(&app, &admin, &recent_id).await, recent.as_str());
    assert_eq!(given_name(&app, &admin, &open_id).await, open.as_str());
    let erased = events(&app, &admin, "action=client.erased").await;
    assert_eq!(erased.len(), 1);
    assert_eq!(erased[0]["actor_kind"], "system");
    assert_eq!(erased[0]["target_id"], old_id.as_str());

    // A second run finds nothing more.
    let again = retention(&app, &fixture.slug, false).await;
    assert_eq!((again.expired, again.erased), (0, 0));
    assert_eq!(given_name(&app, &admin, &recent_id).await, recent.as_str());
}

#[tokio::test]
async fn the_server_erases_expired_clients_on_its_own_schedule() {
    // Its scheduled run visits every organisation it can see, so it gets a store of its own.
    let app = spawn_app_alone(&[("HAVEN_RETENTION_INTERVAL_SECS", "1")]).await;
    let fixture = app.onboard().await;
    let admin = fixture.admin.access_token.clone();
    let tenant = TenantId::from_uuid(fixture.id.parse().expect("uuid"));
    set(&app, &admin, json!({"retention_years": 2})).await;
    let (expired, open) = (marker(), marker());
    let expired_id = registered(&app, &admin, &expired).await;
    let open_id = registered(&app, &admin, &open).await;
    close_at(
        &app,
        tenant,
        &expired_id,
        chrono::Utc::now() - chrono::Duration::days(800),
    )
    .await;
    let mut name = given_name(&app, &admin, &expired_id).await;
    for _ in 0..60 {
        if name.is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
        name = given_name(&app, &admin, &expired_id).await;
    }
    assert!(
        name.is_null(),
        "the scheduled run erased the expired client"
    );
    assert_eq!(given_name(&app, &admin, &open_id).await, open.as_str());
    let erased = events(&app, &admin, "action=client.erased").await;
    assert_eq!(erased.len(), 1);
    assert_eq!(erased[0]["actor_kind"], "system");
    assert_eq!(erased[0]["target_id"], expired_id.as_str());
}

#[tokio::test]
async fn administrators_filter_and_export_the_audit_log_and_the_chain_verifies() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let admin = fixture.admin.access_token.clone();
    let name = marker();
    let (client, _, _, _) = client_with_history(&app, &fixture, &name).await;
    assert_eq!(
        app.get_as(&format!("/api/v1/clients/{client}/export"), &admin)
            .await
            .status()
            .as_u16(),
        200
    );
    assert_eq!(erase(&app, &admin, &client).await.status().as_u16(), 201);

    let about = events(
        &app,
        &admin,
        &format!("target_type=client&target_id={client}"),
    )
    .await;
    let actions: Vec<&str> = about
        .iter()
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    for expected in ["client.created", "client.exported", "client.erased"] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    assert!(about.iter().all(|e| e["target_id"] == client.as_str()));
    let from = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let later = events(
        &app,
        &admin,
        &format!("target_id={client}&from={}", urlencode(&from)),
    )
    .await;
    assert!(later.is_empty(), "the period filter applies");

    let response = app
        .get_as(
            &format!("/api/v1/audit-events/export?target_id={client}"),
            &admin,
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("text")
            .starts_with("text/csv")
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .expect("text")
            .starts_with("attachment;")
    );
    let csv = response.text().await.expect("csv");
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .expect("header")
            .starts_with("id,occurred_at,actor_kind")
    );
    assert_eq!(lines.count(), about.len(), "{csv}");
    assert!(csv.contains("client.erased"));
    assert!(!csv.contains(&name));
    let exported = events(&app, &admin, "action=audit.exported").await;
    assert_eq!(exported.len(), 1);

    let analyst = app.add_user(&fixture, &["analyst"]).await.1.access_token;
    assert_problem(
        app.get_as("/api/v1/audit-events/export", &analyst).await,
        403,
        "forbidden",
    )
    .await;

    // Every event is chained and the chain holds.
    let mut all = events(&app, &admin, "").await;
    for _ in 0..100 {
        if all.iter().all(|e| e["chain"]["position"].is_i64()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        all = events(&app, &admin, "").await;
    }
    // What `haven audit verify` does.
    let tenant = TenantId::from_uuid(fixture.id.parse().expect("uuid"));
    haven_domain::audit::link_pending(&app.state.db, tenant)
        .await
        .expect("link");
    let report = haven_domain::audit::verify(&app.state.db, tenant)
        .await
        .expect("verify");
    assert_eq!(report.first_broken, None);
    assert_eq!(report.unlinked, 0);
    assert!(report.linked as usize >= all.len());
}

fn urlencode(text: &str) -> String {
    text.replace('+', "%2B").replace(':', "%3A")
}

/// Turns the two-person rule on and asks for the erasure of a new client, which then waits.
pub async fn give_a_pending_erasure(app: &TestApp, admin: &str) {
    set(app, admin, json!({"two_person_erasure": true})).await;
    let client = register(app, admin, details(&marker())).await["client"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(erase(app, admin, &client).await.status().as_u16(), 202);
}
