//! Deadlines (an agenda across cases), the procedure templates, starting procedure steps, and
//! the organisation's procedure settings.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::if_match;
use crate::routes::common::page_limit;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use haven_domain::deadlines::{self, DeadlineFilter, NewDeadline};
use haven_domain::entities::deadline;
use haven_domain::procedures::{self, Template};
use haven_domain::vocab::DeadlineStatus;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a44", "case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00",
    "kind": "reflection_period_end", "title": "Ends: Reflection period (order to leave the territory, effect suspended)",
    "due_on": "2027-01-12", "status": "open", "source": "procedure:be:1", "step_code": "reflection_period",
    "completed_at": null, "updated_at": "2026-11-28T10:00:00Z"}))]
pub struct DeadlineOut {
    pub id: Uuid,
    pub case_id: Uuid,
    /// What falls due, named by the procedure template's reminder (e.g.
    /// `reflection_period_end`); templates may add kinds.
    pub kind: String,
    pub title: String,
    pub due_on: NaiveDate,
    pub status: DeadlineStatus,
    /// `procedure:<template>:<version>`, `manual` (set by hand), or where else it came from
    /// (`document`, `hearing`, `support_plan`).
    pub source: String,
    pub step_code: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl From<deadline::Model> for DeadlineOut {
    fn from(d: deadline::Model) -> Self {
        Self {
            id: d.id,
            case_id: d.case_id,
            kind: d.kind,
            title: d.title,
            due_on: d.due_on,
            status: DeadlineStatus::parse(&d.status).unwrap_or(DeadlineStatus::Open),
            source: d.source,
            step_code: d.step_code,
            completed_at: d.completed_at,
            updated_at: d.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DeadlinePage {
    pub items: Vec<DeadlineOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeadlineQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub case_id: Option<Uuid>,
    /// Only deadlines in this status (default `open`), or `all`.
    #[param(inline)]
    pub status: Option<DeadlineStatusQuery>,
    /// Deadlines due before this date.
    pub due_before: Option<NaiveDate>,
    /// Deadlines due on or after this date.
    pub due_after: Option<NaiveDate>,
}

/// The deadline list's status filter: one status, or `all`.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineStatusQuery {
    Open,
    Done,
    Cancelled,
    All,
}

fn parse_cursor(cursor: Option<&str>) -> Result<Option<(NaiveDate, Uuid)>, ApiError> {
    cursor
        .map(|c| {
            let bad = || {
                ApiError::bad_request("invalid_cursor", "The cursor is not one this API gave out.")
            };
            let (date, id) = c.split_once('_').ok_or_else(bad)?;
            Ok((
                date.parse().map_err(|_| bad())?,
                Uuid::try_parse(id).map_err(|_| bad())?,
            ))
        })
        .transpose()
}

/// Deadlines of the cases you may see, soonest first: open ones unless `status` says otherwise.
#[utoipa::path(
    tag = "deadlines",
    operation_id = "list_deadlines",
    params(DeadlineQuery),
    responses(
        (status = 200, description = "A page of deadlines", body = DeadlinePage),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/deadlines")]
pub async fn list_deadlines(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<DeadlineQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let status = match query.status.unwrap_or(DeadlineStatusQuery::Open) {
        DeadlineStatusQuery::Open => Some(DeadlineStatus::Open),
        DeadlineStatusQuery::Done => Some(DeadlineStatus::Done),
        DeadlineStatusQuery::Cancelled => Some(DeadlineStatus::Cancelled),
        DeadlineStatusQuery::All => None,
    };
    let filter = DeadlineFilter {
        case: query.case_id,
        status,
        due_before: query.due_before,
        due_after: query.due_after,
        after: parse_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = deadlines::list(&state.db, scope, &filter).await?;
    let next = (items.len() as u64 >= limit)
        .then(|| items.last().map(|d| format!("{}_{}", d.due_on, d.id)))
        .flatten();
    Ok(HttpResponse::Ok().json(DeadlinePage {
        items: items.into_iter().map(DeadlineOut::from).collect(),
        next_cursor: next,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00",
    "title": "Appeal against the refusal of the work permit", "due_on": "2027-01-20"}))]
pub struct DeadlineIn {
    pub case_id: Uuid,
    /// What falls due, on one line: shown in agendas and notices, so it never names a person.
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// Within one year back and ten years ahead.
    pub due_on: NaiveDate,
}

/// Sets a deadline by hand on an open case (kind and source `manual`); it is announced to
/// those who hear of the case like the template's.
#[utoipa::path(
    tag = "deadlines",
    operation_id = "create_deadline",
    request_body = DeadlineIn,
    responses(
        (status = 201, description = "Set", body = DeadlineOut, headers(
            ("Location" = String, description = "The new deadline"),
            ("ETag" = String, description = "Version for If-Match"),
        )),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input, or a case you may not see (every bad field is listed)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/deadlines")]
pub async fn create_deadline(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<DeadlineIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let body = body.into_inner();
    let row = deadlines::create(
        &state.db,
        scope,
        NewDeadline {
            case_id: body.case_id,
            title: body.title,
            due_on: body.due_on,
        },
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/deadlines/{}", row.id)))
        .insert_header((header::ETAG, deadlines::etag(&row)))
        .json(DeadlineOut::from(row)))
}

/// One deadline.
#[utoipa::path(
    tag = "deadlines",
    operation_id = "get_deadline",
    params(("id" = Uuid, Path, description = "Deadline id")),
    responses(
        (status = 200, description = "The deadline", body = DeadlineOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 404, description = "No such deadline among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/deadlines/{id}")]
pub async fn get_deadline(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let row = deadlines::get(&state.db, scope, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, deadlines::etag(&row)))
        .json(DeadlineOut::from(row)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "done"}))]
pub struct DeadlinePatchIn {
    /// `done` or `cancelled` closes the deadline, `open` opens it again.
    pub status: Option<DeadlineStatus>,
    pub due_on: Option<NaiveDate>,
}

/// Marks a deadline done or cancelled (or open again), or moves it. Requires `If-Match`.
#[utoipa::path(
    tag = "deadlines",
    operation_id = "update_deadline",
    params(
        ("id" = Uuid, Path, description = "Deadline id"),
        ("If-Match" = String, Header, description = "The ETag read with the deadline"),
    ),
    request_body = DeadlinePatchIn,
    responses(
        (status = 200, description = "Updated", body = DeadlineOut),
        (status = 404, description = "No such deadline among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/deadlines/{id}")]
pub async fn update_deadline(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<DeadlinePatchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let if_match = if_match(&req);
    let row = deadlines::update(
        &state.db,
        scope,
        id.into_inner(),
        body.status,
        body.due_on,
        if_match,
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, deadlines::etag(&row)))
        .json(DeadlineOut::from(row)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"step": "registration_certificate", "started_on": "2027-02-10"}))]
