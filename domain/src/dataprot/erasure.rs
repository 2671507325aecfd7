//! Erasure of a client by crypto-shredding: the client's data key is destroyed (every field
//! sealed with it becomes unreadable, including in append-only tables and old backups), the
//! free text and name indexes are removed where they are stored, and a tombstone keeps the
//! case code, the erasure date and the statistical attributes reports count. With the
//! organisation's two-person rule on, one administrator requests and another approves.

use super::ledger::{ErasureLedger, LedgerEntry};
use crate::access;
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::crypto::MasterKey;
use crate::entities::{
    case, case_transition, client, client_key, client_name_index, document, erasure_request,
    hearing, incident, interview, legal_proceeding, referral, service_entry, support_goal,
    support_review, task,
};
use crate::error::{DomainError, DomainResult};
use crate::fieldcrypt::{self, FieldRef};
use crate::ids::TenantId;
use crate::incidents;
use crate::procedures;
use crate::referrals::exchange::Recalls;
use crate::tenancy::TenantScope;
use crate::vocab::ReferralStatus;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _,
    Set,
};
use uuid::Uuid;

/// Longest accepted reason.
const REASON_MAX: usize = 2000;

/// An erasure request, its reason opened while it is pending.
#[derive(Clone, Debug)]
pub struct ErasureView {
    pub row: erasure_request::Model,
    pub reason: Option<String>,
}

fn reason_field(tenant: TenantId, id: Uuid) -> FieldRef<'static> {
    FieldRef {
        tenant,
        table: "erasure_requests",
        row: id,
        field: "reason",
    }
}

fn erased_already() -> DomainError {
    DomainError::conflict("client_erased", "This client's data was erased already.")
}

fn check_reason(reason: &str) -> DomainResult<()> {
    let n = reason.chars().count();
    if reason.trim().is_empty()
        || n > REASON_MAX
        || reason.chars().any(|c| c.is_control() && c != '\n')
    {
        return Err(DomainError::invalid(
            "reason",
            format!("must be 1 to {REASON_MAX} characters"),
        ));
    }
    Ok(())
}

/// Sets every `*_sealed` member of the objects in a JSON array to null (connected persons,
/// risks, contacts, review progress keep their structure, lose their sealed text).
fn strip_sealed(json: &str) -> String {
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(json) else {
        return "[]".to_owned();
    };
    if let Some(items) = value.as_array_mut() {
        for item in items {
            if let Some(object) = item.as_object_mut() {
                for (name, member) in object.iter_mut() {
                    if name.ends_with("_sealed") {
                        *member = serde_json::Value::Null;
                    }
                }
            }
        }
    }
    value.to_string()
}

/// Keeps the kind and country of trafficking events, drops their dates.
fn strip_dates(json: &str) -> String {
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(json) else {
        return "[]".to_owned();
    };
    if let Some(items) = value.as_array_mut() {
        for item in items {
            if let Some(object) = item.as_object_mut() {
                for name in ["from", "to"] {
                    if let Some(member) = object.get_mut(name) {
                        *member = serde_json::Value::Null;
                    }
                }
            }
        }
    }
    value.to_string()
}

fn case_ids_of(tenant: TenantId, client_id: Uuid) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(case::Column::Id)
        .from(case::Entity)
        .and_where(case::Column::TenantId.eq(*tenant.as_uuid()))
        .and_where(case::Column::ClientId.eq(client_id))
        .to_owned()
}

