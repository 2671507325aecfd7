//! Rooms of a shelter.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, if_match, next_cursor, page_limit, present};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use haven_domain::entities::room;
use haven_domain::ids::{RoomId, ShelterId};
use haven_domain::shelters::{self, rooms};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"shelter_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b", "name": "Room 1",
    "floor": "1st floor", "notes": "Step-free access; next to the staff office."}))]
pub struct RoomIn {
    /// A shelter of your organisation.
    pub shelter_id: Uuid,
    /// Unique within the shelter.
    #[schema(max_length = 100)]
    pub name: String,
    #[schema(max_length = 50)]
    pub floor: Option<String>,
    /// Practical notes about the room; never personal data about residents.
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
}

/// Changes to a room. Send only the fields to change; `"floor": null` clears the floor.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Room 1 (garden side)", "floor": null}))]
pub struct RoomPatchIn {
    #[schema(max_length = 100)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 50)]
    pub floor: Option<Option<String>>,
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a60",
    "shelter_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b", "name": "Room 1", "floor": "1st floor",
    "notes": "Step-free access; next to the staff office.",
    "created_at": "2026-11-28T10:00:00Z", "updated_at": "2026-11-28T10:00:00Z"}))]
pub struct RoomOut {
    pub id: Uuid,
    pub shelter_id: Uuid,
    pub name: String,
    pub floor: Option<String>,
    pub notes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<room::Model> for RoomOut {
    fn from(r: room::Model) -> Self {
        Self {
            id: r.id,
            shelter_id: r.shelter_id,
            name: r.name,
            floor: r.floor,
            notes: r.notes,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RoomPage {
    pub items: Vec<RoomOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RoomQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only the rooms of this shelter.
    pub shelter_id: Option<Uuid>,
}

fn with_etag(mut builder: actix_web::HttpResponseBuilder, row: room::Model) -> HttpResponse {
    builder.insert_header((header::ETAG, shelters::etag(&row.updated_at)));
    builder.json(RoomOut::from(row))
}

/// Adds a room to an active shelter.
#[utoipa::path(
    tag = "shelters",
    operation_id = "create_room",
    request_body = RoomIn,
    responses(
        (status = 201, description = "Created", body = RoomOut, headers(
            ("Location" = String, description = "The new room"),
            ("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `shelters.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The shelter is closed (`shelter_closed`) or the name is taken (`room_name_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input, or no such shelter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/rooms")]
pub async fn create_room(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<RoomIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let new = shelters::parse_new_room(
        ShelterId::from_uuid(body.shelter_id),
        &body.name,
        body.floor.as_deref(),
        body.notes.as_deref(),
    )?;
    let created = rooms::create(&state.db, scope, new).await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header(("Location", format!("/api/v1/rooms/{}", created.id)));
    Ok(with_etag(builder, created))
}

/// The organisation's rooms, optionally of one shelter.
#[utoipa::path(
    tag = "shelters",
    operation_id = "list_rooms",
    params(RoomQuery),
    responses(
        (status = 200, description = "A page of rooms", body = RoomPage),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `shelters.read`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/rooms")]
pub async fn list_rooms(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<RoomQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let filter = rooms::RoomFilter {
        shelter: query.shelter_id.map(ShelterId::from_uuid),
        after: id_cursor(query.cursor.as_deref())?.map(RoomId::from_uuid),
        limit,
    };
    let items = rooms::list(&state.db, scope, &filter).await?;
    let next = next_cursor(&items, limit, |r| r.id.to_string());
    Ok(HttpResponse::Ok().json(RoomPage {
        items: items.into_iter().map(RoomOut::from).collect(),
        next_cursor: next,
    }))
}

/// One room (with an `ETag` to send back as `If-Match` when changing it).
#[utoipa::path(
    tag = "shelters",
    operation_id = "get_room",
    params(("id" = Uuid, Path, description = "Room id")),
    responses(
        (status = 200, description = "The room", body = RoomOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `shelters.read`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such room in this organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/rooms/{id}")]
pub async fn get_room(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let found = rooms::get(&state.db, scope, RoomId::from_uuid(id.into_inner())).await?;
    Ok(with_etag(HttpResponse::Ok(), found))
}

/// Changes a room's name, floor or notes. Requires `If-Match` with the room's `ETag`.
#[utoipa::path(
    tag = "shelters",
    operation_id = "update_room",
    params(
        ("id" = Uuid, Path, description = "Room id"),
        ("If-Match" = String, Header, description = "The ETag read with the room"),
    ),
    request_body = RoomPatchIn,
    responses(
        (status = 200, description = "Updated", body = RoomOut, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Missing `shelters.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such room in this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken (`room_name_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/rooms/{id}")]
pub async fn update_room(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<RoomPatchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let patch = shelters::parse_room_patch(
        body.name.as_deref(),
        body.floor.as_ref().map(Option::as_deref),
        body.notes.as_deref(),
    )?;
    let updated = rooms::update(
        &state.db,
        scope,
        RoomId::from_uuid(id.into_inner()),
        patch,
        if_match(&req),
    )
    .await?;
    Ok(with_etag(HttpResponse::Ok(), updated))
}

/// Removes a room that has no beds (409 `room_has_beds` otherwise).
#[utoipa::path(
    tag = "shelters",
    operation_id = "delete_room",
    params(("id" = Uuid, Path, description = "Room id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Missing `shelters.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such room in this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The room still has beds (`room_has_beds`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/rooms/{id}")]
pub async fn delete_room(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    rooms::delete(&state.db, scope, RoomId::from_uuid(id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}
