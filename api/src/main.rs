//! The `haven` command: serves the API by default, and carries the operator's tools.

use clap::{Parser, Subcommand};
use haven_api::config::{ConfigError, Profile, Settings};
use haven_api::{Application, db, telemetry};
use secrecy::{ExposeSecret as _, SecretString};
use std::path::PathBuf;
use std::process::ExitCode;

/// A request allocates and frees many small buffers (rows, JSON, headers) across threads;
/// mimalloc serves that pattern with less time in the allocator than the system's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "haven", version, about = "Haven case management server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate (when configured to) and serve the API. The default.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Database administration.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Key management.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Platform administration.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Load data sets.
    Seed {
        /// The demo organisations, users of every role and a platform administrator
        /// (password: HAVEN_DEMO_PASSWORD, default `haven-demo-2026`). Safe to run again.
        #[arg(long)]
        demo: bool,
        /// A synthetic data set for load tests: organisations `synth-00001`, … with
        /// `admin@synth-00001.example` and `worker1..3@…` (password as for the demo), shelters,
        /// and clients with cases, placements and services. Organisations already there are
        /// kept, so an interrupted run can be finished by running it again.
        #[arg(long, conflicts_with = "demo")]
        synthetic: bool,
        /// With --synthetic: how many organisations.
        #[arg(long, default_value_t = 1, requires = "synthetic")]
        tenants: usize,
        /// With --synthetic: how many clients each.
        #[arg(long, default_value_t = 100, requires = "synthetic")]
        clients_per_tenant: usize,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Retention of closed cases.
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
    /// Write a consistent snapshot of the embedded profile's database, taken while the server
    /// may be writing, sealed under a passphrase (Argon2id, XChaCha20-Poly1305). The master key
    /// and the erasure ledger are not in it: keep them apart. On PostgreSQL use pg_dump or base
    /// backups (see the README).
    Backup {
        /// The backup file to write (replaced atomically, mode 0600).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// A file holding the passphrase (at least 12 characters) on its first line.
        #[arg(long, env = "HAVEN_BACKUP_PASSPHRASE_FILE", value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
    },
    /// Restore a backup into a new or empty directory: decrypt, check integrity and row counts,
    /// migrate, and erase again every client of the erasure ledger (HAVEN_ERASURE_LEDGER) with
    /// the configured master key.
    Restore {
        /// The backup file.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The directory to restore into (must be empty or absent).
        #[arg(long, value_name = "DIR")]
        into: PathBuf,
        /// A file holding the passphrase on its first line.
        #[arg(long, env = "HAVEN_BACKUP_PASSPHRASE_FILE", value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Erase the clients whose every case closed longer ago than their organisation's
    /// retention period (as an erasure by an administrator would), and print counts per
    /// organisation. Waits for no one: exits 1 when another process is running retention.
    Run {
        /// Report what would be erased, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Only this organisation (slug).
        #[arg(long)]
        tenant: Option<String>,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a platform administrator. The password is read from standard input when it is
    /// not a terminal; otherwise one is generated and printed once.
    CreatePlatformAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Platform administrator")]
        name: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Chain pending events, then recompute every tenant's chain (or one tenant's) and report
    /// the first broken link. Exits 1 when a chain is broken.
    Verify {
        /// Only this tenant (slug).
        #[arg(long)]
        tenant: Option<String>,
    },
}

#[derive(Subcommand)]
enum DbCommand {
    /// Create a PostgreSQL database with an owner role (migrations) and an app role (serving),
    /// then print both connection URLs. Safe to run again.
    Bootstrap {
        /// URL of a role allowed to create roles and databases.
        #[arg(long, env = "HAVEN_ADMIN_DATABASE_URL", hide_env_values = true)]
        admin_url: String,
        /// Name of the database to create.
        #[arg(long, default_value = "haven")]
        database: String,
        #[arg(long, default_value = "haven_owner")]
        owner_role: String,
        /// Owner password; generated when absent.
        #[arg(long, env = "HAVEN_OWNER_DB_PASSWORD", hide_env_values = true)]
        owner_password: Option<String>,
        #[arg(long, default_value = "haven_app")]
        app_role: String,
        /// App password; generated when absent.
        #[arg(long, env = "HAVEN_APP_DB_PASSWORD", hide_env_values = true)]
        app_password: Option<String>,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Print a new random master key for HAVEN_MASTER_KEY.
    Generate,
    /// Create a new token-signing key and retire the current ones (they stay valid until the
    /// tokens they signed expire).
    Rotate,
    /// Re-wrap every data key, token-signing key and blind-index key under the current master
    /// key, in batches, then report which master keys are still referenced. Configure the new
    /// key as HAVEN_MASTER_KEY and the old ones in HAVEN_MASTER_KEYS_RETIRED first (every
    /// replica), or use --new-key with a key file. Safe to run again after an interruption.
    RotateMaster {
        /// Make a new master key file (the embedded profile's, or HAVEN_MASTER_KEY_FILE) and keep
        /// the old key in the data directory's retired-master-keys/ until it is retired. Restart
        /// the server afterwards.
        #[arg(long)]
        new_key: bool,
        /// Rows re-wrapped per transaction.
        #[arg(long, default_value_t = 200)]
        batch_size: u64,
    },
    /// Check that nothing stored refers to the master key `ID` any more, so it can be removed
    /// from the configuration. Exits 1 while something still does.
    Retire {
        /// The key id, e.g. `mk-0123456789ab`.
        id: String,
    },
}

/// Opens the database for a command: migrated, as the serving role.
async fn open_database(settings: &Settings) -> anyhow::Result<sea_orm::DatabaseConnection> {
    if settings.profile() == haven_api::config::Profile::Embedded
        || settings.database.migration_url.is_some()
    {
        db::migrate(settings).await?;
    }
    let conn = db::connect(settings).await?;
    db::check_serving_database(&conn).await?;
    Ok(conn)
}

fn read_or_generate_password() -> anyhow::Result<(String, bool)> {
    use std::io::{BufRead as _, IsTerminal as _};
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        use rand::distr::{Alphanumeric, SampleString as _};
        return Ok((Alphanumeric.sample_string(&mut rand::rng(), 24), true));
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        anyhow::bail!("no password on standard input");
    }
    Ok((password, false))
}

async fn run_admin_command(settings: &Settings, command: AdminCommand) -> anyhow::Result<()> {
    let AdminCommand::CreatePlatformAdmin { email, name } = command;
    let conn = open_database(settings).await?;
    let (password, generated) = read_or_generate_password()?;
    let admin = haven_domain::platform::create_admin(
        &conn,
        &email,
        &name,
        SecretString::from(password.clone()),
    )
    .await
    .map_err(describe)?;
    println!(
        "created platform administrator {} ({})",
        admin.email, admin.id
    );
    if generated {
        println!("password (shown once): {password}");
    }
    Ok(())
}

async fn run_seed(settings: &Settings) -> anyhow::Result<()> {
    let (master, conn) = haven_api::keys::open(settings).await?;
    let report = haven_domain::seed::seed_demo(&conn, &master, &settings.demo.password)
        .await
        .map_err(describe)?;
    forget_directory_searches(settings).await;
    println!(
        "demo data: {} tenant(s), {} user(s), {} client(s) created{}",
        report.tenants_created,
        report.users_created,
        report.clients_created,
        if report.platform_admin_created {
            ", platform administrator created"
        } else {
            ""
        }
    );
    Ok(())
}

/// The demo seed writes directory entries behind the servers' backs. Their cached searches live
/// in Redis on the SaaS profile, so they are made stale there; a server of the embedded profile
/// keeps its searches in its own memory, for at most five minutes.
async fn forget_directory_searches(settings: &Settings) {
    let Some(url) = &settings.cache.redis_url else {
        return;
    };
    match haven_domain::cache::RedisCache::connect(
        url.expose_secret(),
        &settings.cache.redis_prefix,
    )
    .await
    {
        Ok(redis) => {
            let cache: haven_domain::cache::Cache = std::sync::Arc::new(redis);
            haven_domain::directory::search::invalidate(&cache).await;
        }
        Err(err) => eprintln!(
            "note: Redis did not answer ({err}); running servers may show the directory as it \
             was for up to five minutes"
        ),
    }
}

async fn run_synthetic(settings: &Settings, tenants: usize, clients: usize) -> anyhow::Result<()> {
    let (master, conn) = haven_api::keys::open(settings).await?;
    // PostgreSQL lets only a table's owner refresh its statistics; SQLite lets anyone.
    let owner = db::owner_connection(settings).await?;
    let statistics = match settings.profile() {
        Profile::Embedded => Some(&conn),
        Profile::Postgres => {
            if owner.is_none() {
                eprintln!(
                    "note: HAVEN_MIGRATION_DATABASE_URL is not set, so the planner's statistics \
                     are not refreshed while loading; large organisations load slowly unless \
                     autovacuum analyses the tables meanwhile"
                );
            }
            owner.as_ref()
        }
    };
    haven_api::synthetic::run(
        &conn,
        master,
        tenants,
        clients,
        settings.demo.password.clone(),
        statistics,
    )
    .await
}

async fn run_audit_verify(settings: &Settings, tenant: Option<String>) -> anyhow::Result<bool> {
    use haven_domain::entities::tenant as tenant_entity;
    use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _, QueryOrder as _};
    let conn = open_database(settings).await?;
    let mut query = tenant_entity::Entity::find().order_by_asc(tenant_entity::Column::Slug);
    if let Some(slug) = &tenant {
        query = query.filter(tenant_entity::Column::Slug.eq(slug.as_str()));
    }
    let tenants = query.all(&conn).await?;
    if tenants.is_empty() {
        anyhow::bail!("no such tenant");
    }
    let mut intact = true;
    for t in tenants {
        let id = haven_domain::ids::TenantId::from_uuid(t.id);
        haven_domain::audit::link_pending(&conn, id).await?;
        let report = haven_domain::audit::verify(&conn, id).await?;
        match report.first_broken {
            None => println!(
                "{}: intact ({} events chained, {} pending)",
                t.slug, report.linked, report.unlinked
            ),
            Some((position, reason)) => {
                intact = false;
                println!(
                    "{}: BROKEN at position {position}: {reason} ({} events verified before it)",
                    t.slug, report.linked
                );
            }
        }
    }
    Ok(intact)
}

