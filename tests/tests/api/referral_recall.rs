//! Erasing a client the sender referred to other Haven organisations recalls the packets it
//! sent: each receiver's copy is emptied, an item still waiting is withdrawn on both sides, and
//! the team of a case an accepted item opened is told (that case is the receiver's, and stays).
//! The sender's referral says when the receiver's copy was cleared; a recall that did not reach
//! its receiver is sent again by every retention run and by the erasure ledger's pass.

use crate::data_protection::{erase, retention};
use crate::helpers::{Fixture, TestApp, assert_problem, spawn_app, spawn_app_alone};
use crate::referrals::{a_case, consent, inbox, linked_entry, refer_to_b};
use chrono::{DateTime, Utc};
use haven_domain::dataprot::reapply_erasures;
use haven_domain::entities::{incoming_referral, referral};
use haven_domain::ids::TenantId;
use haven_domain::tenancy::begin_scoped;
use reqwest::Method;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, EntityTrait as _, IntoActiveModel as _,
    QueryFilter as _,
};
use serde_json::{Value, json};

async fn json_of(app: &TestApp, path: &str, token: &str) -> Value {
    let response = app.get_as(path, token).await;
    assert_eq!(response.status().as_u16(), 200, "GET {path}");
    response.json().await.expect("json")
}

async fn accept(app: &TestApp, token: &str, item: &str) -> reqwest::Response {
    app.authed(
        Method::POST,
        &format!("/api/v1/referrals/incoming/{item}/accept"),
        token,
    )
    .json(&json!({}))
    .send()
    .await
    .expect("request")
}

fn id(v: &Value) -> &str {
    v["id"].as_str().expect("id")
}

/// Organisations A and B, a client of A with a case and a consent to share with NGOs, and a
/// directory entry linked to B: (A, B, entry, client, case).
async fn a_client_to_refer(app: &TestApp) -> (Fixture, Fixture, String, String, String) {
    let a = app.onboard().await;
    let b = app.onboard().await;
    let entry = linked_entry(app, &b).await;
    let (client, case) = a_case(app, &a.admin.access_token, "Ioana").await;
    consent(app, &a.admin.access_token, &case, &["ngo"]).await;
    (a, b, entry, client, case)
}

