//! RFC 9457 problem details. Every error Haven answers — from a handler, an extractor, the
//! router or a panic — leaves as `application/problem+json` with `type`, `title`, `status`,
//! `detail`, `instance` (the request id) and a stable snake_case `code`. Causes are logged,
//! never serialised.

use crate::locale::{self, Lang};
use crate::request_id;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::{Deserialize, Serialize};
use std::fmt;
use utoipa::ToSchema;

/// Media type of problem responses.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One invalid input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `admin.email`; empty for the body as a whole.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:haven:problem:not_found",
    "title": "Not Found",
    "status": 404,
    "detail": "No resource exists at this address.",
    "instance": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b",
    "code": "not_found"
}))]
pub struct Problem {
    /// A URI identifying the kind of problem.
    #[serde(rename = "type")]
    pub type_: String,
    /// Short, human-readable summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// Explanation specific to this occurrence; never contains internals or personal data.
    pub detail: String,
    /// Identifies this occurrence: the request id, also sent as `X-Request-Id`.
    pub instance: String,
    /// Stable machine-readable code.
    pub code: String,
    /// Invalid fields, for validation problems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For `tenant_required`: the tenants (slugs) whose accounts fit the credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenants: Option<Vec<String>>,
    /// For `illegal_transition`: the stages the case may move to from where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
}

impl Problem {
    /// A problem for `status` with a stable `code` and a safe `detail`.
    #[must_use]
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        Self {
            type_: format!("urn:haven:problem:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            instance: request_id::current_instance(),
            code: code.to_owned(),
            errors: Vec::new(),
            tenants: None,
            allowed: None,
        }
    }

    #[must_use]
    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    /// This problem with its title, detail and field messages in `lang`.
    #[must_use]
    pub fn localised(mut self, lang: Lang) -> Self {
        if lang != Lang::En {
            self.title = locale::localise(lang, &self.title);
            self.detail = locale::localise(lang, &self.detail);
            for error in &mut self.errors {
                error.message = locale::localise(lang, &error.message);
            }
        }
        self
    }

    /// The HTTP response carrying this problem.
    #[must_use]
    pub fn into_response(self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)))
            .body(body)
    }
}

/// Errors a handler can answer with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not found")]
    NotFound,
    #[error("bad request: {detail}")]
    BadRequest {
        code: &'static str,
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("unsupported media type")]
    UnsupportedMediaType(String),
    #[error("payload too large")]
    PayloadTooLarge(String),
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("unauthenticated: {code}")]
    Unauthenticated {
        code: &'static str,
        detail: &'static str,
    },
    #[error("forbidden")]
    Forbidden(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("conflict: {code}")]
    Conflict { code: &'static str, detail: String },
    #[error("tenant required")]
    TenantRequired(Vec<String>),
    #[error("illegal transition")]
    IllegalTransition { from: String, allowed: Vec<String> },
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("precondition required")]
    PreconditionRequired,
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// A 400 for an input that is not understood.
    #[must_use]
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    /// The problem document for this error.
    #[must_use]
    pub fn problem(&self) -> Problem {
        match self {
            Self::NotFound => Problem::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "No resource exists at this address.",
            ),
            Self::BadRequest {
                code,
                detail,
                errors,
            } => Problem::new(StatusCode::BAD_REQUEST, code, detail.clone())
                .with_errors(errors.clone()),
            Self::UnsupportedMediaType(detail) => Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                detail.clone(),
            ),
            Self::PayloadTooLarge(detail) => Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                detail.clone(),
            ),
            Self::Unavailable(detail) => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "service_unavailable",
                detail.clone(),
            ),
            Self::Unauthenticated { code, detail } => {
                Problem::new(StatusCode::UNAUTHORIZED, code, *detail)
            }
            Self::Forbidden(detail) => {
                Problem::new(StatusCode::FORBIDDEN, "forbidden", detail.clone())
            }
            Self::Validation(errors) => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "Some fields are invalid; see `errors`.",
            )
            .with_errors(errors.clone()),
            Self::Conflict { code, detail } => {
                Problem::new(StatusCode::CONFLICT, code, detail.clone())
            }
            Self::TenantRequired(slugs) => {
                let mut problem = Problem::new(
                    StatusCode::CONFLICT,
                    "tenant_required",
                    "These credentials fit accounts in several organisations: name one with `tenant`.",
                );
                problem.tenants = Some(slugs.clone());
                problem
            }
            Self::IllegalTransition { from, allowed } => {
                let mut problem = Problem::new(
                    StatusCode::CONFLICT,
                    "illegal_transition",
                    format!(
                        "A case in `{from}` can move to: {}.",
                        if allowed.is_empty() {
                            "nowhere (it is closed)".to_owned()
                        } else {
                            allowed.join(", ")
                        }
                    ),
                );
                problem.allowed = Some(allowed.clone());
                problem
            }
            Self::PreconditionFailed => Problem::new(
                StatusCode::PRECONDITION_FAILED,
                "precondition_failed",
                "The resource changed since you read it: read it again and reapply your change.",
            ),
            Self::PreconditionRequired => Problem::new(
                StatusCode::PRECONDITION_REQUIRED,
                "precondition_required",
                "Send If-Match with the ETag you read, so a colleague's change is not overwritten.",
            ),
            Self::TooManyRequests { retry_after } => Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("Too many requests: try again in {retry_after} seconds."),
            ),
            Self::Internal(_) => Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "The server could not complete the request. Quote the instance when reporting it.",
            ),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.problem().status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(cause) = self {
            tracing::error!(error.cause_chain = %CauseChain(cause), "request failed");
        }
        let mut response = self.problem().into_response();
        match self {
            Self::Unauthenticated { .. } => {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"haven\", error=\"invalid_token\""),
                );
            }
            Self::TooManyRequests { retry_after } => {
                if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
            }
            _ => {}
        }
        response
    }
}

