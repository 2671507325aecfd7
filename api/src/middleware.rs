//! The one middleware every request passes through: it assigns the request id, opens the
//! request's tracing span, turns panics into 500 problems, makes sure every error response is
//! a problem document in the caller's language, records Prometheus metrics and writes one log
//! line per request.

use crate::error::{PROBLEM_JSON, Problem};
use crate::locale::Lang;
use crate::metrics::HttpMetrics;
use crate::request_id::{self, RequestId};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage as _, HttpResponse, ResponseError, web};
use futures_util::FutureExt as _;
use std::panic::AssertUnwindSafe;
use std::time::Instant;
use tracing::Instrument as _;

/// See the module documentation.
///
/// # Errors
/// Never: every failure is turned into a problem response.
pub async fn observe(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let id = RequestId::from_incoming(
        req.headers()
            .get(request_id::HEADER)
            .and_then(|v| v.to_str().ok()),
    );
    req.extensions_mut().insert(id.clone());
    let lang = Lang::negotiate(&req);
    let method = req.method().clone();
    // HEAD is GET without the body (RFC 9110, section 9.3.2): it is routed as GET, and the HTTP
    // layer, which read the request line itself, sends the answer's headers and not its body.
    if method == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    let metrics = req.app_data::<web::Data<HttpMetrics>>().cloned();

    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %method,
        route = tracing::field::Empty,
        tenant_id = tracing::field::Empty,
        user_id = tracing::field::Empty,
    );

    // The request must not be cloned across `next.call`: routing needs it unshared. A failure
    // below this point therefore leaves as an `Err`, which actix answers with the problem.
    let outcome = id
        .clone()
        .scope(AssertUnwindSafe(next.call(req)).catch_unwind())
        .instrument(span.clone())
        .await;

    let response = match outcome {
        Ok(Ok(res)) => res.map_into_boxed_body(),
        Ok(Err(err)) => {
            let status = err.as_response_error().status_code();
            return Err(finish_failure(
                &span,
                metrics.as_ref().map(|m| m.get_ref()),
                &method,
                &id,
                lang,
                status,
                started,
            )
            .into());
        }
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-text panic payload".to_owned());
            span.in_scope(|| tracing::error!(panic = %message, "handler panicked"));
            return Err(finish_failure(
                &span,
                metrics.as_ref().map(|m| m.get_ref()),
                &method,
                &id,
                lang,
                StatusCode::INTERNAL_SERVER_ERROR,
                started,
            )
            .into());
        }
    };

    let mut response = localise(ensure_problem(response, &id), lang);
    response.headers_mut().insert(
        HeaderName::from_static(request_id::HEADER),
        HeaderValue::from_str(id.as_str()).unwrap_or_else(|_| HeaderValue::from_static("invalid")),
    );

    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    record(
        &span,
        metrics.as_ref().map(|m| m.get_ref()),
        &method,
        &route,
        response.status(),
        started,
    );
    Ok(response)
}

fn record(
    span: &tracing::Span,
    metrics: Option<&HttpMetrics>,
    method: &Method,
    route: &str,
    status: StatusCode,
    started: Instant,
) {
    let elapsed = started.elapsed();
    let status = status.as_u16();
    span.record("route", route);
    if let Some(metrics) = metrics {
        metrics.observe(method.as_str(), route, status, elapsed);
    }
    span.in_scope(|| {
        let latency_ms = elapsed.as_secs_f64() * 1000.0;
        if status >= 500 {
            tracing::error!(status, latency_ms, "request completed");
        } else {
            tracing::info!(status, latency_ms, "request completed");
        }
    });
}

/// Records a request that failed below the middleware and builds its answer.
fn finish_failure(
    span: &tracing::Span,
    metrics: Option<&HttpMetrics>,
    method: &Method,
    id: &RequestId,
    lang: Lang,
    status: StatusCode,
    started: Instant,
) -> FailedRequest {
    record(span, metrics, method, "unmatched", status, started);
    let (code, detail) = generic_problem(status);
    let mut problem = Problem::new(status, code, detail);
    problem.instance = id.as_str().to_owned();
    FailedRequest {
        problem: problem.localised(lang),
        lang,
        request_id: id.clone(),
    }
}

/// A request that failed beneath the middleware (a panic, a service error).
#[derive(Debug)]
struct FailedRequest {
    problem: Problem,
    lang: Lang,
    request_id: RequestId,
}

impl std::fmt::Display for FailedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "request {} failed", self.request_id)
    }
}

impl ResponseError for FailedRequest {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = self.problem.clone().into_response();
        response.headers_mut().insert(
            HeaderName::from_static(request_id::HEADER),
            HeaderValue::from_str(self.request_id.as_str())
                .unwrap_or_else(|_| HeaderValue::from_static("invalid")),
        );
        language_headers(response.headers_mut(), self.lang);
        response
    }
}

fn generic_problem(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::NOT_FOUND => ("not_found", "No resource exists at this address."),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "This resource does not support the request method.",
        ),
        s if s.is_server_error() => (
            "internal_error",
            "The server could not complete the request. Quote the instance when reporting it.",
        ),
        _ => ("bad_request", "The request could not be processed."),
    }
}

fn is_problem(headers: &header::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON))
}

fn language_headers(headers: &mut header::HeaderMap, lang: Lang) {
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.as_str()),
    );
    headers.append(header::VARY, HeaderValue::from_static("accept-language"));
}

/// Writes a problem document's texts in the caller's language and says which it is. Bodies
/// that are not whole in memory, or not a problem Haven wrote, pass unchanged.
fn localise(response: ServiceResponse<BoxBody>, lang: Lang) -> ServiceResponse<BoxBody> {
    if response.status().as_u16() < 400 || !is_problem(response.headers()) {
        return response;
    }
    let (req, res) = response.into_parts();
    let (mut head, body) = res.into_parts();
    let body = match body.try_into_bytes() {
        Ok(bytes) => {
            let localised = if lang == Lang::En {
                None
            } else {
                serde_json::from_slice::<Problem>(&bytes)
                    .ok()
                    .and_then(|problem| serde_json::to_vec(&problem.localised(lang)).ok())
            };
            head.headers_mut().remove(header::CONTENT_LENGTH);
            // A body that could not be read back stays in English, and says so.
            let sent_in = if localised.is_some() { lang } else { Lang::En };
            language_headers(head.headers_mut(), sent_in);
            localised.map_or_else(|| BoxBody::new(bytes), BoxBody::new)
        }
        Err(body) => body,
    };
    ServiceResponse::new(req, head.set_body(body))
}

/// Replaces the body of any error response that is not already a problem document (the
/// router's 404, a 405, an extractor's default error) with one for its status.
fn ensure_problem(response: ServiceResponse<BoxBody>, id: &RequestId) -> ServiceResponse<BoxBody> {
    let status = response.status();
    if status.as_u16() < 400 {
        return response;
    }
    if is_problem(response.headers()) {
        return response;
    }
    let (code, detail) = generic_problem(status);
    let mut problem = Problem::new(status, code, detail);
    problem.instance = id.as_str().to_owned();
    let (req, old) = response.into_parts();
    let mut replacement: HttpResponse = problem.into_response();
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            replacement
                .headers_mut()
                .append(name.clone(), value.clone());
        }
    }
    ServiceResponse::new(req, replacement)
}
