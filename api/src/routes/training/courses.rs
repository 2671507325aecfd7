//! The shared training library: courses with their shown version, and the DTOs the version
//! routes share. Tenants read with `training.read` and write with `training.manage`; platform
//! administrators curate and review.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, language_filter, next_cursor, page_limit};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use haven_domain::tenancy::Principal;
use haven_domain::training::courses::{self, CourseFilter, CourseView};
use haven_domain::training::library::{
    self, CourseContent, Curator, ModuleContent, ModuleView, VersionView,
};
use haven_domain::vocab::{Audience, VerificationStatus, Visibility};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Who is asking: a tenant's user or a platform administrator.
pub(crate) fn curator(auth: &Authenticated) -> Curator<'_> {
    match &auth.0 {
        Principal::User(scope) => Curator::Tenant(scope),
        Principal::PlatformAdmin(ctx) => Curator::Platform(ctx),
    }
}

/// One module: a title and Markdown content.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModuleIn {
    #[schema(max_length = 200)]
    pub title: String,
    /// Markdown, up to 50 000 characters; shown as sanitised HTML.
    #[schema(max_length = 50000)]
    pub content_markdown: String,
}

impl From<ModuleIn> for ModuleContent {
    fn from(m: ModuleIn) -> Self {
        Self {
            title: m.title,
            content: m.content_markdown,
        }
    }
}

/// Writing a course: its first version.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "visibility": "private", "title": "Recognising trafficking at the front desk",
    "summary": "A half-day course for shelter and NGO staff.",
    "audiences": ["ngo_staff", "shelter_staff"], "languages": ["en", "fr"],
    "duration_minutes": 240, "objectives": ["Name the main indicator groups"],
    "modules": [{"title": "Indicators", "content_markdown": "## Deception\n\nPromises that do not hold."}]
}))]
pub struct CourseIn {
    /// `private` (your organisation only, published at once) or `shared` (every
    /// organisation, once a platform administrator has verified it).
    pub visibility: Visibility,
    #[schema(max_length = 200)]
    pub title: String,
    #[schema(max_length = 2000)]
    pub summary: String,
    pub audiences: Vec<Audience>,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    #[schema(minimum = 1, maximum = 43200)]
    pub duration_minutes: i32,
    /// 1–30 learning objectives.
    pub objectives: Vec<String>,
    /// 1–50 modules, in order.
    #[serde(deserialize_with = "haven_domain::objects::objects")]
    pub modules: Vec<ModuleIn>,
}

#[derive(Serialize, ToSchema)]
pub struct ModuleOut {
    pub id: Uuid,
    /// 1, 2, 3… in reading order.
    pub position: i32,
    pub title: String,
    pub content_markdown: String,
    /// The Markdown rendered, with scripts, event handlers, styles and links other than
    /// http(s) and mailto removed.
    pub content_html: String,
}

impl From<ModuleView> for ModuleOut {
    fn from(m: ModuleView) -> Self {
        Self {
            id: m.id,
            position: m.position,
            title: m.title,
            content_markdown: m.markdown,
            content_html: m.html,
        }
    }
}

/// A version of a course: content written once, never changed.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a70", "course_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a60",
    "number": 1, "verification_status": "verified", "review_note": null,
    "reviewed_at": "2026-11-30T10:00:00Z", "published_at": "2026-11-30T10:00:00Z",
    "base_version_id": null, "mine": true, "title": "Recognising trafficking at the front desk",
    "summary": "A half-day course for shelter and NGO staff.", "audiences": ["ngo_staff"],
    "languages": ["en"], "duration_minutes": 240, "objectives": ["Name the main indicator groups"],
    "modules": [], "created_at": "2026-11-29T10:00:00Z"
}))]
pub struct VersionOut {
    pub id: Uuid,
    pub course_id: Uuid,
    /// Order of publication; `null` while a proposal is unpublished.
    pub number: Option<i32>,
    /// `pending`, `verified` or `rejected` for shared courses; `null` for private ones.
    pub verification_status: Option<VerificationStatus>,
    /// The platform administrator's note on the review.
    pub review_note: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    /// The published version a proposal starts from.
    pub base_version_id: Option<Uuid>,
    /// Written by your organisation.
    pub mine: bool,
    pub title: String,
    pub summary: String,
    pub audiences: Vec<Audience>,
    pub languages: Vec<String>,
    pub duration_minutes: i32,
    pub objectives: Vec<String>,
    /// In order; empty in lists.
    pub modules: Vec<ModuleOut>,
    pub created_at: DateTime<Utc>,
}

impl From<VersionView> for VersionOut {
    fn from(v: VersionView) -> Self {
        Self {
            id: v.row.id,
            course_id: v.row.course_id,
            number: v.row.number,
            verification_status: v.verification_status,
            review_note: v.row.review_note,
            reviewed_at: v.row.reviewed_at,
            published_at: v.row.published_at,
            base_version_id: v.row.base_version_id,
            mine: v.mine,
            title: v.row.title,
            summary: v.row.summary,
            audiences: v.audiences,
            languages: v.languages,
            duration_minutes: v.row.duration_minutes,
            objectives: v.objectives,
            modules: v.modules.into_iter().map(ModuleOut::from).collect(),
            created_at: v.row.created_at,
        }
    }
}

