//! Hostile input against every operation of the OpenAPI document, read at run time so new
//! endpoints are covered as soon as they are in it: malformed and oversized bodies, wrong
//! types, unknown enum values, NUL bytes, huge numbers, path traversal and forged ids in
//! paths, negative and huge limits, forged cursors. Each is answered with a 4xx problem
//! document that does not repeat what was sent, and changes nothing; SQL, HTML and script
//! payloads in text fields are either refused the same way or stored as plain data.

use crate::helpers::{TestApp, spawn_app};
use crate::hostile_rows::{
    FORGED_CURSORS, HOSTILE_IDS, HOSTILE_LIMITS, MARKER, Row, TEXT_PAYLOADS, body_rows,
    string_fields,
};
use reqwest::Method;
use serde_json::Value;

/// A signed-in organisation with a row in as many collections as the API can fill, so that
/// path templates resolve to real ids and requests get past the lookup to validation.
struct Ground {
    app: TestApp,
    spec: Value,
    token: String,
    platform: String,
    ids: std::collections::BTreeMap<String, Vec<String>>,
}

async fn ground() -> Ground {
    let app = spawn_app().await;
    let spec: Value = app
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .expect("spec");
    let fixture = app.onboard().await;
    let token = fixture.admin.access_token.clone();
    let (worker, _) = app.add_user(&fixture, &["case_worker"]).await;
    crate::shelters::furnish(&app, &token, &worker).await;
    let case = crate::placements::place_a_client(&app, &token).await;
    crate::interviews::record(&app, &token, &case, &worker).await;
    crate::support::plan_and_log(&app, &token, &case, &worker).await;
    crate::tasks::give_a_task(&app, &token, &case, &worker).await;
    crate::incidents::give_a_serious_incident(&app, &fixture, &case).await;
    crate::documents::record(&app, &token, &case).await;
    crate::legal::record(&app, &token, &case).await;
    crate::notes::add_a_note(&app, &token, &case).await;
    crate::training::give_an_engagement(&app, &token).await;
    let mut ids = crate::isolation::ids_by_collection(&app, &spec, &token).await;
    ids.insert("/api/v1/tenants".to_owned(), vec![fixture.id.clone()]);
    let platform = app.platform_token().await;
    Ground {
        app,
        spec,
        token,
        platform,
        ids,
    }
}

/// One operation of the document.
struct Operation<'a> {
    template: &'a str,
    method: Method,
    op: &'a Value,
    /// Every operation on the same path.
    item: &'a Value,
}

impl Ground {
    /// Every operation in the document.
    fn operations(&self) -> Vec<Operation<'_>> {
        let mut all = Vec::new();
        for (template, item) in self.spec["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("operations") {
                if let Ok(method) = method.to_uppercase().parse::<Method>() {
                    all.push(Operation {
                        template,
                        method,
                        op,
                        item,
                    });
                }
            }
        }
        all
    }

    /// Every operation that takes a request body.
    fn operations_with_body(&self) -> Vec<Operation<'_>> {
        let mut all = self.operations();
        all.retain(|o| o.op.get("requestBody").is_some());
        all
    }

    /// The token an operation is meant for: platform paths take the platform administrator's.
    fn token_for(&self, path: &str) -> &str {
        if path.starts_with("/api/v1/tenants") {
            &self.platform
        } else {
            &self.token
        }
    }

    /// A concrete path for a template: real ids where the organisation has some, the nil UUID
    /// otherwise (the request then meets a 404, still a refusal).
    async fn concrete(&self, template: &str) -> String {
        let token = self.token_for(template);
        crate::isolation::concrete_paths(&self.app, template, &self.ids, token)
            .await
            .into_iter()
            .next()
            .unwrap_or_else(|| nil_ids(template))
    }

    /// What the organisation sees at `path` (the body when it is there, the status when not:
    /// a problem names its request), and the `ETag` when there is one. Of a list that also
    /// holds what other organisations share (directory entries, courses), only the
    /// organisation's own items count: other tests running beside this one publish shared
    /// items at any time.
    async fn look(&self, path: &str, token: &str) -> (String, Option<String>) {
        let response = self.app.get_as(path, token).await;
        let etag = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let status = response.status();
        let seen = if status.is_success() {
            let text = response.text().await.expect("body");
            own_items(&text).unwrap_or(text)
        } else {
            status.to_string()
        };
        (seen, etag)
    }

    /// Every organisation on the platform whose slug or name is one of `marks`, all pages read.
    async fn tenants_marked(&self, marks: &[&str]) -> Vec<String> {
        let mut found = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/tenants?limit=200&cursor={c}"),
                None => "/api/v1/tenants?limit=200".to_owned(),
            };
            let page: Value = self
                .app
                .get_as(&path, &self.platform)
                .await
                .json()
                .await
                .expect("tenant page");
            for tenant in page["items"].as_array().expect("items") {
                let slug = tenant["slug"].as_str().unwrap_or_default();
                let name = tenant["name"].as_str().unwrap_or_default();
                if marks.contains(&slug) || marks.contains(&name) {
                    found.push(tenant.to_string());
                }
            }
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        found
    }
}

