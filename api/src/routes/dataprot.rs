//! Data protection of one client: the subject access export, and erasure (requested,
//! approved by a second administrator when the organisation asks for it).

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::audit::{AuditEventOut, event_out};
use crate::routes::cases::{CaseOut, TransitionOut};
use crate::routes::clients::ClientOut;
use crate::routes::common::{PageQuery, id_cursor, next_cursor, page_limit, tagged_json};
use crate::routes::consents::ConsentOut;
use crate::routes::deadlines::DeadlineOut;
use crate::routes::documents::DocumentOut;
use crate::routes::incidents::IncidentOut;
use crate::routes::interviews::InterviewOut;
use crate::routes::legal::{HearingOut, ProceedingOut};
use crate::routes::notes::NoteOut;
use crate::routes::placements::PlacementOut;
use crate::routes::referrals::sent::ReferralOut;
use crate::routes::services::ServiceOut;
use crate::routes::support::{GoalOut, ReviewOut};
use crate::routes::tasks::TaskOut;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use haven_domain::dataprot::{self, ErasureView, SubjectRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Everything Haven holds about one client, opened. After an erasure only the tombstone and
/// the statistical attributes remain (`client.erased_at` set, identity empty).
#[derive(Serialize, ToSchema)]
pub struct SubjectExportOut {
    pub exported_at: DateTime<Utc>,
    pub client: ClientOut,
    pub consents: Vec<ConsentOut>,
    pub cases: Vec<CaseOut>,
    /// Every stage move of every case, with its reason.
    pub transitions: Vec<TransitionOut>,
    pub interviews: Vec<InterviewOut>,
    pub placements: Vec<PlacementOut>,
    pub support_goals: Vec<GoalOut>,
    pub support_reviews: Vec<ReviewOut>,
    pub services: Vec<ServiceOut>,
    pub documents: Vec<DocumentOut>,
    pub legal_proceedings: Vec<ProceedingOut>,
    pub hearings: Vec<HearingOut>,
    /// Every version of every case note.
    pub notes: Vec<NoteOut>,
    pub tasks: Vec<TaskOut>,
    pub deadlines: Vec<DeadlineOut>,
    /// Referrals of the client's cases to partner organisations.
    pub referrals: Vec<ReferralOut>,
    /// Incidents in shelter life that name the client's case code.
    pub incidents: Vec<IncidentOut>,
    /// What was done with the client's records, and by whom.
    pub audit_events: Vec<AuditEventOut>,
}

impl From<SubjectRecord> for SubjectExportOut {
    fn from(r: SubjectRecord) -> Self {
        fn all<T, U: From<T>>(items: Vec<T>) -> Vec<U> {
            items.into_iter().map(U::from).collect()
        }
        Self {
            exported_at: r.exported_at,
            client: ClientOut::from(r.client),
            consents: all(r.consents),
            cases: all(r.cases),
            transitions: all(r.transitions),
            interviews: all(r.interviews),
            placements: all(r.placements),
            support_goals: all(r.goals),
            support_reviews: all(r.reviews),
            services: all(r.services),
            documents: all(r.documents),
            legal_proceedings: all(r.proceedings),
            hearings: all(r.hearings),
            notes: all(r.notes),
            tasks: all(r.tasks),
            deadlines: all(r.deadlines),
            referrals: all(r.referrals),
            incidents: all(r.incidents),
            audit_events: r
                .audit_events
                .into_iter()
                .map(|e| event_out(e, None))
                .collect(),
        }
    }
}

/// Subject access: everything held about one client, as a JSON file (tenant administrators,
/// `clients.export`). Audited.
#[utoipa::path(
    tag = "data-protection",
    operation_id = "export_client",
    params(("id" = Uuid, Path, description = "Client id")),
    responses(
        (status = 200, description = "Everything held about the client", body = SubjectExportOut,
            headers(
                ("Content-Disposition" = String, description = "attachment; filename=\"client-<id>.json\""),
                ("Cache-Control" = String, description = "no-store"),
            )),
        (status = 403, description = "Missing `clients.export`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client in your organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/clients/{id}/export")]
pub async fn export_client(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let id = id.into_inner();
    let record = dataprot::subject_export(&state.db, &state.master_key, scope, id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"client-{id}.json\""),
        ))
        .json(SubjectExportOut::from(record)))
}

/// Asking for a client's erasure.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "The client asked for their data to be erased (written request of 28 November)."}))]
pub struct ErasureIn {
    /// Why (kept sealed while the request awaits approval, then removed).
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// An erasure: `pending` until a second administrator approves it, or `completed`.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b", "client_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00",
    "status": "pending", "reason": "The client asked for their data to be erased.",
    "requested_by": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11", "requested_at": "2026-12-01T10:00:00Z",
    "approved_by": null, "completed_at": null}))]
