//! Placements: a client of a case in a bed, from a start date to a planned or actual end.
//!
//! A bed is never double-booked — the database refuses overlapping placements of one bed
//! (see migration 000005) — and a placement outside the shelter's admission policy is
//! refused here with the reasons.

use crate::access::{forbidden, not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::cases::case_visible;
use crate::entities::{bed, client, placement, shelter};
use crate::error::{DomainError, DomainResult, Invalid};
use crate::ids::TenantId;
use crate::tenancy::TenantScope;
use crate::vocab::{AgeBand, Gender, LeaveReason, PlacementStatus, Stage};
use chrono::{Datelike as _, NaiveDate};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection, DbErr,
    QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};
use uuid::Uuid;

/// The name the database gives a refused double booking (constraint or trigger).
const NO_DOUBLE_BOOKING: &str = "placements_no_double_booking";

/// A request to place a case's client in a bed.
#[derive(Clone, Debug)]
pub struct NewPlacement {
    pub case_id: Uuid,
    pub bed_id: Uuid,
    pub start_on: NaiveDate,
    pub planned_end: Option<NaiveDate>,
    /// `reserved` (holding the bed) or `admitted` (the client is there).
    pub status: PlacementStatus,
}

fn double_booked(err: &DbErr) -> bool {
    err.to_string().contains(NO_DOUBLE_BOOKING)
}

fn age_range(client: &client::Model) -> (i32, i32) {
    let year = crate::now().year();
    if let Some(birth) = client.birth_year {
        let age = year - birth;
        return (age - 1, age);
    }
    match AgeBand::parse(&client.age_band) {
        Some(AgeBand::Age0To8) => (0, 8),
        Some(AgeBand::Age9To17) => (9, 17),
        Some(AgeBand::Age18To20) => (18, 20),
        Some(AgeBand::Age21To23) => (21, 23),
        Some(AgeBand::Age24To26) => (24, 26),
        Some(AgeBand::Age27To29) => (27, 29),
        Some(AgeBand::Age30To38) => (30, 38),
        Some(AgeBand::Age39To47) => (39, 47),
        Some(AgeBand::Age48Plus) => (48, 130),
        _ => (0, 130),
    }
}

/// Why the shelter's admission policy does not take this client (empty: it does).
fn policy_refusals(shelter: &shelter::Model, client: &client::Model) -> Vec<Invalid> {
    let mut reasons = Vec::new();
    let admitted: Vec<&str> = shelter
        .admits_genders
        .split(',')
        .filter(|s| !s.is_empty())
        .collect();
    let gender = Gender::parse(&client.gender).unwrap_or(Gender::Unknown);
    if !admitted.is_empty() && !admitted.contains(&gender.as_str()) {
        reasons.push(Invalid::new(
            "bed_id",
            format!(
                "this shelter does not admit clients of gender `{}`",
                gender.as_str()
            ),
        ));
    }
    let (youngest, oldest) = age_range(client);
    if !shelter.admits_minors && oldest < 18 {
        reasons.push(Invalid::new("bed_id", "this shelter does not admit minors"));
    }
    if let Some(min) = shelter.min_age
        && oldest < min
    {
        reasons.push(Invalid::new(
            "bed_id",
            format!("this shelter admits from age {min}"),
        ));
    }
    if let Some(max) = shelter.max_age
        && youngest > max
    {
        reasons.push(Invalid::new(
            "bed_id",
            format!("this shelter admits up to age {max}"),
        ));
    }
    reasons
}

fn check_dates(start: NaiveDate, end: Option<NaiveDate>) -> DomainResult<()> {
    if end.is_some_and(|e| e <= start) {
        return Err(DomainError::invalid(
            "planned_end",
            "must be after start_on",
        ));
    }
    Ok(())
}

