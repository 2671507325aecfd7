//! How many people an organisation trained, by audience and period, counted by the database
//! (`GROUP BY` over the sessions; nothing is decrypted).

use crate::access::forbidden;
use crate::authz::Permission;
use crate::entities::training_session;
use crate::error::{DomainError, DomainResult};
use crate::tenancy::TenantScope;
use crate::vocab::{Audience, SummaryPeriod};
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ColumnTrait as _, DatabaseBackend, DatabaseConnection, FromQueryResult, QueryFilter as _,
    QueryOrder as _, QuerySelect as _,
};

/// What to count.
#[derive(Debug, Clone)]
pub struct SummaryQuery {
    pub period: SummaryPeriod,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub audience: Option<Audience>,
}

/// People trained in one period by one audience.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    /// `2026-11`, `2026-Q4` or `2026`.
    pub period: String,
    pub audience: Audience,
    pub sessions: i64,
    pub participants: i64,
}

/// The counts: per period and audience, and per audience over the whole range.
#[derive(Debug, Clone)]
pub struct Summary {
    pub rows: Vec<SummaryRow>,
    pub totals: Vec<SummaryRow>,
}

#[derive(FromQueryResult)]
struct Counted {
    period: String,
    audience: String,
    sessions: i64,
    participants: i64,
}

/// The SQL that names a session's period; the two databases format dates differently.
fn period_sql(backend: DatabaseBackend, period: SummaryPeriod) -> &'static str {
    match (backend, period) {
        (DatabaseBackend::Postgres, SummaryPeriod::Month) => "to_char(held_on, 'YYYY-MM')",
        (DatabaseBackend::Postgres, SummaryPeriod::Quarter) => "to_char(held_on, 'YYYY-\"Q\"Q')",
        (DatabaseBackend::Postgres, SummaryPeriod::Year) => "to_char(held_on, 'YYYY')",
        (_, SummaryPeriod::Month) => "strftime('%Y-%m', held_on)",
        (_, SummaryPeriod::Quarter) => {
            "strftime('%Y', held_on) || '-Q' || \
             ((CAST(strftime('%m', held_on) AS INTEGER) + 2) / 3)"
        }
        (_, SummaryPeriod::Year) => "strftime('%Y', held_on)",
    }
}

/// Counts sessions and participants. Needs `training.read` or `reports.read`.
///
/// # Errors
/// `Forbidden`; `Invalid` range; database errors.
pub async fn summary(
    db: &DatabaseConnection,
    scope: &TenantScope,
    query: &SummaryQuery,
) -> DomainResult<Summary> {
    use training_session::Column as S;
    if !scope.has(Permission::TrainingRead) && !scope.has(Permission::ReportsRead) {
        return Err(forbidden(db, scope, Permission::TrainingRead).await);
    }
    if let (Some(from), Some(to)) = (query.from, query.to)
        && to < from
    {
        return Err(DomainError::invalid("to", "must not be before from"));
    }
    let tenant = scope.tenant_id();
    let mut base = training_session::Entity::scoped(tenant);
    if let Some(from) = query.from {
        base = base.filter(S::HeldOn.gte(from));
    }
    if let Some(to) = query.to {
        base = base.filter(S::HeldOn.lte(to));
    }
    if let Some(audience) = query.audience {
        base = base.filter(S::Audience.eq(audience.as_str()));
    }
    let period = Expr::cust(period_sql(db.get_database_backend(), query.period));
    let txn = scope.begin(db).await?;
    let rows = base
        .clone()
        .select_only()
        .column_as(period.clone(), "period")
        .column(S::Audience)
        .column_as(Expr::col(S::Id).count(), "sessions")
        .column_as(
            Expr::col(S::ParticipantCount).sum().cast_as("bigint"),
            "participants",
        )
        .group_by(period.clone())
        .group_by(S::Audience)
        .order_by_asc(period)
        .order_by_asc(S::Audience)
        .into_model::<Counted>()
        .all(&txn)
        .await?;
    let totals = base
        .select_only()
        .column_as(Expr::val(""), "period")
        .column(S::Audience)
        .column_as(Expr::col(S::Id).count(), "sessions")
        .column_as(
            Expr::col(S::ParticipantCount).sum().cast_as("bigint"),
            "participants",
        )
        .group_by(S::Audience)
        .order_by_asc(S::Audience)
        .into_model::<Counted>()
        .all(&txn)
        .await?;
    txn.commit().await?;
    let convert = |rows: Vec<Counted>| {
        rows.into_iter()
            .filter_map(|r| {
                Some(SummaryRow {
                    audience: Audience::parse(&r.audience)?,
                    period: r.period,
                    sessions: r.sessions,
                    participants: r.participants,
                })
            })
            .collect()
    };
    Ok(Summary {
        rows: convert(rows),
        totals: convert(totals),
    })
}
