//! The retention run: clients whose every case closed longer ago than their organisation's
//! retention period are erased as an administrator's erasure would (ledger, audit), recalls
//! of earlier erasures that did not reach their receivers are sent again, and the run reports
//! counts per organisation, never who.

use super::erasure;
use super::ledger::ErasureLedger;
use crate::audit::Actor;
use crate::crypto::MasterKey;
use crate::entities::{case, client, erasure_request, tenant};
use crate::error::DomainResult;
use crate::ids::TenantId;
use crate::procedures;
use crate::referrals::exchange::send_due;
use crate::tenancy::begin_scoped;
use crate::vocab::Stage;
use chrono::{DateTime, Months, Utc};
use sea_orm::sea_query::{Condition, Query};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, Set,
};
use uuid::Uuid;

/// What the run found (and did) in one organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantRetention {
    pub tenant_id: Uuid,
    pub slug: String,
    /// `None`: the organisation keeps data until it is erased by hand.
    pub retention_years: Option<u32>,
    /// Clients past the period.
    pub expired: usize,
    /// Clients erased by this run (0 in a dry run).
    pub erased: usize,
    /// Referral packets in other organisations' inboxes recalled by this run: those of the
    /// clients it erased, and those of clients erased earlier whose recall had failed (0 in a
    /// dry run).
    pub recalled: usize,
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RetentionReport {
    pub dry_run: bool,
    pub tenants: Vec<TenantRetention>,
}

/// The clients of `tenant` not erased yet, with at least one case, all closed before `cutoff`.
async fn expired_clients(
    db: &DatabaseConnection,
    tenant: TenantId,
    cutoff: DateTime<Utc>,
) -> DomainResult<Vec<client::Model>> {
    let t = *tenant.as_uuid();
    let txn = begin_scoped(db, tenant).await?;
    let rows = client::Entity::scoped(tenant)
        .filter(client::Column::ErasedAt.is_null())
        .filter(
            client::Column::Id.in_subquery(
                Query::select()
                    .column(case::Column::ClientId)
                    .from(case::Entity)
                    .and_where(case::Column::TenantId.eq(t))
                    .to_owned(),
            ),
        )
        .filter(
            client::Column::Id.not_in_subquery(
                Query::select()
                    .column(case::Column::ClientId)
                    .from(case::Entity)
                    .and_where(case::Column::TenantId.eq(t))
                    .cond_where(
                        Condition::any()
                            .add(case::Column::Stage.ne(Stage::Closed.as_str()))
                            .add(case::Column::ClosedAt.is_null())
                            .add(case::Column::ClosedAt.gte(cutoff)),
                    )
                    .to_owned(),
            ),
        )
        .order_by_asc(client::Column::Id)
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(rows)
}

/// Runs retention for every organisation (or the one with `only_slug`). A dry run changes
/// nothing and reports what a run would erase.
///
/// # Errors
/// Database or ledger errors (clients erased before the error stay erased).
pub async fn run(
    db: &DatabaseConnection,
    master: &MasterKey,
    ledger: &ErasureLedger,
    only_slug: Option<&str>,
    dry_run: bool,
) -> DomainResult<RetentionReport> {
    let mut query = tenant::Entity::find().order_by_asc(tenant::Column::Slug);
    if let Some(slug) = only_slug {
        query = query.filter(tenant::Column::Slug.eq(slug));
    }
    let mut report = RetentionReport {
        dry_run,
        tenants: Vec::new(),
    };
    let now = crate::now();
    for t in query.all(db).await? {
        let tenant = TenantId::from_uuid(t.id);
        let txn = begin_scoped(db, tenant).await?;
        let years = procedures::settings(&txn, tenant).await?.retention_years;
        txn.commit().await?;
        let mut line = TenantRetention {
            tenant_id: t.id,
            slug: t.slug.clone(),
            retention_years: years,
            expired: 0,
            erased: 0,
            recalled: 0,
        };
        if !dry_run {
            line.recalled = send_due(db, master, tenant).await?;
        }
        let Some(years) = years else {
            report.tenants.push(line);
            continue;
        };
        let cutoff = now
            .checked_sub_months(Months::new(years.saturating_mul(12)))
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        let expired = expired_clients(db, tenant, cutoff).await?;
        line.expired = expired.len();
        if !dry_run {
            for row in expired {
                let txn = begin_scoped(db, tenant).await?;
                let id = Uuid::now_v7();
                let at = crate::now();
                erasure_request::ActiveModel {
                    tenant_id: Set(t.id),
                    id: Set(id),
                    client_id: Set(row.id),
                    status: Set("completed".to_owned()),
                    reason_sealed: Set(None),
                    requested_by: Set(None),
                    requested_at: Set(at),
                    approved_by: Set(None),
                    completed_at: Set(Some(at)),
                }
                .insert(&txn)
                .await?;
                let recalls = erasure::erase_recorded(
                    &txn,
                    master,
                    ledger,
                    tenant,
                    &row,
                    Actor::system(),
                    serde_json::json!({"request": id, "approval": "retention", "retention_years": years}),
                )
                .await?;
                txn.commit().await?;
                line.recalled += recalls.send(db, master).await;
                line.erased += 1;
            }
        }
        report.tenants.push(line);
    }
    Ok(report)
}
