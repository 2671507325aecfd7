//! Legal proceedings a client takes part in — complaints, civil-party claims, labour and
//! compensation claims, residence appeals — with the client's role, the police, prosecution,
//! lawyers and courts involved, and the hearings.
//!
//! The proceeding's reference, the names of the people involved and hearing outcomes are
//! sealed with the client's data key and opened only for readers with `clients.identity_read`
//! (each such read of a stored value is audited). A scheduled hearing keeps a `hearing`
//! deadline in the case's agenda on its day (in the organisation's time zone).

use crate::access::{forbidden, not_found};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::cases::{case_visible, visible_case};
use crate::clients::client_data_key;
use crate::crypto::MasterKey;
use crate::documents::{
    MAX_NOTES, Wanted, bounded_text, case_closed, is_closed, open, seal, sync_deadlines,
};
use crate::entities::{hearing, legal_proceeding};
use crate::error::{DomainError, DomainResult, Validator};
use crate::fieldcrypt::{DataKey, FieldRef};
use crate::ids::TenantId;
use crate::tenancy::TenantScope;
use crate::vocab::{
    HearingStatus, LegalContactRole, ProceedingRole, ProceedingStatus, ProceedingType, Stage,
};
use chrono::{DateTime, Datelike as _, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

const PROCEEDINGS: &str = "legal_proceedings";
const HEARINGS: &str = "hearings";
/// Longest reference, jurisdiction, name, organisation or place, in characters.
const MAX_SHORT: usize = 200;
/// Most contacts of one proceeding.
const MAX_CONTACTS: usize = 30;

/// Someone involved in a proceeding: a police unit, a prosecutor, a lawyer, a court.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub role: LegalContactRole,
    /// A person's name: sealed at rest with the client's data key.
    pub name: Option<String>,
    pub organisation: Option<String>,
    /// The referral-directory entry of the organisation, when it has one.
    pub directory_organisation_id: Option<Uuid>,
}

/// A contact as stored: the name sealed.
#[derive(Serialize, Deserialize)]
struct StoredContact {
    role: LegalContactRole,
    name_sealed: Option<String>,
    organisation: Option<String>,
    directory_organisation_id: Option<Uuid>,
}

/// A new proceeding of a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewProceeding {
    pub proceeding_type: ProceedingType,
    pub status: ProceedingStatus,
    /// Sealed at rest with the client's data key.
    pub reference: Option<String>,
    pub jurisdiction: Option<String>,
    pub client_role: ProceedingRole,
    pub contacts: Vec<Contact>,
}

/// A change to a proceeding: absent fields stay as they are; `Some(None)` clears one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProceedingChange {
    pub proceeding_type: Option<ProceedingType>,
    pub status: Option<ProceedingStatus>,
    pub reference: Option<Option<String>>,
    pub jurisdiction: Option<Option<String>>,
    pub client_role: Option<ProceedingRole>,
    /// Replaces every contact.
    pub contacts: Option<Vec<Contact>>,
}

/// A proceeding with the sealed parts opened when the reader may see them.
#[derive(Clone, Debug)]
pub struct ProceedingView {
    pub row: legal_proceeding::Model,
    pub proceeding_type: ProceedingType,
    pub status: ProceedingStatus,
    pub client_role: ProceedingRole,
    pub reference: Option<String>,
    /// Names are `None` unless opened.
    pub contacts: Vec<Contact>,
    pub sealed_shown: bool,
}

/// A new hearing of a proceeding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewHearing {
    pub held_at: DateTime<Utc>,
    pub place: Option<String>,
    /// Sealed at rest with the client's data key.
    pub outcome: Option<String>,
    pub status: HearingStatus,
}

/// A change to a hearing: absent fields stay as they are; `Some(None)` clears one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HearingChange {
    pub held_at: Option<DateTime<Utc>>,
    pub place: Option<Option<String>>,
    pub outcome: Option<Option<String>>,
    pub status: Option<HearingStatus>,
}

