//! Adding, reading, changing, verifying and linking directory entries (see the module docs of
//! [`crate::directory`] for who may do what).

use super::model::{self, EntryChange, EntryFields};
use super::{EntryView, Viewer, etag, search, visible_entry};
use crate::access::{check_version, forbidden, not_found};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::cache::Cache;
use crate::entities::{directory_organisation, directory_proposal, tenant};
use crate::error::{DomainError, DomainResult};
use crate::ids::TenantId;
use crate::tenancy::PlatformContext;
use crate::vocab::{VerificationStatus, Visibility};
use sea_orm::{
    ActiveModelTrait as _, DatabaseConnection, EntityTrait as _, IntoActiveModel as _,
    QueryFilter as _, Set,
};
use uuid::Uuid;

/// Longest review note, in characters.
pub const MAX_NOTE: usize = 1000;

/// What a change did.
#[derive(Debug)]
pub enum Changed {
    /// Written to the entry.
    Applied(Box<EntryView>),
    /// Recorded as a proposal awaiting verification.
    Proposed(Box<super::proposals::ProposalView>),
}

fn blank(id: Uuid, owner: Option<Uuid>, visibility: Visibility) -> directory_organisation::Model {
    let now = crate::now();
    directory_organisation::Model {
        id,
        owner_tenant_id: owner,
        visibility: visibility.as_str().to_owned(),
        verification_status: None,
        verified_at: None,
        review_note: None,
        name: String::new(),
        organisation_type: String::new(),
        country: String::new(),
        region: None,
        city: None,
        service_types: String::new(),
        languages: String::new(),
        phone: None,
        email: None,
        website: None,
        hours: None,
        open_24_7: false,
        accessibility: None,
        descriptions: "{}".to_owned(),
        search_text: String::new(),
        linked_tenant_id: None,
        shelter_id: None,
        free_beds: None,
        free_beds_women: None,
        free_beds_men: None,
        free_beds_minors: None,
        beds_updated_at: None,
        created_at: now,
        updated_at: now,
    }
}

pub(crate) fn note(text: Option<&str>, required: bool) -> DomainResult<Option<String>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None if required => Err(DomainError::invalid("note", "say why")),
        None => Ok(None),
        Some(t) if t.chars().count() > MAX_NOTE => Err(DomainError::invalid(
            "note",
            format!("must be at most {MAX_NOTE} characters"),
        )),
        Some(t) => Ok(Some(t.to_owned())),
    }
}

/// Records a platform operator's curation: in the owner tenant's audit log when a tenant keeps
/// the entry, otherwise in the service log (platform-curated entries belong to no tenant).
pub(crate) async fn audit_curation(
    db: &DatabaseConnection,
    ctx: &PlatformContext,
    owner: Option<Uuid>,
    action: &'static str,
    kind: &'static str,
    id: Uuid,
    details: serde_json::Value,
) {
    match owner {
        Some(owner) => {
            let event = Event::new(action, Actor::platform(ctx), Outcome::Success)
                .target(kind, id)
                .details(details);
            if let Err(err) = audit::record_alone(db, TenantId::from_uuid(owner), event).await {
                tracing::error!(error = %err, "cannot audit a directory curation");
            }
        }
        None => tracing::info!(
            target: "audit",
            action,
            admin_id = %ctx.admin_id(),
            target_id = %id,
            "directory curation"
        ),
    }
}

