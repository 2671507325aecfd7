//! The users who work at a shelter.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{PageQuery, id_cursor, next_cursor, page_limit, tagged_json};
use crate::state::AppState;
use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use haven_domain::ids::{ShelterId, UserId};
use haven_domain::shelters::staff::{self, StaffMember};
use haven_domain::users;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00"}))]
pub struct StaffIn {
    /// A user of your organisation.
    pub user_id: Uuid,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00", "name": "Demo shelter staff",
    "email": "shelter_staff@demo-be.example", "roles": ["shelter_staff"],
    "assigned_at": "2026-11-28T10:00:00Z"}))]
pub struct StaffMemberOut {
    /// The user's id.
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub roles: Vec<String>,
    pub assigned_at: DateTime<Utc>,
}

impl From<StaffMember> for StaffMemberOut {
    fn from(m: StaffMember) -> Self {
        let roles = users::roles_of(&m.user)
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect();
        Self {
            id: m.user.id,
            name: m.user.name,
            email: m.user.email,
            roles,
            assigned_at: m.assigned_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct StaffPage {
    pub items: Vec<StaffMemberOut>,
    pub next_cursor: Option<String>,
}

/// The users assigned to a shelter.
#[utoipa::path(
    tag = "shelters",
    operation_id = "list_shelter_staff",
    params(("id" = Uuid, Path, description = "Shelter id"), PageQuery),
    responses(
        (status = 200, description = "A page of staff", body = StaffPage),
        (status = 403, description = "Missing `shelters.read`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shelter in this organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/shelters/{id}/staff")]
pub async fn list_shelter_staff(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let after = id_cursor(query.cursor.as_deref())?.map(UserId::from_uuid);
    let items = staff::list(
        &state.db,
        scope,
        ShelterId::from_uuid(id.into_inner()),
        after,
        limit,
    )
    .await?;
    let next = next_cursor(&items, limit, |m| m.user.id.to_string());
    Ok(HttpResponse::Ok().json(StaffPage {
        items: items.into_iter().map(StaffMemberOut::from).collect(),
        next_cursor: next,
    }))
}

/// Assigns a user of the organisation to a shelter.
#[utoipa::path(
    tag = "shelters",
    operation_id = "assign_shelter_staff",
    params(("id" = Uuid, Path, description = "Shelter id")),
    request_body = StaffIn,
    responses(
        (status = 201, description = "Assigned", body = StaffMemberOut, headers(("Location" = String, description = "The assignment"))),
        (status = 403, description = "Missing `shelters.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shelter or user in this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already assigned (`staff_already_assigned`) or deactivated (`user_deactivated`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/shelters/{id}/staff")]
pub async fn assign_shelter_staff(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<StaffIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let shelter = ShelterId::from_uuid(id.into_inner());
    let member = staff::assign(&state.db, scope, shelter, UserId::from_uuid(body.user_id)).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/shelters/{shelter}/staff/{}", member.user.id),
        ))
        .json(StaffMemberOut::from(member)))
}

/// One user's assignment to a shelter.
#[utoipa::path(
    tag = "shelters",
    operation_id = "get_shelter_staff",
    params(
        ("id" = Uuid, Path, description = "Shelter id"),
        ("user_id" = Uuid, Path, description = "User id"),
    ),
    responses(
        (status = 200, description = "The assigned user", body = StaffMemberOut, headers(("ETag" = String, description = "The version of this representation; it changes with any change of the resource"))),
        (status = 403, description = "Missing `shelters.read`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shelter, or the user is not assigned to it", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/shelters/{id}/staff/{user_id}")]
pub async fn get_shelter_staff(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let (shelter, user) = path.into_inner();
    let member = staff::get(
        &state.db,
        scope,
        ShelterId::from_uuid(shelter),
        UserId::from_uuid(user),
    )
    .await?;
    tagged_json(HttpResponse::Ok(), &StaffMemberOut::from(member))
}

/// Ends a user's assignment to a shelter.
#[utoipa::path(
    tag = "shelters",
    operation_id = "remove_shelter_staff",
    params(
        ("id" = Uuid, Path, description = "Shelter id"),
        ("user_id" = Uuid, Path, description = "User id"),
    ),
    responses(
        (status = 204, description = "Unassigned"),
        (status = 403, description = "Missing `shelters.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such shelter, or the user is not assigned to it", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/shelters/{id}/staff/{user_id}")]
pub async fn remove_shelter_staff(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let (shelter, user) = path.into_inner();
    staff::remove(
        &state.db,
        scope,
        ShelterId::from_uuid(shelter),
        UserId::from_uuid(user),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
