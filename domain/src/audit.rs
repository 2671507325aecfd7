//! The audit log: append-only events per tenant, hash-chained afterwards.
//!
//! A request writes its events in its own transaction, so none is lost and no request waits
//! for another. A background linker then chains each tenant's new events in order (one linker
//! per tenant at a time, by a database lock), writing to the insert-only `audit_chain` table.
//! `verify` recomputes a tenant's chain and names the first broken link.

use crate::context;
use crate::entities::{audit_chain, audit_event};
use crate::ids::TenantId;
use crate::tenancy::{PlatformContext, TenantScope, begin_scoped};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{
    Alias, Asterisk, CommonTableExpression, Expr, ExprTrait as _, Query, SelectStatement,
    WithClause,
};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    DbErr, EntityTrait as _, FromQueryResult, IntoActiveModel as _, Iterable as _, ModelTrait as _,
    PaginatorTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _, Set, Statement,
};
use sha2::{Digest as _, Sha256};
use uuid::Uuid;

/// The hash before the first link.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Events chained per linker pass; a pass that chains this many may have left more.
pub const LINK_BATCH: u64 = 500;

/// Who did it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    kind: &'static str,
    id: Option<Uuid>,
}

impl Actor {
    #[must_use]
    pub fn user(scope: &TenantScope) -> Self {
        Self {
            kind: "user",
            id: Some(*scope.user_id().as_uuid()),
        }
    }

    #[must_use]
    pub fn user_id(id: Uuid) -> Self {
        Self {
            kind: "user",
            id: Some(id),
        }
    }

    #[must_use]
    pub fn platform(ctx: &PlatformContext) -> Self {
        Self {
            kind: "platform_admin",
            id: Some(ctx.admin_id()),
        }
    }

    #[must_use]
    pub fn system() -> Self {
        Self {
            kind: "system",
            id: None,
        }
    }

    #[must_use]
    pub fn anonymous() -> Self {
        Self {
            kind: "anonymous",
            id: None,
        }
    }
}

/// How it ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
    Denied,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

/// One event to record. `details` must hold no personal data (ids, codes and counts only).
#[derive(Clone, Debug)]
pub struct Event {
    pub action: &'static str,
    pub actor: Actor,
    pub target: Option<(&'static str, Uuid)>,
    pub outcome: Outcome,
    pub details: serde_json::Value,
}

impl Event {
    #[must_use]
    pub fn new(action: &'static str, actor: Actor, outcome: Outcome) -> Self {
        Self {
            action,
            actor,
            target: None,
            outcome,
            details: serde_json::Value::Object(serde_json::Map::new()),
        }
    }

    #[must_use]
    pub fn target(mut self, kind: &'static str, id: Uuid) -> Self {
        self.target = Some((kind, id));
        self
    }

    #[must_use]
    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

/// Writes `event` for `tenant` on `conn` — the caller's transaction, so it commits (or not)
/// with the work it describes.
///
/// # Errors
/// Any database error.
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    event: Event,
) -> Result<Uuid, DbErr> {
    let row = new_row(tenant, event);
    let id = row.id;
    row.into_active_model().insert(conn).await?;
    written::mark(tenant);
    Ok(id)
}

/// Reads at most one row with `read` and, when it finds one, records `event` for `tenant`, on
/// `conn` — the caller's transaction, as with [`record`].
///
/// On PostgreSQL the read and the insert are one statement (the insert is a data-modifying
/// common table expression that runs only when the read found the row), so reading audited
/// data costs no round trip more than reading it. SQLite has no such expressions: there the
/// event is inserted after the read.
///
/// # Errors
/// Any database error.
pub(crate) async fn read_recorded<C, M>(
    conn: &C,
    tenant: TenantId,
    read: SelectStatement,
    event: Event,
) -> Result<Option<M>, DbErr>
where
    C: ConnectionTrait,
    M: FromQueryResult,
{
    let backend = conn.get_database_backend();
    if backend != DatabaseBackend::Postgres {
        let found = M::find_by_statement(backend.build(&read)).one(conn).await?;
        if found.is_some() {
            record(conn, tenant, event).await?;
        }
        return Ok(found);
    }
    let found_name = Alias::new("audited_read");
    let row = new_row(tenant, event);
    let values: Vec<Expr> = audit_event::Column::iter()
        .map(|column| Expr::val(row.get(column)))
        .collect();
    let insert = Query::insert()
        .into_table(audit_event::Entity)
        .columns(audit_event::Column::iter())
        .select_from(
            Query::select()
                .exprs(values)
                .and_where(Expr::exists(
                    Query::select()
                        .expr(Expr::val(1))
                        .from(found_name.clone())
                        .to_owned(),
                ))
                .to_owned(),
        )
        .map_err(|err| DbErr::Custom(format!("audited read: {err}")))?
        .to_owned();
    let with = WithClause::new()
        .cte(
            CommonTableExpression::new()
                .query(read)
                .table_name(found_name.clone())
                .to_owned(),
        )
        .cte(
            CommonTableExpression::new()
                .query(insert)
                .table_name(Alias::new("audit_write"))
                .to_owned(),
        )
        .to_owned();
    let query = Query::select()
        .column(Asterisk)
        .from(found_name)
        .to_owned()
        .with(with);
    let found = M::find_by_statement(backend.build(&query))
        .one(conn)
        .await?;
    if found.is_some() {
        written::mark(tenant);
    }
    Ok(found)
}

/// The row `event` becomes: a new id, the time and the request it belongs to.
fn new_row(tenant: TenantId, event: Event) -> audit_event::Model {
    audit_event::Model {
        tenant_id: *tenant.as_uuid(),
        id: Uuid::now_v7(),
        occurred_at: crate::now(),
        actor_kind: event.actor.kind.to_owned(),
        actor_id: event.actor.id,
        action: event.action.to_owned(),
        target_type: event.target.map(|(kind, _)| kind.to_owned()),
        target_id: event.target.map(|(_, id)| id),
        outcome: event.outcome.as_str().to_owned(),
        request_id: context::request_id(),
        details: event.details.to_string(),
    }
}

/// The tenants this process wrote audit events for lately, so that the linker visits those
/// every interval and the others only on its periodic full sweep.
pub mod written {
    use crate::ids::TenantId;
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex, PoisonError};
    use std::time::{Duration, Instant};

