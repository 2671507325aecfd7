//! sea-orm entities matching the migrations. Plumbing only: behaviour lives in the services,
//! and entities never reach JSON. Tenant-owned entities are queried through their
//! `scoped(tenant)` constructor, never through a bare `find()`.

pub mod audit_chain;
pub mod audit_event;
pub mod password_token;
pub mod platform_admin;
pub mod platform_refresh_token;
pub mod refresh_token;
pub mod signing_key;
pub mod tenant;
pub mod tenant_key;
pub mod user;