/// Erases `row` inside `txn`: destroys the data key, removes the name indexes and the free
/// text stored for the client everywhere, and leaves the tombstone. Idempotent (the start-up
/// re-application runs it on restored rows). Returns the packets other Haven organisations
/// received, to recall once `txn` has committed.
///
/// # Errors
/// Database errors.
#[allow(clippy::too_many_lines)]
pub(crate) async fn erase_in(
    txn: &DatabaseTransaction,
    master: &MasterKey,
    tenant: TenantId,
    row: &client::Model,
) -> DomainResult<Recalls> {
    let t = *tenant.as_uuid();
    let id = row.id;
    let now = crate::now();
    let none = || Expr::value(Option::<String>::None);
    client_key::Entity::delete_many()
        .filter(client_key::Column::TenantId.eq(t))
        .filter(client_key::Column::ClientId.eq(id))
        .exec(txn)
        .await?;
    client_name_index::Entity::delete_many()
        .filter(client_name_index::Column::TenantId.eq(t))
        .filter(client_name_index::Column::ClientId.eq(id))
        .exec(txn)
        .await?;
    let mut tombstone: client::ActiveModel = row.clone().into();
    tombstone.identity_sealed = Set(None);
    tombstone.name_index = Set(None);
    tombstone.name_dob_index = Set(None);
    tombstone.birth_year = Set(None);
    tombstone.connected_persons = Set(strip_sealed(&row.connected_persons));
    tombstone.trafficking_events = Set(strip_dates(&row.trafficking_events));
    tombstone.erased_at = Set(Some(row.erased_at.unwrap_or(now)));
    tombstone.updated_at = Set(now);
    tombstone.update(txn).await?;

    case_transition::Entity::update_many()
        .col_expr(case_transition::Column::Reason, none())
        .filter(case_transition::Column::TenantId.eq(t))
        .filter(case_transition::Column::CaseId.in_subquery(case_ids_of(tenant, id)))
        .exec(txn)
        .await?;
    for interview in interview::Entity::scoped(tenant)
        .filter(interview::Column::ClientId.eq(id))
        .all(txn)
        .await?
    {
        let risks = strip_sealed(&interview.risks);
        let mut model: interview::ActiveModel = interview.into();
        model.narrative_sealed = Set(None);
        model.risks = Set(risks);
        model.updated_at = Set(now);
        model.update(txn).await?;
    }
    support_goal::Entity::update_many()
        .col_expr(support_goal::Column::DescriptionSealed, Expr::value(""))
        .col_expr(support_goal::Column::ClientViewSealed, none())
        .filter(support_goal::Column::TenantId.eq(t))
        .filter(support_goal::Column::ClientId.eq(id))
        .exec(txn)
        .await?;
    for review in support_review::Entity::scoped(tenant)
        .filter(support_review::Column::ClientId.eq(id))
        .all(txn)
        .await?
    {
        let progress = strip_sealed(&review.progress);
        let mut model: support_review::ActiveModel = review.into();
        model.progress = Set(progress);
        model.update(txn).await?;
    }
    service_entry::Entity::update_many()
        .col_expr(service_entry::Column::NoteSealed, none())
        .filter(service_entry::Column::TenantId.eq(t))
        .filter(service_entry::Column::ClientId.eq(id))
        .exec(txn)
        .await?;
    document::Entity::update_many()
        .col_expr(document::Column::NumberSealed, none())
        .col_expr(document::Column::NotesSealed, none())
        .filter(document::Column::TenantId.eq(t))
        .filter(document::Column::ClientId.eq(id))
        .exec(txn)
        .await?;
    for proceeding in legal_proceeding::Entity::scoped(tenant)
        .filter(legal_proceeding::Column::ClientId.eq(id))
        .all(txn)
        .await?
    {
        let contacts = strip_sealed(&proceeding.contacts);
        let mut model: legal_proceeding::ActiveModel = proceeding.into();
        model.reference_sealed = Set(None);
        model.contacts = Set(contacts);
        model.update(txn).await?;
    }
    hearing::Entity::update_many()
        .col_expr(hearing::Column::OutcomeSealed, none())
        .col_expr(hearing::Column::Place, none())
        .filter(hearing::Column::TenantId.eq(t))
        .filter(hearing::Column::ClientId.eq(id))
        .exec(txn)
        .await?;
    task::Entity::update_many()
        .col_expr(task::Column::DetailsSealed, none())
        .col_expr(task::Column::Title, Expr::value("(erased)"))
        .filter(task::Column::TenantId.eq(t))
        .filter(task::Column::ClientId.eq(id))
        .exec(txn)
        .await?;
    referral::Entity::update_many()
        .col_expr(referral::Column::ReasonSealed, Expr::value(""))
        .col_expr(referral::Column::OutcomeSealed, none())
        .col_expr(referral::Column::OverrideReasonSealed, none())
        .filter(referral::Column::TenantId.eq(t))
        .filter(referral::Column::ClientId.eq(id))
        .exec(txn)
        .await?;
    // A referral still waiting in another Haven organisation's inbox is withdrawn there by the
    // recall, so it ends here too.
    referral::Entity::update_many()
        .col_expr(
            referral::Column::Status,
            Expr::value(ReferralStatus::Cancelled.as_str()),
        )
        .col_expr(referral::Column::CancelledAt, Expr::value(now))
        .col_expr(referral::Column::UpdatedAt, Expr::value(now))
        .filter(referral::Column::TenantId.eq(t))
        .filter(referral::Column::ClientId.eq(id))
        .filter(referral::Column::IncomingId.is_not_null())
        .filter(referral::Column::Status.eq(ReferralStatus::Sent.as_str()))
        .exec(txn)
        .await?;
    let recalls = Recalls::of_client(txn, tenant, id).await?;
    erase_from_incidents(txn, master, tenant, &row.case_code).await?;
    // Case notes are append-only: their bodies were sealed with the destroyed key.
    Ok(recalls)
}

