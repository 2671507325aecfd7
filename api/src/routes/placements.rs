//! Placements: who sleeps in which bed, from when to when.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, if_match, next_cursor, page_limit};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use haven_domain::entities::placement;
use haven_domain::placements::{self, NewPlacement, PlacementChange, PlacementFilter};
use haven_domain::vocab::{LeaveReason, PlacementStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00", "bed_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a22",
    "start_on": "2026-11-28", "planned_end": "2027-01-12", "status": "admitted"}))]
pub struct PlacementIn {
    pub case_id: Uuid,
    pub bed_id: Uuid,
    pub start_on: NaiveDate,
    /// Open-ended when absent.
    pub planned_end: Option<NaiveDate>,
    /// `reserved` to hold the bed, `admitted` when the client is there (default).
    pub status: Option<PlacementStatus>,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a33", "case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00",
    "client_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a01", "shelter_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11",
    "bed_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a22", "status": "admitted", "start_on": "2026-11-28",
    "end_on": "2027-01-12", "admitted_at": "2026-11-28T18:00:00Z", "left_at": null, "leave_reason": null,
    "updated_at": "2026-11-28T18:00:00Z"}))]
pub struct PlacementOut {
    pub id: Uuid,
    pub case_id: Uuid,
    pub client_id: Uuid,
    pub shelter_id: Uuid,
    pub bed_id: Uuid,
    pub status: PlacementStatus,
    pub start_on: NaiveDate,
    /// The planned end, or the day after the last night once the client left.
    pub end_on: Option<NaiveDate>,
    pub admitted_at: Option<DateTime<Utc>>,
    pub left_at: Option<DateTime<Utc>>,
    pub leave_reason: Option<LeaveReason>,
    pub updated_at: DateTime<Utc>,
}

impl From<placement::Model> for PlacementOut {
    fn from(p: placement::Model) -> Self {
        Self {
            id: p.id,
            case_id: p.case_id,
            client_id: p.client_id,
            shelter_id: p.shelter_id,
            bed_id: p.bed_id,
            status: PlacementStatus::parse(&p.status).unwrap_or(PlacementStatus::Reserved),
            start_on: p.start_on,
            end_on: p.end_on,
            admitted_at: p.admitted_at,
            left_at: p.left_at,
            leave_reason: p.leave_reason.as_deref().and_then(LeaveReason::parse),
            updated_at: p.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PlacementPage {
    pub items: Vec<PlacementOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlacementQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub case_id: Option<Uuid>,
    pub shelter_id: Option<Uuid>,
    pub status: Option<PlacementStatus>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "left", "left_on": "2027-01-10", "leave_reason": "moved_to_other_accommodation"}))]
pub struct PlacementPatchIn {
    /// `admitted` (from reserved), `left` (from admitted) or `cancelled` (from reserved).
    pub status: Option<PlacementStatus>,
    /// A new planned end (`null` for open-ended).
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub planned_end: Option<Option<NaiveDate>>,
    /// With `status: left`; today when absent.
    pub left_on: Option<NaiveDate>,
    /// Required with `status: left`.
    pub leave_reason: Option<LeaveReason>,
}

fn with_etag(mut builder: actix_web::HttpResponseBuilder, row: placement::Model) -> HttpResponse {
    builder.insert_header((header::ETAG, placements::etag(&row)));
    builder.json(PlacementOut::from(row))
}