/// The items of a list page that the organisation owns, when the page marks ownership.
fn own_items(text: &str) -> Option<String> {
    let page: Value = serde_json::from_str(text).ok()?;
    let items = page.get("items")?.as_array()?;
    let owned = |item: &Value| {
        ["own", "mine"]
            .iter()
            .find_map(|k| item.get(*k).and_then(Value::as_bool))
    };
    if !items.iter().any(|item| owned(item).is_some()) {
        return None;
    }
    let own: Vec<&Value> = items
        .iter()
        .filter(|item| owned(item) == Some(true))
        .collect();
    Some(serde_json::to_string(&own).expect("json"))
}

/// The onboarding example made unique to this run, so that what the hostile rows could have
/// created is told apart from organisations other tests onboard meanwhile. Each row changes
/// one field, so anything a row created carries this slug or this name.
fn unique_tenant_example(example: &Value) -> (Value, [String; 2]) {
    let suffix = &uuid::Uuid::now_v7().simple().to_string()[20..];
    let slug = format!("probe-{suffix}");
    let name = format!("Probe {suffix}");
    let mut body = example.clone();
    body["slug"] = Value::String(slug.clone());
    body["name"] = Value::String(name.clone());
    body["admin"]["email"] = Value::String(format!("director@{slug}.example"));
    (body, [slug, name])
}

