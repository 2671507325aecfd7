//! The case-level anonymised export, aligned with the fields the Counter-Trafficking Data
//! Collaborative (CTDC) publishes from the Human Trafficking Case Data Standard: one row per
//! case, no identifier, and k-anonymity over the quasi-identifiers (registration year, gender,
//! age band, citizenship, types of exploitation). The quasi-identifiers are generalised step
//! by step (rare citizenships → `OTHER`, age bands → wider bands, exploitation types → broad
//! groups, years → five-year periods, …) until few records remain in classes smaller than k;
//! the records still in such classes are left out. The class sizes come from one `GROUP BY`;
//! the rows are then read page by page, so the export streams without holding the whole
//! result. `docs/ANONYMISED-EXPORT.md` is the data dictionary.

use super::buckets::{Bucket, by_timestamp};
use crate::access::forbidden;
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::entities::{case, client};
use crate::error::DomainResult;
use crate::tenancy::TenantScope;
use crate::vocab::{self, ControlMethod, ExploitationType, RecruitmentMethod};
use chrono::{DateTime, Datelike as _, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait as _, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait as _, DatabaseConnection};
use std::collections::{BTreeMap, BTreeSet};

/// Rows read from the database per page.
pub const PAGE: u64 = 500;

/// The quasi-identifiers of one case, raw or generalised.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quasi {
    pub registration: String,
    pub gender: String,
    pub age_band: String,
    pub citizenship: String,
    pub exploitation: String,
}

/// How far each quasi-identifier is generalised (0 = as recorded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Level {
    pub year: u8,
    pub gender: u8,
    pub age: u8,
    pub citizenship: u8,
    pub exploitation: u8,
}

const fn level(year: u8, gender: u8, age: u8, citizenship: u8, exploitation: u8) -> Level {
    Level {
        year,
        gender,
        age,
        citizenship,
        exploitation,
    }
}

/// The steps tried in order; the last generalises everything.
pub const LADDER: [Level; 10] = [
    level(0, 0, 0, 0, 0),
    level(0, 0, 0, 1, 0),
    level(0, 0, 1, 1, 0),
    level(0, 0, 1, 1, 1),
    level(1, 0, 1, 1, 1),
    level(1, 1, 1, 1, 1),
    level(1, 1, 2, 1, 1),
    level(1, 1, 2, 1, 2),
    level(2, 1, 2, 1, 2),
    level(2, 1, 2, 2, 2),
];

/// The share of records the export may leave out at a step before it generalises further.
pub const MAX_SUPPRESSED_SHARE: f64 = 0.05;

fn wide_age(band: &str) -> &'static str {
    match band {
        "0-8" | "9-17" => "0-17",
        "18-20" | "21-23" | "24-26" | "27-29" => "18-29",
        "30-38" | "39-47" => "30-47",
        "48+" => "48+",
        _ => "unknown",
    }
}

/// `minor`, `adult` or `unknown`, from an age band at any level of generalisation.
#[must_use]
pub fn majority(band: &str) -> &'static str {
    match band {
        "0-8" | "9-17" | "0-17" | "minor" => "minor",
        "unknown" => "unknown",
        _ => "adult",
    }
}

fn broad_exploitation(t: ExploitationType) -> &'static str {
    match t {
        ExploitationType::Sexual => "sexual",
        ExploitationType::ForcedLabour
        | ExploitationType::DomesticServitude
        | ExploitationType::ForcedBegging
        | ExploitationType::ForcedCriminalActivity => "labour",
        _ => "other",
    }
}

