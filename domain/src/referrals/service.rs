//! Sending referrals, reading them, moving them along their status flow, and their pack.

use crate::access::{check_version, forbidden, not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::cases::{case_visible, visible_case};
use crate::clients::{client_data_key, read_details};
use crate::consents::ConsentView;
use crate::crypto::MasterKey;
use crate::entities::{client, consent, directory_organisation, referral, tenant};
use crate::error::{DomainError, DomainResult, Validator};
use crate::fieldcrypt::DataKey;
use crate::ids::TenantId;
use crate::referrals::packet::{self, PackHeader, Packet};
use crate::referrals::{ReferralView, coverage, etag, exchange, field, flow, text_ok};
use crate::tenancy::TenantScope;
use crate::vocab::{
    self, ConsentPurpose, DirectoryServiceType, PacketField, PartnerOrganisationType,
    ReferralStatus, ReferralUrgency, ServiceArea, Stage,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};
use std::collections::HashMap;
use uuid::Uuid;

/// A referral to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReferral {
    pub case_id: Uuid,
    pub organisation_id: Uuid,
    pub service_type: DirectoryServiceType,
    pub service_area: ServiceArea,
    pub urgency: ReferralUrgency,
    pub reason: String,
    pub shared_fields: Vec<PacketField>,
    /// Send without a matching consent (needs `referrals.consent_override`).
    pub consent_override: bool,
    /// Why, required with an override.
    pub override_reason: Option<String>,
}

/// Filters of the referral list.
#[derive(Debug, Default, Clone)]
pub struct ReferralFilter {
    pub status: Option<ReferralStatus>,
    pub case_id: Option<Uuid>,
    /// Referrals older than this id (newest first).
    pub before: Option<Uuid>,
    pub limit: u64,
}

fn check_new(v: &mut Validator, new: &NewReferral) {
    if !text_ok(&new.reason) {
        v.note(
            "reason",
            format!("must be 1 to {} characters", super::MAX_TEXT),
        );
    }
    if new.shared_fields.len() > PacketField::ALL.len() {
        v.note("shared_fields", "name each field at most once");
    }
    match (&new.override_reason, new.consent_override) {
        (Some(reason), true) if !text_ok(reason) => v.note(
            "override_reason",
            format!("must be 1 to {} characters", super::MAX_TEXT),
        ),
        (None, true) => v.note(
            "override_reason",
            "say why the referral goes without the client's consent",
        ),
        (Some(_), false) => v.note("override_reason", "is given only with `consent_override`"),
        _ => {}
    }
    if new.consent_override && new.shared_fields.iter().any(|f| f.identifies()) {
        v.note(
            "shared_fields",
            "identifying fields (name, date_of_birth, contact) travel only under the client's consent",
        );
    }
}

/// The newest active consent of `client_id` to share with every type in `required`.
async fn matching_consent<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    client_id: Uuid,
    required: &std::collections::BTreeSet<PartnerOrganisationType>,
) -> DomainResult<Option<ConsentView>> {
    let rows = consent::Entity::scoped(tenant)
        .filter(consent::Column::ClientId.eq(client_id))
        .filter(consent::Column::Purpose.eq(ConsentPurpose::SharingWithPartners.as_str()))
        .filter(consent::Column::WithdrawnAt.is_null())
        .order_by_desc(consent::Column::Id)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(ConsentView::from)
        .find(|c| required.iter().all(|p| c.allows_sharing_with(*p))))
}

async fn refused(db: &DatabaseConnection, scope: &TenantScope, case_id: Uuid, why: &str) {
    let event = Event::new("referral.refused", Actor::user(scope), Outcome::Denied)
        .target("case", case_id)
        .details(serde_json::json!({"reason": why}));
    if let Err(err) = audit::record_alone(db, scope.tenant_id(), event).await {
        tracing::error!(error = %err, "cannot audit a refused referral");
    }
}

fn consent_required(required: &std::collections::BTreeSet<PartnerOrganisationType>) -> DomainError {
    let names: Vec<&str> = required.iter().map(|p| p.as_str()).collect();
    DomainError::conflict(
        "consent_required",
        format!(
            "The client has no active consent to share with organisations of type {}; record \
             one in an interview first.",
            names.join(", ")
        ),
    )
}

