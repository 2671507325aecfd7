//! Shared pieces of the routes: pagination and client addresses.

use crate::error::{ApiError, FieldError};
use actix_web::HttpRequest;
use actix_web::http::header;
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

/// A filter that takes an ISO 3166-1 alpha-2 country code, in either case, upper-cased as the
/// columns store it. Its parameter is documented with the pattern `^[A-Za-z]{2}$`.
///
/// # Errors
/// 400 `invalid_query` when it is not two letters, so that `BEL` or `Belgium` is answered
/// with what the filter takes rather than with an empty page. A code of that form that no
/// record carries (`ZZ`) finds nothing.
pub fn country_filter(field: &str, raw: Option<String>) -> Result<Option<String>, ApiError> {
    country_code(field, raw).map_err(filter_error)
}

/// [`country_filter`]'s check for a field of a body: what is wrong with it, for a 422.
///
/// # Errors
/// The field's error when it is not two letters.
pub fn country_code(field: &str, raw: Option<String>) -> Result<Option<String>, FieldError> {
    let code = code_of(
        field,
        raw,
        2..=2,
        "must be an ISO 3166-1 alpha-2 country code",
    )?;
    Ok(code.map(|c| c.to_ascii_uppercase()))
}

/// A filter that takes a language code, in either case, lower-cased as the columns store it:
/// ISO 639-1 (two letters, pattern `^[A-Za-z]{2}$`) where `two_letters`, any ISO 639 code (two
/// or three letters, pattern `^[A-Za-z]{2,3}$`) otherwise.
///
/// # Errors
/// 400 `invalid_query` when it is not of that form.
pub fn language_filter(
    field: &str,
    raw: Option<String>,
    two_letters: bool,
) -> Result<Option<String>, ApiError> {
    let (letters, message) = if two_letters {
        (2..=2, "must be an ISO 639-1 code such as `en` or `fr`")
    } else {
        (2..=3, "must be an ISO 639 code such as `fr` or `tir`")
    };
    let code = code_of(field, raw, letters, message).map_err(filter_error)?;
    Ok(code.map(|c| c.to_ascii_lowercase()))
}

fn code_of(
    field: &str,
    raw: Option<String>,
    letters: std::ops::RangeInclusive<usize>,
    message: &str,
) -> Result<Option<String>, FieldError> {
    match raw {
        Some(code)
            if !(letters.contains(&code.len())
                && code.bytes().all(|b| b.is_ascii_alphabetic())) =>
        {
            Err(FieldError {
                field: field.to_owned(),
                message: message.to_owned(),
            })
        }
        code => Ok(code),
    }
}

fn filter_error(error: FieldError) -> ApiError {
    ApiError::BadRequest {
        code: "invalid_query",
        detail: "A filter in the query string is not a code of the form it takes.".to_owned(),
        errors: vec![error],
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

/// A JSON answer with an `ETag` taken from its own bytes: for single resources that change
/// only through their state transitions and keep no version of their own, the representation
/// is the version (RFC 9110, section 8.8.3: any change of it changes the tag).
///
/// # Errors
/// 500 when `body` cannot be written as JSON (it always can: a derived `Serialize`).
pub fn tagged_json<T: serde::Serialize>(
    mut builder: actix_web::HttpResponseBuilder,
    body: &T,
) -> Result<actix_web::HttpResponse, ApiError> {
    use sha2::Digest as _;
    let bytes = serde_json::to_vec(body).map_err(|e| ApiError::Internal(e.into()))?;
    let digest = sha2::Sha256::digest(&bytes);
    let tag = format!("\"{}\"", hex::encode(&digest[..16]));
    Ok(builder
        .insert_header((header::ETAG, tag))
        .content_type(actix_web::http::header::ContentType::json())
        .body(bytes))
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

/// The `If-Match` header, if sent (as text).
pub fn if_match(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
}
