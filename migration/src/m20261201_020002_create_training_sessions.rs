//! Training sessions an organisation delivers (tenant-owned): the course version used, when
//! and where, who trained, the audience and how many took part, the sealed participant list
//! and the evaluation scores; and the session's trainers.

use crate::rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TrainingSessions {
    Table,
    TenantId,
    Id,
    CourseId,
    CourseVersionId,
    HeldOn,
    Delivery,
    Place,
    OnlineLink,
    Audience,
    ParticipantCount,
    ParticipantsSealed,
    PreScore,
    PostScore,
    Notes,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TrainingSessionTrainers {
    Table,
    TenantId,
    SessionId,
    UserId,
}

#[derive(DeriveIden)]
enum TrainingCourses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TrainingCourseVersions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    TenantId,
    Id,
}

fn uuid(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().not_null().to_owned()
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TrainingSessions::Table)
                    .col(uuid(TrainingSessions::TenantId))
                    .col(uuid(TrainingSessions::Id))
                    .col(uuid(TrainingSessions::CourseId))
                    .col(uuid(TrainingSessions::CourseVersionId))
                    .col(ColumnDef::new(TrainingSessions::HeldOn).date().not_null())
                    .col(
                        ColumnDef::new(TrainingSessions::Delivery)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(TrainingSessions::Place)
                            .string_len(200)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(TrainingSessions::OnlineLink)
                            .string_len(500)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(TrainingSessions::Audience)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(TrainingSessions::ParticipantCount)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(TrainingSessions::ParticipantsSealed)
                            .text()
                            .null(),
                    )
                    .col(ColumnDef::new(TrainingSessions::PreScore).integer().null())
                    .col(ColumnDef::new(TrainingSessions::PostScore).integer().null())
                    .col(ColumnDef::new(TrainingSessions::Notes).text().null())
                    .col(uuid(TrainingSessions::CreatedBy))
                    .col(ts(TrainingSessions::CreatedAt))
                    .col(ts(TrainingSessions::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(TrainingSessions::TenantId)
                            .col(TrainingSessions::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TrainingSessions::Table, TrainingSessions::CourseId)
                            .to(TrainingCourses::Table, TrainingCourses::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TrainingSessions::Table, TrainingSessions::CourseVersionId)
                            .to(TrainingCourseVersions::Table, TrainingCourseVersions::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                TrainingSessions::Table,
                                (TrainingSessions::TenantId, TrainingSessions::CreatedBy),
                            )
                            .to(Users::Table, (Users::TenantId, Users::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("training_sessions_tenant_held")
                    .table(TrainingSessions::Table)
                    .col(TrainingSessions::TenantId)
                    .col(TrainingSessions::HeldOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TrainingSessionTrainers::Table)
                    .col(uuid(TrainingSessionTrainers::TenantId))
                    .col(uuid(TrainingSessionTrainers::SessionId))
                    .col(uuid(TrainingSessionTrainers::UserId))
                    .primary_key(
                        Index::create()
                            .col(TrainingSessionTrainers::TenantId)
                            .col(TrainingSessionTrainers::SessionId)
                            .col(TrainingSessionTrainers::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                TrainingSessionTrainers::Table,
                                (
                                    TrainingSessionTrainers::TenantId,
                                    TrainingSessionTrainers::SessionId,
                                ),
                            )
                            .to(
                                TrainingSessions::Table,
                                (TrainingSessions::TenantId, TrainingSessions::Id),
                            )
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                TrainingSessionTrainers::Table,
                                (
                                    TrainingSessionTrainers::TenantId,
                                    TrainingSessionTrainers::UserId,
                                ),
                            )
                            .to(Users::Table, (Users::TenantId, Users::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        let conn = manager.get_connection();
        rls::enable_tenant_rls(conn, "training_sessions").await?;
        rls::enable_tenant_rls(conn, "training_session_trainers").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(TrainingSessionTrainers::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(TrainingSessions::Table).to_owned())
            .await
    }
}
