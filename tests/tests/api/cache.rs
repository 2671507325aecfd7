//! The cache behind rate limits, revocation and idempotency: Redis with the run's key prefix,
//! or the in-process store.

use crate::helpers::{env, spawn_app};
use std::time::Duration;

#[tokio::test]
async fn the_configured_cache_expires_counts_and_compares_and_sets() {
    let app = spawn_app().await;
    let cache = &app.state.cache;
    let key = format!("test:{}", uuid::Uuid::now_v7());

    assert_eq!(cache.get(&key).await.expect("get"), None);
    cache
        .set(&key, b"one", Duration::from_secs(30))
        .await
        .expect("set");
    assert_eq!(
        cache.get(&key).await.expect("get").as_deref(),
        Some(&b"one"[..])
    );
    assert!(
        !cache
            .set_if_absent(&key, b"two", Duration::from_secs(30))
            .await
            .expect("nx")
    );
    cache.delete(&key).await.expect("delete");
    assert!(
        cache
            .set_if_absent(&key, b"two", Duration::from_secs(30))
            .await
            .expect("nx")
    );

    let counter = format!("{key}:n");
    let mut last = 0;
    for expected in 1..=5 {
        let (count, left) = cache
            .incr_window(&counter, Duration::from_secs(10))
            .await
            .expect("incr");
        assert_eq!(count, expected);
        assert!(left <= Duration::from_secs(10) && left > Duration::from_secs(5));
        last = count;
    }
    assert_eq!(last, 5);
    // Several counters and several keys in one round trip each, in the order asked.
    let other = format!("{key}:m");
    let counts = cache
        .incr_windows(&[counter.clone(), other.clone()], Duration::from_secs(10))
        .await
        .expect("incr many");
    assert_eq!(counts.iter().map(|c| c.0).collect::<Vec<_>>(), [6, 1]);
    assert!(
        counts
            .iter()
            .all(|c| c.1 <= Duration::from_secs(10) && c.1 > Duration::from_secs(5)),
        "{counts:?}"
    );
    let values = cache
        .get_many(&[format!("{key}:absent"), key.clone()])
        .await
        .expect("get many");
    assert_eq!(values, [None, Some(b"two".to_vec())]);
    // Reading and counting together, as authentication does: a missing value last, too.
    let (values, counts) = cache
        .get_many_and_count(
            &[key.clone(), format!("{key}:absent")],
            &[other.clone(), counter.clone()],
            Duration::from_secs(10),
        )
        .await
        .expect("get many and count");
    assert_eq!(values, [Some(b"two".to_vec()), None]);
    assert_eq!(counts.iter().map(|c| c.0).collect::<Vec<_>>(), [2, 7]);
    assert!(
        counts
            .iter()
            .all(|c| c.1 <= Duration::from_secs(10) && c.1 > Duration::from_secs(5)),
        "{counts:?}"
    );

    let short = format!("{key}:short");
    cache
        .set(&short, b"x", Duration::from_millis(100))
        .await
        .expect("set");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(cache.get(&short).await.expect("get"), None, "expired");

    if let Some(url) = &env().redis_url {
        // The key lives under this run's prefix and nowhere else.
        let client = redis::Client::open(url.as_str()).expect("redis url");
        let mut conn = client
            .get_multiplexed_async_connection()
            .await
            .expect("redis");
        let stored: Option<Vec<u8>> = redis::cmd("GET")
            .arg(format!("{}{key}", env().redis_prefix))
            .query_async(&mut conn)
            .await
            .expect("get");
        assert_eq!(stored.as_deref(), Some(&b"two"[..]));
        let bare: Option<Vec<u8>> = redis::cmd("GET")
            .arg(&key)
            .query_async(&mut conn)
            .await
            .expect("get");
        assert_eq!(bare, None);
        assert_eq!(cache.backend_name(), "redis");
    } else {
        assert_eq!(cache.backend_name(), "memory");
    }
}
