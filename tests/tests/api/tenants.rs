//! Onboarding, listing and suspending organisations.

use crate::helpers::{DEMO_PASSWORD, FIXTURE_PASSWORD, assert_problem, spawn_app};
use reqwest::Method;
use serde_json::json;

fn body(slug: &str) -> serde_json::Value {
    json!({
        "name": "Refuge Lyon",
        "slug": slug,
        "country": "FR",
        "default_locale": "fr-FR",
        "time_zone": "Europe/Paris",
        "admin": {"email": format!("director@{slug}.example"), "name": "Camille Martin", "password": FIXTURE_PASSWORD},
    })
}

#[tokio::test]
async fn a_platform_admin_onboards_a_third_tenant_whose_admin_can_sign_in() {
    let app = spawn_app().await;
    let platform = app.platform_token().await;
    let slug = format!("lyon-{}", &uuid::Uuid::now_v7().simple().to_string()[24..]);
    let response = app
        .authed(Method::POST, "/api/v1/tenants", &platform)
        .json(&body(&slug))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let created: serde_json::Value = response.json().await.expect("json");
    assert_eq!(
        location,
        format!("/api/v1/tenants/{}", created["id"].as_str().expect("id"))
    );
    assert_eq!(created["country"], "FR");
    assert_eq!(created["status"], "active");

    let fetched: serde_json::Value = app
        .get_as(&location, &platform)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(fetched["slug"], slug);
    let tokens = app
        .login(&format!("director@{slug}.example"), FIXTURE_PASSWORD, None)
        .await;
    let me: serde_json::Value = app
        .get_as("/api/v1/me", &tokens.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["roles"], json!(["tenant_admin"]));

    // Listed, in slug order, with pages.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/tenants?limit=2&cursor={c}"),
            None => "/api/v1/tenants?limit=2".to_owned(),
        };
        let page: serde_json::Value = app
            .get_as(&path, &platform)
            .await
            .json()
            .await
            .expect("json");
        for item in page["items"].as_array().expect("items") {
            seen.push(item["slug"].as_str().expect("slug").to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert!(seen.contains(&slug) && seen.contains(&"demo-be".to_owned()));
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);

    // The same slug again is a conflict.
    let again = app
        .authed(Method::POST, "/api/v1/tenants", &platform)
        .json(&body(&slug))
        .send()
        .await
        .expect("request");
    assert_problem(again, 409, "slug_taken").await;
}