/// Sends a referral of a case the caller may see to a directory organisation the tenant can
/// see, on the client's matching consent or an authorised override. When the organisation is
/// a Haven tenant the referral also lands in its inbox.
///
/// # Errors
/// `Forbidden` without `cases.work` (or `referrals.consent_override` for an override);
/// `Invalid` fields; `Conflict consent_required` without a matching consent, `case_closed`,
/// `client_erased`; database errors.
pub async fn create(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    mut new: NewReferral,
) -> DomainResult<ReferralView> {
    require(db, scope, Permission::CasesWork).await?;
    if new.consent_override {
        require(db, scope, Permission::ReferralsConsentOverride).await?;
    }
    new.shared_fields.sort_unstable();
    new.shared_fields.dedup();
    let mut v = Validator::default();
    check_new(&mut v, &new);
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let case = visible_case(&txn, scope, new.case_id).await?;
    if case.is_none() {
        v.note("case_id", "no such case among those you may see");
    }
    let organisation = directory_organisation::Entity::visible_to(tenant)
        .filter(directory_organisation::Column::Id.eq(new.organisation_id))
        .one(&txn)
        .await?;
    match &organisation {
        None => v.note("organisation_id", "no such organisation in your directory"),
        Some(org)
            if !vocab::split(&org.service_types, DirectoryServiceType::parse)
                .contains(&new.service_type) =>
        {
            v.note("service_type", "is not a service this organisation offers");
        }
        Some(_) => {}
    }
    v.finish()?;
    let (Some(case), Some(organisation)) = (case, organisation) else {
        return Err(DomainError::NotFound);
    };
    if case.stage == Stage::Closed.as_str() {
        return Err(DomainError::conflict(
            "case_closed",
            "The case is closed; reopen work on it before referring.",
        ));
    }
    let organisation_type = PartnerOrganisationType::parse(&organisation.organisation_type)
        .unwrap_or(PartnerOrganisationType::Other);
    let required = coverage::required_partner_types(organisation_type, new.service_type)?;
    let consent = if new.consent_override {
        None
    } else {
        match matching_consent(&txn, tenant, case.client_id, &required).await? {
            Some(c) => Some(c),
            None => {
                drop(txn);
                refused(db, scope, case.id, "consent_required").await;
                return Err(consent_required(&required));
            }
        }
    };
    let Some(key) = client_data_key(&txn, master, tenant, case.client_id).await? else {
        return Err(DomainError::conflict(
            "client_erased",
            "The client's record was erased; nothing can be shared.",
        ));
    };
    let id = Uuid::now_v7();
    let now = crate::now();
    let receiver = organisation
        .linked_tenant_id
        .filter(|t| t != tenant.as_uuid())
        .map(TenantId::from_uuid);
    let incoming_id = receiver.map(|_| Uuid::now_v7());
    let row = referral::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        case_id: Set(case.id),
        client_id: Set(case.client_id),
        organisation_id: Set(organisation.id),
        service_type: Set(new.service_type.as_str().to_owned()),
        service_area: Set(new.service_area.as_str().to_owned()),
        urgency: Set(new.urgency.as_str().to_owned()),
        reason_sealed: Set(key.seal_str(&field(tenant, id, "reason"), new.reason.trim())?),
        shared_fields: Set(vocab::join(&new.shared_fields, PacketField::as_str)),
        consent_id: Set(consent.as_ref().map(|c| c.id)),
        consent_override: Set(new.consent_override),
        override_reason_sealed: Set(new
            .override_reason
            .as_deref()
            .map(|r| key.seal_str(&field(tenant, id, "override_reason"), r.trim()))
            .transpose()?),
        override_by: Set(new.consent_override.then(|| *scope.user_id().as_uuid())),
        status: Set(ReferralStatus::Sent.as_str().to_owned()),
        outcome_sealed: Set(None),
        sent_at: Set(now),
        responded_at: Set(None),
        completed_at: Set(None),
        cancelled_at: Set(None),
        receiver_tenant_id: Set(receiver.map(|t| *t.as_uuid())),
        incoming_id: Set(incoming_id),
        recalled_at: Set(None),
        created_by: Set(*scope.user_id().as_uuid()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        tenant,
        Event::new("referral.sent", Actor::user(scope), Outcome::Success)
            .target("referral", id)
            .details(serde_json::json!({
                "case": case.id,
                "organisation": organisation.id,
                "service_type": row.service_type,
                "consent": row.consent_id,
                "consent_override": row.consent_override,
                "to_haven_organisation": receiver.is_some(),
            })),
    )
    .await?;
    if new.consent_override {
        audit::record(
            &txn,
            tenant,
            Event::new(
                "referral.consent_overridden",
                Actor::user(scope),
                Outcome::Success,
            )
            .target("referral", id)
            .details(serde_json::json!({
                "case": case.id,
                "partner_types": required.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            })),
        )
        .await?;
    }
    let delivery = match (receiver, incoming_id) {
        (Some(receiver), Some(incoming)) => {
            let client_row = client::Entity::scoped(tenant)
                .filter(client::Column::Id.eq(case.client_id))
                .one(&txn)
                .await?
                .ok_or(DomainError::NotFound)?;
            let details = read_details(&client_row, Some(&key))?;
            let sender_name = tenant::Entity::find_by_id(*tenant.as_uuid())
                .one(&txn)
                .await?
                .map_or_else(|| "A Haven organisation".to_owned(), |t| t.name);
            Some(exchange::Delivery {
                sender: tenant,
                receiver,
                incoming_id: incoming,
                organisation_id: organisation.id,
                sender_name,
                service_type: new.service_type,
                service_area: new.service_area,
                urgency: new.urgency,
                packet: Packet::of(&details, &new.shared_fields, new.reason.trim()),
            })
        }
        _ => None,
    };
    txn.commit().await?;
    if let Some(delivery) = delivery
        && let Err(err) = exchange::deliver(db, master, delivery).await
    {
        // Nothing reached the partner: the referral is taken back rather than left "sent".
        exchange::undo_send(db, tenant, id).await;
        return Err(err);
    }
    let mut view = ReferralView::new(row, Some(organisation.name));
    view.reason = Some(new.reason.trim().to_owned());
    view.override_reason = new.override_reason.map(|r| r.trim().to_owned());
    Ok(view)
}

