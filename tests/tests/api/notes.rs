//! Case notes: sealed bodies, visibility, and corrections that keep the history.

use crate::clients::register;
use crate::helpers::{TestApp, assert_problem, spawn_app};
use reqwest::Method;
use sea_orm::{ConnectionTrait as _, Statement};
use serde_json::{Value, json};

async fn write(app: &TestApp, token: &str, case: &str, body: Value) -> reqwest::Response {
    app.authed(Method::POST, &format!("/api/v1/cases/{case}/notes"), token)
        .json(&body)
        .send()
        .await
        .expect("request")
}

/// Gives `token`'s first visible case a note; returns the note id.
pub async fn add_a_note(app: &TestApp, token: &str, case: &str) -> String {
    let response = write(app, token, case, json!({"body": "A note for the record."})).await;
    assert_eq!(response.status().as_u16(), 201, "note");
    let note: Value = response.json().await.expect("json");
    note["note_id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn notes_are_sealed_corrected_by_versions_and_keep_their_history() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (_, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let token = worker.access_token;
    let created = register(
        &app,
        &token,
        json!({"gender": "female", "trafficking_status": "possible"}),
    )
    .await;
    let case = created["case_id"].as_str().expect("case").to_owned();
    let marker = format!(
        "NoteMarker{}",
        &uuid::Uuid::now_v7().simple().to_string()[24..]
    );

    let response = write(
        &app,
        &token,
        &case,
        json!({"body": format!("First words {marker}")}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    let etag = response.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let note: Value = response.json().await.expect("json");
    assert_eq!(note["version"], 1);

    // Sealed in the database.
    let tenant =
        haven_domain::ids::TenantId::from_uuid(uuid::Uuid::parse_str(&fixture.id).expect("uuid"));
    let txn = haven_domain::tenancy::begin_scoped(&app.state.db, tenant)
        .await
        .expect("begin");
    let rows = txn
        .query_all_raw(Statement::from_string(
            txn.get_database_backend(),
            "SELECT body_sealed FROM case_notes",
        ))
        .await
        .expect("rows");
    drop(txn);
    assert!(!rows.is_empty());
    for row in rows {
        assert!(
            !row.try_get::<String>("", "body_sealed")
                .expect("body")
                .contains(&marker)
        );
    }

    // A correction is a new version; a stale or missing version is refused.
    let correct = |tag: Option<String>, body: &str| {
        let mut request = app
            .authed(Method::POST, &format!("{location}/versions"), &token)
            .json(&json!({"body": body}));
        if let Some(tag) = tag {
            request = request.header("if-match", tag);
        }
        request.send()
    };
    assert_problem(
        correct(None, "Corrected").await.expect("request"),
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        correct(Some("\"v9\"".into()), "Corrected")
            .await
            .expect("request"),
        412,
        "precondition_failed",
    )
    .await;
    let response = correct(Some(etag.clone()), "Corrected words")
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201);
    assert_problem(
        correct(Some(etag), "Again").await.expect("request"),
        412,
        "precondition_failed",
    )
    .await;

    let history = app.get_as(&location, &token).await;
    assert_eq!(history.headers()["etag"], "\"v2\"");
    let history: Value = history.json().await.expect("json");
    let bodies: Vec<&str> = history["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|v| v["body"].as_str().expect("body"))
        .collect();
    assert_eq!(
        bodies,
        [format!("First words {marker}").as_str(), "Corrected words"]
    );
    let list: Value = app
        .get_as(&format!("/api/v1/cases/{case}/notes"), &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["items"].as_array().expect("items").len(), 1);
    assert_eq!(list["items"][0]["version"], 2);

    // History cannot be rewritten, even with direct SQL as the serving role.
    let txn = haven_domain::tenancy::begin_scoped(&app.state.db, tenant)
        .await
        .expect("begin");
    assert!(
        txn.execute_unprepared("UPDATE case_notes SET version = 7")
            .await
            .is_err()
    );
    drop(txn);
    let txn = haven_domain::tenancy::begin_scoped(&app.state.db, tenant)
        .await
        .expect("begin");
    assert!(
        txn.execute_unprepared("DELETE FROM case_notes")
            .await
            .is_err()
    );
    drop(txn);
}

#[tokio::test]
async fn managers_only_notes_are_hidden_from_the_rest_of_the_team() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (_, author) = app.add_user(&fixture, &["case_worker"]).await;
    let (colleague_id, colleague) = app.add_user(&fixture, &["case_worker"]).await;
    let created = register(
        &app,
        &author.access_token,
        json!({"gender": "female", "trafficking_status": "possible"}),
    )
    .await;
    let case = created["case_id"].as_str().expect("case").to_owned();
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/cases/{case}/team"),
            &author.access_token,
        )
        .json(&json!({"user_id": colleague_id, "role": "member"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let response = write(
        &app,
        &author.access_token,
        &case,
        json!({"body": "Safeguarding concern", "visibility": "managers"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    let note: Value = response.json().await.expect("json");
    let path = format!("/api/v1/notes/{}", note["note_id"].as_str().expect("id"));

    let as_colleague: Value = app
        .get_as(&path, &colleague.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert!(
        as_colleague["items"][0]["body"].is_null(),
        "the team sees that a note exists, not what it says"
    );
    let as_admin: Value = app
        .get_as(&path, &fixture.admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(as_admin["items"][0]["body"], "Safeguarding concern");
    // Only the author (or an administrator) corrects it.
    let response = app
        .authed(
            Method::POST,
            &format!("{path}/versions"),
            &colleague.access_token,
        )
        .header("if-match", "\"v1\"")
        .json(&json!({"body": "changed"}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 403, "forbidden").await;
    assert_problem(
        write(
            &app,
            &author.access_token,
            &case,
            json!({"body": "x", "visibility": "everyone"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let (_, outsider) = app.add_user(&fixture, &["case_worker"]).await;
    assert_problem(
        app.get_as(&path, &outsider.access_token).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_timeline_tells_a_case_newest_first_without_sensitive_text() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (_, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let token = worker.access_token;
    let created = register(&app, &token, json!({"identity": {"used_name": "Timelinename"}, "gender": "female", "trafficking_status": "possible"})).await;
    let case = created["case_id"].as_str().expect("case").to_owned();
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/cases/{case}/transitions"),
            &token,
        )
        .json(&json!({"to": "intake", "reason": "Secret reason text"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    add_a_note(&app, &token, &case).await;

    let page: Value = app
        .get_as(&format!("/api/v1/cases/{case}/timeline?limit=2"), &token)
        .await
        .json()
        .await
        .expect("json");
    let kinds: Vec<&str> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["note", "stage"]);
    let cursor = page["next_cursor"].as_str().expect("more").to_owned();
    let rest: Value = app
        .get_as(
            &format!("/api/v1/cases/{case}/timeline?limit=2&cursor={cursor}"),
            &token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(rest["items"][0]["summary"], "Case opened (signalled)");
    let text = format!("{page}{rest}");
    for secret in [
        "Timelinename",
        "Secret reason text",
        "A note for the record.",
    ] {
        assert!(!text.contains(secret), "{secret} in the timeline");
    }
    assert_problem(
        app.get_as(
            &format!("/api/v1/cases/{case}/timeline?cursor=garbage"),
            &token,
        )
        .await,
        400,
        "invalid_cursor",
    )
    .await;
    let (_, outsider) = app.add_user(&fixture, &["case_worker"]).await;
    assert_problem(
        app.get_as(
            &format!("/api/v1/cases/{case}/timeline"),
            &outsider.access_token,
        )
        .await,
        404,
        "not_found",
    )
    .await;
}
