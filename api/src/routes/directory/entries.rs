//! Directory entries: search, add, read, change (directly or as a proposal), remove, verify or
//! reject (platform administrators), link to a Haven organisation, and beds tonight.

use super::{
    EntryIn, EntryOut, EntryPage, EntryPatchIn, ProposalOut, VerdictIn, platform_only, viewer,
};
use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{country_filter, if_match, language_filter, page_limit};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use haven_domain::directory::search::{self, SearchQuery};
use haven_domain::directory::service::{self, Changed};
use haven_domain::directory::taxonomy::{self, DirectoryTaxonomy};
use haven_domain::directory::{self, EntryView, beds};
use haven_domain::ids::{ShelterId, TenantId};
use haven_domain::vocab::{DirectoryServiceType, VerificationStatus, Visibility};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words to find in name, city, region, service types and descriptions (each matches as
    /// a prefix); results are then ordered by relevance.
    pub q: Option<String>,
    /// ISO 3166-1 alpha-2, either case.
    #[param(pattern = "^[A-Za-z]{2}$")]
    pub country: Option<String>,
    pub service_type: Option<DirectoryServiceType>,
    /// ISO 639 code (two or three letters), either case.
    #[param(pattern = "^[A-Za-z]{2,3}$")]
    pub language: Option<String>,
    pub open_24_7: Option<bool>,
    /// `true`: verified shared entries only.
    pub verified: Option<bool>,
    /// `true`: entries publishing at least one free bed tonight.
    pub has_free_bed: Option<bool>,
    pub visibility: Option<Visibility>,
    /// e.g. `pending`: the entries awaiting verification.
    pub status: Option<VerificationStatus>,
    /// `true`: your organisation's own entries only (platform administrators: the curated ones).
    pub own: Option<bool>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn offset(cursor: Option<&str>) -> Result<usize, ApiError> {
    cursor.map_or(Ok(0), |c| {
        c.strip_prefix("o")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n < search::MAX_RESULTS)
            .ok_or_else(|| {
                ApiError::bad_request("invalid_cursor", "The cursor is not one this API gave out.")
            })
    })
}

fn with_etag(mut builder: actix_web::HttpResponseBuilder, view: EntryView) -> HttpResponse {
    builder.insert_header((header::ETAG, directory::etag(&view.row)));
    builder.json(EntryOut::from(view))
}

/// Searches the directory: the verified shared entries and your organisation's own, by
/// relevance when `q` is given (by name otherwise). Results are cached and every change of the
/// directory refreshes them.
#[utoipa::path(
    tag = "directory",
    operation_id = "search_directory",
    params(SearchParams),
    responses(
        (status = 200, description = "A page of entries", body = EntryPage),
        (status = 400, description = "Malformed filter or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Query text too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/directory/organisations")]
