//! Cases: one assistance episode of a client, moving through guarded stages
//! (`signalled → intake → reflection → assistance → follow_up → closed`), every move recorded.
//!
//! Need to know: a user with `cases.read_all` (tenant administrators) sees every case; a user
//! with `cases.work` (case workers, shelter managers) sees the cases whose team they are on,
//! and with `cases.in_my_shelters` (shelter managers) also those placed in the shelters they
//! are assigned to; everyone else sees none (shelter staff see residents' operational data
//! only, through [`crate::placements::residents`]). A client is visible when one of their
//! cases is.

use crate::access::{forbidden, not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::clients;
use crate::crypto::MasterKey;
use crate::entities::{case, case_member, case_transition, client, placement, shelter_staff, user};
use crate::error::{DomainError, DomainResult};
use crate::fieldcrypt::{DataKey, FieldRef};
use crate::ids::TenantId;
use crate::tenancy::{self, TenantScope};
use crate::vocab::{ClosureReason, Stage, TeamRole};
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait as _, Order, Query, SelectStatement, SimpleExpr,
};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait as _, FromQueryResult, QueryFilter as _, QueryOrder as _,
    QuerySelect as _, QueryTrait as _, Set,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Ids of the cases the caller may see, as a sub-query.
pub(crate) fn visible_case_ids(scope: &TenantScope) -> SelectStatement {
    let tenant = *scope.tenant_id().as_uuid();
    let mut query = Query::select();
    query
        .column((case::Entity, case::Column::Id))
        .from(case::Entity)
        .and_where(case::Column::TenantId.eq(tenant));
    if scope.has(Permission::CasesReadAll) {
        // Every case of the tenant.
    } else if scope.has(Permission::CasesWork) {
        let me = *scope.user_id().as_uuid();
        let mut visible = sea_orm::Condition::any().add(
            case::Column::Id.in_subquery(
                Query::select()
                    .column(case_member::Column::CaseId)
                    .from(case_member::Entity)
                    .and_where(case_member::Column::TenantId.eq(tenant))
                    .and_where(case_member::Column::UserId.eq(me))
                    .to_owned(),
            ),
        );
        if scope.has(Permission::CasesInMyShelters) {
            // Cases with a current or planned placement in a shelter the user works at.
            visible = visible.add(
                case::Column::Id.in_subquery(
                    Query::select()
                        .column(placement::Column::CaseId)
                        .from(placement::Entity)
                        .and_where(placement::Column::TenantId.eq(tenant))
                        .and_where(placement::Column::Status.is_in(["reserved", "admitted"]))
                        .and_where(
                            placement::Column::ShelterId.in_subquery(
                                Query::select()
                                    .column(shelter_staff::Column::ShelterId)
                                    .from(shelter_staff::Entity)
                                    .and_where(shelter_staff::Column::TenantId.eq(tenant))
                                    .and_where(shelter_staff::Column::UserId.eq(me))
                                    .to_owned(),
                            ),
                        )
                        .to_owned(),
                ),
            );
        }
        query.cond_where(visible);
    } else {
        query.and_where(Expr::val(1).eq(0));
    }
    query
}

/// The condition that a query of cases keeps only those the caller may see. Every query of
/// cases is already confined to the tenant (`case::Entity::scoped`, and row-level security on
/// PostgreSQL), so for a caller with `cases.read_all` nothing is added: a page of a large
/// organisation then reads just its own rows instead of every case id of the organisation
/// first.
fn only_visible(scope: &TenantScope) -> Condition {
    if scope.has(Permission::CasesReadAll) {
        Condition::all()
    } else {
        Condition::all().add(case::Column::Id.in_subquery(visible_case_ids(scope)))
    }
}

/// The condition that a tenant-owned row's case (`column`, a case id) is one the caller may
/// see. Every such row's case id names a case of the same tenant (a foreign key over tenant and
/// case), and the query is already confined to the tenant, so for a caller with
/// `cases.read_all` only rows without a case are left out, with no look-up of the
/// organisation's case ids.
pub(crate) fn case_visible<C: sea_orm::ColumnTrait>(scope: &TenantScope, column: C) -> Condition {
    if scope.has(Permission::CasesReadAll) {
        Condition::all().add(column.is_not_null())
    } else {
        Condition::all().add(column.in_subquery(visible_case_ids(scope)))
    }
}

