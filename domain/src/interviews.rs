//! Identification (intake) interviews of a case: when and where the client was interviewed,
//! by whom, in which language and with which interpreter, the answers to the
//! trafficking-indicator checklist, the outcome (presumed victim or not), a risk assessment, a
//! narrative, and the consents the client gave.
//!
//! The narrative and the risk notes are sealed with the client's data key; they are opened
//! only for readers with `clients.identity_read`, and each such read is audited. Who may see an
//! interview follows who may see its case; only `cases.work` records or changes one, and never
//! on a closed case. Interviews are part of the record: there is no deleting them.

pub mod checklist;
mod model;

pub use crate::consents::NewConsent;
pub use model::{InterviewChange, InterviewRecord, Risk};

use crate::access::{forbidden, not_found};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::cases::{case_visible, visible_case};
use crate::clients::client_data_key;
use crate::consents::{self, ConsentView};
use crate::crypto::MasterKey;
use crate::entities::{case, interview, interview_interviewer, user};
use crate::error::{DomainError, DomainResult, Validator};
use crate::fieldcrypt::{DataKey, FieldRef};
use crate::ids::TenantId;
use crate::tenancy::TenantScope;
use crate::vocab::{
    IndicatorAnswer, InterviewLocation, PresumedVictim, RiskKind, RiskLevel, Stage,
};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _,
    Set,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use uuid::Uuid;

/// The table sealed fields belong to (part of their associated data).
const TABLE: &str = "interviews";

fn sealed_field(tenant: TenantId, row: Uuid, name: &str) -> FieldRef<'_> {
    FieldRef {
        tenant,
        table: TABLE,
        row,
        field: name,
    }
}

fn note_name(kind: RiskKind) -> String {
    format!("risk.{}.note", kind.as_str())
}

/// A risk as stored: the level in clear, the note sealed.
#[derive(Serialize, Deserialize)]
struct StoredRisk {
    kind: RiskKind,
    level: RiskLevel,
    note_sealed: Option<String>,
}

/// A risk as read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RiskView {
    pub kind: RiskKind,
    pub level: RiskLevel,
    /// Opened for readers with `clients.identity_read`.
    pub note: Option<String>,
}

/// An interview as stored, with the sealed parts opened when the reader may see them.
#[derive(Clone, Debug)]
pub struct InterviewView {
    pub row: interview::Model,
    pub interviewer_ids: Vec<Uuid>,
    pub location_type: InterviewLocation,
    pub presumed_victim: PresumedVictim,
    pub indicators: BTreeMap<String, IndicatorAnswer>,
    pub risks: Vec<RiskView>,
    pub narrative: Option<String>,
    /// Whether the narrative and risk notes were opened for this reader.
    pub sealed_shown: bool,
    /// The consents recorded in this interview.
    pub consents: Vec<ConsentView>,
}

/// Filters of a case's interview list.
#[derive(Debug, Default, Clone)]
pub struct InterviewFilter {
    pub after: Option<Uuid>,
    pub limit: u64,
}

fn erased() -> DomainError {
    DomainError::conflict("client_erased", "This client's data was erased.")
}

fn case_closed() -> DomainError {
    DomainError::conflict(
        "case_closed",
        "The case is closed: its interviews are part of the final record.",
    )
}

fn stored_risks(row: &interview::Model) -> Vec<StoredRisk> {
    serde_json::from_str(&row.risks).unwrap_or_default()
}

fn stored_answers(row: &interview::Model) -> BTreeMap<String, IndicatorAnswer> {
    serde_json::from_str(&row.indicators).unwrap_or_default()
}

fn to_json<T: Serialize>(value: &T) -> DomainResult<String> {
    serde_json::to_string(value).map_err(|e| DomainError::Internal(e.into()))
}

fn stored_version(row: &interview::Model) -> u32 {
    u32::try_from(row.checklist_version).unwrap_or_default()
}

fn db_version(version: u32) -> DomainResult<i32> {
    i32::try_from(version).map_err(|e| DomainError::Internal(e.into()))
}

/// The risks as stored, in a stable order, notes sealed. A note needs the client's key.
fn seal_risks(
    key: Option<&DataKey>,
    tenant: TenantId,
    id: Uuid,
    risks: &[Risk],
) -> DomainResult<String> {
    let mut sorted = risks.to_vec();
    sorted.sort_by_key(|r| r.kind);
    let stored = sorted
        .iter()
        .map(|risk| {
            let note_sealed = match (&risk.note, key) {
                (Some(note), Some(key)) => {
                    Some(key.seal_str(&sealed_field(tenant, id, &note_name(risk.kind)), note)?)
                }
                (Some(_), None) => return Err(erased()),
                (None, _) => None,
            };
            Ok(StoredRisk {
                kind: risk.kind,
                level: risk.level,
                note_sealed,
            })
        })
        .collect::<DomainResult<Vec<_>>>()?;
    to_json(&stored)
}

