//! Training work: technical-assistance engagements with partner organisations and government
//! bodies (here), the shared training library ([`courses`], [`versions`]) and training
//! sessions ([`sessions`]).

pub mod courses;
pub mod sessions;
pub mod summary;
pub mod versions;

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{
    country_filter, id_cursor, if_match, next_cursor, page_limit, present,
};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use haven_domain::training::engagements::{
    self, EngagementChange, EngagementFilter, EngagementView, NewEngagement,
};
use haven_domain::vocab::{EngagementStatus, EngagementType, PartnerKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Recording a technical-assistance engagement.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "partner_name": "Regional labour inspectorate", "partner_kind": "government_body",
    "country": "RO", "engagement_type": "training_programme_design",
    "starts_on": "2026-12-01", "ends_on": "2027-03-31",
    "deliverables": ["Needs assessment report", "Two-day curriculum"], "status": "planned"
}))]
pub struct EngagementIn {
    #[schema(max_length = 200)]
    pub partner_name: String,
    pub partner_kind: PartnerKind,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub engagement_type: EngagementType,
    pub starts_on: NaiveDate,
    /// Not before `starts_on`.
    pub ends_on: Option<NaiveDate>,
    /// Up to 30 short texts.
    #[serde(default)]
    pub deliverables: Vec<String>,
    /// `planned` by default.
    pub status: Option<EngagementStatus>,
}

/// A change to an engagement: absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "completed"}))]
pub struct EngagementPatchIn {
    #[schema(max_length = 200)]
    pub partner_name: Option<String>,
    pub partner_kind: Option<PartnerKind>,
    pub country: Option<String>,
    pub engagement_type: Option<EngagementType>,
    pub starts_on: Option<NaiveDate>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub ends_on: Option<Option<NaiveDate>>,
    pub deliverables: Option<Vec<String>>,
    pub status: Option<EngagementStatus>,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a77", "partner_name": "Regional labour inspectorate",
    "partner_kind": "government_body", "country": "RO",
    "engagement_type": "training_programme_design", "starts_on": "2026-12-01",
    "ends_on": "2027-03-31", "deliverables": ["Needs assessment report", "Two-day curriculum"],
    "status": "planned", "created_by": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a12",
    "created_at": "2026-11-28T10:00:00Z", "updated_at": "2026-11-28T10:00:00Z"
}))]
pub struct EngagementOut {
    pub id: Uuid,
    pub partner_name: String,
    pub partner_kind: PartnerKind,
    pub country: String,
    pub engagement_type: EngagementType,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub deliverables: Vec<String>,
    pub status: EngagementStatus,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<EngagementView> for EngagementOut {
    fn from(v: EngagementView) -> Self {
        Self {
            id: v.row.id,
            partner_name: v.row.partner_name,
            partner_kind: v.partner_kind,
            country: v.row.country,
            engagement_type: v.engagement_type,
            starts_on: v.row.starts_on,
            ends_on: v.row.ends_on,
            deliverables: v.deliverables,
            status: v.status,
            created_by: v.row.created_by,
            created_at: v.row.created_at,
            updated_at: v.row.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EngagementPage {
    pub items: Vec<EngagementOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EngagementQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub status: Option<EngagementStatus>,
    /// ISO 3166-1 alpha-2, either case.
    #[param(pattern = "^[A-Za-z]{2}$")]
    pub country: Option<String>,
}

fn with_etag(mut builder: actix_web::HttpResponseBuilder, view: EngagementView) -> HttpResponse {
    builder.insert_header((header::ETAG, engagements::etag(&view.row)));
    builder.json(EngagementOut::from(view))
}

/// Records a technical-assistance engagement. Needs `training.manage`.
#[utoipa::path(
    tag = "training",
    operation_id = "create_engagement",
    request_body = EngagementIn,
    responses(
        (status = 201, description = "Recorded", body = EngagementOut, headers(
            ("Location" = String, description = "The new engagement"),
            ("ETag" = String, description = "Version for If-Match"),
        )),
        (status = 403, description = "Missing `training.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input (every bad field is listed)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/training/engagements")]
pub async fn create_engagement(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<EngagementIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let body = body.into_inner();
    let view = engagements::create(
        &state.db,
        scope,
        NewEngagement {
            partner_name: body.partner_name,
            partner_kind: body.partner_kind,
            country: body.country,
            engagement_type: body.engagement_type,
            starts_on: body.starts_on,
            ends_on: body.ends_on,
            deliverables: body.deliverables,
            status: body.status.unwrap_or(EngagementStatus::Planned),
        },
    )
    .await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header((
        "Location",
        format!("/api/v1/training/engagements/{}", view.row.id),
    ));
    Ok(with_etag(builder, view))
}

/// Your organisation's engagements, newest first. Needs `training.read`.
#[utoipa::path(
    tag = "training",
    operation_id = "list_engagements",
    params(EngagementQuery),
    responses(
        (status = 200, description = "A page of engagements", body = EngagementPage),
        (status = 400, description = "Malformed filter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `training.read`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/training/engagements")]
pub async fn list_engagements(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<EngagementQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let filter = EngagementFilter {
        status: query.status,
        country: country_filter("country", query.country.clone())?,
        before: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = engagements::list(&state.db, scope, &filter).await?;
    let next = next_cursor(&items, limit, |e| e.row.id.to_string());
    Ok(HttpResponse::Ok().json(EngagementPage {
        items: items.into_iter().map(EngagementOut::from).collect(),
        next_cursor: next,
    }))
}

/// One engagement. Needs `training.read`.
#[utoipa::path(
    tag = "training",
    operation_id = "get_engagement",
    params(("id" = Uuid, Path, description = "Engagement id")),
    responses(
        (status = 200, description = "The engagement", body = EngagementOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `training.read`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such engagement in your organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/training/engagements/{id}")]
pub async fn get_engagement(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = engagements::get(&state.db, scope, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// Changes an engagement. Needs `training.manage` and `If-Match`.
#[utoipa::path(
    tag = "training",
    operation_id = "update_engagement",
    params(
        ("id" = Uuid, Path, description = "Engagement id"),
        ("If-Match" = String, Header, description = "The ETag read with the engagement"),
    ),
    request_body = EngagementPatchIn,
    responses(
        (status = 200, description = "Updated", body = EngagementOut),
        (status = 403, description = "Missing `training.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such engagement in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/training/engagements/{id}")]
pub async fn update_engagement(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<EngagementPatchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let body = body.into_inner();
    let if_match = if_match(&req);
    let view = engagements::update(
        &state.db,
        scope,
        id.into_inner(),
        EngagementChange {
            partner_name: body.partner_name,
            partner_kind: body.partner_kind,
            country: body.country,
            engagement_type: body.engagement_type,
            starts_on: body.starts_on,
            ends_on: body.ends_on,
            deliverables: body.deliverables,
            status: body.status,
        },
        if_match,
    )
    .await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}