/// Takes the case code out of the incidents that name it; an incident that named no one else
/// loses its description and actions too (they were about this client).
async fn erase_from_incidents(
    txn: &DatabaseTransaction,
    master: &MasterKey,
    tenant: TenantId,
    case_code: &str,
) -> DomainResult<()> {
    let rows: Vec<incident::Model> = incident::Entity::scoped(tenant)
        .filter(incident::Column::InvolvedCaseCodes.contains(case_code))
        .all(txn)
        .await?
        .into_iter()
        .filter(|i| {
            incidents::split_codes(&i.involved_case_codes)
                .iter()
                .any(|c| c == case_code)
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    let key = fieldcrypt::tenant_key(txn, master, tenant).await?;
    for row in rows {
        let others: Vec<String> = incidents::split_codes(&row.involved_case_codes)
            .into_iter()
            .filter(|c| c != case_code)
            .collect();
        let id = row.id;
        let mut model: incident::ActiveModel = row.into();
        if others.is_empty() {
            model.description_sealed =
                Set(key.seal_str(&incidents::field(tenant, id, "description"), "")?);
            model.actions_taken_sealed = Set(None);
        }
        model.involved_case_codes = Set(others.join(","));
        model.updated_at = Set(crate::now());
        model.update(txn).await?;
    }
    Ok(())
}

/// Erases `row`, writes the ledger entry (before the commit, so no committed erasure is
/// missing from it) and audits it. Returns what [`erase_in`] does.
pub(crate) async fn erase_recorded(
    txn: &DatabaseTransaction,
    master: &MasterKey,
    ledger: &ErasureLedger,
    tenant: TenantId,
    row: &client::Model,
    actor: Actor,
    details: serde_json::Value,
) -> DomainResult<Recalls> {
    let erased_at = crate::now();
    let recalls = erase_in(txn, master, tenant, row).await?;
    audit::record(
        txn,
        tenant,
        Event::new("client.erased", actor, Outcome::Success)
            .target("client", row.id)
            .details(details),
    )
    .await?;
    ledger.append(&LedgerEntry {
        tenant_id: *tenant.as_uuid(),
        client_id: row.id,
        erased_at,
    })?;
    Ok(recalls)
}

async fn pending_for<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    client_id: Uuid,
) -> DomainResult<Option<erasure_request::Model>> {
    Ok(erasure_request::Entity::scoped(tenant)
        .filter(erasure_request::Column::ClientId.eq(client_id))
        .filter(erasure_request::Column::Status.eq("pending"))
        .one(conn)
        .await?)
}

/// Asks for a client's erasure. Without the organisation's two-person rule the client is
/// erased at once (status `completed`); with it the request waits (status `pending`) for a
/// different administrator's approval.
///
/// # Errors
/// `Forbidden` without `clients.erase`; `NotFound`; `Invalid` reason; `Conflict
/// client_erased` / `erasure_pending`; database or ledger errors.
pub async fn request(
    db: &DatabaseConnection,
    master: &MasterKey,
    ledger: &ErasureLedger,
    scope: &TenantScope,
    client_id: Uuid,
    reason: &str,
) -> DomainResult<ErasureView> {
    access::require(db, scope, Permission::ClientsErase).await?;
    check_reason(reason)?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = client::Entity::scoped(tenant)
        .filter(client::Column::Id.eq(client_id))
        .one(&txn)
        .await?
    else {
        drop(txn);
        return Err(access::not_found(db, scope, "client", client_id).await);
    };
    if row.erased_at.is_some() {
        return Err(erased_already());
    }
    if pending_for(&txn, tenant, client_id).await?.is_some() {
        return Err(DomainError::conflict(
            "erasure_pending",
            "An erasure of this client awaits approval already.",
        ));
    }
    let two_person = procedures::settings(&txn, tenant).await?.two_person_erasure;
    let id = Uuid::now_v7();
    let now = crate::now();
    let me = *scope.user_id().as_uuid();
    let mut model = erasure_request::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        client_id: Set(client_id),
        status: Set("pending".to_owned()),
        reason_sealed: Set(None),
        requested_by: Set(Some(me)),
        requested_at: Set(now),
        approved_by: Set(None),
        completed_at: Set(None),
    };
    let (view, recalls) = if two_person {
        let key = fieldcrypt::tenant_key(&txn, master, tenant).await?;
        model.reason_sealed = Set(Some(key.seal_str(&reason_field(tenant, id), reason)?));
        let stored = model.insert(&txn).await?;
        audit::record(
            &txn,
            tenant,
            Event::new(
                "client.erasure_requested",
                Actor::user(scope),
                Outcome::Success,
            )
            .target("client", client_id)
            .details(serde_json::json!({"request": id})),
        )
        .await?;
        let view = ErasureView {
            row: stored,
            reason: Some(reason.to_owned()),
        };
        (view, Recalls::default())
    } else {
        model.status = Set("completed".to_owned());
        model.completed_at = Set(Some(now));
        let stored = model.insert(&txn).await?;
        let recalls = erase_recorded(
            &txn,
            master,
            ledger,
            tenant,
            &row,
            Actor::user(scope),
            serde_json::json!({"request": id, "approval": "single"}),
        )
        .await?;
        let view = ErasureView {
            row: stored,
            reason: None,
        };
        (view, recalls)
    };
    txn.commit().await?;
    recalls.send(db, master).await;
    Ok(view)
}

