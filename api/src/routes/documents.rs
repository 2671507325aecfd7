//! Administrative documents of a case (permits, identity papers, registrations) and their
//! expiry deadlines.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{id_cursor, if_match, next_cursor, page_limit};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use haven_domain::documents::{self, DocumentChange, DocumentFilter, DocumentView, NewDocument};
use haven_domain::vocab::{DocumentKind, DocumentStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Recording a document.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "residence_permit", "status": "granted", "number": "B 1234567",
    "issuing_authority": "Immigration Office", "issued_on": "2026-11-02", "expires_on": "2027-05-02",
    "procedure_step": "immatriculation_certificate", "notes": "Collected at the town hall with her lawyer."
}))]
pub struct DocumentIn {
    pub kind: DocumentKind,
    pub status: DocumentStatus,
    /// The document's number (sealed at rest; shown to roles that may read identities).
    #[schema(max_length = 100)]
    pub number: Option<String>,
    #[schema(max_length = 200)]
    pub issuing_authority: Option<String>,
    pub issued_on: Option<NaiveDate>,
    /// After `issued_on`. A granted document with an expiry gets deadlines: the expiry and a
    /// follow-up 30 days before.
    pub expires_on: Option<NaiveDate>,
    /// A step of your organisation's procedure template (`GET /api/v1/procedure-templates`).
    pub procedure_step: Option<String>,
    /// Sealed at rest; shown to roles that may read identities.
    #[schema(max_length = 5000)]
    pub notes: Option<String>,
}

impl From<DocumentIn> for NewDocument {
    fn from(d: DocumentIn) -> Self {
        Self {
            kind: d.kind,
            status: d.status,
            number: d.number,
            issuing_authority: d.issuing_authority,
            issued_on: d.issued_on,
            expires_on: d.expires_on,
            procedure_step: d.procedure_step,
            notes: d.notes,
        }
    }
}

/// Changing a document: absent fields stay as they are, `null` clears one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "granted", "expires_on": "2027-08-02"}))]
pub struct DocumentPatchIn {
    pub kind: Option<DocumentKind>,
    pub status: Option<DocumentStatus>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub number: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub issuing_authority: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub issued_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub expires_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<String>)]
    pub procedure_step: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::routes::common::present")]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub notes: Option<Option<String>>,
}

impl From<DocumentPatchIn> for DocumentChange {
    fn from(p: DocumentPatchIn) -> Self {
        Self {
            kind: p.kind,
            status: p.status,
            number: p.number,
            issuing_authority: p.issuing_authority,
            issued_on: p.issued_on,
            expires_on: p.expires_on,
            procedure_step: p.procedure_step,
            notes: p.notes,
        }
    }
}

