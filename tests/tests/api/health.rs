//! Health probes, metrics, request ids and readiness under dependency failure.

use crate::helpers::{Profile, assert_problem, env, spawn_app, spawn_app_with};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

#[tokio::test]
async fn liveness_answers_ok() {
    let app = spawn_app().await;
    let response = app.get("/health/live").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers().contains_key("x-request-id"));
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readiness_names_the_backends_that_answered() {
    let app = spawn_app().await;
    let response = app.get("/health/ready").await;
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "ready");
    let expected_db = match env().profile {
        Profile::Embedded => "sqlite",
        Profile::Postgres => "postgres",
    };
    assert_eq!(body["database"], expected_db);
    let expected_cache = if env().redis_url.is_some() {
        "redis"
    } else {
        "memory"
    };
    assert_eq!(body["cache"], expected_cache);
}

#[tokio::test]
async fn request_ids_are_echoed_when_sensible_and_replaced_otherwise() {
    let app = spawn_app().await;
    let cases = [
        ("trace-42.a_b:c", true),
        ("has spaces", false),
        ("<script>alert(1)</script>", false),
    ];
    for (incoming, kept) in cases {
        let response = app
            .client
            .get(app.url("/health/live"))
            .header("X-Request-Id", incoming)
            .send()
            .await
            .expect("request");
        let id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .expect("X-Request-Id")
            .to_owned();
        if kept {
            assert_eq!(id, incoming, "a sensible id is echoed");
        } else {
            assert_ne!(id, incoming, "{incoming:?} must be replaced");
            assert!(
                uuid::Uuid::parse_str(&id).is_ok(),
                "replacement is a UUID: {id}"
            );
        }
    }
    let a = app.get("/health/live").await;
    let b = app.get("/health/live").await;
    assert_ne!(
        a.headers()["x-request-id"],
        b.headers()["x-request-id"],
        "fresh ids differ"
    );
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = spawn_app().await;
    app.get("/health/live").await;
    app.get("/no/such/route").await;
    let response = app.get("/metrics").await;
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let text = response.text().await.expect("text");
    assert!(
        text.contains(
            r#"haven_http_requests_total{method="GET",route="/health/live",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(
        text.contains(
            r#"haven_http_requests_total{method="GET",route="unmatched",status="404"} 1"#
        ),
        "{text}"
    );
    assert!(text.contains("haven_http_request_duration_seconds_bucket"));
}

/// A TCP relay in front of a real dependency that the test can cut and restore.
struct Relay {
    addr: SocketAddr,
    up: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
    _accept: JoinHandle<()>,
}

impl Relay {
    async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind relay");
        let addr = listener.local_addr().expect("relay address");
        let up = Arc::new(AtomicBool::new(true));
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (up2, conns2) = (up.clone(), connections.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let task = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                conns2.lock().await.push(task);
            }
        });
        Self {
            addr,
            up,
            connections,
            _accept: accept,
        }
    }

    async fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for task in self.connections.lock().await.drain(..) {
            task.abort();
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

fn target_of(url: &str) -> SocketAddr {
    let parsed = url::Url::parse(url).expect("url");
    let host = parsed.host_str().expect("host");
    let host = if host == "localhost" {
        "127.0.0.1"
    } else {
        host
    };
    format!("{host}:{}", parsed.port_or_known_default().expect("port"))
        .parse()
        .expect("socket address")
}

fn through(url: &str, relay: &Relay) -> String {
    let mut parsed = url::Url::parse(url).expect("url");
    parsed.set_host(Some("127.0.0.1")).expect("host");
    parsed.set_port(Some(relay.addr.port())).expect("port");
    parsed.to_string()
}

async fn ready_status(app: &crate::helpers::TestApp) -> (u16, serde_json::Value) {
    let response = app.get("/health/ready").await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

#[tokio::test]
async fn readiness_fails_with_a_problem_while_a_dependency_is_cut_and_recovers() {
    let env = env();
    // Each external dependency of this profile goes through its own relay.
    let mut relays = Vec::new();
    let mut overrides: Vec<(&str, String)> = Vec::new();
    if let Some(app_url) = &env.app_url {
        let relay = Relay::start(target_of(app_url)).await;
        overrides.push(("DATABASE_URL", through(app_url, &relay)));
        overrides.push(("HAVEN_MIGRATION_DATABASE_URL", String::new()));
        relays.push(("database", relay));
    }
    if let Some(redis_url) = &env.redis_url {
        let relay = Relay::start(target_of(redis_url)).await;
        overrides.push(("REDIS_URL", through(redis_url, &relay)));
        relays.push(("cache", relay));
    }
    if relays.is_empty() {
        // The embedded profile has no external dependency to lose; the PostgreSQL + Redis run
        // of the suite exercises this path.
        assert_eq!(env.profile, Profile::Embedded);
        return;
    }
    let overrides: Vec<(&str, &str)> = overrides.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let app = spawn_app_with(&overrides).await;
    assert_eq!(ready_status(&app).await.0, 200);

    for (name, relay) in &relays {
        relay.cut().await;
        let response = app.get("/health/ready").await;
        let body = assert_problem(response, 503, "service_unavailable").await;
        let detail = body["detail"].as_str().expect("detail");
        assert!(detail.contains(name), "{detail} names the {name}");
        assert!(!detail.contains("127.0.0.1"), "no internals in {detail}");
        // Liveness does not depend on anything.
        assert_eq!(app.get("/health/live").await.status().as_u16(), 200);

        relay.restore();
        let mut status = 0;
        for _ in 0..50 {
            status = ready_status(&app).await.0;
            if status == 200 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(status, 200, "ready again once the {name} is back");
    }
}
