//! Redis-backed cache for the SaaS profile. Every key is prefixed, so several deployments
//! (or test runs) can share one Redis without seeing each other's keys.

use super::{CacheError, CacheStore};
use async_trait::async_trait;
use redis::AsyncCommands as _;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

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

/// The SaaS profile's cache: multiplexed, self-reconnecting connections to Redis.
///
/// A connection's replies are read by a task of the runtime that opened it. The HTTP workers
/// each run their own single-threaded runtime, so a worker that used a connection opened
/// elsewhere would be woken from another thread for every reply. Each such worker therefore
/// opens its own connection on first use (in the background; until it is up, and on any other
/// runtime, the shared connection serves) and keeps it for as long as the thread lives.
#[derive(Clone)]
pub struct RedisCache {
    shared: ConnectionManager,
    client: redis::Client,
    /// Tells this cache's per-thread connections from those of another cache in the process.
    id: u64,
    prefix: String,
    incr_window: redis::Script,
    get_many_and_count: redis::Script,
    breaker: Arc<Breaker>,
}

/// Keeps requests from waiting on a Redis that does not answer. Reaching a Redis that is down
/// costs the connection manager's retries (over a second and a half), and every request asks
/// the cache; so after a call finds Redis unreachable, calls fail at once for [`PAUSE`] (their
/// callers fail open or closed as each must), then one call tries again while the others still
/// fail at once, and its answer closes the breaker or opens it for another pause.
struct Breaker {
    origin: Instant,
    /// Milliseconds after `origin` until which calls fail at once; 0 while Redis answers.
    open_until: AtomicU64,
}

/// How long calls fail at once after Redis was found unreachable.
const PAUSE: Duration = Duration::from_secs(1);

impl Breaker {
    fn new() -> Self {
        Self {
            origin: Instant::now(),
            open_until: AtomicU64::new(0),
        }
    }

    /// Milliseconds since `origin`, never 0 (which means closed).
    fn now(&self) -> u64 {
        millis(self.origin.elapsed()).saturating_add(1)
    }

    /// Whether a call may go to Redis now. While Redis answers, one atomic read and no clock.
    fn admit(&self) -> bool {
        self.open_until.load(Ordering::Acquire) == 0 || self.admit_at(self.now())
    }

    /// [`Breaker::admit`] as a result: a call kept from Redis fails with a paused error, which
    /// its caller need not log (the outage was logged when it was found).
    fn check(&self) -> Result<(), CacheError> {
        if self.admit() {
            Ok(())
        } else {
            Err(CacheError::paused(
                "Redis did not answer a moment ago; not asked again yet",
            ))
        }
    }

    fn admit_at(&self, now: u64) -> bool {
        let until = self.open_until.load(Ordering::Acquire);
        if until == 0 {
            return true;
        }
        if now < until {
            return false;
        }
        // The pause is over: the one call that moves the mark tries; the others wait for it.
        self.open_until
            .compare_exchange(
                until,
                now + millis(PAUSE),
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_ok()
    }

    /// Redis answered (a command's own error counts: it was reached).
    fn close(&self) {
        if self.open_until.load(Ordering::Acquire) != 0 {
            self.open_until.store(0, Ordering::Release);
            tracing::info!("Redis answers again");
        }
    }

    /// Redis could not be reached at `now`.
    fn open_at(&self, now: u64) {
        let was = self.open_until.swap(now + millis(PAUSE), Ordering::AcqRel);
        if was == 0 {
            tracing::warn!(
                "Redis does not answer; calls fail at once and one tries again every second"
            );
        }
    }
}

/// Whether an error means Redis could not be reached (rather than that it refused a command).
fn unreachable(err: &redis::RedisError) -> bool {
    err.is_io_error()
        || err.is_connection_refusal()
        || err.is_connection_dropped()
        || err.is_timeout()
}

/// A worker thread's own connection to one cache's Redis.
enum Local {
    Ready(ConnectionManager),
    Opening,
    /// The last attempt failed at this time; the shared connection serves until the next.
    Failed(Instant),
}

/// How long a worker waits after a failed attempt before it tries its own connection again.
const LOCAL_RETRY: Duration = Duration::from_secs(5);

thread_local! {
    static LOCAL: RefCell<HashMap<u64, Local>> = RefCell::new(HashMap::new());
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn manager_config() -> ConnectionManagerConfig {
    ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(3)))
        .set_response_timeout(Some(Duration::from_secs(2)))
        .set_number_of_retries(2)
        .set_max_delay(Duration::from_secs(2))
}

impl RedisCache {
    /// Connects to Redis at `url`; keys are stored under `prefix`.
    ///
    /// # Errors
    /// Fails when the URL is invalid or Redis cannot be reached within the timeout.
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, CacheError> {
        let client = redis::Client::open(url).map_err(|e| CacheError::backend(e.to_string()))?;
        let shared = ConnectionManager::new_with_config(client.clone(), manager_config())
            .await
            .map_err(|e| CacheError::backend(e.to_string()))?;
        Ok(Self {
            shared,
            client,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            prefix: prefix.to_owned(),
            incr_window: redis::Script::new(INCR_WINDOW),
            get_many_and_count: redis::Script::new(GET_MANY_AND_COUNT),
            breaker: Arc::new(Breaker::new()),
        })
    }

    /// The connection for a call, or an error at once while the breaker is open.
    fn admit(&self) -> Result<ConnectionManager, CacheError> {
        self.breaker.check()?;
        Ok(self.conn())
    }

    /// A call's result, noted by the breaker: an answer (a command's own error counts: Redis
    /// was reached) closes it, an unreachable Redis opens it.
    fn settle<T>(&self, result: redis::RedisResult<T>) -> Result<T, CacheError> {
        match result {
            Err(err) if unreachable(&err) => {
                self.breaker.open_at(self.breaker.now());
                Err(backend(err))
            }
            result => {
                self.breaker.close();
                result.map_err(backend)
            }
        }
    }

