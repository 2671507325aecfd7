//! Liveness and readiness probes for orchestrators and load balancers.

use crate::error::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

/// How long a dependency may take to answer a readiness probe.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// Liveness answer.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"status": "ok"}))]
pub struct Live {
    /// Always `ok` while the process serves requests.
    pub status: &'static str,
}

/// Readiness answer: each dependency's state.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"status": "ready", "database": "postgres", "cache": "redis"}))]
pub struct Ready {
    /// `ready` when every dependency answered.
    pub status: &'static str,
    /// The database backend that answered: `sqlite` or `postgres`.
    pub database: &'static str,
    /// The cache backend that answered: `memory` or `redis`.
    pub cache: &'static str,
}

/// Whether the process is alive. Touches no dependency.
#[utoipa::path(
    tag = "health",
    operation_id = "health_live",
    security(()),
    responses((status = 200, description = "The process serves requests", body = Live))
)]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Live { status: "ok" })
}

/// Whether the database and the cache both answer; 503 otherwise.
#[utoipa::path(
    tag = "health",
    operation_id = "health_ready",
    security(()),
    responses(
        (status = 200, description = "Database and cache answer", body = Ready),
        (status = 503, description = "A dependency does not answer", body = Problem,
            content_type = "application/problem+json")
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let database = async {
        tokio::time::timeout(PROBE_TIMEOUT, state.db.ping())
            .await
            .is_ok_and(|r| r.is_ok())
    };
    let cache = async {
        tokio::time::timeout(PROBE_TIMEOUT, state.cache.ping())
            .await
            .is_ok_and(|r| r.is_ok())
    };
    let (database_ok, cache_ok) = tokio::join!(database, cache);
    let detail = match (database_ok, cache_ok) {
        (true, true) => None,
        (false, true) => Some("Not ready: the database does not answer."),
        (true, false) => Some("Not ready: the cache does not answer."),
        (false, false) => Some("Not ready: neither the database nor the cache answers."),
    };
    if let Some(detail) = detail {
        tracing::warn!(database_ok, cache_ok, "readiness probe failed");
        return Err(ApiError::Unavailable(detail.to_owned()));
    }
    let database = match state.db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => "postgres",
        _ => "sqlite",
    };
    Ok(HttpResponse::Ok().json(Ready {
        status: "ready",
        database,
        cache: state.cache.backend_name(),
    }))
}
