//! Versions of library courses: every edit writes a new version (old ones stay readable, and
//! sessions keep the one they used). An edit of a private course is published at once; an
//! edit of a shared course — by its owner or by any other organisation — is a proposal that a
//! platform administrator verifies or rejects with a note, which the proposer then sees.

use crate::access::check_version;
use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::entities::{training_course, training_course_version};
use crate::error::{DomainError, DomainResult};
use crate::training::courses::audit_for_owner;
use crate::training::library::{
    CourseContent, Curator, MAX_NOTE, ModuleContent, VersionState, VersionView, etag, find_course,
    find_version, insert_version, modules_of, next_number, shown_version, versions_visible_to,
};
use crate::vocab::{Audience, ReviewDecision, VerificationStatus, Visibility};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};
use uuid::Uuid;

/// A change to a course's content: absent fields are taken from the version it starts from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CourseChange {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub audiences: Option<Vec<Audience>>,
    pub languages: Option<Vec<String>>,
    pub duration_minutes: Option<i32>,
    pub objectives: Option<Vec<String>>,
    /// Replaces every module when present.
    pub modules: Option<Vec<ModuleContent>>,
}

impl CourseChange {
    fn apply(self, mut content: CourseContent) -> CourseContent {
        if let Some(v) = self.title {
            content.title = v;
        }
        if let Some(v) = self.summary {
            content.summary = v;
        }
        if let Some(v) = self.audiences {
            content.audiences = v;
        }
        if let Some(v) = self.languages {
            content.languages = v;
        }
        if let Some(v) = self.duration_minutes {
            content.duration_minutes = v;
        }
        if let Some(v) = self.objectives {
            content.objectives = v;
        }
        if let Some(v) = self.modules {
            content.modules = v;
        }
        content
    }
}

/// Writes a new version of a course from the version the caller is shown. Needs
/// `training.manage` and `If-Match` with the course's `ETag`.
///
/// # Errors
/// `NotFound`; `Forbidden`; `PreconditionRequired`/`PreconditionFailed`; `Invalid` content;
/// database errors.
pub async fn create(
    db: &DatabaseConnection,
    curator: &Curator<'_>,
    course_id: Uuid,
    change: CourseChange,
    if_match: Option<&str>,
) -> DomainResult<VersionView> {
    let txn = curator.begin(db).await?;
    let Some(course) = find_course(&txn, curator, course_id).await? else {
        drop(txn);
        return Err(curator.not_found(db, course_id).await);
    };
    if matches!(curator, Curator::Tenant(scope) if !scope.has(Permission::TrainingManage)) {
        drop(txn);
        curator.require(db, Permission::TrainingManage).await?;
        return Err(DomainError::Forbidden);
    }
    let base = shown_version(&txn, curator, &course).await?;
    let content = change.apply(base.content());
    content.check()?;
    check_version(if_match, &etag(&course))?;
    let visibility = Visibility::parse(&course.visibility).unwrap_or(Visibility::Private);
    let owner_writes = course.owner_tenant_id == curator.tenant().map(|t| *t.as_uuid());
    let publish = visibility == Visibility::Private || matches!(curator, Curator::Platform(_));
    let state = VersionState {
        visibility,
        status: match (visibility, publish) {
            (Visibility::Private, _) => None,
            (Visibility::Shared, true) => Some(VerificationStatus::Verified),
            (Visibility::Shared, false) => Some(VerificationStatus::Pending),
        },
        number: if publish {
            Some(next_number(&txn, course.id).await?)
        } else {
            None
        },
        base: course.published_version_id,
    };
    let version_id = Uuid::now_v7();
    let row = insert_version(&txn, curator, course.id, version_id, &content, state).await?;
    let now = crate::now();
    if publish || owner_writes {
        let was_rejected =
            course.verification_status.as_deref() == Some(VerificationStatus::Rejected.as_str());
        let mut model: training_course::ActiveModel = course.clone().into();
        model.latest_version_id = Set(version_id);
        if publish {
            model.published_version_id = Set(Some(version_id));
            if visibility == Visibility::Shared {
                model.verification_status = Set(Some(VerificationStatus::Verified.as_str().into()));
                model.verified_at = Set(Some(now));
            }
        } else if was_rejected {
            model.verification_status = Set(Some(VerificationStatus::Pending.as_str().into()));
        }
        model.updated_at = Set(now);
        model.update(&txn).await?;
    }
    if let Curator::Tenant(scope) = curator {
        let action = if publish {
            "training_course.version_published"
        } else {
            "training_course.version_proposed"
        };
        audit::record(
            &txn,
            scope.tenant_id(),
            Event::new(action, Actor::user(scope), Outcome::Success)
                .target("training_course", course.id)
                .details(serde_json::json!({"version_id": version_id})),
        )
        .await?;
    }
    let modules = modules_of(&txn, version_id).await?;
    txn.commit().await?;
    Ok(VersionView::new(row, curator, modules))
}

