//! Support plans of a case: goals per service area, and the reviews that record progress and
//! set the next review date (a deadline of the case).

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, if_match, next_cursor, page_limit, tagged_json};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use haven_domain::support::{
    self, GoalChange, GoalFilter, GoalProgress, GoalView, NewGoal, NewReview, ReviewFilter,
    ReviewView,
};
use haven_domain::vocab::{GoalStatus, ServiceArea};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Adding a goal to a case's support plan.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "area": "administrative", "description": "Obtain a residence permit as a victim of trafficking",
    "target_on": "2027-03-31", "status": "planned", "owner_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11",
    "client_view": "I want to stay and work legally."
}))]
pub struct GoalIn {
    pub area: ServiceArea,
    /// What the goal is (sealed at rest; shown to roles that may read identities).
    #[schema(max_length = 2000)]
    pub description: String,
    pub target_on: Option<NaiveDate>,
    /// `planned` when absent.
    pub status: Option<GoalStatus>,
    /// A user of your organisation responsible for the goal; you when absent.
    pub owner_id: Option<Uuid>,
    /// The client's own words about the goal (sealed at rest).
    #[schema(max_length = 4000)]
    pub client_view: Option<String>,
}

impl From<GoalIn> for NewGoal {
    fn from(g: GoalIn) -> Self {
        Self {
            area: g.area,
            description: g.description,
            target_on: g.target_on,
            status: g.status,
            owner_id: g.owner_id,
            client_view: g.client_view,
        }
    }
}

/// Changing a goal: absent fields stay as they are; `null` clears an optional one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "in_progress", "target_on": "2027-04-30"}))]
pub struct GoalPatchIn {
    pub area: Option<ServiceArea>,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub target_on: Option<Option<NaiveDate>>,
    pub status: Option<GoalStatus>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<Uuid>)]
    pub owner_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<String>, max_length = 4000)]
    pub client_view: Option<Option<String>>,
}

impl From<GoalPatchIn> for GoalChange {
    fn from(p: GoalPatchIn) -> Self {
        Self {
            area: p.area,
            description: p.description,
            target_on: p.target_on,
            status: p.status,
            owner_id: p.owner_id,
            client_view: p.client_view,
        }
    }
}

/// A goal of a support plan. The description and the client's view are `null` for roles that
/// may not read identities (`sealed_shown` says which).
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a66", "case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00",
    "area": "administrative", "description": "Obtain a residence permit as a victim of trafficking",
    "target_on": "2027-03-31", "status": "planned", "owner_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11",
    "client_view": "I want to stay and work legally.", "sealed_shown": true,
    "created_by": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11",
    "created_at": "2026-11-28T10:00:00Z", "updated_at": "2026-11-28T10:00:00Z"
}))]
pub struct GoalOut {
    pub id: Uuid,
    pub case_id: Uuid,
    pub area: ServiceArea,
    pub description: Option<String>,
    pub target_on: Option<NaiveDate>,
    pub status: GoalStatus,
    pub owner_id: Option<Uuid>,
    pub client_view: Option<String>,
    /// Whether the sealed texts were opened for you.
    pub sealed_shown: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<GoalView> for GoalOut {
    fn from(v: GoalView) -> Self {
        Self {
            id: v.row.id,
            case_id: v.row.case_id,
            area: v.area,
            description: v.description,
            target_on: v.row.target_on,
            status: v.status,
            owner_id: v.row.owner_id,
            client_view: v.client_view,
            sealed_shown: v.sealed_shown,
            created_by: v.row.created_by,
            created_at: v.row.created_at,
            updated_at: v.row.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct GoalPage {
    pub items: Vec<GoalOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GoalQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub area: Option<ServiceArea>,
    pub status: Option<GoalStatus>,
}

/// The progress of one goal reported in a review.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressIn {
    /// A goal of the same case.
    pub goal_id: Uuid,
    /// The goal's status from this review on.
    pub status: GoalStatus,
    /// Sealed at rest; shown to roles that may read identities.
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
}

/// Recording a review of a case's support plan.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "held_on": "2026-11-27", "participant_ids": ["0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11"],
    "progress": [{"goal_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a66", "status": "in_progress",
        "comment": "The application was filed; she is waiting calmly."}],
    "next_review_on": "2027-01-15"
}))]
pub struct ReviewIn {
    /// The day of the review (not in the future, in your organisation's time zone).
    pub held_on: NaiveDate,
    /// Users of your organisation who took part (1 to 20).
    pub participant_ids: Vec<Uuid>,
    /// Progress per goal; each goal named gets the status given.
    #[serde(default, deserialize_with = "haven_domain::objects::objects")]
    pub progress: Vec<ProgressIn>,
    /// When the plan is reviewed next: written as an open deadline of the case.
    pub next_review_on: Option<NaiveDate>,
}

