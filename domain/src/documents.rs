//! Administrative documents of a case: residence and work permits, identity papers, health
//! insurance, social-services registration — with their status, issue and expiry dates and,
//! for a residence permit, the step of the country's procedure it belongs to.
//!
//! The number and the notes are sealed with the client's data key and opened only for readers
//! with `clients.identity_read` (each such read of a stored value is audited). A granted
//! document with an expiry date keeps two deadlines in the case's agenda — the expiry and a
//! follow-up 30 days before — which move with the expiry and are cancelled when the document
//! is refused or has expired.

use crate::access::{forbidden, not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::cases::{case_visible, visible_case};
use crate::clients::client_data_key;
use crate::crypto::MasterKey;
use crate::entities::{case, deadline, document};
use crate::error::{DomainError, DomainResult, Validator};
use crate::fieldcrypt::{DataKey, FieldRef};
use crate::ids::TenantId;
use crate::procedures;
use crate::tenancy::TenantScope;
use crate::vocab::{DocumentKind, DocumentStatus, Stage};
use chrono::{Datelike as _, NaiveDate};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};
use uuid::Uuid;

/// The table sealed fields belong to (part of their associated data).
const TABLE: &str = "documents";
/// Longest document number, in characters.
const MAX_NUMBER: usize = 100;
/// Longest name of an issuing authority, in characters.
const MAX_AUTHORITY: usize = 200;
/// Longest notes, in characters.
pub(crate) const MAX_NOTES: usize = 5_000;
/// How long before the expiry the follow-up falls due.
const FOLLOW_UP_DAYS: i64 = 30;

/// A new document of a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDocument {
    pub kind: DocumentKind,
    pub status: DocumentStatus,
    /// Sealed at rest with the client's data key.
    pub number: Option<String>,
    pub issuing_authority: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    /// A step code of the organisation's procedure template.
    pub procedure_step: Option<String>,
    /// Sealed at rest with the client's data key.
    pub notes: Option<String>,
}

/// A change to a document: absent fields stay as they are; `Some(None)` clears one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentChange {
    pub kind: Option<DocumentKind>,
    pub status: Option<DocumentStatus>,
    pub number: Option<Option<String>>,
    pub issuing_authority: Option<Option<String>>,
    pub issued_on: Option<Option<NaiveDate>>,
    pub expires_on: Option<Option<NaiveDate>>,
    pub procedure_step: Option<Option<String>>,
    pub notes: Option<Option<String>>,
}

