//! The service log: every service given to a client — its area and type (from the
//! [`taxonomy`]), the day, how long it took, who gave it (a user of the organisation or an
//! outside organisation), the support-plan goal it served, and a note sealed with the client's
//! data key. Filterable per case, area and period across the cases a caller may see.

pub mod taxonomy;

use crate::access::not_found;
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::cases::case_visible;
use crate::clients::client_data_key;
use crate::crypto::MasterKey;
use crate::entities::{service_entry, support_goal};
use crate::error::{DomainResult, Validator};
use crate::fieldcrypt::DataKey;
use crate::ids::TenantId;
use crate::support::{
    bounded_text, case_for_work, check_if_match, check_users, ensure_open, field, open_opt,
    past_day, reader_key, require_work, seal_opt, tenant_today, version_tag,
};
use crate::tenancy::TenantScope;
use crate::vocab::ServiceArea;
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, QueryFilter as _,
    QueryOrder as _, QuerySelect as _, Set,
};
use uuid::Uuid;

/// The table sealed fields belong to (part of their associated data).
const TABLE: &str = "service_entries";
/// Longest note, in characters.
const MAX_NOTE: usize = 4_000;
/// Longest outside organisation name, in characters.
const MAX_ORGANISATION: usize = 200;
/// Longest service, in minutes: a day.
const MAX_MINUTES: u32 = 1_440;

/// A new entry of the service log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewService {
    pub area: ServiceArea,
    /// A code of the taxonomy, of `area`.
    pub service_type: String,
    pub provided_on: NaiveDate,
    pub duration_minutes: u32,
    /// A user of the tenant; or else `provider_organisation_name`.
    pub provider_user_id: Option<Uuid>,
    pub provider_organisation_name: Option<String>,
    /// A goal of the same case.
    pub goal_id: Option<Uuid>,
    /// Sealed at rest with the client's data key.
    pub note: Option<String>,
}

/// A change to an entry: absent fields stay; `Some(None)` clears an optional one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceChange {
    pub area: Option<ServiceArea>,
    pub service_type: Option<String>,
    pub provided_on: Option<NaiveDate>,
    pub duration_minutes: Option<u32>,
    pub provider_user_id: Option<Option<Uuid>>,
    pub provider_organisation_name: Option<Option<String>>,
    pub goal_id: Option<Option<Uuid>>,
    pub note: Option<Option<String>>,
}

impl ServiceChange {
    fn fields(&self) -> Vec<&'static str> {
        [
            ("area", self.area.is_some()),
            ("service_type", self.service_type.is_some()),
            ("provided_on", self.provided_on.is_some()),
            ("duration_minutes", self.duration_minutes.is_some()),
            ("provider_user_id", self.provider_user_id.is_some()),
            (
                "provider_organisation_name",
                self.provider_organisation_name.is_some(),
            ),
            ("goal_id", self.goal_id.is_some()),
            ("note", self.note.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect()
    }
}

/// An entry as stored, with the note opened when the reader may see it.
#[derive(Clone, Debug)]
pub struct ServiceView {
    pub row: service_entry::Model,
    pub area: ServiceArea,
    pub note: Option<String>,
    /// Whether the note was opened for this reader.
    pub sealed_shown: bool,
}

/// Filters of the service log.
#[derive(Debug, Default, Clone)]
pub struct ServiceFilter {
    pub case: Option<Uuid>,
    pub area: Option<ServiceArea>,
    /// Services on or after this day.
    pub from: Option<NaiveDate>,
    /// Services on or before this day.
    pub to: Option<NaiveDate>,
    /// Entries after this one (newest first: by day, then id, descending).
    pub after: Option<(NaiveDate, Uuid)>,
    pub limit: u64,
}

pub(crate) fn view(row: service_entry::Model, key: Option<&DataKey>) -> DomainResult<ServiceView> {
    let tenant = TenantId::from_uuid(row.tenant_id);
    let note = open_opt(
        key,
        &field(tenant, TABLE, row.id, "note"),
        row.note_sealed.as_deref(),
    )?;
    Ok(ServiceView {
        area: ServiceArea::parse(&row.area).unwrap_or(ServiceArea::Residential),
        note,
        sealed_shown: key.is_some(),
        row,
    })
}

/// The version tag of an entry, for `ETag` / `If-Match`.
#[must_use]
pub fn etag(row: &service_entry::Model) -> String {
    version_tag(row.updated_at)
}

/// What an entry is checked against, whole (after a change is applied).
struct Checked<'a> {
    area: ServiceArea,
    service_type: &'a str,
    provided_on: NaiveDate,
    duration_minutes: u32,
    provider_user_id: Option<Uuid>,
    provider_organisation_name: Option<&'a str>,
    goal_id: Option<Uuid>,
}

