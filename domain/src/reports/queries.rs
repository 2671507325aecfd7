//! The SQL of each report: one `GROUP BY` (or one query per period for occupancy), always
//! filtered to the tenant besides row-level security.

use super::buckets::{by_date, by_timestamp};
use super::{ReportFilter, ReportName, ReportRow};
use crate::entities::{
    case, client, document, interview, placement, referral, service_entry, shelter,
    training_session,
};
use crate::error::DomainResult;
use crate::ids::TenantId;
use crate::vocab::{ExploitationType, PlacementStatus};
use chrono::{DateTime, NaiveTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait as _, SelectStatement};
use sea_orm::{
    ColumnTrait as _, ConnectionTrait, EntityTrait, QueryFilter as _, QueryOrder as _,
    QuerySelect as _, QueryTrait as _, Select,
};
use std::collections::BTreeMap;

/// Runs the query of `name`.
pub(crate) async fn compute<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    name: ReportName,
    filter: &ReportFilter,
) -> DomainResult<Vec<ReportRow>> {
    match name {
        ReportName::Occupancy => occupancy(conn, tenant, filter).await,
        ReportName::CasesByStage => {
            let q = cases_in_period(tenant, filter)
                .select_only()
                .column_as(case::Column::Stage, "k0");
            grouped(conn, q, 1, &[]).await
        }
        ReportName::SignalsAndIntakes => signals_and_intakes(conn, tenant, filter).await,
        ReportName::ExploitationTypes => exploitation_types(conn, tenant, filter).await,
        ReportName::Nationalities => {
            let q = clients_in_period(tenant, filter)
                .select_only()
                .column_as(client::Column::Nationality, "k0");
            let mut rows = grouped(conn, q, 1, &[]).await?;
            for row in &mut rows {
                if row.keys[0].is_empty() {
                    "unknown".clone_into(&mut row.keys[0]);
                }
            }
            Ok(merge(rows))
        }
        ReportName::GenderAge => {
            let q = clients_in_period(tenant, filter)
                .select_only()
                .column_as(client::Column::Gender, "k0")
                .column_as(client::Column::AgeBand, "k1");
            grouped(conn, q, 2, &[]).await
        }
        ReportName::Services => {
            use service_entry::Column as S;
            let mut q = service_entry::Entity::scoped(tenant)
                .filter(S::ProvidedOn.gte(filter.from))
                .filter(S::ProvidedOn.lte(filter.to));
            if let Some(s) = filter.shelter {
                q = q.filter(S::CaseId.in_subquery(placed_cases(tenant, s)));
            }
            let q = q
                .select_only()
                .column_as(S::Area, "k0")
                .column_as(S::ServiceType, "k1");
            grouped(conn, q, 2, &[]).await
        }
        ReportName::Documents => {
            use document::Column as D;
            let (from, to) = timestamps(filter);
            let mut q = document::Entity::scoped(tenant)
                .filter(D::CreatedAt.gte(from))
                .filter(D::CreatedAt.lt(to));
            if let Some(s) = filter.shelter {
                q = q.filter(D::CaseId.in_subquery(placed_cases(tenant, s)));
            }
            let q = q
                .select_only()
                .column_as(D::Kind, "k0")
                .column_as(D::Status, "k1");
            grouped(conn, q, 2, &[]).await
        }
        ReportName::Referrals => {
            use referral::Column as R;
            let (from, to) = timestamps(filter);
            let mut q = referral::Entity::scoped(tenant)
                .filter(R::SentAt.gte(from))
                .filter(R::SentAt.lt(to));
            if let Some(s) = filter.shelter {
                q = q.filter(R::CaseId.in_subquery(placed_cases(tenant, s)));
            }
            let q = q
                .select_only()
                .column_as(R::ServiceType, "k0")
                .column_as(R::Status, "k1");
            grouped(conn, q, 2, &[]).await
        }
        ReportName::Training => {
            use training_session::Column as T;
            let q = training_session::Entity::scoped(tenant)
                .filter(T::HeldOn.gte(filter.from))
                .filter(T::HeldOn.lte(filter.to))
                .select_only()
                .column_as(T::Audience, "k0")
                .column_as(Expr::col(T::Id).count(), "e0");
            let q = q.group_by(Expr::col(Alias::new("k0")));
            let stmt = q
                .column_as(Expr::col(T::ParticipantCount).sum().cast_as("bigint"), "n")
                .order_by_asc(Expr::col(Alias::new("k0")))
                .into_query();
            read(conn, &stmt, 1, 1).await
        }
    }
}

