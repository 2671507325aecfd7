//! A tenant's users: invitation with a one-time set-password token, listing, role and status
//! changes, deactivation, and passwords. Every query goes through the caller's tenant scope.

use crate::access::{forbidden, not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::auth::{forget_user_status, new_opaque, parse_opaque, revoke_user_sessions};
use crate::authz::{Permission, Role, decode_roles, encode_roles};
use crate::cache::Cache;
use crate::entities::{password_token, user};
use crate::error::{DomainError, DomainResult, Validator};
use crate::ids::{TenantId, UserId};
use crate::passwords;
use crate::tenancy::{TenantScope, begin_scoped};
use crate::types::{DisplayName, Email};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};
use secrecy::SecretString;
use std::collections::BTreeSet;
use uuid::Uuid;

/// How long an invitation's set-password token stays valid.
pub const INVITATION_TTL_DAYS: i64 = 7;

/// A user's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserStatus {
    /// Invited; has not set a password yet.
    Invited,
    Active,
    Deactivated,
}

impl UserStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Invited => "invited",
            UserStatus::Active => "active",
            UserStatus::Deactivated => "deactivated",
        }
    }
}

/// The version tag of a user row, for `ETag` / `If-Match`.
#[must_use]
pub fn etag(user: &user::Model) -> String {
    format!("\"{}\"", user.updated_at.timestamp_micros())
}

fn parse_roles(field: &str, roles: &[String]) -> DomainResult<BTreeSet<Role>> {
    let mut parsed = BTreeSet::new();
    for role in roles {
        // The message names the roles there are, never the text sent.
        let role = role.parse::<Role>().map_err(|()| {
            let known: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
            DomainError::invalid(
                field,
                format!(
                    "names a role that does not exist (roles: {})",
                    known.join(", ")
                ),
            )
        })?;
        parsed.insert(role);
    }
    if parsed.is_empty() {
        return Err(DomainError::invalid(field, "must name at least one role"));
    }
    Ok(parsed)
}

/// A validated invitation request.
pub struct NewUser {
    pub email: Email,
    pub name: DisplayName,
    pub roles: BTreeSet<Role>,
}

/// Parses an invitation request, listing every invalid field.
///
/// # Errors
/// [`DomainError::Invalid`].
pub fn parse_new_user(email: &str, name: &str, roles: &[String]) -> DomainResult<NewUser> {
    let mut v = Validator::default();
    let parsed = (
        v.take(Email::parse("email", email)),
        v.take(DisplayName::parse("name", name)),
        v.take(parse_roles("roles", roles)),
    );
    v.finish()?;
    match parsed {
        (Some(email), Some(name), Some(roles)) => Ok(NewUser { email, name, roles }),
        _ => Err(DomainError::Internal(anyhow::anyhow!(
            "validation passed with a missing value"
        ))),
    }
}