/// What generalisation makes of one case's quasi-identifiers. `rare` lists the citizenships
/// held by fewer than k cases.
#[must_use]
pub fn generalise(raw: &Quasi, level: Level, rare: &BTreeSet<String>) -> Quasi {
    let registration = match level.year {
        0 => raw.registration.clone(),
        1 => raw.registration.parse::<i32>().map_or_else(
            |_| "unknown".to_owned(),
            |y| {
                let start = y - y.rem_euclid(5);
                format!("{start}-{}", start + 4)
            },
        ),
        _ => "any".to_owned(),
    };
    let gender = match (level.gender, raw.gender.as_str()) {
        (0, g) => g.to_owned(),
        (_, g @ ("female" | "male")) => g.to_owned(),
        _ => "other_or_unknown".to_owned(),
    };
    let age_band = match level.age {
        0 => raw.age_band.clone(),
        1 => wide_age(&raw.age_band).to_owned(),
        _ => majority(&raw.age_band).to_owned(),
    };
    let citizenship = match level.citizenship {
        0 => raw.citizenship.clone(),
        1 if rare.contains(&raw.citizenship) => "OTHER".to_owned(),
        1 => raw.citizenship.clone(),
        _ => "any".to_owned(),
    };
    let types = vocab::split(&raw.exploitation, ExploitationType::parse);
    let exploitation = match level.exploitation {
        _ if types.is_empty() => "unknown".to_owned(),
        0 => types
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(";"),
        1 => types
            .iter()
            .map(|t| broad_exploitation(*t))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join(";"),
        _ => "any".to_owned(),
    };
    Quasi {
        registration,
        gender,
        age_band,
        citizenship,
        exploitation,
    }
}

/// The outcome of the generalisation: the step chosen and the classes that may be published.
#[derive(Clone, Debug)]
pub struct Plan {
    pub k: u32,
    pub level: Level,
    pub rare: BTreeSet<String>,
    pub allowed: BTreeSet<Quasi>,
    pub records: i64,
    pub suppressed: i64,
}

/// Chooses the first step of [`LADDER`] that leaves out at most [`MAX_SUPPRESSED_SHARE`] of
/// the records (else the last), given the number of cases in each raw class.
#[must_use]
pub fn plan(classes: &[(Quasi, i64)], k: u32) -> Plan {
    let k64 = i64::from(k);
    let records: i64 = classes.iter().map(|(_, n)| n).sum();
    let mut by_citizenship: BTreeMap<&str, i64> = BTreeMap::new();
    for (q, n) in classes {
        *by_citizenship.entry(q.citizenship.as_str()).or_default() += n;
    }
    let rare: BTreeSet<String> = by_citizenship
        .into_iter()
        .filter(|(_, n)| *n < k64)
        .map(|(c, _)| c.to_owned())
        .collect();
    let mut chosen = None;
    for (i, level) in LADDER.iter().enumerate() {
        let mut sizes: BTreeMap<Quasi, i64> = BTreeMap::new();
        for (q, n) in classes {
            *sizes.entry(generalise(q, *level, &rare)).or_default() += n;
        }
        let suppressed: i64 = sizes.values().filter(|n| **n < k64).sum();
        #[allow(clippy::cast_precision_loss)]
        let acceptable = suppressed as f64 <= MAX_SUPPRESSED_SHARE * records as f64;
        if acceptable || i == LADDER.len() - 1 {
            let allowed = sizes
                .into_iter()
                .filter(|(_, n)| *n >= k64)
                .map(|(q, _)| q)
                .collect();
            chosen = Some(Plan {
                k,
                level: *level,
                rare,
                allowed,
                records,
                suppressed,
            });
            break;
        }
    }
    chosen.unwrap_or(Plan {
        k,
        level: LADDER[LADDER.len() - 1],
        rare: BTreeSet::new(),
        allowed: BTreeSet::new(),
        records,
        suppressed: records,
    })
}

/// One published record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub quasi: Quasi,
    pub majority_status: &'static str,
    pub trafficking_status: String,
    pub recruiter_relation: &'static str,
    /// One flag per [`ControlMethod`], in its order.
    pub means_of_control: Vec<bool>,
}

