//! Notices of deadlines coming due: the case team hears of a deadline once ahead (the
//! organisation's `deadline_notice_days`) and once on its date, by the organisation's clock;
//! never twice for one date, again when the date moves, and the administrators when no one is
//! left on the team. The managers of the shelter where the case has a bed hear of it too.

use crate::clients::register;
use crate::deadlines::{client, deadlines, move_to};
use crate::helpers::{TestApp, assert_problem, spawn_app, spawn_app_alone};
use crate::placements;
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use haven_domain::deadlines::notices::{self, NoticeReport};
use haven_domain::ids::TenantId;
use reqwest::Method;
use serde_json::{Value, json};

/// What `path` answers `token`'s holder who reads `language`.
async fn read_in(app: &TestApp, path: &str, token: &str, language: &str) -> Value {
    let response = app
        .authed(Method::GET, path, token)
        .header("accept-language", language)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.json().await.expect("json")
}

/// The deadline notifications `token`'s holder has, newest first.
async fn notices_of(app: &TestApp, token: &str) -> Vec<Value> {
    let page: Value = app
        .get_as("/api/v1/notifications", token)
        .await
        .json()
        .await
        .expect("json");
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|n| {
            n["kind"]
                .as_str()
                .is_some_and(|k| k.starts_with("deadline."))
        })
        .cloned()
        .collect()
}

/// One run for `tenant` only, as the server's scheduled run would do it at `now`.
async fn announce(app: &TestApp, tenant: &str, now: DateTime<Utc>) -> NoticeReport {
    let tenant = TenantId::from_uuid(tenant.parse().expect("uuid"));
    notices::run(&app.state.db, now, Some(tenant))
        .await
        .expect("notice run")
}

fn at(date: NaiveDate, days_before: u64, time: &str) -> DateTime<Utc> {
    date.checked_sub_days(Days::new(days_before))
        .expect("date")
        .and_time(time.parse::<NaiveTime>().expect("time"))
        .and_utc()
}

fn date_of(item: &Value) -> NaiveDate {
    item["due_on"]
        .as_str()
        .expect("due_on")
        .parse()
        .expect("date")
}

/// A new client of `token`'s, whose case is moved into reflection: the registration and the
/// case's deadlines (the decision's and the end of the period).
async fn in_reflection(app: &TestApp, token: &str) -> (Value, Vec<Value>) {
    let created = register(app, token, client()).await;
    let case = created["case_id"].as_str().expect("case").to_owned();
    move_to(app, token, &case, "intake").await;
    move_to(app, token, &case, "reflection").await;
    let items = deadlines(app, token, &format!("case_id={case}")).await;
    (created, items)
}

/// The deadline of `kind` among `items`.
fn of_kind(items: &[Value], kind: &str) -> Value {
    items
        .iter()
        .find(|d| d["kind"] == kind)
        .unwrap_or_else(|| panic!("a deadline of kind {kind}"))
        .clone()
}

/// What a run reports having announced.
fn announced(deadlines: usize, notifications: usize) -> NoticeReport {
    NoticeReport {
        deadlines,
        notifications,
    }
}

/// Changes what `path` names, with its `If-Match`.
async fn change(app: &TestApp, token: &str, path: &str, change: Value) {
    let etag = app.get_as(path, token).await.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let response = app
        .authed(Method::PATCH, path, token)
        .header("if-match", etag)
        .json(&change)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200, "PATCH {path}");
}

/// Changes a deadline.
async fn change_deadline(app: &TestApp, token: &str, id: &str, changed: Value) {
    change(app, token, &format!("/api/v1/deadlines/{id}"), changed).await;
}