pub async fn search_directory(
    auth: Authenticated,
    state: web::Data<AppState>,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, ApiError> {
    let params = params.into_inner();
    let limit = usize::try_from(page_limit(params.limit)?).unwrap_or(50);
    let start = offset(params.cursor.as_deref())?;
    let query = SearchQuery {
        q: params.q.filter(|q| !q.trim().is_empty()),
        country: country_filter("country", params.country)?,
        service_type: params.service_type,
        language: language_filter("language", params.language, false)?,
        open_24_7: params.open_24_7,
        verified: params.verified,
        has_free_bed: params.has_free_bed,
        visibility: params.visibility,
        status: params.status,
        own: params.own,
    };
    let page = search::search(&state.db, &state.cache, viewer(&auth), &query, start, limit).await?;
    Ok(HttpResponse::Ok().json(EntryPage {
        items: page.items.into_iter().map(EntryOut::from).collect(),
        next_cursor: page.next_offset.map(|o| format!("o{o}")),
    }))
}

/// Adds an entry: private (only your organisation sees it) or shared (a proposal until a
/// platform administrator verifies it). Needs `directory.manage`; platform administrators add
/// verified shared entries.
#[utoipa::path(
    tag = "directory",
    operation_id = "create_directory_entry",
    request_body = EntryIn,
    responses(
        (status = 201, description = "Added", body = EntryOut, headers(
            ("Location" = String, description = "The new entry"),
            ("ETag" = String, description = "Version for If-Match"),
        )),
        (status = 403, description = "Missing `directory.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input (every bad field is listed)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/directory/organisations")]
pub async fn create_directory_entry(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<EntryIn>,
) -> Result<HttpResponse, ApiError> {
    let (visibility, fields) = body.into_inner().split();
    let view = service::create(
        &state.db,
        &state.cache,
        viewer(&auth),
        visibility.unwrap_or(Visibility::Private),
        fields,
    )
    .await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header((
        "Location",
        format!("/api/v1/directory/organisations/{}", view.row.id),
    ));
    Ok(with_etag(builder, view))
}

/// One entry you can see.
#[utoipa::path(
    tag = "directory",
    operation_id = "get_directory_entry",
    params(("id" = Uuid, Path, description = "Entry id")),
    responses(
        (status = 200, description = "The entry", body = EntryOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 404, description = "No such entry you can see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/directory/organisations/{id}")]
pub async fn get_directory_entry(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let view = service::get(&state.db, viewer(&auth), id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// Changes an entry. Your private or not yet verified entries change at once (a shared one
/// awaits verification again); a change of a verified shared entry becomes a proposal (202)
/// that a platform administrator verifies. Needs `directory.manage` and `If-Match`.
#[utoipa::path(
    tag = "directory",
    operation_id = "update_directory_entry",
    params(
        ("id" = Uuid, Path, description = "Entry id"),
        ("If-Match" = String, Header, description = "The ETag read with the entry"),
    ),
    request_body = EntryPatchIn,
    responses(
        (status = 200, description = "Changed", body = EntryOut),
        (status = 202, description = "Recorded as a proposal awaiting verification", body = ProposalOut),
        (status = 403, description = "Missing `directory.manage`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such entry you can see", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/directory/organisations/{id}")]
pub async fn update_directory_entry(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<EntryPatchIn>,
) -> Result<HttpResponse, ApiError> {
    let changed = service::update(
        &state.db,
        &state.cache,
        viewer(&auth),
        id.into_inner(),
        body.into_inner().into(),
        if_match(&req),
    )
    .await?;
    Ok(match changed {
        Changed::Applied(view) => with_etag(HttpResponse::Ok(), *view),
        Changed::Proposed(proposal) => HttpResponse::Accepted().json(ProposalOut::from(*proposal)),
    })
}

/// Removes an entry: your own private or unverified entries (`directory.manage`), or any
/// entry for platform administrators. Entries referrals point at stay (409).
#[utoipa::path(
    tag = "directory",
    operation_id = "delete_directory_entry",
    params(("id" = Uuid, Path, description = "Entry id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Not yours to remove", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such entry you can see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Referrals point at it", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/directory/organisations/{id}")]
pub async fn delete_directory_entry(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    service::delete(&state.db, &state.cache, viewer(&auth), id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn review(
    auth: &Authenticated,
    state: &AppState,
    id: Uuid,
    verdict: VerificationStatus,
    note: Option<&str>,
) -> Result<HttpResponse, ApiError> {
    let ctx = platform_only(auth, async {
        service::get(&state.db, viewer(auth), id).await.map(|_| ())
    })
    .await?;
    let view = service::review(&state.db, &state.cache, ctx, id, verdict, note).await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// Verifies a shared entry awaiting verification: every organisation then finds it.
/// Platform administrators only.
#[utoipa::path(
    tag = "directory",
    operation_id = "verify_directory_entry",
    params(("id" = Uuid, Path, description = "Entry id")),
    request_body = VerdictIn,
    responses(
        (status = 200, description = "Verified", body = EntryOut),
        (status = 403, description = "Not a platform administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such entry", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not awaiting verification", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid note", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/directory/organisations/{id}/verify")]
pub async fn verify_directory_entry(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<VerdictIn>,
) -> Result<HttpResponse, ApiError> {
    let note = body.into_inner().note;
    review(
        &auth,
        &state,
        id.into_inner(),
        VerificationStatus::Verified,
        note.as_deref(),
    )
    .await
}

/// Rejects a shared entry awaiting verification, with a note its proposer reads. Platform
/// administrators only.
#[utoipa::path(
    tag = "directory",
    operation_id = "reject_directory_entry",
    params(("id" = Uuid, Path, description = "Entry id")),
    request_body = VerdictIn,
    responses(
        (status = 200, description = "Rejected", body = EntryOut),
        (status = 403, description = "Not a platform administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such entry", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not awaiting verification", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The note is missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/directory/organisations/{id}/reject")]
pub async fn reject_directory_entry(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<VerdictIn>,
) -> Result<HttpResponse, ApiError> {
    let note = body.into_inner().note;
    review(
        &auth,
        &state,
        id.into_inner(),
        VerificationStatus::Rejected,
        note.as_deref(),
    )
    .await
}

/// Linking an entry to a Haven organisation.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"tenant_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a01"}))]
pub struct LinkIn {
    /// The organisation's tenant id; `null` unlinks.
    pub tenant_id: Option<Uuid>,
}

/// Links a shared entry to the Haven organisation it is, so referrals to it land in that
/// organisation's inbox (`null` unlinks). Platform administrators only, after checking the
/// organisation is who it says.
#[utoipa::path(
    tag = "directory",
    operation_id = "link_directory_entry",
    params(("id" = Uuid, Path, description = "Entry id")),
    request_body = LinkIn,
    responses(
        (status = 200, description = "Linked", body = EntryOut),
        (status = 403, description = "Not a platform administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such entry", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown organisation, or a private entry", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/directory/organisations/{id}/link")]
pub async fn link_directory_entry(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<LinkIn>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let ctx = platform_only(&auth, async {
        service::get(&state.db, viewer(&auth), id).await.map(|_| ())
    })
    .await?;
    let linked = body.into_inner().tenant_id.map(TenantId::from_uuid);
    let view = service::link(&state.db, &state.cache, ctx, id, linked).await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// Publishing a shelter's free beds on an entry.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"shelter_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a30"}))]
pub struct BedsIn {
    /// One of your shelters; `null` stops publishing.
    pub shelter_id: Option<Uuid>,
}

/// Publishes the free beds tonight of one of your shelters on your directory entry — counts
/// by admission policy, kept current from placements, never the address (`null` stops).
/// Needs `shelters.manage`.
#[utoipa::path(
    tag = "directory",
    operation_id = "publish_directory_beds",
    params(("id" = Uuid, Path, description = "Entry id")),
    request_body = BedsIn,
    responses(
        (status = 200, description = "Publishing", body = EntryOut),
        (status = 403, description = "Missing `shelters.manage`, or not your entry", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such entry you can see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not one of your shelters", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/directory/organisations/{id}/beds")]
pub async fn publish_directory_beds(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<BedsIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = match &auth.0 {
        haven_domain::tenancy::Principal::User(scope) => scope,
        haven_domain::tenancy::Principal::PlatformAdmin(_) => return Err(ApiError::NotFound),
    };
    let shelter = body.into_inner().shelter_id.map(ShelterId::from_uuid);
    let view = beds::publish(&state.db, &state.cache, scope, id.into_inner(), shelter).await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// The directory's taxonomy of service types, with labels.
#[utoipa::path(
    tag = "reference",
    operation_id = "get_directory_service_types",
    responses((status = 200, description = "The taxonomy", body = DirectoryTaxonomy))
)]
#[get("/directory/service-types")]
pub async fn get_directory_service_types(_auth: Authenticated) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(taxonomy::taxonomy()?))
}
