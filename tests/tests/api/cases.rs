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

/// A page of cases carries each case's whole team, in the order members joined, as the case
/// itself does; the page limit counts cases, not team members.
#[tokio::test]
async fn a_page_of_cases_carries_whole_teams_and_counts_cases() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (lead_id, lead) = app.add_user(&fixture, &["case_worker"]).await;
    let (second_id, _) = app.add_user(&fixture, &["case_worker"]).await;
    let (third_id, _) = app.add_user(&fixture, &["shelter_manager"]).await;
    let mut cases = Vec::new();
    for _ in 0..3 {
        let created = register(&app, &lead.access_token, client_details()).await;
        cases.push(created["case_id"].as_str().expect("case").to_owned());
    }
    // The middle case gets two more members; the others keep their lead alone.
    for (user, role) in [(&second_id, "member"), (&third_id, "member")] {
        let response = app
            .authed(
                Method::POST,
                &format!("/api/v1/cases/{}/team", cases[1]),
                &lead.access_token,
            )
            .json(&json!({"user_id": user, "role": role}))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 200, "add {role}");
    }

    let mut listed = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/cases?limit=2&cursor={c}"),
            None => "/api/v1/cases?limit=2".to_owned(),
        };
        let page: Value = app
            .get_as(&path, &fixture.admin.access_token)
            .await
            .json()
            .await
            .expect("json");
        let items = page["items"].as_array().expect("items").clone();
        assert!(items.len() <= 2, "a page holds at most `limit` cases");
        pages += 1;
        listed.extend(items);
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 2, "three cases at two a page");
    let ids: Vec<&str> = listed.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids, cases.iter().map(String::as_str).collect::<Vec<_>>());

    let team_of = |case: &Value| -> Vec<(String, String)> {
        case["team"]
            .as_array()
            .expect("team")
            .iter()
            .map(|m| {
                (
                    m["id"].as_str().expect("id").to_owned(),
                    m["role"].as_str().expect("role").to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(team_of(&listed[0]), [(lead_id.clone(), "lead".to_owned())]);
    assert_eq!(
        team_of(&listed[1]),
        [
            (lead_id.clone(), "lead".to_owned()),
            (second_id.clone(), "member".to_owned()),
            (third_id.clone(), "member".to_owned()),
        ]
    );
    assert_eq!(team_of(&listed[2]), [(lead_id.clone(), "lead".to_owned())]);
    for listed_case in &listed {
        let id = listed_case["id"].as_str().expect("id");
        let single: Value = app
            .get_as(&format!("/api/v1/cases/{id}"), &fixture.admin.access_token)
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(&single, listed_case, "the list shows case {id} as it is");
    }
}