/// Places the client of a case in a bed. The bed must be in service and free for the dates,
/// and the shelter's admission policy must take the client.
#[utoipa::path(
    tag = "placements",
    operation_id = "create_placement",
    request_body = PlacementIn,
    responses(
        (status = 201, description = "Placed", body = PlacementOut, headers(("Location" = String, description = "The new placement"))),
        (status = 404, description = "No such case or bed among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The bed is taken or out of service, the case is closed, or the admission policy refuses", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/placements")]
pub async fn create_placement(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<PlacementIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let body = body.into_inner();
    let row = placements::create(
        &state.db,
        scope,
        NewPlacement {
            case_id: body.case_id,
            bed_id: body.bed_id,
            start_on: body.start_on,
            planned_end: body.planned_end,
            status: body.status.unwrap_or(PlacementStatus::Admitted),
        },
    )
    .await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header(("Location", format!("/api/v1/placements/{}", row.id)));
    Ok(with_etag(builder, row))
}

/// Placements of the cases you may see.
#[utoipa::path(
    tag = "placements",
    operation_id = "list_placements",
    params(PlacementQuery),
    responses(
        (status = 200, description = "A page of placements", body = PlacementPage),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/placements")]
pub async fn list_placements(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<PlacementQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let filter = PlacementFilter {
        case: query.case_id,
        shelter: query.shelter_id,
        status: query.status,
        after: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = placements::list(&state.db, scope, &filter).await?;
    let next = next_cursor(&items, limit, |p| p.id.to_string());
    Ok(HttpResponse::Ok().json(PlacementPage {
        items: items.into_iter().map(PlacementOut::from).collect(),
        next_cursor: next,
    }))
}

/// One placement.
#[utoipa::path(
    tag = "placements",
    operation_id = "get_placement",
    params(("id" = Uuid, Path, description = "Placement id")),
    responses(
        (status = 200, description = "The placement", body = PlacementOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 404, description = "No such placement among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/placements/{id}")]
pub async fn get_placement(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let row = placements::get(&state.db, scope, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), row))
}

/// Admits a reserved client, records a departure, cancels a reservation or moves the planned
/// end. Requires `If-Match` with the placement's `ETag`.
#[utoipa::path(
    tag = "placements",
    operation_id = "update_placement",
    params(
        ("id" = Uuid, Path, description = "Placement id"),
        ("If-Match" = String, Header, description = "The ETag read with the placement"),
    ),
    request_body = PlacementPatchIn,
    responses(
        (status = 200, description = "Updated", body = PlacementOut),
        (status = 404, description = "No such placement among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not possible in the placement's state, or the bed is taken", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/placements/{id}")]
pub async fn update_placement(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<PlacementPatchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let body = body.into_inner();
    let if_match = if_match(&req);
    let row = placements::update(
        &state.db,
        scope,
        id.into_inner(),
        PlacementChange {
            status: body.status,
            planned_end: body.planned_end,
            left_on: body.left_on,
            leave_reason: body.leave_reason,
        },
        if_match,
    )
    .await?;
    Ok(with_etag(HttpResponse::Ok(), row))
}

/// A resident as shelter staff see them: no name, no story.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"placement_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a33", "case_code": "BE-2026-0042",
    "room": "Room 1", "bed": "1A", "status": "admitted", "start_on": "2026-11-28", "end_on": "2027-01-12",
    "languages": ["ro", "en"], "needs": ["medical"]}))]
pub struct ResidentOut {
    pub placement_id: Uuid,
    pub case_code: String,
    pub room: String,
    pub bed: String,
    pub status: PlacementStatus,
    pub start_on: NaiveDate,
    pub end_on: Option<NaiveDate>,
    pub languages: Vec<String>,
    pub needs: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ResidentPage {
    pub items: Vec<ResidentOut>,
    pub next_cursor: Option<String>,
}

/// Who lives (or is expected) in a shelter, with what the house needs to know: case code,
/// room and bed, languages and needs. Never identities or narratives.
#[utoipa::path(
    tag = "placements",
    operation_id = "list_residents",
    params(("id" = Uuid, Path, description = "Shelter id")),
    responses(
        (status = 200, description = "The residents", body = ResidentPage),
        (status = 403, description = "Missing `residents.read`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shelter among those you work at", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/shelters/{id}/residents")]
pub async fn list_residents(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let items = placements::residents(&state.db, scope, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(ResidentPage {
            items: items
                .into_iter()
                .map(|r| ResidentOut {
                    placement_id: r.placement_id,
                    case_code: r.case_code,
                    room: r.room,
                    bed: r.bed,
                    status: r.status,
                    start_on: r.start_on,
                    end_on: r.end_on,
                    languages: r.languages,
                    needs: r.needs,
                })
                .collect(),
            next_cursor: None,
        }))
}
