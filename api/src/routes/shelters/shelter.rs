//! Shelters: creation, listing, reading (with the confidential address for those allowed),
//! changes, removal and occupancy.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, if_match, next_cursor, page_limit, present};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use haven_domain::ids::ShelterId;
use haven_domain::shelters::occupancy::{self, BedCounts, Occupancy};
use haven_domain::shelters::{
    self, ShelterDraft, ShelterFilter, ShelterPatchDraft, ShelterRecord, ShelterStatus,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Maison Lumière", "address": "Rue de l'Exemple 1\n1000 Bruxelles",
    "capacity": 12, "admits_genders": ["female", "transgender_female"], "admits_minors": false,
    "min_age": 18, "phone": "+32 2 123 45 67", "email": "intake@maison-lumiere.example"}))]
pub struct ShelterIn {
    #[schema(max_length = 200)]
    pub name: String,
    /// Confidential. Sealed before it is stored; shown only to roles allowed to read it.
    #[schema(max_length = 500)]
    pub address: String,
    /// Places the shelter is licensed for; its beds may not outnumber it.
    #[schema(minimum = 1, maximum = 10000)]
    pub capacity: i64,
    /// Any of `female`, `male`, `transgender_female`, `transgender_male`, `non_conforming`,
    /// `unknown`.
    #[schema(max_items = 6)]
    pub admits_genders: Vec<String>,
    /// Whether people under 18 are admitted (default false).
    #[serde(default)]
    pub admits_minors: bool,
    #[schema(minimum = 0, maximum = 120)]
    pub min_age: Option<i64>,
    #[schema(minimum = 0, maximum = 120)]
    pub max_age: Option<i64>,
    /// The shelter's own telephone number (not a resident's).
    #[schema(max_length = 40)]
    pub phone: Option<String>,
    /// The shelter's own e-mail address (not a resident's).
    #[schema(max_length = 254)]
    pub email: Option<String>,
}

/// Changes to a shelter. Send only the fields to change; `null` clears an optional field.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"capacity": 14, "phone": null}))]
pub struct ShelterPatchIn {
    #[schema(max_length = 200)]
    pub name: Option<String>,
    #[schema(max_length = 500)]
    pub address: Option<String>,
    #[schema(minimum = 1, maximum = 10000)]
    pub capacity: Option<i64>,
    #[schema(max_items = 6)]
    pub admits_genders: Option<Vec<String>>,
    pub admits_minors: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 120)]
    pub min_age: Option<Option<i64>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 120)]
    pub max_age: Option<Option<i64>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 40)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 254)]
    pub email: Option<Option<String>>,
    /// `active` or `closed`. A closed shelter takes no new rooms or beds.
    pub status: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b", "name": "Maison Lumière",
    "address": "Rue de l'Exemple 1\n1000 Bruxelles", "capacity": 12,
    "admits_genders": ["female", "transgender_female"], "admits_minors": false, "min_age": 18,
    "max_age": null, "phone": "+32 2 123 45 67", "email": "intake@maison-lumiere.example",
    "status": "active", "created_at": "2026-11-28T10:00:00Z", "updated_at": "2026-11-28T10:00:00Z"}))]
pub struct ShelterOut {
    pub id: Uuid,
    pub name: String,
    /// The confidential address: `null` unless you may read it (`shelters.address_read`), and
    /// always `null` in lists. Each read is audited.
    pub address: Option<String>,
    pub capacity: i32,
    pub admits_genders: Vec<String>,
    pub admits_minors: bool,
    pub min_age: Option<i32>,
    pub max_age: Option<i32>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// `active` or `closed`.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ShelterRecord> for ShelterOut {
    fn from(record: ShelterRecord) -> Self {
        let admits_genders = record
            .admits_genders()
            .iter()
            .map(|g| g.as_str().to_owned())
            .collect();
        let s = record.row;
        Self {
            id: s.id,
            name: s.name,
            address: record.address,
            capacity: s.capacity,
            admits_genders,
            admits_minors: s.admits_minors,
            min_age: s.min_age,
            max_age: s.max_age,
            phone: s.phone,
            email: s.email,
            status: s.status,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ShelterPage {
    pub items: Vec<ShelterOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ShelterQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// `active` or `closed`.
    pub status: Option<String>,
}

/// Bed counts of one room.
#[derive(Serialize, ToSchema)]
pub struct RoomOccupancyOut {
    pub room_id: Uuid,
    pub name: String,
    pub beds_total: u32,
    pub beds_available: u32,
    pub beds_out_of_service: u32,
    pub beds_occupied: u32,
    pub beds_reserved: u32,
    pub beds_free: u32,
}

/// How full a shelter is. `beds_available` counts beds in service (taken or not);
/// `beds_free` those in service that are neither occupied nor reserved.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"shelter_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b", "capacity": 12,
    "beds_total": 3, "beds_available": 2, "beds_out_of_service": 1, "beds_occupied": 0,
    "beds_reserved": 0, "beds_free": 2, "rooms": [{"room_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a60",
    "name": "Room 1", "beds_total": 3, "beds_available": 2, "beds_out_of_service": 1,
    "beds_occupied": 0, "beds_reserved": 0, "beds_free": 2}]}))]
