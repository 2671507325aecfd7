//! Courses of the shared training library: writing one (private, proposed for sharing, or
//! curated by the platform), the course list with its filters, and one course with the
//! version its reader is shown.

use crate::audit::{self, Actor, Event, Outcome};
use crate::authz::Permission;
use crate::entities::{training_course, training_course_version};
use crate::error::{DomainError, DomainResult};
use crate::tenancy::bind_tenant;
use crate::training::library::{
    self, CourseContent, Curator, VersionState, VersionView, courses_visible_to, find_course,
    insert_version, owned_by, shown_version, versions_visible_to,
};
use crate::vocab::{Audience, VerificationStatus, Visibility};
use sea_orm::sea_query::{Expr, ExprTrait as _, Func, LikeExpr, Query};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, Condition, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Longest text search, in characters.
pub const MAX_QUERY: usize = 100;

/// A course with the version its reader is shown.
#[derive(Clone, Debug)]
pub struct CourseView {
    pub course: training_course::Model,
    pub visibility: Visibility,
    pub verification_status: Option<VerificationStatus>,
    /// Owned by the caller's organisation.
    pub mine: bool,
    pub version: VersionView,
}

impl CourseView {
    fn new(course: training_course::Model, curator: &Curator<'_>, version: VersionView) -> Self {
        Self {
            visibility: Visibility::parse(&course.visibility).unwrap_or(Visibility::Private),
            verification_status: course
                .verification_status
                .as_deref()
                .and_then(VerificationStatus::parse),
            mine: owned_by(course.owner_tenant_id, curator),
            course,
            version,
        }
    }
}

