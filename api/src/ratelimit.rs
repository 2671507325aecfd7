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
    match cache.incr_window(&format!("rl:{key}"), window).await {
        Ok((count, left)) if count > max => Err(ApiError::TooManyRequests {
            retry_after: left.as_secs().max(1),
        }),
        Ok(_) => Ok(()),
        Err(err) => {
            tracing::error!(error = %err, "rate limiter unavailable; request allowed");
            Ok(())
        }
    }
}

/// Counts one hit on each `(key, max)` in one round trip and refuses the request when any is
/// past its `max` per `window` (with the longest wait among them).
///
/// # Errors
/// [`ApiError::TooManyRequests`] with the seconds until the windows reset.
pub async fn hit_all(
    cache: &Cache,
    limits: &[(String, u64)],
    window: Duration,
) -> Result<(), ApiError> {
    let keys: Vec<String> = limits.iter().map(|(key, _)| format!("rl:{key}")).collect();
    match cache.incr_windows(&keys, window).await {
        Ok(counts) => {
            let wait = limits
                .iter()
                .zip(counts)
                .filter(|((_, max), (count, _))| count > max)
                .map(|(_, (_, left))| left.as_secs().max(1))
                .max();
            match wait {
                Some(retry_after) => Err(ApiError::TooManyRequests { retry_after }),
                None => Ok(()),
            }
        }
        Err(err) => {
            tracing::error!(error = %err, "rate limiter unavailable; request allowed");
            Ok(())
        }
    }
}

/// Forgets the count on `key` (after a successful login).
pub async fn reset(cache: &Cache, key: &str) {
    let _ = cache.delete(&format!("rl:{key}")).await;
}
