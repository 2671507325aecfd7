//! Periods of the reports over time, computed here from the filter rather than by the
//! database's date functions (which differ between SQLite and PostgreSQL): the query compares
//! a date or timestamp with each period's bound values.

use chrono::{DateTime, Datelike as _, Months, NaiveDate, Utc};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait as _};
use serde::{Deserialize, Serialize};

/// How long the periods of a report over time are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Day,
    Month,
}

/// One period: its label (`2026-11` or `2026-11-05`) and its days, `start` included and `end`
/// excluded, clipped to the filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bucket {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Bucket {
    fn start_ts(&self) -> DateTime<Utc> {
        self.start.and_time(chrono::NaiveTime::MIN).and_utc()
    }

    fn end_ts(&self) -> DateTime<Utc> {
        self.end.and_time(chrono::NaiveTime::MIN).and_utc()
    }
}

/// The periods from `from` to `to` (both included).
#[must_use]
pub fn buckets(from: NaiveDate, to: NaiveDate, granularity: Granularity) -> Vec<Bucket> {
    let mut out = Vec::new();
    let Some(stop) = to.succ_opt() else {
        return out;
    };
    let mut day = from;
    while day < stop {
        let (label, next) = match granularity {
            Granularity::Day => (day.format("%Y-%m-%d").to_string(), day.succ_opt()),
            Granularity::Month => (
                format!("{:04}-{:02}", day.year(), day.month()),
                day.with_day(1)
                    .and_then(|d| d.checked_add_months(Months::new(1))),
            ),
        };
        let Some(next) = next else { break };
        let end = Ord::min(next, stop);
        out.push(Bucket {
            label,
            start: day,
            end,
        });
        day = end;
    }
    out
}

/// `CASE WHEN col >= start AND col < end THEN label … END` over a date column.
pub(crate) fn by_date(col: Expr, buckets: &[Bucket]) -> Expr {
    let mut case = CaseStatement::new();
    for b in buckets {
        case = case.case(
            col.clone().gte(b.start).and(col.clone().lt(b.end)),
            Expr::val(b.label.clone()),
        );
    }
    case.finally(Expr::val("")).into()
}

/// The same over a timestamp column (periods in UTC).
pub(crate) fn by_timestamp(col: Expr, buckets: &[Bucket]) -> Expr {
    let mut case = CaseStatement::new();
    for b in buckets {
        case = case.case(
            col.clone()
                .gte(b.start_ts())
                .and(col.clone().lt(b.end_ts())),
            Expr::val(b.label.clone()),
        );
    }
    case.finally(Expr::val("")).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn months_are_clipped_to_the_period() {
        let b = buckets(d("2026-01-15"), d("2026-03-10"), Granularity::Month);
        let labels: Vec<_> = b.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["2026-01", "2026-02", "2026-03"]);
        assert_eq!(b[0].start, d("2026-01-15"));
        assert_eq!(b[0].end, d("2026-02-01"));
        assert_eq!(b[2].end, d("2026-03-11"));
    }

    #[test]
    fn days_cover_each_day_once() {
        let b = buckets(d("2026-02-27"), d("2026-03-01"), Granularity::Day);
        let labels: Vec<_> = b.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["2026-02-27", "2026-02-28", "2026-03-01"]);
    }
}