/// A created user and the token they set their password with (shown once).
pub struct Invitation {
    pub user: user::Model,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Creates a user in the caller's tenant and returns their one-time set-password token.
///
/// # Errors
/// `Forbidden` without `users.manage`; `Conflict email_taken`; database errors.
pub async fn invite(
    db: &DatabaseConnection,
    scope: &TenantScope,
    new: NewUser,
) -> DomainResult<Invitation> {
    require(db, scope, Permission::UsersManage).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    if user::Entity::scoped(tenant)
        .filter(user::Column::Email.eq(new.email.as_str()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(DomainError::conflict(
            "email_taken",
            "A user with this e-mail address already exists.",
        ));
    }
    let now = crate::now();
    let id = Uuid::now_v7();
    let created = user::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        email: Set(new.email.into_inner()),
        name: Set(new.name.into_inner()),
        password_hash: Set(None),
        roles: Set(encode_roles(&new.roles)),
        status: Set(UserStatus::Invited.as_str().to_owned()),
        created_by: Set(Some(*scope.user_id().as_uuid())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let (token, hash) = new_opaque("hvi", &tenant.as_uuid().simple().to_string())?;
    let expires_at = now + chrono::Duration::days(INVITATION_TTL_DAYS);
    password_token::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(Uuid::now_v7()),
        user_id: Set(id),
        token_hash: Set(hash),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let roles: Vec<&str> = new.roles.iter().map(|r| r.as_str()).collect();
    audit::record(
        &txn,
        tenant,
        Event::new("user.invited", Actor::user(scope), Outcome::Success)
            .target("user", id)
            .details(serde_json::json!({"roles": roles})),
    )
    .await?;
    txn.commit().await?;
    Ok(Invitation {
        user: created,
        token,
        expires_at,
    })
}

/// Filters of the user list.
#[derive(Debug, Default, Clone)]
pub struct UserFilter {
    pub status: Option<UserStatus>,
    pub role: Option<Role>,
    pub after: Option<Uuid>,
    pub limit: u64,
}

/// The caller's tenant's users, oldest first.
///
/// # Errors
/// `Forbidden` without `users.read`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &UserFilter,
) -> DomainResult<Vec<user::Model>> {
    require(db, scope, Permission::UsersRead).await?;
    let txn = scope.begin(db).await?;
    let mut query = user::Entity::scoped(scope.tenant_id()).order_by_asc(user::Column::Id);
    if let Some(status) = filter.status {
        query = query.filter(user::Column::Status.eq(status.as_str()));
    }
    if let Some(after) = filter.after {
        query = query.filter(user::Column::Id.gt(after));
    }
    let mut users = Vec::new();
    // A role filter is applied after reading (roles are stored as a list); read on until the
    // page is full.
    let mut cursor = filter.after;
    loop {
        let mut page_query = query.clone();
        if let Some(c) = cursor {
            page_query = page_query.filter(user::Column::Id.gt(c));
        }
        let page = page_query.limit(filter.limit).all(&txn).await?;
        let exhausted = (page.len() as u64) < filter.limit;
        cursor = page.last().map(|u| u.id).or(cursor);
        users.extend(page.into_iter().filter(|u| {
            filter
                .role
                .is_none_or(|r| decode_roles(&u.roles).contains(&r))
        }));
        if exhausted || users.len() as u64 >= filter.limit {
            break;
        }
    }
    users.truncate(usize::try_from(filter.limit).unwrap_or(usize::MAX));
    txn.commit().await?;
    Ok(users)
}

/// The organisation's active accounts by id and name only, for those who put colleagues on a
/// case team (`cases.work`) without reading the users list (e-mail addresses, roles, status).
///
/// # Errors
/// `Forbidden` without `cases.work`; database errors.
pub async fn colleagues(
    db: &DatabaseConnection,
    scope: &TenantScope,
    after: Option<Uuid>,
    limit: u64,
) -> DomainResult<Vec<(Uuid, String)>> {
    require(db, scope, Permission::CasesWork).await?;
    let txn = scope.begin(db).await?;
    let mut query = user::Entity::scoped(scope.tenant_id())
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Name)
        .filter(user::Column::Status.eq(UserStatus::Active.as_str()))
        .order_by_asc(user::Column::Id);
    if let Some(after) = after {
        query = query.filter(user::Column::Id.gt(after));
    }
    let rows = query
        .limit(limit)
        .into_tuple::<(Uuid, String)>()
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(rows)
}

/// One user of the caller's tenant (anyone may read their own record).
///
/// # Errors
/// `NotFound` (also for another tenant's id); `Forbidden`; database errors.
pub async fn get(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<user::Model> {
    let txn = scope.begin(db).await?;
    let found = user::Entity::scoped(scope.tenant_id())
        .filter(user::Column::Id.eq(id))
        .one(&txn)
        .await?;
    txn.commit().await?;
    let Some(found) = found else {
        return Err(not_found(db, scope, "user", id).await);
    };
    if found.id != *scope.user_id().as_uuid() {
        require(db, scope, Permission::UsersRead).await?;
    }
    Ok(found)
}

/// Changes to a user.
#[derive(Debug, Default, Clone)]
pub struct UserPatch {
    pub name: Option<DisplayName>,
    pub roles: Option<BTreeSet<Role>>,
    pub status: Option<UserStatus>,
}

/// Parses a user patch.
///
/// # Errors
/// [`DomainError::Invalid`].
pub fn parse_patch(
    name: Option<&str>,
    roles: Option<&[String]>,
    status: Option<&str>,
) -> DomainResult<UserPatch> {
    let mut v = Validator::default();
    let name = name.and_then(|n| v.take(DisplayName::parse("name", n)));
    let roles = roles.and_then(|r| v.take(parse_roles("roles", r)));
    let status = match status {
        None => None,
        Some("active") => Some(UserStatus::Active),
        Some("deactivated") => Some(UserStatus::Deactivated),
        Some(_) => {
            v.note("status", "must be `active` or `deactivated`");
            None
        }
    };
    v.finish()?;
    Ok(UserPatch {
        name,
        roles,
        status,
    })
}

/// Applies `patch` to a user of the caller's tenant. `if_match` must carry the version the
/// caller read. Deactivating (or removing roles) takes effect on the user's next request.
///
/// # Errors
/// `NotFound`; `Forbidden`; `PreconditionRequired`/`PreconditionFailed`; `Conflict` when an
/// administrator would lock themselves out or an invited user would be activated without a
/// password; database errors.
pub async fn update(
    db: &DatabaseConnection,
    cache: &Cache,
    scope: &TenantScope,
    id: Uuid,
    patch: UserPatch,
    if_match: Option<&str>,
) -> DomainResult<user::Model> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(current) = user::Entity::scoped(tenant)
        .filter(user::Column::Id.eq(id))
        .one(&txn)
        .await?
    else {
        drop(txn);
        return Err(not_found(db, scope, "user", id).await);
    };
    if !scope.has(Permission::UsersManage) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::UsersManage).await);
    }
    match if_match {
        None => return Err(DomainError::PreconditionRequired),
        Some(tag) if tag.trim() != "*" && tag.trim() != etag(&current) => {
            return Err(DomainError::PreconditionFailed);
        }
        Some(_) => {}
    }
    let is_self = current.id == *scope.user_id().as_uuid();
    if is_self {
        let drops_admin = patch
            .roles
            .as_ref()
            .is_some_and(|r| !r.contains(&Role::TenantAdmin));
        let deactivates = patch.status == Some(UserStatus::Deactivated);
        if drops_admin || deactivates {
            return Err(DomainError::conflict(
                "self_lockout",
                "You cannot remove your own administrator role or deactivate yourself.",
            ));
        }
    }
    if patch.status == Some(UserStatus::Active) && current.password_hash.is_none() {
        return Err(DomainError::conflict(
            "password_not_set",
            "This user has not set a password yet; they activate their account with their invitation.",
        ));
    }
    let old_roles = current.roles.clone();
    let old_status = current.status.clone();
    let mut model: user::ActiveModel = current.into();
    if let Some(name) = patch.name {
        model.name = Set(name.into_inner());
    }
    let mut changes = serde_json::Map::new();
    if let Some(roles) = &patch.roles {
        let encoded = encode_roles(roles);
        if encoded != old_roles {
            changes.insert(
                "roles".into(),
                serde_json::json!(roles.iter().map(|r| r.as_str()).collect::<Vec<_>>()),
            );
        }
        model.roles = Set(encoded);
    }
    if let Some(status) = patch.status
        && status.as_str() != old_status
    {
        changes.insert("status".into(), serde_json::json!(status.as_str()));
        model.status = Set(status.as_str().to_owned());
    }
    let now = crate::now();
    model.updated_at = Set(now);
    let updated = model.update(&txn).await?;
    let action = if patch.status == Some(UserStatus::Deactivated) && old_status != "deactivated" {
        "user.deactivated"
    } else if changes.contains_key("roles") {
        "user.roles_changed"
    } else {
        "user.updated"
    };
    audit::record(
        &txn,
        tenant,
        Event::new(action, Actor::user(scope), Outcome::Success)
            .target("user", id)
            .details(serde_json::Value::Object(changes)),
    )
    .await?;
    if updated.status == UserStatus::Deactivated.as_str() {
        revoke_user_sessions(&txn, cache, tenant, id, None).await?;
    }
    txn.commit().await?;
    forget_user_status(cache, tenant, UserId::from_uuid(id)).await;
    Ok(updated)
}

