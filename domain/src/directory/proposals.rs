//! Proposed edits of shared directory entries: recorded when a tenant changes a verified
//! shared entry (see [`super::service::update`]), listed to the proposer and to platform
//! operators, verified (the change is applied) or rejected with a note by a platform operator.

use super::model::{self, EntryChange};
use super::{EntryView, Viewer, search, service};
use crate::access::not_found;
use crate::audit::{self, Actor, Event, Outcome};
use crate::cache::Cache;
use crate::entities::{directory_organisation, directory_proposal};
use crate::error::{DomainError, DomainResult};
use crate::tenancy::{PlatformContext, TenantScope};
use crate::vocab::VerificationStatus;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, DatabaseTransaction,
    IntoActiveModel as _, QueryFilter as _, QueryOrder as _, QuerySelect as _, Select, Set,
};
use uuid::Uuid;

/// A proposal as read back.
#[derive(Clone, Debug)]
pub struct ProposalView {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub change: EntryChange,
    pub status: VerificationStatus,
    pub review_note: Option<String>,
    pub proposed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn view(row: directory_proposal::Model, name: String, viewer: Viewer<'_>) -> ProposalView {
    ProposalView {
        id: row.id,
        organisation_id: row.organisation_id,
        organisation_name: name,
        change: serde_json::from_str(&row.changes).unwrap_or_default(),
        status: VerificationStatus::parse(&row.status).unwrap_or(VerificationStatus::Pending),
        review_note: row.review_note,
        proposed_by: viewer.tenant().map(|_| row.proposed_by),
        reviewed_at: row.reviewed_at,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn proposals(viewer: Viewer<'_>) -> Select<directory_proposal::Entity> {
    match viewer {
        Viewer::Tenant(scope) => directory_proposal::Entity::scoped(scope.tenant_id()),
        Viewer::Platform(ctx) => directory_proposal::Entity::curated(ctx),
    }
}

/// Records `change` of `entry` as `scope`'s proposal, in the caller's transaction.
pub(crate) async fn record(
    txn: &DatabaseTransaction,
    scope: &TenantScope,
    entry: &directory_organisation::Model,
    change: &EntryChange,
) -> DomainResult<ProposalView> {
    let id = Uuid::now_v7();
    let now = crate::now();
    let row = directory_proposal::ActiveModel {
        id: Set(id),
        owner_tenant_id: Set(*scope.tenant_id().as_uuid()),
        organisation_id: Set(entry.id),
        changes: Set(serde_json::to_string(change).map_err(|e| DomainError::Internal(e.into()))?),
        status: Set(VerificationStatus::Pending.as_str().to_owned()),
        review_note: Set(None),
        proposed_by: Set(*scope.user_id().as_uuid()),
        reviewed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await?;
    audit::record(
        txn,
        scope.tenant_id(),
        Event::new(
            "directory.edit_proposed",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("directory_proposal", id)
        .details(serde_json::json!({"organisation": entry.id, "fields": change.fields()})),
    )
    .await?;
    Ok(view(row, entry.name.clone(), Viewer::Tenant(scope)))
}

/// Filters of the proposal list.
#[derive(Debug, Default, Clone)]
pub struct ProposalFilter {
    pub status: Option<VerificationStatus>,
    /// Proposals after this id (oldest first).
    pub after: Option<Uuid>,
    pub limit: u64,
}

async fn names(
    txn: &DatabaseTransaction,
    viewer: Viewer<'_>,
    ids: Vec<Uuid>,
) -> DomainResult<std::collections::HashMap<Uuid, String>> {
    Ok(viewer
        .entries()
        .filter(directory_organisation::Column::Id.is_in(ids))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect())
}

/// The viewer's proposals (a platform operator: everyone's), oldest first.
///
/// # Errors
/// Database errors.
pub async fn list(
    db: &DatabaseConnection,
    viewer: Viewer<'_>,
    filter: &ProposalFilter,
) -> DomainResult<Vec<ProposalView>> {
    let txn = viewer.begin(db).await?;
    let mut query = proposals(viewer).order_by_asc(directory_proposal::Column::Id);
    if let Some(status) = filter.status {
        query = query.filter(directory_proposal::Column::Status.eq(status.as_str()));
    }
    if let Some(after) = filter.after {
        query = query.filter(directory_proposal::Column::Id.gt(after));
    }
    let rows = query.limit(filter.limit).all(&txn).await?;
    let names = names(
        &txn,
        viewer,
        rows.iter().map(|r| r.organisation_id).collect(),
    )
    .await?;
    txn.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let name = names.get(&r.organisation_id).cloned().unwrap_or_default();
            view(r, name, viewer)
        })
        .collect())
}

/// One proposal of the viewer's (a platform operator: anyone's).
///
/// # Errors
/// `NotFound` (also for another tenant's); database errors.
pub async fn get(
    db: &DatabaseConnection,
    viewer: Viewer<'_>,
    id: Uuid,
) -> DomainResult<ProposalView> {
    let txn = viewer.begin(db).await?;
    let row = proposals(viewer)
        .filter(directory_proposal::Column::Id.eq(id))
        .one(&txn)
        .await?;
    let Some(row) = row else {
        drop(txn);
        return Err(match viewer {
            Viewer::Tenant(scope) => not_found(db, scope, "directory_proposal", id).await,
            Viewer::Platform(_) => DomainError::NotFound,
        });
    };
    let names = names(&txn, viewer, vec![row.organisation_id]).await?;
    txn.commit().await?;
    let name = names.get(&row.organisation_id).cloned().unwrap_or_default();
    Ok(view(row, name, viewer))
}

/// A platform operator's verdict on a pending proposal: verifying applies the change to the
/// entry (which stays verified), rejecting records the note for the proposer.
///
/// # Errors
/// `NotFound`; `Conflict not_pending`; `Invalid` note (required to reject) or a change that
/// no longer fits; database errors.
pub async fn review(
    db: &DatabaseConnection,
    cache: &Cache,
    ctx: &PlatformContext,
    id: Uuid,
    verdict: VerificationStatus,
    note_text: Option<&str>,
) -> DomainResult<(ProposalView, Option<EntryView>)> {
    let note = service::note(note_text, verdict == VerificationStatus::Rejected)?;
    let viewer = Viewer::Platform(ctx);
    let txn = ctx.begin(db).await?;
    let Some(row) = directory_proposal::Entity::curated(ctx)
        .filter(directory_proposal::Column::Id.eq(id))
        .one(&txn)
        .await?
    else {
        return Err(DomainError::NotFound);
    };
    if row.status != VerificationStatus::Pending.as_str() {
        return Err(DomainError::conflict(
            "not_pending",
            "Only a proposal awaiting verification can be verified or rejected.",
        ));
    }
    let entry = super::visible_entry(&txn, viewer, row.organisation_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let now = crate::now();
    let applied = if verdict == VerificationStatus::Verified {
        let change: EntryChange =
            serde_json::from_str(&row.changes).map_err(|e| DomainError::Internal(e.into()))?;
        let change = model::check_change(change)?;
        let mut updated = entry.clone();
        model::apply_change(&mut updated, change)?;
        updated.verified_at = Some(now);
        updated.updated_at = now;
        Some(updated.into_active_model().reset_all().update(&txn).await?)
    } else {
        None
    };
    let proposer = row.owner_tenant_id;
    let mut model = row.into_active_model();
    model.status = Set(verdict.as_str().to_owned());
    model.review_note = Set(note);
    model.reviewed_at = Set(Some(now));
    model.updated_at = Set(now);
    let saved = model.update(&txn).await?;
    txn.commit().await?;
    let action = if verdict == VerificationStatus::Verified {
        "directory.edit_verified"
    } else {
        "directory.edit_rejected"
    };
    service::audit_curation(
        db,
        ctx,
        Some(proposer),
        action,
        "directory_proposal",
        id,
        serde_json::json!({"organisation": entry.id}),
    )
    .await;
    if applied.is_some() {
        search::invalidate(cache).await;
    }
    let name = applied
        .as_ref()
        .map_or(entry.name.clone(), |e| e.name.clone());
    Ok((
        view(saved, name, viewer),
        applied.map(|e| EntryView::new(e, viewer)),
    ))
}
