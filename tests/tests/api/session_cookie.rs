//! The cookie mode of sign-in, refresh and logout that browser apps use: the refresh token
//! only ever in an `HttpOnly; Secure; SameSite=Strict` cookie scoped to `/api/v1/auth`, read
//! only with the `X-Haven-Session: cookie` header.

use crate::helpers::{FIXTURE_PASSWORD, TestApp, assert_problem, spawn_app};
use serde_json::{Value, json};

const MODE: (&str, &str) = ("x-haven-session", "cookie");

/// The `haven_refresh` Set-Cookie of a response, if any.
fn set_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("haven_refresh="))
        .map(str::to_owned)
}

/// The value a Set-Cookie line gives the cookie.
fn cookie_value(line: &str) -> String {
    line.split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, v)| v.to_owned())
        .expect("name=value")
}

async fn cookie_login(app: &TestApp, email: &str, tenant: &str) -> (String, String) {
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header(MODE.0, MODE.1)
        .json(&json!({"email": email, "password": FIXTURE_PASSWORD, "tenant": tenant}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let line = set_cookie(&response).expect("a refresh cookie");
    let body: Value = response.json().await.expect("json");
    assert!(
        body.get("refresh_token").is_none(),
        "the body never carries the refresh token in cookie mode: {body}"
    );
    let access = body["access_token"]
        .as_str()
        .expect("access token")
        .to_owned();
    (access, cookie_value(&line))
}

async fn cookie_refresh(app: &TestApp, cookie: Option<&str>, header: bool) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .json(&json!({}));
    if header {
        request = request.header(MODE.0, MODE.1);
    }
    if let Some(cookie) = cookie {
        request = request.header("cookie", format!("other=1; haven_refresh={cookie}"));
    }
    request.send().await.expect("request")
}

#[tokio::test]
async fn cookie_login_sets_a_strict_http_only_cookie_scoped_to_auth() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header(MODE.0, MODE.1)
        .json(&json!({"email": fixture.admin_email, "password": FIXTURE_PASSWORD, "tenant": fixture.slug}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let line = set_cookie(&response).expect("a refresh cookie");
    let attributes: Vec<String> = line
        .split(';')
        .map(|a| a.trim().to_ascii_lowercase())
        .collect();
    for wanted in ["httponly", "secure", "samesite=strict", "path=/api/v1/auth"] {
        assert!(attributes.iter().any(|a| a == wanted), "{wanted} in {line}");
    }
    assert!(
        cookie_value(&line).starts_with("hvr_"),
        "the cookie holds the refresh token"
    );
    let body: Value = response.json().await.expect("json");
    assert!(body.get("refresh_token").is_none());
    assert_eq!(
        app.get_as("/api/v1/me", body["access_token"].as_str().expect("token"))
            .await
            .status()
            .as_u16(),
        200
    );
}

#[tokio::test]
async fn body_mode_is_unchanged_and_sets_no_cookie() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let response = app
        .try_login(&fixture.admin_email, FIXTURE_PASSWORD, Some(&fixture.slug))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        set_cookie(&response).is_none(),
        "no cookie without the header"
    );
    let body: Value = response.json().await.expect("json");
    assert!(
        body["refresh_token"]
            .as_str()
            .is_some_and(|t| t.starts_with("hvr_"))
    );
    // Body-mode refresh without a token is a missing credential.
    let response = cookie_refresh(&app, None, false).await;
    let problem = assert_problem(response, 401, "invalid_token").await;
    assert_eq!(problem["detail"], "No refresh token came with the request.");
}

#[tokio::test]
async fn the_cookie_refreshes_and_rotates_only_with_the_header() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (_, first) = cookie_login(&app, &fixture.admin_email, &fixture.slug).await;

    // A cross-site request can carry the cookie but not the header: the cookie is not read,
    // so no token was presented.
    let response = cookie_refresh(&app, Some(&first), false).await;
    let problem = assert_problem(response, 401, "invalid_token").await;
    assert_eq!(problem["detail"], "No refresh token came with the request.");

    let response = cookie_refresh(&app, Some(&first), true).await;
    assert_eq!(response.status().as_u16(), 200);
    let second = cookie_value(&set_cookie(&response).expect("the next cookie"));
    assert_ne!(second, first, "rotated");
    let body: Value = response.json().await.expect("json");
    assert!(body.get("refresh_token").is_none());
    assert_eq!(
        app.get_as("/api/v1/me", body["access_token"].as_str().expect("token"))
            .await
            .status()
            .as_u16(),
        200
    );

    // Presenting the spent cookie ends the session, and the answer clears the cookie.
    let response = cookie_refresh(&app, Some(&first), true).await;
    let cleared = set_cookie(&response).expect("a clearing cookie");
    assert_eq!(cookie_value(&cleared), "");
    assert!(
        cleared.to_ascii_lowercase().contains("max-age=0"),
        "{cleared}"
    );
    assert_problem(response, 401, "invalid_token").await;
    assert_problem(
        cookie_refresh(&app, Some(&second), true).await,
        401,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn cookie_refresh_without_a_cookie_is_refused() {
    let app = spawn_app().await;
    let response = cookie_refresh(&app, None, true).await;
    assert!(
        set_cookie(&response).is_some(),
        "the answer clears any stale cookie"
    );
    assert_problem(response, 401, "invalid_token").await;
}

#[tokio::test]
async fn logout_clears_the_cookie_and_ends_the_session() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (access, refresh) = cookie_login(&app, &fixture.admin_email, &fixture.slug).await;
    let response = app
        .authed(reqwest::Method::POST, "/api/v1/auth/logout", &access)
        .header(MODE.0, MODE.1)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 204);
    let cleared = set_cookie(&response).expect("a clearing cookie");
    assert_eq!(cookie_value(&cleared), "");
    assert!(
        cleared.to_ascii_lowercase().contains("max-age=0"),
        "{cleared}"
    );
    assert_problem(
        cookie_refresh(&app, Some(&refresh), true).await,
        401,
        "invalid_token",
    )
    .await;
    assert_eq!(
        app.get_as("/api/v1/me", &access).await.status().as_u16(),
        401
    );
}