async fn visible_placement<C: ConnectionTrait>(
    conn: &C,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<Option<placement::Model>> {
    Ok(placement::Entity::scoped(scope.tenant_id())
        .filter(placement::Column::Id.eq(id))
        .filter(case_visible(scope, placement::Column::CaseId))
        .one(conn)
        .await?)
}

/// Places the client of a visible, open case in a bed.
///
/// # Errors
/// `NotFound` for an unseen case or bed; `Invalid` dates; `Conflict` when the bed is out of
/// service or taken for those dates, or the case is closed; `Invalid` with the policy's
/// reasons when the shelter does not admit the client.
pub async fn create(
    db: &DatabaseConnection,
    scope: &TenantScope,
    new: NewPlacement,
) -> DomainResult<placement::Model> {
    require(db, scope, Permission::CasesWork).await?;
    if !matches!(
        new.status,
        PlacementStatus::Reserved | PlacementStatus::Admitted
    ) {
        return Err(DomainError::invalid(
            "status",
            "a new placement is `reserved` or `admitted`",
        ));
    }
    check_dates(new.start_on, new.planned_end)?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let case_row = crate::cases::visible_case(&txn, scope, new.case_id).await?;
    let Some(case_row) = case_row else {
        drop(txn);
        return Err(not_found(db, scope, "case", new.case_id).await);
    };
    let Some(bed_row) = bed::Entity::scoped(tenant)
        .filter(bed::Column::Id.eq(new.bed_id))
        .one(&txn)
        .await?
    else {
        drop(txn);
        return Err(not_found(db, scope, "bed", new.bed_id).await);
    };
    if case_row.stage == Stage::Closed.as_str() {
        return Err(DomainError::conflict(
            "case_closed",
            "A closed case cannot be placed.",
        ));
    }
    if bed_row.status != "available" {
        return Err(DomainError::conflict(
            "bed_out_of_service",
            "This bed is out of service.",
        ));
    }
    let shelter_row = shelter::Entity::scoped(tenant)
        .filter(shelter::Column::Id.eq(bed_row.shelter_id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    if shelter_row.status != "active" {
        return Err(DomainError::conflict(
            "shelter_closed",
            "This shelter is closed.",
        ));
    }
    let client_row = client::Entity::scoped(tenant)
        .filter(client::Column::Id.eq(case_row.client_id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let refusals = policy_refusals(&shelter_row, &client_row);
    if !refusals.is_empty() {
        return Err(DomainError::Conflict {
            code: "admission_policy",
            message: refusals
                .iter()
                .map(|r| r.message.clone())
                .collect::<Vec<_>>()
                .join("; "),
        });
    }
    let now = crate::now();
    let id = Uuid::now_v7();
    let inserted = placement::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        case_id: Set(case_row.id),
        client_id: Set(client_row.id),
        shelter_id: Set(shelter_row.id),
        bed_id: Set(bed_row.id),
        status: Set(new.status.as_str().to_owned()),
        start_on: Set(new.start_on),
        end_on: Set(new.planned_end),
        admitted_at: Set((new.status == PlacementStatus::Admitted).then_some(now)),
        left_at: Set(None),
        leave_reason: Set(None),
        created_by: Set(Some(*scope.user_id().as_uuid())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await;
    let row = match inserted {
        Ok(row) => row,
        Err(err) if double_booked(&err) => {
            return Err(DomainError::conflict(
                "bed_taken",
                "This bed is already taken for some of these dates.",
            ));
        }
        Err(err) => return Err(err.into()),
    };
    audit::record(
        &txn,
        tenant,
        Event::new("placement.created", Actor::user(scope), Outcome::Success)
            .target("placement", id)
            .details(serde_json::json!({"case": case_row.id, "bed": bed_row.id, "status": new.status.as_str()})),
    )
    .await?;
    txn.commit().await.map_err(|err| {
        if double_booked(&err) {
            DomainError::conflict(
                "bed_taken",
                "This bed is already taken for some of these dates.",
            )
        } else {
            err.into()
        }
    })?;
    Ok(row)
}

/// Filters of the placement list.
#[derive(Debug, Default, Clone)]
pub struct PlacementFilter {
    pub case: Option<Uuid>,
    pub shelter: Option<Uuid>,
    pub status: Option<PlacementStatus>,
    pub after: Option<Uuid>,
    pub limit: u64,
}

/// Placements of the cases the caller may see.
///
/// # Errors
/// `Forbidden` without `cases.work`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &PlacementFilter,
) -> DomainResult<Vec<placement::Model>> {
    require(db, scope, Permission::CasesWork).await?;
    let txn = scope.begin(db).await?;
    let mut query = placement::Entity::scoped(scope.tenant_id())
        .filter(case_visible(scope, placement::Column::CaseId))
        .order_by_asc(placement::Column::Id);
    if let Some(case) = filter.case {
        query = query.filter(placement::Column::CaseId.eq(case));
    }
    if let Some(shelter) = filter.shelter {
        query = query.filter(placement::Column::ShelterId.eq(shelter));
    }
    if let Some(status) = filter.status {
        query = query.filter(placement::Column::Status.eq(status.as_str()));
    }
    if let Some(after) = filter.after {
        query = query.filter(placement::Column::Id.gt(after));
    }
    let rows = query.limit(filter.limit).all(&txn).await?;
    txn.commit().await?;
    Ok(rows)
}

/// One placement of a visible case.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn get(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<placement::Model> {
    let txn = scope.begin(db).await?;
    let found = visible_placement(&txn, scope, id).await?;
    txn.commit().await?;
    match found {
        Some(row) => Ok(row),
        None => Err(not_found(db, scope, "placement", id).await),
    }
}

/// The version tag of a placement, for `ETag` / `If-Match`.
#[must_use]
pub fn etag(row: &placement::Model) -> String {
    format!("\"{}\"", row.updated_at.timestamp_micros())
}

/// What may change on a placement.
#[derive(Debug, Default, Clone)]
pub struct PlacementChange {
    /// `admitted` (from reserved), `left` (from admitted) or `cancelled` (from reserved).
    pub status: Option<PlacementStatus>,
    pub planned_end: Option<Option<NaiveDate>>,
    /// The day the client left, with `status: left` (default today).
    pub left_on: Option<NaiveDate>,
    pub leave_reason: Option<LeaveReason>,
}

/// Admits, records a departure, cancels a reservation or moves the planned end.
///
/// # Errors
/// `NotFound`; `Forbidden`; `PreconditionRequired`/`PreconditionFailed`; `Conflict` for a
/// change the placement's state does not allow or a new end that collides with another
/// placement; `Invalid` dates.
pub async fn update(
    db: &DatabaseConnection,
    scope: &TenantScope,
    id: Uuid,
    change: PlacementChange,
    if_match: Option<&str>,
) -> DomainResult<placement::Model> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = visible_placement(&txn, scope, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "placement", id).await);
    };
    if !scope.has(Permission::CasesWork) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::CasesWork).await);
    }
    crate::access::check_version(if_match, &etag(&row))?;
    let current = PlacementStatus::parse(&row.status).unwrap_or(PlacementStatus::Reserved);
    let now = crate::now();
    let start_on = row.start_on;
    let mut model: placement::ActiveModel = row.into();
    if let Some(planned) = change.planned_end {
        if matches!(current, PlacementStatus::Left | PlacementStatus::Cancelled) {
            return Err(DomainError::conflict(
                "placement_ended",
                "This placement has ended.",
            ));
        }
        check_dates(start_on, planned)?;
        model.end_on = Set(planned);
    }
    if change.leave_reason.is_some() && change.status != Some(PlacementStatus::Left) {
        return Err(DomainError::invalid(
            "leave_reason",
            "is given only with `status: left`",
        ));
    }
    let action = match change.status {
        None => "placement.updated",
        Some(next) => {
            let allowed = matches!(
                (current, next),
                (PlacementStatus::Reserved, PlacementStatus::Admitted)
                    | (PlacementStatus::Reserved, PlacementStatus::Cancelled)
                    | (PlacementStatus::Admitted, PlacementStatus::Left)
            );
            if !allowed {
                return Err(DomainError::conflict(
                    "placement_state",
                    format!(
                        "A `{}` placement cannot become `{}`.",
                        current.as_str(),
                        next.as_str()
                    ),
                ));
            }
            model.status = Set(next.as_str().to_owned());
            match next {
                PlacementStatus::Admitted => {
                    model.admitted_at = Set(Some(now));
                    "placement.admitted"
                }
                PlacementStatus::Left => {
                    let left_on = change.left_on.unwrap_or_else(|| now.date_naive());
                    if left_on < start_on {
                        return Err(DomainError::invalid(
                            "left_on",
                            "is before the placement started",
                        ));
                    }
                    let Some(reason) = change.leave_reason else {
                        return Err(DomainError::invalid(
                            "leave_reason",
                            "is required when a client leaves",
                        ));
                    };
                    // The range is half-open: a stay that ends the day it began holds that day.
                    let end = if left_on > start_on {
                        left_on
                    } else {
                        start_on.succ_opt().unwrap_or(start_on)
                    };
                    model.end_on = Set(Some(end));
                    model.left_at = Set(Some(now));
                    model.leave_reason = Set(Some(reason.as_str().to_owned()));
                    "placement.left"
                }
                _ => "placement.cancelled",
            }
        }
    };
    model.updated_at = Set(now);
    let updated = match model.update(&txn).await {
        Ok(row) => row,
        Err(err) if double_booked(&err) => {
            return Err(DomainError::conflict(
                "bed_taken",
                "This bed is already taken for some of these dates.",
            ));
        }
        Err(err) => return Err(err.into()),
    };
    audit::record(
        &txn,
        tenant,
        Event::new(action, Actor::user(scope), Outcome::Success).target("placement", id),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// The beds of `shelter` occupied (admitted, not yet ended) and reserved (held, not yet
/// ended) on `day`.
///
/// # Errors
/// Database errors.
pub(crate) async fn beds_in_use<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    shelter: Uuid,
    day: NaiveDate,
) -> DomainResult<(Vec<Uuid>, Vec<Uuid>)> {
    let rows = placement::Entity::scoped(tenant)
        .filter(placement::Column::ShelterId.eq(shelter))
        .filter(placement::Column::Status.is_in([
            PlacementStatus::Reserved.as_str(),
            PlacementStatus::Admitted.as_str(),
        ]))
        .filter(placement::Column::StartOn.lte(day))
        .filter(
            sea_orm::Condition::any()
                .add(placement::Column::EndOn.is_null())
                .add(placement::Column::EndOn.gt(day)),
        )
        .all(conn)
        .await?;
    let mut occupied = Vec::new();
    let mut reserved = Vec::new();
    for row in rows {
        if row.status == PlacementStatus::Admitted.as_str() {
            occupied.push(row.bed_id);
        } else {
            reserved.push(row.bed_id);
        }
    }
    Ok((occupied, reserved))
}

