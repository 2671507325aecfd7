//! When a sending organisation erases a client, the referrals it made to other Haven
//! organisations are recalled: their packets are cleared in the receivers' inboxes, and this
//! column says when.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IncomingReferrals {
    Table,
    RecalledAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(IncomingReferrals::Table)
                    .add_column(
                        ColumnDef::new(IncomingReferrals::RecalledAt)
                            .timestamp_with_time_zone()
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
                    .table(IncomingReferrals::Table)
                    .drop_column(IncomingReferrals::RecalledAt)
                    .to_owned(),
            )
            .await
    }
}
