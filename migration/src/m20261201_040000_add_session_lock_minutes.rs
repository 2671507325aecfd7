//! The organisation's inactivity period after which the web app locks the screen.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TenantSettings {
    Table,
    SessionLockMinutes,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(TenantSettings::Table)
                    .add_column(
                        ColumnDef::new(TenantSettings::SessionLockMinutes)
                            .integer()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(TenantSettings::Table)
                    .drop_column(TenantSettings::SessionLockMinutes)
                    .to_owned(),
            )
            .await
    }
}