/// Ids of the clients the caller may see, as a sub-query: the clients of the cases the caller
/// may see (through [`only_visible`], so an administrator's look-up of one client reads that
/// client's cases, not every case id of the organisation).
pub(crate) fn visible_client_ids(scope: &TenantScope) -> SelectStatement {
    Query::select()
        .column((case::Entity, case::Column::ClientId))
        .from(case::Entity)
        .and_where(case::Column::TenantId.eq(*scope.tenant_id().as_uuid()))
        .cond_where(only_visible(scope))
        .to_owned()
}

fn reason_field(tenant: TenantId, transition: Uuid) -> FieldRef<'static> {
    FieldRef {
        tenant,
        table: "case_transitions",
        row: transition,
        field: "reason",
    }
}

async fn record_transition(
    txn: &DatabaseTransaction,
    key: &DataKey,
    scope: &TenantScope,
    case_id: Uuid,
    from: Option<Stage>,
    to: Stage,
    reason: Option<&str>,
) -> DomainResult<()> {
    let tenant = scope.tenant_id();
    let id = Uuid::now_v7();
    case_transition::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        case_id: Set(case_id),
        from_stage: Set(from.map(|s| s.as_str().to_owned())),
        to_stage: Set(to.as_str().to_owned()),
        reason: Set(reason
            .map(|r| key.seal_str(&reason_field(tenant, id), r))
            .transpose()?),
        actor_id: Set(Some(*scope.user_id().as_uuid())),
        occurred_at: Set(crate::now()),
    }
    .insert(txn)
    .await?;
    Ok(())
}

fn check_reason(reason: Option<&str>) -> DomainResult<()> {
    if reason.is_some_and(|r| r.chars().count() > 2000 || r.trim().is_empty()) {
        return Err(DomainError::invalid(
            "reason",
            "must be 1 to 2000 characters",
        ));
    }
    Ok(())
}

/// Opens a case for `client_id` inside `txn`, with the caller as its lead.
pub(crate) async fn open_in(
    txn: &DatabaseTransaction,
    _master: &MasterKey,
    scope: &TenantScope,
    key: &DataKey,
    client_id: Uuid,
    reason: Option<&str>,
) -> DomainResult<Uuid> {
    check_reason(reason)?;
    let tenant = scope.tenant_id();
    let id = Uuid::now_v7();
    let now = crate::now();
    case::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        client_id: Set(client_id),
        stage: Set(Stage::Signalled.as_str().to_owned()),
        closure_reason: Set(None),
        opened_at: Set(now),
        closed_at: Set(None),
        created_by: Set(Some(*scope.user_id().as_uuid())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await?;
    case_member::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        case_id: Set(id),
        user_id: Set(*scope.user_id().as_uuid()),
        role: Set(TeamRole::Lead.as_str().to_owned()),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    record_transition(txn, key, scope, id, None, Stage::Signalled, reason).await?;
    audit::record(
        txn,
        tenant,
        Event::new("case.opened", Actor::user(scope), Outcome::Success)
            .target("case", id)
            .details(serde_json::json!({"client": client_id})),
    )
    .await?;
    Ok(id)
}

/// A case with what lists show of it.
#[derive(Clone, Debug)]
pub struct CaseView {
    pub row: case::Model,
    pub case_code: String,
    pub team: Vec<(Uuid, TeamRole)>,
}

pub(crate) async fn views<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    rows: Vec<case::Model>,
) -> DomainResult<Vec<CaseView>> {
    let codes =
        clients::case_codes(conn, tenant, rows.iter().map(|c| c.client_id).collect()).await?;
    let rows = rows
        .into_iter()
        .map(|row| CaseWithCode {
            case_code: codes.get(&row.client_id).cloned(),
            case: row,
        })
        .collect();
    with_teams(conn, tenant, rows).await
}

/// A case row with its client's case code.
#[derive(Debug, FromQueryResult)]
struct CaseWithCode {
    #[sea_orm(nested)]
    case: case::Model,
    case_code: Option<String>,
}

/// The case code of each of the cases `ids` (those of `tenant` only), in one query.
///
/// # Errors
/// Database errors.
pub(crate) async fn case_codes_of<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    ids: impl IntoIterator<Item = Uuid>,
) -> DomainResult<HashMap<Uuid, String>> {
    let ids: Vec<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let query = case::Entity::scoped(tenant)
        .select_only()
        .column(case::Column::Id)
        .filter(case::Column::Id.is_in(ids));
    Ok(with_case_code(query)
        .into_tuple::<(Uuid, Option<String>)>()
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|(case, code)| code.map(|code| (case, code)))
        .collect())
}

