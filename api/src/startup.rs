//! The one application builder: `main`, the tests and the document writer all go through it.

use crate::allow::{self, AllowedMethods};
use crate::config::{Profile, Settings};
use crate::error;
use crate::metrics::HttpMetrics;
use crate::openapi::{self, SpecDocument};
use crate::state::AppState;
use crate::{db, frontend, idempotency, json_guard, middleware, routes};
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::{Context as _, bail};
use haven_domain::cache::{Cache, MemoryCache, RedisCache};
use haven_domain::crypto::MasterKey;
use haven_domain::dataprot::{self, ErasureLedger};
use haven_domain::entities::tenant;
use haven_domain::ids::TenantId;
use haven_domain::tokens::{KeyRing, TokenSettings};
use haven_domain::{audit, deadlines, seed};
use sea_orm::{DatabaseConnection, EntityTrait as _, QuerySelect as _};
use secrecy::ExposeSecret as _;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;
use utoipa_actix_web::AppExt as _;
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

/// The most rate-limit counters the process keeps for itself while the shared cache is down.
const LOCAL_LIMIT_COUNTERS: u64 = 100_000;

/// Name of the master key file the embedded profile creates in the data directory.
pub const MASTER_KEY_FILE: &str = "master.key";

/// Directory (in the data directory) of retired master key files, `<key id>.key`, each kept
/// until nothing refers to its key any more.
pub const RETIRED_KEYS_DIR: &str = "retired-master-keys";

/// A bound, ready-to-run server.
pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
    linker: JoinHandle<()>,
    beds_refresher: JoinHandle<()>,
    retention: Option<JoinHandle<()>>,
    deadline_notices: Option<JoinHandle<()>>,
}

/// The `aud` of Haven's access tokens.
pub const TOKEN_AUDIENCE: &str = "haven-api";

