//! Notices of deadlines coming due. A background run (one replica at a time) tells each open
//! case's team, as notifications, about its open deadlines twice: once when a deadline comes
//! within the organisation's `deadline_notice_days` (`deadline.upcoming`), and once on its date
//! or, when that was missed, after it (`deadline.due`). Dates are the organisation's own: a
//! deadline falls due on its date in the organisation's time zone.
//!
//! Deadlines of closed cases, and of clients who were erased, are not announced.
//!
//! Each deadline remembers which notice it had and for which due date, in the same transaction
//! as the notification, so nothing is announced twice and a moved deadline is announced again.
//! A case without an active team member has its notices sent to the organisation's
//! administrators, so no deadline passes unseen. Titles carry the deadline's title (template
//! text, never typed by a person), its date and the case code, never a name.

use crate::entities::{case, client, deadline, tenant};
use crate::error::DomainResult;
use crate::ids::TenantId;
use crate::notifications::{self, NewNotification};
use crate::procedures;
use crate::tenancy::begin_scoped;
use crate::tenants::TenantStatus;
use crate::vocab::Stage;
use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _, Query};
use sea_orm::{
    ColumnTrait as _, Condition, DatabaseConnection, EntityTrait as _, QueryFilter as _,
    QueryOrder as _, QuerySelect as _,
};
use uuid::Uuid;

/// The notice sent when a deadline comes within the organisation's notice period.
pub const UPCOMING: &str = "upcoming";
/// The notice sent on a deadline's date, or after it when the run missed that day.
pub const DUE: &str = "due";

/// A deadline already overdue by more than this many days when a run first sees it (say, one
/// from before notices existed) is left to the agenda rather than announced.
pub const OVERDUE_WINDOW_DAYS: u64 = 30;

/// Deadlines announced per transaction.
const BATCH: u64 = 200;

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoticeReport {
    /// Deadlines announced (each to its whole team).
    pub deadlines: usize,
    /// Notifications written.
    pub notifications: usize,
}

/// Announces, in every active organisation (or only in `only`), the deadlines that are due for
/// a notice at `now`.
///
/// # Errors
/// Database errors (organisations done before the error keep their notices).
pub async fn run(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    only: Option<TenantId>,
) -> DomainResult<NoticeReport> {
    let mut query = tenant::Entity::find()
        .filter(tenant::Column::Status.eq(TenantStatus::Active.as_str()))
        .order_by_asc(tenant::Column::Id);
    if let Some(only) = only {
        query = query.filter(tenant::Column::Id.eq(*only.as_uuid()));
    }
    let tenants = query.all(db).await?;
    let mut report = NoticeReport::default();
    for t in tenants {
        let zone = t
            .time_zone
            .parse::<chrono_tz::Tz>()
            .unwrap_or(chrono_tz::UTC);
        let today = now.with_timezone(&zone).date_naive();
        let tenant = TenantId::from_uuid(t.id);
        loop {
            let (announced, sent) = announce_batch(db, tenant, today).await?;
            report.deadlines += announced;
            report.notifications += sent;
            if (announced as u64) < BATCH {
                break;
            }
        }
    }
    Ok(report)
}

/// Announces up to [`BATCH`] deadlines of one organisation in one transaction; returns how many
/// deadlines were announced and how many notifications that wrote.
async fn announce_batch(
    db: &DatabaseConnection,
    tenant: TenantId,
    today: NaiveDate,
) -> DomainResult<(usize, usize)> {
    let t = *tenant.as_uuid();
    let txn = begin_scoped(db, tenant).await?;
    let notice_days = procedures::settings(&txn, tenant)
        .await?
        .deadline_notice_days;
    let horizon = today
        .checked_add_days(Days::new(u64::from(notice_days)))
        .unwrap_or(today);
    let oldest = today
        .checked_sub_days(Days::new(OVERDUE_WINDOW_DAYS))
        .unwrap_or(today);
    let rows = deadline::Entity::scoped(tenant)
        .filter(deadline::Column::Status.eq("open"))
        .filter(deadline::Column::DueOn.lte(horizon))
        .filter(deadline::Column::DueOn.gte(oldest))
        .filter(
            Condition::any()
                .add(deadline::Column::NoticeDueOn.is_null())
                .add(
                    Expr::col(deadline::Column::NoticeDueOn).ne(Expr::col(deadline::Column::DueOn)),
                )
                .add(
                    Condition::all()
                        .add(deadline::Column::NoticeStage.eq(UPCOMING))
                        .add(deadline::Column::DueOn.lte(today)),
                ),
        )
        .filter(
            deadline::Column::CaseId.in_subquery(
                Query::select()
                    .column(case::Column::Id)
                    .from(case::Entity)
                    .and_where(case::Column::TenantId.eq(t))
                    .and_where(case::Column::Stage.ne(Stage::Closed.as_str()))
                    .and_where(
                        case::Column::ClientId.in_subquery(
                            Query::select()
                                .column(client::Column::Id)
                                .from(client::Entity)
                                .and_where(client::Column::TenantId.eq(t))
                                .and_where(client::Column::ErasedAt.is_null())
                                .to_owned(),
                        ),
                    )
                    .to_owned(),
            ),
        )
        .order_by_asc(deadline::Column::DueOn)
        .order_by_asc(deadline::Column::Id)
        .limit(BATCH)
        .all(&txn)
        .await?;
    if rows.is_empty() {
        txn.commit().await?;
        return Ok((0, 0));
    }
    let teams =
        notifications::case_recipients(&txn, tenant, rows.iter().map(|r| r.case_id)).await?;
    let codes = crate::cases::case_codes_of(&txn, tenant, rows.iter().map(|r| r.case_id)).await?;
    let mut sent = 0;
    for row in &rows {
        let stage = if row.due_on <= today { DUE } else { UPCOMING };
        let code = codes.get(&row.case_id).map_or("?", String::as_str);
        let title = title(row, stage, today, code);
        let link = format!("/api/v1/deadlines/{}", row.id);
        let recipients: Vec<Uuid> = teams
            .get(&row.case_id)
            .map(|team| team.iter().copied().collect())
            .unwrap_or_default();
        sent += notifications::send(
            &txn,
            tenant,
            &recipients,
            &NewNotification {
                kind: &format!("deadline.{stage}"),
                title: &title,
                link: &link,
            },
        )
        .await?;
        // The deadline's version (`updated_at`, its ETag) stays: a notice is not an edit, and
        // must not make a colleague's `If-Match` fail.
        deadline::Entity::update_many()
            .col_expr(deadline::Column::NoticeStage, Expr::value(stage))
            .col_expr(deadline::Column::NoticeDueOn, Expr::value(row.due_on))
            .filter(deadline::Column::TenantId.eq(t))
            .filter(deadline::Column::Id.eq(row.id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok((rows.len(), sent))
}

/// The notification's title: what is due, when, and on which case.
fn title(row: &deadline::Model, stage: &str, today: NaiveDate, code: &str) -> String {
    let when = if stage == UPCOMING {
        format!("Due on {}", row.due_on)
    } else if row.due_on == today {
        "Due today".to_owned()
    } else {
        format!("Overdue since {}", row.due_on)
    };
    format!("{when}: {} (case {code})", row.title)
        .chars()
        .take(200)
        .collect()
}
