//! Signing in and staying signed in: login, refresh-token rotation with reuse detection,
//! logout, and the check every request's access token goes through.
//!
//! Refresh tokens are opaque (`hvr_<tenant>_<secret>`), stored only as SHA-256 hashes, and
//! rotated on every use. Presenting a spent one revokes its whole family (the session), as it
//! means the token was copied. Whether a user, tenant or session is still allowed is checked on
//! every request through the cache, which status changes clear at once.

use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::{Role, decode_roles};
use crate::cache::Cache;
use crate::entities::{platform_admin, platform_refresh_token, refresh_token, tenant, user};
use crate::error::{AuthFailure, DomainError, DomainResult};
use crate::ids::{TenantId, UserId};
use crate::passwords;
use crate::tenancy::{PlatformContext, Principal, TenantScope, begin_scoped};
use crate::tokens::{ACCESS_TTL, KeyRing, SubjectKind};
use crate::types::{Email, Slug};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration as ChronoDuration, Utc};
use rand::TryRngCore as _;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait as _, DatabaseBackend,
    DatabaseConnection, EntityTrait as _, QueryFilter as _, QuerySelect as _, Set, Statement,
};
use secrecy::SecretString;
use sha2::{Digest as _, Sha256};
use std::collections::BTreeSet;
use std::time::Duration;
use uuid::Uuid;

/// How long one refresh token may wait to be used.
pub const REFRESH_TTL: Duration = Duration::from_secs(14 * 24 * 3600);
/// How long a session lasts at most, however often it is refreshed.
pub const SESSION_TTL: Duration = Duration::from_secs(30 * 24 * 3600);
/// How long a status answer may be served from the cache when nothing clears it.
const STATUS_TTL: Duration = Duration::from_secs(30);
/// Accounts considered per login (an e-mail in more tenants than this must name the tenant).
const MAX_CANDIDATES: u64 = 20;

const PLATFORM_MARK: &str = "platform";

/// What a successful login or refresh hands out.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: u64,
}

fn chrono(d: Duration) -> ChronoDuration {
    ChronoDuration::from_std(d).unwrap_or_else(|_| ChronoDuration::days(1))
}

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn random_secret() -> DomainResult<String> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|_| DomainError::Internal(anyhow::anyhow!("randomness unavailable")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// A new opaque token `<prefix>_<owner>_<secret>` and its stored hash.
pub(crate) fn new_opaque(prefix: &str, owner: &str) -> DomainResult<(String, String)> {
    let token = format!("{prefix}_{owner}_{}", random_secret()?);
    let hash = hash_token(&token);
    Ok((token, hash))
}

/// Reads the owner part of an opaque token and the token's hash.
pub(crate) fn parse_opaque(prefix: &str, token: &str) -> Option<(String, String)> {
    let rest = token.strip_prefix(prefix)?.strip_prefix('_')?;
    let (owner, secret) = rest.split_once('_')?;
    if secret.len() < 40 || token.len() > 200 {
        return None;
    }
    Some((owner.to_owned(), hash_token(token)))
}

/// A candidate account for a login.
enum Candidate {
    User {
        tenant: Box<tenant::Model>,
        user: Box<user::Model>,
    },
    Admin(platform_admin::Model),
}

impl Candidate {
    fn password_hash(&self) -> Option<&str> {
        match self {
            Candidate::User { user, .. } => user.password_hash.as_deref(),
            Candidate::Admin(admin) => Some(&admin.password_hash),
        }
    }
}

/// The accounts an e-mail address has, in every tenant (or the named one) and on the platform.
///
/// This is the one query that reads users without a tenant: on PostgreSQL it runs under the
/// `login_lookup` policy, which shows only rows with exactly this address.
async fn login_candidates(
    db: &DatabaseConnection,
    email: &Email,
    slug: Option<&Slug>,
) -> DomainResult<Vec<Candidate>> {
    let mut candidates = Vec::new();
    if let Some(slug) = slug {
        let Some(tenant) = tenant::Entity::find()
            .filter(tenant::Column::Slug.eq(slug.as_str()))
            .one(db)
            .await?
        else {
            return Ok(candidates);
        };
        let tenant_id = TenantId::from_uuid(tenant.id);
        let txn = begin_scoped(db, tenant_id).await?;
        let found = user::Entity::scoped(tenant_id)
            .filter(user::Column::Email.eq(email.as_str()))
            .one(&txn)
            .await?;
        txn.commit().await?;
        if let Some(user) = found {
            candidates.push(Candidate::User {
                tenant: Box::new(tenant),
                user: Box::new(user),
            });
        }
        return Ok(candidates);
    }

    let txn = crate::tenancy::begin(db).await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT set_config('app.login_email', $1, true)",
            [email.as_str().into()],
        ))
        .await?;
    }
    let users = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .limit(MAX_CANDIDATES)
        .all(&txn)
        .await?;
    txn.commit().await?;
    for user in users {
        if let Some(tenant) = tenant::Entity::find_by_id(user.tenant_id).one(db).await? {
            candidates.push(Candidate::User {
                tenant: Box::new(tenant),
                user: Box::new(user),
            });
        }
    }
    if let Some(admin) = platform_admin::Entity::find()
        .filter(platform_admin::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
    {
        candidates.push(Candidate::Admin(admin));
    }
    Ok(candidates)
}