/// The start of `from` and the end of `to`, in UTC.
fn timestamps(filter: &ReportFilter) -> (DateTime<Utc>, DateTime<Utc>) {
    let from = filter.from.and_time(NaiveTime::MIN).and_utc();
    let to = filter
        .to
        .succ_opt()
        .unwrap_or(filter.to)
        .and_time(NaiveTime::MIN)
        .and_utc();
    (from, to)
}

/// The placements that count as having lived in a shelter.
const LIVED: [PlacementStatus; 2] = [PlacementStatus::Admitted, PlacementStatus::Left];

/// The ids of the cases placed in `shelter`.
fn placed_cases(tenant: TenantId, shelter: uuid::Uuid) -> SelectStatement {
    use placement::Column as P;
    placement::Entity::scoped(tenant)
        .filter(P::ShelterId.eq(shelter))
        .filter(P::Status.is_in(LIVED.map(PlacementStatus::as_str)))
        .select_only()
        .column(P::CaseId)
        .into_query()
}

/// The cases opened in the period (placed in the shelter, when one is asked for).
fn cases_in_period(tenant: TenantId, filter: &ReportFilter) -> Select<case::Entity> {
    use case::Column as C;
    let (from, to) = timestamps(filter);
    let mut q = case::Entity::scoped(tenant)
        .filter(C::OpenedAt.gte(from))
        .filter(C::OpenedAt.lt(to));
    if let Some(s) = filter.shelter {
        q = q.filter(C::Id.in_subquery(placed_cases(tenant, s)));
    }
    q
}

/// The clients with a case opened in the period.
fn clients_in_period(tenant: TenantId, filter: &ReportFilter) -> Select<client::Entity> {
    let cases = cases_in_period(tenant, filter)
        .select_only()
        .column(case::Column::ClientId)
        .into_query();
    client::Entity::scoped(tenant).filter(client::Column::Id.in_subquery(cases))
}

/// Counts the rows of `q` grouped by its `k0…` columns.
async fn grouped<C: ConnectionTrait, E: EntityTrait>(
    conn: &C,
    q: Select<E>,
    dims: usize,
    extra: &[&str],
) -> DomainResult<Vec<ReportRow>> {
    let mut q = q.column_as(Expr::cust("COUNT(*)"), "n");
    for i in 0..dims {
        let key = Expr::col(Alias::new(format!("k{i}")));
        q = q.group_by(key.clone()).order_by_asc(key);
    }
    read(conn, &q.into_query(), dims, extra.len()).await
}

/// Reads rows of `k0…`, `n` and `e0…` columns.
async fn read<C: ConnectionTrait>(
    conn: &C,
    stmt: &SelectStatement,
    dims: usize,
    extra: usize,
) -> DomainResult<Vec<ReportRow>> {
    let mut out = Vec::new();
    for row in conn.query_all(stmt).await? {
        let mut keys = Vec::with_capacity(dims);
        for i in 0..dims {
            let key: Option<String> = row.try_get("", &format!("k{i}"))?;
            keys.push(key.unwrap_or_default());
        }
        let count: Option<i64> = row.try_get("", "n")?;
        let mut figures = Vec::with_capacity(extra);
        for i in 0..extra {
            let v: Option<i64> = row.try_get("", &format!("e{i}"))?;
            figures.push(v.unwrap_or(0));
        }
        out.push(ReportRow {
            keys,
            count: count.unwrap_or(0),
            extra: figures,
        });
    }
    Ok(out)
}

/// Adds up rows with the same keys.
pub(crate) fn merge(rows: Vec<ReportRow>) -> Vec<ReportRow> {
    let mut merged: BTreeMap<Vec<String>, ReportRow> = BTreeMap::new();
    for row in rows {
        match merged.get_mut(&row.keys) {
            Some(existing) => {
                existing.count += row.count;
                for (a, b) in existing.extra.iter_mut().zip(&row.extra) {
                    *a += b;
                }
            }
            None => {
                merged.insert(row.keys.clone(), row);
            }
        }
    }
    merged.into_values().collect()
}

