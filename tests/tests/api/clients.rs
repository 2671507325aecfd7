//! Clients: registration, sealed identities, blind-index search, duplicates, need to know.

use crate::helpers::{Fixture, Profile, TestApp, assert_problem, env, spawn_app};
use reqwest::Method;
use sea_orm::{ConnectionTrait as _, Database, DatabaseBackend, Statement};
use serde_json::{Value, json};

fn details(given: &str, family: &str, dob: &str) -> Value {
    json!({
        "identity": {
            "legal_given_name": given, "legal_family_name": family, "date_of_birth": dob,
            "aliases": ["Ani"], "phone": "+40 712 345 678",
            "documents": [{"kind": "passport", "number": "RO-PASS-4411", "issuing_country": "RO"}],
            "emergency_contact": {"name": "Sister of the client", "phone": "+40712000111", "relation": "sister"}
        },
        "gender": "female", "nationality": "RO", "languages": ["ro", "en"],
        "exploitation_types": ["sexual", "forced_labour"], "needs": ["medical"],
        "trafficking_status": "possible", "status_decided_by": "ngo",
        "recruitment_methods": ["false_job_offer"], "control_methods": ["confiscated_documents", "debt_bondage"],
        "trafficking_events": [{"kind": "exploitation", "country": "BE", "from": "2026-01-01", "to": "2026-10-15"}],
        "connected_persons": [{"role": "child", "age_band": "0-8", "name": format!("Child of {given}")}]
    })
}

