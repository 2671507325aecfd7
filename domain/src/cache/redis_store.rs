//! Redis-backed cache for the SaaS profile. Every key is prefixed, so several deployments
//! (or test runs) can share one Redis without seeing each other's keys.

use super::{CacheError, CacheStore};
use async_trait::async_trait;
use redis::AsyncCommands as _;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::time::Duration;

/// Atomically increments a counter and starts its expiry when it is new.
const INCR_WINDOW: &str = r"
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
local ttl = redis.call('PTTL', KEYS[1])
return {count, ttl}
";

/// [`INCR_WINDOW`] on each of the first `ARGV[2]` keys and `GET` on the rest, in one call:
/// `{{count1, ttl1, count2, ttl2, …}, {value1, value2, …}}` (a missing value is nil).
const GET_MANY_AND_COUNT: &str = r"
local counters = tonumber(ARGV[2])
local counts = {}
local values = {}
for i, key in ipairs(KEYS) do
  if i <= counters then
    local count = redis.call('INCR', key)
    if count == 1 then
      redis.call('PEXPIRE', key, ARGV[1])
    end
    counts[2 * i - 1] = count
    counts[2 * i] = redis.call('PTTL', key)
  else
    values[i - counters] = redis.call('GET', key)
  end
end
return {counts, values}
";

/// The SaaS profile's cache: one multiplexed, self-reconnecting connection to Redis.
#[derive(Clone)]
pub struct RedisCache {
    conn: ConnectionManager,
    prefix: String,
    incr_window: redis::Script,
    get_many_and_count: redis::Script,
}

impl RedisCache {
    /// Connects to Redis at `url`; keys are stored under `prefix`.
    ///
    /// # Errors
    /// Fails when the URL is invalid or Redis cannot be reached within the timeout.
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, CacheError> {
        let client = redis::Client::open(url).map_err(|e| CacheError::backend(e.to_string()))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(3)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_secs(2));
        let conn = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|e| CacheError::backend(e.to_string()))?;
        Ok(Self {
            conn,
            prefix: prefix.to_owned(),
            incr_window: redis::Script::new(INCR_WINDOW),
            get_many_and_count: redis::Script::new(GET_MANY_AND_COUNT),
        })
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

fn backend(err: redis::RedisError) -> CacheError {
    CacheError::backend(err.to_string())
}

/// `{count1, ttl1, count2, ttl2, …}` as pairs of a count and the time left in its window.
fn counts_of(flat: &[i64]) -> Vec<(u64, Duration)> {
    flat.chunks(2)
        .map(|pair| {
            let count = u64::try_from(pair[0]).unwrap_or(0);
            let left = pair
                .get(1)
                .and_then(|t| u64::try_from(*t).ok())
                .unwrap_or(0);
            (count, Duration::from_millis(left))
        })
        .collect()
}

#[async_trait]
impl CacheStore for RedisCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        let mut conn = self.conn.clone();
        conn.get(self.key(key)).await.map_err(backend)
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        let mut conn = self.conn.clone();
        conn.pset_ex::<_, _, ()>(self.key(key), value, millis(ttl))
            .await
            .map_err(backend)
    }

    async fn set_if_absent(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<bool, CacheError> {
        let mut conn = self.conn.clone();
        let reply: Option<String> = redis::cmd("SET")
            .arg(self.key(key))
            .arg(value)
            .arg("NX")
            .arg("PX")
            .arg(millis(ttl))
            .query_async(&mut conn)
            .await
            .map_err(backend)?;
        Ok(reply.is_some())
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        let mut conn = self.conn.clone();
        conn.del::<_, ()>(self.key(key)).await.map_err(backend)
    }

    async fn incr_window(
        &self,
        key: &str,
        window: Duration,
    ) -> Result<(u64, Duration), CacheError> {
        let mut conn = self.conn.clone();
        let (count, ttl_ms): (u64, i64) = self
            .incr_window
            .key(self.key(key))
            .arg(millis(window))
            .invoke_async(&mut conn)
            .await
            .map_err(backend)?;
        let left = u64::try_from(ttl_ms).unwrap_or(0);
        Ok((count, Duration::from_millis(left)))
    }

    async fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, CacheError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.conn.clone();
        let keys: Vec<String> = keys.iter().map(|k| self.key(k)).collect();
        redis::cmd("MGET")
            .arg(&keys)
            .query_async(&mut conn)
            .await
            .map_err(backend)
    }

    async fn incr_windows(
        &self,
        keys: &[String],
        window: Duration,
    ) -> Result<Vec<(u64, Duration)>, CacheError> {
        Ok(self.get_many_and_count(&[], keys, window).await?.1)
    }

    async fn get_many_and_count(
        &self,
        keys: &[String],
        counters: &[String],
        window: Duration,
    ) -> Result<(Vec<Option<Vec<u8>>>, Vec<(u64, Duration)>), CacheError> {
        if counters.is_empty() {
            return Ok((self.get_many(keys).await?, Vec::new()));
        }
        let mut conn = self.conn.clone();
        let mut invocation = self.get_many_and_count.prepare_invoke();
        for key in counters.iter().chain(keys) {
            invocation.key(self.key(key));
        }
        let (flat, mut values): (Vec<i64>, Vec<Option<Vec<u8>>>) = invocation
            .arg(millis(window))
            .arg(counters.len())
            .invoke_async(&mut conn)
            .await
            .map_err(backend)?;
        // GET answers false for a missing key, which keeps its place in the table; a shorter
        // reply would still read as missing values rather than shift the rest.
        values.resize(keys.len(), None);
        Ok((values, counts_of(&flat)))
    }

    async fn ping(&self) -> Result<(), CacheError> {
        let mut conn = self.conn.clone();
        let _: String = redis::cmd("PING")
            .query_async(&mut conn)
            .await
            .map_err(backend)?;
        Ok(())
    }

    fn backend_name(&self) -> &'static str {
        "redis"
    }
}
