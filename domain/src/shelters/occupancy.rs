//! How full a shelter is: beds by state, for the shelter and for each room.

use super::model::BedStatus;
use super::service;
use crate::access::{not_found, require};
use crate::authz::Permission;
use crate::entities::{bed, room};
use crate::error::DomainResult;
use crate::ids::{BedId, RoomId, ShelterId, TenantId};
use crate::tenancy::TenantScope;
use sea_orm::{
    ColumnTrait as _, ConnectionTrait, DatabaseConnection, QueryFilter as _, QueryOrder as _,
};
use std::collections::BTreeSet;

/// Which beds are taken. A bed in both sets counts as occupied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BedUsage {
    /// Beds someone is placed in now.
    pub occupied: BTreeSet<BedId>,
    /// Beds held for a placement that has not begun.
    pub reserved: BTreeSet<BedId>,
}

/// The beds of `shelter` that are occupied or reserved today, read in the caller's
/// transaction: occupied — admitted placements not yet ended; reserved — held placements not
/// yet ended (see [`crate::placements`]).
///
/// # Errors
/// Database errors.
pub async fn occupied_and_reserved_beds<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    shelter: ShelterId,
) -> DomainResult<BedUsage> {
    let today = crate::now().date_naive();
    let (occupied, reserved) =
        crate::placements::beds_in_use(conn, tenant, *shelter.as_uuid(), today).await?;
    Ok(BedUsage {
        occupied: occupied.into_iter().map(BedId::from_uuid).collect(),
        reserved: reserved.into_iter().map(BedId::from_uuid).collect(),
    })
}

/// Bed counts of a shelter or a room.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BedCounts {
    /// Every bed, in any state.
    pub total: u32,
    /// Beds in service (status `available`), whether taken or not.
    pub available: u32,
    /// Beds out of service.
    pub out_of_service: u32,
    /// Beds someone is placed in.
    pub occupied: u32,
    /// Beds held for a planned placement (and not occupied).
    pub reserved: u32,
    /// Beds in service that are neither occupied nor reserved: what can be offered tonight.
    pub free: u32,
}

impl BedCounts {
    fn add(&mut self, bed: &bed::Model, usage: &BedUsage) {
        let id = BedId::from_uuid(bed.id);
        let in_service = bed.status == BedStatus::Available.as_str();
        let occupied = usage.occupied.contains(&id);
        let reserved = !occupied && usage.reserved.contains(&id);
        self.total += 1;
        if in_service {
            self.available += 1;
        } else {
            self.out_of_service += 1;
        }
        if occupied {
            self.occupied += 1;
        }
        if reserved {
            self.reserved += 1;
        }
        if in_service && !occupied && !reserved {
            self.free += 1;
        }
    }
}

/// The counts of one room.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoomOccupancy {
    pub room_id: RoomId,
    pub name: String,
    pub counts: BedCounts,
}

/// The counts of a shelter and of each of its rooms (by name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occupancy {
    pub shelter_id: ShelterId,
    pub capacity: i32,
    pub counts: BedCounts,
    pub rooms: Vec<RoomOccupancy>,
}

/// Counts `beds` per room and in total.
fn tally(
    rooms: Vec<room::Model>,
    beds: &[bed::Model],
    usage: &BedUsage,
) -> (BedCounts, Vec<RoomOccupancy>) {
    let mut total = BedCounts::default();
    let mut per_room: Vec<RoomOccupancy> = rooms
        .into_iter()
        .map(|r| RoomOccupancy {
            room_id: RoomId::from_uuid(r.id),
            name: r.name,
            counts: BedCounts::default(),
        })
        .collect();
    for bed in beds {
        total.add(bed, usage);
        if let Some(room) = per_room
            .iter_mut()
            .find(|r| *r.room_id.as_uuid() == bed.room_id)
        {
            room.counts.add(bed, usage);
        }
    }
    (total, per_room)
}

/// A shelter's occupancy now.
///
/// # Errors
/// `Forbidden` without `shelters.read`; `NotFound` (also for another tenant's id); database
/// errors.
pub async fn occupancy(
    db: &DatabaseConnection,
    scope: &TenantScope,
    shelter: ShelterId,
) -> DomainResult<Occupancy> {
    require(db, scope, Permission::SheltersRead).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = service::find(&txn, tenant, shelter, false).await? else {
        drop(txn);
        return Err(not_found(db, scope, "shelter", *shelter.as_uuid()).await);
    };
    let rooms = room::Entity::scoped(tenant)
        .filter(room::Column::ShelterId.eq(row.id))
        .order_by_asc(room::Column::Name)
        .order_by_asc(room::Column::Id)
        .all(&txn)
        .await?;
    let beds = bed::Entity::scoped(tenant)
        .filter(bed::Column::ShelterId.eq(row.id))
        .all(&txn)
        .await?;
    let usage = occupied_and_reserved_beds(&txn, tenant, shelter).await?;
    txn.commit().await?;
    let (counts, rooms) = tally(rooms, &beds, &usage);
    Ok(Occupancy {
        shelter_id: shelter,
        capacity: row.capacity,
        counts,
        rooms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn bed(room: Uuid, status: BedStatus) -> bed::Model {
        let now = crate::now();
        bed::Model {
            tenant_id: Uuid::now_v7(),
            id: Uuid::now_v7(),
            shelter_id: Uuid::now_v7(),
            room_id: room,
            label: "A".into(),
            status: status.as_str().into(),
            created_at: now,
            updated_at: now,
        }
    }

    fn room(name: &str) -> room::Model {
        let now = crate::now();
        room::Model {
            tenant_id: Uuid::now_v7(),
            id: Uuid::now_v7(),
            shelter_id: Uuid::now_v7(),
            name: name.into(),
            floor: None,
            notes: String::new(),
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn free_beds_are_in_service_and_neither_occupied_nor_reserved() {
        let (one, two) = (room("One"), room("Two"));
        let beds = vec![
            bed(one.id, BedStatus::Available),
            bed(one.id, BedStatus::Available),
            bed(one.id, BedStatus::OutOfService),
            bed(two.id, BedStatus::Available),
            bed(two.id, BedStatus::Available),
        ];
        let usage = BedUsage {
            occupied: [BedId::from_uuid(beds[0].id), BedId::from_uuid(beds[3].id)].into(),
            reserved: [BedId::from_uuid(beds[3].id), BedId::from_uuid(beds[4].id)].into(),
        };
        let (total, rooms) = tally(vec![one, two], &beds, &usage);
        assert_eq!(
            total,
            BedCounts {
                total: 5,
                available: 4,
                out_of_service: 1,
                occupied: 2,
                reserved: 1,
                free: 1,
            }
        );
        assert_eq!(rooms[0].counts.free, 1);
        assert_eq!(rooms[1].counts.free, 0);
        assert_eq!(rooms[1].counts.reserved, 1, "occupied wins over reserved");
        let (idle, _) = tally(Vec::new(), &beds, &BedUsage::default());
        assert_eq!((idle.free, idle.occupied), (4, 0));
    }
}