/// A course and the version you are shown: the published one, or (for your own course
/// awaiting verification) your newest proposal.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a60", "visibility": "shared",
    "verification_status": "verified", "verified_at": "2026-11-30T10:00:00Z", "mine": false,
    "platform_curated": true, "published_version_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a70",
    "created_at": "2026-11-29T10:00:00Z", "updated_at": "2026-11-30T10:00:00Z",
    "version": {
        "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a70", "course_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a60",
        "number": 1, "verification_status": "verified", "review_note": null,
        "reviewed_at": null, "published_at": "2026-11-30T10:00:00Z", "base_version_id": null,
        "mine": false, "title": "Identifying presumed victims of trafficking",
        "summary": "A two-day course for police.", "audiences": ["police"], "languages": ["en"],
        "duration_minutes": 840, "objectives": ["Apply the indicator groups"],
        "modules": [{
            "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80", "position": 1, "title": "Indicators",
            "content_markdown": "## Deception\n\nPromises that do not hold.",
            "content_html": "<h2>Deception</h2>\n<p>Promises that do not hold.</p>\n"
        }],
        "created_at": "2026-11-29T10:00:00Z"
    }
}))]
pub struct CourseOut {
    pub id: Uuid,
    pub visibility: Visibility,
    /// `null` for private courses, which need no verification.
    pub verification_status: Option<VerificationStatus>,
    pub verified_at: Option<DateTime<Utc>>,
    /// Owned by your organisation.
    pub mine: bool,
    /// Curated by the platform rather than an organisation.
    pub platform_curated: bool,
    pub published_version_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: VersionOut,
}

impl From<CourseView> for CourseOut {
    fn from(v: CourseView) -> Self {
        Self {
            id: v.course.id,
            visibility: v.visibility,
            verification_status: v.verification_status,
            verified_at: v.course.verified_at,
            mine: v.mine,
            platform_curated: v.course.owner_tenant_id.is_none(),
            published_version_id: v.course.published_version_id,
            created_at: v.course.created_at,
            updated_at: v.course.updated_at,
            version: VersionOut::from(v.version),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CoursePage {
    pub items: Vec<CourseOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CourseQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Courses for this audience.
    pub audience: Option<Audience>,
    /// Courses taught in this language (ISO 639-1, either case).
    #[param(pattern = "^[A-Za-z]{2}$")]
    pub language: Option<String>,
    /// Words in the title or summary (up to 100 characters).
    pub q: Option<String>,
    pub visibility: Option<Visibility>,
    pub verification_status: Option<VerificationStatus>,
    /// Only your organisation's courses.
    pub mine: Option<bool>,
}

pub(crate) fn with_etag(
    mut builder: actix_web::HttpResponseBuilder,
    view: CourseView,
) -> HttpResponse {
    builder.insert_header((header::ETAG, library::etag(&view.course)));
    builder.json(CourseOut::from(view))
}

/// Writes a course. An organisation's private course is published at once; its shared course
/// is a proposal until a platform administrator verifies it. Platform administrators write
/// shared, verified courses. Needs `training.manage`.
#[utoipa::path(
    tag = "training",
    operation_id = "create_course",
    request_body = CourseIn,
    responses(
        (status = 201, description = "Written", body = CourseOut, headers(
            ("Location" = String, description = "The new course"),
            ("ETag" = String, description = "Version for If-Match"),
        )),
        (status = 403, description = "Missing `training.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input (every bad field is listed)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/training/courses")]
pub async fn create_course(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<CourseIn>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let content = CourseContent {
        title: body.title,
        summary: body.summary,
        audiences: body.audiences,
        languages: body.languages,
        duration_minutes: body.duration_minutes,
        objectives: body.objectives,
        modules: body.modules.into_iter().map(ModuleContent::from).collect(),
    };
    let view = courses::create(&state.db, &curator(&auth), body.visibility, content).await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header((
        "Location",
        format!("/api/v1/training/courses/{}", view.course.id),
    ));
    Ok(with_etag(builder, view))
}

/// The library: shared verified courses and your organisation's own, newest first, each
/// with the version you are shown (without modules). Needs `training.read`.
#[utoipa::path(
    tag = "training",
    operation_id = "list_courses",
    params(CourseQuery),
    responses(
        (status = 200, description = "A page of courses", body = CoursePage),
        (status = 400, description = "Malformed filter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `training.read`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/training/courses")]
pub async fn list_courses(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<CourseQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let limit = page_limit(query.limit)?;
    let filter = CourseFilter {
        audience: query.audience,
        language: language_filter("language", query.language, true)?,
        text: query.q,
        visibility: query.visibility,
        verification_status: query.verification_status,
        mine: query.mine.unwrap_or(false),
        before: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = courses::list(&state.db, &curator(&auth), &filter).await?;
    let next = next_cursor(&items, limit, |c| c.course.id.to_string());
    Ok(HttpResponse::Ok().json(CoursePage {
        items: items.into_iter().map(CourseOut::from).collect(),
        next_cursor: next,
    }))
}

/// One course with the version you are shown, its modules rendered. Needs `training.read`.
#[utoipa::path(
    tag = "training",
    operation_id = "get_course",
    params(("id" = Uuid, Path, description = "Course id")),
    responses(
        (status = 200, description = "The course", body = CourseOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `training.read`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such course that you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/training/courses/{id}")]
pub async fn get_course(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view = courses::get(&state.db, &curator(&auth), id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}