/// A hearing with its outcome opened when the reader may see it.
#[derive(Clone, Debug)]
pub struct HearingView {
    pub row: hearing::Model,
    pub status: HearingStatus,
    pub outcome: Option<String>,
    pub sealed_shown: bool,
}

/// Page of a list.
#[derive(Debug, Default, Clone)]
pub struct Page {
    pub after: Option<Uuid>,
    pub limit: u64,
}

fn proceeding_field(tenant: TenantId, row: Uuid, name: &str) -> FieldRef<'_> {
    FieldRef {
        tenant,
        table: PROCEEDINGS,
        row,
        field: name,
    }
}

fn hearing_field(tenant: TenantId, row: Uuid) -> FieldRef<'static> {
    FieldRef {
        tenant,
        table: HEARINGS,
        row,
        field: "outcome",
    }
}

fn contact_field(i: usize) -> String {
    format!("contacts[{i}].name")
}

fn to_json<T: Serialize>(value: &T) -> DomainResult<String> {
    serde_json::to_string(value).map_err(|e| DomainError::Internal(e.into()))
}

fn stored_contacts(row: &legal_proceeding::Model) -> Vec<StoredContact> {
    serde_json::from_str(&row.contacts).unwrap_or_default()
}

fn seal_contacts(
    key: Option<&DataKey>,
    tenant: TenantId,
    id: Uuid,
    contacts: &[Contact],
) -> DomainResult<String> {
    let stored = contacts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let name = contact_field(i);
            Ok(StoredContact {
                role: c.role,
                name_sealed: seal(key, &proceeding_field(tenant, id, &name), c.name.as_deref())?,
                organisation: c.organisation.clone(),
                directory_organisation_id: c.directory_organisation_id,
            })
        })
        .collect::<DomainResult<Vec<_>>>()?;
    to_json(&stored)
}

fn has_sealed(row: &legal_proceeding::Model) -> bool {
    row.reference_sealed.is_some() || stored_contacts(row).iter().any(|c| c.name_sealed.is_some())
}

pub(crate) fn proceeding_view(
    row: legal_proceeding::Model,
    key: Option<&DataKey>,
) -> DomainResult<ProceedingView> {
    let tenant = TenantId::from_uuid(row.tenant_id);
    let reference = open(
        key,
        &proceeding_field(tenant, row.id, "reference"),
        row.reference_sealed.as_deref(),
    )?;
    let contacts = stored_contacts(&row)
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let name = contact_field(i);
            Ok(Contact {
                role: c.role,
                name: open(
                    key,
                    &proceeding_field(tenant, row.id, &name),
                    c.name_sealed.as_deref(),
                )?,
                organisation: c.organisation,
                directory_organisation_id: c.directory_organisation_id,
            })
        })
        .collect::<DomainResult<Vec<_>>>()?;
    Ok(ProceedingView {
        proceeding_type: ProceedingType::parse(&row.proceeding_type)
            .unwrap_or(ProceedingType::Other),
        status: ProceedingStatus::parse(&row.status).unwrap_or(ProceedingStatus::Considering),
        client_role: ProceedingRole::parse(&row.client_role).unwrap_or(ProceedingRole::Other),
        reference,
        contacts,
        sealed_shown: key.is_some(),
        row,
    })
}

pub(crate) fn hearing_view(
    row: hearing::Model,
    key: Option<&DataKey>,
) -> DomainResult<HearingView> {
    let tenant = TenantId::from_uuid(row.tenant_id);
    Ok(HearingView {
        status: HearingStatus::parse(&row.status).unwrap_or(HearingStatus::Scheduled),
        outcome: open(
            key,
            &hearing_field(tenant, row.id),
            row.outcome_sealed.as_deref(),
        )?,
        sealed_shown: key.is_some(),
        row,
    })
}

