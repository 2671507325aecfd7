//! Placements: admission policy, no double booking (also under concurrent requests),
//! departures, and occupancy.

use crate::clients::register;
use crate::helpers::{Fixture, TestApp, assert_problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

pub async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let response = app
        .authed(Method::POST, path, token)
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201, "POST {path}");
    response.json().await.expect("json")
}

/// A women-only adult shelter with one room of `beds` beds; returns (shelter, bed ids).
pub async fn shelter(app: &TestApp, fixture: &Fixture, beds: usize) -> (String, Vec<String>) {
    let token = &fixture.admin.access_token;
    let shelter = post(app, token, "/api/v1/shelters", json!({
        "name": "Maison Test", "address": "Rue de la Paix 1, 1000 Bruxelles", "capacity": 10,
        "admits_genders": ["female", "transgender_female"], "admits_minors": false, "min_age": 18
    }))
    .await;
    let shelter_id = shelter["id"].as_str().expect("id").to_owned();
    let room = post(
        app,
        token,
        "/api/v1/rooms",
        json!({"shelter_id": shelter_id, "name": "Room 1"}),
    )
    .await;
    let room_id = room["id"].as_str().expect("id").to_owned();
    let mut ids = Vec::new();
    for i in 0..beds {
        let bed = post(
            app,
            token,
            "/api/v1/beds",
            json!({"room_id": room_id, "label": format!("B{i}")}),
        )
        .await;
        ids.push(bed["id"].as_str().expect("id").to_owned());
    }
    (shelter_id, ids)
}

pub fn adult_woman() -> Value {
    json!({"identity": {"used_name": "Grace"}, "gender": "female", "birth_year": 1995, "trafficking_status": "possible"})
}

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

