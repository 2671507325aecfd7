//! Haven's HTTP API: configuration, telemetry, routes, problem+json errors and the OpenAPI
//! document. Business rules live in `haven-domain`; handlers parse, authorise, call one
//! domain service and map the result.

pub mod allow;
pub mod auth;
pub mod backup;
pub mod config;
pub mod db;
pub mod error;
pub mod frontend;
pub mod idempotency;
pub mod json_guard;
pub mod keys;
pub mod locale;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod ratelimit;
pub mod request_id;
pub mod routes;
pub mod session_cookie;
pub mod startup;
pub mod state;
pub mod synthetic;
pub mod telemetry;

pub use config::Settings;
pub use startup::Application;
