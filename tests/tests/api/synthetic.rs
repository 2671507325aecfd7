//! `haven seed --synthetic`: the generated organisations work through the API like any other —
//! their accounts sign in, their clients' identities open, their beds are not double-booked,
//! their referrals rest on consents and go to their own partners.

use crate::helpers::{DEMO_PASSWORD, spawn_app};
use serde_json::Value;
use std::sync::atomic::AtomicBool;

#[tokio::test]
async fn a_synthetic_organisation_is_complete_and_readable_through_the_api() {
    let app = spawn_app().await;
    let master = haven_api::startup::load_master_key(&app.state.settings).expect("master key");
    let plan = haven_domain::synthetic::Plan {
        tenants: 1,
        clients_per_tenant: 620,
        password: DEMO_PASSWORD.to_owned().into(),
        statistics: Some(&app.state.db),
    };
    let counted = std::sync::atomic::AtomicU64::new(0);
    let progress = |n: u64| {
        counted.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    };
    let report = haven_domain::synthetic::seed_synthetic(
        &app.state.db,
        std::sync::Arc::new(master),
        &plan,
        &progress,
        &AtomicBool::new(false),
    )
    .await
    .expect("seed");
    assert_eq!(report.clients_created, 620, "{report:?}");
    assert_eq!(counted.into_inner(), 620);

    let token = app
        .login("admin@synth-00001.example", DEMO_PASSWORD, None)
        .await
        .access_token;
    // Every client has a case; the list pages through all of them (two batches were written).
    let mut cases = 0;
    let mut cursor = String::new();
    loop {
        let page: Value = app
            .get_as(&format!("/api/v1/cases?limit=200{cursor}"), &token)
            .await
            .json()
            .await
            .expect("page");
        cases += page["items"].as_array().expect("items").len();
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(cases, 620);
    let page: Value = app
        .get_as("/api/v1/clients?limit=1", &token)
        .await
        .json()
        .await
        .expect("clients");
    let id = page["items"][0]["id"].as_str().expect("a client");
    let client: Value = app
        .get_as(&format!("/api/v1/clients/{id}"), &token)
        .await
        .json()
        .await
        .expect("client");
    assert!(
        client["details"]["identity"]["legal_family_name"]
            .as_str()
            .is_some_and(|n| !n.is_empty()),
        "the sealed identity opens: {client}"
    );
    let beds: Value = app
        .get_as("/api/v1/beds?limit=200", &token)
        .await
        .json()
        .await
        .expect("beds");
    assert_eq!(beds["items"].as_array().expect("beds").len(), 40);
    let placed: Value = app
        .get_as("/api/v1/placements?limit=200", &token)
        .await
        .json()
        .await
        .expect("placements");
    assert!(!placed["items"].as_array().expect("placements").is_empty());
    // Some clients were referred to the organisation's own partners, in every status, each
    // resting on a consent of theirs, with a reason that opens.
    let referrals: Value = app
        .get_as("/api/v1/referrals?limit=200", &token)
        .await
        .json()
        .await
        .expect("referrals");
    let referrals = referrals["items"].as_array().expect("referrals");
    let statuses: std::collections::BTreeSet<&str> = referrals
        .iter()
        .filter_map(|r| r["status"].as_str())
        .collect();
    assert_eq!(
        statuses,
        ["accepted", "cancelled", "completed", "declined", "sent"].into(),
        "{referrals:?}"
    );
    let one: Value = app
        .get_as(
            &format!(
                "/api/v1/referrals/{}",
                referrals[0]["id"].as_str().expect("id")
            ),
            &token,
        )
        .await
        .json()
        .await
        .expect("referral");
    assert_eq!(one["reason"], "Synthetic referral for load tests.", "{one}");
    assert!(one["consent_id"].is_string(), "{one}");
    let partners: Value = app
        .get_as(
            "/api/v1/directory/organisations?q=Synthetic&limit=50",
            &token,
        )
        .await
        .json()
        .await
        .expect("directory");
    let own = partners["items"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["own"] == true && e["visibility"] == "private")
        .count();
    assert_eq!(own, 3, "{partners}");
    // A new registration continues the case codes after the generated ones.
    let created = crate::clients::register(&app, &token, crate::placements::adult_woman()).await;
    let code = created["client"]["case_code"].as_str().expect("case code");
    assert!(code.ends_with("-0621"), "{code}");

    // Running it again keeps what is there.
    let again = haven_domain::synthetic::seed_synthetic(
        &app.state.db,
        std::sync::Arc::new(
            haven_api::startup::load_master_key(&app.state.settings).expect("master key"),
        ),
        &plan,
        &|_| {},
        &AtomicBool::new(false),
    )
    .await
    .expect("seed again");
    assert_eq!((again.tenants_created, again.tenants_skipped), (0, 1));
}