/// Writes a course and its first version. A tenant's private course is published at once; a
/// tenant's shared course waits for a platform administrator's verification; the platform's
/// own courses are shared and verified.
///
/// # Errors
/// `Forbidden` without `training.manage`; `Invalid` content (or a private platform course);
/// database errors.
pub async fn create(
    db: &DatabaseConnection,
    curator: &Curator<'_>,
    visibility: Visibility,
    content: CourseContent,
) -> DomainResult<CourseView> {
    curator.require(db, Permission::TrainingManage).await?;
    content.check()?;
    let (status, published) = match (curator, visibility) {
        (Curator::Platform(_), Visibility::Private) => {
            return Err(DomainError::invalid(
                "visibility",
                "courses the platform curates are shared",
            ));
        }
        (Curator::Platform(_), Visibility::Shared) => (Some(VerificationStatus::Verified), true),
        (Curator::Tenant(_), Visibility::Shared) => (Some(VerificationStatus::Pending), false),
        (Curator::Tenant(_), Visibility::Private) => (None, true),
    };
    let id = Uuid::now_v7();
    let version_id = Uuid::now_v7();
    let now = crate::now();
    let txn = curator.begin(db).await?;
    let course = training_course::ActiveModel {
        id: Set(id),
        owner_tenant_id: Set(curator.tenant().map(|t| *t.as_uuid())),
        visibility: Set(visibility.as_str().to_owned()),
        verification_status: Set(status.map(|s| s.as_str().to_owned())),
        verified_at: Set((status == Some(VerificationStatus::Verified)).then_some(now)),
        published_version_id: Set(published.then_some(version_id)),
        latest_version_id: Set(version_id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let state = VersionState {
        visibility,
        status,
        number: published.then_some(1),
        base: None,
    };
    let version = insert_version(&txn, curator, id, version_id, &content, state).await?;
    let modules = library::modules_of(&txn, version_id).await?;
    match curator {
        Curator::Tenant(scope) => {
            audit::record(
                &txn,
                scope.tenant_id(),
                Event::new(
                    "training_course.created",
                    Actor::user(scope),
                    Outcome::Success,
                )
                .target("training_course", id)
                .details(serde_json::json!({
                    "visibility": visibility.as_str(),
                    "version_id": version_id,
                })),
            )
            .await?;
        }
        Curator::Platform(_) => {
            tracing::info!(course_id = %id, "platform course published");
        }
    }
    txn.commit().await?;
    let version = VersionView::new(version, curator, modules);
    Ok(CourseView::new(course, curator, version))
}

/// Filters of the course list.
#[derive(Debug, Default, Clone)]
pub struct CourseFilter {
    pub audience: Option<Audience>,
    /// ISO 639-1.
    pub language: Option<String>,
    /// Words in the title or summary.
    pub text: Option<String>,
    pub visibility: Option<Visibility>,
    pub verification_status: Option<VerificationStatus>,
    /// Only the caller's organisation's courses.
    pub mine: bool,
    /// Courses after this id (newest first, so: older than it).
    pub before: Option<Uuid>,
    pub limit: u64,
}

fn contains(text: &str) -> LikeExpr {
    let escaped: String = text
        .trim()
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            other => vec![other],
        })
        .collect();
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// The courses the caller may see, newest first, each with the version it is shown (without
/// modules): the published one, or for its owner a course's first proposal.
///
/// # Errors
/// `Forbidden` without `training.read`; `Invalid` filter; database errors.
pub async fn list(
    db: &DatabaseConnection,
    curator: &Curator<'_>,
    filter: &CourseFilter,
) -> DomainResult<Vec<CourseView>> {
    use training_course::Column as C;
    use training_course_version::Column as V;
    curator.require(db, Permission::TrainingRead).await?;
    if filter
        .text
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_QUERY)
    {
        return Err(DomainError::invalid(
            "q",
            format!("must be at most {MAX_QUERY} characters"),
        ));
    }
    let mut courses = courses_visible_to(curator);
    if let Some(visibility) = filter.visibility {
        courses = Condition::all()
            .add(courses)
            .add(C::Visibility.eq(visibility.as_str()));
    }
    if let Some(status) = filter.verification_status {
        courses = Condition::all()
            .add(courses)
            .add(C::VerificationStatus.eq(status.as_str()));
    }
    if filter.mine {
        let tenant = curator.tenant().map(|t| *t.as_uuid());
        courses = Condition::all()
            .add(courses)
            .add(C::OwnerTenantId.eq(tenant));
    }
    let shown = Query::select()
        .expr(Func::coalesce([
            Expr::col((training_course::Entity, C::PublishedVersionId)),
            Expr::col((training_course::Entity, C::LatestVersionId)),
        ]))
        .from(training_course::Entity)
        .cond_where(courses)
        .to_owned();
    let mut query = training_course_version::Entity::find()
        .filter(V::Id.in_subquery(shown))
        .filter(versions_visible_to(curator))
        .order_by_desc(V::CourseId);
    if let Some(audience) = filter.audience {
        query = query.filter(V::Audiences.contains(format!(",{},", audience.as_str())));
    }
    if let Some(language) = &filter.language {
        query = query.filter(V::Languages.contains(format!(",{},", language.trim())));
    }
    if let Some(text) = filter.text.as_deref().filter(|t| !t.trim().is_empty()) {
        let pattern = contains(text);
        query = query.filter(
            Condition::any()
                .add(Expr::from(Func::lower(Expr::col(V::Title))).like(pattern.clone()))
                .add(Expr::from(Func::lower(Expr::col(V::Summary))).like(pattern)),
        );
    }
    if let Some(before) = filter.before {
        query = query.filter(V::CourseId.lt(before));
    }
    let txn = curator.begin(db).await?;
    let versions = query.limit(filter.limit).all(&txn).await?;
    let ids: Vec<Uuid> = versions.iter().map(|v| v.course_id).collect();
    let mut rows: BTreeMap<Uuid, training_course::Model> = training_course::Entity::find()
        .filter(C::Id.is_in(ids))
        .filter(courses_visible_to(curator))
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    txn.commit().await?;
    Ok(versions
        .into_iter()
        .filter_map(|v| {
            let course = rows.remove(&v.course_id)?;
            let version = VersionView::new(v, curator, Vec::new());
            Some(CourseView::new(course, curator, version))
        })
        .collect())
}

/// One course with the version the caller is shown, modules rendered.
///
/// # Errors
/// `NotFound` (also for another organisation's private or unverified course); `Forbidden`
/// without `training.read`; database errors.
pub async fn get(
    db: &DatabaseConnection,
    curator: &Curator<'_>,
    id: Uuid,
) -> DomainResult<CourseView> {
    let txn = curator.begin(db).await?;
    let Some(course) = find_course(&txn, curator, id).await? else {
        drop(txn);
        return Err(curator.not_found(db, id).await);
    };
    let version = shown_version(&txn, curator, &course).await?;
    txn.commit().await?;
    curator.require(db, Permission::TrainingRead).await?;
    Ok(CourseView::new(course, curator, version))
}

/// Records a platform decision in the audit log of the organisation it concerns.
pub(crate) async fn audit_for_owner(
    txn: &sea_orm::DatabaseTransaction,
    owner: Option<Uuid>,
    event: Event,
) -> DomainResult<()> {
    if let Some(owner) = owner {
        let tenant = crate::ids::TenantId::from_uuid(owner);
        bind_tenant(txn, tenant).await?;
        audit::record(txn, tenant, event).await?;
    }
    Ok(())
}
