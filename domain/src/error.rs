//! Errors the domain services report. The API maps each to a problem document.

use sea_orm::DbErr;

/// One invalid input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: String,
    pub message: String,
}

impl Invalid {
    #[must_use]
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// Why a credential was refused. Callers see one message for all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    BadCredentials,
    InvalidToken,
    ExpiredToken,
    TokenReused,
    Inactive,
}

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Invalid(Vec<Invalid>),
    #[error("conflict: {message}")]
    Conflict { code: &'static str, message: String },
    #[error("authentication failed: {0:?}")]
    Unauthenticated(AuthFailure),
    #[error("forbidden")]
    Forbidden,
    /// The credentials fit accounts in several tenants; the caller must name one.
    #[error("tenant required")]
    TenantRequired(Vec<String>),
    #[error("precondition failed")]
    PreconditionFailed,
    /// The write needs `If-Match` with the version the caller last read.
    #[error("precondition required")]
    PreconditionRequired,
    #[error("database error")]
    Db(#[from] DbErr),
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl DomainError {
    #[must_use]
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![Invalid::new(field, message)])
    }

    #[must_use]
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }
}

pub type DomainResult<T> = Result<T, DomainError>;

/// Gathers every invalid field of an input, so one answer lists them all.
#[derive(Default)]
pub struct Validator(Vec<Invalid>);

impl Validator {
    /// Keeps the value, or notes why it is invalid.
    pub fn take<T>(&mut self, result: DomainResult<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(DomainError::Invalid(mut list)) => {
                self.0.append(&mut list);
                None
            }
            Err(other) => {
                self.0.push(Invalid::new("", other.to_string()));
                None
            }
        }
    }

    /// Notes an invalid field directly.
    pub fn note(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(Invalid::new(field, message));
    }

    /// `Ok` when nothing was invalid.
    ///
    /// # Errors
    /// [`DomainError::Invalid`] with every note.
    pub fn finish(self) -> DomainResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(self.0))
        }
    }
}
