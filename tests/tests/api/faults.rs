//! Dependencies failing under a running server (PostgreSQL + Redis profile): a Redis of the
//! test's own stopped and started again, and the server's own PostgreSQL connections killed
//! while requests are in flight.

use crate::helpers::{Profile, TestApp, env, spawn_app_with};
use reqwest::Method;
use sea_orm::{ConnectionTrait as _, Database, DatabaseBackend, Statement};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}

/// A throw-away Redis on `port`: no persistence, bound to 127.0.0.1, killed on drop.
struct ThrowAwayRedis {
    port: u16,
    child: Option<Child>,
}

impl ThrowAwayRedis {
    fn start(port: u16) -> Self {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server is installed");
        let redis = Self {
            port,
            child: Some(child),
        };
        for _ in 0..100 {
            if redis.answers() {
                return redis;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the throw-away Redis on port {port} did not start");
    }

    fn answers(&self) -> bool {
        use std::io::{Read as _, Write as _};
        let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        stream.set_read_timeout(Some(Duration::from_secs(1))).ok();
        let mut answer = [0u8; 7];
        stream.write_all(b"PING\r\n").is_ok()
            && stream.read_exact(&mut answer).is_ok()
            && &answer == b"+PONG\r\n"
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }
}

impl Drop for ThrowAwayRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn status_of(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> u16 {
    let mut request = app.authed(method, path, token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("request").status().as_u16()
}

fn shelter(name: &str) -> Value {
    json!({
        "name": name,
        "address": "Rue de la Paix 1, 1000 Brussels",
        "capacity": 4,
        "admits_genders": ["female"],
        "min_age": 18,
        "admits_minors": false,
    })
}

/// Polls `path` until it answers `status`, at most `tries` times half a second apart.
async fn until_status(app: &TestApp, path: &str, status: u16, tries: u32) -> bool {
    for _ in 0..tries {
        if app.get(path).await.status().as_u16() == status {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    false
}

/// Whether `GET /api/v1/me` with `token` is refused with 429 within 14 requests.
async fn reaches_the_limit(app: &TestApp, token: &str) -> bool {
    for _ in 0..14 {
        if status_of(app, Method::GET, "/api/v1/me", token, None).await == 429 {
            return true;
        }
    }
    false
}

#[tokio::test]
async fn without_redis_the_server_serves_refuses_revoked_tokens_counts_limits_itself_and_recovers()
{
    if env().profile == Profile::Embedded || env().redis_url.is_none() {
        // The embedded profile has no Redis to lose; the PostgreSQL + Redis run covers this.
        return;
    }
    let port = free_port();
    let mut redis = ThrowAwayRedis::start(port);
    let url = format!("redis://127.0.0.1:{port}");
    let app = spawn_app_with(&[
        ("REDIS_URL", &url),
        ("HAVEN_API_LIMIT_PER_USER", "12"),
        ("HAVEN_LOGIN_LIMIT_PER_ACCOUNT", "3"),
    ])
    .await;
    let fixture = app.onboard().await;
    let token = fixture.admin.access_token.clone();
    // A second session of the same administrator, signed out while Redis is up.
    let revoked = app
        .login(
            &fixture.admin_email,
            crate::helpers::FIXTURE_PASSWORD,
            Some(&fixture.slug),
        )
        .await
        .access_token;
    assert_eq!(
        status_of(&app, Method::POST, "/api/v1/auth/logout", &revoked, None).await,
        204
    );
    assert_eq!(app.get("/health/ready").await.status().as_u16(), 200);

    // The limit counts in Redis: a few requests reach it.
    assert!(
        reaches_the_limit(&app, &token).await,
        "the per-user limit is enforced while Redis is up"
    );

    redis.stop();
    let ready = app.get("/health/ready").await;
    let body = crate::helpers::assert_problem(ready, 503, "service_unavailable").await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("cache"),
        "{body}"
    );

    // Reads and writes that do not need Redis go on; the user over the shared limit gets
    // through, since the process starts its own count; the signed-out session stays signed out
    // (revocation is checked in the database).
    assert_eq!(
        status_of(&app, Method::GET, "/api/v1/me", &token, None).await,
        200
    );
    assert_eq!(
        status_of(&app, Method::GET, "/api/v1/shelters", &token, None).await,
        200
    );
    let created = status_of(
        &app,
        Method::POST,
        "/api/v1/shelters",
        &token,
        Some(shelter("Maison sans cache")),
    )
    .await;
    assert_eq!(created, 201, "a write without Redis");
    assert_eq!(
        status_of(&app, Method::GET, "/api/v1/me", &revoked, None).await,
        401
    );
    let fresh = app
        .try_login(
            &fixture.admin_email,
            crate::helpers::FIXTURE_PASSWORD,
            Some(&fixture.slug),
        )
        .await;
    assert_eq!(fresh.status().as_u16(), 200, "sign-in without Redis");

    // The limits still hold, counted by the process alone: the API limit per user, and the
    // sign-in limit per account, so guessing a password gets no further without Redis.
    assert!(
        reaches_the_limit(&app, &token).await,
        "the per-user limit is counted locally while Redis is down"
    );
    let mut guesses = Vec::new();
    for _ in 0..4 {
        let response = app
            .try_login(
                &fixture.admin_email,
                "not-the-password",
                Some(&fixture.slug),
            )
            .await;
        guesses.push(response.status().as_u16());
    }
    assert_eq!(
        guesses,
        [401, 401, 401, 429],
        "sign-in guesses are limited locally while Redis is down"
    );

    // Redis returns on the same port: the server reconnects by itself.
    let _redis = ThrowAwayRedis::start(port);
    assert!(
        until_status(&app, "/health/ready", 200, 60).await,
        "ready again once Redis is back"
    );
    assert!(
        reaches_the_limit(&app, &token).await,
        "the limit is enforced again once Redis is back"
    );
    assert_eq!(
        status_of(&app, Method::GET, "/api/v1/me", &revoked, None).await,
        401
    );
}

/// On PostgreSQL, a server whose connections carry an application name of their own (to be
/// found and killed), the superuser URL and that name; `None` on SQLite.
async fn spawn_named_app(prefix: &str) -> Option<(TestApp, String, String)> {
    let (Some(admin_url), Some(app_url)) = (&env().admin_url, &env().app_url) else {
        return None;
    };
    let name = format!(
        "{prefix}-{}",
        &uuid::Uuid::now_v7().simple().to_string()[20..]
    );
    let separator = if app_url.contains('?') { '&' } else { '?' };
    let url = format!("{app_url}{separator}application_name={name}");
    let app = spawn_app_with(&[("DATABASE_URL", &url)]).await;
    Some((app, admin_url.clone(), name))
}

/// The server's own connections, found by the application name its URL gives them.
async fn kill_connections(admin_url: &str, application_name: &str) -> u64 {
    let admin = Database::connect(admin_url.to_owned())
        .await
        .expect("admin connection");
    let killed = admin
        .query_all_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE application_name = $1 AND pid <> pg_backend_pid()",
            [application_name.into()],
        ))
        .await
        .expect("terminate")
        .len() as u64;
    admin.close().await.ok();
    killed
}

#[tokio::test]
async fn killed_database_connections_fail_requests_cleanly_and_the_pool_reconnects() {
    let Some((app, admin_url, name)) = spawn_named_app("haven-faults").await else {
        // SQLite has no connections to kill; the PostgreSQL run covers this.
        assert_eq!(env().profile, Profile::Embedded);
        return;
    };
    let fixture = app.onboard().await;
    let token = fixture.admin.access_token.clone();
    let clients_before = count(&app, "/api/v1/clients", &token).await;
    let cases_before = count(&app, "/api/v1/cases", &token).await;

    // Registrations (client + case + audit in one transaction) and reads in flight while the
    // server's connections are killed, three times over.
    let mut load = Vec::new();
    for i in 0..24 {
        let app_address = app.address.clone();
        let client = app.client.clone();
        let token = token.clone();
        load.push(tokio::spawn(async move {
            let mut answers = Vec::new();
            for j in 0..6 {
                let register = (i + j) % 2 == 0;
                let request = if register {
                    client
                        .post(format!("{app_address}/api/v1/clients"))
                        .json(&json!({"details": crate::placements::adult_woman()}))
                } else {
                    client.get(format!("{app_address}/api/v1/cases?limit=50"))
                };
                let response = request.bearer_auth(&token).send().await.expect("request");
                let status = response.status().as_u16();
                let content_type = response
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                answers.push((register, status, content_type));
            }
            answers
        }));
    }
    let mut killed = 0;
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        killed += kill_connections(&admin_url, &name).await;
    }
    let mut registered: u64 = 0;
    let mut unavailable = 0;
    for task in load {
        for (register, status, content_type) in task.await.expect("load task") {
            match status {
                200 | 201 => registered += u64::from(register && status == 201),
                503 => {
                    assert_eq!(content_type, "application/problem+json");
                    unavailable += 1;
                }
                other => panic!("a request in flight answered {other} ({content_type})"),
            }
        }
    }
    assert!(killed > 0, "no connection of the server was found to kill");

    // The pool reconnects: requests succeed again without a restart.
    let mut recovered = false;
    for _ in 0..20 {
        if status_of(&app, Method::GET, "/api/v1/cases", &token, None).await == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(recovered, "the pool reconnected");
    // No half-written registration: every client that answered 201 is there, and every client
    // has its case. (A registration whose commit succeeded as its connection died may have
    // answered 503 and still be there, so the clients are at least those that answered 201.)
    let clients = count(&app, "/api/v1/clients", &token).await - clients_before;
    let cases = count(&app, "/api/v1/cases", &token).await - cases_before;
    assert!(
        clients >= registered,
        "{registered} registered, {clients} clients ({unavailable} requests failed)"
    );
    assert_eq!(
        cases, clients,
        "a client without its case, or a case without its client"
    );
}

#[tokio::test]
async fn connections_terminated_while_idle_in_the_pool_cost_no_request() {
    let Some((app, admin_url, name)) = spawn_named_app("haven-idle").await else {
        // SQLite has no connections to kill; the PostgreSQL run covers this.
        assert_eq!(env().profile, Profile::Embedded);
        return;
    };
    let fixture = app.onboard().await;
    let token = fixture.admin.access_token.clone();

    // Requests side by side, so the pool holds several connections, all idle afterwards.
    let mut warm = Vec::new();
    for _ in 0..8 {
        let address = app.address.clone();
        let client = app.client.clone();
        let token = token.clone();
        warm.push(tokio::spawn(async move {
            client
                .get(format!("{address}/api/v1/cases?limit=50"))
                .bearer_auth(&token)
                .send()
                .await
                .expect("request")
                .status()
                .as_u16()
        }));
    }
    for task in warm {
        assert_eq!(task.await.expect("warm-up"), 200);
    }

    // The database ends every one of them while they sit in the pool (a fail-over, an
    // administrator), then every request after it still succeeds: reads and a write.
    let killed = kill_connections(&admin_url, &name).await;
    assert!(killed > 0, "no connection of the server was found to kill");
    tokio::time::sleep(Duration::from_millis(200)).await;
    for round in 0..4 {
        assert_eq!(
            status_of(&app, Method::GET, "/api/v1/cases?limit=50", &token, None).await,
            200,
            "a read after the connections were terminated (round {round})"
        );
        assert_eq!(
            status_of(
                &app,
                Method::POST,
                "/api/v1/clients",
                &token,
                Some(json!({"details": crate::placements::adult_woman()}))
            )
            .await,
            201,
            "a registration after the connections were terminated (round {round})"
        );
    }
}

/// How many items a list holds, paging through it.
async fn count(app: &TestApp, path: &str, token: &str) -> u64 {
    let mut total = 0;
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}?limit=200&cursor={c}"),
            None => format!("{path}?limit=200"),
        };
        let page: Value = app.get_as(&url, token).await.json().await.expect("page");
        total += page["items"].as_array().expect("items").len() as u64;
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return total,
        }
    }
}
