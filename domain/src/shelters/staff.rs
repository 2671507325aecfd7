//! Which of the tenant's users work at a shelter.

use super::service;
use crate::access::{not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::entities::{shelter_staff, user};
use crate::error::{DomainError, DomainResult};
use crate::ids::{ShelterId, UserId};
use crate::tenancy::TenantScope;
use crate::users::UserStatus;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};
use std::collections::BTreeMap;

/// A user assigned to a shelter.
#[derive(Clone, Debug)]
pub struct StaffMember {
    pub user: user::Model,
    pub assigned_at: DateTime<Utc>,
}

/// The staff of a shelter, by user id.
///
/// # Errors
/// `Forbidden` without `shelters.read`; `NotFound` for a shelter that is not the tenant's;
/// database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    shelter: ShelterId,
    after: Option<UserId>,
    limit: u64,
) -> DomainResult<Vec<StaffMember>> {
    require(db, scope, Permission::SheltersRead).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    if service::find(&txn, tenant, shelter, false).await?.is_none() {
        drop(txn);
        return Err(not_found(db, scope, "shelter", *shelter.as_uuid()).await);
    }
    let mut query = shelter_staff::Entity::scoped(tenant)
        .filter(shelter_staff::Column::ShelterId.eq(*shelter.as_uuid()))
        .order_by_asc(shelter_staff::Column::UserId);
    if let Some(after) = after {
        query = query.filter(shelter_staff::Column::UserId.gt(*after.as_uuid()));
    }
    let assignments = query.limit(limit).all(&txn).await?;
    let mut users: BTreeMap<uuid::Uuid, user::Model> = user::Entity::scoped(tenant)
        .filter(user::Column::Id.is_in(assignments.iter().map(|a| a.user_id)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    txn.commit().await?;
    Ok(assignments
        .into_iter()
        .filter_map(|a| {
            users.remove(&a.user_id).map(|user| StaffMember {
                user,
                assigned_at: a.created_at,
            })
        })
        .collect())
}

/// One user's assignment to a shelter.
///
/// # Errors
/// `Forbidden` without `shelters.read`; `NotFound` when the shelter is not the tenant's or
/// the user is not assigned to it; database errors.
pub async fn get(
    db: &DatabaseConnection,
    scope: &TenantScope,
    shelter: ShelterId,
    user_id: UserId,
) -> DomainResult<StaffMember> {
    require(db, scope, Permission::SheltersRead).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    if service::find(&txn, tenant, shelter, false).await?.is_none() {
        drop(txn);
        return Err(not_found(db, scope, "shelter", *shelter.as_uuid()).await);
    }
    let assignment = shelter_staff::Entity::scoped(tenant)
        .filter(shelter_staff::Column::ShelterId.eq(*shelter.as_uuid()))
        .filter(shelter_staff::Column::UserId.eq(*user_id.as_uuid()))
        .one(&txn)
        .await?;
    let member = match assignment {
        Some(a) => user::Entity::scoped(tenant)
            .filter(user::Column::Id.eq(a.user_id))
            .one(&txn)
            .await?
            .map(|user| StaffMember {
                user,
                assigned_at: a.created_at,
            }),
        None => None,
    };
    txn.commit().await?;
    match member {
        Some(member) => Ok(member),
        None => Err(not_found(db, scope, "user", *user_id.as_uuid()).await),
    }
}

/// Assigns one of the tenant's users to a shelter.
///
/// # Errors
/// `Forbidden` without `shelters.manage`; `NotFound` when the shelter or the user is not the
/// tenant's; `Conflict user_deactivated` or `staff_already_assigned`; database errors.
pub async fn assign(
    db: &DatabaseConnection,
    scope: &TenantScope,
    shelter: ShelterId,
    user_id: UserId,
) -> DomainResult<StaffMember> {
    require(db, scope, Permission::SheltersManage).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    if service::find(&txn, tenant, shelter, false).await?.is_none() {
        drop(txn);
        return Err(not_found(db, scope, "shelter", *shelter.as_uuid()).await);
    }
    let Some(user) = user::Entity::scoped(tenant)
        .filter(user::Column::Id.eq(*user_id.as_uuid()))
        .one(&txn)
        .await?
    else {
        drop(txn);
        return Err(not_found(db, scope, "user", *user_id.as_uuid()).await);
    };
    if user.status == UserStatus::Deactivated.as_str() {
        return Err(DomainError::conflict(
            "user_deactivated",
            "This user is deactivated and cannot be assigned to a shelter.",
        ));
    }
    let existing = shelter_staff::Entity::scoped(tenant)
        .filter(shelter_staff::Column::ShelterId.eq(*shelter.as_uuid()))
        .filter(shelter_staff::Column::UserId.eq(user.id))
        .one(&txn)
        .await?;
    if existing.is_some() {
        return Err(DomainError::conflict(
            "staff_already_assigned",
            "This user is already assigned to this shelter.",
        ));
    }
    let row = shelter_staff::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        shelter_id: Set(*shelter.as_uuid()),
        user_id: Set(user.id),
        created_at: Set(crate::now()),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        tenant,
        Event::new(
            "shelter.staff_assigned",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("shelter", row.shelter_id)
        .details(serde_json::json!({"user_id": row.user_id})),
    )
    .await?;
    txn.commit().await?;
    Ok(StaffMember {
        user,
        assigned_at: row.created_at,
    })
}

/// Ends a user's assignment to a shelter.
///
/// # Errors
/// `Forbidden` without `shelters.manage`; `NotFound` when the shelter is not the tenant's or
/// the user is not assigned to it; database errors.
pub async fn remove(
    db: &DatabaseConnection,
    scope: &TenantScope,
    shelter: ShelterId,
    user_id: UserId,
) -> DomainResult<()> {
    require(db, scope, Permission::SheltersManage).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    if service::find(&txn, tenant, shelter, false).await?.is_none() {
        drop(txn);
        return Err(not_found(db, scope, "shelter", *shelter.as_uuid()).await);
    }
    let removed = shelter_staff::Entity::delete_many()
        .filter(shelter_staff::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(shelter_staff::Column::ShelterId.eq(*shelter.as_uuid()))
        .filter(shelter_staff::Column::UserId.eq(*user_id.as_uuid()))
        .exec(&txn)
        .await?
        .rows_affected;
    if removed == 0 {
        drop(txn);
        return Err(not_found(db, scope, "user", *user_id.as_uuid()).await);
    }
    audit::record(
        &txn,
        tenant,
        Event::new(
            "shelter.staff_removed",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("shelter", *shelter.as_uuid())
        .details(serde_json::json!({"user_id": user_id})),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
