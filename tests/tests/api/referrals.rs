//! Referrals: the consent gate and its override, the status flow, the referral pack, need to
//! know, and referrals between two Haven organisations (inbox, accept, decline, cancel) with
//! nothing else crossing between them.

use crate::clients::register;
use crate::directory::{add, curated, entry, marker};
use crate::helpers::{Fixture, TestApp, assert_problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_owned()
}

async fn me(app: &TestApp, token: &str) -> String {
    let me: Value = app
        .get_as("/api/v1/me", token)
        .await
        .json()
        .await
        .expect("json");
    id(&me)
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

/// A client with a case, registered by `token`: (client id, case id).
pub async fn a_case(app: &TestApp, token: &str, used_name: &str) -> (String, String) {
    let created = register(
        app,
        token,
        json!({"identity": {"used_name": used_name, "phone": "+32 470 12 34 56"},
            "gender": "female", "birth_year": 1996, "trafficking_status": "possible",
            "nationality": "RO", "languages": ["ro", "fr"], "needs": ["medical"]}),
    )
    .await;
    (
        created["client"]["id"].as_str().expect("client").to_owned(),
        created["case_id"].as_str().expect("case").to_owned(),
    )
}

/// Records an interview on `case` with one consent to share with `partners`; returns the
/// consent's id.
pub async fn consent(app: &TestApp, token: &str, case: &str, partners: &[&str]) -> String {
    let interviewer = me(app, token).await;
    let held_on = (chrono::Utc::now().date_naive() - chrono::Duration::days(1)).to_string();
    let response = send(
        app,
        Method::POST,
        &format!("/api/v1/cases/{case}/interviews"),
        token,
        &json!({
            "held_on": held_on, "interviewer_ids": [interviewer], "language": "ro",
            "interpreter_used": false, "location_type": "ngo_office", "presumed_victim": "yes",
            "narrative": "Recruited with a false job offer.",
            "consents": [{"purpose": "sharing_with_partners", "partner_types": partners}]
        }),
    )
    .await;
    assert_eq!(response.status().as_u16(), 201, "record an interview");
    let interview: Value = response.json().await.expect("json");
    let consent = interview["consents"]
        .as_array()
        .expect("consents")
        .iter()
        .find(|c| c["purpose"] == "sharing_with_partners")
        .expect("sharing consent");
    id(consent)
}

fn referral(case: &str, organisation: &str, service: &str, fields: &[&str]) -> Value {
    json!({
        "case_id": case, "organisation_id": organisation, "service_type": service,
        "service_area": "legal", "urgency": "urgent",
        "reason": "Needs a lawyer before the hearing.", "shared_fields": fields
    })
}

async fn post_referral(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    send(app, Method::POST, "/api/v1/referrals", token, body).await
}

/// A private directory entry of `token`'s organisation (an NGO offering shelter and legal
/// aid).
async fn own_entry(app: &TestApp, token: &str) -> String {
    id(&add(
        app,
        token,
        &entry(&format!("Partner {}", marker()), "private"),
    )
    .await)
}

/// A case with a consent to share with NGOs and legal services, and a referral of it (legal
/// aid) to a private entry: (case id, referral).
pub async fn give_a_referral(app: &TestApp, token: &str) -> (String, Value) {
    let (_, case) = a_case(app, token, "Ioana").await;
    consent(app, token, &case, &["ngo", "legal_service"]).await;
    let organisation = own_entry(app, token).await;
    let created = app
        .create(
            token,
            "/api/v1/referrals",
            &referral(&case, &organisation, "legal_aid", &["name", "languages"]),
        )
        .await;
    (case, created)
}

async fn move_to(app: &TestApp, token: &str, referral: &str, body: &Value) -> reqwest::Response {
    let path = format!("/api/v1/referrals/{referral}");
    let tag = app.etag_of(&path, token).await;
    app.authed(Method::POST, &format!("{path}/transitions"), token)
        .header("if-match", tag)
        .json(body)
        .send()
        .await
        .expect("request")
}

async fn actions(app: &TestApp, token: &str, action: &str) -> Vec<Value> {
    let page: Value = app
        .get_as(&format!("/api/v1/audit-events?action={action}"), token)
        .await
        .json()
        .await
        .expect("json");
    page["items"].as_array().expect("items").clone()
}

#[tokio::test]
async fn a_referral_needs_a_matching_active_consent() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let (_, worker) = app.add_user(&a, &["case_worker"]).await;
    let token = worker.access_token;
    let (_, case) = a_case(&app, &token, "Ioana").await;
    let organisation = own_entry(&app, &token).await;
    let body = referral(&case, &organisation, "legal_aid", &["name"]);

    // No consent at all.
    let problem = assert_problem(
        post_referral(&app, &token, &body).await,
        409,
        "consent_required",
    )
    .await;
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("legal_service"),
        "{problem}"
    );

    // A consent for another partner type only (an NGO, not a legal service).
    consent(&app, &token, &case, &["ngo"]).await;
    assert_problem(
        post_referral(&app, &token, &body).await,
        409,
        "consent_required",
    )
    .await;

    // A consent that covers both, withdrawn.
    let both = consent(&app, &token, &case, &["ngo", "legal_service"]).await;
    let response = send(
        &app,
        Method::POST,
        &format!("/api/v1/consents/{both}/withdrawal"),
        &token,
        &json!({}),
    )
    .await;
    assert!(response.status().is_success(), "withdraw");
    assert_problem(
        post_referral(&app, &token, &body).await,
        409,
        "consent_required",
    )
    .await;
    assert!(
        actions(&app, &a.admin.access_token, "referral.refused")
            .await
            .len()
            >= 3,
        "refusals are audited"
    );

    // A matching, active consent.
    let matching = consent(
        &app,
        &token,
        &case,
        &["legal_service", "ngo", "health_service"],
    )
    .await;
    let created = app.create(&token, "/api/v1/referrals", &body).await;
    assert_eq!(created["status"], "sent");
    assert_eq!(created["consent_id"], matching.as_str());
    assert_eq!(created["consent_override"], false);
    assert_eq!(created["to_haven_organisation"], false);
    assert_eq!(created["reason"], "Needs a lawyer before the hearing.");

    // A service the organisation does not offer, and an organisation the tenant cannot see.
    let other = app.onboard().await;
    let foreign = own_entry(&app, &other.admin.access_token).await;
    let problem = assert_problem(
        post_referral(
            &app,
            &token,
            &referral(&case, &organisation, "medical", &[]),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "service_type");
    let problem = assert_problem(
        post_referral(&app, &token, &referral(&case, &foreign, "legal_aid", &[])).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "organisation_id");
}

