//! Case notes: append-only, corrected by new versions.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::if_match;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use haven_domain::notes::{self, NoteVersion, Visibility};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "Talked about the hearing next week; she wants her sister to come.", "visibility": "team"}))]
pub struct NoteIn {
    /// Sealed at rest; shown to readers allowed to see the client's identity.
    #[schema(max_length = 20000)]
    pub body: String,
    /// `team` (everyone who may see the case, default) or `managers` (managers and you).
    pub visibility: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "Talked about the hearing on Tuesday; she wants her sister to come."}))]
pub struct CorrectionIn {
    #[schema(max_length = 20000)]
    pub body: String,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a55", "note_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a55",
    "version": 1, "case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00", "visibility": "team",
    "body": "Talked about the hearing next week.", "author_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11",
    "created_at": "2026-11-28T10:00:00Z"}))]
pub struct NoteOut {
    /// This version's id.
    pub id: Uuid,
    /// The note's id, shared by all its versions.
    pub note_id: Uuid,
    pub version: i32,
    pub case_id: Uuid,
    pub visibility: String,
    /// Absent for readers who may not see it.
    pub body: Option<String>,
    pub author_id: Uuid,
    pub created_at: DateTime<Utc>,
}

impl From<NoteVersion> for NoteOut {
    fn from(n: NoteVersion) -> Self {
        Self {
            id: n.id,
            note_id: n.note_id,
            version: n.version,
            case_id: n.case_id,
            visibility: n.visibility.as_str().to_owned(),
            body: n.body,
            author_id: n.author_id,
            created_at: n.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NotePage {
    pub items: Vec<NoteOut>,
    pub next_cursor: Option<String>,
}

/// Writes a note on a case.
#[utoipa::path(
    tag = "notes",
    operation_id = "create_note",
    params(("id" = Uuid, Path, description = "Case id")),
    request_body = NoteIn,
    responses(
        (status = 201, description = "Written", body = NoteOut, headers(("Location" = String, description = "The note and its history"))),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/cases/{id}/notes")]
pub async fn create_note(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<NoteIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let visibility = Visibility::parse(body.visibility.as_deref().unwrap_or("team"))?;
    let note = notes::create(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        &body.body,
        visibility,
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/notes/{}", note.note_id)))
        .insert_header((header::ETAG, notes::etag(&note)))
        .json(NoteOut::from(note)))
}

/// The notes of a case (each in its latest version), newest first.
#[utoipa::path(
    tag = "notes",
    operation_id = "list_case_notes",
    params(("id" = Uuid, Path, description = "Case id")),
    responses(
        (status = 200, description = "The notes", body = NotePage),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases/{id}/notes")]
pub async fn list_notes(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let items = notes::list(&state.db, &state.master_key, scope, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(NotePage {
            items: items.into_iter().map(NoteOut::from).collect(),
            next_cursor: None,
        }))
}

/// A note with its whole history, oldest version first. The `ETag` names the latest version.
#[utoipa::path(
    tag = "notes",
    operation_id = "get_note",
    params(("id" = Uuid, Path, description = "Note id")),
    responses(
        (status = 200, description = "Every version", body = NotePage, headers(("ETag" = String, description = "The latest version, for If-Match"))),
        (status = 404, description = "No such note among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/notes/{id}")]
pub async fn get_note(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let versions = notes::history(&state.db, &state.master_key, scope, id.into_inner()).await?;
    let etag = versions.last().map(notes::etag).unwrap_or_default();
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag))
        .insert_header(("Cache-Control", "no-store"))
        .json(NotePage {
            items: versions.into_iter().map(NoteOut::from).collect(),
            next_cursor: None,
        }))
}

/// Corrects a note by adding a version (the earlier ones stay). Requires `If-Match` with the
/// note's `ETag`; only its author (or an administrator) corrects it.
#[utoipa::path(
    tag = "notes",
    operation_id = "correct_note",
    params(
        ("id" = Uuid, Path, description = "Note id"),
        ("If-Match" = String, Header, description = "The ETag read with the note"),
    ),
    request_body = CorrectionIn,
    responses(
        (status = 201, description = "The new version", body = NoteOut),
        (status = 403, description = "Not the author", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such note among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Corrected since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/notes/{id}/versions")]
pub async fn correct_note(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<CorrectionIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let if_match = if_match(&req);
    let note = notes::correct(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        &body.body,
        if_match,
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::ETAG, notes::etag(&note)))
        .json(NoteOut::from(note)))
}

/// One event in a case's timeline.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"at": "2026-11-28T10:00:00Z", "kind": "stage", "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a66",
    "summary": "Stage changed from intake to reflection", "link": "/api/v1/cases/0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00/transitions"}))]
pub struct TimelineEntryOut {
    pub at: DateTime<Utc>,
    /// `stage`, `interview`, `placement`, `note`, `deadline`, `service`, `document`, `hearing`, …
    pub kind: String,
    pub id: Uuid,
    /// A short description without sensitive text; the linked record holds the details.
    pub summary: String,
    pub link: String,
}

#[derive(Serialize, ToSchema)]
pub struct TimelinePage {
    pub items: Vec<TimelineEntryOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TimelineQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Everything that happened on a case, newest first.
#[utoipa::path(
    tag = "cases",
    operation_id = "case_timeline",
    params(("id" = Uuid, Path, description = "Case id"), TimelineQuery),
    responses(
        (status = 200, description = "A page of the timeline", body = TimelinePage),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases/{id}/timeline")]
pub async fn case_timeline(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<TimelineQuery>,
) -> Result<HttpResponse, ApiError> {
    use haven_domain::timeline::{self, Cursor};
    let scope = auth.tenant()?;
    let limit = crate::routes::common::page_limit(query.limit)?;
    let before = query
        .cursor
        .as_deref()
        .map(|c| Cursor::decode(c).map_err(|_| crate::routes::common::invalid_cursor()))
        .transpose()?;
    let entries = timeline::timeline(&state.db, scope, id.into_inner(), before, limit).await?;
    let next = (entries.len() as u64 >= limit)
        .then(|| entries.last().map(Cursor::encode))
        .flatten();
    Ok(HttpResponse::Ok().json(TimelinePage {
        items: entries
            .into_iter()
            .map(|e| TimelineEntryOut {
                at: e.at,
                kind: e.kind.to_owned(),
                id: e.id,
                summary: e.summary,
                link: e.link,
            })
            .collect(),
        next_cursor: next,
    }))
}