pub(crate) async fn names<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    rows: &[referral::Model],
) -> DomainResult<HashMap<Uuid, String>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.organisation_id).collect();
    Ok(directory_organisation::Entity::visible_to(tenant)
        .filter(directory_organisation::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

/// The referrals of the cases the caller may see, newest first, without their texts.
///
/// # Errors
/// `Forbidden` without `cases.work`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &ReferralFilter,
) -> DomainResult<Vec<ReferralView>> {
    use referral::Column as R;
    require(db, scope, Permission::CasesWork).await?;
    let tenant = scope.tenant_id();
    let mut query = referral::Entity::scoped(tenant)
        .filter(case_visible(scope, R::CaseId))
        .order_by_desc(R::Id);
    if let Some(status) = filter.status {
        query = query.filter(R::Status.eq(status.as_str()));
    }
    if let Some(case) = filter.case_id {
        query = query.filter(R::CaseId.eq(case));
    }
    if let Some(before) = filter.before {
        query = query.filter(R::Id.lt(before));
    }
    let txn = scope.begin(db).await?;
    let rows = query.limit(filter.limit).all(&txn).await?;
    let mut names = names(&txn, tenant, &rows).await?;
    txn.commit().await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let name = names.remove(&row.organisation_id);
            ReferralView::new(row, name)
        })
        .collect())
}

/// The referrals of one case the caller may see.
///
/// # Errors
/// `NotFound` for a case the caller may not see; `Forbidden`; database errors.
pub async fn list_for_case(
    db: &DatabaseConnection,
    scope: &TenantScope,
    case_id: Uuid,
    filter: &ReferralFilter,
) -> DomainResult<Vec<ReferralView>> {
    let txn = scope.begin(db).await?;
    let found = visible_case(&txn, scope, case_id).await?;
    txn.commit().await?;
    if found.is_none() {
        return Err(not_found(db, scope, "case", case_id).await);
    }
    let filter = ReferralFilter {
        case_id: Some(case_id),
        ..filter.clone()
    };
    list(db, scope, &filter).await
}

