//! The service log: services given to clients per area and type, filterable per case, area and
//! period; and the taxonomy of service types.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::if_match;
use crate::routes::common::page_limit;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use haven_domain::services_log::taxonomy::{self, Taxonomy};
use haven_domain::services_log::{self, NewService, ServiceChange, ServiceFilter, ServiceView};
use haven_domain::vocab::ServiceArea;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Logging a service given to the case's client.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "area": "legal", "service_type": "police_hearing_accompaniment", "provided_on": "2026-11-26",
    "duration_minutes": 150, "provider_user_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11",
    "goal_id": null, "note": "Accompanied her to the federal police; the hearing went calmly."
}))]
pub struct ServiceIn {
    pub area: ServiceArea,
    /// A service type code of the area (`GET /api/v1/service-types`).
    #[schema(max_length = 64)]
    pub service_type: String,
    /// The day the service was given (not in the future, in your organisation's time zone).
    pub provided_on: NaiveDate,
    /// 1 to 1440.
    #[schema(minimum = 1, maximum = 1440)]
    pub duration_minutes: u32,
    /// The user of your organisation who gave it; or else `provider_organisation_name`.
    pub provider_user_id: Option<Uuid>,
    /// The outside organisation that gave it; or else `provider_user_id`.
    #[schema(max_length = 200)]
    pub provider_organisation_name: Option<String>,
    /// A goal of the same case's support plan the service served.
    pub goal_id: Option<Uuid>,
    /// Sealed at rest; shown to roles that may read identities.
    #[schema(max_length = 4000)]
    pub note: Option<String>,
}

impl From<ServiceIn> for NewService {
    fn from(s: ServiceIn) -> Self {
        Self {
            area: s.area,
            service_type: s.service_type,
            provided_on: s.provided_on,
            duration_minutes: s.duration_minutes,
            provider_user_id: s.provider_user_id,
            provider_organisation_name: s.provider_organisation_name,
            goal_id: s.goal_id,
            note: s.note,
        }
    }
}

/// Changing a service entry: absent fields stay as they are; `null` clears an optional one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"duration_minutes": 180, "note": "The hearing took longer than planned."}))]
pub struct ServicePatchIn {
    pub area: Option<ServiceArea>,
    #[schema(max_length = 64)]
    pub service_type: Option<String>,
    pub provided_on: Option<NaiveDate>,
    #[schema(minimum = 1, maximum = 1440)]
    pub duration_minutes: Option<u32>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<Uuid>)]
    pub provider_user_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub provider_organisation_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<Uuid>)]
    pub goal_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<String>, max_length = 4000)]
    pub note: Option<Option<String>>,
}

impl From<ServicePatchIn> for ServiceChange {
    fn from(p: ServicePatchIn) -> Self {
        Self {
            area: p.area,
            service_type: p.service_type,
            provided_on: p.provided_on,
            duration_minutes: p.duration_minutes,
            provider_user_id: p.provider_user_id,
            provider_organisation_name: p.provider_organisation_name,
            goal_id: p.goal_id,
            note: p.note,
        }
    }
}

