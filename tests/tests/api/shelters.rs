//! Shelters, rooms, beds, staff and occupancy: creation, validation, the sealed address and
//! who may read it, versions, the capacity guard, and removal rules.

use crate::helpers::{TestApp, assert_problem, spawn_app};
use haven_domain::entities::shelter;
use haven_domain::ids::TenantId;
use reqwest::Method;
use sea_orm::{ColumnTrait as _, QueryFilter as _};
use serde_json::{Value, json};

const ADDRESS: &str = "Rue Secrète 17\n1000 Bruxelles";

/// A valid shelter body with `name` and `capacity`.
fn shelter_body(name: &str, capacity: i64) -> Value {
    json!({
        "name": name,
        "address": ADDRESS,
        "capacity": capacity,
        "admits_genders": ["female", "transgender_female"],
        "admits_minors": false,
        "min_age": 18,
        "phone": "+32 2 555 01 01",
        "email": "intake@shelter.example",
    })
}

async fn post(app: &TestApp, path: &str, token: &str, body: &Value) -> reqwest::Response {
    app.authed(Method::POST, path, token)
        .json(body)
        .send()
        .await
        .expect("request")
}

async fn send(app: &TestApp, method: Method, path: &str, token: &str) -> reqwest::Response {
    app.authed(method, path, token)
        .send()
        .await
        .expect("request")
}

/// Posts `body` to `path` and returns the created resource; panics unless 201.
async fn created(app: &TestApp, path: &str, token: &str, body: &Value) -> Value {
    let response = post(app, path, token, body).await;
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    assert_eq!(status, 201, "POST {path}: {text}");
    serde_json::from_str(&text).expect("json")
}

async fn json_of(app: &TestApp, path: &str, token: &str) -> Value {
    let response = app.get_as(path, token).await;
    assert_eq!(response.status().as_u16(), 200, "GET {path}");
    response.json().await.expect("json")
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("id").to_owned()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(id)
        .collect()
}

/// Gives `token`'s tenant a shelter with one room, one bed and `staff` assigned to it, through
/// the API. Returns the shelter's id.
pub async fn furnish(app: &TestApp, token: &str, staff: &str) -> String {
    let shelter = created(app, "/api/v1/shelters", token, &shelter_body("Maison A", 4)).await;
    let shelter_id = id(&shelter);
    let room = created(
        app,
        "/api/v1/rooms",
        token,
        &json!({"shelter_id": shelter_id, "name": "Room 1"}),
    )
    .await;
    created(
        app,
        "/api/v1/beds",
        token,
        &json!({"room_id": id(&room), "label": "1A"}),
    )
    .await;
    created(
        app,
        &format!("/api/v1/shelters/{shelter_id}/staff"),
        token,
        &json!({"user_id": staff}),
    )
    .await;
    shelter_id
}

/// The document's JSON Schema counts `12.0` as an integer, so a client may send a whole number
/// that way; a number with a fraction is still refused for an integer field.
#[tokio::test]
async fn a_whole_number_with_a_zero_fraction_is_taken_as_the_integer_it_is() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = &fixture.admin.access_token;

    let mut body = shelter_body("Maison Décimale", 0);
    body["capacity"] = json!(12.0);
    body["min_age"] = json!(1.8e1);
    assert_eq!(body.to_string().matches("12.0").count(), 1, "sent as 12.0");
    let response = post(&app, "/api/v1/shelters", token, &body).await;
    assert_eq!(response.status().as_u16(), 201);
    let shelter: Value = response.json().await.expect("json");
    assert_eq!(shelter["capacity"], 12);
    assert_eq!(shelter["min_age"], 18);

    let mut body = shelter_body("Maison Fractionnaire", 0);
    body["capacity"] = json!(12.5);
    let response = post(&app, "/api/v1/shelters", token, &body).await;
    assert_problem(response, 400, "invalid_body").await;
}

