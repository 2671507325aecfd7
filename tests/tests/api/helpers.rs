//! `spawn_app()` and what the tests share.

use haven_api::config::Settings;
use haven_api::error::ApiError;
use haven_api::{Application, db};
use secrecy::ExposeSecret as _;
use serde::Deserialize;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The storage profile this run of the suite exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Embedded,
    Postgres,
}

/// What one test binary set up once, shared by its tests.
pub struct TestEnv {
    pub profile: Profile,
    /// Directory for this binary's files (SQLite database, key file).
    pub dir: PathBuf,
    /// Superuser URL (PostgreSQL profile).
    pub admin_url: Option<String>,
    pub database: Option<String>,
    /// Owner-role URL (migrations).
    pub owner_url: Option<String>,
    /// App-role URL (serving).
    pub app_url: Option<String>,
    pub redis_url: Option<String>,
    pub redis_prefix: String,
    pub master_key: String,
}

static ENV: OnceLock<TestEnv> = OnceLock::new();

fn random_suffix() -> String {
    uuid::Uuid::now_v7().simple().to_string()[20..].to_owned()
}

/// The binary's shared environment, created on first use. Creation runs on its own thread
/// and runtime, because each test has its own runtime and the first caller's ends with it.
pub fn env() -> &'static TestEnv {
    ENV.get_or_init(|| {
        std::thread::spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime for test set-up");
            runtime.block_on(setup())
        })
        .join()
        .expect("test set-up panicked")
    })
}

