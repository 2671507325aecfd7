//! Deadlines of the cases a caller may see: an agenda across cases, and per case.

use crate::access::{forbidden, not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::cases::case_visible;
use crate::entities::deadline;
use crate::error::DomainResult;
use crate::tenancy::TenantScope;
use crate::vocab::DeadlineStatus;
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, QueryFilter as _, QueryOrder as _,
    QuerySelect as _, Set,
};
use uuid::Uuid;

pub mod notices;

/// Filters of the deadline list.
#[derive(Debug, Default, Clone)]
pub struct DeadlineFilter {
    pub case: Option<Uuid>,
    /// Only deadlines in this status; all of them when `None`.
    pub status: Option<DeadlineStatus>,
    pub due_before: Option<NaiveDate>,
    pub due_after: Option<NaiveDate>,
    /// Deadlines after this one (ordered by due date, then id).
    pub after: Option<(NaiveDate, Uuid)>,
    pub limit: u64,
}

/// Deadlines of visible cases, soonest first.
///
/// # Errors
/// `Forbidden` without `cases.work`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &DeadlineFilter,
) -> DomainResult<Vec<deadline::Model>> {
    require(db, scope, Permission::CasesWork).await?;
    let txn = scope.begin(db).await?;
    let mut query = deadline::Entity::scoped(scope.tenant_id())
        .filter(case_visible(scope, deadline::Column::CaseId))
        .order_by_asc(deadline::Column::DueOn)
        .order_by_asc(deadline::Column::Id);
    if let Some(case) = filter.case {
        query = query.filter(deadline::Column::CaseId.eq(case));
    }
    if let Some(status) = filter.status {
        query = query.filter(deadline::Column::Status.eq(status.as_str()));
    }
    if let Some(before) = filter.due_before {
        query = query.filter(deadline::Column::DueOn.lt(before));
    }
    if let Some(after) = filter.due_after {
        query = query.filter(deadline::Column::DueOn.gte(after));
    }
    if let Some((due, id)) = filter.after {
        query = query.filter(
            sea_orm::Condition::any()
                .add(deadline::Column::DueOn.gt(due))
                .add(
                    sea_orm::Condition::all()
                        .add(deadline::Column::DueOn.eq(due))
                        .add(deadline::Column::Id.gt(id)),
                ),
        );
    }
    let rows = query.limit(filter.limit).all(&txn).await?;
    txn.commit().await?;
    Ok(rows)
}

/// One deadline of a visible case.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn get(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<deadline::Model> {
    let txn = scope.begin(db).await?;
    let row = deadline::Entity::scoped(scope.tenant_id())
        .filter(deadline::Column::Id.eq(id))
        .filter(case_visible(scope, deadline::Column::CaseId))
        .one(&txn)
        .await?;
    txn.commit().await?;
    match row {
        Some(row) => Ok(row),
        None => Err(not_found(db, scope, "deadline", id).await),
    }
}

/// The version tag of a deadline, for `ETag` / `If-Match`.
#[must_use]
pub fn etag(row: &deadline::Model) -> String {
    format!("\"{}\"", row.updated_at.timestamp_micros())
}

/// Marks a deadline done, cancelled or open again, or moves its date.
///
/// # Errors
/// `NotFound`; `Forbidden`; `PreconditionRequired`/`PreconditionFailed`.
pub async fn update(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: Uuid,
    status: Option<DeadlineStatus>,
    due_on: Option<NaiveDate>,
    if_match: Option<&str>,
) -> DomainResult<deadline::Model> {
    let txn = scope.begin(db).await?;
    let row = deadline::Entity::scoped(scope.tenant_id())
        .filter(deadline::Column::Id.eq(id))
        .filter(case_visible(scope, deadline::Column::CaseId))
        .one(&txn)
        .await?;
    let Some(row) = row else {
        drop(txn);
        return Err(not_found(db, scope, "deadline", id).await);
    };
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    crate::access::check_version(if_match, &etag(&row))?;
    let now = crate::now();
    let case_id = row.case_id;
    let mut model: deadline::ActiveModel = row.into();
    if let Some(status) = status {
        model.status = Set(status.as_str().to_owned());
        let done = status == DeadlineStatus::Done;
        model.completed_at = Set(done.then_some(now));
        model.completed_by = Set(done.then(|| *scope.user_id().as_uuid()));
    }
    if let Some(due) = due_on {
        model.due_on = Set(due);
    }
    model.updated_at = Set(now);
    let updated = model.update(&txn).await?;
    audit::record(
        &txn,
        scope.tenant_id(),
        Event::new("deadline.updated", Actor::user(scope), Outcome::Success)
            .target("deadline", id)
            .details(serde_json::json!({"case": case_id, "status": updated.status})),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}
