//! The opt-in cookie mode of the sign-in endpoints, for browser apps: the refresh token travels
//! in an `HttpOnly`, `Secure`, `SameSite=Strict` cookie scoped to `/api/v1/auth`, so script on
//! the page never holds it. A client asks for it with the request header
//! `X-Haven-Session: cookie`; without that header the endpoints keep the body mode that
//! integrations use, and the cookie is never read. The header doubles as the CSRF guard: a
//! cross-site form or image cannot send a custom header, and a cross-site script would need a
//! CORS preflight that Haven never grants.

use actix_web::HttpRequest;
use actix_web::HttpResponse;
use actix_web::http::header::{self, HeaderValue};

/// The request header that selects cookie mode.
pub const SESSION_HEADER: &str = "x-haven-session";
/// The value of [`SESSION_HEADER`] that selects cookie mode.
pub const COOKIE_MODE: &str = "cookie";
/// Name of the refresh cookie.
pub const REFRESH_COOKIE: &str = "haven_refresh";
/// The only path the browser sends the cookie to.
pub const COOKIE_PATH: &str = "/api/v1/auth";

/// Whether the request asks for cookie mode.
#[must_use]
pub fn requested(req: &HttpRequest) -> bool {
    req.headers()
        .get(SESSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(COOKIE_MODE))
}

/// The refresh token from the request's cookie, if it carries one.
#[must_use]
pub fn refresh_token(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == REFRESH_COOKIE)
        .map(|(_, value)| value.trim_matches('"').to_owned())
        .filter(|value| !value.is_empty())
}

fn cookie(value: &str, max_age: u64) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "{REFRESH_COOKIE}={value}; Path={COOKIE_PATH}; Max-Age={max_age}; HttpOnly; Secure; SameSite=Strict"
    ))
    .ok()
}

/// Adds the cookie holding `token` (which lives at most `max_age` seconds) to the response.
pub fn set(response: &mut HttpResponse, token: &str, max_age: u64) {
    if let Some(value) = cookie(token, max_age) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// Adds an expired, empty cookie to the response, so the browser forgets the refresh token.
pub fn clear(response: &mut HttpResponse) {
    if let Some(value) = cookie("", 0) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}
