//! The `Authenticated` extractor: verifies the bearer token (signature, algorithm, type,
//! issuer, audience, lifetime), checks that the user, tenant and session are still allowed,
//! applies the per-user and per-tenant rate limits, and yields the principal. The limits are
//! counted in the same round trip to the cache as the session and status look-ups.

use crate::error::ApiError;
use crate::ratelimit;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use haven_domain::auth::{Meter, Subject};
use haven_domain::tenancy::{PlatformContext, Principal, TenantScope};
use std::time::Duration;

/// A request with a valid access token.
pub struct Authenticated(pub Principal);

impl Authenticated {
    /// The tenant scope of a tenant user; platform administrators are refused.
    ///
    /// # Errors
    /// 403 for a platform administrator.
    pub fn tenant(&self) -> Result<&TenantScope, ApiError> {
        match &self.0 {
            Principal::User(scope) => Ok(scope),
            Principal::PlatformAdmin(_) => Err(ApiError::Forbidden(
                "Platform administrators cannot reach an organisation's data.".into(),
            )),
        }
    }

    /// The platform context of a platform administrator; tenant users are refused.
    ///
    /// # Errors
    /// 403 for a tenant user.
    pub fn platform(&self) -> Result<&PlatformContext, ApiError> {
        match &self.0 {
            Principal::PlatformAdmin(ctx) => Ok(ctx),
            Principal::User(_) => Err(ApiError::Forbidden(
                "Only platform administrators may do this.".into(),
            )),
        }
    }
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty() && t.len() <= 4096)
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("application state missing")))?;
            let token = bearer(&req).ok_or(ApiError::Unauthenticated {
                code: "unauthenticated",
                detail: "Send an access token: `Authorization: Bearer <token>`.",
            })?;
            let limits = &state.settings.limits;
            let counters = |subject: Subject| match subject {
                Subject::User { tenant, user } => vec![
                    ratelimit::counter(&format!("user:{user}")),
                    ratelimit::counter(&format!("tenant:{tenant}")),
                ],
                Subject::PlatformAdmin(id) => vec![ratelimit::counter(&format!("platform:{id}"))],
            };
            let window = Duration::from_secs(60);
            let meter = Meter {
                counters: &counters,
                window,
            };
            let (principal, counts) = haven_domain::auth::authenticate_metered(
                &state.db,
                &state.cache,
                &state.keys,
                &token,
                &meter,
            )
            .await?;
            // The shared cache did not count: this process counts alone meanwhile.
            let counts = match counts {
                Some(counts) => Some(counts),
                None => {
                    let subject = match &principal {
                        Principal::User(scope) => Subject::User {
                            tenant: scope.tenant_id(),
                            user: scope.user_id(),
                        },
                        Principal::PlatformAdmin(ctx) => Subject::PlatformAdmin(ctx.admin_id()),
                    };
                    ratelimit::count_locally(&state.local_limits, &counters(subject), window).await
                }
            };
            let span = tracing::Span::current();
            match &principal {
                Principal::User(scope) => {
                    span.record("tenant_id", tracing::field::display(scope.tenant_id()));
                    span.record("user_id", tracing::field::display(scope.user_id()));
                    ratelimit::judge(
                        &[
                            limits.api_per_user_per_minute,
                            limits.api_per_tenant_per_minute,
                        ],
                        counts,
                    )?;
                }
                Principal::PlatformAdmin(ctx) => {
                    span.record("user_id", tracing::field::display(ctx.admin_id()));
                    ratelimit::judge(&[limits.api_per_user_per_minute], counts)?;
                }
            }
            Ok(Self(principal))
        })
    }
}
