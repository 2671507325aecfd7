//! Reviews of a support plan: who took part, the progress of each goal named (which sets the
//! goal's status), and the next review date, written to the case's deadlines.

use super::goals;
use super::{
    REVIEW_DEADLINE_KIND, REVIEW_DEADLINE_SOURCE, bounded_text, case_for_work, check_users, field,
    open_opt, past_day, reader_key, require_work, seal_opt, tenant_today,
};
use crate::access::not_found;
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::cases::case_visible;
use crate::clients::client_data_key;
use crate::crypto::MasterKey;
use crate::entities::{deadline, support_goal, support_review};
use crate::error::{DomainError, DomainResult, Validator};
use crate::fieldcrypt::DataKey;
use crate::ids::TenantId;
use crate::tenancy::TenantScope;
use crate::vocab::GoalStatus;
use chrono::{Datelike as _, NaiveDate};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The table sealed fields belong to (part of their associated data).
const TABLE: &str = "support_reviews";
/// Most participants of one review.
const MAX_PARTICIPANTS: usize = 20;
/// Most goals one review reports on.
const MAX_PROGRESS: usize = 100;
/// Longest comment on a goal's progress, in characters.
const MAX_COMMENT: usize = 2_000;

/// The progress of one goal, as reported in a review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoalProgress {
    pub goal_id: Uuid,
    /// The goal's status from this review on.
    pub status: GoalStatus,
    /// Sealed at rest with the client's data key.
    pub comment: Option<String>,
}

/// A new review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReview {
    pub held_on: NaiveDate,
    /// Users of the tenant who took part (at least one).
    pub participant_ids: Vec<Uuid>,
    pub progress: Vec<GoalProgress>,
    /// When the plan is reviewed next: an open deadline of the case.
    pub next_review_on: Option<NaiveDate>,
}

/// Progress as read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressView {
    pub goal_id: Uuid,
    pub status: GoalStatus,
    pub comment: Option<String>,
}

/// A review as stored, with comments opened when the reader may see them.
#[derive(Clone, Debug)]
pub struct ReviewView {
    pub row: support_review::Model,
    pub participant_ids: Vec<Uuid>,
    pub progress: Vec<ProgressView>,
    /// Whether the comments were opened for this reader.
    pub sealed_shown: bool,
}

/// Filters of a case's reviews.
#[derive(Debug, Default, Clone)]
pub struct ReviewFilter {
    pub after: Option<Uuid>,
    pub limit: u64,
}

/// Progress as stored: the status in clear, the comment sealed.
#[derive(Serialize, Deserialize)]
struct StoredProgress {
    goal_id: Uuid,
    status: GoalStatus,
    comment_sealed: Option<String>,
}

fn comment_name(goal: Uuid) -> String {
    format!("progress.{goal}.comment")
}

fn to_json<T: Serialize>(value: &T) -> DomainResult<String> {
    serde_json::to_string(value).map_err(|e| DomainError::Internal(e.into()))
}

fn stored_progress(row: &support_review::Model) -> Vec<StoredProgress> {
    serde_json::from_str(&row.progress).unwrap_or_default()
}

pub(crate) fn view(row: support_review::Model, key: Option<&DataKey>) -> DomainResult<ReviewView> {
    let tenant = TenantId::from_uuid(row.tenant_id);
    let progress = stored_progress(&row)
        .into_iter()
        .map(|p| {
            let name = comment_name(p.goal_id);
            Ok(ProgressView {
                goal_id: p.goal_id,
                status: p.status,
                comment: open_opt(
                    key,
                    &field(tenant, TABLE, row.id, &name),
                    p.comment_sealed.as_deref(),
                )?,
            })
        })
        .collect::<DomainResult<Vec<_>>>()?;
    Ok(ReviewView {
        participant_ids: serde_json::from_str(&row.participant_ids).unwrap_or_default(),
        progress,
        sealed_shown: key.is_some(),
        row,
    })
}

/// Checks everything that needs no database.
fn validate(v: &mut Validator, review: &NewReview, today: NaiveDate) {
    past_day(v, "held_on", review.held_on, today);
    let participants: BTreeSet<Uuid> = review.participant_ids.iter().copied().collect();
    if participants.is_empty() || participants.len() > MAX_PARTICIPANTS {
        v.note(
            "participant_ids",
            format!("name 1 to {MAX_PARTICIPANTS} participants"),
        );
    }
    if review.progress.len() > MAX_PROGRESS {
        v.note(
            "progress",
            format!("report on at most {MAX_PROGRESS} goals"),
        );
    }
    let mut goals = BTreeSet::new();
    for (i, p) in review.progress.iter().enumerate() {
        if !goals.insert(p.goal_id) {
            v.note(&format!("progress[{i}].goal_id"), "names a goal twice");
        }
        if let Some(comment) = &p.comment {
            bounded_text(v, &format!("progress[{i}].comment"), comment, MAX_COMMENT);
        }
    }
    if let Some(next) = review.next_review_on {
        if next <= review.held_on {
            v.note("next_review_on", "must be after the review");
        } else if next.year() > 2100 {
            v.note("next_review_on", "must be before 2100");
        }
    }
}