impl From<haven_domain::error::DomainError> for ApiError {
    fn from(err: haven_domain::error::DomainError) -> Self {
        use haven_domain::error::{AuthFailure, DomainError as D};
        match err {
            D::NotFound => Self::NotFound,
            D::Invalid(list) => Self::Validation(
                list.into_iter()
                    .map(|i| FieldError {
                        field: i.field,
                        message: i.message,
                    })
                    .collect(),
            ),
            D::Conflict { code, message } => Self::Conflict {
                code,
                detail: message,
            },
            D::TenantRequired(slugs) => Self::TenantRequired(slugs),
            D::Unauthenticated(failure) => match failure {
                AuthFailure::BadCredentials => Self::Unauthenticated {
                    code: "invalid_credentials",
                    detail: "The e-mail address or password is wrong.",
                },
                AuthFailure::Inactive => Self::Unauthenticated {
                    code: "account_inactive",
                    detail: "This account or its organisation is not active.",
                },
                AuthFailure::ExpiredToken => Self::Unauthenticated {
                    code: "token_expired",
                    detail: "The token has expired.",
                },
                AuthFailure::InvalidToken | AuthFailure::TokenReused => Self::Unauthenticated {
                    code: "invalid_token",
                    detail: "The token is not valid.",
                },
            },
            D::Forbidden => Self::Forbidden("Your roles do not allow this.".into()),
            D::PreconditionFailed => Self::PreconditionFailed,
            D::PreconditionRequired => Self::PreconditionRequired,
            D::Db(db) => db_error(db),
            D::Internal(cause) => Self::Internal(cause),
        }
    }
}

/// One mapping for database errors: unique violations are conflicts, time-outs and lost
/// connections are 503, the rest is internal.
#[must_use]
pub fn db_error(err: sea_orm::DbErr) -> ApiError {
    use sea_orm::{DbErr, SqlErr};
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            return ApiError::Conflict {
                code: "conflict",
                detail: "This would duplicate an existing record.".into(),
            };
        }
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
            return ApiError::Conflict {
                code: "conflict",
                detail: "This refers to a record that does not exist or is still in use.".into(),
            };
        }
        _ => {}
    }
    if haven_domain::error::lost_connection(&err) {
        tracing::error!(error = %err, "database connection lost");
        return ApiError::Unavailable("The database is not answering; try again shortly.".into());
    }
    match err {
        DbErr::RecordNotFound(_) => ApiError::NotFound,
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => {
            tracing::error!(error = %err, "database unavailable");
            ApiError::Unavailable("The database is not answering; try again shortly.".into())
        }
        other => ApiError::Internal(anyhow::Error::new(other)),
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        db_error(err)
    }
}

/// Formats an error with every cause, for logs only.
pub struct CauseChain<'a>(pub &'a anyhow::Error);

impl fmt::Display for CauseChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}", self.0)
    }
}

