//! Legal proceedings of a case, the people involved in them, and their hearings.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{PageQuery, id_cursor, if_match, next_cursor, page_limit};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use haven_domain::legal::{
    self, Contact, HearingChange, HearingView, NewHearing, NewProceeding, Page, ProceedingChange,
    ProceedingView,
};
use haven_domain::vocab::{
    HearingStatus, LegalContactRole, ProceedingRole, ProceedingStatus, ProceedingType,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Someone involved in a proceeding.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactIn {
    pub role: LegalContactRole,
    /// A person's name (sealed at rest; shown to roles that may read identities).
    #[schema(max_length = 200)]
    pub name: Option<String>,
    #[schema(max_length = 200)]
    pub organisation: Option<String>,
    /// The organisation's entry in the referral directory, when it has one.
    pub directory_organisation_id: Option<Uuid>,
}

impl From<ContactIn> for Contact {
    fn from(c: ContactIn) -> Self {
        Self {
            role: c.role,
            name: c.name,
            organisation: c.organisation,
            directory_organisation_id: c.directory_organisation_id,
        }
    }
}

/// Someone involved in a proceeding; the name is `null` unless opened for you.
#[derive(Serialize, ToSchema)]
pub struct ContactOut {
    pub role: LegalContactRole,
    pub name: Option<String>,
    pub organisation: Option<String>,
    pub directory_organisation_id: Option<Uuid>,
}

impl From<Contact> for ContactOut {
    fn from(c: Contact) -> Self {
        Self {
            role: c.role,
            name: c.name,
            organisation: c.organisation,
            directory_organisation_id: c.directory_organisation_id,
        }
    }
}

/// Recording a legal proceeding.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "type": "criminal_complaint", "status": "investigation", "reference": "AN.12.L1.004567/26",
    "jurisdiction": "Public prosecutor, Antwerp", "client_role": "civil_party",
    "contacts": [
        {"role": "police_unit", "organisation": "Federal Judicial Police Antwerp, human trafficking unit"},
        {"role": "lawyer", "name": "Maître A. Janssens", "organisation": "Bar of Antwerp"}
    ]
}))]
pub struct ProceedingIn {
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub proceeding_type: ProceedingType,
    pub status: ProceedingStatus,
    /// The file reference (sealed at rest; shown to roles that may read identities).
    #[schema(max_length = 200)]
    pub reference: Option<String>,
    #[schema(max_length = 200)]
    pub jurisdiction: Option<String>,
    pub client_role: ProceedingRole,
    /// Police units, prosecutors, lawyers, courts (at most 30).
    #[serde(default, deserialize_with = "haven_domain::objects::objects")]
    pub contacts: Vec<ContactIn>,
}

impl From<ProceedingIn> for NewProceeding {
    fn from(p: ProceedingIn) -> Self {
        Self {
            proceeding_type: p.proceeding_type,
            status: p.status,
            reference: p.reference,
            jurisdiction: p.jurisdiction,
            client_role: p.client_role,
            contacts: p.contacts.into_iter().map(Contact::from).collect(),
        }
    }
}

/// Changing a proceeding: absent fields stay as they are, `null` clears one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "trial"}))]
pub struct ProceedingPatchIn {
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub proceeding_type: Option<ProceedingType>,
    pub status: Option<ProceedingStatus>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub reference: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub jurisdiction: Option<Option<String>>,
    pub client_role: Option<ProceedingRole>,
    /// Replaces every contact.
    #[serde(default, deserialize_with = "haven_domain::objects::optional_objects")]
    pub contacts: Option<Vec<ContactIn>>,
}

impl From<ProceedingPatchIn> for ProceedingChange {
    fn from(p: ProceedingPatchIn) -> Self {
        Self {
            proceeding_type: p.proceeding_type,
            status: p.status,
            reference: p.reference,
            jurisdiction: p.jurisdiction,
            client_role: p.client_role,
            contacts: p
                .contacts
                .map(|list| list.into_iter().map(Contact::from).collect()),
        }
    }
}