pub struct OccupancyOut {
    pub shelter_id: Uuid,
    pub capacity: i32,
    pub beds_total: u32,
    pub beds_available: u32,
    pub beds_out_of_service: u32,
    pub beds_occupied: u32,
    pub beds_reserved: u32,
    pub beds_free: u32,
    pub rooms: Vec<RoomOccupancyOut>,
}

impl From<Occupancy> for OccupancyOut {
    fn from(o: Occupancy) -> Self {
        let BedCounts {
            total,
            available,
            out_of_service,
            occupied,
            reserved,
            free,
        } = o.counts;
        Self {
            shelter_id: *o.shelter_id.as_uuid(),
            capacity: o.capacity,
            beds_total: total,
            beds_available: available,
            beds_out_of_service: out_of_service,
            beds_occupied: occupied,
            beds_reserved: reserved,
            beds_free: free,
            rooms: o
                .rooms
                .into_iter()
                .map(|r| RoomOccupancyOut {
                    room_id: *r.room_id.as_uuid(),
                    name: r.name,
                    beds_total: r.counts.total,
                    beds_available: r.counts.available,
                    beds_out_of_service: r.counts.out_of_service,
                    beds_occupied: r.counts.occupied,
                    beds_reserved: r.counts.reserved,
                    beds_free: r.counts.free,
                })
                .collect(),
        }
    }
}

/// A single shelter with its `ETag`, never cached (it may carry the address).
fn with_etag(mut builder: actix_web::HttpResponseBuilder, record: ShelterRecord) -> HttpResponse {
    builder
        .insert_header((header::ETAG, shelters::etag(&record.row.updated_at)))
        .insert_header(("Cache-Control", "no-store"));
    builder.json(ShelterOut::from(record))
}