async fn visible<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<Option<referral::Model>> {
    Ok(referral::Entity::scoped(scope.tenant_id())
        .filter(referral::Column::Id.eq(id))
        .filter(case_visible(scope, referral::Column::CaseId))
        .one(conn)
        .await?)
}

pub(crate) fn open(
    key: Option<&DataKey>,
    tenant: TenantId,
    row: &referral::Model,
    view: &mut ReferralView,
) -> DomainResult<()> {
    let Some(key) = key else {
        return Ok(());
    };
    view.reason = Some(key.open_str(&field(tenant, row.id, "reason"), &row.reason_sealed)?);
    view.outcome = row
        .outcome_sealed
        .as_deref()
        .map(|s| key.open_str(&field(tenant, row.id, "outcome"), s))
        .transpose()?;
    view.override_reason = row
        .override_reason_sealed
        .as_deref()
        .map(|s| key.open_str(&field(tenant, row.id, "override_reason"), s))
        .transpose()?;
    Ok(())
}

/// One referral of a case the caller may see, with its texts opened (the read is audited).
///
/// # Errors
/// `NotFound` (also for another tenant's); database errors.
pub async fn get(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<ReferralView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "referral", id).await);
    };
    let key = client_data_key(&txn, master, tenant, row.client_id).await?;
    let name = names(&txn, tenant, std::slice::from_ref(&row))
        .await?
        .remove(&row.organisation_id);
    audit::record(
        &txn,
        tenant,
        Event::new("referral.read", Actor::user(scope), Outcome::Success).target("referral", id),
    )
    .await?;
    txn.commit().await?;
    let mut view = ReferralView::new(row.clone(), name);
    open(key.as_ref(), tenant, &row, &mut view)?;
    Ok(view)
}

/// A status change of a referral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusChange {
    pub to: ReferralStatus,
    /// What came of it (sealed).
    pub outcome: Option<String>,
}

