//! Tenant isolation, layers 2 and 3: row-level security on every tenant-owned table, and a
//! probe of every `{id}` operation in the OpenAPI document with another tenant's token.

use crate::helpers::{Fixture, Profile, TestApp, env, spawn_app};
use haven_domain::ids::TenantId;
use reqwest::Method;
use sea_orm::{ConnectionTrait as _, DatabaseBackend, Statement};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Tenant-owned tables, read from the catalog: every table with a `tenant_id` column.
async fn tenant_owned_tables(app: &TestApp) -> Vec<String> {
    app.state
        .db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT c.relname AS name FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid \
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' \
               AND a.attname = 'tenant_id' AND NOT a.attisdropped ORDER BY 1",
        ))
        .await
        .expect("catalog")
        .into_iter()
        .map(|r| r.try_get::<String>("", "name").expect("name"))
        .collect()
}

#[tokio::test]
async fn every_tenant_owned_table_is_under_forced_rls_and_shows_no_other_tenant() {
    let app = spawn_app().await;
    if env().profile == Profile::Embedded {
        // SQLite has no row-level security; the PostgreSQL run of the suite checks this layer.
        assert_eq!(app.state.db.get_database_backend(), DatabaseBackend::Sqlite);
        return;
    }
    // Two tenants with rows in as many tables as the API can fill.
    let a = app.onboard().await;
    let b = app.onboard().await;
    let (a_worker, _) = app.add_user(&a, &["case_worker"]).await;
    let (b_worker, _) = app.add_user(&b, &["case_worker"]).await;
    crate::shelters::furnish(&app, &a.admin.access_token, &a_worker).await;
    crate::shelters::furnish(&app, &b.admin.access_token, &b_worker).await;
    let a_case = crate::placements::place_a_client(&app, &a.admin.access_token).await;
    let b_case = crate::placements::place_a_client(&app, &b.admin.access_token).await;
    crate::interviews::record(&app, &a.admin.access_token, &a_case, &a_worker).await;
    crate::interviews::record(&app, &b.admin.access_token, &b_case, &b_worker).await;
    crate::support::plan_and_log(&app, &a.admin.access_token, &a_case, &a_worker).await;
    crate::support::plan_and_log(&app, &b.admin.access_token, &b_case, &b_worker).await;
    crate::tasks::give_a_task(&app, &a.admin.access_token, &a_case, &a_worker).await;
    crate::tasks::give_a_task(&app, &b.admin.access_token, &b_case, &b_worker).await;
    crate::incidents::give_a_serious_incident(&app, &a, &a_case).await;
    crate::incidents::give_a_serious_incident(&app, &b, &b_case).await;
    crate::training::give_an_engagement(&app, &a.admin.access_token).await;
    crate::training::give_an_engagement(&app, &b.admin.access_token).await;
    crate::training_sessions::give_a_course_and_session(&app, &a.admin.access_token, &a_worker)
        .await;
    crate::training_sessions::give_a_course_and_session(&app, &b.admin.access_token, &b_worker)
        .await;
    crate::documents::record(&app, &a.admin.access_token, &a_case).await;
    crate::documents::record(&app, &b.admin.access_token, &b_case).await;
    crate::legal::record(&app, &a.admin.access_token, &a_case).await;
    crate::legal::record(&app, &b.admin.access_token, &b_case).await;
    crate::notes::add_a_note(&app, &a.admin.access_token, &a_case).await;
    crate::notes::add_a_note(&app, &b.admin.access_token, &b_case).await;
    crate::deadlines::give_a_case_deadlines(&app, &a.admin.access_token).await;
    crate::deadlines::give_a_case_deadlines(&app, &b.admin.access_token).await;
    crate::referrals::give_a_referral(&app, &a.admin.access_token).await;
    crate::referrals::give_a_referral(&app, &b.admin.access_token).await;
    crate::referrals::give_an_incoming_referral(&app, &a).await;
    crate::referrals::give_an_incoming_referral(&app, &b).await;
    let tenant_a = TenantId::from_uuid(uuid::Uuid::parse_str(&a.id).expect("uuid"));
    let tenant_b = TenantId::from_uuid(uuid::Uuid::parse_str(&b.id).expect("uuid"));
    haven_domain::audit::link_pending(&app.state.db, tenant_a)
        .await
        .expect("link");
    haven_domain::audit::link_pending(&app.state.db, tenant_b)
        .await
        .expect("link");

    let tables = tenant_owned_tables(&app).await;
    assert!(
        tables.contains(&"users".to_owned()) && tables.contains(&"audit_events".to_owned()),
        "{tables:?}"
    );
    let db = &app.state.db;
    for table in &tables {
        let row = db
            .query_one_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT relrowsecurity AS enabled, relforcerowsecurity AS forced FROM pg_class \
                 WHERE relname = $1 AND relnamespace = 'public'::regnamespace",
                [table.as_str().into()],
            ))
            .await
            .expect("query")
            .expect("row");
        assert!(
            row.try_get::<bool>("", "enabled").expect("enabled"),
            "{table}: RLS enabled"
        );
        assert!(
            row.try_get::<bool>("", "forced").expect("forced"),
            "{table}: RLS forced"
        );

        // As the app role: with A's setting, no row of any other tenant; with none, no row.
        let txn = haven_domain::tenancy::begin_scoped(db, tenant_a)
            .await
            .expect("begin");
        let foreign = txn
            .query_one_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                format!("SELECT count(*) AS n FROM {table} WHERE tenant_id <> $1"),
                [(*tenant_a.as_uuid()).into()],
            ))
            .await
            .expect("count")
            .expect("row")
            .try_get::<i64>("", "n")
            .expect("n");
        let own = txn
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Postgres,
                format!("SELECT count(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("row")
            .try_get::<i64>("", "n")
            .expect("n");
        drop(txn);
        assert_eq!(foreign, 0, "{table}: tenant A sees another tenant's rows");
        if [
            "users",
            "audit_events",
            "audit_chain",
            "tenant_keys",
            "shelters",
            "rooms",
            "beds",
            "shelter_staff",
            "clients",
            "client_keys",
            "client_name_index",
            "case_code_counters",
            "cases",
            "case_members",
            "case_transitions",
            "placements",
            "interviews",
            "interview_interviewers",
            "consents",
            "support_goals",
            "support_reviews",
            "service_entries",
            "tasks",
            "incidents",
            "notifications",
            "documents",
            "legal_proceedings",
            "hearings",
            "case_notes",
            "deadlines",
            "ta_engagements",
            "training_sessions",
            "training_session_trainers",
        ]
        .contains(&table.as_str())
        {
            assert!(
                own > 0,
                "{table}: tenant A sees its own rows (so the zero above means something)"
            );
        }
        let unscoped = db
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Postgres,
                format!("SELECT count(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("row")
            .try_get::<i64>("", "n")
            .expect("n");
        assert_eq!(unscoped, 0, "{table}: no tenant setting, no rows");
    }
}

