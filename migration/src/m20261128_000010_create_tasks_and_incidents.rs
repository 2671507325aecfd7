//! Tasks and appointments (optionally on a case, details sealed with the client's key),
//! incidents in shelter life (texts sealed with the tenant's key), and notifications to users.

use crate::rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tasks {
    Table,
    TenantId,
    Id,
    Kind,
    Title,
    DetailsSealed,
    CaseId,
    ClientId,
    AssigneeId,
    DueAt,
    Status,
    CompletedAt,
    CompletedBy,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Incidents {
    Table,
    TenantId,
    Id,
    ShelterId,
    OccurredAt,
    Category,
    Severity,
    InvolvedCaseCodes,
    DescriptionSealed,
    ActionsTakenSealed,
    FollowUpStatus,
    ReportedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    TenantId,
    Id,
    RecipientId,
    Kind,
    Title,
    Link,
    CreatedAt,
    ReadAt,
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

#[derive(DeriveIden)]
enum Shelters {
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

fn ts_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<DynIden>,
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(col);
    }
    manager.create_index(index.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tasks::Table)
                    .col(uuid(Tasks::TenantId))
                    .col(uuid(Tasks::Id))
                    .col(text(Tasks::Kind, 16))
                    .col(text(Tasks::Title, 200))
                    .col(ColumnDef::new(Tasks::DetailsSealed).text().null())
                    // A task may stand alone; on a case, its client's key seals the details.
                    .col(ColumnDef::new(Tasks::CaseId).uuid().null())
                    .col(ColumnDef::new(Tasks::ClientId).uuid().null())
                    .col(uuid(Tasks::AssigneeId))
                    .col(ts(Tasks::DueAt))
                    .col(text(Tasks::Status, 16))
                    .col(ts_null(Tasks::CompletedAt))
                    .col(ColumnDef::new(Tasks::CompletedBy).uuid().null())
                    .col(uuid(Tasks::CreatedBy))
                    .col(ts(Tasks::CreatedAt))
                    .col(ts(Tasks::UpdatedAt))
                    .primary_key(Index::create().col(Tasks::TenantId).col(Tasks::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Tasks::Table, (Tasks::TenantId, Tasks::CaseId))
                            .to(Cases::Table, (Cases::TenantId, Cases::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Tasks::Table, (Tasks::TenantId, Tasks::ClientId))
                            .to(Clients::Table, (Clients::TenantId, Clients::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Tasks::Table, (Tasks::TenantId, Tasks::AssigneeId))
                            .to(Users::Table, (Users::TenantId, Users::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Tasks::Table, (Tasks::TenantId, Tasks::CreatedBy))
                            .to(Users::Table, (Users::TenantId, Users::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "tasks_assignee_due",
            Tasks::Table,
            vec![
                Tasks::TenantId.into_iden(),
                Tasks::AssigneeId.into_iden(),
                Tasks::Status.into_iden(),
                Tasks::DueAt.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "tasks_case",
            Tasks::Table,
            vec![Tasks::TenantId.into_iden(), Tasks::CaseId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Incidents::Table)
                    .col(uuid(Incidents::TenantId))
                    .col(uuid(Incidents::Id))
                    .col(uuid(Incidents::ShelterId))
                    .col(ts(Incidents::OccurredAt))
                    .col(text(Incidents::Category, 48))
                    .col(text(Incidents::Severity, 16))
                    // Case codes (pseudonyms) only, comma-separated: never names.
                    .col(
                        ColumnDef::new(Incidents::InvolvedCaseCodes)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Incidents::DescriptionSealed)
                            .text()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Incidents::ActionsTakenSealed).text().null())
                    .col(text(Incidents::FollowUpStatus, 16))
                    .col(uuid(Incidents::ReportedBy))
                    .col(ts(Incidents::CreatedAt))
                    .col(ts(Incidents::UpdatedAt))
                    .primary_key(Index::create().col(Incidents::TenantId).col(Incidents::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                Incidents::Table,
                                (Incidents::TenantId, Incidents::ShelterId),
                            )
                            .to(Shelters::Table, (Shelters::TenantId, Shelters::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                Incidents::Table,
                                (Incidents::TenantId, Incidents::ReportedBy),
                            )
                            .to(Users::Table, (Users::TenantId, Users::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "incidents_shelter_time",
            Incidents::Table,
            vec![
                Incidents::TenantId.into_iden(),
                Incidents::ShelterId.into_iden(),
                Incidents::OccurredAt.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(uuid(Notifications::TenantId))
                    .col(uuid(Notifications::Id))
                    .col(uuid(Notifications::RecipientId))
                    .col(text(Notifications::Kind, 48))
                    .col(text(Notifications::Title, 200))
                    .col(text(Notifications::Link, 300))
                    .col(ts(Notifications::CreatedAt))
                    .col(ts_null(Notifications::ReadAt))
                    .primary_key(
                        Index::create()
                            .col(Notifications::TenantId)
                            .col(Notifications::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                Notifications::Table,
                                (Notifications::TenantId, Notifications::RecipientId),
                            )
                            .to(Users::Table, (Users::TenantId, Users::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "notifications_recipient",
            Notifications::Table,
            vec![
                Notifications::TenantId.into_iden(),
                Notifications::RecipientId.into_iden(),
                Notifications::Id.into_iden(),
            ],
        )
        .await?;

        let db = manager.get_connection();
        for table in ["tasks", "incidents", "notifications"] {
            rls::enable_tenant_rls(db, table).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["notifications", "incidents", "tasks"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
