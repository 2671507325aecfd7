//! Fixed-window rate limits on the shared cache (Redis in the SaaS profile, so every replica
//! counts together). A limit that is hit answers 429 with `Retry-After`. When the shared cache
//! fails, the same limits are counted in this process alone ([`AppState::local_limits`]):
//! an outage of the cache neither becomes an outage of Haven nor lifts the limits (sign-in
//! guessing above all). With several replicas each counts its own share meanwhile, so a client
//! spread over them gets up to that many times the limit until the cache answers again.

use crate::error::ApiError;
use crate::state::AppState;
use haven_domain::cache::Cache;
use std::time::Duration;

/// Counts one hit on `key` and refuses it past `max` per `window`.
///
/// # Errors
/// [`ApiError::TooManyRequests`] with the seconds until the window resets.
pub async fn hit(state: &AppState, key: &str, max: u64, window: Duration) -> Result<(), ApiError> {
    let key = counter(key);
    let count = match state.cache.incr_window(&key, window).await {
        Ok(count) => Some(count),
        Err(err) => {
            if !err.is_paused() {
                tracing::error!(error = %err, "shared rate limiter unavailable; counting in this process");
            }
            state.local_limits.incr_window(&key, window).await.ok()
        }
    };
    match count {
        Some((count, left)) if count > max => Err(ApiError::TooManyRequests {
            retry_after: left.as_secs().max(1),
        }),
        _ => Ok(()),
    }
}

/// The cache key of the rate-limit counter `key`.
#[must_use]
pub fn counter(key: &str) -> String {
    format!("rl:{key}")
}

/// Adds one to each of `counters` in this process's own store; `None` only if that fails too
/// (it does not: it is memory), and then the request goes through.
pub async fn count_locally(
    local: &Cache,
    counters: &[String],
    window: Duration,
) -> Option<Vec<(u64, Duration)>> {
    match local.incr_windows(counters, window).await {
        Ok(counts) => Some(counts),
        Err(err) => {
            tracing::error!(error = %err, "local rate limiter unavailable; request allowed");
            None
        }
    }
}

/// Judges `counts` (see [`haven_domain::auth::authenticate_metered`]) against their `maxima`,
/// in the same order: refused when any is past its maximum, with the longest wait among them.
/// Without counts the request is let through.
///
/// # Errors
/// [`ApiError::TooManyRequests`] with the seconds until the windows reset.
pub fn judge(maxima: &[u64], counts: Option<Vec<(u64, Duration)>>) -> Result<(), ApiError> {
    let Some(counts) = counts else {
        return Ok(());
    };
    let wait = maxima
        .iter()
        .zip(counts)
        .filter(|(max, (count, _))| count > *max)
        .map(|(_, (_, left))| left.as_secs().max(1))
        .max();
    match wait {
        Some(retry_after) => Err(ApiError::TooManyRequests { retry_after }),
        None => Ok(()),
    }
}

/// Forgets the count on `key` (after a successful login), in both stores.
pub async fn reset(state: &AppState, key: &str) {
    let key = counter(key);
    let _ = state.cache.delete(&key).await;
    let _ = state.local_limits.delete(&key).await;
}
