//! Signing in, refreshing, signing out, setting a password, and the public keys.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::client_ip;
use crate::state::AppState;
use crate::{ratelimit, session_cookie};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use haven_domain::{auth, users};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::time::Duration;
use utoipa::ToSchema;

/// Longest password accepted at all (longer ones are refused before hashing).
const MAX_PASSWORD_BYTES: usize = 1024;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "case_worker@demo-be.example", "password": "haven-demo-2026", "tenant": "demo-be"}))]
pub struct LoginIn {
    /// The account's e-mail address.
    #[schema(max_length = 254)]
    pub email: String,
    #[schema(max_length = 1024, format = Password)]
    pub password: String,
    /// The organisation's slug; needed only when the address has accounts in several.
    #[schema(max_length = 63)]
    pub tenant: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"access_token": "eyJhbGciOiJFZERTQSIsImtpZCI6ImstMDE5MyIsInR5cCI6ImF0K2p3dCJ9.e30.sig",
    "refresh_token": "hvr_0193a1b27c3d7e4f8a9b0c1d2e3f4a5b_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG",
    "token_type": "Bearer", "expires_in": 900}))]
pub struct TokenOut {
    /// A JWT (EdDSA, `typ: at+jwt`) for `Authorization: Bearer`.
    pub access_token: String,
    /// Opaque; trade it at `/auth/refresh`. Each one works once. Absent in cookie mode
    /// (`X-Haven-Session: cookie`), where it travels in the `haven_refresh` cookie instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub token_type: &'static str,
    /// Seconds the access token lives.
    pub expires_in: u64,
}

impl From<auth::Tokens> for TokenOut {
    fn from(t: auth::Tokens) -> Self {
        Self {
            access_token: t.access_token,
            refresh_token: Some(t.refresh_token),
            token_type: "Bearer",
            expires_in: t.expires_in,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "hvr_0193a1b27c3d7e4f8a9b0c1d2e3f4a5b_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"}))]
pub struct RefreshIn {
    /// Required in body mode; in cookie mode the cookie carries it and the body is `{}`.
    #[schema(max_length = 200)]
    pub refresh_token: Option<String>,
}

/// The answer to a successful sign-in or refresh: in cookie mode the refresh token moves from
/// the body into the cookie.
fn token_response(tokens: auth::Tokens, cookie_mode: bool) -> HttpResponse {
    let mut out = TokenOut::from(tokens);
    let cookie_token = if cookie_mode {
        out.refresh_token.take()
    } else {
        None
    };
    let mut response = HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(out);
    if let Some(token) = cookie_token {
        session_cookie::set(&mut response, &token, auth::SESSION_TTL.as_secs());
    }
    response
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "hvi_0193a1b27c3d7e4f8a9b0c1d2e3f4a5b_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG", "password": "a long and private passphrase"}))]
pub struct SetPasswordIn {
    /// The invitation's one-time token.
    #[schema(max_length = 200)]
    pub token: String,
    #[schema(max_length = 1024, format = Password)]
    pub password: String,
}

fn too_long(field: &str) -> ApiError {
    ApiError::Validation(vec![crate::error::FieldError {
        field: field.to_owned(),
        message: "is too long".to_owned(),
    }])
}

fn fingerprint(text: &str) -> String {
    hex::encode(&Sha256::digest(text.as_bytes())[..12])
}