#[tokio::test]
async fn erasing_a_referred_client_recalls_the_packets_from_the_receivers_inbox() {
    let app = spawn_app().await;
    let (a, b, entry, client, case) = a_client_to_refer(&app).await;
    let (sender, receiver) = (&a.admin.access_token, &b.admin.access_token);
    let to_accept = refer_to_b(&app, &a, &entry, &case).await;
    let to_leave = refer_to_b(&app, &a, &entry, &case).await;

    // B holds both; it accepts the first one sent (the inbox lists newest first).
    let items = inbox(&app, &b).await;
    assert_eq!(items.len(), 2);
    let (waiting, accepted) = (id(&items[0]).to_owned(), id(&items[1]).to_owned());
    let answer = accept(&app, receiver, &accepted).await;
    assert_eq!(answer.status().as_u16(), 200);
    let b_case = answer.json::<Value>().await.expect("json")["case_id"]
        .as_str()
        .expect("case")
        .to_owned();
    let b_case_code =
        json_of(&app, &format!("/api/v1/cases/{b_case}"), receiver).await["case_code"]
            .as_str()
            .expect("code")
            .to_owned();
    for item in [&waiting, &accepted] {
        let read = json_of(
            &app,
            &format!("/api/v1/referrals/incoming/{item}"),
            receiver,
        )
        .await;
        assert_eq!(read["packet"]["name"], "Ioana", "before the erasure");
        assert_eq!(read["recalled_at"], Value::Null);
    }
    assert_eq!(to_accept["recalled_at"], Value::Null, "{to_accept}");

    assert_eq!(erase(&app, sender, &client).await.status().as_u16(), 201);

    // B's copies hold nothing of the client any more.
    let left = json_of(
        &app,
        &format!("/api/v1/referrals/incoming/{waiting}"),
        receiver,
    )
    .await;
    assert_eq!(left["status"], "cancelled", "a waiting item is withdrawn");
    let taken = json_of(
        &app,
        &format!("/api/v1/referrals/incoming/{accepted}"),
        receiver,
    )
    .await;
    assert_eq!(taken["status"], "accepted", "an answer given stays");
    assert_eq!(taken["case_id"], b_case.as_str());
    for item in [&left, &taken] {
        assert!(item["recalled_at"].is_string(), "{item}");
        assert!(item.get("packet").is_none(), "{item}");
        let text = item.to_string();
        assert!(
            !text.contains("Ioana") && !text.contains("safe place"),
            "{text}"
        );
    }
    for item in inbox(&app, &b).await {
        assert!(item["recalled_at"].is_string(), "{item}");
    }
    assert_problem(accept(&app, receiver, &waiting).await, 409, "not_pending").await;

    // The case B opened is B's own record: it stays, and its team is told.
    json_of(&app, &format!("/api/v1/cases/{b_case}"), receiver).await;
    let notes = json_of(&app, "/api/v1/notifications", receiver).await;
    let recalls: Vec<&Value> = notes["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|n| n["kind"] == "referral.recalled")
        .collect();
    assert_eq!(
        recalls.len(),
        1,
        "only the accepted item's case is told: {notes}"
    );
    assert_eq!(
        recalls[0]["link"],
        format!("/api/v1/referrals/incoming/{accepted}")
    );
    let title = recalls[0]["title"].as_str().expect("title");
    assert!(title.contains(&b_case_code), "{title}");
    assert!(!title.contains("Ioana"), "{title}");

    // A's side: the referral still waiting ended with the recall; the accepted one stays.
    let a_left = json_of(
        &app,
        &format!("/api/v1/referrals/{}", id(&to_leave)),
        sender,
    )
    .await;
    assert_eq!(a_left["status"], "cancelled");
    assert!(a_left["cancelled_at"].is_string(), "{a_left}");
    let a_taken = json_of(
        &app,
        &format!("/api/v1/referrals/{}", id(&to_accept)),
        sender,
    )
    .await;
    assert_eq!(a_taken["status"], "accepted");
    // Both say when the receiver's copy was cleared.
    for referral in [&a_left, &a_taken] {
        assert!(referral["recalled_at"].is_string(), "{referral}");
    }

    // B's audit trail says the system recalled both.
    let events = json_of(
        &app,
        "/api/v1/audit-events?limit=200&action=incoming_referral.recalled",
        receiver,
    )
    .await;
    let targets: Vec<&str> = events["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["target_id"].as_str())
        .collect();
    assert!(
        targets.contains(&waiting.as_str()) && targets.contains(&accepted.as_str()),
        "{events}"
    );
}

#[tokio::test]
async fn a_recall_that_did_not_reach_the_receiver_is_sent_again_by_retention_and_the_ledger_pass() {
    // Every server's start replays the erasure ledger and sends due recalls for every
    // organisation it can see, so the failure this test sets up is kept from other tests'.
    let app = spawn_app_alone(&[]).await;
    let (a, b, entry, client, case) = a_client_to_refer(&app).await;
    let (sender, receiver) = (&a.admin.access_token, &b.admin.access_token);
    let sent = refer_to_b(&app, &a, &entry, &case).await;
    let item = id(&inbox(&app, &b).await[0]).to_owned();
    let path = format!("/api/v1/referrals/incoming/{item}");
    let sent_path = format!("/api/v1/referrals/{}", id(&sent));

    // B's row as it was delivered and A's referral before the erasure, to put back as if the
    // recall had never reached B (a failed recall leaves A's referral unmarked).
    let a_tenant = TenantId::from_uuid(a.id.parse().expect("uuid"));
    let b_tenant = TenantId::from_uuid(b.id.parse().expect("uuid"));
    let item_id: uuid::Uuid = item.parse().expect("uuid");
    let referral_id: uuid::Uuid = id(&sent).parse().expect("uuid");
    let read_item = || async {
        let txn = begin_scoped(&app.state.db, b_tenant).await.expect("txn");
        let row = incoming_referral::Entity::scoped(b_tenant)
            .filter(incoming_referral::Column::Id.eq(item_id))
            .one(&txn)
            .await
            .expect("read")
            .expect("the item");
        txn.commit().await.expect("commit");
        row
    };
    let delivered = read_item().await;
    assert_eq!(erase(&app, sender, &client).await.status().as_u16(), 201);
    assert!(read_item().await.recalled_at.is_some(), "recalled at once");
    assert!(json_of(&app, &sent_path, sender).await["recalled_at"].is_string());
    let fail_the_recall = || async {
        let txn = begin_scoped(&app.state.db, b_tenant).await.expect("txn");
        delivered
            .clone()
            .into_active_model()
            .reset_all()
            .update(&txn)
            .await
            .expect("put the packet back");
        txn.commit().await.expect("commit");
        let txn = begin_scoped(&app.state.db, a_tenant).await.expect("txn");
        referral::Entity::update_many()
            .col_expr(
                referral::Column::RecalledAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(referral::Column::TenantId.eq(*a_tenant.as_uuid()))
            .filter(referral::Column::Id.eq(referral_id))
            .exec(&txn)
            .await
            .expect("unmark the referral");
        txn.commit().await.expect("commit");
        let back = json_of(&app, &path, receiver).await;
        assert_eq!(back["packet"]["name"], "Ioana", "the failure, simulated");
        let due = json_of(&app, &sent_path, sender).await;
        assert_eq!(due["recalled_at"], Value::Null, "{due}");
    };
    let recalled_again = || async {
        let again = json_of(&app, &path, receiver).await;
        assert_eq!(again["status"], "cancelled");
        assert!(again["recalled_at"].is_string(), "{again}");
        assert!(again.get("packet").is_none(), "{again}");
        assert!(!again.to_string().contains("Ioana"), "{again}");
        let marked = json_of(&app, &sent_path, sender).await;
        assert!(marked["recalled_at"].is_string(), "{marked}");
    };
    // The retention run, on the server's schedule or from `haven retention run`, sends it.
    fail_the_recall().await;
    assert_eq!(retention(&app, &a.slug, false).await.recalled, 1);
    recalled_again().await;
    let settled = read_item().await;
    assert_eq!(
        retention(&app, &a.slug, false).await.recalled,
        0,
        "sent once"
    );
    assert_eq!(read_item().await, settled);

    // So does the erasure ledger's pass before the server serves.
    fail_the_recall().await;
    let report = reapply_erasures(&app.state.db, &app.state.master_key, &app.state.ledger)
        .await
        .expect("the ledger pass");
    assert!(report.recalled >= 1, "{report:?}");
    recalled_again().await;

    // Once recalled, a later pass leaves the item alone.
    let settled = read_item().await;
    reapply_erasures(&app.state.db, &app.state.master_key, &app.state.ledger)
        .await
        .expect("the ledger pass");
    assert_eq!(read_item().await, settled);
}
