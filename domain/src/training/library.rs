//! What the course services share: who is reading or writing the library (a tenant's user or
//! a platform administrator), what a course's content is and how it is checked, which rows a
//! tenant may see, and how versions are read back with their modules.

use crate::access;
use crate::authz::Permission;
use crate::entities::{training_course, training_course_module, training_course_version};
use crate::error::{DomainError, DomainResult};
use crate::ids::TenantId;
use crate::tenancy::{PlatformContext, TenantScope};
use crate::training::markdown;
use crate::vocab::{Audience, VerificationStatus, Visibility};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait as _, QueryFilter as _, QueryOrder as _, Set,
};
use uuid::Uuid;

pub use crate::training::content::{CourseContent, MAX_NOTE, ModuleContent};

/// Who works with the library.
#[derive(Clone, Copy, Debug)]
pub enum Curator<'a> {
    /// A tenant's user: reads with `training.read`, writes with `training.manage`.
    Tenant(&'a TenantScope),
    /// A platform administrator: reads everything, curates, reviews proposals.
    Platform(&'a PlatformContext),
}

impl Curator<'_> {
    /// The tenant, for a tenant's user.
    #[must_use]
    pub fn tenant(&self) -> Option<TenantId> {
        match self {
            Curator::Tenant(scope) => Some(scope.tenant_id()),
            Curator::Platform(_) => None,
        }
    }

    pub(crate) fn actor_id(&self) -> Uuid {
        match self {
            Curator::Tenant(scope) => *scope.user_id().as_uuid(),
            Curator::Platform(ctx) => ctx.admin_id(),
        }
    }

    /// A transaction confined to the tenant, or a platform curation transaction.
    pub(crate) async fn begin(
        &self,
        db: &DatabaseConnection,
    ) -> Result<DatabaseTransaction, DbErr> {
        match self {
            Curator::Tenant(scope) => scope.begin(db).await,
            Curator::Platform(ctx) => ctx.begin(db).await,
        }
    }

    pub(crate) async fn require(
        &self,
        db: &DatabaseConnection,
        permission: Permission,
    ) -> DomainResult<()> {
        match self {
            Curator::Tenant(scope) => access::require(db, scope, permission).await,
            Curator::Platform(_) => Ok(()),
        }
    }

    /// Not found, audited for a tenant's user (call with no transaction open).
    pub(crate) async fn not_found(&self, db: &DatabaseConnection, id: Uuid) -> DomainError {
        match self {
            Curator::Tenant(scope) => access::not_found(db, scope, "training_course", id).await,
            Curator::Platform(_) => DomainError::NotFound,
        }
    }
}

/// A stored list `,a,b,`: delimited on both ends so `LIKE '%,a,%'` finds one value.
pub(crate) fn delimited<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let mut sorted: Vec<&str> = values.into_iter().map(str::trim).collect();
    sorted.sort_unstable();
    sorted.dedup();
    format!(",{},", sorted.join(","))
}