/// Adds an entry. A platform operator's is curated and verified at once; a tenant's is
/// private (needs `directory.manage`), or shared and pending verification.
///
/// # Errors
/// `Forbidden` without `directory.manage`; `Invalid` fields; database errors.
pub async fn create(
    db: &DatabaseConnection,
    cache: &Cache,
    viewer: Viewer<'_>,
    visibility: Visibility,
    fields: EntryFields,
) -> DomainResult<EntryView> {
    if let Viewer::Tenant(scope) = viewer
        && !scope.has(Permission::DirectoryManage)
    {
        return Err(forbidden(db, scope, Permission::DirectoryManage).await);
    }
    let fields = model::check_fields(fields)?;
    let id = Uuid::now_v7();
    let owner = viewer.tenant().map(|t| *t.as_uuid());
    let (visibility, status) = match (viewer, visibility) {
        (Viewer::Platform(_), _) => (Visibility::Shared, Some(VerificationStatus::Verified)),
        (Viewer::Tenant(_), Visibility::Shared) => {
            (Visibility::Shared, Some(VerificationStatus::Pending))
        }
        (Viewer::Tenant(_), Visibility::Private) => (Visibility::Private, None),
    };
    let mut row = blank(id, owner, visibility);
    row.verification_status = status.map(|s| s.as_str().to_owned());
    if status == Some(VerificationStatus::Verified) {
        row.verified_at = Some(row.created_at);
    }
    model::write_fields(&mut row, fields)?;
    let txn = viewer.begin(db).await?;
    let row = row.into_active_model().reset_all().insert(&txn).await?;
    let details = serde_json::json!({"visibility": row.visibility, "country": row.country});
    if let Viewer::Tenant(scope) = viewer {
        audit::record(
            &txn,
            scope.tenant_id(),
            Event::new(
                "directory.entry_created",
                Actor::user(scope),
                Outcome::Success,
            )
            .target("directory_organisation", id)
            .details(details.clone()),
        )
        .await?;
    }
    txn.commit().await?;
    if let Viewer::Platform(ctx) = viewer {
        audit_curation(
            db,
            ctx,
            None,
            "directory.entry_created",
            "directory_organisation",
            id,
            details,
        )
        .await;
    }
    search::invalidate(cache).await;
    Ok(EntryView::new(row, viewer))
}

async fn denied(db: &DatabaseConnection, viewer: Viewer<'_>, id: Uuid) -> DomainError {
    match viewer {
        Viewer::Tenant(scope) => not_found(db, scope, "directory_organisation", id).await,
        Viewer::Platform(_) => DomainError::NotFound,
    }
}

/// One entry the viewer may read.
///
/// # Errors
/// `NotFound` (also for another tenant's private entry or pending proposal); database errors.
pub async fn get(db: &DatabaseConnection, viewer: Viewer<'_>, id: Uuid) -> DomainResult<EntryView> {
    let txn = viewer.begin(db).await?;
    let found = visible_entry(&txn, viewer, id).await?;
    txn.commit().await?;
    match found {
        Some(row) => Ok(EntryView::new(row, viewer)),
        None => Err(denied(db, viewer, id).await),
    }
}

