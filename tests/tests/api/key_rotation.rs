//! Master-key rotation: data written under key A stays readable after moving to key B, first
//! with both configured, then with A removed; name search and duplicate detection keep working,
//! and A is reported as no longer referenced. Each test has a database of its own, since a
//! rotation touches every tenant.

use crate::clients::register;
use crate::helpers::{DEMO_PASSWORD, TestApp, overrides, own_store, settings_with, spawn_app_with};
use haven_api::Application;
use haven_domain::crypto::MasterKey;
use serde_json::{Value, json};

fn details(given: &str, family: &str, dob: &str) -> Value {
    json!({
        "identity": {"legal_given_name": given, "legal_family_name": family, "date_of_birth": dob},
        "gender": "female", "nationality": "RO", "languages": ["ro"],
        "exploitation_types": ["sexual"], "trafficking_status": "possible"
    })
}

/// What was written under the first key, to be found again.
struct Written {
    slug: String,
    admin: String,
    worker_email: String,
    clients: Vec<(String, String, String)>,
    shelter: String,
}

async fn write_under_first_key(app: &TestApp, marker: &str) -> Written {
    let fixture = app.onboard().await;
    let (_, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let me: Value = app
        .get_as("/api/v1/me", &worker.access_token)
        .await
        .json()
        .await
        .expect("me");
    let mut clients = Vec::new();
    for i in 0..3 {
        let given = format!("{marker}given{i}");
        let created = register(
            app,
            &worker.access_token,
            details(&given, "Rotafamily", &format!("1990-01-0{}", i + 1)),
        )
        .await;
        clients.push((
            created["client"]["id"].as_str().expect("id").to_owned(),
            given,
            created["client"]["case_code"]
                .as_str()
                .expect("code")
                .to_owned(),
        ));
    }
    let shelter = app
        .create(
            &fixture.admin.access_token,
            "/api/v1/shelters",
            &json!({"name": "Maison Rotation", "address": "Rue Tournante 3", "capacity": 4,
                    "admits_genders": ["female"], "admits_minors": false, "min_age": 18,
                    "phone": "+32 2 555 01 01", "email": "intake@shelter.example"}),
        )
        .await;
    Written {
        slug: fixture.slug,
        admin: fixture.admin_email,
        worker_email: me["email"].as_str().expect("email").to_owned(),
        clients,
        shelter: shelter["id"].as_str().expect("id").to_owned(),
    }
}

/// Everything written is readable through the API of `app`, names are found and a repeated
/// registration is flagged as a possible duplicate.
async fn assert_all_readable(app: &TestApp, written: &Written, marker: &str, when: &str) {
    let worker = app
        .login(
            &written.worker_email,
            crate::helpers::FIXTURE_PASSWORD,
            Some(&written.slug),
        )
        .await
        .access_token;
    for (id, given, _) in &written.clients {
        let read: Value = app
            .get_as(&format!("/api/v1/clients/{id}"), &worker)
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(
            read["details"]["identity"]["legal_given_name"],
            given.as_str(),
            "{when}: client {id} reads back"
        );
    }
    let found: Value = app
        .authed(reqwest::Method::POST, "/api/v1/clients/search", &worker)
        .json(&serde_json::json!({"name": format!("{marker}given1 rotafamily")}))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    let ids: Vec<&str> = found["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        vec![written.clients[1].0.as_str()],
        "{when}: name search"
    );
    let again = register(
        app,
        &worker,
        details(&format!("{marker}GIVEN0"), "rotafamily", "1990-01-01"),
    )
    .await;
    assert!(
        again["possible_duplicates"]
            .as_array()
            .expect("duplicates")
            .iter()
            .any(|c| *c == written.clients[0].2.as_str()),
        "{when}: duplicate detection: {again}"
    );
    let admin = app
        .login(
            &written.admin,
            crate::helpers::FIXTURE_PASSWORD,
            Some(&written.slug),
        )
        .await
        .access_token;
    let shelter: Value = app
        .get_as(&format!("/api/v1/shelters/{}", written.shelter), &admin)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        shelter["address"], "Rue Tournante 3",
        "{when}: shelter address"
    );
}

