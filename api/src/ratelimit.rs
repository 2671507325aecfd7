//! Fixed-window rate limits on the shared cache (Redis in the SaaS profile, so every replica
//! counts together). A limit that is hit answers 429 with `Retry-After`. When the cache itself
//! fails, requests are let through and the failure is logged: an outage of the cache must not
//! become an outage of Haven.

use crate::error::ApiError;
use haven_domain::cache::Cache;
use std::time::Duration;

/// Counts one hit on `key` and refuses it past `max` per `window`.
///
/// # Errors
/// [`ApiError::TooManyRequests`] with the seconds until the window resets.
pub async fn hit(cache: &Cache, key: &str, max: u64, window: Duration) -> Result<(), ApiError> {
    match cache.incr_window(&counter(key), window).await {
        Ok((count, left)) if count > max => Err(ApiError::TooManyRequests {
            retry_after: left.as_secs().max(1),
        }),
        Ok(_) => Ok(()),
        Err(err) => {
            if !err.is_paused() {
                tracing::error!(error = %err, "rate limiter unavailable; request allowed");
            }
            Ok(())
        }
    }
}

/// The cache key of the rate-limit counter `key`.
#[must_use]
pub fn counter(key: &str) -> String {
    format!("rl:{key}")
}

/// Judges counts already taken (see [`haven_domain::auth::authenticate_metered`]) against
/// their `maxima`, in the same order: refused when any is past its maximum, with the longest
/// wait among them. Without counts (the cache failed) the request is let through; the failure
/// was logged where it happened.
///
/// # Errors
/// [`ApiError::TooManyRequests`] with the seconds until the windows reset.
pub fn judge(maxima: &[u64], counts: Option<Vec<(u64, Duration)>>) -> Result<(), ApiError> {
    let Some(counts) = counts else {
        tracing::debug!("rate limiter unavailable; request allowed");
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

/// Forgets the count on `key` (after a successful login).
pub async fn reset(cache: &Cache, key: &str) {
    let _ = cache.delete(&counter(key)).await;
}