pub struct ProcedureStepIn {
    /// A step code of your organisation's procedure template.
    #[schema(max_length = 64)]
    pub step: String,
    pub started_on: NaiveDate,
}

/// Starts a step of the procedure for a case by hand (a renewal, the next permit) and returns
/// the deadlines it created.
#[utoipa::path(
    tag = "deadlines",
    operation_id = "start_procedure_step",
    params(("id" = Uuid, Path, description = "Case id")),
    request_body = ProcedureStepIn,
    responses(
        (status = 201, description = "Started", body = DeadlinePage),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown step or date out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/cases/{id}/procedure-steps")]
pub async fn start_procedure_step(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<ProcedureStepIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let created = procedures::start_step(
        &state.db,
        scope,
        id.into_inner(),
        &body.step,
        body.started_on,
    )
    .await?;
    Ok(HttpResponse::Created().json(DeadlinePage {
        items: created.into_iter().map(DeadlineOut::from).collect(),
        next_cursor: None,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct TemplatePage {
    pub items: Vec<Template>,
    pub next_cursor: Option<String>,
}

/// The procedure templates Haven knows (residence and status procedures for victims).
#[utoipa::path(
    tag = "reference",
    operation_id = "list_procedure_templates",
    responses((status = 200, description = "The templates", body = TemplatePage))
)]
#[get("/procedure-templates")]
pub async fn list_templates(auth: Authenticated) -> Result<HttpResponse, ApiError> {
    auth.tenant()?;
    Ok(HttpResponse::Ok().json(TemplatePage {
        items: procedures::templates()?.to_vec(),
        next_cursor: None,
    }))
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"procedure_template": "be", "reflection_days": 30, "session_lock_minutes": 15,
    "retention_years": 10, "two_person_erasure": true, "k_threshold": 11, "deadline_notice_days": 7}))]
