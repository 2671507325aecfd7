//! Rooms of a shelter.

use super::model::{NewRoom, RoomPatch, ShelterStatus};
use super::{changed, check_version, service};
use crate::access::{audit_not_found, not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::entities::{bed, room};
use crate::error::{DomainError, DomainResult};
use crate::ids::{RoomId, ShelterId, TenantId};
use crate::tenancy::TenantScope;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait as _, PaginatorTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _,
    Set,
};

/// Filters of the room list.
#[derive(Debug, Default, Clone)]
pub struct RoomFilter {
    pub shelter: Option<ShelterId>,
    pub after: Option<RoomId>,
    pub limit: u64,
}

/// One room of `tenant`, locked for the rest of the transaction when `lock`.
pub(crate) async fn find<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: RoomId,
    lock: bool,
) -> Result<Option<room::Model>, DbErr> {
    let mut query = room::Entity::scoped(tenant).filter(room::Column::Id.eq(*id.as_uuid()));
    if lock {
        query = query.lock_exclusive();
    }
    query.one(conn).await
}

async fn name_taken<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    shelter: uuid::Uuid,
    name: &str,
) -> Result<bool, DbErr> {
    Ok(room::Entity::scoped(tenant)
        .filter(room::Column::ShelterId.eq(shelter))
        .filter(room::Column::Name.eq(name))
        .one(conn)
        .await?
        .is_some())
}

fn name_conflict() -> DomainError {
    DomainError::conflict(
        "room_name_taken",
        "Another room of this shelter already has this name.",
    )
}

/// The answer when new rooms or beds would go into a closed shelter.
pub(crate) fn shelter_closed() -> DomainError {
    DomainError::conflict(
        "shelter_closed",
        "The shelter is closed: reopen it (status `active`) before adding rooms or beds.",
    )
}

/// Creates a room in one of the caller's tenant's active shelters.
///
/// # Errors
/// `Forbidden` without `shelters.manage`; `Invalid shelter_id` when the shelter is not the
/// tenant's; `Conflict shelter_closed` or `room_name_taken`; database errors.
pub async fn create(
    db: &DatabaseConnection,
    scope: &TenantScope,
    new: NewRoom,
) -> DomainResult<room::Model> {
    require(db, scope, Permission::SheltersManage).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(shelter) = service::find(&txn, tenant, new.shelter_id, false).await? else {
        drop(txn);
        audit_not_found(db, scope, "shelter", *new.shelter_id.as_uuid()).await;
        return Err(DomainError::invalid(
            "shelter_id",
            "no such shelter in this organisation",
        ));
    };
    if shelter.status == ShelterStatus::Closed.as_str() {
        return Err(shelter_closed());
    }
    if name_taken(&txn, tenant, shelter.id, &new.name).await? {
        return Err(name_conflict());
    }
    let now = crate::now();
    let row = room::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(*RoomId::new().as_uuid()),
        shelter_id: Set(shelter.id),
        name: Set(new.name),
        floor: Set(new.floor),
        notes: Set(new.notes),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        tenant,
        Event::new("room.created", Actor::user(scope), Outcome::Success)
            .target("room", row.id)
            .details(serde_json::json!({"shelter_id": shelter.id})),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// The caller's tenant's rooms, oldest first.
///
/// # Errors
/// `Forbidden` without `shelters.read`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &RoomFilter,
) -> DomainResult<Vec<room::Model>> {
    require(db, scope, Permission::SheltersRead).await?;
    let txn = scope.begin(db).await?;
    let mut query = room::Entity::scoped(scope.tenant_id()).order_by_asc(room::Column::Id);
    if let Some(shelter) = filter.shelter {
        query = query.filter(room::Column::ShelterId.eq(*shelter.as_uuid()));
    }
    if let Some(after) = filter.after {
        query = query.filter(room::Column::Id.gt(*after.as_uuid()));
    }
    let rows = query.limit(filter.limit).all(&txn).await?;
    txn.commit().await?;
    Ok(rows)
}

/// One room.
///
/// # Errors
/// `Forbidden` without `shelters.read`; `NotFound` (also for another tenant's id); database
/// errors.
pub async fn get(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: RoomId,
) -> DomainResult<room::Model> {
    require(db, scope, Permission::SheltersRead).await?;
    let txn = scope.begin(db).await?;
    let found = find(&txn, scope.tenant_id(), id, false).await?;
    txn.commit().await?;
    match found {
        Some(row) => Ok(row),
        None => Err(not_found(db, scope, "room", *id.as_uuid()).await),
    }
}

/// Applies `patch` to a room. `if_match` must carry the version the caller read.
///
/// # Errors
/// `Forbidden`; `NotFound`; `PreconditionRequired`/`PreconditionFailed`;
/// `Conflict room_name_taken`; database errors.
pub async fn update(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: RoomId,
    patch: RoomPatch,
    if_match: Option<&str>,
) -> DomainResult<room::Model> {
    require(db, scope, Permission::SheltersManage).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(current) = find(&txn, tenant, id, true).await? else {
        drop(txn);
        return Err(not_found(db, scope, "room", *id.as_uuid()).await);
    };
    check_version(if_match, &current.updated_at)?;
    if let Some(name) = &patch.name
        && *name != current.name
        && name_taken(&txn, tenant, current.shelter_id, name).await?
    {
        return Err(name_conflict());
    }
    let fields = changed(&[
        ("name", patch.name.is_some()),
        ("floor", patch.floor.is_some()),
        ("notes", patch.notes.is_some()),
    ]);
    if fields.is_empty() {
        txn.commit().await?;
        return Ok(current);
    }
    let mut model: room::ActiveModel = current.into();
    if let Some(name) = patch.name {
        model.name = Set(name);
    }
    if let Some(floor) = patch.floor {
        model.floor = Set(floor);
    }
    if let Some(notes) = patch.notes {
        model.notes = Set(notes);
    }
    model.updated_at = Set(crate::now());
    let row = model.update(&txn).await?;
    audit::record(
        &txn,
        tenant,
        Event::new("room.updated", Actor::user(scope), Outcome::Success)
            .target("room", row.id)
            .details(serde_json::json!({"fields": fields})),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Removes a room that has no beds.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Conflict room_has_beds`; database errors.
pub async fn delete(db: &DatabaseConnection, scope: &TenantScope, id: RoomId) -> DomainResult<()> {
    require(db, scope, Permission::SheltersManage).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(current) = find(&txn, tenant, id, true).await? else {
        drop(txn);
        return Err(not_found(db, scope, "room", *id.as_uuid()).await);
    };
    let beds = bed::Entity::scoped(tenant)
        .filter(bed::Column::RoomId.eq(current.id))
        .count(&txn)
        .await?;
    if beds > 0 {
        return Err(DomainError::conflict(
            "room_has_beds",
            format!("The room still has beds ({beds}): remove or move them first."),
        ));
    }
    room::Entity::delete_many()
        .filter(room::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(room::Column::Id.eq(current.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        tenant,
        Event::new("room.deleted", Actor::user(scope), Outcome::Success)
            .target("room", current.id)
            .details(serde_json::json!({"shelter_id": current.shelter_id})),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