    /// How long after its last event a tenant is still visited every interval: long enough
    /// for the transaction that wrote the event to commit.
    const GRACE: Duration = Duration::from_secs(30);

    static LATELY: LazyLock<Mutex<HashMap<TenantId, Instant>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));

    pub(crate) fn mark(tenant: TenantId) {
        LATELY
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(tenant, Instant::now());
    }

    /// The tenants with an event written within [`GRACE`]; older marks are forgotten.
    #[must_use]
    pub fn lately() -> Vec<TenantId> {
        let mut lately = LATELY.lock().unwrap_or_else(PoisonError::into_inner);
        lately.retain(|_, at| at.elapsed() < GRACE);
        lately.keys().copied().collect()
    }
}

/// Records `event` in a transaction of its own (for events whose request fails or writes
/// nothing else, such as a refused login).
///
/// # Errors
/// Any database error.
pub async fn record_alone(
    db: &DatabaseConnection,
    tenant: TenantId,
    event: Event,
) -> Result<Uuid, DbErr> {
    let txn = begin_scoped(db, tenant).await?;
    let id = record(&txn, tenant, event).await?;
    txn.commit().await?;
    Ok(id)
}

fn canonical(position: i64, event: &audit_event::Model) -> String {
    fn opt<T: ToString>(v: Option<T>) -> String {
        v.map(|v| v.to_string()).unwrap_or_default()
    }
    format!(
        "{position}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
        event.tenant_id,
        event.id,
        event.occurred_at.timestamp_micros(),
        event.actor_kind,
        opt(event.actor_id),
        event.action,
        opt(event.target_type.as_ref()),
        opt(event.target_id),
        event.outcome,
        opt(event.request_id.as_ref()),
        event.details,
    )
}

fn link_hash(prev: &str, position: i64, event: &audit_event::Model) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev.as_bytes());
    hasher.update(b"\n");
    hasher.update(canonical(position, event).as_bytes());
    hex::encode(hasher.finalize())
}

static SQLITE_LINK_LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Chains `tenant`'s unlinked events, up to [`LINK_BATCH`]; returns how many were linked.
///
/// Looks at every event of the tenant, so its cost grows with the tenant's history: the
/// linker runs it on its periodic full sweep, for events whose transaction committed after a
/// later event had been chained. [`link_new`] is the cheap pass for every interval.
///
/// # Errors
/// Any database error.
pub async fn link_pending(db: &DatabaseConnection, tenant: TenantId) -> Result<usize, DbErr> {
    link(db, tenant, Pass::Every).await
}

/// Chains `tenant`'s events that follow its last chained event in time, up to
/// [`LINK_BATCH`]; returns how many were linked. Its cost follows the batch, not the history.
///
/// # Errors
/// Any database error.
pub async fn link_new(db: &DatabaseConnection, tenant: TenantId) -> Result<usize, DbErr> {
    link(db, tenant, Pass::AfterLast).await
}