impl Application {
    /// Prepares everything the server needs — data directory, master key, migrations, database,
    /// cache — and binds the listener (port 0 picks a free port).
    ///
    /// # Errors
    /// Any start-up failure, described for the operator.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_routes(settings, |_| {}).await
    }

    /// As [`Application::build`], with extra routes mounted beside Haven's own (for embedding
    /// Haven in a larger service, and for exercising the request pipeline in tests).
    ///
    /// # Errors
    /// Any start-up failure, described for the operator.
    pub async fn build_with_routes<F>(settings: Settings, extra: F) -> anyhow::Result<Self>
    where
        F: Fn(&mut web::ServiceConfig) + Clone + Send + 'static,
    {
        let master_key = load_master_key(&settings)?;

        if settings.profile() == Profile::Embedded || settings.database.migration_url.is_some() {
            db::migrate(&settings).await?;
        }
        let db = db::connect(&settings).await?;
        db::check_serving_database(&db).await?;
        haven_domain::keyring::load_index_keys(&db, &master_key)
            .await
            .map_err(|e| anyhow::anyhow!("cannot load the blind-index keys: {e}"))?;

        let cache: Cache = match &settings.cache.redis_url {
            Some(url) => Arc::new(
                RedisCache::connect(url.expose_secret(), &settings.cache.redis_prefix)
                    .await
                    .context("cannot connect to Redis at REDIS_URL")?,
            ),
            None => Arc::new(MemoryCache::new(200_000)),
        };

        // Before anything is served: a database restored from an older dump must not bring an
        // erased client back.
        let ledger = Arc::new(open_ledger(&settings)?);
        let reapplied = dataprot::reapply_erasures(&db, &master_key, &ledger)
            .await
            .map_err(|e| anyhow::anyhow!("cannot re-apply the erasure ledger: {e}"))?;
        if reapplied.erased_again > 0 {
            tracing::warn!(
                erased_again = reapplied.erased_again,
                "erased again clients of the erasure ledger whose data had come back (a restored database)"
            );
        }
        if reapplied.recalled > 0 {
            tracing::warn!(
                recalled = reapplied.recalled,
                "recalled referral packets of erased clients from other organisations' inboxes"
            );
        }

        let master_key = Arc::new(master_key);
        let keys = Arc::new(
            KeyRing::load(
                db.clone(),
                master_key.clone(),
                TokenSettings {
                    issuer: settings.auth.issuer.clone(),
                    audience: TOKEN_AUDIENCE.to_owned(),
                },
            )
            .await
            .context("cannot load the token signing keys")?,
        );
        if settings.profile() == Profile::Embedded && settings.demo.enabled {
            seed_demo_on_first_start(&db, &master_key, &settings).await?;
        }

        let listener = TcpListener::bind(settings.server.listen)
            .with_context(|| format!("cannot listen on {}", settings.server.listen))?;
        let port = listener.local_addr()?.port();

        let state = AppState {
            db,
            cache,
            settings: Arc::new(settings),
            master_key,
            keys,
            ledger,
            local_limits: Arc::new(MemoryCache::new(LOCAL_LIMIT_COUNTERS)),
        };
        let linker = tokio::spawn(background_work(
            state.db.clone(),
            state.keys.clone(),
            Duration::from_millis(state.settings.audit.link_interval_ms),
        ));
        // Beds tonight follow placements: recomputed every five audit-link intervals.
        let beds_refresher = tokio::spawn(refresh_beds_tonight(
            state.db.clone(),
            state.cache.clone(),
            Duration::from_millis(state.settings.audit.link_interval_ms.saturating_mul(5)),
        ));
        let retention = state
            .settings
            .data_protection
            .retention_interval_secs
            .map(|secs| {
                tokio::spawn(scheduled(
                    state.clone(),
                    RETENTION_LOCK,
                    Duration::from_secs(secs),
                    true,
                    retention_run,
                ))
            });
        let deadline_notices = state.settings.deadlines.notice_interval_secs.map(|secs| {
            tokio::spawn(scheduled(
                state.clone(),
                DEADLINE_NOTICE_LOCK,
                Duration::from_secs(secs),
                false,
                deadline_notice_run,
            ))
        });
        let metrics = web::Data::new(HttpMetrics::new().context("cannot register metrics")?);
        let doc = openapi::document();
        let allowed = web::Data::new(AllowedMethods::from_document(&doc));
        let spec = web::Data::new(SpecDocument {
            json: openapi::to_json(&doc)?,
        });
        let body_limit = state.settings.server.body_limit;
        let site = state.settings.server.frontend_dir.clone().map(|dir| {
            tracing::info!(dir = %dir.display(), "serving the web app at /");
            web::Data::new(frontend::Site::new(dir))
        });
        let app_state = web::Data::new(state.clone());

        let mut server = HttpServer::new(move || {
            let mut app = App::new();
            if let Some(site) = &site {
                app = app.app_data(site.clone());
            }
            app.app_data(app_state.clone())
                .app_data(metrics.clone())
                .app_data(spec.clone())
                .app_data(allowed.clone())
                .app_data(
                    web::JsonConfig::default()
                        .limit(body_limit)
                        .error_handler(|err, _| error::json_error(&err).into()),
                )
                .app_data(web::PayloadConfig::new(body_limit))
                .app_data(
                    web::QueryConfig::default()
                        .error_handler(|err, _| error::query_error(&err).into()),
                )
                .app_data(web::PathConfig::default().error_handler(|err, req| {
                    allow::shadowed(req).unwrap_or_else(|| error::path_error(&err).into())
                }))
                .wrap(from_fn(json_guard::check))
                .wrap(from_fn(idempotency::idempotent))
                .wrap(from_fn(middleware::observe))
                .service(
                    SwaggerUi::new("/api/docs/{_:.*}")
                        .config(SwaggerConfig::new(["/api/v1/openapi.json"])),
                )
                .route(
                    "/api/docs",
                    web::get().to(|| async {
                        HttpResponse::PermanentRedirect()
                            .insert_header(("Location", "/api/docs/"))
                            .finish()
                    }),
                )
                .configure(extra.clone())
                .default_service(web::to(allow::fallback))
                .into_utoipa_app()
                .configure(routes::configure)
                .into_app()
        })
        .shutdown_timeout(state.settings.server.shutdown_timeout)
        .listen(listener)?;
        if let Some(workers) = state.settings.server.workers {
            server = server.workers(workers);
        }
        Ok(Self {
            port,
            server: server.run(),
            state,
            linker,
            beds_refresher,
            retention,
            deadline_notices,
        })
    }

    /// The port the server listens on.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared state (database, cache), for tools that work beside the server.
    #[must_use]
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until the server is stopped (SIGINT/SIGTERM finish in-flight requests first).
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.linker.abort();
        self.beds_refresher.abort();
        for job in [self.retention, self.deadline_notices]
            .into_iter()
            .flatten()
        {
            job.abort();
        }
        result
    }
}