/// A document. The number and notes are `null` in lists and for roles that may not read
/// identities (`sealed_shown` says which).
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a66", "case_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00",
    "client_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a01", "kind": "residence_permit", "status": "granted",
    "number": "B 1234567", "issuing_authority": "Immigration Office", "issued_on": "2026-11-02",
    "expires_on": "2027-05-02", "procedure_step": "immatriculation_certificate",
    "notes": "Collected at the town hall with her lawyer.", "sealed_shown": true,
    "created_by": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11",
    "created_at": "2026-11-28T10:00:00Z", "updated_at": "2026-11-28T10:00:00Z"
}))]
pub struct DocumentOut {
    pub id: Uuid,
    pub case_id: Uuid,
    pub client_id: Uuid,
    pub kind: DocumentKind,
    pub status: DocumentStatus,
    pub number: Option<String>,
    pub issuing_authority: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub procedure_step: Option<String>,
    pub notes: Option<String>,
    /// Whether the number and notes were opened for you.
    pub sealed_shown: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<DocumentView> for DocumentOut {
    fn from(v: DocumentView) -> Self {
        Self {
            id: v.row.id,
            case_id: v.row.case_id,
            client_id: v.row.client_id,
            kind: v.kind,
            status: v.status,
            number: v.number,
            issuing_authority: v.row.issuing_authority,
            issued_on: v.row.issued_on,
            expires_on: v.row.expires_on,
            procedure_step: v.row.procedure_step,
            notes: v.notes,
            sealed_shown: v.sealed_shown,
            created_by: v.row.created_by,
            created_at: v.row.created_at,
            updated_at: v.row.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DocumentPage {
    pub items: Vec<DocumentOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DocumentQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub kind: Option<DocumentKind>,
    pub status: Option<DocumentStatus>,
    /// Documents that expire before this day.
    pub expires_before: Option<NaiveDate>,
}

impl DocumentQuery {
    fn filter(&self) -> Result<DocumentFilter, ApiError> {
        Ok(DocumentFilter {
            kind: self.kind,
            status: self.status,
            expires_before: self.expires_before,
            after: id_cursor(self.cursor.as_deref())?,
            limit: page_limit(self.limit)?,
        })
    }
}

fn page(items: Vec<DocumentView>, limit: u64) -> HttpResponse {
    let next = next_cursor(&items, limit, |d| d.row.id.to_string());
    HttpResponse::Ok().json(DocumentPage {
        items: items.into_iter().map(DocumentOut::from).collect(),
        next_cursor: next,
    })
}

fn with_etag(mut builder: actix_web::HttpResponseBuilder, view: DocumentView) -> HttpResponse {
    builder.insert_header((header::ETAG, documents::etag(&view.row)));
    builder.json(DocumentOut::from(view))
}

/// Records an administrative document of the case's client. A granted document with an
/// expiry date puts its expiry and a follow-up 30 days before in the agenda.
#[utoipa::path(
    tag = "documents",
    operation_id = "create_document",
    params(("id" = Uuid, Path, description = "Case id")),
    request_body = DocumentIn,
    responses(
        (status = 201, description = "Recorded", body = DocumentOut, headers(
            ("Location" = String, description = "The new document"),
            ("ETag" = String, description = "Version for If-Match"),
        )),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed, or the client's data was erased", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input: an expiry before the issue date, an unknown procedure step…", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/cases/{id}/documents")]
pub async fn create_document(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<DocumentIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = documents::create(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        body.into_inner().into(),
    )
    .await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header(("Location", format!("/api/v1/documents/{}", view.row.id)));
    Ok(with_etag(builder, view))
}

/// The documents of a case, oldest first, without numbers or notes (read one document for
/// those).
#[utoipa::path(
    tag = "documents",
    operation_id = "list_case_documents",
    params(("id" = Uuid, Path, description = "Case id"), DocumentQuery),
    responses(
        (status = 200, description = "A page of documents", body = DocumentPage),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases/{id}/documents")]
pub async fn list_case_documents(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    query: web::Query<DocumentQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let filter = query.filter()?;
    let items = documents::list_for_case(&state.db, scope, id.into_inner(), &filter).await?;
    Ok(page(items, filter.limit))
}

/// The documents of every case you may see, oldest first, without numbers or notes: e.g.
/// `?status=granted&expires_before=…` for the permits to renew.
#[utoipa::path(
    tag = "documents",
    operation_id = "list_documents",
    params(DocumentQuery),
    responses(
        (status = 200, description = "A page of documents", body = DocumentPage),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/documents")]
pub async fn list_documents(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<DocumentQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let filter = query.filter()?;
    let items = documents::list(&state.db, scope, &filter).await?;
    Ok(page(items, filter.limit))
}

/// One document. Reading its number or notes (roles that may read identities) is audited.
#[utoipa::path(
    tag = "documents",
    operation_id = "get_document",
    params(("id" = Uuid, Path, description = "Document id")),
    responses(
        (status = 200, description = "The document", body = DocumentOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/documents/{id}")]
pub async fn get_document(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = documents::get(&state.db, &state.master_key, scope, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// Changes a document; its deadlines follow (a new expiry moves them, a refusal or expiry
/// cancels them). Requires `If-Match` with the document's `ETag`; the case must be open.
#[utoipa::path(
    tag = "documents",
    operation_id = "update_document",
    params(
        ("id" = Uuid, Path, description = "Document id"),
        ("If-Match" = String, Header, description = "The ETag read with the document"),
    ),
    request_body = DocumentPatchIn,
    responses(
        (status = 200, description = "Updated", body = DocumentOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such document among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed, or the client's data was erased", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/documents/{id}")]
pub async fn update_document(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<DocumentPatchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let if_match = if_match(&req);
    let view = documents::update(
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