fn check_contacts(v: &mut Validator, contacts: &[Contact]) {
    if contacts.len() > MAX_CONTACTS {
        v.note("contacts", format!("name at most {MAX_CONTACTS} contacts"));
        return;
    }
    for (i, c) in contacts.iter().enumerate() {
        bounded_text(
            v,
            &format!("contacts[{i}].name"),
            c.name.as_deref(),
            MAX_SHORT,
        );
        bounded_text(
            v,
            &format!("contacts[{i}].organisation"),
            c.organisation.as_deref(),
            MAX_SHORT,
        );
        if c.name.is_none() && c.organisation.is_none() && c.directory_organisation_id.is_none() {
            v.note(
                &format!("contacts[{i}]"),
                "name a person, an organisation or a directory entry",
            );
        }
    }
}

fn check_held_at(v: &mut Validator, held_at: DateTime<Utc>) {
    if !(2000..=2150).contains(&held_at.year()) {
        v.note("held_at", "must be between 2000 and 2150");
    }
}

/// The day of `at` in the tenant's time zone (a 9:00 hearing in Brussels is on that day).
async fn local_day<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    at: DateTime<Utc>,
) -> DomainResult<NaiveDate> {
    crate::tenants::date_at(conn, tenant, at).await
}

/// Keeps the hearing's deadline in line: one on its day while it is scheduled; done once it
/// was held, cancelled otherwise.
async fn sync_hearing_deadline<C: ConnectionTrait>(
    conn: &C,
    row: &hearing::Model,
    proceeding_type: ProceedingType,
) -> DomainResult<()> {
    let tenant = TenantId::from_uuid(row.tenant_id);
    let status = HearingStatus::parse(&row.status).unwrap_or(HearingStatus::Scheduled);
    let wanted = if status == HearingStatus::Scheduled {
        vec![Wanted {
            kind: "hearing",
            title: format!("Hearing: {}", proceeding_type.as_str().replace('_', " ")),
            due_on: local_day(conn, tenant, row.held_at).await?,
        }]
    } else {
        Vec::new()
    };
    let close_as = if status == HearingStatus::Held {
        "done"
    } else {
        "cancelled"
    };
    sync_deadlines(
        conn,
        tenant,
        row.case_id,
        &format!("hearing:{}", row.id),
        None,
        &wanted,
        close_as,
    )
    .await
}

async fn visible_proceeding<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<Option<legal_proceeding::Model>> {
    Ok(legal_proceeding::Entity::scoped(scope.tenant_id())
        .filter(legal_proceeding::Column::Id.eq(id))
        .filter(case_visible(scope, legal_proceeding::Column::CaseId))
        .one(conn)
        .await?)
}

async fn visible_hearing<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<Option<hearing::Model>> {
    Ok(hearing::Entity::scoped(scope.tenant_id())
        .filter(hearing::Column::Id.eq(id))
        .filter(case_visible(scope, hearing::Column::CaseId))
        .one(conn)
        .await?)
}

async fn audit_event(
    txn: &DatabaseTransaction,
    scope: &TenantScope,
    action: &'static str,
    kind: &'static str,
    id: Uuid,
    details: serde_json::Value,
) -> DomainResult<()> {
    audit::record(
        txn,
        scope.tenant_id(),
        Event::new(action, Actor::user(scope), Outcome::Success)
            .target(kind, id)
            .details(details),
    )
    .await?;
    Ok(())
}

use crate::access::check_version as check_if_match;

/// The version tag of a proceeding, for `ETag` / `If-Match`.
#[must_use]
pub fn proceeding_etag(row: &legal_proceeding::Model) -> String {
    format!("\"{}\"", row.updated_at.timestamp_micros())
}

/// The version tag of a hearing, for `ETag` / `If-Match`.
#[must_use]
pub fn hearing_etag(row: &hearing::Model) -> String {
    format!("\"{}\"", row.updated_at.timestamp_micros())
}