/// Signs in with e-mail and password.
///
/// Unknown addresses and wrong passwords get the same answer. Attempts are limited per client
/// address and per account (429 with `Retry-After`); the limit lifts by itself.
///
/// Browser apps send `X-Haven-Session: cookie`: the refresh token then comes back in an
/// `HttpOnly; Secure; SameSite=Strict` cookie `haven_refresh` (path `/api/v1/auth`) instead of
/// the body, out of reach of script on the page.
#[utoipa::path(
    tag = "auth",
    operation_id = "login",
    security(()),
    params(SessionModeHeader),
    request_body = LoginIn,
    responses(
        (status = 200, description = "Signed in", body = TokenOut, headers(
            ("Set-Cookie" = String, description = "In cookie mode: `haven_refresh=…; Path=/api/v1/auth; Max-Age=2592000; HttpOnly; Secure; SameSite=Strict`"),
        )),
        (status = 401, description = "Wrong credentials or inactive account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The credentials fit several organisations: name one", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<LoginIn>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let limits = &state.settings.limits;
    let ip = client_ip(&req, state.settings.server.trust_forwarded_for);
    ratelimit::hit(
        &state,
        &format!("login-ip:{ip}"),
        limits.login_per_ip_per_minute,
        Duration::from_secs(60),
    )
    .await?;
    if body.email.len() > 254 {
        return Err(too_long("email"));
    }
    if body.password.len() > MAX_PASSWORD_BYTES {
        return Err(too_long("password"));
    }
    // Per account, counted per client address so an attacker elsewhere cannot lock the owner
    // out, and overall at a higher bar. Both windows end by themselves.
    let account = fingerprint(&format!(
        "{}|{}",
        body.email.trim().to_lowercase(),
        body.tenant.as_deref().unwrap_or("")
    ));
    let window = Duration::from_secs(15 * 60);
    let account_ip_key = format!("login-account-ip:{account}:{ip}");
    ratelimit::hit(
        &state,
        &account_ip_key,
        limits.login_per_account_per_15_minutes,
        window,
    )
    .await?;
    ratelimit::hit(
        &state,
        &format!("login-account:{account}"),
        limits.login_per_account_per_15_minutes.saturating_mul(10),
        window,
    )
    .await?;
    let password = SecretString::from(body.password);
    let tokens = auth::login(
        &state.db,
        &state.keys,
        &body.email,
        &password,
        body.tenant.as_deref(),
    )
    .await?;
    ratelimit::reset(&state, &account_ip_key).await;
    Ok(token_response(tokens, session_cookie::requested(&req)))
}

/// `X-Haven-Session`: `cookie` selects cookie mode for the refresh token.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
struct SessionModeHeader {
    /// `cookie`: the refresh token travels in the `haven_refresh` cookie, not the body. On
    /// `/auth/refresh` it is also what makes the cookie count (a cross-site request cannot
    /// send it), so a refresh from the cookie alone is refused.
    #[param(rename = "X-Haven-Session", example = "cookie")]
    x_haven_session: Option<String>,
}

/// Trades a refresh token for a new access and refresh token.
///
/// Each refresh token works once; presenting a spent one signs the whole session out.
///
/// Body mode: `{"refresh_token": "hvr_…"}`. Cookie mode: the header `X-Haven-Session: cookie`,
/// the `haven_refresh` cookie and the body `{}`; the answer sets the next cookie, and a refused
/// token clears it. The cookie is never read without the header.
#[utoipa::path(
    tag = "auth",
    operation_id = "refresh",
    security(()),
    params(SessionModeHeader),
    request_body = RefreshIn,
    responses(
        (status = 200, description = "New tokens", body = TokenOut, headers(
            ("Set-Cookie" = String, description = "In cookie mode: the next `haven_refresh` cookie"),
        )),
        (status = 401, description = "Unknown, expired, revoked or reused token, or none presented (no `refresh_token`, or in cookie mode no cookie)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A `refresh_token` longer than any Haven gives out", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<RefreshIn>,
) -> Result<HttpResponse, ApiError> {
    let ip = client_ip(&req, state.settings.server.trust_forwarded_for);
    ratelimit::hit(
        &state,
        &format!("refresh-ip:{ip}"),
        state.settings.limits.login_per_ip_per_minute * 4,
        Duration::from_secs(60),
    )
    .await?;
    let cookie_mode = session_cookie::requested(&req);
    // Presenting no token at all is a missing credential, in either mode.
    let (presented, missing) = if cookie_mode {
        (
            session_cookie::refresh_token(&req),
            "No refresh cookie came with the request.",
        )
    } else {
        (
            body.into_inner().refresh_token,
            "No refresh token came with the request.",
        )
    };
    let outcome = match presented {
        Some(token) if token.len() <= 200 => {
            auth::refresh(&state.db, &state.cache, &state.keys, &token)
                .await
                .map_err(ApiError::from)
        }
        Some(_) => Err(too_long("refresh_token")),
        None => Err(ApiError::Unauthenticated {
            code: "invalid_token",
            detail: missing,
        }),
    };
    match outcome {
        Ok(tokens) => Ok(token_response(tokens, cookie_mode)),
        Err(err) if cookie_mode => {
            let mut response = actix_web::ResponseError::error_response(&err);
            session_cookie::clear(&mut response);
            Ok(response)
        }
        Err(err) => Err(err),
    }
}

/// Signs the current session out: its refresh tokens are revoked and its access tokens
/// refused from now on. In cookie mode the answer also clears the `haven_refresh` cookie.
#[utoipa::path(
    tag = "auth",
    operation_id = "logout",
    params(SessionModeHeader),
    responses(
        (status = 204, description = "Signed out", headers(
            ("Set-Cookie" = String, description = "In cookie mode: an expired, empty `haven_refresh` cookie"),
        )),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    req: HttpRequest,
    auth: Authenticated,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    auth::logout(&state.db, &state.cache, &auth.0).await?;
    let mut response = HttpResponse::NoContent().finish();
    if session_cookie::requested(&req) {
        session_cookie::clear(&mut response);
    }
    Ok(response)
}

/// Sets the password of an invited user with their one-time token, activating the account.
#[utoipa::path(
    tag = "auth",
    operation_id = "set_password",
    security(()),
    request_body = SetPasswordIn,
    responses(
        (status = 204, description = "Password set; the account can sign in"),
        (status = 401, description = "Unknown, used or expired token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password breaks the policy", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/set-password")]
pub async fn set_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<SetPasswordIn>,
) -> Result<HttpResponse, ApiError> {
    let ip = client_ip(&req, state.settings.server.trust_forwarded_for);
    ratelimit::hit(
        &state,
        &format!("login-ip:{ip}"),
        state.settings.limits.login_per_ip_per_minute,
        Duration::from_secs(60),
    )
    .await?;
    let body = body.into_inner();
    if body.password.len() > MAX_PASSWORD_BYTES {
        return Err(too_long("password"));
    }
    users::set_password_with_token(&state.db, &body.token, SecretString::from(body.password))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One public key.
#[derive(Serialize, ToSchema)]
pub struct JwkOut {
    pub kty: String,
    pub crv: String,
    pub alg: String,
    #[serde(rename = "use")]
    pub key_use: String,
    pub kid: String,
    /// The Ed25519 public key, base64url.
    pub x: String,
}

/// The public keys access tokens are signed with.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig",
    "kid": "k-0193a1b27c3d7e4f8a9b0c1d2e3f4a5b", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}))]
pub struct JwksOut {
    pub keys: Vec<JwkOut>,
}

/// The JSON Web Key Set for verifying Haven's access tokens (EdDSA, `kid` in the header).
#[utoipa::path(
    tag = "auth",
    operation_id = "jwks",
    security(()),
    responses((status = 200, description = "The public keys", body = JwksOut))
)]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    let keys = state
        .keys
        .jwks()
        .into_iter()
        .map(|k| JwkOut {
            kty: k.kty.to_owned(),
            crv: k.crv.to_owned(),
            alg: k.alg.to_owned(),
            key_use: k.key_use.to_owned(),
            kid: k.kid,
            x: k.x,
        })
        .collect();
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=300"))
        .json(JwksOut { keys })
}
