//! In-process cache for the embedded profile, built on `moka` with per-entry expiry.

use super::{CacheError, CacheStore};
use async_trait::async_trait;
use moka::Expiry;
use moka::ops::compute::Op;
use moka::sync::Cache as MokaCache;
use std::time::{Duration, Instant};

#[derive(Clone)]
struct Entry {
    value: Vec<u8>,
    ttl: Duration,
    expires_at: Instant,
}

struct PerEntryExpiry;

impl Expiry<String, Entry> for PerEntryExpiry {
    fn expire_after_create(&self, _key: &String, value: &Entry, _now: Instant) -> Option<Duration> {
        Some(value.ttl)
    }

    fn expire_after_update(
        &self,
        _key: &String,
        value: &Entry,
        _now: Instant,
        _current: Option<Duration>,
    ) -> Option<Duration> {
        Some(value.ttl)
    }
}

/// The embedded profile's cache: bounded in size, entries expire individually.
#[derive(Clone)]
pub struct MemoryCache {
    inner: MokaCache<String, Entry>,
}

impl MemoryCache {
    /// A cache holding at most `max_entries` keys.
    #[must_use]
    pub fn new(max_entries: u64) -> Self {
        Self {
            inner: MokaCache::builder()
                .max_capacity(max_entries)
                .expire_after(PerEntryExpiry)
                .build(),
        }
    }

    fn live(&self, key: &str) -> Option<Entry> {
        self.inner
            .get(key)
            .filter(|entry| entry.expires_at > Instant::now())
    }
}

fn entry(value: Vec<u8>, ttl: Duration) -> Entry {
    Entry {
        value,
        ttl,
        expires_at: Instant::now() + ttl,
    }
}

#[async_trait]
impl CacheStore for MemoryCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        Ok(self.live(key).map(|entry| entry.value))
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        self.inner
            .insert(key.to_owned(), entry(value.to_vec(), ttl));
        Ok(())
    }

    async fn set_if_absent(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<bool, CacheError> {
        let mut stored = false;
        self.inner
            .entry(key.to_owned())
            .and_compute_with(|existing| match existing {
                Some(current) if current.value().expires_at > Instant::now() => Op::Nop,
                _ => {
                    stored = true;
                    Op::Put(entry(value.to_vec(), ttl))
                }
            });
        Ok(stored)
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.inner.invalidate(key);
        Ok(())
    }

    async fn incr_window(
        &self,
        key: &str,
        window: Duration,
    ) -> Result<(u64, Duration), CacheError> {
        let now = Instant::now();
        let result = self
            .inner
            .entry(key.to_owned())
            .and_compute_with(|existing| {
                let next = match existing.map(|e| e.into_value()) {
                    Some(current) if current.expires_at > now => {
                        let count = counter(&current.value).saturating_add(1);
                        Entry {
                            value: count.to_be_bytes().to_vec(),
                            ttl: current.expires_at.saturating_duration_since(now),
                            expires_at: current.expires_at,
                        }
                    }
                    _ => Entry {
                        value: 1u64.to_be_bytes().to_vec(),
                        ttl: window,
                        expires_at: now + window,
                    },
                };
                Op::Put(next)
            });
        let current = result
            .into_entry()
            .map(|e| e.into_value())
            .ok_or_else(|| CacheError::backend("counter vanished while being updated"))?;
        Ok((
            counter(&current.value),
            current.expires_at.saturating_duration_since(now),
        ))
    }

    async fn ping(&self) -> Result<(), CacheError> {
        Ok(())
    }

    fn backend_name(&self) -> &'static str {
        "memory"
    }
}

fn counter(bytes: &[u8]) -> u64 {
    <[u8; 8]>::try_from(bytes).map_or(0, u64::from_be_bytes)
}