pub async fn register(app: &TestApp, token: &str, details: Value) -> Value {
    let response = app
        .authed(Method::POST, "/api/v1/clients", token)
        .json(&json!({"details": details, "reason": "Signalled by the labour inspectorate"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201, "register a client");
    response.json().await.expect("json")
}

async fn worker(app: &TestApp, fixture: &Fixture) -> String {
    app.add_user(fixture, &["case_worker"]).await.1.access_token
}

#[tokio::test]
async fn a_case_worker_registers_a_client_and_leads_the_new_case() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = worker(&app, &fixture).await;
    let created = register(&app, &token, details("Ana", "Popescu", "1999-04-12")).await;
    let code = created["client"]["case_code"].as_str().expect("code");
    let year = chrono::Utc::now().format("%Y").to_string();
    assert!(code.starts_with(&format!("BE-{year}-")), "{code}");
    assert_eq!(created["client"]["identity_shown"], true);
    assert_eq!(
        created["client"]["details"]["identity"]["legal_family_name"],
        "Popescu"
    );
    assert_eq!(created["client"]["details"]["age_band"], "27-29");
    assert_eq!(
        created["client"]["details"]["connected_persons"][0]["name"],
        "Child of Ana"
    );

    let case_id = created["case_id"].as_str().expect("case");
    let case: Value = app
        .get_as(&format!("/api/v1/cases/{case_id}"), &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(case["stage"], "signalled");
    assert_eq!(case["case_code"], code);
    assert_eq!(case["team"][0]["role"], "lead");

    // A second client gets the next number.
    let second = register(&app, &token, details("Maria", "Ionescu", "1990-01-02")).await;
    let n = |c: &str| {
        c.rsplit('-')
            .next()
            .expect("number")
            .parse::<u32>()
            .expect("n")
    };
    assert_eq!(
        n(second["client"]["case_code"].as_str().expect("code")),
        n(code) + 1
    );

    // Lists carry no identity.
    let list: Value = app
        .get_as("/api/v1/clients", &token)
        .await
        .json()
        .await
        .expect("json");
    let text = list.to_string();
    assert!(
        !text.contains("Popescu") && !text.contains("RO-PASS-4411"),
        "{text}"
    );
    assert_eq!(list["items"].as_array().expect("items").len(), 2);

    // Reading an identity is audited.
    let client_id = created["client"]["id"].as_str().expect("id");
    let read = app
        .get_as(&format!("/api/v1/clients/{client_id}"), &token)
        .await;
    assert!(read.headers().contains_key("etag"));
    let read: Value = read.json().await.expect("json");
    assert_eq!(
        read["details"]["identity"]["documents"][0]["number"],
        "RO-PASS-4411"
    );
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let events: Value = app
        .get_as(
            "/api/v1/audit-events?action=client.identity_read",
            &fixture.admin.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert!(
        events["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|e| e["target_id"] == client_id)
    );
}

/// The `client.identity_read` events about `client`, oldest first.
async fn identity_reads(app: &TestApp, fixture: &Fixture, client: &str) -> Vec<Value> {
    // The audit list is newest first; the events are written in the reads' own transactions.
    let events: Value = app
        .get_as(
            "/api/v1/audit-events?action=client.identity_read&limit=200",
            &fixture.admin.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    let mut found: Vec<Value> = events["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["target_id"] == client)
        .cloned()
        .collect();
    found.reverse();
    found
}

#[tokio::test]
async fn each_identity_read_is_recorded_once_and_a_refused_one_not_at_all() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (a_id, a) = app.add_user(&fixture, &["case_worker"]).await;
    let (_, b) = app.add_user(&fixture, &["case_worker"]).await;
    let created = register(
        &app,
        &a.access_token,
        details("Elena", "Once", "1991-04-04"),
    )
    .await;
    let client = created["client"]["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/clients/{client}");

    // B is not on the team: the read is refused as not found and opens nothing.
    assert_problem(app.get_as(&path, &b.access_token).await, 404, "not_found").await;
    assert!(
        identity_reads(&app, &fixture, &client).await.is_empty(),
        "a refused read is not an identity read"
    );

    // Two reads by A: two events, each carrying the request it belongs to.
    let mut request_ids = Vec::new();
    for _ in 0..2 {
        let response = app.get_as(&path, &a.access_token).await;
        assert_eq!(response.status().as_u16(), 200);
        request_ids.push(
            response
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .expect("request id")
                .to_owned(),
        );
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["details"]["identity"]["legal_family_name"], "Once");
    }
    let events = identity_reads(&app, &fixture, &client).await;
    assert_eq!(events.len(), 2, "one event per read: {events:?}");
    for (event, request_id) in events.iter().zip(&request_ids) {
        assert_eq!(event["actor_id"], a_id.as_str());
        assert_eq!(event["outcome"], "success");
        assert_eq!(event["request_id"], request_id.as_str());
    }

    // A list shows no identity and records no read.
    let listed = app.get_as("/api/v1/clients", &a.access_token).await;
    assert_eq!(listed.status().as_u16(), 200);
    assert_eq!(identity_reads(&app, &fixture, &client).await.len(), 2);
}

/// Every text a test can see in the database, for searching a marker.
async fn database_text(app: &TestApp) -> String {
    match env().profile {
        Profile::Embedded => {
            // The file and its write-ahead log, as bytes.
            let dir = env().dir.join("data");
            let mut bytes = Vec::new();
            for name in ["haven.db", "haven.db-wal"] {
                if let Ok(b) = std::fs::read(dir.join(name)) {
                    bytes.extend(b);
                }
            }
            let _ = app;
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Profile::Postgres => {
            // As the superuser (row-level security does not apply), every row of every table.
            let mut url = url::Url::parse(env().admin_url.as_deref().expect("admin")).expect("url");
            url.set_path(&format!("/{}", env().database.as_deref().expect("db")));
            let admin = Database::connect(url.to_string()).await.expect("connect");
            let tables: Vec<String> = admin
                .query_all_raw(Statement::from_string(
                    DatabaseBackend::Postgres,
                    "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'",
                ))
                .await
                .expect("tables")
                .into_iter()
                .map(|r| r.try_get::<String>("", "t").expect("t"))
                .collect();
            let mut all = String::new();
            for table in tables {
                let rows = admin
                    .query_all_raw(Statement::from_string(
                        DatabaseBackend::Postgres,
                        format!("SELECT x::text AS row FROM \"{table}\" x"),
                    ))
                    .await
                    .expect("rows");
                for row in rows {
                    all.push_str(&row.try_get::<String>("", "row").expect("row"));
                    all.push('\n');
                }
            }
            all
        }
    }
}

#[tokio::test]
async fn identities_never_reach_the_database_in_clear_and_names_are_still_found() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = worker(&app, &fixture).await;
    let marker = format!("Zqx{}", &uuid::Uuid::now_v7().simple().to_string()[20..]);
    let created = register(&app, &token, details(&marker, "Markerfamily", "2001-02-03")).await;
    let client_id = created["client"]["id"].as_str().expect("id").to_owned();

    let text = database_text(&app).await;
    assert!(!text.is_empty());
    for secret in [
        marker.as_str(),
        "Markerfamily",
        "RO-PASS-4411",
        "+40 712 345 678",
        &format!("Child of {marker}"),
    ] {
        assert!(
            !text.contains(secret),
            "{secret} is in the database in clear"
        );
    }
    // The case code and statistical attributes are in clear (reports need them).
    assert!(text.contains(created["client"]["case_code"].as_str().expect("code")));

    // Search by name works through the blind index, in any case and word order.
    for query in [
        marker.to_lowercase(),
        format!("markerfamily {}", marker.to_uppercase()),
    ] {
        let found: Value = search(&app, &token, json!({"name": query})).await;
        let ids: Vec<&str> = found["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["id"].as_str().expect("id"))
            .collect();
        assert_eq!(ids, vec![client_id.as_str()], "search {query}");
    }
    let none = search(&app, &token, json!({"name": "nobody called this"})).await;
    assert!(none["items"].as_array().expect("items").is_empty());
}

async fn search(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app
        .authed(reqwest::Method::POST, "/api/v1/clients/search", token)
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200, "search {body}");
    response.json().await.expect("json")
}

/// A name never travels in a URL: the list refuses a `name` parameter, and the search takes
/// its words in the body, bounded.
#[tokio::test]
async fn names_are_searched_in_the_body_never_in_the_url() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = worker(&app, &fixture).await;
    let in_url = app.get_as("/api/v1/clients?name=popescu", &token).await;
    assert_eq!(in_url.status().as_u16(), 400, "name in the query string");
    let text = in_url.text().await.expect("body");
    assert!(
        !text.contains("popescu"),
        "the refusal repeats the name: {text}"
    );
    for (body, why) in [
        (json!({"name": ""}), "empty"),
        (json!({"name": "   "}), "blank"),
        (json!({"name": "x".repeat(201)}), "too long"),
        (json!({}), "missing"),
        (json!({"name": "ana", "surname": "x"}), "unknown field"),
        (json!({"name": "ana", "limit": 0}), "limit 0"),
        (json!({"name": "ana", "limit": 201}), "limit above a page"),
        (
            json!({"name": "ana", "nationality": "BEL"}),
            "nationality not a code",
        ),
        (
            json!({"name": "ana", "nationality": " ro"}),
            "nationality with a space",
        ),
    ] {
        let response = app
            .authed(reqwest::Method::POST, "/api/v1/clients/search", &token)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        assert!(status == 400 || status == 422, "{why}: {status}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json",
            "{why}"
        );
        if why.starts_with("nationality") {
            let problem: Value = response.json().await.expect("problem");
            assert_eq!(status, 422, "{why}");
            assert_eq!(problem["errors"][0]["field"], "nationality", "{why}");
        }
    }
    let found = search(&app, &token, json!({"name": "ana", "nationality": "ro"})).await;
    assert!(found["items"].is_array(), "a code in either case is taken");
    let (_, shelter_staff) = app.add_user(&fixture, &["shelter_staff"]).await;
    let shelter_staff = shelter_staff.access_token;
    let response = app
        .authed(
            reqwest::Method::POST,
            "/api/v1/clients/search",
            &shelter_staff,
        )
        .json(&json!({"name": "ana"}))
        .send()
        .await
        .expect("request");
    assert_eq!(
        response.status().as_u16(),
        403,
        "shelter staff may not search clients"
    );
}

#[tokio::test]
async fn a_ciphertext_moved_to_another_row_does_not_open() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = worker(&app, &fixture).await;
    let a = register(&app, &token, details("Ana", "Moved", "1999-04-12")).await;
    let b = register(&app, &token, details("Bea", "Target", "1998-03-11")).await;
    let (a_id, b_id) = (
        a["client"]["id"].as_str().expect("id"),
        b["client"]["id"].as_str().expect("id"),
    );
    let tenant =
        haven_domain::ids::TenantId::from_uuid(uuid::Uuid::parse_str(&fixture.id).expect("uuid"));
    let txn = haven_domain::tenancy::begin_scoped(&app.state.db, tenant)
        .await
        .expect("begin");
    let backend = txn.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "UPDATE clients SET identity_sealed = (SELECT identity_sealed FROM clients WHERE id = $1) WHERE id = $2"
        }
        _ => {
            "UPDATE clients SET identity_sealed = (SELECT identity_sealed FROM clients WHERE id = ?) WHERE id = ?"
        }
    };
    let (a_uuid, b_uuid) = (
        uuid::Uuid::parse_str(a_id).expect("uuid"),
        uuid::Uuid::parse_str(b_id).expect("uuid"),
    );
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [a_uuid.into(), b_uuid.into()],
    ))
    .await
    .expect("move");
    txn.commit().await.expect("commit");
    let body = assert_problem(
        app.get_as(&format!("/api/v1/clients/{b_id}"), &token).await,
        500,
        "internal_error",
    )
    .await;
    assert!(!body.to_string().contains("Ana"));
    // The client whose ciphertext it is still opens.
    assert_eq!(
        app.get_as(&format!("/api/v1/clients/{a_id}"), &token)
            .await
            .status()
            .as_u16(),
        200
    );
}

