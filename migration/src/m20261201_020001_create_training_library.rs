//! The shared training library: courses, their versions and each version's ordered modules.
//!
//! A course is platform-curated (`owner_tenant_id` NULL) or owned by the tenant that wrote it;
//! it is `shared` (every tenant reads it once a platform administrator has verified it) or
//! `private` (its owner alone reads it). Content lives in versions, which are never changed
//! once written: an edit is a new version, so training sessions keep the one they used. A
//! version's `owner_tenant_id` is the tenant that wrote it, which may propose a change to
//! another tenant's shared course; until verified only that tenant and the platform see it.

use crate::rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TrainingCourses {
    Table,
    Id,
    OwnerTenantId,
    Visibility,
    VerificationStatus,
    VerifiedAt,
    PublishedVersionId,
    LatestVersionId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TrainingCourseVersions {
    Table,
    Id,
    CourseId,
    OwnerTenantId,
    Visibility,
    VerificationStatus,
    Number,
    BaseVersionId,
    Title,
    Summary,
    Audiences,
    Languages,
    DurationMinutes,
    Objectives,
    ReviewNote,
    ReviewedAt,
    PublishedAt,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TrainingCourseModules {
    Table,
    Id,
    VersionId,
    OwnerTenantId,
    Position,
    Title,
    Content,
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

fn uuid(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().not_null().to_owned()
}

fn uuid_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().null().to_owned()
}

fn text(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).not_null().to_owned()
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn ts_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

/// Shared rows everyone reads: verified and shared.
const PUBLISHED: &str = "visibility = 'shared' AND verification_status = 'verified'";

/// A module is readable exactly when its version is (the versions' own policy decides).
const MODULE_PUBLISHED: &str = "EXISTS (SELECT 1 FROM training_course_versions v \
     WHERE v.id = training_course_modules.version_id)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TrainingCourses::Table)
                    .col(uuid(TrainingCourses::Id).primary_key())
                    .col(uuid_null(TrainingCourses::OwnerTenantId))
                    .col(text(TrainingCourses::Visibility, 16))
                    // NULL for private courses, which need no verification.
                    .col(
                        ColumnDef::new(TrainingCourses::VerificationStatus)
                            .string_len(16)
                            .null(),
                    )
                    .col(ts_null(TrainingCourses::VerifiedAt))
                    // The version every reader sees; NULL until one is verified.
                    .col(uuid_null(TrainingCourses::PublishedVersionId))
                    // The owner's newest version (a proposal while it is pending).
                    .col(uuid(TrainingCourses::LatestVersionId))
                    .col(ts(TrainingCourses::CreatedAt))
                    .col(ts(TrainingCourses::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TrainingCourses::Table, TrainingCourses::OwnerTenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TrainingCourseVersions::Table)
                    .col(uuid(TrainingCourseVersions::Id).primary_key())
                    .col(uuid(TrainingCourseVersions::CourseId))
                    .col(uuid_null(TrainingCourseVersions::OwnerTenantId))
                    .col(text(TrainingCourseVersions::Visibility, 16))
                    .col(
                        ColumnDef::new(TrainingCourseVersions::VerificationStatus)
                            .string_len(16)
                            .null(),
                    )
                    // 1, 2, 3… in order of publication; NULL while unpublished.
                    .col(
                        ColumnDef::new(TrainingCourseVersions::Number)
                            .integer()
                            .null(),
                    )
                    .col(uuid_null(TrainingCourseVersions::BaseVersionId))
                    .col(text(TrainingCourseVersions::Title, 200))
                    .col(
                        ColumnDef::new(TrainingCourseVersions::Summary)
                            .text()
                            .not_null(),
                    )
                    // `,police,medical_personnel,`: delimited so a filter can match one.
                    .col(text(TrainingCourseVersions::Audiences, 400))
                    .col(text(TrainingCourseVersions::Languages, 100))
                    .col(
                        ColumnDef::new(TrainingCourseVersions::DurationMinutes)
                            .integer()
                            .not_null(),
                    )
                    // A JSON array of texts.
                    .col(
                        ColumnDef::new(TrainingCourseVersions::Objectives)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(TrainingCourseVersions::ReviewNote)
                            .text()
                            .null(),
                    )
                    .col(ts_null(TrainingCourseVersions::ReviewedAt))
                    .col(ts_null(TrainingCourseVersions::PublishedAt))
                    .col(uuid(TrainingCourseVersions::CreatedBy))
                    .col(ts(TrainingCourseVersions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                TrainingCourseVersions::Table,
                                TrainingCourseVersions::CourseId,
                            )
                            .to(TrainingCourses::Table, TrainingCourses::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                TrainingCourseVersions::Table,
                                TrainingCourseVersions::OwnerTenantId,
                            )
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("training_course_versions_number")
                    .table(TrainingCourseVersions::Table)
                    .col(TrainingCourseVersions::CourseId)
                    .col(TrainingCourseVersions::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TrainingCourseModules::Table)
                    .col(uuid(TrainingCourseModules::Id).primary_key())
                    .col(uuid(TrainingCourseModules::VersionId))
                    .col(uuid_null(TrainingCourseModules::OwnerTenantId))
                    .col(
                        ColumnDef::new(TrainingCourseModules::Position)
                            .integer()
                            .not_null(),
                    )
                    .col(text(TrainingCourseModules::Title, 200))
                    // Markdown, rendered and sanitised when read.
                    .col(
                        ColumnDef::new(TrainingCourseModules::Content)
                            .text()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                TrainingCourseModules::Table,
                                TrainingCourseModules::VersionId,
                            )
                            .to(TrainingCourseVersions::Table, TrainingCourseVersions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("training_course_modules_position")
                    .table(TrainingCourseModules::Table)
                    .col(TrainingCourseModules::VersionId)
                    .col(TrainingCourseModules::Position)
                    .unique()
                    .to_owned(),
            )
            .await?;
        let conn = manager.get_connection();
        rls::enable_shared_rls(conn, "training_courses", PUBLISHED).await?;
        rls::enable_shared_rls(conn, "training_course_versions", PUBLISHED).await?;
        rls::enable_shared_rls(conn, "training_course_modules", MODULE_PUBLISHED).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            TrainingCourseModules::Table.into_iden(),
            TrainingCourseVersions::Table.into_iden(),
            TrainingCourses::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
