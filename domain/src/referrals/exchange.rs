//! The one place where referral work crosses from one tenant to another. Each function opens
//! a transaction bound to the tenant whose rows it writes (on PostgreSQL row-level security
//! holds it to that tenant) and touches only the rows named here: the receiver's inbox item at
//! send time, the sender's referral status when the receiver answers, the receiver's inbox
//! item when the sender cancels or erases the client. Nothing read from one tenant's rows is handed to the other
//! beyond the packet the consent covers and the bare status.

use crate::audit::{self, Actor, Event, Outcome};
use crate::crypto::MasterKey;
use crate::entities::{client, incoming_referral, referral};
use crate::error::{DomainError, DomainResult};
use crate::fieldcrypt::{self, FieldRef};
use crate::ids::TenantId;
use crate::notifications::{self, NewNotification};
use crate::referrals::packet::Packet;
use crate::tenancy::begin_scoped;
use crate::vocab::{
    DirectoryServiceType, IncomingStatus, ReferralStatus, ReferralUrgency, ServiceArea,
};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _,
    PaginatorTrait as _, QueryFilter as _, QuerySelect as _, Set,
};
use std::collections::BTreeMap;
use uuid::Uuid;

pub(crate) fn incoming_field(tenant: TenantId, id: Uuid, name: &'static str) -> FieldRef<'static> {
    FieldRef {
        tenant,
        table: "incoming_referrals",
        row: id,
        field: name,
    }
}

/// A referral on its way to another Haven tenant's inbox: the packet was copied from the
/// sender's rows already.
pub(crate) struct Delivery {
    pub sender: TenantId,
    pub receiver: TenantId,
    pub incoming_id: Uuid,
    pub organisation_id: Uuid,
    pub sender_name: String,
    pub service_type: DirectoryServiceType,
    pub service_area: ServiceArea,
    pub urgency: ReferralUrgency,
    pub packet: Packet,
}

/// Puts the packet in the receiver's inbox, sealed under the receiver's key, in a
/// transaction bound to the receiver.
pub(crate) async fn deliver(
    db: &DatabaseConnection,
    master: &MasterKey,
    d: Delivery,
) -> DomainResult<()> {
    let txn = begin_scoped(db, d.receiver).await?;
    let key = fieldcrypt::tenant_key(&txn, master, d.receiver).await?;
    let json = serde_json::to_string(&d.packet).map_err(|e| DomainError::Internal(e.into()))?;
    let sealed = key.seal_str(&incoming_field(d.receiver, d.incoming_id, "packet"), &json)?;
    let now = crate::now();
    incoming_referral::ActiveModel {
        tenant_id: Set(*d.receiver.as_uuid()),
        id: Set(d.incoming_id),
        sender_tenant_id: Set(*d.sender.as_uuid()),
        organisation_id: Set(d.organisation_id),
        sender_name: Set(d.sender_name.chars().take(200).collect()),
        service_type: Set(d.service_type.as_str().to_owned()),
        service_area: Set(d.service_area.as_str().to_owned()),
        urgency: Set(d.urgency.as_str().to_owned()),
        packet_sealed: Set(sealed),
        status: Set(IncomingStatus::Received.as_str().to_owned()),
        decline_reason_sealed: Set(None),
        case_id: Set(None),
        decided_by: Set(None),
        received_at: Set(now),
        decided_at: Set(None),
        recalled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        d.receiver,
        Event::new(
            "incoming_referral.received",
            Actor::system(),
            Outcome::Success,
        )
        .target("incoming_referral", d.incoming_id)
        .details(serde_json::json!({
            "service_type": d.service_type.as_str(),
            "urgency": d.urgency.as_str(),
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Takes back a referral whose delivery failed, so the sender never sees one "sent" that no
/// one received.
pub(crate) async fn undo_send(db: &DatabaseConnection, sender: TenantId, id: Uuid) {
    let result: DomainResult<()> = async {
        let txn = begin_scoped(db, sender).await?;
        referral::Entity::delete_many()
            .filter(referral::Column::TenantId.eq(*sender.as_uuid()))
            .filter(referral::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            sender,
            Event::new("referral.undelivered", Actor::system(), Outcome::Failure)
                .target("referral", id),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
    .await;
    if let Err(err) = result {
        tracing::error!(error = %err, "cannot take back an undelivered referral");
    }
}

/// Tells the sender how the receiver answered: its referral's status follows, nothing else.
pub(crate) async fn report(
    db: &DatabaseConnection,
    sender: TenantId,
    incoming_id: Uuid,
    answer: ReferralStatus,
) -> DomainResult<()> {
    let txn = begin_scoped(db, sender).await?;
    let now = crate::now();
    let found = referral::Entity::scoped(sender)
        .filter(referral::Column::IncomingId.eq(incoming_id))
        .one(&txn)
        .await?;
    let Some(found) = found else {
        return Ok(());
    };
    let done = referral::Entity::update_many()
        .col_expr(referral::Column::Status, Expr::value(answer.as_str()))
        .col_expr(referral::Column::RespondedAt, Expr::value(now))
        .col_expr(referral::Column::UpdatedAt, Expr::value(now))
        .filter(referral::Column::TenantId.eq(*sender.as_uuid()))
        .filter(referral::Column::Id.eq(found.id))
        .filter(referral::Column::Status.eq(ReferralStatus::Sent.as_str()))
        .exec(&txn)
        .await?;
    if done.rows_affected > 0 {
        audit::record(
            &txn,
            sender,
            Event::new("referral.answered", Actor::system(), Outcome::Success)
                .target("referral", found.id)
                .details(serde_json::json!({"status": answer.as_str()})),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Tells the receiver the sender cancelled: an item still waiting in its inbox is withdrawn.
pub(crate) async fn withdraw(
    db: &DatabaseConnection,
    receiver: TenantId,
    incoming_id: Uuid,
) -> DomainResult<()> {
    let txn = begin_scoped(db, receiver).await?;
    let now = crate::now();
    let done = incoming_referral::Entity::update_many()
        .col_expr(
            incoming_referral::Column::Status,
            Expr::value(IncomingStatus::Cancelled.as_str()),
        )
        .col_expr(incoming_referral::Column::UpdatedAt, Expr::value(now))
        .filter(incoming_referral::Column::TenantId.eq(*receiver.as_uuid()))
        .filter(incoming_referral::Column::Id.eq(incoming_id))
        .filter(incoming_referral::Column::Status.eq(IncomingStatus::Received.as_str()))
        .exec(&txn)
        .await?;
    if done.rows_affected > 0 {
        audit::record(
            &txn,
            receiver,
            Event::new(
                "incoming_referral.withdrawn",
                Actor::system(),
                Outcome::Success,
            )
            .target("incoming_referral", incoming_id),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The inbox items of other Haven tenants that received an erased client's packet, to be
/// recalled once the erasure has committed (each receiver's rows are written in a transaction
/// bound to that receiver, never in the sender's). The sender's referral records when its item
/// was found cleared (`recalled_at`); until then the recall is due, and sent again by the
/// erasure ledger's pass at start-up and by every retention run.
#[derive(Debug, Default)]
#[must_use = "the receivers keep the packets until the recalls are sent"]
pub(crate) struct Recalls(Vec<Recall>);

/// One referral whose receiver holds the packet: the sender's referral and the receiver's item.
#[derive(Debug)]
struct Recall {
    sender: TenantId,
    referral_id: Uuid,
    receiver: TenantId,
    incoming_id: Uuid,
}

impl Recalls {
    /// The inbox items the client's referrals reached and that are not known to be cleared,
    /// read in the sender's transaction.
    pub(crate) async fn of_client<C: ConnectionTrait>(
        conn: &C,
        sender: TenantId,
        client_id: Uuid,
    ) -> DomainResult<Self> {
        Self::of(
            conn,
            sender,
            referral::Entity::scoped(sender).filter(referral::Column::ClientId.eq(client_id)),
        )
        .await
    }

    /// Every recall of `sender` still due: referrals of its erased clients whose receivers were
    /// not found cleared yet.
    pub(crate) async fn due<C: ConnectionTrait>(conn: &C, sender: TenantId) -> DomainResult<Self> {
        let erased = Query::select()
            .column(client::Column::Id)
            .from(client::Entity)
            .and_where(client::Column::TenantId.eq(*sender.as_uuid()))
            .and_where(client::Column::ErasedAt.is_not_null())
            .to_owned();
        Self::of(
            conn,
            sender,
            referral::Entity::scoped(sender).filter(referral::Column::ClientId.in_subquery(erased)),
        )
        .await
    }

    async fn of<C: ConnectionTrait>(
        conn: &C,
        sender: TenantId,
        referrals: sea_orm::Select<referral::Entity>,
    ) -> DomainResult<Self> {
        let rows = referrals
            .filter(referral::Column::IncomingId.is_not_null())
            .filter(referral::Column::RecalledAt.is_null())
            .select_only()
            .columns([
                referral::Column::Id,
                referral::Column::ReceiverTenantId,
                referral::Column::IncomingId,
            ])
            .into_tuple::<(Uuid, Option<Uuid>, Option<Uuid>)>()
            .all(conn)
            .await?;
        Ok(Self(
            rows.into_iter()
                .filter_map(|(referral_id, receiver, incoming_id)| {
                    Some(Recall {
                        sender,
                        referral_id,
                        receiver: TenantId::from_uuid(receiver?),
                        incoming_id: incoming_id?,
                    })
                })
                .collect(),
        ))
    }

    /// Recalls every item not recalled yet, and marks the sender's referrals of those found
    /// cleared; returns how many were recalled now. A receiver that cannot be written to now
    /// keeps its packet; the failure is logged, the erasure stands, and the recall stays due.
    pub(crate) async fn send(self, db: &DatabaseConnection, master: &MasterKey) -> usize {
        let mut recalled = 0;
        let mut cleared: BTreeMap<TenantId, Vec<Uuid>> = BTreeMap::new();
        for item in self.0 {
            match recall(db, master, item.receiver, item.incoming_id).await {
                Ok(now) => {
                    recalled += usize::from(now);
                    cleared
                        .entry(item.sender)
                        .or_default()
                        .push(item.referral_id);
                }
                Err(err) => {
                    tracing::error!(error = %err, "cannot recall an erased client's referral packet");
                }
            }
        }
        for (sender, referrals) in cleared {
            if let Err(err) = mark_recalled(db, sender, &referrals).await {
                // The recall stays due; sending it again finds the item cleared and marks it.
                tracing::warn!(error = %err, "cannot mark referrals as recalled");
            }
        }
        recalled
    }
}

/// Records on the sender's referrals that their receivers' copies are cleared.
async fn mark_recalled(
    db: &DatabaseConnection,
    sender: TenantId,
    referrals: &[Uuid],
) -> DomainResult<()> {
    let txn = begin_scoped(db, sender).await?;
    let now = crate::now();
    referral::Entity::update_many()
        .col_expr(referral::Column::RecalledAt, Expr::value(now))
        .col_expr(referral::Column::UpdatedAt, Expr::value(now))
        .filter(referral::Column::TenantId.eq(*sender.as_uuid()))
        .filter(referral::Column::Id.is_in(referrals.iter().copied()))
        .filter(referral::Column::RecalledAt.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Sends every recall of `sender` still due (see [`Recalls::due`]); returns how many items were
/// recalled now.
///
/// # Errors
/// When the due recalls cannot be read.
pub(crate) async fn send_due(
    db: &DatabaseConnection,
    master: &MasterKey,
    sender: TenantId,
) -> DomainResult<usize> {
    let txn = begin_scoped(db, sender).await?;
    let due = Recalls::due(&txn, sender).await?;
    crate::tenancy::end_read(txn).await?;
    Ok(due.send(db, master).await)
}

/// Tells the receiver the sender erased the client: the item's packet is replaced by an empty
/// one, an item still waiting is withdrawn, and when it was accepted those who hear of the case
/// it opened are notified (that case is the receiver's own record, and stays). Returns whether
/// the item was recalled now (not before).
async fn recall(
    db: &DatabaseConnection,
    master: &MasterKey,
    receiver: TenantId,
    incoming_id: Uuid,
) -> DomainResult<bool> {
    use incoming_referral::Column as I;
    let txn = begin_scoped(db, receiver).await?;
    // The ledger's pass at start-up asks again for every erased client's items, nearly all
    // recalled already: those are told apart before any key is loaded.
    let waiting = incoming_referral::Entity::scoped(receiver)
        .filter(I::Id.eq(incoming_id))
        .filter(I::RecalledAt.is_null())
        .count(&txn)
        .await?
        > 0;
    if !waiting {
        txn.commit().await?;
        return Ok(false);
    }
    let key = fieldcrypt::tenant_key(&txn, master, receiver).await?;
    let empty =
        serde_json::to_string(&Packet::default()).map_err(|e| DomainError::Internal(e.into()))?;
    let sealed = key.seal_str(&incoming_field(receiver, incoming_id, "packet"), &empty)?;
    let now = crate::now();
    let cleared = incoming_referral::Entity::update_many()
        .col_expr(I::PacketSealed, Expr::value(sealed))
        .col_expr(I::RecalledAt, Expr::value(now))
        .col_expr(I::UpdatedAt, Expr::value(now))
        .filter(I::TenantId.eq(*receiver.as_uuid()))
        .filter(I::Id.eq(incoming_id))
        .filter(I::RecalledAt.is_null())
        .exec(&txn)
        .await?;
    if cleared.rows_affected == 0 {
        txn.commit().await?;
        return Ok(false);
    }
    let withdrawn = incoming_referral::Entity::update_many()
        .col_expr(I::Status, Expr::value(IncomingStatus::Cancelled.as_str()))
        .filter(I::TenantId.eq(*receiver.as_uuid()))
        .filter(I::Id.eq(incoming_id))
        .filter(I::Status.eq(IncomingStatus::Received.as_str()))
        .exec(&txn)
        .await?
        .rows_affected
        > 0;
    audit::record(
        &txn,
        receiver,
        Event::new(
            "incoming_referral.recalled",
            Actor::system(),
            Outcome::Success,
        )
        .target("incoming_referral", incoming_id)
        .details(serde_json::json!({"withdrawn": withdrawn})),
    )
    .await?;
    let case_id = incoming_referral::Entity::scoped(receiver)
        .filter(I::Id.eq(incoming_id))
        .select_only()
        .column(I::CaseId)
        .into_tuple::<Option<Uuid>>()
        .one(&txn)
        .await?
        .flatten();
    if let Some(case_id) = case_id {
        let code = crate::cases::case_codes_of(&txn, receiver, [case_id])
            .await?
            .remove(&case_id)
            .unwrap_or_default();
        let recipients: Vec<Uuid> = notifications::case_recipients(&txn, receiver, [case_id])
            .await?
            .remove(&case_id)
            .unwrap_or_default()
            .into_iter()
            .collect();
        notifications::send(
            &txn,
            receiver,
            &recipients,
            &NewNotification {
                kind: "referral.recalled",
                title: &format!(
                    "The organisation that referred this client erased their record; the referral's shared details were removed (case {code})"
                ),
                link: &format!("/api/v1/referrals/incoming/{incoming_id}"),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(true)
}