/// The `id`s of the items a collection lists to `token`, or `None` when it is not a list.
async fn item_ids(app: &TestApp, path: &str, token: &str) -> Option<Vec<String>> {
    let response = app.get_as(path, token).await;
    if response.status().as_u16() != 200 {
        return None;
    }
    let body = response.json::<Value>().await.ok()?;
    let items = body["items"].as_array()?;
    Some(
        items
            .iter()
            // Rows of the shared tables that are published to every tenant by design (shared
            // and verified) are nobody's to hide; a tenant's private or unverified rows are.
            .filter(|i| !(i["visibility"] == "shared" && i["verification_status"] == "verified"))
            .filter_map(|i| i["id"].as_str().map(str::to_owned))
            .collect(),
    )
}

/// Tenant A's concrete paths for a path template: the first parameter takes the ids of the
/// top-level collection before it; each later one (e.g. `{user_id}` in
/// `/api/v1/shelters/{id}/staff/{user_id}`) the ids tenant A gets by listing the nested
/// collection before it (`/api/v1/shelters/<id>/staff`).
pub(crate) async fn concrete_paths(
    app: &TestApp,
    template: &str,
    top_level: &BTreeMap<String, Vec<String>>,
    token: &str,
) -> Vec<String> {
    let mut paths = vec![template.to_owned()];
    let mut first = true;
    while paths.iter().any(|p| p.contains('{')) {
        let mut next = Vec::new();
        for path in paths {
            let Some(start) = path.find('{') else {
                next.push(path);
                continue;
            };
            let end = start + path[start..].find('}').expect("}");
            let collection = path[..start].trim_end_matches('/').to_owned();
            let ids = if first {
                top_level.get(&collection).cloned().unwrap_or_default()
            } else {
                item_ids(app, &collection, token).await.unwrap_or_default()
            };
            for id in ids {
                next.push(format!("{collection}/{id}{}", &path[end + 1..]));
            }
        }
        paths = next;
        first = false;
    }
    paths
}

