//! "Beds tonight": the owner tenant of a directory entry links one of its shelters to it, and
//! the entry publishes that shelter's free beds — in service, neither occupied nor reserved by
//! a placement — by admission policy (women, men, minors). Never an address, never who is
//! placed. The counts are recomputed from live placements when the shelter is linked and by
//! [`refresh_all`], which the server runs in the background; a change of counts makes cached
//! searches stale.

use super::{EntryView, Viewer, search, visible_entry};
use crate::access::{forbidden, not_found};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::cache::Cache;
use crate::entities::{bed, directory_organisation};
use crate::error::{DomainError, DomainResult};
use crate::ids::{ShelterId, TenantId};
use crate::shelters::occupancy::occupied_and_reserved_beds;
use crate::tenancy::{PlatformContext, TenantScope, begin_scoped};
use crate::vocab::Gender;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection,
    IntoActiveModel as _, QueryFilter as _, Set,
};
use uuid::Uuid;

/// Free beds of a shelter by admission policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    free: i32,
    women: Option<i32>,
    men: Option<i32>,
    minors: Option<i32>,
}

/// The free beds of `shelter` now, or `None` when it is gone.
async fn counts<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    shelter: ShelterId,
) -> DomainResult<Option<Counts>> {
    let Some(row) = crate::shelters::service::find(conn, tenant, shelter, false).await? else {
        return Ok(None);
    };
    let beds = bed::Entity::scoped(tenant)
        .filter(bed::Column::ShelterId.eq(*shelter.as_uuid()))
        .filter(bed::Column::Status.eq("available"))
        .all(conn)
        .await?;
    let usage = occupied_and_reserved_beds(conn, tenant, shelter).await?;
    let taken = |b: &bed::Model| {
        let id = crate::ids::BedId::from_uuid(b.id);
        usage.occupied.contains(&id) || usage.reserved.contains(&id)
    };
    let free = if row.status == "active" {
        i32::try_from(beds.iter().filter(|b| !taken(b)).count()).unwrap_or(i32::MAX)
    } else {
        0
    };
    let genders = crate::shelters::decode_genders(&row.admits_genders);
    let admits = |g: Gender| genders.contains(&g).then_some(free);
    Ok(Some(Counts {
        free,
        women: admits(Gender::Female),
        men: admits(Gender::Male),
        minors: row.admits_minors.then_some(free),
    }))
}

fn stored(row: &directory_organisation::Model) -> Option<Counts> {
    row.free_beds.map(|free| Counts {
        free,
        women: row.free_beds_women,
        men: row.free_beds_men,
        minors: row.free_beds_minors,
    })
}

fn write(model: &mut directory_organisation::ActiveModel, counts: Option<Counts>) {
    model.free_beds = Set(counts.map(|c| c.free));
    model.free_beds_women = Set(counts.and_then(|c| c.women));
    model.free_beds_men = Set(counts.and_then(|c| c.men));
    model.free_beds_minors = Set(counts.and_then(|c| c.minors));
    model.beds_updated_at = Set(counts.map(|_| crate::now()));
}

/// Links `shelter` of the caller's tenant to its directory entry `id` and publishes its free
/// beds (or, with `None`, stops publishing). Needs `shelters.manage`; only the owner tenant of
/// the entry may.
///
/// # Errors
/// `NotFound` for an entry the caller cannot read; `Forbidden` without `shelters.manage` or
/// for an entry another tenant keeps; `Invalid` for a shelter the tenant does not have;
/// database errors.
pub async fn publish(
    db: &DatabaseConnection,
    cache: &Cache,
    scope: &TenantScope,
    id: Uuid,
    shelter: Option<ShelterId>,
) -> DomainResult<EntryView> {
    let tenant = scope.tenant_id();
    let viewer = Viewer::Tenant(scope);
    let txn = scope.begin(db).await?;
    let Some(row) = visible_entry(&txn, viewer, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "directory_organisation", id).await);
    };
    if !scope.has(Permission::SheltersManage) || row.owner_tenant_id != Some(*tenant.as_uuid()) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::SheltersManage).await);
    }
    let counts = match shelter {
        Some(s) => Some(
            counts(&txn, tenant, s)
                .await?
                .ok_or_else(|| DomainError::invalid("shelter_id", "is no shelter of yours"))?,
        ),
        None => None,
    };
    let mut model = row.into_active_model();
    model.shelter_id = Set(shelter.map(|s| *s.as_uuid()));
    write(&mut model, counts);
    model.updated_at = Set(crate::now());
    let saved = model.update(&txn).await?;
    audit::record(
        &txn,
        tenant,
        Event::new(
            "directory.beds_published",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("directory_organisation", id)
        .details(serde_json::json!({"publishing": shelter.is_some()})),
    )
    .await?;
    txn.commit().await?;
    search::invalidate(cache).await;
    Ok(EntryView::new(saved, viewer))
}

/// Recomputes the free beds of every entry that publishes them; returns how many changed.
/// Safe beside other replicas (each entry is recomputed in its owner's transaction).
///
/// # Errors
/// Database errors listing the entries.
pub async fn refresh_all(db: &DatabaseConnection, cache: &Cache) -> DomainResult<usize> {
    // The list of publishing entries is read as the platform reads the shared table: ids,
    // owners and shelter ids only.
    let system = PlatformContext::new(Uuid::nil(), Uuid::nil());
    let txn = system.begin(db).await?;
    let linked = directory_organisation::Entity::curated(&system)
        .filter(directory_organisation::Column::ShelterId.is_not_null())
        .filter(directory_organisation::Column::OwnerTenantId.is_not_null())
        .all(&txn)
        .await?;
    txn.commit().await?;
    let mut changed = 0;
    for entry in linked {
        let (Some(owner), Some(shelter)) = (entry.owner_tenant_id, entry.shelter_id) else {
            continue;
        };
        let tenant = TenantId::from_uuid(owner);
        let txn = begin_scoped(db, tenant).await?;
        let now = counts(&txn, tenant, ShelterId::from_uuid(shelter)).await?;
        if now != stored(&entry) {
            let mut model = entry.into_active_model();
            write(&mut model, now);
            model.update(&txn).await?;
            txn.commit().await?;
            search::invalidate(cache).await;
            changed += 1;
        } else {
            txn.commit().await?;
        }
    }
    Ok(changed)
}
