//! Identification interviews: recording with consents, checklist and risks; sealed narratives;
//! validation; need to know; versions; consents and their withdrawal; the checklist itself.

use crate::clients::register;
use crate::helpers::{Fixture, TestApp, assert_problem, spawn_app};
use reqwest::Method;
use sea_orm::{ConnectionTrait as _, DatabaseBackend, Statement};
use serde_json::{Value, json};

fn days_from_today(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

fn client() -> Value {
    json!({"identity": {"used_name": "Ioana"}, "gender": "female", "birth_year": 1996,
        "trafficking_status": "possible", "nationality": "RO", "languages": ["ro"]})
}

/// A complete interview held yesterday by `interviewer`, with `narrative`.
fn interview(interviewer: &str, narrative: &str) -> Value {
    json!({
        "held_on": days_from_today(-1),
        "interviewer_ids": [interviewer],
        "language": "ro",
        "interpreter_used": true,
        "interpreter_language": "ro",
        "location_type": "ngo_office",
        "presumed_victim": "yes",
        "indicators": {
            "deceived_about_job": "yes",
            "documents_kept_by_others": "yes",
            "debt_keeps_growing": "unknown",
            "visible_injuries": "no"
        },
        "risks": [
            {"kind": "traffickers", "level": "high", "note": format!("{narrative} (risk note)")},
            {"kind": "health", "level": "low"}
        ],
        "narrative": narrative,
        "consents": [
            {"purpose": "data_processing"},
            {"purpose": "sharing_with_partners", "partner_types": ["ngo", "legal_service"]}
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

/// Records an interview (with two consents) on `case`, held by `interviewer`; returns it.
pub async fn record(app: &TestApp, token: &str, case: &str, interviewer: &str) -> Value {
    let response = send(
        app,
        Method::POST,
        &format!("/api/v1/cases/{case}/interviews"),
        token,
        &interview(interviewer, "She was promised work in a bakery."),
    )
    .await;
    assert_eq!(response.status().as_u16(), 201, "record an interview");
    response.json().await.expect("json")
}

/// A case worker with a registered client: (worker's user id, token, client id, case id).
async fn worker_with_case(app: &TestApp, fixture: &Fixture) -> (String, String, String, String) {
    let (id, tokens) = app.add_user(fixture, &["case_worker"]).await;
    let created = register(app, &tokens.access_token, client()).await;
    (
        id,
        tokens.access_token,
        created["client"]["id"].as_str().expect("client").to_owned(),
        created["case_id"].as_str().expect("case").to_owned(),
    )
}

#[tokio::test]
async fn a_case_worker_records_an_interview_and_its_narrative_is_sealed() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (worker_id, token, client_id, case) = worker_with_case(&app, &fixture).await;
    let marker = format!(
        "Narrative-{}",
        &uuid::Uuid::now_v7().simple().to_string()[20..]
    );

    let response = send(
        &app,
        Method::POST,
        &format!("/api/v1/cases/{case}/interviews"),
        &token,
        &interview(&worker_id, &marker),
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    assert!(response.headers().contains_key("etag"));
    let created: Value = response.json().await.expect("json");
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(created["case_id"], case.as_str());
    assert_eq!(created["client_id"], client_id.as_str());
    assert_eq!(created["interviewer_ids"], json!([worker_id]));
    assert_eq!(created["checklist_version"], 1);
    assert_eq!(created["indicators"]["documents_kept_by_others"], "yes");
    assert_eq!(created["presumed_victim"], "yes");
    assert_eq!(created["narrative"], marker.as_str());
    assert_eq!(created["sealed_shown"], true);
    // Risks come back in a stable order, with their notes for the writer.
    assert_eq!(created["risks"][0]["kind"], "traffickers");
    assert_eq!(created["risks"][0]["note"], format!("{marker} (risk note)"));
    assert_eq!(created["risks"][1]["kind"], "health");
    assert!(created["risks"][1]["note"].is_null());
    let consents = created["consents"].as_array().expect("consents");
    assert_eq!(consents.len(), 2);
    assert_eq!(
        consents[1]["partner_types"],
        json!(["ngo", "legal_service"])
    );
    assert!(
        consents
            .iter()
            .all(|c| c["interview_id"] == id.as_str() && c["active"] == true)
    );

    // Lists never carry the narrative or notes.
    let list: Value = app
        .get_as(&format!("/api/v1/cases/{case}/interviews"), &token)
        .await
        .json()
        .await
        .expect("json");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], id.as_str());
    assert!(items[0]["narrative"].is_null());
    assert!(items[0]["risks"][0]["note"].is_null());
    assert_eq!(items[0]["risks"][0]["level"], "high");
    assert_eq!(items[0]["sealed_shown"], false);

    // Reading one opens it, and the reading is audited.
    let read = app
        .get_as(&format!("/api/v1/interviews/{id}"), &token)
        .await;
    assert_eq!(read.status().as_u16(), 200);
    assert!(read.headers().contains_key("etag"));
    let read: Value = read.json().await.expect("json");
    assert_eq!(read["narrative"], marker.as_str());
    assert_eq!(read["risks"][0]["note"], format!("{marker} (risk note)"));
    let events: Value = app
        .get_as(
            "/api/v1/audit-events?action=interview.narrative_read",
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
            .any(|e| e["target_id"] == id.as_str() && e["actor_id"] == worker_id.as_str()),
        "the narrative read is audited"
    );

    // In the database the narrative and the note are ciphertexts.
    let tenant =
        haven_domain::ids::TenantId::from_uuid(uuid::Uuid::parse_str(&fixture.id).expect("uuid"));
    let txn = haven_domain::tenancy::begin_scoped(&app.state.db, tenant)
        .await
        .expect("begin");
    let backend = txn.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => "SELECT narrative_sealed, risks FROM interviews WHERE id = $1",
        _ => "SELECT narrative_sealed, risks FROM interviews WHERE id = ?",
    };
    let row = txn
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [uuid::Uuid::parse_str(&id).expect("uuid").into()],
        ))
        .await
        .expect("select")
        .expect("the interview row");
    drop(txn);
    let narrative: String = row.try_get("", "narrative_sealed").expect("narrative");
    let risks: String = row.try_get("", "risks").expect("risks");
    assert!(narrative.starts_with("f1."), "sealed");
    assert!(!narrative.contains(&marker), "the narrative is in clear");
    assert!(!risks.contains(&marker), "a risk note is in clear");
    assert!(risks.contains("\"high\""), "risk levels stay in clear");
}