#[tokio::test]
async fn the_case_team_hears_of_a_deadline_ahead_and_on_its_date() {
    let app = spawn_app().await;
    let fixture = app.onboard().await; // Belgian, in Europe/Brussels
    let admin = fixture.admin.access_token.clone();
    let (worker_id, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let worker = worker.access_token;
    let (_, colleague) = app.add_user(&fixture, &["case_worker"]).await;

    // The notice period is a setting of the organisation: 7 days unless chosen, 0–60.
    let settings: Value = app
        .get_as("/api/v1/settings", &worker)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(settings["deadline_notice_days"], 7);
    let notice_days =
        |days: Value| app.patch_settings(&admin, json!({"deadline_notice_days": days}));
    for bad in [json!(-1), json!("soon"), json!(1.5)] {
        let response = notice_days(bad.clone()).await;
        let status = response.status().as_u16();
        assert!([400, 422].contains(&status), "{bad} is refused");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    let response = notice_days(json!(61)).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "deadline_notice_days");
    // 30 days: the case's first deadline is 38 days away by the real clock; this test runs the
    // notices itself, with the clocks it chooses.
    let response = notice_days(json!(30)).await;
    assert_eq!(response.status().as_u16(), 200);
    let changed: Value = response.json().await.expect("json");
    assert_eq!(changed["deadline_notice_days"], 30);

    let (created, items) = in_reflection(&app, &worker).await;
    let code = created["client"]["case_code"]
        .as_str()
        .expect("code")
        .to_owned();
    let decision = of_kind(&items, "reflection_decision");
    let end = of_kind(&items, "reflection_period_end");
    let decision_id = decision["id"].as_str().expect("id").to_owned();
    let decision_title = decision["title"].as_str().expect("title").to_owned();
    let decision_on = date_of(&decision);
    let end_on = date_of(&end);
    assert_eq!(end_on, decision_on + Days::new(7));
    let path = format!("/api/v1/deadlines/{decision_id}");
    let etag_before = app.get_as(&path, &worker).await.headers()["etag"].clone();

    // 31 days ahead by UTC, but already 30 in Brussels (23:30 UTC is past midnight there): the
    // organisation's date decides.
    let late_evening = at(decision_on, 31, "23:30:00");
    let report = announce(&app, &fixture.id, late_evening).await;
    assert_eq!(report, announced(1, 1));
    let heard = notices_of(&app, &worker).await;
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert_eq!(heard[0]["kind"], "deadline.upcoming");
    assert_eq!(heard[0]["link"], path.as_str());
    let title = heard[0]["title"].as_str().expect("title");
    assert_eq!(
        title,
        format!("Due on {decision_on}: {decision_title} (case {code})")
    );
    // In the reader's language, with the deadline's own words as they were written.
    let in_dutch = read_in(&app, "/api/v1/notifications", &worker, "nl-BE").await;
    assert_eq!(
        in_dutch["items"][0]["title"],
        format!("Vervalt op {decision_on}: {decision_title} (dossier {code})")
    );
    let notice = format!(
        "/api/v1/notifications/{}",
        heard[0]["id"].as_str().expect("id")
    );
    let in_french = read_in(&app, &notice, &worker, "fr").await;
    assert_eq!(
        in_french["title"],
        format!("Échéance le {decision_on} : {decision_title} (dossier {code})")
    );
    assert!(notices_of(&app, &colleague.access_token).await.is_empty());
    assert!(
        notices_of(&app, &admin).await.is_empty(),
        "the case has a team"
    );
    // The link opens for the team; a notice is not an edit of the deadline.
    let opened = app.get_as(&path, &worker).await;
    assert_eq!(opened.status().as_u16(), 200);
    assert_eq!(opened.headers()["etag"], etag_before);

    // Nothing is announced twice.
    assert_eq!(
        announce(&app, &fixture.id, late_evening).await,
        NoticeReport::default()
    );
    // Noon in Brussels the day before: still outside the 30 days.
    assert_eq!(
        announce(&app, &fixture.id, at(decision_on, 31, "11:00:00")).await,
        NoticeReport::default()
    );

    // A moved deadline is announced again, for its new date.
    let moved_on = decision_on + Days::new(1);
    change_deadline(&app, &worker, &decision_id, json!({"due_on": moved_on})).await;
    let report = announce(&app, &fixture.id, at(moved_on, 30, "12:00:00")).await;
    assert_eq!(report.deadlines, 1);
    let heard = notices_of(&app, &worker).await;
    assert_eq!(heard.len(), 2);
    assert_eq!(
        heard[0]["title"],
        format!("Due on {moved_on}: {decision_title} (case {code})")
    );

    // On its date: "due today"; the end of the period, six days on, comes within the notice
    // period at the same run.
    let report = announce(&app, &fixture.id, at(moved_on, 0, "12:00:00")).await;
    assert_eq!(report, announced(2, 2));
    let heard = notices_of(&app, &worker).await;
    assert_eq!(heard.len(), 4);
    let titles: Vec<&str> = heard[..2]
        .iter()
        .map(|n| n["title"].as_str().expect("title"))
        .collect();
    assert!(
        titles.contains(&format!("Due today: {decision_title} (case {code})").as_str()),
        "{titles:?}"
    );
    assert!(
        heard[..2]
            .iter()
            .any(|n| n["kind"] == "deadline.due" && n["link"] == path.as_str())
    );
    assert!(heard[..2].iter().any(|n| n["kind"] == "deadline.upcoming"
        && n["link"] == format!("/api/v1/deadlines/{}", end["id"].as_str().expect("id"))));

    // A deadline done is not announced any more; with nobody left on the team, the
    // administrators hear of an overdue one.
    let end_id = end["id"].as_str().expect("id").to_owned();
    let response = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/users/{worker_id}"),
            &admin,
        )
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 204);
    let report = announce(&app, &fixture.id, at(end_on + Days::new(3), 0, "12:00:00")).await;
    assert_eq!(report, announced(1, 1));
    let to_admin = notices_of(&app, &admin).await;
    assert_eq!(to_admin.len(), 1);
    assert_eq!(to_admin[0]["kind"], "deadline.due");
    assert_eq!(
        to_admin[0]["link"],
        format!("/api/v1/deadlines/{end_id}").as_str()
    );
    assert!(
        to_admin[0]["title"]
            .as_str()
            .expect("title")
            .starts_with(&format!("Overdue since {end_on}: "))
    );
    change_deadline(
        &app,
        &admin,
        &end_id,
        json!({"status": "done", "due_on": end_on + Days::new(30)}),
    )
    .await;
    assert_eq!(
        announce(&app, &fixture.id, at(end_on + Days::new(30), 0, "12:00:00")).await,
        NoticeReport::default(),
        "a deadline done is not announced"
    );

    // Nor are the deadlines of a client who was erased.
    let (erased, pending) = in_reflection(&app, &admin).await;
    let first_on = pending.iter().map(date_of).min().expect("deadlines");
    let response = crate::data_protection::erase(
        &app,
        &admin,
        erased["client"]["id"].as_str().expect("client"),
    )
    .await;
    assert!(response.status().is_success(), "erasure");
    assert_eq!(
        announce(&app, &fixture.id, at(first_on, 0, "12:00:00")).await,
        NoticeReport::default(),
        "an erased client's deadlines are not announced"
    );
}

