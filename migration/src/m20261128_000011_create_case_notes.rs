//! Case notes: append-only, a correction is a new version of the same note.

use crate::rls;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CaseNotes {
    Table,
    TenantId,
    Id,
    NoteId,
    Version,
    CaseId,
    Visibility,
    BodySealed,
    AuthorId,
    CreatedAt,
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
                    .table(CaseNotes::Table)
                    .col(ColumnDef::new(CaseNotes::TenantId).uuid().not_null())
                    .col(ColumnDef::new(CaseNotes::Id).uuid().not_null())
                    .col(ColumnDef::new(CaseNotes::NoteId).uuid().not_null())
                    .col(ColumnDef::new(CaseNotes::Version).integer().not_null())
                    .col(ColumnDef::new(CaseNotes::CaseId).uuid().not_null())
                    .col(
                        ColumnDef::new(CaseNotes::Visibility)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(CaseNotes::BodySealed).text().not_null())
                    .col(ColumnDef::new(CaseNotes::AuthorId).uuid().not_null())
                    .col(
                        ColumnDef::new(CaseNotes::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(Index::create().col(CaseNotes::TenantId).col(CaseNotes::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CaseNotes::Table, (CaseNotes::TenantId, CaseNotes::CaseId))
                            .to(Cases::Table, (Cases::TenantId, Cases::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("case_notes_version")
                    .table(CaseNotes::Table)
                    .col(CaseNotes::TenantId)
                    .col(CaseNotes::NoteId)
                    .col(CaseNotes::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("case_notes_case")
                    .table(CaseNotes::Table)
                    .col(CaseNotes::TenantId)
                    .col(CaseNotes::CaseId)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        rls::enable_tenant_rls(db, "case_notes").await?;
        // History is kept: the app role may only add versions and read them.
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE TRIGGER case_notes_append_only BEFORE UPDATE OR DELETE ON case_notes \
                     FOR EACH ROW EXECUTE FUNCTION haven_append_only()",
                )
                .await?;
                db.execute_unprepared(
                    "DO $$ DECLARE r record; BEGIN \
                       FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants \
                                WHERE table_schema = 'public' AND table_name = 'case_notes' \
                                  AND grantee <> current_user LOOP \
                         EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON case_notes FROM %I', r.grantee); \
                       END LOOP; END $$",
                )
                .await?;
            }
            _ => {
                for op in ["UPDATE", "DELETE"] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER case_notes_no_{op} BEFORE {op} ON case_notes \
                         BEGIN SELECT RAISE(ABORT, 'case_notes is append-only'); END"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CaseNotes::Table).to_owned())
            .await
    }
}