/// Creates a shelter.
///
/// The address is sealed with the organisation's data key before it is stored.
#[utoipa::path(
    tag = "shelters",
    operation_id = "create_shelter",
    request_body = ShelterIn,
    responses(
        (status = 201, description = "Created", body = ShelterOut, headers(
            ("Location" = String, description = "The new shelter"),
            ("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `shelters.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another shelter has this name (`shelter_name_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/shelters")]
pub async fn create_shelter(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<ShelterIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let new = shelters::parse_new_shelter(&ShelterDraft {
        name: &body.name,
        address: &body.address,
        capacity: body.capacity,
        admits_genders: &body.admits_genders,
        admits_minors: body.admits_minors,
        min_age: body.min_age,
        max_age: body.max_age,
        phone: body.phone.as_deref(),
        email: body.email.as_deref(),
    })?;
    let created = shelters::create(&state.db, &state.master_key, scope, new).await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header(("Location", format!("/api/v1/shelters/{}", created.row.id)));
    Ok(with_etag(builder, created))
}

/// The organisation's shelters (without addresses).
#[utoipa::path(
    tag = "shelters",
    operation_id = "list_shelters",
    params(ShelterQuery),
    responses(
        (status = 200, description = "A page of shelters", body = ShelterPage),
        (status = 400, description = "Invalid query", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `shelters.read`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/shelters")]
pub async fn list_shelters(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<ShelterQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let status = query
        .status
        .as_deref()
        .map(|s| {
            ShelterStatus::parse("status", s).map_err(|_| {
                ApiError::bad_request("invalid_query", "`status` must be active or closed.")
            })
        })
        .transpose()?;
    let filter = ShelterFilter {
        status,
        after: id_cursor(query.cursor.as_deref())?.map(ShelterId::from_uuid),
        limit,
    };
    let items = shelters::list(&state.db, scope, &filter).await?;
    let next = next_cursor(&items, limit, |s| s.row.id.to_string());
    Ok(HttpResponse::Ok().json(ShelterPage {
        items: items.into_iter().map(ShelterOut::from).collect(),
        next_cursor: next,
    }))
}

/// One shelter.
///
/// The address is included for roles allowed to read it (`shelters.address_read`), and each
/// such read is audited; for other roles it is `null`. The `ETag` goes back as `If-Match`
/// when changing the shelter.
#[utoipa::path(
    tag = "shelters",
    operation_id = "get_shelter",
    params(("id" = Uuid, Path, description = "Shelter id")),
    responses(
        (status = 200, description = "The shelter", body = ShelterOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `shelters.read`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shelter in this organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/shelters/{id}")]
pub async fn get_shelter(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let id = ShelterId::from_uuid(id.into_inner());
    let found = shelters::get(&state.db, &state.master_key, scope, id).await?;
    Ok(with_etag(HttpResponse::Ok(), found))
}

/// Changes or closes a shelter.
///
/// Send only the fields to change; `status: closed` closes the shelter. The admission policy
/// is checked as a whole and the capacity may not drop below the number of beds. Requires
/// `If-Match` with the shelter's `ETag`.
#[utoipa::path(
    tag = "shelters",
    operation_id = "update_shelter",
    params(
        ("id" = Uuid, Path, description = "Shelter id"),
        ("If-Match" = String, Header, description = "The ETag read with the shelter"),
    ),
    request_body = ShelterPatchIn,
    responses(
        (status = 200, description = "Updated", body = ShelterOut, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Missing `shelters.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shelter in this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Capacity below the number of beds (`capacity_below_beds`) or name taken (`shelter_name_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/shelters/{id}")]
pub async fn update_shelter(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<ShelterPatchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let body = body.into_inner();
    let patch = shelters::parse_shelter_patch(&ShelterPatchDraft {
        name: body.name.as_deref(),
        address: body.address.as_deref(),
        capacity: body.capacity,
        admits_genders: body.admits_genders.as_deref(),
        admits_minors: body.admits_minors,
        min_age: body.min_age,
        max_age: body.max_age,
        phone: body.phone.as_ref().map(Option::as_deref),
        email: body.email.as_ref().map(Option::as_deref),
        status: body.status.as_deref(),
    })?;
    let updated = shelters::update(
        &state.db,
        &state.master_key,
        scope,
        ShelterId::from_uuid(id.into_inner()),
        patch,
        if_match(&req),
    )
    .await?;
    Ok(with_etag(HttpResponse::Ok(), updated))
}

/// Removes a shelter that has no beds.
///
/// Its empty rooms and staff assignments go with it. A shelter with beds is refused with 409
/// `shelter_has_beds`: close it instead (`PATCH {"status": "closed"}`), which keeps its
/// history.
#[utoipa::path(
    tag = "shelters",
    operation_id = "delete_shelter",
    params(("id" = Uuid, Path, description = "Shelter id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Missing `shelters.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shelter in this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The shelter still has beds (`shelter_has_beds`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/shelters/{id}")]
pub async fn delete_shelter(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    shelters::delete(&state.db, scope, ShelterId::from_uuid(id.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// How full a shelter is.
///
/// Beds in total, in and out of service, occupied, reserved and free, for the shelter and for
/// each room.
#[utoipa::path(
    tag = "shelters",
    operation_id = "get_shelter_occupancy",
    params(("id" = Uuid, Path, description = "Shelter id")),
    responses(
        (status = 200, description = "The occupancy now", body = OccupancyOut),
        (status = 403, description = "Missing `shelters.read`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shelter in this organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/shelters/{id}/occupancy")]
pub async fn get_shelter_occupancy(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let found =
        occupancy::occupancy(&state.db, scope, ShelterId::from_uuid(id.into_inner())).await?;
    Ok(HttpResponse::Ok().json(OccupancyOut::from(found)))
}