async fn verify_password(password: &SecretString, hash: Option<String>) -> bool {
    let password = password.clone();
    tokio::task::spawn_blocking(move || passwords::verify(&password, hash.as_deref()))
        .await
        .unwrap_or(false)
}

/// Signs in with e-mail and password, in the tenant named by `tenant_slug` when given.
///
/// Unknown addresses and wrong passwords fail the same way and take as long.
///
/// # Errors
/// `Unauthenticated(BadCredentials)`, `Unauthenticated(Inactive)`, or `Conflict
/// tenant_required` when the address and password fit accounts in several tenants.
pub async fn login(
    db: &DatabaseConnection,
    keys: &KeyRing,
    email: &str,
    password: &SecretString,
    tenant_slug: Option<&str>,
) -> DomainResult<Tokens> {
    let email = Email::parse("email", email).ok();
    let slug = tenant_slug.map(|raw| Slug::parse("tenant", raw).ok());
    let candidates = match (&email, &slug) {
        (Some(email), None) => login_candidates(db, email, None).await?,
        (Some(email), Some(Some(slug))) => login_candidates(db, email, Some(slug)).await?,
        _ => Vec::new(),
    };
    if candidates.is_empty() {
        // Spend the same time as a real check.
        verify_password(password, None).await;
        return Err(DomainError::Unauthenticated(AuthFailure::BadCredentials));
    }
    let mut matching = Vec::new();
    for candidate in candidates {
        let hash = candidate.password_hash().map(str::to_owned);
        if verify_password(password, hash).await {
            matching.push(candidate);
        } else if let Candidate::User { tenant, user } = &candidate {
            let event = Event::new("auth.login", Actor::anonymous(), Outcome::Failure)
                .target("user", user.id)
                .details(serde_json::json!({"reason": "bad_credentials"}));
            audit::record_alone(db, TenantId::from_uuid(tenant.id), event).await?;
        }
    }
    match matching.len() {
        0 => Err(DomainError::Unauthenticated(AuthFailure::BadCredentials)),
        1 => {
            let Some(candidate) = matching.pop() else {
                return Err(DomainError::Unauthenticated(AuthFailure::BadCredentials));
            };
            start_session(db, keys, candidate).await
        }
        _ => {
            let mut slugs: Vec<String> = matching
                .iter()
                .map(|c| match c {
                    Candidate::User { tenant, .. } => tenant.slug.clone(),
                    Candidate::Admin(_) => PLATFORM_MARK.to_owned(),
                })
                .collect();
            slugs.sort();
            Err(DomainError::TenantRequired(slugs))
        }
    }
}