pub struct ErasureOut {
    pub id: Uuid,
    pub client_id: Uuid,
    /// `pending` or `completed`.
    pub status: String,
    /// Shown while pending, to administrators deciding on it.
    pub reason: Option<String>,
    /// `null` for the retention run.
    pub requested_by: Option<Uuid>,
    pub requested_at: DateTime<Utc>,
    pub approved_by: Option<Uuid>,
    pub completed_at: Option<DateTime<Utc>>,
}

impl From<ErasureView> for ErasureOut {
    fn from(v: ErasureView) -> Self {
        Self {
            id: v.row.id,
            client_id: v.row.client_id,
            status: v.row.status,
            reason: v.reason,
            requested_by: v.row.requested_by,
            requested_at: v.row.requested_at,
            approved_by: v.row.approved_by,
            completed_at: v.row.completed_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ErasurePage {
    pub items: Vec<ErasureOut>,
    pub next_cursor: Option<String>,
}

fn erasure_answer(view: ErasureView) -> HttpResponse {
    let id = view.row.id;
    let mut builder = if view.row.status == "pending" {
        HttpResponse::Accepted()
    } else {
        HttpResponse::Created()
    };
    builder
        .insert_header((header::LOCATION, format!("/api/v1/erasures/{id}")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(ErasureOut::from(view))
}

/// Erases a client (tenant administrators, `clients.erase`): destroys their data key, removes
/// free text and name indexes, keeps a tombstone with the statistical attributes, and records
/// the erasure in the ledger that outlives database restores. With the two-person rule on,
/// the request waits (202) for another administrator's approval.
#[utoipa::path(
    tag = "data-protection",
    operation_id = "request_client_erasure",
    params(("id" = Uuid, Path, description = "Client id")),
    request_body = ErasureIn,
    responses(
        (status = 201, description = "Erased", body = ErasureOut, headers(("Location" = String, description = "The erasure"))),
        (status = 202, description = "Awaiting a second administrator's approval", body = ErasureOut, headers(("Location" = String, description = "The erasure"))),
        (status = 403, description = "Missing `clients.erase`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Erased already (`client_erased`) or awaiting approval (`erasure_pending`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or overlong reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/clients/{id}/erasure")]
pub async fn request_client_erasure(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<ErasureIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = dataprot::request_erasure(
        &state.db,
        &state.master_key,
        &state.ledger,
        scope,
        id.into_inner(),
        &body.reason,
    )
    .await?;
    Ok(erasure_answer(view))
}

/// Erasures awaiting approval, oldest first (tenant administrators).
#[utoipa::path(
    tag = "data-protection",
    operation_id = "list_pending_erasures",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of pending erasures", body = ErasurePage),
        (status = 403, description = "Missing `clients.erase`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/erasures")]
pub async fn list_pending_erasures(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let after = id_cursor(query.cursor.as_deref())?;
    let items =
        dataprot::list_pending_erasures(&state.db, &state.master_key, scope, after, limit).await?;
    let next = next_cursor(&items, limit, |e| e.row.id.to_string());
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(ErasurePage {
            items: items.into_iter().map(ErasureOut::from).collect(),
            next_cursor: next,
        }))
}

/// One erasure (tenant administrators).
#[utoipa::path(
    tag = "data-protection",
    operation_id = "get_erasure",
    params(("id" = Uuid, Path, description = "Erasure id")),
    responses(
        (status = 200, description = "The erasure", body = ErasureOut, headers(("ETag" = String, description = "The version of this representation; it changes with any change of the resource"))),
        (status = 403, description = "Missing `clients.erase`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such erasure in your organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/erasures/{id}")]
pub async fn get_erasure(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = dataprot::get_erasure(&state.db, &state.master_key, scope, id.into_inner()).await?;
    let mut builder = HttpResponse::Ok();
    builder.insert_header((header::CACHE_CONTROL, "no-store"));
    tagged_json(builder, &ErasureOut::from(view))
}

/// Approves a pending erasure, which erases the client. The administrator who asked for it
/// cannot approve it.
#[utoipa::path(
    tag = "data-protection",
    operation_id = "approve_erasure",
    params(("id" = Uuid, Path, description = "Erasure id")),
    responses(
        (status = 201, description = "Erased", body = ErasureOut, headers(("Location" = String, description = "The erasure"))),
        (status = 403, description = "Missing `clients.erase`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such erasure in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Your own request (`second_administrator_required`) or done already (`erasure_not_pending`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/erasures/{id}/approve")]
pub async fn approve_erasure(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = dataprot::approve_erasure(
        &state.db,
        &state.master_key,
        &state.ledger,
        scope,
        id.into_inner(),
    )
    .await?;
    Ok(erasure_answer(view))
}