async fn run_rotate_master(settings: &Settings, new_key: bool, batch: u64) -> anyhow::Result<()> {
    let outcome = haven_api::keys::rotate_master(settings, batch, new_key).await?;
    if let Some(old) = &outcome.replaced {
        println!("new master key {} replaces {old}", outcome.current);
    }
    let r = &outcome.rewrapped;
    println!(
        "re-wrapped under {}: {} client key(s), {} tenant key(s), {} blind-index key(s), {} signing key(s)",
        outcome.current, r.client_keys, r.tenant_keys, r.index_keys, r.signing_keys
    );
    for (id, count) in &outcome.references {
        let role = if *id == outcome.current {
            "current"
        } else {
            "still referenced"
        };
        println!("{id}: {count} stored value(s) ({role})");
    }
    if outcome.references.keys().all(|id| *id == outcome.current) {
        println!(
            "no other master key is referenced: retired keys can be removed (`haven keys retire <id>`)"
        );
    }
    if outcome.replaced.is_some() {
        println!("restart the server so that it wraps new data under the new key");
    }
    Ok(())
}

async fn run_retention(
    settings: &Settings,
    dry_run: bool,
    tenant: Option<String>,
) -> anyhow::Result<bool> {
    use haven_domain::dataprot;
    let conn = open_database(settings).await?;
    let master = haven_api::startup::load_master_key(settings)?;
    let ledger = haven_api::startup::open_ledger(settings)?;
    let Some(lock) = dataprot::try_lock(
        &conn,
        haven_api::startup::RETENTION_LOCK,
        std::time::Duration::from_secs(3600),
    )
    .await?
    else {
        eprintln!("haven: another process is running retention; try again later");
        return Ok(false);
    };
    let outcome =
        dataprot::run_retention(&conn, &master, &ledger, tenant.as_deref(), dry_run).await;
    lock.release().await?;
    let report = outcome.map_err(describe)?;
    if report.tenants.is_empty() {
        anyhow::bail!("no such tenant");
    }
    for t in &report.tenants {
        match t.retention_years {
            None => println!("{}: no retention period set", t.slug),
            Some(years) if dry_run => println!(
                "{}: {} client(s) past {years} year(s) would be erased (dry run)",
                t.slug, t.expired
            ),
            Some(years) => println!(
                "{}: {} client(s) past {years} year(s), {} erased",
                t.slug, t.expired, t.erased
            ),
        }
        if t.recalled > 0 {
            println!(
                "{}: {} referral packet(s) recalled from other organisations' inboxes",
                t.slug, t.recalled
            );
        }
    }
    Ok(true)
}

