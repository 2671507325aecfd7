//! Training work: technical-assistance engagements (tenant-owned).

use crate::helpers::{TestApp, assert_problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

fn engagement() -> Value {
    json!({
        "partner_name": "Regional labour inspectorate", "partner_kind": "government_body",
        "country": "ro", "engagement_type": "training_programme_design",
        "starts_on": "2026-12-01", "ends_on": "2027-03-31",
        "deliverables": ["Needs assessment report", "Two-day curriculum"]
    })
}

/// Records an engagement and returns it; panics unless it is 201 with a Location.
pub async fn give_an_engagement(app: &TestApp, token: &str) -> Value {
    let response = app
        .authed(Method::POST, "/api/v1/training/engagements", token)
        .json(&engagement())
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201, "create an engagement");
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("Location")
        .to_owned();
    let created: Value = response.json().await.expect("json");
    assert_eq!(
        location,
        format!(
            "/api/v1/training/engagements/{}",
            created["id"].as_str().expect("id")
        )
    );
    created
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_owned())
        .collect()
}

#[tokio::test]
async fn a_trainer_records_an_engagement_and_changes_it_with_if_match() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (_, trainer) = app.add_user(&fixture, &["trainer"]).await;
    let token = trainer.access_token;
    let created = give_an_engagement(&app, &token).await;
    assert_eq!(created["country"], "RO");
    assert_eq!(created["status"], "planned");
    assert_eq!(created["partner_kind"], "government_body");
    assert_eq!(
        created["deliverables"],
        json!(["Needs assessment report", "Two-day curriculum"])
    );
    let id = created["id"].as_str().expect("id");
    let path = format!("/api/v1/training/engagements/{id}");

    let response = app.get_as(&path, &token).await;
    assert_eq!(response.status().as_u16(), 200);
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("ETag")
        .to_owned();
    let patch = |tag: Option<&str>, body: Value| {
        let mut request = app.authed(Method::PATCH, &path, &token).json(&body);
        if let Some(tag) = tag {
            request = request.header("if-match", tag);
        }
        request.send()
    };
    assert_problem(
        patch(None, json!({"status": "ongoing"}))
            .await
            .expect("request"),
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        patch(Some("\"1\""), json!({"status": "ongoing"}))
            .await
            .expect("request"),
        412,
        "precondition_failed",
    )
    .await;
    // An end before the start, and an unknown country, are both listed.
    let problem = assert_problem(
        patch(
            Some(&etag),
            json!({"ends_on": "2026-11-01", "country": "XX"}),
        )
        .await
        .expect("request"),
        422,
        "validation_failed",
    )
    .await;
    let text = problem.to_string();
    assert!(
        text.contains("ends_on") && text.contains("country"),
        "{problem}"
    );
    let response = patch(
        Some(&etag),
        json!({"status": "completed", "ends_on": null, "deliverables": ["Final report"]}),
    )
    .await
    .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let updated: Value = response.json().await.expect("json");
    assert_eq!(updated["status"], "completed");
    assert!(updated["ends_on"].is_null());
    assert_eq!(updated["deliverables"], json!(["Final report"]));
    // The stale tag no longer fits.
    assert_problem(
        patch(Some(&etag), json!({"status": "cancelled"}))
            .await
            .expect("request"),
        412,
        "precondition_failed",
    )
    .await;

    let response = app
        .get_as("/api/v1/training/engagements?status=completed", &token)
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let page: Value = response.json().await.expect("json");
    assert_eq!(ids(&page), vec![id.to_owned()]);
    let response = app
        .get_as("/api/v1/training/engagements?status=planned", &token)
        .await;
    let page: Value = response.json().await.expect("json");
    assert!(ids(&page).is_empty(), "{page}");
}

#[tokio::test]
async fn analysts_and_case_workers_do_not_write_and_platform_admins_reach_none() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let admin = fixture.admin.access_token.clone();
    let created = give_an_engagement(&app, &admin).await;
    let path = format!(
        "/api/v1/training/engagements/{}",
        created["id"].as_str().expect("id")
    );
    for role in ["analyst", "case_worker"] {
        let (_, user) = app.add_user(&fixture, &[role]).await;
        let response = app
            .authed(
                Method::POST,
                "/api/v1/training/engagements",
                &user.access_token,
            )
            .json(&engagement())
            .send()
            .await
            .expect("request");
        assert_problem(response, 403, "forbidden").await;
        let response = app
            .authed(Method::PATCH, &path, &user.access_token)
            .header("if-match", "*")
            .json(&json!({"status": "cancelled"}))
            .send()
            .await
            .expect("request");
        assert_problem(response, 403, "forbidden").await;
        assert_problem(
            app.get_as("/api/v1/training/engagements", &user.access_token)
                .await,
            403,
            "forbidden",
        )
        .await;
    }
    let platform = app.platform_token().await;
    let response = app
        .authed(Method::POST, "/api/v1/training/engagements", &platform)
        .json(&engagement())
        .send()
        .await
        .expect("request");
    assert_problem(response, 403, "forbidden").await;
    assert_problem(app.get_as(&path, &platform).await, 403, "forbidden").await;
}

#[tokio::test]
async fn another_organisation_never_sees_an_engagement() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let b = app.onboard().await;
    let created = give_an_engagement(&app, &a.admin.access_token).await;
    let path = format!(
        "/api/v1/training/engagements/{}",
        created["id"].as_str().expect("id")
    );
    assert_problem(
        app.get_as(&path, &b.admin.access_token).await,
        404,
        "not_found",
    )
    .await;
    let response = app
        .get_as("/api/v1/training/engagements", &b.admin.access_token)
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let page: Value = response.json().await.expect("json");
    assert!(ids(&page).is_empty(), "{page}");
}