#[tokio::test]
async fn possible_duplicates_are_flagged_at_intake() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = worker(&app, &fixture).await;
    let first = register(&app, &token, details("Elena", "Dumitru", "1995-07-07")).await;
    let other = register(&app, &token, details("Elena", "Dumitru", "1996-07-07")).await;
    assert_eq!(other["possible_duplicates"], json!([]));
    let again = register(&app, &token, details("ELENA", "dumitru", "1995-07-07")).await;
    assert_eq!(
        again["possible_duplicates"],
        json!([first["client"]["case_code"]])
    );
}

#[tokio::test]
async fn clients_and_cases_follow_need_to_know() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (a_id, a) = app.add_user(&fixture, &["case_worker"]).await;
    let (b_id, b) = app.add_user(&fixture, &["case_worker"]).await;
    let (_, manager) = app.add_user(&fixture, &["shelter_manager"]).await;
    let created = register(
        &app,
        &a.access_token,
        details("Ioana", "Need", "1993-03-03"),
    )
    .await;
    let client = created["client"]["id"].as_str().expect("id").to_owned();
    let case = created["case_id"].as_str().expect("case").to_owned();
    let _ = a_id;

    // B is not on the team: nothing to see, and the same 404 as for a case that does not exist.
    for path in [
        format!("/api/v1/clients/{client}"),
        format!("/api/v1/cases/{case}"),
    ] {
        assert_problem(app.get_as(&path, &b.access_token).await, 404, "not_found").await;
        assert_problem(
            app.get_as(&path, &manager.access_token).await,
            404,
            "not_found",
        )
        .await;
    }
    let listed: Value = app
        .get_as("/api/v1/cases", &b.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert!(listed["items"].as_array().expect("items").is_empty());
    // The organisation's administrator sees every case.
    assert_eq!(
        app.get_as(
            &format!("/api/v1/cases/{case}"),
            &fixture.admin.access_token
        )
        .await
        .status()
        .as_u16(),
        200
    );

    // Put B on the team: now B sees the case and the client.
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/cases/{case}/team"),
            &a.access_token,
        )
        .json(&json!({"user_id": b_id, "role": "member"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        app.get_as(&format!("/api/v1/clients/{client}"), &b.access_token)
            .await
            .status()
            .as_u16(),
        200
    );
    let mine: Value = app
        .get_as("/api/v1/cases?assigned_to_me=true", &b.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["items"][0]["id"], case.as_str());

    // Roles without casework see no clients or cases at all.
    for roles in [["analyst"], ["shelter_staff"], ["trainer"]] {
        let (_, other) = app.add_user(&fixture, &roles).await;
        assert_problem(
            app.get_as("/api/v1/clients", &other.access_token).await,
            403,
            "forbidden",
        )
        .await;
        assert_problem(
            app.get_as("/api/v1/cases", &other.access_token).await,
            403,
            "forbidden",
        )
        .await;
        assert_problem(
            app.get_as(&format!("/api/v1/clients/{client}"), &other.access_token)
                .await,
            404,
            "not_found",
        )
        .await;
    }

    // Taking B off again hides it; the last member stays.
    let response = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/cases/{case}/team/{b_id}"),
            &a.access_token,
        )
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 204);
    assert_problem(
        app.get_as(&format!("/api/v1/clients/{client}"), &b.access_token)
            .await,
        404,
        "not_found",
    )
    .await;
    let me: Value = app
        .get_as("/api/v1/me", &a.access_token)
        .await
        .json()
        .await
        .expect("json");
    let a_user = me["id"].as_str().expect("id");
    let response = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/cases/{case}/team/{a_user}"),
            &a.access_token,
        )
        .send()
        .await
        .expect("request");
    assert_problem(response, 409, "last_member").await;
}

