//! Settings, layered: built-in defaults, then an optional TOML file (`HAVEN_CONFIG`, or
//! `haven.toml` in the working directory when present), then environment variables. Every
//! value is validated at load; a bad one stops start-up with a single line naming the setting
//! as the operator wrote it (the environment variable, or the key in the file).

use figment::Figment;
use figment::providers::{Format as _, Serialized, Toml};
use figment::value::Value;
use secrecy::{ExposeSecret as _, SecretString};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// A setting that could not be accepted.
#[derive(Debug, thiserror::Error)]
#[error("invalid setting {setting}: {message}")]
pub struct ConfigError {
    pub setting: String,
    pub message: String,
}

impl ConfigError {
    fn new(key: &str, message: impl Into<String>) -> Self {
        Self {
            setting: display_name(key),
            message: message.into(),
        }
    }
}

/// How a value from the environment is read.
#[derive(Clone, Copy)]
enum Kind {
    /// Taken as text, whatever it looks like (URLs, secrets, paths).
    Text,
    /// Parsed as a number or boolean.
    Scalar,
}

/// Environment variables and the setting each one sets.
const ENV: &[(&str, &str, Kind)] = &[
    ("HAVEN_LISTEN", "server.listen", Kind::Text),
    ("HAVEN_BODY_LIMIT", "server.body_limit", Kind::Scalar),
    ("HAVEN_WORKERS", "server.workers", Kind::Scalar),
    (
        "HAVEN_SHUTDOWN_TIMEOUT",
        "server.shutdown_timeout",
        Kind::Scalar,
    ),
    ("HAVEN_DATA_DIR", "data_dir", Kind::Text),
    ("DATABASE_URL", "database.url", Kind::Text),
    (
        "HAVEN_MIGRATION_DATABASE_URL",
        "database.migration_url",
        Kind::Text,
    ),
    (
        "HAVEN_DATABASE_POOL_SIZE",
        "database.pool_size",
        Kind::Scalar,
    ),
    ("REDIS_URL", "cache.redis_url", Kind::Text),
    ("HAVEN_REDIS_PREFIX", "cache.redis_prefix", Kind::Text),
    ("HAVEN_LOG_FORMAT", "log.format", Kind::Text),
    ("HAVEN_LOG_LEVEL", "log.level", Kind::Text),
    ("HAVEN_MASTER_KEY", "keys.master_key", Kind::Text),
    ("HAVEN_MASTER_KEY_FILE", "keys.master_key_file", Kind::Text),
    (
        "HAVEN_MASTER_KEYS_RETIRED",
        "keys.retired_master_keys",
        Kind::Text,
    ),
    (
        "HAVEN_TRUST_FORWARDED_FOR",
        "server.trust_forwarded_for",
        Kind::Scalar,
    ),
    ("HAVEN_TOKEN_ISSUER", "auth.issuer", Kind::Text),
    ("HAVEN_FRONTEND_DIR", "server.frontend_dir", Kind::Text),
    ("HAVEN_DEMO", "demo.enabled", Kind::Scalar),
    ("HAVEN_DEMO_PASSWORD", "demo.password", Kind::Text),
    (
        "HAVEN_LOGIN_LIMIT_PER_IP",
        "limits.login_per_ip_per_minute",
        Kind::Scalar,
    ),
    (
        "HAVEN_LOGIN_LIMIT_PER_ACCOUNT",
        "limits.login_per_account_per_15_minutes",
        Kind::Scalar,
    ),
    (
        "HAVEN_API_LIMIT_PER_USER",
        "limits.api_per_user_per_minute",
        Kind::Scalar,
    ),
    (
        "HAVEN_API_LIMIT_PER_TENANT",
        "limits.api_per_tenant_per_minute",
        Kind::Scalar,
    ),
    (
        "HAVEN_AUDIT_LINK_INTERVAL_MS",
        "audit.link_interval_ms",
        Kind::Scalar,
    ),
    (
        "HAVEN_ERASURE_LEDGER",
        "data_protection.erasure_ledger",
        Kind::Text,
    ),
    (
        "HAVEN_RETENTION_INTERVAL_SECS",
        "data_protection.retention_interval_secs",
        Kind::Scalar,
    ),
    (
        "HAVEN_DEADLINE_NOTICE_INTERVAL_SECS",
        "deadlines.notice_interval_secs",
        Kind::Scalar,
    ),
];