#[derive(Clone, Copy)]
enum Pass {
    /// Every event not in the chain.
    Every,
    /// Events after the last chained one, in the order the chain takes them.
    AfterLast,
}

async fn link(db: &DatabaseConnection, tenant: TenantId, pass: Pass) -> Result<usize, DbErr> {
    let _local = if db.get_database_backend() == DatabaseBackend::Postgres {
        None
    } else {
        Some(SQLITE_LINK_LOCK.lock().await)
    };
    let txn = begin_scoped(db, tenant).await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            [format!("haven:audit-chain:{tenant}").into()],
        ))
        .await?;
    }
    let last = audit_chain::Entity::scoped(tenant)
        .order_by_desc(audit_chain::Column::Position)
        .one(&txn)
        .await?;
    let pending = audit_event::Entity::scoped(tenant)
        .order_by_asc(audit_event::Column::OccurredAt)
        .order_by_asc(audit_event::Column::Id)
        .limit(LINK_BATCH);
    let pending = match (pass, &last) {
        (Pass::AfterLast, Some(last)) => {
            let Some(newest) = audit_event::Entity::scoped(tenant)
                .filter(audit_event::Column::Id.eq(last.event_id))
                .one(&txn)
                .await?
            else {
                return Err(DbErr::RecordNotFound("the last chained audit event".into()));
            };
            // (occurred_at, id) after the last chained event's, in a form the
            // (tenant, occurred_at) index serves. When the full sweep chained a late event
            // last, events after it may be chained already; those are skipped.
            let chained = Query::select()
                .expr(Expr::val(1))
                .from(audit_chain::Entity)
                .and_where(
                    Expr::col((audit_chain::Entity, audit_chain::Column::TenantId))
                        .eq(*tenant.as_uuid()),
                )
                .and_where(
                    Expr::col((audit_chain::Entity, audit_chain::Column::EventId))
                        .equals((audit_event::Entity, audit_event::Column::Id)),
                )
                .to_owned();
            pending
                .filter(
                    audit_event::Column::OccurredAt.gte(newest.occurred_at).and(
                        audit_event::Column::OccurredAt
                            .gt(newest.occurred_at)
                            .or(audit_event::Column::Id.gt(newest.id)),
                    ),
                )
                .filter(Expr::exists(chained).not())
        }
        _ => pending.filter(
            audit_event::Column::Id.not_in_subquery(
                Query::select()
                    .column(audit_chain::Column::EventId)
                    .from(audit_chain::Entity)
                    .and_where(audit_chain::Column::TenantId.eq(*tenant.as_uuid()))
                    .to_owned(),
            ),
        ),
    }
    .all(&txn)
    .await?;
    let (mut position, mut prev) = last.map_or((0, GENESIS.to_owned()), |l| (l.position, l.hash));
    let linked = pending.len();
    let now = crate::now();
    let mut links = Vec::with_capacity(linked);
    for event in pending {
        position += 1;
        let hash = link_hash(&prev, position, &event);
        links.push(audit_chain::ActiveModel {
            tenant_id: Set(*tenant.as_uuid()),
            position: Set(position),
            event_id: Set(event.id),
            prev_hash: Set(std::mem::replace(&mut prev, hash.clone())),
            hash: Set(hash),
            linked_at: Set(now),
        });
    }
    // One statement per batch of links: six values each, well inside both databases' limits.
    if !links.is_empty() {
        audit_chain::Entity::insert_many(links).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(linked)
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Links checked.
    pub linked: u64,
    /// Events not chained yet.
    pub unlinked: u64,
    /// The first link that does not hold, with the reason.
    pub first_broken: Option<(i64, String)>,
}