/// Adds the client's case code to a query of cases as the column `case_code`, so a page of
/// cases and their codes come in one round trip.
fn with_case_code(query: sea_orm::Select<case::Entity>) -> sea_orm::Select<case::Entity> {
    let code = Query::select()
        .column((client::Entity, client::Column::CaseCode))
        .from(client::Entity)
        .and_where(
            Expr::col((client::Entity, client::Column::TenantId))
                .equals((case::Entity, case::Column::TenantId)),
        )
        .and_where(
            Expr::col((client::Entity, client::Column::Id))
                .equals((case::Entity, case::Column::ClientId)),
        )
        .to_owned();
    query.column_as(
        SimpleExpr::SubQuery(None, Box::new(code.into())),
        "case_code",
    )
}

/// A case row with its client's case code and one member of its team (none when the team is
/// empty): a row of [`page_with_teams`].
#[derive(Debug, FromQueryResult)]
struct CaseWithMember {
    #[sea_orm(nested)]
    case: case::Model,
    case_code: Option<String>,
    member_id: Option<Uuid>,
    member_role: Option<String>,
}

/// Reads a page of cases (a query of cases with its order and limit), their clients' case codes
/// and their teams in one statement: the page as a sub-query, joined to its team members.
async fn page_with_teams<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    page: sea_orm::Select<case::Entity>,
) -> DomainResult<Vec<CaseView>> {
    let alias = Alias::new("page");
    let mut query = Query::select();
    query
        .column((alias.clone(), Asterisk))
        .expr_as(
            Expr::col((case_member::Entity, case_member::Column::UserId)),
            Alias::new("member_id"),
        )
        .expr_as(
            Expr::col((case_member::Entity, case_member::Column::Role)),
            Alias::new("member_role"),
        )
        .from_subquery(with_case_code(page).into_query(), alias.clone())
        .left_join(
            case_member::Entity,
            Condition::all()
                .add(
                    Expr::col((case_member::Entity, case_member::Column::TenantId))
                        .eq(*tenant.as_uuid()),
                )
                .add(
                    Expr::col((case_member::Entity, case_member::Column::CaseId))
                        .equals((alias.clone(), case::Column::Id)),
                ),
        )
        .order_by((alias, case::Column::Id), Order::Asc)
        .order_by(
            (case_member::Entity, case_member::Column::CreatedAt),
            Order::Asc,
        );
    let statement = conn.get_database_backend().build(&query);
    let rows = CaseWithMember::find_by_statement(statement)
        .all(conn)
        .await?;
    // The rows come ordered by case, so each case's members follow one another.
    let mut views: Vec<CaseView> = Vec::new();
    for row in rows {
        let member = row.member_id.map(|id| {
            let role = row
                .member_role
                .as_deref()
                .and_then(TeamRole::parse)
                .unwrap_or(TeamRole::Member);
            (id, role)
        });
        match views.last_mut() {
            Some(last) if last.row.id == row.case.id => last.team.extend(member),
            _ => views.push(CaseView {
                case_code: row.case_code.unwrap_or_default(),
                team: member.into_iter().collect(),
                row: row.case,
            }),
        }
    }
    Ok(views)
}

async fn with_teams<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    rows: Vec<CaseWithCode>,
) -> DomainResult<Vec<CaseView>> {
    let ids: Vec<Uuid> = rows.iter().map(|c| c.case.id).collect();
    let mut teams: HashMap<Uuid, Vec<(Uuid, TeamRole)>> = HashMap::new();
    for member in case_member::Entity::scoped(tenant)
        .filter(case_member::Column::CaseId.is_in(ids))
        .order_by_asc(case_member::Column::CreatedAt)
        .all(conn)
        .await?
    {
        teams.entry(member.case_id).or_default().push((
            member.user_id,
            TeamRole::parse(&member.role).unwrap_or(TeamRole::Member),
        ));
    }
    Ok(rows
        .into_iter()
        .map(|row| CaseView {
            case_code: row.case_code.unwrap_or_default(),
            team: teams.remove(&row.case.id).unwrap_or_default(),
            row: row.case,
        })
        .collect())
}