/// Whether every path parameter of the operations at a path is an id. Paths named by a
/// vocabulary instead (a report's name) hold no tenant's resource; what they count of other
/// tenants is tested with them (`reports`).
fn names_items_by_id(item: &Value) -> bool {
    item.as_object().expect("operations").values().all(|op| {
        op["parameters"].as_array().is_none_or(|params| {
            params
                .iter()
                .filter(|p| p["in"] == "path")
                .all(|p| p["schema"]["format"] == "uuid")
        })
    })
}

/// Ids of tenant A's resources, by the path template of the collection they are listed in.
pub(crate) async fn ids_by_collection(
    app: &TestApp,
    spec: &Value,
    token: &str,
) -> BTreeMap<String, Vec<String>> {
    let mut found = BTreeMap::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        if path.contains('{') || item.get("get").is_none() {
            continue;
        }
        // Reference data is the same for every tenant by design (tag `reference`).
        let shared = item["get"]["tags"]
            .as_array()
            .is_some_and(|tags| tags.iter().any(|t| t == "reference"));
        if shared {
            continue;
        }
        if let Some(ids) = item_ids(app, path, token).await {
            found.insert(path.clone(), ids);
        }
    }
    add_nested_ids(app, spec, &mut found, token).await;
    found
}

/// Adds the ids of items listed only in a nested collection (`/api/v1/cases/{id}/interviews`)
/// under the top-level path their items are addressed at (`/api/v1/interviews`), when the
/// document has such items (`/api/v1/interviews/{id}`).
async fn add_nested_ids(
    app: &TestApp,
    spec: &Value,
    found: &mut BTreeMap<String, Vec<String>>,
    token: &str,
) {
    let paths = spec["paths"].as_object().expect("paths");
    // Until nothing new turns up: a collection nested in a nested item
    // (`/api/v1/proceedings/{id}/hearings`) is listed once its parents' ids are known.
    loop {
        let mut nested: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (path, item) in paths {
            if !path.contains('{') || path.ends_with('}') || item.get("get").is_none() {
                continue;
            }
            let Some((_, name)) = path.rsplit_once('/') else {
                continue;
            };
            let top = format!("/api/v1/{name}");
            if found.contains_key(&top) || !paths.contains_key(&format!("{top}/{{id}}")) {
                continue;
            }
            for concrete in concrete_paths(app, path, found, token).await {
                if let Some(ids) = item_ids(app, &concrete, token).await {
                    nested.entry(top.clone()).or_default().extend(ids);
                }
            }
        }
        if nested.is_empty() {
            break;
        }
        found.extend(nested);
    }
}

/// The example body the document gives for an operation, or `{}`.
pub(crate) fn example_body(op: &Value, spec: &Value) -> Value {
    let schema = &op["requestBody"]["content"]["application/json"]["schema"];
    let resolved = match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.rsplit('/').next().expect("name");
            &spec["components"]["schemas"][name]
        }
        None => schema,
    };
    resolved
        .get("example")
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()))
}

