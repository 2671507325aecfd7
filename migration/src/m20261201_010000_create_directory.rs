//! The shared referral directory: partner organisations (`directory_organisations`) and the
//! proposed edits of shared entries (`directory_proposals`).
//!
//! Both are **shared** tables with an `owner_tenant_id` (`NULL` for entries the platform
//! curates) under [`rls::enable_shared_rls`]: a tenant sees its own rows and the verified
//! shared entries, a platform operator's transaction sees everything; proposals are seen only
//! by their proposer and the platform. Full-text search uses a weighted `tsvector` column with
//! a GIN index on PostgreSQL and an FTS5 table kept in step by triggers on SQLite.

use crate::rls;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DirectoryOrganisations {
    Table,
    Id,
    OwnerTenantId,
    Visibility,
    VerificationStatus,
    VerifiedAt,
    ReviewNote,
    Name,
    OrganisationType,
    Country,
    Region,
    City,
    ServiceTypes,
    Languages,
    Phone,
    Email,
    Website,
    Hours,
    #[sea_orm(iden = "open_24_7")]
    Open247,
    Accessibility,
    Descriptions,
    SearchText,
    LinkedTenantId,
    ShelterId,
    FreeBeds,
    FreeBedsWomen,
    FreeBedsMen,
    FreeBedsMinors,
    BedsUpdatedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DirectoryProposals {
    Table,
    Id,
    OwnerTenantId,
    OrganisationId,
    Changes,
    Status,
    ReviewNote,
    ProposedBy,
    ReviewedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
}

fn text(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).not_null().to_owned()
}

fn opt_text(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).null().to_owned()
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn opt_ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

/// What a tenant's transaction may read of the directory besides its own rows.
pub const PUBLISHED: &str = "visibility = 'shared' AND verification_status = 'verified'";

async fn search_index<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            // `simple`: the directory is written in many languages, so no stemming.
            db.execute_unprepared(
                "ALTER TABLE directory_organisations ADD COLUMN search_vector tsvector \
                 GENERATED ALWAYS AS ( \
                   setweight(to_tsvector('simple', coalesce(name, '')), 'A') || \
                   setweight(to_tsvector('simple', coalesce(city, '')), 'B') || \
                   setweight(to_tsvector('simple', coalesce(search_text, '')), 'C')) STORED",
            )
            .await?;
            db.execute_unprepared(
                "CREATE INDEX directory_organisations_search ON directory_organisations \
                 USING GIN (search_vector)",
            )
            .await?;
        }
        _ => {
            db.execute_unprepared(
                "CREATE VIRTUAL TABLE directory_fts USING fts5(id UNINDEXED, name, city, \
                 search_text, tokenize = 'unicode61 remove_diacritics 2')",
            )
            .await?;
            db.execute_unprepared(
                "CREATE TRIGGER directory_fts_insert AFTER INSERT ON directory_organisations \
                 BEGIN INSERT INTO directory_fts (id, name, city, search_text) \
                 VALUES (new.id, new.name, new.city, new.search_text); END",
            )
            .await?;
            db.execute_unprepared(
                "CREATE TRIGGER directory_fts_update AFTER UPDATE ON directory_organisations \
                 BEGIN UPDATE directory_fts SET name = new.name, city = new.city, \
                 search_text = new.search_text WHERE id = old.id; END",
            )
            .await?;
            db.execute_unprepared(
                "CREATE TRIGGER directory_fts_delete AFTER DELETE ON directory_organisations \
                 BEGIN DELETE FROM directory_fts WHERE id = old.id; END",
            )
            .await?;
        }
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use DirectoryOrganisations as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(ColumnDef::new(D::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(D::OwnerTenantId).uuid().null())
                    .col(text(D::Visibility, 16))
                    .col(opt_text(D::VerificationStatus, 16))
                    .col(opt_ts(D::VerifiedAt))
                    .col(opt_text(D::ReviewNote, 1000))
                    .col(text(D::Name, 200))
                    .col(text(D::OrganisationType, 32))
                    .col(text(D::Country, 2))
                    .col(opt_text(D::Region, 100))
                    .col(opt_text(D::City, 100))
                    // Comma-separated vocabulary names.
                    .col(text(D::ServiceTypes, 500))
                    .col(text(D::Languages, 200))
                    .col(opt_text(D::Phone, 40))
                    .col(opt_text(D::Email, 254))
                    .col(opt_text(D::Website, 300))
                    .col(opt_text(D::Hours, 300))
                    .col(ColumnDef::new(D::Open247).boolean().not_null())
                    .col(opt_text(D::Accessibility, 500))
                    // A JSON object: locale → description.
                    .col(ColumnDef::new(D::Descriptions).text().not_null())
                    // Every description, for the full-text index.
                    .col(ColumnDef::new(D::SearchText).text().not_null())
                    .col(ColumnDef::new(D::LinkedTenantId).uuid().null())
                    .col(ColumnDef::new(D::ShelterId).uuid().null())
                    .col(ColumnDef::new(D::FreeBeds).integer().null())
                    .col(ColumnDef::new(D::FreeBedsWomen).integer().null())
                    .col(ColumnDef::new(D::FreeBedsMen).integer().null())
                    .col(ColumnDef::new(D::FreeBedsMinors).integer().null())
                    .col(opt_ts(D::BedsUpdatedAt))
                    .col(ts(D::CreatedAt))
                    .col(ts(D::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(D::Table, D::OwnerTenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(D::Table, D::LinkedTenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("directory_organisations_country", D::Country),
            ("directory_organisations_owner", D::OwnerTenantId),
            ("directory_organisations_linked", D::LinkedTenantId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(D::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        use DirectoryProposals as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(ColumnDef::new(P::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(P::OwnerTenantId).uuid().not_null())
                    .col(ColumnDef::new(P::OrganisationId).uuid().not_null())
                    // A JSON object of the proposed field values.
                    .col(ColumnDef::new(P::Changes).text().not_null())
                    .col(text(P::Status, 16))
                    .col(opt_text(P::ReviewNote, 1000))
                    .col(ColumnDef::new(P::ProposedBy).uuid().not_null())
                    .col(opt_ts(P::ReviewedAt))
                    .col(ts(P::CreatedAt))
                    .col(ts(P::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(P::Table, P::OwnerTenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(P::Table, P::OrganisationId)
                            .to(D::Table, D::Id),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        search_index(db).await?;
        rls::enable_shared_rls(db, "directory_organisations", PUBLISHED).await?;
        // Proposals are never published: the proposer and the platform see them.
        rls::enable_shared_rls(db, "directory_proposals", "false").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() == DatabaseBackend::Sqlite {
            db.execute_unprepared("DROP TABLE IF EXISTS directory_fts")
                .await?;
        }
        manager
            .drop_table(Table::drop().table(DirectoryProposals::Table).to_owned())
            .await?;
        manager
            .drop_table(
                Table::drop()
                    .table(DirectoryOrganisations::Table)
                    .to_owned(),
            )
            .await
    }
}
