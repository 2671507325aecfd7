//! The request a piece of domain work runs for, so audit events can name it without every
//! service taking it as an argument.

tokio::task_local! {
    static REQUEST_ID: String;
}

/// Runs `fut` as part of the request `id`.
pub async fn with_request_id<F: Future>(id: String, fut: F) -> F::Output {
    REQUEST_ID.scope(id, fut).await
}

/// The current request's id, if the work runs for a request.
#[must_use]
pub fn request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}