async fn setup() -> TestEnv {
    let pid = std::process::id();
    let suffix = random_suffix();
    let dir = tempfile::Builder::new()
        .prefix("haven-test-")
        .tempdir()
        .expect("temporary directory")
        .keep();
    let admin_url = std::env::var("HAVEN_TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty());
    let redis_url = std::env::var("HAVEN_TEST_REDIS_URL")
        .ok()
        .filter(|v| !v.is_empty());
    let redis_prefix = format!("haven-test:{pid}:{suffix}:");
    let master_key = haven_domain_key();

    let mut reaper = std::process::Command::new(env!("CARGO_BIN_EXE_haven-test-reaper"));
    reaper.args([
        "--pid",
        &pid.to_string(),
        "--dir",
        &dir.display().to_string(),
    ]);

    let mut env = TestEnv {
        profile: Profile::Embedded,
        dir: dir.clone(),
        admin_url: admin_url.clone(),
        database: None,
        owner_url: None,
        app_url: None,
        redis_url: redis_url.clone(),
        redis_prefix: redis_prefix.clone(),
        master_key,
    };

    if let Some(admin_url) = &admin_url {
        let name = format!("{}{pid}_{suffix}", haven_tests::TEST_PREFIX);
        let request = db::BootstrapRequest {
            admin_url: admin_url.clone().into(),
            database: name.clone(),
            owner_role: format!("{name}_owner"),
            owner_password: None,
            app_role: format!("{name}_app"),
            app_password: None,
        };
        reaper.args([
            "--admin-url",
            admin_url,
            "--database",
            &name,
            "--role",
            &request.owner_role,
            "--role",
            &request.app_role,
        ]);
        let outcome = db::bootstrap(&request)
            .await
            .expect("bootstrap the test database");
        env.profile = Profile::Postgres;
        env.database = Some(name);
        env.owner_url = Some(outcome.owner_url.expose_secret().to_owned());
        env.app_url = Some(outcome.app_url.expose_secret().to_owned());
    }
    if let Some(url) = &redis_url {
        reaper.args(["--redis-url", url, "--redis-prefix", &redis_prefix]);
    }
    // The reaper must outlive this process (it acts once we are gone), so it is never waited on.
    #[allow(clippy::zombie_processes)]
    let _reaper = reaper
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start the clean-up process");

    seed_store(&Settings::from_vars(env.vars(&[])).expect("test settings")).await;
    env
}

/// Migrates the store `settings` name and loads the demo data into it.
async fn seed_store(settings: &Settings) {
    db::migrate(settings)
        .await
        .expect("migrate the test database");
    let conn = db::connect(settings)
        .await
        .expect("connect to the test database");
    let master = haven_api::startup::load_master_key(settings).expect("master key");
    haven_domain::seed::seed_demo(&conn, &master, &DEMO_PASSWORD.to_owned().into())
        .await
        .expect("seed the demo data");
    conn.close().await.ok();
}

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "haven-demo-2026";

fn haven_domain_key() -> String {
    haven_domain::crypto::MasterKey::generate_base64().expect("random master key")
}

impl TestEnv {
    /// The variables a server of this run is configured with, plus `overrides`.
    pub fn vars(&self, overrides: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut vars: Vec<(String, String)> = vec![
            ("HAVEN_LISTEN".into(), "127.0.0.1:0".into()),
            (
                "HAVEN_DATA_DIR".into(),
                self.dir.join("data").display().to_string(),
            ),
            ("HAVEN_WORKERS".into(), "2".into()),
            ("HAVEN_LOG_LEVEL".into(), "warn".into()),
            ("HAVEN_DEMO".into(), "false".into()),
            ("HAVEN_AUDIT_LINK_INTERVAL_MS".into(), "200".into()),
            // The scheduled retention run is tested on its own, with an interval of its own.
            ("HAVEN_RETENTION_INTERVAL_SECS".into(), "0".into()),
            // So are deadline notices, which would otherwise notify every test's case teams.
            ("HAVEN_DEADLINE_NOTICE_INTERVAL_SECS".into(), "0".into()),
            // Tests share one address and, with Redis, one counter store: limits are tested
            // on their own, with their own key prefix.
            ("HAVEN_LOGIN_LIMIT_PER_IP".into(), "100000".into()),
            ("HAVEN_LOGIN_LIMIT_PER_ACCOUNT".into(), "10000".into()),
            ("HAVEN_API_LIMIT_PER_USER".into(), "1000000".into()),
            ("HAVEN_API_LIMIT_PER_TENANT".into(), "10000000".into()),
        ];
        if let (Some(app), Some(owner)) = (&self.app_url, &self.owner_url) {
            vars.push(("DATABASE_URL".into(), app.clone()));
            vars.push(("HAVEN_MIGRATION_DATABASE_URL".into(), owner.clone()));
            vars.push(("HAVEN_MASTER_KEY".into(), self.master_key.clone()));
        }
        if let Some(url) = &self.redis_url {
            vars.push(("REDIS_URL".into(), url.clone()));
            vars.push(("HAVEN_REDIS_PREFIX".into(), self.redis_prefix.clone()));
        }
        for (key, value) in overrides {
            vars.retain(|(k, _)| k != key);
            if !value.is_empty() {
                vars.push(((*key).to_owned(), (*value).to_owned()));
            }
        }
        vars
    }
}

/// A running server and a client for it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: haven_api::state::AppState,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request reaches the server")
    }

    /// A request with a bearer token.
    pub fn authed(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
    ) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(token)
    }

    pub async fn get_as(&self, path: &str, token: &str) -> reqwest::Response {
        self.authed(reqwest::Method::GET, path, token)
            .send()
            .await
            .expect("request reaches the server")
    }

    /// The `ETag` of `GET path`; panics unless the read is 200 with one.
    pub async fn etag_of(&self, path: &str, token: &str) -> String {
        let response = self.get_as(path, token).await;
        assert_eq!(response.status().as_u16(), 200, "GET {path}");
        response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("an ETag on {path}"))
    }

    /// Signs in and returns the token response; panics unless it is 200.
    pub async fn login(&self, email: &str, password: &str, tenant: Option<&str>) -> Tokens {
        let response = self.try_login(email, password, tenant).await;
        assert_eq!(response.status().as_u16(), 200, "login of {email}");
        response.json().await.expect("token json")
    }

    pub async fn try_login(
        &self,
        email: &str,
        password: &str,
        tenant: Option<&str>,
    ) -> reqwest::Response {
        let mut body = serde_json::json!({"email": email, "password": password});
        if let Some(t) = tenant {
            body["tenant"] = serde_json::json!(t);
        }
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&body)
            .send()
            .await
            .expect("request reaches the server")
    }

    /// An access token of the demo platform administrator.
    pub async fn platform_token(&self) -> String {
        self.login("platform@haven.example", DEMO_PASSWORD, None)
            .await
            .access_token
    }

    /// Changes the organisation's settings with `body`, as read just before (`If-Match`).
    pub async fn patch_settings(&self, token: &str, body: serde_json::Value) -> reqwest::Response {
        let read = self.get_as("/api/v1/settings", token).await;
        let etag = read.headers()["etag"].clone();
        self.authed(reqwest::Method::PATCH, "/api/v1/settings", token)
            .header("if-match", etag)
            .json(&body)
            .send()
            .await
            .expect("request reaches the server")
    }

    /// Onboards a fresh tenant and signs its administrator in.
    pub async fn onboard(&self) -> Fixture {
        let platform = self.platform_token().await;
        let slug = format!("t-{}", &uuid::Uuid::now_v7().simple().to_string()[20..]);
        let admin_email = format!("admin@{slug}.example");
        let response = self
            .authed(reqwest::Method::POST, "/api/v1/tenants", &platform)
            .json(&serde_json::json!({
                "name": format!("Test NGO {slug}"),
                "slug": slug,
                "country": "BE",
                "default_locale": "fr-BE",
                "time_zone": "Europe/Brussels",
                "admin": {"email": admin_email, "name": "Test Admin", "password": FIXTURE_PASSWORD},
            }))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 201, "onboarding");
        let tenant: serde_json::Value = response.json().await.expect("json");
        let tokens = self
            .login(&admin_email, FIXTURE_PASSWORD, Some(&slug))
            .await;
        Fixture {
            id: tenant["id"].as_str().expect("id").to_owned(),
            slug,
            admin_email,
            admin: tokens,
        }
    }

    /// Invites a user with `roles` into `fixture`'s tenant, sets their password and signs them in.
    pub async fn add_user(&self, fixture: &Fixture, roles: &[&str]) -> (String, Tokens) {
        let email = format!(
            "u-{}@{}.example",
            &uuid::Uuid::now_v7().simple().to_string()[20..],
            fixture.slug
        );
        let response = self
            .authed(
                reqwest::Method::POST,
                "/api/v1/users",
                &fixture.admin.access_token,
            )
            .json(&serde_json::json!({"email": email, "name": "Test User", "roles": roles}))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 201, "invitation");
        let invitation: serde_json::Value = response.json().await.expect("json");
        let response = self
            .client
            .post(self.url("/api/v1/auth/set-password"))
            .json(&serde_json::json!({
                "token": invitation["set_password_token"],
                "password": FIXTURE_PASSWORD,
            }))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 204, "set password");
        let id = invitation["user"]["id"].as_str().expect("id").to_owned();
        (
            id,
            self.login(&email, FIXTURE_PASSWORD, Some(&fixture.slug))
                .await,
        )
    }
}

