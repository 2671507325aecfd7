//! Administrative documents: expiry and follow-up deadlines that follow the document, the
//! procedure step it belongs to, sealed numbers, versions and need to know.

use crate::clients::register;
use crate::helpers::{Fixture, TestApp, assert_problem, spawn_app};
use reqwest::Method;
use sea_orm::{ConnectionTrait as _, DatabaseBackend, Statement};
use serde_json::{Value, json};

fn in_days(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

fn client() -> Value {
    json!({"identity": {"used_name": "Blessing"}, "gender": "female", "birth_year": 1994,
        "trafficking_status": "possible", "nationality": "NG", "languages": ["en"]})
}

/// A residence permit granted ten days ago, valid for `valid_days` from today.
fn permit(number: &str, valid_days: i64) -> Value {
    json!({
        "kind": "residence_permit",
        "status": "granted",
        "number": number,
        "issuing_authority": "Immigration Office",
        "issued_on": in_days(-10),
        "expires_on": in_days(valid_days),
        "procedure_step": "immatriculation_certificate",
        "notes": format!("{number} collected with her lawyer")
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

fn etag_of(response: &reqwest::Response) -> String {
    response.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned()
}

/// Records a granted residence permit on `case`; returns it.
pub async fn record(app: &TestApp, token: &str, case: &str) -> Value {
    let response = send(
        app,
        Method::POST,
        &format!("/api/v1/cases/{case}/documents"),
        token,
        &permit("B 0000001", 180),
    )
    .await;
    assert_eq!(response.status().as_u16(), 201, "record a document");
    response.json().await.expect("json")
}

/// The deadlines of `case` written for `source`, with `status` (`open`, `done`, `cancelled`),
/// as (kind, due_on), sorted.
pub async fn deadlines_of(
    app: &TestApp,
    token: &str,
    case: &str,
    source: &str,
    status: &str,
) -> Vec<(String, String)> {
    let page: Value = app
        .get_as(
            &format!("/api/v1/deadlines?case_id={case}&status={status}"),
            token,
        )
        .await
        .json()
        .await
        .expect("json");
    let mut found: Vec<(String, String)> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|d| d["source"] == source)
        .map(|d| {
            (
                d["kind"].as_str().expect("kind").to_owned(),
                d["due_on"].as_str().expect("due").to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

/// A case worker with a registered client: (token, case id).
async fn worker_with_case(app: &TestApp, fixture: &Fixture) -> (String, String) {
    let (_, tokens) = app.add_user(fixture, &["case_worker"]).await;
    let created = register(app, &tokens.access_token, client()).await;
    (
        tokens.access_token,
        created["case_id"].as_str().expect("case").to_owned(),
    )
}

#[tokio::test]
async fn a_granted_residence_permit_keeps_its_expiry_deadlines_in_line() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (token, case) = worker_with_case(&app, &fixture).await;
    let marker = format!("NR-{}", &uuid::Uuid::now_v7().simple().to_string()[20..]);

    let response = send(
        &app,
        Method::POST,
        &format!("/api/v1/cases/{case}/documents"),
        &token,
        &permit(&marker, 180),
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(response.headers().contains_key("etag"));
    let created: Value = response.json().await.expect("json");
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(location, format!("/api/v1/documents/{id}"));
    assert_eq!(created["number"], marker.as_str());
    assert_eq!(created["procedure_step"], "immatriculation_certificate");
    assert_eq!(created["sealed_shown"], true);
    let source = format!("document:{id}");

    // Granted with an expiry: the expiry and a follow-up 30 days before are in the agenda.
    assert_eq!(
        deadlines_of(&app, &token, &case, &source, "open").await,
        [
            ("document_expiry".to_owned(), in_days(180)),
            ("document_follow_up".to_owned(), in_days(150)),
        ]
    );

    // Lists carry no number; one read opens it, and the reading is audited.
    let list: Value = app
        .get_as(&format!("/api/v1/cases/{case}/documents"), &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["items"][0]["id"], id.as_str());
    assert!(list["items"][0]["number"].is_null());
    let read = app.get_as(&location, &token).await;
    assert_eq!(read.status().as_u16(), 200);
    let etag = etag_of(&read);
    let read: Value = read.json().await.expect("json");
    assert_eq!(read["number"], marker.as_str());
    assert_eq!(read["notes"], format!("{marker} collected with her lawyer"));
    let events: Value = app
        .get_as(
            "/api/v1/audit-events?action=document.sealed_read",
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
            .any(|e| e["target_id"] == id.as_str()),
        "the sealed read is audited"
    );

    // Changes need the version they were based on.
    let change = json!({"expires_on": in_days(270)});
    assert_problem(
        send(&app, Method::PATCH, &location, &token, &change).await,
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        patch(&app, &location, &token, "\"0\"", &change).await,
        412,
        "precondition_failed",
    )
    .await;

    // A new expiry moves both deadlines.
    let read_etag = etag.clone();
    let response = patch(&app, &location, &token, &etag, &change).await;
    assert_eq!(response.status().as_u16(), 200);
    let etag = etag_of(&response);
    assert_eq!(
        deadlines_of(&app, &token, &case, &source, "open").await,
        [
            ("document_expiry".to_owned(), in_days(270)),
            ("document_follow_up".to_owned(), in_days(240)),
        ]
    );
    assert_eq!(
        deadlines_of(&app, &token, &case, &source, "cancelled").await,
        [
            ("document_expiry".to_owned(), in_days(180)),
            ("document_follow_up".to_owned(), in_days(150)),
        ]
    );
    // The version read before the move is stale now.
    let stale = patch(
        &app,
        &location,
        &token,
        &read_etag,
        &json!({"status": "refused"}),
    )
    .await;
    assert_problem(stale, 412, "precondition_failed").await;

    // Refused: nothing left in the agenda.
    let response = patch(
        &app,
        &location,
        &token,
        &etag,
        &json!({"status": "refused"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        deadlines_of(&app, &token, &case, &source, "open")
            .await
            .is_empty()
    );

    // Filters across cases.
    let found = |query: String| {
        let app = &app;
        let token = &token;
        async move {
            let page: Value = app
                .get_as(&format!("/api/v1/documents?{query}"), token)
                .await
                .json()
                .await
                .expect("json");
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|d| d["id"].as_str().expect("id").to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        found("kind=residence_permit&status=refused".into()).await,
        vec![id.clone()]
    );
    assert!(found("status=granted".into()).await.is_empty());
    assert_eq!(
        found(format!("expires_before={}", in_days(300))).await,
        vec![id.clone()]
    );
    assert!(
        found(format!("expires_before={}", in_days(200)))
            .await
            .is_empty()
    );

    // In the database the number and notes are ciphertexts.
    let tenant =
        haven_domain::ids::TenantId::from_uuid(uuid::Uuid::parse_str(&fixture.id).expect("uuid"));
    let txn = haven_domain::tenancy::begin_scoped(&app.state.db, tenant)
        .await
        .expect("begin");
    let backend = txn.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "SELECT number_sealed, notes_sealed, status FROM documents WHERE id = $1"
        }
        _ => "SELECT number_sealed, notes_sealed, status FROM documents WHERE id = ?",
    };
    let row = txn
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [uuid::Uuid::parse_str(&id).expect("uuid").into()],
        ))
        .await
        .expect("select")
        .expect("the document row");
    drop(txn);
    let number: String = row.try_get("", "number_sealed").expect("number");
    let notes: String = row.try_get("", "notes_sealed").expect("notes");
    let status: String = row.try_get("", "status").expect("status");
    assert!(number.starts_with("f1."), "sealed");
    assert!(!number.contains(&marker), "the number is in clear");
    assert!(!notes.contains(&marker), "the notes are in clear");
    assert_eq!(status, "refused", "the status stays in clear");
}

async fn read_again(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    let response = app.get_as(path, token).await;
    assert_eq!(response.status().as_u16(), 200);
    response
}

#[tokio::test]
async fn invalid_documents_are_refused_with_every_field_at_fault() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (token, case) = worker_with_case(&app, &fixture).await;
    let path = format!("/api/v1/cases/{case}/documents");
    let with = |change: &dyn Fn(&mut Value)| {
        let mut body = permit("B 7654321", 90);
        change(&mut body);
        body
    };
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "a step the Belgian procedure does not have",
            with(&|b| b["procedure_step"] = json!("green_card")),
            vec!["procedure_step"],
        ),
        (
            "an expiry before the issue",
            with(&|b| b["expires_on"] = json!(in_days(-20))),
            vec!["expires_on"],
        ),
        (
            "both, and a blank number",
            with(&|b| {
                b["procedure_step"] = json!("green_card");
                b["expires_on"] = json!(in_days(-10));
                b["number"] = json!("  ");
            }),
            vec!["number", "expires_on", "procedure_step"],
        ),
    ];
    for (name, body, fields) in cases {
        let problem = assert_problem(
            send(&app, Method::POST, &path, &token, &body).await,
            422,
            "validation_failed",
        )
        .await;
        let found: Vec<&str> = problem["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["field"].as_str().expect("field"))
            .collect();
        assert_eq!(found, fields, "{name}");
    }
    // A kind outside the vocabulary is refused by shape.
    assert_problem(
        send(
            &app,
            Method::POST,
            &path,
            &token,
            &with(&|b| b["kind"] = json!("passport_photo")),
        )
        .await,
        400,
        "invalid_body",
    )
    .await;

    // A change that would put the expiry before the stored issue date is refused too.
    let created = record(&app, &token, &case).await;
    let item = format!("/api/v1/documents/{}", created["id"].as_str().expect("id"));
    let etag = etag_of(&read_again(&app, &item, &token).await);
    let problem = assert_problem(
        patch(
            &app,
            &item,
            &token,
            &etag,
            &json!({"expires_on": in_days(-30)}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "expires_on");
    // Only the valid one was recorded.
    let list: Value = app.get_as(&path, &token).await.json().await.expect("json");
    assert_eq!(list["items"].as_array().expect("items").len(), 1);
}

#[tokio::test]
async fn documents_are_for_the_case_team() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (token, case) = worker_with_case(&app, &fixture).await;
    let created = record(&app, &token, &case).await;
    let id = created["id"].as_str().expect("id").to_owned();
    let (_, outsider) = app.add_user(&fixture, &["case_worker"]).await;
    let (_, analyst) = app.add_user(&fixture, &["analyst"]).await;

    let probes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("/api/v1/documents/{id}"), None),
        (
            Method::PATCH,
            format!("/api/v1/documents/{id}"),
            Some(json!({"status": "expired"})),
        ),
        (Method::GET, format!("/api/v1/cases/{case}/documents"), None),
        (
            Method::POST,
            format!("/api/v1/cases/{case}/documents"),
            Some(permit("B 1", 30)),
        ),
    ];
    for token in [&outsider.access_token, &analyst.access_token] {
        for (method, path, body) in &probes {
            let mut request = app
                .authed(method.clone(), path, token)
                .header("if-match", "*");
            if let Some(body) = body {
                request = request.json(body);
            }
            let response = request.send().await.expect("request");
            assert_problem(response, 404, "not_found").await;
        }
    }
    // The outsider's list across cases has none of it; the analyst may not list at all.
    let list: Value = app
        .get_as("/api/v1/documents", &outsider.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["items"], json!([]));
    assert_problem(
        app.get_as("/api/v1/documents", &analyst.access_token).await,
        403,
        "forbidden",
    )
    .await;
    // Nothing changed.
    let read: Value = app
        .get_as(&format!("/api/v1/documents/{id}"), &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(read["status"], "granted");
}