/// Checks everything that needs no database.
fn validate(v: &mut Validator, e: &Checked<'_>, today: NaiveDate) -> DomainResult<()> {
    match taxonomy::current()?.area_of(e.service_type) {
        None => v.note(
            "service_type",
            "is not a service type (see GET /api/v1/service-types)",
        ),
        Some(area) if area != e.area => v.note(
            "service_type",
            format!(
                "is a type of the `{}` area, not of `{}`",
                area.as_str(),
                e.area.as_str()
            ),
        ),
        Some(_) => {}
    }
    past_day(v, "provided_on", e.provided_on, today);
    if !(1..=MAX_MINUTES).contains(&e.duration_minutes) {
        v.note(
            "duration_minutes",
            format!("must be 1 to {MAX_MINUTES} minutes"),
        );
    }
    match (e.provider_user_id, e.provider_organisation_name) {
        (Some(_), Some(_)) | (None, None) => v.note(
            "provider_user_id",
            "name the provider: a user of this organisation or an outside organisation, one of them",
        ),
        (None, Some(name)) => {
            bounded_text(v, "provider_organisation_name", name, MAX_ORGANISATION);
        }
        (Some(_), None) => {}
    }
    Ok(())
}

/// Checks the provider and the goal against the database.
async fn check_links<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    case_id: Uuid,
    e: &Checked<'_>,
    v: &mut Validator,
) -> DomainResult<()> {
    if let Some(user) = e.provider_user_id {
        check_users(conn, tenant, &[("provider_user_id".to_owned(), user)], v).await?;
    }
    if let Some(goal) = e.goal_id {
        let found = support_goal::Entity::scoped(tenant)
            .filter(support_goal::Column::Id.eq(goal))
            .filter(support_goal::Column::CaseId.eq(case_id))
            .select_only()
            .column(support_goal::Column::Id)
            .into_tuple::<Uuid>()
            .one(conn)
            .await?;
        if found.is_none() {
            v.note("goal_id", "is not a goal of this case");
        }
    }
    Ok(())
}

