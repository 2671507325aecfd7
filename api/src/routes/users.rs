//! A tenant's users: invitation, listing, roles and status.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, if_match, next_cursor, page_limit};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use haven_domain::entities::user;
use haven_domain::users::{self, UserFilter, UserPatch, UserStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "new.colleague@demo-be.example", "name": "Sam Peeters", "roles": ["case_worker"]}))]
pub struct UserIn {
    #[schema(max_length = 254)]
    pub email: String,
    #[schema(max_length = 200)]
    pub name: String,
    /// Any of `tenant_admin`, `shelter_manager`, `case_worker`, `shelter_staff`, `trainer`, `analyst`.
    #[schema(max_items = 6)]
    pub roles: Vec<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b", "email": "case_worker@demo-be.example",
    "name": "Demo case worker", "roles": ["case_worker"], "status": "active",
    "created_at": "2026-11-28T10:00:00Z", "updated_at": "2026-11-28T10:00:00Z"}))]
pub struct UserOut {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub roles: Vec<String>,
    /// `invited`, `active` or `deactivated`.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<user::Model> for UserOut {
    fn from(u: user::Model) -> Self {
        let roles = users::roles_of(&u)
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect();
        Self {
            id: u.id,
            email: u.email,
            name: u.name,
            roles,
            status: u.status,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// A new user and the one-time token they set their password with.
#[derive(Serialize, ToSchema)]
pub struct InvitationOut {
    pub user: UserOut,
    /// Give it to the user through a safe channel; it works once, until `expires_at`, at
    /// `POST /api/v1/auth/set-password`. It is not shown again.
    pub set_password_token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<UserOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// `invited`, `active` or `deactivated`.
    pub status: Option<String>,
    /// Only users holding this role.
    pub role: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"roles": ["case_worker", "shelter_manager"]}))]
pub struct UserPatchIn {
    pub name: Option<String>,
    pub roles: Option<Vec<String>>,
    /// `active` or `deactivated`.
    pub status: Option<String>,
}

fn with_etag(mut builder: actix_web::HttpResponseBuilder, user: user::Model) -> HttpResponse {
    builder.insert_header((header::ETAG, users::etag(&user)));
    builder.json(UserOut::from(user))
}

/// Invites a user: creates the account and returns its one-time set-password token.
#[utoipa::path(
    tag = "users",
    operation_id = "create_user",
    request_body = UserIn,
    responses(
        (status = 201, description = "Invited", body = InvitationOut, headers(("Location" = String, description = "The new user"))),
        (status = 403, description = "Missing `users.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The e-mail address is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create_user(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<UserIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let new = users::parse_new_user(&body.email, &body.name, &body.roles)?;
    let invitation = users::invite(&state.db, scope, new).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/users/{}", invitation.user.id)))
        .insert_header(("Cache-Control", "no-store"))
        .json(InvitationOut {
            user: UserOut::from(invitation.user),
            set_password_token: invitation.token,
            expires_at: invitation.expires_at,
        }))
}

/// The organisation's users.
#[utoipa::path(
    tag = "users",
    operation_id = "list_users",
    params(UserQuery),
    responses(
        (status = 200, description = "A page of users", body = UserPage),
        (status = 403, description = "Missing `users.read`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
pub async fn list_users(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<UserQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let status = match query.status.as_deref() {
        None => None,
        Some("invited") => Some(UserStatus::Invited),
        Some("active") => Some(UserStatus::Active),
        Some("deactivated") => Some(UserStatus::Deactivated),
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid_query",
                "`status` must be invited, active or deactivated.",
            ));
        }
    };
    let role = query
        .role
        .as_deref()
        .map(|r| {
            r.parse()
                .map_err(|()| ApiError::bad_request("invalid_query", "`role` is not a known role."))
        })
        .transpose()?;
    let filter = UserFilter {
        status,
        role,
        after: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = users::list(&state.db, scope, &filter).await?;
    let next = next_cursor(&items, limit, |u| u.id.to_string());
    Ok(HttpResponse::Ok().json(UserPage {
        items: items.into_iter().map(UserOut::from).collect(),
        next_cursor: next,
    }))
}

/// One user (with an `ETag` to send back as `If-Match` when changing it).
#[utoipa::path(
    tag = "users",
    operation_id = "get_user",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = UserOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 404, description = "No such user in this organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let found = users::get(&state.db, scope, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), found))
}

/// Changes a user's name, roles or status. Requires `If-Match` with the user's `ETag`.
#[utoipa::path(
    tag = "users",
    operation_id = "update_user",
    params(
        ("id" = Uuid, Path, description = "User id"),
        ("If-Match" = String, Header, description = "The ETag read with the user"),
    ),
    request_body = UserPatchIn,
    responses(
        (status = 200, description = "Updated", body = UserOut),
        (status = 404, description = "No such user in this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The change would lock you out", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<UserPatchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let body = body.into_inner();
    let patch = users::parse_patch(
        body.name.as_deref(),
        body.roles.as_deref(),
        body.status.as_deref(),
    )?;
    let if_match = if_match(&req);
    let updated = users::update(
        &state.db,
        &state.cache,
        scope,
        id.into_inner(),
        patch,
        if_match,
    )
    .await?;
    Ok(with_etag(HttpResponse::Ok(), updated))
}

/// Deactivates a user: their sessions end and they can no longer sign in. The record stays.
#[utoipa::path(
    tag = "users",
    operation_id = "deactivate_user",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 204, description = "Deactivated"),
        (status = 404, description = "No such user in this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "You cannot deactivate yourself", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/users/{id}")]
pub async fn deactivate_user(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let patch = UserPatch {
        status: Some(UserStatus::Deactivated),
        ..UserPatch::default()
    };
    users::update(
        &state.db,
        &state.cache,
        scope,
        id.into_inner(),
        patch,
        Some("*"),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A colleague one may put on a case team: id and name only.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b", "name": "Demo case worker"}))]
pub struct ColleagueOut {
    pub id: Uuid,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ColleaguePage {
    pub items: Vec<ColleagueOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ColleagueQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The organisation's active colleagues, by name only, for case teams (`cases.work`): unlike
/// the users list it shows no e-mail address, role or status.
#[utoipa::path(
    tag = "users",
    operation_id = "list_colleagues",
    params(ColleagueQuery),
    responses(
        (status = 200, description = "A page of colleagues", body = ColleaguePage),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/colleagues")]
pub async fn list_colleagues(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<ColleagueQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let after = id_cursor(query.cursor.as_deref())?;
    let rows = users::colleagues(&state.db, scope, after, limit).await?;
    let items: Vec<ColleagueOut> = rows
        .into_iter()
        .map(|(id, name)| ColleagueOut { id, name })
        .collect();
    let next = next_cursor(&items, limit, |c| c.id.to_string());
    Ok(HttpResponse::Ok().json(ColleaguePage {
        items,
        next_cursor: next,
    }))
}