async fn run_backup(
    settings: &Settings,
    out: &std::path::Path,
    passphrase_file: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    use haven_api::backup;
    if settings.profile() == haven_api::config::Profile::Postgres {
        anyhow::bail!("{}", backup::POSTGRES_REFUSAL);
    }
    let passphrase = backup::read_passphrase(passphrase_file)?;
    let outcome = backup::backup(settings, out, passphrase).await?;
    let m = &outcome.manifest;
    println!(
        "backup written to {} ({} bytes): {} rows in {} tables, migration {}, taken {}",
        outcome.path.display(),
        outcome.file_bytes,
        m.tables.values().sum::<u64>(),
        m.tables.len(),
        m.latest_migration.as_deref().unwrap_or("none"),
        m.created_at.to_rfc3339(),
    );
    println!(
        "its data keys are wrapped under master key(s) {}: the backup holds no key, keep the master \
         key (and the erasure ledger) apart from it",
        if m.master_key_ids.is_empty() {
            "(none)".to_owned()
        } else {
            m.master_key_ids.join(", ")
        }
    );
    Ok(())
}

async fn run_restore(
    settings: &Settings,
    from: &std::path::Path,
    into: &std::path::Path,
    passphrase_file: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    use haven_api::backup;
    let passphrase = backup::read_passphrase(passphrase_file)?;
    let outcome = backup::restore(settings, from, into, passphrase).await?;
    let m = &outcome.manifest;
    println!(
        "restored {} (taken {}, migration {}) into {}: integrity ok, {} rows in {} tables match \
         the manifest",
        from.display(),
        m.created_at.to_rfc3339(),
        m.latest_migration.as_deref().unwrap_or("none"),
        outcome.database.display(),
        outcome.rows,
        m.tables.len(),
    );
    if outcome.migrations_applied > 0 {
        println!("applied {} migration(s)", outcome.migrations_applied);
    }
    for (id, role) in &outcome.keys {
        println!("master key {id} ({role}) is configured");
    }
    match &outcome.ledger {
        Some((path, report)) => println!(
            "erasure ledger {}: {} erased client(s) listed, {} erased again in the restored copy, \
             {} referral packet(s) recalled",
            path.display(),
            report.entries,
            report.erased_again,
            report.recalled
        ),
        None => eprintln!(
            "haven: WARNING: there is no erasure ledger at {}: clients erased after this backup \
             was taken could not be erased again; set HAVEN_ERASURE_LEDGER to the ledger you keep \
             and restore again",
            settings.data_protection.erasure_ledger.display()
        ),
    }
    if let Some(copy) = &outcome.ledger_copy {
        println!("copied the erasure ledger to {}", copy.display());
    }
    println!(
        "serve it with HAVEN_DATA_DIR={} and the same master key (master.key in that directory, \
         HAVEN_MASTER_KEY or HAVEN_MASTER_KEY_FILE)",
        into.display()
    );
    Ok(())
}