/// The versions of a course the caller may see (published ones, and the caller's own
/// proposals), newest first, without modules.
///
/// # Errors
/// `NotFound`; `Forbidden` without `training.read`; database errors.
pub async fn list(
    db: &DatabaseConnection,
    curator: &Curator<'_>,
    course_id: Uuid,
) -> DomainResult<Vec<VersionView>> {
    let txn = curator.begin(db).await?;
    if find_course(&txn, curator, course_id).await?.is_none() {
        drop(txn);
        return Err(curator.not_found(db, course_id).await);
    }
    let rows = training_course_version::Entity::find()
        .filter(training_course_version::Column::CourseId.eq(course_id))
        .filter(versions_visible_to(curator))
        .order_by_desc(training_course_version::Column::Id)
        .limit(200)
        .all(&txn)
        .await?;
    txn.commit().await?;
    curator.require(db, Permission::TrainingRead).await?;
    Ok(rows
        .into_iter()
        .map(|row| VersionView::new(row, curator, Vec::new()))
        .collect())
}

/// One version with its modules rendered.
///
/// # Errors
/// `NotFound`; `Forbidden` without `training.read`; database errors.
pub async fn get(
    db: &DatabaseConnection,
    curator: &Curator<'_>,
    course_id: Uuid,
    id: Uuid,
) -> DomainResult<VersionView> {
    let txn = curator.begin(db).await?;
    let found = match find_course(&txn, curator, course_id).await? {
        Some(_) => find_version(&txn, curator, course_id, id).await?,
        None => None,
    };
    let Some(row) = found else {
        drop(txn);
        return Err(curator.not_found(db, id).await);
    };
    let modules = modules_of(&txn, row.id).await?;
    txn.commit().await?;
    curator.require(db, Permission::TrainingRead).await?;
    Ok(VersionView::new(row, curator, modules))
}