/// The CSV header of the export, in the order of [`Record::fields`].
#[must_use]
pub fn header() -> Vec<String> {
    let mut h: Vec<String> = [
        "registration_period",
        "gender",
        "age_band",
        "majority_status",
        "citizenship",
        "type_of_exploitation",
        "trafficking_status",
        "recruiter_relation",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    h.extend(
        ControlMethod::ALL
            .iter()
            .map(|m| format!("means_of_control_{}", m.as_str())),
    );
    h
}

impl Record {
    /// The fields, in the order of [`header`].
    #[must_use]
    pub fn fields(&self) -> Vec<String> {
        let mut f = vec![
            self.quasi.registration.clone(),
            self.quasi.gender.clone(),
            self.quasi.age_band.clone(),
            self.majority_status.to_owned(),
            self.quasi.citizenship.clone(),
            self.quasi.exploitation.clone(),
            self.trafficking_status.clone(),
            self.recruiter_relation.to_owned(),
        ];
        f.extend(
            self.means_of_control
                .iter()
                .map(|b| if *b { "1" } else { "0" }.to_owned()),
        );
        f
    }
}

/// The recruiter's relation to the person, as far as the recruitment methods tell it.
fn recruiter_relation(methods: &str) -> &'static str {
    let methods = vocab::split(methods, RecruitmentMethod::parse);
    if methods.contains(&RecruitmentMethod::FalseRelationship) {
        "intimate_partner"
    } else if methods.contains(&RecruitmentMethod::SoldByFamily) {
        "family"
    } else if methods.contains(&RecruitmentMethod::FriendOrAcquaintance) {
        "friend"
    } else if methods.is_empty() {
        "unknown"
    } else {
        "other"
    }
}

/// An export in progress: the plan, and where the next page starts.
pub struct Export {
    db: DatabaseConnection,
    scope: TenantScope,
    pub plan: Plan,
    offset: u64,
    done: bool,
}

fn joined(scope: &TenantScope) -> SelectStatement {
    let tenant = *scope.tenant_id().as_uuid();
    Query::select()
        .from(case::Entity)
        .inner_join(
            client::Entity,
            Expr::col((client::Entity, client::Column::Id))
                .equals((case::Entity, case::Column::ClientId))
                .and(
                    Expr::col((client::Entity, client::Column::TenantId))
                        .equals((case::Entity, case::Column::TenantId)),
                ),
        )
        .and_where(Expr::col((case::Entity, case::Column::TenantId)).eq(tenant))
        .and_where(Expr::col((client::Entity, client::Column::TenantId)).eq(tenant))
        .to_owned()
}

fn year_buckets(first: i32, last: i32) -> Vec<Bucket> {
    (first..=last)
        .filter_map(|y| {
            Some(Bucket {
                label: y.to_string(),
                start: NaiveDate::from_ymd_opt(y, 1, 1)?,
                end: NaiveDate::from_ymd_opt(y + 1, 1, 1)?,
            })
        })
        .collect()
}

const QUASI_COLUMNS: [(client::Column, &str); 4] = [
    (client::Column::Gender, "gender"),
    (client::Column::AgeBand, "age_band"),
    (client::Column::Nationality, "citizenship"),
    (client::Column::ExploitationTypes, "exploitation"),
];

