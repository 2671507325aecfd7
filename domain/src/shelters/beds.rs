//! Beds in a shelter's rooms. A shelter never has more beds than its capacity.

use super::model::{BedPatch, BedStatus, NewBed, ShelterStatus};
use super::{changed, check_version, rooms, service};
use crate::access::{audit_not_found, not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::entities::{bed, placement};
use crate::error::{DomainError, DomainResult};
use crate::ids::{BedId, RoomId, ShelterId, TenantId};
use crate::tenancy::TenantScope;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait as _, PaginatorTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _,
    Set,
};
use uuid::Uuid;

/// Filters of the bed list.
#[derive(Debug, Default, Clone)]
pub struct BedFilter {
    pub shelter: Option<ShelterId>,
    pub room: Option<RoomId>,
    pub status: Option<BedStatus>,
    /// Only beds in service that nobody occupies or holds today (needs `shelter`).
    pub free: bool,
    pub after: Option<BedId>,
    pub limit: u64,
}

/// One bed of `tenant`, locked for the rest of the transaction when `lock`.
pub(crate) async fn find<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: BedId,
    lock: bool,
) -> Result<Option<bed::Model>, DbErr> {
    let mut query = bed::Entity::scoped(tenant).filter(bed::Column::Id.eq(*id.as_uuid()));
    if lock {
        query = query.lock_exclusive();
    }
    query.one(conn).await
}

async fn label_taken<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    room: uuid::Uuid,
    label: &str,
    except: Option<uuid::Uuid>,
) -> Result<bool, DbErr> {
    let mut query = bed::Entity::scoped(tenant)
        .filter(bed::Column::RoomId.eq(room))
        .filter(bed::Column::Label.eq(label));
    if let Some(id) = except {
        query = query.filter(bed::Column::Id.ne(id));
    }
    Ok(query.one(conn).await?.is_some())
}

fn label_conflict() -> DomainError {
    DomainError::conflict(
        "bed_label_taken",
        "Another bed in this room already has this label.",
    )
}

fn unknown_room() -> DomainError {
    DomainError::invalid("room_id", "no such room in this organisation")
}