impl DocumentChange {
    /// The names of the fields this change touches, for the audit log.
    fn fields(&self) -> Vec<&'static str> {
        [
            ("kind", self.kind.is_some()),
            ("status", self.status.is_some()),
            ("number", self.number.is_some()),
            ("issuing_authority", self.issuing_authority.is_some()),
            ("issued_on", self.issued_on.is_some()),
            ("expires_on", self.expires_on.is_some()),
            ("procedure_step", self.procedure_step.is_some()),
            ("notes", self.notes.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect()
    }
}

/// A document as stored, with the sealed parts opened when the reader may see them.
#[derive(Clone, Debug)]
pub struct DocumentView {
    pub row: document::Model,
    pub kind: DocumentKind,
    pub status: DocumentStatus,
    pub number: Option<String>,
    pub notes: Option<String>,
    /// Whether the number and notes were opened for this reader.
    pub sealed_shown: bool,
}

/// Filters of the document lists.
#[derive(Debug, Default, Clone)]
pub struct DocumentFilter {
    pub kind: Option<DocumentKind>,
    pub status: Option<DocumentStatus>,
    /// Documents that expire before this day.
    pub expires_before: Option<NaiveDate>,
    pub after: Option<Uuid>,
    pub limit: u64,
}

pub(crate) fn erased() -> DomainError {
    DomainError::conflict("client_erased", "This client's data was erased.")
}

pub(crate) fn case_closed() -> DomainError {
    DomainError::conflict("case_closed", "The case is closed: its record is final.")
}

/// Checks an optional free text: when given, 1 to `max` characters.
pub(crate) fn bounded_text(v: &mut Validator, field: &str, text: Option<&str>, max: usize) {
    if let Some(text) = text
        && (text.trim().is_empty() || text.chars().count() > max)
    {
        v.note(field, format!("must be 1 to {max} characters"));
    }
}

fn plausible_date(v: &mut Validator, field: &str, date: Option<NaiveDate>) {
    if date.is_some_and(|d| !(1950..=2150).contains(&d.year())) {
        v.note(field, "must be between 1950 and 2150");
    }
}

/// Seals `text` into `field` of `row`; needs the client's key.
pub(crate) fn seal(
    key: Option<&DataKey>,
    field: &FieldRef<'_>,
    text: Option<&str>,
) -> DomainResult<Option<String>> {
    match (text, key) {
        (Some(text), Some(key)) => Ok(Some(key.seal_str(field, text)?)),
        (Some(_), None) => Err(erased()),
        (None, _) => Ok(None),
    }
}

/// Opens `sealed` from `field` when the reader's key is given.
pub(crate) fn open(
    key: Option<&DataKey>,
    field: &FieldRef<'_>,
    sealed: Option<&str>,
) -> DomainResult<Option<String>> {
    match (key, sealed) {
        (Some(key), Some(sealed)) => Ok(Some(key.open_str(field, sealed)?)),
        _ => Ok(None),
    }
}

fn field(tenant: TenantId, row: Uuid, name: &'static str) -> FieldRef<'static> {
    FieldRef {
        tenant,
        table: TABLE,
        row,
        field: name,
    }
}

pub(crate) fn view(row: document::Model, key: Option<&DataKey>) -> DomainResult<DocumentView> {
    let tenant = TenantId::from_uuid(row.tenant_id);
    let number = open(
        key,
        &field(tenant, row.id, "number"),
        row.number_sealed.as_deref(),
    )?;
    let notes = open(
        key,
        &field(tenant, row.id, "notes"),
        row.notes_sealed.as_deref(),
    )?;
    Ok(DocumentView {
        kind: DocumentKind::parse(&row.kind).unwrap_or(DocumentKind::Other),
        status: DocumentStatus::parse(&row.status).unwrap_or(DocumentStatus::ToRequest),
        number,
        notes,
        sealed_shown: key.is_some(),
        row,
    })
}

/// Whether the case `id` is closed (its record is final).
pub(crate) async fn is_closed<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Uuid,
) -> DomainResult<bool> {
    let row = case::Entity::scoped(tenant)
        .filter(case::Column::Id.eq(id))
        .one(conn)
        .await?
        .ok_or(DomainError::NotFound)?;
    Ok(row.stage == Stage::Closed.as_str())
}

/// A deadline a record wants in its case's agenda.
pub(crate) struct Wanted {
    pub kind: &'static str,
    pub title: String,
    pub due_on: NaiveDate,
}

/// Brings the deadlines written for `source` in line with `wanted`: open ones no longer wanted
/// are closed as `close_as` (`cancelled`, or `done` when what they announced happened), wanted
/// ones not yet there (open or done) are written.
pub(crate) async fn sync_deadlines<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    case_id: Uuid,
    source: &str,
    step_code: Option<&str>,
    wanted: &[Wanted],
    close_as: &str,
) -> DomainResult<()> {
    let existing = deadline::Entity::scoped(tenant)
        .filter(deadline::Column::Source.eq(source))
        .filter(deadline::Column::Status.ne("cancelled"))
        .all(conn)
        .await?;
    let now = crate::now();
    let kept = |row: &deadline::Model| {
        wanted
            .iter()
            .any(|w| w.kind == row.kind && w.due_on == row.due_on && w.title == row.title)
    };
    for row in existing
        .iter()
        .filter(|r| r.status == "open" && !kept(r))
        .cloned()
    {
        let done = close_as == "done";
        let mut model: deadline::ActiveModel = row.into();
        model.status = Set(close_as.to_owned());
        model.completed_at = Set(done.then_some(now));
        model.updated_at = Set(now);
        model.update(conn).await?;
    }
    for want in wanted {
        if existing
            .iter()
            .any(|r| r.kind == want.kind && r.due_on == want.due_on && r.title == want.title)
        {
            continue;
        }
        crate::deadlines::Due {
            case_id,
            kind: want.kind,
            title: &want.title,
            due_on: want.due_on,
            source,
            step_code,
        }
        .open(tenant, now)
        .insert(conn)
        .await?;
    }
    Ok(())
}

fn label(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::ResidencePermit => "residence permit",
        DocumentKind::WorkPermit => "work permit",
        DocumentKind::IdentityDocument => "identity document",
        DocumentKind::HealthInsurance => "health insurance",
        DocumentKind::SocialServicesRegistration => "social-services registration",
        DocumentKind::Other => "administrative document",
    }
}