impl From<ReviewIn> for NewReview {
    fn from(r: ReviewIn) -> Self {
        Self {
            held_on: r.held_on,
            participant_ids: r.participant_ids,
            progress: r
                .progress
                .into_iter()
                .map(|p| GoalProgress {
                    goal_id: p.goal_id,
                    status: p.status,
                    comment: p.comment,
                })
                .collect(),
            next_review_on: r.next_review_on,
        }
    }
}

/// The progress of one goal.
#[derive(Serialize, ToSchema)]
pub struct ProgressOut {
    pub goal_id: Uuid,
    pub status: GoalStatus,
    /// Shown to roles that may read identities, in a single review's read.
    pub comment: Option<String>,
}

/// A review. Comments are `null` in lists and for roles that may not read identities.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a77", "case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00",
    "held_on": "2026-11-27", "participant_ids": ["0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11"],
    "progress": [{"goal_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a66", "status": "in_progress",
        "comment": "The application was filed; she is waiting calmly."}],
    "next_review_on": "2027-01-15", "deadline_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a88",
    "sealed_shown": true, "created_by": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11",
    "created_at": "2026-11-27T15:00:00Z"
}))]
pub struct ReviewOut {
    pub id: Uuid,
    pub case_id: Uuid,
    pub held_on: NaiveDate,
    pub participant_ids: Vec<Uuid>,
    pub progress: Vec<ProgressOut>,
    pub next_review_on: Option<NaiveDate>,
    /// The deadline written for the next review.
    pub deadline_id: Option<Uuid>,
    /// Whether the comments were opened for you.
    pub sealed_shown: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<ReviewView> for ReviewOut {
    fn from(v: ReviewView) -> Self {
        Self {
            id: v.row.id,
            case_id: v.row.case_id,
            held_on: v.row.held_on,
            participant_ids: v.participant_ids,
            progress: v
                .progress
                .into_iter()
                .map(|p| ProgressOut {
                    goal_id: p.goal_id,
                    status: p.status,
                    comment: p.comment,
                })
                .collect(),
            next_review_on: v.row.next_review_on,
            deadline_id: v.row.deadline_id,
            sealed_shown: v.sealed_shown,
            created_by: v.row.created_by,
            created_at: v.row.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReviewPage {
    pub items: Vec<ReviewOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn goal_with_etag(mut builder: actix_web::HttpResponseBuilder, view: GoalView) -> HttpResponse {
    builder.insert_header((header::ETAG, support::goal_etag(&view.row)));
    builder.json(GoalOut::from(view))
}

/// Adds a goal to the support plan of a case. The case must be open.
#[utoipa::path(
    tag = "support",
    operation_id = "create_goal",
    params(("id" = Uuid, Path, description = "Case id")),
    request_body = GoalIn,
    responses(
        (status = 201, description = "Added", body = GoalOut, headers(
            ("Location" = String, description = "The new goal"),
            ("ETag" = String, description = "Version for If-Match"),
        )),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed, or the client's data was erased", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input: an owner who is not a user here, a description too long…", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/cases/{id}/goals")]
pub async fn create_goal(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<GoalIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = support::create_goal(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        body.into_inner().into(),
    )
    .await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header(("Location", format!("/api/v1/goals/{}", view.row.id)));
    Ok(goal_with_etag(builder, view))
}

/// The goals of a case's support plan, oldest first. Reading their descriptions (roles that may
/// read identities) is audited.
#[utoipa::path(
    tag = "support",
    operation_id = "list_case_goals",
    params(("id" = Uuid, Path, description = "Case id"), GoalQuery),
    responses(
        (status = 200, description = "A page of goals", body = GoalPage),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases/{id}/goals")]
pub async fn list_case_goals(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<GoalQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let filter = GoalFilter {
        area: query.area,
        status: query.status,
        after: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = support::list_goals(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        &filter,
    )
    .await?;
    let next = next_cursor(&items, limit, |g| g.row.id.to_string());
    Ok(HttpResponse::Ok().json(GoalPage {
        items: items.into_iter().map(GoalOut::from).collect(),
        next_cursor: next,
    }))
}

/// One goal of a support plan. Reading its description (roles that may read identities) is
/// audited.
#[utoipa::path(
    tag = "support",
    operation_id = "get_goal",
    params(("id" = Uuid, Path, description = "Goal id")),
    responses(
        (status = 200, description = "The goal", body = GoalOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such goal among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/goals/{id}")]
pub async fn get_goal(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = support::get_goal(&state.db, &state.master_key, scope, id.into_inner()).await?;
    Ok(goal_with_etag(HttpResponse::Ok(), view))
}

/// Changes a goal. Requires `If-Match` with the goal's `ETag`; the case must be open.
#[utoipa::path(
    tag = "support",
    operation_id = "update_goal",
    params(
        ("id" = Uuid, Path, description = "Goal id"),
        ("If-Match" = String, Header, description = "The ETag read with the goal"),
    ),
    request_body = GoalPatchIn,
    responses(
        (status = 200, description = "Updated", body = GoalOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such goal among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed, or the client's data was erased", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/goals/{id}")]
pub async fn update_goal(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<GoalPatchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let if_match = if_match(&req);
    let view = support::update_goal(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        body.into_inner().into(),
        if_match,
    )
    .await?;
    Ok(goal_with_etag(HttpResponse::Ok(), view))
}

/// Records a review of a case's support plan: each goal named gets the status given, and a
/// next review date becomes an open deadline of the case (kind `support_plan_review`). Open
/// review deadlines of the case are marked done. The case must be open.
#[utoipa::path(
    tag = "support",
    operation_id = "create_review",
    params(("id" = Uuid, Path, description = "Case id")),
    request_body = ReviewIn,
    responses(
        (status = 201, description = "Recorded", body = ReviewOut, headers(
            ("Location" = String, description = "The new review"),
        )),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed, or the client's data was erased", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input: a goal of another case, a participant who is not a user here, a future date…", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/cases/{id}/reviews")]
pub async fn create_review(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<ReviewIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = support::create_review(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        body.into_inner().into(),
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/reviews/{}", view.row.id)))
        .json(ReviewOut::from(view)))
}

/// The reviews of a case's support plan, oldest first, without comments (read one review for
/// those).
#[utoipa::path(
    tag = "support",
    operation_id = "list_case_reviews",
    params(("id" = Uuid, Path, description = "Case id"), ReviewQuery),
    responses(
        (status = 200, description = "A page of reviews", body = ReviewPage),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases/{id}/reviews")]
pub async fn list_case_reviews(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<ReviewQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let filter = ReviewFilter {
        after: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = support::list_reviews(&state.db, scope, id.into_inner(), &filter).await?;
    let next = next_cursor(&items, limit, |r| r.row.id.to_string());
    Ok(HttpResponse::Ok().json(ReviewPage {
        items: items.into_iter().map(ReviewOut::from).collect(),
        next_cursor: next,
    }))
}

/// One review. Reading its comments (roles that may read identities) is audited.
#[utoipa::path(
    tag = "support",
    operation_id = "get_review",
    params(("id" = Uuid, Path, description = "Review id")),
    responses(
        (status = 200, description = "The review", body = ReviewOut, headers(("ETag" = String, description = "The version of this representation; it changes with any change of the resource"))),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such review among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reviews/{id}")]
pub async fn get_review(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = support::get_review(&state.db, &state.master_key, scope, id.into_inner()).await?;
    tagged_json(HttpResponse::Ok(), &ReviewOut::from(view))
}
