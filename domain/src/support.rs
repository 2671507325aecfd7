//! Support plans: the goals of a case, one service area each (residential, administrative,
//! legal, psychosocial, medical, education & work, ambulant), with target dates, status and
//! owner, and the periodic reviews that record progress per goal and set the next review date
//! (written to the case's deadlines).
//!
//! Goal descriptions, the client's own view of a goal and review comments are about the person:
//! they are sealed with the client's data key and opened only for readers with
//! `clients.identity_read`. Who may see a plan follows who may see its case; reading and writing
//! need `cases.work`, and a closed case's plan is part of the final record.

mod goals;
mod reviews;

pub(crate) use goals::view as goal_view;
pub use goals::{GoalChange, GoalFilter, GoalView, NewGoal};
pub(crate) use reviews::view as review_view;
pub use reviews::{GoalProgress, NewReview, ProgressView, ReviewFilter, ReviewView};

use crate::access::{forbidden, not_found};
use crate::authz::Permission;
use crate::cases::visible_case;
use crate::clients::client_data_key;
use crate::crypto::MasterKey;
use crate::entities::{case, user};
use crate::error::{DomainError, DomainResult, Validator};
use crate::fieldcrypt::{DataKey, FieldRef};
use crate::ids::TenantId;
use crate::tenancy::TenantScope;
use crate::vocab::Stage;
use chrono::{DateTime, Datelike as _, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait as _, ConnectionTrait, DatabaseConnection, DatabaseTransaction, QueryFilter as _,
    QuerySelect as _,
};
use std::collections::BTreeSet;
use uuid::Uuid;

pub use goals::{create as create_goal, get as get_goal, list as list_goals};
pub use goals::{etag as goal_etag, update as update_goal};
pub use reviews::{create as create_review, get as get_review, list as list_reviews};

/// The deadline kind and source a review's next date is written with.
pub const REVIEW_DEADLINE_KIND: &str = "support_plan_review";
pub const REVIEW_DEADLINE_SOURCE: &str = "support_plan";

pub(crate) fn erased() -> DomainError {
    DomainError::conflict("client_erased", "This client's data was erased.")
}

pub(crate) fn case_closed() -> DomainError {
    DomainError::conflict(
        "case_closed",
        "The case is closed: its support plan and service log are part of the final record.",
    )
}

/// Where a sealed value lives: part of its associated data, so it opens nowhere else.
pub(crate) fn field<'a>(
    tenant: TenantId,
    table: &'a str,
    row: Uuid,
    name: &'a str,
) -> FieldRef<'a> {
    FieldRef {
        tenant,
        table,
        row,
        field: name,
    }
}

/// Seals `text` when there is one; a text without the client's key means the client was erased.
pub(crate) fn seal_opt(
    key: Option<&DataKey>,
    at: &FieldRef<'_>,
    text: Option<&str>,
) -> DomainResult<Option<String>> {
    match (text, key) {
        (Some(text), Some(key)) => Ok(Some(key.seal_str(at, text)?)),
        (Some(_), None) => Err(erased()),
        (None, _) => Ok(None),
    }
}

/// Opens a sealed value for a reader given the key.
pub(crate) fn open_opt(
    key: Option<&DataKey>,
    at: &FieldRef<'_>,
    sealed: Option<&str>,
) -> DomainResult<Option<String>> {
    match (key, sealed) {
        (Some(key), Some(sealed)) => Ok(Some(key.open_str(at, sealed)?)),
        _ => Ok(None),
    }
}

/// The version tag of a row, for `ETag` / `If-Match`.
#[must_use]
pub(crate) fn version_tag(updated_at: DateTime<Utc>) -> String {
    format!("\"{}\"", updated_at.timestamp_micros())
}

pub(crate) use crate::access::check_version as check_if_match;

