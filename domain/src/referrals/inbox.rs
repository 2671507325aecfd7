//! The inbox of referrals a tenant receives from other Haven tenants: read them (the packet is
//! opened with the tenant's own key, the read audited), accept one — which opens a signalled
//! case for a new client pre-filled from the packet — or decline it with a reason. The sender
//! learns the status only; the receiver never learns more of the sender than its name. When the
//! sender erases the client the packet is recalled: emptied, and withdrawn if still waiting.

use crate::access::{forbidden, not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::clients;
use crate::crypto::MasterKey;
use crate::entities::incoming_referral;
use crate::error::{DomainError, DomainResult};
use crate::fieldcrypt;
use crate::ids::TenantId;
use crate::referrals::exchange::{self, incoming_field};
use crate::referrals::packet::Packet;
use crate::referrals::text_ok;
use crate::tenancy::TenantScope;
use crate::vocab::{
    DirectoryServiceType, IncomingStatus, ReferralStatus, ReferralUrgency, ServiceArea,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _, QueryFilter as _,
    QueryOrder as _, QuerySelect as _,
};
use uuid::Uuid;

/// A received referral as read back.
#[derive(Clone, Debug)]
pub struct IncomingView {
    pub row: incoming_referral::Model,
    pub status: IncomingStatus,
    pub service_type: DirectoryServiceType,
    pub service_area: ServiceArea,
    pub urgency: ReferralUrgency,
    /// Opened only when one item is read, and never once recalled.
    pub packet: Option<Packet>,
    pub decline_reason: Option<String>,
}

impl IncomingView {
    fn new(row: incoming_referral::Model) -> Self {
        Self {
            status: IncomingStatus::parse(&row.status).unwrap_or(IncomingStatus::Received),
            service_type: DirectoryServiceType::parse(&row.service_type)
                .unwrap_or(DirectoryServiceType::Other),
            service_area: ServiceArea::parse(&row.service_area)
                .unwrap_or(ServiceArea::Administrative),
            urgency: ReferralUrgency::parse(&row.urgency).unwrap_or(ReferralUrgency::Routine),
            packet: None,
            decline_reason: None,
            row,
        }
    }
}

/// Filters of the inbox.
#[derive(Debug, Default, Clone)]
pub struct IncomingFilter {
    pub status: Option<IncomingStatus>,
    pub before: Option<Uuid>,
    pub limit: u64,
}

async fn find<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: Uuid,
) -> DomainResult<Option<incoming_referral::Model>> {
    Ok(incoming_referral::Entity::scoped(tenant)
        .filter(incoming_referral::Column::Id.eq(id))
        .one(conn)
        .await?)
}

/// The inbox, newest first, without packets.
///
/// # Errors
/// `Forbidden` without `referrals.receive`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &IncomingFilter,
) -> DomainResult<Vec<IncomingView>> {
    use incoming_referral::Column as I;
    require(db, scope, Permission::ReferralsReceive).await?;
    let mut query = incoming_referral::Entity::scoped(scope.tenant_id()).order_by_desc(I::Id);
    if let Some(status) = filter.status {
        query = query.filter(I::Status.eq(status.as_str()));
    }
    if let Some(before) = filter.before {
        query = query.filter(I::Id.lt(before));
    }
    let txn = scope.begin(db).await?;
    let rows = query.limit(filter.limit).all(&txn).await?;
    txn.commit().await?;
    Ok(rows.into_iter().map(IncomingView::new).collect())
}

fn open(
    key: &fieldcrypt::DataKey,
    tenant: TenantId,
    row: &incoming_referral::Model,
    view: &mut IncomingView,
) -> DomainResult<()> {
    // A recalled item's packet was emptied when its sender erased the client.
    if row.recalled_at.is_none() {
        let json = key.open_str(
            &incoming_field(tenant, row.id, "packet"),
            &row.packet_sealed,
        )?;
        view.packet =
            Some(serde_json::from_str(&json).map_err(|e| DomainError::Internal(e.into()))?);
    }
    view.decline_reason = row
        .decline_reason_sealed
        .as_deref()
        .map(|s| key.open_str(&incoming_field(tenant, row.id, "decline_reason"), s))
        .transpose()?;
    Ok(())
}

/// One received referral with its packet opened (the read is audited).
///
/// # Errors
/// `NotFound` (also for another tenant's); `Forbidden` without `referrals.receive`; database
/// errors.
pub async fn get(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<IncomingView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = find(&txn, tenant, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "incoming_referral", id).await);
    };
    if !scope.has(Permission::ReferralsReceive) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::ReferralsReceive).await);
    }
    let key = fieldcrypt::tenant_key(&txn, master, tenant).await?;
    let mut view = IncomingView::new(row.clone());
    open(&key, tenant, &row, &mut view)?;
    audit::record(
        &txn,
        tenant,
        Event::new(
            "incoming_referral.read",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("incoming_referral", id),
    )
    .await?;
    txn.commit().await?;
    Ok(view)
}

fn not_pending() -> DomainError {
    DomainError::conflict(
        "not_pending",
        "This referral was answered already, or its sender withdrew it.",
    )
}

