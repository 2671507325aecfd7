//! Incidents in shelter life: residents involved by case code, sealed accounts, who may read
//! them, and the notifications a serious security incident sends.

use crate::clients::register;
use crate::helpers::{Fixture, TestApp, assert_problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

fn hours_ago(hours: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::hours(hours))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> reqwest::Response {
    app.authed(Method::POST, path, token)
        .json(body)
        .send()
        .await
        .expect("request")
}

async fn created(app: &TestApp, token: &str, path: &str, body: &Value) -> Value {
    let response = post(app, token, path, body).await;
    assert_eq!(response.status().as_u16(), 201, "POST {path}");
    response.json().await.expect("json")
}

async fn json_of(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.get_as(path, token).await;
    assert_eq!(response.status().as_u16(), 200, "GET {path}");
    response.json().await.expect("json")
}

/// A shelter with a resident and a staff member: (shelter id, staff token, resident case code).
async fn shelter_with_a_resident(app: &TestApp, fixture: &Fixture) -> (String, String, String) {
    let admin = &fixture.admin.access_token;
    let (staff_id, staff) = app.add_user(fixture, &["shelter_staff"]).await;
    let shelter = crate::shelters::furnish(app, admin, &staff_id).await;
    let case = crate::placements::place_a_client(app, admin).await;
    let code = json_of(app, admin, &format!("/api/v1/cases/{case}")).await["case_code"]
        .as_str()
        .expect("code")
        .to_owned();
    (shelter, staff.access_token, code)
}

/// Reports a serious security incident in `shelter` as `token`; returns it.
pub async fn report(app: &TestApp, token: &str, shelter: &str, codes: &[&str]) -> Value {
    created(
        app,
        token,
        "/api/v1/incidents",
        &json!({
            "shelter_id": shelter, "occurred_at": hours_ago(1), "category": "contact_attempt_by_traffickers",
            "severity": "high", "involved_case_codes": codes,
            "description": "A car waited outside; Marker9KZ was asked to come out.",
            "actions_taken": "Police called."
        }),
    )
    .await
}

#[tokio::test]
async fn staff_report_an_incident_naming_residents_by_case_code_only() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let admin = fixture.admin.access_token.clone();
    let (shelter, staff, code) = shelter_with_a_resident(&app, &fixture).await;
    // A client who is not placed in the shelter.
    let other = register(
        &app,
        &admin,
        json!({"gender": "female", "birth_year": 1990, "trafficking_status": "possible"}),
    )
    .await;
    let other_code = other["client"]["case_code"].as_str().expect("code");

    let response = post(&app, &staff, "/api/v1/incidents", &json!({
        "shelter_id": shelter, "occurred_at": hours_ago(2), "category": "conflict_between_residents",
        "severity": "medium", "involved_case_codes": [code, other_code], "description": ""
    }))
    .await;
    let body = assert_problem(response, 422, "validation_failed").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["description", "involved_case_codes[1]"], "{body}");

    let response = post(&app, &staff, "/api/v1/incidents", &json!({
        "shelter_id": shelter, "occurred_at": hours_ago(2), "category": "conflict_between_residents",
        "severity": "medium", "involved_case_codes": [code], "description": "Argument over the kitchen rota."
    }))
    .await;
    assert_eq!(response.status().as_u16(), 201);
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("Location")
        .to_owned();
    let incident: Value = response.json().await.expect("json");
    assert_eq!(
        location,
        format!("/api/v1/incidents/{}", incident["id"].as_str().expect("id"))
    );
    assert_eq!(incident["involved_case_codes"], json!([code]));
    assert_eq!(incident["follow_up_status"], "open");
    // Staff of the shelter read it back, with its description.
    let read = json_of(&app, &staff, &location).await;
    assert_eq!(read["description"], "Argument over the kitchen rota.");
    assert_eq!(read["sealed_shown"], true);

    // Follow-up with If-Match.
    let response = app.get_as(&location, &admin).await;
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("ETag")
        .to_owned();
    let response = app
        .authed(Method::PATCH, &location, &staff)
        .json(&json!({"follow_up_status": "closed"}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 428, "precondition_required").await;
    let response = app
        .authed(Method::PATCH, &location, &staff)
        .header("if-match", &etag)
        .json(&json!({"follow_up_status": "closed", "actions_taken": "Rota changed."}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let changed: Value = response.json().await.expect("json");
    assert_eq!(changed["follow_up_status"], "closed");
    assert_eq!(changed["actions_taken"], "Rota changed.");

    // Filters.
    let listed = json_of(
        &app,
        &staff,
        &format!("/api/v1/incidents?shelter_id={shelter}&category=conflict_between_residents"),
    )
    .await;
    assert_eq!(listed["items"].as_array().expect("items").len(), 1);
    assert_eq!(
        listed["items"][0]["description"],
        Value::Null,
        "lists carry no sealed text"
    );
    let listed = json_of(&app, &staff, "/api/v1/incidents?severity=critical").await;
    assert!(listed["items"].as_array().expect("items").is_empty());
}

#[tokio::test]
async fn a_serious_security_incident_notifies_the_shelters_manager_only() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let admin = fixture.admin.access_token.clone();
    let (shelter, staff, code) = shelter_with_a_resident(&app, &fixture).await;
    let (manager_id, manager) = app.add_user(&fixture, &["shelter_manager"]).await;
    let (_, elsewhere) = app.add_user(&fixture, &["shelter_manager"]).await;
    created(
        &app,
        &admin,
        &format!("/api/v1/shelters/{shelter}/staff"),
        &json!({"user_id": manager_id}),
    )
    .await;

    let incident = report(&app, &staff, &shelter, &[&code]).await;
    let link = format!("/api/v1/incidents/{}", incident["id"].as_str().expect("id"));

    let unread = json_of(
        &app,
        &manager.access_token,
        "/api/v1/notifications?unread=true",
    )
    .await;
    let items = unread["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{unread}");
    assert_eq!(items[0]["link"], link.as_str());
    assert_eq!(items[0]["kind"], "incident.serious");
    let title = items[0]["title"].as_str().expect("title");
    assert!(
        !title.contains("Marker9KZ") && !title.contains(&code),
        "{title}"
    );
    // The administrators hear of it too; a manager of another shelter and the reporter do not.
    let admins = json_of(&app, &admin, "/api/v1/notifications").await;
    assert_eq!(admins["items"].as_array().expect("items").len(), 1);
    for token in [&elsewhere.access_token, &staff] {
        let none = json_of(&app, token, "/api/v1/notifications").await;
        assert!(
            none["items"].as_array().expect("items").is_empty(),
            "{none}"
        );
    }
    // The link opens for the manager, who reads the description.
    let read = json_of(&app, &manager.access_token, &link).await;
    assert!(
        read["description"]
            .as_str()
            .expect("description")
            .contains("Marker9KZ")
    );

    // Marking it read: out of the unread list, and another version of the notification;
    // nobody else can.
    let id = items[0]["id"].as_str().expect("id");
    let notification_path = format!("/api/v1/notifications/{id}");
    let tag = || app.etag_of(&notification_path, &manager.access_token);
    let unread_tag = tag().await;
    let path = format!("/api/v1/notifications/{id}/read");
    let response = app
        .authed(Method::POST, &path, &elsewhere.access_token)
        .send()
        .await
        .expect("request");
    assert_problem(response, 404, "not_found").await;
    let response = app
        .authed(Method::POST, &path, &manager.access_token)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let marked: Value = response.json().await.expect("json");
    assert!(marked["read_at"].is_string());
    assert_ne!(
        tag().await,
        unread_tag,
        "a read notification has another tag"
    );
    let unread = json_of(
        &app,
        &manager.access_token,
        "/api/v1/notifications?unread=true",
    )
    .await;
    assert!(unread["items"].as_array().expect("items").is_empty());
    let all = json_of(&app, &manager.access_token, "/api/v1/notifications").await;
    assert_eq!(all["items"].as_array().expect("items").len(), 1);
}

#[tokio::test]
async fn other_shelters_staff_and_analysts_are_refused_and_the_account_is_sealed() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let admin = fixture.admin.access_token.clone();
    let (shelter, staff, code) = shelter_with_a_resident(&app, &fixture).await;
    let incident = report(&app, &staff, &shelter, &[&code]).await;
    let path = format!("/api/v1/incidents/{}", incident["id"].as_str().expect("id"));

    // Staff of another shelter: not found, and not listed.
    let (other_staff_id, other_staff) = app.add_user(&fixture, &["shelter_staff"]).await;
    let other = created(
        &app,
        &admin,
        "/api/v1/shelters",
        &json!({
            "name": "Maison B", "address": "Rue Haute 2, 1000 Bruxelles", "capacity": 4,
            "admits_genders": ["female"], "admits_minors": false, "min_age": 18
        }),
    )
    .await;
    let other_id = other["id"].as_str().expect("id");
    created(
        &app,
        &admin,
        &format!("/api/v1/shelters/{other_id}/staff"),
        &json!({"user_id": other_staff_id}),
    )
    .await;
    assert_problem(
        app.get_as(&path, &other_staff.access_token).await,
        404,
        "not_found",
    )
    .await;
    let listed = json_of(&app, &other_staff.access_token, "/api/v1/incidents").await;
    assert!(listed["items"].as_array().expect("items").is_empty());
    // Nor may they report one in a shelter they do not work at.
    let response = post(&app, &other_staff.access_token, "/api/v1/incidents", &json!({
        "shelter_id": shelter, "occurred_at": hours_ago(1), "category": "other", "severity": "low",
        "description": "Noise."
    }))
    .await;
    assert_problem(response, 403, "forbidden").await;

    // A case worker assigned to the shelter sees the incident but not its sealed account.
    let (worker_id, worker) = app.add_user(&fixture, &["case_worker"]).await;
    created(
        &app,
        &admin,
        &format!("/api/v1/shelters/{shelter}/staff"),
        &json!({"user_id": worker_id}),
    )
    .await;
    let seen = json_of(&app, &worker.access_token, &path).await;
    assert_eq!(seen["sealed_shown"], false);
    assert_eq!(seen["description"], Value::Null);

    // An analyst is refused.
    let (_, analyst) = app.add_user(&fixture, &["analyst"]).await;
    let analyst = analyst.access_token;
    assert_problem(
        app.get_as("/api/v1/incidents", &analyst).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.get_as(&path, &analyst).await, 404, "not_found").await;
    let response = post(&app, &analyst, "/api/v1/incidents", &json!({
        "shelter_id": shelter, "occurred_at": hours_ago(1), "category": "other", "severity": "low",
        "description": "Noise."
    }))
    .await;
    assert_problem(response, 403, "forbidden").await;

    // The description is sealed in the database.
    let tenant =
        haven_domain::ids::TenantId::from_uuid(uuid::Uuid::parse_str(&fixture.id).expect("uuid"));
    let txn = haven_domain::tenancy::begin_scoped(&app.state.db, tenant)
        .await
        .expect("begin");
    let rows = haven_domain::entities::incident::Entity::scoped(tenant)
        .all(&txn)
        .await
        .expect("rows");
    drop(txn);
    assert_eq!(rows.len(), 1);
    let description = rows[0].description_sealed.clone();
    let actions = rows[0].actions_taken_sealed.clone().expect("sealed");
    assert!(!description.contains("Marker9KZ") && !actions.contains("Police"));
}

/// Gives `fixture`'s tenant (with a furnished shelter and a placed case) a serious incident
/// reported by a new member of the shelter's staff, which notifies the administrator. Returns
/// the incident.
pub async fn give_a_serious_incident(app: &TestApp, fixture: &Fixture, case: &str) -> Value {
    let admin = &fixture.admin.access_token;
    let shelters = json_of(app, admin, "/api/v1/shelters").await;
    let shelter = shelters["items"][0]["id"]
        .as_str()
        .expect("a shelter")
        .to_owned();
    let (staff_id, staff) = app.add_user(fixture, &["shelter_staff"]).await;
    created(
        app,
        admin,
        &format!("/api/v1/shelters/{shelter}/staff"),
        &json!({"user_id": staff_id}),
    )
    .await;
    let code = json_of(app, admin, &format!("/api/v1/cases/{case}")).await["case_code"]
        .as_str()
        .expect("code")
        .to_owned();
    report(app, &staff.access_token, &shelter, &[&code]).await
}
