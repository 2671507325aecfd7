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

/// Every documented path, asked with a method it does not answer: 405 with `Allow` naming the
/// methods the document gives that path, and HEAD where it gives GET (RFC 9110), not the 404 of
/// an address that does not exist.
#[tokio::test]
async fn other_methods_on_documented_paths_are_405_with_allow() {
    let app = spawn_app().await;
    let spec: serde_json::Value = app
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .expect("document");
    let paths = spec["paths"].as_object().expect("paths");
    let methods_of = |item: &serde_json::Value| -> Vec<String> {
        let mut methods: Vec<String> = item
            .as_object()
            .expect("path item")
            .keys()
            .filter(|key| *key != "parameters")
            .map(|key| key.to_ascii_uppercase())
            .collect();
        if methods.iter().any(|m| m == "GET") {
            methods.push("HEAD".to_owned());
        }
        methods
    };
    // A method the router sends to another pattern matching the address (`PATCH` on
    // `/clients/search` reaches `/clients/{id}`) is that pattern's to answer.
    let matches = |template: &str, path: &str| {
        let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
        t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| t == p || t.starts_with('{'))
    };
    let mut checked = 0;
    for (template, item) in paths {
        // A concrete path; the nil id matches no literal segment of another pattern.
        let path = template
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    "00000000-0000-0000-0000-000000000000"
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let mut documented = methods_of(item);
        documented.sort();
        let answered: Vec<String> = paths
            .iter()
            .filter(|(other, _)| matches(other, &path))
            .flat_map(|(_, item)| methods_of(item))
            .collect();
        for method in ["TRACE", "PUT", "OPTIONS", "HEAD"] {
            if answered.iter().any(|m| m == method) {
                continue;
            }
            let response = app
                .client
                .request(method.parse().expect("method"), app.url(&path))
                .send()
                .await
                .expect("request");
            let allow = response
                .headers()
                .get("allow")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            assert_eq!(
                allow.as_deref(),
                Some(documented.join(", ").as_str()),
                "{method} {path}"
            );
            if method == "HEAD" {
                assert_eq!(response.status().as_u16(), 405, "{method} {path}");
                assert_eq!(response.text().await.expect("body"), "", "{method} {path}");
            } else {
                assert_problem(response, 405, "method_not_allowed").await;
            }
            checked += 1;
        }
    }
    assert!(checked >= 200, "only {checked} requests");
    // An address nothing lives at stays a 404, whatever the method.
    let response = app
        .client
        .request(reqwest::Method::TRACE, app.url("/api/v1/does-not-exist"))
        .send()
        .await
        .expect("request");
    assert_problem(response, 404, "not_found").await;
}

/// A path documented as it is (`/clients/search`) asked with a method that only a pattern of the
/// same shape answers (`PATCH /clients/{id}`): 405 with the path's own methods, as the document
/// says, not the 400 of a malformed id.
#[tokio::test]
async fn a_documented_path_shadowed_by_a_pattern_refuses_other_methods_with_405() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = &fixture.admin.access_token;
    for (method, path, allow) in [
        (reqwest::Method::PATCH, "/api/v1/clients/search", "POST"),
        (reqwest::Method::GET, "/api/v1/clients/search", "POST"),
        (
            reqwest::Method::PATCH,
            "/api/v1/training/sessions/summary",
            "GET, HEAD",
        ),
    ] {
        let response = app
            .authed(method.clone(), path, token)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .expect("request");
        assert_eq!(
            response
                .headers()
                .get("allow")
                .and_then(|v| v.to_str().ok()),
            Some(allow),
            "{method} {path}"
        );
        assert_problem(response, 405, "method_not_allowed").await;
    }
    // A malformed id where no documented path has that shape is still the 400 it was.
    let response = app
        .authed(reqwest::Method::PATCH, "/api/v1/clients/not-an-id", token)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("request");
    assert_problem(response, 400, "invalid_path").await;
}

