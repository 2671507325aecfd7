//! Incidents in shelter life: conflicts, house-rule breaches, security events such as contact
//! attempts by traffickers, health emergencies, missing residents. The people involved are
//! named by case code only, and each must be a resident of the shelter; the description and
//! the actions taken are sealed with the tenant's data key.
//!
//! Who may see an incident: holders of `shelters.read` assigned to its shelter, and holders of
//! `shelters.manage`. The sealed texts are opened (and the reading audited) for those with
//! `residents.read` or `shelters.manage`. A serious security incident notifies the shelter's
//! managers and the tenant's administrators.

use crate::access::{forbidden, not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::{Permission, Role, decode_roles};
use crate::crypto::MasterKey;
use crate::entities::{client, incident, placement, shelter, shelter_staff, user};
use crate::error::{DomainError, DomainResult, Validator};
use crate::fieldcrypt::{self, DataKey, FieldRef};
use crate::ids::TenantId;
use crate::notifications::{self, NewNotification};
use crate::tenancy::TenantScope;
use crate::users::UserStatus;
use crate::vocab::{IncidentCategory, IncidentFollowUp, IncidentSeverity, PlacementStatus};
use chrono::{DateTime, Datelike as _, Utc};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};
use std::collections::BTreeSet;
use uuid::Uuid;

/// Longest description or account of actions taken, in characters.
pub const MAX_TEXT: usize = 10_000;
/// Most people named in one incident.
pub const MAX_INVOLVED: usize = 30;

pub(crate) fn field(tenant: TenantId, row: Uuid, name: &'static str) -> FieldRef<'static> {
    FieldRef {
        tenant,
        table: "incidents",
        row,
        field: name,
    }
}

/// A new incident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewIncident {
    pub shelter_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub category: IncidentCategory,
    pub severity: IncidentSeverity,
    /// Case codes of residents of the shelter.
    pub involved_case_codes: Vec<String>,
    pub description: String,
    pub actions_taken: Option<String>,
    pub follow_up_status: Option<IncidentFollowUp>,
}

/// A change to an incident: absent fields stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IncidentChange {
    pub occurred_at: Option<DateTime<Utc>>,
    pub category: Option<IncidentCategory>,
    pub severity: Option<IncidentSeverity>,
    pub involved_case_codes: Option<Vec<String>>,
    pub description: Option<String>,
    /// `Some(None)` clears it.
    pub actions_taken: Option<Option<String>>,
    pub follow_up_status: Option<IncidentFollowUp>,
}

/// An incident as read back.
#[derive(Clone, Debug)]
pub struct IncidentView {
    pub row: incident::Model,
    pub category: IncidentCategory,
    pub severity: IncidentSeverity,
    pub follow_up_status: IncidentFollowUp,
    pub involved_case_codes: Vec<String>,
    pub description: Option<String>,
    pub actions_taken: Option<String>,
    /// Whether the sealed texts were opened for this reader.
    pub sealed_shown: bool,
}

/// Filters of the incident list.
#[derive(Debug, Default, Clone)]
pub struct IncidentFilter {
    pub shelter: Option<Uuid>,
    pub category: Option<IncidentCategory>,
    pub severity: Option<IncidentSeverity>,
    /// Occurred at or after.
    pub from: Option<DateTime<Utc>>,
    /// Occurred before.
    pub to: Option<DateTime<Utc>>,
    /// Incidents recorded before this one (newest first).
    pub before: Option<Uuid>,
    pub limit: u64,
}