/// Counts the cases of each raw class, in the database.
async fn classes(db: &DatabaseConnection, scope: &TenantScope) -> DomainResult<Vec<(Quasi, i64)>> {
    let txn = scope.begin(db).await?;
    let opened = Expr::col((case::Entity, case::Column::OpenedAt));
    let range = joined(scope)
        .expr_as(opened.clone().min(), Alias::new("first"))
        .expr_as(opened.clone().max(), Alias::new("last"))
        .to_owned();
    let (first, last) = match txn.query_one(&range).await? {
        Some(row) => (
            row.try_get::<Option<DateTime<Utc>>>("", "first")?,
            row.try_get::<Option<DateTime<Utc>>>("", "last")?,
        ),
        None => (None, None),
    };
    let (Some(first), Some(last)) = (first, last) else {
        txn.commit().await?;
        return Ok(Vec::new());
    };
    let mut q = joined(scope);
    q.expr_as(
        by_timestamp(opened, &year_buckets(first.year(), last.year())),
        Alias::new("registration"),
    );
    for (col, alias) in QUASI_COLUMNS {
        q.expr_as(Expr::col((client::Entity, col)), Alias::new(alias));
    }
    q.expr_as(Expr::cust("COUNT(*)"), Alias::new("n"));
    for alias in [
        "registration",
        "gender",
        "age_band",
        "citizenship",
        "exploitation",
    ] {
        q.add_group_by([Expr::col(Alias::new(alias))]);
    }
    let rows = txn.query_all(&q).await?;
    txn.commit().await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push((
            Quasi {
                registration: row.try_get("", "registration")?,
                gender: row.try_get("", "gender")?,
                age_band: row.try_get("", "age_band")?,
                citizenship: row
                    .try_get::<Option<String>>("", "citizenship")?
                    .unwrap_or_else(|| "unknown".to_owned()),
                exploitation: row.try_get("", "exploitation")?,
            },
            row.try_get("", "n")?,
        ));
    }
    Ok(out)
}

