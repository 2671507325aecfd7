//! Managing a tenant's users: invitations, roles, status, passwords, and permissions.

use crate::helpers::{DEMO_PASSWORD, FIXTURE_PASSWORD, assert_problem, spawn_app};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn an_invited_user_sets_a_password_once_and_signs_in() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let email = format!(
        "new-{}@{}.example",
        &uuid::Uuid::now_v7().simple().to_string()[24..],
        fixture.slug
    );
    let response = app
        .authed(Method::POST, "/api/v1/users", &fixture.admin.access_token)
        .json(&json!({"email": email, "name": "Sam Peeters", "roles": ["case_worker", "trainer"]}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 201);
    assert!(
        response.headers()["location"]
            .to_str()
            .expect("ascii")
            .starts_with("/api/v1/users/")
    );
    let invitation: serde_json::Value = response.json().await.expect("json");
    assert_eq!(invitation["user"]["status"], "invited");
    assert_eq!(
        invitation["user"]["roles"],
        json!(["case_worker", "trainer"])
    );
    let token = invitation["set_password_token"]
        .as_str()
        .expect("token")
        .to_owned();

    // Not before the password is set.
    assert_problem(
        app.try_login(&email, FIXTURE_PASSWORD, None).await,
        401,
        "invalid_credentials",
    )
    .await;
    let set = |password: &str| {
        app.client
            .post(app.url("/api/v1/auth/set-password"))
            .json(&json!({"token": token, "password": password}))
            .send()
    };
    assert_problem(
        set("password1234").await.expect("request"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        set(FIXTURE_PASSWORD)
            .await
            .expect("request")
            .status()
            .as_u16(),
        204
    );
    assert_problem(
        set(FIXTURE_PASSWORD).await.expect("request"),
        401,
        "invalid_token",
    )
    .await;
    let tokens = app.login(&email, FIXTURE_PASSWORD, None).await;
    let me: serde_json::Value = app
        .get_as("/api/v1/me", &tokens.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["roles"], json!(["case_worker", "trainer"]));

    // The same address twice is a conflict.
    let again = app
        .authed(Method::POST, "/api/v1/users", &fixture.admin.access_token)
        .json(&json!({"email": email, "name": "Sam Again", "roles": ["analyst"]}))
        .send()
        .await
        .expect("request");
    assert_problem(again, 409, "email_taken").await;
}

#[tokio::test]
async fn roles_change_with_if_match_and_take_effect_at_once() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (id, member) = app.add_user(&fixture, &["analyst"]).await;
    let path = format!("/api/v1/users/{id}");
    let response = app.get_as(&path, &fixture.admin.access_token).await;
    let etag = response.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();

    let patch = |if_match: Option<&str>, body: serde_json::Value| {
        let mut request = app
            .authed(Method::PATCH, &path, &fixture.admin.access_token)
            .json(&body);
        if let Some(tag) = if_match {
            request = request.header("if-match", tag);
        }
        request.send()
    };
    assert_problem(
        patch(None, json!({"roles": ["tenant_admin"]}))
            .await
            .expect("request"),
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        patch(Some("\"stale\""), json!({"roles": ["tenant_admin"]}))
            .await
            .expect("request"),
        412,
        "precondition_failed",
    )
    .await;
    assert_problem(
        patch(Some(&etag), json!({"roles": ["overlord"]}))
            .await
            .expect("request"),
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        patch(Some(&etag), json!({"tenant_id": fixture.id}))
            .await
            .expect("request"),
        400,
        "invalid_body",
    )
    .await;

    // Without users.manage the member cannot list users; with it, at once, they can.
    assert_problem(
        app.get_as("/api/v1/users", &member.access_token).await,
        403,
        "forbidden",
    )
    .await;
    let response = patch(
        Some(&etag),
        json!({"roles": ["tenant_admin"], "name": "Promoted"}),
    )
    .await
    .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    let new_etag = response.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_ne!(new_etag, etag);
    let updated: serde_json::Value = response.json().await.expect("json");
    assert_eq!(updated["name"], "Promoted");
    assert_eq!(
        app.get_as("/api/v1/users", &member.access_token)
            .await
            .status()
            .as_u16(),
        200
    );
}

