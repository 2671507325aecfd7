//! Administrative documents of a case (permits, identity papers, registrations) and legal
//! proceedings with their hearings. Numbers, references, contact names, notes and hearing
//! outcomes are sealed by the application; kinds, statuses and dates stay in clear.

use crate::rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Documents {
    Table,
    TenantId,
    Id,
    CaseId,
    ClientId,
    Kind,
    Status,
    NumberSealed,
    IssuingAuthority,
    IssuedOn,
    ExpiresOn,
    ProcedureStep,
    NotesSealed,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LegalProceedings {
    Table,
    TenantId,
    Id,
    CaseId,
    ClientId,
    ProceedingType,
    Status,
    ReferenceSealed,
    Jurisdiction,
    ClientRole,
    Contacts,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Hearings {
    Table,
    TenantId,
    Id,
    ProceedingId,
    CaseId,
    ClientId,
    HeldAt,
    Place,
    OutcomeSealed,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    TenantId,
    Id,
}

#[derive(DeriveIden)]
enum Clients {
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

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    tenant: impl IntoIden,
    column: impl IntoIden,
) -> Result<(), DbErr> {
    manager
        .create_index(
            Index::create()
                .name(name)
                .table(table)
                .col(tenant)
                .col(column)
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Documents::Table)
                    .col(uuid(Documents::TenantId))
                    .col(uuid(Documents::Id))
                    .col(uuid(Documents::CaseId))
                    .col(uuid(Documents::ClientId))
                    .col(text(Documents::Kind, 32))
                    .col(text(Documents::Status, 16))
                    .col(ColumnDef::new(Documents::NumberSealed).text().null())
                    .col(
                        ColumnDef::new(Documents::IssuingAuthority)
                            .string_len(200)
                            .null(),
                    )
                    .col(ColumnDef::new(Documents::IssuedOn).date().null())
                    .col(ColumnDef::new(Documents::ExpiresOn).date().null())
                    .col(
                        ColumnDef::new(Documents::ProcedureStep)
                            .string_len(64)
                            .null(),
                    )
                    .col(ColumnDef::new(Documents::NotesSealed).text().null())
                    .col(ColumnDef::new(Documents::CreatedBy).uuid().null())
                    .col(ts(Documents::CreatedAt))
                    .col(ts(Documents::UpdatedAt))
                    .primary_key(Index::create().col(Documents::TenantId).col(Documents::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Documents::Table, (Documents::TenantId, Documents::CaseId))
                            .to(Cases::Table, (Cases::TenantId, Cases::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Documents::Table, (Documents::TenantId, Documents::ClientId))
                            .to(Clients::Table, (Clients::TenantId, Clients::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "documents_case",
            Documents::Table,
            Documents::TenantId,
            Documents::CaseId,
        )
        .await?;
        index(
            manager,
            "documents_expiry",
            Documents::Table,
            Documents::TenantId,
            Documents::ExpiresOn,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(LegalProceedings::Table)
                    .col(uuid(LegalProceedings::TenantId))
                    .col(uuid(LegalProceedings::Id))
                    .col(uuid(LegalProceedings::CaseId))
                    .col(uuid(LegalProceedings::ClientId))
                    .col(text(LegalProceedings::ProceedingType, 32))
                    .col(text(LegalProceedings::Status, 16))
                    .col(
                        ColumnDef::new(LegalProceedings::ReferenceSealed)
                            .text()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(LegalProceedings::Jurisdiction)
                            .string_len(200)
                            .null(),
                    )
                    .col(text(LegalProceedings::ClientRole, 16))
                    // Police units, prosecutors, lawyers, courts: JSON, each name sealed.
                    .col(ColumnDef::new(LegalProceedings::Contacts).text().not_null())
                    .col(ColumnDef::new(LegalProceedings::CreatedBy).uuid().null())
                    .col(ts(LegalProceedings::CreatedAt))
                    .col(ts(LegalProceedings::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(LegalProceedings::TenantId)
                            .col(LegalProceedings::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                LegalProceedings::Table,
                                (LegalProceedings::TenantId, LegalProceedings::CaseId),
                            )
                            .to(Cases::Table, (Cases::TenantId, Cases::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                LegalProceedings::Table,
                                (LegalProceedings::TenantId, LegalProceedings::ClientId),
                            )
                            .to(Clients::Table, (Clients::TenantId, Clients::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "legal_proceedings_case",
            LegalProceedings::Table,
            LegalProceedings::TenantId,
            LegalProceedings::CaseId,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Hearings::Table)
                    .col(uuid(Hearings::TenantId))
                    .col(uuid(Hearings::Id))
                    .col(uuid(Hearings::ProceedingId))
                    .col(uuid(Hearings::CaseId))
                    .col(uuid(Hearings::ClientId))
                    .col(ts(Hearings::HeldAt))
                    .col(ColumnDef::new(Hearings::Place).string_len(200).null())
                    .col(ColumnDef::new(Hearings::OutcomeSealed).text().null())
                    .col(text(Hearings::Status, 16))
                    .col(ColumnDef::new(Hearings::CreatedBy).uuid().null())
                    .col(ts(Hearings::CreatedAt))
                    .col(ts(Hearings::UpdatedAt))
                    .primary_key(Index::create().col(Hearings::TenantId).col(Hearings::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                Hearings::Table,
                                (Hearings::TenantId, Hearings::ProceedingId),
                            )
                            .to(
                                LegalProceedings::Table,
                                (LegalProceedings::TenantId, LegalProceedings::Id),
                            ),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Hearings::Table, (Hearings::TenantId, Hearings::CaseId))
                            .to(Cases::Table, (Cases::TenantId, Cases::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Hearings::Table, (Hearings::TenantId, Hearings::ClientId))
                            .to(Clients::Table, (Clients::TenantId, Clients::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "hearings_proceeding",
            Hearings::Table,
            Hearings::TenantId,
            Hearings::ProceedingId,
        )
        .await?;
        index(
            manager,
            "hearings_case",
            Hearings::Table,
            Hearings::TenantId,
            Hearings::CaseId,
        )
        .await?;

        let db = manager.get_connection();
        for table in ["documents", "legal_proceedings", "hearings"] {
            rls::enable_tenant_rls(db, table).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["hearings", "legal_proceedings", "documents"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