/// A legal proceeding. The reference and contact names are `null` in lists and for roles that
/// may not read identities (`sealed_shown` says which).
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a77", "case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00",
    "client_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a01", "type": "criminal_complaint",
    "status": "investigation", "reference": "AN.12.L1.004567/26", "jurisdiction": "Public prosecutor, Antwerp",
    "client_role": "civil_party",
    "contacts": [{"role": "lawyer", "name": "Maître A. Janssens", "organisation": "Bar of Antwerp", "directory_organisation_id": null}],
    "sealed_shown": true, "created_by": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11",
    "created_at": "2026-11-28T10:00:00Z", "updated_at": "2026-11-28T10:00:00Z"
}))]
pub struct ProceedingOut {
    pub id: Uuid,
    pub case_id: Uuid,
    pub client_id: Uuid,
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub proceeding_type: ProceedingType,
    pub status: ProceedingStatus,
    pub reference: Option<String>,
    pub jurisdiction: Option<String>,
    pub client_role: ProceedingRole,
    pub contacts: Vec<ContactOut>,
    /// Whether the reference and names were opened for you.
    pub sealed_shown: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ProceedingView> for ProceedingOut {
    fn from(v: ProceedingView) -> Self {
        Self {
            id: v.row.id,
            case_id: v.row.case_id,
            client_id: v.row.client_id,
            proceeding_type: v.proceeding_type,
            status: v.status,
            reference: v.reference,
            jurisdiction: v.row.jurisdiction,
            client_role: v.client_role,
            contacts: v.contacts.into_iter().map(ContactOut::from).collect(),
            sealed_shown: v.sealed_shown,
            created_by: v.row.created_by,
            created_at: v.row.created_at,
            updated_at: v.row.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProceedingPage {
    pub items: Vec<ProceedingOut>,
    pub next_cursor: Option<String>,
}

/// Recording a hearing.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "held_at": "2027-02-15T09:00:00Z", "place": "Antwerp Criminal Court, room 3", "status": "scheduled"
}))]
pub struct HearingIn {
    pub held_at: DateTime<Utc>,
    #[schema(max_length = 200)]
    pub place: Option<String>,
    /// Sealed at rest; shown to roles that may read identities.
    #[schema(max_length = 5000)]
    pub outcome: Option<String>,
    /// A scheduled hearing puts a `hearing` deadline in the agenda on its day.
    pub status: HearingStatus,
}

impl From<HearingIn> for NewHearing {
    fn from(h: HearingIn) -> Self {
        Self {
            held_at: h.held_at,
            place: h.place,
            outcome: h.outcome,
            status: h.status,
        }
    }
}

/// Changing a hearing: absent fields stay as they are, `null` clears one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "held", "outcome": "Heard as a witness; the trial continues in March."}))]
pub struct HearingPatchIn {
    pub held_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub place: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub outcome: Option<Option<String>>,
    pub status: Option<HearingStatus>,
}

impl From<HearingPatchIn> for HearingChange {
    fn from(h: HearingPatchIn) -> Self {
        Self {
            held_at: h.held_at,
            place: h.place,
            outcome: h.outcome,
            status: h.status,
        }
    }
}

