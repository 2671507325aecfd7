//! Incidents in shelter life, with sealed descriptions and their follow-up.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, if_match, next_cursor, page_limit, present};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use haven_domain::incidents::{self, IncidentChange, IncidentFilter, IncidentView, NewIncident};
use haven_domain::vocab::{IncidentCategory, IncidentFollowUp, IncidentSeverity};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Reporting an incident.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "shelter_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a22", "occurred_at": "2026-11-27T22:15:00Z",
    "category": "contact_attempt_by_traffickers", "severity": "high",
    "involved_case_codes": ["BE-2026-0042"],
    "description": "A car waited outside for an hour; the driver asked a resident to come out.",
    "actions_taken": "Police called; the resident stays inside and her phone was checked.",
    "follow_up_status": "in_progress"
}))]
pub struct IncidentIn {
    /// A shelter you work at.
    pub shelter_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub category: IncidentCategory,
    pub severity: IncidentSeverity,
    /// Case codes of residents of the shelter (never names).
    #[serde(default)]
    #[schema(max_items = 30)]
    pub involved_case_codes: Vec<String>,
    /// Sealed at rest.
    #[schema(max_length = 10000)]
    pub description: String,
    /// Sealed at rest.
    #[schema(max_length = 10000)]
    pub actions_taken: Option<String>,
    /// `open` when absent.
    pub follow_up_status: Option<IncidentFollowUp>,
}