#[tokio::test]
async fn data_written_under_one_master_key_stays_readable_after_rotating_to_another() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key_a = MasterKey::generate_base64().expect("key");
    let key_b = MasterKey::generate_base64().expect("key");
    let id_a = MasterKey::from_base64(&key_a).expect("a").id().to_owned();
    let id_b = MasterKey::from_base64(&key_b).expect("b").id().to_owned();
    let store = own_store(dir.path(), &key_a).await;
    let marker = format!("Rot{}", &uuid::Uuid::now_v7().simple().to_string()[24..]);

    let under_a = spawn_app_with(&overrides(&store, &[("HAVEN_MASTER_KEY", &key_a)])).await;
    let written = write_under_first_key(&under_a, &marker).await;
    assert_all_readable(&under_a, &written, &marker, "under A").await;

    // Key B alone cannot read what A wrapped: the server refuses to start.
    assert!(
        Application::build(settings_with(&store, &[("HAVEN_MASTER_KEY", &key_b)]))
            .await
            .is_err(),
        "B alone opens nothing yet"
    );

    // B current, A retired: everything reads, and new data is wrapped under B.
    let both = [
        ("HAVEN_MASTER_KEY", key_b.as_str()),
        ("HAVEN_MASTER_KEYS_RETIRED", key_a.as_str()),
    ];
    let under_both = spawn_app_with(&overrides(&store, &both)).await;
    assert_all_readable(&under_both, &written, &marker, "B with A retired").await;

    let outcome = haven_api::keys::rotate_master(&settings_with(&store, &both), 2, false)
        .await
        .expect("rotate");
    assert_eq!(outcome.current, id_b);
    assert!(outcome.rewrapped.client_keys >= 3, "{outcome:?}");
    assert!(outcome.rewrapped.signing_keys >= 1, "{outcome:?}");
    assert!(outcome.rewrapped.index_keys >= 1, "{outcome:?}");
    assert!(outcome.rewrapped.tenant_keys >= 1, "{outcome:?}");
    assert_eq!(
        outcome.references.keys().collect::<Vec<_>>(),
        vec![&id_b],
        "only B is referenced: {outcome:?}"
    );
    assert_eq!(
        haven_api::keys::retire(&settings_with(&store, &both), &id_a)
            .await
            .expect("retire"),
        0
    );
    assert!(
        haven_api::keys::retire(&settings_with(&store, &both), &id_b)
            .await
            .is_err()
    );
    // Running it again finds nothing left to do.
    let again = haven_api::keys::rotate_master(&settings_with(&store, &both), 2, false)
        .await
        .expect("rotate again");
    assert_eq!(again.rewrapped.total(), 0, "{again:?}");

    // A removed: still everything reads, names are found, duplicates are flagged.
    let under_b = spawn_app_with(&overrides(&store, &[("HAVEN_MASTER_KEY", &key_b)])).await;
    assert_all_readable(&under_b, &written, &marker, "B alone after the rotation").await;
}

#[tokio::test]
async fn the_embedded_key_file_is_replaced_and_the_old_key_kept_until_retired() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let vars: Vec<(String, String)> = vec![
        ("HAVEN_DATA_DIR".to_owned(), data.display().to_string()),
        ("REDIS_URL".to_owned(), String::new()),
        ("DATABASE_URL".to_owned(), String::new()),
        ("HAVEN_MIGRATION_DATABASE_URL".to_owned(), String::new()),
        ("HAVEN_MASTER_KEY".to_owned(), String::new()),
    ];
    let settings = settings_with(&vars, &[]);
    let (first, conn) = haven_api::keys::open(&settings).await.expect("open");
    haven_domain::seed::seed_demo(&conn, &first, &DEMO_PASSWORD.to_owned().into())
        .await
        .expect("seed");
    conn.close().await.ok();
    let marker = format!("Emb{}", &uuid::Uuid::now_v7().simple().to_string()[24..]);
    let app = spawn_app_with(&overrides(&vars, &[])).await;
    let written = write_under_first_key(&app, &marker).await;

    let outcome = haven_api::keys::rotate_master(&settings, 200, true)
        .await
        .expect("rotate");
    assert_eq!(outcome.replaced.as_deref(), Some(first.id()));
    assert_ne!(outcome.current, first.id());
    assert_eq!(
        outcome.references.keys().collect::<Vec<_>>(),
        vec![&outcome.current]
    );
    let kept = data
        .join("retired-master-keys")
        .join(format!("{}.key", first.id()));
    assert!(kept.exists(), "the old key is kept");
    assert_eq!(
        haven_api::keys::retire(&settings, first.id())
            .await
            .expect("retire"),
        0
    );

    // With the old key file gone, a restarted server reads everything under the new key.
    std::fs::remove_file(&kept).expect("remove the retired key");
    let restarted = spawn_app_with(&overrides(&vars, &[])).await;
    assert_all_readable(
        &restarted,
        &written,
        &marker,
        "after replacing the key file",
    )
    .await;
}
