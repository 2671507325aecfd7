//! The organisation's small-cell threshold: the smallest count an aggregate leaving its own
//! dashboard (an export, platform-wide statistics) may show.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TenantSettings {
    Table,
    KThreshold,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(TenantSettings::Table)
                    .add_column(ColumnDef::new(TenantSettings::KThreshold).integer().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(TenantSettings::Table)
                    .drop_column(TenantSettings::KThreshold)
                    .to_owned(),
            )
            .await
    }
}