/// Recomputes `tenant`'s chain from the start.
///
/// # Errors
/// Any database error.
pub async fn verify(db: &DatabaseConnection, tenant: TenantId) -> Result<VerifyReport, DbErr> {
    let txn = begin_scoped(db, tenant).await?;
    let mut prev = GENESIS.to_owned();
    let mut expected_position = 0;
    let mut linked = 0;
    let mut after = 0i64;
    loop {
        let links = audit_chain::Entity::scoped(tenant)
            .filter(audit_chain::Column::Position.gt(after))
            .order_by_asc(audit_chain::Column::Position)
            .limit(1000)
            .all(&txn)
            .await?;
        if links.is_empty() {
            break;
        }
        let ids: Vec<Uuid> = links.iter().map(|l| l.event_id).collect();
        let events: std::collections::HashMap<Uuid, audit_event::Model> =
            audit_event::Entity::scoped(tenant)
                .filter(audit_event::Column::Id.is_in(ids))
                .all(&txn)
                .await?
                .into_iter()
                .map(|e| (e.id, e))
                .collect();
        for link in links {
            expected_position += 1;
            after = link.position;
            let broken = if link.position != expected_position {
                Some(format!(
                    "position {} follows {}",
                    link.position,
                    expected_position - 1
                ))
            } else if link.prev_hash != prev {
                Some("its previous hash does not match the link before it".to_owned())
            } else {
                match events.get(&link.event_id) {
                    None => Some("its event is missing".to_owned()),
                    Some(event) if link_hash(&prev, link.position, event) != link.hash => {
                        Some("its event was altered after it was linked".to_owned())
                    }
                    Some(_) => None,
                }
            };
            if let Some(reason) = broken {
                let unlinked = unlinked_count(&txn, tenant).await?;
                return Ok(VerifyReport {
                    linked,
                    unlinked,
                    first_broken: Some((link.position, reason)),
                });
            }
            linked += 1;
            prev = link.hash;
        }
    }
    let unlinked = unlinked_count(&txn, tenant).await?;
    txn.commit().await?;
    Ok(VerifyReport {
        linked,
        unlinked,
        first_broken: None,
    })
}

async fn unlinked_count<C: ConnectionTrait>(conn: &C, tenant: TenantId) -> Result<u64, DbErr> {
    audit_event::Entity::scoped(tenant)
        .filter(
            audit_event::Column::Id.not_in_subquery(
                Query::select()
                    .column(audit_chain::Column::EventId)
                    .from(audit_chain::Entity)
                    .and_where(audit_chain::Column::TenantId.eq(*tenant.as_uuid()))
                    .to_owned(),
            ),
        )
        .count(conn)
        .await
}

/// One page of a tenant's audit log.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub actor: Option<Uuid>,
    pub action: Option<String>,
    /// Only events about this kind of record (`client`, `case`, …).
    pub target_type: Option<String>,
    /// Only events about this record.
    pub target_id: Option<Uuid>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Events older than this id (ids are time-ordered): the cursor.
    pub before: Option<Uuid>,
    pub limit: u64,
}

/// Records that the caller exports the audit log (with the filters, which hold no personal
/// data). Requires the `audit.read` permission; a refusal is audited.
///
/// # Errors
/// Forbidden without the permission; any database error.
pub async fn record_export(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &ListFilter,
) -> crate::error::DomainResult<()> {
    crate::access::require(db, scope, crate::authz::Permission::AuditRead).await?;
    record_alone(
        db,
        scope.tenant_id(),
        Event::new("audit.exported", Actor::user(scope), Outcome::Success).details(
            serde_json::json!({
                "actor": filter.actor,
                "action": filter.action,
                "target_type": filter.target_type,
                "target_id": filter.target_id,
                "from": filter.from,
                "to": filter.to,
            }),
        ),
    )
    .await?;
    Ok(())
}

/// An event with its place in the chain, when linked.
#[derive(Debug, Clone)]
pub struct Listed {
    pub event: audit_event::Model,
    pub link: Option<audit_chain::Model>,
}

/// The newest events first, filtered. Requires the `audit.read` permission.
///
/// # Errors
/// Forbidden without the permission; any database error.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &ListFilter,
) -> crate::error::DomainResult<Vec<Listed>> {
    scope.require(crate::authz::Permission::AuditRead)?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let mut query = audit_event::Entity::scoped(tenant);
    if let Some(actor) = filter.actor {
        query = query.filter(audit_event::Column::ActorId.eq(actor));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_event::Column::Action.eq(action.clone()));
    }
    if let Some(kind) = &filter.target_type {
        query = query.filter(audit_event::Column::TargetType.eq(kind.clone()));
    }
    if let Some(target) = filter.target_id {
        query = query.filter(audit_event::Column::TargetId.eq(target));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_event::Column::OccurredAt.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_event::Column::OccurredAt.lt(to));
    }
    if let Some(before) = filter.before {
        query = query.filter(audit_event::Column::Id.lt(before));
    }
    let events = query
        .order_by_desc(audit_event::Column::Id)
        .limit(filter.limit)
        .all(&txn)
        .await?;
    let ids: Vec<Uuid> = events.iter().map(|e| e.id).collect();
    let mut links: std::collections::HashMap<Uuid, audit_chain::Model> =
        audit_chain::Entity::scoped(tenant)
            .filter(audit_chain::Column::EventId.is_in(ids))
            .all(&txn)
            .await?
            .into_iter()
            .map(|l| (l.event_id, l))
            .collect();
    txn.commit().await?;
    Ok(events
        .into_iter()
        .map(|event| {
            let link = links.remove(&event.id);
            Listed { event, link }
        })
        .collect())
}