#[tokio::test]
async fn onboarding_input_is_validated_field_by_field() {
    let app = spawn_app().await;
    let platform = app.platform_token().await;
    let bad = json!({
        "name": "",
        "slug": "Bad Slug",
        "country": "XX",
        "default_locale": "french",
        "time_zone": "Mars/Olympus",
        "admin": {"email": "not-an-address", "name": "A", "password": "password1234"},
    });
    let response = app
        .authed(Method::POST, "/api/v1/tenants", &platform)
        .json(&bad)
        .send()
        .await
        .expect("request");
    let problem = assert_problem(response, 422, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    for field in [
        "name",
        "slug",
        "country",
        "default_locale",
        "time_zone",
        "admin.email",
        "admin.password",
    ] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
    // Mass assignment: fields that are not inputs are refused.
    let mut sneaky = body("sneaky-slug");
    sneaky["id"] = json!(uuid::Uuid::now_v7());
    sneaky["status"] = json!("suspended");
    let response = app
        .authed(Method::POST, "/api/v1/tenants", &platform)
        .json(&sneaky)
        .send()
        .await
        .expect("request");
    assert_problem(response, 400, "invalid_body").await;
    let mut sneaky = body("sneaky-slug");
    sneaky["admin"]["roles"] = json!(["platform_admin"]);
    let response = app
        .authed(Method::POST, "/api/v1/tenants", &platform)
        .json(&sneaky)
        .send()
        .await
        .expect("request");
    assert_problem(response, 400, "invalid_body").await;
}

#[tokio::test]
async fn tenant_users_cannot_onboard_list_or_change_tenants() {
    let app = spawn_app().await;
    let admin = app
        .login("tenant_admin@demo-be.example", DEMO_PASSWORD, None)
        .await
        .access_token;
    let response = app
        .authed(Method::POST, "/api/v1/tenants", &admin)
        .json(&body("not-allowed"))
        .send()
        .await
        .expect("request");
    assert_problem(response, 403, "forbidden").await;
    assert_problem(
        app.get_as("/api/v1/tenants", &admin).await,
        403,
        "forbidden",
    )
    .await;
    // Their own tenant is readable; any other is not found; none may be changed by them.
    let me: serde_json::Value = app
        .get_as("/api/v1/me", &admin)
        .await
        .json()
        .await
        .expect("json");
    let own = me["tenant"]["id"].as_str().expect("id").to_owned();
    assert_eq!(
        app.get_as(&format!("/api/v1/tenants/{own}"), &admin)
            .await
            .status()
            .as_u16(),
        200
    );
    let other = app
        .login("tenant_admin@demo-ng.example", DEMO_PASSWORD, None)
        .await
        .access_token;
    let other_me: serde_json::Value = app
        .get_as("/api/v1/me", &other)
        .await
        .json()
        .await
        .expect("json");
    let other_id = other_me["tenant"]["id"].as_str().expect("id").to_owned();
    assert_problem(
        app.get_as(&format!("/api/v1/tenants/{other_id}"), &admin)
            .await,
        404,
        "not_found",
    )
    .await;
    let response = app
        .authed(Method::PATCH, &format!("/api/v1/tenants/{own}"), &admin)
        .json(&json!({"status": "suspended"}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 404, "not_found").await;
}

#[tokio::test]
async fn platform_admins_reach_no_tenant_data() {
    let app = spawn_app().await;
    let platform = app.platform_token().await;
    for path in ["/api/v1/users", "/api/v1/audit-events"] {
        assert_problem(app.get_as(path, &platform).await, 403, "forbidden").await;
    }
}

#[tokio::test]
async fn a_tenant_change_needs_the_version_read_so_a_suspension_is_not_undone() {
    let app = spawn_app().await;
    let platform = app.platform_token().await;
    let fixture = app.onboard().await;
    let path = format!("/api/v1/tenants/{}", fixture.id);
    let change = |tag: Option<String>, body: serde_json::Value| {
        let mut request = app.authed(Method::PATCH, &path, &platform).json(&body);
        if let Some(tag) = tag {
            request = request.header("if-match", tag);
        }
        request.send()
    };
    let etag_of = |response: &reqwest::Response| {
        response.headers()["etag"]
            .to_str()
            .expect("etag")
            .to_owned()
    };
    let seen = etag_of(&app.get_as(&path, &platform).await);

    assert_problem(
        change(None, json!({"status": "suspended"}))
            .await
            .expect("request"),
        428,
        "precondition_required",
    )
    .await;
    assert_eq!(
        app.get_as("/api/v1/me", &fixture.admin.access_token)
            .await
            .status()
            .as_u16(),
        200,
        "nothing changed"
    );

    // One operator suspends the organisation; another, from the same reading, would
    // reactivate it while renaming it.
    let suspended = change(Some(seen.clone()), json!({"status": "suspended"}))
        .await
        .expect("request");
    assert_eq!(suspended.status().as_u16(), 200);
    let newer = etag_of(&suspended);
    assert_ne!(newer, seen);
    assert_problem(
        change(
            Some(seen),
            json!({"name": "Renamed NGO", "status": "active"}),
        )
        .await
        .expect("request"),
        412,
        "precondition_failed",
    )
    .await;
    let now = app.get_as(&path, &platform).await;
    assert_eq!(etag_of(&now), newer);
    let now: serde_json::Value = now.json().await.expect("json");
    assert_eq!(now["status"], "suspended", "the suspension stands");
    assert_ne!(now["name"], "Renamed NGO");

    let renamed = change(Some(newer), json!({"name": "Renamed NGO"}))
        .await
        .expect("request");
    assert_eq!(renamed.status().as_u16(), 200);
    let renamed: serde_json::Value = renamed.json().await.expect("json");
    assert_eq!(
        (renamed["name"].clone(), renamed["status"].clone()),
        (json!("Renamed NGO"), json!("suspended"))
    );
}
