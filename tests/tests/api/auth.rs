//! Signing in, refresh rotation and reuse, logout, and immediate lock-out.

use crate::helpers::{DEMO_PASSWORD, FIXTURE_PASSWORD, assert_problem, spawn_app};
use reqwest::Method;

const ROLES: [&str; 6] = [
    "tenant_admin",
    "shelter_manager",
    "case_worker",
    "shelter_staff",
    "trainer",
    "analyst",
];

#[tokio::test]
async fn every_demo_account_signs_in_and_sees_itself() {
    let app = spawn_app().await;
    for slug in ["demo-be", "demo-ng"] {
        for role in ROLES {
            let email = format!("{role}@{slug}.example");
            let tokens = app.login(&email, DEMO_PASSWORD, None).await;
            assert_eq!(tokens.token_type, "Bearer");
            assert!(
                tokens.expires_in > 0 && tokens.expires_in <= 900,
                "access tokens live at most 15 minutes"
            );
            let me: serde_json::Value = app
                .get_as("/api/v1/me", &tokens.access_token)
                .await
                .json()
                .await
                .expect("json");
            assert_eq!(me["email"], email);
            assert_eq!(me["roles"], serde_json::json!([role]));
            assert_eq!(me["tenant"]["slug"], slug);
        }
    }
    let platform = app.platform_token().await;
    let me: serde_json::Value = app
        .get_as("/api/v1/me", &platform)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["kind"], "platform_admin");
    assert!(me["tenant"].is_null());
}

#[tokio::test]
async fn access_tokens_are_eddsa_jwts_with_the_pinned_claims() {
    use base64::Engine as _;
    let app = spawn_app().await;
    let tokens = app
        .login(
            "case_worker@demo-be.example",
            DEMO_PASSWORD,
            Some("demo-be"),
        )
        .await;
    let parts: Vec<&str> = tokens.access_token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let decode = |p: &str| -> serde_json::Value {
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p)
                .expect("b64"),
        )
        .expect("json")
    };
    let header = decode(parts[0]);
    let claims = decode(parts[1]);
    assert_eq!(header["alg"], "EdDSA");
    assert_eq!(header["typ"], "at+jwt");
    let kid = header["kid"].as_str().expect("kid");
    let jwks: serde_json::Value = app
        .get("/.well-known/jwks.json")
        .await
        .json()
        .await
        .expect("json");
    assert!(
        jwks["keys"]
            .as_array()
            .expect("keys")
            .iter()
            .any(|k| k["kid"] == kid && k["crv"] == "Ed25519")
    );
    for claim in ["iss", "aud", "sub", "tid", "exp", "iat", "nbf", "roles"] {
        assert!(!claims[claim].is_null(), "claim {claim}");
    }
    let lifetime = claims["exp"].as_u64().expect("exp") - claims["iat"].as_u64().expect("iat");
    assert!(lifetime <= 900, "{lifetime}");
}

#[tokio::test]
async fn wrong_passwords_and_unknown_addresses_get_the_same_answer() {
    let app = spawn_app().await;
    let wrong = app
        .try_login(
            "case_worker@demo-be.example",
            "not the password at all",
            None,
        )
        .await;
    let unknown = app
        .try_login(
            "nobody-here@demo-be.example",
            "not the password at all",
            None,
        )
        .await;
    let malformed = app
        .try_login("not-an-address", "not the password at all", None)
        .await;
    let mut bodies = Vec::new();
    for response in [wrong, unknown, malformed] {
        let mut body = assert_problem(response, 401, "invalid_credentials").await;
        body["instance"] = serde_json::Value::Null;
        bodies.push(body);
    }
    assert_eq!(bodies[0], bodies[1]);
    assert_eq!(bodies[1], bodies[2]);
}

#[tokio::test]
async fn an_address_in_several_tenants_must_name_one() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let b = app.onboard().await;
    // The same person works for both organisations, with the same password.
    let email = format!(
        "shared-{}@example.org",
        &uuid::Uuid::now_v7().simple().to_string()[20..]
    );
    for fixture in [&a, &b] {
        let invitation: serde_json::Value = app
            .authed(Method::POST, "/api/v1/users", &fixture.admin.access_token)
            .json(&serde_json::json!({"email": email, "name": "Shared Person", "roles": ["case_worker"]}))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        let response = app
            .client
            .post(app.url("/api/v1/auth/set-password"))
            .json(&serde_json::json!({"token": invitation["set_password_token"], "password": FIXTURE_PASSWORD}))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 204);
    }
    let body = assert_problem(
        app.try_login(&email, FIXTURE_PASSWORD, None).await,
        409,
        "tenant_required",
    )
    .await;
    let mut expected = vec![a.slug.clone(), b.slug.clone()];
    expected.sort();
    assert_eq!(body["tenants"], serde_json::json!(expected));
    let tokens = app.login(&email, FIXTURE_PASSWORD, Some(&b.slug)).await;
    let me: serde_json::Value = app
        .get_as("/api/v1/me", &tokens.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["tenant"]["slug"], b.slug);
    // A wrong password reveals nothing about which organisations the address belongs to.
    let body = assert_problem(
        app.try_login(&email, "a wrong passphrase", None).await,
        401,
        "invalid_credentials",
    )
    .await;
    assert!(body.get("tenants").is_none());
}