#[tokio::test]
async fn client_input_is_validated_field_by_field() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = worker(&app, &fixture).await;
    let send = |details: &Value| {
        let request = app
            .authed(Method::POST, "/api/v1/clients", &token)
            .json(&json!({"details": details}));
        async move { request.send().await.expect("request") }
    };
    let mut bad = details("Ana", "Popescu", "2999-01-01");
    bad["nationality"] = json!("XX");
    bad["languages"] = json!(["Romanian"]);
    bad["identity"]["phone"] = json!("call me");
    bad["identity"]["email"] = json!("not-an-address");
    bad["trafficking_events"][0]["to"] = json!("2025-01-01");
    let response = send(&bad).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    for field in [
        "identity.date_of_birth",
        "nationality",
        "languages[0]",
        "identity.phone",
        "identity.email",
        "trafficking_events[0].to",
    ] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
    let mut unknown = details("Ana", "Popescu", "1999-04-12");
    unknown["tenant_id"] = json!(fixture.id);
    let response = send(&unknown).await;
    assert_problem(response, 400, "invalid_body").await;
    // serde would read a nested record from an array, by position; the document says object.
    for (field, positional) in [
        ("identity", json!([null, null])),
        (
            "trafficking_events",
            json!([["exploitation", "BE", null, null]]),
        ),
    ] {
        let mut shaped = details("Ana", "Popescu", "1999-04-12");
        shaped[field] = positional;
        let response = send(&shaped).await;
        assert_problem(response, 400, "invalid_body").await;
    }
    let mut wrong_vocab = details("Ana", "Popescu", "1999-04-12");
    wrong_vocab["exploitation_types"] = json!(["pickpocketing"]);
    let response = send(&wrong_vocab).await;
    assert_problem(response, 400, "invalid_body").await;
}

