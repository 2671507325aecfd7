//! The demo data set: two tenants in different countries, one user per role in each, and a
//! platform administrator, all with the same documented password, plus each tenant's case
//! work (see [`crate::seed_casework`]) and training work (see [`crate::seed_training`]), and
//! the training library with both organisations' sessions (see [`crate::seed_library`]), the
//! referral directory (see [`crate::seed_directory`]) and referrals in every status, one
//! organisation to the other among them (see [`crate::seed_referrals`]). Safe to run again.

use crate::audit::Actor;
use crate::authz::{Role, encode_roles};
use crate::entities::{platform_admin, tenant, user};
use crate::error::{DomainError, DomainResult};
use crate::ids::TenantId;
use crate::passwords;
use crate::tenancy::begin_scoped;
use crate::tenants::{self, parse_new_tenant};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, Set,
};
use secrecy::SecretString;
use uuid::Uuid;

/// The demo platform administrator's e-mail.
pub const PLATFORM_ADMIN_EMAIL: &str = "platform@haven.example";

/// The demo tenants: slug, name, country, locale, time zone.
pub const DEMO_TENANTS: [(&str, &str, &str, &str, &str); 2] = [
    (
        "demo-be",
        "Demo Shelter Belgium",
        "BE",
        "nl-BE",
        "Europe/Brussels",
    ),
    (
        "demo-ng",
        "Demo Shelter Nigeria",
        "NG",
        "en-NG",
        "Africa/Lagos",
    ),
];

/// The e-mail of the demo user with `role` in tenant `slug`.
#[must_use]
pub fn demo_email(role: Role, slug: &str) -> String {
    format!("{}@{slug}.example", role.as_str())
}

/// What the seed created (zero counts on a second run).
#[derive(Debug, Default)]
pub struct SeedReport {
    pub tenants_created: usize,
    pub users_created: usize,
    pub platform_admin_created: bool,
    pub clients_created: usize,
}

/// Creates whatever part of the demo data set is missing.
///
/// # Errors
/// When the password breaks the policy, or on database errors.
pub async fn seed_demo(
    db: &DatabaseConnection,
    master: &crate::crypto::MasterKey,
    password: &SecretString,
) -> DomainResult<SeedReport> {
    passwords::check_policy(password, &[])?;
    let mut report = SeedReport::default();
    let shared = password.clone();
    let hash = tokio::task::spawn_blocking(move || passwords::hash(&shared))
        .await
        .map_err(|e| DomainError::Internal(anyhow::anyhow!("hashing task failed: {e}")))??;

    for (slug, name, country, locale, zone) in DEMO_TENANTS {
        let existing = tenant::Entity::find()
            .filter(tenant::Column::Slug.eq(slug))
            .one(db)
            .await?;
        let tenant_id = match existing {
            Some(t) => TenantId::from_uuid(t.id),
            None => {
                let admin_email = demo_email(Role::TenantAdmin, slug);
                let new = parse_new_tenant(
                    name,
                    slug,
                    country,
                    locale,
                    zone,
                    &admin_email,
                    "Demo Tenant Admin",
                    password.clone(),
                )?;
                let created = tenants::onboard(db, Actor::system(), new).await?;
                report.tenants_created += 1;
                report.users_created += 1;
                TenantId::from_uuid(created.id)
            }
        };
        let txn = begin_scoped(db, tenant_id).await?;
        for role in Role::ALL {
            let email = demo_email(role, slug);
            let exists = user::Entity::scoped(tenant_id)
                .filter(user::Column::Email.eq(email.clone()))
                .one(&txn)
                .await?
                .is_some();
            if exists {
                continue;
            }
            let now = crate::now();
            user::ActiveModel {
                tenant_id: Set(*tenant_id.as_uuid()),
                id: Set(Uuid::now_v7()),
                email: Set(email),
                name: Set(format!("Demo {}", role.as_str().replace('_', " "))),
                password_hash: Set(Some(hash.clone())),
                roles: Set(encode_roles(&[role].into())),
                status: Set("active".to_owned()),
                created_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
            report.users_created += 1;
        }
        txn.commit().await?;
        report.clients_created +=
            crate::seed_casework::seed_casework(db, master, tenant_id, slug).await?;
        crate::seed_training::seed_training(db, tenant_id, slug, country).await?;
    }

    let admin_exists = platform_admin::Entity::find()
        .filter(platform_admin::Column::Email.eq(PLATFORM_ADMIN_EMAIL))
        .one(db)
        .await?
        .is_some();
    if !admin_exists {
        let now = crate::now();
        platform_admin::ActiveModel {
            id: Set(Uuid::now_v7()),
            email: Set(PLATFORM_ADMIN_EMAIL.to_owned()),
            name: Set("Demo platform administrator".to_owned()),
            password_hash: Set(hash),
            status: Set("active".to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(db)
        .await?;
        report.platform_admin_created = true;
    }
    crate::seed_library::seed_library(db, master).await?;
    crate::seed_directory::seed_directory(db).await?;
    crate::seed_referrals::seed_referrals(db, master).await?;
    Ok(report)
}