/// Maps JSON body errors: 415 for a wrong content type, 413 over the limit, 400 otherwise.
#[must_use]
pub fn json_error(err: &actix_web::error::JsonPayloadError) -> ApiError {
    use actix_web::error::JsonPayloadError as E;
    match err {
        E::ContentType => ApiError::UnsupportedMediaType(
            "The request body must be sent as application/json.".into(),
        ),
        E::OverflowKnownLength { limit, .. } | E::Overflow { limit } => ApiError::PayloadTooLarge(
            format!("The request body is larger than the limit of {limit} bytes."),
        ),
        E::Deserialize(inner) if inner.is_data() => {
            let message = safe_serde_message(&inner.to_string());
            let field = unknown_field(&message).unwrap_or_default();
            ApiError::BadRequest {
                code: "invalid_body",
                detail: format!("The request body does not match the expected shape: {message}."),
                errors: vec![FieldError { field, message }],
            }
        }
        E::Deserialize(inner) => ApiError::bad_request(
            "malformed_json",
            format!(
                "The request body is not valid JSON (line {}, column {}).",
                inner.line(),
                inner.column()
            ),
        ),
        _ => ApiError::bad_request("unreadable_body", "The request body could not be read."),
    }
}

/// Drops the offending value from a serde message (it may be personal data the client sent)
/// and the position suffix, keeping what was expected.
fn safe_serde_message(message: &str) -> String {
    let without_position = message
        .rsplit_once(" at line ")
        .map_or(message, |(head, _)| head);
    // serde quotes a submitted enum value or field name between backticks; keep a field name
    // only when it is a plain identifier, and never the value.
    for prefix in ["unknown variant `", "unknown field `"] {
        if let Some(rest) = without_position.strip_prefix(prefix) {
            let (name, expected) = rest.split_once("`, expected ").unwrap_or(("", ""));
            let kind = prefix.trim_end_matches(" `");
            let plain = !name.is_empty()
                && name.len() <= 64
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            return match (prefix.starts_with("unknown field"), plain) {
                (true, true) => format!("{kind} `{name}`, expected {expected}"),
                _ => format!("{kind}, expected {expected}"),
            };
        }
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = without_position.strip_prefix(prefix) {
            let expected = rest
                .split_once(", expected ")
                .map_or("", |(_, expected)| expected);
            let kind = rest.split([' ', ',']).next().unwrap_or("value");
            return format!("{prefix}{kind}, expected {expected}");
        }
    }
    without_position.to_owned()
}

fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split_once('`').map(|(field, _)| field.to_owned())
}

/// 400 for a malformed query string.
#[must_use]
pub fn query_error(err: &actix_web::error::QueryPayloadError) -> ApiError {
    let _ = err;
    ApiError::bad_request(
        "invalid_query",
        "The query string has an unknown parameter or a value of the wrong kind.",
    )
}

/// 400 for a malformed path parameter (e.g. an id that is not a UUID).
#[must_use]
pub fn path_error(err: &actix_web::error::PathError) -> ApiError {
    let _ = err;
    ApiError::bad_request("invalid_path", "A path parameter is malformed.")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use serde_json::json;

    fn body(err: &ApiError) -> serde_json::Value {
        serde_json::to_value(err.problem()).unwrap()
    }

    #[test]
    fn not_found_problem_has_the_exact_shape() {
        let value = body(&ApiError::NotFound);
        assert_eq!(
            value,
            json!({
                "type": "urn:haven:problem:not_found",
                "title": "Not Found",
                "status": 404,
                "detail": "No resource exists at this address.",
                "instance": value["instance"],
                "code": "not_found",
            })
        );
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let err = ApiError::Internal(anyhow::anyhow!("password=hunter2 in connection string"));
        let text = body(&err).to_string();
        assert!(!text.contains("hunter2"));
        assert!(text.contains("internal_error"));
    }

    #[test]
    fn serde_messages_never_echo_submitted_values() {
        assert_eq!(
            safe_serde_message(
                "invalid type: string \"Maria Doe\", expected u32 at line 1 column 20"
            ),
            "invalid type: string, expected u32"
        );
        assert_eq!(
            safe_serde_message("unknown field `tenant_id`, expected `name` at line 1 column 12"),
            "unknown field `tenant_id`, expected `name`"
        );
        assert_eq!(
            safe_serde_message(
                "unknown variant `<script>alert(1)</script>`, expected `low` or `high` at line 1 column 9"
            ),
            "unknown variant, expected `low` or `high`"
        );
        assert_eq!(
            safe_serde_message("unknown field `<img src=x>`, expected `name` at line 1 column 3"),
            "unknown field, expected `name`"
        );
        assert_eq!(
            unknown_field("unknown field `tenant_id`, expected `name`").as_deref(),
            Some("tenant_id")
        );
    }
}
