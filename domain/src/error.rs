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

    /// Notes `field` unless `text` is 1 to `max` characters on one line (no control
    /// characters, not only blanks).
    pub fn one_line(&mut self, field: &str, text: &str, max: usize) {
        if text.trim().is_empty()
            || text.chars().count() > max
            || text.chars().any(char::is_control)
        {
            self.note(field, format!("must be 1 to {max} characters on one line"));
        }
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

/// Whether a database call failed because its connection went away (the server terminated it,
/// the socket broke, the pool closed or timed out), rather than because of the statement: a
/// later attempt can succeed.
#[must_use]
pub fn lost_connection(err: &DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    sqlx_cause(err).is_some_and(|cause| {
        matches!(
            cause,
            Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed
        ) || broken_connection(cause)
    })
}

/// Whether a statement failed on a connection the pool had handed out because that connection
/// was already dead (terminated by the server, socket closed). Waiting for the pool or failing
/// to connect is not this: a fresh connection cannot help there.
#[must_use]
pub fn stale_connection(err: &DbErr) -> bool {
    sqlx_cause(err).is_some_and(broken_connection)
}

fn sqlx_cause(err: &DbErr) -> Option<&sea_orm::sqlx::Error> {
    use sea_orm::RuntimeErr;
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(cause))
        | DbErr::Query(RuntimeErr::SqlxError(cause))
        | DbErr::Conn(RuntimeErr::SqlxError(cause)) => Some(cause.as_ref()),
        _ => None,
    }
}

fn broken_connection(cause: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    match cause {
        Sqlx::Io(_) | Sqlx::Tls(_) | Sqlx::Protocol(_) => true,
        // SQLSTATE class 08 (connection exception) and 57P (the server shut the session down).
        Sqlx::Database(db) => db
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
        _ => false,
    }
}
