//! Checks every JSON request body before a handler reads it, for what serde would let through:
//! a body that is not a JSON object (serde reads a struct from an array as readily as from an
//! object), and the escaped NUL character `\u0000` (meaningless in any text Haven keeps, and
//! refused by PostgreSQL in text columns and parameters). Every request body Haven reads is a
//! JSON object. The query string is checked for the NUL character too (`%00`), since its
//! values reach the database as parameters just as a body's texts do.
//!
//! It also writes a number with a zero fraction (`58.0`, `5e2`) as the integer it is. The
//! OpenAPI document's JSON Schema counts such a number as an `integer`, so a client is entitled
//! to send it; serde would refuse it for an integer field.

use crate::error::ApiError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError as _, web};

/// Whether the request declares a JSON body.
fn declares_json(req: &ServiceRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|essence| essence.trim().to_ascii_lowercase())
        .is_some_and(|essence| essence == "application/json" || essence.ends_with("+json"))
}

/// What is wrong with a JSON body, if it is one of the things this guard refuses.
fn refusal(body: &[u8]) -> Option<ApiError> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace())?;
    if *first != b'{' {
        return Some(ApiError::bad_request(
            "invalid_body",
            "The request body must be a JSON object.",
        ));
    }
    if has_escaped_nul(body) {
        return Some(ApiError::bad_request(
            "nul_character",
            "Text in the request body must not contain the NUL character (\\u0000).",
        ));
    }
    None
}

/// Whether the JSON text holds `\u0000` as an escape (not as an escaped backslash followed by
/// the letters `u0000`). A raw NUL byte is not valid JSON, and the parser refuses it itself.
fn has_escaped_nul(body: &[u8]) -> bool {
    let mut backslashes = 0usize;
    for (i, byte) in body.iter().enumerate() {
        if *byte == b'\\' {
            backslashes += 1;
            continue;
        }
        if backslashes % 2 == 1 && *byte == b'u' && body.get(i + 1..i + 5) == Some(b"0000") {
            return true;
        }
        backslashes = 0;
    }
    false
}

/// The body with every number that has a zero fraction written as an integer (`58.0` as `58`,
/// `5e2` as `500`), or `None` when there is none. Only numbers exactly representable as
/// integers (up to 2^53) are rewritten; text inside strings is left alone, and so is the rest
/// of the body byte for byte (key order, duplicate keys, spacing), so that the extractor
/// still refuses what it refused before.
fn integral_numbers(body: &[u8]) -> Option<Vec<u8>> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut i = 0usize;
    while i < body.len() {
        let byte = body[i];
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if byte == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if byte != b'-' && !byte.is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < body.len() && matches!(body[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
            i += 1;
        }
        let token = &body[start..i];
        if !token.iter().any(|b| matches!(b, b'.' | b'e' | b'E')) {
            continue;
        }
        let Some(value) = std::str::from_utf8(token)
            .ok()
            .and_then(|t| t.parse::<f64>().ok())
        else {
            continue;
        };
        if value.fract() != 0.0 || value.abs() > EXACT {
            continue;
        }
        #[allow(clippy::cast_possible_truncation)] // integral and within 2^53: exact
        let integer = value as i64;
        let buf = out.get_or_insert_with(|| Vec::with_capacity(body.len()));
        buf.extend_from_slice(&body[copied..start]);
        buf.extend_from_slice(integer.to_string().as_bytes());
        copied = i;
    }
    let mut buf = out?;
    buf.extend_from_slice(&body[copied..]);
    Some(buf)
}

/// The problem for a body that could not be read whole: over the limit (413), or cut off.
#[must_use]
pub fn unreadable(err: &Error) -> ApiError {
    match err.as_error::<PayloadError>() {
        Some(PayloadError::Overflow) => ApiError::PayloadTooLarge(
            "The request body is larger than the configured limit.".into(),
        ),
        _ => ApiError::bad_request("unreadable_body", "The request body could not be read."),
    }
}

