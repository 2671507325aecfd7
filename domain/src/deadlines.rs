//! Deadlines of the cases a caller may see: an agenda across cases, and per case; most come
//! from the procedure template, documents, hearings and support plans, and a case worker may
//! set one by hand.

use crate::access::{forbidden, not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::cases::case_visible;
use crate::entities::deadline;
use crate::error::{DomainError, DomainResult, Validator};
use crate::tenancy::TenantScope;
use crate::vocab::{DeadlineStatus, Stage};
use chrono::{Days, NaiveDate};
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

/// What falls due on a case, as the procedure, a document, a support plan or a person sets it.
pub(crate) struct Due<'a> {
    pub case_id: Uuid,
    pub kind: &'a str,
    pub title: &'a str,
    pub due_on: NaiveDate,
    /// Where it comes from: `procedure:<template>:<version>`, `document:<id>`, `manual`, …
    pub source: &'a str,
    pub step_code: Option<&'a str>,
}

impl Due<'_> {
    /// The new, open deadline, not announced yet.
    pub(crate) fn open(
        &self,
        tenant: crate::ids::TenantId,
        now: chrono::DateTime<chrono::Utc>,
    ) -> deadline::ActiveModel {
        deadline::ActiveModel {
            tenant_id: Set(*tenant.as_uuid()),
            id: Set(Uuid::now_v7()),
            case_id: Set(self.case_id),
            kind: Set(self.kind.to_owned()),
            title: Set(self.title.to_owned()),
            due_on: Set(self.due_on),
            status: Set(DeadlineStatus::Open.as_str().to_owned()),
            source: Set(self.source.to_owned()),
            step_code: Set(self.step_code.map(str::to_owned)),
            completed_at: Set(None),
            completed_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            notice_stage: Set(None),
            notice_due_on: Set(None),
        }
    }
}

/// A deadline set by hand on a case.
#[derive(Clone, Debug)]
pub struct NewDeadline {
    pub case_id: Uuid,
    /// Shown in agendas and notices: names what falls due, never a person.
    pub title: String,
    pub due_on: NaiveDate,
}

/// The longest title of a deadline set by hand.
pub const MAX_TITLE: usize = 200;

/// What marks a deadline set by hand, as its kind and its source.
pub const MANUAL: &str = "manual";

/// Sets a deadline by hand on an open case the caller may see (an appeal period named in a
/// letter, a date the lawyer gave). It is announced like the template's.
///
/// # Errors
/// `Forbidden` without `cases.work`; `Invalid` for a bad title or date, or a case the caller
/// may not see; `Conflict` (`case_closed`) on a closed case.
pub async fn create(
    db: &DatabaseConnection,
    scope: &TenantScope,
    new: NewDeadline,
) -> DomainResult<deadline::Model> {
    require(db, scope, Permission::CasesWork).await?;
    let txn = scope.begin(db).await?;
    let mut v = Validator::default();
    v.one_line("title", &new.title, MAX_TITLE);
    let title = new.title.trim();
    let today = crate::now().date_naive();
    let earliest = today.checked_sub_days(Days::new(366)).unwrap_or(today);
    let latest = today.checked_add_days(Days::new(3653)).unwrap_or(today);
    if new.due_on < earliest || new.due_on > latest {
        v.note("due_on", "must be within one year back and ten years ahead");
    }
    let case = crate::cases::visible_case(&txn, scope, new.case_id).await?;
    if case.is_none() {
        v.note("case_id", "is not a case you may see");
    }
    v.finish()?;
    if case.is_some_and(|c| c.stage == Stage::Closed.as_str()) {
        return Err(DomainError::conflict("case_closed", "The case is closed."));
    }
    let now = crate::now();
    let row = Due {
        case_id: new.case_id,
        kind: MANUAL,
        title,
        due_on: new.due_on,
        source: MANUAL,
        step_code: None,
    }
    .open(scope.tenant_id(), now)
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        scope.tenant_id(),
        Event::new("deadline.created", Actor::user(scope), Outcome::Success)
            .target("deadline", row.id)
            .details(serde_json::json!({"case": row.case_id, "source": MANUAL})),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}
