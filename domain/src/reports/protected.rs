//! The protected form of the reports, for everything that leaves an organisation's own
//! dashboard: exports (audited) and platform-wide statistics. Counts below the threshold are
//! suppressed, with secondary suppression against differencing (see [`super::suppression`]),
//! and totals are given only over cells that are all shown.

use super::suppression::{Cell, DEFAULT_K, protected_total, suppressed};
use super::{ReportFilter, ReportName, ReportRow, queries};
use crate::access::forbidden;
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::entities::tenant;
use crate::error::DomainResult;
use crate::ids::TenantId;
use crate::tenancy::{PlatformContext, TenantScope, begin_scoped};
use sea_orm::{DatabaseConnection, EntityTrait as _, QueryOrder as _};
use std::collections::BTreeMap;

/// A line of a protected report; `count` is `None` where it is suppressed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtectedRow {
    pub keys: Vec<String>,
    pub count: Option<i64>,
    pub extra: Vec<i64>,
}

/// A total over the cells that share the given keys (`None` keys are summed over); `None`
/// when any of its cells is suppressed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtectedTotal {
    pub keys: Vec<Option<String>>,
    pub count: Option<i64>,
}

/// A report as it may leave the organisation.
#[derive(Clone, Debug)]
pub struct ProtectedReport {
    pub name: ReportName,
    pub filter: ReportFilter,
    /// The threshold applied.
    pub k: u32,
    pub rows: Vec<ProtectedRow>,
    pub totals: Vec<ProtectedTotal>,
}

/// Applies small-cell protection at threshold `k` to exact rows. Zero counts are left out.
#[must_use]
pub fn protect(
    name: ReportName,
    filter: &ReportFilter,
    rows: Vec<ReportRow>,
    k: u32,
) -> ProtectedReport {
    let k64 = i64::from(k);
    let rows: Vec<ReportRow> = rows.into_iter().filter(|r| r.count > 0).collect();
    let cells: Vec<Cell> = rows
        .iter()
        .map(|r| Cell {
            keys: r.keys.clone(),
            count: r.count,
        })
        .collect();
    let hidden = suppressed(&cells, k64);
    let rows: Vec<ProtectedRow> = rows
        .into_iter()
        .zip(hidden)
        .map(|(r, h)| ProtectedRow {
            keys: r.keys,
            count: (!h).then_some(r.count),
            extra: r.extra,
        })
        .collect();
    let mut totals = Vec::new();
    let shape = name.shape();
    if shape.additive && !rows.is_empty() {
        if shape.dimensions.len() == 2 {
            let mut by_first: BTreeMap<&str, Vec<Option<i64>>> = BTreeMap::new();
            for r in &rows {
                by_first
                    .entry(r.keys[0].as_str())
                    .or_default()
                    .push(r.count);
            }
            for (first, counts) in by_first {
                totals.push(ProtectedTotal {
                    keys: vec![Some(first.to_owned()), None],
                    count: protected_total(&counts, k64),
                });
            }
        }
        let all: Vec<Option<i64>> = rows.iter().map(|r| r.count).collect();
        totals.push(ProtectedTotal {
            keys: vec![None; shape.dimensions.len()],
            count: protected_total(&all, k64),
        });
    }
    ProtectedReport {
        name,
        filter: filter.clone(),
        k,
        rows,
        totals,
    }
}

/// A report in its protected form at the organisation's threshold, for export; the export is
/// audited. Needs `reports.read`.
///
/// # Errors
/// `Forbidden` (audited); database errors.
pub async fn export(
    db: &DatabaseConnection,
    scope: &TenantScope,
    name: ReportName,
    filter: &ReportFilter,
    format: &str,
) -> DomainResult<ProtectedReport> {
    if !scope.has(Permission::ReportsRead) {
        return Err(forbidden(db, scope, Permission::ReportsRead).await);
    }
    let tenant = scope.tenant_id();
    let txn = super::check_shelter(db, scope.begin(db).await?, scope, filter).await?;
    let k = crate::procedures::settings(&txn, tenant).await?.k_threshold;
    let rows = queries::compute(&txn, tenant, name, filter).await?;
    audit::record(
        &txn,
        tenant,
        Event::new("report.exported", Actor::user(scope), Outcome::Success).details(
            serde_json::json!({
                "report": name.as_str(), "format": format, "k": k,
                "from": filter.from, "to": filter.to, "shelter_id": filter.shelter,
            }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(protect(name, filter, rows, k))
}

/// A report over every organisation, for platform administrators: only in protected form,
/// at the highest of the default threshold and every organisation's own. Shelters are not
/// told apart (occupancy is summed over all of them).
///
/// # Errors
/// Database errors.
pub async fn platform(
    db: &DatabaseConnection,
    ctx: &PlatformContext,
    name: ReportName,
    filter: &ReportFilter,
) -> DomainResult<ProtectedReport> {
    let filter = ReportFilter {
        shelter: None,
        ..filter.clone()
    };
    let tenants = tenant::Entity::find()
        .order_by_asc(tenant::Column::Id)
        .all(db)
        .await?;
    let mut k = DEFAULT_K;
    let mut rows = Vec::new();
    for t in tenants {
        let id = TenantId::from_uuid(t.id);
        let txn = begin_scoped(db, id).await?;
        k = k.max(crate::procedures::settings(&txn, id).await?.k_threshold);
        let mut part = queries::compute(&txn, id, name, &filter).await?;
        txn.commit().await?;
        if name == ReportName::Occupancy {
            for row in &mut part {
                "all".clone_into(&mut row.keys[1]);
            }
        }
        rows.extend(part);
    }
    tracing::info!(admin_id = %ctx.admin_id(), report = name.as_str(), "platform statistics read");
    Ok(protect(name, &filter, queries::merge(rows), k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(keys: &[&str], count: i64) -> ReportRow {
        ReportRow {
            keys: keys.iter().map(|k| (*k).to_owned()).collect(),
            count,
            extra: Vec::new(),
        }
    }

    fn filter() -> ReportFilter {
        ReportFilter::new(None, None, None, None).expect("filter")
    }

    #[test]
    fn small_cells_and_the_totals_that_would_reveal_them_are_suppressed() {
        let p = protect(
            ReportName::CasesByStage,
            &filter(),
            vec![
                row(&["intake"], 3),
                row(&["assistance"], 40),
                row(&["closed"], 15),
                row(&["follow_up"], 0),
            ],
            11,
        );
        let counts: Vec<_> = p
            .rows
            .iter()
            .map(|r| (r.keys[0].as_str(), r.count))
            .collect();
        assert_eq!(
            counts,
            [("intake", None), ("assistance", Some(40)), ("closed", None)]
        );
        assert_eq!(p.totals.len(), 1);
        assert_eq!(p.totals[0].count, None);
    }

    #[test]
    fn totals_are_given_when_nothing_is_suppressed() {
        let p = protect(
            ReportName::GenderAge,
            &filter(),
            vec![
                row(&["female", "18-20"], 12),
                row(&["female", "21-23"], 20),
                row(&["male", "18-20"], 30),
            ],
            11,
        );
        assert!(p.rows.iter().all(|r| r.count.is_some()));
        let totals: Vec<_> = p.totals.iter().map(|t| (t.keys.clone(), t.count)).collect();
        assert_eq!(
            totals,
            [
                (vec![Some("female".to_owned()), None], Some(32)),
                (vec![Some("male".to_owned()), None], Some(30)),
                (vec![None, None], Some(62)),
            ]
        );
    }
}