/// A service entry. The note is `null` in lists and for roles that may not read identities.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a99", "case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00",
    "area": "legal", "service_type": "police_hearing_accompaniment", "provided_on": "2026-11-26",
    "duration_minutes": 150, "provider_user_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11",
    "provider_organisation_name": null, "provider_organisation_id": null, "goal_id": null,
    "note": "Accompanied her to the federal police; the hearing went calmly.", "sealed_shown": true,
    "created_by": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11",
    "created_at": "2026-11-26T17:00:00Z", "updated_at": "2026-11-26T17:00:00Z"
}))]
pub struct ServiceOut {
    pub id: Uuid,
    pub case_id: Uuid,
    pub area: ServiceArea,
    pub service_type: String,
    pub provided_on: NaiveDate,
    pub duration_minutes: u32,
    pub provider_user_id: Option<Uuid>,
    pub provider_organisation_name: Option<String>,
    /// A referral-directory organisation (reserved for the directory).
    pub provider_organisation_id: Option<Uuid>,
    pub goal_id: Option<Uuid>,
    pub note: Option<String>,
    /// Whether the note was opened for you.
    pub sealed_shown: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ServiceView> for ServiceOut {
    fn from(v: ServiceView) -> Self {
        Self {
            id: v.row.id,
            case_id: v.row.case_id,
            area: v.area,
            service_type: v.row.service_type,
            provided_on: v.row.provided_on,
            duration_minutes: u32::try_from(v.row.duration_minutes).unwrap_or_default(),
            provider_user_id: v.row.provider_user_id,
            provider_organisation_name: v.row.provider_organisation_name,
            provider_organisation_id: v.row.provider_organisation_id,
            goal_id: v.row.goal_id,
            note: v.note,
            sealed_shown: v.sealed_shown,
            created_by: v.row.created_by,
            created_at: v.row.created_at,
            updated_at: v.row.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ServicePage {
    pub items: Vec<ServiceOut>,
    pub next_cursor: Option<String>,
}

/// Filters of the service log across cases.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ServiceQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub area: Option<ServiceArea>,
    /// Services on or after this day.
    pub from: Option<NaiveDate>,
    /// Services on or before this day.
    pub to: Option<NaiveDate>,
    /// Services of one case (of those you may see).
    pub case_id: Option<Uuid>,
}

/// Filters of one case's service log.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CaseServiceQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub area: Option<ServiceArea>,
    /// Services on or after this day.
    pub from: Option<NaiveDate>,
    /// Services on or before this day.
    pub to: Option<NaiveDate>,
}

fn parse_cursor(cursor: Option<&str>) -> Result<Option<(NaiveDate, Uuid)>, ApiError> {
    cursor
        .map(|c| {
            let bad = || {
                ApiError::bad_request("invalid_cursor", "The cursor is not one this API gave out.")
            };
            let (date, id) = c.split_once('_').ok_or_else(bad)?;
            Ok((
                date.parse().map_err(|_| bad())?,
                Uuid::try_parse(id).map_err(|_| bad())?,
            ))
        })
        .transpose()
}

fn page(items: Vec<ServiceView>, limit: u64) -> ServicePage {
    let next = (items.len() as u64 >= limit)
        .then(|| {
            items
                .last()
                .map(|s| format!("{}_{}", s.row.provided_on, s.row.id))
        })
        .flatten();
    ServicePage {
        items: items.into_iter().map(ServiceOut::from).collect(),
        next_cursor: next,
    }
}

fn period(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<(), ApiError> {
    match (from, to) {
        (Some(from), Some(to)) if from > to => Err(ApiError::bad_request(
            "invalid_query",
            "`from` must not be after `to`.",
        )),
        _ => Ok(()),
    }
}

fn with_etag(mut builder: actix_web::HttpResponseBuilder, view: ServiceView) -> HttpResponse {
    builder.insert_header((header::ETAG, services_log::etag(&view.row)));
    builder.json(ServiceOut::from(view))
}

/// Logs a service given to the case's client. The case must be open.
#[utoipa::path(
    tag = "services",
    operation_id = "create_service",
    params(("id" = Uuid, Path, description = "Case id")),
    request_body = ServiceIn,
    responses(
        (status = 201, description = "Logged", body = ServiceOut, headers(
            ("Location" = String, description = "The new entry"),
            ("ETag" = String, description = "Version for If-Match"),
        )),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed, or the client's data was erased", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input: a type of another area, a future day, a goal of another case…", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/cases/{id}/services")]
pub async fn create_service(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<ServiceIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = services_log::create(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        body.into_inner().into(),
    )
    .await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header(("Location", format!("/api/v1/services/{}", view.row.id)));
    Ok(with_etag(builder, view))
}

/// The service log of a case, newest first, without notes (read one entry for its note).
#[utoipa::path(
    tag = "services",
    operation_id = "list_case_services",
    params(("id" = Uuid, Path, description = "Case id"), CaseServiceQuery),
    responses(
        (status = 200, description = "A page of service entries", body = ServicePage),
        (status = 400, description = "A malformed cursor or period", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases/{id}/services")]
pub async fn list_case_services(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<CaseServiceQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    period(query.from, query.to)?;
    let limit = page_limit(query.limit)?;
    let filter = ServiceFilter {
        case: None,
        area: query.area,
        from: query.from,
        to: query.to,
        after: parse_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = services_log::list_for_case(&state.db, scope, id.into_inner(), &filter).await?;
    Ok(HttpResponse::Ok().json(page(items, limit)))
}

/// Services given on the cases you may see, newest first, without notes: filter by area,
/// period and case.
#[utoipa::path(
    tag = "services",
    operation_id = "list_services",
    params(ServiceQuery),
    responses(
        (status = 200, description = "A page of service entries", body = ServicePage),
        (status = 400, description = "A malformed cursor or period", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services")]
pub async fn list_services(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<ServiceQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    period(query.from, query.to)?;
    let limit = page_limit(query.limit)?;
    let filter = ServiceFilter {
        case: query.case_id,
        area: query.area,
        from: query.from,
        to: query.to,
        after: parse_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = services_log::list(&state.db, scope, &filter).await?;
    Ok(HttpResponse::Ok().json(page(items, limit)))
}

/// One service entry. Reading its note (roles that may read identities) is audited.
#[utoipa::path(
    tag = "services",
    operation_id = "get_service",
    params(("id" = Uuid, Path, description = "Service entry id")),
    responses(
        (status = 200, description = "The entry", body = ServiceOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such entry among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services/{id}")]
pub async fn get_service(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = services_log::get(&state.db, &state.master_key, scope, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// Changes a service entry. Requires `If-Match` with the entry's `ETag`; the case must be open.
#[utoipa::path(
    tag = "services",
    operation_id = "update_service",
    params(
        ("id" = Uuid, Path, description = "Service entry id"),
        ("If-Match" = String, Header, description = "The ETag read with the entry"),
    ),
    request_body = ServicePatchIn,
    responses(
        (status = 200, description = "Updated", body = ServiceOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such entry among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed, or the client's data was erased", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/services/{id}")]
pub async fn update_service(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<ServicePatchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let if_match = if_match(&req);
    let view = services_log::update(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        body.into_inner().into(),
        if_match,
    )
    .await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// The service types per service area that service entries are logged with.
#[utoipa::path(
    tag = "reference",
    operation_id = "get_service_types",
    responses((status = 200, description = "The taxonomy", body = Taxonomy))
)]
#[get("/service-types")]
pub async fn get_service_types(auth: Authenticated) -> Result<HttpResponse, ApiError> {
    auth.tenant()?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, max-age=3600"))
        .json(taxonomy::current()?))
}
