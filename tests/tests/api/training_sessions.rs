//! Training sessions (tenant-owned): the version used is kept, participant lists are sealed,
//! bounds are kept, and the summary counts people trained by audience and period.

use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::training_library::{course, edit, etag_of, give_a_course};
use reqwest::Method;
use serde_json::{Value, json};

fn session(course: &Value, trainer: &str, held_on: &str, audience: &str, count: i32) -> Value {
    json!({
        "course_id": course["id"], "held_on": held_on, "delivery": "in_person",
        "place": "Provincial police academy", "trainer_ids": [trainer], "audience": audience,
        "participant_count": count, "pre_score": 45, "post_score": 80,
    })
}

/// Records a session; panics unless it is 201 with a Location.
pub async fn give_a_session(app: &TestApp, token: &str, body: &Value) -> Value {
    app.create(token, "/api/v1/training/sessions", body).await
}

/// A private course and a session of it, recorded by `token`'s organisation, whose user
/// `trainer` trained.
pub async fn give_a_course_and_session(app: &TestApp, token: &str, trainer: &str) -> Value {
    let course = give_a_course(app, token, &course("private", "Session course")).await;
    let mut body = session(&course, trainer, "2026-10-05", "police", 20);
    body["participants"] = json!(["Participant Alpha", "Participant Beta"]);
    give_a_session(app, token, &body).await
}

async fn post(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.authed(Method::POST, "/api/v1/training/sessions", token)
        .json(body)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn a_trainer_records_a_session_whose_participant_list_is_sealed() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let (trainer_id, trainer) = app.add_user(&a, &["trainer"]).await;
    let token = trainer.access_token.clone();
    let created = give_a_course_and_session(&app, &token, &trainer_id).await;
    assert_eq!(created["has_participant_list"], true);
    assert_eq!(created["trainer_ids"], json!([trainer_id]));
    let id = created["id"].as_str().expect("id");
    let path = format!("/api/v1/training/sessions/{id}");

    // In the database the names are ciphertext only.
    let tenant =
        haven_domain::ids::TenantId::from_uuid(uuid::Uuid::parse_str(&a.id).expect("uuid"));
    let txn = haven_domain::tenancy::begin_scoped(&app.state.db, tenant)
        .await
        .expect("begin");
    use sea_orm::{ColumnTrait as _, QueryFilter as _};
    let row = haven_domain::entities::training_session::Entity::scoped(tenant)
        .filter(
            haven_domain::entities::training_session::Column::Id
                .eq(uuid::Uuid::parse_str(id).expect("uuid")),
        )
        .one(&txn)
        .await
        .expect("query")
        .expect("row");
    drop(txn);
    let sealed = row.participants_sealed.expect("sealed list");
    assert!(
        !sealed.contains("Participant") && sealed.starts_with("f1."),
        "{sealed}"
    );

    let response = app.get_as(&path, &token).await;
    assert_eq!(response.status().as_u16(), 200);
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("ETag")
        .to_owned();
    let read: Value = response.json().await.expect("json");
    assert_eq!(
        read["participants"],
        json!(["Participant Alpha", "Participant Beta"])
    );
    let listed: Value = app
        .get_as("/api/v1/training/sessions", &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed["items"][0]["id"], id);
    assert!(listed["items"][0].get("participants").is_none(), "{listed}");

    let patch = |tag: Option<&str>, body: Value| {
        let mut request = app.authed(Method::PATCH, &path, &token).json(&body);
        if let Some(tag) = tag {
            request = request.header("if-match", tag);
        }
        request.send()
    };
    assert_problem(
        patch(None, json!({"post_score": 90}))
            .await
            .expect("request"),
        428,
        "precondition_required",
    )
    .await;
    let problem = assert_problem(
        patch(
            Some(&etag),
            json!({"post_score": 101, "participant_count": 1, "delivery": "online"}),
        )
        .await
        .expect("request"),
        422,
        "validation_failed",
    )
    .await;
    let text = problem.to_string();
    for field in ["post_score", "participants", "online_link"] {
        assert!(text.contains(field), "{field}: {problem}");
    }
    let response = patch(
        Some(&etag),
        json!({"post_score": 90, "participants": null, "notes": "Good"}),
    )
    .await
    .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let updated: Value = response.json().await.expect("json");
    assert_eq!(updated["post_score"], 90);
    assert_eq!(updated["has_participant_list"], false);
    assert_eq!(updated["notes"], "Good");
    assert_problem(
        patch(Some(&etag), json!({"notes": "x"}))
            .await
            .expect("request"),
        412,
        "precondition_failed",
    )
    .await;
}

