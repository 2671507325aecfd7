//! The shared referral directory: visibility of private and shared entries, proposals and
//! their verification, search (relevance, filters, cache invalidation), beds tonight, and
//! row-level security of the shared tables on PostgreSQL.

use crate::helpers::{Profile, TestApp, assert_problem, env, spawn_app};
use reqwest::Method;
use sea_orm::{ConnectionTrait as _, DatabaseBackend, Statement};
use serde_json::{Value, json};

/// A word no other entry of this run contains.
pub fn marker() -> String {
    format!("zq{}", &uuid::Uuid::now_v7().simple().to_string()[24..])
}

pub fn entry(name: &str, visibility: &str) -> Value {
    json!({
        "visibility": visibility, "name": name, "organisation_type": "ngo", "country": "be",
        "city": "Gent", "service_types": ["shelter", "legal_aid"], "languages": ["nl", "fr"],
        "email": "Intake@Example.org", "website": "https://ngo.example.org",
        "descriptions": {"en": "Safe housing and legal help.", "nl": "Veilige opvang."}
    })
}

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: &Value,
) -> reqwest::Response {
    app.authed(method, path, token)
        .json(body)
        .send()
        .await
        .expect("request")
}

/// Adds an entry as `token` and returns it; panics unless it is 201 with a Location.
pub async fn add(app: &TestApp, token: &str, body: &Value) -> Value {
    let response = send(
        app,
        Method::POST,
        "/api/v1/directory/organisations",
        token,
        body,
    )
    .await;
    assert_eq!(response.status().as_u16(), 201, "add a directory entry");
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("Location")
        .to_owned();
    let created: Value = response.json().await.expect("json");
    assert_eq!(
        location,
        format!(
            "/api/v1/directory/organisations/{}",
            created["id"].as_str().expect("id")
        )
    );
    created
}

/// A verified shared entry curated by the platform.
pub async fn curated(app: &TestApp, name: &str) -> Value {
    let platform = app.platform_token().await;
    let created = add(app, &platform, &entry(name, "shared")).await;
    assert_eq!(created["verification_status"], "verified");
    created
}

/// A private entry, a pending shared entry and a proposed edit of a verified shared entry of
/// the tenant behind `token`: (private id, pending id, proposal id).
pub async fn give_entries(app: &TestApp, token: &str) -> (String, String, String) {
    let private = add(
        app,
        token,
        &entry(&format!("Private {}", marker()), "private"),
    )
    .await;
    let pending = add(
        app,
        token,
        &entry(&format!("Pending {}", marker()), "shared"),
    )
    .await;
    let shared = curated(app, &format!("Curated {}", marker())).await;
    let path = format!(
        "/api/v1/directory/organisations/{}",
        shared["id"].as_str().expect("id")
    );
    let tag = app.etag_of(&path, token).await;
    let response = app
        .authed(Method::PATCH, &path, token)
        .header("if-match", tag)
        .json(&json!({"hours": "Mon–Fri 9–17"}))
        .send()
        .await
        .expect("request");
    assert_eq!(
        response.status().as_u16(),
        202,
        "an edit of a verified entry is a proposal"
    );
    let proposal: Value = response.json().await.expect("json");
    (
        id(&private),
        id(&pending),
        proposal["id"].as_str().expect("id").to_owned(),
    )
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_owned()
}

async fn search(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let response = app
        .get_as(&format!("/api/v1/directory/organisations?{query}"), token)
        .await;
    assert_eq!(response.status().as_u16(), 200, "search {query}");
    let page: Value = response.json().await.expect("json");
    page["items"].as_array().expect("items").clone()
}

fn names(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["name"].as_str().expect("name").to_owned())
        .collect()
}

