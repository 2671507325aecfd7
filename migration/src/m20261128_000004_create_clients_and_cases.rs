//! Clients (with sealed identities and per-client data keys), case codes, cases, their case
//! teams and stage transitions.

use crate::rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    TenantId,
    Id,
}

#[derive(DeriveIden)]
enum CaseCodeCounters {
    Table,
    TenantId,
    Year,
    LastValue,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    TenantId,
    Id,
    CaseCode,
    IdentitySealed,
    NameIndex,
    NameDobIndex,
    Gender,
    BirthYear,
    AgeBand,
    Nationality,
    Languages,
    ExploitationTypes,
    Needs,
    TraffickingStatus,
    StatusDecidedBy,
    RecruitmentMethods,
    ControlMethods,
    TraffickingEvents,
    ConnectedPersons,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ClientNameIndex {
    Table,
    TenantId,
    ClientId,
    Token,
}

#[derive(DeriveIden)]
enum ClientKeys {
    Table,
    TenantId,
    ClientId,
    MasterKeyId,
    WrappedKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    TenantId,
    Id,
    ClientId,
    Stage,
    ClosureReason,
    OpenedAt,
    ClosedAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CaseMembers {
    Table,
    TenantId,
    CaseId,
    UserId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CaseTransitions {
    Table,
    TenantId,
    Id,
    CaseId,
    FromStage,
    ToStage,
    Reason,
    ActorId,
    OccurredAt,
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
                    .table(CaseCodeCounters::Table)
                    .col(uuid(CaseCodeCounters::TenantId))
                    .col(ColumnDef::new(CaseCodeCounters::Year).integer().not_null())
                    .col(
                        ColumnDef::new(CaseCodeCounters::LastValue)
                            .integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(CaseCodeCounters::TenantId)
                            .col(CaseCodeCounters::Year),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CaseCodeCounters::Table, CaseCodeCounters::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Clients::Table)
                    .col(uuid(Clients::TenantId))
                    .col(uuid(Clients::Id))
                    .col(text(Clients::CaseCode, 32))
                    .col(ColumnDef::new(Clients::IdentitySealed).text().null())
                    .col(ColumnDef::new(Clients::NameIndex).string_len(64).null())
                    .col(ColumnDef::new(Clients::NameDobIndex).string_len(64).null())
                    .col(text(Clients::Gender, 32))
                    .col(ColumnDef::new(Clients::BirthYear).integer().null())
                    .col(text(Clients::AgeBand, 16))
                    .col(ColumnDef::new(Clients::Nationality).string_len(2).null())
                    .col(text(Clients::Languages, 255))
                    .col(text(Clients::ExploitationTypes, 255))
                    .col(text(Clients::Needs, 255))
                    .col(text(Clients::TraffickingStatus, 32))
                    .col(
                        ColumnDef::new(Clients::StatusDecidedBy)
                            .string_len(32)
                            .null(),
                    )
                    .col(text(Clients::RecruitmentMethods, 255))
                    .col(text(Clients::ControlMethods, 512))
                    .col(ColumnDef::new(Clients::TraffickingEvents).text().not_null())
                    .col(ColumnDef::new(Clients::ConnectedPersons).text().not_null())
                    .col(ColumnDef::new(Clients::CreatedBy).uuid().null())
                    .col(ts(Clients::CreatedAt))
                    .col(ts(Clients::UpdatedAt))
                    .primary_key(Index::create().col(Clients::TenantId).col(Clients::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Clients::Table, Clients::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("clients_case_code")
                    .table(Clients::Table)
                    .col(Clients::TenantId)
                    .col(Clients::CaseCode)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("clients_name_dob_index")
                    .table(Clients::Table)
                    .col(Clients::TenantId)
                    .col(Clients::NameDobIndex)
                    .to_owned(),
            )
            .await?;

        // One row per name token of a client, for search without names in clear.
        manager
            .create_table(
                Table::create()
                    .table(ClientNameIndex::Table)
                    .col(uuid(ClientNameIndex::TenantId))
                    .col(uuid(ClientNameIndex::ClientId))
                    .col(text(ClientNameIndex::Token, 64))
                    .primary_key(
                        Index::create()
                            .col(ClientNameIndex::TenantId)
                            .col(ClientNameIndex::Token)
                            .col(ClientNameIndex::ClientId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ClientNameIndex::Table,
                                (ClientNameIndex::TenantId, ClientNameIndex::ClientId),
                            )
                            .to(Clients::Table, (Clients::TenantId, Clients::Id))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClientKeys::Table)
                    .col(uuid(ClientKeys::TenantId))
                    .col(uuid(ClientKeys::ClientId))
                    .col(text(ClientKeys::MasterKeyId, 64))
                    .col(text(ClientKeys::WrappedKey, 255))
                    .col(ts(ClientKeys::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(ClientKeys::TenantId)
                            .col(ClientKeys::ClientId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ClientKeys::Table,
                                (ClientKeys::TenantId, ClientKeys::ClientId),
                            )
                            .to(Clients::Table, (Clients::TenantId, Clients::Id)),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Cases::Table)
                    .col(uuid(Cases::TenantId))
                    .col(uuid(Cases::Id))
                    .col(uuid(Cases::ClientId))
                    .col(text(Cases::Stage, 16))
                    .col(ColumnDef::new(Cases::ClosureReason).string_len(32).null())
                    .col(ts(Cases::OpenedAt))
                    .col(
                        ColumnDef::new(Cases::ClosedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(Cases::CreatedBy).uuid().null())
                    .col(ts(Cases::CreatedAt))
                    .col(ts(Cases::UpdatedAt))
                    .primary_key(Index::create().col(Cases::TenantId).col(Cases::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Cases::Table, (Cases::TenantId, Cases::ClientId))
                            .to(Clients::Table, (Clients::TenantId, Clients::Id)),
                    )
                    .to_owned(),
            )
            .await?;
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
            .create_index(
                Index::create()
                    .name("cases_tenant_client")
                    .table(Cases::Table)
                    .col(Cases::TenantId)
                    .col(Cases::ClientId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CaseMembers::Table)
                    .col(uuid(CaseMembers::TenantId))
                    .col(uuid(CaseMembers::CaseId))
                    .col(uuid(CaseMembers::UserId))
                    .col(text(CaseMembers::Role, 16))
                    .col(ts(CaseMembers::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(CaseMembers::TenantId)
                            .col(CaseMembers::CaseId)
                            .col(CaseMembers::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                CaseMembers::Table,
                                (CaseMembers::TenantId, CaseMembers::CaseId),
                            )
                            .to(Cases::Table, (Cases::TenantId, Cases::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                CaseMembers::Table,
                                (CaseMembers::TenantId, CaseMembers::UserId),
                            )
                            .to(Users::Table, (Users::TenantId, Users::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("case_members_user")
                    .table(CaseMembers::Table)
                    .col(CaseMembers::TenantId)
                    .col(CaseMembers::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CaseTransitions::Table)
                    .col(uuid(CaseTransitions::TenantId))
                    .col(uuid(CaseTransitions::Id))
                    .col(uuid(CaseTransitions::CaseId))
                    .col(
                        ColumnDef::new(CaseTransitions::FromStage)
                            .string_len(16)
                            .null(),
                    )
                    .col(text(CaseTransitions::ToStage, 16))
                    .col(ColumnDef::new(CaseTransitions::Reason).text().null())
                    .col(ColumnDef::new(CaseTransitions::ActorId).uuid().null())
                    .col(ts(CaseTransitions::OccurredAt))
                    .primary_key(
                        Index::create()
                            .col(CaseTransitions::TenantId)
                            .col(CaseTransitions::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                CaseTransitions::Table,
                                (CaseTransitions::TenantId, CaseTransitions::CaseId),
                            )
                            .to(Cases::Table, (Cases::TenantId, Cases::Id)),
                    )
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        for table in [
            "case_code_counters",
            "clients",
            "client_name_index",
            "client_keys",
            "cases",
            "case_members",
            "case_transitions",
        ] {
            rls::enable_tenant_rls(db, table).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "case_transitions",
            "case_members",
            "cases",
            "client_keys",
            "client_name_index",
            "clients",
            "case_code_counters",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