pub(crate) fn split_codes(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether an incident of this kind notifies the shelter's managers.
#[must_use]
pub fn is_serious(category: IncidentCategory, severity: IncidentSeverity) -> bool {
    matches!(
        category,
        IncidentCategory::Security | IncidentCategory::ContactAttemptByTraffickers
    ) && matches!(
        severity,
        IncidentSeverity::High | IncidentSeverity::Critical
    )
}

fn may_open(scope: &TenantScope) -> bool {
    scope.has(Permission::ResidentsRead) || scope.has(Permission::SheltersManage)
}

/// Shelters the caller works at, as a sub-query.
fn my_shelters(scope: &TenantScope) -> SelectStatement {
    Query::select()
        .column(shelter_staff::Column::ShelterId)
        .from(shelter_staff::Entity)
        .and_where(shelter_staff::Column::TenantId.eq(*scope.tenant_id().as_uuid()))
        .and_where(shelter_staff::Column::UserId.eq(*scope.user_id().as_uuid()))
        .to_owned()
}

/// Incidents the caller may see.
fn visible(scope: &TenantScope) -> Condition {
    if !scope.has(Permission::SheltersRead) {
        Condition::all().add(incident::Column::Id.is_null())
    } else if scope.has(Permission::SheltersManage) {
        Condition::all()
    } else {
        Condition::all().add(incident::Column::ShelterId.in_subquery(my_shelters(scope)))
    }
}

fn text(v: &mut Validator, name: &str, value: &str) {
    if value.trim().is_empty() || value.chars().count() > MAX_TEXT {
        v.note(name, format!("must be 1 to {MAX_TEXT} characters"));
    }
}

fn occurred_at(v: &mut Validator, at: DateTime<Utc>, now: DateTime<Utc>) {
    // A few minutes of clock skew between a phone and the server are not "the future".
    if at > now + chrono::Duration::minutes(5) {
        v.note("occurred_at", "must not be in the future");
    } else if at.year() < 2000 {
        v.note("occurred_at", "must be after 2000");
    }
}

/// Checks the named case codes: each must be a current resident of `shelter`, unless it was
/// already recorded on the incident (`known`). Returns them trimmed, in order, without repeats.
async fn involved<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    shelter: Uuid,
    codes: &[String],
    known: &BTreeSet<String>,
    v: &mut Validator,
) -> DomainResult<Vec<String>> {
    let mut seen = BTreeSet::new();
    let codes: Vec<String> = codes
        .iter()
        .map(|c| c.trim().to_owned())
        .filter(|c| seen.insert(c.clone()))
        .collect();
    if codes.len() > MAX_INVOLVED {
        v.note(
            "involved_case_codes",
            format!("name at most {MAX_INVOLVED} people"),
        );
        return Ok(codes);
    }
    let to_check: Vec<String> = codes
        .iter()
        .filter(|c| !known.contains(*c))
        .cloned()
        .collect();
    if to_check.is_empty() {
        return Ok(codes);
    }
    let residents: BTreeSet<String> = client::Entity::scoped(tenant)
        .filter(client::Column::CaseCode.is_in(to_check.clone()))
        .filter(
            client::Column::Id.in_subquery(
                Query::select()
                    .column(placement::Column::ClientId)
                    .from(placement::Entity)
                    .and_where(placement::Column::TenantId.eq(*tenant.as_uuid()))
                    .and_where(placement::Column::ShelterId.eq(shelter))
                    .and_where(placement::Column::Status.eq(PlacementStatus::Admitted.as_str()))
                    .to_owned(),
            ),
        )
        .select_only()
        .column(client::Column::CaseCode)
        .into_tuple::<String>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    for (i, code) in codes.iter().enumerate() {
        if to_check.contains(code) && !residents.contains(code) {
            v.note(
                &format!("involved_case_codes[{i}]"),
                "is not the case code of a resident of this shelter",
            );
        }
    }
    Ok(codes)
}

pub(crate) fn view(row: incident::Model, key: Option<&DataKey>) -> DomainResult<IncidentView> {
    let tenant = TenantId::from_uuid(row.tenant_id);
    let (description, actions_taken) = match key {
        Some(key) => (
            Some(key.open_str(
                &field(tenant, row.id, "description"),
                &row.description_sealed,
            )?),
            row.actions_taken_sealed
                .as_deref()
                .map(|s| key.open_str(&field(tenant, row.id, "actions_taken"), s))
                .transpose()?,
        ),
        None => (None, None),
    };
    Ok(IncidentView {
        category: IncidentCategory::parse(&row.category).unwrap_or(IncidentCategory::Other),
        severity: IncidentSeverity::parse(&row.severity).unwrap_or(IncidentSeverity::Medium),
        follow_up_status: IncidentFollowUp::parse(&row.follow_up_status)
            .unwrap_or(IncidentFollowUp::Open),
        involved_case_codes: split_codes(&row.involved_case_codes),
        description,
        actions_taken,
        sealed_shown: key.is_some(),
        row,
    })
}

