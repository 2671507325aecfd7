//! Aggregate reports: the organisation's own dashboard (exact counts), and the protected form
//! of the same tables for everything that leaves it ([`protected`]: exports and platform-wide
//! statistics, with small cells suppressed by [`suppression`]). Every count is computed by the
//! database with `GROUP BY`; no row is loaded one by one and nothing is decrypted.

pub mod anonymised;
mod buckets;
pub mod protected;
mod queries;
pub mod suppression;

pub use buckets::{Bucket, Granularity};

use crate::access::{forbidden, not_found};
use crate::authz::Permission;
use crate::error::{DomainError, DomainResult};
use crate::ids::ShelterId;
use crate::tenancy::TenantScope;
use chrono::{Datelike as _, Months, NaiveDate};
use sea_orm::{DatabaseConnection, DatabaseTransaction};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The reports Haven computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportName {
    /// Beds occupied per shelter and period, against the shelter's capacity.
    Occupancy,
    /// Cases opened in the period, by their stage now.
    CasesByStage,
    /// New signals (cases opened) and intake interviews held, per period.
    SignalsAndIntakes,
    /// Clients with a case opened in the period, by type of exploitation (a client may count
    /// under several types).
    ExploitationTypes,
    /// Clients with a case opened in the period, by citizenship.
    Nationalities,
    /// Clients with a case opened in the period, by gender and age band.
    GenderAge,
    /// Services delivered in the period, by area and type.
    Services,
    /// Administrative documents recorded in the period, by kind and status (granted, refused…).
    Documents,
    /// People trained in the period, by audience.
    Training,
    /// Referrals sent in the period, by service type and status.
    Referrals,
}

impl ReportName {
    pub const ALL: [ReportName; 10] = [
        ReportName::Occupancy,
        ReportName::CasesByStage,
        ReportName::SignalsAndIntakes,
        ReportName::ExploitationTypes,
        ReportName::Nationalities,
        ReportName::GenderAge,
        ReportName::Services,
        ReportName::Documents,
        ReportName::Training,
        ReportName::Referrals,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ReportName::Occupancy => "occupancy",
            ReportName::CasesByStage => "cases_by_stage",
            ReportName::SignalsAndIntakes => "signals_and_intakes",
            ReportName::ExploitationTypes => "exploitation_types",
            ReportName::Nationalities => "nationalities",
            ReportName::GenderAge => "gender_age",
            ReportName::Services => "services",
            ReportName::Documents => "documents",
            ReportName::Training => "training",
            ReportName::Referrals => "referrals",
        }
    }

    /// The table's shape: its dimensions, what it counts, and the columns beside the count
    /// that are not counts of people.
    #[must_use]
    pub const fn shape(self) -> Shape {
        let (dimensions, measure, extra, additive): (&[&str], &str, &[&str], bool) = match self {
            ReportName::Occupancy => (
                &["period", "shelter_id"],
                "occupied_beds",
                &["capacity"],
                false,
            ),
            ReportName::CasesByStage => (&["stage"], "cases", &[], true),
            ReportName::SignalsAndIntakes => (&["period", "kind"], "count", &[], true),
            ReportName::ExploitationTypes => (&["exploitation_type"], "clients", &[], false),
            ReportName::Nationalities => (&["nationality"], "clients", &[], true),
            ReportName::GenderAge => (&["gender", "age_band"], "clients", &[], true),
            ReportName::Services => (&["area", "service_type"], "services", &[], true),
            ReportName::Documents => (&["kind", "status"], "documents", &[], true),
            ReportName::Training => (&["audience"], "participants", &["sessions"], true),
            ReportName::Referrals => (&["service_type", "status"], "referrals", &[], true),
        };
        Shape {
            dimensions,
            measure,
            extra,
            additive,
        }
    }
}

/// The columns of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub dimensions: &'static [&'static str],
    /// What the count counts.
    pub measure: &'static str,
    /// Figures beside the count that are not counts of people (never suppressed).
    pub extra: &'static [&'static str],
    /// Whether the counts add up to a meaningful total.
    pub additive: bool,
}

