//! Identification (intake) interviews of a case, the users who held them, and the consents a
//! client gives — recorded in an interview, withdrawn later, read by referrals.

use crate::rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Interviews {
    Table,
    TenantId,
    Id,
    CaseId,
    ClientId,
    HeldOn,
    Language,
    InterpreterUsed,
    InterpreterLanguage,
    LocationType,
    PresumedVictim,
    ChecklistVersion,
    Indicators,
    Risks,
    NarrativeSealed,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum InterviewInterviewers {
    Table,
    TenantId,
    InterviewId,
    UserId,
}

#[derive(DeriveIden)]
enum Consents {
    Table,
    TenantId,
    Id,
    ClientId,
    InterviewId,
    Purpose,
    PartnerTypes,
    GivenAt,
    WithdrawnAt,
    WithdrawnBy,
    RecordedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    TenantId,
    Id,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    TenantId,
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

fn text(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).not_null().to_owned()
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
                    .table(Interviews::Table)
                    .col(uuid(Interviews::TenantId))
                    .col(uuid(Interviews::Id))
                    .col(uuid(Interviews::CaseId))
                    .col(uuid(Interviews::ClientId))
                    .col(ColumnDef::new(Interviews::HeldOn).date().not_null())
                    .col(text(Interviews::Language, 3))
                    .col(
                        ColumnDef::new(Interviews::InterpreterUsed)
                            .boolean()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Interviews::InterpreterLanguage)
                            .string_len(3)
                            .null(),
                    )
                    .col(text(Interviews::LocationType, 32))
                    .col(text(Interviews::PresumedVictim, 16))
                    .col(
                        ColumnDef::new(Interviews::ChecklistVersion)
                            .integer()
                            .not_null(),
                    )
                    // Answers by indicator code, and risk levels with sealed notes: JSON.
                    .col(ColumnDef::new(Interviews::Indicators).text().not_null())
                    .col(ColumnDef::new(Interviews::Risks).text().not_null())
                    .col(ColumnDef::new(Interviews::NarrativeSealed).text().null())
                    .col(ColumnDef::new(Interviews::CreatedBy).uuid().null())
                    .col(ts(Interviews::CreatedAt))
                    .col(ts(Interviews::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(Interviews::TenantId)
                            .col(Interviews::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                Interviews::Table,
                                (Interviews::TenantId, Interviews::CaseId),
                            )
                            .to(Cases::Table, (Cases::TenantId, Cases::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                Interviews::Table,
                                (Interviews::TenantId, Interviews::ClientId),
                            )
                            .to(Clients::Table, (Clients::TenantId, Clients::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("interviews_case")
                    .table(Interviews::Table)
                    .col(Interviews::TenantId)
                    .col(Interviews::CaseId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(InterviewInterviewers::Table)
                    .col(uuid(InterviewInterviewers::TenantId))
                    .col(uuid(InterviewInterviewers::InterviewId))
                    .col(uuid(InterviewInterviewers::UserId))
                    .primary_key(
                        Index::create()
                            .col(InterviewInterviewers::TenantId)
                            .col(InterviewInterviewers::InterviewId)
                            .col(InterviewInterviewers::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                InterviewInterviewers::Table,
                                (
                                    InterviewInterviewers::TenantId,
                                    InterviewInterviewers::InterviewId,
                                ),
                            )
                            .to(Interviews::Table, (Interviews::TenantId, Interviews::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                InterviewInterviewers::Table,
                                (
                                    InterviewInterviewers::TenantId,
                                    InterviewInterviewers::UserId,
                                ),
                            )
                            .to(Users::Table, (Users::TenantId, Users::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("interview_interviewers_user")
                    .table(InterviewInterviewers::Table)
                    .col(InterviewInterviewers::TenantId)
                    .col(InterviewInterviewers::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Consents::Table)
                    .col(uuid(Consents::TenantId))
                    .col(uuid(Consents::Id))
                    .col(uuid(Consents::ClientId))
                    // The interview the consent was recorded in; absent when recorded otherwise.
                    .col(ColumnDef::new(Consents::InterviewId).uuid().null())
                    .col(text(Consents::Purpose, 32))
                    .col(text(Consents::PartnerTypes, 255))
                    .col(ts(Consents::GivenAt))
                    .col(
                        ColumnDef::new(Consents::WithdrawnAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(Consents::WithdrawnBy).uuid().null())
                    .col(ColumnDef::new(Consents::RecordedBy).uuid().null())
                    .col(ts(Consents::CreatedAt))
                    .col(ts(Consents::UpdatedAt))
                    .primary_key(Index::create().col(Consents::TenantId).col(Consents::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Consents::Table, (Consents::TenantId, Consents::ClientId))
                            .to(Clients::Table, (Clients::TenantId, Clients::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Consents::Table, (Consents::TenantId, Consents::InterviewId))
                            .to(Interviews::Table, (Interviews::TenantId, Interviews::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("consents_client", Consents::ClientId),
            ("consents_interview", Consents::InterviewId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Consents::Table)
                        .col(Consents::TenantId)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }

        let db = manager.get_connection();
        for table in ["interviews", "interview_interviewers", "consents"] {
            rls::enable_tenant_rls(db, table).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["consents", "interview_interviewers", "interviews"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
