//! Legal proceedings: contacts with sealed names, sealed references, hearings and their
//! deadline, versions and need to know.

use crate::clients::register;
use crate::documents::deadlines_of;
use crate::helpers::{TestApp, assert_problem, spawn_app};
use reqwest::Method;
use sea_orm::{ConnectionTrait as _, DatabaseBackend, Statement};
use serde_json::{Value, json};

fn in_days(days: i64) -> chrono::NaiveDate {
    chrono::Utc::now().date_naive() + chrono::Duration::days(days)
}

/// 09:00 UTC `days` from today: the same day in every European time zone.
fn morning(days: i64) -> String {
    format!("{}T09:00:00Z", in_days(days))
}

fn proceeding(reference: &str, lawyer: &str) -> Value {
    json!({
        "type": "criminal_complaint",
        "status": "investigation",
        "reference": reference,
        "jurisdiction": "Public prosecutor, Antwerp",
        "client_role": "civil_party",
        "contacts": [
            {"role": "police_unit", "organisation": "Federal Judicial Police Antwerp"},
            {"role": "lawyer", "name": lawyer, "organisation": "Bar of Antwerp",
             "directory_organisation_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a99"}
        ]
    })
}

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: &Value,
) -> reqwest::Response {
    app.authed(method, path, token)
        .json(body)
        .send()
        .await
        .expect("request")
}

async fn patch(
    app: &TestApp,
    path: &str,
    token: &str,
    etag: &str,
    body: &Value,
) -> reqwest::Response {
    app.authed(Method::PATCH, path, token)
        .header("if-match", etag)
        .json(body)
        .send()
        .await
        .expect("request")
}

async fn created(response: reqwest::Response, what: &str) -> Value {
    assert_eq!(response.status().as_u16(), 201, "record {what}");
    response.json().await.expect("json")
}

/// Records a proceeding on `case` with a hearing scheduled in three weeks: (proceeding,
/// hearing).
pub async fn record(app: &TestApp, token: &str, case: &str) -> (Value, Value) {
    let proceeding = created(
        send(
            app,
            Method::POST,
            &format!("/api/v1/cases/{case}/proceedings"),
            token,
            &proceeding("AN.12.L1.000001/26", "Maître Janssens"),
        )
        .await,
        "a proceeding",
    )
    .await;
    let id = proceeding["id"].as_str().expect("id");
    let hearing = created(
        send(
            app,
            Method::POST,
            &format!("/api/v1/proceedings/{id}/hearings"),
            token,
            &json!({"held_at": morning(21), "place": "Antwerp Criminal Court", "status": "scheduled"}),
        )
        .await,
        "a hearing",
    )
    .await;
    (proceeding, hearing)
}

async fn worker_with_case(app: &TestApp, fixture: &crate::helpers::Fixture) -> (String, String) {
    let (_, tokens) = app.add_user(fixture, &["case_worker"]).await;
    let created = register(
        app,
        &tokens.access_token,
        json!({"gender": "male", "birth_year": 1988, "trafficking_status": "possible"}),
    )
    .await;
    (
        tokens.access_token,
        created["case_id"].as_str().expect("case").to_owned(),
    )
}

