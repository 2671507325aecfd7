//! A synthetic data set for load tests and benchmarks: any number of fictitious organisations,
//! each with case workers, two shelters with rooms and beds, three private partner
//! organisations in its referral directory, and any number of clients with their case, stage
//! history, placements, service-log entries and — for some — a consent to share and a referral
//! in every status. Identities are sealed with
//! a data key per client and indexed like those the API registers; rows are written in bulk,
//! a batch per transaction, with the CPU work of the next batch done beside the insert of the
//! current one.

mod rows;

use crate::authz::{Role, encode_roles};
use crate::cache::{Cache, MemoryCache};
use crate::crypto::MasterKey;
use crate::directory::model::EntryFields;
use crate::entities::{
    case, case_code_counter, case_member, case_transition, client, client_key, client_name_index,
    consent, placement, referral, service_entry, tenant, user,
};
use crate::error::{DomainError, DomainResult};
use crate::ids::{RoomId, ShelterId, TenantId, UserId};
use crate::tenancy::{TenantScope, begin_scoped};
use crate::vocab::{
    DirectoryServiceType, Gender, PartnerOrganisationType, ServiceArea, Visibility,
};
use crate::{audit::Actor, passwords, shelters, tenants};
use chrono::Datelike as _;
use rows::{Rows, build};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, Set,
};
use secrecy::SecretString;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use uuid::Uuid;

/// Clients written per transaction.
const BATCH: usize = 500;
const COUNTRIES: [(&str, &str, &str); 4] = [
    ("BE", "nl-BE", "Europe/Brussels"),
    ("NG", "en-NG", "Africa/Lagos"),
    ("NL", "nl-NL", "Europe/Amsterdam"),
    ("RO", "ro-RO", "Europe/Bucharest"),
];
/// What to generate.
pub struct Plan {
    pub tenants: usize,
    pub clients_per_tenant: usize,
    /// Password of every generated account (`admin@synth-00001.example`, …).
    pub password: SecretString,
}

/// What was generated.
#[derive(Debug, Default, Clone, Copy)]
pub struct Report {
    pub tenants_created: usize,
    pub tenants_skipped: usize,
    pub clients_created: u64,
    pub interrupted: bool,
}

/// The slug of the `n`-th synthetic organisation (from 1).
#[must_use]
pub fn slug(n: usize) -> String {
    format!("synth-{n:05}")
}

/// Generates the plan's organisations that do not exist yet. `progress` is told how many
/// clients each written batch held; once `stop` is set, the run ends after the current batch
/// (every batch is its own transaction, so nothing is left half written).
///
/// # Errors
/// A password that breaks the policy; database errors.
pub async fn seed_synthetic(
    db: &DatabaseConnection,
    master: Arc<MasterKey>,
    plan: &Plan,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
) -> DomainResult<Report> {
    passwords::check_policy(&plan.password, &[])?;
    let shared = plan.password.clone();
    let hash = tokio::task::spawn_blocking(move || passwords::hash(&shared))
        .await
        .map_err(|e| DomainError::Internal(anyhow::anyhow!("hashing task failed: {e}")))??;
    let mut report = Report::default();
    for n in 1..=plan.tenants {
        if stop.load(Ordering::Relaxed) {
            report.interrupted = true;
            break;
        }
        let slug = slug(n);
        if tenant::Entity::find()
            .filter(tenant::Column::Slug.eq(slug.as_str()))
            .one(db)
            .await?
            .is_some()
        {
            report.tenants_skipped += 1;
            progress(plan.clients_per_tenant as u64);
            continue;
        }
        let ground = furnish(db, &master, plan, n, &slug, &hash).await?;
        report.tenants_created += 1;
        let mut next = 0;
        let mut pending = None;
        while next < plan.clients_per_tenant || pending.is_some() {
            let start_next = next < plan.clients_per_tenant && !stop.load(Ordering::Relaxed);
            let building = start_next.then(|| {
                let count = BATCH.min(plan.clients_per_tenant - next);
                let (master, ground) = (master.clone(), ground.clone());
                let first = next;
                next += count;
                tokio::task::spawn_blocking(move || build(&master, &ground, first, count))
            });
            if let Some(rows) = pending.take() {
                let rows: Rows = rows;
                let written = rows.clients.len() as u64;
                insert(db, ground.tenant, rows).await?;
                report.clients_created += written;
                progress(written);
            }
            if let Some(task) = building {
                pending = Some(task.await.map_err(|e| {
                    DomainError::Internal(anyhow::anyhow!("building a batch failed: {e}"))
                })??);
            } else if next < plan.clients_per_tenant {
                report.interrupted = true;
                break;
            }
        }
        set_case_counter(db, ground.tenant, plan.clients_per_tenant).await?;
        if report.interrupted {
            break;
        }
    }
    Ok(report)
}

