//! The stage machine of cases, its record, and new episodes.

use crate::clients::register;
use crate::helpers::{assert_problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

fn client_details() -> Value {
    json!({"identity": {"used_name": "Dana"}, "gender": "female", "trafficking_status": "possible", "nationality": "NG", "languages": ["en"]})
}

#[tokio::test]
async fn a_case_moves_through_its_stages_and_every_move_is_recorded() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (_, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let token = worker.access_token;
    let created = register(&app, &token, client_details()).await;
    let case = created["case_id"].as_str().expect("case").to_owned();
    let move_to = |to: &str, reason: Option<&str>, closure: Option<&str>| {
        let mut body = json!({"to": to});
        if let Some(r) = reason {
            body["reason"] = json!(r);
        }
        if let Some(c) = closure {
            body["closure_reason"] = json!(c);
        }
        app.authed(
            Method::POST,
            &format!("/api/v1/cases/{case}/transitions"),
            &token,
        )
        .json(&body)
        .send()
    };

    let problem = assert_problem(
        move_to("assistance", None, None).await.expect("request"),
        409,
        "illegal_transition",
    )
    .await;
    assert_eq!(problem["allowed"], json!(["intake", "closed"]));

    for (to, reason) in [
        ("intake", "Interview planned"),
        ("reflection", "Presumed victim; reflection period starts"),
        ("assistance", "Statement made to the police"),
        ("follow_up", "Moved to own flat"),
    ] {
        let response = move_to(to, Some(reason), None).await.expect("request");
        assert_eq!(response.status().as_u16(), 200, "to {to}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["stage"], to);
    }
    assert_problem(
        move_to("closed", Some("Done"), None)
            .await
            .expect("request"),
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        move_to("assistance", None, Some("other"))
            .await
            .expect("request"),
        422,
        "validation_failed",
    )
    .await;
    let closed: Value = move_to("closed", Some("Reintegrated"), Some("reintegrated_locally"))
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(closed["stage"], "closed");
    assert_eq!(closed["closure_reason"], "reintegrated_locally");
    assert!(closed["closed_at"].is_string());
    let problem = assert_problem(
        move_to("assistance", None, None).await.expect("request"),
        409,
        "illegal_transition",
    )
    .await;
    assert_eq!(problem["allowed"], json!([]));

    let history: Value = app
        .get_as(&format!("/api/v1/cases/{case}/transitions"), &token)
        .await
        .json()
        .await
        .expect("json");
    let items = history["items"].as_array().expect("items");
    let stages: Vec<&str> = items
        .iter()
        .map(|t| t["to"].as_str().expect("to"))
        .collect();
    assert_eq!(
        stages,
        [
            "signalled",
            "intake",
            "reflection",
            "assistance",
            "follow_up",
            "closed"
        ]
    );
    assert!(items[0]["from"].is_null());
    assert_eq!(
        items[2]["reason"],
        "Presumed victim; reflection period starts"
    );
    assert!(items.iter().all(|t| t["actor_id"].is_string()));

    // Stale versions are refused when If-Match is sent.
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/cases/{case}/transitions"),
            &token,
        )
        .header("if-match", "\"0\"")
        .json(&json!({"to": "closed", "closure_reason": "other"}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 412, "precondition_failed").await;
}

#[tokio::test]
async fn a_client_has_one_open_case_at_a_time() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (_, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let token = worker.access_token;
    let created = register(&app, &token, client_details()).await;
    let client = created["client"]["id"].as_str().expect("id").to_owned();
    let case = created["case_id"].as_str().expect("case").to_owned();
    let open = || {
        app.authed(Method::POST, "/api/v1/cases", &token)
            .json(&json!({"client_id": client}))
            .send()
    };
    assert_problem(open().await.expect("request"), 409, "case_open").await;
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/cases/{case}/transitions"),
            &token,
        )
        .json(&json!({"to": "closed", "closure_reason": "lost_contact"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let response = open().await.expect("request");
    assert_eq!(response.status().as_u16(), 201);
    assert!(
        response.headers()["location"]
            .to_str()
            .expect("ascii")
            .starts_with("/api/v1/cases/")
    );
    let second: Value = response.json().await.expect("json");
    assert_eq!(second["stage"], "signalled");
    assert_eq!(second["case_code"], created["client"]["case_code"]);
    let all: Value = app
        .get_as(&format!("/api/v1/cases?client_id={client}"), &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(all["items"].as_array().expect("items").len(), 2);
    let closed: Value = app
        .get_as("/api/v1/cases?stage=closed", &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(closed["items"][0]["id"], case.as_str());
}
