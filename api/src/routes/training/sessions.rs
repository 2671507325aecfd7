//! Training sessions an organisation delivered, and how many people it trained by audience
//! and period.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, if_match, next_cursor, page_limit, present};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use haven_domain::training::sessions::{
    self, NewSession, SessionChange, SessionFilter, SessionView,
};
use haven_domain::vocab::{Audience, SessionDelivery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Recording a training session.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "course_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a60", "held_on": "2026-11-12",
    "delivery": "in_person", "place": "Provincial police academy",
    "trainer_ids": ["0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a12"], "audience": "police",
    "participant_count": 24, "pre_score": 48, "post_score": 81,
    "notes": "Strong interest in the referral card."
}))]
pub struct SessionIn {
    pub course_id: Uuid,
    /// A published version of the course; its current one when absent.
    pub course_version_id: Option<Uuid>,
    pub held_on: NaiveDate,
    pub delivery: SessionDelivery,
    /// Required in person.
    #[schema(max_length = 200)]
    pub place: Option<String>,
    /// Required online: an http(s) address.
    #[schema(max_length = 500)]
    pub online_link: Option<String>,
    /// 1–20 users of your organisation.
    pub trainer_ids: Vec<Uuid>,
    pub audience: Audience,
    #[schema(minimum = 1, maximum = 10000)]
    pub participant_count: i32,
    /// Names, sealed before they are stored; no more than `participant_count`.
    pub participants: Option<Vec<String>>,
    /// Average pre-training evaluation score, 0–100.
    #[schema(minimum = 0, maximum = 100)]
    pub pre_score: Option<i32>,
    /// Average post-training evaluation score, 0–100.
    #[schema(minimum = 0, maximum = 100)]
    pub post_score: Option<i32>,
    #[schema(max_length = 4000)]
    pub notes: Option<String>,
}