/// The deadlines a document keeps: only a granted one with an expiry date has any.
fn wanted(
    kind: DocumentKind,
    status: DocumentStatus,
    expires_on: Option<NaiveDate>,
) -> Vec<Wanted> {
    let Some(expiry) = expires_on.filter(|_| status == DocumentStatus::Granted) else {
        return Vec::new();
    };
    vec![
        Wanted {
            kind: "document_expiry",
            title: format!("Expires: {}", label(kind)),
            due_on: expiry,
        },
        Wanted {
            kind: "document_follow_up",
            title: format!("Renew or replace before expiry: {}", label(kind)),
            due_on: expiry - chrono::Duration::days(FOLLOW_UP_DAYS),
        },
    ]
}

async fn sync_document_deadlines<C: ConnectionTrait>(
    conn: &C,
    row: &document::Model,
) -> DomainResult<()> {
    let kind = DocumentKind::parse(&row.kind).unwrap_or(DocumentKind::Other);
    let status = DocumentStatus::parse(&row.status).unwrap_or(DocumentStatus::ToRequest);
    sync_deadlines(
        conn,
        TenantId::from_uuid(row.tenant_id),
        row.case_id,
        &format!("document:{}", row.id),
        row.procedure_step.as_deref(),
        &wanted(kind, status, row.expires_on),
        "cancelled",
    )
    .await
}

/// Notes a step code that is not a step of the tenant's procedure template.
async fn check_step<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    step: Option<&str>,
    v: &mut Validator,
) -> DomainResult<()> {
    let Some(step) = step else {
        return Ok(());
    };
    let settings = procedures::settings(conn, tenant).await?;
    let template = procedures::template(&settings.procedure_template)?;
    if !template.steps.iter().any(|s| s.code == step) {
        v.note(
            "procedure_step",
            "is not a step of this organisation's procedure template",
        );
    }
    Ok(())
}

fn check_dates(v: &mut Validator, issued_on: Option<NaiveDate>, expires_on: Option<NaiveDate>) {
    plausible_date(v, "issued_on", issued_on);
    plausible_date(v, "expires_on", expires_on);
    if let (Some(issued), Some(expires)) = (issued_on, expires_on)
        && expires <= issued
    {
        v.note("expires_on", "must be after issued_on");
    }
}

async fn visible_document<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<Option<document::Model>> {
    Ok(document::Entity::scoped(scope.tenant_id())
        .filter(document::Column::Id.eq(id))
        .filter(case_visible(scope, document::Column::CaseId))
        .one(conn)
        .await?)
}

