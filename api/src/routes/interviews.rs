//! Identification (intake) interviews of a case, and the indicator checklist they answer.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, if_match, next_cursor, page_limit};
use crate::routes::consents::{ConsentIn, ConsentOut};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use haven_domain::interviews::checklist::{self, Checklist};
use haven_domain::interviews::{
    self, InterviewChange, InterviewFilter, InterviewRecord, InterviewView, Risk,
};
use haven_domain::vocab::{
    IndicatorAnswer, InterviewLocation, PresumedVictim, RiskKind, RiskLevel,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// One weighed risk.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskIn {
    pub kind: RiskKind,
    pub level: RiskLevel,
    /// Sealed at rest; shown to roles that may read identities.
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

impl From<RiskIn> for Risk {
    fn from(r: RiskIn) -> Self {
        Self {
            kind: r.kind,
            level: r.level,
            note: r.note,
        }
    }
}

/// Recording an interview.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "held_on": "2026-11-20", "interviewer_ids": ["0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11"],
    "language": "ro", "interpreter_used": true, "interpreter_language": "ro", "location_type": "shelter",
    "presumed_victim": "yes", "checklist_version": 1,
    "indicators": {"deceived_about_job": "yes", "documents_kept_by_others": "yes", "debt_keeps_growing": "unknown"},
    "risks": [{"kind": "traffickers", "level": "high", "note": "The recruiter knows where her family lives."}],
    "narrative": "Came to Belgium for a job in a restaurant that did not exist.",
    "consents": [{"purpose": "data_processing"}, {"purpose": "sharing_with_partners", "partner_types": ["legal_service"]}]
}))]
pub struct InterviewIn {
    /// The day of the interview (not in the future, in your organisation's time zone).
    pub held_on: NaiveDate,
    /// Users of your organisation who held it (1 to 10).
    pub interviewer_ids: Vec<Uuid>,
    /// ISO 639 code of the language the interview was held in.
    pub language: String,
    pub interpreter_used: bool,
    /// ISO 639 code; required when an interpreter was used, refused otherwise.
    pub interpreter_language: Option<String>,
    pub location_type: InterviewLocation,
    /// Outcome: is the person a presumed victim of trafficking?
    pub presumed_victim: PresumedVictim,
    /// The checklist version the answers are for (`GET /api/v1/interview-indicators`); the
    /// current one when absent.
    pub checklist_version: Option<u32>,
    /// Answers by indicator code; unanswered indicators are left out.
    #[serde(default)]
    pub indicators: BTreeMap<String, IndicatorAnswer>,
    /// One entry per kind of risk assessed.
    #[serde(default, deserialize_with = "haven_domain::objects::objects")]
    pub risks: Vec<RiskIn>,
    /// The client's account (sealed at rest; shown to roles that may read identities).
    #[schema(max_length = 50000)]
    pub narrative: Option<String>,
    /// Consents the client gave in the interview.
    #[serde(default, deserialize_with = "haven_domain::objects::objects")]
    pub consents: Vec<ConsentIn>,
}

impl From<InterviewIn> for InterviewRecord {
    fn from(i: InterviewIn) -> Self {
        Self {
            held_on: i.held_on,
            interviewer_ids: i.interviewer_ids,
            language: i.language,
            interpreter_used: i.interpreter_used,
            interpreter_language: i.interpreter_language,
            location_type: i.location_type,
            presumed_victim: i.presumed_victim,
            checklist_version: i.checklist_version,
            indicators: i.indicators,
            risks: i.risks.into_iter().map(Risk::from).collect(),
            narrative: i.narrative,
            consents: i.consents.into_iter().map(Into::into).collect(),
        }
    }
}

/// Changing an interview: absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"presumed_victim": "unclear", "indicators": {"deceived_about_job": "yes", "wages_withheld": "no"},
    "consents": [{"purpose": "research"}]}))]
