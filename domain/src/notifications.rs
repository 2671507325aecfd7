//! Notifications: short messages to one user about something that needs their attention (a
//! serious incident in a shelter they manage). A title never carries personal data; the link
//! leads to the resource, which applies its own access rules. Each user sees only their own.

use crate::access::not_found;
use crate::authz::{Permission, Role, decode_roles, permissions_of};
use crate::entities::{case_member, notification, placement, shelter_staff, user};
use crate::error::DomainResult;
use crate::ids::TenantId;
use crate::tenancy::TenantScope;
use crate::users::UserStatus;
use crate::vocab::PlacementStatus;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, Condition, ConnectionTrait, DatabaseConnection,
    EntityTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// A notification to write.
#[derive(Clone, Debug)]
pub(crate) struct NewNotification<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub link: &'a str,
}

/// Writes one notification per recipient inside the caller's transaction.
///
/// # Errors
/// Database errors.
pub(crate) async fn send<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    recipients: &[Uuid],
    note: &NewNotification<'_>,
) -> DomainResult<usize> {
    if recipients.is_empty() {
        return Ok(0);
    }
    let now = crate::now();
    let rows: Vec<notification::ActiveModel> = recipients
        .iter()
        .map(|recipient| notification::ActiveModel {
            tenant_id: Set(*tenant.as_uuid()),
            id: Set(Uuid::now_v7()),
            recipient_id: Set(*recipient),
            kind: Set(note.kind.to_owned()),
            title: Set(note.title.to_owned()),
            link: Set(note.link.to_owned()),
            created_at: Set(now),
            read_at: Set(None),
        })
        .collect();
    notification::Entity::insert_many(rows).exec(conn).await?;
    Ok(recipients.len())
}

/// Who hears of something about each of the cases `cases`: those who see the case and work on
/// it — its team members, and the shelter managers of the shelters where it has a bed reserved
/// or taken — whose accounts are not deactivated; for a case with none of them, the
/// organisation's administrators.
///
/// # Errors
/// Database errors.
pub(crate) async fn case_recipients<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    cases: impl IntoIterator<Item = Uuid>,
) -> DomainResult<BTreeMap<Uuid, BTreeSet<Uuid>>> {
    let cases: BTreeSet<Uuid> = cases.into_iter().collect();
    let members = case_member::Entity::scoped(tenant)
        .filter(case_member::Column::CaseId.is_in(cases.iter().copied()))
        .all(conn)
        .await?;
    let placed: Vec<(Uuid, Uuid)> = placement::Entity::scoped(tenant)
        .filter(placement::Column::CaseId.is_in(cases.iter().copied()))
        .filter(placement::Column::Status.is_in([
            PlacementStatus::Reserved.as_str(),
            PlacementStatus::Admitted.as_str(),
        ]))
        .select_only()
        .columns([placement::Column::CaseId, placement::Column::ShelterId])
        .into_tuple()
        .all(conn)
        .await?;
    let staff: Vec<(Uuid, Uuid)> = if placed.is_empty() {
        Vec::new()
    } else {
        shelter_staff::Entity::scoped(tenant)
            .filter(shelter_staff::Column::ShelterId.is_in(placed.iter().map(|(_, s)| *s)))
            .select_only()
            .columns([
                shelter_staff::Column::ShelterId,
                shelter_staff::Column::UserId,
            ])
            .into_tuple()
            .all(conn)
            .await?
    };
    let people: Vec<user::Model> = user::Entity::scoped(tenant)
        .filter(user::Column::Status.ne(UserStatus::Deactivated.as_str()))
        .filter(
            Condition::any()
                .add(user::Column::Id.is_in(members.iter().map(|m| m.user_id)))
                .add(user::Column::Id.is_in(staff.iter().map(|(_, u)| *u)))
                .add(user::Column::Roles.contains(Role::TenantAdmin.as_str())),
        )
        .all(conn)
        .await?;
    let active: BTreeSet<Uuid> = people.iter().map(|u| u.id).collect();
    let admins: BTreeSet<Uuid> = people
        .iter()
        .filter(|u| decode_roles(&u.roles).contains(&Role::TenantAdmin))
        .map(|u| u.id)
        .collect();
    // Shelter staff without the managers' permission see residents' operational data only.
    let managers: BTreeSet<Uuid> = people
        .iter()
        .filter(|u| {
            permissions_of(&decode_roles(&u.roles)).contains(&Permission::CasesInMyShelters)
        })
        .map(|u| u.id)
        .collect();
    let mut teams: BTreeMap<Uuid, BTreeSet<Uuid>> = BTreeMap::new();
    for member in members.into_iter().filter(|m| active.contains(&m.user_id)) {
        teams
            .entry(member.case_id)
            .or_default()
            .insert(member.user_id);
    }
    for (case, shelter) in &placed {
        for (_, user) in staff
            .iter()
            .filter(|(s, u)| s == shelter && managers.contains(u))
        {
            teams.entry(*case).or_default().insert(*user);
        }
    }
    for case in cases {
        teams.entry(case).or_insert_with(|| admins.clone());
    }
    Ok(teams)
}

/// Filters of one's notification list.
#[derive(Debug, Default, Clone)]
pub struct NotificationFilter {
    /// Only those not read yet.
    pub unread_only: bool,
    /// Notifications older than this one (newest first).
    pub before: Option<Uuid>,
    pub limit: u64,
}

/// The caller's notifications, newest first.
///
/// # Errors
/// Database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &NotificationFilter,
) -> DomainResult<Vec<notification::Model>> {
    let txn = scope.begin(db).await?;
    let mut query = notification::Entity::scoped(scope.tenant_id())
        .filter(notification::Column::RecipientId.eq(*scope.user_id().as_uuid()))
        .order_by_desc(notification::Column::Id);
    if filter.unread_only {
        query = query.filter(notification::Column::ReadAt.is_null());
    }
    if let Some(before) = filter.before {
        query = query.filter(notification::Column::Id.lt(before));
    }
    let rows = query.limit(filter.limit).all(&txn).await?;
    txn.commit().await?;
    Ok(rows)
}

async fn own<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<Option<notification::Model>> {
    Ok(notification::Entity::scoped(scope.tenant_id())
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::RecipientId.eq(*scope.user_id().as_uuid()))
        .one(conn)
        .await?)
}

/// One of the caller's notifications.
///
/// # Errors
/// `NotFound` for anyone else's; database errors.
pub async fn get(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<notification::Model> {
    let txn = scope.begin(db).await?;
    let row = own(&txn, scope, id).await?;
    txn.commit().await?;
    match row {
        Some(row) => Ok(row),
        None => Err(not_found(db, scope, "notification", id).await),
    }
}

/// Marks one of the caller's notifications read (again is harmless: the first time stays).
///
/// # Errors
/// `NotFound` for anyone else's; database errors.
pub async fn mark_read(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<notification::Model> {
    let txn = scope.begin(db).await?;
    let Some(row) = own(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "notification", id).await);
    };
    if row.read_at.is_some() {
        txn.commit().await?;
        return Ok(row);
    }
    let mut model: notification::ActiveModel = row.into();
    model.read_at = Set(Some(crate::now()));
    let updated = model.update(&txn).await?;
    txn.commit().await?;
    Ok(updated)
}
