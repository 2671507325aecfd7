//! Referrals a tenant sends: on the client's consent (or an authorised override), their status
//! flow, the printable referral pack, and the referrals of a case.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, if_match, next_cursor, page_limit};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use haven_domain::referrals::service::{self, NewReferral, ReferralFilter, StatusChange};
use haven_domain::referrals::{self, ReferralView};
use haven_domain::vocab::{
    DirectoryServiceType, PacketField, ReferralStatus, ReferralUrgency, ServiceArea,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Sending a referral.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a20",
    "organisation_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80",
    "service_type": "legal_aid", "service_area": "legal", "urgency": "urgent",
    "reason": "Needs a lawyer before the hearing on the residence permit.",
    "shared_fields": ["name", "languages", "gender"]
}))]
pub struct ReferralIn {
    /// A case you may see.
    pub case_id: Uuid,
    /// A directory organisation your organisation can see (shared, or your own private one).
    pub organisation_id: Uuid,
    /// What is asked for: one of the organisation's service types.
    pub service_type: DirectoryServiceType,
    pub service_area: ServiceArea,
    pub urgency: ReferralUrgency,
    /// Why; sealed before it is stored.
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
    /// The parts of the client's record shared with the partner (identifying ones only under
    /// a consent).
    #[serde(default)]
    #[schema(max_items = 9)]
    pub shared_fields: Vec<PacketField>,
    /// Send without the client's matching consent (needs `referrals.consent_override`).
    #[serde(default)]
    pub consent_override: bool,
    /// Why the consent is overridden; required with `consent_override`, sealed.
    #[schema(max_length = 2000)]
    pub override_reason: Option<String>,
}

/// A status change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"to": "completed", "outcome": "Seen by the lawyer; the appeal was filed."}))]
pub struct ReferralTransitionIn {
    pub to: ReferralStatus,
    /// What came of it; sealed.
    #[schema(max_length = 2000)]
    pub outcome: Option<String>,
}

