//! The signed-in principal's own record and password.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::state::AppState;
use actix_web::{HttpResponse, get, post, web};
use haven_domain::tenancy::Principal;
use haven_domain::{platform, tenants, users};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The organisation a user belongs to.
#[derive(Serialize, ToSchema)]
pub struct MeTenant {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub default_locale: String,
    pub time_zone: String,
}

/// Who is signed in.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"kind": "user", "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b", "email": "case_worker@demo-be.example",
    "name": "Demo case worker", "roles": ["case_worker"], "permissions": [],
    "tenant": {"id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00", "slug": "demo-be", "name": "Demo Shelter Belgium",
        "default_locale": "nl-BE", "time_zone": "Europe/Brussels"}}))]
pub struct MeOut {
    /// `user` or `platform_admin`.
    pub kind: &'static str,
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub roles: Vec<String>,
    /// What the roles allow (e.g. `users.manage`), for showing only what may be done.
    pub permissions: Vec<String>,
    pub tenant: Option<MeTenant>,
}

/// The signed-in user (or platform administrator).
#[utoipa::path(
    tag = "me",
    operation_id = "get_me",
    responses(
        (status = 200, description = "The principal", body = MeOut),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn get_me(
    auth: Authenticated,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let out = match &auth.0 {
        Principal::User(scope) => {
            let me = users::get(&state.db, scope, *scope.user_id().as_uuid()).await?;
            let tenant = tenants::get(&state.db, *scope.tenant_id().as_uuid()).await?;
            MeOut {
                kind: "user",
                id: me.id,
                email: me.email,
                name: me.name,
                roles: scope
                    .roles()
                    .iter()
                    .map(|r| r.as_str().to_owned())
                    .collect(),
                permissions: scope
                    .permissions()
                    .iter()
                    .map(|p| p.as_str().to_owned())
                    .collect(),
                tenant: Some(MeTenant {
                    id: tenant.id,
                    slug: tenant.slug,
                    name: tenant.name,
                    default_locale: tenant.default_locale,
                    time_zone: tenant.time_zone,
                }),
            }
        }
        Principal::PlatformAdmin(ctx) => {
            let admin = platform::get_admin(&state.db, ctx.admin_id()).await?;
            MeOut {
                kind: "platform_admin",
                id: admin.id,
                email: admin.email,
                name: admin.name,
                roles: vec!["platform_admin".to_owned()],
                permissions: vec!["tenants.manage".to_owned()],
                tenant: None,
            }
        }
    };
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(out))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current_password": "haven-demo-2026", "new_password": "a longer and private passphrase"}))]
pub struct ChangePasswordIn {
    #[schema(max_length = 1024, format = Password)]
    pub current_password: String,
    #[schema(max_length = 1024, format = Password)]
    pub new_password: String,
}

/// Changes the signed-in user's password; their other sessions are signed out.
#[utoipa::path(
    tag = "me",
    operation_id = "change_my_password",
    request_body = ChangePasswordIn,
    responses(
        (status = 204, description = "Password changed"),
        (status = 401, description = "The current password is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Platform administrators change passwords from the command line", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password breaks the policy", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/password")]
pub async fn change_password(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<ChangePasswordIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let body = body.into_inner();
    if body.current_password.len() > 1024 || body.new_password.len() > 1024 {
        return Err(ApiError::Validation(vec![crate::error::FieldError {
            field: "new_password".into(),
            message: "is too long".into(),
        }]));
    }
    users::change_own_password(
        &state.db,
        &state.cache,
        scope,
        SecretString::from(body.current_password),
        SecretString::from(body.new_password),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