#[tokio::test]
async fn client_updates_need_the_version_they_were_based_on() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = worker(&app, &fixture).await;
    let created = register(&app, &token, details("Ana", "Popescu", "1999-04-12")).await;
    let id = created["client"]["id"].as_str().expect("id");
    let path = format!("/api/v1/clients/{id}");
    let etag = app.get_as(&path, &token).await.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let mut changed = details("Ana", "Popescu-Marin", "1999-04-12");
    changed["trafficking_status"] = json!("actual");
    let patch = |tag: Option<&str>| {
        let mut request = app
            .authed(Method::PATCH, &path, &token)
            .json(&json!({"details": changed}));
        if let Some(tag) = tag {
            request = request.header("if-match", tag);
        }
        request.send()
    };
    assert_problem(
        patch(None).await.expect("request"),
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        patch(Some("\"1\"")).await.expect("request"),
        412,
        "precondition_failed",
    )
    .await;
    // An invalid change is refused for what is wrong with it, whatever version it names
    // (RFC 9110, section 13.2.1: preconditions after the request's own checks).
    let mut invalid = changed.clone();
    invalid["nationality"] = json!("XX");
    let response = app
        .authed(Method::PATCH, &path, &token)
        .header("if-match", "\"1\"")
        .json(&json!({"details": invalid}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 422, "validation_failed").await;
    let response = patch(Some(&etag)).await.expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let updated: Value = response.json().await.expect("json");
    assert_eq!(
        updated["details"]["identity"]["legal_family_name"],
        "Popescu-Marin"
    );
    assert_eq!(updated["details"]["trafficking_status"], "actual");
    assert_problem(
        patch(Some(&etag)).await.expect("request"),
        412,
        "precondition_failed",
    )
    .await;
    let found = search(&app, &token, json!({"name": "marin"})).await;
    assert_eq!(
        found["items"].as_array().expect("items").len(),
        1,
        "the name index follows the change"
    );
}