#[tokio::test]
async fn sessions_keep_the_version_they_used_and_refer_only_to_what_the_organisation_may_use() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let b = app.onboard().await;
    let (trainer_id, _) = app.add_user(&a, &["trainer"]).await;
    let (b_user, _) = app.add_user(&b, &["trainer"]).await;
    let token = a.admin.access_token.clone();
    let course = give_a_course(&app, &token, &course("private", "Kept")).await;
    let v1 = course["version"]["id"].clone();
    let first = give_a_session(
        &app,
        &token,
        &session(&course, &trainer_id, "2026-09-01", "police", 10),
    )
    .await;
    assert_eq!(first["course_version_id"], v1);
    let tag = etag_of(&app, &course, &token).await;
    let v2: Value = edit(
        &app,
        &token,
        &course,
        Some(&tag),
        json!({"title": "Kept, revised"}),
    )
    .await
    .json()
    .await
    .expect("json");
    let second = give_a_session(
        &app,
        &token,
        &session(&course, &trainer_id, "2026-09-02", "police", 10),
    )
    .await;
    assert_eq!(second["course_version_id"], v2["id"]);
    let path = format!(
        "/api/v1/training/sessions/{}",
        first["id"].as_str().expect("id")
    );
    let again: Value = app.get_as(&path, &token).await.json().await.expect("json");
    assert_eq!(again["course_version_id"], v1);
    let mut old = session(&course, &trainer_id, "2026-09-03", "police", 10);
    old["course_version_id"] = v1.clone();
    assert_eq!(
        give_a_session(&app, &token, &old).await["course_version_id"],
        v1
    );

    // Another organisation's private course, another organisation's user, and bounds.
    let theirs = give_a_course(
        &app,
        &b.admin.access_token,
        &crate::training_library::course("private", "B's"),
    )
    .await;
    let mut bad = session(&theirs, &b_user, "2026-09-04", "police", 0);
    bad["pre_score"] = json!(-1);
    bad["delivery"] = json!("online");
    bad["online_link"] = json!("javascript:alert(1)");
    let problem = assert_problem(post(&app, &token, &bad).await, 422, "validation_failed").await;
    let text = problem.to_string();
    for field in [
        "course_id",
        "trainer_ids",
        "participant_count",
        "pre_score",
        "online_link",
    ] {
        assert!(text.contains(field), "{field}: {problem}");
    }
    // A retried create with the same Idempotency-Key records one session.
    let body = session(&course, &trainer_id, "2026-09-05", "police", 4);
    let mut answers = Vec::new();
    for _ in 0..2 {
        let response = app
            .authed(Method::POST, "/api/v1/training/sessions", &token)
            .header("idempotency-key", "session-2026-09-05")
            .json(&body)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 201);
        answers.push(response.json::<Value>().await.expect("json")["id"].clone());
    }
    assert_eq!(answers[0], answers[1]);
    let listed: Value = app
        .get_as(
            "/api/v1/training/sessions?from=2026-09-05&to=2026-09-05",
            &token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
    let mut extra = session(&course, &trainer_id, "2026-09-04", "police", 3);
    extra["unknown"] = json!(true);
    assert_eq!(post(&app, &token, &extra).await.status().as_u16(), 400);
    let (_, worker) = app.add_user(&a, &["case_worker"]).await;
    let body = session(&course, &trainer_id, "2026-09-04", "police", 3);
    assert_problem(
        post(&app, &worker.access_token, &body).await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn the_summary_counts_people_trained_by_audience_and_period() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let b = app.onboard().await;
    let (trainer_id, _) = app.add_user(&a, &["trainer"]).await;
    let token = a.admin.access_token.clone();
    let course = give_a_course(&app, &token, &course("private", "Counted")).await;
    for (day, audience, count) in [
        ("2026-01-15", "police", 20),
        ("2026-01-28", "police", 15),
        ("2026-02-03", "medical_personnel", 12),
        ("2026-05-20", "police", 7),
        ("2025-12-01", "ngo_staff", 30),
    ] {
        give_a_session(
            &app,
            &token,
            &session(&course, &trainer_id, day, audience, count),
        )
        .await;
    }
    let summary = |query: &'static str, token: String| {
        let app = &app;
        async move {
            let response = app
                .get_as(&format!("/api/v1/training/sessions/summary{query}"), &token)
                .await;
            assert_eq!(response.status().as_u16(), 200, "{query}");
            response.json::<Value>().await.expect("json")
        }
    };
    let row = |p: &str, a: &str, s: i64, n: i64| json!({"period": p, "audience": a, "sessions": s, "participants": n});
    let by_month = summary("?from=2026-01-01", token.clone()).await;
    assert_eq!(
        by_month["rows"],
        json!([
            row("2026-01", "police", 2, 35),
            row("2026-02", "medical_personnel", 1, 12),
            row("2026-05", "police", 1, 7),
        ])
    );
    assert_eq!(
        by_month["totals"],
        json!([
            row("", "medical_personnel", 1, 12),
            row("", "police", 3, 42)
        ])
    );
    let by_quarter = summary("?period=quarter", token.clone()).await;
    assert_eq!(
        by_quarter["rows"],
        json!([
            row("2025-Q4", "ngo_staff", 1, 30),
            row("2026-Q1", "medical_personnel", 1, 12),
            row("2026-Q1", "police", 2, 35),
            row("2026-Q2", "police", 1, 7),
        ])
    );
    let by_year = summary("?period=year&audience=police", token.clone()).await;
    assert_eq!(by_year["rows"], json!([row("2026", "police", 3, 42)]));
    // Analysts read aggregates; another organisation counts none of these.
    let (_, analyst) = app.add_user(&a, &["analyst"]).await;
    let seen = summary("?period=year", analyst.access_token.clone()).await;
    assert_eq!(seen["totals"].as_array().map(Vec::len), Some(3));
    let other = summary("", b.admin.access_token.clone()).await;
    assert_eq!(other["rows"], json!([]));
    let path = "/api/v1/training/sessions/summary?from=2026-02-01&to=2026-01-01";
    assert_problem(app.get_as(path, &token).await, 422, "validation_failed").await;
    let (_, worker) = app.add_user(&a, &["case_worker"]).await;
    assert_problem(
        app.get_as("/api/v1/training/sessions/summary", &worker.access_token)
            .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn another_organisation_never_sees_a_session() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let b = app.onboard().await;
    let (trainer_id, _) = app.add_user(&a, &["trainer"]).await;
    let created = give_a_course_and_session(&app, &a.admin.access_token, &trainer_id).await;
    let path = format!(
        "/api/v1/training/sessions/{}",
        created["id"].as_str().expect("id")
    );
    assert_problem(
        app.get_as(&path, &b.admin.access_token).await,
        404,
        "not_found",
    )
    .await;
    let response = app
        .authed(Method::PATCH, &path, &b.admin.access_token)
        .header("if-match", "*")
        .json(&json!({"notes": "x"}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 404, "not_found").await;
    let listed: Value = app
        .get_as("/api/v1/training/sessions", &b.admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed["items"], json!([]));
    let platform = app.platform_token().await;
    assert_problem(app.get_as(&path, &platform).await, 403, "forbidden").await;
}