#[tokio::test]
async fn a_consent_override_needs_the_permission_and_a_reason_and_is_audited() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let (_, worker) = app.add_user(&a, &["case_worker"]).await;
    let (_, manager) = app.add_user(&a, &["shelter_manager"]).await;
    let admin = a.admin.access_token.clone();
    let (_, case) = a_case(&app, &admin, "Ioana").await;
    let organisation = own_entry(&app, &admin).await;
    let mut body = referral(&case, &organisation, "legal_aid", &["languages"]);
    body["consent_override"] = json!(true);
    body["override_reason"] = json!("The hearing is tomorrow and the client cannot be reached.");

    // A case worker may not override (and is not on this case's team anyway).
    assert_problem(
        post_referral(&app, &worker.access_token, &body).await,
        403,
        "forbidden",
    )
    .await;
    let me_worker = me(&app, &worker.access_token).await;
    let denied = actions(&app, &admin, "access.denied").await;
    assert!(
        denied.iter().any(|e| e.to_string().contains(&me_worker)
            && e.to_string().contains("referrals.consent_override")),
        "the refusal is audited: {denied:?}"
    );

    // Without a reason, and with identifying fields.
    let mut no_reason = body.clone();
    no_reason
        .as_object_mut()
        .expect("object")
        .remove("override_reason");
    let problem = assert_problem(
        post_referral(&app, &admin, &no_reason).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "override_reason");
    let mut blank = body.clone();
    blank["override_reason"] = json!("   ");
    assert_problem(
        post_referral(&app, &admin, &blank).await,
        422,
        "validation_failed",
    )
    .await;
    let mut identifying = body.clone();
    identifying["shared_fields"] = json!(["name", "languages"]);
    let problem = assert_problem(
        post_referral(&app, &admin, &identifying).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "shared_fields");

    // With the permission and a reason.
    let created = app.create(&admin, "/api/v1/referrals", &body).await;
    assert_eq!(created["consent_override"], true);
    assert_eq!(created["consent_id"], Value::Null);
    assert_eq!(
        created["override_reason"],
        "The hearing is tomorrow and the client cannot be reached."
    );
    let overridden = actions(&app, &admin, "referral.consent_overridden").await;
    assert_eq!(overridden.len(), 1, "{overridden:?}");
    assert!(
        !overridden[0].to_string().contains("cannot be reached"),
        "the reason stays out of the audit log"
    );

    // A shelter manager holds the permission too (on a case of their own).
    let (_, own_case) = a_case(&app, &manager.access_token, "Mara").await;
    let mut managers = body.clone();
    managers["case_id"] = json!(own_case);
    app.create(&manager.access_token, "/api/v1/referrals", &managers)
        .await;
}