/// Opens a new case (episode) for a client the caller can see. Refused while another case of
/// the client is open.
///
/// # Errors
/// `Forbidden`; `NotFound` for an unseen client; `Conflict case_open`; database errors.
pub async fn open(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    client_id: Uuid,
    reason: Option<&str>,
) -> DomainResult<CaseView> {
    require(db, scope, Permission::CasesWork).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    if clients::visible_row(&txn, scope, client_id)
        .await?
        .is_none()
    {
        drop(txn);
        return Err(not_found(db, scope, "client", client_id).await);
    }
    let open_case = case::Entity::scoped(tenant)
        .filter(case::Column::ClientId.eq(client_id))
        .filter(case::Column::Stage.ne(Stage::Closed.as_str()))
        .one(&txn)
        .await?;
    if open_case.is_some() {
        return Err(DomainError::conflict(
            "case_open",
            "This client already has an open case; close it before opening another.",
        ));
    }
    let key = clients::client_data_key(&txn, master, tenant, client_id)
        .await?
        .ok_or_else(|| DomainError::conflict("client_erased", "This client's data was erased."))?;
    let id = open_in(&txn, master, scope, &key, client_id, reason).await?;
    let row = case::Entity::scoped(tenant)
        .filter(case::Column::Id.eq(id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut view = views(&txn, tenant, vec![row]).await?;
    txn.commit().await?;
    view.pop().ok_or(DomainError::NotFound)
}

/// Filters of the case list.
#[derive(Debug, Default, Clone)]
pub struct CaseFilter {
    pub stage: Option<Stage>,
    pub client: Option<Uuid>,
    /// Only cases whose team the caller is on.
    pub assigned_to_me: bool,
    /// Only cases with a current or planned placement in this shelter.
    pub shelter: Option<Uuid>,
    /// Only cases of clients with this nationality (ISO 3166-1 alpha-2).
    pub nationality: Option<String>,
    /// Only cases of clients with this type of exploitation.
    pub exploitation_type: Option<crate::vocab::ExploitationType>,
    /// Only cases changed at or after this time.
    pub updated_since: Option<chrono::DateTime<chrono::Utc>>,
    pub after: Option<Uuid>,
    pub limit: u64,
}

/// The cases the caller may see.
///
/// # Errors
/// `Forbidden` without `cases.work`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &CaseFilter,
) -> DomainResult<Vec<CaseView>> {
    require(db, scope, Permission::CasesWork).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let mut query = case::Entity::scoped(tenant)
        .filter(only_visible(scope))
        .order_by_asc(case::Column::Id);
    if let Some(stage) = filter.stage {
        query = query.filter(case::Column::Stage.eq(stage.as_str()));
    }
    if let Some(client) = filter.client {
        query = query.filter(case::Column::ClientId.eq(client));
    }
    if filter.assigned_to_me {
        query = query.filter(
            case::Column::Id.in_subquery(
                Query::select()
                    .column(case_member::Column::CaseId)
                    .from(case_member::Entity)
                    .and_where(case_member::Column::TenantId.eq(*tenant.as_uuid()))
                    .and_where(case_member::Column::UserId.eq(*scope.user_id().as_uuid()))
                    .to_owned(),
            ),
        );
    }
    if let Some(shelter) = filter.shelter {
        query = query.filter(
            case::Column::Id.in_subquery(
                Query::select()
                    .column(placement::Column::CaseId)
                    .from(placement::Entity)
                    .and_where(placement::Column::TenantId.eq(*tenant.as_uuid()))
                    .and_where(placement::Column::ShelterId.eq(shelter))
                    .and_where(placement::Column::Status.is_in(["reserved", "admitted"]))
                    .to_owned(),
            ),
        );
    }
    if filter.nationality.is_some() || filter.exploitation_type.is_some() {
        let mut clients = Query::select();
        clients
            .column(crate::entities::client::Column::Id)
            .from(crate::entities::client::Entity)
            .and_where(crate::entities::client::Column::TenantId.eq(*tenant.as_uuid()));
        if let Some(nationality) = &filter.nationality {
            clients.and_where(
                crate::entities::client::Column::Nationality.eq(nationality.to_ascii_uppercase()),
            );
        }
        if let Some(kind) = filter.exploitation_type {
            clients.cond_where(crate::clients::has_exploitation_type(kind));
        }
        query = query.filter(case::Column::ClientId.in_subquery(clients.to_owned()));
    }
    if let Some(since) = filter.updated_since {
        query = query.filter(case::Column::UpdatedAt.gte(since));
    }
    if let Some(after) = filter.after {
        query = query.filter(case::Column::Id.gt(after));
    }
    let result = page_with_teams(&txn, tenant, query.limit(filter.limit)).await?;
    tenancy::end_read(txn).await?;
    Ok(result)
}

/// The case `id` if the caller may see it.
///
/// # Errors
/// Database errors.
pub(crate) async fn visible_case<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<Option<case::Model>> {
    Ok(case::Entity::scoped(scope.tenant_id())
        .filter(case::Column::Id.eq(id))
        .filter(only_visible(scope))
        .one(conn)
        .await?)
}

/// One case the caller may see.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn get(db: &DatabaseConnection, scope: &TenantScope, id: Uuid) -> DomainResult<CaseView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    // The case, its case code and its team in one statement: a page of at most one case.
    let only = case::Entity::scoped(tenant)
        .filter(case::Column::Id.eq(id))
        .filter(only_visible(scope))
        .limit(1);
    let mut view = page_with_teams(&txn, tenant, only).await?;
    tenancy::end_read(txn).await?;
    match view.pop() {
        Some(view) => Ok(view),
        None => Err(not_found(db, scope, "case", id).await),
    }
}