/// How often the signing keys are re-read, so a rotation made elsewhere reaches this process.
const KEY_RELOAD_INTERVAL: Duration = Duration::from_secs(60);

/// Chains new audit events and keeps the signing keys current, forever. Safe beside other
/// replicas: each tenant's chain is extended under a lock.
///
/// Every interval it visits the tenants this process wrote events for lately and those whose
/// last pass left events behind. Every [`FULL_SWEEP_INTERVAL`] (and first) it also sweeps every
/// tenant, for the events other replicas or an earlier run left: a slice of them at each
/// interval, so that the sweep's work is spread over its period instead of arriving at once
/// (with a thousand tenants, a burst of over a second of CPU every minute, which requests in
/// flight then wait behind). An idle tenant costs one visit a sweep.
async fn background_work(db: DatabaseConnection, keys: Arc<KeyRing>, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut keys_read = std::time::Instant::now();
    let mut swept: Option<std::time::Instant> = None;
    let mut behind: std::collections::BTreeSet<TenantId> = std::collections::BTreeSet::new();
    // The tenants the current sweep has yet to visit, and how many it visits an interval.
    let mut sweep: Vec<TenantId> = Vec::new();
    let mut per_tick = 1;
    let ticks_per_sweep =
        usize::try_from(FULL_SWEEP_INTERVAL.as_millis() / every.as_millis().max(1))
            .unwrap_or(1)
            .max(1);
    loop {
        ticker.tick().await;
        if keys_read.elapsed() >= KEY_RELOAD_INTERVAL {
            keys_read = std::time::Instant::now();
            if let Err(err) = keys.reload().await {
                tracing::warn!(error = %err, "cannot re-read the signing keys");
            }
        }
        let mut visit: std::collections::BTreeSet<TenantId> =
            audit::written::lately().into_iter().collect();
        visit.append(&mut behind);
        if sweep.is_empty() && swept.is_none_or(|at| at.elapsed() >= FULL_SWEEP_INTERVAL) {
            match tenant::Entity::find()
                .select_only()
                .column(tenant::Column::Id)
                .into_tuple::<uuid::Uuid>()
                .all(&db)
                .await
            {
                Ok(all) => {
                    sweep = all.into_iter().map(TenantId::from_uuid).collect();
                    per_tick = sweep.len().div_ceil(ticks_per_sweep).max(1);
                    swept = Some(std::time::Instant::now());
                }
                Err(err) => tracing::warn!(error = %err, "audit linker cannot list tenants"),
            }
        }
        let swept_now: std::collections::BTreeSet<TenantId> = sweep
            .drain(sweep.len().saturating_sub(per_tick)..)
            .collect();
        visit.extend(swept_now.iter().copied());
        for tenant_id in visit {
            let full = swept_now.contains(&tenant_id);
            // A tenant that writes faster than one batch per interval gets more batches now,
            // up to a bound that leaves the others their turn.
            for batch in 0..BATCHES_PER_VISIT {
                let pass = if full && batch == 0 {
                    audit::link_pending(&db, tenant_id).await
                } else {
                    audit::link_new(&db, tenant_id).await
                };
                match pass {
                    Ok(linked) if linked as u64 >= audit::LINK_BATCH => {
                        if batch + 1 == BATCHES_PER_VISIT {
                            behind.insert(tenant_id);
                        }
                    }
                    Ok(_) => break,
                    Err(err) => {
                        tracing::warn!(error = %err, %tenant_id, "audit linker failed");
                        behind.insert(tenant_id);
                        break;
                    }
                }
            }
        }
    }
}