/// Logs a service given on a visible, open case.
///
/// # Errors
/// `Forbidden` without `cases.work`; `NotFound` for an unseen case; `Conflict case_closed`;
/// `Invalid` fields (a type of another area, a future day, a goal of another case…);
/// `Conflict client_erased` for a note about an erased client; database errors.
pub async fn create(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    case_id: Uuid,
    entry: NewService,
) -> DomainResult<ServiceView> {
    let tenant = scope.tenant_id();
    let (txn, case_row) = case_for_work(db, scope, case_id, true).await?;
    let checked = Checked {
        area: entry.area,
        service_type: &entry.service_type,
        provided_on: entry.provided_on,
        duration_minutes: entry.duration_minutes,
        provider_user_id: entry.provider_user_id,
        provider_organisation_name: entry.provider_organisation_name.as_deref(),
        goal_id: entry.goal_id,
    };
    let mut v = Validator::default();
    validate(&mut v, &checked, tenant_today(&txn, tenant).await?)?;
    if let Some(note) = &entry.note {
        bounded_text(&mut v, "note", note, MAX_NOTE);
    }
    check_links(&txn, tenant, case_id, &checked, &mut v).await?;
    v.finish()?;
    let key = client_data_key(&txn, master, tenant, case_row.client_id).await?;
    let id = Uuid::now_v7();
    let now = crate::now();
    let row = service_entry::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        case_id: Set(case_id),
        client_id: Set(case_row.client_id),
        area: Set(entry.area.as_str().to_owned()),
        service_type: Set(entry.service_type.clone()),
        provided_on: Set(entry.provided_on),
        duration_minutes: Set(i32::try_from(entry.duration_minutes).unwrap_or(i32::MAX)),
        provider_user_id: Set(entry.provider_user_id),
        provider_organisation_name: Set(entry
            .provider_organisation_name
            .as_deref()
            .map(|n| n.trim().to_owned())),
        provider_organisation_id: Set(None),
        goal_id: Set(entry.goal_id),
        note_sealed: Set(seal_opt(
            key.as_ref(),
            &field(tenant, TABLE, id, "note"),
            entry.note.as_deref(),
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
        Event::new(
            "service_entry.created",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("service_entry", id)
        .details(serde_json::json!({
            "case": case_id,
            "area": entry.area.as_str(),
            "service_type": entry.service_type,
        })),
    )
    .await?;
    txn.commit().await?;
    let shown = key.filter(|_| scope.has(Permission::ClientIdentityRead));
    view(row, shown.as_ref())
}

/// Entries of the cases the caller may see, newest first, without notes (read one entry for
/// its note). A `case` filter on a case the caller may not see lists nothing.
///
/// # Errors
/// `Forbidden` without `cases.work`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &ServiceFilter,
) -> DomainResult<Vec<ServiceView>> {
    require_work(db, scope).await?;
    let txn = scope.begin(db).await?;
    let rows = query(filter, scope).all(&txn).await?;
    txn.commit().await?;
    rows.into_iter().map(|row| view(row, None)).collect()
}

/// Entries of one visible case, newest first, without notes.
///
/// # Errors
/// `Forbidden` without `cases.work`; `NotFound` for an unseen case; database errors.
pub async fn list_for_case(
    db: &DatabaseConnection,
    scope: &TenantScope,
    case_id: Uuid,
    filter: &ServiceFilter,
) -> DomainResult<Vec<ServiceView>> {
    let (txn, _) = case_for_work(db, scope, case_id, false).await?;
    let filter = ServiceFilter {
        case: Some(case_id),
        ..filter.clone()
    };
    let rows = query(&filter, scope).all(&txn).await?;
    txn.commit().await?;
    rows.into_iter().map(|row| view(row, None)).collect()
}

fn query(filter: &ServiceFilter, scope: &TenantScope) -> sea_orm::Select<service_entry::Entity> {
    use service_entry::Column as C;
    let mut query = service_entry::Entity::scoped(scope.tenant_id())
        .filter(case_visible(scope, C::CaseId))
        .order_by_desc(C::ProvidedOn)
        .order_by_desc(C::Id);
    if let Some(case) = filter.case {
        query = query.filter(C::CaseId.eq(case));
    }
    if let Some(area) = filter.area {
        query = query.filter(C::Area.eq(area.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(C::ProvidedOn.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(C::ProvidedOn.lte(to));
    }
    if let Some((day, id)) = filter.after {
        query = query.filter(
            sea_orm::Condition::any().add(C::ProvidedOn.lt(day)).add(
                sea_orm::Condition::all()
                    .add(C::ProvidedOn.eq(day))
                    .add(C::Id.lt(id)),
            ),
        );
    }
    query.limit(filter.limit)
}

async fn visible_entry<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<Option<service_entry::Model>> {
    Ok(service_entry::Entity::scoped(scope.tenant_id())
        .filter(service_entry::Column::Id.eq(id))
        .filter(case_visible(scope, service_entry::Column::CaseId))
        .one(conn)
        .await?)
}

/// One entry of a visible case; its note opened (and the reading audited) for readers with
/// `clients.identity_read`.
///
/// # Errors
/// `Forbidden` without `cases.work`; `NotFound`; database errors.
pub async fn get(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<ServiceView> {
    require_work(db, scope).await?;
    let txn = scope.begin(db).await?;
    let Some(row) = visible_entry(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "service_entry", id).await);
    };
    let key = reader_key(&txn, master, scope, row.client_id).await?;
    if key.is_some() && row.note_sealed.is_some() {
        audit::record(
            &txn,
            scope.tenant_id(),
            Event::new("service_entry.read", Actor::user(scope), Outcome::Success)
                .target("service_entry", id)
                .details(serde_json::json!({"case": row.case_id})),
        )
        .await?;
    }
    txn.commit().await?;
    view(row, key.as_ref())
}

/// Changes an entry of a visible, open case. Needs `If-Match` with the version the caller read.
///
/// # Errors
/// `Forbidden`; `NotFound`; `PreconditionRequired`/`PreconditionFailed`; `Conflict
/// case_closed`; `Invalid` fields; `Conflict client_erased`; database errors.
pub async fn update(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
    change: ServiceChange,
    if_match: Option<&str>,
) -> DomainResult<ServiceView> {
    let tenant = scope.tenant_id();
    require_work(db, scope).await?;
    let txn = scope.begin(db).await?;
    let Some(row) = visible_entry(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "service_entry", id).await);
    };
    ensure_open(&txn, tenant, row.case_id).await?;
    let stored_area = ServiceArea::parse(&row.area).unwrap_or(ServiceArea::Residential);
    let checked = Checked {
        area: change.area.unwrap_or(stored_area),
        service_type: change.service_type.as_deref().unwrap_or(&row.service_type),
        provided_on: change.provided_on.unwrap_or(row.provided_on),
        duration_minutes: change
            .duration_minutes
            .unwrap_or_else(|| u32::try_from(row.duration_minutes).unwrap_or_default()),
        provider_user_id: change.provider_user_id.unwrap_or(row.provider_user_id),
        provider_organisation_name: match &change.provider_organisation_name {
            Some(name) => name.as_deref(),
            None => row.provider_organisation_name.as_deref(),
        },
        goal_id: change.goal_id.unwrap_or(row.goal_id),
    };
    let mut v = Validator::default();
    validate(&mut v, &checked, tenant_today(&txn, tenant).await?)?;
    if let Some(Some(note)) = &change.note {
        bounded_text(&mut v, "note", note, MAX_NOTE);
    }
    // Only what changes is looked up again: a provider who has since left stays on record.
    let links = Checked {
        provider_user_id: change.provider_user_id.flatten(),
        goal_id: change.goal_id.flatten(),
        ..checked
    };
    check_links(&txn, tenant, row.case_id, &links, &mut v).await?;
    v.finish()?;
    check_if_match(if_match, &etag(&row))?;

    let key = client_data_key(&txn, master, tenant, row.client_id).await?;
    let mut model: service_entry::ActiveModel = row.clone().into();
    model.area = Set(links.area.as_str().to_owned());
    model.service_type = Set(links.service_type.to_owned());
    model.provided_on = Set(links.provided_on);
    model.duration_minutes = Set(i32::try_from(links.duration_minutes).unwrap_or(i32::MAX));
    model.provider_user_id = Set(change.provider_user_id.unwrap_or(row.provider_user_id));
    model.provider_organisation_name = Set(links
        .provider_organisation_name
        .map(|n| n.trim().to_owned()));
    model.goal_id = Set(change.goal_id.unwrap_or(row.goal_id));
    if let Some(note) = &change.note {
        model.note_sealed = Set(seal_opt(
            key.as_ref(),
            &field(tenant, TABLE, id, "note"),
            note.as_deref(),
        )?);
    }
    model.updated_at = Set(crate::now());
    let updated = model.update(&txn).await?;
    audit::record(
        &txn,
        tenant,
        Event::new(
            "service_entry.updated",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("service_entry", id)
        .details(serde_json::json!({"case": row.case_id, "fields": change.fields()})),
    )
    .await?;
    let shown = key.filter(|_| scope.has(Permission::ClientIdentityRead));
    if shown.is_some() && change.note.is_none() && updated.note_sealed.is_some() {
        audit::record(
            &txn,
            tenant,
            Event::new("service_entry.read", Actor::user(scope), Outcome::Success)
                .target("service_entry", id)
                .details(serde_json::json!({"case": row.case_id})),
        )
        .await?;
    }
    txn.commit().await?;
    view(updated, shown.as_ref())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::error::DomainError;

    fn fields(e: &Checked<'_>) -> Vec<String> {
        let mut v = Validator::default();
        validate(&mut v, e, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()).unwrap();
        match v.finish() {
            Ok(()) => vec![],
            Err(DomainError::Invalid(list)) => list.into_iter().map(|i| i.field).collect(),
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn entries_are_checked_field_by_field() {
        let ok = Checked {
            area: ServiceArea::Legal,
            service_type: "lawyer_meeting",
            provided_on: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            duration_minutes: 90,
            provider_user_id: Some(Uuid::now_v7()),
            provider_organisation_name: None,
            goal_id: None,
        };
        assert!(fields(&ok).is_empty());
        let rows: Vec<(Checked<'_>, &str)> = vec![
            (
                Checked {
                    area: ServiceArea::Medical,
                    ..ok
                },
                "service_type",
            ),
            (
                Checked {
                    service_type: "teleportation",
                    ..ok
                },
                "service_type",
            ),
            (
                Checked {
                    provided_on: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
                    ..ok
                },
                "provided_on",
            ),
            (
                Checked {
                    duration_minutes: 0,
                    ..ok
                },
                "duration_minutes",
            ),
            (
                Checked {
                    duration_minutes: 1_441,
                    ..ok
                },
                "duration_minutes",
            ),
            (
                Checked {
                    provider_organisation_name: Some("Legal aid office"),
                    ..ok
                },
                "provider_user_id",
            ),
            (
                Checked {
                    provider_user_id: None,
                    provider_organisation_name: Some(" "),
                    ..ok
                },
                "provider_organisation_name",
            ),
        ];
        for (entry, field) in rows {
            assert_eq!(fields(&entry), [field], "{field}");
        }
    }
}
