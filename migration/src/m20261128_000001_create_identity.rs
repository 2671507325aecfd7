//! Tenants, platform administrators, users, tokens, signing keys and the audit log.

use crate::rls;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tenants {
    Table,
    Id,
    Name,
    Slug,
    Country,
    DefaultLocale,
    TimeZone,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PlatformAdmins {
    Table,
    Id,
    Email,
    Name,
    PasswordHash,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    TenantId,
    Id,
    Email,
    Name,
    PasswordHash,
    Roles,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PasswordTokens {
    Table,
    TenantId,
    Id,
    UserId,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    TenantId,
    Id,
    FamilyId,
    UserId,
    TokenHash,
    IssuedAt,
    ExpiresAt,
    FamilyExpiresAt,
    UsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum PlatformRefreshTokens {
    Table,
    Id,
    FamilyId,
    AdminId,
    TokenHash,
    IssuedAt,
    ExpiresAt,
    FamilyExpiresAt,
    UsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum SigningKeys {
    Table,
    Kid,
    PublicKey,
    SealedPrivateKey,
    MasterKeyId,
    CreatedAt,
    RetiredAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    TenantId,
    Id,
    OccurredAt,
    ActorKind,
    ActorId,
    Action,
    TargetType,
    TargetId,
    Outcome,
    RequestId,
    Details,
}

#[derive(DeriveIden)]
enum AuditChain {
    Table,
    TenantId,
    Position,
    EventId,
    PrevHash,
    Hash,
    LinkedAt,
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

fn uuid(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().not_null().to_owned()
}

fn text(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).not_null().to_owned()
}

/// Tables the app role may only insert into and read.
const APPEND_ONLY: [&str; 2] = ["audit_events", "audit_chain"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tenants::Table)
                    .col(uuid(Tenants::Id).primary_key())
                    .col(text(Tenants::Name, 200))
                    .col(text(Tenants::Slug, 63).unique_key())
                    .col(text(Tenants::Country, 2))
                    .col(text(Tenants::DefaultLocale, 35))
                    .col(text(Tenants::TimeZone, 64))
                    .col(text(Tenants::Status, 16))
                    .col(ts(Tenants::CreatedAt))
                    .col(ts(Tenants::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PlatformAdmins::Table)
                    .col(uuid(PlatformAdmins::Id).primary_key())
                    .col(text(PlatformAdmins::Email, 254).unique_key())
                    .col(text(PlatformAdmins::Name, 200))
                    .col(text(PlatformAdmins::PasswordHash, 255))
                    .col(text(PlatformAdmins::Status, 16))
                    .col(ts(PlatformAdmins::CreatedAt))
                    .col(ts(PlatformAdmins::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(uuid(Users::TenantId))
                    .col(uuid(Users::Id))
                    .col(text(Users::Email, 254))
                    .col(text(Users::Name, 200))
                    .col(ColumnDef::new(Users::PasswordHash).string_len(255).null())
                    .col(text(Users::Roles, 255))
                    .col(text(Users::Status, 16))
                    .col(ColumnDef::new(Users::CreatedBy).uuid().null())
                    .col(ts(Users::CreatedAt))
                    .col(ts(Users::UpdatedAt))
                    .primary_key(Index::create().col(Users::TenantId).col(Users::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Users::Table, Users::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("users_tenant_email")
                    .table(Users::Table)
                    .col(Users::TenantId)
                    .col(Users::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("users_email")
                    .table(Users::Table)
                    .col(Users::Email)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PasswordTokens::Table)
                    .col(uuid(PasswordTokens::TenantId))
                    .col(uuid(PasswordTokens::Id))
                    .col(uuid(PasswordTokens::UserId))
                    .col(text(PasswordTokens::TokenHash, 64).unique_key())
                    .col(ts(PasswordTokens::ExpiresAt))
                    .col(ts_null(PasswordTokens::UsedAt))
                    .col(ts(PasswordTokens::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(PasswordTokens::TenantId)
                            .col(PasswordTokens::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                PasswordTokens::Table,
                                (PasswordTokens::TenantId, PasswordTokens::UserId),
                            )
                            .to(Users::Table, (Users::TenantId, Users::Id)),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(uuid(RefreshTokens::TenantId))
                    .col(uuid(RefreshTokens::Id))
                    .col(uuid(RefreshTokens::FamilyId))
                    .col(uuid(RefreshTokens::UserId))
                    .col(text(RefreshTokens::TokenHash, 64).unique_key())
                    .col(ts(RefreshTokens::IssuedAt))
                    .col(ts(RefreshTokens::ExpiresAt))
                    .col(ts(RefreshTokens::FamilyExpiresAt))
                    .col(ts_null(RefreshTokens::UsedAt))
                    .col(ts_null(RefreshTokens::RevokedAt))
                    .primary_key(
                        Index::create()
                            .col(RefreshTokens::TenantId)
                            .col(RefreshTokens::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                RefreshTokens::Table,
                                (RefreshTokens::TenantId, RefreshTokens::UserId),
                            )
                            .to(Users::Table, (Users::TenantId, Users::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("refresh_tokens_family")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::TenantId)
                    .col(RefreshTokens::FamilyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PlatformRefreshTokens::Table)
                    .col(uuid(PlatformRefreshTokens::Id).primary_key())
                    .col(uuid(PlatformRefreshTokens::FamilyId))
                    .col(uuid(PlatformRefreshTokens::AdminId))
                    .col(text(PlatformRefreshTokens::TokenHash, 64).unique_key())
                    .col(ts(PlatformRefreshTokens::IssuedAt))
                    .col(ts(PlatformRefreshTokens::ExpiresAt))
                    .col(ts(PlatformRefreshTokens::FamilyExpiresAt))
                    .col(ts_null(PlatformRefreshTokens::UsedAt))
                    .col(ts_null(PlatformRefreshTokens::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PlatformRefreshTokens::Table, PlatformRefreshTokens::AdminId)
                            .to(PlatformAdmins::Table, PlatformAdmins::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SigningKeys::Table)
                    .col(text(SigningKeys::Kid, 64).primary_key())
                    .col(
                        ColumnDef::new(SigningKeys::PublicKey)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(text(SigningKeys::SealedPrivateKey, 255))
                    .col(text(SigningKeys::MasterKeyId, 64))
                    .col(ts(SigningKeys::CreatedAt))
                    .col(ts_null(SigningKeys::RetiredAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(uuid(AuditEvents::TenantId))
                    .col(uuid(AuditEvents::Id))
                    .col(ts(AuditEvents::OccurredAt))
                    .col(text(AuditEvents::ActorKind, 16))
                    .col(ColumnDef::new(AuditEvents::ActorId).uuid().null())
                    .col(text(AuditEvents::Action, 64))
                    .col(
                        ColumnDef::new(AuditEvents::TargetType)
                            .string_len(64)
                            .null(),
                    )
                    .col(ColumnDef::new(AuditEvents::TargetId).uuid().null())
                    .col(text(AuditEvents::Outcome, 16))
                    .col(
                        ColumnDef::new(AuditEvents::RequestId)
                            .string_len(128)
                            .null(),
                    )
                    .col(ColumnDef::new(AuditEvents::Details).text().not_null())
                    .primary_key(
                        Index::create()
                            .col(AuditEvents::TenantId)
                            .col(AuditEvents::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditEvents::Table, AuditEvents::TenantId)
                            .to(Tenants::Table, Tenants::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_events_tenant_time")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::TenantId)
                    .col(AuditEvents::OccurredAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditChain::Table)
                    .col(uuid(AuditChain::TenantId))
                    .col(
                        ColumnDef::new(AuditChain::Position)
                            .big_integer()
                            .not_null(),
                    )
                    .col(uuid(AuditChain::EventId))
                    .col(text(AuditChain::PrevHash, 64))
                    .col(text(AuditChain::Hash, 64))
                    .col(ts(AuditChain::LinkedAt))
                    .primary_key(
                        Index::create()
                            .col(AuditChain::TenantId)
                            .col(AuditChain::Position),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                AuditChain::Table,
                                (AuditChain::TenantId, AuditChain::EventId),
                            )
                            .to(AuditEvents::Table, (AuditEvents::TenantId, AuditEvents::Id)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_chain_event")
                    .table(AuditChain::Table)
                    .col(AuditChain::TenantId)
                    .col(AuditChain::EventId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        for table in [
            "users",
            "password_tokens",
            "refresh_tokens",
            "audit_events",
            "audit_chain",
        ] {
            rls::enable_tenant_rls(db, table).await?;
        }
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                // Login knows an e-mail address before it knows the tenant: this policy lets a
                // transaction that set `app.login_email` read the user rows with that address
                // (and nothing else) in every tenant.
                db.execute_unprepared(
                    "CREATE POLICY login_lookup ON users FOR SELECT \
                     USING (email = nullif(current_setting('app.login_email', true), ''))",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE FUNCTION haven_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$",
                )
                .await?;
                for table in APPEND_ONLY {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} \
                         FOR EACH ROW EXECUTE FUNCTION haven_append_only()"
                    ))
                    .await?;
                    // Default privileges gave the app role UPDATE and DELETE: take them back.
                    db.execute_unprepared(&format!(
                        "DO $$ DECLARE r record; BEGIN \
                           FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants \
                                    WHERE table_schema = 'public' AND table_name = '{table}' \
                                      AND grantee <> current_user LOOP \
                             EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM %I', r.grantee); \
                           END LOOP; END $$"
                    ))
                    .await?;
                }
            }
            _ => {
                for table in APPEND_ONLY {
                    for op in ["UPDATE", "DELETE"] {
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER {table}_no_{op} BEFORE {op} ON {table} \
                             BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
                            op = op
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "audit_chain",
            "audit_events",
            "signing_keys",
            "platform_refresh_tokens",
            "refresh_tokens",
            "password_tokens",
            "users",
            "platform_admins",
            "tenants",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS haven_append_only()")
                .await?;
        }
        Ok(())
    }
}
