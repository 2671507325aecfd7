//! The small key-value store behind rate limits, token revocation, idempotency keys and
//! directory caching. Redis backs it in the SaaS profile (shared by every replica); an
//! in-process store backs it in the embedded profile. Both behave the same: keys expire,
//! counters are atomic, `set_if_absent` is a compare-and-set.

mod memory;
mod redis_store;

pub use memory::MemoryCache;
pub use redis_store::RedisCache;

use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;

/// A failure of the cache backend (never of a missing key).
#[derive(Debug, thiserror::Error)]
#[error("cache backend error: {message}")]
pub struct CacheError {
    message: String,
    paused: bool,
}

impl CacheError {
    pub(crate) fn backend(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            paused: false,
        }
    }

    /// A call refused without asking the backend, because it was found down a moment ago.
    pub(crate) fn paused(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            paused: true,
        }
    }

    /// Whether the backend was not asked because it was found down a moment ago. The outage
    /// was logged once when it was found (and is again when it ends), so callers need not log
    /// each of these: an outage of minutes would otherwise write a line per request.
    #[must_use]
    pub fn is_paused(&self) -> bool {
        self.paused
    }
}

/// Operations every cache backend offers. Keys are namespaced by the implementation.
#[async_trait]
pub trait CacheStore: Send + Sync + 'static {
    /// The value stored at `key`, if any and not expired.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError>;
    /// Stores `value` at `key` for `ttl`.
    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError>;
    /// Stores `value` only when `key` holds nothing; returns whether it was stored.
    async fn set_if_absent(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<bool, CacheError>;
    /// Removes `key`.
    async fn delete(&self, key: &str) -> Result<(), CacheError>;
    /// Adds one to the counter at `key`, starting a `window` expiry when the counter is new;
    /// returns the new count and the time left until it resets.
    async fn incr_window(&self, key: &str, window: Duration)
    -> Result<(u64, Duration), CacheError>;
    /// The values at `keys`, in their order (one round trip where the backend allows it).
    async fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, CacheError> {
        let mut values = Vec::with_capacity(keys.len());
        for key in keys {
            values.push(self.get(key).await?);
        }
        Ok(values)
    }
    /// [`CacheStore::incr_window`] on each of `keys`, in their order (one round trip where the
    /// backend allows it).
    async fn incr_windows(
        &self,
        keys: &[String],
        window: Duration,
    ) -> Result<Vec<(u64, Duration)>, CacheError> {
        let mut counts = Vec::with_capacity(keys.len());
        for key in keys {
            counts.push(self.incr_window(key, window).await?);
        }
        Ok(counts)
    }
    /// [`CacheStore::get_many`] on `keys` and [`CacheStore::incr_windows`] on `counters`,
    /// together (one round trip where the backend allows it).
    async fn get_many_and_count(
        &self,
        keys: &[String],
        counters: &[String],
        window: Duration,
    ) -> Result<(Vec<Option<Vec<u8>>>, Vec<(u64, Duration)>), CacheError> {
        let values = self.get_many(keys).await?;
        let counts = self.incr_windows(counters, window).await?;
        Ok((values, counts))
    }
    /// Checks that the backend answers.
    async fn ping(&self) -> Result<(), CacheError>;
    /// A short name of the backend for logs and health output.
    fn backend_name(&self) -> &'static str;
}

/// The shared handle the application passes around.
pub type Cache = Arc<dyn CacheStore>;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// The behaviour both backends must share; the Redis backend runs the same checks in the
    /// black-box suite when Redis is configured.
    pub(crate) async fn exercise(cache: &dyn CacheStore) {
        assert_eq!(cache.get("absent").await.unwrap(), None);
        cache
            .set("k", b"v1", Duration::from_secs(60))
            .await
            .unwrap();
        assert_eq!(cache.get("k").await.unwrap().as_deref(), Some(&b"v1"[..]));
        assert!(
            !cache
                .set_if_absent("k", b"v2", Duration::from_secs(60))
                .await
                .unwrap()
        );
        assert!(
            cache
                .set_if_absent("n", b"v3", Duration::from_secs(60))
                .await
                .unwrap()
        );
        cache.delete("k").await.unwrap();
        assert_eq!(cache.get("k").await.unwrap(), None);
        let (one, left) = cache
            .incr_window("c", Duration::from_secs(30))
            .await
            .unwrap();
        let (two, _) = cache
            .incr_window("c", Duration::from_secs(30))
            .await
            .unwrap();
        assert_eq!((one, two), (1, 2));
        assert!(left <= Duration::from_secs(30) && left > Duration::from_secs(25));
        let counts = cache
            .incr_windows(&["c".to_owned(), "d".to_owned()], Duration::from_secs(30))
            .await
            .unwrap();
        assert_eq!(counts.iter().map(|c| c.0).collect::<Vec<_>>(), [3, 1]);
        assert!(counts.iter().all(|c| c.1 <= Duration::from_secs(30)));
        cache.set("m", b"x", Duration::from_secs(60)).await.unwrap();
        assert_eq!(
            cache
                .get_many(&["n".to_owned(), "absent".to_owned(), "m".to_owned()])
                .await
                .unwrap(),
            [Some(b"v3".to_vec()), None, Some(b"x".to_vec())]
        );
        assert!(cache.get_many(&[]).await.unwrap().is_empty());
        let (values, counts) = cache
            .get_many_and_count(
                &["m".to_owned(), "absent".to_owned()],
                &["c".to_owned(), "e".to_owned()],
                Duration::from_secs(30),
            )
            .await
            .unwrap();
        assert_eq!(values, [Some(b"x".to_vec()), None]);
        assert_eq!(counts.iter().map(|c| c.0).collect::<Vec<_>>(), [4, 1]);
        assert!(counts.iter().all(|c| c.1 <= Duration::from_secs(30)));
        cache
            .set("short", b"x", Duration::from_millis(50))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert_eq!(
            cache.get("short").await.unwrap(),
            None,
            "expired keys vanish"
        );
        cache.ping().await.unwrap();
    }

    #[tokio::test]
    async fn memory_cache_behaves_like_a_cache() {
        exercise(&MemoryCache::new(10_000)).await;
    }
}
