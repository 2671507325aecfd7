//! Technical-assistance engagements: a partner organisation or government body, its country,
//! the kind of support, the period, the deliverables and where the work stands. Tenant-owned:
//! `training.manage` records and changes them, `training.read` reads them.

use crate::access::{forbidden, not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::entities::ta_engagement;
use crate::error::{DomainError, DomainResult, Validator};
use crate::tenancy::TenantScope;
use crate::types::CountryCode;
use crate::vocab::{EngagementStatus, EngagementType, PartnerKind};
use chrono::{Datelike as _, NaiveDate};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, QueryFilter as _,
    QueryOrder as _, QuerySelect as _, Set,
};
use uuid::Uuid;

/// Longest partner name, in characters.
pub const MAX_PARTNER_NAME: usize = 200;
/// Most deliverables on one engagement.
pub const MAX_DELIVERABLES: usize = 30;
/// Longest deliverable, in characters.
pub const MAX_DELIVERABLE: usize = 500;

/// A new engagement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEngagement {
    pub partner_name: String,
    pub partner_kind: PartnerKind,
    /// ISO 3166-1 alpha-2, any case.
    pub country: String,
    pub engagement_type: EngagementType,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub deliverables: Vec<String>,
    pub status: EngagementStatus,
}

/// A change to an engagement: absent fields stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EngagementChange {
    pub partner_name: Option<String>,
    pub partner_kind: Option<PartnerKind>,
    pub country: Option<String>,
    pub engagement_type: Option<EngagementType>,
    pub starts_on: Option<NaiveDate>,
    /// `Some(None)` clears it.
    pub ends_on: Option<Option<NaiveDate>>,
    pub deliverables: Option<Vec<String>>,
    pub status: Option<EngagementStatus>,
}

impl EngagementChange {
    fn fields(&self) -> Vec<&'static str> {
        [
            ("partner_name", self.partner_name.is_some()),
            ("partner_kind", self.partner_kind.is_some()),
            ("country", self.country.is_some()),
            ("engagement_type", self.engagement_type.is_some()),
            ("starts_on", self.starts_on.is_some()),
            ("ends_on", self.ends_on.is_some()),
            ("deliverables", self.deliverables.is_some()),
            ("status", self.status.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect()
    }
}

/// An engagement as read back.
#[derive(Clone, Debug)]
pub struct EngagementView {
    pub row: ta_engagement::Model,
    pub partner_kind: PartnerKind,
    pub engagement_type: EngagementType,
    pub status: EngagementStatus,
    pub deliverables: Vec<String>,
}

impl EngagementView {
    fn new(row: ta_engagement::Model) -> Self {
        Self {
            partner_kind: PartnerKind::parse(&row.partner_kind).unwrap_or(PartnerKind::Other),
            engagement_type: EngagementType::parse(&row.engagement_type)
                .unwrap_or(EngagementType::ExpertConsultation),
            status: EngagementStatus::parse(&row.status).unwrap_or(EngagementStatus::Planned),
            deliverables: serde_json::from_str(&row.deliverables).unwrap_or_default(),
            row,
        }
    }
}

/// Filters of the engagement list.
#[derive(Debug, Default, Clone)]
pub struct EngagementFilter {
    pub status: Option<EngagementStatus>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: Option<String>,
    /// Engagements after this id (newest first, so: older than it).
    pub before: Option<Uuid>,
    pub limit: u64,
}

fn deliverables(v: &mut Validator, items: &[String]) {
    if items.len() > MAX_DELIVERABLES {
        v.note(
            "deliverables",
            format!("may hold at most {MAX_DELIVERABLES} items"),
        );
    }
    if items
        .iter()
        .any(|d| d.trim().is_empty() || d.chars().count() > MAX_DELIVERABLE)
    {
        v.note(
            "deliverables",
            format!("each must be 1 to {MAX_DELIVERABLE} characters"),
        );
    }
}

fn date(v: &mut Validator, field: &str, day: NaiveDate) {
    if !(2000..=2100).contains(&day.year()) {
        v.note(field, "must be between the years 2000 and 2100");
    }
}

fn period(v: &mut Validator, starts_on: NaiveDate, ends_on: Option<NaiveDate>) {
    if ends_on.is_some_and(|end| end < starts_on) {
        v.note("ends_on", "must not be before starts_on");
    }
}

fn country(v: &mut Validator, raw: &str) -> Option<String> {
    v.take(CountryCode::parse("country", raw))
        .map(CountryCode::into_inner)
}

fn encode(items: &[String]) -> DomainResult<String> {
    let trimmed: Vec<&str> = items.iter().map(|d| d.trim()).collect();
    serde_json::to_string(&trimmed).map_err(|e| DomainError::Internal(e.into()))
}

/// Records an engagement.
///
/// # Errors
/// `Forbidden` without `training.manage`; `Invalid` fields; database errors.
pub async fn create(
    db: &DatabaseConnection,
    scope: &TenantScope,
    new: NewEngagement,
) -> DomainResult<EngagementView> {
    require(db, scope, Permission::TrainingManage).await?;
    let tenant = scope.tenant_id();
    let mut v = Validator::default();
    v.one_line("partner_name", &new.partner_name, MAX_PARTNER_NAME);
    let country = country(&mut v, &new.country);
    date(&mut v, "starts_on", new.starts_on);
    if let Some(end) = new.ends_on {
        date(&mut v, "ends_on", end);
    }
    period(&mut v, new.starts_on, new.ends_on);
    deliverables(&mut v, &new.deliverables);
    v.finish()?;
    let country = country.ok_or_else(|| DomainError::invalid("country", "is required"))?;
    let id = Uuid::now_v7();
    let now = crate::now();
    let txn = scope.begin(db).await?;
    let row = ta_engagement::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        partner_name: Set(new.partner_name.trim().to_owned()),
        partner_kind: Set(new.partner_kind.as_str().to_owned()),
        country: Set(country),
        engagement_type: Set(new.engagement_type.as_str().to_owned()),
        starts_on: Set(new.starts_on),
        ends_on: Set(new.ends_on),
        deliverables: Set(encode(&new.deliverables)?),
        status: Set(new.status.as_str().to_owned()),
        created_by: Set(*scope.user_id().as_uuid()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        tenant,
        Event::new(
            "ta_engagement.created",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("ta_engagement", id)
        .details(serde_json::json!({
            "type": row.engagement_type,
            "country": row.country,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(EngagementView::new(row))
}

/// The organisation's engagements, newest first.
///
/// # Errors
/// `Forbidden` without `training.read`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &EngagementFilter,
) -> DomainResult<Vec<EngagementView>> {
    require(db, scope, Permission::TrainingRead).await?;
    let txn = scope.begin(db).await?;
    let mut query =
        ta_engagement::Entity::scoped(scope.tenant_id()).order_by_desc(ta_engagement::Column::Id);
    if let Some(status) = filter.status {
        query = query.filter(ta_engagement::Column::Status.eq(status.as_str()));
    }
    if let Some(country) = &filter.country {
        query = query.filter(ta_engagement::Column::Country.eq(country.as_str()));
    }
    if let Some(before) = filter.before {
        query = query.filter(ta_engagement::Column::Id.lt(before));
    }
    let rows = query.limit(filter.limit).all(&txn).await?;
    txn.commit().await?;
    Ok(rows.into_iter().map(EngagementView::new).collect())
}

async fn find<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<Option<ta_engagement::Model>> {
    Ok(ta_engagement::Entity::scoped(scope.tenant_id())
        .filter(ta_engagement::Column::Id.eq(id))
        .one(conn)
        .await?)
}

/// One engagement.
///
/// # Errors
/// `NotFound` (also for another organisation's); `Forbidden` without `training.read`;
/// database errors.
pub async fn get(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<EngagementView> {
    let txn = scope.begin(db).await?;
    let found = find(&txn, scope, id).await?;
    txn.commit().await?;
    let Some(row) = found else {
        return Err(not_found(db, scope, "ta_engagement", id).await);
    };
    if !scope.has(Permission::TrainingRead) {
        return Err(forbidden(db, scope, Permission::TrainingRead).await);
    }
    Ok(EngagementView::new(row))
}

/// The version tag of an engagement, for `ETag` / `If-Match`.
#[must_use]
pub fn etag(row: &ta_engagement::Model) -> String {
    format!("\"{}\"", row.updated_at.timestamp_micros())
}

/// Changes an engagement. Needs `training.manage` and `If-Match` with the version read.
///
/// # Errors
/// `NotFound`; `Forbidden`; `PreconditionRequired`/`PreconditionFailed`; `Invalid` fields;
/// database errors.
pub async fn update(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: Uuid,
    change: EngagementChange,
    if_match: Option<&str>,
) -> DomainResult<EngagementView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = find(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "ta_engagement", id).await);
    };
    if !scope.has(Permission::TrainingManage) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::TrainingManage).await);
    }
    let mut v = Validator::default();
    if let Some(text) = &change.partner_name {
        v.one_line("partner_name", text, MAX_PARTNER_NAME);
    }
    let new_country = change.country.as_deref().map(|raw| country(&mut v, raw));
    if let Some(start) = change.starts_on {
        date(&mut v, "starts_on", start);
    }
    if let Some(Some(end)) = change.ends_on {
        date(&mut v, "ends_on", end);
    }
    period(
        &mut v,
        change.starts_on.unwrap_or(row.starts_on),
        change.ends_on.unwrap_or(row.ends_on),
    );
    if let Some(items) = &change.deliverables {
        deliverables(&mut v, items);
    }
    v.finish()?;
    crate::access::check_version(if_match, &etag(&row))?;

