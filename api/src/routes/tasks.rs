//! Tasks and appointments, and the agenda that merges one's open tasks with the deadlines of
//! one's cases.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{if_match, page_limit, present};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use haven_domain::agenda::{self, AgendaFilter, AgendaKind};
use haven_domain::tasks::{self, NewTask, TaskChange, TaskFilter, TaskView};
use haven_domain::vocab::{TaskKind, TaskStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Recording a task or an appointment.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "appointment", "title": "Accompany to the immigration office",
    "details": "Bring the annex 15 and the police attestation.",
    "case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00",
    "assignee_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11", "due_at": "2026-12-03T09:30:00Z"
}))]
pub struct TaskIn {
    /// `task` (default) or `appointment`.
    pub kind: Option<TaskKind>,
    /// Clear and short: it appears in agendas. No names.
    #[schema(max_length = 200)]
    pub title: String,
    /// Sealed with the client's key: only for a task on a case.
    #[schema(max_length = 5000)]
    pub details: Option<String>,
    /// A case you may see.
    pub case_id: Option<Uuid>,
    /// A user of your organisation.
    pub assignee_id: Uuid,
    pub due_at: DateTime<Utc>,
}

/// A change to a task: absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "done"}))]
pub struct TaskPatchIn {
    pub kind: Option<TaskKind>,
    #[schema(max_length = 200)]
    pub title: Option<String>,
    /// `null` clears them.
    #[serde(default, deserialize_with = "present")]
    #[schema(max_length = 5000, value_type = Option<String>)]
    pub details: Option<Option<String>>,
    pub assignee_id: Option<Uuid>,
    pub due_at: Option<DateTime<Utc>>,
    pub status: Option<TaskStatus>,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a55", "kind": "appointment",
    "title": "Accompany to the immigration office", "details": "Bring the annex 15 and the police attestation.",
    "case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00", "assignee_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11",
    "due_at": "2026-12-03T09:30:00Z", "status": "open", "completed_at": null,
    "created_by": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a12", "created_at": "2026-11-28T10:00:00Z",
    "updated_at": "2026-11-28T10:00:00Z"
}))]
pub struct TaskOut {
    pub id: Uuid,
    pub kind: TaskKind,
    pub title: String,
    /// Shown when reading one task; never in lists.
    pub details: Option<String>,
    pub case_id: Option<Uuid>,
    pub assignee_id: Uuid,
    pub due_at: DateTime<Utc>,
    pub status: TaskStatus,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<TaskView> for TaskOut {
    fn from(v: TaskView) -> Self {
        Self {
            id: v.row.id,
            kind: v.kind,
            title: v.row.title,
            details: v.details,
            case_id: v.row.case_id,
            assignee_id: v.row.assignee_id,
            due_at: v.row.due_at,
            status: v.status,
            completed_at: v.row.completed_at,
            created_by: v.row.created_by,
            created_at: v.row.created_at,
            updated_at: v.row.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TaskPage {
    pub items: Vec<TaskOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// `me`, or a user id.
    #[param(
        pattern = "^(me|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
    )]
    pub assignee: Option<String>,
    pub case_id: Option<Uuid>,
    pub status: Option<TaskStatus>,
    /// Due before this moment (RFC 3339).
    pub due_before: Option<DateTime<Utc>>,
    /// Due at or after this moment (RFC 3339).
    pub due_after: Option<DateTime<Utc>>,
}

fn bad_cursor() -> ApiError {
    ApiError::bad_request("invalid_cursor", "The cursor is not one this API gave out.")
}

/// Reads a `<microseconds>_<id>` cursor.
fn parse_cursor(cursor: Option<&str>) -> Result<Option<(DateTime<Utc>, Uuid)>, ApiError> {
    cursor
        .map(|c| {
            let (micros, id) = c.split_once('_').ok_or_else(bad_cursor)?;
            let micros: i64 = micros.parse().map_err(|_| bad_cursor())?;
            Ok((
                DateTime::from_timestamp_micros(micros).ok_or_else(bad_cursor)?,
                Uuid::try_parse(id).map_err(|_| bad_cursor())?,
            ))
        })
        .transpose()
}

fn cursor_of(due: DateTime<Utc>, id: Uuid) -> String {
    format!("{}_{id}", due.timestamp_micros())
}

fn with_etag(mut builder: actix_web::HttpResponseBuilder, view: TaskView) -> HttpResponse {
    builder.insert_header((header::ETAG, tasks::etag(&view.row)));
    builder.json(TaskOut::from(view))
}

/// Records a task or an appointment, on a case or on its own.
#[utoipa::path(
    tag = "tasks",
    operation_id = "create_task",
    request_body = TaskIn,
    responses(
        (status = 201, description = "Recorded", body = TaskOut, headers(
            ("Location" = String, description = "The new task"),
            ("ETag" = String, description = "Version for If-Match"),
        )),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`client_erased`: details cannot be sealed for a case whose client's data was erased", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input (every bad field is listed)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tasks")]
pub async fn create_task(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<TaskIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let body = body.into_inner();
    let view = tasks::create(
        &state.db,
        &state.master_key,
        scope,
        NewTask {
            kind: body.kind.unwrap_or(TaskKind::Task),
            title: body.title,
            details: body.details,
            case_id: body.case_id,
            assignee_id: body.assignee_id,
            due_at: body.due_at,
        },
    )
    .await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header(("Location", format!("/api/v1/tasks/{}", view.row.id)));
    Ok(with_etag(builder, view))
}

/// Tasks you may see (yours, and those on your cases), soonest first.
#[utoipa::path(
    tag = "tasks",
    operation_id = "list_tasks",
    params(TaskQuery),
    responses(
        (status = 200, description = "A page of tasks", body = TaskPage),
        (status = 400, description = "Malformed filter or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tasks")]
pub async fn list_tasks(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<TaskQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let assignee = match query.assignee.as_deref() {
        None => None,
        Some("me") => Some(*scope.user_id().as_uuid()),
        Some(other) => Some(Uuid::try_parse(other).map_err(|_| {
            ApiError::bad_request("invalid_query", "`assignee` must be `me` or a user id.")
        })?),
    };
    let filter = TaskFilter {
        assignee,
        case: query.case_id,
        status: query.status,
        due_before: query.due_before,
        due_after: query.due_after,
        after: parse_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = tasks::list(&state.db, scope, &filter).await?;
    let next = (items.len() as u64 >= limit)
        .then(|| items.last().map(|t| cursor_of(t.row.due_at, t.row.id)))
        .flatten();
    Ok(HttpResponse::Ok().json(TaskPage {
        items: items.into_iter().map(TaskOut::from).collect(),
        next_cursor: next,
    }))
}

/// One task, with its details (reading them is audited).
#[utoipa::path(
    tag = "tasks",
    operation_id = "get_task",
    params(("id" = Uuid, Path, description = "Task id")),
    responses(
        (status = 200, description = "The task", body = TaskOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 404, description = "No such task among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tasks/{id}")]
pub async fn get_task(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = tasks::get(&state.db, &state.master_key, scope, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// Changes a task, or marks it done. The assignee may always mark their own task done; other
/// changes need `cases.work`. Requires `If-Match`.
#[utoipa::path(
    tag = "tasks",
    operation_id = "update_task",
    params(
        ("id" = Uuid, Path, description = "Task id"),
        ("If-Match" = String, Header, description = "The ETag read with the task"),
    ),
    request_body = TaskPatchIn,
    responses(
        (status = 200, description = "Updated", body = TaskOut),
        (status = 403, description = "Not yours to change", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`client_erased`: details cannot be sealed for a case whose client's data was erased", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/tasks/{id}")]
pub async fn update_task(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<TaskPatchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let body = body.into_inner();
    let if_match = if_match(&req);
    let view = tasks::update(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        TaskChange {
            kind: body.kind,
            title: body.title,
            details: body.details,
            assignee_id: body.assignee_id,
            due_at: body.due_at,
            status: body.status,
        },
        if_match,
    )
    .await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// What an agenda line is.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgendaItemKind {
    Task,
    Deadline,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"kind": "deadline", "task_kind": null, "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a44",
    "title": "Ends: Reflection period", "due": "2027-01-11T23:00:00Z",
    "case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00", "case_code": "BE-2026-0042"}))]
pub struct AgendaItemOut {
    pub kind: AgendaItemKind,
    /// For a task, whether it is something to do (`task`) or an appointment at a set time
    /// (`appointment`); `null` for a deadline.
    pub task_kind: Option<TaskKind>,
    /// The task's or the deadline's id.
    pub id: Uuid,
    pub title: String,
    /// When it falls due; a deadline at the start of its date in the organisation's time zone.
    pub due: DateTime<Utc>,
    pub case_id: Option<Uuid>,
    pub case_code: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AgendaPage {
    pub items: Vec<AgendaItemOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AgendaQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Due before this moment (RFC 3339).
    pub due_before: Option<DateTime<Utc>>,
    /// Due at or after this moment (RFC 3339).
    pub due_after: Option<DateTime<Utc>>,
}

/// Your agenda: your open tasks and the open deadlines of the cases you may see, in time order.
#[utoipa::path(
    tag = "tasks",
    operation_id = "get_agenda",
    params(AgendaQuery),
    responses(
        (status = 200, description = "A page of the agenda", body = AgendaPage),
        (status = 400, description = "Malformed filter or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/agenda")]
pub async fn get_agenda(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<AgendaQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let filter = AgendaFilter {
        due_before: query.due_before,
        due_after: query.due_after,
        after: parse_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = agenda::list(&state.db, scope, &filter).await?;
    let next = (items.len() as u64 >= limit)
        .then(|| items.last().map(|i| cursor_of(i.due, i.id)))
        .flatten();
    Ok(HttpResponse::Ok().json(AgendaPage {
        items: items
            .into_iter()
            .map(|i| AgendaItemOut {
                kind: match i.kind {
                    AgendaKind::Task => AgendaItemKind::Task,
                    AgendaKind::Deadline => AgendaItemKind::Deadline,
                },
                task_kind: i.task_kind,
                id: i.id,
                title: i.title,
                due: i.due,
                case_id: i.case_id,
                case_code: i.case_code,
            })
            .collect(),
        next_cursor: next,
    }))
}