/// Notes each goal of `progress` that is not a goal of `case_id`.
async fn check_goals<C: ConnectionTrait>(
    conn: &C,
    tenant: TenantId,
    case_id: Uuid,
    progress: &[GoalProgress],
    v: &mut Validator,
) -> DomainResult<()> {
    if progress.is_empty() || progress.len() > MAX_PROGRESS {
        return Ok(());
    }
    let known: BTreeSet<Uuid> = support_goal::Entity::scoped(tenant)
        .filter(support_goal::Column::CaseId.eq(case_id))
        .filter(
            support_goal::Column::Id.is_in(progress.iter().map(|p| p.goal_id).collect::<Vec<_>>()),
        )
        .select_only()
        .column(support_goal::Column::Id)
        .into_tuple::<Uuid>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    for (i, p) in progress.iter().enumerate() {
        if !known.contains(&p.goal_id) {
            v.note(
                &format!("progress[{i}].goal_id"),
                "is not a goal of this case",
            );
        }
    }
    Ok(())
}

/// Marks the case's open review deadlines done (this review is the one they were for) and
/// writes the next one. Returns the new deadline's id.
async fn schedule_next(
    txn: &DatabaseTransaction,
    scope: &TenantScope,
    case_id: Uuid,
    next: Option<NaiveDate>,
) -> DomainResult<Option<Uuid>> {
    let tenant = scope.tenant_id();
    let now = crate::now();
    let open = deadline::Entity::scoped(tenant)
        .filter(deadline::Column::CaseId.eq(case_id))
        .filter(deadline::Column::Kind.eq(REVIEW_DEADLINE_KIND))
        .filter(deadline::Column::Status.eq("open"))
        .all(txn)
        .await?;
    for row in open {
        let mut model: deadline::ActiveModel = row.into();
        model.status = Set("done".to_owned());
        model.completed_at = Set(Some(now));
        model.completed_by = Set(Some(*scope.user_id().as_uuid()));
        model.updated_at = Set(now);
        model.update(txn).await?;
    }
    let Some(due_on) = next else {
        return Ok(None);
    };
    let row = crate::deadlines::Due {
        case_id,
        kind: REVIEW_DEADLINE_KIND,
        title: "Support plan review",
        due_on,
        source: REVIEW_DEADLINE_SOURCE,
        step_code: None,
    }
    .open(tenant, now)
    .insert(txn)
    .await?;
    Ok(Some(row.id))
}

/// Records a review of the plan of a visible, open case: sets the status of each goal it names
/// and, with a next review date, writes an open deadline for it.
///
/// # Errors
/// `Forbidden` without `cases.work`; `NotFound` for an unseen case; `Conflict case_closed`;
/// `Invalid` fields (a goal of another case, a participant who is not a user here…);
/// `Conflict client_erased`; database errors.
pub async fn create(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    case_id: Uuid,
    review: NewReview,
) -> DomainResult<ReviewView> {
    let tenant = scope.tenant_id();
    let (txn, case_row) = case_for_work(db, scope, case_id, true).await?;
    let mut v = Validator::default();
    validate(&mut v, &review, tenant_today(&txn, tenant).await?);
    let mut participants: Vec<Uuid> = review
        .participant_ids
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if participants.len() <= MAX_PARTICIPANTS {
        let named: Vec<(String, Uuid)> = review
            .participant_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (format!("participant_ids[{i}]"), *id))
            .collect();
        check_users(&txn, tenant, &named, &mut v).await?;
    }
    check_goals(&txn, tenant, case_id, &review.progress, &mut v).await?;
    v.finish()?;
    participants.sort();

    let key = client_data_key(&txn, master, tenant, case_row.client_id).await?;
    let id = Uuid::now_v7();
    let progress = review
        .progress
        .iter()
        .map(|p| {
            let name = comment_name(p.goal_id);
            Ok(StoredProgress {
                goal_id: p.goal_id,
                status: p.status,
                comment_sealed: seal_opt(
                    key.as_ref(),
                    &field(tenant, TABLE, id, &name),
                    p.comment.as_deref(),
                )?,
            })
        })
        .collect::<DomainResult<Vec<_>>>()?;
    let deadline_id = schedule_next(&txn, scope, case_id, review.next_review_on).await?;
    let now = crate::now();
    let row = support_review::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        case_id: Set(case_id),
        client_id: Set(case_row.client_id),
        held_on: Set(review.held_on),
        participant_ids: Set(to_json(&participants)?),
        progress: Set(to_json(&progress)?),
        next_review_on: Set(review.next_review_on),
        deadline_id: Set(deadline_id),
        created_by: Set(Some(*scope.user_id().as_uuid())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let statuses: Vec<(Uuid, GoalStatus)> = review
        .progress
        .iter()
        .map(|p| (p.goal_id, p.status))
        .collect();
    goals::set_statuses(&txn, tenant, &statuses).await?;
    audit::record(
        &txn,
        tenant,
        Event::new(
            "support_review.created",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("support_review", id)
        .details(serde_json::json!({
            "case": case_id,
            "goals": statuses.len(),
            "deadline": deadline_id,
        })),
    )
    .await?;
    txn.commit().await?;
    let shown = key.filter(|_| scope.has(Permission::ClientIdentityRead));
    view(row, shown.as_ref())
}

/// The reviews of a visible case, oldest first, without comments (read one review for those).
///
/// # Errors
/// `Forbidden` without `cases.work`; `NotFound` for an unseen case; database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    case_id: Uuid,
    filter: &ReviewFilter,
) -> DomainResult<Vec<ReviewView>> {
    let (txn, _) = case_for_work(db, scope, case_id, false).await?;
    let mut query = support_review::Entity::scoped(scope.tenant_id())
        .filter(support_review::Column::CaseId.eq(case_id))
        .order_by_asc(support_review::Column::Id);
    if let Some(after) = filter.after {
        query = query.filter(support_review::Column::Id.gt(after));
    }
    let rows = query.limit(filter.limit).all(&txn).await?;
    txn.commit().await?;
    rows.into_iter().map(|row| view(row, None)).collect()
}

