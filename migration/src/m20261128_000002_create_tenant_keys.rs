//! Per-tenant data keys (wrapped by the master key) for tenant-level confidential fields such
//! as shelter addresses.

use crate::rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TenantKeys {
    Table,
    TenantId,
    Id,
    MasterKeyId,
    WrappedKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TenantKeys::Table)
                    .col(ColumnDef::new(TenantKeys::TenantId).uuid().not_null())
                    .col(ColumnDef::new(TenantKeys::Id).uuid().not_null())
                    .col(
                        ColumnDef::new(TenantKeys::MasterKeyId)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(TenantKeys::WrappedKey)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(TenantKeys::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(TenantKeys::TenantId)
                            .col(TenantKeys::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TenantKeys::Table, TenantKeys::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;
        rls::enable_tenant_rls(manager.get_connection(), "tenant_keys").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TenantKeys::Table).to_owned())
            .await
    }
}