#[tokio::test]
async fn a_deactivated_user_is_locked_out_at_once() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (id, member) = app.add_user(&fixture, &["case_worker"]).await;
    assert_eq!(
        app.get_as("/api/v1/me", &member.access_token)
            .await
            .status()
            .as_u16(),
        200
    );
    let response = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/users/{id}"),
            &fixture.admin.access_token,
        )
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 204);
    assert_problem(
        app.get_as("/api/v1/me", &member.access_token).await,
        401,
        "invalid_token",
    )
    .await;
    let refresh = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .json(&json!({"refresh_token": member.refresh_token}))
        .send()
        .await
        .expect("request");
    assert_eq!(refresh.status().as_u16(), 401);
    let user: serde_json::Value = app
        .get_as(&format!("/api/v1/users/{id}"), &fixture.admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(user["status"], "deactivated");
    let deactivated: serde_json::Value = app
        .get_as(
            "/api/v1/users?status=deactivated",
            &fixture.admin.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert!(
        deactivated["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|u| u["id"] == id.as_str())
    );
}

#[tokio::test]
async fn admins_cannot_lock_themselves_out() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let me: serde_json::Value = app
        .get_as("/api/v1/me", &fixture.admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    let id = me["id"].as_str().expect("id");
    let response = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/users/{id}"),
            &fixture.admin.access_token,
        )
        .send()
        .await
        .expect("request");
    assert_problem(response, 409, "self_lockout").await;
}

#[tokio::test]
async fn roles_without_users_manage_are_refused_and_the_refusal_is_audited() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (worker_id, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let response = app
        .authed(Method::POST, "/api/v1/users", &worker.access_token)
        .json(
            &json!({"email": "someone@example.org", "name": "Someone", "roles": ["tenant_admin"]}),
        )
        .send()
        .await
        .expect("request");
    assert_problem(response, 403, "forbidden").await;
    // Everyone may read their own record.
    assert_eq!(
        app.get_as(&format!("/api/v1/users/{worker_id}"), &worker.access_token)
            .await
            .status()
            .as_u16(),
        200
    );
    let events: serde_json::Value = app
        .get_as(
            &format!("/api/v1/audit-events?action=access.denied&actor={worker_id}"),
            &fixture.admin.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(events["items"][0]["details"]["permission"], "users.manage");
}

#[tokio::test]
async fn changing_ones_password_signs_out_the_other_sessions() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let (_, here) = app.add_user(&fixture, &["trainer"]).await;
    let me: serde_json::Value = app
        .get_as("/api/v1/me", &here.access_token)
        .await
        .json()
        .await
        .expect("json");
    let email = me["email"].as_str().expect("email").to_owned();
    let elsewhere = app.login(&email, FIXTURE_PASSWORD, None).await;
    let change = |current: &str, new: &str| {
        app.authed(Method::POST, "/api/v1/me/password", &here.access_token)
            .json(&json!({"current_password": current, "new_password": new}))
            .send()
    };
    assert_problem(
        change("wrong current password", "a brand new passphrase 2027")
            .await
            .expect("request"),
        401,
        "invalid_credentials",
    )
    .await;
    assert_problem(
        change(FIXTURE_PASSWORD, "short").await.expect("request"),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        change(FIXTURE_PASSWORD, "a brand new passphrase 2027")
            .await
            .expect("request")
            .status()
            .as_u16(),
        204
    );
    assert_eq!(
        app.get_as("/api/v1/me", &here.access_token)
            .await
            .status()
            .as_u16(),
        200,
        "this session stays"
    );
    assert_problem(
        app.get_as("/api/v1/me", &elsewhere.access_token).await,
        401,
        "invalid_token",
    )
    .await;
    app.login(&email, "a brand new passphrase 2027", None).await;
    assert_problem(
        app.try_login(&email, FIXTURE_PASSWORD, None).await,
        401,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn user_lists_page_and_filter() {
    let app = spawn_app().await;
    let admin = app
        .login("tenant_admin@demo-be.example", DEMO_PASSWORD, None)
        .await
        .access_token;
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/users?limit=2&cursor={c}"),
            None => "/api/v1/users?limit=2".to_owned(),
        };
        let page: serde_json::Value = app.get_as(&path, &admin).await.json().await.expect("json");
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2);
        ids.extend(
            items
                .iter()
                .map(|u| u["id"].as_str().expect("id").to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert!(ids.len() >= 6, "one user per role");
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "no user twice");
    let analysts: serde_json::Value = app
        .get_as("/api/v1/users?role=analyst", &admin)
        .await
        .json()
        .await
        .expect("json");
    let items = analysts["items"].as_array().expect("items");
    assert!(!items.is_empty());
    assert!(items.iter().all(|u| {
        u["roles"]
            .as_array()
            .expect("roles")
            .contains(&json!("analyst"))
    }));
    assert_problem(
        app.get_as("/api/v1/users?role=overlord", &admin).await,
        400,
        "invalid_query",
    )
    .await;
    assert_problem(
        app.get_as("/api/v1/users?cursor=nonsense", &admin).await,
        400,
        "invalid_cursor",
    )
    .await;
    assert_problem(
        app.get_as("/api/v1/users?tenant_id=x", &admin).await,
        400,
        "invalid_query",
    )
    .await;
    // A page holds 1 to 200 items: a limit outside is refused and named, not quietly bounded.
    for limit in [0, 201, 5000] {
        let problem = assert_problem(
            app.get_as(&format!("/api/v1/users?limit={limit}"), &admin)
                .await,
            400,
            "invalid_query",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "limit", "limit={limit}");
    }
    for limit in [1, 200] {
        let page = app
            .get_as(&format!("/api/v1/users?limit={limit}"), &admin)
            .await;
        assert_eq!(page.status().as_u16(), 200, "limit={limit}");
    }
}

#[tokio::test]
async fn case_workers_see_their_active_colleagues_by_name_only() {
    let app = spawn_app().await;
    let fixture = app.onboard().await;
    let other = app.onboard().await;
    let (_, worker) = app.add_user(&fixture, &["case_worker"]).await;
    let (leaver, _) = app.add_user(&fixture, &["shelter_staff"]).await;
    let (_, analyst) = app.add_user(&fixture, &["analyst"]).await;
    app.add_user(&other, &["case_worker"]).await;
    let response = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/users/{leaver}"),
            &fixture.admin.access_token,
        )
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 204);

    let page: serde_json::Value = app
        .get_as("/api/v1/colleagues?limit=200", &worker.access_token)
        .await
        .json()
        .await
        .expect("page");
    let items = page["items"].as_array().expect("items");
    // The administrator, the case worker and the analyst: not the one deactivated, nobody of
    // the other organisation.
    assert_eq!(items.len(), 3, "{page}");
    assert!(
        items
            .iter()
            .all(|c| c.as_object().expect("object").len() == 2
                && c["id"].is_string()
                && c["name"].is_string()),
        "id and name only: {page}"
    );
    assert!(!items.iter().any(|c| c["id"] == leaver.as_str()));
    let listed: Vec<&str> = items.iter().filter_map(|c| c["id"].as_str()).collect();
    let theirs: serde_json::Value = app
        .get_as("/api/v1/colleagues", &other.admin.access_token)
        .await
        .json()
        .await
        .expect("page");
    for c in theirs["items"].as_array().expect("items") {
        assert!(!listed.contains(&c["id"].as_str().expect("id")));
    }
    // Paged by id.
    let first: serde_json::Value = app
        .get_as("/api/v1/colleagues?limit=2", &worker.access_token)
        .await
        .json()
        .await
        .expect("page");
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let rest: serde_json::Value = app
        .get_as(
            &format!("/api/v1/colleagues?cursor={cursor}"),
            &worker.access_token,
        )
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(rest["items"].as_array().expect("items").len(), 1);

    assert_problem(
        app.get_as("/api/v1/colleagues", &analyst.access_token)
            .await,
        403,
        "forbidden",
    )
    .await;
}