/// Records a legal proceeding of a visible, open case.
///
/// # Errors
/// `NotFound` for an unseen case; `Forbidden` without `cases.work`; `Conflict case_closed`;
/// `Invalid` fields; `Conflict client_erased`; database errors.
pub async fn create_proceeding(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    case_id: Uuid,
    new: NewProceeding,
) -> DomainResult<ProceedingView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(case_row) = visible_case(&txn, scope, case_id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "case", case_id).await);
    };
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    if case_row.stage == Stage::Closed.as_str() {
        return Err(case_closed());
    }
    let mut v = Validator::default();
    bounded_text(&mut v, "reference", new.reference.as_deref(), MAX_SHORT);
    bounded_text(
        &mut v,
        "jurisdiction",
        new.jurisdiction.as_deref(),
        MAX_SHORT,
    );
    check_contacts(&mut v, &new.contacts);
    v.finish()?;
    let key = client_data_key(&txn, master, tenant, case_row.client_id).await?;
    let id = Uuid::now_v7();
    let now = crate::now();
    let row = legal_proceeding::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        case_id: Set(case_row.id),
        client_id: Set(case_row.client_id),
        proceeding_type: Set(new.proceeding_type.as_str().to_owned()),
        status: Set(new.status.as_str().to_owned()),
        reference_sealed: Set(seal(
            key.as_ref(),
            &proceeding_field(tenant, id, "reference"),
            new.reference.as_deref(),
        )?),
        jurisdiction: Set(new.jurisdiction.clone()),
        client_role: Set(new.client_role.as_str().to_owned()),
        contacts: Set(seal_contacts(key.as_ref(), tenant, id, &new.contacts)?),
        created_by: Set(Some(*scope.user_id().as_uuid())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit_event(
        &txn,
        scope,
        "legal_proceeding.created",
        "legal_proceeding",
        id,
        serde_json::json!({"case": case_row.id, "type": row.proceeding_type}),
    )
    .await?;
    txn.commit().await?;
    let shown = key.filter(|_| scope.has(Permission::ClientIdentityRead));
    proceeding_view(row, shown.as_ref())
}

/// The proceedings of a visible case, without references or names.
///
/// # Errors
/// `NotFound` for an unseen case; `Forbidden` without `cases.work`; database errors.
pub async fn list_proceedings(
    db: &DatabaseConnection,
    scope: &TenantScope,
    case_id: Uuid,
    page: &Page,
) -> DomainResult<Vec<ProceedingView>> {
    let txn = scope.begin(db).await?;
    if visible_case(&txn, scope, case_id).await?.is_none() {
        drop(txn);
        return Err(not_found(db, scope, "case", case_id).await);
    }
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    let mut query = legal_proceeding::Entity::scoped(scope.tenant_id())
        .filter(legal_proceeding::Column::CaseId.eq(case_id))
        .order_by_asc(legal_proceeding::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(legal_proceeding::Column::Id.gt(after));
    }
    let rows = query.limit(page.limit).all(&txn).await?;
    txn.commit().await?;
    rows.into_iter()
        .map(|row| proceeding_view(row, None))
        .collect()
}

/// One proceeding of a visible case; the reference and names are opened — and the reading
/// audited — only for readers with `clients.identity_read`.
///
/// # Errors
/// `NotFound`; `Forbidden` without `cases.work`; database errors.
pub async fn get_proceeding(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<ProceedingView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible_proceeding(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "legal_proceeding", id).await);
    };
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    let key = if scope.has(Permission::ClientIdentityRead) {
        client_data_key(&txn, master, tenant, row.client_id).await?
    } else {
        None
    };
    if key.is_some() && has_sealed(&row) {
        let details = serde_json::json!({"case": row.case_id});
        audit_event(
            &txn,
            scope,
            "legal_proceeding.sealed_read",
            "legal_proceeding",
            id,
            details,
        )
        .await?;
    }
    txn.commit().await?;
    proceeding_view(row, key.as_ref())
}

