//! Request ids. Each request gets one — the caller's `X-Request-Id` when it is a sensible
//! token, a fresh UUIDv7 otherwise — carried in logs, in every response header and as the
//! `instance` of problem documents.

use std::fmt;

/// Header carrying the request id both ways.
pub const HEADER: &str = "x-request-id";

/// The id of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(String);

impl RequestId {
    /// Accepts an incoming id of 1–128 characters from `[A-Za-z0-9._:-]`; anything else is
    /// replaced, so ids are safe to log and to echo.
    #[must_use]
    pub fn from_incoming(value: Option<&str>) -> Self {
        match value {
            Some(v)
                if !v.is_empty()
                    && v.len() <= 128
                    && v.bytes().all(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-')
                    }) =>
            {
                Self(v.to_owned())
            }
            _ => Self::generate(),
        }
    }

    /// A fresh id.
    #[must_use]
    pub fn generate() -> Self {
        Self(uuid::Uuid::now_v7().to_string())
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Runs `fut` with this id as the current request's id (for problem documents here and
    /// audit events in the domain).
    pub async fn scope<F: Future>(self, fut: F) -> F::Output {
        haven_domain::context::with_request_id(self.0, fut).await
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The current request's id, for problem documents built deep in a handler.
#[must_use]
pub fn current_instance() -> String {
    haven_domain::context::request_id().unwrap_or_else(|| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensible_incoming_ids_are_kept_and_others_replaced() {
        assert_eq!(
            RequestId::from_incoming(Some("abc-123_x.y:z")).as_str(),
            "abc-123_x.y:z"
        );
        for bad in ["", "has space", "new\nline", "<script>", &"a".repeat(129)] {
            let id = RequestId::from_incoming(Some(bad));
            assert_ne!(id.as_str(), bad);
            assert!(uuid::Uuid::parse_str(id.as_str()).is_ok());
        }
    }
}
