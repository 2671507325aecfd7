//! Beds in a shelter's rooms.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, if_match, next_cursor, page_limit};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use haven_domain::entities::bed;
use haven_domain::ids::{BedId, RoomId, ShelterId};
use haven_domain::shelters::{self, BedStatus, beds};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"room_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a60", "label": "1A"}))]
pub struct BedIn {
    /// A room of your organisation; the bed belongs to that room's shelter.
    pub room_id: Uuid,
    /// Unique within the room.
    #[schema(max_length = 50)]
    pub label: String,
    /// `available` (default) or `out_of_service`.
    pub status: Option<String>,
}

/// Changes to a bed. Send only the fields to change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "out_of_service"}))]
pub struct BedPatchIn {
    /// Another room of the same shelter.
    pub room_id: Option<Uuid>,
    #[schema(max_length = 50)]
    pub label: Option<String>,
    /// `available` or `out_of_service`.
    pub status: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a70",
    "shelter_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b", "room_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a60",
    "label": "1A", "status": "available",
    "created_at": "2026-11-28T10:00:00Z", "updated_at": "2026-11-28T10:00:00Z"}))]
pub struct BedOut {
    pub id: Uuid,
    pub shelter_id: Uuid,
    pub room_id: Uuid,
    pub label: String,
    /// `available` or `out_of_service`. Whether someone sleeps in it is occupancy, not status.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<bed::Model> for BedOut {
    fn from(b: bed::Model) -> Self {
        Self {
            id: b.id,
            shelter_id: b.shelter_id,
            room_id: b.room_id,
            label: b.label,
            status: b.status,
            created_at: b.created_at,
            updated_at: b.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BedPage {
    pub items: Vec<BedOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BedQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only the beds of this shelter.
    pub shelter_id: Option<Uuid>,
    /// Only the beds of this room.
    pub room_id: Option<Uuid>,
    /// `available` or `out_of_service`.
    pub status: Option<String>,
    /// `true`: only beds in service that nobody occupies or holds today, what can be offered
    /// tonight (needs `shelter_id`).
    pub free: Option<bool>,
}

fn with_etag(mut builder: actix_web::HttpResponseBuilder, row: bed::Model) -> HttpResponse {
    builder.insert_header((header::ETAG, shelters::etag(&row.updated_at)));
    builder.json(BedOut::from(row))
}

/// Adds a bed to a room.
///
/// A shelter's beds may not outnumber its capacity (409 `capacity_reached`); a closed
/// shelter takes no new beds.
#[utoipa::path(
    tag = "shelters",
    operation_id = "create_bed",
    request_body = BedIn,
    responses(
        (status = 201, description = "Created", body = BedOut, headers(
            ("Location" = String, description = "The new bed"),
            ("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `shelters.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The shelter's capacity is reached (`capacity_reached`), it is closed (`shelter_closed`), or the label is taken (`bed_label_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input, or no such room", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/beds")]
pub async fn create_bed(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<BedIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let new = shelters::parse_new_bed(
        RoomId::from_uuid(body.room_id),
        &body.label,
        body.status.as_deref(),
    )?;
    let created = beds::create(&state.db, scope, new).await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header(("Location", format!("/api/v1/beds/{}", created.id)));
    Ok(with_etag(builder, created))
}

/// The organisation's beds, by shelter, room or status, or the free beds of a shelter.
#[utoipa::path(
    tag = "shelters",
    operation_id = "list_beds",
    params(BedQuery),
    responses(
        (status = 200, description = "A page of beds", body = BedPage),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `shelters.read`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`free` without `shelter_id`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/beds")]
pub async fn list_beds(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<BedQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let status = query
        .status
        .as_deref()
        .map(|s| {
            BedStatus::parse("status", s).map_err(|_| {
                ApiError::bad_request(
                    "invalid_query",
                    "`status` must be available or out_of_service.",
                )
            })
        })
        .transpose()?;
    let filter = beds::BedFilter {
        shelter: query.shelter_id.map(ShelterId::from_uuid),
        room: query.room_id.map(RoomId::from_uuid),
        status,
        free: query.free.unwrap_or(false),
        after: id_cursor(query.cursor.as_deref())?.map(BedId::from_uuid),
        limit,
    };
    let items = beds::list(&state.db, scope, &filter).await?;
    let next = next_cursor(&items, limit, |b| b.id.to_string());
    Ok(HttpResponse::Ok().json(BedPage {
        items: items.into_iter().map(BedOut::from).collect(),
        next_cursor: next,
    }))
}

/// One bed (with an `ETag` to send back as `If-Match` when changing it).
#[utoipa::path(
    tag = "shelters",
    operation_id = "get_bed",
    params(("id" = Uuid, Path, description = "Bed id")),
    responses(
        (status = 200, description = "The bed", body = BedOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `shelters.read`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such bed in this organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/beds/{id}")]
pub async fn get_bed(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let found = beds::get(&state.db, scope, BedId::from_uuid(id.into_inner())).await?;
    Ok(with_etag(HttpResponse::Ok(), found))
}

/// Changes a bed's label or status, or moves it within its shelter.
///
/// The new room must belong to the bed's own shelter. Requires `If-Match` with the bed's
/// `ETag`.
#[utoipa::path(
    tag = "shelters",
    operation_id = "update_bed",
    params(
        ("id" = Uuid, Path, description = "Bed id"),
        ("If-Match" = String, Header, description = "The ETag read with the bed"),
    ),
    request_body = BedPatchIn,
    responses(
        (status = 200, description = "Updated", body = BedOut, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Missing `shelters.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such bed in this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The label is taken in that room (`bed_label_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input, or a room outside the bed's shelter", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/beds/{id}")]
pub async fn update_bed(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<BedPatchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let patch = shelters::parse_bed_patch(
        body.room_id.map(RoomId::from_uuid),
        body.label.as_deref(),
        body.status.as_deref(),
    )?;
    let updated = beds::update(
        &state.db,
        scope,
        BedId::from_uuid(id.into_inner()),
        patch,
        if_match(&req),
    )
    .await?;
    Ok(with_etag(HttpResponse::Ok(), updated))
}

/// Removes a bed.
#[utoipa::path(
    tag = "shelters",
    operation_id = "delete_bed",
    params(("id" = Uuid, Path, description = "Bed id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Missing `shelters.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such bed in this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The bed has placements on record (`bed_in_use`): take it out of service instead", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/beds/{id}")]
pub async fn delete_bed(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    beds::delete(&state.db, scope, BedId::from_uuid(id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}