fn describe(err: haven_domain::error::DomainError) -> anyhow::Error {
    match err {
        haven_domain::error::DomainError::Invalid(list) => anyhow::anyhow!(
            "{}",
            list.iter()
                .map(|i| format!("{} {}", i.field, i.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        haven_domain::error::DomainError::Conflict { message, .. } => anyhow::anyhow!(message),
        other => anyhow::anyhow!(other),
    }
}

fn load_settings() -> Result<Settings, ExitCode> {
    Settings::from_env().map_err(|err: ConfigError| {
        eprintln!("haven: {err}");
        ExitCode::from(2)
    })
}

fn fail(err: &anyhow::Error) -> ExitCode {
    eprintln!("haven: {err:#}");
    ExitCode::FAILURE
}

fn fail_serving(err: &anyhow::Error) -> ExitCode {
    tracing::error!(error = %format!("{err:#}"), "haven stopped");
    fail(err)
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let settings = match load_settings() {
                Ok(s) => s,
                Err(code) => return code,
            };
            telemetry::init(&settings.log);
            let listen = settings.server.listen;
            let profile = settings.profile();
            let app = match Application::build(settings).await {
                Ok(app) => app,
                Err(err) => return fail_serving(&err),
            };
            tracing::info!(%listen, port = app.port(), ?profile, "haven is serving");
            match app.run_until_stopped().await {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => fail_serving(&err.into()),
            }
        }
        Command::Migrate => {
            let settings = match load_settings() {
                Ok(s) => s,
                Err(code) => return code,
            };
            telemetry::init(&settings.log);
            match db::migrate(&settings).await {
                Ok(()) => {
                    println!("migrations applied");
                    ExitCode::SUCCESS
                }
                Err(err) => fail(&err),
            }
        }
        Command::Db {
            command:
                DbCommand::Bootstrap {
                    admin_url,
                    database,
                    owner_role,
                    owner_password,
                    app_role,
                    app_password,
                },
        } => {
            let request = db::BootstrapRequest {
                admin_url: SecretString::from(admin_url),
                database,
                owner_role,
                owner_password: owner_password.map(SecretString::from),
                app_role,
                app_password: app_password.map(SecretString::from),
            };
            match db::bootstrap(&request).await {
                Ok(outcome) => {
                    println!(
                        "HAVEN_MIGRATION_DATABASE_URL={}",
                        outcome.owner_url.expose_secret()
                    );
                    println!("DATABASE_URL={}", outcome.app_url.expose_secret());
                    ExitCode::SUCCESS
                }
                Err(err) => fail(&err),
            }
        }
        Command::Keys {
            command: KeysCommand::Generate,
        } => match haven_domain::crypto::MasterKey::generate_base64() {
            Ok(key) => {
                println!("{key}");
                ExitCode::SUCCESS
            }
            Err(err) => fail(&err.into()),
        },
        Command::Keys {
            command: KeysCommand::Rotate,
        } => {
            let settings = match load_settings() {
                Ok(s) => s,
                Err(code) => return code,
            };
            telemetry::init(&settings.log);
            let result = async {
                let key = haven_api::startup::load_master_key(&settings)?;
                let conn = open_database(&settings).await?;
                haven_domain::tokens::rotate_signing_keys(&conn, &key).await
            }
            .await;
            match result {
                Ok(kid) => {
                    println!("new signing key {kid}; older keys retire once their tokens expire");
                    ExitCode::SUCCESS
                }
                Err(err) => fail(&err),
            }
        }
        Command::Keys {
            command:
                KeysCommand::RotateMaster {
                    new_key,
                    batch_size,
                },
        } => {
            let settings = match load_settings() {
                Ok(s) => s,
                Err(code) => return code,
            };
            telemetry::init(&settings.log);
            match run_rotate_master(&settings, new_key, batch_size).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => fail(&err),
            }
        }
        Command::Keys {
            command: KeysCommand::Retire { id },
        } => {
            let settings = match load_settings() {
                Ok(s) => s,
                Err(code) => return code,
            };
            telemetry::init(&settings.log);
            match haven_api::keys::retire(&settings, &id).await {
                Ok(0) => {
                    println!(
                        "nothing stored refers to {id}: remove it from HAVEN_MASTER_KEYS_RETIRED \
                         (or delete retired-master-keys/{id}.key) once no backup made before the \
                         rotation needs it"
                    );
                    ExitCode::SUCCESS
                }
                Ok(n) => {
                    println!(
                        "{n} stored value(s) are still wrapped by {id}: run `haven keys rotate-master`"
                    );
                    ExitCode::FAILURE
                }
                Err(err) => fail(&err),
            }
        }
        Command::Admin { command } => {
            let settings = match load_settings() {
                Ok(s) => s,
                Err(code) => return code,
            };
            telemetry::init(&settings.log);
            match run_admin_command(&settings, command).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => fail(&err),
            }
        }
        Command::Seed {
            demo,
            synthetic,
            tenants,
            clients_per_tenant,
        } => {
            if !demo && !synthetic {
                eprintln!(
                    "haven: say which data set to load: `haven seed --demo` or `--synthetic`"
                );
                return ExitCode::from(2);
            }
            let settings = match load_settings() {
                Ok(s) => s,
                Err(code) => return code,
            };
            telemetry::init(&settings.log);
            let outcome = if synthetic {
                run_synthetic(&settings, tenants, clients_per_tenant).await
            } else {
                run_seed(&settings).await
            };
            match outcome {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => fail(&err),
            }
        }
        Command::Audit {
            command: AuditCommand::Verify { tenant },
        } => {
            let settings = match load_settings() {
                Ok(s) => s,
                Err(code) => return code,
            };
            telemetry::init(&settings.log);
            match run_audit_verify(&settings, tenant).await {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::FAILURE,
                Err(err) => fail(&err),
            }
        }
        Command::Retention {
            command: RetentionCommand::Run { dry_run, tenant },
        } => {
            let settings = match load_settings() {
                Ok(s) => s,
                Err(code) => return code,
            };
            telemetry::init(&settings.log);
            match run_retention(&settings, dry_run, tenant).await {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::FAILURE,
                Err(err) => fail(&err),
            }
        }
        Command::Backup {
            out,
            passphrase_file,
        } => {
            let settings = match load_settings() {
                Ok(s) => s,
                Err(code) => return code,
            };
            telemetry::init(&settings.log);
            match run_backup(&settings, &out, passphrase_file.as_deref()).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => fail(&err),
            }
        }
        Command::Restore {
            from,
            into,
            passphrase_file,
        } => {
            let settings = match load_settings() {
                Ok(s) => s,
                Err(code) => return code,
            };
            telemetry::init(&settings.log);
            match run_restore(&settings, &from, &into, passphrase_file.as_deref()).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => fail(&err),
            }
        }
        Command::Openapi => match haven_api::openapi::document_json() {
            Ok(json) => {
                print!("{json}");
                ExitCode::SUCCESS
            }
            Err(err) => fail(&err.into()),
        },
    }
}
