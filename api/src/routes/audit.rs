//! The organisation's audit log (tenant administrators).

use crate::auth::Authenticated;
use crate::error::{ApiError, FieldError, Problem};
use crate::routes::common::{id_cursor, next_cursor, page_limit};
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use haven_domain::audit::{self, ListFilter, Listed};
use haven_domain::entities::{audit_chain, audit_event};
use haven_domain::tenancy::TenantScope;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only events by this user.
    pub actor: Option<Uuid>,
    /// Only this action, e.g. `auth.login`.
    #[param(min_length = 1, max_length = 64, pattern = "^[!-~]+$")]
    pub action: Option<String>,
    /// Only events about this kind of record, e.g. `client`.
    #[param(min_length = 1, max_length = 32, pattern = "^[!-~]+$")]
    pub target_type: Option<String>,
    /// Only events about this record.
    pub target_id: Option<Uuid>,
    /// Events at or after this time (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Events before this time (RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

/// The filters of the export: those of the list, without paging.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditExportQuery {
    /// Only events by this user.
    pub actor: Option<Uuid>,
    /// Only this action, e.g. `client.exported`.
    #[param(min_length = 1, max_length = 64, pattern = "^[!-~]+$")]
    pub action: Option<String>,
    /// Only events about this kind of record, e.g. `client`.
    #[param(min_length = 1, max_length = 32, pattern = "^[!-~]+$")]
    pub target_type: Option<String>,
    /// Only events about this record.
    pub target_id: Option<Uuid>,
    /// Events at or after this time (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Events before this time (RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

fn bounded(text: Option<&String>, field: &str, max: usize) -> Result<Option<String>, ApiError> {
    match text {
        Some(t) if t.is_empty() || t.len() > max || !t.chars().all(|c| c.is_ascii_graphic()) => {
            Err(ApiError::Validation(vec![FieldError {
                field: field.to_owned(),
                message: format!("must be 1 to {max} visible characters"),
            }]))
        }
        other => Ok(other.cloned()),
    }
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

/// The answer form of a stored event.
pub(crate) fn event_out(
    event: audit_event::Model,
    link: Option<audit_chain::Model>,
) -> AuditEventOut {
    AuditEventOut {
        id: event.id,
        occurred_at: event.occurred_at,
        actor_kind: event.actor_kind,
        actor_id: event.actor_id,
        action: event.action,
        target_type: event.target_type,
        target_id: event.target_id,
        outcome: event.outcome,
        request_id: event.request_id,
        details: serde_json::from_str(&event.details).unwrap_or(serde_json::Value::Null),
        chain: link.map(|link| ChainLinkOut {
            position: link.position,
            hash: link.hash,
        }),
    }
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
        (status = 422, description = "A filter out of bounds", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit-events")]
pub async fn list_audit_events(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let filter = ListFilter {
        actor: query.actor,
        action: bounded(query.action.as_ref(), "action", 64)?,
        target_type: bounded(query.target_type.as_ref(), "target_type", 32)?,
        target_id: query.target_id,
        from: query.from,
        to: query.to,
        before: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let listed = audit::list(&state.db, scope, &filter).await?;
    let next = next_cursor(&listed, limit, |l| l.event.id.to_string());
    let items = listed
        .into_iter()
        .map(|l| event_out(l.event, l.link))
        .collect();
    Ok(HttpResponse::Ok().json(AuditPage {
        items,
        next_cursor: next,
    }))
}

/// Events per database read while exporting.
const EXPORT_BATCH: u64 = 500;

/// The CSV header of the export.
const CSV_HEADER: &str = "id,occurred_at,actor_kind,actor_id,action,target_type,target_id,outcome,request_id,chain_position,chain_hash,details\n";

/// One CSV field: quoted when it holds a separator, a quote or a line break; a leading
/// formula character is neutralised so a spreadsheet does not evaluate it.
fn csv_field(out: &mut String, value: &str) {
    let guarded = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&guarded.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&guarded);
    }
}

fn csv_line(l: &Listed) -> String {
    let e = &l.event;
    let opt = |v: Option<String>| v.unwrap_or_default();
    let fields = [
        e.id.to_string(),
        e.occurred_at
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        e.actor_kind.clone(),
        opt(e.actor_id.map(|a| a.to_string())),
        e.action.clone(),
        opt(e.target_type.clone()),
        opt(e.target_id.map(|t| t.to_string())),
        e.outcome.clone(),
        opt(e.request_id.clone()),
        opt(l.link.as_ref().map(|k| k.position.to_string())),
        opt(l.link.as_ref().map(|k| k.hash.clone())),
        e.details.clone(),
    ];
    let mut out = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(&mut out, f);
    }
    out.push('\n');
    out
}

struct ExportCursor {
    db: sea_orm::DatabaseConnection,
    scope: TenantScope,
    filter: ListFilter,
    header: bool,
    done: bool,
}

/// The audit log as CSV, newest first, with the list's filters (tenant administrators). The
/// file is streamed in batches, never held whole; the export itself is audited.
#[utoipa::path(
    tag = "audit",
    operation_id = "export_audit_events",
    params(AuditExportQuery),
    responses(
        (status = 200, description = "The events as CSV", content_type = "text/csv", body = String,
            headers(("Content-Disposition" = String, description = "attachment; filename=\"audit-events.csv\""))),
        (status = 403, description = "Missing `audit.read`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A filter out of bounds", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit-events/export")]
pub async fn export_audit_events(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<AuditExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?.clone();
    let filter = ListFilter {
        actor: query.actor,
        action: bounded(query.action.as_ref(), "action", 64)?,
        target_type: bounded(query.target_type.as_ref(), "target_type", 32)?,
        target_id: query.target_id,
        from: query.from,
        to: query.to,
        before: None,
        limit: EXPORT_BATCH,
    };
    audit::record_export(&state.db, &scope, &filter).await?;
    let cursor = ExportCursor {
        db: state.db.clone(),
        scope,
        filter,
        header: true,
        done: false,
    };
    let body = futures_util::stream::unfold(cursor, |mut c| async move {
        if c.done {
            return None;
        }
        let mut chunk = String::new();
        if c.header {
            c.header = false;
            chunk.push_str(CSV_HEADER);
        }
        match audit::list(&c.db, &c.scope, &c.filter).await {
            Ok(batch) => {
                if (batch.len() as u64) < EXPORT_BATCH {
                    c.done = true;
                }
                c.filter.before = batch.last().map(|l| l.event.id);
                for l in &batch {
                    chunk.push_str(&csv_line(l));
                }
                Some((Ok::<_, actix_web::Error>(web::Bytes::from(chunk)), c))
            }
            Err(err) => {
                tracing::error!(error = %err, "the audit export stopped");
                c.done = true;
                Some((
                    Err(actix_web::error::ErrorInternalServerError(
                        "export interrupted",
                    )),
                    c,
                ))
            }
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"audit-events.csv\"",
        ))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .streaming(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        let mut out = String::new();
        csv_field(&mut out, r#"{"a":1,"b":"x"}"#);
        assert_eq!(out, r#""{""a"":1,""b"":""x""}""#);
        let mut out = String::new();
        csv_field(&mut out, "=HYPERLINK()");
        assert_eq!(out, "'=HYPERLINK()");
    }
}
