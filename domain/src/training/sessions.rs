//! Training sessions an organisation delivers (tenant-owned): the course and the version used
//! (kept, whatever the course becomes later), the date, the place or the online link, the
//! trainers (users of the organisation), the audience and the number who took part, an
//! optional participant list sealed with the organisation's data key, the pre- and
//! post-training evaluation scores and notes. `training.manage` records and changes them,
//! `training.read` reads them; reading a participant list is audited.

use crate::access::{check_version, forbidden, not_found, require};
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::crypto::MasterKey;
use crate::entities::training_session;
use crate::error::{DomainError, DomainResult, Validator};
use crate::fieldcrypt;
use crate::tenancy::TenantScope;
use crate::training::library::{Curator, find_course, find_version};
use crate::training::session_rows::{
    find, known_trainers, participants_field, replace_trainers, seal, trainers_of, trimmed,
};
use crate::training::sessions_check::{Draft, check};
use crate::vocab::{Audience, SessionDelivery};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, QueryFilter as _, QueryOrder as _,
    QuerySelect as _, Set,
};
use uuid::Uuid;

/// A new session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSession {
    pub course_id: Uuid,
    /// The course's published version when absent.
    pub course_version_id: Option<Uuid>,
    pub held_on: NaiveDate,
    pub delivery: SessionDelivery,
    pub place: Option<String>,
    pub online_link: Option<String>,
    pub trainer_ids: Vec<Uuid>,
    pub audience: Audience,
    pub participant_count: i32,
    pub participants: Option<Vec<String>>,
    pub pre_score: Option<i32>,
    pub post_score: Option<i32>,
    pub notes: Option<String>,
}

/// A change to a session: absent fields stay; `Some(None)` clears an optional one. The course
/// version is never changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionChange {
    pub held_on: Option<NaiveDate>,
    pub delivery: Option<SessionDelivery>,
    pub place: Option<Option<String>>,
    pub online_link: Option<Option<String>>,
    pub trainer_ids: Option<Vec<Uuid>>,
    pub audience: Option<Audience>,
    pub participant_count: Option<i32>,
    pub participants: Option<Option<Vec<String>>>,
    pub pre_score: Option<Option<i32>>,
    pub post_score: Option<Option<i32>>,
    pub notes: Option<Option<String>>,
}

/// A session as read back.
#[derive(Clone, Debug)]
pub struct SessionView {
    pub row: training_session::Model,
    pub delivery: SessionDelivery,
    pub audience: Audience,
    pub trainer_ids: Vec<Uuid>,
    /// Opened only when one session is read.
    pub participants: Option<Vec<String>>,
}

impl SessionView {
    fn new(
        row: training_session::Model,
        trainer_ids: Vec<Uuid>,
        participants: Option<Vec<String>>,
    ) -> Self {
        Self {
            delivery: SessionDelivery::parse(&row.delivery).unwrap_or(SessionDelivery::InPerson),
            audience: Audience::parse(&row.audience).unwrap_or(Audience::GeneralPublic),
            trainer_ids,
            participants,
            row,
        }
    }
}

/// Filters of the session list.
#[derive(Debug, Default, Clone)]
pub struct SessionFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub audience: Option<Audience>,
    pub course_id: Option<Uuid>,
    /// Sessions after this id (newest first, so: older than it).
    pub before: Option<Uuid>,
    pub limit: u64,
}