/// The version tag of a case, for `ETag` / `If-Match`.
#[must_use]
pub fn etag(row: &case::Model) -> String {
    format!("\"{}\"", row.updated_at.timestamp_micros())
}

/// A refused move: where the case is and where it may go.
#[derive(Debug, Clone)]
pub struct IllegalTransition {
    pub from: Stage,
    pub allowed: Vec<Stage>,
}

/// Moves a case to `to`, recording who, when and why. Closing needs a closure reason.
///
/// The outer result carries errors; the inner one a refused move with where the case may go.
///
/// # Errors
/// `NotFound`; `Forbidden` without `cases.work`; `PreconditionFailed` on a stale `If-Match`;
/// `Invalid` reason.
#[allow(clippy::too_many_arguments)]
pub async fn transition(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
    to: Stage,
    reason: Option<&str>,
    closure: Option<ClosureReason>,
    if_match: Option<&str>,
) -> DomainResult<Result<CaseView, IllegalTransition>> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible_case(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "case", id).await);
    };
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    if let Some(tag) = if_match
        && tag.trim() != "*"
        && tag.trim() != etag(&row)
    {
        return Err(DomainError::PreconditionFailed);
    }
    check_reason(reason)?;
    let from = Stage::parse(&row.stage).unwrap_or(Stage::Signalled);
    if !from.next().contains(&to) {
        return Ok(Err(IllegalTransition {
            from,
            allowed: from.next().to_vec(),
        }));
    }
    match (to, closure) {
        (Stage::Closed, None) => {
            return Err(DomainError::invalid(
                "closure_reason",
                "is required to close a case",
            ));
        }
        (stage, Some(_)) if stage != Stage::Closed => {
            return Err(DomainError::invalid(
                "closure_reason",
                "is given only when closing",
            ));
        }
        _ => {}
    }
    let key = clients::client_data_key(&txn, master, tenant, row.client_id)
        .await?
        .ok_or_else(|| DomainError::conflict("client_erased", "This client's data was erased."))?;
    let now = crate::now();
    let mut model: case::ActiveModel = row.into();
    model.stage = Set(to.as_str().to_owned());
    if to == Stage::Closed {
        model.closure_reason = Set(closure.map(|c| c.as_str().to_owned()));
        model.closed_at = Set(Some(now));
    }
    model.updated_at = Set(now);
    let updated = model.update(&txn).await?;
    record_transition(&txn, &key, scope, id, Some(from), to, reason).await?;
    crate::procedures::on_stage_entered(&txn, scope, id, to).await?;
    audit::record(
        &txn,
        tenant,
        Event::new("case.transitioned", Actor::user(scope), Outcome::Success)
            .target("case", id)
            .details(serde_json::json!({"from": from.as_str(), "to": to.as_str()})),
    )
    .await?;
    let mut view = views(&txn, tenant, vec![updated]).await?;
    txn.commit().await?;
    view.pop().map(Ok).ok_or(DomainError::NotFound)
}