#[tokio::test]
async fn a_shelter_is_furnished_with_rooms_and_beds() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = &fixture.admin.access_token;

    let response = post(
        &app,
        "/api/v1/shelters",
        token,
        &shelter_body("Maison Lumière", 10),
    )
    .await;
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(response.headers().contains_key("etag"));
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let shelter: Value = response.json().await.expect("json");
    let shelter_id = id(&shelter);
    assert_eq!(location, format!("/api/v1/shelters/{shelter_id}"));
    assert_eq!(shelter["address"], ADDRESS);
    assert_eq!(shelter["status"], "active");
    assert_eq!(shelter["capacity"], 10);
    assert_eq!(
        shelter["admits_genders"],
        json!(["female", "transgender_female"])
    );
    assert_eq!(shelter["email"], "intake@shelter.example");
    assert_eq!(shelter["max_age"], Value::Null);

    let room = created(
        &app,
        "/api/v1/rooms",
        token,
        &json!({"shelter_id": shelter_id, "name": "Room 1", "floor": "Ground", "notes": "Step-free"}),
    )
    .await;
    let other_room = created(
        &app,
        "/api/v1/rooms",
        token,
        &json!({"shelter_id": shelter_id, "name": "Room 2"}),
    )
    .await;
    assert_eq!(room["shelter_id"], shelter_id.as_str());
    assert_eq!(other_room["floor"], Value::Null);
    assert_eq!(other_room["notes"], "");
    let room_id = id(&room);
    let mut bed_ids = Vec::new();
    for label in ["1A", "1B"] {
        let bed = created(
            &app,
            "/api/v1/beds",
            token,
            &json!({"room_id": room_id, "label": label}),
        )
        .await;
        assert_eq!(
            bed["shelter_id"],
            shelter_id.as_str(),
            "a bed belongs to its room's shelter"
        );
        assert_eq!(bed["status"], "available");
        bed_ids.push(id(&bed));
    }
    let broken = created(
        &app,
        "/api/v1/beds",
        token,
        &json!({"room_id": id(&other_room), "label": "2A", "status": "out_of_service"}),
    )
    .await;

    // Lists, with their filters; shelters in lists never carry the address.
    let shelters = json_of(&app, "/api/v1/shelters", token).await;
    assert_eq!(ids(&shelters), [shelter_id.as_str()]);
    assert_eq!(shelters["items"][0]["address"], Value::Null);
    assert_eq!(shelters["next_cursor"], Value::Null);
    let closed = json_of(&app, "/api/v1/shelters?status=closed", token).await;
    assert!(ids(&closed).is_empty());
    let rooms = json_of(
        &app,
        &format!("/api/v1/rooms?shelter_id={shelter_id}"),
        token,
    )
    .await;
    assert_eq!(ids(&rooms).len(), 2);
    let in_room = json_of(&app, &format!("/api/v1/beds?room_id={room_id}"), token).await;
    assert_eq!(ids(&in_room), bed_ids);
    let out = json_of(&app, "/api/v1/beds?status=out_of_service", token).await;
    assert_eq!(ids(&out), [id(&broken)]);
    let all = json_of(
        &app,
        &format!("/api/v1/beds?shelter_id={shelter_id}&limit=2"),
        token,
    )
    .await;
    assert_eq!(ids(&all).len(), 2);
    let cursor = all["next_cursor"].as_str().expect("a second page");
    let rest = json_of(
        &app,
        &format!("/api/v1/beds?shelter_id={shelter_id}&limit=2&cursor={cursor}"),
        token,
    )
    .await;
    assert_eq!(ids(&rest), [id(&broken)]);
    let unrelated = json_of(
        &app,
        &format!("/api/v1/rooms?shelter_id={}", uuid::Uuid::now_v7()),
        token,
    )
    .await;
    assert!(ids(&unrelated).is_empty());

    let bed = json_of(&app, &format!("/api/v1/beds/{}", bed_ids[0]), token).await;
    assert_eq!(bed["label"], "1A");
    assert_eq!(bed["room_id"], room_id.as_str());
    let room = json_of(&app, &format!("/api/v1/rooms/{room_id}"), token).await;
    assert_eq!(room["notes"], "Step-free");

    assert_problem(
        app.get_as("/api/v1/beds?status=broken", token).await,
        400,
        "invalid_query",
    )
    .await;
    assert_problem(
        app.get_as("/api/v1/shelters?status=open", token).await,
        400,
        "invalid_query",
    )
    .await;
    assert_problem(
        app.get_as("/api/v1/rooms?shelter_id=nope", token).await,
        400,
        "invalid_query",
    )
    .await;
    assert_problem(
        app.get_as(&format!("/api/v1/beds/{}", uuid::Uuid::now_v7()), token)
            .await,
        404,
        "not_found",
    )
    .await;

    // Names are unique where people would confuse them.
    assert_problem(
        post(
            &app,
            "/api/v1/shelters",
            token,
            &shelter_body("Maison Lumière", 3),
        )
        .await,
        409,
        "shelter_name_taken",
    )
    .await;
    assert_problem(
        post(
            &app,
            "/api/v1/rooms",
            token,
            &json!({"shelter_id": shelter_id, "name": "Room 1"}),
        )
        .await,
        409,
        "room_name_taken",
    )
    .await;
    assert_problem(
        post(
            &app,
            "/api/v1/beds",
            token,
            &json!({"room_id": room_id, "label": "1A"}),
        )
        .await,
        409,
        "bed_label_taken",
    )
    .await;
}

fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field").to_owned())
        .collect()
}

#[tokio::test]
async fn invalid_input_is_refused_with_every_bad_field() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = &fixture.admin.access_token;

    let bad = json!({
        "name": "",
        "address": "   ",
        "capacity": 0,
        "admits_genders": ["robot"],
        "min_age": -3,
        "max_age": 900,
        "phone": "call us",
        "email": "not-an-address",
    });
    let problem = assert_problem(
        post(&app, "/api/v1/shelters", token, &bad).await,
        422,
        "validation_failed",
    )
    .await;
    let fields = error_fields(&problem);
    for field in [
        "name",
        "address",
        "capacity",
        "admits_genders",
        "min_age",
        "max_age",
        "phone",
        "email",
    ] {
        assert!(fields.contains(&field.to_owned()), "{field} in {fields:?}");
    }
    let mut too_big = shelter_body("Big", 10_001);
    too_big["admits_genders"] = json!([]);
    let problem = assert_problem(
        post(&app, "/api/v1/shelters", token, &too_big).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["capacity", "admits_genders"]);
    let mut contradictory = shelter_body("Youth", 5);
    contradictory["max_age"] = json!(16);
    let problem = assert_problem(
        post(&app, "/api/v1/shelters", token, &contradictory).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["max_age"]);
    let mut unknown = shelter_body("Sneaky", 5);
    unknown["tenant_id"] = json!(fixture.id);
    assert_problem(
        post(&app, "/api/v1/shelters", token, &unknown).await,
        400,
        "invalid_body",
    )
    .await;

    let shelter = created(&app, "/api/v1/shelters", token, &shelter_body("Maison", 5)).await;
    let problem = assert_problem(
        post(
            &app,
            "/api/v1/rooms",
            token,
            &json!({"shelter_id": id(&shelter), "name": "x".repeat(101), "floor": ""}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["name", "floor"]);
    let problem = assert_problem(
        post(
            &app,
            "/api/v1/rooms",
            token,
            &json!({"shelter_id": uuid::Uuid::now_v7(), "name": "Room"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["shelter_id"]);
    let problem = assert_problem(
        post(
            &app,
            "/api/v1/beds",
            token,
            &json!({"room_id": uuid::Uuid::now_v7(), "label": "", "status": "broken"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["label", "status"]);
    let problem = assert_problem(
        post(
            &app,
            "/api/v1/beds",
            token,
            &json!({"room_id": uuid::Uuid::now_v7(), "label": "1A"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["room_id"]);
}

#[tokio::test]
async fn the_address_is_sealed_and_shown_only_to_those_who_may_read_it() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let admin = &fixture.admin.access_token;
    let (worker_id, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let (_, staff) = app.add_user(&fixture, &["shelter_staff"]).await;
    let (_, analyst) = app.add_user(&fixture, &["analyst"]).await;
    let (_, manager) = app.add_user(&fixture, &["shelter_manager"]).await;

    let shelter = created(
        &app,
        "/api/v1/shelters",
        &manager.access_token,
        &shelter_body("Safe House", 6),
    )
    .await;
    let shelter_id = id(&shelter);
    assert_eq!(
        shelter["address"], ADDRESS,
        "the manager who wrote it sees it"
    );

    // In the database the address is ciphertext.
    let tenant = TenantId::from_uuid(uuid::Uuid::parse_str(&fixture.id).expect("uuid"));
    let txn = haven_domain::tenancy::begin_scoped(&app.state.db, tenant)
        .await
        .expect("begin");
    let row = shelter::Entity::scoped(tenant)
        .filter(shelter::Column::Id.eq(uuid::Uuid::parse_str(&shelter_id).expect("uuid")))
        .one(&txn)
        .await
        .expect("query")
        .expect("the shelter row");
    drop(txn);
    assert!(row.address_sealed.starts_with("f1."), "sealed format");
    // Fragments long enough not to turn up in base64 by chance.
    for fragment in ["Secrète", "Bruxelles", "Rue Secr"] {
        assert!(
            !row.address_sealed.contains(fragment),
            "{fragment} in clear"
        );
    }

    let path = format!("/api/v1/shelters/{shelter_id}");
    let seen_by = |token: String| {
        let path = path.clone();
        let app = &app;
        async move {
            let response = app.get_as(&path, &token).await;
            assert_eq!(response.status().as_u16(), 200);
            assert_eq!(response.headers()["cache-control"], "no-store");
            let body: Value = response.json().await.expect("json");
            assert_eq!(body["name"], "Safe House");
            body["address"].clone()
        }
    };
    assert_eq!(seen_by(worker.access_token.clone()).await, ADDRESS);
    assert_eq!(seen_by(admin.clone()).await, ADDRESS);
    assert_eq!(seen_by(staff.access_token.clone()).await, Value::Null);
    assert_problem(
        app.get_as(&path, &analyst.access_token).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get_as("/api/v1/shelters", &analyst.access_token).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get_as("/api/v1/beds", &analyst.access_token).await,
        403,
        "forbidden",
    )
    .await;
    let staff_list = json_of(&app, "/api/v1/shelters", &staff.access_token).await;
    assert_eq!(ids(&staff_list), [shelter_id.as_str()]);

    // Only managers change shelters.
    assert_problem(
        post(
            &app,
            "/api/v1/shelters",
            &worker.access_token,
            &shelter_body("Other", 2),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        post(
            &app,
            "/api/v1/rooms",
            &staff.access_token,
            &json!({"shelter_id": shelter_id, "name": "R"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;

    // Each read of the address is audited, and the audit holds no address.
    let events = json_of(
        &app,
        &format!("/api/v1/audit-events?action=shelter.address_read&actor={worker_id}"),
        admin,
    )
    .await;
    let items = events["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["target_type"], "shelter");
    assert_eq!(items[0]["target_id"], shelter_id.as_str());
    let all = json_of(&app, "/api/v1/audit-events?limit=200", admin).await;
    assert!(
        !all.to_string().contains("Secrète"),
        "no address in the audit log"
    );
}

#[tokio::test]
async fn changes_need_the_current_version() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = &fixture.admin.access_token;
    let shelter = created(&app, "/api/v1/shelters", token, &shelter_body("Maison", 5)).await;
    let path = format!("/api/v1/shelters/{}", id(&shelter));
    let response = app.get_as(&path, token).await;
    let etag = response.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();

    let patch = |if_match: Option<String>, body: Value| {
        let mut request = app.authed(Method::PATCH, &path, token).json(&body);
        if let Some(tag) = if_match {
            request = request.header("if-match", tag);
        }
        request.send()
    };
    assert_problem(
        patch(None, json!({"capacity": 8})).await.expect("request"),
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        patch(Some("\"1\"".into()), json!({"capacity": 8}))
            .await
            .expect("request"),
        412,
        "precondition_failed",
    )
    .await;
    assert_problem(
        patch(Some(etag.clone()), json!({"capacity": 0, "status": "gone"}))
            .await
            .expect("request"),
        422,
        "validation_failed",
    )
    .await;
    // The admission policy is checked as a whole: no minors, but a maximum age of 16.
    let problem = assert_problem(
        patch(Some(etag.clone()), json!({"max_age": 16}))
            .await
            .expect("request"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["max_age"]);
    assert_problem(
        patch(Some(etag.clone()), json!({"address_sealed": "x"}))
            .await
            .expect("request"),
        400,
        "invalid_body",
    )
    .await;

    let new_address = "Avenue Nouvelle 3\n1050 Ixelles";
    let response = patch(
        Some(etag.clone()),
        json!({"capacity": 8, "phone": null, "address": new_address, "admits_minors": true, "min_age": 12}),
    )
    .await
    .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let new_etag = response.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_ne!(new_etag, etag);
    let updated: Value = response.json().await.expect("json");
    assert_eq!(updated["capacity"], 8);
    assert_eq!(updated["phone"], Value::Null);
    assert_eq!(
        updated["email"], "intake@shelter.example",
        "untouched fields stay"
    );
    assert_eq!(updated["address"], new_address);
    assert_eq!(json_of(&app, &path, token).await["address"], new_address);
    // The old version no longer applies.
    assert_problem(
        patch(Some(etag), json!({"capacity": 9}))
            .await
            .expect("request"),
        412,
        "precondition_failed",
    )
    .await;

    // Rooms and beds are versioned too.
    let room = created(
        &app,
        "/api/v1/rooms",
        token,
        &json!({"shelter_id": id(&shelter), "name": "R1", "floor": "1"}),
    )
    .await;
    let room_path = format!("/api/v1/rooms/{}", id(&room));
    let room_etag = app.get_as(&room_path, token).await.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_problem(
        app.authed(Method::PATCH, &room_path, token)
            .json(&json!({"name": "R2"}))
            .send()
            .await
            .expect("request"),
        428,
        "precondition_required",
    )
    .await;
    let response = app
        .authed(Method::PATCH, &room_path, token)
        .header("if-match", room_etag)
        .json(&json!({"name": "R2", "floor": null}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let room: Value = response.json().await.expect("json");
    assert_eq!(
        (room["name"].as_str(), room["floor"].as_str()),
        (Some("R2"), None)
    );

    // A closed shelter takes no new rooms or beds.
    let response = patch(Some(new_etag), json!({"status": "closed"}))
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    assert_problem(
        post(
            &app,
            "/api/v1/rooms",
            token,
            &json!({"shelter_id": id(&shelter), "name": "R3"}),
        )
        .await,
        409,
        "shelter_closed",
    )
    .await;
    assert_problem(
        post(
            &app,
            "/api/v1/beds",
            token,
            &json!({"room_id": id(&room), "label": "A"}),
        )
        .await,
        409,
        "shelter_closed",
    )
    .await;
    let closed = json_of(&app, "/api/v1/shelters?status=closed", token).await;
    assert_eq!(ids(&closed), [id(&shelter)]);
}

#[tokio::test]
async fn staff_are_assigned_listed_and_removed() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let other = app.onboard().await;
    let token = &fixture.admin.access_token;
    let (staff_id, staff) = app.add_user(&fixture, &["shelter_staff"]).await;
    let (foreign_id, _) = app.add_user(&other, &["shelter_staff"]).await;
    let shelter = created(&app, "/api/v1/shelters", token, &shelter_body("Maison", 5)).await;
    let staff_path = format!("/api/v1/shelters/{}/staff", id(&shelter));

    let response = post(&app, &staff_path, token, &json!({"user_id": staff_id})).await;
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(
        response.headers()["location"].to_str().expect("ascii"),
        format!("{staff_path}/{staff_id}")
    );
    let member: Value = response.json().await.expect("json");
    assert_eq!(member["id"], staff_id.as_str());
    assert_eq!(member["roles"], json!(["shelter_staff"]));
    assert_eq!(member["name"], "Test User");
    assert!(
        member["email"]
            .as_str()
            .expect("email")
            .ends_with(".example")
    );
    assert_problem(
        post(&app, &staff_path, token, &json!({"user_id": staff_id})).await,
        409,
        "staff_already_assigned",
    )
    .await;

    // Another tenant's user, or no one, cannot be assigned: not found.
    assert_problem(
        post(&app, &staff_path, token, &json!({"user_id": foreign_id})).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        post(
            &app,
            &staff_path,
            token,
            &json!({"user_id": uuid::Uuid::now_v7()}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    // Staff may see who works there, but not change it.
    let listed = json_of(&app, &staff_path, &staff.access_token).await;
    assert_eq!(ids(&listed), [staff_id.as_str()]);
    let one = json_of(
        &app,
        &format!("{staff_path}/{staff_id}"),
        &staff.access_token,
    )
    .await;
    assert_eq!(one["id"], staff_id.as_str());
    assert_problem(
        send(
            &app,
            Method::DELETE,
            &format!("{staff_path}/{staff_id}"),
            &staff.access_token,
        )
        .await,
        403,
        "forbidden",
    )
    .await;

    let response = send(
        &app,
        Method::DELETE,
        &format!("{staff_path}/{staff_id}"),
        token,
    )
    .await;
    assert_eq!(response.status().as_u16(), 204);
    assert!(ids(&json_of(&app, &staff_path, token).await).is_empty());
    assert_problem(
        send(
            &app,
            Method::DELETE,
            &format!("{staff_path}/{staff_id}"),
            token,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(&format!("{staff_path}/{staff_id}"), token).await,
        404,
        "not_found",
    )
    .await;

    // A deactivated user is not assigned.
    let (gone_id, _) = app.add_user(&fixture, &["shelter_staff"]).await;
    let response = send(
        &app,
        Method::DELETE,
        &format!("/api/v1/users/{gone_id}"),
        token,
    )
    .await;
    assert_eq!(response.status().as_u16(), 204);
    assert_problem(
        post(&app, &staff_path, token, &json!({"user_id": gone_id})).await,
        409,
        "user_deactivated",
    )
    .await;

    let events = json_of(
        &app,
        "/api/v1/audit-events?action=shelter.staff_assigned",
        token,
    )
    .await;
    assert_eq!(events["items"][0]["details"]["user_id"], staff_id.as_str());
}

async fn occupancy(app: &TestApp, shelter: &str, token: &str) -> Value {
    json_of(app, &format!("/api/v1/shelters/{shelter}/occupancy"), token).await
}

fn counts(value: &Value) -> [u64; 6] {
    [
        "beds_total",
        "beds_available",
        "beds_out_of_service",
        "beds_occupied",
        "beds_reserved",
        "beds_free",
    ]
    .map(|k| {
        value[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k} in {value}"))
    })
}

#[tokio::test]
async fn occupancy_counts_the_beds_by_state() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = &fixture.admin.access_token;
    let (_, staff) = app.add_user(&fixture, &["shelter_staff"]).await;
    let shelter = created(&app, "/api/v1/shelters", token, &shelter_body("Maison", 10)).await;
    let shelter_id = id(&shelter);
    let empty = occupancy(&app, &shelter_id, token).await;
    assert_eq!(counts(&empty), [0; 6]);
    assert_eq!(empty["rooms"], json!([]));

    let alpha = created(
        &app,
        "/api/v1/rooms",
        token,
        &json!({"shelter_id": shelter_id, "name": "Alpha"}),
    )
    .await;
    let beta = created(
        &app,
        "/api/v1/rooms",
        token,
        &json!({"shelter_id": shelter_id, "name": "Beta"}),
    )
    .await;
    let mut alpha_beds = Vec::new();
    for (label, status) in [
        ("A1", "available"),
        ("A2", "available"),
        ("A3", "out_of_service"),
    ] {
        let bed = created(
            &app,
            "/api/v1/beds",
            token,
            &json!({"room_id": id(&alpha), "label": label, "status": status}),
        )
        .await;
        alpha_beds.push(id(&bed));
    }
    created(
        &app,
        "/api/v1/beds",
        token,
        &json!({"room_id": id(&beta), "label": "B1"}),
    )
    .await;

    let now = occupancy(&app, &shelter_id, &staff.access_token).await;
    assert_eq!(now["shelter_id"], shelter_id.as_str());
    assert_eq!(now["capacity"], 10);
    assert_eq!(counts(&now), [4, 3, 1, 0, 0, 3]);
    let rooms = now["rooms"].as_array().expect("rooms");
    assert_eq!(rooms.len(), 2);
    assert_eq!(
        (rooms[0]["name"].as_str(), rooms[0]["room_id"].as_str()),
        (Some("Alpha"), Some(id(&alpha).as_str()))
    );
    assert_eq!(counts(&rooms[0]), [3, 2, 1, 0, 0, 2]);
    assert_eq!(counts(&rooms[1]), [1, 1, 0, 0, 0, 1]);

    // Taking a bed out of service shows at once.
    let bed_path = format!("/api/v1/beds/{}", alpha_beds[0]);
    let etag = app.get_as(&bed_path, token).await.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let response = app
        .authed(Method::PATCH, &bed_path, token)
        .header("if-match", etag)
        .json(&json!({"status": "out_of_service"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        counts(&occupancy(&app, &shelter_id, token).await),
        [4, 2, 2, 0, 0, 2]
    );

    // A bed moves only within its shelter.
    let elsewhere = created(
        &app,
        "/api/v1/shelters",
        token,
        &shelter_body("Elsewhere", 2),
    )
    .await;
    let far_room = created(
        &app,
        "/api/v1/rooms",
        token,
        &json!({"shelter_id": id(&elsewhere), "name": "Far"}),
    )
    .await;
    let etag = app.get_as(&bed_path, token).await.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let move_to = |room: String, tag: String| {
        app.authed(Method::PATCH, &bed_path, token)
            .header("if-match", tag)
            .json(&json!({"room_id": room}))
            .send()
    };
    let problem = assert_problem(
        move_to(id(&far_room), etag.clone()).await.expect("request"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(error_fields(&problem), ["room_id"]);
    let response = move_to(id(&beta), etag).await.expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let moved: Value = response.json().await.expect("json");
    assert_eq!(moved["room_id"], id(&beta).as_str());
    let now = occupancy(&app, &shelter_id, token).await;
    assert_eq!(counts(&now["rooms"][1]), [2, 1, 1, 0, 0, 1]);
    assert_problem(
        app.get_as(
            &format!("/api/v1/shelters/{}/occupancy", uuid::Uuid::now_v7()),
            token,
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn beds_never_outnumber_the_capacity_and_removal_keeps_history_safe() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = &fixture.admin.access_token;
    let shelter = created(&app, "/api/v1/shelters", token, &shelter_body("Small", 2)).await;
    let shelter_path = format!("/api/v1/shelters/{}", id(&shelter));
    let room = created(
        &app,
        "/api/v1/rooms",
        token,
        &json!({"shelter_id": id(&shelter), "name": "Only"}),
    )
    .await;
    let room_path = format!("/api/v1/rooms/{}", id(&room));
    let mut beds = Vec::new();
    for label in ["1", "2"] {
        beds.push(id(&created(
            &app,
            "/api/v1/beds",
            token,
            &json!({"room_id": id(&room), "label": label}),
        )
        .await));
    }
    assert_problem(
        post(
            &app,
            "/api/v1/beds",
            token,
            &json!({"room_id": id(&room), "label": "3"}),
        )
        .await,
        409,
        "capacity_reached",
    )
    .await;

    let patch_capacity = |capacity: i64| {
        app.authed(Method::PATCH, &shelter_path, token)
            .header("if-match", "*")
            .json(&json!({"capacity": capacity}))
            .send()
    };
    assert_problem(
        patch_capacity(1).await.expect("request"),
        409,
        "capacity_below_beds",
    )
    .await;
    assert_eq!(
        patch_capacity(3).await.expect("request").status().as_u16(),
        200
    );
    beds.push(id(&created(
        &app,
        "/api/v1/beds",
        token,
        &json!({"room_id": id(&room), "label": "3"}),
    )
    .await));

    // A shelter or room with beds stays; beds go first.
    assert_problem(
        send(&app, Method::DELETE, &shelter_path, token).await,
        409,
        "shelter_has_beds",
    )
    .await;
    assert_problem(
        send(&app, Method::DELETE, &room_path, token).await,
        409,
        "room_has_beds",
    )
    .await;
    for bed in &beds {
        let response = send(&app, Method::DELETE, &format!("/api/v1/beds/{bed}"), token).await;
        assert_eq!(response.status().as_u16(), 204);
    }
    assert_problem(
        app.get_as(&format!("/api/v1/beds/{}", beds[0]), token)
            .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        send(&app, Method::DELETE, &room_path, token)
            .await
            .status()
            .as_u16(),
        204
    );
    assert_problem(app.get_as(&room_path, token).await, 404, "not_found").await;

    // An empty shelter is removed with its empty rooms and its staff assignments.
    created(
        &app,
        "/api/v1/rooms",
        token,
        &json!({"shelter_id": id(&shelter), "name": "Empty"}),
    )
    .await;
    let (staff_id, _) = app.add_user(&fixture, &["shelter_staff"]).await;
    created(
        &app,
        &format!("{shelter_path}/staff"),
        token,
        &json!({"user_id": staff_id}),
    )
    .await;
    assert_eq!(
        send(&app, Method::DELETE, &shelter_path, token)
            .await
            .status()
            .as_u16(),
        204
    );
    assert_problem(app.get_as(&shelter_path, token).await, 404, "not_found").await;
    assert!(ids(&json_of(&app, "/api/v1/rooms", token).await).is_empty());
    assert_problem(
        send(&app, Method::DELETE, &shelter_path, token).await,
        404,
        "not_found",
    )
    .await;
    let events = json_of(&app, "/api/v1/audit-events?action=shelter.deleted", token).await;
    assert_eq!(
        events["items"][0]["details"],
        json!({"rooms_removed": 1, "staff_unassigned": 1})
    );
}

#[tokio::test]
async fn concurrent_writes_neither_overshoot_the_capacity_nor_split_the_tenant_key() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = &fixture.admin.access_token;

    // The tenant's first sealed addresses, written at once: every one must open afterwards.
    let bodies: Vec<Value> = (0..4)
        .map(|i| shelter_body(&format!("Parallel {i}"), 3))
        .collect();
    let shelters: Vec<Value> = futures_util::future::join_all(
        bodies
            .iter()
            .map(|body| created(&app, "/api/v1/shelters", token, body)),
    )
    .await;
    for shelter in &shelters {
        let read = json_of(&app, &format!("/api/v1/shelters/{}", id(shelter)), token).await;
        assert_eq!(read["address"], ADDRESS, "{}", read["name"]);
    }

    // Eight beds for three places, all at once: exactly three are made.
    let room = created(
        &app,
        "/api/v1/rooms",
        token,
        &json!({"shelter_id": id(&shelters[0]), "name": "Dormitory"}),
    )
    .await;
    let bodies: Vec<Value> = (0..8)
        .map(|i| json!({"room_id": id(&room), "label": format!("D{i}")}))
        .collect();
    let responses = futures_util::future::join_all(
        bodies
            .iter()
            .map(|body| post(&app, "/api/v1/beds", token, body)),
    )
    .await;
    let mut statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 201, 201, 409, 409, 409, 409, 409]);
    let occupancy = occupancy(&app, &id(&shelters[0]), token).await;
    assert_eq!(occupancy["beds_total"], 3);
}