/// Every operation on a path with an `{id}`-style parameter, called with tenant B's token on
/// tenant A's ids: 404 every time, and nothing of A's changes. New endpoints are covered as
/// soon as they are in the document.
#[tokio::test]
async fn another_tenants_ids_are_not_found_through_every_operation_in_the_spec() {
    let app = spawn_app().await;
    let spec: Value = app
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .expect("spec");
    let a: Fixture = app.onboard().await;
    let b: Fixture = app.onboard().await;
    let (a_worker, _) = app.add_user(&a, &["case_worker"]).await;
    app.add_user(&b, &["analyst"]).await;
    let a_token = a.admin.access_token.clone();
    let b_token = b.admin.access_token.clone();
    // A shelter with a room, a bed and a staff member, so every shelter path has an id.
    crate::shelters::furnish(&app, &a_token, &a_worker).await;
    // A client with a case placed in that bed, so every client, case and placement path has one.
    let a_case = crate::placements::place_a_client(&app, &a_token).await;
    // An interview of that case with consents, so every interview and consent path has one.
    crate::interviews::record(&app, &a_token, &a_case, &a_worker).await;
    crate::deadlines::give_a_case_deadlines(&app, &a_token).await;
    // A note on that case, so every note path has one.
    crate::notes::add_a_note(&app, &a_token, &a_case).await;
    // A support-plan goal, a review and a service entry of that case.
    crate::support::plan_and_log(&app, &a_token, &a_case, &a_worker).await;
    // A task on that case, and a serious incident in the shelter that notifies A's
    // administrator, so every task, incident and notification path has an id.
    crate::tasks::give_a_task(&app, &a_token, &a_case, &a_worker).await;
    crate::incidents::give_a_serious_incident(&app, &a, &a_case).await;
    // A technical-assistance engagement, so every engagement path has an id.
    crate::training::give_an_engagement(&app, &a_token).await;
    // A private course with a session of it, and a shared course awaiting verification, so
    // every course, version and session path has an id no other tenant may reach.
    crate::training_sessions::give_a_course_and_session(&app, &a_token, &a_worker).await;
    crate::training_library::give_a_course(
        &app,
        &a_token,
        &crate::training_library::course("shared", "Awaiting verification"),
    )
    .await;
    // A document, and a proceeding with a hearing, so every document, proceeding and hearing
    // path has an id.
    crate::documents::record(&app, &a_token, &a_case).await;
    crate::legal::record(&app, &a_token, &a_case).await;

    // A referral of one of A's cases, and one another organisation sent to A's inbox.
    crate::referrals::give_a_referral(&app, &a_token).await;
    crate::referrals::give_an_incoming_referral(&app, &a).await;

    // An erasure awaiting a second administrator, so every erasure path has an id.
    crate::data_protection::give_a_pending_erasure(&app, &a_token).await;

    // A private directory entry, a pending shared one and a proposed edit of a shared one.
    let (private_entry, pending_entry, _) = crate::directory::give_entries(&app, &a_token).await;

    let mut a_ids = ids_by_collection(&app, &spec, &a_token).await;
    // The tenant itself is an id of A's that no collection of A's lists.
    a_ids.insert("/api/v1/tenants".to_owned(), vec![a.id.clone()]);
    // The directory search pages through shared entries too; A's own are probed for sure.
    a_ids
        .entry("/api/v1/directory/organisations".to_owned())
        .or_default()
        .extend([private_entry, pending_entry]);
    let all_a_ids: BTreeSet<String> = a_ids.values().flatten().cloned().collect();

    let mut probed = 0;
    for (path, item) in spec["paths"].as_object().expect("paths") {
        if !path.contains('{') || !names_items_by_id(item) {
            continue;
        }
        let concretes = concrete_paths(&app, path, &a_ids, &a_token).await;
        assert!(
            !concretes.is_empty(),
            "no id of tenant A to probe {path} with: list its collections or seed them"
        );
        for concrete in concretes {
            // What tenant A sees of the resource: itself, or (for a path with no GET) the
            // collection it is listed in.
            // (An export is a fresh document each time: its client is the witness.)
            let witness = if item.get("get").is_some() && !path.ends_with("/export") {
                concrete.clone()
            } else {
                concrete[..concrete.rfind('/').expect("/")].to_owned()
            };
            let before = app
                .get_as(&witness, &a_token)
                .await
                .text()
                .await
                .expect("body");
            for (method, op) in item.as_object().expect("operations") {
                let Ok(method) = method.to_uppercase().parse::<Method>() else {
                    continue;
                };
                let mut request = app
                    .authed(method.clone(), &concrete, &b_token)
                    .header("if-match", "*");
                if op.get("requestBody").is_some() {
                    request = request.json(&example_body(op, &spec));
                }
                let response = request.send().await.expect("request");
                let status = response.status().as_u16();
                let content_type = response
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                assert_eq!(status, 404, "{method} {path} with another tenant's id");
                assert_eq!(content_type, "application/problem+json", "{method} {path}");
                probed += 1;
            }
            let after = app
                .get_as(&witness, &a_token)
                .await
                .text()
                .await
                .expect("body");
            assert_eq!(before, after, "{path}: tenant A's resource changed");
        }
    }
    assert!(probed >= 5, "probed {probed} operations");

    // No list of B's holds any of A's ids.
    let b_ids = ids_by_collection(&app, &spec, &b_token).await;
    assert!(!b_ids.is_empty());
    for (collection, ids) in b_ids {
        for id in ids {
            assert!(
                !all_a_ids.contains(&id),
                "{collection} of tenant B lists {id} of tenant A"
            );
        }
    }
}
