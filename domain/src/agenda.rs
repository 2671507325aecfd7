//! The agenda: one "upcoming" view of the caller's open tasks (assigned to them) and the open
//! deadlines of the cases they may see, in time order. A deadline falls due at the start of its
//! date in the organisation's time zone. Only titles and case codes appear: no sealed text.

use crate::cases::{case_codes_of, case_visible};
use crate::entities::{deadline, task};
use crate::error::DomainResult;
use crate::tenancy::TenantScope;
use crate::vocab::{TaskKind, TaskStatus};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone as _, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ColumnTrait as _, Condition, DatabaseConnection, QueryFilter as _, QueryOrder as _,
    QuerySelect as _,
};
use uuid::Uuid;

/// What an agenda item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgendaKind {
    Task,
    Deadline,
}

/// One line of the agenda.
#[derive(Clone, Debug)]
pub struct AgendaItem {
    pub kind: AgendaKind,
    /// For a task: whether it is a task or an appointment.
    pub task_kind: Option<TaskKind>,
    pub id: Uuid,
    pub title: String,
    pub due: DateTime<Utc>,
    pub case_id: Option<Uuid>,
    pub case_code: Option<String>,
}

/// Filters of the agenda.
#[derive(Debug, Default, Clone)]
pub struct AgendaFilter {
    pub due_before: Option<DateTime<Utc>>,
    pub due_after: Option<DateTime<Utc>>,
    /// Items after this one (ordered by due time, then id).
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: u64,
}

/// The moment a deadline of `date` falls due: the start of that day in `zone` (midnight, or
/// the first moment after it on a day whose clocks skip midnight).
#[must_use]
pub fn deadline_due(date: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    (0..=3)
        .find_map(|hours| {
            zone.from_local_datetime(&(midnight + chrono::Duration::hours(hours)))
                .earliest()
        })
        .map_or_else(|| midnight.and_utc(), |start| start.with_timezone(&Utc))
}

/// The first date whose deadlines fall due at or after `moment`.
fn first_date_from(moment: DateTime<Utc>, zone: Tz) -> NaiveDate {
    let date = moment.with_timezone(&zone).date_naive();
    if deadline_due(date, zone) >= moment {
        date
    } else {
        date.succ_opt().unwrap_or(date)
    }
}

/// The caller's agenda, soonest first.
///
/// # Errors
/// Database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &AgendaFilter,
) -> DomainResult<Vec<AgendaItem>> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let zone = crate::tenants::zone(&txn, tenant).await?;

    let mut tasks = task::Entity::scoped(tenant)
        .filter(task::Column::AssigneeId.eq(*scope.user_id().as_uuid()))
        .filter(task::Column::Status.eq(TaskStatus::Open.as_str()))
        .order_by_asc(task::Column::DueAt)
        .order_by_asc(task::Column::Id);
    if let Some(before) = filter.due_before {
        tasks = tasks.filter(task::Column::DueAt.lt(before));
    }
    if let Some(after) = filter.due_after {
        tasks = tasks.filter(task::Column::DueAt.gte(after));
    }
    if let Some((due, id)) = filter.after {
        tasks = tasks.filter(
            Condition::any().add(task::Column::DueAt.gt(due)).add(
                Condition::all()
                    .add(task::Column::DueAt.eq(due))
                    .add(task::Column::Id.gt(id)),
            ),
        );
    }
    let tasks = tasks.limit(filter.limit).all(&txn).await?;

    let mut deadlines = deadline::Entity::scoped(tenant)
        .filter(case_visible(scope, deadline::Column::CaseId))
        .filter(deadline::Column::Status.eq("open"))
        .order_by_asc(deadline::Column::DueOn)
        .order_by_asc(deadline::Column::Id);
    if let Some(before) = filter.due_before {
        deadlines = deadlines.filter(deadline::Column::DueOn.lt(first_date_from(before, zone)));
    }
    if let Some(after) = filter.due_after {
        deadlines = deadlines.filter(deadline::Column::DueOn.gte(first_date_from(after, zone)));
    }
    if let Some((due, id)) = filter.after {
        // After (due, id) in the merged order: a later date, or the same start of day and a
        // later id.
        let day = due.with_timezone(&zone).date_naive();
        let mut later = Condition::any().add(deadline::Column::DueOn.gt(day));
        if deadline_due(day, zone) == due {
            later = later.add(
                Condition::all()
                    .add(deadline::Column::DueOn.eq(day))
                    .add(deadline::Column::Id.gt(id)),
            );
        }
        deadlines = deadlines.filter(later);
    }
    let deadlines = deadlines.limit(filter.limit).all(&txn).await?;

    let case_ids = tasks
        .iter()
        .filter_map(|t| t.case_id)
        .chain(deadlines.iter().map(|d| d.case_id));
    let codes = case_codes_of(&txn, tenant, case_ids).await?;
    txn.commit().await?;
    let code_of = |case: Option<Uuid>| case.and_then(|c| codes.get(&c)).cloned();

    let mut items: Vec<AgendaItem> = tasks
        .into_iter()
        .map(|t| AgendaItem {
            kind: AgendaKind::Task,
            task_kind: Some(TaskKind::parse(&t.kind).unwrap_or(TaskKind::Task)),
            id: t.id,
            case_code: code_of(t.case_id),
            title: t.title,
            due: t.due_at,
            case_id: t.case_id,
        })
        .chain(deadlines.into_iter().map(|d| AgendaItem {
            kind: AgendaKind::Deadline,
            task_kind: None,
            id: d.id,
            case_code: code_of(Some(d.case_id)),
            title: d.title,
            due: deadline_due(d.due_on, zone),
            case_id: Some(d.case_id),
        }))
        .collect();
    items.sort_by_key(|item| (item.due, item.id));
    items.truncate(usize::try_from(filter.limit).unwrap_or(usize::MAX));
    Ok(items)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn deadlines_fall_due_at_the_start_of_their_day_where_the_organisation_works() {
        let date = NaiveDate::from_ymd_opt(2027, 1, 12).unwrap();
        for (zone, start) in [
            (chrono_tz::UTC, "2027-01-12T00:00:00+00:00"),
            (chrono_tz::Europe::Brussels, "2027-01-11T23:00:00+00:00"),
            (chrono_tz::America::Bogota, "2027-01-12T05:00:00+00:00"),
            (chrono_tz::Pacific::Auckland, "2027-01-11T11:00:00+00:00"),
        ] {
            let midnight = deadline_due(date, zone);
            assert_eq!(midnight.to_rfc3339(), start, "{zone}");
            assert_eq!(first_date_from(midnight, zone), date, "{zone}");
            let later = midnight + chrono::Duration::minutes(1);
            assert_eq!(first_date_from(later, zone), date.succ_opt().unwrap());
            let earlier = midnight - chrono::Duration::minutes(1);
            assert_eq!(first_date_from(earlier, zone), date, "{zone}");
        }
        // Clocks that skip midnight (Santiago, 2022-09-11, 00:00 → 01:00): the day starts at 01:00.
        let skipped = NaiveDate::from_ymd_opt(2022, 9, 11).unwrap();
        let start = deadline_due(skipped, chrono_tz::America::Santiago);
        assert_eq!(start.to_rfc3339(), "2022-09-11T04:00:00+00:00");
        assert_eq!(
            first_date_from(start, chrono_tz::America::Santiago),
            skipped
        );
    }
}
