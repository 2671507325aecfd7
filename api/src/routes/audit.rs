//! The organisation's audit log (tenant administrators).

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, next_cursor, page_limit};
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use haven_domain::audit::{self, ListFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Items per page, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only events by this user.
    pub actor: Option<Uuid>,
    /// Only this action, e.g. `auth.login`.
    pub action: Option<String>,
    /// Events at or after this time (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Events before this time (RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

/// Where an event sits in the tenant's hash chain.
#[derive(Serialize, ToSchema)]
pub struct ChainLinkOut {
    pub position: i64,
    pub hash: String,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b", "occurred_at": "2026-11-28T10:00:00Z",
    "actor_kind": "user", "actor_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00", "action": "auth.login",
    "target_type": "user", "target_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00", "outcome": "success",
    "request_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11", "details": {},
    "chain": {"position": 1, "hash": "9f2c…"}}))]
pub struct AuditEventOut {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    /// `user`, `platform_admin`, `system` or `anonymous`.
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<Uuid>,
    /// `success`, `failure` or `denied`.
    pub outcome: String,
    pub request_id: Option<String>,
    /// Ids, codes and counts; never personal data.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// Absent until the event is chained (within seconds).
    pub chain: Option<ChainLinkOut>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEventOut>,
    pub next_cursor: Option<String>,
}

/// The audit log, newest first, with filters.
#[utoipa::path(
    tag = "audit",
    operation_id = "list_audit_events",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of events", body = AuditPage),
        (status = 403, description = "Missing `audit.read`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit-events")]
pub async fn list_audit_events(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit);
    let filter = ListFilter {
        actor: query.actor,
        action: query.action.clone(),
        from: query.from,
        to: query.to,
        before: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let listed = audit::list(&state.db, scope, &filter).await?;
    let next = next_cursor(&listed, limit, |l| l.event.id.to_string());
    let items = listed
        .into_iter()
        .map(|l| AuditEventOut {
            id: l.event.id,
            occurred_at: l.event.occurred_at,
            actor_kind: l.event.actor_kind,
            actor_id: l.event.actor_id,
            action: l.event.action,
            target_type: l.event.target_type,
            target_id: l.event.target_id,
            outcome: l.event.outcome,
            request_id: l.event.request_id,
            details: serde_json::from_str(&l.event.details).unwrap_or(serde_json::Value::Null),
            chain: l.link.map(|link| ChainLinkOut {
                position: link.position,
                hash: link.hash,
            }),
        })
        .collect();
    Ok(HttpResponse::Ok().json(AuditPage {
        items,
        next_cursor: next,
    }))
}
