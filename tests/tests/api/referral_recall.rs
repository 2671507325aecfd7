//! Erasing a client the sender referred to other Haven organisations recalls the packets it
//! sent: each receiver's copy is emptied, an item still waiting is withdrawn on both sides, and
//! the team of a case an accepted item opened is told (that case is the receiver's, and stays).

use crate::data_protection::erase;
use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::referrals::{a_case, consent, inbox, linked_entry, refer_to_b};
use reqwest::Method;
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

#[tokio::test]
async fn erasing_a_referred_client_recalls_the_packets_from_the_receivers_inbox() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let b = app.onboard().await;
    let (sender, receiver) = (&a.admin.access_token, &b.admin.access_token);
    let entry = linked_entry(&app, &b).await;
    let (client, case) = a_case(&app, sender, "Ioana").await;
    consent(&app, sender, &case, &["ngo"]).await;
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
