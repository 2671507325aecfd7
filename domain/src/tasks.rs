//! Tasks and appointments: a short title (shown in agendas, so free of personal data), an
//! assignee, a due time, and — for a task on a case — details sealed with the client's data
//! key. A caller sees the tasks assigned to them or created by them, and the tasks on the cases
//! they may see. Only `cases.work` creates or reshapes tasks; an assignee without it may still
//! mark their own task done (or open again).

use crate::access::{forbidden, not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::cases::case_visible;
use crate::clients::client_data_key;
use crate::crypto::MasterKey;
use crate::entities::{case, task, user};
use crate::error::{DomainError, DomainResult, Validator};
use crate::fieldcrypt::{DataKey, FieldRef};
use crate::ids::TenantId;
use crate::tenancy::TenantScope;
use crate::users::UserStatus;
use crate::vocab::{TaskKind, TaskStatus};
use chrono::{DateTime, Datelike as _, Utc};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, Condition, ConnectionTrait, DatabaseConnection,
    QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};
use uuid::Uuid;

/// Longest title, in characters.
pub const MAX_TITLE: usize = 200;
/// Longest details, in characters.
pub const MAX_DETAILS: usize = 5_000;

fn details_field(tenant: TenantId, row: Uuid) -> FieldRef<'static> {
    FieldRef {
        tenant,
        table: "tasks",
        row,
        field: "details",
    }
}

/// A new task or appointment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTask {
    pub kind: TaskKind,
    pub title: String,
    /// Sealed with the client's key: only on a task with a case.
    pub details: Option<String>,
    pub case_id: Option<Uuid>,
    pub assignee_id: Uuid,
    pub due_at: DateTime<Utc>,
}

/// A change to a task: absent fields stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskChange {
    pub kind: Option<TaskKind>,
    pub title: Option<String>,
    /// `Some(None)` clears them.
    pub details: Option<Option<String>>,
    pub assignee_id: Option<Uuid>,
    pub due_at: Option<DateTime<Utc>>,
    pub status: Option<TaskStatus>,
}

impl TaskChange {
    fn fields(&self) -> Vec<&'static str> {
        [
            ("kind", self.kind.is_some()),
            ("title", self.title.is_some()),
            ("details", self.details.is_some()),
            ("assignee_id", self.assignee_id.is_some()),
            ("due_at", self.due_at.is_some()),
            ("status", self.status.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect()
    }
}

/// A task as read back.
#[derive(Clone, Debug)]
pub struct TaskView {
    pub row: task::Model,
    pub kind: TaskKind,
    pub status: TaskStatus,
    /// Opened when the reader may see them (never in lists).
    pub details: Option<String>,
}

impl TaskView {
    pub(crate) fn new(row: task::Model, details: Option<String>) -> Self {
        Self {
            kind: TaskKind::parse(&row.kind).unwrap_or(TaskKind::Task),
            status: TaskStatus::parse(&row.status).unwrap_or(TaskStatus::Open),
            details,
            row,
        }
    }
}

/// Filters of the task list.
#[derive(Debug, Default, Clone)]
pub struct TaskFilter {
    pub assignee: Option<Uuid>,
    pub case: Option<Uuid>,
    pub status: Option<TaskStatus>,
    pub due_before: Option<DateTime<Utc>>,
    pub due_after: Option<DateTime<Utc>>,
    /// Tasks after this one (ordered by due time, then id).
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: u64,
}

/// Tasks the caller may see: theirs (assigned or created) and those on cases they may see.
pub(crate) fn visible(scope: &TenantScope) -> Condition {
    let me = *scope.user_id().as_uuid();
    Condition::any()
        .add(task::Column::AssigneeId.eq(me))
        .add(task::Column::CreatedBy.eq(me))
        .add(case_visible(scope, task::Column::CaseId))
}

fn details(v: &mut Validator, text: &str) {
    if text.trim().is_empty() || text.chars().count() > MAX_DETAILS {
        v.note("details", format!("must be 1 to {MAX_DETAILS} characters"));
    }
}

fn due_at(v: &mut Validator, due: DateTime<Utc>) {
    if !(2000..=2100).contains(&due.year()) {
        v.note("due_at", "must be between the years 2000 and 2100");
    }
}

fn no_case_no_details(v: &mut Validator) {
    v.note(
        "details",
        "needs a case_id: details are sealed with the client's key",
    );
}

/// Notes an assignee who is not a current user of the tenant (another tenant's looks the same).
async fn check_assignee<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Uuid,
    v: &mut Validator,
) -> DomainResult<()> {
    let found = user::Entity::scoped(tenant)
        .filter(user::Column::Id.eq(id))
        .filter(user::Column::Status.ne(UserStatus::Deactivated.as_str()))
        .one(conn)
        .await?;
    if found.is_none() {
        v.note("assignee_id", "is not a user of this organisation");
    }
    Ok(())
}

fn erased() -> DomainError {
    DomainError::conflict("client_erased", "This client's data was erased.")
}

