//! The shared training library: private and shared courses, proposals verified or rejected by
//! platform administrators, versions and sanitised Markdown (filters, input rules and
//! row-level security are in `training_library_rules`).

use crate::helpers::{TestApp, assert_problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

/// A course body: `visibility`, and a title that names it.
pub fn course(visibility: &str, title: &str) -> Value {
    json!({
        "visibility": visibility, "title": title,
        "summary": "Half a day on recognising and referring presumed victims.",
        "audiences": ["police", "ngo_staff"], "languages": ["en", "fr"],
        "duration_minutes": 240,
        "objectives": ["Name the indicator groups", "Refer a presumed victim safely"],
        "modules": [
            {"title": "Indicators", "content_markdown": "## Deception\n\nPromises that do not hold."},
            {"title": "Referral", "content_markdown": "Call the **specialised centre**."}
        ]
    })
}

/// Writes a course with `token` and returns it; panics unless it is 201 with a Location.
pub async fn give_a_course(app: &TestApp, token: &str, body: &Value) -> Value {
    app.create(token, "/api/v1/training/courses", body).await
}

/// A platform administrator's review of `version` of `course`.
pub async fn review(
    app: &TestApp,
    platform: &str,
    course: &Value,
    version: &str,
    body: Value,
) -> reqwest::Response {
    let path = format!(
        "/api/v1/training/courses/{}/versions/{version}/review",
        course["id"].as_str().expect("id")
    );
    app.authed(Method::POST, &path, platform)
        .json(&body)
        .send()
        .await
        .expect("request")
}

/// The course's ETag as `token` reads it.
pub async fn etag_of(app: &TestApp, course: &Value, token: &str) -> String {
    let path = format!(
        "/api/v1/training/courses/{}",
        course["id"].as_str().expect("id")
    );
    let response = app.get_as(&path, token).await;
    assert_eq!(response.status().as_u16(), 200, "read the course");
    response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("ETag")
        .to_owned()
}

/// Writes a new version of `course` with `change`.
pub async fn edit(
    app: &TestApp,
    token: &str,
    course: &Value,
    tag: Option<&str>,
    change: Value,
) -> reqwest::Response {
    let path = format!(
        "/api/v1/training/courses/{}/versions",
        course["id"].as_str().expect("id")
    );
    let mut request = app.authed(Method::POST, &path, token).json(&change);
    if let Some(tag) = tag {
        request = request.header("if-match", tag);
    }
    request.send().await.expect("request")
}

pub fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_owned())
        .collect()
}

pub async fn page(app: &TestApp, path: &str, token: &str) -> Value {
    let response = app.get_as(path, token).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.json().await.expect("json")
}

#[tokio::test]
async fn a_private_course_is_published_at_once_rendered_safely_and_seen_by_its_owner_only() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let b = app.onboard().await;
    let mut body = course("private", "Front desk signals");
    body["modules"][0]["content_markdown"] = json!(
        "## Warning signs\n\n<script>alert('x')</script>\n\n<a href=\"#\" onclick=\"steal()\">tap</a>\n\n\
         [help](javascript:alert(1)) [guide](https://example.org/guide)"
    );
    let created = give_a_course(&app, &a.admin.access_token, &body).await;
    assert_eq!(created["visibility"], "private");
    assert!(created["verification_status"].is_null(), "{created}");
    assert_eq!(created["mine"], true);
    assert_eq!(created["version"]["number"], 1);
    assert_eq!(
        created["version"]["audiences"],
        json!(["ngo_staff", "police"])
    );
    let html = created["version"]["modules"][0]["content_html"]
        .as_str()
        .expect("html");
    assert!(html.contains("<h2>Warning signs</h2>"), "{html}");
    assert!(
        html.contains("href=\"https://example.org/guide\""),
        "{html}"
    );
    for bad in ["<script", "alert(", "onclick", "javascript:"] {
        assert!(!html.contains(bad), "{bad} survived: {html}");
    }
    assert_eq!(
        created["version"]["modules"][1]["content_html"],
        "<p>Call the <strong>specialised centre</strong>.</p>\n"
    );

    let id = created["id"].as_str().expect("id");
    let path = format!("/api/v1/training/courses/{id}");
    let mine = page(
        &app,
        "/api/v1/training/courses?mine=true",
        &a.admin.access_token,
    )
    .await;
    assert_eq!(ids(&mine), vec![id.to_owned()]);
    for probe in [path.clone(), format!("{path}/versions")] {
        assert_problem(
            app.get_as(&probe, &b.admin.access_token).await,
            404,
            "not_found",
        )
        .await;
    }
    let theirs = page(
        &app,
        "/api/v1/training/courses?limit=200",
        &b.admin.access_token,
    )
    .await;
    assert!(!ids(&theirs).contains(&id.to_owned()), "{theirs}");
    // The platform curates the library and sees every course.
    let platform = app.platform_token().await;
    assert_eq!(app.get_as(&path, &platform).await.status().as_u16(), 200);
}

