//! Referrals (tenant-owned): a case referred to a partner organisation of the directory, with
//! the consent it rests on (or an authorised override), the sealed reason, the status flow and
//! its dates; and the inbox of referrals a tenant receives from another Haven tenant, each
//! carrying a packet copied at send time and sealed under the receiver's key.

use crate::rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Referrals {
    Table,
    TenantId,
    Id,
    CaseId,
    ClientId,
    OrganisationId,
    ServiceType,
    ServiceArea,
    Urgency,
    ReasonSealed,
    SharedFields,
    ConsentId,
    ConsentOverride,
    OverrideReasonSealed,
    OverrideBy,
    Status,
    OutcomeSealed,
    SentAt,
    RespondedAt,
    CompletedAt,
    CancelledAt,
    ReceiverTenantId,
    IncomingId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IncomingReferrals {
    Table,
    TenantId,
    Id,
    SenderTenantId,
    OrganisationId,
    SenderName,
    ServiceType,
    ServiceArea,
    Urgency,
    PacketSealed,
    Status,
    DeclineReasonSealed,
    CaseId,
    DecidedBy,
    ReceivedAt,
    DecidedAt,
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

#[derive(DeriveIden)]
enum Consents {
    Table,
    TenantId,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    TenantId,
    Id,
}

#[derive(DeriveIden)]
enum DirectoryOrganisations {
    Table,
    Id,
}

fn uuid(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().not_null().to_owned()
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn ts_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

fn code(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string_len(32).not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Referrals::Table)
                    .col(uuid(Referrals::TenantId))
                    .col(uuid(Referrals::Id))
                    .col(uuid(Referrals::CaseId))
                    .col(uuid(Referrals::ClientId))
                    .col(uuid(Referrals::OrganisationId))
                    .col(code(Referrals::ServiceType))
                    .col(code(Referrals::ServiceArea))
                    .col(code(Referrals::Urgency))
                    .col(ColumnDef::new(Referrals::ReasonSealed).text().not_null())
                    .col(
                        ColumnDef::new(Referrals::SharedFields)
                            .string_len(400)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Referrals::ConsentId).uuid().null())
                    .col(
                        ColumnDef::new(Referrals::ConsentOverride)
                            .boolean()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Referrals::OverrideReasonSealed)
                            .text()
                            .null(),
                    )
                    .col(ColumnDef::new(Referrals::OverrideBy).uuid().null())
                    .col(code(Referrals::Status))
                    .col(ColumnDef::new(Referrals::OutcomeSealed).text().null())
                    .col(ts(Referrals::SentAt))
                    .col(ts_null(Referrals::RespondedAt))
                    .col(ts_null(Referrals::CompletedAt))
                    .col(ts_null(Referrals::CancelledAt))
                    .col(ColumnDef::new(Referrals::ReceiverTenantId).uuid().null())
                    .col(ColumnDef::new(Referrals::IncomingId).uuid().null())
                    .col(uuid(Referrals::CreatedBy))
                    .col(ts(Referrals::CreatedAt))
                    .col(ts(Referrals::UpdatedAt))
                    .primary_key(Index::create().col(Referrals::TenantId).col(Referrals::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Referrals::Table, (Referrals::TenantId, Referrals::CaseId))
                            .to(Cases::Table, (Cases::TenantId, Cases::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Referrals::Table, (Referrals::TenantId, Referrals::ClientId))
                            .to(Clients::Table, (Clients::TenantId, Clients::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                Referrals::Table,
                                (Referrals::TenantId, Referrals::ConsentId),
                            )
                            .to(Consents::Table, (Consents::TenantId, Consents::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                Referrals::Table,
                                (Referrals::TenantId, Referrals::CreatedBy),
                            )
                            .to(Users::Table, (Users::TenantId, Users::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Referrals::Table, Referrals::OrganisationId)
                            .to(DirectoryOrganisations::Table, DirectoryOrganisations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("referrals_tenant_case", Referrals::CaseId),
            ("referrals_tenant_status", Referrals::Status),
            ("referrals_tenant_incoming", Referrals::IncomingId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Referrals::Table)
                        .col(Referrals::TenantId)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(IncomingReferrals::Table)
                    .col(uuid(IncomingReferrals::TenantId))
                    .col(uuid(IncomingReferrals::Id))
                    .col(uuid(IncomingReferrals::SenderTenantId))
                    .col(uuid(IncomingReferrals::OrganisationId))
                    .col(
                        ColumnDef::new(IncomingReferrals::SenderName)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(code(IncomingReferrals::ServiceType))
                    .col(code(IncomingReferrals::ServiceArea))
                    .col(code(IncomingReferrals::Urgency))
                    .col(
                        ColumnDef::new(IncomingReferrals::PacketSealed)
                            .text()
                            .not_null(),
                    )
                    .col(code(IncomingReferrals::Status))
                    .col(
                        ColumnDef::new(IncomingReferrals::DeclineReasonSealed)
                            .text()
                            .null(),
                    )
                    .col(ColumnDef::new(IncomingReferrals::CaseId).uuid().null())
                    .col(ColumnDef::new(IncomingReferrals::DecidedBy).uuid().null())
                    .col(ts(IncomingReferrals::ReceivedAt))
                    .col(ts_null(IncomingReferrals::DecidedAt))
                    .col(ts(IncomingReferrals::CreatedAt))
                    .col(ts(IncomingReferrals::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(IncomingReferrals::TenantId)
                            .col(IncomingReferrals::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                IncomingReferrals::Table,
                                (IncomingReferrals::TenantId, IncomingReferrals::CaseId),
                            )
                            .to(Cases::Table, (Cases::TenantId, Cases::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                IncomingReferrals::Table,
                                (IncomingReferrals::TenantId, IncomingReferrals::DecidedBy),
                            )
                            .to(Users::Table, (Users::TenantId, Users::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("incoming_referrals_tenant_status")
                    .table(IncomingReferrals::Table)
                    .col(IncomingReferrals::TenantId)
                    .col(IncomingReferrals::Status)
                    .to_owned(),
            )
            .await?;
        let conn = manager.get_connection();
        rls::enable_tenant_rls(conn, "referrals").await?;
        rls::enable_tenant_rls(conn, "incoming_referrals").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IncomingReferrals::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Referrals::Table).to_owned())
            .await
    }
}