/// A change to an incident: absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"follow_up_status": "closed", "actions_taken": "Police report filed; the resident moved to another shelter."}))]
pub struct IncidentPatchIn {
    pub occurred_at: Option<DateTime<Utc>>,
    pub category: Option<IncidentCategory>,
    pub severity: Option<IncidentSeverity>,
    #[schema(max_items = 30)]
    pub involved_case_codes: Option<Vec<String>>,
    #[schema(max_length = 10000)]
    pub description: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(max_length = 10000, value_type = Option<String>)]
    pub actions_taken: Option<Option<String>>,
    pub follow_up_status: Option<IncidentFollowUp>,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a66", "shelter_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a22",
    "occurred_at": "2026-11-27T22:15:00Z", "category": "contact_attempt_by_traffickers", "severity": "high",
    "involved_case_codes": ["BE-2026-0042"],
    "description": "A car waited outside for an hour; the driver asked a resident to come out.",
    "actions_taken": "Police called; the resident stays inside and her phone was checked.",
    "sealed_shown": true, "follow_up_status": "in_progress",
    "reported_by": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11",
    "created_at": "2026-11-27T22:40:00Z", "updated_at": "2026-11-27T22:40:00Z"
}))]
pub struct IncidentOut {
    pub id: Uuid,
    pub shelter_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub category: IncidentCategory,
    pub severity: IncidentSeverity,
    pub involved_case_codes: Vec<String>,
    /// Shown to those who may read it, when reading one incident.
    pub description: Option<String>,
    pub actions_taken: Option<String>,
    /// Whether the sealed texts were opened for you.
    pub sealed_shown: bool,
    pub follow_up_status: IncidentFollowUp,
    pub reported_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<IncidentView> for IncidentOut {
    fn from(v: IncidentView) -> Self {
        Self {
            id: v.row.id,
            shelter_id: v.row.shelter_id,
            occurred_at: v.row.occurred_at,
            category: v.category,
            severity: v.severity,
            involved_case_codes: v.involved_case_codes,
            description: v.description,
            actions_taken: v.actions_taken,
            sealed_shown: v.sealed_shown,
            follow_up_status: v.follow_up_status,
            reported_by: v.row.reported_by,
            created_at: v.row.created_at,
            updated_at: v.row.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct IncidentPage {
    pub items: Vec<IncidentOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IncidentQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub shelter_id: Option<Uuid>,
    pub category: Option<IncidentCategory>,
    pub severity: Option<IncidentSeverity>,
    /// Occurred at or after this moment (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Occurred before this moment (RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

fn with_etag(mut builder: actix_web::HttpResponseBuilder, view: IncidentView) -> HttpResponse {
    builder.insert_header((header::ETAG, incidents::etag(&view.row)));
    builder.insert_header(("Cache-Control", "no-store"));
    builder.json(IncidentOut::from(view))
}

/// Reports an incident in a shelter you work at. A high or critical security incident (or
/// contact attempt by traffickers) notifies the shelter's managers and the administrators.
#[utoipa::path(
    tag = "incidents",
    operation_id = "create_incident",
    request_body = IncidentIn,
    responses(
        (status = 201, description = "Recorded", body = IncidentOut, headers(
            ("Location" = String, description = "The new incident"),
            ("ETag" = String, description = "Version for If-Match"),
        )),
        (status = 403, description = "Missing `shelters.read`, or not assigned to the shelter", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input (every bad field is listed)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/incidents")]
pub async fn create_incident(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<IncidentIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let body = body.into_inner();
    let view = incidents::create(
        &state.db,
        &state.master_key,
        scope,
        NewIncident {
            shelter_id: body.shelter_id,
            occurred_at: body.occurred_at,
            category: body.category,
            severity: body.severity,
            involved_case_codes: body.involved_case_codes,
            description: body.description,
            actions_taken: body.actions_taken,
            follow_up_status: body.follow_up_status,
        },
    )
    .await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header(("Location", format!("/api/v1/incidents/{}", view.row.id)));
    Ok(with_etag(builder, view))
}

/// Incidents of the shelters you work at (all, with `shelters.manage`), newest first, without
/// their sealed texts.
#[utoipa::path(
    tag = "incidents",
    operation_id = "list_incidents",
    params(IncidentQuery),
    responses(
        (status = 200, description = "A page of incidents", body = IncidentPage),
        (status = 403, description = "Missing `shelters.read`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/incidents")]
pub async fn list_incidents(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<IncidentQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let filter = IncidentFilter {
        shelter: query.shelter_id,
        category: query.category,
        severity: query.severity,
        from: query.from,
        to: query.to,
        before: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = incidents::list(&state.db, scope, &filter).await?;
    let next = next_cursor(&items, limit, |i| i.row.id.to_string());
    Ok(HttpResponse::Ok().json(IncidentPage {
        items: items.into_iter().map(IncidentOut::from).collect(),
        next_cursor: next,
    }))
}

/// One incident; the description and actions taken are shown (and the reading audited) to
/// those with `residents.read` or `shelters.manage`.
#[utoipa::path(
    tag = "incidents",
    operation_id = "get_incident",
    params(("id" = Uuid, Path, description = "Incident id")),
    responses(
        (status = 200, description = "The incident", body = IncidentOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 404, description = "No such incident among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/incidents/{id}")]
pub async fn get_incident(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = incidents::get(&state.db, &state.master_key, scope, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// Updates an incident's follow-up, severity or account. Requires `If-Match`.
#[utoipa::path(
    tag = "incidents",
    operation_id = "update_incident",
    params(
        ("id" = Uuid, Path, description = "Incident id"),
        ("If-Match" = String, Header, description = "The ETag read with the incident"),
    ),
    request_body = IncidentPatchIn,
    responses(
        (status = 200, description = "Updated", body = IncidentOut),
        (status = 403, description = "Missing `residents.read` or `shelters.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such incident among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/incidents/{id}")]
pub async fn update_incident(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<IncidentPatchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let body = body.into_inner();
    let if_match = if_match(&req);
    let view = incidents::update(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        IncidentChange {
            occurred_at: body.occurred_at,
            category: body.category,
            severity: body.severity,
            involved_case_codes: body.involved_case_codes,
            description: body.description,
            actions_taken: body.actions_taken,
            follow_up_status: body.follow_up_status,
        },
        if_match,
    )
    .await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}
