//! The API's description of itself and its metrics.

use crate::error::ApiError;
use crate::metrics::HttpMetrics;
use crate::openapi::SpecDocument;
use actix_web::{HttpResponse, get, web};

/// The OpenAPI 3.1 document of this API (identical to the committed `openapi/openapi.json`).
#[utoipa::path(
    tag = "meta",
    operation_id = "openapi_document",
    security(()),
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json",
        body = Object))
)]
#[get("/openapi.json")]
pub async fn openapi_json(doc: web::Data<SpecDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.json.clone())
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(
    tag = "meta",
    operation_id = "metrics",
    security(()),
    responses((status = 200, description = "Metrics", content_type = "text/plain", body = String))
)]
#[get("/metrics")]
pub async fn metrics(metrics: web::Data<HttpMetrics>) -> Result<HttpResponse, ApiError> {
    let text = metrics
        .render()
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e)))?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(text))
}