async fn start_session(
    db: &DatabaseConnection,
    keys: &KeyRing,
    candidate: Candidate,
) -> DomainResult<Tokens> {
    let family = Uuid::now_v7();
    let now = crate::now();
    match candidate {
        Candidate::User { tenant, user } => {
            let tenant_id = TenantId::from_uuid(tenant.id);
            if tenant.status != "active" || user.status != "active" {
                let event = Event::new("auth.login", Actor::user_id(user.id), Outcome::Denied)
                    .target("user", user.id)
                    .details(serde_json::json!({"reason": "inactive"}));
                audit::record_alone(db, tenant_id, event).await?;
                return Err(DomainError::Unauthenticated(AuthFailure::Inactive));
            }
            let txn = begin_scoped(db, tenant_id).await?;
            let refresh =
                insert_user_refresh(&txn, tenant_id, user.id, family, now + chrono(SESSION_TTL))
                    .await?;
            let event = Event::new("auth.login", Actor::user_id(user.id), Outcome::Success)
                .target("user", user.id)
                .details(serde_json::json!({"session": family}));
            audit::record(&txn, tenant_id, event).await?;
            txn.commit().await?;
            let roles = decode_roles(&user.roles)
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect();
            let (access, _) =
                keys.issue(SubjectKind::User, user.id, Some(tenant.id), roles, family)?;
            Ok(Tokens {
                access_token: access,
                refresh_token: refresh,
                expires_in: ACCESS_TTL.as_secs(),
            })
        }
        Candidate::Admin(admin) => {
            if admin.status != "active" {
                return Err(DomainError::Unauthenticated(AuthFailure::Inactive));
            }
            let refresh =
                insert_platform_refresh(db, admin.id, family, now + chrono(SESSION_TTL)).await?;
            tracing::info!(admin_id = %admin.id, session = %family, "platform administrator signed in");
            let (access, _) = keys.issue(
                SubjectKind::PlatformAdmin,
                admin.id,
                None,
                Vec::new(),
                family,
            )?;
            Ok(Tokens {
                access_token: access,
                refresh_token: refresh,
                expires_in: ACCESS_TTL.as_secs(),
            })
        }
    }
}