/// Records a task; on a case the caller may see, its details sealed with the client's key.
///
/// # Errors
/// `Forbidden` without `cases.work`; `Invalid` fields (an unseen case, an unknown assignee,
/// details without a case…); `Conflict client_erased`; database errors.
pub async fn create(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    new: NewTask,
) -> DomainResult<TaskView> {
    require(db, scope, Permission::CasesWork).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let mut v = Validator::default();
    v.one_line("title", &new.title, MAX_TITLE);
    due_at(&mut v, new.due_at);
    if let Some(text) = &new.details {
        details(&mut v, text);
    }
    check_assignee(&txn, tenant, new.assignee_id, &mut v).await?;
    let case_row = match new.case_id {
        Some(case_id) => {
            let row = case::Entity::scoped(tenant)
                .filter(case::Column::Id.eq(case_id))
                .filter(case_visible(scope, case::Column::Id))
                .one(&txn)
                .await?;
            if row.is_none() {
                v.note("case_id", "is not a case you may see");
            }
            row
        }
        None => {
            if new.details.is_some() {
                no_case_no_details(&mut v);
            }
            None
        }
    };
    v.finish()?;
    let id = Uuid::now_v7();
    let key = match &case_row {
        Some(case_row) => client_data_key(&txn, master, tenant, case_row.client_id).await?,
        None => None,
    };
    let details_sealed = match (&new.details, &key) {
        (Some(text), Some(key)) => Some(key.seal_str(&details_field(tenant, id), text)?),
        (Some(_), None) => return Err(erased()),
        (None, _) => None,
    };
    let now = crate::now();
    let row = task::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        kind: Set(new.kind.as_str().to_owned()),
        title: Set(new.title.trim().to_owned()),
        details_sealed: Set(details_sealed),
        case_id: Set(case_row.as_ref().map(|c| c.id)),
        client_id: Set(case_row.as_ref().map(|c| c.client_id)),
        assignee_id: Set(new.assignee_id),
        due_at: Set(new.due_at),
        status: Set(TaskStatus::Open.as_str().to_owned()),
        completed_at: Set(None),
        completed_by: Set(None),
        created_by: Set(*scope.user_id().as_uuid()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        tenant,
        Event::new("task.created", Actor::user(scope), Outcome::Success)
            .target("task", id)
            .details(serde_json::json!({"case": row.case_id, "assignee": row.assignee_id})),
    )
    .await?;
    txn.commit().await?;
    Ok(TaskView::new(row, new.details))
}

/// The tasks the caller may see, soonest first, without details (read one task for those).
///
/// # Errors
/// Database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &TaskFilter,
) -> DomainResult<Vec<TaskView>> {
    let txn = scope.begin(db).await?;
    let mut query = task::Entity::scoped(scope.tenant_id())
        .filter(visible(scope))
        .order_by_asc(task::Column::DueAt)
        .order_by_asc(task::Column::Id);
    if let Some(assignee) = filter.assignee {
        query = query.filter(task::Column::AssigneeId.eq(assignee));
    }
    if let Some(case) = filter.case {
        query = query.filter(task::Column::CaseId.eq(case));
    }
    if let Some(status) = filter.status {
        query = query.filter(task::Column::Status.eq(status.as_str()));
    }
    if let Some(before) = filter.due_before {
        query = query.filter(task::Column::DueAt.lt(before));
    }
    if let Some(after) = filter.due_after {
        query = query.filter(task::Column::DueAt.gte(after));
    }
    if let Some((due, id)) = filter.after {
        query = query.filter(
            Condition::any().add(task::Column::DueAt.gt(due)).add(
                Condition::all()
                    .add(task::Column::DueAt.eq(due))
                    .add(task::Column::Id.gt(id)),
            ),
        );
    }
    let rows = query.limit(filter.limit).all(&txn).await?;
    txn.commit().await?;
    Ok(rows.into_iter().map(|r| TaskView::new(r, None)).collect())
}

async fn visible_task<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<Option<task::Model>> {
    Ok(task::Entity::scoped(scope.tenant_id())
        .filter(task::Column::Id.eq(id))
        .filter(visible(scope))
        .one(conn)
        .await?)
}

/// Opens the details of `row` with `key`.
pub(crate) fn open_details(
    key: Option<&DataKey>,
    row: &task::Model,
) -> DomainResult<Option<String>> {
    match (key, &row.details_sealed) {
        (Some(key), Some(sealed)) => Ok(Some(key.open_str(
            &details_field(TenantId::from_uuid(row.tenant_id), row.id),
            sealed,
        )?)),
        _ => Ok(None),
    }
}

async fn key_of<C: ConnectionTrait>(
    conn: &C,
    master: &MasterKey,
    row: &task::Model,
) -> DomainResult<Option<DataKey>> {
    match row.client_id {
        Some(client) => {
            client_data_key(conn, master, TenantId::from_uuid(row.tenant_id), client).await
        }
        None => Ok(None),
    }
}