/// Creates a bed in a room of an active shelter whose capacity has room for it. The shelter
/// row is locked while its beds are counted, so concurrent creations cannot overshoot.
///
/// # Errors
/// `Forbidden` without `shelters.manage`; `Invalid room_id` when the room is not the
/// tenant's; `Conflict shelter_closed`, `capacity_reached` or `bed_label_taken`; database
/// errors.
pub async fn create(
    db: &DatabaseConnection,
    scope: &TenantScope,
    new: NewBed,
) -> DomainResult<bed::Model> {
    require(db, scope, Permission::SheltersManage).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(room) = rooms::find(&txn, tenant, new.room_id, false).await? else {
        drop(txn);
        audit_not_found(db, scope, "room", *new.room_id.as_uuid()).await;
        return Err(unknown_room());
    };
    let shelter_id = ShelterId::from_uuid(room.shelter_id);
    let shelter = service::find(&txn, tenant, shelter_id, true)
        .await?
        .ok_or_else(|| DomainError::Internal(anyhow::anyhow!("a room without its shelter")))?;
    if shelter.status == ShelterStatus::Closed.as_str() {
        return Err(rooms::shelter_closed());
    }
    let beds = service::bed_count(&txn, tenant, shelter_id).await?;
    if beds >= u64::try_from(shelter.capacity).unwrap_or(0) {
        return Err(DomainError::conflict(
            "capacity_reached",
            format!(
                "The shelter's beds already fill its capacity of {}: raise the capacity before \
                 adding a bed.",
                shelter.capacity
            ),
        ));
    }
    if label_taken(&txn, tenant, room.id, &new.label, None).await? {
        return Err(label_conflict());
    }
    let now = crate::now();
    let row = bed::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(*BedId::new().as_uuid()),
        shelter_id: Set(room.shelter_id),
        room_id: Set(room.id),
        label: Set(new.label),
        status: Set(new.status.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        tenant,
        Event::new("bed.created", Actor::user(scope), Outcome::Success)
            .target("bed", row.id)
            .details(serde_json::json!({"shelter_id": row.shelter_id, "room_id": row.room_id})),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// The caller's tenant's beds, oldest first.
///
/// # Errors
/// `Forbidden` without `shelters.read`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &BedFilter,
) -> DomainResult<Vec<bed::Model>> {
    require(db, scope, Permission::SheltersRead).await?;
    let txn = scope.begin(db).await?;
    let mut query = bed::Entity::scoped(scope.tenant_id()).order_by_asc(bed::Column::Id);
    if let Some(shelter) = filter.shelter {
        query = query.filter(bed::Column::ShelterId.eq(*shelter.as_uuid()));
    }
    if let Some(room) = filter.room {
        query = query.filter(bed::Column::RoomId.eq(*room.as_uuid()));
    }
    if let Some(status) = filter.status {
        query = query.filter(bed::Column::Status.eq(status.as_str()));
    }
    if filter.free {
        let shelter = filter
            .shelter
            .ok_or_else(|| DomainError::invalid("free", "needs shelter_id"))?;
        // Which beds are taken is occupancy, which shelters.read already shows in counts; no
        // case is revealed.
        let usage =
            super::occupancy::occupied_and_reserved_beds(&txn, scope.tenant_id(), shelter).await?;
        let taken: Vec<Uuid> = usage
            .occupied
            .union(&usage.reserved)
            .map(|b| *b.as_uuid())
            .collect();
        query = query
            .filter(bed::Column::Status.eq(BedStatus::Available.as_str()))
            .filter(bed::Column::Id.is_not_in(taken));
    }
    if let Some(after) = filter.after {
        query = query.filter(bed::Column::Id.gt(*after.as_uuid()));
    }
    let rows = query.limit(filter.limit).all(&txn).await?;
    txn.commit().await?;
    Ok(rows)
}

/// One bed.
///
/// # Errors
/// `Forbidden` without `shelters.read`; `NotFound` (also for another tenant's id); database
/// errors.
pub async fn get(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: BedId,
) -> DomainResult<bed::Model> {
    require(db, scope, Permission::SheltersRead).await?;
    let txn = scope.begin(db).await?;
    let found = find(&txn, scope.tenant_id(), id, false).await?;
    txn.commit().await?;
    match found {
        Some(row) => Ok(row),
        None => Err(not_found(db, scope, "bed", *id.as_uuid()).await),
    }
}

/// Applies `patch` to a bed: a new label, status, or a room of the same shelter.
/// `if_match` must carry the version the caller read.
///
/// # Errors
/// `Forbidden`; `NotFound`; `PreconditionRequired`/`PreconditionFailed`; `Invalid room_id`
/// for a room that is not the tenant's or not in the bed's shelter; `Conflict
/// bed_label_taken`; database errors.
pub async fn update(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: BedId,
    patch: BedPatch,
    if_match: Option<&str>,
) -> DomainResult<bed::Model> {
    require(db, scope, Permission::SheltersManage).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(current) = find(&txn, tenant, id, true).await? else {
        drop(txn);
        return Err(not_found(db, scope, "bed", *id.as_uuid()).await);
    };
    check_version(if_match, &current.updated_at)?;
    let moves_to = patch
        .room_id
        .filter(|room| *room.as_uuid() != current.room_id);
    if let Some(room_id) = moves_to {
        let Some(room) = rooms::find(&txn, tenant, room_id, false).await? else {
            drop(txn);
            audit_not_found(db, scope, "room", *room_id.as_uuid()).await;
            return Err(unknown_room());
        };
        if room.shelter_id != current.shelter_id {
            return Err(DomainError::invalid(
                "room_id",
                "must be a room of the bed's own shelter",
            ));
        }
    }
    let room = moves_to.map_or(current.room_id, |r| *r.as_uuid());
    let label = patch.label.as_deref().unwrap_or(&current.label);
    if (moves_to.is_some() || label != current.label)
        && label_taken(&txn, tenant, room, label, Some(current.id)).await?
    {
        return Err(label_conflict());
    }
    let fields = changed(&[
        ("room_id", moves_to.is_some()),
        ("label", patch.label.is_some()),
        ("status", patch.status.is_some()),
    ]);
    if fields.is_empty() {
        txn.commit().await?;
        return Ok(current);
    }
    let mut model: bed::ActiveModel = current.into();
    model.room_id = Set(room);
    if let Some(label) = patch.label {
        model.label = Set(label);
    }
    if let Some(status) = patch.status {
        model.status = Set(status.as_str().to_owned());
    }
    model.updated_at = Set(crate::now());
    let row = model.update(&txn).await?;
    audit::record(
        &txn,
        tenant,
        Event::new("bed.updated", Actor::user(scope), Outcome::Success)
            .target("bed", row.id)
            .details(serde_json::json!({"fields": fields, "status": row.status})),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Removes a bed.
///
/// # Errors
/// `Forbidden`; `NotFound`; database errors (a bed still referred to elsewhere is refused by
/// the database and answered as a conflict).
pub async fn delete(db: &DatabaseConnection, scope: &TenantScope, id: BedId) -> DomainResult<()> {
    require(db, scope, Permission::SheltersManage).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(current) = find(&txn, tenant, id, true).await? else {
        drop(txn);
        return Err(not_found(db, scope, "bed", *id.as_uuid()).await);
    };
    // A bed someone stayed in is part of their placement history: it is taken out of service,
    // not removed.
    let placements = placement::Entity::scoped(tenant)
        .filter(placement::Column::BedId.eq(current.id))
        .count(&txn)
        .await?;
    if placements > 0 {
        return Err(DomainError::conflict(
            "bed_in_use",
            format!(
                "The bed has placements ({placements}) on record: set its status to \
                 out_of_service instead of removing it."
            ),
        ));
    }
    bed::Entity::delete_many()
        .filter(bed::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(bed::Column::Id.eq(current.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        tenant,
        Event::new("bed.deleted", Actor::user(scope), Outcome::Success)
            .target("bed", current.id)
            .details(
                serde_json::json!({"shelter_id": current.shelter_id, "room_id": current.room_id}),
            ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
