//! Each tenant's blind-index key, wrapped by the master key (tenant-owned). Kept apart from the
//! master key so that rotating the master key re-wraps it and leaves every index unchanged.

use crate::rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BlindIndexKeys {
    Table,
    TenantId,
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
                    .table(BlindIndexKeys::Table)
                    .col(
                        ColumnDef::new(BlindIndexKeys::TenantId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(BlindIndexKeys::MasterKeyId)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BlindIndexKeys::WrappedKey)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BlindIndexKeys::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(BlindIndexKeys::Table, BlindIndexKeys::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;
        rls::enable_tenant_rls(manager.get_connection(), "blind_index_keys").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BlindIndexKeys::Table).to_owned())
            .await
    }
}
