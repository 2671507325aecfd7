//! The signed-in user's notifications.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::locale::{self, Lang};
use crate::routes::common::{id_cursor, next_cursor, page_limit, tagged_json};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use haven_domain::entities::notification;
use haven_domain::notifications::{self, NotificationFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a77", "kind": "incident.serious",
    "title": "Contact attempt by traffickers (high) at Maison A",
    "link": "/api/v1/incidents/0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a66",
    "created_at": "2026-11-27T22:40:00Z", "read_at": null
}))]
pub struct NotificationOut {
    pub id: Uuid,
    /// What it is about: `incident.serious` (a serious security incident in a shelter),
    /// `deadline.upcoming` (an open deadline of a case on one's team comes within the
    /// organisation's notice period), `deadline.due` (its date has come) or `referral.recalled`
    /// (the organisation that referred the client of a case on one's team erased them). New kinds may be
    /// added; show the `title` of one you do not know.
    pub kind: String,
    /// Free of personal data; in the first language of `Accept-Language` that Haven speaks
    /// (English, French or Dutch), but for the words a user wrote into it.
    pub title: String,
    /// The API path of what it is about.
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl NotificationOut {
    fn in_lang(n: notification::Model, lang: Lang) -> Self {
        Self {
            id: n.id,
            kind: n.kind,
            title: locale::localise(lang, &n.title),
            link: n.link,
            created_at: n.created_at,
            read_at: n.read_at,
        }
    }
}

/// A 200 whose titles follow `Accept-Language`, so that caches keep one copy per language.
fn in_lang_of_caller() -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response.insert_header((actix_web::http::header::VARY, "accept-language"));
    response
}

#[derive(Serialize, ToSchema)]
pub struct NotificationPage {
    pub items: Vec<NotificationOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only those not read yet.
    pub unread: Option<bool>,
}

/// Your notifications, newest first.
#[utoipa::path(
    tag = "notifications",
    operation_id = "list_notifications",
    params(NotificationQuery),
    responses(
        (status = 200, description = "A page of notifications", body = NotificationPage),
        (status = 400, description = "Malformed filter or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/notifications")]
pub async fn list_notifications(
    req: HttpRequest,
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<NotificationQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let filter = NotificationFilter {
        unread_only: query.unread.unwrap_or(false),
        before: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = notifications::list(&state.db, scope, &filter).await?;
    let next = next_cursor(&items, limit, |n| n.id.to_string());
    let lang = Lang::negotiate(&req);
    Ok(in_lang_of_caller().json(NotificationPage {
        items: items
            .into_iter()
            .map(|n| NotificationOut::in_lang(n, lang))
            .collect(),
        next_cursor: next,
    }))
}

/// One of your notifications.
#[utoipa::path(
    tag = "notifications",
    operation_id = "get_notification",
    params(("id" = Uuid, Path, description = "Notification id")),
    responses(
        (status = 200, description = "The notification", body = NotificationOut, headers(("ETag" = String, description = "The version of this representation; it changes with any change of the resource"))),
        (status = 404, description = "No such notification of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/notifications/{id}")]
pub async fn get_notification(
    req: HttpRequest,
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let row = notifications::get(&state.db, scope, id.into_inner()).await?;
    tagged_json(
        in_lang_of_caller(),
        &NotificationOut::in_lang(row, Lang::negotiate(&req)),
    )
}

/// Marks one of your notifications read (again is harmless).
#[utoipa::path(
    tag = "notifications",
    operation_id = "mark_notification_read",
    params(("id" = Uuid, Path, description = "Notification id")),
    responses(
        (status = 200, description = "Marked read", body = NotificationOut),
        (status = 404, description = "No such notification of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/notifications/{id}/read")]
pub async fn mark_notification_read(
    req: HttpRequest,
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let row = notifications::mark_read(&state.db, scope, id.into_inner()).await?;
    Ok(in_lang_of_caller().json(NotificationOut::in_lang(row, Lang::negotiate(&req))))
}
