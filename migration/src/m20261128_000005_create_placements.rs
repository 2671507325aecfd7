//! Placements of clients in beds. A bed is never double-booked: on PostgreSQL an exclusion
//! constraint over the placement's date range refuses overlaps; on SQLite triggers make the
//! same check inside the (serialised) write transaction.

use crate::rls;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Placements {
    Table,
    TenantId,
    Id,
    CaseId,
    ClientId,
    ShelterId,
    BedId,
    Status,
    StartOn,
    EndOn,
    AdmittedAt,
    LeftAt,
    LeaveReason,
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
enum Beds {
    Table,
    TenantId,
    Id,
}

#[derive(DeriveIden)]
enum Shelters {
    Table,
    TenantId,
    Id,
}

/// Name of the PostgreSQL constraint (and of the SQLite error) that refuses a double booking.
pub const NO_DOUBLE_BOOKING: &str = "placements_no_double_booking";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Placements::Table)
                    .col(ColumnDef::new(Placements::TenantId).uuid().not_null())
                    .col(ColumnDef::new(Placements::Id).uuid().not_null())
                    .col(ColumnDef::new(Placements::CaseId).uuid().not_null())
                    .col(ColumnDef::new(Placements::ClientId).uuid().not_null())
                    .col(ColumnDef::new(Placements::ShelterId).uuid().not_null())
                    .col(ColumnDef::new(Placements::BedId).uuid().not_null())
                    .col(ColumnDef::new(Placements::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Placements::StartOn).date().not_null())
                    .col(ColumnDef::new(Placements::EndOn).date().null())
                    .col(
                        ColumnDef::new(Placements::AdmittedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Placements::LeftAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Placements::LeaveReason)
                            .string_len(32)
                            .null(),
                    )
                    .col(ColumnDef::new(Placements::CreatedBy).uuid().null())
                    .col(
                        ColumnDef::new(Placements::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Placements::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(Placements::TenantId)
                            .col(Placements::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                Placements::Table,
                                (Placements::TenantId, Placements::CaseId),
                            )
                            .to(Cases::Table, (Cases::TenantId, Cases::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                Placements::Table,
                                (Placements::TenantId, Placements::ClientId),
                            )
                            .to(Clients::Table, (Clients::TenantId, Clients::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Placements::Table, (Placements::TenantId, Placements::BedId))
                            .to(Beds::Table, (Beds::TenantId, Beds::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                Placements::Table,
                                (Placements::TenantId, Placements::ShelterId),
                            )
                            .to(Shelters::Table, (Shelters::TenantId, Shelters::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("placements_bed", [Placements::TenantId, Placements::BedId]),
            (
                "placements_shelter",
                [Placements::TenantId, Placements::ShelterId],
            ),
            (
                "placements_case",
                [Placements::TenantId, Placements::CaseId],
            ),
        ] {
            let [first, second] = columns;
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Placements::Table)
                        .col(first)
                        .col(second)
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        rls::enable_tenant_rls(db, "placements").await?;
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                // btree_gist is a trusted extension: the database owner may create it.
                db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS btree_gist")
                    .await?;
                db.execute_unprepared(&format!(
                    "ALTER TABLE placements ADD CONSTRAINT {NO_DOUBLE_BOOKING} EXCLUDE USING gist \
                     (tenant_id WITH =, bed_id WITH =, daterange(start_on, end_on, '[)') WITH &&) \
                     WHERE (status <> 'cancelled')"
                ))
                .await?;
                db.execute_unprepared(
                    "ALTER TABLE placements ADD CONSTRAINT placements_dates CHECK (end_on IS NULL OR end_on > start_on)",
                )
                .await?;
            }
            _ => {
                for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW")] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER placements_no_overlap_{event} BEFORE {event} ON placements \
                         WHEN {row}.status <> 'cancelled' AND EXISTS (\
                           SELECT 1 FROM placements p WHERE p.tenant_id = {row}.tenant_id \
                             AND p.bed_id = {row}.bed_id AND p.id <> {row}.id AND p.status <> 'cancelled' \
                             AND p.start_on < COALESCE({row}.end_on, '9999-12-31') \
                             AND {row}.start_on < COALESCE(p.end_on, '9999-12-31')) \
                         BEGIN SELECT RAISE(ABORT, '{NO_DOUBLE_BOOKING}'); END"
                    ))
                    .await?;
                }
                db.execute_unprepared(
                    "CREATE TRIGGER placements_dates BEFORE INSERT ON placements \
                     WHEN NEW.end_on IS NOT NULL AND NEW.end_on <= NEW.start_on \
                     BEGIN SELECT RAISE(ABORT, 'placements_dates'); END",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Placements::Table).to_owned())
            .await
    }
}
