//! Tenant settings (which procedure template applies, and its parameters) and case deadlines.

use crate::rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TenantSettings {
    Table,
    TenantId,
    Id,
    ProcedureTemplate,
    ReflectionDays,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Deadlines {
    Table,
    TenantId,
    Id,
    CaseId,
    Kind,
    Title,
    DueOn,
    Status,
    Source,
    StepCode,
    CompletedAt,
    CompletedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    TenantId,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TenantSettings::Table)
                    .col(ColumnDef::new(TenantSettings::TenantId).uuid().not_null())
                    .col(ColumnDef::new(TenantSettings::Id).uuid().not_null())
                    .col(
                        ColumnDef::new(TenantSettings::ProcedureTemplate)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(TenantSettings::ReflectionDays)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(TenantSettings::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(TenantSettings::TenantId)
                            .col(TenantSettings::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TenantSettings::Table, TenantSettings::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("tenant_settings_one_per_tenant")
                    .table(TenantSettings::Table)
                    .col(TenantSettings::TenantId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Deadlines::Table)
                    .col(ColumnDef::new(Deadlines::TenantId).uuid().not_null())
                    .col(ColumnDef::new(Deadlines::Id).uuid().not_null())
                    .col(ColumnDef::new(Deadlines::CaseId).uuid().not_null())
                    .col(ColumnDef::new(Deadlines::Kind).string_len(64).not_null())
                    .col(ColumnDef::new(Deadlines::Title).string_len(300).not_null())
                    .col(ColumnDef::new(Deadlines::DueOn).date().not_null())
                    .col(ColumnDef::new(Deadlines::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Deadlines::Source).string_len(64).not_null())
                    .col(ColumnDef::new(Deadlines::StepCode).string_len(64).null())
                    .col(
                        ColumnDef::new(Deadlines::CompletedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(Deadlines::CompletedBy).uuid().null())
                    .col(
                        ColumnDef::new(Deadlines::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Deadlines::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(Index::create().col(Deadlines::TenantId).col(Deadlines::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Deadlines::Table, (Deadlines::TenantId, Deadlines::CaseId))
                            .to(Cases::Table, (Cases::TenantId, Cases::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("deadlines_due")
                    .table(Deadlines::Table)
                    .col(Deadlines::TenantId)
                    .col(Deadlines::Status)
                    .col(Deadlines::DueOn)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        rls::enable_tenant_rls(db, "tenant_settings").await?;
        rls::enable_tenant_rls(db, "deadlines").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Deadlines::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(TenantSettings::Table).to_owned())
            .await
    }
}