pub(crate) fn bounded_text(v: &mut Validator, name: &str, text: &str, max: usize) {
    if text.trim().is_empty() || text.chars().count() > max {
        v.note(name, format!("must be 1 to {max} characters"));
    }
}

/// A day something happened: begun in the tenant's time zone, and after 2000.
pub(crate) fn past_day(v: &mut Validator, name: &str, date: NaiveDate, today: NaiveDate) {
    if date > today {
        v.note(name, "must not be in the future");
    } else if date.year() < 2000 {
        v.note(name, "must be after 2000");
    }
}

/// A day planned for: between 2000 and 2100.
pub(crate) fn plan_day(v: &mut Validator, name: &str, date: NaiveDate) {
    if !(2000..=2100).contains(&date.year()) {
        v.note(name, "must be between 2000 and 2100");
    }
}

/// Today in the tenant's time zone: a service given this morning in Brussels is not "in the
/// future" because the server's clock says it is still yesterday in UTC.
pub(crate) async fn tenant_today<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
) -> DomainResult<NaiveDate> {
    crate::tenants::date_at(conn, tenant, crate::now()).await
}

/// Notes each of `ids` (with the field it was given in) that is not a user of the tenant;
/// another tenant's user looks the same as no one.
pub(crate) async fn check_users<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    ids: &[(String, Uuid)],
    v: &mut Validator,
) -> DomainResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let known: BTreeSet<Uuid> = user::Entity::scoped(tenant)
        .filter(user::Column::Id.is_in(ids.iter().map(|(_, id)| *id).collect::<Vec<_>>()))
        .select_only()
        .column(user::Column::Id)
        .into_tuple::<Uuid>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    for (name, id) in ids {
        if !known.contains(id) {
            v.note(name, "is not a user of this organisation");
        }
    }
    Ok(())
}

/// `Ok` with `cases.work`; otherwise an audited refusal. Checked before any look-up, so the
/// answer says nothing about whether an id exists.
pub(crate) async fn require_work(db: &DatabaseConnection, scope: &TenantScope) -> DomainResult<()> {
    if scope.has(Permission::CasesWork) {
        Ok(())
    } else {
        Err(forbidden(db, scope, Permission::CasesWork).await)
    }
}

/// Opens the caller's transaction on a case they may see and work on.
///
/// # Errors
/// `Forbidden` without `cases.work`; `NotFound` for an unseen case; `Conflict case_closed` when
/// `open_only` and the case is closed.
pub(crate) async fn case_for_work(
    db: &DatabaseConnection,
    scope: &TenantScope,
    case_id: Uuid,
    open_only: bool,
) -> DomainResult<(DatabaseTransaction, case::Model)> {
    require_work(db, scope).await?;
    let txn = scope.begin(db).await?;
    let Some(case_row) = visible_case(&txn, scope, case_id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "case", case_id).await);
    };
    if open_only && case_row.stage == Stage::Closed.as_str() {
        return Err(case_closed());
    }
    Ok((txn, case_row))
}

/// Whether the case is closed (for writes to things that belong to it).
pub(crate) async fn ensure_open<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    case_id: Uuid,
) -> DomainResult<()> {
    let stage = case::Entity::scoped(tenant)
        .filter(case::Column::Id.eq(case_id))
        .select_only()
        .column(case::Column::Stage)
        .into_tuple::<String>()
        .one(conn)
        .await?
        .ok_or(DomainError::NotFound)?;
    if stage == Stage::Closed.as_str() {
        return Err(case_closed());
    }
    Ok(())
}

/// The client's data key when the reader may see sealed text about the client.
pub(crate) async fn reader_key<C: ConnectionTrait>(
    conn: &C,
    master: &MasterKey,
    scope: &TenantScope,
    client_id: Uuid,
) -> DomainResult<Option<DataKey>> {
    if scope.has(Permission::ClientIdentityRead) {
        client_data_key(conn, master, scope.tenant_id(), client_id).await
    } else {
        Ok(None)
    }
}