/// Claims a received item for a decision, conditionally, so two answers at once cannot both
/// apply.
async fn claim<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    id: Uuid,
    to: IncomingStatus,
    decline_reason: Option<String>,
) -> DomainResult<()> {
    let now = crate::now();
    let mut update = incoming_referral::Entity::update_many()
        .col_expr(incoming_referral::Column::Status, Expr::value(to.as_str()))
        .col_expr(
            incoming_referral::Column::DecidedBy,
            Expr::value(*scope.user_id().as_uuid()),
        )
        .col_expr(incoming_referral::Column::DecidedAt, Expr::value(now))
        .col_expr(incoming_referral::Column::UpdatedAt, Expr::value(now));
    if let Some(sealed) = decline_reason {
        update = update.col_expr(
            incoming_referral::Column::DeclineReasonSealed,
            Expr::value(sealed),
        );
    }
    let done = update
        .filter(incoming_referral::Column::TenantId.eq(*scope.tenant_id().as_uuid()))
        .filter(incoming_referral::Column::Id.eq(id))
        .filter(incoming_referral::Column::Status.eq(IncomingStatus::Received.as_str()))
        .exec(conn)
        .await?;
    if done.rows_affected == 0 {
        return Err(not_pending());
    }
    Ok(())
}

async fn reread(
    txn: &sea_orm::DatabaseTransaction,
    key: &fieldcrypt::DataKey,
    tenant: TenantId,
    id: Uuid,
) -> DomainResult<IncomingView> {
    let row = find(txn, tenant, id).await?.ok_or(DomainError::NotFound)?;
    let mut view = IncomingView::new(row.clone());
    open(key, tenant, &row, &mut view)?;
    Ok(view)
}

async fn tell_sender(db: &DatabaseConnection, view: &IncomingView, answer: ReferralStatus) {
    let sender = TenantId::from_uuid(view.row.sender_tenant_id);
    if let Err(err) = exchange::report(db, sender, view.row.id, answer).await {
        tracing::error!(error = %err, "cannot tell the sender how its referral was answered");
    }
}

/// Accepts a received referral: a new client with the receiver's case code and a signalled
/// case led by the caller, pre-filled from the packet.
///
/// # Errors
/// `NotFound`; `Forbidden` without `referrals.receive` and `cases.work`; `Conflict
/// not_pending`; database errors.
pub async fn accept(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<IncomingView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = find(&txn, tenant, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "incoming_referral", id).await);
    };
    for permission in [Permission::ReferralsReceive, Permission::CasesWork] {
        if !scope.has(permission) {
            drop(txn);
            return Err(forbidden(db, scope, permission).await);
        }
    }
    claim(&txn, scope, id, IncomingStatus::Accepted, None).await?;
    let key = fieldcrypt::tenant_key(&txn, master, tenant).await?;
    let json = key.open_str(&incoming_field(tenant, id, "packet"), &row.packet_sealed)?;
    let packet: Packet =
        serde_json::from_str(&json).map_err(|e| DomainError::Internal(e.into()))?;
    let mut details = packet.to_details();
    if details.validate().is_err() {
        // A packet that no longer fits today's rules keeps its statistical part only.
        details.identity = clients::Identity::default();
        details.validate()?;
    }
    let reason = format!("Referral accepted from {}", row.sender_name);
    let created = clients::create_in(&txn, master, scope, &details, Some(&reason)).await?;
    incoming_referral::Entity::update_many()
        .col_expr(
            incoming_referral::Column::CaseId,
            Expr::value(created.case_id),
        )
        .filter(incoming_referral::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(incoming_referral::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        tenant,
        Event::new(
            "incoming_referral.accepted",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("incoming_referral", id)
        .details(serde_json::json!({"case": created.case_id})),
    )
    .await?;
    let view = reread(&txn, &key, tenant, id).await?;
    txn.commit().await?;
    tell_sender(db, &view, ReferralStatus::Accepted).await;
    Ok(view)
}

/// Declines a received referral, recording why (sealed; the sender sees the status only).
///
/// # Errors
/// `NotFound`; `Forbidden` without `referrals.receive`; `Invalid` reason; `Conflict
/// not_pending`; database errors.
pub async fn decline(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
    reason: &str,
) -> DomainResult<IncomingView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    if find(&txn, tenant, id).await?.is_none() {
        drop(txn);
        return Err(not_found(db, scope, "incoming_referral", id).await);
    }
    if !scope.has(Permission::ReferralsReceive) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::ReferralsReceive).await);
    }
    if !text_ok(reason) {
        return Err(DomainError::invalid(
            "reason",
            format!("must be 1 to {} characters", super::MAX_TEXT),
        ));
    }
    let key = fieldcrypt::tenant_key(&txn, master, tenant).await?;
    let sealed = key.seal_str(&incoming_field(tenant, id, "decline_reason"), reason.trim())?;
    claim(&txn, scope, id, IncomingStatus::Declined, Some(sealed)).await?;
    audit::record(
        &txn,
        tenant,
        Event::new(
            "incoming_referral.declined",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("incoming_referral", id),
    )
    .await?;
    let view = reread(&txn, &key, tenant, id).await?;
    txn.commit().await?;
    tell_sender(db, &view, ReferralStatus::Declined).await;
    Ok(view)
}