/// Changes a proceeding of a visible, open case. Needs `If-Match`.
///
/// # Errors
/// `NotFound`; `Forbidden` without `cases.work`; `PreconditionRequired`/`PreconditionFailed`;
/// `Conflict case_closed`; `Invalid` fields; `Conflict client_erased`; database errors.
pub async fn update_proceeding(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
    change: ProceedingChange,
    if_match: Option<&str>,
) -> DomainResult<ProceedingView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible_proceeding(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "legal_proceeding", id).await);
    };
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    if is_closed(&txn, tenant, row.case_id).await? {
        return Err(case_closed());
    }
    let mut v = Validator::default();
    if let Some(reference) = &change.reference {
        bounded_text(&mut v, "reference", reference.as_deref(), MAX_SHORT);
    }
    if let Some(jurisdiction) = &change.jurisdiction {
        bounded_text(&mut v, "jurisdiction", jurisdiction.as_deref(), MAX_SHORT);
    }
    if let Some(contacts) = &change.contacts {
        check_contacts(&mut v, contacts);
    }
    v.finish()?;
    check_if_match(if_match, &proceeding_etag(&row))?;
    let key = client_data_key(&txn, master, tenant, row.client_id).await?;
    let mut model: legal_proceeding::ActiveModel = row.clone().into();
    if let Some(kind) = change.proceeding_type {
        model.proceeding_type = Set(kind.as_str().to_owned());
    }
    if let Some(status) = change.status {
        model.status = Set(status.as_str().to_owned());
    }
    if let Some(reference) = &change.reference {
        model.reference_sealed = Set(seal(
            key.as_ref(),
            &proceeding_field(tenant, id, "reference"),
            reference.as_deref(),
        )?);
    }
    if let Some(jurisdiction) = &change.jurisdiction {
        model.jurisdiction = Set(jurisdiction.clone());
    }
    if let Some(role) = change.client_role {
        model.client_role = Set(role.as_str().to_owned());
    }
    if let Some(contacts) = &change.contacts {
        model.contacts = Set(seal_contacts(key.as_ref(), tenant, id, contacts)?);
    }
    model.updated_at = Set(crate::now());
    let updated = model.update(&txn).await?;
    audit_event(
        &txn,
        scope,
        "legal_proceeding.updated",
        "legal_proceeding",
        id,
        serde_json::json!({"case": row.case_id, "status": updated.status}),
    )
    .await?;
    let shown = key.filter(|_| scope.has(Permission::ClientIdentityRead));
    let reads_stored = (change.reference.is_none() && updated.reference_sealed.is_some())
        || (change.contacts.is_none()
            && stored_contacts(&updated)
                .iter()
                .any(|c| c.name_sealed.is_some()));
    if shown.is_some() && reads_stored {
        let details = serde_json::json!({"case": row.case_id});
        audit_event(
            &txn,
            scope,
            "legal_proceeding.sealed_read",
            "legal_proceeding",
            id,
            details,
        )
        .await?;
    }
    txn.commit().await?;
    proceeding_view(updated, shown.as_ref())
}

fn check_hearing(v: &mut Validator, place: Option<&str>, outcome: Option<&str>) {
    bounded_text(v, "place", place, MAX_SHORT);
    bounded_text(v, "outcome", outcome, MAX_NOTES);
}

/// Records a hearing of a visible proceeding of an open case; a scheduled one gets its
/// deadline.
///
/// # Errors
/// `NotFound` for an unseen proceeding; `Forbidden` without `cases.work`; `Conflict
/// case_closed`; `Invalid` fields; `Conflict client_erased`; database errors.
pub async fn create_hearing(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    proceeding_id: Uuid,
    new: NewHearing,
) -> DomainResult<HearingView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(proceeding) = visible_proceeding(&txn, scope, proceeding_id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "legal_proceeding", proceeding_id).await);
    };
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    if is_closed(&txn, tenant, proceeding.case_id).await? {
        return Err(case_closed());
    }
    let mut v = Validator::default();
    check_held_at(&mut v, new.held_at);
    check_hearing(&mut v, new.place.as_deref(), new.outcome.as_deref());
    v.finish()?;
    let key = client_data_key(&txn, master, tenant, proceeding.client_id).await?;
    let id = Uuid::now_v7();
    let now = crate::now();
    let row = hearing::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        proceeding_id: Set(proceeding.id),
        case_id: Set(proceeding.case_id),
        client_id: Set(proceeding.client_id),
        held_at: Set(new.held_at),
        place: Set(new.place.clone()),
        outcome_sealed: Set(seal(
            key.as_ref(),
            &hearing_field(tenant, id),
            new.outcome.as_deref(),
        )?),
        status: Set(new.status.as_str().to_owned()),
        created_by: Set(Some(*scope.user_id().as_uuid())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let kind = ProceedingType::parse(&proceeding.proceeding_type).unwrap_or(ProceedingType::Other);
    sync_hearing_deadline(&txn, &row, kind).await?;
    audit_event(
        &txn,
        scope,
        "hearing.created",
        "hearing",
        id,
        serde_json::json!({"case": row.case_id, "proceeding": proceeding.id, "status": row.status}),
    )
    .await?;
    txn.commit().await?;
    let shown = key.filter(|_| scope.has(Permission::ClientIdentityRead));
    hearing_view(row, shown.as_ref())
}