/// The environment variable that names the optional settings file.
pub const CONFIG_FILE_VAR: &str = "HAVEN_CONFIG";

fn display_name(key: &str) -> String {
    ENV.iter().find(|(_, path, _)| *path == key).map_or_else(
        || key.to_owned(),
        |(var, path, _)| format!("{var} ({path})"),
    )
}

/// Log output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Which storage profile the settings select.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// SQLite in the data directory.
    Embedded,
    /// PostgreSQL at `DATABASE_URL`.
    Postgres,
}

#[derive(Debug, Clone)]
pub struct ServerSettings {
    pub listen: SocketAddr,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// HTTP worker threads; defaults to the number of cores.
    pub workers: Option<usize>,
    /// Seconds in-flight requests get to finish on shutdown.
    pub shutdown_timeout: u64,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// A build of the web app to serve at `/` (a directory holding `index.html`).
    pub frontend_dir: Option<PathBuf>,
}

/// Where the web app's build lands in a checkout; served when present and nothing else is set.
pub const DEFAULT_FRONTEND_DIR: &str = "frontend/dist";

#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// The `iss` of access tokens.
    pub issuer: String,
}

#[derive(Debug, Clone)]
pub struct DemoSettings {
    /// Seed the demo data set on the first start of the embedded profile.
    pub enabled: bool,
    /// Password of every demo account.
    pub password: SecretString,
}

/// Abuse limits.
#[derive(Debug, Clone)]
pub struct LimitSettings {
    pub login_per_ip_per_minute: u64,
    pub login_per_account_per_15_minutes: u64,
    pub api_per_user_per_minute: u64,
    pub api_per_tenant_per_minute: u64,
}

#[derive(Debug, Clone)]
pub struct AuditSettings {
    /// How often new audit events are chained, in milliseconds.
    pub link_interval_ms: u64,
}

/// Erasure and retention.
#[derive(Debug, Clone)]
pub struct DataProtectionSettings {
    /// The erasure ledger: a file kept apart from the database (beside the master key), so a
    /// restored dump cannot bring an erased client back.
    pub erasure_ledger: PathBuf,
    /// Seconds between retention runs of the server; `None` (0) turns the scheduled run off.
    pub retention_interval_secs: Option<u64>,
}

/// Notices of deadlines coming due.
#[derive(Debug, Clone)]
pub struct DeadlineSettings {
    /// Seconds between the server's runs that announce deadlines to case teams; `None` (0)
    /// turns them off.
    pub notice_interval_secs: Option<u64>,
}

/// Name of the erasure ledger file in the data directory when no path is set.
pub const ERASURE_LEDGER_FILE: &str = "erasure-ledger.jsonl";

#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    /// PostgreSQL URL of the app role; `None` selects the embedded SQLite database.
    pub url: Option<SecretString>,
    /// PostgreSQL URL of the owner role, used for migrations.
    pub migration_url: Option<SecretString>,
    pub pool_size: u32,
}

#[derive(Debug, Clone)]
pub struct CacheSettings {
    /// Redis URL; `None` selects the in-process cache.
    pub redis_url: Option<SecretString>,
    pub redis_prefix: String,
}

#[derive(Debug, Clone)]
pub struct LogSettings {
    pub format: LogFormat,
    /// A `tracing` filter such as `info` or `haven_api=debug,info`.
    pub level: String,
}

