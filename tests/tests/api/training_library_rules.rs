//! The training library's course list filters, its input rules and permissions, and
//! row-level security on the shared course tables.

use crate::helpers::{Profile, assert_problem, env, spawn_app};
use crate::training_library::{course, give_a_course, ids, page};
use reqwest::Method;
use sea_orm::{ConnectionTrait as _, DatabaseBackend, Statement};
use serde_json::{Value, json};

#[tokio::test]
async fn the_course_list_filters_by_audience_language_and_text() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let token = a.admin.access_token.clone();
    let mut medical = course("private", "Health needs after exploitation");
    medical["audiences"] = json!(["medical_personnel"]);
    medical["languages"] = json!(["nl"]);
    let medical = give_a_course(&app, &token, &medical).await;
    let police = give_a_course(&app, &token, &course("private", "Victim identification")).await;
    let medical_id = medical["id"].as_str().expect("id").to_owned();
    let police_id = police["id"].as_str().expect("id").to_owned();
    let cases = [
        ("audience=medical_personnel", vec![medical_id.clone()]),
        ("audience=police", vec![police_id.clone()]),
        ("language=nl", vec![medical_id.clone()]),
        ("language=fr", vec![police_id.clone()]),
        ("q=HEALTH%20needs", vec![medical_id.clone()]),
        ("q=recognising", vec![police_id.clone(), medical_id.clone()]),
        ("q=100%25", vec![]),
        ("audience=military", vec![]),
    ];
    for (filter, expected) in cases {
        let found = page(
            &app,
            &format!("/api/v1/training/courses?mine=true&{filter}"),
            &token,
        )
        .await;
        assert_eq!(ids(&found), expected, "{filter}");
    }
    assert_problem(
        app.get_as("/api/v1/training/courses?audience=pilots", &token)
            .await,
        400,
        "invalid_query",
    )
    .await;
}

#[tokio::test]
async fn invalid_courses_are_refused_and_only_trainers_and_admins_write() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let token = a.admin.access_token.clone();
    let mut bad = course("private", "two\nlines");
    bad["languages"] = json!(["eng"]);
    bad["duration_minutes"] = json!(0);
    bad["modules"] = json!([]);
    let response = app
        .authed(Method::POST, "/api/v1/training/courses", &token)
        .json(&bad)
        .send()
        .await
        .expect("request");
    let problem = assert_problem(response, 422, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        ["title", "languages[0]", "duration_minutes", "modules"],
        "{problem}"
    );
    let mut extra = course("private", "Extra");
    extra["secret"] = json!(1);
    let response = app
        .authed(Method::POST, "/api/v1/training/courses", &token)
        .json(&extra)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 400);
    let (_, analyst) = app.add_user(&a, &["analyst"]).await;
    let response = app
        .authed(
            Method::POST,
            "/api/v1/training/courses",
            &analyst.access_token,
        )
        .json(&course("private", "No"))
        .send()
        .await
        .expect("request");
    assert_problem(response, 403, "forbidden").await;
    assert_problem(
        app.get_as("/api/v1/training/courses", &analyst.access_token)
            .await,
        403,
        "forbidden",
    )
    .await;
    let (_, trainer) = app.add_user(&a, &["trainer"]).await;
    give_a_course(
        &app,
        &trainer.access_token,
        &course("private", "By a trainer"),
    )
    .await;
    let platform = app.platform_token().await;
    let response = app
        .authed(Method::POST, "/api/v1/training/courses", &platform)
        .json(&course("private", "Mine"))
        .send()
        .await
        .expect("request");
    assert_problem(response, 422, "validation_failed").await;
}

async fn visible(txn: &impl sea_orm::ConnectionTrait, table: &str, ids: &[&str]) -> i64 {
    let list = ids
        .iter()
        .map(|i| format!("'{i}'"))
        .collect::<Vec<_>>()
        .join(",");
    let column = if table == "training_course_modules" {
        "version_id"
    } else {
        "id"
    };
    txn.query_one_raw(Statement::from_string(
        DatabaseBackend::Postgres,
        format!("SELECT count(*) AS n FROM {table} WHERE {column} IN ({list})"),
    ))
    .await
    .expect("count")
    .expect("row")
    .try_get::<i64>("", "n")
    .expect("n")
}