/// Notifies the shelter's managers and the tenant's administrators (not the caller) of a
/// serious incident. The title names the category, severity and shelter, never a person.
async fn notify(
    txn: &DatabaseTransaction,
    scope: &TenantScope,
    row: &incident::Model,
    shelter_name: &str,
) -> DomainResult<usize> {
    let tenant = scope.tenant_id();
    let staff: BTreeSet<Uuid> = shelter_staff::Entity::scoped(tenant)
        .filter(shelter_staff::Column::ShelterId.eq(row.shelter_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|s| s.user_id)
        .collect();
    let me = *scope.user_id().as_uuid();
    let recipients: Vec<Uuid> = user::Entity::scoped(tenant)
        .filter(user::Column::Status.ne(UserStatus::Deactivated.as_str()))
        .filter(
            Condition::any()
                .add(user::Column::Roles.contains(Role::TenantAdmin.as_str()))
                .add(user::Column::Roles.contains(Role::ShelterManager.as_str())),
        )
        .order_by_asc(user::Column::Id)
        .all(txn)
        .await?
        .into_iter()
        .filter(|u| u.id != me)
        .filter(|u| {
            let roles = decode_roles(&u.roles);
            roles.contains(&Role::TenantAdmin)
                || (roles.contains(&Role::ShelterManager) && staff.contains(&u.id))
        })
        .map(|u| u.id)
        .collect();
    let severity = IncidentSeverity::parse(&row.severity).unwrap_or(IncidentSeverity::High);
    let what = match IncidentCategory::parse(&row.category) {
        Some(IncidentCategory::ContactAttemptByTraffickers) => "Contact attempt by traffickers",
        _ => "Security incident",
    };
    let title: String = format!("{what} ({}) at {shelter_name}", severity.as_str())
        .chars()
        .take(200)
        .collect();
    let link = format!("/api/v1/incidents/{}", row.id);
    notifications::send(
        txn,
        tenant,
        &recipients,
        &NewNotification {
            kind: "incident.serious",
            title: &title,
            link: &link,
        },
    )
    .await
}

/// Records an incident in a shelter the caller works at (or any, with `shelters.manage`).
///
/// # Errors
/// `Forbidden` without `shelters.read`, or for a shelter the caller is not assigned to;
/// `Invalid` fields (an unknown shelter, a case code that is not a resident's…); database errors.
pub async fn create(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    new: NewIncident,
) -> DomainResult<IncidentView> {
    require(db, scope, Permission::SheltersRead).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let shelter_row = shelter::Entity::scoped(tenant)
        .filter(shelter::Column::Id.eq(new.shelter_id))
        .one(&txn)
        .await?;
    let Some(shelter_row) = shelter_row else {
        return Err(DomainError::invalid(
            "shelter_id",
            "is not a shelter of this organisation",
        ));
    };
    let assigned = shelter_staff::Entity::scoped(tenant)
        .filter(shelter_staff::Column::ShelterId.eq(shelter_row.id))
        .filter(shelter_staff::Column::UserId.eq(*scope.user_id().as_uuid()))
        .one(&txn)
        .await?
        .is_some();
    if !assigned && !scope.has(Permission::SheltersManage) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::SheltersManage).await);
    }
    let now = crate::now();
    let mut v = Validator::default();
    occurred_at(&mut v, new.occurred_at, now);
    text(&mut v, "description", &new.description);
    if let Some(actions) = &new.actions_taken {
        text(&mut v, "actions_taken", actions);
    }
    let codes = involved(
        &txn,
        tenant,
        shelter_row.id,
        &new.involved_case_codes,
        &BTreeSet::new(),
        &mut v,
    )
    .await?;
    v.finish()?;
    let key = fieldcrypt::tenant_key(&txn, master, tenant).await?;
    let id = Uuid::now_v7();
    let row = incident::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        shelter_id: Set(shelter_row.id),
        occurred_at: Set(new.occurred_at),
        category: Set(new.category.as_str().to_owned()),
        severity: Set(new.severity.as_str().to_owned()),
        involved_case_codes: Set(codes.join(",")),
        description_sealed: Set(key.seal_str(&field(tenant, id, "description"), &new.description)?),
        actions_taken_sealed: Set(new
            .actions_taken
            .as_deref()
            .map(|t| key.seal_str(&field(tenant, id, "actions_taken"), t))
            .transpose()?),
        follow_up_status: Set(new
            .follow_up_status
            .unwrap_or(IncidentFollowUp::Open)
            .as_str()
            .to_owned()),
        reported_by: Set(*scope.user_id().as_uuid()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let notified = if is_serious(new.category, new.severity) {
        notify(&txn, scope, &row, &shelter_row.name).await?
    } else {
        0
    };
    audit::record(
        &txn,
        tenant,
        Event::new("incident.created", Actor::user(scope), Outcome::Success)
            .target("incident", id)
            .details(serde_json::json!({
                "shelter": row.shelter_id,
                "category": row.category,
                "severity": row.severity,
                "notified": notified,
            })),
    )
    .await?;
    txn.commit().await?;
    // The reporter sees what they wrote back when their role may read it.
    view(row, may_open(scope).then_some(&key))
}

