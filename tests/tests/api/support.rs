//! Support plans and the service log: goals, reviews and their deadline, services in every area
//! with filters, validation, sealed texts, versions, need to know.

use crate::clients::register;
use crate::helpers::{Fixture, TestApp, assert_problem, spawn_app};
use reqwest::Method;
use sea_orm::{ConnectionTrait as _, DatabaseBackend, Statement};
use serde_json::{Value, json};

fn days_from_today(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

fn client() -> Value {
    json!({"identity": {"used_name": "Mirela"}, "gender": "female", "birth_year": 1994,
        "trafficking_status": "possible", "nationality": "RO", "languages": ["ro"]})
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

async fn created(response: reqwest::Response, what: &str) -> Value {
    assert_eq!(response.status().as_u16(), 201, "{what}");
    response.json().await.expect("json")
}

async fn json_of(response: reqwest::Response) -> Value {
    assert_eq!(response.status().as_u16(), 200, "status");
    response.json().await.expect("json")
}

/// The fields a 422 names.
pub(crate) async fn invalid_fields(response: reqwest::Response) -> Vec<String> {
    let body = assert_problem(response, 422, "validation_failed").await;
    body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field").to_owned())
        .collect()
}

/// A case worker with a registered client: (worker's user id, token, case id).
async fn worker_with_case(app: &TestApp, fixture: &Fixture) -> (String, String, String) {
    let (id, tokens) = app.add_user(fixture, &["case_worker"]).await;
    let created = register(app, &tokens.access_token, client()).await;
    (
        id,
        tokens.access_token,
        created["case_id"].as_str().expect("case").to_owned(),
    )
}

async fn add_goal(app: &TestApp, token: &str, case: &str, area: &str, text: &str) -> Value {
    created(
        send(
            app,
            Method::POST,
            &format!("/api/v1/cases/{case}/goals"),
            token,
            &json!({"area": area, "description": text, "target_on": days_from_today(90)}),
        )
        .await,
        "add a goal",
    )
    .await
}

/// Gives `case` a goal, a review (with `participant`) and a service entry. Returns the ids of
/// the goal, the review and the entry.
pub async fn plan_and_log(
    app: &TestApp,
    token: &str,
    case: &str,
    participant: &str,
) -> (String, String, String) {
    let goal = add_goal(app, token, case, "administrative", "Residence permit").await;
    let goal_id = goal["id"].as_str().expect("goal").to_owned();
    let review = created(
        send(
            app,
            Method::POST,
            &format!("/api/v1/cases/{case}/reviews"),
            token,
            &json!({"held_on": days_from_today(0), "participant_ids": [participant],
                "progress": [{"goal_id": goal_id, "status": "in_progress", "comment": "Filed"}],
                "next_review_on": days_from_today(60)}),
        )
        .await,
        "record a review",
    )
    .await;
    let service = created(
        send(
            app,
            Method::POST,
            &format!("/api/v1/cases/{case}/services"),
            token,
            &json!({"area": "administrative", "service_type": "residence_permit_application",
                "provided_on": days_from_today(0), "duration_minutes": 60,
                "provider_organisation_name": "Immigration office", "goal_id": goal_id,
                "note": "Application filed"}),
        )
        .await,
        "log a service",
    )
    .await;
    (
        goal_id,
        review["id"].as_str().expect("review").to_owned(),
        service["id"].as_str().expect("service").to_owned(),
    )
}

#[tokio::test]
async fn a_case_worker_builds_a_support_plan_and_its_review_sets_statuses_and_a_deadline() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (worker_id, token, case) = worker_with_case(&app, &fixture).await;

    // A goal with the client's own view; the writer reads it back.
    let response = send(
        &app,
        Method::POST,
        &format!("/api/v1/cases/{case}/goals"),
        &token,
        &json!({"area": "administrative", "description": "Obtain a residence permit",
            "target_on": days_from_today(120), "client_view": "I want to work here legally."}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    assert!(response.headers().contains_key("etag"));
    let goal: Value = response.json().await.expect("json");
    let goal_id = goal["id"].as_str().expect("id").to_owned();
    assert_eq!(goal["status"], "planned");
    assert_eq!(goal["owner_id"], worker_id.as_str(), "the creator owns it");
    assert_eq!(goal["client_view"], "I want to work here legally.");
    assert_eq!(goal["sealed_shown"], true);
    let other = add_goal(&app, &token, &case, "psychosocial", "Join a sports club").await;

    let plan = json_of(
        app.get_as(&format!("/api/v1/cases/{case}/goals"), &token)
            .await,
    )
    .await;
    let items = plan["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["description"], "Obtain a residence permit");
    let legal_only = json_of(
        app.get_as(
            &format!("/api/v1/cases/{case}/goals?area=psychosocial"),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(legal_only["items"][0]["id"], other["id"]);
    assert_eq!(legal_only["items"].as_array().expect("items").len(), 1);

    // Versions: If-Match is required and must be current.
    let path = format!("/api/v1/goals/{goal_id}");
    let response = app.get_as(&path, &token).await;
    let etag = response.headers()["etag"]
        .to_str()
        .expect("etag")
        .to_owned();
    let change = json!({"status": "in_progress", "target_on": null});
    assert_problem(
        send(&app, Method::PATCH, &path, &token, &change).await,
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        app.authed(Method::PATCH, &path, &token)
            .header("if-match", "\"1\"")
            .json(&change)
            .send()
            .await
            .expect("request"),
        412,
        "precondition_failed",
    )
    .await;
    let response = app
        .authed(Method::PATCH, &path, &token)
        .header("if-match", &etag)
        .json(&change)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    assert_ne!(response.headers()["etag"].to_str().expect("etag"), etag);
    let changed: Value = response.json().await.expect("json");
    assert_eq!(changed["status"], "in_progress");
    assert!(changed["target_on"].is_null());
    assert_eq!(changed["description"], "Obtain a residence permit");

    // A review sets the status of the goals it names and writes the next review deadline.
    let next = days_from_today(45);
    let review = created(
        send(
            &app,
            Method::POST,
            &format!("/api/v1/cases/{case}/reviews"),
            &token,
            &json!({"held_on": days_from_today(0), "participant_ids": [worker_id],
                "progress": [
                    {"goal_id": goal_id, "status": "achieved", "comment": "Permit granted"},
                    {"goal_id": other["id"], "status": "dropped"}
                ],
                "next_review_on": next}),
        )
        .await,
        "review",
    )
    .await;
    assert_eq!(review["progress"][0]["comment"], "Permit granted");
    let deadline_id = review["deadline_id"]
        .as_str()
        .expect("a deadline")
        .to_owned();
    let goal = json_of(app.get_as(&path, &token).await).await;
    assert_eq!(goal["status"], "achieved");
    let deadlines = json_of(
        app.get_as(&format!("/api/v1/deadlines?case_id={case}"), &token)
            .await,
    )
    .await;
    let review_deadlines: Vec<&Value> = deadlines["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|d| d["kind"] == "support_plan_review")
        .collect();
    assert_eq!(review_deadlines.len(), 1);
    assert_eq!(review_deadlines[0]["id"], deadline_id.as_str());
    assert_eq!(review_deadlines[0]["due_on"], next.as_str());
    assert_eq!(review_deadlines[0]["source"], "support_plan");
    assert_eq!(review_deadlines[0]["status"], "open");

    // Reviews list without comments; one review shows them.
    let reviews = json_of(
        app.get_as(&format!("/api/v1/cases/{case}/reviews"), &token)
            .await,
    )
    .await;
    assert_eq!(reviews["items"].as_array().expect("items").len(), 1);
    assert!(reviews["items"][0]["progress"][0]["comment"].is_null());
    let one = json_of(
        app.get_as(
            &format!("/api/v1/reviews/{}", review["id"].as_str().expect("id")),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(one["progress"][0]["comment"], "Permit granted");
    assert_eq!(one["participant_ids"], json!([worker_id]));

    // The next review completes the open review deadline and writes a new one.
    created(
        send(
            &app,
            Method::POST,
            &format!("/api/v1/cases/{case}/reviews"),
            &token,
            &json!({"held_on": days_from_today(0), "participant_ids": [worker_id],
                "next_review_on": days_from_today(90)}),
        )
        .await,
        "second review",
    )
    .await;
    let open = json_of(
        app.get_as(&format!("/api/v1/deadlines?case_id={case}"), &token)
            .await,
    )
    .await;
    let open_reviews: Vec<&Value> = open["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|d| d["kind"] == "support_plan_review")
        .collect();
    assert_eq!(open_reviews.len(), 1);
    assert_eq!(open_reviews[0]["due_on"], days_from_today(90).as_str());

    // A goal of another case, a stranger, a date in the future: every field named.
    let (_, _, other_case) = worker_with_case(&app, &fixture).await;
    let foreign_goal = add_goal(&app, &fixture.admin.access_token, &other_case, "legal", "X").await;
    let fields = invalid_fields(
        send(
            &app,
            Method::POST,
            &format!("/api/v1/cases/{case}/reviews"),
            &token,
            &json!({"held_on": days_from_today(3), "participant_ids": [uuid::Uuid::now_v7()],
                "progress": [{"goal_id": foreign_goal["id"], "status": "achieved"}]}),
        )
        .await,
    )
    .await;
    assert_eq!(
        fields,
        ["held_on", "participant_ids[0]", "progress[0].goal_id"]
    );
    let fields = invalid_fields(
        send(
            &app,
            Method::POST,
            &format!("/api/v1/cases/{case}/goals"),
            &token,
            &json!({"area": "legal", "description": " ", "owner_id": uuid::Uuid::now_v7()}),
        )
        .await,
    )
    .await;
    assert_eq!(fields, ["description", "owner_id"]);
}

#[tokio::test]
async fn services_are_logged_in_every_area_and_filtered_by_area_period_and_case() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (worker_id, token, case) = worker_with_case(&app, &fixture).await;
    let goal = add_goal(&app, &token, &case, "psychosocial", "Rebuild a social life").await;
    let marker = format!("Note-{}", &uuid::Uuid::now_v7().simple().to_string()[20..]);
    let path = format!("/api/v1/cases/{case}/services");
    let entries = [
        (
            "administrative",
            "residence_permit_application",
            -5,
            json!({"provider_user_id": worker_id}),
        ),
        (
            "legal",
            "lawyer_meeting",
            -2,
            json!({"provider_organisation_name": "Bar association legal aid"}),
        ),
        (
            "psychosocial",
            "sport_activity",
            0,
            json!({"provider_user_id": worker_id, "goal_id": goal["id"]}),
        ),
        (
            "medical",
            "gp_visit",
            -10,
            json!({"provider_organisation_name": "Community health centre"}),
        ),
        (
            "residential",
            "house_meeting",
            -1,
            json!({"provider_user_id": worker_id}),
        ),
        (
            "education_work",
            "language_course",
            -3,
            json!({"provider_organisation_name": "Adult school"}),
        ),
        (
            "ambulant",
            "phone_follow_up",
            -4,
            json!({"provider_user_id": worker_id}),
        ),
    ];
    let mut ids = Vec::new();
    for (area, kind, days, extra) in entries {
        let mut body = json!({"area": area, "service_type": kind,
            "provided_on": days_from_today(days), "duration_minutes": 45,
            "note": format!("{marker} {area}")});
        for (key, value) in extra.as_object().expect("object") {
            body[key] = value.clone();
        }
        let response = send(&app, Method::POST, &path, &token, &body).await;
        assert_eq!(response.status().as_u16(), 201, "{area}");
        assert!(response.headers().contains_key("location"), "{area}");
        let entry: Value = response.json().await.expect("json");
        assert_eq!(entry["note"], format!("{marker} {area}"), "{area}");
        ids.push(entry["id"].as_str().expect("id").to_owned());
    }

    // The case's log, newest first, without notes; pages follow the cursor.
    let log = json_of(app.get_as(&path, &token).await).await;
    let items = log["items"].as_array().expect("items");
    assert_eq!(items.len(), 7);
    assert_eq!(items[0]["service_type"], "sport_activity");
    assert_eq!(items[0]["goal_id"], goal["id"]);
    assert!(items.iter().all(|i| i["note"].is_null()));
    let first = json_of(app.get_as(&format!("{path}?limit=4"), &token).await).await;
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let second = json_of(
        app.get_as(&format!("{path}?limit=4&cursor={cursor}"), &token)
            .await,
    )
    .await;
    assert_eq!(second["items"].as_array().expect("items").len(), 3);
    assert_eq!(second["items"][2]["service_type"], "gp_visit");

    // Filters: area, period, case, together.
    let legal = json_of(app.get_as(&format!("{path}?area=legal"), &token).await).await;
    assert_eq!(legal["items"].as_array().expect("items").len(), 1);
    assert_eq!(
        legal["items"][0]["provider_organisation_name"],
        "Bar association legal aid"
    );
    let period = json_of(
        app.get_as(
            &format!(
                "/api/v1/services?from={}&to={}",
                days_from_today(-4),
                days_from_today(-2)
            ),
            &token,
        )
        .await,
    )
    .await;
    let kinds: Vec<&str> = period["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["service_type"].as_str().expect("type"))
        .collect();
    assert_eq!(
        kinds,
        ["lawyer_meeting", "language_course", "phone_follow_up"]
    );
    let (_, _, other_case) = worker_with_case(&app, &fixture).await;
    let admin = fixture.admin.access_token.clone();
    created(
        send(
            &app,
            Method::POST,
            &format!("/api/v1/cases/{other_case}/services"),
            &admin,
            &json!({"area": "medical", "service_type": "gp_visit", "provided_on": days_from_today(-10),
                "duration_minutes": 30, "provider_organisation_name": "Hospital"}),
        )
        .await,
        "another case's service",
    )
    .await;
    let medical = json_of(
        app.get_as(
            &format!("/api/v1/services?area=medical&case_id={case}"),
            &admin,
        )
        .await,
    )
    .await;
    assert_eq!(medical["items"].as_array().expect("items").len(), 1);
    let all_medical = json_of(app.get_as("/api/v1/services?area=medical", &admin).await).await;
    assert_eq!(all_medical["items"].as_array().expect("items").len(), 2);
    assert_problem(
        app.get_as("/api/v1/services?from=2026-05-01&to=2026-04-01", &token)
            .await,
        400,
        "invalid_query",
    )
    .await;

    // One entry shows its note; the note is sealed in the database.
    let one_path = format!("/api/v1/services/{}", ids[0]);
    let response = app.get_as(&one_path, &token).await;
    let etag = response.headers()["etag"]
        .to_str()
        .expect("etag")
        .to_owned();
    let one: Value = response.json().await.expect("json");
    assert_eq!(one["note"], format!("{marker} administrative"));
    let tenant =
        haven_domain::ids::TenantId::from_uuid(uuid::Uuid::parse_str(&fixture.id).expect("uuid"));
    let txn = haven_domain::tenancy::begin_scoped(&app.state.db, tenant)
        .await
        .expect("begin");
    let backend = txn.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => "SELECT note_sealed FROM service_entries WHERE tenant_id = $1",
        _ => "SELECT note_sealed FROM service_entries WHERE tenant_id = ?",
    };
    let rows = txn
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [uuid::Uuid::parse_str(&fixture.id).expect("uuid").into()],
        ))
        .await
        .expect("select");
    drop(txn);
    assert!(rows.len() >= 7);
    for row in rows {
        let sealed: Option<String> = row.try_get("", "note_sealed").expect("note");
        if let Some(sealed) = sealed {
            assert!(sealed.starts_with("f1."), "sealed");
            assert!(!sealed.contains(&marker), "a note is in clear");
        }
    }

    // Changing an entry needs its version; the type must still fit the area.
    assert_problem(
        send(
            &app,
            Method::PATCH,
            &one_path,
            &token,
            &json!({"duration_minutes": 30}),
        )
        .await,
        428,
        "precondition_required",
    )
    .await;
    // An invalid change is refused for what is wrong with it, with or without a version.
    let change = json!({"area": "legal"});
    assert_problem(
        send(&app, Method::PATCH, &one_path, &token, &change).await,
        422,
        "validation_failed",
    )
    .await;
    let response = app
        .authed(Method::PATCH, &one_path, &token)
        .header("if-match", &etag)
        .json(&change)
        .send()
        .await
        .expect("request");
    assert_eq!(invalid_fields(response).await, ["service_type"]);
    let response = app
        .authed(Method::PATCH, &one_path, &token)
        .header("if-match", &etag)
        .json(&json!({"duration_minutes": 90, "note": null}))
        .send()
        .await
        .expect("request");
    let changed = json_of(response).await;
    assert_eq!(changed["duration_minutes"], 90);
    assert!(changed["note"].is_null());
    assert_problem(
        app.authed(Method::PATCH, &one_path, &token)
            .header("if-match", &etag)
            .json(&json!({"duration_minutes": 60}))
            .send()
            .await
            .expect("request"),
        412,
        "precondition_failed",
    )
    .await;

    // Invalid entries name every field at fault.
    let other_goal = add_goal(&app, &admin, &other_case, "legal", "Another case's goal").await;
    let rows: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "a type of another area",
            json!({"area": "medical", "service_type": "lawyer_meeting"}),
            vec!["service_type"],
        ),
        (
            "a goal of another case",
            json!({"goal_id": other_goal["id"]}),
            vec!["goal_id"],
        ),
        (
            "a day in the future and too long",
            json!({"provided_on": days_from_today(2), "duration_minutes": 1441}),
            vec!["provided_on", "duration_minutes"],
        ),
        (
            "two providers",
            json!({"provider_organisation_name": "Someone else"}),
            vec!["provider_user_id"],
        ),
        (
            "a provider who is no one",
            json!({"provider_user_id": uuid::Uuid::now_v7()}),
            vec!["provider_user_id"],
        ),
    ];
    for (what, change, fields) in rows {
        let mut body = json!({"area": "legal", "service_type": "court_hearing",
            "provided_on": days_from_today(0), "duration_minutes": 120,
            "provider_user_id": worker_id});
        for (key, value) in change.as_object().expect("object") {
            body[key] = value.clone();
        }
        let response = send(&app, Method::POST, &path, &token, &body).await;
        assert_eq!(invalid_fields(response).await, fields, "{what}");
    }

    // The taxonomy is reference data.
    let types = json_of(app.get_as("/api/v1/service-types", &token).await).await;
    assert_eq!(types["areas"].as_array().expect("areas").len(), 7);
    assert!(types.to_string().contains("police_hearing_accompaniment"));
}

#[tokio::test]
async fn only_the_case_team_works_on_the_plan_and_analysts_are_refused() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (worker_id, token, case) = worker_with_case(&app, &fixture).await;
    let (goal, review, service) = plan_and_log(&app, &token, &case, &worker_id).await;
    let (_, outsider) = app.add_user(&fixture, &["case_worker"]).await;
    let (_, analyst) = app.add_user(&fixture, &["analyst"]).await;
    let outsider = outsider.access_token;
    let analyst = analyst.access_token;

    let reads = [
        format!("/api/v1/cases/{case}/goals"),
        format!("/api/v1/cases/{case}/reviews"),
        format!("/api/v1/cases/{case}/services"),
        format!("/api/v1/goals/{goal}"),
        format!("/api/v1/reviews/{review}"),
        format!("/api/v1/services/{service}"),
    ];
    for path in &reads {
        assert_problem(app.get_as(path, &outsider).await, 404, "not_found").await;
        assert_problem(app.get_as(path, &analyst).await, 403, "forbidden").await;
    }
    let body = json!({"area": "legal", "description": "Not mine"});
    assert_problem(
        send(
            &app,
            Method::POST,
            &format!("/api/v1/cases/{case}/goals"),
            &outsider,
            &body,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        send(
            &app,
            Method::POST,
            &format!("/api/v1/cases/{case}/goals"),
            &analyst,
            &body,
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.authed(Method::PATCH, &format!("/api/v1/goals/{goal}"), &outsider)
            .header("if-match", "*")
            .json(&json!({"status": "dropped"}))
            .send()
            .await
            .expect("request"),
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as("/api/v1/services", &analyst).await,
        403,
        "forbidden",
    )
    .await;
    let theirs = json_of(app.get_as("/api/v1/services", &outsider).await).await;
    assert!(theirs["items"].as_array().expect("items").is_empty());
    // The plan is unchanged.
    let goal = json_of(app.get_as(&format!("/api/v1/goals/{goal}"), &token).await).await;
    assert_eq!(goal["status"], "in_progress");
}