#[tokio::test]
async fn a_proceeding_keeps_its_contacts_sealed_and_its_hearings_in_the_agenda() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (token, case) = worker_with_case(&app, &fixture).await;
    let marker = uuid::Uuid::now_v7().simple().to_string()[20..].to_owned();
    let reference = format!("REF-{marker}");
    let lawyer = format!("Maître Lawyer-{marker}");

    let response = send(
        &app,
        Method::POST,
        &format!("/api/v1/cases/{case}/proceedings"),
        &token,
        &proceeding(&reference, &lawyer),
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    assert!(response.headers().contains_key("etag"));
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let created_proceeding: Value = response.json().await.expect("json");
    let id = created_proceeding["id"].as_str().expect("id").to_owned();
    assert_eq!(location, format!("/api/v1/proceedings/{id}"));
    assert_eq!(created_proceeding["type"], "criminal_complaint");
    assert_eq!(created_proceeding["reference"], reference.as_str());
    assert_eq!(created_proceeding["contacts"][1]["name"], lawyer.as_str());

    // Lists carry no reference or names; one read opens them, audited.
    let list: Value = app
        .get_as(&format!("/api/v1/cases/{case}/proceedings"), &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["items"][0]["id"], id.as_str());
    assert!(list["items"][0]["reference"].is_null());
    assert!(list["items"][0]["contacts"][1]["name"].is_null());
    assert_eq!(
        list["items"][0]["contacts"][1]["organisation"],
        "Bar of Antwerp"
    );
    let read: Value = app
        .get_as(&location, &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(read["reference"], reference.as_str());
    assert_eq!(read["contacts"][1]["name"], lawyer.as_str());
    assert_eq!(
        read["contacts"][1]["directory_organisation_id"],
        "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a99"
    );
    let events: Value = app
        .get_as(
            "/api/v1/audit-events?action=legal_proceeding.sealed_read",
            &fixture.admin.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert!(
        events["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|e| e["target_id"] == id.as_str())
    );

    // Versions: 428 without If-Match, 412 on a stale one, 200 with the current one.
    let change = json!({"status": "trial", "client_role": "witness"});
    assert_problem(
        send(&app, Method::PATCH, &location, &token, &change).await,
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        patch(&app, &location, &token, "\"1\"", &change).await,
        412,
        "precondition_failed",
    )
    .await;
    let current = app.etag_of(&location, &token).await;
    let response = patch(&app, &location, &token, &current, &change).await;
    assert_eq!(response.status().as_u16(), 200);
    let updated: Value = response.json().await.expect("json");
    assert_eq!(updated["status"], "trial");
    assert_eq!(updated["client_role"], "witness");
    assert_eq!(updated["contacts"][1]["name"], lawyer.as_str());

    // A scheduled hearing is a deadline on its day.
    let hearing = created(
        send(
            &app,
            Method::POST,
            &format!("/api/v1/proceedings/{id}/hearings"),
            &token,
            &json!({"held_at": morning(20), "place": "Antwerp Criminal Court, room 3",
                "status": "scheduled"}),
        )
        .await,
        "a hearing",
    )
    .await;
    let hearing_id = hearing["id"].as_str().expect("id").to_owned();
    let source = format!("hearing:{hearing_id}");
    let agenda = |status: &'static str| {
        let (app, token, case, source) = (&app, &token, &case, &source);
        async move { deadlines_of(app, token, case, source, status).await }
    };
    assert_eq!(
        agenda("open").await,
        [("hearing".to_owned(), in_days(20).to_string())]
    );
    let hearings: Value = app
        .get_as(&format!("/api/v1/proceedings/{id}/hearings"), &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(hearings["items"][0]["id"], hearing_id.as_str());

    // Moved: the deadline moves. Held: it is done, and the outcome is sealed.
    let path = format!("/api/v1/hearings/{hearing_id}");
    let current = app.etag_of(&path, &token).await;
    let response = patch(
        &app,
        &path,
        &token,
        &current,
        &json!({"held_at": morning(27)}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        agenda("open").await,
        [("hearing".to_owned(), in_days(27).to_string())]
    );
    assert_eq!(
        agenda("cancelled").await,
        [("hearing".to_owned(), in_days(20).to_string())]
    );
    let outcome = format!("Outcome-{marker}: heard as a witness");
    let current = app.etag_of(&path, &token).await;
    let response = patch(
        &app,
        &path,
        &token,
        &current,
        &json!({"status": "held", "outcome": outcome}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(agenda("open").await.is_empty());
    assert_eq!(
        agenda("done").await,
        [("hearing".to_owned(), in_days(27).to_string())]
    );
    let read: Value = app.get_as(&path, &token).await.json().await.expect("json");
    assert_eq!(read["outcome"], outcome.as_str());
    assert_eq!(read["status"], "held");

    // In the database: the reference, the names and the outcome are ciphertexts.
    let tenant =
        haven_domain::ids::TenantId::from_uuid(uuid::Uuid::parse_str(&fixture.id).expect("uuid"));
    let txn = haven_domain::tenancy::begin_scoped(&app.state.db, tenant)
        .await
        .expect("begin");
    let backend = txn.get_database_backend();
    let (proceeding_sql, hearing_sql) = match backend {
        DatabaseBackend::Postgres => (
            "SELECT reference_sealed, contacts FROM legal_proceedings WHERE id = $1",
            "SELECT outcome_sealed FROM hearings WHERE id = $1",
        ),
        _ => (
            "SELECT reference_sealed, contacts FROM legal_proceedings WHERE id = ?",
            "SELECT outcome_sealed FROM hearings WHERE id = ?",
        ),
    };
    let uuid = |s: &str| uuid::Uuid::parse_str(s).expect("uuid");
    let row = txn
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            proceeding_sql,
            [uuid(&id).into()],
        ))
        .await
        .expect("select")
        .expect("the proceeding row");
    let stored_hearing = txn
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            hearing_sql,
            [uuid(&hearing_id).into()],
        ))
        .await
        .expect("select")
        .expect("the hearing row");
    drop(txn);
    let stored_reference: String = row.try_get("", "reference_sealed").expect("reference");
    let contacts: String = row.try_get("", "contacts").expect("contacts");
    let stored_outcome: String = stored_hearing
        .try_get("", "outcome_sealed")
        .expect("outcome");
    assert!(stored_reference.starts_with("f1."));
    for text in [&stored_reference, &contacts, &stored_outcome] {
        assert!(!text.contains(&marker), "sealed text is in clear");
    }
    assert!(
        contacts.contains("Bar of Antwerp"),
        "organisations stay in clear"
    );
}

#[tokio::test]
async fn invalid_proceedings_and_hearings_name_every_field_at_fault() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (token, case) = worker_with_case(&app, &fixture).await;
    let mut body = proceeding("R", "L");
    body["jurisdiction"] = json!("x".repeat(201));
    body["contacts"] = json!([{"role": "court"}, {"role": "lawyer", "name": ""}]);
    let problem = assert_problem(
        send(
            &app,
            Method::POST,
            &format!("/api/v1/cases/{case}/proceedings"),
            &token,
            &body,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["jurisdiction", "contacts[0]", "contacts[1].name"]);

    let (proceeding, _) = record(&app, &token, &case).await;
    let id = proceeding["id"].as_str().expect("id");
    let problem = assert_problem(
        send(
            &app,
            Method::POST,
            &format!("/api/v1/proceedings/{id}/hearings"),
            &token,
            &json!({"held_at": "1990-01-01T09:00:00Z", "place": "", "status": "scheduled"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["held_at", "place"]);
}

#[tokio::test]
async fn proceedings_and_hearings_are_for_the_case_team() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (token, case) = worker_with_case(&app, &fixture).await;
    let (proceeding, hearing) = record(&app, &token, &case).await;
    let id = proceeding["id"].as_str().expect("id");
    let hearing_id = hearing["id"].as_str().expect("id");
    let (_, outsider) = app.add_user(&fixture, &["case_worker"]).await;
    let (_, analyst) = app.add_user(&fixture, &["analyst"]).await;
    let foreign_admin = app.onboard().await.admin.access_token;

    let probes: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::GET,
            format!("/api/v1/cases/{case}/proceedings"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{case}/proceedings"),
            Some(proceeding_body()),
        ),
        (Method::GET, format!("/api/v1/proceedings/{id}"), None),
        (
            Method::PATCH,
            format!("/api/v1/proceedings/{id}"),
            Some(json!({"status": "closed"})),
        ),
        (
            Method::GET,
            format!("/api/v1/proceedings/{id}/hearings"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/proceedings/{id}/hearings"),
            Some(json!({"held_at": morning(5), "status": "scheduled"})),
        ),
        (Method::GET, format!("/api/v1/hearings/{hearing_id}"), None),
        (
            Method::PATCH,
            format!("/api/v1/hearings/{hearing_id}"),
            Some(json!({"status": "cancelled"})),
        ),
    ];
    for who in [
        &outsider.access_token,
        &analyst.access_token,
        &foreign_admin,
    ] {
        for (method, path, body) in &probes {
            let mut request = app
                .authed(method.clone(), path, who)
                .header("if-match", "*");
            if let Some(body) = body {
                request = request.json(body);
            }
            let response = request.send().await.expect("request");
            assert_problem(response, 404, "not_found").await;
        }
    }
    // Nothing changed, and the hearing's deadline is still open.
    let read: Value = app
        .get_as(&format!("/api/v1/hearings/{hearing_id}"), &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(read["status"], "scheduled");
    assert_eq!(
        deadlines_of(
            &app,
            &token,
            &case,
            &format!("hearing:{hearing_id}"),
            "open"
        )
        .await
        .len(),
        1
    );
    let read: Value = app
        .get_as(&format!("/api/v1/proceedings/{id}"), &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(read["status"], "investigation");
    // The analyst's refusal on the agenda is a 403: aggregates only.
    assert_problem(
        app.get_as("/api/v1/deadlines", &analyst.access_token).await,
        403,
        "forbidden",
    )
    .await;
}

fn proceeding_body() -> Value {
    proceeding("R-2", "Someone")
}