/// Records a session of a course version the organisation may use: a published version of a
/// shared verified course, or of one of its own courses.
///
/// # Errors
/// `Forbidden` without `training.manage`; `Invalid` fields (an unknown course, version or
/// trainer among them); database errors.
pub async fn create(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    new: NewSession,
) -> DomainResult<SessionView> {
    require(db, scope, Permission::TrainingManage).await?;
    let tenant = scope.tenant_id();
    let mut trainer_ids = new.trainer_ids.clone();
    trainer_ids.sort_unstable();
    trainer_ids.dedup();
    let draft = Draft {
        held_on: new.held_on,
        delivery: new.delivery,
        place: new.place.as_deref(),
        online_link: new.online_link.as_deref(),
        trainers: trainer_ids.len(),
        participant_count: new.participant_count,
        participants: new.participants.as_deref(),
        pre_score: new.pre_score,
        post_score: new.post_score,
        notes: new.notes.as_deref(),
    };
    let mut v = Validator::default();
    check(&mut v, &draft);
    let txn = scope.begin(db).await?;
    let curator = Curator::Tenant(scope);
    let course = find_course(&txn, &curator, new.course_id).await?;
    let version = match &course {
        Some(course) => match new.course_version_id.or(course.published_version_id) {
            Some(id) => find_version(&txn, &curator, course.id, id)
                .await?
                .filter(|v| v.number.is_some()),
            None => None,
        },
        None => None,
    };
    if course.is_none() {
        v.note("course_id", "no such course in the library");
    } else if version.is_none() {
        v.note(
            "course_version_id",
            "not a published version of this course",
        );
    }
    if !trainer_ids.is_empty() && !known_trainers(&txn, tenant, &trainer_ids).await? {
        v.note("trainer_ids", "each must be a user of your organisation");
    }
    v.finish()?;
    let version = version.ok_or(DomainError::NotFound)?;
    let id = Uuid::now_v7();
    let now = crate::now();
    let sealed = seal(&txn, master, tenant, id, new.participants.as_ref()).await?;
    let row = training_session::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(id),
        course_id: Set(version.course_id),
        course_version_id: Set(version.id),
        held_on: Set(new.held_on),
        delivery: Set(new.delivery.as_str().to_owned()),
        place: Set(trimmed(new.place)),
        online_link: Set(trimmed(new.online_link)),
        audience: Set(new.audience.as_str().to_owned()),
        participant_count: Set(new.participant_count),
        participants_sealed: Set(sealed),
        pre_score: Set(new.pre_score),
        post_score: Set(new.post_score),
        notes: Set(trimmed(new.notes)),
        created_by: Set(*scope.user_id().as_uuid()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    replace_trainers(&txn, tenant, id, &trainer_ids).await?;
    audit::record(
        &txn,
        tenant,
        Event::new(
            "training_session.created",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("training_session", id)
        .details(serde_json::json!({
            "audience": row.audience,
            "participant_count": row.participant_count,
            "participant_list": row.participants_sealed.is_some(),
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(SessionView::new(row, trainer_ids, new.participants))
}

/// The organisation's sessions, newest first, without participant lists.
///
/// # Errors
/// `Forbidden` without `training.read`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    scope: &TenantScope,
    filter: &SessionFilter,
) -> DomainResult<Vec<SessionView>> {
    use training_session::Column as S;
    require(db, scope, Permission::TrainingRead).await?;
    let tenant = scope.tenant_id();
    let mut query = training_session::Entity::scoped(tenant).order_by_desc(S::Id);
    if let Some(from) = filter.from {
        query = query.filter(S::HeldOn.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(S::HeldOn.lte(to));
    }
    if let Some(audience) = filter.audience {
        query = query.filter(S::Audience.eq(audience.as_str()));
    }
    if let Some(course) = filter.course_id {
        query = query.filter(S::CourseId.eq(course));
    }
    if let Some(before) = filter.before {
        query = query.filter(S::Id.lt(before));
    }
    let txn = scope.begin(db).await?;
    let rows = query.limit(filter.limit).all(&txn).await?;
    let mut trainers = trainers_of(&txn, tenant, rows.iter().map(|r| r.id).collect()).await?;
    txn.commit().await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let ids = trainers.remove(&row.id).unwrap_or_default();
            SessionView::new(row, ids, None)
        })
        .collect())
}

/// One session with its participant list opened (the read is audited).
///
/// # Errors
/// `NotFound` (also for another organisation's); `Forbidden` without `training.read`;
/// database errors.
pub async fn get(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
) -> DomainResult<SessionView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = find(&txn, tenant, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "training_session", id).await);
    };
    if !scope.has(Permission::TrainingRead) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::TrainingRead).await);
    }
    let participants = match &row.participants_sealed {
        Some(sealed) => {
            let key = fieldcrypt::tenant_key(&txn, master, tenant).await?;
            let json = key.open_str(&participants_field(tenant, id), sealed)?;
            audit::record(
                &txn,
                tenant,
                Event::new(
                    "training_session.participants_read",
                    Actor::user(scope),
                    Outcome::Success,
                )
                .target("training_session", id),
            )
            .await?;
            Some(serde_json::from_str(&json).map_err(|e| DomainError::Internal(e.into()))?)
        }
        None => None,
    };
    let trainers = trainers_of(&txn, tenant, vec![id]).await?;
    txn.commit().await?;
    let ids = trainers.into_values().next().unwrap_or_default();
    Ok(SessionView::new(row, ids, participants))
}