#[derive(Debug, Clone)]
pub struct KeySettings {
    /// Base64 master key given directly.
    pub master_key: Option<SecretString>,
    /// File holding the base64 master key.
    pub master_key_file: Option<PathBuf>,
    /// Earlier master keys (base64), kept only to open what they wrapped until a rotation has
    /// re-wrapped it under the current key.
    pub retired_master_keys: Vec<SecretString>,
}

/// Validated settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub server: ServerSettings,
    pub data_dir: PathBuf,
    pub database: DatabaseSettings,
    pub cache: CacheSettings,
    pub log: LogSettings,
    pub keys: KeySettings,
    pub auth: AuthSettings,
    pub demo: DemoSettings,
    pub limits: LimitSettings,
    pub audit: AuditSettings,
    pub data_protection: DataProtectionSettings,
    pub deadlines: DeadlineSettings,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawServer {
    listen: String,
    body_limit: u64,
    workers: Option<u64>,
    shutdown_timeout: u64,
    trust_forwarded_for: bool,
    frontend_dir: Option<String>,
}

impl Default for RawServer {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            body_limit: 1024 * 1024,
            workers: None,
            shutdown_timeout: 30,
            trust_forwarded_for: false,
            frontend_dir: None,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawDatabase {
    url: Option<String>,
    migration_url: Option<String>,
    pool_size: u64,
}

impl Default for RawDatabase {
    fn default() -> Self {
        Self {
            url: None,
            migration_url: None,
            pool_size: 20,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawCache {
    redis_url: Option<String>,
    redis_prefix: String,
}

impl Default for RawCache {
    fn default() -> Self {
        Self {
            redis_url: None,
            redis_prefix: "haven:".into(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawLog {
    format: String,
    level: String,
}

impl Default for RawLog {
    fn default() -> Self {
        Self {
            format: "text".into(),
            level: "info".into(),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawKeys {
    master_key: Option<String>,
    master_key_file: Option<String>,
    /// Comma-separated base64 keys.
    retired_master_keys: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawAuth {
    issuer: String,
}

impl Default for RawAuth {
    fn default() -> Self {
        Self {
            issuer: "haven".into(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawDemo {
    enabled: bool,
    password: String,
}

impl Default for RawDemo {
    fn default() -> Self {
        Self {
            enabled: true,
            password: "haven-demo-2026".into(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawLimits {
    login_per_ip_per_minute: u64,
    login_per_account_per_15_minutes: u64,
    api_per_user_per_minute: u64,
    api_per_tenant_per_minute: u64,
}

impl Default for RawLimits {
    fn default() -> Self {
        Self {
            login_per_ip_per_minute: 30,
            login_per_account_per_15_minutes: 10,
            api_per_user_per_minute: 600,
            api_per_tenant_per_minute: 6000,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawAudit {
    link_interval_ms: u64,
}

impl Default for RawAudit {
    fn default() -> Self {
        Self {
            link_interval_ms: 1000,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawDataProtection {
    erasure_ledger: Option<String>,
    retention_interval_secs: u64,
}

impl Default for RawDataProtection {
    fn default() -> Self {
        Self {
            erasure_ledger: None,
            retention_interval_secs: 3600,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawDeadlines {
    notice_interval_secs: u64,
}

impl Default for RawDeadlines {
    fn default() -> Self {
        Self {
            notice_interval_secs: 900,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawSettings {
    server: RawServer,
    data_dir: String,
    database: RawDatabase,
    cache: RawCache,
    log: RawLog,
    keys: RawKeys,
    auth: RawAuth,
    demo: RawDemo,
    limits: RawLimits,
    audit: RawAudit,
    data_protection: RawDataProtection,
    deadlines: RawDeadlines,
}

impl Default for RawSettings {
    fn default() -> Self {
        Self {
            server: RawServer::default(),
            data_dir: "./haven-data".into(),
            database: RawDatabase::default(),
            cache: RawCache::default(),
            log: RawLog::default(),
            keys: RawKeys::default(),
            auth: RawAuth::default(),
            demo: RawDemo::default(),
            limits: RawLimits::default(),
            audit: RawAudit::default(),
            data_protection: RawDataProtection::default(),
            deadlines: RawDeadlines::default(),
        }
    }
}

impl Settings {
    /// Loads settings from the process environment and the optional settings file.
    ///
    /// # Errors
    /// The first setting that is missing, malformed or out of range.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(std::env::vars())
    }

    /// Loads settings from the given variables (as the environment would hold them), with the
    /// file named by `HAVEN_CONFIG` among them, or `./haven.toml` when it exists.
    ///
    /// # Errors
    /// The first setting that is missing, malformed or out of range.
    pub fn from_vars<I, K, V>(vars: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: Into<String>,
    {
        let vars: Vec<(String, String)> = vars
            .into_iter()
            .map(|(k, v)| (k.as_ref().to_owned(), v.into()))
            .collect();
        let mut figment = Figment::from(Serialized::defaults(RawSettings::default()));

        let file = vars
            .iter()
            .find(|(k, _)| k == CONFIG_FILE_VAR)
            .map(|(_, v)| PathBuf::from(v));
        match file {
            Some(path) => {
                if !path.is_file() {
                    return Err(ConfigError {
                        setting: CONFIG_FILE_VAR.into(),
                        message: format!("no settings file at {}", path.display()),
                    });
                }
                figment = figment.merge(Toml::file_exact(path));
            }
            None if Path::new("haven.toml").is_file() => {
                figment = figment.merge(Toml::file_exact("haven.toml"));
            }
            None => {}
        }

        for (var, value) in &vars {
            let Some((_, key, kind)) = ENV.iter().find(|(name, _, _)| name == var) else {
                continue;
            };
            if value.is_empty() {
                continue;
            }
            let parsed = match kind {
                Kind::Text => Value::from(value.clone()),
                Kind::Scalar => value
                    .parse::<Value>()
                    .unwrap_or_else(|never| match never {}),
            };
            figment = figment.merge(Serialized::default(key, parsed));
        }

        let raw: RawSettings = figment.extract().map_err(|err| {
            let key = err.path.join(".");
            let message = err.kind.to_string();
            if key.is_empty() {
                ConfigError {
                    setting: "settings file".into(),
                    message,
                }
            } else {
                ConfigError::new(&key, message)
            }
        })?;
        Self::validate(raw)
    }

    fn validate(raw: RawSettings) -> Result<Self, ConfigError> {
        let listen = raw.server.listen.parse::<SocketAddr>().map_err(|_| {
            ConfigError::new(
                "server.listen",
                format!(
                    "expected an address and port such as 127.0.0.1:8080, got `{}`",
                    raw.server.listen
                ),
            )
        })?;
        let body_limit = bounded(
            raw.server.body_limit,
            1024,
            64 * 1024 * 1024,
            "server.body_limit",
        )?;
        let workers = raw
            .server
            .workers
            .map(|w| bounded(w, 1, 256, "server.workers"))
            .transpose()?;
        let shutdown_timeout = bounded(
            raw.server.shutdown_timeout,
            1,
            600,
            "server.shutdown_timeout",
        )?;

        if raw.data_dir.trim().is_empty() {
            return Err(ConfigError::new("data_dir", "must not be empty"));
        }

        let url = raw
            .database
            .url
            .map(|u| postgres_url(u, "database.url"))
            .transpose()?;
        let migration_url = raw
            .database
            .migration_url
            .map(|u| postgres_url(u, "database.migration_url"))
            .transpose()?;
        if migration_url.is_some() && url.is_none() {
            return Err(ConfigError::new(
                "database.migration_url",
                "needs DATABASE_URL (the app role) to be set as well",
            ));
        }
        let pool_size = bounded(raw.database.pool_size, 1, 500, "database.pool_size")?;

        let redis_url = raw
            .cache
            .redis_url
            .map(|u| {
                let parsed = url::Url::parse(&u)
                    .map_err(|_| ConfigError::new("cache.redis_url", "is not a valid URL"))?;
                if !matches!(parsed.scheme(), "redis" | "rediss") {
                    return Err(ConfigError::new(
                        "cache.redis_url",
                        "must start with redis:// or rediss://",
                    ));
                }
                Ok(SecretString::from(u))
            })
            .transpose()?;
        let prefix = raw.cache.redis_prefix;
        if prefix.is_empty()
            || prefix.len() > 64
            || !prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.'))
        {
            return Err(ConfigError::new(
                "cache.redis_prefix",
                "must be 1 to 64 characters of letters, digits, ':', '-', '_' or '.'",
            ));
        }

        let format = match raw.log.format.to_ascii_lowercase().as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => {
                return Err(ConfigError::new(
                    "log.format",
                    format!("expected `text` or `json`, got `{other}`"),
                ));
            }
        };
        if tracing_subscriber::EnvFilter::try_new(&raw.log.level).is_err() {
            return Err(ConfigError::new(
                "log.level",
                "is not a valid filter (e.g. `info` or `haven_api=debug,info`)",
            ));
        }

        let master_key = raw.keys.master_key.map(SecretString::from);
        if let Some(key) = &master_key {
            haven_domain::crypto::MasterKey::from_base64(key.expose_secret())
                .map_err(|err| ConfigError::new("keys.master_key", err.to_string()))?;
        }
        let mut retired_master_keys = Vec::new();
        for text in raw
            .keys
            .retired_master_keys
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            haven_domain::crypto::MasterKey::from_base64(text)
                .map_err(|err| ConfigError::new("keys.retired_master_keys", err.to_string()))?;
            retired_master_keys.push(SecretString::from(text.to_owned()));
        }
        if master_key.is_some() && raw.keys.master_key_file.is_some() {
            return Err(ConfigError::new(
                "keys.master_key",
                "set either HAVEN_MASTER_KEY or HAVEN_MASTER_KEY_FILE, not both",
            ));
        }

        let issuer = raw.auth.issuer.trim().to_owned();
        if issuer.is_empty() || issuer.len() > 200 {
            return Err(ConfigError::new(
                "auth.issuer",
                "must be 1 to 200 characters",
            ));
        }
        let demo_password = SecretString::from(raw.demo.password);
        if raw.demo.enabled {
            haven_domain::passwords::check_policy(&demo_password, &[]).map_err(|_| {
                ConfigError::new(
                    "demo.password",
                    "is too weak for the password policy (at least 12 characters, hard to guess)",
                )
            })?;
        }
        let limits = LimitSettings {
            login_per_ip_per_minute: bounded(
                raw.limits.login_per_ip_per_minute,
                1,
                100_000,
                "limits.login_per_ip_per_minute",
            )? as u64,
            login_per_account_per_15_minutes: bounded(
                raw.limits.login_per_account_per_15_minutes,
                1,
                10_000,
                "limits.login_per_account_per_15_minutes",
            )? as u64,
            api_per_user_per_minute: bounded(
                raw.limits.api_per_user_per_minute,
                1,
                1_000_000,
                "limits.api_per_user_per_minute",
            )? as u64,
            api_per_tenant_per_minute: bounded(
                raw.limits.api_per_tenant_per_minute,
                1,
                10_000_000,
                "limits.api_per_tenant_per_minute",
            )? as u64,
        };
        let link_interval_ms = bounded(
            raw.audit.link_interval_ms,
            50,
            600_000,
            "audit.link_interval_ms",
        )? as u64;
        let retention_interval_secs = match raw.data_protection.retention_interval_secs {
            0 => None,
            secs => Some(bounded(
                secs,
                1,
                7 * 24 * 3600,
                "data_protection.retention_interval_secs",
            )? as u64),
        };
        let notice_interval_secs = match raw.deadlines.notice_interval_secs {
            0 => None,
            secs => Some(bounded(secs, 1, 24 * 3600, "deadlines.notice_interval_secs")? as u64),
        };
        let erasure_ledger = match raw.data_protection.erasure_ledger {
            Some(path) if path.trim().is_empty() => {
                return Err(ConfigError::new(
                    "data_protection.erasure_ledger",
                    "must not be empty",
                ));
            }
            Some(path) => PathBuf::from(path),
            None => PathBuf::from(&raw.data_dir).join(ERASURE_LEDGER_FILE),
        };
        let frontend_dir = match raw.server.frontend_dir {
            Some(dir) => {
                let dir = PathBuf::from(dir);
                if !dir.join("index.html").is_file() {
                    return Err(ConfigError::new(
                        "server.frontend_dir",
                        format!(
                            "no index.html in {} (build the web app first)",
                            dir.display()
                        ),
                    ));
                }
                Some(dir)
            }
            None => Some(PathBuf::from(DEFAULT_FRONTEND_DIR))
                .filter(|dir| dir.join("index.html").is_file()),
        };

        Ok(Self {
            server: ServerSettings {
                listen,
                body_limit,
                workers,
                shutdown_timeout: shutdown_timeout as u64,
                trust_forwarded_for: raw.server.trust_forwarded_for,
                frontend_dir,
            },
            auth: AuthSettings { issuer },
            demo: DemoSettings {
                enabled: raw.demo.enabled,
                password: demo_password,
            },
            limits,
            audit: AuditSettings { link_interval_ms },
            data_protection: DataProtectionSettings {
                erasure_ledger,
                retention_interval_secs,
            },
            deadlines: DeadlineSettings {
                notice_interval_secs,
            },
            data_dir: PathBuf::from(raw.data_dir),
            database: DatabaseSettings {
                url,
                migration_url,
                pool_size: u32::try_from(pool_size).unwrap_or(u32::MAX),
            },
            cache: CacheSettings {
                redis_url,
                redis_prefix: prefix,
            },
            log: LogSettings {
                format,
                level: raw.log.level,
            },
            keys: KeySettings {
                master_key,
                master_key_file: raw.keys.master_key_file.map(PathBuf::from),
                retired_master_keys,
            },
        })
    }

    /// The storage profile these settings select.
    #[must_use]
    pub fn profile(&self) -> Profile {
        if self.database.url.is_some() {
            Profile::Postgres
        } else {
            Profile::Embedded
        }
    }
}

fn bounded(value: u64, min: u64, max: u64, key: &str) -> Result<usize, ConfigError> {
    if (min..=max).contains(&value) {
        usize::try_from(value).map_err(|_| ConfigError::new(key, "is too large"))
    } else {
        Err(ConfigError::new(
            key,
            format!("must be between {min} and {max}, got {value}"),
        ))
    }
}

fn postgres_url(raw: String, key: &str) -> Result<SecretString, ConfigError> {
    // The message never repeats the URL: it may hold a password.
    let parsed = url::Url::parse(&raw).map_err(|_| ConfigError::new(key, "is not a valid URL"))?;
    if !matches!(parsed.scheme(), "postgres" | "postgresql") {
        return Err(ConfigError::new(
            key,
            "must be a postgres:// URL (leave it unset for the embedded SQLite database)",
        ));
    }
    if parsed.host_str().is_none() || parsed.path().trim_start_matches('/').is_empty() {
        return Err(ConfigError::new(key, "must name a host and a database"));
    }
    Ok(SecretString::from(raw))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn load(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        Settings::from_vars(vars.iter().map(|(k, v)| (*k, (*v).to_owned())))
    }

    #[test]
    fn defaults_select_the_embedded_profile() {
        let settings = load(&[]).unwrap();
        assert_eq!(settings.profile(), Profile::Embedded);
        assert_eq!(settings.server.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.data_dir, PathBuf::from("./haven-data"));
        assert!(settings.cache.redis_url.is_none());
        assert_eq!(settings.deadlines.notice_interval_secs, Some(900));
        let off = load(&[("HAVEN_DEADLINE_NOTICE_INTERVAL_SECS", "0")]).unwrap();
        assert_eq!(off.deadlines.notice_interval_secs, None);
    }

    #[test]
    fn environment_overrides_defaults() {
        let settings = load(&[
            ("HAVEN_LISTEN", "0.0.0.0:9000"),
            ("DATABASE_URL", "postgres://app:pw@db:5432/haven"),
            ("REDIS_URL", "redis://cache:6379"),
            ("HAVEN_BODY_LIMIT", "2048"),
            ("HAVEN_LOG_FORMAT", "json"),
        ])
        .unwrap();
        assert_eq!(settings.profile(), Profile::Postgres);
        assert_eq!(settings.server.listen.port(), 9000);
        assert_eq!(settings.server.body_limit, 2048);
        assert_eq!(settings.log.format, LogFormat::Json);
    }

    #[test]
    fn bad_values_name_the_setting_without_echoing_secrets() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("HAVEN_LISTEN", "nowhere")], "HAVEN_LISTEN"),
            (&[("HAVEN_BODY_LIMIT", "12")], "HAVEN_BODY_LIMIT"),
            (&[("HAVEN_BODY_LIMIT", "lots")], "HAVEN_BODY_LIMIT"),
            (&[("DATABASE_URL", "mysql://u:s3cret@h/db")], "DATABASE_URL"),
            (&[("REDIS_URL", "http://cache")], "REDIS_URL"),
            (&[("HAVEN_LOG_FORMAT", "xml")], "HAVEN_LOG_FORMAT"),
            (&[("HAVEN_MASTER_KEY", "s3cret")], "HAVEN_MASTER_KEY"),
            (&[("HAVEN_WORKERS", "perhaps")], "HAVEN_WORKERS"),
            (
                &[("HAVEN_DEADLINE_NOTICE_INTERVAL_SECS", "86401")],
                "HAVEN_DEADLINE_NOTICE_INTERVAL_SECS",
            ),
            (
                &[("HAVEN_MIGRATION_DATABASE_URL", "postgres://o:pw@h/db")],
                "HAVEN_MIGRATION_DATABASE_URL",
            ),
        ];
        for (vars, setting) in cases {
            let err = load(vars).expect_err(setting);
            let line = err.to_string();
            assert!(line.contains(setting), "{line} should name {setting}");
            assert!(!line.contains("s3cret"), "{line} must not echo a secret");
            assert!(!line.contains('\n'), "one line: {line}");
        }
    }

    #[test]
    fn a_settings_file_sits_between_defaults_and_environment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("haven.toml");
        std::fs::write(
            &path,
            "data_dir = \"/srv/haven\"\n[server]\nlisten = \"127.0.0.1:7000\"\n",
        )
        .unwrap();
        let file = path.to_str().unwrap();
        let settings = load(&[(CONFIG_FILE_VAR, file)]).unwrap();
        assert_eq!(settings.server.listen.port(), 7000);
        assert_eq!(settings.data_dir, PathBuf::from("/srv/haven"));
        let settings =
            load(&[(CONFIG_FILE_VAR, file), ("HAVEN_LISTEN", "127.0.0.1:7001")]).unwrap();
        assert_eq!(settings.server.listen.port(), 7001);

        std::fs::write(&path, "[server]\nlisen = \"x\"\n").unwrap();
        let err = load(&[(CONFIG_FILE_VAR, file)]).unwrap_err();
        assert!(err.to_string().contains("lisen"), "{err}");
    }
}
