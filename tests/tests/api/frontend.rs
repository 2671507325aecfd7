//! Serving the web app's build from the API process: files, the `index.html` fallback for
//! client routes (never for the API's own paths), caching and security headers.

use crate::helpers::{TestApp, assert_problem, spawn_app, spawn_app_with};

const INDEX: &str =
    "<!doctype html><title>Haven</title><script type=module src=/assets/app-1a2b.js></script>";

async fn spawn_with_build() -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("assets")).expect("assets dir");
    std::fs::write(dir.path().join("index.html"), INDEX).expect("index");
    std::fs::write(dir.path().join("assets/app-1a2b.js"), "console.log(1)").expect("asset");
    std::fs::write(dir.path().join("favicon.svg"), "<svg/>").expect("icon");
    let app = spawn_app_with(&[(
        "HAVEN_FRONTEND_DIR",
        dir.path().to_str().expect("utf-8 path"),
    )])
    .await;
    (app, dir)
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

fn assert_secure(response: &reqwest::Response, path: &str) {
    let csp = header(response, "content-security-policy");
    assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
    assert!(
        !csp.contains("script-src 'self' 'unsafe-inline'"),
        "{path}: {csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    assert_eq!(
        header(response, "x-content-type-options"),
        "nosniff",
        "{path}"
    );
    assert_eq!(header(response, "referrer-policy"), "no-referrer", "{path}");
}

#[tokio::test]
async fn the_app_and_its_client_routes_get_index_html() {
    let (app, _dir) = spawn_with_build().await;
    for path in [
        "/",
        "/cases/0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b",
        "/shelters",
        "/login",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert!(
            header(&response, "content-type").starts_with("text/html"),
            "{path}"
        );
        assert_eq!(header(&response, "cache-control"), "no-cache", "{path}");
        assert_secure(&response, path);
        assert_eq!(response.text().await.expect("body"), INDEX, "{path}");
    }
}

#[tokio::test]
async fn hashed_assets_are_cached_for_good_and_other_files_revalidated() {
    let (app, _dir) = spawn_with_build().await;
    let response = app.get("/assets/app-1a2b.js").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(header(&response, "content-type").contains("javascript"));
    assert_eq!(
        header(&response, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_secure(&response, "asset");
    assert_eq!(response.text().await.expect("body"), "console.log(1)");

    let response = app.get("/favicon.svg").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(header(&response, "cache-control"), "no-cache");
}

#[tokio::test]
async fn api_paths_missing_files_and_escapes_are_404_problems() {
    let (app, _dir) = spawn_with_build().await;
    for path in [
        "/api/v1/no-such-thing",
        "/api/nothing",
        "/health/nothing",
        "/.well-known/nothing",
        "/assets/missing-9z9z.js",
        "/.hidden",
    ] {
        assert_problem(app.get(path).await, 404, "not_found").await;
    }
    // The API itself is untouched.
    assert_eq!(app.get("/health/live").await.status().as_u16(), 200);
    let response = app
        .client
        .post(app.url("/somewhere"))
        .send()
        .await
        .expect("request");
    assert_eq!(
        response.status().as_u16(),
        404,
        "only GET and HEAD get the app"
    );
}

#[tokio::test]
async fn without_a_build_every_unknown_path_is_a_404_problem() {
    let app = spawn_app().await;
    assert_problem(app.get("/").await, 404, "not_found").await;
    assert_problem(app.get("/cases").await, 404, "not_found").await;
}

#[tokio::test]
async fn a_frontend_dir_without_index_html_stops_start_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vars = crate::helpers::env().vars(&[(
        "HAVEN_FRONTEND_DIR",
        dir.path().to_str().expect("utf-8 path"),
    )]);
    let err = haven_api::config::Settings::from_vars(vars).expect_err("refused");
    assert!(err.to_string().contains("HAVEN_FRONTEND_DIR"), "{err}");
}
