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
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait as _, DatabaseConnection,
    EntityTrait as _, QueryFilter as _, Set,
};
use secrecy::SecretString;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
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
pub struct Plan<'a> {
    pub tenants: usize,
    pub clients_per_tenant: usize,
    /// Password of every generated account (`admin@synth-00001.example`, …).
    pub password: SecretString,
    /// The connection that refreshes the planner's statistics as the tables grow (`ANALYZE`):
    /// on PostgreSQL the owner role's, since only a table's owner may analyse it. Without
    /// fresh statistics the foreign-key checks of the bulk inserts keep the plans PostgreSQL
    /// made for empty tables, and these can scan a whole organisation's rows for every row
    /// inserted, so a run slows down as organisations grow wherever autovacuum is off or
    /// falls behind.
    pub statistics: Option<&'a DatabaseConnection>,
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

/// Organisations loaded at the same time. Each batch waits on the network and the database
/// as much as on the CPU, so a few loaders side by side keep both cores busy.
const LOADERS: usize = 3;

/// Generates the plan's organisations that do not exist yet, [`LOADERS`] at a time.
/// `progress` is told how many clients each written batch held; once `stop` is set, the run
/// ends after the batches being written (every batch is its own transaction, so nothing is
/// left half written).
///
/// # Errors
/// A password that breaks the policy; database errors.
pub async fn seed_synthetic(
    db: &DatabaseConnection,
    master: Arc<MasterKey>,
    plan: &Plan<'_>,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
) -> DomainResult<Report> {
    use futures_util::StreamExt as _;
    passwords::check_policy(&plan.password, &[])?;
    let shared = plan.password.clone();
    let hash = tokio::task::spawn_blocking(move || passwords::hash(&shared))
        .await
        .map_err(|e| DomainError::Internal(anyhow::anyhow!("hashing task failed: {e}")))??;
    let run = Run {
        db,
        master,
        plan,
        progress,
        stop,
        hash,
        batches: AtomicU64::new(0),
        furnishing: tokio::sync::Mutex::new(()),
    };
    let mut outcomes = futures_util::stream::iter(1..=plan.tenants)
        .map(|n| run.tenant(n))
        .buffer_unordered(LOADERS);
    let mut report = Report::default();
    let mut failure = None;
    while let Some(outcome) = outcomes.next().await {
        match outcome {
            Ok(Loaded::Skipped) => report.tenants_skipped += 1,
            Ok(Loaded::Created { clients, complete }) => {
                report.tenants_created += 1;
                report.clients_created += clients;
                report.interrupted |= !complete;
            }
            Ok(Loaded::NotStarted) => report.interrupted = true,
            Err(e) => {
                // Let the other loaders finish their batch, then report the first failure.
                run.stop.store(true, Ordering::Relaxed);
                failure.get_or_insert(e);
            }
        }
    }
    if let Some(e) = failure {
        return Err(e);
    }
    if let Some(statistics) = plan.statistics.filter(|_| report.clients_created > 0) {
        analyze(statistics).await?;
    }
    Ok(report)
}

/// `ANALYZE`; on PostgreSQL only of the tables the connection's role owns, since a bare
/// `ANALYZE` also tries the system catalogs, which only a superuser may analyse, and warns once
/// for each of them.
async fn analyze(statistics: &DatabaseConnection) -> DomainResult<()> {
    if statistics.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        statistics.execute_unprepared("ANALYZE").await?;
        return Ok(());
    }
    statistics
        .execute_unprepared(
            "DO $$ DECLARE t text; BEGIN \
               FOR t IN SELECT format('%I.%I', schemaname, tablename) FROM pg_tables \
                 WHERE tableowner = current_user AND schemaname NOT IN ('pg_catalog', 'information_schema') \
               LOOP EXECUTE 'ANALYZE ' || t; END LOOP; END $$",
        )
        .await?;
    Ok(())
}

/// What one organisation's loader did.
enum Loaded {
    Skipped,
    NotStarted,
    Created { clients: u64, complete: bool },
}

/// What the loaders of one run share.
struct Run<'a> {
    db: &'a DatabaseConnection,
    master: Arc<MasterKey>,
    plan: &'a Plan<'a>,
    progress: &'a (dyn Fn(u64) + Sync),
    stop: &'a AtomicBool,
    hash: String,
    /// Batches written so far by every loader.
    batches: AtomicU64,
    /// Organisations are onboarded one at a time: onboarding writes platform-wide rows.
    furnishing: tokio::sync::Mutex<()>,
}

impl Run<'_> {
    async fn tenant(&self, n: usize) -> DomainResult<Loaded> {
        let (db, plan) = (self.db, self.plan);
        if self.stop.load(Ordering::Relaxed) {
            return Ok(Loaded::NotStarted);
        }
        let slug = slug(n);
        let ground = {
            let _turn = self.furnishing.lock().await;
            if tenant::Entity::find()
                .filter(tenant::Column::Slug.eq(slug.as_str()))
                .one(db)
                .await?
                .is_some()
            {
                (self.progress)(plan.clients_per_tenant as u64);
                return Ok(Loaded::Skipped);
            }
            furnish(db, &self.master, plan, n, &slug, &self.hash).await?
        };
        let mut written_total = 0;
        let mut next = 0;
        let mut pending = None;
        let mut complete = true;
        while next < plan.clients_per_tenant || pending.is_some() {
            let start_next = next < plan.clients_per_tenant && !self.stop.load(Ordering::Relaxed);
            let building = start_next.then(|| {
                let count = BATCH.min(plan.clients_per_tenant - next);
                let (master, ground) = (self.master.clone(), ground.clone());
                let first = next;
                next += count;
                tokio::task::spawn_blocking(move || build(&master, &ground, first, count))
            });
            if let Some(rows) = pending.take() {
                let rows: Rows = rows;
                let written = rows.clients.len() as u64;
                insert(db, ground.tenant, rows).await?;
                written_total += written;
                (self.progress)(written);
                let batches = self.batches.fetch_add(1, Ordering::Relaxed) + 1;
                // After the 1st, 2nd, 4th, 8th, … batch: each time the data has doubled.
                if let Some(statistics) = plan.statistics.filter(|_| batches.is_power_of_two()) {
                    analyze(statistics).await?;
                }
            }
            if let Some(task) = building {
                pending = Some(task.await.map_err(|e| {
                    DomainError::Internal(anyhow::anyhow!("building a batch failed: {e}"))
                })??);
            } else if next < plan.clients_per_tenant {
                complete = false;
                break;
            }
        }
        set_case_counter(db, ground.tenant, plan.clients_per_tenant).await?;
        Ok(Loaded::Created {
            clients: written_total,
            complete,
        })
    }
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
    plan: &Plan<'_>,
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