/// The version tag of a session, for `ETag` / `If-Match`.
#[must_use]
pub fn etag(row: &training_session::Model) -> String {
    format!("\"{}\"", row.updated_at.timestamp_micros())
}

/// Changes a session. Needs `training.manage` and `If-Match`.
///
/// # Errors
/// `NotFound`; `Forbidden`; `PreconditionRequired`/`PreconditionFailed`; `Invalid` fields;
/// database errors.
pub async fn update(
    db: &DatabaseConnection,
    master: &MasterKey,
    scope: &TenantScope,
    id: Uuid,
    change: SessionChange,
    if_match: Option<&str>,
) -> DomainResult<SessionView> {
    let tenant = scope.tenant_id();
    let txn = scope.begin(db).await?;
    let Some(row) = find(&txn, tenant, id).await? else {
        drop(txn);
        return Err(not_found(db, scope, "training_session", id).await);
    };
    if !scope.has(Permission::TrainingManage) {
        drop(txn);
        return Err(forbidden(db, scope, Permission::TrainingManage).await);
    }
    let current = trainers_of(&txn, tenant, vec![id]).await?;
    let mut trainer_ids = change
        .trainer_ids
        .clone()
        .unwrap_or_else(|| current.into_values().next().unwrap_or_default());
    trainer_ids.sort_unstable();
    trainer_ids.dedup();
    let key = fieldcrypt::tenant_key(&txn, master, tenant).await?;
    let participants: Option<Vec<String>> = match (&change.participants, &row.participants_sealed) {
        (Some(list), _) => list.clone(),
        (None, Some(sealed)) => Some(
            serde_json::from_str(&key.open_str(&participants_field(tenant, id), sealed)?)
                .map_err(|e| DomainError::Internal(e.into()))?,
        ),
        (None, None) => None,
    };
    let pick = |new: &Option<Option<String>>, old: &Option<String>| match new {
        Some(value) => value.clone(),
        None => old.clone(),
    };
    let place = pick(&change.place, &row.place);
    let online_link = pick(&change.online_link, &row.online_link);
    let notes = pick(&change.notes, &row.notes);
    let draft = Draft {
        held_on: change.held_on.unwrap_or(row.held_on),
        delivery: change
            .delivery
            .or_else(|| SessionDelivery::parse(&row.delivery))
            .unwrap_or(SessionDelivery::InPerson),
        place: place.as_deref(),
        online_link: online_link.as_deref(),
        trainers: trainer_ids.len(),
        participant_count: change.participant_count.unwrap_or(row.participant_count),
        participants: participants.as_deref(),
        pre_score: change.pre_score.unwrap_or(row.pre_score),
        post_score: change.post_score.unwrap_or(row.post_score),
        notes: notes.as_deref(),
    };
    let mut v = Validator::default();
    check(&mut v, &draft);
    if change.trainer_ids.is_some()
        && !trainer_ids.is_empty()
        && !known_trainers(&txn, tenant, &trainer_ids).await?
    {
        v.note("trainer_ids", "each must be a user of your organisation");
    }
    v.finish()?;
    check_version(if_match, &etag(&row))?;
    let (held_on, delivery, count) = (draft.held_on, draft.delivery, draft.participant_count);
    let (pre, post) = (draft.pre_score, draft.post_score);
    let mut model: training_session::ActiveModel = row.into();
    model.held_on = Set(held_on);
    model.delivery = Set(delivery.as_str().to_owned());
    model.place = Set(trimmed(place));
    model.online_link = Set(trimmed(online_link));
    model.notes = Set(trimmed(notes));
    model.participant_count = Set(count);
    model.pre_score = Set(pre);
    model.post_score = Set(post);
    if let Some(audience) = change.audience {
        model.audience = Set(audience.as_str().to_owned());
    }
    if change.participants.is_some() {
        model.participants_sealed =
            Set(seal(&txn, master, tenant, id, participants.as_ref()).await?);
    }
    model.updated_at = Set(crate::now());
    let updated = model.update(&txn).await?;
    if change.trainer_ids.is_some() {
        replace_trainers(&txn, tenant, id, &trainer_ids).await?;
    }
    audit::record(
        &txn,
        tenant,
        Event::new(
            "training_session.updated",
            Actor::user(scope),
            Outcome::Success,
        )
        .target("training_session", id)
        .details(serde_json::json!({
            "participant_count": updated.participant_count,
            "participant_list_changed": change.participants.is_some(),
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(SessionView::new(updated, trainer_ids, participants))
}
