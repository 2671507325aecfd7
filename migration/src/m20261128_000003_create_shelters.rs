//! Shelters, their rooms and beds, and which users work at which shelter.
//!
//! Every table is tenant-owned: `tenant_id` leads each primary key and every foreign key to
//! another tenant-owned table, so the database refuses a room, bed or assignment that points
//! at another tenant's row. A bed's `(shelter_id, room_id)` must also be a room of that
//! shelter, so occupancy per shelter can trust `beds.shelter_id`.

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

#[derive(Clone, Copy, DeriveIden)]
enum Shelters {
    Table,
    TenantId,
    Id,
    Name,
    AddressSealed,
    Capacity,
    AdmitsGenders,
    AdmitsMinors,
    MinAge,
    MaxAge,
    Phone,
    Email,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Rooms {
    Table,
    TenantId,
    Id,
    ShelterId,
    Name,
    Floor,
    Notes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Beds {
    Table,
    TenantId,
    Id,
    ShelterId,
    RoomId,
    Label,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ShelterStaff {
    Table,
    TenantId,
    ShelterId,
    UserId,
    CreatedAt,
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn uuid(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().not_null().to_owned()
}

fn text(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).not_null().to_owned()
}

fn text_null(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).null().to_owned()
}

fn age(col: Shelters) -> ColumnDef {
    ColumnDef::new(col)
        .integer()
        .null()
        .check(Expr::col(col).between(0, 120))
        .to_owned()
}

/// The tables this migration creates, children first (the order they are dropped in).
const TABLES: [&str; 4] = ["shelter_staff", "beds", "rooms", "shelters"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Shelters::Table)
                    .col(uuid(Shelters::TenantId))
                    .col(uuid(Shelters::Id))
                    .col(text(Shelters::Name, 200))
                    .col(ColumnDef::new(Shelters::AddressSealed).text().not_null())
                    .col(
                        ColumnDef::new(Shelters::Capacity)
                            .integer()
                            .not_null()
                            .check(Expr::col(Shelters::Capacity).between(1, 10_000)),
                    )
                    .col(text(Shelters::AdmitsGenders, 255))
                    .col(ColumnDef::new(Shelters::AdmitsMinors).boolean().not_null())
                    .col(age(Shelters::MinAge))
                    .col(age(Shelters::MaxAge))
                    .col(text_null(Shelters::Phone, 40))
                    .col(text_null(Shelters::Email, 254))
                    .col(
                        text(Shelters::Status, 16)
                            .check(Expr::col(Shelters::Status).is_in(["active", "closed"])),
                    )
                    .col(ts(Shelters::CreatedAt))
                    .col(ts(Shelters::UpdatedAt))
                    .primary_key(Index::create().col(Shelters::TenantId).col(Shelters::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Shelters::Table, Shelters::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("shelters_tenant_name")
                    .table(Shelters::Table)
                    .col(Shelters::TenantId)
                    .col(Shelters::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Rooms::Table)
                    .col(uuid(Rooms::TenantId))
                    .col(uuid(Rooms::Id))
                    .col(uuid(Rooms::ShelterId))
                    .col(text(Rooms::Name, 100))
                    .col(text_null(Rooms::Floor, 50))
                    .col(ColumnDef::new(Rooms::Notes).text().not_null())
                    .col(ts(Rooms::CreatedAt))
                    .col(ts(Rooms::UpdatedAt))
                    .primary_key(Index::create().col(Rooms::TenantId).col(Rooms::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Rooms::Table, (Rooms::TenantId, Rooms::ShelterId))
                            .to(Shelters::Table, (Shelters::TenantId, Shelters::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("rooms_shelter_name")
                    .table(Rooms::Table)
                    .col(Rooms::TenantId)
                    .col(Rooms::ShelterId)
                    .col(Rooms::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The target of the beds' (tenant, shelter, room) foreign key.
        manager
            .create_index(
                Index::create()
                    .name("rooms_shelter_id")
                    .table(Rooms::Table)
                    .col(Rooms::TenantId)
                    .col(Rooms::ShelterId)
                    .col(Rooms::Id)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Beds::Table)
                    .col(uuid(Beds::TenantId))
                    .col(uuid(Beds::Id))
                    .col(uuid(Beds::ShelterId))
                    .col(uuid(Beds::RoomId))
                    .col(text(Beds::Label, 50))
                    .col(
                        text(Beds::Status, 16)
                            .check(Expr::col(Beds::Status).is_in(["available", "out_of_service"])),
                    )
                    .col(ts(Beds::CreatedAt))
                    .col(ts(Beds::UpdatedAt))
                    .primary_key(Index::create().col(Beds::TenantId).col(Beds::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Beds::Table, (Beds::TenantId, Beds::ShelterId))
                            .to(Shelters::Table, (Shelters::TenantId, Shelters::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Beds::Table, (Beds::TenantId, Beds::RoomId))
                            .to(Rooms::Table, (Rooms::TenantId, Rooms::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Beds::Table, (Beds::TenantId, Beds::ShelterId, Beds::RoomId))
                            .to(Rooms::Table, (Rooms::TenantId, Rooms::ShelterId, Rooms::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("beds_room_label")
                    .table(Beds::Table)
                    .col(Beds::TenantId)
                    .col(Beds::RoomId)
                    .col(Beds::Label)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("beds_shelter")
                    .table(Beds::Table)
                    .col(Beds::TenantId)
                    .col(Beds::ShelterId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ShelterStaff::Table)
                    .col(uuid(ShelterStaff::TenantId))
                    .col(uuid(ShelterStaff::ShelterId))
                    .col(uuid(ShelterStaff::UserId))
                    .col(ts(ShelterStaff::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(ShelterStaff::TenantId)
                            .col(ShelterStaff::ShelterId)
                            .col(ShelterStaff::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ShelterStaff::Table,
                                (ShelterStaff::TenantId, ShelterStaff::ShelterId),
                            )
                            .to(Shelters::Table, (Shelters::TenantId, Shelters::Id)),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ShelterStaff::Table,
                                (ShelterStaff::TenantId, ShelterStaff::UserId),
                            )
                            .to(Users::Table, (Users::TenantId, Users::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        // "Which shelters does this user work at?" — for need-to-know checks.
        manager
            .create_index(
                Index::create()
                    .name("shelter_staff_user")
                    .table(ShelterStaff::Table)
                    .col(ShelterStaff::TenantId)
                    .col(ShelterStaff::UserId)
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        for table in TABLES {
            rls::enable_tenant_rls(db, table).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
