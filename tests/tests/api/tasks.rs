//! Tasks and appointments, and the agenda that merges one's open tasks with the deadlines of
//! one's cases.

use crate::clients::register;
use crate::helpers::{TestApp, assert_problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

fn in_days(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn client() -> Value {
    json!({"gender": "female", "birth_year": 1990, "trafficking_status": "possible"})
}

/// Creates a task and returns it; panics unless it is 201 with a Location.
pub async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app
        .authed(Method::POST, "/api/v1/tasks", token)
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201, "create a task");
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("Location")
        .to_owned();
    let task: Value = response.json().await.expect("json");
    assert_eq!(
        location,
        format!("/api/v1/tasks/{}", task["id"].as_str().expect("id"))
    );
    task
}

async fn page(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.get_as(path, token).await;
    assert_eq!(response.status().as_u16(), 200, "GET {path}");
    response.json().await.expect("json")
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_owned())
        .collect()
}

#[tokio::test]
async fn the_agenda_merges_tasks_and_procedure_deadlines_in_time_order() {
    let app = spawn_app().await;
    let fixture = app.onboard().await; // a Belgian organisation
    let (worker_id, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let token = worker.access_token;
    let created = register(&app, &token, client()).await;
    let case = created["case_id"].as_str().expect("case").to_owned();
    let code = created["client"]["case_code"]
        .as_str()
        .expect("code")
        .to_owned();
    crate::deadlines::give_a_case_deadlines(&app, &token).await;

    let soon = create(&app, &token, json!({
        "title": "Call the lawyer", "case_id": case, "assignee_id": worker_id, "due_at": in_days(1),
        "details": "Ask about the hearing date"
    }))
    .await;
    let late = create(&app, &token, json!({
        "kind": "appointment", "title": "Yearly review", "assignee_id": worker_id, "due_at": in_days(800)
    }))
    .await;
    // Someone else's task is not on this agenda.
    let (other_id, _) = app.add_user(&fixture, &["case_worker"]).await;
    create(
        &app,
        &token,
        json!({"title": "Not mine", "assignee_id": other_id, "due_at": in_days(2)}),
    )
    .await;

    let agenda = page(&app, &token, "/api/v1/agenda").await;
    let items = agenda["items"].as_array().expect("items");
    let kinds: Vec<&str> = items
        .iter()
        .map(|i| i["kind"].as_str().expect("kind"))
        .collect();
    assert!(items.len() >= 3, "{agenda}");
    assert_eq!(kinds.first(), Some(&"task"), "{agenda}");
    assert_eq!(kinds.last(), Some(&"task"), "{agenda}");
    assert!(
        kinds[1..kinds.len() - 1].iter().all(|k| *k == "deadline"),
        "{agenda}"
    );
    assert_eq!(items[0]["id"], soon["id"]);
    assert_eq!(items[0]["case_code"], code.as_str());
    assert_eq!(items.last().expect("last")["id"], late["id"]);
    assert_eq!(items[0]["task_kind"], "task");
    assert_eq!(items.last().expect("last")["task_kind"], "appointment");
    assert!(items.iter().all(|i| i["title"] != "Not mine"));
    let deadline = &items[1];
    assert_eq!(deadline["case_id"], case.as_str());
    assert_eq!(deadline["task_kind"], Value::Null);
    assert_eq!(deadline["case_code"], code.as_str());
    // A deadline falls due at the start of its day in Brussels, the organisation's zone.
    let due: chrono::DateTime<chrono::Utc> = deadline["due"]
        .as_str()
        .expect("due")
        .parse()
        .expect("RFC 3339");
    assert_eq!(
        due.with_timezone(&chrono_tz::Europe::Brussels).time(),
        chrono::NaiveTime::MIN,
        "{deadline}"
    );
    let dues: Vec<&str> = items
        .iter()
        .map(|i| i["due"].as_str().expect("due"))
        .collect();
    let mut sorted = dues.clone();
    sorted.sort_unstable();
    assert_eq!(dues, sorted, "in time order");

    // Walking the agenda one item at a time gives the same sequence.
    let mut walked = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/agenda?limit=1&cursor={c}"),
            None => "/api/v1/agenda?limit=1".to_owned(),
        };
        let one = page(&app, &token, &path).await;
        walked.extend(ids(&one));
        match one["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(walked.len() <= items.len(), "the cursor walk ends");
    }
    assert_eq!(walked, ids(&agenda));

    // A window: only what falls due in the next week.
    let week = page(
        &app,
        &token,
        &format!(
            "/api/v1/agenda?due_after={}&due_before={}",
            in_days(0),
            in_days(7)
        ),
    )
    .await;
    assert_eq!(
        ids(&week),
        vec![soon["id"].as_str().expect("id").to_owned()]
    );
}

