//! Cases by tenant, stage and id: a page of one stage (`GET /cases?stage=…`, ordered by id,
//! continued after a cursor id) reads just its rows from the index instead of every case of
//! that stage and sorting them. Replaces the index on tenant and stage alone, which this one
//! also serves.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cases {
    Table,
    TenantId,
    Stage,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("cases_tenant_stage_id")
                    .table(Cases::Table)
                    .col(Cases::TenantId)
                    .col(Cases::Stage)
                    .col(Cases::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("cases_tenant_stage")
                    .table(Cases::Table)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("cases_tenant_stage")
                    .table(Cases::Table)
                    .col(Cases::TenantId)
                    .col(Cases::Stage)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("cases_tenant_stage_id")
                    .table(Cases::Table)
                    .to_owned(),
            )
            .await
    }
}