/// The hearings of a visible proceeding, without outcomes.
///
/// # Errors
/// `NotFound` for an unseen proceeding; `Forbidden` without `cases.work`; database errors.
pub async fn list_hearings(
    db: &DatabaseConnection,
    scope: &TenantScope,
    proceeding_id: Uuid,
    page: &Page,
) -> DomainResult<Vec<HearingView>> {
    let txn = scope.begin(db).await?;
    if visible_proceeding(&txn, scope, proceeding_id)
        .await?
        .is_none()
    {
        drop(txn);
        return Err(not_found(db, scope, "legal_proceeding", proceeding_id).await);
    }
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    let mut query = hearing::Entity::scoped(scope.tenant_id())
        .filter(hearing::Column::ProceedingId.eq(proceeding_id))
        .order_by_asc(hearing::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(hearing::Column::Id.gt(after));
    }
    let rows = query.limit(page.limit).all(&txn).await?;
    txn.commit().await?;
    rows.into_iter()
        .map(|row| hearing_view(row, None))
        .collect()
}

/// One hearing; its outcome is opened — and the reading audited — only for readers with
/// `clients.identity_read`.
///
/// # Errors
/// `NotFound`; `Forbidden` without `cases.work`; database errors.
pub async fn get_hearing(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<HearingView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible_hearing(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "hearing", id).await);
    };
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    let key = if scope.has(Permission::ClientIdentityRead) {
        client_data_key(&txn, master, tenant, row.client_id).await?
    } else {
        None
    };
    if key.is_some() && row.outcome_sealed.is_some() {
        let details = serde_json::json!({"case": row.case_id});
        audit_event(&txn, scope, "hearing.sealed_read", "hearing", id, details).await?;
    }
    txn.commit().await?;
    hearing_view(row, key.as_ref())
}