fn days_from_today(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

async fn occupancy(app: &TestApp, token: &str, shelter: &str) -> Value {
    app.get_as(&format!("/api/v1/shelters/{shelter}/occupancy"), token)
        .await
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn a_client_is_placed_leaves_and_the_bed_is_free_again() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = fixture.admin.access_token.clone();
    let (shelter_id, beds) = shelter(&app, &fixture, 2).await;
    let created = register(&app, &token, adult_woman()).await;
    let case = created["case_id"].as_str().expect("case");

    let placed = post(&app, &token, "/api/v1/placements", json!({"case_id": case, "bed_id": beds[0], "start_on": today(), "planned_end": days_from_today(45)})).await;
    assert_eq!(placed["status"], "admitted");
    assert_eq!(placed["shelter_id"], shelter_id.as_str());
    let counts = occupancy(&app, &token, &shelter_id).await;
    assert_eq!(
        (
            counts["beds_total"].as_u64(),
            counts["beds_occupied"].as_u64(),
            counts["beds_free"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );

    // The same bed again, overlapping: refused by the database.
    let second = register(&app, &token, adult_woman()).await;
    let second_case = second["case_id"].as_str().expect("case");
    let response = app
        .authed(Method::POST, "/api/v1/placements", &token)
        .json(&json!({"case_id": second_case, "bed_id": beds[0], "start_on": days_from_today(10)}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 409, "bed_taken").await;
    // A reservation of the other bed counts as reserved.
    post(&app, &token, "/api/v1/placements", json!({"case_id": second_case, "bed_id": beds[1], "start_on": today(), "status": "reserved"})).await;
    let counts = occupancy(&app, &token, &shelter_id).await;
    assert_eq!(
        (
            counts["beds_reserved"].as_u64(),
            counts["beds_free"].as_u64()
        ),
        (Some(1), Some(0))
    );

    // Leaving needs the version and a reason; then the bed is free from the day after.
    let path = format!("/api/v1/placements/{}", placed["id"].as_str().expect("id"));
    let etag = app.get_as(&path, &token).await.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let leave = |tag: Option<&str>, body: Value| {
        let mut request = app.authed(Method::PATCH, &path, &token).json(&body);
        if let Some(tag) = tag {
            request = request.header("if-match", tag);
        }
        request.send()
    };
    assert_problem(
        leave(
            None,
            json!({"status": "left", "leave_reason": "planned_end"}),
        )
        .await
        .expect("request"),
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        leave(Some(&etag), json!({"status": "left"}))
            .await
            .expect("request"),
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        leave(Some(&etag), json!({"status": "reserved"}))
            .await
            .expect("request"),
        409,
        "placement_state",
    )
    .await;
    let left: Value = leave(
        Some(&etag),
        json!({"status": "left", "leave_reason": "moved_to_other_accommodation"}),
    )
    .await
    .expect("request")
    .json()
    .await
    .expect("json");
    assert_eq!(left["status"], "left");
    assert_eq!(left["leave_reason"], "moved_to_other_accommodation");
    let third = register(&app, &token, adult_woman()).await;
    post(
        &app,
        &token,
        "/api/v1/placements",
        json!({"case_id": third["case_id"], "bed_id": beds[0], "start_on": days_from_today(1)}),
    )
    .await;

    // A bed with placements on record stays: it can be taken out of service, not removed.
    let response = app
        .authed(Method::DELETE, &format!("/api/v1/beds/{}", beds[0]), &token)
        .send()
        .await
        .expect("request");
    assert_problem(response, 409, "bed_in_use").await;
    let bed = app
        .get_as(&format!("/api/v1/beds/{}", beds[0]), &token)
        .await;
    assert_eq!(bed.status().as_u16(), 200, "the bed is still there");
}

#[tokio::test]
async fn the_admission_policy_and_bed_state_are_enforced() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = fixture.admin.access_token.clone();
    let (_, beds) = shelter(&app, &fixture, 2).await;
    let man = register(
        &app,
        &token,
        json!({"gender": "male", "birth_year": 1990, "trafficking_status": "possible"}),
    )
    .await;
    let response = app
        .authed(Method::POST, "/api/v1/placements", &token)
        .json(&json!({"case_id": man["case_id"], "bed_id": beds[0], "start_on": today()}))
        .send()
        .await
        .expect("request");
    let problem = assert_problem(response, 409, "admission_policy").await;
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("gender")
    );
    let minor = register(
        &app,
        &token,
        json!({"gender": "female", "age_band": "9-17", "trafficking_status": "possible"}),
    )
    .await;
    let response = app
        .authed(Method::POST, "/api/v1/placements", &token)
        .json(&json!({"case_id": minor["case_id"], "bed_id": beds[0], "start_on": today()}))
        .send()
        .await
        .expect("request");
    let problem = assert_problem(response, 409, "admission_policy").await;
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("minors")
    );

    // An out-of-service bed takes no one.
    let bed_path = format!("/api/v1/beds/{}", beds[1]);
    let etag = app.get_as(&bed_path, &token).await.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let response = app
        .authed(Method::PATCH, &bed_path, &token)
        .header("if-match", etag)
        .json(&json!({"status": "out_of_service"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let woman = register(&app, &token, adult_woman()).await;
    let response = app
        .authed(Method::POST, "/api/v1/placements", &token)
        .json(&json!({"case_id": woman["case_id"], "bed_id": beds[1], "start_on": today()}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 409, "bed_out_of_service").await;
    // Dates are checked.
    let response = app
        .authed(Method::POST, "/api/v1/placements", &token)
        .json(&json!({"case_id": woman["case_id"], "bed_id": beds[0], "start_on": today(), "planned_end": days_from_today(-1)}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 422, "validation_failed").await;
}

#[tokio::test]
async fn concurrent_admissions_to_the_last_free_bed_place_exactly_one() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = fixture.admin.access_token.clone();
    let (shelter_id, beds) = shelter(&app, &fixture, 1).await;
    let mut cases = Vec::new();
    for _ in 0..6 {
        let created = register(&app, &token, adult_woman()).await;
        cases.push(created["case_id"].as_str().expect("case").to_owned());
    }
    let requests = cases.iter().map(|case| {
        app.authed(Method::POST, "/api/v1/placements", &token)
            .json(&json!({"case_id": case, "bed_id": beds[0], "start_on": today()}))
            .send()
    });
    let responses = futures_util::future::join_all(requests).await;
    let statuses: Vec<u16> = responses
        .into_iter()
        .map(|r| r.expect("request").status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        5,
        "{statuses:?}"
    );
    let counts = occupancy(&app, &token, &shelter_id).await;
    assert_eq!(counts["beds_occupied"].as_u64(), Some(1));
    let placed: Value = app
        .get_as(
            &format!("/api/v1/placements?shelter_id={shelter_id}"),
            &token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(placed["items"].as_array().expect("items").len(), 1);
}

/// Gives `token`'s tenant (already furnished with a bed) a client whose case is placed in its
/// first bed, through the API. Returns the case id.
pub async fn place_a_client(app: &TestApp, token: &str) -> String {
    let beds: Value = app
        .get_as("/api/v1/beds", token)
        .await
        .json()
        .await
        .expect("json");
    let bed = beds["items"][0]["id"].as_str().expect("a bed").to_owned();
    let created = register(app, token, adult_woman()).await;
    post(
        app,
        token,
        "/api/v1/placements",
        json!({"case_id": created["case_id"], "bed_id": bed, "start_on": today()}),
    )
    .await;
    created["case_id"].as_str().expect("case").to_owned()
}

#[tokio::test]
async fn shelter_staff_see_residents_and_managers_see_the_cases_placed_with_them() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = fixture.admin.access_token.clone();
    let (shelter_id, beds) = shelter(&app, &fixture, 2).await;
    let mut details = adult_woman();
    details["identity"] = json!({"legal_family_name": "Residentname", "used_name": "Grace"});
    details["languages"] = json!(["ro", "en"]);
    details["needs"] = json!(["medical"]);
    let created = register(&app, &token, details).await;
    let case = created["case_id"].as_str().expect("case").to_owned();
    post(
        &app,
        &token,
        "/api/v1/placements",
        json!({"case_id": case, "bed_id": beds[0], "start_on": today()}),
    )
    .await;

    let (staff_id, staff) = app.add_user(&fixture, &["shelter_staff"]).await;
    let (_, other_staff) = app.add_user(&fixture, &["shelter_staff"]).await;
    let (manager_id, manager) = app.add_user(&fixture, &["shelter_manager"]).await;
    let (_, analyst) = app.add_user(&fixture, &["analyst"]).await;
    for user in [&staff_id, &manager_id] {
        post(
            &app,
            &token,
            &format!("/api/v1/shelters/{shelter_id}/staff"),
            json!({"user_id": user}),
        )
        .await;
    }
    let path = format!("/api/v1/shelters/{shelter_id}/residents");
    let residents = app.get_as(&path, &staff.access_token).await;
    assert_eq!(residents.status().as_u16(), 200);
    let residents: Value = residents.json().await.expect("json");
    let text = residents.to_string();
    assert_eq!(
        residents["items"][0]["case_code"],
        created["client"]["case_code"]
    );
    assert_eq!(residents["items"][0]["bed"], "B0");
    assert_eq!(residents["items"][0]["languages"], json!(["en", "ro"]));
    assert!(
        !text.contains("Residentname") && !text.contains("Grace"),
        "{text}"
    );
    assert_problem(
        app.get_as(&path, &other_staff.access_token).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(&path, &analyst.access_token).await,
        403,
        "forbidden",
    )
    .await;
    // Staff still see no case or client.
    assert_problem(
        app.get_as(&format!("/api/v1/cases/{case}"), &staff.access_token)
            .await,
        404,
        "not_found",
    )
    .await;

    // The manager of the shelter sees the case placed there, without being on its team.
    assert_eq!(
        app.get_as(&format!("/api/v1/cases/{case}"), &manager.access_token)
            .await
            .status()
            .as_u16(),
        200
    );
    let (_, elsewhere) = app.add_user(&fixture, &["shelter_manager"]).await;
    assert_problem(
        app.get_as(&format!("/api/v1/cases/{case}"), &elsewhere.access_token)
            .await,
        404,
        "not_found",
    )
    .await;
}
