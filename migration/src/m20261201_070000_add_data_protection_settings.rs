//! The data-protection lifecycle: each organisation's retention period for closed cases and
//! whether an erasure needs a second administrator's approval; the erasure mark on a client's
//! tombstone; erasure requests awaiting approval (tenant-owned); and the leases that let one
//! replica at a time run background jobs on SQLite (PostgreSQL uses advisory locks).

use crate::rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TenantSettings {
    Table,
    RetentionYears,
    TwoPersonErasure,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    TenantId,
    Id,
    ErasedAt,
}

#[derive(DeriveIden)]
enum ErasureRequests {
    Table,
    TenantId,
    Id,
    ClientId,
    Status,
    ReasonSealed,
    RequestedBy,
    RequestedAt,
    ApprovedBy,
    CompletedAt,
}

#[derive(DeriveIden)]
enum JobLeases {
    Table,
    Name,
    Holder,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    TenantId,
    Id,
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
                        ColumnDef::new(TenantSettings::RetentionYears)
                            .integer()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(TenantSettings::Table)
                    .add_column(
                        ColumnDef::new(TenantSettings::TwoPersonErasure)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Clients::Table)
                    .add_column(
                        ColumnDef::new(Clients::ErasedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ErasureRequests::Table)
                    .col(ColumnDef::new(ErasureRequests::TenantId).uuid().not_null())
                    .col(ColumnDef::new(ErasureRequests::Id).uuid().not_null())
                    .col(ColumnDef::new(ErasureRequests::ClientId).uuid().not_null())
                    .col(
                        ColumnDef::new(ErasureRequests::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(ErasureRequests::ReasonSealed).text().null())
                    .col(ColumnDef::new(ErasureRequests::RequestedBy).uuid().null())
                    .col(
                        ColumnDef::new(ErasureRequests::RequestedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ErasureRequests::ApprovedBy).uuid().null())
                    .col(
                        ColumnDef::new(ErasureRequests::CompletedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(ErasureRequests::TenantId)
                            .col(ErasureRequests::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ErasureRequests::Table,
                                (ErasureRequests::TenantId, ErasureRequests::ClientId),
                            )
                            .to(Clients::Table, (Clients::TenantId, Clients::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ErasureRequests::Table,
                                (ErasureRequests::TenantId, ErasureRequests::RequestedBy),
                            )
                            .to(Users::Table, (Users::TenantId, Users::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ErasureRequests::Table,
                                (ErasureRequests::TenantId, ErasureRequests::ApprovedBy),
                            )
                            .to(Users::Table, (Users::TenantId, Users::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("erasure_requests_tenant_client")
                    .table(ErasureRequests::Table)
                    .col(ErasureRequests::TenantId)
                    .col(ErasureRequests::ClientId)
                    .to_owned(),
            )
            .await?;
        rls::enable_tenant_rls(manager.get_connection(), "erasure_requests").await?;
        manager
            .create_table(
                Table::create()
                    .table(JobLeases::Table)
                    .col(
                        ColumnDef::new(JobLeases::Name)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(JobLeases::Holder).uuid().not_null())
                    .col(
                        ColumnDef::new(JobLeases::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(JobLeases::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ErasureRequests::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Clients::Table)
                    .drop_column(Clients::ErasedAt)
                    .to_owned(),
            )
            .await?;
        for column in [
            TenantSettings::TwoPersonErasure,
            TenantSettings::RetentionYears,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(TenantSettings::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