/// One review of a visible case; comments opened (and the reading audited) for readers with
/// `clients.identity_read`.
///
/// # Errors
/// `Forbidden` without `cases.work`; `NotFound`; database errors.
pub async fn get(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<ReviewView> {
    require_work(db, scope).await?;
    let txn = scope.begin(db).await?;
    let row = support_review::Entity::scoped(scope.tenant_id())
        .filter(support_review::Column::Id.eq(id))
        .filter(case_visible(scope, support_review::Column::CaseId))
        .one(&txn)
        .await?;
    let Some(row) = row else {
        drop(txn);
        return Err(not_found(db, scope, "support_review", id).await);
    };
    let key = reader_key(&txn, master, scope, row.client_id).await?;
    let has_comments = stored_progress(&row)
        .iter()
        .any(|p| p.comment_sealed.is_some());
    if key.is_some() && has_comments {
        audit::record(
            &txn,
            scope.tenant_id(),
            Event::new("support_review.read", Actor::user(scope), Outcome::Success)
                .target("support_review", id)
                .details(serde_json::json!({"case": row.case_id})),
        )
        .await?;
    }
    txn.commit().await?;
    view(row, key.as_ref())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn review(next: Option<NaiveDate>, progress: Vec<GoalProgress>) -> NewReview {
        NewReview {
            held_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            participant_ids: vec![Uuid::now_v7()],
            progress,
            next_review_on: next,
        }
    }

    fn fields(r: &NewReview) -> Vec<String> {
        let mut v = Validator::default();
        validate(&mut v, r, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap());
        match v.finish() {
            Ok(()) => vec![],
            Err(DomainError::Invalid(list)) => list.into_iter().map(|i| i.field).collect(),
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn reviews_are_checked_field_by_field() {
        let goal = Uuid::now_v7();
        let p = |comment: Option<&str>| GoalProgress {
            goal_id: goal,
            status: GoalStatus::Achieved,
            comment: comment.map(str::to_owned),
        };
        let ok = review(NaiveDate::from_ymd_opt(2027, 2, 1), vec![p(Some("Done"))]);
        assert!(fields(&ok).is_empty());
        assert_eq!(
            fields(&review(NaiveDate::from_ymd_opt(2026, 11, 20), vec![])),
            ["next_review_on"]
        );
        assert_eq!(
            fields(&review(None, vec![p(None), p(Some(" "))])),
            ["progress[1].goal_id", "progress[1].comment"]
        );
        let mut nobody = review(None, vec![]);
        nobody.participant_ids.clear();
        nobody.held_on = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(fields(&nobody), ["held_on", "participant_ids"]);
    }

    #[test]
    fn comments_are_sealed_per_goal_and_open_only_with_the_key() {
        let key = DataKey::generate().unwrap();
        let tenant = TenantId::new();
        let id = Uuid::now_v7();
        let goal = Uuid::now_v7();
        let stored = vec![StoredProgress {
            goal_id: goal,
            status: GoalStatus::InProgress,
            comment_sealed: seal_opt(
                Some(&key),
                &field(tenant, TABLE, id, &comment_name(goal)),
                Some("Slept well this week"),
            )
            .unwrap(),
        }];
        let row = support_review::Model {
            tenant_id: *tenant.as_uuid(),
            id,
            case_id: Uuid::now_v7(),
            client_id: Uuid::now_v7(),
            held_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            participant_ids: "[]".into(),
            progress: to_json(&stored).unwrap(),
            next_review_on: None,
            deadline_id: None,
            created_by: None,
            created_at: crate::now(),
            updated_at: crate::now(),
        };
        assert!(!row.progress.contains("Slept"));
        let opened = view(row.clone(), Some(&key)).unwrap();
        assert_eq!(
            opened.progress[0].comment.as_deref(),
            Some("Slept well this week")
        );
        let closed = view(row, None).unwrap();
        assert_eq!(closed.progress[0].comment, None);
        assert_eq!(closed.progress[0].status, GoalStatus::InProgress);
    }
}
