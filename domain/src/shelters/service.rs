//! Creating, reading, changing and removing shelters, with the sealed address.

use super::model::{NewShelter, ShelterPatch, ShelterStatus, decode_genders, encode_genders};
use super::{changed, check_version};
use crate::access::{not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::crypto::MasterKey;
use crate::entities::{bed, room, shelter, shelter_staff};
use crate::error::{DomainError, DomainResult};
use crate::fieldcrypt::{self, FieldRef};
use crate::ids::{ShelterId, TenantId};
use crate::tenancy::TenantScope;
use crate::vocab::Gender;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait as _, PaginatorTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _,
    Set,
};
use std::collections::BTreeSet;

/// A shelter row and, when the caller may read it, its opened address.
#[derive(Clone, Debug)]
pub struct ShelterRecord {
    pub row: shelter::Model,
    /// `None` for callers without `shelters.address_read`, and in lists.
    pub address: Option<String>,
}

impl ShelterRecord {
    /// The genders the shelter admits.
    #[must_use]
    pub fn admits_genders(&self) -> BTreeSet<Gender> {
        decode_genders(&self.row.admits_genders)
    }
}

/// Filters of the shelter list.
#[derive(Debug, Default, Clone)]
pub struct ShelterFilter {
    pub status: Option<ShelterStatus>,
    pub after: Option<ShelterId>,
    pub limit: u64,
}

fn address_field(tenant: TenantId, id: uuid::Uuid) -> FieldRef<'static> {
    FieldRef {
        tenant,
        table: "shelters",
        row: id,
        field: "address",
    }
}

/// One shelter of `tenant`, locked for the rest of the transaction when `lock` (so capacity
/// checks and version checks cannot race a concurrent change).
pub(crate) async fn find<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    id: ShelterId,
    lock: bool,
) -> Result<Option<shelter::Model>, DbErr> {
    let mut query = shelter::Entity::scoped(tenant).filter(shelter::Column::Id.eq(*id.as_uuid()));
    if lock {
        query = query.lock_exclusive();
    }
    query.one(conn).await
}

/// How many beds `shelter` has, in any state.
pub(crate) async fn bed_count<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    shelter: ShelterId,
) -> Result<u64, DbErr> {
    bed::Entity::scoped(tenant)
        .filter(bed::Column::ShelterId.eq(*shelter.as_uuid()))
        .count(conn)
        .await
}

async fn name_taken<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    name: &str,
    except: Option<ShelterId>,
) -> Result<bool, DbErr> {
    let mut query = shelter::Entity::scoped(tenant).filter(shelter::Column::Name.eq(name));
    if let Some(id) = except {
        query = query.filter(shelter::Column::Id.ne(*id.as_uuid()));
    }
    Ok(query.one(conn).await?.is_some())
}

fn name_conflict() -> DomainError {
    DomainError::conflict(
        "shelter_name_taken",
        "Another shelter of this organisation already has this name.",
    )
}

/// Opens the address of `row` for the caller, recording the read in `conn`'s transaction.
async fn reveal<C: ConnectionTrait>(
    conn: &C,
    master: &MasterKey,
    scope: &TenantScope,
    row: &shelter::Model,
) -> DomainResult<String> {
    let tenant = scope.tenant_id();
    let key = fieldcrypt::tenant_key(conn, master, tenant).await?;
    let address = key.open_str(&address_field(tenant, row.id), &row.address_sealed)?;
    audit::record(
        conn,
        tenant,
        Event::new("shelter.address_read", Actor::user(scope), Outcome::Success)
            .target("shelter", row.id),
    )
    .await?;
    Ok(address)
}