/// HEAD is answered wherever GET is: GET's status, type and length, and no body.
#[tokio::test]
async fn head_is_answered_as_get_without_the_body() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = &fixture.admin.access_token;
    for (path, status) in [
        ("/health/live", 200),
        ("/api/v1/me", 200),
        ("/api/v1/cases?limit=5", 200),
        ("/api/v1/openapi.json", 200),
        ("/api/v1/cases/00000000-0000-0000-0000-000000000000", 404),
        ("/api/v1/cases?limit=0", 400),
    ] {
        let get = app.get_as(path, token).await;
        let head = app
            .authed(reqwest::Method::HEAD, path, token)
            .send()
            .await
            .expect("request");
        assert_eq!(head.status().as_u16(), status, "HEAD {path}");
        assert_eq!(get.status(), head.status(), "GET and HEAD {path}");
        for name in ["content-type", "content-length"] {
            assert!(head.headers().contains_key(name), "{name} of HEAD {path}");
            assert_eq!(
                get.headers().get(name),
                head.headers().get(name),
                "{name} of GET and HEAD {path}"
            );
        }
        assert!(!get.text().await.expect("body").is_empty(), "GET {path}");
        assert_eq!(head.text().await.expect("body"), "", "HEAD {path}");
    }
    // Without a token, HEAD is refused as GET is.
    let response = app
        .client
        .head(app.url("/api/v1/cases"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 401);
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

/// Sends `request` with `accept_language` and returns the problem it answers with and the
/// language the answer says it is in.
async fn problem_in(
    request: reqwest::RequestBuilder,
    accept_language: Option<&str>,
    status: u16,
    code: &str,
) -> (String, serde_json::Value) {
    let request = match accept_language {
        Some(value) => request.header("accept-language", value),
        None => request,
    };
    let response = request.send().await.expect("request");
    let headers = response.headers().clone();
    let vary: Vec<&str> = headers
        .get_all("vary")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        vary.iter()
            .any(|v| v.eq_ignore_ascii_case("accept-language")),
        "Vary names Accept-Language: {vary:?}"
    );
    let language = headers
        .get("content-language")
        .and_then(|v| v.to_str().ok())
        .expect("Content-Language on a problem")
        .to_owned();
    (language, assert_problem(response, status, code).await)
}

/// A problem's title, detail and field messages come in the caller's language, among English,
/// French and Dutch; its code, field names and values do not change.
#[tokio::test]
async fn problems_speak_the_callers_language() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = &fixture.admin.access_token;
    let invalid = serde_json::json!({
        "case_id": uuid::Uuid::now_v7(), "title": "  ", "due_on": "2050-01-01",
    });
    let english = (
        "en",
        "Unprocessable Entity",
        "Some fields are invalid; see `errors`.",
        [
            "is not a case you may see",
            "must be within one year back and ten years ahead",
            "must be 1 to 200 characters on one line",
        ],
    );
    let cases = [
        (None, english),
        (
            Some("fr-BE, en;q=0.5"),
            (
                "fr",
                "Données non valides",
                "Certains champs ne sont pas valides ; voir `errors`.",
                [
                    "n'est pas un dossier que vous pouvez consulter",
                    "doit se situer entre un an en arrière et dix ans en avant",
                    "doit compter de 1 à 200 caractères sur une ligne",
                ],
            ),
        ),
        (
            Some("de-DE, nl;q=0.9"),
            (
                "nl",
                "Ongeldige gegevens",
                "Sommige velden zijn ongeldig; zie `errors`.",
                [
                    "is geen dossier dat u mag inzien",
                    "moet tussen een jaar terug en tien jaar vooruit liggen",
                    "moet 1 tot 200 tekens op één regel tellen",
                ],
            ),
        ),
        (Some("es"), english),
    ];
    for (accept, (language, title, detail, messages)) in cases {
        let request = app
            .authed(reqwest::Method::POST, "/api/v1/deadlines", token)
            .json(&invalid);
        let (sent_in, body) = problem_in(request, accept, 422, "validation_failed").await;
        assert_eq!(sent_in, language, "{accept:?}");
        assert_eq!(body["title"], title, "{accept:?}");
        assert_eq!(body["detail"], detail, "{accept:?}");
        let mut errors: Vec<(String, String)> = body["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| {
                (
                    e["field"].as_str().expect("field").to_owned(),
                    e["message"].as_str().expect("message").to_owned(),
                )
            })
            .collect();
        errors.sort();
        let expected: Vec<(String, String)> = ["case_id", "due_on", "title"]
            .into_iter()
            .zip(messages)
            .map(|(f, m)| (f.to_owned(), m.to_owned()))
            .collect();
        assert_eq!(errors, expected, "{accept:?}");
    }

    // A conflict, with a value inside the message kept as it is.
    let platform = app.platform_token().await;
    let again = app
        .authed(reqwest::Method::POST, "/api/v1/tenants", &platform)
        .json(&serde_json::json!({
            "name": "Another NGO", "slug": fixture.slug, "country": "BE",
            "default_locale": "nl-BE", "time_zone": "Europe/Brussels",
            "admin": {"email": "someone@elsewhere.example", "name": "Someone",
                      "password": "a long and unusual passphrase 4 tests"},
        }));
    let (sent_in, body) = problem_in(again, Some("nl"), 409, "slug_taken").await;
    assert_eq!(sent_in, "nl");
    assert_eq!(
        body["detail"],
        "Een andere organisatie gebruikt deze slug al."
    );

    // The router's and the authentication's answers too.
    let (_, body) = problem_in(
        app.client.get(app.url("/api/v1/no-such-thing")),
        Some("fr"),
        404,
        "not_found",
    )
    .await;
    assert_eq!(body["title"], "Introuvable");
    assert_eq!(body["detail"], "Aucune ressource n'existe à cette adresse.");
    let (_, body) = problem_in(
        app.client.get(app.url("/api/v1/cases")),
        Some("nl"),
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(body["title"], "Niet aangemeld");
    assert_eq!(
        body["detail"],
        "Stuur een toegangstoken mee: `Authorization: Bearer <token>`."
    );
}