#[tokio::test]
async fn the_status_flow_is_guarded_and_dated() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let token = a.admin.access_token.clone();
    let (_, created) = give_a_referral(&app, &token).await;
    let referral = id(&created);
    let path = format!("/api/v1/referrals/{referral}");

    // If-Match is required, and must be current.
    let response = send(
        &app,
        Method::POST,
        &format!("{path}/transitions"),
        &token,
        &json!({"to": "accepted"}),
    )
    .await;
    assert_problem(response, 428, "precondition_required").await;
    let response = app
        .authed(Method::POST, &format!("{path}/transitions"), &token)
        .header("if-match", "\"1\"")
        .json(&json!({"to": "accepted"}))
        .send()
        .await
        .expect("request");
    assert_problem(response, 412, "precondition_failed").await;

    // sent → completed is not a move.
    let problem = assert_problem(
        move_to(&app, &token, &referral, &json!({"to": "completed"})).await,
        409,
        "illegal_transition",
    )
    .await;
    assert!(
        problem["detail"]
            .as_str()
            .expect("detail")
            .contains("accepted"),
        "{problem}"
    );

    let response = move_to(&app, &token, &referral, &json!({"to": "accepted"})).await;
    assert_eq!(response.status().as_u16(), 200);
    let accepted: Value = response.json().await.expect("json");
    assert_eq!(accepted["status"], "accepted");
    assert!(accepted["responded_at"].is_string());
    assert_problem(
        move_to(&app, &token, &referral, &json!({"to": "declined"})).await,
        409,
        "illegal_transition",
    )
    .await;

    let response = move_to(
        &app,
        &token,
        &referral,
        &json!({"to": "completed", "outcome": "Seen by the lawyer; appeal filed."}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let done: Value = app.get_as(&path, &token).await.json().await.expect("json");
    assert_eq!(done["status"], "completed");
    assert!(done["completed_at"].is_string());
    assert_eq!(done["outcome"], "Seen by the lawyer; appeal filed.");
    for to in ["cancelled", "sent", "accepted"] {
        assert_problem(
            move_to(&app, &token, &referral, &json!({"to": to})).await,
            409,
            "illegal_transition",
        )
        .await;
    }

    // Cancelling a sent one.
    let (_, second) = give_a_referral(&app, &token).await;
    let response = move_to(&app, &token, &id(&second), &json!({"to": "cancelled"})).await;
    assert_eq!(response.status().as_u16(), 200);
    let cancelled: Value = response.json().await.expect("json");
    assert!(cancelled["cancelled_at"].is_string());

    // Listed on the case, and filtered by status.
    let listed: Value = app
        .get_as(
            &format!(
                "/api/v1/cases/{}/referrals",
                created["case_id"].as_str().expect("case")
            ),
            &token,
        )
        .await
        .json()
        .await
        .expect("json");
    let items = listed["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], referral.as_str());
    assert!(items[0].get("reason").is_none(), "lists carry no texts");
    let cancelled: Value = app
        .get_as("/api/v1/referrals?status=cancelled", &token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(cancelled["items"].as_array().expect("items").len(), 1);
}

#[tokio::test]
async fn the_pack_holds_only_the_shared_fields_escaped() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let token = a.admin.access_token.clone();
    let (_, case) = a_case(&app, &token, "<b>Ioana</b>").await;
    consent(&app, &token, &case, &["ngo", "legal_service"]).await;
    let organisation = own_entry(&app, &token).await;
    let mut body = referral(&case, &organisation, "legal_aid", &["languages", "gender"]);
    body["reason"] = json!("Hearing <script>alert(1)</script> & appeal");
    let without_name = app.create(&token, "/api/v1/referrals", &body).await;
    body["shared_fields"] = json!(["name", "contact"]);
    let with_name = app.create(&token, "/api/v1/referrals", &body).await;

    let pack = |id: String| {
        let app = &app;
        let token = token.clone();
        async move {
            let response = app
                .get_as(&format!("/api/v1/referrals/{id}/pack"), &token)
                .await;
            assert_eq!(response.status().as_u16(), 200);
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            assert!(content_type.starts_with("text/html"), "{content_type}");
            response.text().await.expect("html")
        }
    };
    let html = pack(id(&without_name)).await;
    assert!(
        html.contains("Hearing &lt;script&gt;alert(1)&lt;/script&gt; &amp; appeal"),
        "{html}"
    );
    assert!(!html.contains("<script>"));
    assert!(html.contains("fr, ro") && html.contains("female"), "{html}");
    assert!(
        !html.contains("Ioana") && !html.contains("+32"),
        "no unshared field: {html}"
    );
    assert!(
        !html.contains("RO</td>"),
        "nationality was not shared: {html}"
    );

    let html = pack(id(&with_name)).await;
    assert!(
        html.contains("&lt;b&gt;Ioana&lt;/b&gt;") && !html.contains("<b>Ioana"),
        "{html}"
    );
    assert!(html.contains("+32 470 12 34 56"), "{html}");
    assert!(
        !html.contains("fr, ro"),
        "languages were not shared this time: {html}"
    );
    assert_eq!(
        actions(&app, &token, "referral.pack_exported").await.len(),
        2
    );
}

#[tokio::test]
async fn referrals_follow_need_to_know() {
    let app = spawn_app().await;
    let a = app.onboard().await;
    let (_, worker) = app.add_user(&a, &["case_worker"]).await;
    let (_, other_worker) = app.add_user(&a, &["case_worker"]).await;
    let (_, staff) = app.add_user(&a, &["shelter_staff"]).await;
    let (_, analyst) = app.add_user(&a, &["analyst"]).await;
    let (case, created) = give_a_referral(&app, &worker.access_token).await;
    let path = format!("/api/v1/referrals/{}", id(&created));

    // The lead sees it; a case worker of another case does not; no one else lists them.
    assert_eq!(
        app.get_as(&path, &worker.access_token)
            .await
            .status()
            .as_u16(),
        200
    );
    assert_problem(
        app.get_as(&path, &other_worker.access_token).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(&format!("{path}/pack"), &other_worker.access_token)
            .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(
            &format!("/api/v1/cases/{case}/referrals"),
            &other_worker.access_token,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let listed: Value = app
        .get_as("/api/v1/referrals", &other_worker.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert!(listed["items"].as_array().expect("items").is_empty());
    for token in [&staff.access_token, &analyst.access_token] {
        assert_problem(
            app.get_as("/api/v1/referrals", token).await,
            403,
            "forbidden",
        )
        .await;
        assert_problem(app.get_as(&path, token).await, 404, "not_found").await;
    }
    // The administrator sees every case's referrals.
    assert_eq!(
        app.get_as(&path, &a.admin.access_token)
            .await
            .status()
            .as_u16(),
        200
    );
}

/// A verified shared entry the platform linked to `receiver`: its id.
pub async fn linked_entry(app: &TestApp, receiver: &Fixture) -> String {
    let entry = curated(app, &format!("Haven partner {}", marker())).await;
    let platform = app.platform_token().await;
    let response = send(
        app,
        Method::PUT,
        &format!("/api/v1/directory/organisations/{}/link", id(&entry)),
        &platform,
        &json!({"tenant_id": receiver.id}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200, "link the entry");
    id(&entry)
}

/// Tenants A and B, a shared entry linked to B, and a case of A with a consent to share with
/// NGOs: (A, B, entry id, A's case id).
async fn two_organisations(app: &TestApp) -> (Fixture, Fixture, String, String) {
    let a = app.onboard().await;
    let b = app.onboard().await;
    let entry = linked_entry(app, &b).await;
    let (_, case) = a_case(app, &a.admin.access_token, "Ioana").await;
    consent(app, &a.admin.access_token, &case, &["ngo"]).await;
    (a, b, entry, case)
}

pub async fn refer_to_b(app: &TestApp, a: &Fixture, entry: &str, case: &str) -> Value {
    let mut body = referral(case, entry, "shelter", &["name", "languages"]);
    body["service_area"] = json!("residential");
    body["reason"] = json!("Needs a safe place tonight, far from the city.");
    app.create(&a.admin.access_token, "/api/v1/referrals", &body)
        .await
}

pub async fn inbox(app: &TestApp, b: &Fixture) -> Vec<Value> {
    let page: Value = app
        .get_as("/api/v1/referrals/incoming", &b.admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    page["items"].as_array().expect("items").clone()
}

/// A referral from a fresh tenant to `receiver`'s inbox; returns the received item's id.
pub async fn give_an_incoming_referral(app: &TestApp, receiver: &Fixture) -> String {
    let sender = app.onboard().await;
    let entry = linked_entry(app, receiver).await;
    let (_, case) = a_case(app, &sender.admin.access_token, "Ioana").await;
    consent(app, &sender.admin.access_token, &case, &["ngo"]).await;
    refer_to_b(app, &sender, &entry, &case).await;
    let items = inbox(app, receiver).await;
    id(&items[0])
}

#[tokio::test]
async fn a_referral_to_a_haven_organisation_lands_in_its_inbox_and_accepting_opens_a_case() {
    let app = spawn_app().await;
    let (a, b, entry, case) = two_organisations(&app).await;
    let sent = refer_to_b(&app, &a, &entry, &case).await;
    assert_eq!(sent["to_haven_organisation"], true);
    let referral_path = format!("/api/v1/referrals/{}", id(&sent));

    let items = inbox(&app, &b).await;
    assert_eq!(items.len(), 1);
    let incoming = id(&items[0]);
    assert_ne!(incoming, id(&sent), "the inbox item is B's own row");
    assert_eq!(items[0]["status"], "received");
    assert!(items[0].get("packet").is_none(), "lists carry no packet");
    let item_path = format!("/api/v1/referrals/incoming/{incoming}");
    let item: Value = app
        .get_as(&item_path, &b.admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(item["packet"]["name"], "Ioana");
    assert_eq!(item["packet"]["languages"], json!(["fr", "ro"]));
    assert_eq!(
        item["packet"]["reason"],
        "Needs a safe place tonight, far from the city."
    );
    assert!(item["packet"].get("phone").is_none() && item["packet"].get("nationality").is_none());
    let text = item.to_string();
    assert!(
        !text.contains(&case) && !text.contains(&id(&sent)),
        "no reference into A's rows: {text}"
    );
    assert!(!text.contains(&a.id), "{text}");

    // Neither side reads the other's row.
    assert_problem(
        app.get_as(&item_path, &a.admin.access_token).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(&referral_path, &b.admin.access_token).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(&format!("/api/v1/cases/{case}"), &b.admin.access_token)
            .await,
        404,
        "not_found",
    )
    .await;
    assert!(inbox(&app, &a).await.is_empty());

    // The sender cannot answer for the partner.
    assert_problem(
        move_to(
            &app,
            &a.admin.access_token,
            &id(&sent),
            &json!({"to": "accepted"}),
        )
        .await,
        409,
        "illegal_transition",
    )
    .await;

    let response = send(
        &app,
        Method::POST,
        &format!("{item_path}/accept"),
        &b.admin.access_token,
        &json!({}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let accepted: Value = response.json().await.expect("json");
    assert_eq!(accepted["status"], "accepted");
    let b_case = accepted["case_id"].as_str().expect("case").to_owned();
    let opened: Value = app
        .get_as(&format!("/api/v1/cases/{b_case}"), &b.admin.access_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(opened["stage"], "signalled");
    let client: Value = app
        .get_as(
            &format!(
                "/api/v1/clients/{}",
                opened["client_id"].as_str().expect("client")
            ),
            &b.admin.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(client["details"]["identity"]["used_name"], "Ioana");
    assert_eq!(client["details"]["languages"], json!(["fr", "ro"]));
    assert_eq!(
        client["details"]["identity"]["phone"],
        Value::Null,
        "the phone was not shared"
    );
    assert!(
        client["case_code"]
            .as_str()
            .expect("code")
            .starts_with("BE-")
    );

    // The sender sees the status, never the receiver's case.
    let seen = app
        .get_as(&referral_path, &a.admin.access_token)
        .await
        .text()
        .await
        .expect("body");
    let seen_json: Value = serde_json::from_str(&seen).expect("json");
    assert_eq!(seen_json["status"], "accepted");
    assert!(seen_json["responded_at"].is_string());
    assert!(
        !seen.contains(&b_case) && !seen.contains(&incoming),
        "{seen}"
    );
    assert_problem(
        app.get_as(&format!("/api/v1/cases/{b_case}"), &a.admin.access_token)
            .await,
        404,
        "not_found",
    )
    .await;

    // Answered once only; both sides audited.
    let again = send(
        &app,
        Method::POST,
        &format!("{item_path}/accept"),
        &b.admin.access_token,
        &json!({}),
    )
    .await;
    assert_problem(again, 409, "not_pending").await;
    assert_eq!(
        actions(&app, &b.admin.access_token, "incoming_referral.received")
            .await
            .len(),
        1
    );
    assert_eq!(
        actions(&app, &b.admin.access_token, "incoming_referral.accepted")
            .await
            .len(),
        1
    );
    assert_eq!(
        actions(&app, &a.admin.access_token, "referral.answered")
            .await
            .len(),
        1
    );

    // The sender completes it once the client was helped.
    let response = move_to(
        &app,
        &a.admin.access_token,
        &id(&sent),
        &json!({"to": "completed"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn declining_records_a_reason_the_sender_never_sees_and_cancelling_withdraws() {
    let app = spawn_app().await;
    let (a, b, entry, case) = two_organisations(&app).await;
    let declined = refer_to_b(&app, &a, &entry, &case).await;
    let incoming = id(&inbox(&app, &b).await[0]);
    let item_path = format!("/api/v1/referrals/incoming/{incoming}");

    // A shelter worker of B may not answer; a blank reason is refused.
    let (_, staff) = app.add_user(&b, &["case_worker"]).await;
    assert_problem(
        send(
            &app,
            Method::POST,
            &format!("{item_path}/decline"),
            &staff.access_token,
            &json!({"reason": "No."}),
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
            &format!("{item_path}/decline"),
            &b.admin.access_token,
            &json!({"reason": " "}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    // The sender cannot decline the receiver's item.
    assert_problem(
        send(
            &app,
            Method::POST,
            &format!("{item_path}/decline"),
            &a.admin.access_token,
            &json!({"reason": "x"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;

    let response = send(
        &app,
        Method::POST,
        &format!("{item_path}/decline"),
        &b.admin.access_token,
        &json!({"reason": "No bed for a mother with two children this month."}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let answered: Value = response.json().await.expect("json");
    assert_eq!(answered["status"], "declined");
    assert_eq!(
        answered["decline_reason"],
        "No bed for a mother with two children this month."
    );
    assert_eq!(answered["case_id"], Value::Null);
    let seen = app
        .get_as(
            &format!("/api/v1/referrals/{}", id(&declined)),
            &a.admin.access_token,
        )
        .await
        .text()
        .await
        .expect("body");
    assert!(seen.contains("\"status\":\"declined\""), "{seen}");
    assert!(
        !seen.contains("No bed"),
        "the reason stays with the receiver: {seen}"
    );

    // Cancelling a sent referral withdraws it from the inbox.
    let cancelled = refer_to_b(&app, &a, &entry, &case).await;
    let waiting = inbox(&app, &b).await;
    let second = waiting
        .iter()
        .find(|i| i["status"] == "received")
        .map(id)
        .expect("a waiting item");
    let response = move_to(
        &app,
        &a.admin.access_token,
        &id(&cancelled),
        &json!({"to": "cancelled"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let item: Value = app
        .get_as(
            &format!("/api/v1/referrals/incoming/{second}"),
            &b.admin.access_token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(item["status"], "cancelled");
    assert_problem(
        send(
            &app,
            Method::POST,
            &format!("/api/v1/referrals/incoming/{second}/accept"),
            &b.admin.access_token,
            &json!({}),
        )
        .await,
        409,
        "not_pending",
    )
    .await;
}

#[tokio::test]
async fn the_demo_holds_referrals_in_every_status_and_one_between_the_demo_organisations() {
    let app = spawn_app().await;
    let be = app
        .login(
            "tenant_admin@demo-be.example",
            crate::helpers::DEMO_PASSWORD,
            None,
        )
        .await
        .access_token;
    let ng = app
        .login(
            "tenant_admin@demo-ng.example",
            crate::helpers::DEMO_PASSWORD,
            None,
        )
        .await
        .access_token;
    let page: Value = app
        .get_as("/api/v1/referrals?limit=200", &be)
        .await
        .json()
        .await
        .expect("json");
    let items = page["items"].as_array().expect("items");
    for status in ["sent", "accepted", "declined", "completed", "cancelled"] {
        assert!(
            items.iter().any(|r| r["status"] == status),
            "a demo referral is {status}"
        );
    }
    assert!(items.iter().any(|r| r["consent_override"] == true));
    assert!(
        items
            .iter()
            .filter(|r| r["to_haven_organisation"] == true)
            .count()
            >= 2,
        "{items:?}"
    );
    let inbox: Value = app
        .get_as("/api/v1/referrals/incoming", &ng)
        .await
        .json()
        .await
        .expect("json");
    let received = inbox["items"].as_array().expect("items");
    assert!(
        received
            .iter()
            .any(|i| i["status"] == "accepted" && i["case_id"].is_string())
    );
    assert!(received.iter().any(|i| i["status"] == "received"));
    // Enough of a directory to click through, across both countries.
    let be_found: Value = app
        .get_as("/api/v1/directory/organisations?country=be&limit=200", &be)
        .await
        .json()
        .await
        .expect("json");
    let ng_found: Value = app
        .get_as("/api/v1/directory/organisations?country=ng&limit=200", &be)
        .await
        .json()
        .await
        .expect("json");
    assert!(be_found["items"].as_array().expect("items").len() >= 10);
    assert!(ng_found["items"].as_array().expect("items").len() >= 10);
}