/// Starts the anonymised export of the caller's organisation at its k threshold, and audits
/// it. Needs `reports.read`.
///
/// # Errors
/// `Forbidden` (audited); database errors.
pub async fn start(db: &DatabaseConnection, scope: &TenantScope) -> DomainResult<Export> {
    if !scope.has(Permission::ReportsRead) {
        return Err(forbidden(db, scope, Permission::ReportsRead).await);
    }
    let tenant = scope.tenant_id();
    let classes = classes(db, scope).await?;
    let txn = scope.begin(db).await?;
    let k = crate::procedures::settings(&txn, tenant).await?.k_threshold;
    let plan = plan(&classes, k);
    audit::record(
        &txn,
        tenant,
        Event::new("report.exported", Actor::user(scope), Outcome::Success).details(
            serde_json::json!({
                "report": "anonymised_cases", "format": "csv", "k": k,
                "records": plan.records, "suppressed": plan.suppressed,
            }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(Export {
        db: db.clone(),
        scope: scope.clone(),
        plan,
        offset: 0,
        done: false,
    })
}

impl Export {
    /// The next page of published records; `None` when the export is complete. Rows are
    /// ordered by their content, never by when they were recorded.
    ///
    /// # Errors
    /// Database errors.
    pub async fn next_page(&mut self) -> DomainResult<Option<Vec<Record>>> {
        if self.done {
            return Ok(None);
        }
        let mut q = joined(&self.scope);
        q.expr_as(
            Expr::col((case::Entity, case::Column::OpenedAt)),
            Alias::new("opened_at"),
        );
        for (col, alias) in QUASI_COLUMNS {
            q.expr_as(Expr::col((client::Entity, col)), Alias::new(alias));
        }
        for (col, alias) in [
            (client::Column::TraffickingStatus, "trafficking_status"),
            (client::Column::RecruitmentMethods, "recruitment"),
            (client::Column::ControlMethods, "control"),
        ] {
            q.expr_as(Expr::col((client::Entity, col)), Alias::new(alias));
        }
        for (col, _) in QUASI_COLUMNS {
            q.order_by((client::Entity, col), Order::Asc);
        }
        q.order_by((client::Entity, client::Column::ControlMethods), Order::Asc)
            .order_by(
                (client::Entity, client::Column::RecruitmentMethods),
                Order::Asc,
            )
            .order_by((case::Entity, case::Column::Id), Order::Asc)
            .limit(PAGE)
            .offset(self.offset);
        let txn = self.scope.begin(&self.db).await?;
        let rows = txn.query_all(&q).await?;
        txn.commit().await?;
        self.offset += PAGE;
        if (rows.len() as u64) < PAGE {
            self.done = true;
        }
        let mut out = Vec::new();
        for row in rows {
            let opened: DateTime<Utc> = row.try_get("", "opened_at")?;
            let raw = Quasi {
                registration: opened.year().to_string(),
                gender: row.try_get("", "gender")?,
                age_band: row.try_get("", "age_band")?,
                citizenship: row
                    .try_get::<Option<String>>("", "citizenship")?
                    .unwrap_or_else(|| "unknown".to_owned()),
                exploitation: row.try_get("", "exploitation")?,
            };
            let quasi = generalise(&raw, self.plan.level, &self.plan.rare);
            if !self.plan.allowed.contains(&quasi) {
                continue;
            }
            let control =
                vocab::split(&row.try_get::<String>("", "control")?, ControlMethod::parse);
            let recruitment: String = row.try_get("", "recruitment")?;
            out.push(Record {
                majority_status: majority(&quasi.age_band),
                quasi,
                trafficking_status: row.try_get("", "trafficking_status")?,
                recruiter_relation: recruiter_relation(&recruitment),
                means_of_control: ControlMethod::ALL
                    .iter()
                    .map(|m| control.contains(m))
                    .collect(),
            });
        }
        Ok(Some(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quasi(year: &str, gender: &str, band: &str, citizenship: &str, types: &str) -> Quasi {
        Quasi {
            registration: year.to_owned(),
            gender: gender.to_owned(),
            age_band: band.to_owned(),
            citizenship: citizenship.to_owned(),
            exploitation: types.to_owned(),
        }
    }

    #[test]
    fn generalisation_widens_each_quasi_identifier() {
        let raw = quasi(
            "2026",
            "transgender_female",
            "21-23",
            "VN",
            "forced_begging,sexual",
        );
        let rare = BTreeSet::from(["VN".to_owned()]);
        let last = generalise(&raw, LADDER[LADDER.len() - 1], &rare);
        assert_eq!(
            last,
            quasi("any", "other_or_unknown", "adult", "any", "any")
        );
        let mid = generalise(&raw, LADDER[5], &rare);
        assert_eq!(
            mid,
            quasi(
                "2025-2029",
                "other_or_unknown",
                "18-29",
                "OTHER",
                "labour;sexual"
            )
        );
        assert_eq!(
            generalise(&raw, LADDER[0], &rare).exploitation,
            "forced_begging;sexual"
        );
    }

    #[test]
    fn every_published_class_has_at_least_k_records() {
        let mut classes = Vec::new();
        for (i, c) in ["RO", "NG", "VN", "BE", "AL"].iter().enumerate() {
            for (j, band) in ["18-20", "21-23", "30-38", "9-17"].iter().enumerate() {
                let n = i64::try_from((i * 7 + j * 3) % 13 + 1).expect("small");
                classes.push((quasi("2026", "female", band, c, "sexual"), n));
            }
        }
        for k in [5, 11, 20] {
            let p = plan(&classes, k);
            let mut sizes: BTreeMap<Quasi, i64> = BTreeMap::new();
            for (q, n) in &classes {
                let g = generalise(q, p.level, &p.rare);
                if p.allowed.contains(&g) {
                    *sizes.entry(g).or_default() += n;
                }
            }
            assert!(
                sizes.values().all(|n| *n >= i64::from(k)),
                "k={k}: {sizes:?}"
            );
            let published: i64 = sizes.values().sum();
            assert_eq!(published + p.suppressed, p.records, "k={k}");
        }
    }

    #[test]
    fn the_recruiter_relation_comes_from_the_recruitment_methods() {
        assert_eq!(
            recruiter_relation("false_relationship,online"),
            "intimate_partner"
        );
        assert_eq!(recruiter_relation("sold_by_family"), "family");
        assert_eq!(recruiter_relation("false_job_offer"), "other");
        assert_eq!(recruiter_relation(""), "unknown");
    }
}