pub struct InterviewPatchIn {
    pub held_on: Option<NaiveDate>,
    /// Replaces the interviewers.
    pub interviewer_ids: Option<Vec<Uuid>>,
    pub language: Option<String>,
    pub interpreter_used: Option<bool>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<String>)]
    pub interpreter_language: Option<Option<String>>,
    pub location_type: Option<InterviewLocation>,
    pub presumed_victim: Option<PresumedVictim>,
    /// Answer under another published checklist version.
    pub checklist_version: Option<u32>,
    /// Replaces every answer.
    pub indicators: Option<BTreeMap<String, IndicatorAnswer>>,
    /// Replaces the risk assessment.
    #[serde(default, deserialize_with = "haven_domain::objects::optional_objects")]
    pub risks: Option<Vec<RiskIn>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<String>, max_length = 50000)]
    pub narrative: Option<Option<String>>,
    /// Further consents the client gave; recorded ones are withdrawn, never edited.
    #[serde(default, deserialize_with = "haven_domain::objects::objects")]
    pub consents: Vec<ConsentIn>,
}

impl From<InterviewPatchIn> for InterviewChange {
    fn from(p: InterviewPatchIn) -> Self {
        Self {
            held_on: p.held_on,
            interviewer_ids: p.interviewer_ids,
            language: p.language,
            interpreter_used: p.interpreter_used,
            interpreter_language: p.interpreter_language,
            location_type: p.location_type,
            presumed_victim: p.presumed_victim,
            checklist_version: p.checklist_version,
            indicators: p.indicators,
            risks: p
                .risks
                .map(|risks| risks.into_iter().map(Risk::from).collect()),
            narrative: p.narrative,
            consents: p.consents.into_iter().map(Into::into).collect(),
        }
    }
}

/// A weighed risk.
#[derive(Serialize, ToSchema)]
pub struct RiskOut {
    pub kind: RiskKind,
    pub level: RiskLevel,
    /// Shown to roles that may read identities, in a single interview's read.
    pub note: Option<String>,
}