/// One organisation's fixed part: its accounts, shelters and beds.
#[derive(Clone)]
pub(super) struct Ground {
    pub(super) tenant: TenantId,
    pub(super) country: &'static str,
    pub(super) workers: Vec<Uuid>,
    /// `(shelter, bed)` pairs.
    pub(super) beds: Vec<(Uuid, Uuid)>,
    /// The organisation's private partners, referred to by some clients.
    pub(super) partners: Vec<Partner>,
}

/// A partner organisation of the directory a synthetic referral goes to.
#[derive(Clone)]
pub(super) struct Partner {
    pub(super) id: Uuid,
    pub(super) service_type: DirectoryServiceType,
    pub(super) service_area: ServiceArea,
    /// The partner types a consent must name for a referral to it (comma-separated).
    pub(super) consent_covers: String,
}

/// The three private partners each synthetic organisation lists.
const PARTNERS: [(
    &str,
    PartnerOrganisationType,
    DirectoryServiceType,
    ServiceArea,
); 3] = [
    (
        "Synthetic Legal Clinic",
        PartnerOrganisationType::LegalService,
        DirectoryServiceType::LegalAid,
        ServiceArea::Legal,
    ),
    (
        "Synthetic Health Centre",
        PartnerOrganisationType::HealthService,
        DirectoryServiceType::Medical,
        ServiceArea::Medical,
    ),
    (
        "Synthetic Interpreters",
        PartnerOrganisationType::Ngo,
        DirectoryServiceType::Interpreting,
        ServiceArea::Administrative,
    ),
];

async fn add_partners(
    db: &DatabaseConnection,
    scope: &TenantScope,
    country: &str,
) -> DomainResult<Vec<Partner>> {
    // A private entry of a new organisation was never cached anywhere.
    let cache: Cache = Arc::new(MemoryCache::new(4));
    let mut partners = Vec::new();
    for (name, organisation_type, service_type, service_area) in PARTNERS {
        let fields = EntryFields {
            name: name.to_owned(),
            organisation_type,
            country: country.to_owned(),
            region: None,
            city: Some("Nowhere (fictitious)".to_owned()),
            service_types: vec![service_type],
            languages: vec!["en".to_owned()],
            phone: None,
            email: None,
            website: None,
            hours: None,
            open_24_7: false,
            accessibility: None,
            descriptions: std::collections::BTreeMap::new(),
        };
        let entry = crate::directory::service::create(
            db,
            &cache,
            crate::directory::Viewer::Tenant(scope),
            Visibility::Private,
            fields,
        )
        .await?;
        let covers: Vec<PartnerOrganisationType> =
            crate::referrals::coverage::required_partner_types(organisation_type, service_type)?
                .into_iter()
                .collect();
        partners.push(Partner {
            id: entry.row.id,
            service_type,
            service_area,
            consent_covers: crate::vocab::join(&covers, PartnerOrganisationType::as_str),
        });
    }
    Ok(partners)
}