/// Creates a shelter; its address is sealed before it is stored.
///
/// # Errors
/// `Forbidden` without `shelters.manage`; `Conflict shelter_name_taken`; database errors.
pub async fn create(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    new: NewShelter,
) -> DomainResult<ShelterRecord> {
    require(db, scope, Permission::SheltersManage).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    if name_taken(&txn, tenant, new.name.as_str(), None).await? {
        return Err(name_conflict());
    }
    let id = ShelterId::new();
    let key = fieldcrypt::tenant_key(&txn, master, tenant).await?;
    let sealed = key.seal_str(&address_field(tenant, *id.as_uuid()), &new.address)?;
    let now = crate::now();
    let row = shelter::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(*id.as_uuid()),
        name: Set(new.name.into_inner()),
        address_sealed: Set(sealed),
        capacity: Set(new.capacity),
        admits_genders: Set(encode_genders(&new.admits_genders)),
        admits_minors: Set(new.admits_minors),
        min_age: Set(new.min_age),
        max_age: Set(new.max_age),
        phone: Set(new.phone),
        email: Set(new.email.map(crate::types::Email::into_inner)),
        status: Set(ShelterStatus::Active.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        tenant,
        Event::new("shelter.created", Actor::user(scope), Outcome::Success)
            .target("shelter", row.id)
            .details(serde_json::json!({"capacity": row.capacity})),
    )
    .await?;
    txn.commit().await?;
    let address = scope
        .has(Permission::ShelterAddressRead)
        .then_some(new.address);
    Ok(ShelterRecord { row, address })
}

/// The caller's tenant's shelters, oldest first, without addresses.
///
/// # Errors
/// `Forbidden` without `shelters.read`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &ShelterFilter,
) -> DomainResult<Vec<ShelterRecord>> {
    require(db, scope, Permission::SheltersRead).await?;
    let txn = scope.begin(db).await?;
    let mut query = shelter::Entity::scoped(scope.tenant_id()).order_by_asc(shelter::Column::Id);
    if let Some(status) = filter.status {
        query = query.filter(shelter::Column::Status.eq(status.as_str()));
    }
    if let Some(after) = filter.after {
        query = query.filter(shelter::Column::Id.gt(*after.as_uuid()));
    }
    let rows = query.limit(filter.limit).all(&txn).await?;
    txn.commit().await?;
    Ok(rows
        .into_iter()
        .map(|row| ShelterRecord { row, address: None })
        .collect())
}

/// One shelter. The address is opened (and the read audited) only for callers with
/// `shelters.address_read`.
///
/// # Errors
/// `Forbidden` without `shelters.read`; `NotFound` (also for another tenant's id); database
/// errors, or an address that does not open.
pub async fn get(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: ShelterId,
) -> DomainResult<ShelterRecord> {
    require(db, scope, Permission::SheltersRead).await?;
    let txn = scope.begin(db).await?;
    let Some(row) = find(&txn, scope.tenant_id(), id, false).await? else {
        drop(txn);
        return Err(not_found(db, scope, "shelter", *id.as_uuid()).await);
    };
    let address = if scope.has(Permission::ShelterAddressRead) {
        Some(reveal(&txn, master, scope, &row).await?)
    } else {
        None
    };
    txn.commit().await?;
    Ok(ShelterRecord { row, address })
}