/// The password fixtures' accounts use.
pub const FIXTURE_PASSWORD: &str = "fixture passphrase for tests 2026";

/// A token response.
#[derive(Debug, Clone, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: String,
    pub expires_in: u64,
}

/// A tenant made for one test, with its signed-in administrator.
pub struct Fixture {
    pub id: String,
    pub slug: String,
    pub admin_email: String,
    pub admin: Tokens,
}

/// Body of the pipeline probe: strict like every input DTO.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ProbeIn {
    name: String,
    count: u32,
}

/// Routes mounted beside Haven's own to drive the request pipeline (JSON extraction, handler
/// errors, panics) through the real server.
fn probe_routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::{HttpResponse, web};
    cfg.route(
        "/__probe/echo",
        web::post().to(|body: web::Json<ProbeIn>| async move {
            HttpResponse::Ok().json(serde_json::json!({"count": body.count}))
        }),
    )
    .route(
        "/__probe/fail",
        web::get().to(|| async {
            Err::<HttpResponse, _>(ApiError::Internal(anyhow::anyhow!(
                "connection to postgres://app:hunter2@db failed"
            )))
        }),
    )
    .route(
        "/__probe/panic",
        web::get().to(|| async {
            if std::env::var("HAVEN_NEVER_SET_7f3a").is_err() {
                panic!("probe panic");
            }
            HttpResponse::Ok().finish()
        }),
    );
}

/// Starts a server of this run's profile.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts a server with some variables replaced (an empty value removes one).
pub async fn spawn_app_with(overrides: &[(&str, &str)]) -> TestApp {
    let settings = Settings::from_vars(env().vars(overrides)).expect("test settings");
    if std::env::var_os("HAVEN_TEST_LOG").is_some() {
        // Server logs on stderr, for debugging a failing test.
        haven_api::telemetry::init(&haven_api::config::LogSettings {
            format: haven_api::config::LogFormat::Text,
            level: "info".into(),
        });
    }
    let app = Application::build_with_routes(settings, probe_routes)
        .await
        .expect("the application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client"),
        state,
    }
}

