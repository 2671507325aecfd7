//! Goals of a support plan.

use super::{
    bounded_text, case_for_work, check_if_match, check_users, ensure_open, field, open_opt,
    plan_day, reader_key, require_work, seal_opt, version_tag,
};
use crate::access::not_found;
use crate::audit::{self, Actor, Event, Outcome};
use crate::cases::case_visible;
use crate::clients::client_data_key;
use crate::crypto::MasterKey;
use crate::entities::support_goal;
use crate::error::{DomainResult, Validator};
use crate::fieldcrypt::DataKey;
use crate::ids::TenantId;
use crate::tenancy::TenantScope;
use crate::vocab::{GoalStatus, ServiceArea};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _,
    Set,
};
use uuid::Uuid;

/// The table sealed fields belong to (part of their associated data).
pub(crate) const TABLE: &str = "support_goals";
/// Longest description, in characters.
const MAX_DESCRIPTION: usize = 2_000;
/// Longest client's view, in characters.
const MAX_CLIENT_VIEW: usize = 4_000;

/// A new goal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewGoal {
    pub area: ServiceArea,
    /// Sealed at rest with the client's data key.
    pub description: String,
    pub target_on: Option<NaiveDate>,
    /// `planned` when absent.
    pub status: Option<GoalStatus>,
    /// A user of the tenant; the creator when absent.
    pub owner_id: Option<Uuid>,
    /// The client's own words; sealed at rest.
    pub client_view: Option<String>,
}

/// A change to a goal: absent fields stay as they are; `Some(None)` clears an optional one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GoalChange {
    pub area: Option<ServiceArea>,
    pub description: Option<String>,
    pub target_on: Option<Option<NaiveDate>>,
    pub status: Option<GoalStatus>,
    pub owner_id: Option<Option<Uuid>>,
    pub client_view: Option<Option<String>>,
}