/// A change to a session: absent fields stay; `null` clears an optional one. The course
/// version a session used never changes.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"participant_count": 26, "post_score": 84}))]
pub struct SessionPatchIn {
    pub held_on: Option<NaiveDate>,
    pub delivery: Option<SessionDelivery>,
    #[serde(default, deserialize_with = "present")]
    /// Required in person.
    #[schema(value_type = Option<String>, max_length = 200)]
    pub place: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    /// Required online: an http(s) address.
    #[schema(value_type = Option<String>, max_length = 500)]
    pub online_link: Option<Option<String>>,
    /// 1–20 users of your organisation.
    pub trainer_ids: Option<Vec<Uuid>>,
    pub audience: Option<Audience>,
    #[schema(minimum = 1, maximum = 10000)]
    pub participant_count: Option<i32>,
    #[serde(default, deserialize_with = "present")]
    /// Names, sealed before they are stored; no more than `participant_count`.
    #[schema(value_type = Option<Vec<String>>)]
    pub participants: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "present")]
    /// Average pre-training evaluation score, 0–100.
    #[schema(value_type = Option<i32>, minimum = 0, maximum = 100)]
    pub pre_score: Option<Option<i32>>,
    #[serde(default, deserialize_with = "present")]
    /// Average post-training evaluation score, 0–100.
    #[schema(value_type = Option<i32>, minimum = 0, maximum = 100)]
    pub post_score: Option<Option<i32>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, max_length = 4000)]
    pub notes: Option<Option<String>>,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a90", "course_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a60",
    "course_version_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a70", "held_on": "2026-11-12",
    "delivery": "in_person", "place": "Provincial police academy", "online_link": null,
    "trainer_ids": ["0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a12"], "audience": "police",
    "participant_count": 24, "has_participant_list": false, "pre_score": 48, "post_score": 81,
    "notes": "Strong interest in the referral card.",
    "created_by": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a12",
    "created_at": "2026-11-12T16:00:00Z", "updated_at": "2026-11-12T16:00:00Z"
}))]
pub struct SessionOut {
    pub id: Uuid,
    pub course_id: Uuid,
    /// The version used, kept whatever the course becomes.
    pub course_version_id: Uuid,
    pub held_on: NaiveDate,
    pub delivery: SessionDelivery,
    pub place: Option<String>,
    pub online_link: Option<String>,
    pub trainer_ids: Vec<Uuid>,
    pub audience: Audience,
    pub participant_count: i32,
    pub has_participant_list: bool,
    /// Only when one session is read (and the read is audited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<String>>,
    pub pre_score: Option<i32>,
    pub post_score: Option<i32>,
    pub notes: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<SessionView> for SessionOut {
    fn from(v: SessionView) -> Self {
        Self {
            id: v.row.id,
            course_id: v.row.course_id,
            course_version_id: v.row.course_version_id,
            held_on: v.row.held_on,
            delivery: v.delivery,
            place: v.row.place,
            online_link: v.row.online_link,
            trainer_ids: v.trainer_ids,
            audience: v.audience,
            participant_count: v.row.participant_count,
            has_participant_list: v.row.participants_sealed.is_some(),
            participants: v.participants,
            pre_score: v.row.pre_score,
            post_score: v.row.post_score,
            notes: v.row.notes,
            created_by: v.row.created_by,
            created_at: v.row.created_at,
            updated_at: v.row.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SessionPage {
    pub items: Vec<SessionOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SessionQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Held on or after.
    pub from: Option<NaiveDate>,
    /// Held on or before.
    pub to: Option<NaiveDate>,
    pub audience: Option<Audience>,
    pub course_id: Option<Uuid>,
}

fn with_etag(mut builder: actix_web::HttpResponseBuilder, view: SessionView) -> HttpResponse {
    builder.insert_header((header::ETAG, sessions::etag(&view.row)));
    builder.json(SessionOut::from(view))
}

/// Records a training session of a published course version. Needs `training.manage`.
#[utoipa::path(
    tag = "training",
    operation_id = "create_session",
    request_body = SessionIn,
    responses(
        (status = 201, description = "Recorded", body = SessionOut, headers(
            ("Location" = String, description = "The new session"),
            ("ETag" = String, description = "Version for If-Match"),
        )),
        (status = 403, description = "Missing `training.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input (every bad field is listed)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/training/sessions")]
pub async fn create_session(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<SessionIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let b = body.into_inner();
    let new = NewSession {
        course_id: b.course_id,
        course_version_id: b.course_version_id,
        held_on: b.held_on,
        delivery: b.delivery,
        place: b.place,
        online_link: b.online_link,
        trainer_ids: b.trainer_ids,
        audience: b.audience,
        participant_count: b.participant_count,
        participants: b.participants,
        pre_score: b.pre_score,
        post_score: b.post_score,
        notes: b.notes,
    };
    let view = sessions::create(&state.db, &state.master_key, scope, new).await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header((
        "Location",
        format!("/api/v1/training/sessions/{}", view.row.id),
    ));
    Ok(with_etag(builder, view))
}

/// Your organisation's sessions, newest first (participant lists are not listed). Needs
/// `training.read`.
#[utoipa::path(
    tag = "training",
    operation_id = "list_sessions",
    params(SessionQuery),
    responses(
        (status = 200, description = "A page of sessions", body = SessionPage),
        (status = 400, description = "Malformed filter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `training.read`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/training/sessions")]
pub async fn list_sessions(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<SessionQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let filter = SessionFilter {
        from: query.from,
        to: query.to,
        audience: query.audience,
        course_id: query.course_id,
        before: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = sessions::list(&state.db, scope, &filter).await?;
    let next = next_cursor(&items, limit, |s| s.row.id.to_string());
    Ok(HttpResponse::Ok().json(SessionPage {
        items: items.into_iter().map(SessionOut::from).collect(),
        next_cursor: next,
    }))
}

/// One session, with its participant list opened (the read is audited). Needs
/// `training.read`.
#[utoipa::path(
    tag = "training",
    operation_id = "get_session",
    params(("id" = Uuid, Path, description = "Session id")),
    responses(
        (status = 200, description = "The session", body = SessionOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `training.read`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such session in your organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/training/sessions/{id}")]
pub async fn get_session(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = sessions::get(&state.db, &state.master_key, scope, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// Changes a session. Needs `training.manage` and `If-Match`.
#[utoipa::path(
    tag = "training",
    operation_id = "update_session",
    params(
        ("id" = Uuid, Path, description = "Session id"),
        ("If-Match" = String, Header, description = "The ETag read with the session"),
    ),
    request_body = SessionPatchIn,
    responses(
        (status = 200, description = "Updated", body = SessionOut),
        (status = 403, description = "Missing `training.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such session in your organisation", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/training/sessions/{id}")]
pub async fn update_session(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<SessionPatchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let b = body.into_inner();
    let if_match = if_match(&req);
    let change = SessionChange {
        held_on: b.held_on,
        delivery: b.delivery,
        place: b.place,
        online_link: b.online_link,
        trainer_ids: b.trainer_ids,
        audience: b.audience,
        participant_count: b.participant_count,
        participants: b.participants,
        pre_score: b.pre_score,
        post_score: b.post_score,
        notes: b.notes,
    };
    let view = sessions::update(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        change,
        if_match,
    )
    .await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}