/// How many batches the audit linker chains for one tenant before it moves to the next.
const BATCHES_PER_VISIT: usize = 20;

/// How often the audit linker visits every tenant, not only those with recent events.
const FULL_SWEEP_INTERVAL: Duration = Duration::from_secs(60);

/// Keeps the free beds that directory entries publish in step with placements, forever. Safe
/// beside other replicas: each entry is recomputed in its owner's transaction.
async fn refresh_beds_tonight(
    db: DatabaseConnection,
    cache: haven_domain::cache::Cache,
    every: Duration,
) {
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if let Err(err) = haven_domain::directory::beds::refresh_all(&db, &cache).await {
            tracing::warn!(error = %err, "cannot refresh the beds tonight");
        }
    }
}

/// Opens the erasure ledger the settings name.
///
/// # Errors
/// When the file cannot be created or read.
pub fn open_ledger(settings: &Settings) -> anyhow::Result<ErasureLedger> {
    db::create_private_dir(&settings.data_dir)?;
    ErasureLedger::open(&settings.data_protection.erasure_ledger)
        .map_err(|e| anyhow::anyhow!("{e:#}"))
}

/// The name of the retention job's lock.
pub const RETENTION_LOCK: &str = "retention";

/// The name of the deadline notices' lock.
pub const DEADLINE_NOTICE_LOCK: &str = "deadline-notices";

/// Runs `job` every `every`, on one replica at a time (the others find the lock `name` taken).
/// With `wait_first` the first run waits a whole interval; otherwise it starts at once.
async fn scheduled<F, Fut>(
    state: AppState,
    name: &'static str,
    every: Duration,
    wait_first: bool,
    job: F,
) where
    F: Fn(AppState) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    if wait_first {
        // The first tick completes at once.
        ticker.tick().await;
    }
    loop {
        ticker.tick().await;
        let lock =
            match dataprot::try_lock(&state.db, name, every.max(Duration::from_secs(600))).await {
                Ok(Some(lock)) => lock,
                Ok(None) => continue,
                Err(err) => {
                    tracing::warn!(error = %err, job = name, "cannot take the job's lock");
                    continue;
                }
            };
        job(state.clone()).await;
        if let Err(err) = lock.release().await {
            tracing::warn!(error = %err, job = name, "cannot release the job's lock");
        }
    }
}

/// One retention run (see [`dataprot::run_retention`]).
async fn retention_run(state: AppState) {
    match dataprot::run_retention(&state.db, &state.master_key, &state.ledger, None, false).await {
        Ok(report) => {
            let erased: usize = report.tenants.iter().map(|t| t.erased).sum();
            if erased > 0 {
                tracing::info!(erased, "retention run erased expired clients");
            }
            let recalled: usize = report.tenants.iter().map(|t| t.recalled).sum();
            if recalled > 0 {
                tracing::info!(
                    recalled,
                    "retention run recalled referral packets of erased clients"
                );
            }
        }
        Err(err) => tracing::warn!(error = %err, "retention run failed"),
    }
}