/// Whether the query string encodes the NUL character. A raw NUL byte never gets this far: the
/// request line refuses it.
fn query_has_nul(query: &str) -> bool {
    query.contains("%00")
}

/// See the module documentation.
///
/// # Errors
/// Whatever the handler answers; the guard's own refusals are answered as responses.
pub async fn check(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if query_has_nul(req.query_string()) {
        let err = ApiError::bad_request(
            "nul_character",
            "Text in the query string must not contain the NUL character (%00).",
        );
        let (http_req, _) = req.into_parts();
        return Ok(ServiceResponse::new(http_req, err.error_response()));
    }
    let has_body = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH);
    if !has_body || !declares_json(&req) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let body = match req.extract::<web::Bytes>().await {
        Ok(body) => body,
        Err(err) => {
            let (http_req, _) = req.into_parts();
            return Ok(ServiceResponse::new(
                http_req,
                unreadable(&err).error_response(),
            ));
        }
    };
    if let Some(err) = refusal(&body) {
        let (http_req, _) = req.into_parts();
        return Ok(ServiceResponse::new(http_req, err.error_response()));
    }
    let body = integral_numbers(&body).map_or(body, web::Bytes::from);
    let (_, mut payload) = actix_http::h1::Payload::create(true);
    payload.unread_data(body);
    req.set_payload(payload.into());
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_nul_is_found_and_an_escaped_backslash_is_not_one() {
        assert!(has_escaped_nul(br#"{"a": "x\u0000y"}"#));
        assert!(has_escaped_nul(br#"{"a": "\\\u0000"}"#));
        assert!(!has_escaped_nul(br#"{"a": "\\u0000"}"#));
        assert!(!has_escaped_nul(br#"{"a": "u0000 \u00e9"}"#));
    }

    #[test]
    fn an_encoded_nul_in_the_query_is_found_and_an_encoded_percent_sign_is_not_one() {
        assert!(query_has_nul("q=a%00b"));
        assert!(query_has_nul("limit=5&country=%00"));
        assert!(!query_has_nul("q=%2500"));
        assert!(!query_has_nul("q=100%25&limit=50"));
        assert!(!query_has_nul(""));
    }

    #[test]
    fn a_number_with_a_zero_fraction_is_written_as_the_integer_it_is() {
        let rewrite = |body: &str| {
            integral_numbers(body.as_bytes()).map(|b| String::from_utf8(b).unwrap_or_default())
        };
        assert_eq!(
            rewrite(r#"{"a": 58.0, "b": [1.50, -3.000, 5e2, 0.0], "c": 7}"#).as_deref(),
            Some(r#"{"a": 58, "b": [1.50, -3, 500, 0], "c": 7}"#)
        );
        // Inside strings, including after an escaped quote, nothing changes.
        assert_eq!(rewrite(r#"{"a": "58.0", "b": "say \"1.0\" 2.0"}"#), None);
        assert_eq!(
            rewrite(r#"{"a": "x\\", "b": 2.0}"#).as_deref(),
            Some(r#"{"a": "x\\", "b": 2}"#)
        );
        // Fractions, integers and numbers beyond exact integers stay as they are.
        assert_eq!(
            rewrite(r#"{"a": 1.5, "b": 12, "c": 1e300, "d": -0.25}"#),
            None
        );
        // Duplicate keys are kept, for the extractor to refuse.
        assert_eq!(
            rewrite(r#"{"a": 1.0, "a": 2}"#).as_deref(),
            Some(r#"{"a": 1, "a": 2}"#)
        );
    }

    #[test]
    fn only_objects_pass() {
        assert!(refusal(b" {\"a\": 1}").is_none());
        assert!(refusal(b"[1]").is_some());
        assert!(refusal(b"\"text\"").is_some());
        assert!(refusal(b"null").is_some());
        // An empty body is left to the extractor, which names it.
        assert!(refusal(b"").is_none());
    }
}
