//! Onboarding and suspending organisations (platform administrators only).

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{PageQuery, if_match, invalid_cursor, next_cursor, page_limit};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use haven_domain::audit::Actor;
use haven_domain::entities::tenant;
use haven_domain::error::{DomainError, Validator};
use haven_domain::tenancy::Principal;
use haven_domain::tenants::{self, TenantPatch, TenantStatus};
use haven_domain::types::{DisplayName, Locale, Slug, TimeZone};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminIn {
    #[schema(max_length = 254)]
    pub email: String,
    #[schema(max_length = 200)]
    pub name: String,
    #[schema(max_length = 1024, format = Password)]
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Shelter Lyon", "slug": "shelter-lyon", "country": "FR", "default_locale": "fr-FR",
    "time_zone": "Europe/Paris", "admin": {"email": "director@shelter-lyon.example", "name": "Camille Martin",
    "password": "a long and private passphrase"}}))]
pub struct TenantIn {
    #[schema(max_length = 200)]
    pub name: String,
    /// Lower-case letters, digits and single hyphens.
    #[schema(max_length = 63)]
    pub slug: String,
    /// ISO 3166-1 alpha-2.
    #[schema(max_length = 2)]
    pub country: String,
    /// A language tag such as `nl-BE`.
    pub default_locale: String,
    /// An IANA time zone such as `Europe/Brussels`.
    pub time_zone: String,
    /// The organisation's first administrator.
    #[serde(deserialize_with = "haven_domain::objects::object")]
    pub admin: AdminIn,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00", "name": "Demo Shelter Belgium", "slug": "demo-be",
    "country": "BE", "default_locale": "nl-BE", "time_zone": "Europe/Brussels", "status": "active",
    "created_at": "2026-11-28T10:00:00Z", "updated_at": "2026-11-28T10:00:00Z"}))]
pub struct TenantOut {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub country: String,
    pub default_locale: String,
    pub time_zone: String,
    /// `active` or `suspended`.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<tenant::Model> for TenantOut {
    fn from(t: tenant::Model) -> Self {
        Self {
            id: t.id,
            name: t.name,
            slug: t.slug,
            country: t.country,
            default_locale: t.default_locale,
            time_zone: t.time_zone,
            status: t.status,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TenantPage {
    pub items: Vec<TenantOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "suspended"}))]
pub struct TenantPatchIn {
    pub name: Option<String>,
    pub default_locale: Option<String>,
    pub time_zone: Option<String>,
    /// `active` or `suspended`: suspension locks the organisation's users out at once.
    pub status: Option<String>,
}

/// Onboards an organisation with its first administrator.
#[utoipa::path(
    tag = "tenants",
    operation_id = "create_tenant",
    request_body = TenantIn,
    responses(
        (status = 201, description = "Onboarded", body = TenantOut, headers(("Location" = String, description = "The new tenant"))),
        (status = 403, description = "Not a platform administrator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The slug is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tenants")]
pub async fn create_tenant(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<TenantIn>,
) -> Result<HttpResponse, ApiError> {
    let ctx = auth.platform()?;
    let body = body.into_inner();
    if body.admin.password.len() > 1024 {
        return Err(ApiError::Validation(vec![crate::error::FieldError {
            field: "admin.password".into(),
            message: "is too long".into(),
        }]));
    }
    let new = tenants::parse_new_tenant(
        &body.name,
        &body.slug,
        &body.country,
        &body.default_locale,
        &body.time_zone,
        &body.admin.email,
        &body.admin.name,
        SecretString::from(body.admin.password),
    )?;
    let created = tenants::onboard(&state.db, Actor::platform(ctx), new).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/tenants/{}", created.id)))
        .json(TenantOut::from(created)))
}

/// The organisations, by slug.
#[utoipa::path(
    tag = "tenants",
    operation_id = "list_tenants",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of tenants", body = TenantPage),
        (status = 403, description = "Not a platform administrator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tenants")]
pub async fn list_tenants(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let ctx = auth.platform()?;
    let limit = page_limit(query.limit)?;
    // The cursor is the last slug of the previous page.
    let after = query
        .cursor
        .as_deref()
        .map(|c| Slug::parse("cursor", c).map_err(|_| invalid_cursor()))
        .transpose()?;
    let items = tenants::list(&state.db, ctx, after.as_ref().map(Slug::as_str), limit).await?;
    let next = next_cursor(&items, limit, |t| t.slug.clone());
    Ok(HttpResponse::Ok().json(TenantPage {
        items: items.into_iter().map(TenantOut::from).collect(),
        next_cursor: next,
    }))
}

/// A tenant user sees only their own organisation here; anything else is not found.
fn visible(auth: &Authenticated, id: Uuid) -> Result<(), ApiError> {
    match &auth.0 {
        Principal::PlatformAdmin(_) => Ok(()),
        Principal::User(scope) if *scope.tenant_id().as_uuid() == id => Ok(()),
        Principal::User(_) => Err(ApiError::NotFound),
    }
}

/// One organisation (platform administrators; a tenant's users see their own).
#[utoipa::path(
    tag = "tenants",
    operation_id = "get_tenant",
    params(("id" = Uuid, Path, description = "Tenant id")),
    responses(
        (status = 200, description = "The tenant", body = TenantOut,
            headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 404, description = "No such tenant", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tenants/{id}")]
pub async fn get_tenant(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    visible(&auth, id)?;
    let found = tenants::get(&state.db, id).await?;
    Ok(tenant_response(found))
}

fn tenant_response(row: tenant::Model) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, tenants::etag(&row)))
        .json(TenantOut::from(row))
}

/// Renames, relocates or suspends/reactivates an organisation. Requires `If-Match` with its
/// `ETag`.
#[utoipa::path(
    tag = "tenants",
    operation_id = "update_tenant",
    params(
        ("id" = Uuid, Path, description = "Tenant id"),
        ("If-Match" = String, Header, description = "The ETag read with the tenant"),
    ),
    request_body = TenantPatchIn,
    responses(
        (status = 200, description = "Updated", body = TenantOut,
            headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 404, description = "No such tenant", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/tenants/{id}")]
pub async fn update_tenant(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<TenantPatchIn>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    visible(&auth, id)?;
    let ctx = match &auth.0 {
        Principal::PlatformAdmin(ctx) => ctx,
        Principal::User(_) => return Err(ApiError::NotFound),
    };
    let body = body.into_inner();
    let mut v = Validator::default();
    let patch = TenantPatch {
        name: body
            .name
            .as_deref()
            .and_then(|n| v.take(DisplayName::parse("name", n))),
        default_locale: body
            .default_locale
            .as_deref()
            .and_then(|l| v.take(Locale::parse("default_locale", l))),
        time_zone: body
            .time_zone
            .as_deref()
            .and_then(|z| v.take(TimeZone::parse("time_zone", z))),
        status: match body.status.as_deref() {
            None => None,
            Some("active") => Some(TenantStatus::Active),
            Some("suspended") => Some(TenantStatus::Suspended),
            Some(_) => {
                v.note("status", "must be `active` or `suspended`");
                None
            }
        },
    };
    v.finish().map_err(ApiError::from)?;
    let if_match = if_match(&req);
    let updated = tenants::update(&state.db, &state.cache, ctx, id, patch, if_match)
        .await
        .map_err(|e| match e {
            DomainError::NotFound => ApiError::NotFound,
            other => other.into(),
        })?;
    Ok(tenant_response(updated))
}
