//! Technical-assistance engagements: the support an organisation gives to partner NGOs and
//! government bodies (tenant-owned).

use crate::rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TaEngagements {
    Table,
    TenantId,
    Id,
    PartnerName,
    PartnerKind,
    Country,
    EngagementType,
    StartsOn,
    EndsOn,
    Deliverables,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
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
                    .table(TaEngagements::Table)
                    .col(uuid(TaEngagements::TenantId))
                    .col(uuid(TaEngagements::Id))
                    .col(text(TaEngagements::PartnerName, 200))
                    .col(text(TaEngagements::PartnerKind, 32))
                    .col(text(TaEngagements::Country, 2))
                    .col(text(TaEngagements::EngagementType, 48))
                    .col(ColumnDef::new(TaEngagements::StartsOn).date().not_null())
                    .col(ColumnDef::new(TaEngagements::EndsOn).date().null())
                    // A JSON array of short texts.
                    .col(
                        ColumnDef::new(TaEngagements::Deliverables)
                            .text()
                            .not_null(),
                    )
                    .col(text(TaEngagements::Status, 16))
                    .col(uuid(TaEngagements::CreatedBy))
                    .col(ts(TaEngagements::CreatedAt))
                    .col(ts(TaEngagements::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(TaEngagements::TenantId)
                            .col(TaEngagements::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                TaEngagements::Table,
                                (TaEngagements::TenantId, TaEngagements::CreatedBy),
                            )
                            .to(Users::Table, (Users::TenantId, Users::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ta_engagements_tenant_start")
                    .table(TaEngagements::Table)
                    .col(TaEngagements::TenantId)
                    .col(TaEngagements::StartsOn)
                    .to_owned(),
            )
            .await?;
        rls::enable_tenant_rls(manager.get_connection(), "ta_engagements").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TaEngagements::Table).to_owned())
            .await
    }
}