/// Changes an entry. Platform operators and the owner of a private or not yet verified entry
/// change it directly (a tenant's shared entry goes back to `pending`); any other change of a
/// verified shared entry by a tenant becomes a proposal. Needs `If-Match` either way.
///
/// # Errors
/// `NotFound`; `Forbidden` without `directory.manage`; `PreconditionRequired` /
/// `PreconditionFailed`; `Invalid` fields; database errors.
pub async fn update(
    db: &DatabaseConnection,
    cache: &Cache,
    viewer: Viewer<'_>,
    id: Uuid,
    change: EntryChange,
    if_match: Option<&str>,
) -> DomainResult<Changed> {
    let txn = viewer.begin(db).await?;
    let Some(row) = visible_entry(&txn, viewer, id).await? else {
        drop(txn);
        return Err(denied(db, viewer, id).await);
    };
    if let Viewer::Tenant(scope) = viewer
        && !scope.has(Permission::DirectoryManage)
    {
        drop(txn);
        return Err(forbidden(db, scope, Permission::DirectoryManage).await);
    }
    let change = model::check_change(change)?;
    check_version(if_match, &etag(&row))?;
    let fields = change.fields();
    let own = viewer
        .tenant()
        .is_some_and(|t| row.owner_tenant_id == Some(*t.as_uuid()));
    let verified_shared = row.visibility == Visibility::Shared.as_str()
        && row.verification_status.as_deref() == Some(VerificationStatus::Verified.as_str());
    let result = match viewer {
        Viewer::Tenant(scope) if !own || verified_shared => {
            let proposal = super::proposals::record(&txn, scope, &row, &change).await?;
            Changed::Proposed(Box::new(proposal))
        }
        _ => {
            let owner = row.owner_tenant_id;
            let mut updated = row.clone();
            model::apply_change(&mut updated, change)?;
            if viewer.tenant().is_some() && updated.visibility == Visibility::Shared.as_str() {
                // A tenant's edit of its unverified shared entry is a fresh proposal.
                updated.verification_status = Some(VerificationStatus::Pending.as_str().to_owned());
                updated.review_note = None;
            }
            updated.updated_at = crate::now();
            let saved = updated.into_active_model().reset_all().update(&txn).await?;
            if let Viewer::Tenant(scope) = viewer {
                audit::record(
                    &txn,
                    scope.tenant_id(),
                    Event::new(
                        "directory.entry_updated",
                        Actor::user(scope),
                        Outcome::Success,
                    )
                    .target("directory_organisation", id)
                    .details(serde_json::json!({"fields": fields})),
                )
                .await?;
            }
            txn.commit().await?;
            if let Viewer::Platform(ctx) = viewer {
                audit_curation(
                    db,
                    ctx,
                    owner,
                    "directory.entry_updated",
                    "directory_organisation",
                    id,
                    serde_json::json!({"fields": fields}),
                )
                .await;
            }
            search::invalidate(cache).await;
            return Ok(Changed::Applied(Box::new(EntryView::new(saved, viewer))));
        }
    };
    txn.commit().await?;
    Ok(result)
}

/// A platform operator's verdict on a pending shared entry.
///
/// # Errors
/// `NotFound`; `Conflict not_pending` when it is not awaiting verification; `Invalid` note
/// (required to reject); database errors.
pub async fn review(
    db: &DatabaseConnection,
    cache: &Cache,
    ctx: &PlatformContext,
    id: Uuid,
    verdict: VerificationStatus,
    note_text: Option<&str>,
) -> DomainResult<EntryView> {
    let note = note(note_text, verdict == VerificationStatus::Rejected)?;
    let viewer = Viewer::Platform(ctx);
    let txn = ctx.begin(db).await?;
    let Some(row) = visible_entry(&txn, viewer, id).await? else {
        return Err(DomainError::NotFound);
    };
    if row.verification_status.as_deref() != Some(VerificationStatus::Pending.as_str()) {
        return Err(DomainError::conflict(
            "not_pending",
            "Only a shared entry awaiting verification can be verified or rejected.",
        ));
    }
    let owner = row.owner_tenant_id;
    let now = crate::now();
    let mut updated = row;
    updated.verification_status = Some(verdict.as_str().to_owned());
    updated.review_note = note;
    if verdict == VerificationStatus::Verified {
        updated.verified_at = Some(now);
    }
    updated.updated_at = now;
    let saved = updated.into_active_model().reset_all().update(&txn).await?;
    txn.commit().await?;
    let action = if verdict == VerificationStatus::Verified {
        "directory.entry_verified"
    } else {
        "directory.entry_rejected"
    };
    audit_curation(
        db,
        ctx,
        owner,
        action,
        "directory_organisation",
        id,
        serde_json::json!({}),
    )
    .await;
    search::invalidate(cache).await;
    Ok(EntryView::new(saved, viewer))
}

