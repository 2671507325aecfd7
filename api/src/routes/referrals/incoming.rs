//! The inbox of referrals from other Haven organisations: read, accept (opens a signalled
//! case pre-filled from the packet) or decline with a reason. Needs `referrals.receive`.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, next_cursor, page_limit, tagged_json};
use crate::state::AppState;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use haven_domain::referrals::inbox::{self, IncomingFilter, IncomingView};
use haven_domain::vocab::{
    AgeBand, DirectoryServiceType, ExploitationType, Gender, IncomingStatus, Need, ReferralUrgency,
    ServiceArea,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// What the sender shared: only the fields its client's consent covers.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"reason": "Needs a safe place tonight.", "name": "Ioana",
    "gender": "female", "languages": ["ro"]}))]
pub struct PacketOut {
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_band: Option<AgeBand>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs: Option<Vec<Need>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exploitation_types: Option<Vec<ExploitationType>>,
}

/// A referral received from another Haven organisation.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a91", "sender_name": "Demo Shelter Belgium",
    "service_type": "shelter", "service_area": "residential", "urgency": "urgent",
    "status": "received", "case_id": null, "received_at": "2026-11-20T10:30:00Z",
    "decided_at": null, "recalled_at": null, "updated_at": "2026-11-20T10:30:00Z"
}))]
pub struct IncomingOut {
    pub id: Uuid,
    /// The sending organisation.
    pub sender_name: String,
    pub service_type: DirectoryServiceType,
    pub service_area: ServiceArea,
    pub urgency: ReferralUrgency,
    pub status: IncomingStatus,
    /// Your case, opened on acceptance.
    pub case_id: Option<Uuid>,
    /// Only when one item is read (and the read is audited), and never once recalled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub packet: Option<PacketOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decline_reason: Option<String>,
    pub received_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// When the sender erased the client: the packet was removed then, and an item still
    /// waiting was withdrawn (`cancelled`). A case it opened here is yours, and stays.
    pub recalled_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl From<IncomingView> for IncomingOut {
    fn from(v: IncomingView) -> Self {
        Self {
            id: v.row.id,
            sender_name: v.row.sender_name,
            service_type: v.service_type,
            service_area: v.service_area,
            urgency: v.urgency,
            status: v.status,
            case_id: v.row.case_id,
            packet: v.packet.map(|p| PacketOut {
                reason: p.reason,
                name: p.name,
                date_of_birth: p.date_of_birth,
                phone: p.phone,
                email: p.email,
                gender: p.gender,
                age_band: p.age_band,
                nationality: p.nationality,
                languages: p.languages,
                needs: p.needs,
                exploitation_types: p.exploitation_types,
            }),
            decline_reason: v.decline_reason,
            received_at: v.row.received_at,
            decided_at: v.row.decided_at,
            recalled_at: v.row.recalled_at,
            updated_at: v.row.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct IncomingPage {
    pub items: Vec<IncomingOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IncomingQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub status: Option<IncomingStatus>,
}

/// Declining a received referral.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "No bed for a mother with two children this month."}))]
pub struct DeclineIn {
    /// Why; sealed, and never shown to the sender.
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// Your inbox of referrals from other Haven organisations, newest first (without packets).
#[utoipa::path(
    tag = "referrals",
    operation_id = "list_incoming_referrals",
    params(IncomingQuery),
    responses(
        (status = 200, description = "A page of received referrals", body = IncomingPage),
        (status = 400, description = "Malformed filter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `referrals.receive`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals/incoming")]
pub async fn list_incoming_referrals(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<IncomingQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let filter = IncomingFilter {
        status: query.status,
        before: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = inbox::list(&state.db, scope, &filter).await?;
    let next = next_cursor(&items, limit, |i| i.row.id.to_string());
    Ok(HttpResponse::Ok().json(IncomingPage {
        items: items.into_iter().map(IncomingOut::from).collect(),
        next_cursor: next,
    }))
}

/// One received referral with its packet (the read is audited).
#[utoipa::path(
    tag = "referrals",
    operation_id = "get_incoming_referral",
    params(("id" = Uuid, Path, description = "Received referral id")),
    responses(
        (status = 200, description = "The received referral", body = IncomingOut, headers(("ETag" = String, description = "The version of this representation; it changes with any change of the resource"))),
        (status = 403, description = "Missing `referrals.receive`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such referral in your inbox", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals/incoming/{id}")]
pub async fn get_incoming_referral(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = inbox::get(&state.db, &state.master_key, scope, id.into_inner()).await?;
    tagged_json(HttpResponse::Ok(), &IncomingOut::from(view))
}

/// Accepts a received referral: a new client (with your case code) and a signalled case led
/// by you, pre-filled from the packet. The sender sees the status only. Needs
/// `referrals.receive` and `cases.work`.
#[utoipa::path(
    tag = "referrals",
    operation_id = "accept_incoming_referral",
    params(("id" = Uuid, Path, description = "Received referral id")),
    responses(
        (status = 200, description = "Accepted; `case_id` is your new case", body = IncomingOut),
        (status = 403, description = "Missing `referrals.receive` or `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such referral in your inbox", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_pending`: answered already, or withdrawn by its sender", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The packet cannot start a record", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/incoming/{id}/accept")]
pub async fn accept_incoming_referral(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = inbox::accept(&state.db, &state.master_key, scope, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(IncomingOut::from(view)))
}

/// Declines a received referral with a reason (sealed; the sender sees the status only).
#[utoipa::path(
    tag = "referrals",
    operation_id = "decline_incoming_referral",
    params(("id" = Uuid, Path, description = "Received referral id")),
    request_body = DeclineIn,
    responses(
        (status = 200, description = "Declined", body = IncomingOut),
        (status = 403, description = "Missing `referrals.receive`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such referral in your inbox", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_pending`: answered already, or withdrawn by its sender", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/incoming/{id}/decline")]
pub async fn decline_incoming_referral(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<DeclineIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = inbox::decline(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        &body.reason,
    )
    .await?;
    Ok(HttpResponse::Ok().json(IncomingOut::from(view)))
}