/// Moves a referral along its flow, recording the date (and the outcome). Needs `cases.work`
/// and `If-Match`.
///
/// # Errors
/// `NotFound`; `Forbidden`; `PreconditionRequired`/`PreconditionFailed`; `Invalid` outcome;
/// `Conflict illegal_transition`; database errors.
pub async fn transition(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
    change: StatusChange,
    if_match: Option<&str>,
) -> DomainResult<ReferralView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "referral", id).await);
    };
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    if change.outcome.as_deref().is_some_and(|o| !text_ok(o)) {
        return Err(DomainError::invalid(
            "outcome",
            format!("must be 1 to {} characters", super::MAX_TEXT),
        ));
    }
    check_version(if_match, &etag(&row))?;
    let from = ReferralStatus::parse(&row.status).unwrap_or(ReferralStatus::Sent);
    let allowed = flow::allowed(from, row.incoming_id.is_some());
    if !allowed.contains(&change.to) {
        let names: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
        return Err(DomainError::conflict(
            "illegal_transition",
            format!(
                "A referral that is `{}` can move to: {}.",
                from.as_str(),
                if names.is_empty() {
                    "nowhere (it is final)".to_owned()
                } else {
                    names.join(", ")
                }
            ),
        ));
    }
    let key = client_data_key(&txn, master, tenant, row.client_id).await?;
    let now = crate::now();
    let mut update = referral::Entity::update_many()
        .col_expr(referral::Column::Status, Expr::value(change.to.as_str()))
        .col_expr(referral::Column::UpdatedAt, Expr::value(now));
    update = match change.to {
        ReferralStatus::Accepted | ReferralStatus::Declined => {
            update.col_expr(referral::Column::RespondedAt, Expr::value(now))
        }
        ReferralStatus::Completed => {
            update.col_expr(referral::Column::CompletedAt, Expr::value(now))
        }
        ReferralStatus::Cancelled => {
            update.col_expr(referral::Column::CancelledAt, Expr::value(now))
        }
        ReferralStatus::Sent => update,
    };
    if let Some(outcome) = change.outcome.as_deref() {
        let Some(key) = key.as_ref() else {
            return Err(DomainError::conflict(
                "client_erased",
                "The client's record was erased; nothing more can be written.",
            ));
        };
        update = update.col_expr(
            referral::Column::OutcomeSealed,
            Expr::value(key.seal_str(&field(tenant, id, "outcome"), outcome.trim())?),
        );
    }
    // Conditional on the status read, so two changes at once cannot both apply.
    let done = update
        .filter(referral::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(referral::Column::Id.eq(id))
        .filter(referral::Column::Status.eq(from.as_str()))
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        return Err(DomainError::PreconditionFailed);
    }
    audit::record(
        &txn,
        tenant,
        Event::new(
            "referral.status_changed",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("referral", id)
        .details(serde_json::json!({"from": from.as_str(), "to": change.to.as_str()})),
    )
    .await?;
    let updated = referral::Entity::scoped(tenant)
        .filter(referral::Column::Id.eq(id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let name = names(&txn, tenant, std::slice::from_ref(&updated))
        .await?
        .remove(&updated.organisation_id);
    txn.commit().await?;
    if change.to == ReferralStatus::Cancelled
        && let (Some(receiver), Some(incoming)) = (updated.receiver_tenant_id, updated.incoming_id)
    {
        // The sender's cancellation stands; an inbox that cannot be told keeps the item,
        // and accepting it then no longer moves the sender's referral.
        if let Err(err) = exchange::withdraw(db, TenantId::from_uuid(receiver), incoming).await {
            tracing::error!(error = %err, "cannot withdraw a cancelled referral from the inbox");
        }
    }
    let mut view = ReferralView::new(updated.clone(), name);
    open(key.as_ref(), tenant, &updated, &mut view)?;
    Ok(view)
}

/// The referral pack as printable HTML: only the fields the referral shares, read from the
/// client's record now (the export is audited). A referral whose consent was withdrawn since
/// has no pack.
///
/// # Errors
/// `NotFound`; `Conflict consent_withdrawn`, `client_erased`; database errors.
pub async fn pack(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<String> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "referral", id).await);
    };
    if let Some(consent_id) = row.consent_id {
        let withdrawn = consent::Entity::scoped(tenant)
            .filter(consent::Column::Id.eq(consent_id))
            .one(&txn)
            .await?
            .is_none_or(|c| c.withdrawn_at.is_some());
        if withdrawn {
            return Err(DomainError::conflict(
                "consent_withdrawn",
                "The client withdrew the consent this referral rested on; its pack is no longer shared.",
            ));
        }
    }
    let Some(key) = client_data_key(&txn, master, tenant, row.client_id).await? else {
        return Err(DomainError::conflict(
            "client_erased",
            "The client's record was erased; nothing can be shared.",
        ));
    };
    let client_row = client::Entity::scoped(tenant)
        .filter(client::Column::Id.eq(row.client_id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let details = read_details(&client_row, Some(&key))?;
    let reason = key.open_str(&field(tenant, id, "reason"), &row.reason_sealed)?;
    let view = ReferralView::new(row.clone(), None);
    let mut fields = view.shared_fields.clone();
    if row.consent_override {
        fields.retain(|f| !f.identifies());
    }
    let packet = Packet::of(&details, &fields, &reason);
    let to = names(&txn, tenant, std::slice::from_ref(&row))
        .await?
        .remove(&row.organisation_id)
        .unwrap_or_default();
    let from = tenant::Entity::find_by_id(*tenant.as_uuid())
        .one(&txn)
        .await?
        .map_or_else(String::new, |t| t.name);
    audit::record(
        &txn,
        tenant,
        Event::new(
            "referral.pack_exported",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("referral", id)
        .details(serde_json::json!({
            "fields": fields.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(packet::render(
        &PackHeader {
            reference: id,
            from: &from,
            to: &to,
            service_type: crate::directory::taxonomy::label(view.service_type),
            service_area: view.service_area.as_str(),
            urgency: view.urgency.as_str(),
            sent_at: row.sent_at,
            overridden: row.consent_override,
        },
        &packet,
    ))
}
