//! `Idempotency-Key` on creates. A `POST` carrying the header is answered once per signed-in
//! principal, path and key: a retry with the same body gets the stored answer (and creates
//! nothing), a retry with another body is refused (422), and a retry while the first is still
//! running is refused (409). Answers are kept for 24 hours in the shared cache; only
//! successful ones are kept, so a failed attempt can be retried with the same key.

use crate::error::{ApiError, FieldError};
use crate::state::AppState;
use actix_web::body::{BoxBody, MessageBody, to_bytes};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, ResponseError as _, web};
use haven_domain::tenancy::Principal;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::time::Duration;

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// How long answers are kept.
const KEEP: Duration = Duration::from_secs(24 * 3600);
/// How long a first attempt may run before its key is free again.
const IN_FLIGHT: Duration = Duration::from_secs(60);

#[derive(Serialize, Deserialize)]
struct Stored {
    fingerprint: String,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

const KEPT_HEADERS: [&str; 4] = ["content-type", "location", "etag", "cache-control"];

fn fingerprint(method: &Method, path: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(path.as_bytes());
    hasher.update(b"\n");
    hasher.update(body);
    hex::encode(hasher.finalize())
}

fn replay(stored: &Stored) -> HttpResponse {
    let mut builder =
        HttpResponse::build(StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK));
    for (name, value) in &stored.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::from_str(value),
        ) {
            builder.insert_header((name, value));
        }
    }
    builder.insert_header(("idempotent-replayed", "true"));
    builder.body(stored.body.clone())
}

fn invalid_key() -> ApiError {
    ApiError::Validation(vec![FieldError {
        field: "Idempotency-Key".into(),
        message: "must be 1 to 255 visible ASCII characters".into(),
    }])
}

/// Answers `req` with `err` without passing it on.
fn refuse(req: ServiceRequest, err: &ApiError) -> ServiceResponse<BoxBody> {
    let (http_req, _) = req.into_parts();
    ServiceResponse::new(http_req, err.error_response())
}

/// See the module documentation.
///
/// # Errors
/// Problems for a malformed, reused or busy key; otherwise whatever the handler answers.
pub async fn idempotent(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let key = req
        .headers()
        .get(HEADER)
        .map(|v| v.to_str().map(str::to_owned));
    let (Method::POST, Some(key)) = (req.method().clone(), key) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let Ok(key) = key else {
        return Ok(refuse(req, &invalid_key()));
    };
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Ok(refuse(req, &invalid_key()));
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    // Keys belong to a principal: without a valid token there is nothing to remember.
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim().to_owned());
    let principal = match token {
        Some(token) => {
            haven_domain::auth::authenticate(&state.db, &state.cache, &state.keys, &token)
                .await
                .ok()
        }
        None => None,
    };
    let Some(principal) = principal else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let owner = match &principal {
        Principal::User(scope) => format!("{}:{}", scope.tenant_id(), scope.user_id()),
        Principal::PlatformAdmin(ctx) => format!("platform:{}", ctx.admin_id()),
    };

    let body = match req.extract::<web::Bytes>().await {
        Ok(body) => body,
        Err(err) => return Ok(refuse(req, &crate::json_guard::unreadable(&err))),
    };
    let method = req.method().clone();
    let path = req.path().to_owned();
    let print = fingerprint(&method, &path, &body);
    let (_, mut payload) = actix_http::h1::Payload::create(true);
    payload.unread_data(body);
    req.set_payload(payload.into());

    let scope_key = hex::encode(Sha256::digest(format!("{owner}|{path}|{key}").as_bytes()));
    let done_key = format!("idem:done:{scope_key}");
    let busy_key = format!("idem:busy:{scope_key}");
    let cache = &state.cache;
    if let Ok(Some(bytes)) = cache.get(&done_key).await
        && let Ok(stored) = serde_json::from_slice::<Stored>(&bytes)
    {
        if stored.fingerprint != print {
            let err = ApiError::Validation(vec![FieldError {
                field: "Idempotency-Key".into(),
                message: "was used with a different request; use a new key".into(),
            }]);
            return Ok(refuse(req, &err));
        }
        let (http_req, _) = req.into_parts();
        return Ok(ServiceResponse::new(http_req, replay(&stored)));
    }
    match cache
        .set_if_absent(&busy_key, print.as_bytes(), IN_FLIGHT)
        .await
    {
        Ok(true) => {}
        Ok(false) => {
            let err = ApiError::Conflict {
                code: "idempotency_key_in_use",
                detail:
                    "A request with this Idempotency-Key is still being processed; retry shortly."
                        .into(),
            };
            return Ok(refuse(req, &err));
        }
        Err(err) => {
            if !err.is_paused() {
                tracing::error!(error = %err, "idempotency store unavailable; request processed without it");
            }
            return next
                .call(req)
                .await
                .map(ServiceResponse::map_into_boxed_body);
        }
    }

    let result = next.call(req).await;
    let response = match result {
        Ok(response) => response,
        Err(err) => {
            let _ = cache.delete(&busy_key).await;
            return Err(err);
        }
    };
    let status = response.status();
    if !status.is_success() {
        let _ = cache.delete(&busy_key).await;
        return Ok(response.map_into_boxed_body());
    }
    let (http_req, res) = response.into_parts();
    let headers: Vec<(String, String)> = KEPT_HEADERS
        .iter()
        .filter_map(|name| {
            res.headers()
                .get(*name)
                .and_then(|v| v.to_str().ok())
                .map(|v| ((*name).to_owned(), v.to_owned()))
        })
        .collect();
    let (mut head, body) = res.into_parts();
    let bytes = to_bytes(body)
        .await
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("response body unreadable")))?;
    let stored = Stored {
        fingerprint: print,
        status: status.as_u16(),
        headers,
        body: bytes.to_vec(),
    };
    if let Ok(json) = serde_json::to_vec(&stored)
        && let Err(err) = cache.set(&done_key, &json, KEEP).await
        && !err.is_paused()
    {
        tracing::error!(error = %err, "cannot store an idempotent answer");
    }
    let _ = cache.delete(&busy_key).await;
    head.headers_mut().remove(header::CONTENT_LENGTH);
    let rebuilt = head.set_body(BoxBody::new(bytes));
    Ok(ServiceResponse::new(http_req, rebuilt))
}