/// Whether reading `row` for a reader who may see sealed fields opens anything.
fn has_sealed(row: &interview::Model) -> bool {
    row.narrative_sealed.is_some() || stored_risks(row).iter().any(|r| r.note_sealed.is_some())
}

/// Reads a stored interview back, opening the narrative and notes when `key` is given.
pub(crate) fn view(
    row: interview::Model,
    key: Option<&DataKey>,
    interviewer_ids: Vec<Uuid>,
    consents: Vec<ConsentView>,
) -> DomainResult<InterviewView> {
    let tenant = TenantId::from_uuid(row.tenant_id);
    let narrative = match (key, &row.narrative_sealed) {
        (Some(key), Some(sealed)) => {
            Some(key.open_str(&sealed_field(tenant, row.id, "narrative"), sealed)?)
        }
        _ => None,
    };
    let risks = stored_risks(&row)
        .into_iter()
        .map(|risk| {
            let note = match (key, &risk.note_sealed) {
                (Some(key), Some(sealed)) => Some(
                    key.open_str(&sealed_field(tenant, row.id, &note_name(risk.kind)), sealed)?,
                ),
                _ => None,
            };
            Ok(RiskView {
                kind: risk.kind,
                level: risk.level,
                note,
            })
        })
        .collect::<DomainResult<Vec<_>>>()?;
    Ok(InterviewView {
        interviewer_ids,
        location_type: InterviewLocation::parse(&row.location_type)
            .unwrap_or(InterviewLocation::Other),
        presumed_victim: PresumedVictim::parse(&row.presumed_victim)
            .unwrap_or(PresumedVictim::Unclear),
        indicators: stored_answers(&row),
        risks,
        narrative,
        sealed_shown: key.is_some(),
        consents,
        row,
    })
}

/// Today in the tenant's time zone: an interview held this morning in Brussels is not "in the
/// future" because the server's clock says it is still yesterday in UTC.
async fn tenant_today<C: ConnectionTrait>(conn: &C, tenant: TenantId) -> DomainResult<NaiveDate> {
    crate::tenants::date_at(conn, tenant, crate::now()).await
}

/// Notes each of `ids` that is not a user of the tenant (another tenant's looks the same).
/// A list of the wrong length is noted by [`model::interviewer_count`] and not looked up.
async fn check_interviewers<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    ids: &[Uuid],
    v: &mut Validator,
) -> DomainResult<()> {
    if ids.is_empty() || ids.len() > model::MAX_INTERVIEWERS {
        return Ok(());
    }
    let known: BTreeSet<Uuid> = user::Entity::scoped(tenant)
        .filter(user::Column::Id.is_in(ids.to_vec()))
        .select_only()
        .column(user::Column::Id)
        .into_tuple::<Uuid>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    for (i, id) in ids.iter().enumerate() {
        if !known.contains(id) {
            v.note(
                &format!("interviewer_ids[{i}]"),
                "is not a user of this organisation",
            );
        }
    }
    Ok(())
}

/// Stores the interviewers of `interview`, replacing any before.
async fn store_interviewers(
    txn: &DatabaseTransaction,
    tenant: TenantId,
    interview: Uuid,
    ids: &[Uuid],
) -> DomainResult<Vec<Uuid>> {
    interview_interviewer::Entity::delete_many()
        .filter(interview_interviewer::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(interview_interviewer::Column::InterviewId.eq(interview))
        .exec(txn)
        .await?;
    let mut ids = model::distinct(ids);
    ids.sort();
    let rows: Vec<interview_interviewer::ActiveModel> = ids
        .iter()
        .map(|user_id| interview_interviewer::ActiveModel {
            tenant_id: Set(*tenant.as_uuid()),
            interview_id: Set(interview),
            user_id: Set(*user_id),
        })
        .collect();
    if !rows.is_empty() {
        interview_interviewer::Entity::insert_many(rows)
            .exec(txn)
            .await?;
    }
    Ok(ids)
}

/// The interviewers of each of `interviews`.
pub(crate) async fn interviewers_of<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    interviews: Vec<Uuid>,
) -> DomainResult<HashMap<Uuid, Vec<Uuid>>> {
    let mut by_interview: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if interviews.is_empty() {
        return Ok(by_interview);
    }
    for row in interview_interviewer::Entity::scoped(tenant)
        .filter(interview_interviewer::Column::InterviewId.is_in(interviews))
        .order_by_asc(interview_interviewer::Column::UserId)
        .all(conn)
        .await?
    {
        by_interview
            .entry(row.interview_id)
            .or_default()
            .push(row.user_id);
    }
    Ok(by_interview)
}