#[tokio::test]
async fn private_entries_stay_with_their_owner_and_shared_ones_appear_once_verified() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let b = app.onboard().await;
    let (_, b_worker) = app.add_user(&b, &["case_worker"]).await;
    let word = marker();
    let private = add(
        &app,
        &a.admin.access_token,
        &entry(&format!("Private {word}"), "private"),
    )
    .await;
    assert_eq!(private["visibility"], "private");
    assert!(private["verification_status"].is_null());
    assert_eq!(private["own"], true);
    assert_eq!(private["country"], "BE");
    assert_eq!(private["email"], "intake@example.org");
    let pending = add(
        &app,
        &a.admin.access_token,
        &entry(&format!("Shared {word}"), "shared"),
    )
    .await;
    assert_eq!(pending["verification_status"], "pending");

    // B sees neither, by id or by search.
    for entry in [&private, &pending] {
        let path = format!("/api/v1/directory/organisations/{}", id(entry));
        assert_problem(
            app.get_as(&path, &b_worker.access_token).await,
            404,
            "not_found",
        )
        .await;
    }
    assert!(
        search(&app, &b_worker.access_token, &format!("q={word}"))
            .await
            .is_empty()
    );
    assert_eq!(
        search(&app, &a.admin.access_token, &format!("q={word}"))
            .await
            .len(),
        2
    );

    // A tenant cannot verify; the platform rejects with a note, then (after an edit) verifies.
    let verify = format!("/api/v1/directory/organisations/{}/verify", id(&pending));
    assert_problem(
        send(
            &app,
            Method::POST,
            &verify,
            &a.admin.access_token,
            &json!({}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        send(
            &app,
            Method::POST,
            &verify,
            &b_worker.access_token,
            &json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let platform = app.platform_token().await;
    let reject = format!("/api/v1/directory/organisations/{}/reject", id(&pending));
    assert_problem(
        send(&app, Method::POST, &reject, &platform, &json!({})).await,
        422,
        "validation_failed",
    )
    .await;
    let rejected: Value = send(
        &app,
        Method::POST,
        &reject,
        &platform,
        &json!({"note": "Website does not answer."}),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(rejected["verification_status"], "rejected");
    let path = format!("/api/v1/directory/organisations/{}", id(&pending));
    let seen: Value = app
        .get_as(&path, &a.admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(seen["review_note"], "Website does not answer.");
    let tag = app.etag_of(&path, &a.admin.access_token).await;
    let response = app
        .authed(Method::PATCH, &path, &a.admin.access_token)
        .header("if-match", tag)
        .json(&json!({"website": "https://ngo-new.example.org"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let edited: Value = response.json().await.expect("json");
    assert_eq!(
        edited["verification_status"], "pending",
        "an edit proposes it again"
    );
    let verified: Value = send(&app, Method::POST, &verify, &platform, &json!({}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(verified["verification_status"], "verified");
    assert!(
        verified["owner_tenant_id"].is_string(),
        "platform administrators see the owner"
    );

    let found = search(&app, &b_worker.access_token, &format!("q={word}")).await;
    assert_eq!(names(&found), [format!("Shared {word}")]);
    assert_eq!(found[0]["own"], false);
    assert!(found[0].get("owner_tenant_id").is_none());
    // B's edit of the verified entry is a proposal; the entry changes once it is verified.
    let tag = app.etag_of(&path, &b_worker.access_token).await;
    let response = app
        .authed(Method::PATCH, &path, &b_worker.access_token)
        .header("if-match", tag)
        .json(&json!({"name": format!("Renamed {word}"), "city": null}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 202);
    let proposal: Value = response.json().await.expect("json");
    assert_eq!(proposal["status"], "pending");
    assert_eq!(
        proposal["changes"],
        json!({"name": format!("Renamed {word}"), "city": null})
    );
    let unchanged: Value = app
        .get_as(&path, &b_worker.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(unchanged["name"], format!("Shared {word}"));
    let proposal_path = format!("/api/v1/directory/proposals/{}", id(&proposal));
    assert_problem(
        app.get_as(&proposal_path, &a.admin.access_token).await,
        404,
        "not_found",
    )
    .await;
    let pending_list: Value = app
        .get_as("/api/v1/directory/proposals?status=pending", &platform)
        .await
        .json()
        .await
        .expect("json");
    assert!(
        pending_list["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|p| p["id"] == proposal["id"])
    );
    let reviewed: Value = send(
        &app,
        Method::POST,
        &format!("{proposal_path}/verify"),
        &platform,
        &json!({}),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(reviewed["proposal"]["status"], "verified");
    assert_eq!(reviewed["entry"]["name"], format!("Renamed {word}"));
    assert!(reviewed["entry"]["city"].is_null());
    let mine: Value = app
        .get_as(&proposal_path, &b_worker.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["status"], "verified", "the proposer sees the verdict");
    assert_eq!(
        names(&search(&app, &a.admin.access_token, &format!("q={word}")).await).len(),
        2
    );
}

#[tokio::test]
async fn entries_are_validated_and_need_the_permission() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let (_, analyst) = app.add_user(&a, &["analyst"]).await;
    let response = send(
        &app,
        Method::POST,
        "/api/v1/directory/organisations",
        &analyst.access_token,
        &entry("X", "private"),
    )
    .await;
    assert_problem(response, 403, "forbidden").await;
    let mut bad = entry(" ", "private");
    bad["country"] = json!("XX");
    bad["service_types"] = json!([]);
    bad["website"] = json!("javascript:alert(1)");
    let response = send(
        &app,
        Method::POST,
        "/api/v1/directory/organisations",
        &a.admin.access_token,
        &bad,
    )
    .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["name", "country", "service_types", "website"]);
    let mut unknown = entry("X", "private");
    unknown["owner_tenant_id"] = json!(a.id);
    let response = send(
        &app,
        Method::POST,
        "/api/v1/directory/organisations",
        &a.admin.access_token,
        &unknown,
    )
    .await;
    assert_eq!(
        response.status().as_u16(),
        400,
        "unknown fields are refused"
    );
    // The reader without `directory.manage` still searches.
    assert_eq!(
        app.get_as(
            "/api/v1/directory/organisations?limit=1",
            &analyst.access_token
        )
        .await
        .status()
        .as_u16(),
        200
    );
    let types: Value = app
        .get_as("/api/v1/directory/service-types", &analyst.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(types["types"].as_array().expect("types").len(), 13);
}

#[tokio::test]
async fn search_ranks_by_relevance_filters_and_sees_every_change_at_once() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let token = a.admin.access_token.clone();
    let word = marker();
    let mut in_name = entry(&format!("{word} Legal Clinic"), "private");
    in_name["country"] = json!("NL");
    in_name["city"] = json!("Rotterdam");
    in_name["languages"] = json!(["nl", "ar"]);
    in_name["open_24_7"] = json!(true);
    let mut in_text = entry("Quiet Harbour Shelter", "private");
    in_text["descriptions"] = json!({"en": format!("Shelter beds; ask for the {word} programme.")});
    let mut in_city = entry("Night Line", "private");
    in_city["city"] = json!(format!("{word}ville"));
    in_city["service_types"] = json!(["hotline"]);
    let text = add(&app, &token, &in_text).await;
    let city = add(&app, &token, &in_city).await;
    let name = add(&app, &token, &in_name).await;

    let found = search(&app, &token, &format!("q={word}")).await;
    assert_eq!(
        found.iter().map(id).collect::<Vec<_>>(),
        [id(&name), id(&city), id(&text)],
        "name above city above description"
    );
    // Words match as prefixes and all must match.
    let prefix = &word[..word.len() - 2];
    assert_eq!(search(&app, &token, &format!("q={prefix}")).await.len(), 3);
    assert_eq!(
        names(&search(&app, &token, &format!("q={word}+clinic")).await),
        [format!("{word} Legal Clinic")]
    );
    for (filter, expected) in [
        ("country=nl", vec![id(&name)]),
        ("language=ar", vec![id(&name)]),
        ("open_24_7=true", vec![id(&name)]),
        ("service_type=hotline", vec![id(&city)]),
        ("verified=true", vec![]),
        ("has_free_bed=true", vec![]),
    ] {
        let got: Vec<String> = search(&app, &token, &format!("q={word}&{filter}"))
            .await
            .iter()
            .map(id)
            .collect();
        assert_eq!(got, expected, "{filter}");
    }
    assert_problem(
        app.get_as("/api/v1/directory/organisations?service_type=spa", &token)
            .await,
        400,
        "invalid_query",
    )
    .await;
    // Pages cut the ranked list.
    let response = app
        .get_as(
            &format!("/api/v1/directory/organisations?q={word}&limit=2"),
            &token,
        )
        .await;
    let page: Value = response.json().await.expect("json");
    assert_eq!(page["items"].as_array().expect("items").len(), 2);
    let cursor = page["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let rest = search(&app, &token, &format!("q={word}&limit=2&cursor={cursor}")).await;
    assert_eq!(rest.iter().map(id).collect::<Vec<_>>(), [id(&text)]);

    // The same search right after a change shows the change (the cached result is stale).
    let path = format!("/api/v1/directory/organisations/{}", id(&name));
    let tag = app.etag_of(&path, &token).await;
    let response = app
        .authed(Method::PATCH, &path, &token)
        .header("if-match", tag)
        .json(&json!({"name": "Harbour Legal Clinic", "country": "FR"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let got: Vec<String> = search(&app, &token, &format!("q={word}"))
        .await
        .iter()
        .map(id)
        .collect();
    assert_eq!(got, [id(&city), id(&text)]);
    assert!(
        search(&app, &token, &format!("q={word}&country=nl"))
            .await
            .is_empty()
    );
    let response = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/directory/organisations/{}", id(&city)),
            &token,
        )
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 204);
    let got: Vec<String> = search(&app, &token, &format!("q={word}"))
        .await
        .iter()
        .map(id)
        .collect();
    assert_eq!(got, [id(&text)]);
}

/// `haven seed --demo` writes the shared directory without going through a server, so on the
/// SaaS profile it makes the searches the servers keep in Redis stale. (A server of the
/// embedded profile keeps them in its own memory, out of the seed's reach.)
#[tokio::test]
async fn the_demo_seed_makes_the_servers_cached_searches_stale() {
    let app = spawn_app().await;
    if env().redis_url.is_none() {
        return;
    }
    let a = app.onboard().await;
    let token = a.admin.access_token.clone();
    let word = marker();
    let created = add(
        &app,
        &token,
        &entry(&format!("{word} Advice Centre"), "private"),
    )
    .await;
    let found = |items: Vec<Value>| items.iter().map(id).collect::<Vec<_>>();
    let tenant =
        haven_domain::ids::TenantId::from_uuid(uuid::Uuid::parse_str(&a.id).expect("uuid"));
    let entry_id = uuid::Uuid::parse_str(&id(&created)).expect("uuid");
    // Moves the entry to another country behind the server's back, as a seed writes.
    let db = &app.state.db;
    let move_to = move |country: &'static str| async move {
        let txn = haven_domain::tenancy::begin_scoped(db, tenant)
            .await
            .expect("begin");
        let moved = txn
            .execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "UPDATE directory_organisations SET country = $1 WHERE id = $2",
                [country.into(), entry_id.into()],
            ))
            .await
            .expect("update");
        assert_eq!(moved.rows_affected(), 1);
        txn.commit().await.expect("commit");
    };
    // Every change other tests of this run make to the directory makes all cached searches
    // stale too, so the stale answer is looked for again (with a query not cached yet: each
    // narrows by filters the entry passes) until no such change came between the two searches.
    let mut stale_query = None;
    for narrower in [
        "",
        "&own=true",
        "&visibility=private",
        "&verified=false",
        "&language=nl",
        "&language=fr",
        "&service_type=shelter",
        "&service_type=legal_aid",
        "&own=true&language=nl",
        "&visibility=private&language=fr",
    ] {
        let query = format!("q={word}&country=be{narrower}");
        move_to("BE").await;
        assert_eq!(found(search(&app, &token, &query).await), [id(&created)]);
        move_to("NL").await;
        if found(search(&app, &token, &query).await) == [id(&created)] {
            stale_query = Some(query);
            break;
        }
    }
    let query = stale_query.expect("the server answers from its cache until the cache is told");

    let seeded = crate::faults_process::haven(vec![], &["seed", "--demo"]).await;
    assert!(
        seeded.status.success(),
        "haven seed --demo: {}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    assert!(
        search(&app, &token, &query).await.is_empty(),
        "after the seed the search reads the database again"
    );
    assert_eq!(
        found(search(&app, &token, &format!("q={word}&country=nl")).await),
        [id(&created)]
    );
}

async fn beds_free(app: &TestApp, token: &str, entry: &str) -> Value {
    let view: Value = app
        .get_as(&format!("/api/v1/directory/organisations/{entry}"), token)
        .await
        .json()
        .await
        .expect("json");
    view["beds_tonight"].clone()
}

#[tokio::test]
async fn a_shelter_publishes_its_free_beds_tonight_and_never_its_address() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let b = app.onboard().await;
    let token = a.admin.access_token.clone();
    let word = marker();
    let shelter: Value = send(
        &app,
        Method::POST,
        "/api/v1/shelters",
        &token,
        &json!({
            "name": "Maison Beds", "address": format!("Secretstraat {word} 1, Gent"), "capacity": 4,
            "admits_genders": ["female"], "admits_minors": true
        }),
    )
    .await
    .json()
    .await
    .expect("json");
    let room: Value = send(
        &app,
        Method::POST,
        "/api/v1/rooms",
        &token,
        &json!({"shelter_id": shelter["id"], "name": "R1"}),
    )
    .await
    .json()
    .await
    .expect("json");
    let mut beds = Vec::new();
    for label in ["1", "2"] {
        let bed: Value = send(
            &app,
            Method::POST,
            "/api/v1/beds",
            &token,
            &json!({"room_id": room["id"], "label": label}),
        )
        .await
        .json()
        .await
        .expect("json");
        beds.push(id(&bed));
    }
    let own = add(&app, &token, &entry(&format!("Beds {word}"), "shared")).await;
    let platform = app.platform_token().await;
    let verify = format!("/api/v1/directory/organisations/{}/verify", id(&own));
    assert_eq!(
        send(&app, Method::POST, &verify, &platform, &json!({}))
            .await
            .status()
            .as_u16(),
        200
    );
    let publish = format!("/api/v1/directory/organisations/{}/beds", id(&own));
    let response = send(
        &app,
        Method::PUT,
        &publish,
        &b.admin.access_token,
        &json!({"shelter_id": shelter["id"]}),
    )
    .await;
    assert_problem(response, 403, "forbidden").await;
    let response = send(
        &app,
        Method::PUT,
        &publish,
        &token,
        &json!({"shelter_id": uuid::Uuid::now_v7()}),
    )
    .await;
    assert_problem(response, 422, "validation_failed").await;
    let response = send(
        &app,
        Method::PUT,
        &publish,
        &token,
        &json!({"shelter_id": shelter["id"]}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let body = response.text().await.expect("body");
    assert!(
        !body.contains(&word[2..]) || !body.contains("Secretstraat"),
        "no address"
    );
    let published: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(published["beds_tonight"]["free"], 2);
    assert_eq!(published["beds_tonight"]["women"], 2);
    assert!(
        published["beds_tonight"]["men"].is_null(),
        "the shelter admits no men"
    );
    assert_eq!(published["beds_tonight"]["minors"], 2);
    let found = search(
        &app,
        &b.admin.access_token,
        &format!("q={word}&has_free_bed=true"),
    )
    .await;
    assert_eq!(names(&found), [format!("Beds {word}")]);
    assert!(
        !serde_json::to_string(&found)
            .expect("json")
            .contains("Secretstraat")
    );

    // Both beds taken: the count follows the placements, and the filter follows the count.
    for bed in &beds {
        let client: Value = send(
            &app,
            Method::POST,
            "/api/v1/clients",
            &token,
            &json!({"details": {
            "identity": {"used_name": "Grace"}, "gender": "female", "birth_year": 1995,
            "trafficking_status": "possible"}}),
        )
        .await
        .json()
        .await
        .expect("json");
        let response = send(
            &app,
            Method::POST,
            "/api/v1/placements",
            &token,
            &json!({
            "case_id": client["case_id"], "bed_id": bed,
            "start_on": chrono::Utc::now().date_naive().to_string()}),
        )
        .await;
        assert_eq!(response.status().as_u16(), 201, "place");
    }
    let mut free = Value::Null;
    for _ in 0..50 {
        free = beds_free(&app, &b.admin.access_token, &id(&own)).await;
        if free["free"] == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(free["free"], 0, "{free}");
    assert_eq!(free["women"], 0);
    // The refresh makes cached searches stale right after it writes the count.
    let mut listed = true;
    for _ in 0..20 {
        listed = !search(
            &app,
            &b.admin.access_token,
            &format!("q={word}&has_free_bed=true"),
        )
        .await
        .is_empty();
        if !listed {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(!listed, "a full shelter is not found by `has_free_bed`");
}

#[tokio::test]
async fn row_level_security_hides_private_entries_and_proposals_from_other_tenants() {
    let app = spawn_app().await;
    if env().profile == Profile::Embedded {
        assert_eq!(app.state.db.get_database_backend(), DatabaseBackend::Sqlite);
        return;
    }
    let a = app.onboard().await;
    let b = app.onboard().await;
    let (private, pending, proposal) = give_entries(&app, &a.admin.access_token).await;
    let tenant_b =
        haven_domain::ids::TenantId::from_uuid(uuid::Uuid::parse_str(&b.id).expect("uuid"));
    let db = &app.state.db;
    let count = |sql: &'static str, id: String| async move {
        let txn = haven_domain::tenancy::begin_scoped(db, tenant_b)
            .await
            .expect("begin");
        let n = txn
            .query_one_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                sql,
                [uuid::Uuid::parse_str(&id).expect("uuid").into()],
            ))
            .await
            .expect("count")
            .expect("row")
            .try_get::<i64>("", "n")
            .expect("n");
        drop(txn);
        n
    };
    // Layer 2 alone: raw SQL without any owner filter, in B's transaction.
    for id in [&private, &pending] {
        assert_eq!(
            count(
                "SELECT count(*) AS n FROM directory_organisations WHERE id = $1",
                id.clone()
            )
            .await,
            0
        );
    }
    assert_eq!(
        count(
            "SELECT count(*) AS n FROM directory_proposals WHERE id = $1",
            proposal.clone()
        )
        .await,
        0
    );
    // No setting at all: only verified shared entries, no proposal.
    let unscoped = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT count(*) AS n FROM directory_organisations \
             WHERE visibility = 'private' OR verification_status <> 'verified'",
        ))
        .await
        .expect("count")
        .expect("row")
        .try_get::<i64>("", "n")
        .expect("n");
    assert_eq!(unscoped, 0);
    // B cannot write A's rows either.
    let txn = haven_domain::tenancy::begin_scoped(db, tenant_b)
        .await
        .expect("begin");
    let changed = txn
        .execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "UPDATE directory_organisations SET name = 'taken' WHERE visibility = 'shared'",
            [],
        ))
        .await
        .expect("update");
    assert_eq!(changed.rows_affected(), 0, "B owns no shared entry");
    drop(txn);
    // A platform transaction sees the proposal.
    let token = app.platform_token().await;
    let principal = haven_domain::auth::authenticate(db, &app.state.cache, &app.state.keys, &token)
        .await
        .expect("platform token");
    let haven_domain::tenancy::Principal::PlatformAdmin(platform) = principal else {
        panic!("a platform administrator")
    };
    let txn = platform.begin(db).await.expect("begin");
    let n = txn
        .query_one_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT count(*) AS n FROM directory_proposals WHERE id = $1",
            [uuid::Uuid::parse_str(&proposal).expect("uuid").into()],
        ))
        .await
        .expect("count")
        .expect("row")
        .try_get::<i64>("", "n")
        .expect("n");
    assert_eq!(n, 1);
}
