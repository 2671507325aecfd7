//! Audited refusals the services share: a look-up that finds nothing in the caller's tenant
//! (another tenant's id looks exactly like no one's), and a missing permission. Both are
//! recorded in a transaction of their own, so the caller must have closed its transaction
//! first (on SQLite an open write transaction would make the audit wait on itself).

use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::error::{DomainError, DomainResult};
use crate::tenancy::TenantScope;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

/// Records a denied look-up of `id` (another tenant's, or no one's).
pub(crate) async fn audit_not_found(
    db: &DatabaseConnection,
    scope: &TenantScope,
    kind: &'static str,
    id: Uuid,
) {
    let event = Event::new("access.denied", Actor::user(scope), Outcome::Denied)
        .target(kind, id)
        .details(serde_json::json!({"reason": "not_found"}));
    if let Err(err) = audit::record_alone(db, scope.tenant_id(), event).await {
        tracing::error!(error = %err, "cannot audit a denied look-up");
    }
}

/// Records a denied look-up of `id` and answers not found.
pub(crate) async fn not_found(
    db: &DatabaseConnection,
    scope: &TenantScope,
    kind: &'static str,
    id: Uuid,
) -> DomainError {
    audit_not_found(db, scope, kind, id).await;
    DomainError::NotFound
}

/// Records a permission refusal and answers forbidden.
pub(crate) async fn forbidden(
    db: &DatabaseConnection,
    scope: &TenantScope,
    permission: Permission,
) -> DomainError {
    let event = Event::new("access.denied", Actor::user(scope), Outcome::Denied).details(
        serde_json::json!({"reason": "missing_permission", "permission": permission.as_str()}),
    );
    if let Err(err) = audit::record_alone(db, scope.tenant_id(), event).await {
        tracing::error!(error = %err, "cannot audit a refused request");
    }
    DomainError::Forbidden
}

/// `Ok` when the caller holds `permission`; otherwise an audited refusal.
pub(crate) async fn require(
    db: &DatabaseConnection,
    scope: &TenantScope,
    permission: Permission,
) -> DomainResult<()> {
    if scope.has(permission) {
        Ok(())
    } else {
        Err(forbidden(db, scope, permission).await)
    }
}

/// Checks an `If-Match` header against the current version tag of a record: required, and
/// equal. Called after the change's own checks and just before it is made, in the order RFC
/// 9110 (section 13.2.1) gives: a change that is invalid anyway is refused for what is wrong
/// with it (422), whatever version it names.
///
/// # Errors
/// `PreconditionRequired` when absent, `PreconditionFailed` when it names another version.
pub(crate) fn check_version(if_match: Option<&str>, current: &str) -> DomainResult<()> {
    match if_match {
        None => Err(DomainError::PreconditionRequired),
        Some(tag) if tag.trim() != current => Err(DomainError::PreconditionFailed),
        Some(_) => Ok(()),
    }
}