impl GoalChange {
    /// The names of the fields this change touches, for the audit log.
    fn fields(&self) -> Vec<&'static str> {
        [
            ("area", self.area.is_some()),
            ("description", self.description.is_some()),
            ("target_on", self.target_on.is_some()),
            ("status", self.status.is_some()),
            ("owner_id", self.owner_id.is_some()),
            ("client_view", self.client_view.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect()
    }
}

/// A goal as stored, with the sealed parts opened when the reader may see them.
#[derive(Clone, Debug)]
pub struct GoalView {
    pub row: support_goal::Model,
    pub area: ServiceArea,
    pub status: GoalStatus,
    pub description: Option<String>,
    pub client_view: Option<String>,
    /// Whether the description and the client's view were opened for this reader.
    pub sealed_shown: bool,
}

/// Filters of a case's goals.
#[derive(Debug, Default, Clone)]
pub struct GoalFilter {
    pub area: Option<ServiceArea>,
    pub status: Option<GoalStatus>,
    pub after: Option<Uuid>,
    pub limit: u64,
}

pub(crate) fn view(row: support_goal::Model, key: Option<&DataKey>) -> DomainResult<GoalView> {
    let tenant = TenantId::from_uuid(row.tenant_id);
    let description = open_opt(
        key,
        &field(tenant, TABLE, row.id, "description"),
        Some(&row.description_sealed),
    )?;
    let client_view = open_opt(
        key,
        &field(tenant, TABLE, row.id, "client_view"),
        row.client_view_sealed.as_deref(),
    )?;
    Ok(GoalView {
        area: ServiceArea::parse(&row.area).unwrap_or(ServiceArea::Residential),
        status: GoalStatus::parse(&row.status).unwrap_or(GoalStatus::Planned),
        description,
        client_view,
        sealed_shown: key.is_some(),
        row,
    })
}

/// The version tag of a goal, for `ETag` / `If-Match`.
#[must_use]
pub fn etag(row: &support_goal::Model) -> String {
    version_tag(row.updated_at)
}

async fn visible_goal<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<Option<support_goal::Model>> {
    Ok(support_goal::Entity::scoped(scope.tenant_id())
        .filter(support_goal::Column::Id.eq(id))
        .filter(case_visible(scope, support_goal::Column::CaseId))
        .one(conn)
        .await?)
}

async fn audit_read(
    txn: &DatabaseTransaction,
    scope: &TenantScope,
    action: &'static str,
    kind: &'static str,
    target: Uuid,
    case_id: Uuid,
) -> DomainResult<()> {
    audit::record(
        txn,
        scope.tenant_id(),
        Event::new(action, Actor::user(scope), Outcome::Success)
            .target(kind, target)
            .details(serde_json::json!({"case": case_id})),
    )
    .await?;
    Ok(())
}

/// Adds a goal to the plan of a visible, open case.
///
/// # Errors
/// `Forbidden` without `cases.work`; `NotFound` for an unseen case; `Conflict case_closed`;
/// `Invalid` fields (an owner who is not a user of the tenant…); `Conflict client_erased`;
/// database errors.
pub async fn create(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    case_id: Uuid,
    goal: NewGoal,
) -> DomainResult<GoalView> {
    let tenant = scope.tenant_id();
    let (txn, case_row) = case_for_work(db, scope, case_id, true).await?;
    let owner = goal.owner_id.unwrap_or(*scope.user_id().as_uuid());
    let mut v = Validator::default();
    bounded_text(&mut v, "description", &goal.description, MAX_DESCRIPTION);
    if let Some(text) = &goal.client_view {
        bounded_text(&mut v, "client_view", text, MAX_CLIENT_VIEW);
    }
    if let Some(date) = goal.target_on {
        plan_day(&mut v, "target_on", date);
    }
    if goal.owner_id.is_some() {
        check_users(&txn, tenant, &[("owner_id".to_owned(), owner)], &mut v).await?;
    }
    v.finish()?;
    let key = client_data_key(&txn, master, tenant, case_row.client_id)
        .await?
        .ok_or_else(super::erased)?;
    let id = Uuid::now_v7();
    let now = crate::now();
    let row = support_goal::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        case_id: Set(case_row.id),
        client_id: Set(case_row.client_id),
        area: Set(goal.area.as_str().to_owned()),
        description_sealed: Set(
            key.seal_str(&field(tenant, TABLE, id, "description"), &goal.description)?
        ),
        target_on: Set(goal.target_on),
        status: Set(goal
            .status
            .unwrap_or(GoalStatus::Planned)
            .as_str()
            .to_owned()),
        owner_id: Set(Some(owner)),
        client_view_sealed: Set(seal_opt(
            Some(&key),
            &field(tenant, TABLE, id, "client_view"),
            goal.client_view.as_deref(),
        )?),
        created_by: Set(Some(*scope.user_id().as_uuid())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        tenant,
        Event::new("support_goal.created", Actor::user(scope), Outcome::Success)
            .target("support_goal", id)
            .details(serde_json::json!({"case": case_row.id, "area": goal.area.as_str()})),
    )
    .await?;
    txn.commit().await?;
    // The writer sees what they wrote back; it is not a read of stored text.
    let shown = scope
        .has(crate::authz::Permission::ClientIdentityRead)
        .then_some(&key);
    view(row, shown)
}

/// The goals of a visible case, oldest first. Descriptions and the client's view are opened
/// for readers with `clients.identity_read` (one audited read of the plan).
///
/// # Errors
/// `Forbidden` without `cases.work`; `NotFound` for an unseen case; database errors.
pub async fn list(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    case_id: Uuid,
    filter: &GoalFilter,
) -> DomainResult<Vec<GoalView>> {
    let (txn, case_row) = case_for_work(db, scope, case_id, false).await?;
    let mut query = support_goal::Entity::scoped(scope.tenant_id())
        .filter(support_goal::Column::CaseId.eq(case_id))
        .order_by_asc(support_goal::Column::Id);
    if let Some(area) = filter.area {
        query = query.filter(support_goal::Column::Area.eq(area.as_str()));
    }
    if let Some(status) = filter.status {
        query = query.filter(support_goal::Column::Status.eq(status.as_str()));
    }
    if let Some(after) = filter.after {
        query = query.filter(support_goal::Column::Id.gt(after));
    }
    let rows = query.limit(filter.limit).all(&txn).await?;
    let key = reader_key(&txn, master, scope, case_row.client_id).await?;
    if key.is_some() && !rows.is_empty() {
        audit_read(&txn, scope, "support_plan.read", "case", case_id, case_id).await?;
    }
    txn.commit().await?;
    rows.into_iter()
        .map(|row| view(row, key.as_ref()))
        .collect()
}

/// One goal of a visible case; its sealed parts opened (and the reading audited) for readers
/// with `clients.identity_read`.
///
/// # Errors
/// `Forbidden` without `cases.work`; `NotFound`; database errors.
pub async fn get(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<GoalView> {
    require_work(db, scope).await?;
    let txn = scope.begin(db).await?;
    let Some(row) = visible_goal(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "support_goal", id).await);
    };
    let key = reader_key(&txn, master, scope, row.client_id).await?;
    if key.is_some() {
        audit_read(
            &txn,
            scope,
            "support_goal.read",
            "support_goal",
            id,
            row.case_id,
        )
        .await?;
    }
    txn.commit().await?;
    view(row, key.as_ref())
}