#[tokio::test]
async fn a_shared_course_waits_for_verification_and_the_proposer_sees_the_review() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let b = app.onboard().await;
    let platform = app.platform_token().await;
    let created = give_a_course(&app, &a.admin.access_token, &course("shared", "Shared one")).await;
    assert_eq!(created["verification_status"], "pending");
    assert!(created["version"]["number"].is_null());
    let id = created["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/training/courses/{id}");
    let first = created["version"]["id"]
        .as_str()
        .expect("version")
        .to_owned();
    assert_problem(
        app.get_as(&path, &b.admin.access_token).await,
        404,
        "not_found",
    )
    .await;

    let pending = page(
        &app,
        "/api/v1/training/course-proposals?limit=200",
        &platform,
    )
    .await;
    assert!(ids(&pending).contains(&first), "{pending}");
    // Only platform administrators review, and a rejection says why.
    let own = review(
        &app,
        &a.admin.access_token,
        &created,
        &first,
        json!({"decision": "verified"}),
    );
    assert_problem(own.await, 403, "forbidden").await;
    let silent = review(
        &app,
        &platform,
        &created,
        &first,
        json!({"decision": "rejected"}),
    );
    assert_problem(silent.await, 422, "validation_failed").await;
    let response = review(
        &app,
        &platform,
        &created,
        &first,
        json!({"decision": "rejected", "note": "Add the national referral contacts."}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let seen = page(
        &app,
        "/api/v1/training/course-proposals",
        &a.admin.access_token,
    )
    .await;
    assert_eq!(seen["items"][0]["id"], first.as_str());
    assert_eq!(seen["items"][0]["verification_status"], "rejected");
    assert_eq!(
        seen["items"][0]["review_note"],
        "Add the national referral contacts."
    );
    let course: Value = app
        .get_as(&path, &a.admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(course["verification_status"], "rejected");

    // The proposer tries again; the platform verifies; every organisation sees it.
    let tag = etag_of(&app, &created, &a.admin.access_token).await;
    let change = json!({"summary": "Half a day, with the national referral contacts."});
    let response = edit(&app, &a.admin.access_token, &created, Some(&tag), change).await;
    assert_eq!(response.status().as_u16(), 201);
    let second: Value = response.json().await.expect("json");
    assert_eq!(second["verification_status"], "pending");
    let second_id = second["id"].as_str().expect("id").to_owned();
    let response = review(
        &app,
        &platform,
        &created,
        &second_id,
        json!({"decision": "verified"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let verified: Value = response.json().await.expect("json");
    assert_eq!(verified["number"], 1);
    let again = review(
        &app,
        &platform,
        &created,
        &second_id,
        json!({"decision": "verified"}),
    );
    assert_problem(again.await, 409, "not_pending").await;

    let response = app.get_as(&path, &b.admin.access_token).await;
    assert_eq!(response.status().as_u16(), 200);
    let theirs: Value = response.json().await.expect("json");
    assert_eq!(theirs["verification_status"], "verified");
    assert_eq!(theirs["mine"], false);
    assert_eq!(
        theirs["version"]["summary"],
        "Half a day, with the national referral contacts."
    );
    let listed = page(
        &app,
        "/api/v1/training/courses?limit=200",
        &b.admin.access_token,
    )
    .await;
    assert!(ids(&listed).contains(&id), "{listed}");
    // B never sees A's rejected first proposal.
    let versions = page(&app, &format!("{path}/versions"), &b.admin.access_token).await;
    assert_eq!(ids(&versions), vec![second_id.clone()]);
    let old = format!("{path}/versions/{first}");
    assert_problem(
        app.get_as(&old, &b.admin.access_token).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        app.get_as(&old, &a.admin.access_token)
            .await
            .status()
            .as_u16(),
        200
    );
}

#[tokio::test]
async fn editing_a_published_course_makes_a_new_version_and_old_ones_stay_readable() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let b = app.onboard().await;
    let platform = app.platform_token().await;
    let token = a.admin.access_token.clone();
    let created = give_a_course(&app, &token, &course("private", "Version one")).await;
    let id = created["id"].as_str().expect("id").to_owned();
    let v1 = created["version"]["id"]
        .as_str()
        .expect("version")
        .to_owned();
    let change = json!({"title": "Version two"});
    assert_problem(
        edit(&app, &token, &created, None, change.clone()).await,
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        edit(&app, &token, &created, Some("\"1\""), change.clone()).await,
        412,
        "precondition_failed",
    )
    .await;
    let tag = etag_of(&app, &created, &token).await;
    let response = edit(&app, &token, &created, Some(&tag), change.clone()).await;
    assert_eq!(response.status().as_u16(), 201);
    let v2: Value = response.json().await.expect("json");
    assert_eq!(v2["number"], 2);
    assert_eq!(v2["base_version_id"], v1.as_str());
    assert_eq!(
        v2["modules"].as_array().map(Vec::len),
        Some(2),
        "modules carried over"
    );
    assert_problem(
        edit(&app, &token, &created, Some(&tag), change).await,
        412,
        "precondition_failed",
    )
    .await;
    let path = format!("/api/v1/training/courses/{id}");
    let now: Value = app.get_as(&path, &token).await.json().await.expect("json");
    assert_eq!(now["version"]["title"], "Version two");
    let old: Value = app
        .get_as(&format!("{path}/versions/{v1}"), &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(old["title"], "Version one");
    assert_eq!(old["modules"][0]["title"], "Indicators");
    let versions = page(&app, &format!("{path}/versions"), &token).await;
    assert_eq!(versions["items"].as_array().map(Vec::len), Some(2));

    // Another organisation proposes a change to a shared course; the owner's own proposal,
    // written from the same version, is outdated once the first is verified.
    let shared = give_a_course(&app, &platform, &course("shared", "Curated")).await;
    assert_eq!(shared["verification_status"], "verified");
    assert_eq!(shared["platform_curated"], true);
    let tag = etag_of(&app, &shared, &b.admin.access_token).await;
    let response = edit(
        &app,
        &b.admin.access_token,
        &shared,
        Some(&tag),
        json!({"title": "Curated, by B"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    let by_b: Value = response.json().await.expect("json");
    assert_eq!(by_b["verification_status"], "pending");
    let response = edit(
        &app,
        &a.admin.access_token,
        &shared,
        Some(&tag),
        json!({"title": "Curated, by A"}),
    )
    .await;
    let by_a: Value = response.json().await.expect("json");
    let shared_path = format!(
        "/api/v1/training/courses/{}",
        shared["id"].as_str().expect("id")
    );
    let seen_by_a = page(
        &app,
        &format!("{shared_path}/versions"),
        &a.admin.access_token,
    )
    .await;
    assert!(!ids(&seen_by_a).contains(&by_b["id"].as_str().expect("id").to_owned()));
    let response = review(
        &app,
        &platform,
        &shared,
        by_b["id"].as_str().expect("id"),
        json!({"decision": "verified"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let current: Value = app
        .get_as(&shared_path, &a.admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(current["version"]["title"], "Curated, by B");
    assert_eq!(current["version"]["number"], 2);
    let outdated = review(
        &app,
        &platform,
        &shared,
        by_a["id"].as_str().expect("id"),
        json!({"decision": "verified"}),
    );
    assert_problem(outdated.await, 409, "proposal_outdated").await;
}