#[tokio::test]
async fn an_idempotency_key_makes_a_retried_create_happen_once() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let token = worker(&app, &fixture).await;
    let body = json!({"details": details("Ida", "Once", "1990-10-10")});
    let key = uuid::Uuid::now_v7().to_string();
    let send = |body: &Value, key: &str| {
        app.authed(Method::POST, "/api/v1/clients", &token)
            .header("idempotency-key", key.to_owned())
            .json(body)
            .send()
    };
    let first = send(&body, &key).await.expect("request");
    assert_eq!(first.status().as_u16(), 201);
    let first_location = first.headers()["location"].clone();
    let first: Value = first.json().await.expect("json");
    let again = send(&body, &key).await.expect("request");
    assert_eq!(again.status().as_u16(), 201);
    assert_eq!(again.headers()["location"], first_location);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.expect("json");
    assert_eq!(
        again["client"]["id"], first["client"]["id"],
        "the same answer, not a second client"
    );
    let list: Value = app
        .get_as("/api/v1/clients", &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["items"].as_array().expect("items").len(), 1);

    // The same key with another body is refused; a new key creates.
    let other = json!({"details": details("Ida", "Twice", "1990-10-10")});
    let problem = assert_problem(
        send(&other, &key).await.expect("request"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");
    assert_eq!(
        send(&other, &uuid::Uuid::now_v7().to_string())
            .await
            .expect("request")
            .status()
            .as_u16(),
        201
    );
    assert_problem(
        send(&other, "has spaces in it").await.expect("request"),
        422,
        "validation_failed",
    )
    .await;
    // Keys are per user: another user's identical request is their own.
    let other_worker = worker(&app, &fixture).await;
    let response = app
        .authed(Method::POST, "/api/v1/clients", &other_worker)
        .header("idempotency-key", key.clone())
        .json(&body)
        .send()
        .await
        .expect("request");
    let theirs: Value = response.json().await.expect("json");
    assert_ne!(theirs["client"]["id"], first["client"]["id"]);
}