/// Records a document of a visible, open case, with its deadlines.
///
/// # Errors
/// `NotFound` for an unseen case; `Forbidden` without `cases.work`; `Conflict case_closed`;
/// `Invalid` fields (an unknown procedure step, an expiry before the issue date…);
/// `Conflict client_erased`; database errors.
pub async fn create(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    case_id: Uuid,
    new: NewDocument,
) -> DomainResult<DocumentView> {
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
    bounded_text(&mut v, "number", new.number.as_deref(), MAX_NUMBER);
    bounded_text(
        &mut v,
        "issuing_authority",
        new.issuing_authority.as_deref(),
        MAX_AUTHORITY,
    );
    bounded_text(&mut v, "notes", new.notes.as_deref(), MAX_NOTES);
    check_dates(&mut v, new.issued_on, new.expires_on);
    check_step(&txn, tenant, new.procedure_step.as_deref(), &mut v).await?;
    v.finish()?;
    let key = client_data_key(&txn, master, tenant, case_row.client_id).await?;
    let id = Uuid::now_v7();
    let now = crate::now();
    let row = document::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        case_id: Set(case_row.id),
        client_id: Set(case_row.client_id),
        kind: Set(new.kind.as_str().to_owned()),
        status: Set(new.status.as_str().to_owned()),
        number_sealed: Set(seal(
            key.as_ref(),
            &field(tenant, id, "number"),
            new.number.as_deref(),
        )?),
        issuing_authority: Set(new.issuing_authority.clone()),
        issued_on: Set(new.issued_on),
        expires_on: Set(new.expires_on),
        procedure_step: Set(new.procedure_step.clone()),
        notes_sealed: Set(seal(
            key.as_ref(),
            &field(tenant, id, "notes"),
            new.notes.as_deref(),
        )?),
        created_by: Set(Some(*scope.user_id().as_uuid())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    sync_document_deadlines(&txn, &row).await?;
    audit::record(
        &txn,
        tenant,
        Event::new("document.created", Actor::user(scope), Outcome::Success)
            .target("document", id)
            .details(serde_json::json!({
                "case": case_row.id, "kind": row.kind, "status": row.status,
            })),
    )
    .await?;
    txn.commit().await?;
    // The writer sees what they wrote back; it is not a read of stored values.
    let shown = key.filter(|_| scope.has(Permission::ClientIdentityRead));
    view(row, shown.as_ref())
}

fn filtered(
    mut query: sea_orm::Select<document::Entity>,
    filter: &DocumentFilter,
) -> sea_orm::Select<document::Entity> {
    if let Some(kind) = filter.kind {
        query = query.filter(document::Column::Kind.eq(kind.as_str()));
    }
    if let Some(status) = filter.status {
        query = query.filter(document::Column::Status.eq(status.as_str()));
    }
    if let Some(before) = filter.expires_before {
        query = query.filter(document::Column::ExpiresOn.lt(before));
    }
    if let Some(after) = filter.after {
        query = query.filter(document::Column::Id.gt(after));
    }
    query.order_by_asc(document::Column::Id).limit(filter.limit)
}

/// The documents of every case the caller may see, without numbers or notes.
///
/// # Errors
/// `Forbidden` without `cases.work`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &DocumentFilter,
) -> DomainResult<Vec<DocumentView>> {
    require(db, scope, Permission::CasesWork).await?;
    let txn = scope.begin(db).await?;
    let query = document::Entity::scoped(scope.tenant_id())
        .filter(case_visible(scope, document::Column::CaseId));
    let rows = filtered(query, filter).all(&txn).await?;
    txn.commit().await?;
    rows.into_iter().map(|row| view(row, None)).collect()
}

/// The documents of a visible case, without numbers or notes (read one document for those).
///
/// # Errors
/// `NotFound` for an unseen case; `Forbidden` without `cases.work`; database errors.
pub async fn list_for_case(
    db: &DatabaseConnection,
    scope: &TenantScope,
    case_id: Uuid,
    filter: &DocumentFilter,
) -> DomainResult<Vec<DocumentView>> {
    let txn = scope.begin(db).await?;
    if visible_case(&txn, scope, case_id).await?.is_none() {
        drop(txn);
        return Err(not_found(db, scope, "case", case_id).await);
    }
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    let query =
        document::Entity::scoped(scope.tenant_id()).filter(document::Column::CaseId.eq(case_id));
    let rows = filtered(query, filter).all(&txn).await?;
    txn.commit().await?;
    rows.into_iter().map(|row| view(row, None)).collect()
}

async fn audit_read(
    txn: &DatabaseTransaction,
    scope: &TenantScope,
    row: &document::Model,
) -> DomainResult<()> {
    audit::record(
        txn,
        scope.tenant_id(),
        Event::new("document.sealed_read", Actor::user(scope), Outcome::Success)
            .target("document", row.id)
            .details(serde_json::json!({"case": row.case_id})),
    )
    .await?;
    Ok(())
}

/// One document of a visible case. The number and notes are opened — and the reading
/// audited — only for readers with `clients.identity_read`.
///
/// # Errors
/// `NotFound`; `Forbidden` without `cases.work`; database errors.
pub async fn get(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<DocumentView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible_document(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "document", id).await);
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
    if key.is_some() && (row.number_sealed.is_some() || row.notes_sealed.is_some()) {
        audit_read(&txn, scope, &row).await?;
    }
    txn.commit().await?;
    view(row, key.as_ref())
}

/// The version tag of a document, for `ETag` / `If-Match`.
#[must_use]
pub fn etag(row: &document::Model) -> String {
    format!("\"{}\"", row.updated_at.timestamp_micros())
}

