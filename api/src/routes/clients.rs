//! Clients: registration (which opens their first case), search and records.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{
    country_code, country_filter, id_cursor, if_match, limit_error, next_cursor, page_limit,
};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use haven_domain::clients::{self, ClientDetails, ClientFilter, ClientView};
use haven_domain::error::DomainError;
use haven_domain::tenancy::TenantScope;
use haven_domain::vocab::ExploitationType;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Registering a client.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "details": {
        "identity": {"legal_given_name": "Ana", "legal_family_name": "Popescu", "date_of_birth": "1999-04-12",
            "aliases": [], "documents": [{"kind": "passport", "number": "RO1234567", "issuing_country": "RO"}]},
        "gender": "female", "nationality": "RO", "languages": ["ro", "en"],
        "exploitation_types": ["sexual"], "needs": ["medical"], "trafficking_status": "possible",
        "status_decided_by": "ngo", "recruitment_methods": ["false_job_offer"],
        "control_methods": ["confiscated_documents", "debt_bondage"],
        "trafficking_events": [{"kind": "exploitation", "country": "BE", "from": "2026-01-01", "to": "2026-10-15"}],
        "connected_persons": []
    },
    "reason": "Signalled by the labour inspectorate after a workplace check."
}))]
pub struct ClientIn {
    pub details: ClientDetails,
    /// Why the case is opened (sealed; shown to the case team).
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

/// A client. `details.identity` is filled only for readers allowed to see identities.
#[derive(Serialize, ToSchema)]
pub struct ClientOut {
    pub id: Uuid,
    /// The pseudonymous case code, e.g. `BE-2026-0042`.
    pub case_code: String,
    pub details: ClientDetails,
    /// Whether the identity (and connected persons' names) are shown to you.
    pub identity_shown: bool,
    /// When the client was erased: the record is then a tombstone without identity.
    pub erased_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ClientView> for ClientOut {
    fn from(v: ClientView) -> Self {
        Self {
            id: v.row.id,
            case_code: v.row.case_code,
            details: v.details,
            identity_shown: v.identity_shown,
            erased_at: v.row.erased_at,
            created_at: v.row.created_at,
            updated_at: v.row.updated_at,
        }
    }
}

/// A client in a list: never an identity.
#[derive(Serialize, ToSchema)]
pub struct ClientSummary {
    pub id: Uuid,
    pub case_code: String,
    pub gender: String,
    pub age_band: String,
    pub nationality: Option<String>,
    pub languages: Vec<String>,
    pub exploitation_types: Vec<ExploitationType>,
    pub trafficking_status: String,
    /// When the client was erased.
    pub erased_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl From<ClientView> for ClientSummary {
    fn from(v: ClientView) -> Self {
        Self {
            id: v.row.id,
            case_code: v.row.case_code,
            gender: v.row.gender,
            age_band: v.row.age_band,
            nationality: v.row.nationality,
            languages: v.details.languages,
            exploitation_types: v.details.exploitation_types,
            trafficking_status: v.row.trafficking_status,
            erased_at: v.row.erased_at,
            updated_at: v.row.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ClientPage {
    pub items: Vec<ClientSummary>,
    pub next_cursor: Option<String>,
}

/// A registered client and the case opened for them.
#[derive(Serialize, ToSchema)]
pub struct ClientCreatedOut {
    pub client: ClientOut,
    pub case_id: Uuid,
    /// Case codes of existing clients with the same legal name and date of birth.
    pub possible_duplicates: Vec<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ClientQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// ISO 3166-1 alpha-2 nationality, either case.
    #[param(pattern = "^[A-Za-z]{2}$")]
    pub nationality: Option<String>,
    pub exploitation_type: Option<ExploitationType>,
}

/// Searching clients by words of a name. A name never travels in a URL (URLs end up in logs,
/// proxies and browser history), so this search is a POST with the words in the body.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "popescu", "limit": 20}))]
pub struct ClientSearchIn {
    /// Words of a name, 1–200 characters; matches the clients whose name has all of them
    /// (through keyed blind indexes: names are never stored in clear).
    pub name: String,
    /// ISO 3166-1 alpha-2 nationality, either case.
    #[schema(pattern = "^[A-Za-z]{2}$")]
    pub nationality: Option<String>,
    pub exploitation_type: Option<ExploitationType>,
    /// Items per page, 1–200 (default 50).
    #[schema(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Most characters of the words searched for.
const MAX_SEARCH_CHARS: usize = 200;

fn with_etag(mut builder: actix_web::HttpResponseBuilder, view: ClientView) -> HttpResponse {
    builder.insert_header((header::ETAG, clients::etag(&view.row)));
    builder.json(ClientOut::from(view))
}

/// Registers a client and opens their first case (stage `signalled`) with you as its lead.
#[utoipa::path(
    tag = "clients",
    operation_id = "create_client",
    request_body = ClientIn,
    responses(
        (status = 201, description = "Registered", body = ClientCreatedOut, headers(("Location" = String, description = "The new client"))),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/clients")]
pub async fn create_client(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<ClientIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let body = body.into_inner();
    let created = clients::create(
        &state.db,
        &state.master_key,
        scope,
        body.details,
        body.reason.as_deref(),
    )
    .await?;
    let id = created.view.row.id;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/clients/{id}")))
        .insert_header((header::ETAG, clients::etag(&created.view.row)))
        .insert_header(("Cache-Control", "no-store"))
        .json(ClientCreatedOut {
            client: ClientOut::from(created.view),
            case_id: created.case_id,
            possible_duplicates: created.possible_duplicates,
        }))
}

/// The clients whose cases you may see, without identities.
#[utoipa::path(
    tag = "clients",
    operation_id = "list_clients",
    params(ClientQuery),
    responses(
        (status = 200, description = "A page of clients", body = ClientPage),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/clients")]
pub async fn list_clients(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<ClientQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let query = query.into_inner();
    let filter = ClientFilter {
        name: None,
        nationality: country_filter("nationality", query.nationality)?,
        exploitation_type: query.exploitation_type,
        after: id_cursor(query.cursor.as_deref())?,
        limit: page_limit(query.limit)?,
    };
    client_page(&state, scope, &filter).await
}

/// The clients whose cases you may see and whose name has all the words, without identities.
#[utoipa::path(
    tag = "clients",
    operation_id = "search_clients",
    request_body = ClientSearchIn,
    responses(
        (status = 200, description = "A page of clients", body = ClientPage),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/clients/search")]
pub async fn search_clients(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<ClientSearchIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let body = body.into_inner();
    let words = body.name.trim();
    if words.is_empty() || words.chars().count() > MAX_SEARCH_CHARS {
        return Err(DomainError::invalid(
            "name",
            format!("must be 1 to {MAX_SEARCH_CHARS} characters"),
        )
        .into());
    }
    let filter = ClientFilter {
        name: Some(words.to_owned()),
        nationality: country_code("nationality", body.nationality)
            .map_err(|err| ApiError::Validation(vec![err]))?,
        exploitation_type: body.exploitation_type,
        after: id_cursor(body.cursor.as_deref())?,
        limit: page_limit(body.limit).map_err(|_| ApiError::Validation(vec![limit_error()]))?,
    };
    client_page(&state, scope, &filter).await
}

async fn client_page(
    state: &AppState,
    scope: &TenantScope,
    filter: &ClientFilter,
) -> Result<HttpResponse, ApiError> {
    let items = clients::list(&state.db, &state.master_key, scope, filter).await?;
    let next = next_cursor(&items, filter.limit, |c| c.row.id.to_string());
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(ClientPage {
            items: items.into_iter().map(ClientSummary::from).collect(),
            next_cursor: next,
        }))
}

/// One client. The identity is included (and the reading recorded in the audit log) when your
/// role may read identities.
#[utoipa::path(
    tag = "clients",
    operation_id = "get_client",
    params(("id" = Uuid, Path, description = "Client id")),
    responses(
        (status = 200, description = "The client", body = ClientOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 404, description = "No such client among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/clients/{id}")]
pub async fn get_client(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = clients::get(&state.db, &state.master_key, scope, id.into_inner()).await?;
    let mut builder = HttpResponse::Ok();
    builder.insert_header(("Cache-Control", "no-store"));
    Ok(with_etag(builder, view))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"details": {"identity": {"used_name": "Ana"}, "gender": "female", "trafficking_status": "actual",
    "status_decided_by": "court_or_prosecution", "nationality": "RO", "languages": ["ro"]}}))]
pub struct ClientUpdateIn {
    /// The full details; what is left out is cleared.
    pub details: ClientDetails,
}

/// Replaces a client's details. Requires `If-Match` with the client's `ETag`.
#[utoipa::path(
    tag = "clients",
    operation_id = "update_client",
    params(
        ("id" = Uuid, Path, description = "Client id"),
        ("If-Match" = String, Header, description = "The ETag read with the client"),
    ),
    request_body = ClientUpdateIn,
    responses(
        (status = 200, description = "Updated", body = ClientOut),
        (status = 403, description = "Your role may not change identities", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`client_erased`: the client's data was erased", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/clients/{id}")]
pub async fn update_client(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<ClientUpdateIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let if_match = if_match(&req);
    let view = clients::update(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        body.into_inner().details,
        if_match,
    )
    .await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}