/// One recorded move of a case.
#[derive(Clone, Debug)]
pub struct TransitionView {
    pub id: Uuid,
    pub from: Option<Stage>,
    pub to: Stage,
    /// Opened for readers with `clients.identity_read` (reasons are case notes).
    pub reason: Option<String>,
    pub actor: Option<Uuid>,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
}

/// The moves of a case, oldest first.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn transitions(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<Vec<TransitionView>> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible_case(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "case", id).await);
    };
    let key = if scope.has(Permission::ClientIdentityRead) {
        clients::client_data_key(&txn, master, tenant, row.client_id).await?
    } else {
        None
    };
    let rows = case_transition::Entity::scoped(tenant)
        .filter(case_transition::Column::CaseId.eq(id))
        .order_by_asc(case_transition::Column::OccurredAt)
        .order_by_asc(case_transition::Column::Id)
        .all(&txn)
        .await?;
    txn.commit().await?;
    rows.into_iter()
        .map(|t| transition_view(key.as_ref(), t))
        .collect()
}

/// A stored move, its reason opened when `key` is given.
pub(crate) fn transition_view(
    key: Option<&DataKey>,
    t: case_transition::Model,
) -> DomainResult<TransitionView> {
    let tenant = TenantId::from_uuid(t.tenant_id);
    let reason = match (key, &t.reason) {
        (Some(key), Some(sealed)) => Some(key.open_str(&reason_field(tenant, t.id), sealed)?),
        _ => None,
    };
    Ok(TransitionView {
        id: t.id,
        from: t.from_stage.as_deref().and_then(Stage::parse),
        to: Stage::parse(&t.to_stage).unwrap_or(Stage::Signalled),
        reason,
        actor: t.actor_id,
        occurred_at: t.occurred_at,
    })
}

/// Puts a user of the tenant on a case's team (or changes their team role).
///
/// # Errors
/// `NotFound` for an unseen case or a user outside the tenant; `Forbidden`; database errors.
pub async fn assign(
    db: &DatabaseConnection,
    scope: &TenantScope,
    case_id: Uuid,
    user_id: Uuid,
    role: TeamRole,
) -> DomainResult<CaseView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible_case(&txn, scope, case_id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "case", case_id).await);
    };
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    let member = user::Entity::scoped(tenant)
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::Status.ne("deactivated"))
        .one(&txn)
        .await?;
    if member.is_none() {
        drop(txn);
        return Err(not_found(db, scope, "user", user_id).await);
    }
    case_member::Entity::delete_many()
        .filter(case_member::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(case_member::Column::CaseId.eq(case_id))
        .filter(case_member::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    case_member::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        case_id: Set(case_id),
        user_id: Set(user_id),
        role: Set(role.as_str().to_owned()),
        created_at: Set(crate::now()),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        tenant,
        Event::new("case.member_assigned", Actor::user(scope), Outcome::Success)
            .target("case", case_id)
            .details(serde_json::json!({"user": user_id, "role": role.as_str()})),
    )
    .await?;
    let mut view = views(&txn, tenant, vec![row]).await?;
    txn.commit().await?;
    view.pop().ok_or(DomainError::NotFound)
}

/// Takes a user off a case's team. The last member cannot be removed.
///
/// # Errors
/// `NotFound`; `Forbidden`; `Conflict last_member`; database errors.
pub async fn unassign(
    db: &DatabaseConnection,
    scope: &TenantScope,
    case_id: Uuid,
    user_id: Uuid,
) -> DomainResult<()> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    if visible_case(&txn, scope, case_id).await?.is_none() {
        drop(txn);
        return Err(not_found(db, scope, "case", case_id).await);
    }
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    let members = case_member::Entity::scoped(tenant)
        .filter(case_member::Column::CaseId.eq(case_id))
        .all(&txn)
        .await?;
    if !members.iter().any(|m| m.user_id == user_id) {
        drop(txn);
        return Err(not_found(db, scope, "case_member", user_id).await);
    }
    if members.len() == 1 {
        return Err(DomainError::conflict(
            "last_member",
            "A case keeps at least one team member.",
        ));
    }
    case_member::Entity::delete_many()
        .filter(case_member::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(case_member::Column::CaseId.eq(case_id))
        .filter(case_member::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        tenant,
        Event::new("case.member_removed", Actor::user(scope), Outcome::Success)
            .target("case", case_id)
            .details(serde_json::json!({"user": user_id})),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
