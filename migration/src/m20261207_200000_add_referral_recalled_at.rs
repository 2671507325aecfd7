//! The sender's side of a recall: when the receiving organisation's copy of an erased client's
//! referral packet was found cleared. Referrals to Haven organisations whose client is erased
//! and that have no such time yet are the recalls still to send; the partial index keeps
//! finding them cheap, as it holds only referrals delivered to an inbox and not recalled.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Referrals {
    Table,
    RecalledAt,
}

const INDEX: &str = "referrals_recall_due";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Referrals::Table)
                    .add_column(
                        ColumnDef::new(Referrals::RecalledAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        // The same statement on both databases; sea-query has no partial-index builder.
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "CREATE INDEX {INDEX} ON referrals (tenant_id, client_id) \
                 WHERE incoming_id IS NOT NULL AND recalled_at IS NULL"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table(Referrals::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Referrals::Table)
                    .drop_column(Referrals::RecalledAt)
                    .to_owned(),
            )
            .await
    }
}
