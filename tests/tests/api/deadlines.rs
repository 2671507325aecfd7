//! Deadlines from the country's procedure template: stages start steps, steps make deadlines,
//! closing cancels them; settings choose the template.

use crate::clients::register;
use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::support::invalid_fields;
use reqwest::Method;
use serde_json::{Value, json};

fn in_days(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

pub(crate) async fn move_to(app: &TestApp, token: &str, case: &str, to: &str) {
    let mut body = json!({"to": to});
    if to == "closed" {
        body["closure_reason"] = json!("other");
    }
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/cases/{case}/transitions"),
            token,
        )
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200, "to {to}");
}

pub(crate) async fn deadlines(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let page: Value = app
        .get_as(&format!("/api/v1/deadlines?{query}"), token)
        .await
        .json()
        .await
        .expect("json");
    page["items"].as_array().expect("items").clone()
}

fn due(items: &[Value], kind: &str) -> Option<String> {
    items
        .iter()
        .find(|d| d["kind"] == kind)
        .and_then(|d| d["due_on"].as_str().map(str::to_owned))
}

pub(crate) fn client() -> Value {
    json!({"gender": "female", "birth_year": 1990, "trafficking_status": "possible"})
}

#[tokio::test]
async fn the_belgian_procedure_sets_its_deadlines_as_the_case_moves() {
    let app = spawn_app().await;
    let fixture = app.onboard().await; // a Belgian organisation
    let (_, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let token = worker.access_token;
    let settings: Value = app
        .get_as("/api/v1/settings", &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(settings["procedure_template"], "be");

    let created = register(&app, &token, client()).await;
    let case = created["case_id"].as_str().expect("case").to_owned();
    move_to(&app, &token, &case, "intake").await;
    assert!(
        deadlines(&app, &token, &format!("case_id={case}"))
            .await
            .is_empty()
    );

    move_to(&app, &token, &case, "reflection").await;
    let items = deadlines(&app, &token, &format!("case_id={case}")).await;
    assert_eq!(
        due(&items, "reflection_period_end"),
        Some(in_days(45)),
        "45 days of reflection"
    );
    assert_eq!(due(&items, "reflection_decision"), Some(in_days(38)));

    move_to(&app, &token, &case, "assistance").await;
    let items = deadlines(&app, &token, &format!("case_id={case}")).await;
    assert_eq!(
        due(&items, "immatriculation_certificate_end"),
        Some(in_days(90)),
        "three months"
    );
    assert_eq!(due(&items, "renewal_request"), Some(in_days(76)));

    // The agenda: soonest first, bounded by date.
    let soon = deadlines(&app, &token, &format!("due_before={}", in_days(50))).await;
    let kinds: Vec<&str> = soon
        .iter()
        .map(|d| d["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["reflection_decision", "reflection_period_end"]);

    // The next permit, started by hand.
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/cases/{case}/procedure-steps"),
            &token,
        )
        .json(&json!({"step": "registration_certificate", "started_on": in_days(85)}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201);
    let started: Value = response.json().await.expect("json");
    assert_eq!(
        due(
            started["items"].as_array().expect("items"),
            "registration_certificate_end"
        ),
        Some(in_days(85 + 182))
    );
    let response = app
        .authed(
            Method::POST,
            &format!("/api/v1/cases/{case}/procedure-steps"),
            &token,
        )
        .json(&json!({"step": "no_such_step", "started_on": in_days(0)}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 422, "validation_failed").await;

    // Done with If-Match; closing cancels the rest.
    let first = &soon[0];
    let path = format!("/api/v1/deadlines/{}", first["id"].as_str().expect("id"));
    let etag = app.get_as(&path, &token).await.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let response = app
        .authed(Method::PATCH, &path, &token)
        .json(&json!({"status": "done"}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 428, "precondition_required").await;
    // Statuses are a closed set, in the body and in the filter.
    let response = app
        .authed(Method::PATCH, &path, &token)
        .header("if-match", etag.clone())
        .json(&json!({"status": "finished"}))
        .send()
        .await
        .expect("request");
    let problem = assert_problem(response, 400, "invalid_body").await;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("open") && d.contains("cancelled")),
        "names the statuses allowed: {problem}"
    );
    assert_problem(
        app.get_as(
            &format!("/api/v1/deadlines?case_id={case}&status=finished"),
            &token,
        )
        .await,
        400,
        "invalid_query",
    )
    .await;
    let response = app
        .authed(Method::PATCH, &path, &token)
        .header("if-match", etag)
        .json(&json!({"status": "done"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    move_to(&app, &token, &case, "closed").await;
    assert!(
        deadlines(&app, &token, &format!("case_id={case}"))
            .await
            .is_empty(),
        "no open deadline on a closed case"
    );
    let all = deadlines(&app, &token, &format!("case_id={case}&status=all")).await;
    assert!(all.iter().any(|d| d["status"] == "done"));
    assert!(
        all.iter()
            .filter(|d| d["status"] != "done")
            .all(|d| d["status"] == "cancelled")
    );
}

#[tokio::test]
async fn administrators_choose_the_template_and_its_parameters() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (_, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let admin = fixture.admin.access_token.clone();
    let app = &app;
    let patch = |token: String, body: Value| async move { app.patch_settings(&token, body).await };
    assert_problem(
        patch(
            worker.access_token.clone(),
            json!({"procedure_template": "generic"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        patch(admin.clone(), json!({"procedure_template": "atlantis"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        patch(
            admin.clone(),
            json!({"procedure_template": "generic", "reflection_days": 10}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let response = patch(
        admin.clone(),
        json!({"procedure_template": "generic", "reflection_days": 60}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);

    let created = register(app, &worker.access_token, client()).await;
    let case = created["case_id"].as_str().expect("case").to_owned();
    move_to(app, &worker.access_token, &case, "intake").await;
    move_to(app, &worker.access_token, &case, "reflection").await;
    let items = deadlines(app, &worker.access_token, &format!("case_id={case}")).await;
    assert_eq!(due(&items, "reflection_period_end"), Some(in_days(60)));

    let templates: Value = app
        .get_as("/api/v1/procedure-templates", &admin)
        .await
        .json()
        .await
        .expect("json");
    let ids: Vec<&str> = templates["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["be", "generic"]);
}

/// Moves the first case of `token`'s tenant into reflection, so it has deadlines.
pub async fn give_a_case_deadlines(app: &TestApp, token: &str) {
    let cases: Value = app
        .get_as("/api/v1/cases", token)
        .await
        .json()
        .await
        .expect("json");
    let case = cases["items"][0]["id"].as_str().expect("a case").to_owned();
    move_to(app, token, &case, "intake").await;
    move_to(app, token, &case, "reflection").await;
}

#[tokio::test]
async fn administrators_set_the_inactivity_lock_that_every_member_reads() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (_, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let admin = fixture.admin.access_token.clone();
    let read = |token: String| {
        let app = &app;
        async move {
            let response = app.get_as("/api/v1/settings", &token).await;
            assert_eq!(response.status().as_u16(), 200);
            response.json::<Value>().await.expect("json")
        }
    };
    assert_eq!(
        read(worker.access_token.clone()).await["session_lock_minutes"],
        15,
        "default"
    );
    for bad in [0, 481] {
        assert_problem(
            app.patch_settings(&admin, json!({"session_lock_minutes": bad}))
                .await,
            422,
            "validation_failed",
        )
        .await;
    }
    let response = app
        .patch_settings(&admin, json!({"session_lock_minutes": 5}))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["session_lock_minutes"], 5);
    let seen = read(worker.access_token.clone()).await;
    assert_eq!(seen["session_lock_minutes"], 5, "members see the period");
    assert_eq!(seen["procedure_template"], "be", "other settings kept");
    assert_problem(
        app.patch_settings(&worker.access_token, json!({"session_lock_minutes": 60}))
            .await,
        403,
        "forbidden",
    )
    .await;
}

/// Sets a deadline by hand.
async fn set_deadline(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.authed(Method::POST, "/api/v1/deadlines", token)
        .json(body)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn a_case_worker_sets_a_deadline_by_hand_and_it_is_announced() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (_, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let worker = worker.access_token;
    let (_, analyst) = app.add_user(&fixture, &["analyst"]).await;
    let created = register(&app, &worker, client()).await;
    let case = created["case_id"].as_str().expect("case").to_owned();
    let due_on = in_days(20);
    let appeal = json!({"case_id": case, "title": " Appeal against the work permit refusal ", "due_on": due_on});

    let response = set_deadline(&app, &worker, &appeal).await;
    assert_eq!(response.status().as_u16(), 201);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(response.headers().contains_key("etag"));
    let set: Value = response.json().await.expect("json");
    assert_eq!(
        location,
        format!("/api/v1/deadlines/{}", set["id"].as_str().expect("id"))
    );
    assert_eq!(set["title"], "Appeal against the work permit refusal");
    assert_eq!(
        (&set["kind"], &set["source"], &set["status"], &set["due_on"]),
        (
            &json!("manual"),
            &json!("manual"),
            &json!("open"),
            &json!(due_on)
        )
    );
    let listed = deadlines(&app, &worker, &format!("case_id={case}")).await;
    assert!(listed.iter().any(|d| d["id"] == set["id"]), "{listed:?}");

    // Announced like the template's, on its date.
    let tenant = haven_domain::ids::TenantId::from_uuid(fixture.id.parse().expect("uuid"));
    let on = chrono::NaiveDate::parse_from_str(&due_on, "%Y-%m-%d").expect("date");
    haven_domain::deadlines::notices::run(
        &app.state.db,
        on.and_hms_opt(12, 0, 0).expect("time").and_utc(),
        Some(tenant),
    )
    .await
    .expect("notice run");
    let notes: Value = app
        .get_as("/api/v1/notifications", &worker)
        .await
        .json()
        .await
        .expect("json");
    let titles = notes.to_string();
    assert!(
        titles.contains("Appeal against the work permit refusal"),
        "{titles}"
    );

    // Every bad field is listed, and nothing is set.
    for (body, field) in [
        (
            json!({"case_id": case, "title": "  ", "due_on": in_days(3)}),
            "title",
        ),
        (
            json!({"case_id": case, "title": "x".repeat(201), "due_on": in_days(3)}),
            "title",
        ),
        (
            json!({"case_id": case, "title": "Two\nlines", "due_on": in_days(3)}),
            "title",
        ),
        (
            json!({"case_id": case, "title": "Far", "due_on": in_days(3700)}),
            "due_on",
        ),
        (
            json!({"case_id": case, "title": "Long ago", "due_on": in_days(-400)}),
            "due_on",
        ),
        (
            json!({"case_id": uuid::Uuid::now_v7(), "title": "Nowhere", "due_on": in_days(3)}),
            "case_id",
        ),
    ] {
        let fields = invalid_fields(set_deadline(&app, &worker, &body).await).await;
        assert_eq!(fields, [field], "{body}");
    }
    let response = set_deadline(
        &app,
        &worker,
        &json!({"case_id": case, "title": "Extra", "due_on": in_days(3), "kind": "reflection_period_end"}),
    )
    .await;
    assert_problem(response, 400, "invalid_body").await;
    assert_problem(
        set_deadline(&app, &analyst.access_token, &appeal).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        deadlines(&app, &worker, &format!("case_id={case}&status=all"))
            .await
            .len(),
        listed.len(),
        "nothing more was set"
    );

    // Another organisation's case is one the caller may not see.
    let other = app.onboard().await;
    let fields = invalid_fields(set_deadline(&app, &other.admin.access_token, &appeal).await).await;
    assert_eq!(fields, ["case_id"]);

    // A closed case takes no new deadline.
    move_to(&app, &worker, &case, "closed").await;
    assert_problem(
        set_deadline(&app, &worker, &appeal).await,
        409,
        "case_closed",
    )
    .await;
}

#[tokio::test]
async fn a_settings_change_needs_the_version_read_so_a_colleagues_change_is_not_undone() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let admin = fixture.admin.access_token.clone();
    let (_, colleague) = app.add_user(&fixture, &["tenant_admin"]).await;
    let colleague = colleague.access_token;
    let change = |token: &str, tag: Option<&str>, body: Value| {
        let mut request = app
            .authed(Method::PATCH, "/api/v1/settings", token)
            .json(&body);
        if let Some(tag) = tag {
            request = request.header("if-match", tag);
        }
        request.send()
    };

    // The defaults carry a version too, before anything was stored.
    let first = app.get_as("/api/v1/settings", &admin).await;
    let seen = first.headers()["etag"].to_str().expect("etag").to_owned();
    let before: Value = first.json().await.expect("json");
    assert_eq!(before["two_person_erasure"], false);

    // Without If-Match nothing changes.
    assert_problem(
        change(&admin, None, json!({"two_person_erasure": true}))
            .await
            .expect("request"),
        428,
        "precondition_required",
    )
    .await;

    // The colleague turns the second approval on, from the same reading.
    let theirs = change(&colleague, Some(&seen), json!({"two_person_erasure": true}))
        .await
        .expect("request");
    assert_eq!(theirs.status().as_u16(), 200);
    let newer = theirs.headers()["etag"].to_str().expect("etag").to_owned();
    assert_ne!(newer, seen);

    // The administrator's form, read before it, would have sent it back off.
    let stale = change(
        &admin,
        Some(&seen),
        json!({"k_threshold": 12, "two_person_erasure": false}),
    )
    .await
    .expect("request");
    assert_problem(stale, 412, "precondition_failed").await;
    let now = app.get_as("/api/v1/settings", &admin).await;
    assert_eq!(now.headers()["etag"].to_str().expect("etag"), newer);
    let now: Value = now.json().await.expect("json");
    assert_eq!(
        now["two_person_erasure"], true,
        "the colleague's change stands"
    );
    assert_eq!(
        now["k_threshold"], before["k_threshold"],
        "nothing was written"
    );

    // Read again, the change goes through, and its answer carries the next version.
    let done = change(&admin, Some(&newer), json!({"k_threshold": 12}))
        .await
        .expect("request");
    assert_eq!(done.status().as_u16(), 200);
    assert_ne!(done.headers()["etag"].to_str().expect("etag"), newer);
    let done: Value = done.json().await.expect("json");
    assert_eq!(
        (
            done["k_threshold"].clone(),
            done["two_person_erasure"].clone()
        ),
        (json!(12), json!(true))
    );
}
