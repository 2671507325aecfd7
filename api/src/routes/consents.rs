//! Consents: what a client agreed to (given in an interview), listed per client and withdrawn.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, next_cursor, page_limit, tagged_json};
use crate::state::AppState;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use haven_domain::consents::{self, ConsentFilter, ConsentView, NewConsent};
use haven_domain::vocab::{ConsentPurpose, PartnerOrganisationType};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A consent the client gives.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"purpose": "sharing_with_partners", "partner_types": ["ngo", "legal_service"],
    "given_at": "2026-11-20T10:30:00Z"}))]
pub struct ConsentIn {
    pub purpose: ConsentPurpose,
    /// The types of organisation a `sharing_with_partners` consent covers (at least one);
    /// refused for other purposes.
    #[serde(default)]
    pub partner_types: Vec<PartnerOrganisationType>,
    /// When the client gave it; now when absent.
    pub given_at: Option<DateTime<Utc>>,
}

impl From<ConsentIn> for NewConsent {
    fn from(c: ConsentIn) -> Self {
        Self {
            purpose: c.purpose,
            partner_types: c.partner_types,
            given_at: c.given_at,
        }
    }
}

/// A recorded consent.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a44", "client_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a01",
    "interview_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a55", "purpose": "sharing_with_partners",
    "partner_types": ["legal_service", "ngo"], "given_at": "2026-11-20T10:30:00Z", "withdrawn_at": null,
    "active": true, "updated_at": "2026-11-20T10:31:00Z"}))]
pub struct ConsentOut {
    pub id: Uuid,
    pub client_id: Uuid,
    /// The interview it was recorded in.
    pub interview_id: Option<Uuid>,
    pub purpose: ConsentPurpose,
    pub partner_types: Vec<PartnerOrganisationType>,
    pub given_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Not withdrawn.
    pub active: bool,
    pub updated_at: DateTime<Utc>,
}

impl From<ConsentView> for ConsentOut {
    fn from(c: ConsentView) -> Self {
        Self {
            active: c.is_active(),
            id: c.id,
            client_id: c.client_id,
            interview_id: c.interview_id,
            purpose: c.purpose,
            partner_types: c.partner_types,
            given_at: c.given_at,
            withdrawn_at: c.withdrawn_at,
            updated_at: c.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ConsentPage {
    pub items: Vec<ConsentOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ConsentQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub purpose: Option<ConsentPurpose>,
    /// `true`: only consents in force; `false`: only withdrawn ones.
    pub active: Option<bool>,
}

/// The consents a client gave, oldest first (withdrawn ones included unless filtered out).
#[utoipa::path(
    tag = "consents",
    operation_id = "list_client_consents",
    params(("id" = Uuid, Path, description = "Client id"), ConsentQuery),
    responses(
        (status = 200, description = "A page of consents", body = ConsentPage),
        (status = 404, description = "No such client among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/clients/{id}/consents")]
pub async fn list_client_consents(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<ConsentQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let filter = ConsentFilter {
        purpose: query.purpose,
        active: query.active,
        after: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = consents::list_for_client(&state.db, scope, id.into_inner(), &filter).await?;
    let next = next_cursor(&items, limit, |c| c.id.to_string());
    Ok(HttpResponse::Ok().json(ConsentPage {
        items: items.into_iter().map(ConsentOut::from).collect(),
        next_cursor: next,
    }))
}

/// One consent.
#[utoipa::path(
    tag = "consents",
    operation_id = "get_consent",
    params(("id" = Uuid, Path, description = "Consent id")),
    responses(
        (status = 200, description = "The consent", body = ConsentOut, headers(("ETag" = String, description = "The version of this representation; it changes with any change of the resource"))),
        (status = 404, description = "No such consent among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/consents/{id}")]
pub async fn get_consent(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let consent = consents::get(&state.db, scope, id.into_inner()).await?;
    tagged_json(HttpResponse::Ok(), &ConsentOut::from(consent))
}

/// Records that the client withdrew a consent (now). A consent is withdrawn once; it is never
/// deleted, so the record shows what held when.
#[utoipa::path(
    tag = "consents",
    operation_id = "withdraw_consent",
    params(("id" = Uuid, Path, description = "Consent id")),
    responses(
        (status = 200, description = "Withdrawn", body = ConsentOut),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consent among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Withdrawn already", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/consents/{id}/withdrawal")]
pub async fn withdraw_consent(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let consent = consents::withdraw(&state.db, scope, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ConsentOut::from(consent)))
}
