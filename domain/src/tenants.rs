//! Onboarding and suspending tenants: platform operators' work. Nothing here reads a tenant's
//! clients or cases; onboarding writes the tenant and its first administrator only.

use crate::audit::{self, Actor, Event, Outcome};
use crate::auth::forget_tenant_status;
use crate::authz::{Role, encode_roles};
use crate::cache::Cache;
use crate::entities::{tenant, user};
use crate::error::{DomainError, DomainResult, Validator};
use crate::ids::TenantId;
use crate::passwords;
use crate::tenancy::{PlatformContext, bind_tenant};
use crate::types::{CountryCode, DisplayName, Email, Locale, Slug, TimeZone};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};
use secrecy::SecretString;
use uuid::Uuid;

/// The organisation's time zone (UTC when it names none Haven knows). Its calendar is the one
/// dates mean: a deadline or a hearing "on the 12th" is on the 12th where the organisation works.
///
/// # Errors
/// Database errors.
pub(crate) async fn zone<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
) -> DomainResult<chrono_tz::Tz> {
    Ok(tenant::Entity::find_by_id(*tenant.as_uuid())
        .one(conn)
        .await?
        .and_then(|t| t.time_zone.parse::<chrono_tz::Tz>().ok())
        .unwrap_or(chrono_tz::UTC))
}

/// The organisation's calendar date at `at` (see [`zone`]).
///
/// # Errors
/// Database errors.
pub(crate) async fn date_at<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    at: DateTime<Utc>,
) -> DomainResult<NaiveDate> {
    Ok(at.with_timezone(&zone(conn, tenant).await?).date_naive())
}

/// Tenant status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TenantStatus {
    Active,
    Suspended,
}

impl TenantStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TenantStatus::Active => "active",
            TenantStatus::Suspended => "suspended",
        }
    }
}

/// A validated onboarding request.
pub struct NewTenant {
    pub name: DisplayName,
    pub slug: Slug,
    pub country: CountryCode,
    pub default_locale: Locale,
    pub time_zone: TimeZone,
    pub admin_email: Email,
    pub admin_name: DisplayName,
    pub admin_password: SecretString,
}

/// Parses an onboarding request, listing every invalid field at once.
///
/// # Errors
/// [`DomainError::Invalid`] listing each bad field.
#[allow(clippy::too_many_arguments)]
pub fn parse_new_tenant(
    name: &str,
    slug: &str,
    country: &str,
    default_locale: &str,
    time_zone: &str,
    admin_email: &str,
    admin_name: &str,
    admin_password: SecretString,
) -> DomainResult<NewTenant> {
    let mut v = Validator::default();
    let parsed = (
        v.take(DisplayName::parse("name", name)),
        v.take(Slug::parse("slug", slug)),
        v.take(CountryCode::parse("country", country)),
        v.take(Locale::parse("default_locale", default_locale)),
        v.take(TimeZone::parse("time_zone", time_zone)),
        v.take(Email::parse("admin.email", admin_email)),
        v.take(DisplayName::parse("admin.name", admin_name)),
    );
    if let Err(DomainError::Invalid(list)) =
        passwords::check_policy(&admin_password, &[admin_email, admin_name, slug])
    {
        for invalid in list {
            v.note("admin.password", invalid.message);
        }
    }
    v.finish()?;
    match parsed {
        (
            Some(name),
            Some(slug),
            Some(country),
            Some(default_locale),
            Some(time_zone),
            Some(admin_email),
            Some(admin_name),
        ) => Ok(NewTenant {
            name,
            slug,
            country,
            default_locale,
            time_zone,
            admin_email,
            admin_name,
            admin_password,
        }),
        _ => Err(DomainError::Internal(anyhow::anyhow!(
            "validation passed with a missing value"
        ))),
    }
}