/// Starts a server with `extra` variables on a store of its own (a data directory, and on PostgreSQL
/// a database of its own, with the demo data and the in-process cache), for work that acts on
/// every organisation it can see: a scheduled run there cannot reach other tests' data, nor
/// theirs this server's.
pub async fn spawn_app_alone(extra: &[(&str, &str)]) -> TestApp {
    let dir = env().dir.join(format!("alone-{}", random_suffix()));
    let key = env().master_key.as_str();
    let store = own_store(&dir, key).await;
    let mut more = vec![("HAVEN_MASTER_KEY", key)];
    more.extend_from_slice(extra);
    spawn_app_with(&overrides(&store, &more)).await
}

/// A store of its own (a data directory, and on PostgreSQL a database of its own) seeded with
/// the demo data under `key`; returns the variables that select it (without the key).
pub async fn own_store(dir: &std::path::Path, key: &str) -> Vec<(String, String)> {
    own_store_of(env().profile, dir, key).await
}

/// As [`own_store`], on the profile given rather than this run's.
pub async fn own_store_of(
    profile: Profile,
    dir: &std::path::Path,
    key: &str,
) -> Vec<(String, String)> {
    let mut vars = vec![
        ("HAVEN_DATA_DIR".to_owned(), dir.display().to_string()),
        ("REDIS_URL".to_owned(), String::new()),
        ("DATABASE_URL".to_owned(), String::new()),
        ("HAVEN_MIGRATION_DATABASE_URL".to_owned(), String::new()),
    ];
    if profile == Profile::Postgres {
        let admin = env().admin_url.clone().expect("admin url");
        let name = format!(
            "{}{}_{}",
            haven_tests::TEST_PREFIX,
            std::process::id(),
            &uuid::Uuid::now_v7().simple().to_string()[18..]
        );
        let outcome = db::bootstrap(&db::BootstrapRequest {
            admin_url: admin.into(),
            database: name.clone(),
            owner_role: format!("{name}_owner"),
            owner_password: None,
            app_role: format!("{name}_app"),
            app_password: None,
        })
        .await
        .expect("bootstrap a database of its own");
        vars[2].1 = outcome.app_url.expose_secret().to_owned();
        vars[3].1 = outcome.owner_url.expose_secret().to_owned();
    }
    seed_store(&settings_with(&vars, &[("HAVEN_MASTER_KEY", key)])).await;
    vars
}

/// Settings of this run with the store `vars` and `more` applied.
pub fn settings_with(vars: &[(String, String)], more: &[(&str, &str)]) -> Settings {
    Settings::from_vars(env().vars(&overrides(vars, more))).expect("settings")
}

/// A store's variables `vars` followed by `more`, as overrides for a server or settings.
pub fn overrides<'a>(
    vars: &'a [(String, String)],
    more: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut all: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    all.extend_from_slice(more);
    all
}

/// Asserts `response` is a problem document with `status` and `code`, and returns it.
pub async fn assert_problem(
    response: reqwest::Response,
    status: u16,
    code: &str,
) -> serde_json::Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("X-Request-Id on every response")
        .to_owned();
    let body: serde_json::Value = response.json().await.expect("problem body is JSON");
    assert_eq!(body["status"], status);
    assert_eq!(body["code"], code);
    assert_eq!(body["type"], format!("urn:haven:problem:{code}"));
    assert!(
        body["title"].as_str().is_some_and(|t| !t.is_empty()),
        "title: {body}"
    );
    assert!(
        body["detail"].as_str().is_some_and(|t| !t.is_empty()),
        "detail: {body}"
    );
    assert_eq!(body["instance"], request_id, "instance is the request id");
    body
}

impl TestApp {
    /// POSTs `body` to the collection at `path` and returns the created item; panics unless
    /// the answer is 201 with a `Location` naming the item under `path`.
    pub async fn create(
        &self,
        token: &str,
        path: &str,
        body: &serde_json::Value,
    ) -> serde_json::Value {
        let response = self
            .authed(reqwest::Method::POST, path, token)
            .json(body)
            .send()
            .await
            .expect("request reaches the server");
        assert_eq!(response.status().as_u16(), 201, "create at {path}");
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .expect("Location")
            .to_owned();
        let created: serde_json::Value = response.json().await.expect("json");
        let id = created["id"].as_str().expect("id");
        assert_eq!(location, format!("{path}/{id}"));
        created
    }
}