/// A referral.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a90", "case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a20",
    "organisation_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80", "organisation_name": "Example Legal Clinic Gent",
    "service_type": "legal_aid", "service_area": "legal", "urgency": "urgent", "status": "sent",
    "shared_fields": ["gender", "languages", "name"], "consent_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a44",
    "consent_override": false, "to_haven_organisation": false,
    "reason": "Needs a lawyer before the hearing on the residence permit.",
    "sent_at": "2026-11-20T10:30:00Z", "responded_at": null, "completed_at": null, "cancelled_at": null,
    "recalled_at": null, "created_by": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a12",
    "created_at": "2026-11-20T10:30:00Z", "updated_at": "2026-11-20T10:30:00Z"
}))]
pub struct ReferralOut {
    pub id: Uuid,
    pub case_id: Uuid,
    pub organisation_id: Uuid,
    /// While your organisation can see the entry.
    pub organisation_name: Option<String>,
    pub service_type: DirectoryServiceType,
    pub service_area: ServiceArea,
    pub urgency: ReferralUrgency,
    pub status: ReferralStatus,
    pub shared_fields: Vec<PacketField>,
    /// The consent it rests on; `null` under an override.
    pub consent_id: Option<Uuid>,
    pub consent_override: bool,
    /// Whether it went to a Haven organisation's inbox (then that organisation accepts or
    /// declines it).
    pub to_haven_organisation: bool,
    /// Only when one referral is read (and the read is audited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
    pub sent_at: DateTime<Utc>,
    /// When the partner accepted or declined.
    pub responded_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// When the receiving Haven organisation's copy of what was shared was found removed, after
    /// the client's erasure. While a referral of an erased client to a Haven organisation has
    /// none, the removal is still to be sent (it is retried at start-up and by every
    /// retention run).
    pub recalled_at: Option<DateTime<Utc>>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ReferralView> for ReferralOut {
    fn from(v: ReferralView) -> Self {
        Self {
            to_haven_organisation: v.linked(),
            id: v.row.id,
            case_id: v.row.case_id,
            organisation_id: v.row.organisation_id,
            organisation_name: v.organisation_name,
            service_type: v.service_type,
            service_area: v.service_area,
            urgency: v.urgency,
            status: v.status,
            shared_fields: v.shared_fields,
            consent_id: v.row.consent_id,
            consent_override: v.row.consent_override,
            reason: v.reason,
            outcome: v.outcome,
            override_reason: v.override_reason,
            sent_at: v.row.sent_at,
            responded_at: v.row.responded_at,
            completed_at: v.row.completed_at,
            cancelled_at: v.row.cancelled_at,
            recalled_at: v.row.recalled_at,
            created_by: v.row.created_by,
            created_at: v.row.created_at,
            updated_at: v.row.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReferralPage {
    pub items: Vec<ReferralOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReferralQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub status: Option<ReferralStatus>,
    pub case_id: Option<Uuid>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CaseReferralQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub status: Option<ReferralStatus>,
}

fn with_etag(mut builder: actix_web::HttpResponseBuilder, view: ReferralView) -> HttpResponse {
    builder.insert_header((header::ETAG, referrals::etag(&view.row)));
    builder.json(ReferralOut::from(view))
}

fn page(items: Vec<ReferralView>, limit: u64) -> HttpResponse {
    let next = next_cursor(&items, limit, |r| r.row.id.to_string());
    HttpResponse::Ok().json(ReferralPage {
        items: items.into_iter().map(ReferralOut::from).collect(),
        next_cursor: next,
    })
}

/// Sends a referral of a case to a directory organisation. It needs the client's active
/// consent to share with organisations of the partner's type, or an override with a reason by
/// a role holding `referrals.consent_override` (audited; no identifying field travels then).
/// When the organisation is a Haven organisation the referral lands in its inbox.
#[utoipa::path(
    tag = "referrals",
    operation_id = "create_referral",
    request_body = ReferralIn,
    responses(
        (status = 201, description = "Sent", body = ReferralOut, headers(
            ("Location" = String, description = "The new referral"),
            ("ETag" = String, description = "Version for If-Match"),
        )),
        (status = 403, description = "Missing `cases.work`, or `referrals.consent_override` for an override", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`consent_required`: the client has no active consent covering the partner's type; `case_closed`; `client_erased`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input (every bad field is listed)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals")]
pub async fn create_referral(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<ReferralIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let b = body.into_inner();
    let new = NewReferral {
        case_id: b.case_id,
        organisation_id: b.organisation_id,
        service_type: b.service_type,
        service_area: b.service_area,
        urgency: b.urgency,
        reason: b.reason,
        shared_fields: b.shared_fields,
        consent_override: b.consent_override,
        override_reason: b.override_reason,
    };
    let view = service::create(&state.db, &state.master_key, scope, new).await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header(("Location", format!("/api/v1/referrals/{}", view.row.id)));
    Ok(with_etag(builder, view))
}

/// The referrals of the cases you may see, newest first (without their texts). Needs
/// `cases.work`.
#[utoipa::path(
    tag = "referrals",
    operation_id = "list_referrals",
    params(ReferralQuery),
    responses(
        (status = 200, description = "A page of referrals", body = ReferralPage),
        (status = 400, description = "Malformed filter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals")]
pub async fn list_referrals(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<ReferralQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let filter = ReferralFilter {
        status: query.status,
        case_id: query.case_id,
        before: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = service::list(&state.db, scope, &filter).await?;
    Ok(page(items, limit))
}

/// The referrals of a case, newest first.
#[utoipa::path(
    tag = "referrals",
    operation_id = "list_case_referrals",
    params(("id" = Uuid, Path, description = "Case id"), CaseReferralQuery),
    responses(
        (status = 200, description = "A page of referrals", body = ReferralPage),
        (status = 400, description = "Malformed filter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases/{id}/referrals")]
pub async fn list_case_referrals(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<CaseReferralQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let filter = ReferralFilter {
        status: query.status,
        case_id: None,
        before: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = service::list_for_case(&state.db, scope, id.into_inner(), &filter).await?;
    Ok(page(items, limit))
}

/// One referral with its reason and outcome opened (the read is audited).
#[utoipa::path(
    tag = "referrals",
    operation_id = "get_referral",
    params(("id" = Uuid, Path, description = "Referral id")),
    responses(
        (status = 200, description = "The referral", body = ReferralOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 404, description = "No such referral among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals/{id}")]
pub async fn get_referral(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = service::get(&state.db, &state.master_key, scope, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// Moves a referral along its flow: `sent → accepted | declined | cancelled`, `accepted →
/// completed | cancelled` (a Haven organisation accepts or declines its inbox items itself).
/// Needs `cases.work` and `If-Match`.
#[utoipa::path(
    tag = "referrals",
    operation_id = "transition_referral",
    params(
        ("id" = Uuid, Path, description = "Referral id"),
        ("If-Match" = String, Header, description = "The ETag read with the referral"),
    ),
    request_body = ReferralTransitionIn,
    responses(
        (status = 200, description = "Moved", body = ReferralOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such referral among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition`: not allowed from where it stands; `client_erased`", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/{id}/transitions")]
pub async fn transition_referral(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<ReferralTransitionIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let b = body.into_inner();
    let if_match = if_match(&req);
    let view = service::transition(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        StatusChange {
            to: b.to,
            outcome: b.outcome,
        },
        if_match,
    )
    .await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// The referral pack: a printable HTML page with only the fields the referral shares (and its
/// consent covers), every value escaped. The export is audited.
#[utoipa::path(
    tag = "referrals",
    operation_id = "get_referral_pack",
    params(("id" = Uuid, Path, description = "Referral id")),
    responses(
        (status = 200, description = "The printable pack", content_type = "text/html", body = String),
        (status = 404, description = "No such referral among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`consent_withdrawn`: the consent it rested on was withdrawn; `client_erased`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals/{id}/pack")]
pub async fn get_referral_pack(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let html = service::pack(&state.db, &state.master_key, scope, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'",
        ))
        .body(html))
}