/// Creates a tenant and its first `tenant_admin`, in one transaction.
///
/// # Errors
/// `Conflict slug_taken` when the slug is in use; database errors.
pub async fn onboard(
    db: &DatabaseConnection,
    actor: Actor,
    new: NewTenant,
) -> DomainResult<tenant::Model> {
    if tenant::Entity::find()
        .filter(tenant::Column::Slug.eq(new.slug.as_str()))
        .one(db)
        .await?
        .is_some()
    {
        return Err(DomainError::conflict(
            "slug_taken",
            "Another tenant already uses this slug.",
        ));
    }
    let password = new.admin_password.clone();
    let hash = tokio::task::spawn_blocking(move || passwords::hash(&password))
        .await
        .map_err(|e| DomainError::Internal(anyhow::anyhow!("hashing task failed: {e}")))??;
    let now = crate::now();
    let tenant_id = TenantId::new();
    let admin_id = Uuid::now_v7();
    let txn = crate::tenancy::begin(db).await?;
    let created = tenant::ActiveModel {
        id: Set(*tenant_id.as_uuid()),
        name: Set(new.name.into_inner()),
        slug: Set(new.slug.into_inner()),
        country: Set(new.country.into_inner()),
        default_locale: Set(new.default_locale.into_inner()),
        time_zone: Set(new.time_zone.into_inner()),
        status: Set(TenantStatus::Active.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            DomainError::conflict("slug_taken", "Another tenant already uses this slug.")
        }
        _ => DomainError::Db(e),
    })?;
    bind_tenant(&txn, tenant_id).await?;
    user::ActiveModel {
        tenant_id: Set(*tenant_id.as_uuid()),
        id: Set(admin_id),
        email: Set(new.admin_email.into_inner()),
        name: Set(new.admin_name.into_inner()),
        password_hash: Set(Some(hash)),
        roles: Set(encode_roles(&[Role::TenantAdmin].into())),
        status: Set("active".to_owned()),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        tenant_id,
        Event::new("tenant.onboarded", actor, Outcome::Success)
            .target("tenant", *tenant_id.as_uuid())
            .details(serde_json::json!({"first_admin": admin_id})),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Tenants in slug order after `after` (a slug), at most `limit`.
///
/// # Errors
/// Database errors.
pub async fn list(
    db: &DatabaseConnection,
    _ctx: &PlatformContext,
    after: Option<&str>,
    limit: u64,
) -> DomainResult<Vec<tenant::Model>> {
    let mut query = tenant::Entity::find().order_by_asc(tenant::Column::Slug);
    if let Some(after) = after {
        query = query.filter(tenant::Column::Slug.gt(after));
    }
    Ok(query.limit(limit).all(db).await?)
}

/// One tenant.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn get(db: &DatabaseConnection, id: Uuid) -> DomainResult<tenant::Model> {
    tenant::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}

/// Changes to a tenant.
#[derive(Default)]
pub struct TenantPatch {
    pub name: Option<DisplayName>,
    pub default_locale: Option<Locale>,
    pub time_zone: Option<TimeZone>,
    pub status: Option<TenantStatus>,
}

/// The version tag of a tenant, for `ETag` and `If-Match`.
#[must_use]
pub fn etag(row: &tenant::Model) -> String {
    format!("\"{}\"", row.updated_at.timestamp_micros())
}

/// Applies `patch` if `if_match` names the tenant's current version; suspending locks the
/// tenant's users out at once.
///
/// # Errors
/// `NotFound`; `PreconditionRequired`/`PreconditionFailed`; database errors.
pub async fn update(
    db: &DatabaseConnection,
    cache: &Cache,
    ctx: &PlatformContext,
    id: Uuid,
    patch: TenantPatch,
    if_match: Option<&str>,
) -> DomainResult<tenant::Model> {
    let txn = crate::tenancy::begin(db).await?;
    // Locked, so a concurrent change cannot pass the same version check.
    let current = tenant::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    crate::access::check_version(if_match, &etag(&current))?;
    let tenant_id = TenantId::from_uuid(id);
    let previous_status = current.status.clone();
    let mut model: tenant::ActiveModel = current.into();
    if let Some(name) = patch.name {
        model.name = Set(name.into_inner());
    }
    if let Some(locale) = patch.default_locale {
        model.default_locale = Set(locale.into_inner());
    }
    if let Some(zone) = patch.time_zone {
        model.time_zone = Set(zone.into_inner());
    }
    let status_change = patch
        .status
        .filter(|s| s.as_str() != previous_status)
        .map(|s| s.as_str());
    if let Some(status) = status_change {
        model.status = Set(status.to_owned());
    }
    model.updated_at = Set(crate::now());
    let updated = model.update(&txn).await?;
    bind_tenant(&txn, tenant_id).await?;
    let action = match status_change {
        Some("suspended") => "tenant.suspended",
        Some(_) => "tenant.reactivated",
        None => "tenant.updated",
    };
    audit::record(
        &txn,
        tenant_id,
        Event::new(action, Actor::platform(ctx), Outcome::Success).target("tenant", id),
    )
    .await?;
    txn.commit().await?;
    forget_tenant_status(cache, tenant_id).await;
    Ok(updated)
}