#[tokio::test]
async fn shared_course_tables_show_a_tenant_only_its_own_and_published_rows() {
    let app = spawn_app().await;
    if env().profile == Profile::Embedded {
        assert_eq!(app.state.db.get_database_backend(), DatabaseBackend::Sqlite);
        return;
    }
    let a = app.onboard().await;
    let b = app.onboard().await;
    let platform = app.platform_token().await;
    let private = give_a_course(&app, &a.admin.access_token, &course("private", "Private")).await;
    let pending = give_a_course(&app, &a.admin.access_token, &course("shared", "Pending")).await;
    let curated = give_a_course(&app, &platform, &course("shared", "Curated")).await;
    let id = |c: &Value| c["id"].as_str().expect("id").to_owned();
    let version = |c: &Value| c["version"]["id"].as_str().expect("id").to_owned();
    let tenant = |f: &crate::helpers::Fixture| {
        haven_domain::ids::TenantId::from_uuid(uuid::Uuid::parse_str(&f.id).expect("uuid"))
    };
    let db = &app.state.db;
    let hidden_courses = [id(&private), id(&pending)];
    let hidden_versions = [version(&private), version(&pending)];
    let hc: Vec<&str> = hidden_courses.iter().map(String::as_str).collect();
    let hv: Vec<&str> = hidden_versions.iter().map(String::as_str).collect();
    let curated_id = id(&curated);
    for (who, expected) in [(tenant(&b), 0), (tenant(&a), 2)] {
        let txn = haven_domain::tenancy::begin_scoped(db, who)
            .await
            .expect("begin");
        assert_eq!(
            visible(&txn, "training_courses", &hc).await,
            expected,
            "courses"
        );
        assert_eq!(
            visible(&txn, "training_course_versions", &hv).await,
            expected,
            "versions"
        );
        assert_eq!(
            visible(&txn, "training_course_modules", &hv).await,
            expected * 2,
            "modules"
        );
        assert_eq!(
            visible(&txn, "training_courses", &[curated_id.as_str()]).await,
            1,
            "published"
        );
        // A tenant may not write a row it does not own.
        let write = txn
            .execute_raw(Statement::from_string(
                DatabaseBackend::Postgres,
                format!("UPDATE training_courses SET updated_at = now() WHERE id = '{curated_id}'"),
            ))
            .await
            .expect("update");
        assert_eq!(
            write.rows_affected(),
            0,
            "a tenant changes a curated course"
        );
    }
    let principal =
        haven_domain::auth::authenticate(db, &app.state.cache, &app.state.keys, &platform)
            .await
            .expect("platform token");
    let haven_domain::tenancy::Principal::PlatformAdmin(ctx) = principal else {
        panic!("a platform principal");
    };
    let txn = ctx.begin(db).await.expect("begin");
    assert_eq!(
        visible(&txn, "training_courses", &hc).await,
        2,
        "the platform sees proposals"
    );
    assert_eq!(visible(&txn, "training_course_versions", &hv).await, 2);
    drop(txn);
    // With no setting at all, only published rows.
    assert_eq!(visible(db, "training_courses", &hc).await, 0);
    assert_eq!(
        visible(db, "training_courses", &[curated_id.as_str()]).await,
        1
    );
}

#[tokio::test]
async fn the_demo_library_holds_both_verified_courses_and_each_organisation_its_sessions() {
    let app = spawn_app().await;
    let password = crate::helpers::DEMO_PASSWORD;
    let be = app
        .login("trainer@demo-be.example", password, Some("demo-be"))
        .await
        .access_token;
    let ng = app
        .login("trainer@demo-ng.example", password, Some("demo-ng"))
        .await
        .access_token;
    for (title, audience) in [
        ("Health needs of trafficked persons", "medical_personnel"),
        ("Identifying presumed victims of trafficking", "police"),
    ] {
        for token in [&be, &ng] {
            let path = format!("/api/v1/training/courses?audience={audience}&limit=200");
            let found = page(&app, &path, token).await;
            let course = found["items"]
                .as_array()
                .expect("items")
                .iter()
                .find(|c| c["version"]["title"] == title)
                .unwrap_or_else(|| panic!("{title} in {found}"))
                .clone();
            assert_eq!(course["verification_status"], "verified", "{title}");
            let id = course["id"].as_str().expect("id");
            let full = page(&app, &format!("/api/v1/training/courses/{id}"), token).await;
            let modules = full["version"]["modules"].as_array().expect("modules");
            assert!(modules.len() >= 4, "{title}: several modules");
            for module in modules {
                let text = module["content_markdown"].as_str().expect("markdown");
                assert!(
                    text.len() > 1000,
                    "{title}: {} is substantial",
                    module["title"]
                );
            }
        }
    }
    // The Nigerian organisation's private course is its own.
    let private = "/api/v1/training/courses?visibility=private&limit=200";
    let ng_private = page(&app, private, &ng).await;
    assert!(!ids(&ng_private).is_empty(), "{ng_private}");
    let be_private = page(&app, private, &be).await;
    for id in ids(&ng_private) {
        assert!(!ids(&be_private).contains(&id));
    }
    // Seeding again creates nothing.
    let sessions = "/api/v1/training/sessions?limit=200";
    // (Only the demo courses: other tests add curated courses every organisation sees.)
    let library = "/api/v1/training/courses?q=traffick&limit=200";
    let before = (
        ids(&page(&app, sessions, &be).await),
        ids(&page(&app, library, &be).await),
    );
    haven_domain::seed::seed_demo(
        &app.state.db,
        &app.state.master_key,
        &password.to_owned().into(),
    )
    .await
    .expect("seed again");
    let after = (
        ids(&page(&app, sessions, &be).await),
        ids(&page(&app, library, &be).await),
    );
    assert_eq!(before, after);
    // Both organisations' summaries count people trained across audiences and months.
    for token in [&be, &ng] {
        let summary = page(&app, "/api/v1/training/sessions/summary", token).await;
        let rows = summary["rows"].as_array().expect("rows");
        let months: std::collections::BTreeSet<&str> =
            rows.iter().filter_map(|r| r["period"].as_str()).collect();
        let audiences: std::collections::BTreeSet<&str> =
            rows.iter().filter_map(|r| r["audience"].as_str()).collect();
        assert!(months.len() >= 4 && audiences.len() >= 3, "{summary}");
    }
}