async fn signals_and_intakes<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    filter: &ReportFilter,
) -> DomainResult<Vec<ReportRow>> {
    let buckets = filter.buckets();
    let signals = cases_in_period(tenant, filter).select_only().column_as(
        by_timestamp(Expr::col(case::Column::OpenedAt), &buckets),
        "k0",
    );
    let mut rows = grouped(conn, signals, 1, &[]).await?;
    for row in &mut rows {
        row.keys.push("signals".to_owned());
    }
    use interview::Column as I;
    let mut intakes = interview::Entity::scoped(tenant)
        .filter(I::HeldOn.gte(filter.from))
        .filter(I::HeldOn.lte(filter.to));
    if let Some(s) = filter.shelter {
        intakes = intakes.filter(I::CaseId.in_subquery(placed_cases(tenant, s)));
    }
    let intakes = intakes
        .select_only()
        .column_as(by_date(Expr::col(I::HeldOn), &buckets), "k0");
    for mut row in grouped(conn, intakes, 1, &[]).await? {
        row.keys.push("intakes".to_owned());
        rows.push(row);
    }
    Ok(merge(rows))
}

async fn exploitation_types<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    filter: &ReportFilter,
) -> DomainResult<Vec<ReportRow>> {
    let mut q = clients_in_period(tenant, filter).select_only();
    for (i, t) in ExploitationType::ALL.iter().enumerate() {
        // Stored as a comma-separated list of vocabulary names (letters and underscores only).
        q = q.column_as(
            Expr::cust(format!(
                "SUM(CASE WHEN (',' || \"exploitation_types\" || ',') LIKE '%,{},%' THEN 1 ELSE 0 END)",
                t.as_str()
            ))
            .cast_as("bigint"),
            format!("t{i}"),
        );
    }
    let mut out = Vec::new();
    if let Some(row) = conn.query_one(&q.into_query()).await? {
        for (i, t) in ExploitationType::ALL.iter().enumerate() {
            let n: Option<i64> = row.try_get("", &format!("t{i}"))?;
            let n = n.unwrap_or(0);
            if n > 0 {
                out.push(ReportRow {
                    keys: vec![t.as_str().to_owned()],
                    count: n,
                    extra: Vec::new(),
                });
            }
        }
    }
    Ok(out)
}

async fn occupancy<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    filter: &ReportFilter,
) -> DomainResult<Vec<ReportRow>> {
    let mut shelters = shelter::Entity::scoped(tenant);
    if let Some(s) = filter.shelter {
        shelters = shelters.filter(shelter::Column::Id.eq(s));
    }
    let shelters: Vec<(uuid::Uuid, i32)> = shelters
        .select_only()
        .column(shelter::Column::Id)
        .column(shelter::Column::Capacity)
        .order_by_asc(shelter::Column::Id)
        .into_tuple()
        .all(conn)
        .await?;
    let mut out = Vec::new();
    for bucket in filter.buckets() {
        use placement::Column as P;
        let mut q = placement::Entity::scoped(tenant)
            .filter(P::Status.is_in(LIVED.map(PlacementStatus::as_str)))
            .filter(P::StartOn.lt(bucket.end))
            .filter(
                sea_orm::Condition::any()
                    .add(P::EndOn.is_null())
                    .add(P::EndOn.gt(bucket.start)),
            );
        if let Some(s) = filter.shelter {
            q = q.filter(P::ShelterId.eq(s));
        }
        let occupied: BTreeMap<uuid::Uuid, i64> = q
            .select_only()
            .column(P::ShelterId)
            .column_as(Expr::col(P::BedId).count_distinct(), "n")
            .group_by(P::ShelterId)
            .into_tuple::<(uuid::Uuid, i64)>()
            .all(conn)
            .await?
            .into_iter()
            .collect();
        for (id, capacity) in &shelters {
            out.push(ReportRow {
                keys: vec![bucket.label.clone(), id.to_string()],
                count: occupied.get(id).copied().unwrap_or(0),
                extra: vec![i64::from(*capacity)],
            });
        }
    }
    Ok(out)
}