/// An erasure of the caller's organisation, in a transaction left open for the caller.
async fn load_request(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<(DatabaseTransaction, erasure_request::Model)> {
    access::require(db, scope, Permission::ClientsErase).await?;
    let txn = scope.begin(db).await?;
    match erasure_request::Entity::scoped(scope.tenant_id())
        .filter(erasure_request::Column::Id.eq(id))
        .one(&txn)
        .await?
    {
        Some(row) => Ok((txn, row)),
        None => {
            drop(txn);
            Err(access::not_found(db, scope, "erasure", id).await)
        }
    }
}

/// Approves a pending erasure and erases the client. The requester cannot approve their own
/// request.
///
/// # Errors
/// `Forbidden` without `clients.erase`; `NotFound`; `Conflict erasure_not_pending` /
/// `second_administrator_required`; database or ledger errors.
pub async fn approve(
    db: &DatabaseConnection,
    master: &MasterKey,
    ledger: &ErasureLedger,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<ErasureView> {
    let tenant = scope.tenant_id();
    let (txn, request) = load_request(db, scope, id).await?;
    if request.status != "pending" {
        return Err(DomainError::conflict(
            "erasure_not_pending",
            "This erasure was carried out already.",
        ));
    }
    let me = *scope.user_id().as_uuid();
    if request.requested_by == Some(me) {
        drop(txn);
        let event = Event::new(
            "client.erasure_approved",
            Actor::user(scope),
            Outcome::Denied,
        )
        .target("client", request.client_id)
        .details(serde_json::json!({"request": id, "reason": "own_request"}));
        audit::record_alone(db, tenant, event).await?;
        return Err(DomainError::conflict(
            "second_administrator_required",
            "Another administrator must approve this erasure.",
        ));
    }
    let row = client::Entity::scoped(tenant)
        .filter(client::Column::Id.eq(request.client_id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let recalls = if row.erased_at.is_none() {
        erase_recorded(
            &txn,
            master,
            ledger,
            tenant,
            &row,
            Actor::user(scope),
            serde_json::json!({"request": id, "approval": "two_person", "requested_by": request.requested_by}),
        )
        .await?
    } else {
        Recalls::default()
    };
    let mut model: erasure_request::ActiveModel = request.into();
    model.status = Set("completed".to_owned());
    model.reason_sealed = Set(None);
    model.approved_by = Set(Some(me));
    model.completed_at = Set(Some(crate::now()));
    let stored = model.update(&txn).await?;
    txn.commit().await?;
    recalls.send(db, master).await;
    Ok(ErasureView {
        row: stored,
        reason: None,
    })
}

/// One erasure of the organisation, its reason opened while pending.
///
/// # Errors
/// `Forbidden` without `clients.erase`; `NotFound`; database errors.
pub async fn get(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<ErasureView> {
    let tenant = scope.tenant_id();
    let (txn, row) = load_request(db, scope, id).await?;
    let reason = match &row.reason_sealed {
        Some(sealed) => Some(
            fieldcrypt::tenant_key(&txn, master, tenant)
                .await?
                .open_str(&reason_field(tenant, row.id), sealed)?,
        ),
        None => None,
    };
    txn.commit().await?;
    Ok(ErasureView { row, reason })
}

/// Erasures awaiting approval, oldest first, with their reasons.
///
/// # Errors
/// `Forbidden` without `clients.erase`; database errors.
pub async fn list_pending(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    after: Option<Uuid>,
    limit: u64,
) -> DomainResult<Vec<ErasureView>> {
    access::require(db, scope, Permission::ClientsErase).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let mut query = erasure_request::Entity::scoped(tenant)
        .filter(erasure_request::Column::Status.eq("pending"))
        .order_by_asc(erasure_request::Column::Id);
    if let Some(after) = after {
        query = query.filter(erasure_request::Column::Id.gt(after));
    }
    let rows = query.limit(limit).all(&txn).await?;
    let key = if rows.iter().any(|r| r.reason_sealed.is_some()) {
        Some(fieldcrypt::tenant_key(&txn, master, tenant).await?)
    } else {
        None
    };
    txn.commit().await?;
    rows.into_iter()
        .map(|row| {
            let reason = match (&key, &row.reason_sealed) {
                (Some(key), Some(sealed)) => {
                    Some(key.open_str(&reason_field(tenant, row.id), sealed)?)
                }
                _ => None,
            };
            Ok(ErasureView { row, reason })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_members_and_event_dates_are_dropped_and_the_rest_kept() {
        let persons = r#"[{"role":"child","age_band":"0-5","name_sealed":"f1.abc"}]"#;
        let stripped: serde_json::Value =
            serde_json::from_str(&strip_sealed(persons)).unwrap_or_default();
        assert_eq!(stripped[0]["name_sealed"], serde_json::Value::Null);
        assert_eq!(stripped[0]["role"], "child");
        let events = r#"[{"kind":"recruitment","country":"NG","from":"2024-01-01","to":null}]"#;
        let stripped: serde_json::Value =
            serde_json::from_str(&strip_dates(events)).unwrap_or_default();
        assert_eq!(stripped[0]["from"], serde_json::Value::Null);
        assert_eq!(stripped[0]["country"], "NG");
        assert!(check_reason(" ").is_err());
        assert!(check_reason("The client asked to be forgotten.").is_ok());
    }
}
