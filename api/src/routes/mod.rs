//! HTTP routes, one module per resource. [`configure`] registers every operation that belongs
//! in the OpenAPI document; the server and the document writer both call it.

pub mod health;
pub mod meta;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented operation.
pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(health::live)
        .service(health::ready)
        .service(meta::metrics)
        .service(utoipa_actix_web::scope::scope("/api/v1").service(meta::openapi_json));
}