#[tokio::test]
async fn invalid_interviews_are_refused_with_the_field_at_fault() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let other = app.onboard().await;
    let (worker_id, token, _, case) = worker_with_case(&app, &fixture).await;
    let (foreign_user, _) = app.add_user(&other, &["case_worker"]).await;
    let path = format!("/api/v1/cases/{case}/interviews");
    let base = interview(&worker_id, "Valid narrative");
    let with = |change: &dyn Fn(&mut Value)| {
        let mut body = base.clone();
        change(&mut body);
        body
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "an indicator the checklist does not have",
            with(&|b| b["indicators"]["made_up_code"] = json!("yes")),
            "indicators.made_up_code",
        ),
        (
            "a date in the future",
            with(&|b| b["held_on"] = json!(days_from_today(2))),
            "held_on",
        ),
        (
            "an interviewer who is no one",
            with(&|b| b["interviewer_ids"] = json!([uuid::Uuid::now_v7()])),
            "interviewer_ids[0]",
        ),
        (
            "an interviewer of another organisation",
            with(&|b| b["interviewer_ids"] = json!([worker_id, foreign_user])),
            "interviewer_ids[1]",
        ),
        (
            "an interpreter without a language",
            with(&|b| b["interpreter_language"] = Value::Null),
            "interpreter_language",
        ),
        (
            "a sharing consent that names no partner",
            with(&|b| b["consents"] = json!([{"purpose": "sharing_with_partners"}])),
            "consents[0].partner_types",
        ),
        (
            "the same risk twice",
            with(&|b| {
                b["risks"] =
                    json!([{"kind": "health", "level": "low"}, {"kind": "health", "level": "high"}])
            }),
            "risks[1].kind",
        ),
    ];
    for (name, body, field) in cases {
        let problem = assert_problem(
            send(&app, Method::POST, &path, &token, &body).await,
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
        assert_eq!(fields, [field], "{name}");
    }
    // A vocabulary value outside the list is refused by shape.
    let problem = assert_problem(
        send(
            &app,
            Method::POST,
            &path,
            &token,
            &with(&|b| b["location_type"] = json!("car")),
        )
        .await,
        400,
        "invalid_body",
    )
    .await;
    assert!(!problem.to_string().contains("\"car\""));
    // Nothing was recorded.
    let list: Value = app.get_as(&path, &token).await.json().await.expect("json");
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn a_case_worker_not_on_the_team_does_not_see_the_interview() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (worker_id, token, client_id, case) = worker_with_case(&app, &fixture).await;
    let created = record(&app, &token, &case, &worker_id).await;
    let id = created["id"].as_str().expect("id").to_owned();
    let consent = created["consents"][0]["id"]
        .as_str()
        .expect("consent")
        .to_owned();
    let (outsider_id, outsider) = app.add_user(&fixture, &["case_worker"]).await;
    let outsider = outsider.access_token;

    let body = interview(&outsider_id, "Not theirs to write");
    let probes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("/api/v1/interviews/{id}"), None),
        (
            Method::PATCH,
            format!("/api/v1/interviews/{id}"),
            Some(json!({"presumed_victim": "no"})),
        ),
        (
            Method::GET,
            format!("/api/v1/cases/{case}/interviews"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{case}/interviews"),
            Some(body),
        ),
        (
            Method::GET,
            format!("/api/v1/clients/{client_id}/consents"),
            None,
        ),
        (Method::GET, format!("/api/v1/consents/{consent}"), None),
        (
            Method::POST,
            format!("/api/v1/consents/{consent}/withdrawal"),
            None,
        ),
    ];
    for (method, path, body) in &probes {
        let mut request = app
            .authed(method.clone(), path, &outsider)
            .header("if-match", "*");
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("request");
        assert_problem(response, 404, "not_found").await;
    }
    // Nothing changed.
    let read: Value = app
        .get_as(&format!("/api/v1/interviews/{id}"), &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(read["presumed_victim"], "yes");
    assert_eq!(read["consents"][0]["active"], true);
    let list: Value = app
        .get_as(&format!("/api/v1/cases/{case}/interviews"), &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["items"].as_array().expect("items").len(), 1);

    // Once on the team, they see it.
    let response = send(
        &app,
        Method::POST,
        &format!("/api/v1/cases/{case}/team"),
        &token,
        &json!({"user_id": outsider_id, "role": "member"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let response = app
        .get_as(&format!("/api/v1/interviews/{id}"), &outsider)
        .await;
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn interview_changes_need_the_version_they_were_based_on() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (worker_id, token, _, case) = worker_with_case(&app, &fixture).await;
    let created = record(&app, &token, &case, &worker_id).await;
    let id = created["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/interviews/{id}");
    let etag = app.get_as(&path, &token).await.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let change = json!({
        "presumed_victim": "unclear",
        "indicators": {"wages_withheld": "yes"},
        "narrative": "A corrected account.",
        "interpreter_used": false,
        "interpreter_language": null,
        "consents": [{"purpose": "research"}]
    });

    let response = send(&app, Method::PATCH, &path, &token, &change).await;
    assert_problem(response, 428, "precondition_required").await;
    let response = app
        .authed(Method::PATCH, &path, &token)
        .header("if-match", "\"0\"")
        .json(&change)
        .send()
        .await
        .expect("request");
    assert_problem(response, 412, "precondition_failed").await;
    let response = app
        .authed(Method::PATCH, &path, &token)
        .header("if-match", etag.clone())
        .json(&json!({"indicators": {"not_on_the_list": "yes"}}))
        .send()
        .await
        .expect("request");
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "indicators.not_on_the_list");

    let response = app
        .authed(Method::PATCH, &path, &token)
        .header("if-match", etag.clone())
        .json(&change)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let new_etag = response.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_ne!(new_etag, etag);
    let updated: Value = response.json().await.expect("json");
    assert_eq!(updated["presumed_victim"], "unclear");
    assert_eq!(updated["indicators"], json!({"wages_withheld": "yes"}));
    assert_eq!(updated["narrative"], "A corrected account.");
    assert_eq!(updated["interpreter_used"], false);
    assert!(updated["interpreter_language"].is_null());
    // Untouched fields stay; consents accumulate.
    assert_eq!(updated["location_type"], "ngo_office");
    assert_eq!(updated["risks"][0]["level"], "high");
    let purposes: Vec<&str> = updated["consents"]
        .as_array()
        .expect("consents")
        .iter()
        .map(|c| c["purpose"].as_str().expect("purpose"))
        .collect();
    assert_eq!(
        purposes,
        ["data_processing", "sharing_with_partners", "research"]
    );

    // The old version is now stale.
    let response = app
        .authed(Method::PATCH, &path, &token)
        .header("if-match", etag)
        .json(&json!({"presumed_victim": "no"}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 412, "precondition_failed").await;
    let response = app
        .authed(Method::PATCH, &path, &token)
        .header("if-match", new_etag)
        .json(&json!({"narrative": null}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let cleared: Value = response.json().await.expect("json");
    assert!(cleared["narrative"].is_null());
    assert_eq!(cleared["presumed_victim"], "unclear");
}

#[tokio::test]
async fn consents_are_listed_per_client_and_withdrawn_once() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (worker_id, token, client_id, case) = worker_with_case(&app, &fixture).await;
    let created = record(&app, &token, &case, &worker_id).await;
    let sharing = created["consents"][1]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let consents_path = format!("/api/v1/clients/{client_id}/consents");

    let list: Value = app
        .get_as(&consents_path, &token)
        .await
        .json()
        .await
        .expect("json");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|c| c["client_id"] == client_id.as_str()));

    let withdraw = || {
        app.authed(
            Method::POST,
            &format!("/api/v1/consents/{sharing}/withdrawal"),
            &token,
        )
        .send()
    };
    // A consent carries a version of its representation, which the withdrawal changes.
    let consent_path = format!("/api/v1/consents/{sharing}");
    let consent_tag = || app.etag_of(&consent_path, &token);
    let before = consent_tag().await;
    assert_eq!(
        consent_tag().await,
        before,
        "the same consent, the same tag"
    );
    let response = withdraw().await.expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let withdrawn: Value = response.json().await.expect("json");
    assert_eq!(withdrawn["active"], false);
    assert!(withdrawn["withdrawn_at"].is_string());
    assert_problem(withdraw().await.expect("request"), 409, "consent_withdrawn").await;
    assert_ne!(
        consent_tag().await,
        before,
        "a withdrawn consent has another tag"
    );

    let active: Value = app
        .get_as(&format!("{consents_path}?active=true"), &token)
        .await
        .json()
        .await
        .expect("json");
    let active = active["items"].as_array().expect("items");
    assert_eq!(active.len(), 1);
    assert_eq!(active[0]["purpose"], "data_processing");
    let sharing_only: Value = app
        .get_as(
            &format!("{consents_path}?purpose=sharing_with_partners"),
            &token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(sharing_only["items"][0]["id"], sharing.as_str());
    assert_eq!(sharing_only["items"][0]["active"], false);
    let one: Value = app
        .get_as(&format!("/api/v1/consents/{sharing}"), &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(one["withdrawn_at"], withdrawn["withdrawn_at"]);
    // The interview shows what was withdrawn.
    let interview: Value = app
        .get_as(
            &format!("/api/v1/interviews/{}", created["id"].as_str().expect("id")),
            &token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(interview["consents"][1]["active"], false);
}

#[tokio::test]
async fn a_closed_case_takes_no_interviews_but_consents_can_still_be_withdrawn() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (worker_id, token, _, case) = worker_with_case(&app, &fixture).await;
    let created = record(&app, &token, &case, &worker_id).await;
    let id = created["id"].as_str().expect("id").to_owned();
    let etag = app
        .get_as(&format!("/api/v1/interviews/{id}"), &token)
        .await
        .headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let response = send(
        &app,
        Method::POST,
        &format!("/api/v1/cases/{case}/transitions"),
        &token,
        &json!({"to": "closed", "closure_reason": "lost_contact"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);

    let response = send(
        &app,
        Method::POST,
        &format!("/api/v1/cases/{case}/interviews"),
        &token,
        &interview(&worker_id, "Too late"),
    )
    .await;
    assert_problem(response, 409, "case_closed").await;
    let response = app
        .authed(Method::PATCH, &format!("/api/v1/interviews/{id}"), &token)
        .header("if-match", etag)
        .json(&json!({"presumed_victim": "no"}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 409, "case_closed").await;
    let consent = created["consents"][0]["id"].as_str().expect("consent");
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/consents/{consent}/withdrawal"),
            &token,
        )
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn the_indicator_checklist_is_served_by_version() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = fixture.admin.access_token.clone();
    let response = app.get_as("/api/v1/interview-indicators", &token).await;
    assert_eq!(response.status().as_u16(), 200);
    let checklist: Value = response.json().await.expect("json");
    assert_eq!(checklist["version"], 1);
    let groups = checklist["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 9);
    let mut codes = std::collections::BTreeSet::new();
    for group in groups {
        let indicators = group["indicators"].as_array().expect("indicators");
        assert!(!indicators.is_empty(), "{}", group["code"]);
        for indicator in indicators {
            assert!(indicator["label"].as_str().is_some_and(|l| !l.is_empty()));
            assert!(codes.insert(indicator["code"].as_str().expect("code").to_owned()));
        }
    }
    assert!(codes.contains("documents_kept_by_others"));
    let same: Value = app
        .get_as("/api/v1/interview-indicators?version=1", &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(same, checklist);
    assert_problem(
        app.get_as("/api/v1/interview-indicators?version=99", &token)
            .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get("/api/v1/interview-indicators").await,
        401,
        "unauthenticated",
    )
    .await;
}