async fn visible_interview<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<Option<interview::Model>> {
    Ok(interview::Entity::scoped(scope.tenant_id())
        .filter(interview::Column::Id.eq(id))
        .filter(case_visible(scope, interview::Column::CaseId))
        .one(conn)
        .await?)
}

/// Records an interview of the client of a visible, open case, with the consents given in it.
///
/// # Errors
/// `NotFound` for an unseen case; `Forbidden` without `cases.work`; `Conflict case_closed`;
/// `Invalid` fields (a future date, an unknown indicator, an interviewer who is not a user of
/// the tenant…); `Conflict client_erased`; database errors.
pub async fn create(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    case_id: Uuid,
    record: InterviewRecord,
) -> DomainResult<InterviewView> {
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
    let now = crate::now();
    let mut v = Validator::default();
    record.validate(&mut v, tenant_today(&txn, tenant).await?, now)?;
    check_interviewers(&txn, tenant, &record.interviewer_ids, &mut v).await?;
    v.finish()?;
    let key = client_data_key(&txn, master, tenant, case_row.client_id)
        .await?
        .ok_or_else(erased)?;
    let version = match record.checklist_version {
        Some(version) => version,
        None => checklist::current()?.version,
    };
    let id = Uuid::now_v7();
    let row = interview::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        case_id: Set(case_row.id),
        client_id: Set(case_row.client_id),
        held_on: Set(record.held_on),
        language: Set(record.language.clone()),
        interpreter_used: Set(record.interpreter_used),
        interpreter_language: Set(record.interpreter_language.clone()),
        location_type: Set(record.location_type.as_str().to_owned()),
        presumed_victim: Set(record.presumed_victim.as_str().to_owned()),
        checklist_version: Set(db_version(version)?),
        indicators: Set(to_json(&record.indicators)?),
        risks: Set(seal_risks(Some(&key), tenant, id, &record.risks)?),
        narrative_sealed: Set(record
            .narrative
            .as_deref()
            .map(|text| key.seal_str(&sealed_field(tenant, id, "narrative"), text))
            .transpose()?),
        created_by: Set(Some(*scope.user_id().as_uuid())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let interviewers = store_interviewers(&txn, tenant, id, &record.interviewer_ids).await?;
    let consents =
        consents::record(&txn, scope, case_row.client_id, Some(id), &record.consents).await?;
    audit::record(
        &txn,
        tenant,
        Event::new("interview.created", Actor::user(scope), Outcome::Success)
            .target("interview", id)
            .details(serde_json::json!({"case": case_row.id, "consents": consents.len()})),
    )
    .await?;
    txn.commit().await?;
    // The writer sees what they wrote back; it is not a read of stored notes.
    let shown = scope.has(Permission::ClientIdentityRead).then_some(&key);
    view(
        row,
        shown,
        interviewers,
        consents.into_iter().map(ConsentView::from).collect(),
    )
}

/// The interviews of a visible case, oldest first, without narratives or notes (read one
/// interview for those).
///
/// # Errors
/// `NotFound` for an unseen case; database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    case_id: Uuid,
    filter: &InterviewFilter,
) -> DomainResult<Vec<InterviewView>> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    if visible_case(&txn, scope, case_id).await?.is_none() {
        drop(txn);
        return Err(not_found(db, scope, "case", case_id).await);
    }
    let mut query = interview::Entity::scoped(tenant)
        .filter(interview::Column::CaseId.eq(case_id))
        .order_by_asc(interview::Column::Id);
    if let Some(after) = filter.after {
        query = query.filter(interview::Column::Id.gt(after));
    }
    let rows = query.limit(filter.limit).all(&txn).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut interviewers = interviewers_of(&txn, tenant, ids.clone()).await?;
    let mut consents = consents::of_interviews(&txn, tenant, ids).await?;
    txn.commit().await?;
    rows.into_iter()
        .map(|row| {
            let id = row.id;
            view(
                row,
                None,
                interviewers.remove(&id).unwrap_or_default(),
                consents.remove(&id).unwrap_or_default(),
            )
        })
        .collect()
}