/// Changes a document of a visible, open case and brings its deadlines in line. Needs
/// `If-Match` with the version the caller read.
///
/// # Errors
/// `NotFound`; `Forbidden` without `cases.work`; `PreconditionRequired`/`PreconditionFailed`;
/// `Conflict case_closed`; `Invalid` fields; `Conflict client_erased`; database errors.
pub async fn update(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
    change: DocumentChange,
    if_match: Option<&str>,
) -> DomainResult<DocumentView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible_document(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "document", id).await);
    };
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    if is_closed(&txn, tenant, row.case_id).await? {
        return Err(case_closed());
    }
    let issued_on = change.issued_on.unwrap_or(row.issued_on);
    let expires_on = change.expires_on.unwrap_or(row.expires_on);
    let mut v = Validator::default();
    if let Some(number) = &change.number {
        bounded_text(&mut v, "number", number.as_deref(), MAX_NUMBER);
    }
    if let Some(authority) = &change.issuing_authority {
        bounded_text(
            &mut v,
            "issuing_authority",
            authority.as_deref(),
            MAX_AUTHORITY,
        );
    }
    if let Some(notes) = &change.notes {
        bounded_text(&mut v, "notes", notes.as_deref(), MAX_NOTES);
    }
    check_dates(&mut v, issued_on, expires_on);
    if let Some(step) = &change.procedure_step {
        check_step(&txn, tenant, step.as_deref(), &mut v).await?;
    }
    v.finish()?;
    crate::access::check_version(if_match, &etag(&row))?;

    let key = client_data_key(&txn, master, tenant, row.client_id).await?;
    let mut model: document::ActiveModel = row.clone().into();
    if let Some(kind) = change.kind {
        model.kind = Set(kind.as_str().to_owned());
    }
    if let Some(status) = change.status {
        model.status = Set(status.as_str().to_owned());
    }
    if let Some(number) = &change.number {
        model.number_sealed = Set(seal(
            key.as_ref(),
            &field(tenant, id, "number"),
            number.as_deref(),
        )?);
    }
    if let Some(authority) = &change.issuing_authority {
        model.issuing_authority = Set(authority.clone());
    }
    model.issued_on = Set(issued_on);
    model.expires_on = Set(expires_on);
    if let Some(step) = &change.procedure_step {
        model.procedure_step = Set(step.clone());
    }
    if let Some(notes) = &change.notes {
        model.notes_sealed = Set(seal(
            key.as_ref(),
            &field(tenant, id, "notes"),
            notes.as_deref(),
        )?);
    }
    model.updated_at = Set(crate::now());
    let updated = model.update(&txn).await?;
    sync_document_deadlines(&txn, &updated).await?;
    audit::record(
        &txn,
        tenant,
        Event::new("document.updated", Actor::user(scope), Outcome::Success)
            .target("document", id)
            .details(serde_json::json!({
                "case": row.case_id, "fields": change.fields(), "status": updated.status,
            })),
    )
    .await?;
    let shown = key.filter(|_| scope.has(Permission::ClientIdentityRead));
    // Sealed values the caller did not just write are read from storage: audit them.
    let reads_stored = (change.number.is_none() && updated.number_sealed.is_some())
        || (change.notes.is_none() && updated.notes_sealed.is_some());
    if shown.is_some() && reads_stored {
        audit_read(&txn, scope, &updated).await?;
    }
    txn.commit().await?;
    view(updated, shown.as_ref())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn only_a_granted_document_with_an_expiry_keeps_deadlines() {
        let expiry = Some(day(2027, 6, 30));
        let due: Vec<(&str, NaiveDate)> = wanted(
            DocumentKind::ResidencePermit,
            DocumentStatus::Granted,
            expiry,
        )
        .iter()
        .map(|w| (w.kind, w.due_on))
        .collect();
        assert_eq!(
            due,
            [
                ("document_expiry", day(2027, 6, 30)),
                ("document_follow_up", day(2027, 5, 31)),
            ]
        );
        for status in [
            DocumentStatus::ToRequest,
            DocumentStatus::Requested,
            DocumentStatus::Refused,
            DocumentStatus::Expired,
        ] {
            assert!(wanted(DocumentKind::WorkPermit, status, expiry).is_empty());
        }
        assert!(wanted(DocumentKind::WorkPermit, DocumentStatus::Granted, None).is_empty());
    }

    #[test]
    fn dates_and_texts_are_checked_together() {
        let mut v = Validator::default();
        check_dates(&mut v, Some(day(2026, 5, 1)), Some(day(2026, 5, 1)));
        bounded_text(&mut v, "number", Some("  "), MAX_NUMBER);
        let Err(DomainError::Invalid(list)) = v.finish() else {
            panic!("invalid");
        };
        let fields: Vec<&str> = list.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["expires_on", "number"]);
    }
}