#[tokio::test]
async fn assignee_me_lists_ones_own_tasks_and_details_are_sealed_to_the_case() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let admin = fixture.admin.access_token.clone();
    let (worker_id, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let me: Value = page(&app, &admin, "/api/v1/me").await;
    let admin_id = me["id"].as_str().expect("id").to_owned();
    let created = register(&app, &admin, client()).await;
    let case = created["case_id"].as_str().expect("case");

    let theirs = create(
        &app,
        &admin,
        json!({
            "title": "Visit the social services", "assignee_id": worker_id, "due_at": in_days(3),
            "case_id": case, "details": "Secret detail 7QX"
        }),
    )
    .await;
    let mine = create(
        &app,
        &admin,
        json!({"title": "Sign the budget", "assignee_id": admin_id, "due_at": in_days(4)}),
    )
    .await;

    let listed = page(&app, &worker.access_token, "/api/v1/tasks?assignee=me").await;
    assert_eq!(
        ids(&listed),
        vec![theirs["id"].as_str().expect("id").to_owned()]
    );
    assert_eq!(
        listed["items"][0]["details"],
        Value::Null,
        "lists carry no details"
    );
    let listed = page(&app, &admin, "/api/v1/tasks?assignee=me").await;
    assert_eq!(
        ids(&listed),
        vec![mine["id"].as_str().expect("id").to_owned()]
    );
    let all = page(
        &app,
        &admin,
        &format!("/api/v1/tasks?case_id={case}&status=open"),
    )
    .await;
    assert_eq!(
        ids(&all),
        vec![theirs["id"].as_str().expect("id").to_owned()]
    );
    // The assignee reads the details of their task.
    let one = page(
        &app,
        &worker.access_token,
        &format!("/api/v1/tasks/{}", theirs["id"].as_str().expect("id")),
    )
    .await;
    assert_eq!(one["details"], "Secret detail 7QX");

    // Details need a case (the client's key seals them); every bad field is listed.
    let response = app
        .authed(Method::POST, "/api/v1/tasks", &admin)
        .json(&json!({"title": "", "assignee_id": uuid::Uuid::now_v7(), "due_at": in_days(1), "details": "No key for this"}))
        .send()
        .await
        .expect("request");
    let body = assert_problem(response, 422, "validation_failed").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    for field in ["title", "assignee_id", "details"] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }

    // The details are not in the database in clear.
    let tenant =
        haven_domain::ids::TenantId::from_uuid(uuid::Uuid::parse_str(&fixture.id).expect("uuid"));
    let txn = haven_domain::tenancy::begin_scoped(&app.state.db, tenant)
        .await
        .expect("begin");
    use haven_domain::entities::task;
    use sea_orm::{ColumnTrait as _, QueryFilter as _};
    let rows = task::Entity::scoped(tenant)
        .filter(task::Column::DetailsSealed.is_not_null())
        .all(&txn)
        .await
        .expect("rows");
    drop(txn);
    assert_eq!(rows.len(), 1);
    let sealed = rows[0].details_sealed.clone().expect("sealed");
    assert!(!sealed.contains("Secret detail"));
}

#[tokio::test]
async fn the_assignee_marks_their_task_done_with_if_match_and_changes_nothing_else() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let admin = fixture.admin.access_token.clone();
    let (staff_id, staff) = app.add_user(&fixture, &["shelter_staff"]).await;
    let staff = staff.access_token;
    let task = create(&app, &admin, json!({"title": "Check the fire extinguishers", "assignee_id": staff_id, "due_at": in_days(1)})).await;
    let path = format!("/api/v1/tasks/{}", task["id"].as_str().expect("id"));

    let response = app.get_as(&path, &staff).await;
    assert_eq!(response.status().as_u16(), 200);
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("ETag")
        .to_owned();
    let patch = |tag: Option<&str>, body: Value| {
        let mut request = app.authed(Method::PATCH, &path, &staff).json(&body);
        if let Some(tag) = tag {
            request = request.header("if-match", tag);
        }
        request.send()
    };
    assert_problem(
        patch(None, json!({"status": "done"}))
            .await
            .expect("request"),
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        patch(Some("\"1\""), json!({"status": "done"}))
            .await
            .expect("request"),
        412,
        "precondition_failed",
    )
    .await;
    // Without `cases.work`, only the status of one's own task.
    assert_problem(
        patch(Some(&etag), json!({"title": "Something else"}))
            .await
            .expect("request"),
        403,
        "forbidden",
    )
    .await;
    let response = patch(Some(&etag), json!({"status": "done"}))
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let done: Value = response.json().await.expect("json");
    assert_eq!(done["status"], "done");
    assert!(done["completed_at"].is_string());
    // The stale tag no longer fits.
    assert_problem(
        patch(Some(&etag), json!({"status": "open"}))
            .await
            .expect("request"),
        412,
        "precondition_failed",
    )
    .await;
    // Done tasks leave the agenda.
    let agenda = page(&app, &staff, "/api/v1/agenda").await;
    assert!(ids(&agenda).is_empty(), "{agenda}");

    // Staff do not create tasks, and an analyst does not see them.
    let response = app
        .authed(Method::POST, "/api/v1/tasks", &staff)
        .json(&json!({"title": "Mine", "assignee_id": staff_id, "due_at": in_days(1)}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 403, "forbidden").await;
    let (_, analyst) = app.add_user(&fixture, &["analyst"]).await;
    assert_problem(
        app.get_as(&path, &analyst.access_token).await,
        404,
        "not_found",
    )
    .await;
    let listed = page(&app, &analyst.access_token, "/api/v1/tasks").await;
    assert!(ids(&listed).is_empty());
}

/// Gives `token`'s tenant a task with sealed details on `case`, assigned to `assignee`.
pub async fn give_a_task(app: &TestApp, token: &str, case: &str, assignee: &str) -> Value {
    create(app, token, json!({
        "title": "Accompany to the immigration office", "case_id": case, "assignee_id": assignee,
        "due_at": in_days(5), "details": "Bring the police attestation."
    }))
    .await
}
