//! Notices of deadlines coming due: how many days ahead an organisation wants them, and on each
//! deadline which notice its case team has had, for which due date (so a moved deadline is
//! announced again and nothing is announced twice).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TenantSettings {
    Table,
    DeadlineNoticeDays,
}

#[derive(DeriveIden)]
enum Deadlines {
    Table,
    NoticeStage,
    NoticeDueOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(TenantSettings::Table)
                    .add_column(
                        ColumnDef::new(TenantSettings::DeadlineNoticeDays)
                            .integer()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Deadlines::Table)
                    .add_column(ColumnDef::new(Deadlines::NoticeStage).string_len(16).null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Deadlines::Table)
                    .add_column(ColumnDef::new(Deadlines::NoticeDueOn).date().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Deadlines::NoticeStage, Deadlines::NoticeDueOn] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Deadlines::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(TenantSettings::Table)
                    .drop_column(TenantSettings::DeadlineNoticeDays)
                    .to_owned(),
            )
            .await
    }
}