/// The longest period a report may cover, in months.
pub const MAX_MONTHS: u32 = 120;
/// The longest period a report by day may cover, in days.
pub const MAX_DAYS: i64 = 92;

/// What a report covers: a period (both days included), optionally one shelter, and for the
/// reports over time the length of their periods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub shelter: Option<Uuid>,
    pub granularity: Granularity,
}

impl ReportFilter {
    /// The filter asked for; by default the last twelve months up to today, by month.
    ///
    /// # Errors
    /// `Invalid` when `to` is before `from` or the period is too long.
    pub fn new(
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        shelter: Option<Uuid>,
        granularity: Option<Granularity>,
    ) -> DomainResult<Self> {
        let granularity = granularity.unwrap_or(Granularity::Month);
        let to = to.unwrap_or_else(|| crate::now().date_naive());
        let from = match from {
            Some(f) => f,
            None => match granularity {
                Granularity::Month => to
                    .with_day(1)
                    .and_then(|d| d.checked_sub_months(Months::new(11)))
                    .unwrap_or(to),
                Granularity::Day => to - chrono::Duration::days(29),
            },
        };
        if to < from {
            return Err(DomainError::invalid("to", "must not be before from"));
        }
        let too_long = match granularity {
            Granularity::Month => from
                .checked_add_months(Months::new(MAX_MONTHS))
                .is_none_or(|limit| to >= limit),
            Granularity::Day => (to - from).num_days() >= MAX_DAYS,
        };
        if too_long {
            let message = match granularity {
                Granularity::Month => format!("the period may cover at most {MAX_MONTHS} months"),
                Granularity::Day => format!("by day, the period may cover at most {MAX_DAYS} days"),
            };
            return Err(DomainError::invalid("from", message));
        }
        Ok(Self {
            from,
            to,
            shelter,
            granularity,
        })
    }

    /// The periods of the reports over time, within the filter.
    #[must_use]
    pub fn buckets(&self) -> Vec<Bucket> {
        buckets::buckets(self.from, self.to, self.granularity)
    }
}

/// One line of a report: its keys (one per dimension), the count, and the figures beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRow {
    pub keys: Vec<String>,
    pub count: i64,
    pub extra: Vec<i64>,
}

/// A report with exact counts, for the organisation's own dashboard.
#[derive(Clone, Debug)]
pub struct Report {
    pub name: ReportName,
    pub filter: ReportFilter,
    pub rows: Vec<ReportRow>,
}

/// The transaction back, or `NotFound` (audited as such) when the filter names a shelter the
/// organisation does not have: counts of zero would read as an empty shelter, and another
/// organisation's shelter is answered like one that does not exist. The transaction is ended
/// before the refusal is audited (on SQLite the audit would wait for its lock).
pub(crate) async fn check_shelter(
    db: &DatabaseConnection,
    txn: DatabaseTransaction,
    scope: &TenantScope,
    filter: &ReportFilter,
) -> DomainResult<DatabaseTransaction> {
    let Some(id) = filter.shelter else {
        return Ok(txn);
    };
    let found =
        crate::shelters::service::find(&txn, scope.tenant_id(), ShelterId::from_uuid(id), false)
            .await?;
    if found.is_some() {
        Ok(txn)
    } else {
        drop(txn);
        Err(not_found(db, scope, "shelter", id).await)
    }
}

/// Computes a report with exact counts. Needs `reports.read`.
///
/// # Errors
/// `Forbidden` (audited); database errors.
pub async fn dashboard(
    db: &DatabaseConnection,
    scope: &TenantScope,
    name: ReportName,
    filter: &ReportFilter,
) -> DomainResult<Report> {
    if !scope.has(Permission::ReportsRead) {
        return Err(forbidden(db, scope, Permission::ReportsRead).await);
    }
    let txn = check_shelter(db, scope.begin(db).await?, scope, filter).await?;
    let rows = queries::compute(&txn, scope.tenant_id(), name, filter).await?;
    crate::tenancy::end_read(txn).await?;
    Ok(Report {
        name,
        filter: filter.clone(),
        rows,
    })
}
