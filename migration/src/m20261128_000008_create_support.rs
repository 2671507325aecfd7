//! Support plans (goals per service area and their periodic reviews) and the service log: what
//! was done for a client, in which area, when, for how long and by whom.

use crate::rls;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SupportGoals {
    Table,
    TenantId,
    Id,
    CaseId,
    ClientId,
    Area,
    DescriptionSealed,
    TargetOn,
    Status,
    OwnerId,
    ClientViewSealed,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SupportReviews {
    Table,
    TenantId,
    Id,
    CaseId,
    ClientId,
    HeldOn,
    ParticipantIds,
    Progress,
    NextReviewOn,
    DeadlineId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ServiceEntries {
    Table,
    TenantId,
    Id,
    CaseId,
    ClientId,
    Area,
    ServiceType,
    ProvidedOn,
    DurationMinutes,
    ProviderUserId,
    ProviderOrganisationName,
    ProviderOrganisationId,
    GoalId,
    NoteSealed,
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

#[derive(DeriveIden)]
enum Users {
    Table,
    TenantId,
    Id,
}

#[derive(DeriveIden)]
enum Deadlines {
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

/// A foreign key from `(tenant, column)` of `table` to `(tenant_id, id)` of `target`.
fn tenant_fk(
    table: impl IntoIden,
    tenant: impl IntoIden,
    column: impl IntoIden,
    target: impl IntoIden,
    target_tenant: impl IntoIden,
    target_id: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table.into_iden(), (tenant.into_iden(), column.into_iden()))
        .to(
            target.into_iden(),
            (target_tenant.into_iden(), target_id.into_iden()),
        )
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use SupportGoals as G;
        manager
            .create_table(
                Table::create()
                    .table(G::Table)
                    .col(uuid(G::TenantId))
                    .col(uuid(G::Id))
                    .col(uuid(G::CaseId))
                    .col(uuid(G::ClientId))
                    .col(text(G::Area, 32))
                    .col(ColumnDef::new(G::DescriptionSealed).text().not_null())
                    .col(ColumnDef::new(G::TargetOn).date().null())
                    .col(text(G::Status, 16))
                    .col(ColumnDef::new(G::OwnerId).uuid().null())
                    // The client's own words about the goal.
                    .col(ColumnDef::new(G::ClientViewSealed).text().null())
                    .col(ColumnDef::new(G::CreatedBy).uuid().null())
                    .col(ts(G::CreatedAt))
                    .col(ts(G::UpdatedAt))
                    .primary_key(Index::create().col(G::TenantId).col(G::Id))
                    .foreign_key(&mut tenant_fk(
                        G::Table,
                        G::TenantId,
                        G::CaseId,
                        Cases::Table,
                        Cases::TenantId,
                        Cases::Id,
                    ))
                    .foreign_key(&mut tenant_fk(
                        G::Table,
                        G::TenantId,
                        G::ClientId,
                        Clients::Table,
                        Clients::TenantId,
                        Clients::Id,
                    ))
                    .foreign_key(&mut tenant_fk(
                        G::Table,
                        G::TenantId,
                        G::OwnerId,
                        Users::Table,
                        Users::TenantId,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("support_goals_case")
                    .table(G::Table)
                    .col(G::TenantId)
                    .col(G::CaseId)
                    .to_owned(),
            )
            .await?;

        use SupportReviews as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(uuid(R::TenantId))
                    .col(uuid(R::Id))
                    .col(uuid(R::CaseId))
                    .col(uuid(R::ClientId))
                    .col(ColumnDef::new(R::HeldOn).date().not_null())
                    // JSON: the users who took part, and per goal the status and sealed comment.
                    .col(ColumnDef::new(R::ParticipantIds).text().not_null())
                    .col(ColumnDef::new(R::Progress).text().not_null())
                    .col(ColumnDef::new(R::NextReviewOn).date().null())
                    .col(ColumnDef::new(R::DeadlineId).uuid().null())
                    .col(ColumnDef::new(R::CreatedBy).uuid().null())
                    .col(ts(R::CreatedAt))
                    .col(ts(R::UpdatedAt))
                    .primary_key(Index::create().col(R::TenantId).col(R::Id))
                    .foreign_key(&mut tenant_fk(
                        R::Table,
                        R::TenantId,
                        R::CaseId,
                        Cases::Table,
                        Cases::TenantId,
                        Cases::Id,
                    ))
                    .foreign_key(&mut tenant_fk(
                        R::Table,
                        R::TenantId,
                        R::ClientId,
                        Clients::Table,
                        Clients::TenantId,
                        Clients::Id,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(R::Table, (R::TenantId, R::DeadlineId))
                            .to(Deadlines::Table, (Deadlines::TenantId, Deadlines::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("support_reviews_case")
                    .table(R::Table)
                    .col(R::TenantId)
                    .col(R::CaseId)
                    .to_owned(),
            )
            .await?;

        use ServiceEntries as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(uuid(S::TenantId))
                    .col(uuid(S::Id))
                    .col(uuid(S::CaseId))
                    .col(uuid(S::ClientId))
                    .col(text(S::Area, 32))
                    .col(text(S::ServiceType, 64))
                    .col(ColumnDef::new(S::ProvidedOn).date().not_null())
                    .col(ColumnDef::new(S::DurationMinutes).integer().not_null())
                    // The provider: a user of the tenant, or an outside organisation by name.
                    .col(ColumnDef::new(S::ProviderUserId).uuid().null())
                    .col(
                        ColumnDef::new(S::ProviderOrganisationName)
                            .string_len(200)
                            .null(),
                    )
                    // A referral-directory organisation; the directory is shared and not yet
                    // built, so there is no foreign key to point at.
                    .col(ColumnDef::new(S::ProviderOrganisationId).uuid().null())
                    .col(ColumnDef::new(S::GoalId).uuid().null())
                    .col(ColumnDef::new(S::NoteSealed).text().null())
                    .col(ColumnDef::new(S::CreatedBy).uuid().null())
                    .col(ts(S::CreatedAt))
                    .col(ts(S::UpdatedAt))
                    .primary_key(Index::create().col(S::TenantId).col(S::Id))
                    .foreign_key(&mut tenant_fk(
                        S::Table,
                        S::TenantId,
                        S::CaseId,
                        Cases::Table,
                        Cases::TenantId,
                        Cases::Id,
                    ))
                    .foreign_key(&mut tenant_fk(
                        S::Table,
                        S::TenantId,
                        S::ClientId,
                        Clients::Table,
                        Clients::TenantId,
                        Clients::Id,
                    ))
                    .foreign_key(&mut tenant_fk(
                        S::Table,
                        S::TenantId,
                        S::ProviderUserId,
                        Users::Table,
                        Users::TenantId,
                        Users::Id,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(S::Table, (S::TenantId, S::GoalId))
                            .to(G::Table, (G::TenantId, G::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("service_entries_case", S::CaseId),
            ("service_entries_area", S::Area),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(S::Table)
                        .col(S::TenantId)
                        .col(column)
                        .col(S::ProvidedOn)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("service_entries_goal")
                    .table(S::Table)
                    .col(S::TenantId)
                    .col(S::GoalId)
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        for table in ["support_goals", "support_reviews", "service_entries"] {
            rls::enable_tenant_rls(db, table).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["service_entries", "support_reviews", "support_goals"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