/// An interview. The narrative and risk notes are `null` in lists and for roles that may not
/// read identities (`sealed_shown` says which).
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a55", "case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00",
    "client_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a01", "held_on": "2026-11-20",
    "interviewer_ids": ["0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11"], "language": "ro", "interpreter_used": true,
    "interpreter_language": "ro", "location_type": "shelter", "presumed_victim": "yes", "checklist_version": 1,
    "indicators": {"deceived_about_job": "yes", "documents_kept_by_others": "yes"},
    "risks": [{"kind": "traffickers", "level": "high", "note": "The recruiter knows where her family lives."}],
    "narrative": "Came to Belgium for a job in a restaurant that did not exist.", "sealed_shown": true,
    "consents": [], "created_by": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11",
    "created_at": "2026-11-20T11:00:00Z", "updated_at": "2026-11-20T11:00:00Z"
}))]
pub struct InterviewOut {
    pub id: Uuid,
    pub case_id: Uuid,
    pub client_id: Uuid,
    pub held_on: NaiveDate,
    pub interviewer_ids: Vec<Uuid>,
    pub language: String,
    pub interpreter_used: bool,
    pub interpreter_language: Option<String>,
    pub location_type: InterviewLocation,
    pub presumed_victim: PresumedVictim,
    pub checklist_version: u32,
    pub indicators: BTreeMap<String, IndicatorAnswer>,
    pub risks: Vec<RiskOut>,
    pub narrative: Option<String>,
    /// Whether the narrative and risk notes were opened for you.
    pub sealed_shown: bool,
    /// The consents recorded in this interview.
    pub consents: Vec<ConsentOut>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<InterviewView> for InterviewOut {
    fn from(v: InterviewView) -> Self {
        Self {
            id: v.row.id,
            case_id: v.row.case_id,
            client_id: v.row.client_id,
            held_on: v.row.held_on,
            interviewer_ids: v.interviewer_ids,
            language: v.row.language,
            interpreter_used: v.row.interpreter_used,
            interpreter_language: v.row.interpreter_language,
            location_type: v.location_type,
            presumed_victim: v.presumed_victim,
            checklist_version: u32::try_from(v.row.checklist_version).unwrap_or_default(),
            indicators: v.indicators,
            risks: v
                .risks
                .into_iter()
                .map(|r| RiskOut {
                    kind: r.kind,
                    level: r.level,
                    note: r.note,
                })
                .collect(),
            narrative: v.narrative,
            sealed_shown: v.sealed_shown,
            consents: v.consents.into_iter().map(ConsentOut::from).collect(),
            created_by: v.row.created_by,
            created_at: v.row.created_at,
            updated_at: v.row.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InterviewPage {
    pub items: Vec<InterviewOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InterviewQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChecklistQuery {
    /// A published version; the current one when absent.
    pub version: Option<u32>,
}

fn with_etag(mut builder: actix_web::HttpResponseBuilder, view: InterviewView) -> HttpResponse {
    builder.insert_header((header::ETAG, interviews::etag(&view.row)));
    builder.json(InterviewOut::from(view))
}

/// Records an identification interview of the case's client, with the consents given in it.
/// The case must be open.
#[utoipa::path(
    tag = "interviews",
    operation_id = "create_interview",
    params(("id" = Uuid, Path, description = "Case id")),
    request_body = InterviewIn,
    responses(
        (status = 201, description = "Recorded", body = InterviewOut, headers(
            ("Location" = String, description = "The new interview"),
            ("ETag" = String, description = "Version for If-Match"),
        )),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed, or the client's data was erased", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input: a future date, an unknown indicator, an interviewer who is not a user here…", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/cases/{id}/interviews")]
pub async fn create_interview(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<InterviewIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = interviews::create(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        body.into_inner().into(),
    )
    .await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header(("Location", format!("/api/v1/interviews/{}", view.row.id)));
    Ok(with_etag(builder, view))
}

/// The interviews of a case, oldest first. Lists never carry narratives or risk notes: read
/// one interview for those.
#[utoipa::path(
    tag = "interviews",
    operation_id = "list_case_interviews",
    params(("id" = Uuid, Path, description = "Case id"), InterviewQuery),
    responses(
        (status = 200, description = "A page of interviews", body = InterviewPage),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases/{id}/interviews")]
pub async fn list_case_interviews(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<InterviewQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let filter = InterviewFilter {
        after: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = interviews::list(&state.db, scope, id.into_inner(), &filter).await?;
    let next = next_cursor(&items, limit, |i| i.row.id.to_string());
    Ok(HttpResponse::Ok().json(InterviewPage {
        items: items.into_iter().map(InterviewOut::from).collect(),
        next_cursor: next,
    }))
}

/// One interview. Reading its narrative (roles that may read identities) is audited.
#[utoipa::path(
    tag = "interviews",
    operation_id = "get_interview",
    params(("id" = Uuid, Path, description = "Interview id")),
    responses(
        (status = 200, description = "The interview", body = InterviewOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 404, description = "No such interview among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/interviews/{id}")]
pub async fn get_interview(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = interviews::get(&state.db, &state.master_key, scope, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// Changes an interview and records further consents given. Requires `If-Match` with the
/// interview's `ETag`; the case must be open.
#[utoipa::path(
    tag = "interviews",
    operation_id = "update_interview",
    params(
        ("id" = Uuid, Path, description = "Interview id"),
        ("If-Match" = String, Header, description = "The ETag read with the interview"),
    ),
    request_body = InterviewPatchIn,
    responses(
        (status = 200, description = "Updated", body = InterviewOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such interview among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed, or the client's data was erased", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/interviews/{id}")]
pub async fn update_interview(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<InterviewPatchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let if_match = if_match(&req);
    let view = interviews::update(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        body.into_inner().into(),
        if_match,
    )
    .await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// The trafficking-indicator checklist interviews answer: groups of indicators with their
/// codes. The current version unless another published one is asked for.
#[utoipa::path(
    tag = "interviews",
    operation_id = "get_interview_indicators",
    params(ChecklistQuery),
    responses(
        (status = 200, description = "The checklist", body = Checklist),
        (status = 404, description = "No such version", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/interview-indicators")]
pub async fn get_interview_indicators(
    auth: Authenticated,
    query: web::Query<ChecklistQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.tenant()?;
    let found = match query.version {
        Some(version) => checklist::version(version)?,
        None => Some(checklist::current()?),
    };
    let checklist = found.ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, max-age=3600"))
        .json(checklist))
}
