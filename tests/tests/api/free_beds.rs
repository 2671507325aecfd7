//! The free beds of a shelter (`GET /beds?shelter_id=…&free=true`): what a case worker can
//! offer tonight, whoever's cases fill the other beds.

use crate::clients::register;
use crate::helpers::{assert_problem, spawn_app};
use crate::placements::{adult_woman, post, shelter};
use serde_json::{Value, json};

#[tokio::test]
async fn free_beds_leave_out_occupied_reserved_and_out_of_service_ones() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let admin = fixture.admin.access_token.clone();
    let (shelter_id, beds) = shelter(&app, &fixture, 4).await;
    let today = chrono::Utc::now().date_naive().to_string();
    let first = register(&app, &admin, adult_woman()).await;
    post(
        &app,
        &admin,
        "/api/v1/placements",
        json!({"case_id": first["case_id"], "bed_id": beds[0], "start_on": today}),
    )
    .await;
    let second = register(&app, &admin, adult_woman()).await;
    post(&app, &admin, "/api/v1/placements", json!({"case_id": second["case_id"], "bed_id": beds[1], "start_on": today, "status": "reserved"})).await;
    let response = app
        .authed(
            reqwest::Method::PATCH,
            &format!("/api/v1/beds/{}", beds[3]),
            &admin,
        )
        .header(
            "If-Match",
            app.get_as(&format!("/api/v1/beds/{}", beds[3]), &admin)
                .await
                .headers()["etag"]
                .to_str()
                .expect("etag"),
        )
        .json(&json!({"status": "out_of_service"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);

    // A case worker on none of those cases still sees which bed can be offered.
    let (_, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let response = app
        .get_as(
            &format!("/api/v1/beds?shelter_id={shelter_id}&free=true"),
            &worker.access_token,
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let page: Value = response.json().await.expect("json");
    let ids: Vec<&str> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|b| b["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, vec![beds[2].as_str()], "only the bed nobody uses");

    // Without the filter every bed is listed.
    let all: Value = app
        .get_as(
            &format!("/api/v1/beds?shelter_id={shelter_id}"),
            &worker.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(all["items"].as_array().map(Vec::len), Some(4));

    assert_problem(
        app.get_as("/api/v1/beds?free=true", &worker.access_token)
            .await,
        422,
        "validation_failed",
    )
    .await;
}