/// One task the caller may see, with its details opened; reading them is audited.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn get(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<TaskView> {
    let txn = scope.begin(db).await?;
    let Some(row) = visible_task(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "task", id).await);
    };
    let key = match row.details_sealed {
        Some(_) => key_of(&txn, master, &row).await?,
        None => None,
    };
    if key.is_some() {
        audit::record(
            &txn,
            scope.tenant_id(),
            Event::new("task.details_read", Actor::user(scope), Outcome::Success)
                .target("task", id)
                .details(serde_json::json!({"case": row.case_id})),
        )
        .await?;
    }
    txn.commit().await?;
    let details = open_details(key.as_ref(), &row)?;
    Ok(TaskView::new(row, details))
}

/// The version tag of a task, for `ETag` / `If-Match`.
#[must_use]
pub fn etag(row: &task::Model) -> String {
    format!("\"{}\"", row.updated_at.timestamp_micros())
}

/// Changes a task. `cases.work` may change anything; the assignee without it only the status.
/// Needs `If-Match` with the version the caller read.
///
/// # Errors
/// `NotFound`; `Forbidden`; `PreconditionRequired`/`PreconditionFailed`; `Invalid` fields;
/// `Conflict client_erased`; database errors.
pub async fn update(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
    change: TaskChange,
    if_match: Option<&str>,
) -> DomainResult<TaskView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible_task(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "task", id).await);
    };
    let own_status_only = row.assignee_id == *scope.user_id().as_uuid()
        && change.fields().iter().all(|f| *f == "status")
        && change.status != Some(TaskStatus::Cancelled);
    if !scope.has(Permission::CasesWork) && !own_status_only {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    let mut v = Validator::default();
    if let Some(text) = &change.title {
        v.one_line("title", text, MAX_TITLE);
    }
    if let Some(due) = change.due_at {
        due_at(&mut v, due);
    }
    if let Some(Some(text)) = &change.details {
        if row.case_id.is_some() {
            details(&mut v, text);
        } else {
            no_case_no_details(&mut v);
        }
    }
    if let Some(assignee) = change.assignee_id {
        check_assignee(&txn, tenant, assignee, &mut v).await?;
    }
    v.finish()?;
    crate::access::check_version(if_match, &etag(&row))?;

    let key = key_of(&txn, master, &row).await?;
    let now = crate::now();
    let fields = change.fields();
    let mut model: task::ActiveModel = row.clone().into();
    if let Some(kind) = change.kind {
        model.kind = Set(kind.as_str().to_owned());
    }
    if let Some(text) = &change.title {
        model.title = Set(text.trim().to_owned());
    }
    match &change.details {
        Some(Some(text)) => {
            let key = key.as_ref().ok_or_else(erased)?;
            model.details_sealed = Set(Some(key.seal_str(&details_field(tenant, id), text)?));
        }
        Some(None) => model.details_sealed = Set(None),
        None => {}
    }
    if let Some(assignee) = change.assignee_id {
        model.assignee_id = Set(assignee);
    }
    if let Some(due) = change.due_at {
        model.due_at = Set(due);
    }
    if let Some(status) = change.status {
        model.status = Set(status.as_str().to_owned());
        let done = status == TaskStatus::Done;
        model.completed_at = Set(done.then_some(now));
        model.completed_by = Set(done.then(|| *scope.user_id().as_uuid()));
    }
    model.updated_at = Set(now);
    let updated = model.update(&txn).await?;
    audit::record(
        &txn,
        tenant,
        Event::new("task.updated", Actor::user(scope), Outcome::Success)
            .target("task", id)
            .details(serde_json::json!({
                "case": updated.case_id,
                "fields": fields,
                "status": updated.status,
            })),
    )
    .await?;
    // Details the caller did not just write are read from storage: audit them like a read.
    let reads_stored = change.details.is_none() && updated.details_sealed.is_some();
    if reads_stored && key.is_some() {
        audit::record(
            &txn,
            tenant,
            Event::new("task.details_read", Actor::user(scope), Outcome::Success)
                .target("task", id)
                .details(serde_json::json!({"case": updated.case_id})),
        )
        .await?;
    }
    txn.commit().await?;
    let details = open_details(key.as_ref(), &updated)?;
    Ok(TaskView::new(updated, details))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn titles_are_short_single_lines() {
        for (text, ok) in [
            ("Call the lawyer", true),
            ("", false),
            ("   ", false),
            ("two\nlines", false),
            (&"x".repeat(MAX_TITLE), true),
            (&"x".repeat(MAX_TITLE + 1), false),
        ] {
            let mut v = Validator::default();
            v.one_line("title", text, MAX_TITLE);
            assert_eq!(v.finish().is_ok(), ok, "{text:?}");
        }
    }

    #[test]
    fn details_open_only_in_their_own_row() {
        let key = DataKey::generate().unwrap();
        let tenant = TenantId::new();
        let id = Uuid::now_v7();
        let sealed = key
            .seal_str(&details_field(tenant, id), "Bring the passport copy")
            .unwrap();
        assert!(!sealed.contains("passport"));
        assert!(
            key.open_str(&details_field(tenant, Uuid::now_v7()), &sealed)
                .is_err()
        );
        assert_eq!(
            key.open_str(&details_field(tenant, id), &sealed).unwrap(),
            "Bring the passport copy"
        );
    }
}