pub struct SettingsOut {
    /// The procedure template deadlines come from.
    pub procedure_template: String,
    /// The reflection period, for templates that let it be set.
    pub reflection_days: u32,
    /// Minutes without activity after which the web app locks the screen (default 15).
    pub session_lock_minutes: u32,
    /// The smallest count a report leaving the organisation shows (default 11).
    pub k_threshold: u32,
    /// Years a client's data is kept after their last case closed; the retention run then
    /// erases them. `null`: kept until erased by hand.
    pub retention_years: Option<u32>,
    /// Whether an erasure needs a second administrator's approval.
    pub two_person_erasure: bool,
    /// Days before its date that an open deadline is announced to its case team, as a
    /// notification (default 7); each deadline is announced again on its date. 0: on its date
    /// only.
    pub deadline_notice_days: u32,
}

impl From<procedures::Settings> for SettingsOut {
    fn from(s: procedures::Settings) -> Self {
        Self {
            procedure_template: s.procedure_template,
            reflection_days: s.reflection_days,
            session_lock_minutes: s.session_lock_minutes,
            k_threshold: s.k_threshold,
            retention_years: s.retention_years,
            two_person_erasure: s.two_person_erasure,
            deadline_notice_days: s.deadline_notice_days,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"procedure_template": "generic", "reflection_days": 60, "session_lock_minutes": 10,
    "retention_years": 10, "two_person_erasure": true, "k_threshold": 15, "deadline_notice_days": 14}))]
pub struct SettingsIn {
    #[schema(max_length = 32)]
    pub procedure_template: Option<String>,
    pub reflection_days: Option<u32>,
    /// 1–480 minutes.
    #[schema(minimum = 1, maximum = 480)]
    pub session_lock_minutes: Option<u32>,
    /// 5–1000: the smallest count a report leaving the organisation (an export, platform
    /// statistics) shows.
    #[schema(minimum = 5, maximum = 1000)]
    pub k_threshold: Option<u32>,
    /// 1–100 years; `null` removes the retention period.
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub retention_years: Option<Option<u32>>,
    pub two_person_erasure: Option<bool>,
    /// 0–60 days before its date that an open deadline is announced to its case team.
    #[schema(minimum = 0, maximum = 60)]
    pub deadline_notice_days: Option<u32>,
}

/// Your organisation's settings: the procedure template, deadline notices, the web app's
/// inactivity lock and the data-protection rules.
#[utoipa::path(
    tag = "deadlines",
    operation_id = "get_settings",
    responses((status = 200, description = "The settings", body = SettingsOut,
        headers(("ETag" = String, description = "Version for If-Match"))))
)]
#[get("/settings")]
pub async fn get_settings(
    auth: Authenticated,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let txn = scope.begin(&state.db).await?;
    let settings = procedures::settings(&txn, scope.tenant_id()).await?;
    txn.commit().await?;
    Ok(settings_response(settings))
}

fn settings_response(settings: procedures::Settings) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, procedures::etag(&settings)))
        .json(SettingsOut::from(settings))
}

/// Chooses the procedure template (and its parameters) for new deadlines, how far ahead
/// deadlines are announced, the web app's inactivity lock and the data-protection rules
/// (tenant administrators). Requires `If-Match`, so that a colleague's change made since you
/// read them is not undone.
#[utoipa::path(
    tag = "deadlines",
    operation_id = "update_settings",
    params(("If-Match" = String, Header, description = "The ETag read with the settings")),
    request_body = SettingsIn,
    responses(
        (status = 200, description = "Updated", body = SettingsOut,
            headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `tenant.settings`", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read them", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown template or value out of range", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/settings")]
pub async fn update_settings(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<SettingsIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let if_match = if_match(&req);
    let settings = procedures::update_settings(
        &state.db,
        scope,
        procedures::SettingsChange {
            procedure_template: body.procedure_template.as_deref(),
            reflection_days: body.reflection_days,
            session_lock_minutes: body.session_lock_minutes,
            k_threshold: body.k_threshold,
            retention_years: body.retention_years,
            two_person_erasure: body.two_person_erasure,
            deadline_notice_days: body.deadline_notice_days,
        },
        if_match,
    )
    .await?;
    Ok(settings_response(settings))
}