/// Changes a goal of a visible, open case. Needs `If-Match` with the version the caller read.
///
/// # Errors
/// `Forbidden`; `NotFound`; `PreconditionRequired`/`PreconditionFailed`; `Conflict
/// case_closed`; `Invalid` fields; `Conflict client_erased`; database errors.
pub async fn update(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
    change: GoalChange,
    if_match: Option<&str>,
) -> DomainResult<GoalView> {
    let tenant = scope.tenant_id();
    require_work(db, scope).await?;
    let txn = scope.begin(db).await?;
    let Some(row) = visible_goal(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "support_goal", id).await);
    };
    ensure_open(&txn, tenant, row.case_id).await?;
    let mut v = Validator::default();
    if let Some(text) = &change.description {
        bounded_text(&mut v, "description", text, MAX_DESCRIPTION);
    }
    if let Some(Some(text)) = &change.client_view {
        bounded_text(&mut v, "client_view", text, MAX_CLIENT_VIEW);
    }
    if let Some(Some(date)) = change.target_on {
        plan_day(&mut v, "target_on", date);
    }
    if let Some(Some(owner)) = change.owner_id {
        check_users(&txn, tenant, &[("owner_id".to_owned(), owner)], &mut v).await?;
    }
    v.finish()?;
    check_if_match(if_match, &etag(&row))?;

    let key = client_data_key(&txn, master, tenant, row.client_id).await?;
    let mut model: support_goal::ActiveModel = row.clone().into();
    if let Some(area) = change.area {
        model.area = Set(area.as_str().to_owned());
    }
    if let Some(text) = &change.description {
        let key = key.as_ref().ok_or_else(super::erased)?;
        model.description_sealed =
            Set(key.seal_str(&field(tenant, TABLE, id, "description"), text)?);
    }
    if let Some(date) = change.target_on {
        model.target_on = Set(date);
    }
    if let Some(status) = change.status {
        model.status = Set(status.as_str().to_owned());
    }
    if let Some(owner) = change.owner_id {
        model.owner_id = Set(owner);
    }
    if let Some(text) = &change.client_view {
        model.client_view_sealed = Set(seal_opt(
            key.as_ref(),
            &field(tenant, TABLE, id, "client_view"),
            text.as_deref(),
        )?);
    }
    model.updated_at = Set(crate::now());
    let updated = model.update(&txn).await?;
    audit::record(
        &txn,
        tenant,
        Event::new("support_goal.updated", Actor::user(scope), Outcome::Success)
            .target("support_goal", id)
            .details(serde_json::json!({
                "case": row.case_id,
                "fields": change.fields(),
                "status": updated.status,
            })),
    )
    .await?;
    let shown = key.filter(|_| scope.has(crate::authz::Permission::ClientIdentityRead));
    // Sealed text the caller did not just write is read from storage: audit it like a read.
    let reads_stored = change.description.is_none()
        || (change.client_view.is_none() && updated.client_view_sealed.is_some());
    if shown.is_some() && reads_stored {
        audit_read(
            &txn,
            scope,
            "support_goal.read",
            "support_goal",
            id,
            row.case_id,
        )
        .await?;
    }
    txn.commit().await?;
    view(updated, shown.as_ref())
}

/// Sets the status of goals a review names (they were checked to be goals of its case).
pub(crate) async fn set_statuses(
    txn: &DatabaseTransaction,
    tenant: TenantId,
    statuses: &[(Uuid, GoalStatus)],
) -> DomainResult<()> {
    let now = crate::now();
    for (id, status) in statuses {
        support_goal::Entity::update_many()
            .col_expr(
                support_goal::Column::Status,
                sea_orm::sea_query::Expr::value(status.as_str()),
            )
            .col_expr(
                support_goal::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(support_goal::Column::TenantId.eq(*tenant.as_uuid()))
            .filter(support_goal::Column::Id.eq(*id))
            .exec(txn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn sealed_parts_open_only_with_the_key_and_only_in_place() {
        let key = DataKey::generate().unwrap();
        let tenant = TenantId::new();
        let seal = |id: Uuid, name: &str, text: &str| {
            key.seal_str(&field(tenant, TABLE, id, name), text).unwrap()
        };
        let id = Uuid::now_v7();
        let row = support_goal::Model {
            tenant_id: *tenant.as_uuid(),
            id,
            case_id: Uuid::now_v7(),
            client_id: Uuid::now_v7(),
            area: "legal".into(),
            description_sealed: seal(id, "description", "File a complaint"),
            target_on: None,
            status: "in_progress".into(),
            owner_id: None,
            client_view_sealed: Some(seal(id, "client_view", "I want justice")),
            created_by: None,
            created_at: crate::now(),
            updated_at: crate::now(),
        };
        let opened = view(row.clone(), Some(&key)).unwrap();
        assert_eq!(opened.description.as_deref(), Some("File a complaint"));
        assert_eq!(opened.client_view.as_deref(), Some("I want justice"));
        assert_eq!(opened.area, ServiceArea::Legal);
        assert_eq!(opened.status, GoalStatus::InProgress);

        let closed = view(row.clone(), None).unwrap();
        assert!(!closed.sealed_shown);
        assert_eq!(closed.description, None);

        // The client's view sealed as the description does not open there.
        let mut swapped = row;
        swapped.description_sealed = swapped.client_view_sealed.clone().unwrap();
        assert!(view(swapped, Some(&key)).is_err());
    }
}