async fn furnish(
    db: &DatabaseConnection,
    master: &MasterKey,
    plan: &Plan,
    n: usize,
    slug: &str,
    hash: &str,
) -> DomainResult<Ground> {
    let (country, locale, zone) = COUNTRIES[n % COUNTRIES.len()];
    let admin_email = format!("admin@{slug}.example");
    let new = tenants::parse_new_tenant(
        &format!("Synthetic NGO {n}"),
        slug,
        country,
        locale,
        zone,
        &admin_email,
        "Synthetic administrator",
        plan.password.clone(),
    )?;
    let created = tenants::onboard(db, Actor::system(), new).await?;
    let tenant = TenantId::from_uuid(created.id);
    let txn = begin_scoped(db, tenant).await?;
    let admin = user::Entity::scoped(tenant)
        .filter(user::Column::Email.eq(admin_email))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut workers = Vec::new();
    for w in 1..=3 {
        let id = Uuid::now_v7();
        let now = crate::now();
        user::ActiveModel {
            tenant_id: Set(*tenant.as_uuid()),
            id: Set(id),
            email: Set(format!("worker{w}@{slug}.example")),
            name: Set(format!("Case worker {w}")),
            password_hash: Set(Some(hash.to_owned())),
            roles: Set(encode_roles(&[Role::CaseWorker].into())),
            status: Set("active".to_owned()),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        workers.push(id);
    }
    txn.commit().await?;
    let scope = TenantScope::new(
        tenant,
        UserId::from_uuid(admin.id),
        Uuid::nil(),
        [Role::TenantAdmin].into(),
    );
    let everyone: Vec<String> = Gender::ALL.iter().map(|g| g.as_str().to_owned()).collect();
    let mut beds = Vec::new();
    for s in 1..=2 {
        let new = shelters::parse_new_shelter(&shelters::ShelterDraft {
            name: &format!("Synthetic House {s}"),
            address: &format!("{s} Synthetic Street, Nowhere (fictitious)"),
            capacity: 20,
            admits_genders: &everyone,
            admits_minors: false,
            min_age: Some(18),
            max_age: None,
            phone: None,
            email: None,
        })?;
        let shelter = shelters::create(db, master, &scope, new).await?;
        for r in 1..=5 {
            let room = shelters::rooms::create(
                db,
                &scope,
                shelters::parse_new_room(
                    ShelterId::from_uuid(shelter.row.id),
                    &format!("Room {r}"),
                    None,
                    None,
                )?,
            )
            .await?;
            for label in ["A", "B", "C", "D"] {
                let bed = shelters::beds::create(
                    db,
                    &scope,
                    shelters::parse_new_bed(RoomId::from_uuid(room.id), label, None)?,
                )
                .await?;
                beds.push((shelter.row.id, bed.id));
            }
        }
    }
    let partners = add_partners(db, &scope, country).await?;
    Ok(Ground {
        tenant,
        country,
        workers,
        beds,
        partners,
    })
}

async fn insert(db: &DatabaseConnection, tenant: TenantId, rows: Rows) -> DomainResult<()> {
    let txn = begin_scoped(db, tenant).await?;
    client::Entity::insert_many(rows.clients).exec(&txn).await?;
    client_key::Entity::insert_many(rows.keys)
        .exec(&txn)
        .await?;
    if !rows.names.is_empty() {
        for chunk in chunks(rows.names) {
            client_name_index::Entity::insert_many(chunk)
                .exec(&txn)
                .await?;
        }
    }
    case::Entity::insert_many(rows.cases).exec(&txn).await?;
    case_member::Entity::insert_many(rows.members)
        .exec(&txn)
        .await?;
    for chunk in chunks(rows.transitions) {
        case_transition::Entity::insert_many(chunk)
            .exec(&txn)
            .await?;
    }
    if !rows.placements.is_empty() {
        placement::Entity::insert_many(rows.placements)
            .exec(&txn)
            .await?;
    }
    for chunk in chunks(rows.services) {
        service_entry::Entity::insert_many(chunk).exec(&txn).await?;
    }
    if !rows.consents.is_empty() {
        consent::Entity::insert_many(rows.consents)
            .exec(&txn)
            .await?;
        referral::Entity::insert_many(rows.referrals)
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Splits rows so no statement carries more parameters than a database accepts.
fn chunks<T>(mut rows: Vec<T>) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    while rows.len() > BATCH {
        let rest = rows.split_off(BATCH);
        out.push(rows);
        rows = rest;
    }
    if !rows.is_empty() {
        out.push(rows);
    }
    out
}

/// Moves the organisation's case-code counter past the generated codes.
async fn set_case_counter(
    db: &DatabaseConnection,
    tenant: TenantId,
    last: usize,
) -> DomainResult<()> {
    let txn = begin_scoped(db, tenant).await?;
    case_code_counter::Entity::insert(case_code_counter::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        year: Set(crate::now().year()),
        last_value: Set(i32::try_from(last).unwrap_or(i32::MAX)),
    })
    .on_conflict(
        OnConflict::columns([
            case_code_counter::Column::TenantId,
            case_code_counter::Column::Year,
        ])
        .update_column(case_code_counter::Column::LastValue)
        .to_owned(),
    )
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}