/// Incidents the caller may see, newest first, without the sealed texts.
///
/// # Errors
/// `Forbidden` without `shelters.read`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &IncidentFilter,
) -> DomainResult<Vec<IncidentView>> {
    require(db, scope, Permission::SheltersRead).await?;
    let txn = scope.begin(db).await?;
    let mut query = incident::Entity::scoped(scope.tenant_id())
        .filter(visible(scope))
        .order_by_desc(incident::Column::Id);
    if let Some(shelter) = filter.shelter {
        query = query.filter(incident::Column::ShelterId.eq(shelter));
    }
    if let Some(category) = filter.category {
        query = query.filter(incident::Column::Category.eq(category.as_str()));
    }
    if let Some(severity) = filter.severity {
        query = query.filter(incident::Column::Severity.eq(severity.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(incident::Column::OccurredAt.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(incident::Column::OccurredAt.lt(to));
    }
    if let Some(before) = filter.before {
        query = query.filter(incident::Column::Id.lt(before));
    }
    let rows = query.limit(filter.limit).all(&txn).await?;
    txn.commit().await?;
    rows.into_iter().map(|row| view(row, None)).collect()
}

async fn visible_incident<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<Option<incident::Model>> {
    Ok(incident::Entity::scoped(scope.tenant_id())
        .filter(incident::Column::Id.eq(id))
        .filter(visible(scope))
        .one(conn)
        .await?)
}

async fn audit_read(
    txn: &DatabaseTransaction,
    scope: &TenantScope,
    row: &incident::Model,
) -> DomainResult<()> {
    audit::record(
        txn,
        scope.tenant_id(),
        Event::new(
            "incident.description_read",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("incident", row.id)
        .details(serde_json::json!({"shelter": row.shelter_id})),
    )
    .await?;
    Ok(())
}

/// One incident the caller may see; the sealed texts are opened (and the reading audited) for
/// those who may read them.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn get(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<IncidentView> {
    let txn = scope.begin(db).await?;
    let Some(row) = visible_incident(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "incident", id).await);
    };
    let key = if may_open(scope) {
        audit_read(&txn, scope, &row).await?;
        Some(fieldcrypt::tenant_key(&txn, master, scope.tenant_id()).await?)
    } else {
        None
    };
    txn.commit().await?;
    view(row, key.as_ref())
}

/// The version tag of an incident, for `ETag` / `If-Match`.
#[must_use]
pub fn etag(row: &incident::Model) -> String {
    format!("\"{}\"", row.updated_at.timestamp_micros())
}

/// Changes an incident (its follow-up, severity, the account of it). Only those who may read
/// its sealed texts change it. Needs `If-Match`. Becoming serious notifies like a new one.
///
/// # Errors
/// `NotFound`; `Forbidden` without `residents.read` or `shelters.manage`;
/// `PreconditionRequired`/`PreconditionFailed`; `Invalid` fields; database errors.
pub async fn update(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
    change: IncidentChange,
    if_match: Option<&str>,
) -> DomainResult<IncidentView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible_incident(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "incident", id).await);
    };
    if !may_open(scope) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::ResidentsRead).await);
    }
    let now = crate::now();
    let mut v = Validator::default();
    if let Some(at) = change.occurred_at {
        occurred_at(&mut v, at, now);
    }
    if let Some(description) = &change.description {
        text(&mut v, "description", description);
    }
    if let Some(Some(actions)) = &change.actions_taken {
        text(&mut v, "actions_taken", actions);
    }
    let codes = match &change.involved_case_codes {
        Some(codes) => {
            let known = split_codes(&row.involved_case_codes).into_iter().collect();
            Some(involved(&txn, tenant, row.shelter_id, codes, &known, &mut v).await?)
        }
        None => None,
    };
    v.finish()?;
    crate::access::check_version(if_match, &etag(&row))?;

    let key = fieldcrypt::tenant_key(&txn, master, tenant).await?;
    let before = view(row.clone(), None)?;
    let was_serious = is_serious(before.category, before.severity);
    let category = change.category.unwrap_or(before.category);
    let severity = change.severity.unwrap_or(before.severity);
    let mut model: incident::ActiveModel = row.into();
    if let Some(at) = change.occurred_at {
        model.occurred_at = Set(at);
    }
    model.category = Set(category.as_str().to_owned());
    model.severity = Set(severity.as_str().to_owned());
    if let Some(codes) = codes {
        model.involved_case_codes = Set(codes.join(","));
    }
    if let Some(description) = &change.description {
        model.description_sealed =
            Set(key.seal_str(&field(tenant, id, "description"), description)?);
    }
    match &change.actions_taken {
        Some(Some(actions)) => {
            model.actions_taken_sealed = Set(Some(
                key.seal_str(&field(tenant, id, "actions_taken"), actions)?,
            ));
        }
        Some(None) => model.actions_taken_sealed = Set(None),
        None => {}
    }
    if let Some(status) = change.follow_up_status {
        model.follow_up_status = Set(status.as_str().to_owned());
    }
    model.updated_at = Set(now);
    let updated = model.update(&txn).await?;
    let notified = if !was_serious && is_serious(category, severity) {
        let name = shelter::Entity::scoped(tenant)
            .filter(shelter::Column::Id.eq(updated.shelter_id))
            .one(&txn)
            .await?
            .map(|s| s.name)
            .unwrap_or_default();
        notify(&txn, scope, &updated, &name).await?
    } else {
        0
    };
    audit::record(
        &txn,
        tenant,
        Event::new("incident.updated", Actor::user(scope), Outcome::Success)
            .target("incident", id)
            .details(serde_json::json!({
                "shelter": updated.shelter_id,
                "severity": updated.severity,
                "follow_up_status": updated.follow_up_status,
                "notified": notified,
            })),
    )
    .await?;
    audit_read(&txn, scope, &updated).await?;
    txn.commit().await?;
    view(updated, Some(&key))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn only_serious_security_incidents_notify() {
        use IncidentCategory as C;
        use IncidentSeverity as S;
        assert!(is_serious(C::Security, S::High));
        assert!(is_serious(C::ContactAttemptByTraffickers, S::Critical));
        assert!(!is_serious(C::Security, S::Medium));
        assert!(!is_serious(C::HealthEmergency, S::Critical));
    }
}