/// Sets a password with an invitation token and activates the account.
///
/// # Errors
/// `Unauthenticated(InvalidToken)` for an unknown, used or expired token; `Invalid` when the
/// password breaks the policy; database errors.
pub async fn set_password_with_token(
    db: &DatabaseConnection,
    token: &str,
    password: SecretString,
) -> DomainResult<()> {
    use crate::error::AuthFailure;
    let invalid = || DomainError::Unauthenticated(AuthFailure::InvalidToken);
    let (owner, hash) = parse_opaque("hvi", token).ok_or_else(invalid)?;
    let tenant = TenantId::from_uuid(Uuid::try_parse(&owner).map_err(|_| invalid())?);
    let txn = begin_scoped(db, tenant).await?;
    let row = password_token::Entity::scoped(tenant)
        .filter(password_token::Column::TokenHash.eq(hash))
        .one(&txn)
        .await?
        .ok_or_else(invalid)?;
    if row.used_at.is_some() || row.expires_at <= crate::now() {
        return Err(invalid());
    }
    let account = user::Entity::scoped(tenant)
        .filter(user::Column::Id.eq(row.user_id))
        .one(&txn)
        .await?
        .ok_or_else(invalid)?;
    if account.status == UserStatus::Deactivated.as_str() {
        return Err(invalid());
    }
    passwords::check_policy(&password, &[&account.email, &account.name])?;
    let hashed = hash_off_thread(password).await?;
    let claimed = password_token::Entity::update_many()
        .col_expr(password_token::Column::UsedAt, Expr::value(crate::now()))
        .filter(password_token::Column::TenantId.eq(row.tenant_id))
        .filter(password_token::Column::Id.eq(row.id))
        .filter(password_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if claimed != 1 {
        return Err(invalid());
    }
    let mut model: user::ActiveModel = account.into();
    model.password_hash = Set(Some(hashed));
    model.status = Set(UserStatus::Active.as_str().to_owned());
    model.updated_at = Set(crate::now());
    model.update(&txn).await?;
    audit::record(
        &txn,
        tenant,
        Event::new(
            "user.password_set",
            Actor::user_id(row.user_id),
            Outcome::Success,
        )
        .target("user", row.user_id),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn hash_off_thread(password: SecretString) -> DomainResult<String> {
    tokio::task::spawn_blocking(move || passwords::hash(&password))
        .await
        .map_err(|e| DomainError::Internal(anyhow::anyhow!("hashing task failed: {e}")))?
}

/// Changes the caller's own password and signs out their other sessions.
///
/// # Errors
/// `Unauthenticated(BadCredentials)` when `current` is wrong; `Invalid` for a weak new password.
pub async fn change_own_password(
    db: &DatabaseConnection,
    cache: &Cache,
    scope: &TenantScope,
    current: SecretString,
    new: SecretString,
) -> DomainResult<()> {
    use crate::error::AuthFailure;
    let tenant = scope.tenant_id();
    let me = *scope.user_id().as_uuid();
    let txn = scope.begin(db).await?;
    let account = user::Entity::scoped(tenant)
        .filter(user::Column::Id.eq(me))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let stored = account.password_hash.clone();
    let check = current.clone();
    let ok = tokio::task::spawn_blocking(move || passwords::verify(&check, stored.as_deref()))
        .await
        .unwrap_or(false);
    if !ok {
        return Err(DomainError::Unauthenticated(AuthFailure::BadCredentials));
    }
    passwords::check_policy(&new, &[&account.email, &account.name])?;
    let hashed = hash_off_thread(new).await?;
    let mut model: user::ActiveModel = account.into();
    model.password_hash = Set(Some(hashed));
    model.updated_at = Set(crate::now());
    model.update(&txn).await?;
    let revoked = revoke_user_sessions(&txn, cache, tenant, me, Some(scope.session_id())).await?;
    audit::record(
        &txn,
        tenant,
        Event::new(
            "user.password_changed",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("user", me)
        .details(serde_json::json!({"sessions_revoked": revoked.len()})),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The roles stored on a user row.
#[must_use]
pub fn roles_of(user: &user::Model) -> BTreeSet<Role> {
    decode_roles(&user.roles)
}
