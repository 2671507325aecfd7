//! Checks every JSON request body before a handler reads it, for what serde would let through:
//! a body that is not a JSON object (serde reads a struct from an array as readily as from an
//! object), and the escaped NUL character `\u0000` (meaningless in any text Haven keeps, and
//! refused by PostgreSQL in text columns and parameters). Every request body Haven reads is a
//! JSON object. The query string is checked for the NUL character too (`%00`), since its
//! values reach the database as parameters just as a body's texts do.

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
    fn only_objects_pass() {
        assert!(refusal(b" {\"a\": 1}").is_none());
        assert!(refusal(b"[1]").is_some());
        assert!(refusal(b"\"text\"").is_some());
        assert!(refusal(b"null").is_some());
        // An empty body is left to the extractor, which names it.
        assert!(refusal(b"").is_none());
    }
}