fn undelimited(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// One module as read back.
#[derive(Clone, Debug)]
pub struct ModuleView {
    pub id: Uuid,
    pub position: i32,
    pub title: String,
    pub markdown: String,
    /// Rendered and sanitised.
    pub html: String,
}

/// A version as read back.
#[derive(Clone, Debug)]
pub struct VersionView {
    pub row: training_course_version::Model,
    pub audiences: Vec<Audience>,
    pub languages: Vec<String>,
    pub objectives: Vec<String>,
    pub verification_status: Option<VerificationStatus>,
    /// Written by the caller's organisation.
    pub mine: bool,
    /// Empty in lists.
    pub modules: Vec<ModuleView>,
}

impl VersionView {
    pub(crate) fn new(
        row: training_course_version::Model,
        curator: &Curator<'_>,
        modules: Vec<training_course_module::Model>,
    ) -> Self {
        Self {
            audiences: undelimited(&row.audiences)
                .iter()
                .filter_map(|a| Audience::parse(a))
                .collect(),
            languages: undelimited(&row.languages),
            objectives: serde_json::from_str(&row.objectives).unwrap_or_default(),
            verification_status: row
                .verification_status
                .as_deref()
                .and_then(VerificationStatus::parse),
            mine: owned_by(row.owner_tenant_id, curator),
            modules: modules
                .into_iter()
                .map(|m| ModuleView {
                    id: m.id,
                    position: m.position,
                    title: m.title,
                    html: markdown::render(&m.content),
                    markdown: m.content,
                })
                .collect(),
            row,
        }
    }

    /// The content this version holds, to start the next one from.
    pub(crate) fn content(&self) -> CourseContent {
        CourseContent {
            title: self.row.title.clone(),
            summary: self.row.summary.clone(),
            audiences: self.audiences.clone(),
            languages: self.languages.clone(),
            duration_minutes: self.row.duration_minutes,
            objectives: self.objectives.clone(),
            modules: self
                .modules
                .iter()
                .map(|m| ModuleContent {
                    title: m.title.clone(),
                    content: m.markdown.clone(),
                })
                .collect(),
        }
    }
}

pub(crate) fn owned_by(owner: Option<Uuid>, curator: &Curator<'_>) -> bool {
    match (owner, curator.tenant()) {
        (Some(owner), Some(tenant)) => owner == *tenant.as_uuid(),
        _ => false,
    }
}

/// The courses a tenant may see: its own, and the shared verified ones. (On PostgreSQL the
/// row-level security policy says the same; this is the wall on SQLite.)
pub(crate) fn courses_visible_to(curator: &Curator<'_>) -> Condition {
    use training_course::Column as C;
    match curator.tenant() {
        None => Condition::all(),
        Some(tenant) => Condition::any()
            .add(C::OwnerTenantId.eq(*tenant.as_uuid()))
            .add(
                Condition::all()
                    .add(C::Visibility.eq(Visibility::Shared.as_str()))
                    .add(C::VerificationStatus.eq(VerificationStatus::Verified.as_str())),
            ),
    }
}

/// The versions a tenant may see: its own, and the shared verified ones.
pub(crate) fn versions_visible_to(curator: &Curator<'_>) -> Condition {
    use training_course_version::Column as V;
    match curator.tenant() {
        None => Condition::all(),
        Some(tenant) => Condition::any()
            .add(V::OwnerTenantId.eq(*tenant.as_uuid()))
            .add(
                Condition::all()
                    .add(V::Visibility.eq(Visibility::Shared.as_str()))
                    .add(V::VerificationStatus.eq(VerificationStatus::Verified.as_str())),
            ),
    }
}

/// A course the caller may see.
pub(crate) async fn find_course<C: ConnectionTrait>(
    conn: &C,
    curator: &Curator<'_>,
    id: Uuid,
) -> DomainResult<Option<training_course::Model>> {
    Ok(training_course::Entity::find_by_id(id)
        .filter(courses_visible_to(curator))
        .one(conn)
        .await?)
}

/// A version of `course` the caller may see.
pub(crate) async fn find_version<C: ConnectionTrait>(
    conn: &C,
    curator: &Curator<'_>,
    course: Uuid,
    id: Uuid,
) -> DomainResult<Option<training_course_version::Model>> {
    Ok(training_course_version::Entity::find_by_id(id)
        .filter(training_course_version::Column::CourseId.eq(course))
        .filter(versions_visible_to(curator))
        .one(conn)
        .await?)
}

/// The modules of `version`, in order.
pub(crate) async fn modules_of<C: ConnectionTrait>(
    conn: &C,
    version: Uuid,
) -> DomainResult<Vec<training_course_module::Model>> {
    Ok(training_course_module::Entity::find()
        .filter(training_course_module::Column::VersionId.eq(version))
        .order_by_asc(training_course_module::Column::Position)
        .all(conn)
        .await?)
}

/// The version a reader of `course` is shown: the published one, or else (for the owner and
/// the platform) the newest proposal.
pub(crate) async fn shown_version<C: ConnectionTrait>(
    conn: &C,
    curator: &Curator<'_>,
    course: &training_course::Model,
) -> DomainResult<VersionView> {
    let id = course
        .published_version_id
        .unwrap_or(course.latest_version_id);
    let row = find_version(conn, curator, course.id, id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let modules = modules_of(conn, row.id).await?;
    Ok(VersionView::new(row, curator, modules))
}

/// What a new version row says about its review.
pub(crate) struct VersionState {
    pub visibility: Visibility,
    pub status: Option<VerificationStatus>,
    pub number: Option<i32>,
    pub base: Option<Uuid>,
}

/// Writes a version and its modules.
pub(crate) async fn insert_version<C: ConnectionTrait>(
    conn: &C,
    curator: &Curator<'_>,
    course: Uuid,
    id: Uuid,
    content: &CourseContent,
    state: VersionState,
) -> DomainResult<training_course_version::Model> {
    let now = crate::now();
    let owner = curator.tenant().map(|t| *t.as_uuid());
    let objectives: Vec<&str> = content.objectives.iter().map(|o| o.trim()).collect();
    let published = state.number.map(|_| now);
    let row = training_course_version::ActiveModel {
        id: Set(id),
        course_id: Set(course),
        owner_tenant_id: Set(owner),
        visibility: Set(state.visibility.as_str().to_owned()),
        verification_status: Set(state.status.map(|s| s.as_str().to_owned())),
        number: Set(state.number),
        base_version_id: Set(state.base),
        title: Set(content.title.trim().to_owned()),
        summary: Set(content.summary.trim().to_owned()),
        audiences: Set(delimited(content.audiences.iter().map(|a| a.as_str()))),
        languages: Set(delimited(content.languages.iter().map(String::as_str))),
        duration_minutes: Set(content.duration_minutes),
        objectives: Set(
            serde_json::to_string(&objectives).map_err(|e| DomainError::Internal(e.into()))?
        ),
        review_note: Set(None),
        reviewed_at: Set(None),
        published_at: Set(published),
        created_by: Set(curator.actor_id()),
        created_at: Set(now),
    }
    .insert(conn)
    .await?;
    for (position, module) in content.modules.iter().enumerate() {
        training_course_module::ActiveModel {
            id: Set(Uuid::now_v7()),
            version_id: Set(id),
            owner_tenant_id: Set(owner),
            position: Set(i32::try_from(position + 1).unwrap_or(i32::MAX)),
            title: Set(module.title.trim().to_owned()),
            content: Set(module.content.clone()),
        }
        .insert(conn)
        .await?;
    }
    Ok(row)
}

/// The next publication number of `course` (the platform and a private course's owner see
/// every published version, so the maximum is complete).
pub(crate) async fn next_number<C: ConnectionTrait>(conn: &C, course: Uuid) -> DomainResult<i32> {
    let last = training_course_version::Entity::find()
        .filter(training_course_version::Column::CourseId.eq(course))
        .filter(training_course_version::Column::Number.is_not_null())
        .order_by_desc(training_course_version::Column::Number)
        .one(conn)
        .await?;
    Ok(last.and_then(|v| v.number).unwrap_or(0) + 1)
}

/// The version tag of a course, for `ETag` / `If-Match`.
#[must_use]
pub fn etag(course: &training_course::Model) -> String {
    format!("\"{}\"", course.updated_at.timestamp_micros())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_delimited_for_matching() {
        assert_eq!(
            delimited(["police", "military", "police"]),
            ",military,police,"
        );
        assert_eq!(undelimited(",military,police,"), ["military", "police"]);
    }
}
