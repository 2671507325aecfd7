//! The `haven` command: serves the API by default, and carries the operator's tools.

use clap::{Parser, Subcommand};
use haven_api::config::{ConfigError, Settings};
use haven_api::{Application, db, telemetry};
use secrecy::{ExposeSecret as _, SecretString};
use std::process::ExitCode;

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
}

fn load_settings() -> Result<Settings, ExitCode> {
    Settings::from_env().map_err(|err: ConfigError| {
        eprintln!("haven: {err}");
        ExitCode::from(2)
    })
}

fn fail(err: &anyhow::Error) -> ExitCode {
    tracing::error!(error = %format!("{err:#}"), "haven stopped");
    eprintln!("haven: {err:#}");
    ExitCode::FAILURE
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
                Err(err) => return fail(&err),
            };
            tracing::info!(%listen, port = app.port(), ?profile, "haven is serving");
            match app.run_until_stopped().await {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => fail(&err.into()),
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
        Command::Openapi => match haven_api::openapi::document_json() {
            Ok(json) => {
                print!("{json}");
                ExitCode::SUCCESS
            }
            Err(err) => fail(&err.into()),
        },
    }
}