/// One run of deadline notices (see [`deadlines::notices::run`]).
async fn deadline_notice_run(state: AppState) {
    match deadlines::notices::run(&state.db, haven_domain::now(), None).await {
        Ok(report) => {
            if report.deadlines > 0 {
                tracing::info!(
                    deadlines = report.deadlines,
                    notifications = report.notifications,
                    "announced deadlines to their case teams"
                );
            }
        }
        Err(err) => tracing::warn!(error = %err, "deadline notices failed"),
    }
}

async fn seed_demo_on_first_start(
    db: &DatabaseConnection,
    master: &MasterKey,
    settings: &Settings,
) -> anyhow::Result<()> {
    if tenant::Entity::find().one(db).await?.is_some() {
        return Ok(());
    }
    let report = seed::seed_demo(db, master, &settings.demo.password)
        .await
        .map_err(|e| anyhow::anyhow!("seeding the demo data failed: {e}"))?;
    tracing::info!(
        tenants = report.tenants_created,
        users = report.users_created,
        clients = report.clients_created,
        "seeded the demo organisations demo-be and demo-ng (accounts <role>@<slug>.example, platform@haven.example; set HAVEN_DEMO=false to skip)"
    );
    Ok(())
}

/// The master key the settings name (embedded: created in the data directory when missing),
/// with the retired keys of `HAVEN_MASTER_KEYS_RETIRED` and of the data directory's
/// `retired-master-keys/`.
///
/// # Errors
/// When the key is missing (PostgreSQL profile), unreadable, too open or malformed.
pub fn load_master_key(settings: &Settings) -> anyhow::Result<MasterKey> {
    let current = load_current_master_key(settings)?;
    Ok(current.with_retired(retired_master_keys(settings)?))
}

/// As [`load_master_key`], but never creates a key file: `None` when no current key is
/// configured or present (and the retired keys found, to say which ids can be opened).
///
/// # Errors
/// When a configured key is unreadable, too open or malformed.
pub fn existing_master_key(
    settings: &Settings,
) -> anyhow::Result<(Option<MasterKey>, Vec<MasterKey>)> {
    let retired = retired_master_keys(settings)?;
    let current = if let Some(key) = &settings.keys.master_key {
        Some(MasterKey::from_base64(key.expose_secret())?)
    } else if let Some(path) = &settings.keys.master_key_file {
        Some(MasterKey::load(path)?)
    } else {
        let path = settings.data_dir.join(MASTER_KEY_FILE);
        if path.exists() {
            Some(MasterKey::load(&path)?)
        } else {
            None
        }
    };
    Ok((current, retired))
}

fn retired_master_keys(settings: &Settings) -> anyhow::Result<Vec<MasterKey>> {
    let mut retired = Vec::new();
    for text in &settings.keys.retired_master_keys {
        retired.push(MasterKey::from_base64(text.expose_secret())?);
    }
    let dir = settings.data_dir.join(RETIRED_KEYS_DIR);
    if dir.is_dir() {
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "key"))
            .collect();
        paths.sort();
        for path in paths {
            retired.push(MasterKey::load(&path)?);
        }
    }
    Ok(retired)
}

fn load_current_master_key(settings: &Settings) -> anyhow::Result<MasterKey> {
    db::create_private_dir(&settings.data_dir)?;
    if let Some(key) = &settings.keys.master_key {
        return Ok(MasterKey::from_base64(key.expose_secret())?);
    }
    if let Some(path) = &settings.keys.master_key_file {
        return Ok(MasterKey::load(path)?);
    }
    match settings.profile() {
        Profile::Embedded => {
            let path = settings.data_dir.join(MASTER_KEY_FILE);
            let (key, created) = MasterKey::load_or_create(&path)?;
            if created {
                tracing::info!(path = %path.display(), key_id = key.id(), "created a new master key file; back it up apart from the data");
            }
            Ok(key)
        }
        Profile::Postgres => bail!(
            "HAVEN_MASTER_KEY or HAVEN_MASTER_KEY_FILE must be set with DATABASE_URL \
             (every replica needs the same key; create one with `haven keys generate`)"
        ),
    }
}