async fn insert_user_refresh<C: sea_orm::ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    user_id: Uuid,
    family: Uuid,
    family_expires_at: chrono::DateTime<Utc>,
) -> DomainResult<String> {
    let (token, hash) = new_opaque("hvr", &tenant.as_uuid().simple().to_string())?;
    let now = crate::now();
    refresh_token::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(Uuid::now_v7()),
        family_id: Set(family),
        user_id: Set(user_id),
        token_hash: Set(hash),
        issued_at: Set(now),
        expires_at: Set((now + chrono(REFRESH_TTL)).min(family_expires_at)),
        family_expires_at: Set(family_expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(token)
}

async fn insert_platform_refresh<C: sea_orm::ConnectionTrait>(
    conn: &C,
    admin_id: Uuid,
    family: Uuid,
    family_expires_at: chrono::DateTime<Utc>,
) -> DomainResult<String> {
    let (token, hash) = new_opaque("hvr", PLATFORM_MARK)?;
    let now = crate::now();
    platform_refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        family_id: Set(family),
        admin_id: Set(admin_id),
        token_hash: Set(hash),
        issued_at: Set(now),
        expires_at: Set((now + chrono(REFRESH_TTL)).min(family_expires_at)),
        family_expires_at: Set(family_expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(token)
}

fn invalid() -> DomainError {
    DomainError::Unauthenticated(AuthFailure::InvalidToken)
}

/// Trades a refresh token for a new pair. A token that was already used revokes its session.
///
/// # Errors
/// `Unauthenticated` when the token is unknown, expired, revoked or reused, or its account is
/// no longer active.
pub async fn refresh(
    db: &DatabaseConnection,
    cache: &Cache,
    keys: &KeyRing,
    token: &str,
) -> DomainResult<Tokens> {
    let (owner, hash) = parse_opaque("hvr", token).ok_or_else(invalid)?;
    if owner == PLATFORM_MARK {
        return refresh_platform(db, cache, keys, &hash).await;
    }
    let tenant_id = TenantId::from_uuid(Uuid::try_parse(&owner).map_err(|_| invalid())?);
    let txn = begin_scoped(db, tenant_id).await?;
    let Some(row) = refresh_token::Entity::scoped(tenant_id)
        .filter(refresh_token::Column::TokenHash.eq(hash))
        .one(&txn)
        .await?
    else {
        return Err(invalid());
    };
    if row.revoked_at.is_some() {
        return Err(invalid());
    }
    let now = crate::now();
    let claimed = if row.used_at.is_none() {
        refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
            .filter(refresh_token::Column::TenantId.eq(row.tenant_id))
            .filter(refresh_token::Column::Id.eq(row.id))
            .filter(refresh_token::Column::UsedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected
            == 1
    } else {
        false
    };
    if !claimed {
        // A spent token came back: whoever holds the family is not to be trusted.
        revoke_user_family(&txn, tenant_id, row.family_id).await?;
        let event = Event::new(
            "auth.session_revoked",
            Actor::user_id(row.user_id),
            Outcome::Denied,
        )
        .target("user", row.user_id)
        .details(serde_json::json!({"session": row.family_id, "reason": "refresh_token_reused"}));
        audit::record(&txn, tenant_id, event).await?;
        txn.commit().await?;
        mark_session_revoked(cache, row.family_id).await;
        return Err(DomainError::Unauthenticated(AuthFailure::TokenReused));
    }
    if row.expires_at <= now || row.family_expires_at <= now {
        txn.commit().await?;
        return Err(DomainError::Unauthenticated(AuthFailure::ExpiredToken));
    }
    let account = user::Entity::scoped(tenant_id)
        .filter(user::Column::Id.eq(row.user_id))
        .one(&txn)
        .await?;
    let tenant = tenant::Entity::find_by_id(row.tenant_id).one(&txn).await?;
    let (Some(account), Some(tenant)) = (account, tenant) else {
        return Err(invalid());
    };
    if account.status != "active" || tenant.status != "active" {
        return Err(DomainError::Unauthenticated(AuthFailure::Inactive));
    }
    let refresh = insert_user_refresh(
        &txn,
        tenant_id,
        account.id,
        row.family_id,
        row.family_expires_at,
    )
    .await?;
    txn.commit().await?;
    let roles = decode_roles(&account.roles)
        .iter()
        .map(|r| r.as_str().to_owned())
        .collect();
    let (access, _) = keys.issue(
        SubjectKind::User,
        account.id,
        Some(tenant.id),
        roles,
        row.family_id,
    )?;
    Ok(Tokens {
        access_token: access,
        refresh_token: refresh,
        expires_in: ACCESS_TTL.as_secs(),
    })
}

async fn refresh_platform(
    db: &DatabaseConnection,
    cache: &Cache,
    keys: &KeyRing,
    hash: &str,
) -> DomainResult<Tokens> {
    let txn = crate::tenancy::begin(db).await?;
    let Some(row) = platform_refresh_token::Entity::find()
        .filter(platform_refresh_token::Column::TokenHash.eq(hash))
        .one(&txn)
        .await?
    else {
        return Err(invalid());
    };
    if row.revoked_at.is_some() {
        return Err(invalid());
    }
    let now = crate::now();
    let claimed = row.used_at.is_none()
        && platform_refresh_token::Entity::update_many()
            .col_expr(platform_refresh_token::Column::UsedAt, Expr::value(now))
            .filter(platform_refresh_token::Column::Id.eq(row.id))
            .filter(platform_refresh_token::Column::UsedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
    if !claimed {
        platform_refresh_token::Entity::update_many()
            .col_expr(platform_refresh_token::Column::RevokedAt, Expr::value(now))
            .filter(platform_refresh_token::Column::FamilyId.eq(row.family_id))
            .filter(platform_refresh_token::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        txn.commit().await?;
        mark_session_revoked(cache, row.family_id).await;
        tracing::warn!(admin_id = %row.admin_id, session = %row.family_id, "platform refresh token reused; session revoked");
        return Err(DomainError::Unauthenticated(AuthFailure::TokenReused));
    }
    if row.expires_at <= now || row.family_expires_at <= now {
        txn.commit().await?;
        return Err(DomainError::Unauthenticated(AuthFailure::ExpiredToken));
    }
    let admin = platform_admin::Entity::find_by_id(row.admin_id)
        .one(&txn)
        .await?
        .filter(|a| a.status == "active")
        .ok_or(DomainError::Unauthenticated(AuthFailure::Inactive))?;
    let refresh =
        insert_platform_refresh(&txn, admin.id, row.family_id, row.family_expires_at).await?;
    txn.commit().await?;
    let (access, _) = keys.issue(
        SubjectKind::PlatformAdmin,
        admin.id,
        None,
        Vec::new(),
        row.family_id,
    )?;
    Ok(Tokens {
        access_token: access,
        refresh_token: refresh,
        expires_in: ACCESS_TTL.as_secs(),
    })
}

async fn revoke_user_family<C: sea_orm::ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    family: Uuid,
) -> DomainResult<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(crate::now()))
        .filter(refresh_token::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(refresh_token::Column::FamilyId.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

fn revoked_key(session: Uuid) -> String {
    format!("auth:revoked-session:{session}")
}

fn session_key(session: Uuid) -> String {
    format!("auth:session:{session}")
}

fn user_status_key(tenant: Uuid, user: Uuid) -> String {
    format!("auth:user:{tenant}:{user}")
}

fn tenant_status_key(tenant: Uuid) -> String {
    format!("auth:tenant:{tenant}")
}

fn admin_status_key(admin: Uuid) -> String {
    format!("auth:platform-admin:{admin}")
}

/// Remembers that access tokens of `session` are void for as long as any can live.
pub(crate) async fn mark_session_revoked(cache: &Cache, session: Uuid) {
    if let Err(err) = cache
        .set(
            &revoked_key(session),
            b"1",
            ACCESS_TTL + Duration::from_secs(60),
        )
        .await
    {
        tracing::error!(error = %err, "cannot record a revoked session in the cache");
    }
}

/// Forgets cached status so the next request reads it afresh.
pub(crate) async fn forget_user_status(cache: &Cache, tenant: TenantId, user: UserId) {
    let _ = cache
        .delete(&user_status_key(*tenant.as_uuid(), *user.as_uuid()))
        .await;
}

/// Forgets the cached status of a tenant.
pub(crate) async fn forget_tenant_status(cache: &Cache, tenant: TenantId) {
    let _ = cache.delete(&tenant_status_key(*tenant.as_uuid())).await;
}

/// Ends the session of `principal`: its refresh tokens are revoked and its access tokens
/// refused from now on.
///
/// # Errors
/// Any database error.
pub async fn logout(
    db: &DatabaseConnection,
    cache: &Cache,
    principal: &Principal,
) -> DomainResult<()> {
    match principal {
        Principal::User(scope) => {
            let txn = scope.begin(db).await?;
            revoke_user_family(&txn, scope.tenant_id(), scope.session_id()).await?;
            let event = Event::new("auth.logout", Actor::user(scope), Outcome::Success)
                .details(serde_json::json!({"session": scope.session_id()}));
            audit::record(&txn, scope.tenant_id(), event).await?;
            txn.commit().await?;
            mark_session_revoked(cache, scope.session_id()).await;
        }
        Principal::PlatformAdmin(ctx) => {
            platform_refresh_token::Entity::update_many()
                .col_expr(
                    platform_refresh_token::Column::RevokedAt,
                    Expr::value(crate::now()),
                )
                .filter(platform_refresh_token::Column::FamilyId.eq(ctx.session_id()))
                .filter(platform_refresh_token::Column::RevokedAt.is_null())
                .exec(db)
                .await?;
            mark_session_revoked(cache, ctx.session_id()).await;
        }
    }
    Ok(())
}

/// Revokes every session of a user except `keep` (their current one, if any).
///
/// # Errors
/// Any database error.
pub(crate) async fn revoke_user_sessions<C: sea_orm::ConnectionTrait>(
    conn: &C,
    cache: &Cache,
    tenant: TenantId,
    user_id: Uuid,
    keep: Option<Uuid>,
) -> DomainResult<Vec<Uuid>> {
    let mut query = refresh_token::Entity::scoped(tenant)
        .select_only()
        .column(refresh_token::Column::FamilyId)
        .distinct()
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        query = query.filter(refresh_token::Column::FamilyId.ne(keep));
    }
    let families: Vec<Uuid> = query.into_tuple().all(conn).await?;
    for family in &families {
        revoke_user_family(conn, tenant, *family).await?;
        mark_session_revoked(cache, *family).await;
    }
    Ok(families)
}

/// Whose rate-limit counters a request counts, as its verified token names them.
#[derive(Clone, Copy, Debug)]
pub enum Subject {
    User { tenant: TenantId, user: UserId },
    PlatformAdmin(Uuid),
}

/// Rate-limit counters that [`authenticate_metered`] adds one to in the same cache round trip
/// as its own look-ups.
pub struct Meter<'a> {
    /// The counter keys of a subject.
    pub counters: &'a (dyn Fn(Subject) -> Vec<String> + Sync),
    /// The window every counter counts over.
    pub window: Duration,
}

/// What [`authenticate_metered`] counted: each counter's new count and the time until its
/// window resets, in the order the meter named them; `None` when the cache could not count.
pub type Counts = Option<Vec<(u64, Duration)>>;

/// Checks an access token and whether its user, tenant and session are still allowed.
///
/// # Errors
/// `Unauthenticated` with the reason.
pub async fn authenticate(
    db: &DatabaseConnection,
    cache: &Cache,
    keys: &KeyRing,
    token: &str,
) -> DomainResult<Principal> {
    Ok(authenticate_with(db, cache, keys, token, None).await?.0)
}

/// [`authenticate`], counting the subject's rate-limit counters in the same round trip to the
/// cache as the session and status look-ups. The counters of a token that verifies are counted
/// even when its session or account turns out to be closed.
///
/// # Errors
/// `Unauthenticated` with the reason.
pub async fn authenticate_metered(
    db: &DatabaseConnection,
    cache: &Cache,
    keys: &KeyRing,
    token: &str,
    meter: &Meter<'_>,
) -> DomainResult<(Principal, Counts)> {
    authenticate_with(db, cache, keys, token, Some(meter)).await
}

async fn authenticate_with(
    db: &DatabaseConnection,
    cache: &Cache,
    keys: &KeyRing,
    token: &str,
    meter: Option<&Meter<'_>>,
) -> DomainResult<(Principal, Counts)> {
    let claims = keys
        .verify(token)
        .await
        .map_err(DomainError::Unauthenticated)?;
    // Everything the cache may know of this session and its subject, in one round trip.
    let (subject, subject_key) = match (claims.kind, claims.tid) {
        (SubjectKind::User, Some(tid)) => (
            Subject::User {
                tenant: TenantId::from_uuid(tid),
                user: UserId::from_uuid(claims.sub),
            },
            vec![tenant_status_key(tid), user_status_key(tid, claims.sub)],
        ),
        (SubjectKind::User, None) => return Err(invalid()),
        (SubjectKind::PlatformAdmin, _) => (
            Subject::PlatformAdmin(claims.sub),
            vec![admin_status_key(claims.sub)],
        ),
    };
    let mut wanted = vec![revoked_key(claims.sid), session_key(claims.sid)];
    wanted.extend(subject_key);
    let (counters, window) = meter.map_or((Vec::new(), Duration::ZERO), |m| {
        ((m.counters)(subject), m.window)
    });
    let mut counts: Counts = None;
    let known: Vec<Option<String>> = match cache
        .get_many_and_count(&wanted, &counters, window)
        .await
    {
        Ok((values, counted)) => {
            counts = Some(counted);
            let known: Vec<Option<String>> = values
                .into_iter()
                .map(|v| v.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
                .collect();
            if known.first().is_some_and(Option::is_some) {
                return Err(invalid());
            }
            known
        }
        Err(err) => {
            // Without the cache, ask the database whether the session was revoked.
            if !err.is_paused() {
                tracing::warn!(error = %err, "cache unavailable; checking the session in the database");
            }
            if session_revoked_in_db(db, &claims).await? {
                return Err(invalid());
            }
            // The database has just said the session is live; the rest is loaded below.
            let mut known = vec![None; wanted.len()];
            known[1] = Some("live".to_owned());
            known
        }
    };
    // Past the revocation check: the session's state, then the subject's.
    let mut known = known.into_iter().skip(1);
    // A cache that lost its data (a restart without persistence) must not forget a sign-out: a
    // session counts as live only after a recent look at the database.
    let session = known_or_load(cache, &wanted[1], known.next().flatten(), || async {
        let revoked = session_revoked_in_db(db, &claims).await?;
        Ok(Some(if revoked { "revoked" } else { "live" }.to_owned()))
    })
    .await?;
    if session.as_deref() != Some("live") {
        return Err(invalid());
    }
    match claims.kind {
        SubjectKind::User => {
            let tenant_uuid = claims.tid.ok_or_else(invalid)?;
            let tenant_id = TenantId::from_uuid(tenant_uuid);
            let tenant_ok = known_or_load(cache, &wanted[2], known.next().flatten(), || async {
                Ok(tenant::Entity::find_by_id(tenant_uuid)
                    .one(db)
                    .await?
                    .map(|t| t.status))
            })
            .await?;
            if tenant_ok.as_deref() != Some("active") {
                return Err(DomainError::Unauthenticated(AuthFailure::Inactive));
            }
            let state = known_or_load(cache, &wanted[3], known.next().flatten(), || async {
                let txn = begin_scoped(db, tenant_id).await?;
                let found = user::Entity::scoped(tenant_id)
                    .filter(user::Column::Id.eq(claims.sub))
                    .one(&txn)
                    .await?;
                txn.commit().await?;
                Ok(found.map(|u| format!("{}:{}", u.status, u.roles)))
            })
            .await?;
            let Some((status, roles)) = state.as_deref().and_then(|s| s.split_once(':')) else {
                return Err(invalid());
            };
            if status != "active" {
                return Err(DomainError::Unauthenticated(AuthFailure::Inactive));
            }
            // Roles come from the account as it is now, not as it was when the token was made.
            let roles: BTreeSet<Role> = decode_roles(roles);
            Ok((
                Principal::User(TenantScope::new(
                    tenant_id,
                    UserId::from_uuid(claims.sub),
                    claims.sid,
                    roles,
                )),
                counts,
            ))
        }
        SubjectKind::PlatformAdmin => {
            let status = known_or_load(cache, &wanted[2], known.next().flatten(), || async {
                Ok(platform_admin::Entity::find_by_id(claims.sub)
                    .one(db)
                    .await?
                    .map(|a| a.status))
            })
            .await?;
            if status.as_deref() != Some("active") {
                return Err(DomainError::Unauthenticated(AuthFailure::Inactive));
            }
            Ok((
                Principal::PlatformAdmin(PlatformContext::new(claims.sub, claims.sid)),
                counts,
            ))
        }
    }
}

async fn session_revoked_in_db(
    db: &DatabaseConnection,
    claims: &crate::tokens::AccessClaims,
) -> DomainResult<bool> {
    match claims.tid {
        Some(tid) => {
            let tenant = TenantId::from_uuid(tid);
            let txn = begin_scoped(db, tenant).await?;
            let revoked = refresh_token::Entity::scoped(tenant)
                .filter(refresh_token::Column::FamilyId.eq(claims.sid))
                .filter(refresh_token::Column::RevokedAt.is_not_null())
                .one(&txn)
                .await?
                .is_some();
            txn.commit().await?;
            Ok(revoked)
        }
        None => Ok(platform_refresh_token::Entity::find()
            .filter(platform_refresh_token::Column::FamilyId.eq(claims.sid))
            .filter(platform_refresh_token::Column::RevokedAt.is_not_null())
            .one(db)
            .await?
            .is_some()),
    }
}

/// `known` (what the cache held at `key`), or else what `load` finds, kept in the cache for a
/// short while.
async fn known_or_load<F, Fut>(
    cache: &Cache,
    key: &str,
    known: Option<String>,
    load: F,
) -> DomainResult<Option<String>>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = DomainResult<Option<String>>>,
{
    if let Some(value) = known {
        return Ok(Some(value));
    }
    let value = load().await?;
    if let Some(value) = &value {
        let _ = cache.set(key, value.as_bytes(), STATUS_TTL).await;
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opaque_tokens_carry_their_owner_and_hash_consistently() {
        let (token, hash) = new_opaque("hvr", "platform").unwrap();
        let (owner, parsed_hash) = parse_opaque("hvr", &token).unwrap();
        assert_eq!(owner, "platform");
        assert_eq!(parsed_hash, hash);
        assert!(parse_opaque("hvr", "hvr_platform_short").is_none());
        assert!(parse_opaque("hvi", &token).is_none());
    }
}