/// One interview of a visible case. The narrative and risk notes are opened — and the reading
/// audited — only for readers with `clients.identity_read`.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn get(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<InterviewView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible_interview(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "interview", id).await);
    };
    let key = if scope.has(Permission::ClientIdentityRead) {
        client_data_key(&txn, master, tenant, row.client_id).await?
    } else {
        None
    };
    if key.is_some() && has_sealed(&row) {
        audit_read(&txn, scope, &row).await?;
    }
    let interviewers = interviewers_of(&txn, tenant, vec![id]).await?;
    let consents = consents::of_interviews(&txn, tenant, vec![id]).await?;
    txn.commit().await?;
    view(
        row,
        key.as_ref(),
        interviewers.into_values().next().unwrap_or_default(),
        consents.into_values().next().unwrap_or_default(),
    )
}

async fn audit_read(
    txn: &DatabaseTransaction,
    scope: &TenantScope,
    row: &interview::Model,
) -> DomainResult<()> {
    audit::record(
        txn,
        scope.tenant_id(),
        Event::new(
            "interview.narrative_read",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("interview", row.id)
        .details(serde_json::json!({"case": row.case_id})),
    )
    .await?;
    Ok(())
}

/// The version tag of an interview, for `ETag` / `If-Match`.
#[must_use]
pub fn etag(row: &interview::Model) -> String {
    format!("\"{}\"", row.updated_at.timestamp_micros())
}

/// Changes an interview of a visible, open case and records further consents given. Needs
/// `If-Match` with the version the caller read.
///
/// # Errors
/// `NotFound`; `Forbidden` without `cases.work`; `PreconditionRequired`/`PreconditionFailed`;
/// `Conflict case_closed`; `Invalid` fields; `Conflict client_erased` when sealing for an
/// erased client; database errors.
pub async fn update(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
    change: InterviewChange,
    if_match: Option<&str>,
) -> DomainResult<InterviewView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible_interview(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "interview", id).await);
    };
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    let case_row = case::Entity::scoped(tenant)
        .filter(case::Column::Id.eq(row.case_id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    if case_row.stage == Stage::Closed.as_str() {
        return Err(case_closed());
    }

    let now = crate::now();
    let held_on = change.held_on.unwrap_or(row.held_on);
    let language = change
        .language
        .clone()
        .unwrap_or_else(|| row.language.clone());
    let interpreter_used = change.interpreter_used.unwrap_or(row.interpreter_used);
    let interpreter_language = change
        .interpreter_language
        .clone()
        .unwrap_or_else(|| row.interpreter_language.clone());
    let version = change
        .checklist_version
        .unwrap_or_else(|| stored_version(&row));
    let mut v = Validator::default();
    if change.held_on.is_some() {
        model::held_on(&mut v, held_on, tenant_today(&txn, tenant).await?);
    }
    if let Some(ids) = &change.interviewer_ids {
        model::interviewer_count(&mut v, ids);
        check_interviewers(&txn, tenant, ids, &mut v).await?;
    }
    model::languages(
        &mut v,
        &language,
        interpreter_used,
        interpreter_language.as_deref(),
    );
    if change.indicators.is_some() || change.checklist_version.is_some() {
        let answers = change
            .indicators
            .clone()
            .unwrap_or_else(|| stored_answers(&row));
        model::indicators(&mut v, version, &answers)?;
    }
    if let Some(risks) = &change.risks {
        model::risks(&mut v, risks);
    }
    if let Some(narrative) = &change.narrative {
        model::narrative(&mut v, narrative.as_deref());
    }
    consents::validate(&mut v, "consents", &change.consents, now);
    v.finish()?;
    crate::access::check_version(if_match, &etag(&row))?;

    let key = client_data_key(&txn, master, tenant, row.client_id).await?;
    let mut model: interview::ActiveModel = row.clone().into();
    model.held_on = Set(held_on);
    model.language = Set(language);
    model.interpreter_used = Set(interpreter_used);
    model.interpreter_language = Set(interpreter_language);
    if let Some(location) = change.location_type {
        model.location_type = Set(location.as_str().to_owned());
    }
    if let Some(outcome) = change.presumed_victim {
        model.presumed_victim = Set(outcome.as_str().to_owned());
    }
    model.checklist_version = Set(db_version(version)?);
    if let Some(answers) = &change.indicators {
        model.indicators = Set(to_json(answers)?);
    }
    if let Some(risks) = &change.risks {
        model.risks = Set(seal_risks(key.as_ref(), tenant, id, risks)?);
    }
    match &change.narrative {
        Some(Some(text)) => {
            let key = key.as_ref().ok_or_else(erased)?;
            model.narrative_sealed = Set(Some(
                key.seal_str(&sealed_field(tenant, id, "narrative"), text)?,
            ));
        }
        Some(None) => model.narrative_sealed = Set(None),
        None => {}
    }
    model.updated_at = Set(now);
    let updated = model.update(&txn).await?;
    if let Some(ids) = &change.interviewer_ids {
        store_interviewers(&txn, tenant, id, ids).await?;
    }
    let added = consents::record(&txn, scope, row.client_id, Some(id), &change.consents).await?;
    audit::record(
        &txn,
        tenant,
        Event::new("interview.updated", Actor::user(scope), Outcome::Success)
            .target("interview", id)
            .details(serde_json::json!({
                "case": row.case_id,
                "fields": change.fields(),
                "consents": added.len(),
            })),
    )
    .await?;
    let shown = key.filter(|_| scope.has(Permission::ClientIdentityRead));
    // Sealed text the caller did not just write is read from storage: audit it like a read.
    let reads_stored = (change.narrative.is_none() && updated.narrative_sealed.is_some())
        || (change.risks.is_none()
            && stored_risks(&updated)
                .iter()
                .any(|r| r.note_sealed.is_some()));
    if shown.is_some() && reads_stored {
        audit_read(&txn, scope, &updated).await?;
    }
    let interviewers = interviewers_of(&txn, tenant, vec![id]).await?;
    let consents = consents::of_interviews(&txn, tenant, vec![id]).await?;
    txn.commit().await?;
    view(
        updated,
        shown.as_ref(),
        interviewers.into_values().next().unwrap_or_default(),
        consents.into_values().next().unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn row(key: &DataKey, tenant: TenantId) -> interview::Model {
        let id = Uuid::now_v7();
        let risks = [Risk {
            kind: RiskKind::SelfHarm,
            level: RiskLevel::Medium,
            note: Some("Spoke of hopelessness".into()),
        }];
        interview::Model {
            tenant_id: *tenant.as_uuid(),
            id,
            case_id: Uuid::now_v7(),
            client_id: Uuid::now_v7(),
            held_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            language: "en".into(),
            interpreter_used: false,
            interpreter_language: None,
            location_type: "shelter".into(),
            presumed_victim: "yes".into(),
            checklist_version: 1,
            indicators: r#"{"wages_withheld":"yes"}"#.into(),
            risks: seal_risks(Some(key), tenant, id, &risks).unwrap(),
            narrative_sealed: Some(
                key.seal_str(&sealed_field(tenant, id, "narrative"), "The whole story")
                    .unwrap(),
            ),
            created_by: None,
            created_at: crate::now(),
            updated_at: crate::now(),
        }
    }

    #[test]
    fn sealed_parts_open_only_with_the_key_and_only_in_place() {
        let key = DataKey::generate().unwrap();
        let tenant = TenantId::new();
        let stored = row(&key, tenant);
        assert!(!stored.risks.contains("hopelessness"));
        assert!(has_sealed(&stored));

        let opened = view(stored.clone(), Some(&key), vec![], vec![]).unwrap();
        assert!(opened.sealed_shown);
        assert_eq!(opened.narrative.as_deref(), Some("The whole story"));
        assert_eq!(
            opened.risks[0].note.as_deref(),
            Some("Spoke of hopelessness")
        );
        assert_eq!(opened.indicators["wages_withheld"], IndicatorAnswer::Yes);

        // A reader without the permission gets the levels, never the text.
        let closed = view(stored.clone(), None, vec![], vec![]).unwrap();
        assert!(!closed.sealed_shown);
        assert_eq!(closed.narrative, None);
        assert_eq!(closed.risks[0].level, RiskLevel::Medium);
        assert_eq!(closed.risks[0].note, None);

        // A narrative moved to another interview does not open there.
        let mut moved = row(&key, tenant);
        moved.narrative_sealed = stored.narrative_sealed;
        assert!(view(moved, Some(&key), vec![], vec![]).is_err());
    }

    #[test]
    fn a_note_needs_the_clients_key() {
        let risks = [Risk {
            kind: RiskKind::Health,
            level: RiskLevel::Low,
            note: Some("note".into()),
        }];
        let err = seal_risks(None, TenantId::new(), Uuid::now_v7(), &risks).unwrap_err();
        assert!(matches!(
            err,
            DomainError::Conflict {
                code: "client_erased",
                ..
            }
        ));
        let without_notes = [Risk {
            note: None,
            ..risks[0].clone()
        }];
        assert!(seal_risks(None, TenantId::new(), Uuid::now_v7(), &without_notes).is_ok());
    }
}