    /// The connection for the current thread: its own on a single-threaded runtime once it is
    /// open, the shared one otherwise.
    fn conn(&self) -> ConnectionManager {
        let single_threaded = tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::CurrentThread);
        if !single_threaded {
            return self.shared.clone();
        }
        let (own, start) = LOCAL.with(|local| {
            let mut local = local.borrow_mut();
            match local.get(&self.id) {
                Some(Local::Ready(conn)) => (Some(conn.clone()), false),
                Some(Local::Opening) => (None, false),
                Some(Local::Failed(at)) if at.elapsed() < LOCAL_RETRY => (None, false),
                Some(Local::Failed(_)) | None => {
                    local.insert(self.id, Local::Opening);
                    (None, true)
                }
            }
        });
        if start {
            self.open_local();
        }
        own.unwrap_or_else(|| self.shared.clone())
    }

    /// Opens this thread's own connection in the background. The task runs on this thread's
    /// single-threaded runtime, so it records the result in this thread's table.
    fn open_local(&self) {
        let (client, id) = (self.client.clone(), self.id);
        tokio::spawn(async move {
            let opened = ConnectionManager::new_with_config(client, manager_config()).await;
            LOCAL.with(|local| {
                let state = match opened {
                    Ok(conn) => Local::Ready(conn),
                    Err(err) => {
                        tracing::debug!(error = %err, "a worker's own Redis connection did not open; the shared one serves");
                        Local::Failed(Instant::now())
                    }
                };
                local.borrow_mut().insert(id, state);
            });
        });
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
        let mut conn = self.admit()?;
        self.settle(conn.get(self.key(key)).await)
    }

    async fn set(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), CacheError> {
        let mut conn = self.admit()?;
        self.settle(
            conn.pset_ex::<_, _, ()>(self.key(key), value, millis(ttl))
                .await,
        )
    }

    async fn set_if_absent(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<bool, CacheError> {
        let mut conn = self.admit()?;
        let reply: Option<String> = self.settle(
            redis::cmd("SET")
                .arg(self.key(key))
                .arg(value)
                .arg("NX")
                .arg("PX")
                .arg(millis(ttl))
                .query_async(&mut conn)
                .await,
        )?;
        Ok(reply.is_some())
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        let mut conn = self.admit()?;
        self.settle(conn.del::<_, ()>(self.key(key)).await)
    }

    async fn incr_window(
        &self,
        key: &str,
        window: Duration,
    ) -> Result<(u64, Duration), CacheError> {
        let mut conn = self.admit()?;
        let (count, ttl_ms): (u64, i64) = self.settle(
            self.incr_window
                .key(self.key(key))
                .arg(millis(window))
                .invoke_async(&mut conn)
                .await,
        )?;
        let left = u64::try_from(ttl_ms).unwrap_or(0);
        Ok((count, Duration::from_millis(left)))
    }

    async fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, CacheError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.admit()?;
        let keys: Vec<String> = keys.iter().map(|k| self.key(k)).collect();
        self.settle(redis::cmd("MGET").arg(&keys).query_async(&mut conn).await)
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
        let mut conn = self.admit()?;
        let mut invocation = self.get_many_and_count.prepare_invoke();
        for key in counters.iter().chain(keys) {
            invocation.key(self.key(key));
        }
        let (flat, mut values): (Vec<i64>, Vec<Option<Vec<u8>>>) = self.settle(
            invocation
                .arg(millis(window))
                .arg(counters.len())
                .invoke_async(&mut conn)
                .await,
        )?;
        // GET answers false for a missing key, which keeps its place in the table; a shorter
        // reply would still read as missing values rather than shift the rest.
        values.resize(keys.len(), None);
        Ok((values, counts_of(&flat)))
    }

    async fn ping(&self) -> Result<(), CacheError> {
        let mut conn = self.admit()?;
        let _: String = self.settle(redis::cmd("PING").query_async(&mut conn).await)?;
        Ok(())
    }

    fn backend_name(&self) -> &'static str {
        "redis"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_redis_is_unreachable_calls_wait_a_pause_then_one_tries_again() {
        let breaker = Breaker::new();
        let pause = millis(PAUSE);
        assert!(breaker.admit_at(10), "closed: every call goes");
        breaker.open_at(10);
        assert!(!breaker.admit_at(11), "open: calls fail at once");
        assert!(!breaker.admit_at(10 + pause - 1));
        // The pause is over: one call tries, the others still fail at once.
        assert!(breaker.admit_at(10 + pause));
        assert!(!breaker.admit_at(10 + pause));
        assert!(!breaker.admit_at(10 + pause + 5));
        // That call failed too: another pause from then.
        breaker.open_at(10 + pause + 20);
        assert!(!breaker.admit_at(10 + 2 * pause + 19));
        assert!(breaker.admit_at(10 + 2 * pause + 20));
        // It was answered: closed, every call goes.
        breaker.close();
        assert!(breaker.admit_at(10 + 2 * pause + 21));
        assert!(breaker.admit_at(10 + 2 * pause + 21));
    }

    #[test]
    fn only_calls_kept_from_redis_fail_as_paused() {
        let breaker = Breaker::new();
        assert!(breaker.check().is_ok(), "closed: the call goes to Redis");
        assert!(!backend(redis::RedisError::from(std::io::Error::other("refused"))).is_paused());
        breaker.open_at(breaker.now());
        let kept = breaker
            .check()
            .expect_err("open: the call is kept from Redis");
        assert!(kept.is_paused(), "{kept}");
    }
}
