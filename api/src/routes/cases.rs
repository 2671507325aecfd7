//! Cases: episodes of assistance, their stages, transitions and teams.

use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};
use crate::routes::common::{country_filter, id_cursor, if_match, next_cursor, page_limit};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use haven_domain::cases::{self, CaseFilter, CaseView, TransitionView};
use haven_domain::vocab::{ClosureReason, Stage, TeamRole};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A member of a case team.
#[derive(Serialize, ToSchema)]
pub struct TeamMemberOut {
    /// The user's id.
    pub id: Uuid,
    pub role: TeamRole,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b", "client_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00",
    "case_code": "BE-2026-0042", "stage": "reflection", "closure_reason": null, "opened_at": "2026-11-28T10:00:00Z",
    "closed_at": null, "team": [{"id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11", "role": "lead"}],
    "updated_at": "2026-11-28T10:00:00Z"}))]
pub struct CaseOut {
    pub id: Uuid,
    pub client_id: Uuid,
    pub case_code: String,
    pub stage: Stage,
    pub closure_reason: Option<ClosureReason>,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub team: Vec<TeamMemberOut>,
    pub updated_at: DateTime<Utc>,
}

impl From<CaseView> for CaseOut {
    fn from(v: CaseView) -> Self {
        Self {
            id: v.row.id,
            client_id: v.row.client_id,
            case_code: v.case_code,
            stage: Stage::parse(&v.row.stage).unwrap_or(Stage::Signalled),
            closure_reason: v
                .row
                .closure_reason
                .as_deref()
                .and_then(ClosureReason::parse),
            opened_at: v.row.opened_at,
            closed_at: v.row.closed_at,
            team: v
                .team
                .into_iter()
                .map(|(id, role)| TeamMemberOut { id, role })
                .collect(),
            updated_at: v.row.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CasePage {
    pub items: Vec<CaseOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub stage: Option<Stage>,
    pub client_id: Option<Uuid>,
    /// Only cases whose team you are on.
    pub assigned_to_me: Option<bool>,
    /// Only cases with a current or planned placement in this shelter.
    pub shelter_id: Option<Uuid>,
    /// Only cases of clients with this nationality (ISO 3166-1 alpha-2, either case).
    #[param(pattern = "^[A-Za-z]{2}$")]
    pub nationality: Option<String>,
    /// Only cases of clients with this type of exploitation.
    pub exploitation_type: Option<haven_domain::vocab::ExploitationType>,
    /// Only cases changed at or after this time (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"client_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00", "reason": "Came back after a relapse."}))]
pub struct CaseIn {
    pub client_id: Uuid,
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"to": "reflection", "reason": "Presumed victim after the identification interview."}))]
pub struct TransitionIn {
    /// The stage to move to.
    pub to: Stage,
    /// Why (sealed; shown to the case team).
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
    /// Required when `to` is `closed`, refused otherwise.
    pub closure_reason: Option<ClosureReason>,
}

#[derive(Serialize, ToSchema)]
pub struct TransitionOut {
    pub id: Uuid,
    /// Absent for the opening of the case.
    pub from: Option<Stage>,
    pub to: Stage,
    /// Shown to roles that may read case notes.
    pub reason: Option<String>,
    /// Who made the move.
    pub actor_id: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
}

impl From<TransitionView> for TransitionOut {
    fn from(t: TransitionView) -> Self {
        Self {
            id: t.id,
            from: t.from,
            to: t.to,
            reason: t.reason,
            actor_id: t.actor,
            occurred_at: t.occurred_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TransitionPage {
    pub items: Vec<TransitionOut>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a11", "role": "member"}))]
pub struct TeamMemberIn {
    pub user_id: Uuid,
    pub role: TeamRole,
}

fn with_etag(mut builder: actix_web::HttpResponseBuilder, view: CaseView) -> HttpResponse {
    builder.insert_header((header::ETAG, cases::etag(&view.row)));
    builder.json(CaseOut::from(view))
}

/// Opens a new case (assistance episode) for a client whose earlier cases are closed.
#[utoipa::path(
    tag = "cases",
    operation_id = "create_case",
    request_body = CaseIn,
    responses(
        (status = 201, description = "Opened", body = CaseOut, headers(("Location" = String, description = "The new case"))),
        (status = 404, description = "No such client among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The client has an open case", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/cases")]
pub async fn create_case(
    auth: Authenticated,
    state: web::Data<AppState>,
    body: web::Json<CaseIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = cases::open(
        &state.db,
        &state.master_key,
        scope,
        body.client_id,
        body.reason.as_deref(),
    )
    .await?;
    let mut builder = HttpResponse::Created();
    builder.insert_header(("Location", format!("/api/v1/cases/{}", view.row.id)));
    Ok(with_etag(builder, view))
}

/// The cases you may see: all of them with `cases.read_all`, otherwise those whose team you
/// are on.
#[utoipa::path(
    tag = "cases",
    operation_id = "list_cases",
    params(CaseQuery),
    responses(
        (status = 200, description = "A page of cases", body = CasePage),
        (status = 403, description = "Missing `cases.work`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases")]
pub async fn list_cases(
    auth: Authenticated,
    state: web::Data<AppState>,
    query: web::Query<CaseQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let limit = page_limit(query.limit)?;
    let filter = CaseFilter {
        stage: query.stage,
        client: query.client_id,
        assigned_to_me: query.assigned_to_me.unwrap_or(false),
        shelter: query.shelter_id,
        nationality: country_filter("nationality", query.nationality.clone())?,
        exploitation_type: query.exploitation_type,
        updated_since: query.updated_since,
        after: id_cursor(query.cursor.as_deref())?,
        limit,
    };
    let items = cases::list(&state.db, scope, &filter).await?;
    let next = next_cursor(&items, limit, |c| c.row.id.to_string());
    Ok(HttpResponse::Ok().json(CasePage {
        items: items.into_iter().map(CaseOut::from).collect(),
        next_cursor: next,
    }))
}

/// One case.
#[utoipa::path(
    tag = "cases",
    operation_id = "get_case",
    params(("id" = Uuid, Path, description = "Case id")),
    responses(
        (status = 200, description = "The case", body = CaseOut, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases/{id}")]
pub async fn get_case(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = cases::get(&state.db, scope, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// Moves a case to another stage. Illegal moves are refused with the stages allowed from
/// where the case is. `If-Match` is honoured when sent.
#[utoipa::path(
    tag = "cases",
    operation_id = "transition_case",
    params(
        ("id" = Uuid, Path, description = "Case id"),
        ("If-Match" = Option<String>, Header, description = "The ETag read with the case"),
    ),
    request_body = TransitionIn,
    responses(
        (status = 200, description = "Moved", body = CaseOut),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed from the current stage; `allowed` lists where it may go", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid input", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/cases/{id}/transitions")]
pub async fn transition_case(
    auth: Authenticated,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<TransitionIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let body = body.into_inner();
    let if_match = if_match(&req);
    let outcome = cases::transition(
        &state.db,
        &state.master_key,
        scope,
        id.into_inner(),
        body.to,
        body.reason.as_deref(),
        body.closure_reason,
        if_match,
    )
    .await?;
    match outcome {
        Ok(view) => Ok(with_etag(HttpResponse::Ok(), view)),
        Err(illegal) => Err(ApiError::IllegalTransition {
            from: illegal.from.as_str().to_owned(),
            allowed: illegal
                .allowed
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
        }),
    }
}

/// Every move of a case, oldest first.
#[utoipa::path(
    tag = "cases",
    operation_id = "list_case_transitions",
    params(("id" = Uuid, Path, description = "Case id")),
    responses(
        (status = 200, description = "The transitions", body = TransitionPage),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases/{id}/transitions")]
pub async fn list_transitions(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let items = cases::transitions(&state.db, &state.master_key, scope, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(TransitionPage {
        items: items.into_iter().map(TransitionOut::from).collect(),
        next_cursor: None,
    }))
}

/// Puts a user on the case team, or changes their team role.
#[utoipa::path(
    tag = "cases",
    operation_id = "assign_case_member",
    params(("id" = Uuid, Path, description = "Case id")),
    request_body = TeamMemberIn,
    responses(
        (status = 200, description = "The case with its team", body = CaseOut),
        (status = 404, description = "No such case, or no such user in this organisation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/cases/{id}/team")]
pub async fn assign_member(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<TeamMemberIn>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = cases::assign(&state.db, scope, id.into_inner(), body.user_id, body.role).await?;
    Ok(with_etag(HttpResponse::Ok(), view))
}

/// The case team.
#[utoipa::path(
    tag = "cases",
    operation_id = "list_case_team",
    params(("id" = Uuid, Path, description = "Case id")),
    responses(
        (status = 200, description = "The team", body = TeamPage),
        (status = 404, description = "No such case among those you may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cases/{id}/team")]
pub async fn list_team(
    auth: Authenticated,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let view = cases::get(&state.db, scope, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(TeamPage {
        items: view
            .team
            .into_iter()
            .map(|(id, role)| TeamMemberOut { id, role })
            .collect(),
        next_cursor: None,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct TeamPage {
    pub items: Vec<TeamMemberOut>,
    pub next_cursor: Option<String>,
}

/// Takes a user off the case team (a case keeps at least one member).
#[utoipa::path(
    tag = "cases",
    operation_id = "remove_case_member",
    params(
        ("id" = Uuid, Path, description = "Case id"),
        ("user_id" = Uuid, Path, description = "The member's user id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such case or member", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The last member stays", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/cases/{id}/team/{user_id}")]
pub async fn remove_member(
    auth: Authenticated,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let scope = auth.tenant()?;
    let (case_id, user_id) = path.into_inner();
    cases::unassign(&state.db, scope, case_id, user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
