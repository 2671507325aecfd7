//! Every error leaves as application/problem+json with type, title, status, detail, instance.

use crate::helpers::{assert_problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn unknown_routes_are_404_problems() {
    let app = spawn_app().await;
    for path in [
        "/nope",
        "/api/v1/does-not-exist",
        "/api/v1/clients/../../etc/passwd",
    ] {
        assert_problem(app.get(path).await, 404, "not_found").await;
    }
}

#[tokio::test]
async fn malformed_json_is_a_400_problem() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/__probe/echo"))
        .header("content-type", "application/json")
        .body(r#"{"name": "x", "count": 1"#)
        .send()
        .await
        .expect("request");
    assert_problem(response, 400, "malformed_json").await;
}

#[tokio::test]
async fn unknown_fields_are_rejected_with_the_field_named() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/__probe/echo"))
        .json(&serde_json::json!({"name": "x", "count": 1, "tenant_id": "someone-else"}))
        .send()
        .await
        .expect("request");
    let body = assert_problem(response, 400, "invalid_body").await;
    assert_eq!(body["errors"][0]["field"], "tenant_id");
}

#[tokio::test]
async fn wrong_types_are_400_without_echoing_the_value() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/__probe/echo"))
        .json(&serde_json::json!({"name": "x", "count": "Maria Secret"}))
        .send()
        .await
        .expect("request");
    let body = assert_problem(response, 400, "invalid_body").await;
    assert!(!body.to_string().contains("Maria Secret"), "{body}");
}

#[tokio::test]
async fn a_wrong_content_type_is_415() {
    let app = spawn_app().await;
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut request = app
            .client
            .post(app.url("/__probe/echo"))
            .body(r#"{"name":"x","count":1}"#);
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        let response = request.send().await.expect("request");
        assert_problem(response, 415, "unsupported_media_type").await;
    }
    // The same body with the right type is accepted, so the 415 is about the type alone.
    let response = app
        .client
        .post(app.url("/__probe/echo"))
        .header("content-type", "application/json")
        .body(r#"{"name":"x","count":1}"#)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn bodies_over_the_limit_are_413() {
    let app = spawn_app_with(&[("HAVEN_BODY_LIMIT", "2048")]).await;
    let big = format!(r#"{{"name":"{}","count":1}}"#, "x".repeat(4096));
    let response = app
        .client
        .post(app.url("/__probe/echo"))
        .header("content-type", "application/json")
        .body(big.clone())
        .send()
        .await
        .expect("request");
    assert_problem(response, 413, "payload_too_large").await;

    // Without a Content-Length (chunked), the limit still holds.
    let stream = futures_stream(big);
    let response = app
        .client
        .post(app.url("/__probe/echo"))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .expect("request");
    assert_problem(response, 413, "payload_too_large").await;
}

fn futures_stream(
    body: String,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = body
        .into_bytes()
        .chunks(512)
        .map(|c| Ok(c.to_vec()))
        .collect();
    futures_util::stream::iter(chunks)
}

#[tokio::test]
async fn handler_errors_are_500_problems_without_internals() {
    let app = spawn_app().await;
    let body = assert_problem(app.get("/__probe/fail").await, 500, "internal_error").await;
    let text = body.to_string();
    assert!(
        !text.contains("hunter2") && !text.contains("postgres://"),
        "{text}"
    );
}

#[tokio::test]
async fn a_panicking_handler_is_a_500_problem_and_the_server_carries_on() {
    let app = spawn_app().await;
    for _ in 0..3 {
        let body = assert_problem(app.get("/__probe/panic").await, 500, "internal_error").await;
        assert!(!body.to_string().contains("probe panic"));
    }
    assert_eq!(app.get("/health/live").await.status().as_u16(), 200);
}