    let fields = change.fields();
    let mut model: ta_engagement::ActiveModel = row.into();
    if let Some(text) = &change.partner_name {
        model.partner_name = Set(text.trim().to_owned());
    }
    if let Some(kind) = change.partner_kind {
        model.partner_kind = Set(kind.as_str().to_owned());
    }
    if let Some(Some(code)) = new_country {
        model.country = Set(code);
    }
    if let Some(kind) = change.engagement_type {
        model.engagement_type = Set(kind.as_str().to_owned());
    }
    if let Some(start) = change.starts_on {
        model.starts_on = Set(start);
    }
    if let Some(end) = change.ends_on {
        model.ends_on = Set(end);
    }
    if let Some(items) = &change.deliverables {
        model.deliverables = Set(encode(items)?);
    }
    if let Some(status) = change.status {
        model.status = Set(status.as_str().to_owned());
    }
    model.updated_at = Set(crate::now());
    let updated = model.update(&txn).await?;
    audit::record(
        &txn,
        tenant,
        Event::new(
            "ta_engagement.updated",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("ta_engagement", id)
        .details(serde_json::json!({"fields": fields, "status": updated.status})),
    )
    .await?;
    txn.commit().await?;
    Ok(EngagementView::new(updated))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn periods_and_deliverables_are_checked() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let mut v = Validator::default();
        period(&mut v, day(10), Some(day(9)));
        assert!(v.finish().is_err());
        let mut v = Validator::default();
        period(&mut v, day(10), Some(day(10)));
        deliverables(&mut v, &["Needs-assessment report".to_owned()]);
        assert!(v.finish().is_ok());
        let mut v = Validator::default();
        deliverables(&mut v, &[" ".to_owned()]);
        assert!(v.finish().is_err());
    }
}