fn nil_ids(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let end = start + rest[start..].find('}').expect("}");
        out.push_str(&rest[..start]);
        out.push_str("00000000-0000-0000-0000-000000000000");
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// What the table found wrong; every row runs, and the test fails at the end with all of it.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    /// A refusal is a 4xx problem document that repeats none of the hostile text.
    async fn refused(&mut self, response: reqwest::Response, what: &str) {
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.text().await.expect("body");
        let short: String = body.chars().take(300).collect();
        if !(400..500).contains(&status) {
            self.0
                .push(format!("{what}: expected a 4xx, got {status}: {short}"));
        } else if content_type != "application/problem+json" {
            self.0
                .push(format!("{what}: {status} as {content_type:?}: {short}"));
        }
        self.not_reflected(&body, what);
        self.translated(&body, what);
    }

    /// Every text of a problem has a translation, so that a French or Dutch user reads the
    /// refusal in their language. The messages serde writes about a malformed body are for
    /// programmers and stay in English.
    fn translated(&mut self, body: &str, what: &str) {
        let Ok(problem) = serde_json::from_str::<Value>(body) else {
            return;
        };
        let mut texts = vec![&problem["title"], &problem["detail"]];
        if problem["code"] != "invalid_body" {
            texts.extend(
                problem["errors"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|e| &e["message"]),
            );
        }
        for text in texts.into_iter().filter_map(Value::as_str) {
            if haven_api::locale::translate(haven_api::locale::Lang::Nl, text).is_none() {
                self.0.push(format!("{what}: no translation of {text:?}"));
            }
        }
    }

    fn not_reflected(&mut self, body: &str, what: &str) {
        let reflected = body.contains(MARKER) || TEXT_PAYLOADS.iter().any(|p| body.contains(p));
        if reflected {
            let short: String = body.chars().take(300).collect();
            self.0
                .push(format!("{what}: the answer repeats the input: {short}"));
        }
    }

    fn check(&mut self, ok: bool, finding: impl FnOnce() -> String) {
        if !ok {
            self.0.push(finding());
        }
    }

    fn assert_none(self) {
        assert!(
            self.0.is_empty(),
            "{} findings:\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}

/// Every create and update operation, each hostile body row: refused, and nothing changed.
#[tokio::test]
async fn hostile_bodies_are_refused_by_every_create_and_update_operation() {
    let ground = ground().await;
    let app = &ground.app;
    let mut findings = Findings::default();
    let mut operations = 0;
    let mut rows_sent = 0;
    for Operation {
        template,
        method,
        op,
        item,
    } in ground.operations_with_body()
    {
        operations += 1;
        let token = ground.token_for(template);
        let path = ground.concrete(template).await;
        // What the organisation sees of the target: the item, or (for a path with no
        // GET) the collection or parent it belongs to.
        let witness = if item.get("get").is_some() {
            path.clone()
        } else {
            path[..path.rfind('/').expect("/")].to_owned()
        };
        let mut example = crate::isolation::example_body(op, &ground.spec);
        // Onboarding changes the platform's list of organisations, which other tests change
        // too: the witness there is whether an organisation of this run's example exists.
        let marks = (template == "/api/v1/tenants" && method == Method::POST).then(|| {
            let (unique, marks) = unique_tenant_example(&example);
            example = unique;
            marks
        });
        let seen = async |witness: &str| match &marks {
            Some([slug, name]) => (
                format!("{:?}", ground.tenants_marked(&[slug, name]).await),
                None,
            ),
            None => ground.look(witness, token).await,
        };
        let (before, etag) = seen(&witness).await;
        for row in body_rows(op, &ground.spec, &example) {
            let what = format!("{method} {template}: {}", row.name);
            let mut request = app
                .authed(method.clone(), &path, token)
                .header("if-match", etag.as_deref().unwrap_or("*"));
            request = match &row.body {
                Row::Json(value) => request.json(value),
                Row::Raw {
                    content_type,
                    bytes,
                } => request
                    .header("content-type", *content_type)
                    .body(bytes.clone()),
            };
            let response = request.send().await.expect("request");
            findings.refused(response, &what).await;
            rows_sent += 1;
        }
        let (after, _) = seen(&witness).await;
        findings.check(before == after, || {
            format!("{method} {template}: refused requests changed {witness}")
        });
    }
    findings.assert_none();
    assert!(operations >= 20, "only {operations} operations with a body");
    assert!(rows_sent >= 10 * operations, "only {rows_sent} rows sent");
}

/// SQL, HTML and script in every text field of every create and update operation: refused
/// with a problem that does not repeat them, or accepted and answered as JSON data.
#[tokio::test]
async fn markup_and_sql_in_text_fields_are_stored_as_data_or_refused_without_echo() {
    let ground = ground().await;
    let app = &ground.app;
    let mut findings = Findings::default();
    let mut tried = 0;
    for Operation {
        template,
        method,
        op,
        ..
    } in ground.operations_with_body()
    {
        if template.starts_with("/api/v1/auth/") {
            continue;
        }
        let token = ground.token_for(template);
        let path = ground.concrete(template).await;
        let example = crate::isolation::example_body(op, &ground.spec);
        for field in string_fields(op, &ground.spec) {
            for payload in TEXT_PAYLOADS {
                let mut body = example.clone();
                body[&field] = Value::String((*payload).to_owned());
                let etag = ground.look(&path, token).await.1;
                let response = app
                    .authed(method.clone(), &path, token)
                    .header("if-match", etag.as_deref().unwrap_or("*"))
                    .json(&body)
                    .send()
                    .await
                    .expect("request");
                let what = format!("{method} {template}: {field} = {payload}");
                let status = response.status().as_u16();
                if status >= 400 {
                    findings.refused(response, &what).await;
                } else if status != 204 {
                    let content_type = response
                        .headers()
                        .get("content-type")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    let stored = response.json::<Value>().await;
                    findings.check(
                        content_type == "application/json" && stored.is_ok_and(|v| v.is_object()),
                        || format!("{what}: {status} answered as {content_type:?}"),
                    );
                }
                tried += 1;
            }
        }
    }
    findings.assert_none();
    assert!(tried >= 50, "only {tried} text fields tried");
}

/// Every operation with a path parameter, given traversal, injection and non-UUID ids: 4xx.
#[tokio::test]
async fn hostile_ids_in_paths_are_refused_by_every_operation() {
    let ground = ground().await;
    let app = &ground.app;
    let mut findings = Findings::default();
    let mut probed = 0;
    for Operation {
        template,
        method,
        op,
        ..
    } in ground.operations()
    {
        let Some(start) = template.find('{') else {
            continue;
        };
        let end = start + template[start..].find('}').expect("}");
        let token = ground.token_for(template);
        let tail = nil_ids(&template[end + 1..]);
        for id in HOSTILE_IDS {
            let path = format!("{}{id}{tail}", &template[..start]);
            let mut request = app
                .authed(method.clone(), &path, token)
                .header("if-match", "*");
            if op.get("requestBody").is_some() {
                request = request.json(&crate::isolation::example_body(op, &ground.spec));
            }
            let response = request.send().await.expect("request");
            findings
                .refused(response, &format!("{method} {template} with id {id}"))
                .await;
            probed += 1;
        }
    }
    findings.assert_none();
    assert!(probed >= 100, "only {probed} probes");
}

/// Every list with `limit` or `cursor`: negative, huge and malformed limits, forged cursors;
/// and every query parameter of every read with the NUL character in its value (which
/// PostgreSQL refuses as a parameter, so it must not get that far).
#[tokio::test]
async fn hostile_limits_forged_cursors_and_nul_in_queries_are_refused() {
    let ground = ground().await;
    let app = &ground.app;
    let mut findings = Findings::default();
    let mut lists = 0;
    let mut nul_values = 0;
    for (template, item) in ground.spec["paths"].as_object().expect("paths") {
        let Some(op) = item.get("get") else {
            continue;
        };
        let names: Vec<&str> = op["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter(|p| p["in"] == "query")
                    .filter_map(|p| p["name"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        let token = ground.token_for(template);
        let path = ground.concrete(template).await;
        let mut queries = Vec::new();
        if names.contains(&"limit") {
            queries.extend(HOSTILE_LIMITS.iter().map(|l| format!("limit={l}")));
        }
        if names.contains(&"cursor") {
            queries.extend(FORGED_CURSORS.iter().map(|c| format!("cursor={c}")));
        }
        if queries.is_empty() && names.is_empty() {
            continue;
        }
        lists += usize::from(!queries.is_empty());
        queries.extend(names.iter().map(|name| format!("{name}=a%00{MARKER}")));
        nul_values += names.len();
        for query in queries {
            let response = app.get_as(&format!("{path}?{query}"), token).await;
            findings
                .refused(response, &format!("GET {template}?{query}"))
                .await;
        }
    }
    findings.assert_none();
    assert!(lists >= 10, "only {lists} lists with limit or cursor");
    assert!(nul_values >= 50, "only {nul_values} query parameters");
}

/// Values outside the letters-only patterns the document gives code filters (countries,
/// nationalities, languages), and the shortest value each pattern allows.
const CODE_PATTERNS: [(&str, &str); 2] = [("^[A-Za-z]{2}$", "nL"), ("^[A-Za-z]{2,3}$", "tIr")];
const NOT_CODES: [&str; 7] = ["", "b", "BEL1", "Belgium", "b%201", "%20be", "1a"];

#[tokio::test]
async fn code_filters_refuse_what_their_documented_pattern_does_not_allow() {
    let ground = ground().await;
    let app = &ground.app;
    let mut findings = Findings::default();
    let mut filters = Vec::new();
    for (template, item) in ground.spec["paths"].as_object().expect("paths") {
        let Some(op) = item.get("get") else {
            continue;
        };
        let token = ground.token_for(template);
        let path = ground.concrete(template).await;
        for param in op["parameters"].as_array().into_iter().flatten() {
            let Some(pattern) = param["schema"]["pattern"].as_str() else {
                continue;
            };
            let Some((_, good)) = CODE_PATTERNS.iter().find(|(p, _)| *p == pattern) else {
                continue;
            };
            let name = param["name"].as_str().expect("name");
            filters.push(format!("{template}?{name}"));
            for bad in NOT_CODES {
                let what = format!("GET {template}?{name}={bad}");
                let response = app.get_as(&format!("{path}?{name}={bad}"), token).await;
                let status = response.status().as_u16();
                let body: Value = response.json().await.expect("problem");
                if status != 400
                    || body["code"] != "invalid_query"
                    || body["errors"][0]["field"] != name
                {
                    findings.0.push(format!("{what}: {status} {body}"));
                }
            }
            let allowed = app.get_as(&format!("{path}?{name}={good}"), token).await;
            let status = allowed.status().as_u16();
            if status != 200 {
                findings.0.push(format!(
                    "GET {template}?{name}={good}: {status}, though the pattern allows it"
                ));
            }
        }
    }
    findings.assert_none();
    filters.sort();
    assert_eq!(
        filters,
        [
            "/api/v1/cases?nationality",
            "/api/v1/clients?nationality",
            "/api/v1/directory/organisations?country",
            "/api/v1/directory/organisations?language",
            "/api/v1/training/courses?language",
            "/api/v1/training/engagements?country",
        ],
        "the code filters the document names"
    );
}