/// Changes a hearing (moves it, records that it was held and its outcome…) and keeps its
/// deadline in line. Needs `If-Match`.
///
/// # Errors
/// `NotFound`; `Forbidden` without `cases.work`; `PreconditionRequired`/`PreconditionFailed`;
/// `Conflict case_closed`; `Invalid` fields; `Conflict client_erased`; database errors.
pub async fn update_hearing(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
    change: HearingChange,
    if_match: Option<&str>,
) -> DomainResult<HearingView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible_hearing(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "hearing", id).await);
    };
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    if is_closed(&txn, tenant, row.case_id).await? {
        return Err(case_closed());
    }
    let mut v = Validator::default();
    if let Some(held_at) = change.held_at {
        check_held_at(&mut v, held_at);
    }
    check_hearing(
        &mut v,
        change.place.clone().flatten().as_deref(),
        change.outcome.clone().flatten().as_deref(),
    );
    v.finish()?;
    check_if_match(if_match, &hearing_etag(&row))?;
    let key = client_data_key(&txn, master, tenant, row.client_id).await?;
    let mut model: hearing::ActiveModel = row.clone().into();
    if let Some(held_at) = change.held_at {
        model.held_at = Set(held_at);
    }
    if let Some(place) = &change.place {
        model.place = Set(place.clone());
    }
    if let Some(outcome) = &change.outcome {
        model.outcome_sealed = Set(seal(
            key.as_ref(),
            &hearing_field(tenant, id),
            outcome.as_deref(),
        )?);
    }
    if let Some(status) = change.status {
        model.status = Set(status.as_str().to_owned());
    }
    model.updated_at = Set(crate::now());
    let updated = model.update(&txn).await?;
    let kind = legal_proceeding::Entity::scoped(tenant)
        .filter(legal_proceeding::Column::Id.eq(row.proceeding_id))
        .one(&txn)
        .await?
        .and_then(|p| ProceedingType::parse(&p.proceeding_type))
        .unwrap_or(ProceedingType::Other);
    sync_hearing_deadline(&txn, &updated, kind).await?;
    audit_event(
        &txn,
        scope,
        "hearing.updated",
        "hearing",
        id,
        serde_json::json!({"case": row.case_id, "status": updated.status}),
    )
    .await?;
    let shown = key.filter(|_| scope.has(Permission::ClientIdentityRead));
    if shown.is_some() && change.outcome.is_none() && updated.outcome_sealed.is_some() {
        let details = serde_json::json!({"case": row.case_id});
        audit_event(&txn, scope, "hearing.sealed_read", "hearing", id, details).await?;
    }
    txn.commit().await?;
    hearing_view(updated, shown.as_ref())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn contacts_name_someone_and_stay_short() {
        let mut v = Validator::default();
        check_contacts(
            &mut v,
            &[
                Contact {
                    role: LegalContactRole::Lawyer,
                    name: Some("Maître Dupont".into()),
                    organisation: None,
                    directory_organisation_id: None,
                },
                Contact {
                    role: LegalContactRole::Court,
                    name: None,
                    organisation: None,
                    directory_organisation_id: None,
                },
                Contact {
                    role: LegalContactRole::Prosecutor,
                    name: Some(String::new()),
                    organisation: Some("x".repeat(MAX_SHORT + 1)),
                    directory_organisation_id: None,
                },
            ],
        );
        let Err(DomainError::Invalid(list)) = v.finish() else {
            panic!("invalid");
        };
        let fields: Vec<&str> = list.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "contacts[1]",
                "contacts[2].name",
                "contacts[2].organisation"
            ]
        );
    }

    #[test]
    fn contact_names_are_sealed_per_row_and_position() {
        let key = DataKey::generate().unwrap();
        let tenant = TenantId::new();
        let id = Uuid::now_v7();
        let contacts = [Contact {
            role: LegalContactRole::Lawyer,
            name: Some("Maître Dupont".into()),
            organisation: Some("Bar of Antwerp".into()),
            directory_organisation_id: None,
        }];
        let stored = seal_contacts(Some(&key), tenant, id, &contacts).unwrap();
        assert!(!stored.contains("Dupont"));
        assert!(stored.contains("Bar of Antwerp"));
        let now = crate::now();
        let row = legal_proceeding::Model {
            tenant_id: *tenant.as_uuid(),
            id,
            case_id: Uuid::now_v7(),
            client_id: Uuid::now_v7(),
            proceeding_type: "criminal_complaint".into(),
            status: "filed".into(),
            reference_sealed: None,
            jurisdiction: None,
            client_role: "witness".into(),
            contacts: stored,
            created_by: None,
            created_at: now,
            updated_at: now,
        };
        let opened = proceeding_view(row.clone(), Some(&key)).unwrap();
        assert_eq!(opened.contacts, contacts);
        let closed = proceeding_view(row.clone(), None).unwrap();
        assert_eq!(closed.contacts[0].name, None);
        // Moved to another row, the ciphertext does not open.
        let moved = legal_proceeding::Model {
            id: Uuid::now_v7(),
            ..row
        };
        assert!(proceeding_view(moved, Some(&key)).is_err());
    }
}