/// A hearing. The outcome is `null` in lists and for roles that may not read identities.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a88", "proceeding_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a77",
    "case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00", "held_at": "2027-02-15T09:00:00Z",
    "place": "Antwerp Criminal Court, room 3", "outcome": null, "status": "scheduled", "sealed_shown": true,
    "created_by": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11",
    "created_at": "2026-11-28T10:00:00Z", "updated_at": "2026-11-28T10:00:00Z"
}))]
pub struct HearingOut {
    pub id: Uuid,
    pub proceeding_id: Uuid,
    pub case_id: Uuid,
    pub held_at: DateTime<Utc>,
    pub place: Option<String>,
    pub outcome: Option<String>,
    pub status: HearingStatus,
    /// Whether the outcome was opened for you.
    pub sealed_shown: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<HearingView> for HearingOut {
    fn from(v: HearingView) -> Self {
        Self {
            id: v.row.id,
            proceeding_id: v.row.proceeding_id,
            case_id: v.row.case_id,
            held_at: v.row.held_at,
            place: v.row.place,
            outcome: v.outcome,
            status: v.status,
            sealed_shown: v.sealed_shown,
            created_by: v.row.created_by,
            created_at: v.row.created_at,
            updated_at: v.row.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct HearingPage {
    pub items: Vec<HearingOut>,
    pub next_cursor: Option<String>,
}

fn page_of(query: &PageQuery) -> Result<Page, ApiError> {
    Ok(Page {
        after: id_cursor(query.cursor.as_deref())?,
        limit: page_limit(query.limit)?,
    })
}

fn proceeding_response(
    mut builder: actix_web::HttpResponseBuilder,
    view: ProceedingView,
) -> HttpResponse {
    builder.insert_header((header::ETAG, legal::proceeding_etag(&view.row)));
    builder.json(ProceedingOut::from(view))
}

fn hearing_response(
    mut builder: actix_web::HttpResponseBuilder,
    view: HearingView,
) -> HttpResponse {
    builder.insert_header((header::ETAG, legal::hearing_etag(&view.row)));
    builder.json(HearingOut::from(view))
}

/// Records a legal proceeding the case's client takes part in. The case must be open.
#[utoipa::path(
    tag = "legal",
    operation_id = "create_proceeding",
    params(("id" = Uuid, Path, description = "Case id")),
    request_body = ProceedingIn,
    responses(
        (status = 201, description = "Recorded", body = ProceedingOut, headers(
            ("Location" = String, description = "The new proceeding"),
            ("ETag" = String, description = "Version for If-Match"),
        )),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed, or the client's data was erased", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/cases/{id}/proceedings")]
pub async fn create_proceeding(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<ProceedingIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = legal::create_proceeding(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        body.into_inner().into(),
    )
    .await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header(("Location", format!("/api/v1/proceedings/{}", view.row.id)));
    Ok(proceeding_response(builder, view))
}

/// The legal proceedings of a case, oldest first, without references or names.
#[utoipa::path(
    tag = "legal",
    operation_id = "list_case_proceedings",
    params(("id" = Uuid, Path, description = "Case id"), PageQuery),
    responses(
        (status = 200, description = "A page of proceedings", body = ProceedingPage),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases/{id}/proceedings")]
pub async fn list_case_proceedings(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let page = page_of(&query)?;
    let items = legal::list_proceedings(&state.db, scope, id.into_inner(), &page).await?;
    let next = next_cursor(&items, page.limit, |p| p.row.id.to_string());
    Ok(HttpResponse::Ok().json(ProceedingPage {
        items: items.into_iter().map(ProceedingOut::from).collect(),
        next_cursor: next,
    }))
}

/// One legal proceeding. Reading its reference or names (roles that may read identities) is
/// audited.
#[utoipa::path(
    tag = "legal",
    operation_id = "get_proceeding",
    params(("id" = Uuid, Path, description = "Proceeding id")),
    responses(
        (status = 200, description = "The proceeding", body = ProceedingOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proceeding among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/proceedings/{id}")]
pub async fn get_proceeding(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = legal::get_proceeding(&state.db, &state.master_key, scope, id.into_inner()).await?;
    Ok(proceeding_response(HttpResponse::Ok(), view))
}

/// Changes a legal proceeding. Requires `If-Match` with its `ETag`; the case must be open.
#[utoipa::path(
    tag = "legal",
    operation_id = "update_proceeding",
    params(
        ("id" = Uuid, Path, description = "Proceeding id"),
        ("If-Match" = String, Header, description = "The ETag read with the proceeding"),
    ),
    request_body = ProceedingPatchIn,
    responses(
        (status = 200, description = "Updated", body = ProceedingOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proceeding among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed, or the client's data was erased", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/proceedings/{id}")]
pub async fn update_proceeding(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<ProceedingPatchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = legal::update_proceeding(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        body.into_inner().into(),
        if_match(&req),
    )
    .await?;
    Ok(proceeding_response(HttpResponse::Ok(), view))
}

/// Records a hearing of a proceeding. A scheduled hearing puts a `hearing` deadline in the
/// agenda on its day.
#[utoipa::path(
    tag = "legal",
    operation_id = "create_hearing",
    params(("id" = Uuid, Path, description = "Proceeding id")),
    request_body = HearingIn,
    responses(
        (status = 201, description = "Recorded", body = HearingOut, headers(
            ("Location" = String, description = "The new hearing"),
            ("ETag" = String, description = "Version for If-Match"),
        )),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proceeding among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed, or the client's data was erased", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/proceedings/{id}/hearings")]
pub async fn create_hearing(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<HearingIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = legal::create_hearing(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        body.into_inner().into(),
    )
    .await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header(("Location", format!("/api/v1/hearings/{}", view.row.id)));
    Ok(hearing_response(builder, view))
}

/// The hearings of a proceeding, in the order they were recorded, without outcomes.
#[utoipa::path(
    tag = "legal",
    operation_id = "list_hearings",
    params(("id" = Uuid, Path, description = "Proceeding id"), PageQuery),
    responses(
        (status = 200, description = "A page of hearings", body = HearingPage),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proceeding among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/proceedings/{id}/hearings")]
pub async fn list_hearings(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let page = page_of(&query)?;
    let items = legal::list_hearings(&state.db, scope, id.into_inner(), &page).await?;
    let next = next_cursor(&items, page.limit, |h| h.row.id.to_string());
    Ok(HttpResponse::Ok().json(HearingPage {
        items: items.into_iter().map(HearingOut::from).collect(),
        next_cursor: next,
    }))
}

/// One hearing. Reading its outcome (roles that may read identities) is audited.
#[utoipa::path(
    tag = "legal",
    operation_id = "get_hearing",
    params(("id" = Uuid, Path, description = "Hearing id")),
    responses(
        (status = 200, description = "The hearing", body = HearingOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such hearing among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/hearings/{id}")]
pub async fn get_hearing(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = legal::get_hearing(&state.db, &state.master_key, scope, id.into_inner()).await?;
    Ok(hearing_response(HttpResponse::Ok(), view))
}

/// Changes a hearing — moves it, records that it was held and its outcome — and keeps its
/// deadline in line. Requires `If-Match` with its `ETag`; the case must be open.
#[utoipa::path(
    tag = "legal",
    operation_id = "update_hearing",
    params(
        ("id" = Uuid, Path, description = "Hearing id"),
        ("If-Match" = String, Header, description = "The ETag read with the hearing"),
    ),
    request_body = HearingPatchIn,
    responses(
        (status = 200, description = "Updated", body = HearingOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such hearing among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed, or the client's data was erased", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/hearings/{id}")]
pub async fn update_hearing(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<HearingPatchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = legal::update_hearing(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        body.into_inner().into(),
        if_match(&req),
    )
    .await?;
    Ok(hearing_response(HttpResponse::Ok(), view))
}
