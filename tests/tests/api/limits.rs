//! Abuse limits: login attempts per address and per account, API requests per user.

use crate::helpers::{DEMO_PASSWORD, FIXTURE_PASSWORD, assert_problem, spawn_app_with};

fn own_prefix() -> String {
    format!("haven-test-limits:{}:", uuid::Uuid::now_v7().simple())
}

#[tokio::test]
async fn logins_are_limited_per_address_with_retry_after() {
    let prefix = own_prefix();
    let app = spawn_app_with(&[
        ("HAVEN_LOGIN_LIMIT_PER_IP", "3"),
        ("HAVEN_REDIS_PREFIX", &prefix),
    ])
    .await;
    for _ in 0..3 {
        let response = app
            .try_login("analyst@demo-be.example", "a wrong passphrase", None)
            .await;
        assert_eq!(response.status().as_u16(), 401);
    }
    let response = app
        .try_login("analyst@demo-be.example", DEMO_PASSWORD, None)
        .await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_problem(response, 429, "rate_limited").await;
}

#[tokio::test]
async fn an_attacker_cannot_lock_the_owner_out_of_an_account() {
    let prefix = own_prefix();
    let app = spawn_app_with(&[
        ("HAVEN_LOGIN_LIMIT_PER_ACCOUNT", "3"),
        ("HAVEN_TRUST_FORWARDED_FOR", "true"),
        ("HAVEN_REDIS_PREFIX", &prefix),
    ])
    .await;
    let fixture = app.onboard().await;
    let attempt = |ip: &'static str, password: &'static str| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", ip)
            .json(&serde_json::json!({"email": fixture.admin_email, "password": password}))
            .send()
    };
    for _ in 0..3 {
        assert_eq!(
            attempt("198.51.100.66", "guess guess guess")
                .await
                .expect("request")
                .status()
                .as_u16(),
            401
        );
    }
    // The attacker's address is held back, even with the right password...
    assert_problem(
        attempt("198.51.100.66", FIXTURE_PASSWORD)
            .await
            .expect("request"),
        429,
        "rate_limited",
    )
    .await;
    // ...while the owner, elsewhere, signs in.
    assert_eq!(
        attempt("203.0.113.5", FIXTURE_PASSWORD)
            .await
            .expect("request")
            .status()
            .as_u16(),
        200
    );
}

#[tokio::test]
async fn api_requests_are_limited_per_user() {
    let prefix = own_prefix();
    let app = spawn_app_with(&[
        ("HAVEN_API_LIMIT_PER_USER", "5"),
        ("HAVEN_REDIS_PREFIX", &prefix),
    ])
    .await;
    let token = app
        .login("trainer@demo-be.example", DEMO_PASSWORD, None)
        .await
        .access_token;
    for _ in 0..5 {
        assert_eq!(
            app.get_as("/api/v1/me", &token).await.status().as_u16(),
            200
        );
    }
    let response = app.get_as("/api/v1/me", &token).await;
    assert!(response.headers().contains_key("retry-after"));
    assert_problem(response, 429, "rate_limited").await;
    // Another user is not affected.
    let other = app
        .login("analyst@demo-be.example", DEMO_PASSWORD, None)
        .await
        .access_token;
    assert_eq!(
        app.get_as("/api/v1/me", &other).await.status().as_u16(),
        200
    );
}