/// A platform administrator verifies or rejects a pending version (a new shared course or a
/// proposed change). Verifying publishes it as the course's next version; rejecting needs a
/// note, which the proposer sees.
///
/// # Errors
/// `NotFound`; `Forbidden` for anyone but a platform administrator; `Invalid` note; conflicts
/// `not_pending` and `proposal_outdated` (the course has changed since the proposal was
/// written); database errors.
pub async fn review(
    db: &DatabaseConnection,
    curator: &Curator<'_>,
    course_id: Uuid,
    id: Uuid,
    decision: ReviewDecision,
    note: Option<String>,
) -> DomainResult<VersionView> {
    let txn = curator.begin(db).await?;
    let course = find_course(&txn, curator, course_id).await?;
    let found = match &course {
        Some(_) => find_version(&txn, curator, course_id, id).await?,
        None => None,
    };
    let (Some(course), Some(row)) = (course, found) else {
        drop(txn);
        return Err(curator.not_found(db, id).await);
    };
    if matches!(curator, Curator::Tenant(_)) {
        drop(txn);
        curator.require(db, Permission::TrainingReview).await?;
        return Err(DomainError::Forbidden);
    }
    let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return Err(DomainError::invalid(
            "note",
            format!("must be at most {MAX_NOTE} characters"),
        ));
    }
    if decision == ReviewDecision::Rejected && note.is_none() {
        return Err(DomainError::invalid(
            "note",
            "say why the proposal is rejected",
        ));
    }
    if row.verification_status.as_deref() != Some(VerificationStatus::Pending.as_str()) {
        return Err(DomainError::conflict(
            "not_pending",
            "Only a pending proposal can be reviewed.",
        ));
    }
    let now = crate::now();
    let owner = row.owner_tenant_id;
    let mut version: training_course_version::ActiveModel = row.clone().into();
    version.review_note = Set(note);
    version.reviewed_at = Set(Some(now));
    let mut model: training_course::ActiveModel = course.clone().into();
    match decision {
        ReviewDecision::Verified => {
            if row.base_version_id != course.published_version_id {
                return Err(DomainError::conflict(
                    "proposal_outdated",
                    "The course has a newer version than the one this proposal starts from.",
                ));
            }
            version.verification_status = Set(Some(VerificationStatus::Verified.as_str().into()));
            version.number = Set(Some(next_number(&txn, course.id).await?));
            version.published_at = Set(Some(now));
            model.published_version_id = Set(Some(row.id));
            model.verification_status = Set(Some(VerificationStatus::Verified.as_str().into()));
            model.verified_at = Set(Some(now));
            // Ids are time-ordered: an older proposal verified later is not the newest.
            if owner == course.owner_tenant_id && row.id > course.latest_version_id {
                model.latest_version_id = Set(row.id);
            }
        }
        ReviewDecision::Rejected => {
            version.verification_status = Set(Some(VerificationStatus::Rejected.as_str().into()));
            if course.published_version_id.is_none() && course.latest_version_id == row.id {
                model.verification_status = Set(Some(VerificationStatus::Rejected.as_str().into()));
            }
        }
    }
    model.updated_at = Set(now);
    model.update(&txn).await?;
    let updated = version.update(&txn).await?;
    if let Curator::Platform(ctx) = curator {
        audit_for_owner(
            &txn,
            owner,
            Event::new(
                "training_course.version_reviewed",
                Actor::platform(ctx),
                Outcome::Success,
            )
            .target("training_course", course.id)
            .details(serde_json::json!({"version_id": id, "decision": decision.as_str()})),
        )
        .await?;
    }
    let modules = modules_of(&txn, id).await?;
    txn.commit().await?;
    Ok(VersionView::new(updated, curator, modules))
}

/// Proposals: for a platform administrator, every version with the status asked for
/// (`pending` by default); for an organisation, the shared versions it wrote, in any status
/// unless one is asked for. Newest first, without modules.
///
/// # Errors
/// `Forbidden` without `training.read`; database errors.
pub async fn proposals(
    db: &DatabaseConnection,
    curator: &Curator<'_>,
    status: Option<VerificationStatus>,
    before: Option<Uuid>,
    limit: u64,
) -> DomainResult<Vec<VersionView>> {
    use training_course_version::Column as V;
    curator.require(db, Permission::TrainingRead).await?;
    let mut query = training_course_version::Entity::find()
        .filter(V::Visibility.eq(Visibility::Shared.as_str()))
        .order_by_desc(V::Id);
    query = match curator.tenant() {
        Some(tenant) => query.filter(V::OwnerTenantId.eq(*tenant.as_uuid())),
        None => query,
    };
    let status = match curator {
        Curator::Platform(_) => Some(status.unwrap_or(VerificationStatus::Pending)),
        Curator::Tenant(_) => status,
    };
    if let Some(status) = status {
        query = query.filter(V::VerificationStatus.eq(status.as_str()));
    }
    if let Some(before) = before {
        query = query.filter(V::Id.lt(before));
    }
    let txn = curator.begin(db).await?;
    let rows = query.limit(limit).all(&txn).await?;
    txn.commit().await?;
    Ok(rows
        .into_iter()
        .map(|row| VersionView::new(row, curator, Vec::new()))
        .collect())
}