async fn refresh(app: &crate::helpers::TestApp, token: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/refresh"))
        .json(&serde_json::json!({"refresh_token": token}))
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_reused_one_ends_the_session() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let first = fixture.admin.clone();
    let response = refresh(&app, &first.refresh_token).await;
    assert_eq!(response.status().as_u16(), 200);
    let second: crate::helpers::Tokens = response.json().await.expect("json");
    assert_ne!(second.refresh_token, first.refresh_token, "rotated");
    assert_eq!(
        app.get_as("/api/v1/me", &second.access_token)
            .await
            .status()
            .as_u16(),
        200
    );

    // The spent token comes back (it was copied): the whole session is revoked.
    assert_problem(
        refresh(&app, &first.refresh_token).await,
        401,
        "invalid_token",
    )
    .await;
    assert_problem(
        refresh(&app, &second.refresh_token).await,
        401,
        "invalid_token",
    )
    .await;
    assert_problem(
        app.get_as("/api/v1/me", &second.access_token).await,
        401,
        "invalid_token",
    )
    .await;
    assert_problem(
        app.get_as("/api/v1/me", &first.access_token).await,
        401,
        "invalid_token",
    )
    .await;

    // Another session of the same user is untouched.
    let other = app
        .login(&fixture.admin_email, FIXTURE_PASSWORD, Some(&fixture.slug))
        .await;
    assert_eq!(
        app.get_as("/api/v1/me", &other.access_token)
            .await
            .status()
            .as_u16(),
        200
    );

    // The revocation is in the audit log.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let events: serde_json::Value = app
        .get_as(
            "/api/v1/audit-events?action=auth.session_revoked",
            &other.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        events["items"][0]["details"]["reason"],
        "refresh_token_reused"
    );

    assert_problem(refresh(&app, "hvr_garbage").await, 401, "invalid_token").await;
    // No token at all is a missing credential too.
    let response = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 401, "invalid_token").await;
}

#[tokio::test]
async fn logout_ends_the_session_at_once() {
    let app = spawn_app().await;
    let tokens = app
        .login("analyst@demo-ng.example", DEMO_PASSWORD, None)
        .await;
    let response = app
        .authed(Method::POST, "/api/v1/auth/logout", &tokens.access_token)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 204);
    assert_problem(
        app.get_as("/api/v1/me", &tokens.access_token).await,
        401,
        "invalid_token",
    )
    .await;
    assert_problem(
        refresh(&app, &tokens.refresh_token).await,
        401,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn a_suspended_tenant_is_locked_out_at_once_and_back_when_reactivated() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (_, member) = app.add_user(&fixture, &["case_worker"]).await;
    assert_eq!(
        app.get_as("/api/v1/me", &member.access_token)
            .await
            .status()
            .as_u16(),
        200
    );

    let platform = app.platform_token().await;
    let path = format!("/api/v1/tenants/{}", fixture.id);
    let (server, path, platform) = (&app, &path, &platform);
    let suspend = move |status: &'static str| async move {
        let read = server.get_as(path, platform).await;
        server
            .authed(Method::PATCH, path, platform)
            .header("if-match", read.headers()["etag"].clone())
            .json(&serde_json::json!({"status": status}))
            .send()
            .await
    };
    let response = suspend("suspended").await.expect("request");
    assert_eq!(response.status().as_u16(), 200);
    for token in [&member.access_token, &fixture.admin.access_token] {
        assert_problem(
            app.get_as("/api/v1/me", token).await,
            401,
            "account_inactive",
        )
        .await;
    }
    assert_problem(
        refresh(&app, &member.refresh_token).await,
        401,
        "account_inactive",
    )
    .await;
    assert_problem(
        app.try_login(&fixture.admin_email, FIXTURE_PASSWORD, Some(&fixture.slug))
            .await,
        401,
        "account_inactive",
    )
    .await;

    assert_eq!(
        suspend("active").await.expect("request").status().as_u16(),
        200
    );
    assert_eq!(
        app.get_as("/api/v1/me", &fixture.admin.access_token)
            .await
            .status()
            .as_u16(),
        200
    );
}

#[tokio::test]
async fn requests_without_a_token_are_401_problems() {
    let app = spawn_app().await;
    for header in [
        None,
        Some("Bearer"),
        Some("Basic dXNlcjpwYXNz"),
        Some("Bearer not.a.jwt"),
    ] {
        let mut request = app.client.get(app.url("/api/v1/me"));
        if let Some(h) = header {
            request = request.header("authorization", h);
        }
        let response = request.send().await.expect("request");
        assert!(response.headers().contains_key("www-authenticate"));
        let code = if header.is_some_and(|h| h.contains("not.a.jwt")) {
            "invalid_token"
        } else {
            "unauthenticated"
        };
        assert_problem(response, 401, code).await;
    }
}