/// Applies `patch` to a shelter. `if_match` must carry the version the caller read. The
/// admission policy is checked as a whole after the change, and the capacity may not drop
/// below the number of beds.
///
/// # Errors
/// `Forbidden`; `NotFound`; `PreconditionRequired`/`PreconditionFailed`; `Invalid` for a
/// contradictory admission policy; `Conflict capacity_below_beds` or `shelter_name_taken`;
/// database errors.
pub async fn update(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: ShelterId,
    patch: ShelterPatch,
    if_match: Option<&str>,
) -> DomainResult<ShelterRecord> {
    require(db, scope, Permission::SheltersManage).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(current) = find(&txn, tenant, id, true).await? else {
        drop(txn);
        return Err(not_found(db, scope, "shelter", *id.as_uuid()).await);
    };
    super::model::check_admission_policy(
        patch.admits_minors.unwrap_or(current.admits_minors),
        patch.min_age.unwrap_or(current.min_age),
        patch.max_age.unwrap_or(current.max_age),
    )?;
    check_version(if_match, &current.updated_at)?;
    if let Some(capacity) = patch.capacity {
        let beds = bed_count(&txn, tenant, id).await?;
        if u64::try_from(capacity).unwrap_or(0) < beds {
            return Err(DomainError::conflict(
                "capacity_below_beds",
                format!(
                    "The capacity cannot be lower than the number of beds the shelter has \
                     ({beds}); remove beds first."
                ),
            ));
        }
    }
    if let Some(name) = &patch.name
        && name.as_str() != current.name
        && name_taken(&txn, tenant, name.as_str(), Some(id)).await?
    {
        return Err(name_conflict());
    }

    let fields = changed(&[
        ("name", patch.name.is_some()),
        ("address", patch.address.is_some()),
        ("capacity", patch.capacity.is_some()),
        ("admits_genders", patch.admits_genders.is_some()),
        ("admits_minors", patch.admits_minors.is_some()),
        ("min_age", patch.min_age.is_some()),
        ("max_age", patch.max_age.is_some()),
        ("phone", patch.phone.is_some()),
        ("email", patch.email.is_some()),
        ("status", patch.status.is_some()),
    ]);
    let old_status = current.status.clone();
    let mut model: shelter::ActiveModel = current.clone().into();
    if let Some(name) = patch.name {
        model.name = Set(name.into_inner());
    }
    if let Some(address) = &patch.address {
        let key = fieldcrypt::tenant_key(&txn, master, tenant).await?;
        model.address_sealed = Set(key.seal_str(&address_field(tenant, current.id), address)?);
    }
    if let Some(capacity) = patch.capacity {
        model.capacity = Set(capacity);
    }
    if let Some(genders) = &patch.admits_genders {
        model.admits_genders = Set(encode_genders(genders));
    }
    if let Some(minors) = patch.admits_minors {
        model.admits_minors = Set(minors);
    }
    if let Some(min_age) = patch.min_age {
        model.min_age = Set(min_age);
    }
    if let Some(max_age) = patch.max_age {
        model.max_age = Set(max_age);
    }
    if let Some(phone) = patch.phone {
        model.phone = Set(phone);
    }
    if let Some(email) = patch.email {
        model.email = Set(email.map(crate::types::Email::into_inner));
    }
    if let Some(status) = patch.status {
        model.status = Set(status.as_str().to_owned());
    }
    let row = if fields.is_empty() {
        current
    } else {
        model.updated_at = Set(crate::now());
        let row = model.update(&txn).await?;
        let action = match (old_status.as_str(), row.status.as_str()) {
            ("active", "closed") => "shelter.closed",
            ("closed", "active") => "shelter.reopened",
            _ => "shelter.updated",
        };
        audit::record(
            &txn,
            tenant,
            Event::new(action, Actor::user(scope), Outcome::Success)
                .target("shelter", row.id)
                .details(serde_json::json!({"fields": fields})),
        )
        .await?;
        row
    };
    let address = match patch.address {
        _ if !scope.has(Permission::ShelterAddressRead) => None,
        Some(address) => Some(address),
        None => Some(reveal(&txn, master, scope, &row).await?),
    };
    txn.commit().await?;
    Ok(ShelterRecord { row, address })
}

/// Removes a shelter that has no beds, with its (empty) rooms and its staff assignments.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Conflict shelter_has_beds` (close it instead, or remove its
/// beds first); database errors.
pub async fn delete(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: ShelterId,
) -> DomainResult<()> {
    require(db, scope, Permission::SheltersManage).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(current) = find(&txn, tenant, id, true).await? else {
        drop(txn);
        return Err(not_found(db, scope, "shelter", *id.as_uuid()).await);
    };
    let beds = bed_count(&txn, tenant, id).await?;
    if beds > 0 {
        return Err(DomainError::conflict(
            "shelter_has_beds",
            format!(
                "The shelter still has beds ({beds}): close it (status `closed`) to keep its \
                 history, or remove its beds first."
            ),
        ));
    }
    let staff = shelter_staff::Entity::delete_many()
        .filter(shelter_staff::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(shelter_staff::Column::ShelterId.eq(current.id))
        .exec(&txn)
        .await?
        .rows_affected;
    let rooms = room::Entity::delete_many()
        .filter(room::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(room::Column::ShelterId.eq(current.id))
        .exec(&txn)
        .await?
        .rows_affected;
    shelter::Entity::delete_many()
        .filter(shelter::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(shelter::Column::Id.eq(current.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        tenant,
        Event::new("shelter.deleted", Actor::user(scope), Outcome::Success)
            .target("shelter", current.id)
            .details(serde_json::json!({"rooms_removed": rooms, "staff_unassigned": staff})),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