/// Links an entry to a Haven tenant (or unlinks it with `None`), so referrals to it land in
/// that tenant's inbox. Platform operators only: they check that the organisation is that
/// tenant.
///
/// # Errors
/// `NotFound` for an unknown entry; `Invalid` for an unknown tenant or a private entry;
/// database errors.
pub async fn link(
    db: &DatabaseConnection,
    cache: &Cache,
    ctx: &PlatformContext,
    id: Uuid,
    linked: Option<TenantId>,
) -> DomainResult<EntryView> {
    let viewer = Viewer::Platform(ctx);
    if let Some(t) = linked
        && tenant::Entity::find_by_id(*t.as_uuid())
            .one(db)
            .await?
            .is_none()
    {
        return Err(DomainError::invalid(
            "tenant_id",
            "is no organisation on Haven",
        ));
    }
    let txn = ctx.begin(db).await?;
    let Some(row) = visible_entry(&txn, viewer, id).await? else {
        return Err(DomainError::NotFound);
    };
    if row.visibility != Visibility::Shared.as_str() {
        return Err(DomainError::invalid(
            "tenant_id",
            "only a shared entry can be linked to an organisation",
        ));
    }
    let owner = row.owner_tenant_id;
    let mut model = row.into_active_model();
    model.linked_tenant_id = Set(linked.map(|t| *t.as_uuid()));
    model.updated_at = Set(crate::now());
    let saved = model.update(&txn).await?;
    txn.commit().await?;
    audit_curation(
        db,
        ctx,
        owner,
        "directory.entry_linked",
        "directory_organisation",
        id,
        serde_json::json!({"linked": linked.is_some()}),
    )
    .await;
    search::invalidate(cache).await;
    Ok(EntryView::new(saved, viewer))
}

/// Removes an entry: platform operators any entry, a tenant its own entries that are not
/// verified shared ones. Entries referrals point at stay (409).
///
/// # Errors
/// `NotFound`; `Forbidden`; `Conflict in_use`; database errors.
pub async fn delete(
    db: &DatabaseConnection,
    cache: &Cache,
    viewer: Viewer<'_>,
    id: Uuid,
) -> DomainResult<()> {
    let txn = viewer.begin(db).await?;
    let Some(row) = visible_entry(&txn, viewer, id).await? else {
        drop(txn);
        return Err(denied(db, viewer, id).await);
    };
    if let Viewer::Tenant(scope) = viewer {
        let own = row.owner_tenant_id == Some(*scope.tenant_id().as_uuid());
        let verified = row.verification_status.as_deref() == Some("verified");
        if !scope.has(Permission::DirectoryManage) || !own || verified {
            drop(txn);
            return Err(forbidden(db, scope, Permission::DirectoryManage).await);
        }
    }
    let in_use = || {
        DomainError::conflict(
            "in_use",
            "Referrals point at this entry; it stays in the directory.",
        )
    };
    directory_proposal::Entity::delete_many()
        .filter(sea_orm::ColumnTrait::eq(
            &directory_proposal::Column::OrganisationId,
            id,
        ))
        .exec(&txn)
        .await?;
    let owner = row.owner_tenant_id;
    match directory_organisation::Entity::delete_by_id(id)
        .exec(&txn)
        .await
    {
        Ok(_) => {}
        Err(err) if is_foreign_key(&err) => return Err(in_use()),
        Err(err) => return Err(err.into()),
    }
    if let Viewer::Tenant(scope) = viewer {
        audit::record(
            &txn,
            scope.tenant_id(),
            Event::new(
                "directory.entry_deleted",
                Actor::user(scope),
                Outcome::Success,
            )
            .target("directory_organisation", id),
        )
        .await?;
    }
    txn.commit().await?;
    if let Viewer::Platform(ctx) = viewer {
        audit_curation(
            db,
            ctx,
            owner,
            "directory.entry_deleted",
            "directory_organisation",
            id,
            serde_json::json!({}),
        )
        .await;
    }
    search::invalidate(cache).await;
    Ok(())
}

fn is_foreign_key(err: &sea_orm::DbErr) -> bool {
    let text = err.to_string().to_ascii_lowercase();
    text.contains("foreign key")
}