#[tokio::test]
async fn the_server_announces_deadlines_on_its_own() {
    // Its scheduled run visits every organisation it can see, so it gets a store of its own.
    let app = spawn_app_alone(&[("HAVEN_DEADLINE_NOTICE_INTERVAL_SECS", "1")]).await;
    let fixture = app.onboard().await;
    let (_, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let worker = worker.access_token;
    let (_, items) = in_reflection(&app, &worker).await;
    let decision = of_kind(&items, "reflection_decision");
    let id = decision["id"].as_str().expect("id").to_owned();
    // Yesterday by UTC is yesterday or earlier in Brussels too: due whenever the run comes.
    let yesterday = Utc::now().date_naive() - Days::new(1);
    change_deadline(&app, &worker, &id, json!({"due_on": yesterday})).await;
    let link = format!("/api/v1/deadlines/{id}");
    let mut heard = Vec::new();
    for _ in 0..100 {
        heard = notices_of(&app, &worker).await;
        if !heard.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(heard.len(), 1, "the scheduled run announced the deadline");
    assert_eq!(heard[0]["kind"], "deadline.due");
    assert_eq!(heard[0]["link"], link.as_str());
}

#[tokio::test]
async fn the_managers_of_the_shelter_a_case_is_placed_in_hear_of_its_deadlines_too() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let admin = fixture.admin.access_token.clone();
    let (_, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let worker = worker.access_token;
    let (shelter, beds) = placements::shelter(&app, &fixture, 1).await;
    let other_shelter = placements::post(
        &app,
        &admin,
        "/api/v1/shelters",
        json!({"name": "Maison Autre", "address": "Rue Haute 2, 1000 Bruxelles", "capacity": 4,
               "admits_genders": ["female"], "admits_minors": false}),
    )
    .await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    // A manager and a staff member of the shelter, and a manager of another one.
    let mut people = Vec::new();
    for (role, at_shelter) in [
        ("shelter_manager", &shelter),
        ("shelter_staff", &shelter),
        ("shelter_manager", &other_shelter),
    ] {
        let (id, tokens) = app.add_user(&fixture, &[role]).await;
        placements::post(
            &app,
            &admin,
            &format!("/api/v1/shelters/{at_shelter}/staff"),
            json!({"user_id": id}),
        )
        .await;
        people.push(tokens.access_token);
    }
    let [manager, staff, elsewhere] = <[String; 3]>::try_from(people).expect("three");

    let (created, items) = in_reflection(&app, &worker).await;
    let first_on = items.iter().map(date_of).min().expect("deadlines");
    let placement = placements::post(
        &app,
        &worker,
        "/api/v1/placements",
        json!({"case_id": created["case_id"], "bed_id": beds[0], "start_on": Utc::now().date_naive()}),
    )
    .await;

    let report = announce(&app, &fixture.id, at(first_on, 0, "12:00:00")).await;
    assert!(report.deadlines >= 1, "{report:?}");
    assert_eq!(
        report.notifications,
        2 * report.deadlines,
        "the team and the shelter's manager"
    );
    let heard = notices_of(&app, &worker).await;
    assert_eq!(heard.len(), report.deadlines);
    let titles =
        |items: &[Value]| -> Vec<Value> { items.iter().map(|n| n["title"].clone()).collect() };
    assert_eq!(titles(&notices_of(&app, &manager).await), titles(&heard));
    for (who, token) in [
        ("shelter staff", &staff),
        ("another shelter's manager", &elsewhere),
        ("the administrator", &admin),
    ] {
        assert!(
            notices_of(&app, token).await.is_empty(),
            "{who} hears nothing"
        );
    }

    // Once the client has left the shelter, its manager hears no more of the case.
    change(
        &app,
        &worker,
        &format!(
            "/api/v1/placements/{}",
            placement["id"].as_str().expect("id")
        ),
        json!({"status": "left", "leave_reason": "planned_end"}),
    )
    .await;
    let later = items.iter().map(date_of).max().expect("deadlines");
    let report = announce(&app, &fixture.id, at(later, 0, "12:00:00")).await;
    assert!(report.deadlines >= 1, "{report:?}");
    assert_eq!(report.notifications, report.deadlines, "the team only");
    assert_eq!(notices_of(&app, &manager).await.len(), heard.len());
}