/// What shelter staff may know of a resident: enough to run the house, never who they are.
#[derive(Clone, Debug)]
pub struct Resident {
    pub placement_id: Uuid,
    pub case_code: String,
    pub room: String,
    pub bed: String,
    pub status: PlacementStatus,
    pub start_on: NaiveDate,
    pub end_on: Option<NaiveDate>,
    pub languages: Vec<String>,
    pub needs: Vec<String>,
}

/// The current and expected residents of a shelter. Staff see the shelters they are assigned
/// to; those who see every case see every shelter.
///
/// # Errors
/// `Forbidden` without `residents.read`; `NotFound` for another tenant's shelter or one the
/// caller does not work at; database errors.
pub async fn residents(
    db: &DatabaseConnection,
    scope: &TenantScope,
    shelter_id: Uuid,
) -> DomainResult<Vec<Resident>> {
    use crate::entities::{room, shelter_staff};
    require(db, scope, Permission::ResidentsRead).await?;
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let shelter_row = shelter::Entity::scoped(tenant)
        .filter(shelter::Column::Id.eq(shelter_id))
        .one(&txn)
        .await?;
    let assigned = shelter_staff::Entity::scoped(tenant)
        .filter(shelter_staff::Column::ShelterId.eq(shelter_id))
        .filter(shelter_staff::Column::UserId.eq(*scope.user_id().as_uuid()))
        .one(&txn)
        .await?
        .is_some();
    if shelter_row.is_none() || !(assigned || scope.has(Permission::CasesReadAll)) {
        drop(txn);
        return Err(not_found(db, scope, "shelter", shelter_id).await);
    }
    let today = crate::now().date_naive();
    let rows = placement::Entity::scoped(tenant)
        .filter(placement::Column::ShelterId.eq(shelter_id))
        .filter(placement::Column::Status.is_in([
            PlacementStatus::Reserved.as_str(),
            PlacementStatus::Admitted.as_str(),
        ]))
        .filter(
            sea_orm::Condition::any()
                .add(placement::Column::EndOn.is_null())
                .add(placement::Column::EndOn.gt(today)),
        )
        .order_by_asc(placement::Column::StartOn)
        .all(&txn)
        .await?;
    let beds: std::collections::HashMap<Uuid, bed::Model> = bed::Entity::scoped(tenant)
        .filter(bed::Column::ShelterId.eq(shelter_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|b| (b.id, b))
        .collect();
    let rooms: std::collections::HashMap<Uuid, String> = room::Entity::scoped(tenant)
        .filter(room::Column::ShelterId.eq(shelter_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let clients: std::collections::HashMap<Uuid, client::Model> = client::Entity::scoped(tenant)
        .filter(client::Column::Id.is_in(rows.iter().map(|p| p.client_id).collect::<Vec<_>>()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    txn.commit().await?;
    let split = |text: &str| {
        text.split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    Ok(rows
        .into_iter()
        .map(|p| {
            let bed_row = beds.get(&p.bed_id);
            let client_row = clients.get(&p.client_id);
            Resident {
                placement_id: p.id,
                case_code: client_row.map(|c| c.case_code.clone()).unwrap_or_default(),
                room: bed_row
                    .and_then(|b| rooms.get(&b.room_id))
                    .cloned()
                    .unwrap_or_default(),
                bed: bed_row.map(|b| b.label.clone()).unwrap_or_default(),
                status: PlacementStatus::parse(&p.status).unwrap_or(PlacementStatus::Reserved),
                start_on: p.start_on,
                end_on: p.end_on,
                languages: client_row.map(|c| split(&c.languages)).unwrap_or_default(),
                needs: client_row.map(|c| split(&c.needs)).unwrap_or_default(),
            }
        })
        .collect())
}
