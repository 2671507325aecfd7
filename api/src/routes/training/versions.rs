//! Versions of library courses: a new version (published at once for a private course, a
//! proposal for a shared one), the versions you may see, one version, the proposals, and a
//! platform administrator's review.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, if_match, next_cursor, page_limit, tagged_json};
use crate::routes::training::courses::{ModuleIn, VersionOut, curator};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use haven_domain::training::library::ModuleContent;
use haven_domain::training::versions::{self, CourseChange};
use haven_domain::vocab::{Audience, ReviewDecision, VerificationStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// An edit of a course: a new version from the one you are shown; absent fields are kept.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "summary": "A half-day course for shelter and NGO staff, with a case exercise.",
    "objectives": ["Name the main indicator groups", "Refer a presumed victim safely"]
}))]
pub struct CourseChangeIn {
    #[schema(max_length = 200)]
    pub title: Option<String>,
    #[schema(max_length = 2000)]
    pub summary: Option<String>,
    pub audiences: Option<Vec<Audience>>,
    pub languages: Option<Vec<String>>,
    #[schema(minimum = 1, maximum = 43200)]
    pub duration_minutes: Option<i32>,
    pub objectives: Option<Vec<String>>,
    /// Replaces every module when present.
    #[serde(default, deserialize_with = "haven_domain::objects::optional_objects")]
    pub modules: Option<Vec<ModuleIn>>,
}

#[derive(Serialize, ToSchema)]
pub struct VersionPage {
    pub items: Vec<VersionOut>,
    pub next_cursor: Option<String>,
}

/// A platform administrator's decision.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "rejected", "note": "Please cite the national referral mechanism."}))]
pub struct CourseReviewIn {
    pub decision: ReviewDecision,
    /// Required to reject; up to 2000 characters.
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProposalQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Platform administrators see `pending` unless they ask for another status.
    pub status: Option<VerificationStatus>,
}

/// Edits a course: writes a new version from the one you are shown. A private course's new
/// version is published at once; for a shared course (yours or another organisation's) it is
/// a proposal until a platform administrator verifies it. Needs `training.manage` and
/// `If-Match` with the course's `ETag`.
#[utoipa::path(
    tag = "training",
    operation_id = "create_course_version",
    params(
        ("id" = Uuid, Path, description = "Course id"),
        ("If-Match" = String, Header, description = "The ETag read with the course"),
    ),
    request_body = CourseChangeIn,
    responses(
        (status = 201, description = "Written", body = VersionOut, headers(
            ("Location" = String, description = "The new version"),
        )),
        (status = 403, description = "Missing `training.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such course that you may see", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The course changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/training/courses/{id}/versions")]
pub async fn create_course_version(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<CourseChangeIn>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let if_match = if_match(&req);
    let change = CourseChange {
        title: body.title,
        summary: body.summary,
        audiences: body.audiences,
        languages: body.languages,
        duration_minutes: body.duration_minutes,
        objectives: body.objectives,
        modules: body
            .modules
            .map(|m| m.into_iter().map(ModuleContent::from).collect()),
    };
    let course = id.into_inner();
    let view = versions::create(&state.db, &curator(&auth), course, change, if_match).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/training/courses/{course}/versions/{}", view.row.id),
        ))
        .json(VersionOut::from(view)))
}

/// The versions of a course you may see — published ones and your own proposals with their
/// review — newest first, without modules. Needs `training.read`.
#[utoipa::path(
    tag = "training",
    operation_id = "list_course_versions",
    params(("id" = Uuid, Path, description = "Course id")),
    responses(
        (status = 200, description = "The versions", body = VersionPage),
        (status = 403, description = "Missing `training.read`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such course that you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/training/courses/{id}/versions")]
pub async fn list_course_versions(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let items = versions::list(&state.db, &curator(&auth), id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(VersionPage {
        items: items.into_iter().map(VersionOut::from).collect(),
        next_cursor: None,
    }))
}

/// One version of a course with its modules rendered; old versions stay readable. Needs
/// `training.read`.
#[utoipa::path(
    tag = "training",
    operation_id = "get_course_version",
    params(
        ("id" = Uuid, Path, description = "Course id"),
        ("version_id" = Uuid, Path, description = "Version id"),
    ),
    responses(
        (status = 200, description = "The version", body = VersionOut, headers(("ETag" = String, description = "The version of this representation; it changes with any change of the resource"))),
        (status = 403, description = "Missing `training.read`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such version that you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/training/courses/{id}/versions/{version_id}")]
pub async fn get_course_version(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (course, id) = path.into_inner();
    let view = versions::get(&state.db, &curator(&auth), course, id).await?;
    tagged_json(HttpResponse::Ok(), &VersionOut::from(view))
}

/// Verifies or rejects a pending version — a new shared course or a proposed change. Platform
/// administrators only; verifying publishes it as the course's next version, rejecting needs
/// a note, which the proposer sees.
#[utoipa::path(
    tag = "training",
    operation_id = "review_course_version",
    params(
        ("id" = Uuid, Path, description = "Course id"),
        ("version_id" = Uuid, Path, description = "Version id"),
    ),
    request_body = CourseReviewIn,
    responses(
        (status = 200, description = "Reviewed", body = VersionOut),
        (status = 403, description = "Not a platform administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such version that you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not pending, or the course has a newer version than the proposal starts from", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/training/courses/{id}/versions/{version_id}/review")]
pub async fn review_course_version(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<CourseReviewIn>,
) -> Result<HttpResponse, ApiError> {
    let (course, id) = path.into_inner();
    let body = body.into_inner();
    let view = versions::review(
        &state.db,
        &curator(&auth),
        course,
        id,
        body.decision,
        body.note,
    )
    .await?;
    Ok(HttpResponse::Ok().json(VersionOut::from(view)))
}

/// Proposals for the shared library, newest first: platform administrators see what awaits
/// review; an organisation sees the proposals it made and how they were reviewed. Needs
/// `training.read`.
#[utoipa::path(
    tag = "training",
    operation_id = "list_course_proposals",
    params(ProposalQuery),
    responses(
        (status = 200, description = "A page of proposals", body = VersionPage),
        (status = 400, description = "Malformed filter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `training.read`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/training/course-proposals")]
pub async fn list_course_proposals(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<ProposalQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = page_limit(query.limit)?;
    let before = id_cursor(query.cursor.as_deref())?;
    let items =
        versions::proposals(&state.db, &curator(&auth), query.status, before, limit).await?;
    let next = next_cursor(&items, limit, |v| v.row.id.to_string());
    Ok(HttpResponse::Ok().json(VersionPage {
        items: items.into_iter().map(VersionOut::from).collect(),
        next_cursor: next,
    }))
}
