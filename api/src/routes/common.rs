//! Shared pieces of the routes: pagination and client addresses.

use crate::error::{ApiError, FieldError};
use actix_web::HttpRequest;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

/// `?limit=&cursor=` of every collection.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The most items one page holds.
pub const MAX_PAGE: u64 = 200;

/// What a page holds when `limit` is not given.
pub const DEFAULT_PAGE: u64 = 50;

/// The page size asked for: [`DEFAULT_PAGE`] when absent.
///
/// # Errors
/// 400 `invalid_query` when it is not between 1 and [`MAX_PAGE`]: a client asking for more
/// than a page holds learns so, instead of getting fewer items than it asked for.
pub fn page_limit(limit: Option<u64>) -> Result<u64, ApiError> {
    match limit {
        None => Ok(DEFAULT_PAGE),
        Some(limit) if (1..=MAX_PAGE).contains(&limit) => Ok(limit),
        Some(_) => Err(ApiError::BadRequest {
            code: "invalid_query",
            detail: format!("`limit` must be between 1 and {MAX_PAGE}."),
            errors: vec![limit_error()],
        }),
    }
}

/// What is wrong with a `limit` out of bounds.
#[must_use]
pub fn limit_error() -> FieldError {
    FieldError {
        field: "limit".to_owned(),
        message: format!("must be between 1 and {MAX_PAGE}"),
    }
}

/// The answer to a cursor this API did not give out.
#[must_use]
pub fn invalid_cursor() -> ApiError {
    ApiError::bad_request("invalid_cursor", "The cursor is not one this API gave out.")
}

/// Reads a cursor that is an id.
///
/// # Errors
/// 400 when the cursor is malformed.
pub fn id_cursor(cursor: Option<&str>) -> Result<Option<Uuid>, ApiError> {
    cursor
        .map(|c| Uuid::try_parse(c).map_err(|_| invalid_cursor()))
        .transpose()
}

/// The next cursor: the last id when the page is full.
#[must_use]
pub fn next_cursor<T>(items: &[T], limit: u64, id: impl Fn(&T) -> String) -> Option<String> {
    (items.len() as u64 >= limit)
        .then(|| items.last().map(id))
        .flatten()
}

/// The client's address: the peer, or the first `X-Forwarded-For` hop when configured.
#[must_use]
pub fn client_ip(req: &HttpRequest, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for && let Some(ip) = req.connection_info().realip_remote_addr() {
        return ip.to_owned();
    }
    req.peer_addr()
        .map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string())
}

/// For fields where "absent" and "null" differ: absent leaves a value alone (`None`), `null`
/// clears it (`Some(None)`).
///
/// # Errors
/// When the value is not of the field's type.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
