//! HTTP routes, one module per resource. [`configure`] registers every operation that belongs
//! in the OpenAPI document; the server and the document writer both call it.

pub mod audit;
pub mod auth;
pub mod common;
pub mod health;
pub mod me;
pub mod meta;
pub mod tenants;
pub mod users;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented operation.
pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(health::live)
        .service(health::ready)
        .service(meta::metrics)
        .service(auth::jwks)
        .service(
            scope::scope("/api/v1")
                .service(meta::openapi_json)
                .service(auth::login)
                .service(auth::refresh)
                .service(auth::logout)
                .service(auth::set_password)
                .service(me::get_me)
                .service(me::change_password)
                .service(tenants::create_tenant)
                .service(tenants::list_tenants)
                .service(tenants::get_tenant)
                .service(tenants::update_tenant)
                .service(users::create_user)
                .service(users::list_users)
                .service(users::get_user)
                .service(users::update_user)
                .service(users::deactivate_user)
                .service(audit::list_audit_events),
        );
}
