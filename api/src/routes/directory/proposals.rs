//! Proposed edits of shared directory entries: the proposer's (or, for platform
//! administrators, everyone's) list, one proposal, and the platform's verdict.

use super::{EntryOut, ProposalOut, VerdictIn, platform_only, viewer};
use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, next_cursor, page_limit, tagged_json};
use crate::state::AppState;
use actix_web::{HttpResponse, get, post, web};
use haven_domain::directory::proposals::{self, ProposalFilter};
use haven_domain::vocab::VerificationStatus;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct ProposalPage {
    pub items: Vec<ProposalOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProposalQuery {
    pub status: Option<VerificationStatus>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A verdict and what it did.
#[derive(Serialize, ToSchema)]
pub struct ProposalReviewOut {
    pub proposal: ProposalOut,
    /// The entry as changed (when verified).
    pub entry: Option<EntryOut>,
}

/// Your organisation's proposed edits of shared entries and where they stand, oldest first
/// (platform administrators: every organisation's, e.g. `?status=pending`).
#[utoipa::path(
    tag = "directory",
    operation_id = "list_directory_proposals",
    params(ProposalQuery),
    responses(
        (status = 200, description = "A page of proposals", body = ProposalPage),
        (status = 400, description = "Malformed filter or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/directory/proposals")]
pub async fn list_directory_proposals(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<ProposalQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = page_limit(query.limit)?;
    let filter = ProposalFilter {
        status: query.status,
        after: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = proposals::list(&state.db, viewer(&auth), &filter).await?;
    let next = next_cursor(&items, limit, |p| p.id.to_string());
    Ok(HttpResponse::Ok().json(ProposalPage {
        items: items.into_iter().map(ProposalOut::from).collect(),
        next_cursor: next,
    }))
}

/// One proposal of your organisation's.
#[utoipa::path(
    tag = "directory",
    operation_id = "get_directory_proposal",
    params(("id" = Uuid, Path, description = "Proposal id")),
    responses(
        (status = 200, description = "The proposal", body = ProposalOut, headers(("ETag" = String, description = "The version of this representation; it changes with any change of the resource"))),
        (status = 404, description = "No such proposal of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/directory/proposals/{id}")]
pub async fn get_directory_proposal(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view = proposals::get(&state.db, viewer(&auth), id.into_inner()).await?;
    tagged_json(HttpResponse::Ok(), &ProposalOut::from(view))
}

async fn review(
    auth: &Authenticated,
    state: &AppState,
    id: Uuid,
    verdict: VerificationStatus,
    note: Option<&str>,
) -> Result<HttpResponse, ApiError> {
    let ctx = platform_only(auth, async {
        proposals::get(&state.db, viewer(auth), id)
            .await
            .map(|_| ())
    })
    .await?;
    let (proposal, entry) =
        proposals::review(&state.db, &state.cache, ctx, id, verdict, note).await?;
    Ok(HttpResponse::Ok().json(ProposalReviewOut {
        proposal: proposal.into(),
        entry: entry.map(EntryOut::from),
    }))
}

/// Verifies a proposed edit: it is applied to the entry, which stays verified. Platform
/// administrators only.
#[utoipa::path(
    tag = "directory",
    operation_id = "verify_directory_proposal",
    params(("id" = Uuid, Path, description = "Proposal id")),
    request_body = VerdictIn,
    responses(
        (status = 200, description = "Verified and applied", body = ProposalReviewOut),
        (status = 403, description = "Not a platform administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not awaiting verification", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid note", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/directory/proposals/{id}/verify")]
pub async fn verify_directory_proposal(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<VerdictIn>,
) -> Result<HttpResponse, ApiError> {
    let note = body.into_inner().note;
    review(
        &auth,
        &state,
        id.into_inner(),
        VerificationStatus::Verified,
        note.as_deref(),
    )
    .await
}

/// Rejects a proposed edit with a note its proposer reads. Platform administrators only.
#[utoipa::path(
    tag = "directory",
    operation_id = "reject_directory_proposal",
    params(("id" = Uuid, Path, description = "Proposal id")),
    request_body = VerdictIn,
    responses(
        (status = 200, description = "Rejected", body = ProposalReviewOut),
        (status = 403, description = "Not a platform administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not awaiting verification", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The note is missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/directory/proposals/{id}/reject")]
pub async fn reject_directory_proposal(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<VerdictIn>,
) -> Result<HttpResponse, ApiError> {
    let note = body.into_inner().note;
    review(
        &auth,
        &state,
        id.into_inner(),
        VerificationStatus::Rejected,
        note.as_deref(),
    )
    .await
}
