//! Tenant scoping of database work.
//!
//! Every transaction that touches tenant-owned tables is opened through [`begin_scoped`]. On
//! PostgreSQL it binds the tenant to the transaction with
//! `set_config('app.tenant_id', $1, true)` — a bound parameter, transaction-local — so the
//! row-level security policies see only that tenant's rows and the setting can never leak into
//! the next use of a pooled connection. On SQLite (single-tenant embedded files have no RLS)
//! the explicit `tenant_id` filters in every query are the wall.

use crate::ids::TenantId;
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr, Statement,
    TransactionTrait,
};

/// Name of the PostgreSQL setting the row-level security policies read.
pub const TENANT_SETTING: &str = "app.tenant_id";

/// Name of the PostgreSQL setting that admits a platform operator's transaction to the
/// **shared** tables (directory, training library). Tenant-owned tables never read it, so a
/// platform transaction still sees no tenant's clients or cases.
pub const PLATFORM_SETTING: &str = "app.platform";

/// Opens a transaction bound to `tenant`.
///
/// # Errors
/// Fails when the transaction cannot be started or the tenant setting cannot be applied.
pub async fn begin_scoped(
    db: &DatabaseConnection,
    tenant: TenantId,
) -> Result<DatabaseTransaction, DbErr> {
    let txn = begin(db).await?;
    bind_tenant(&txn, tenant).await?;
    Ok(txn)
}

/// How many pooled connections one [`begin`] may find dead before it gives up, at least: a
/// larger pool allows one attempt more than it can hold, so that even a pool whose every
/// connection the server terminated at once (a fail-over, `pg_terminate_backend`) is worked
/// through by the first request after it.
pub const STALE_CONNECTION_ATTEMPTS: usize = 10;

/// Opens a transaction. On SQLite it starts as a write transaction (`BEGIN IMMEDIATE`), so
/// concurrent writers queue on the busy timeout instead of failing with "database is locked"
/// when a read transaction tries to become a write one.
///
/// On PostgreSQL the pool does not test a busy connection before handing it out (that would
/// cost a round trip per request; see `api::db`). A connection the server terminated since it
/// was last used fails at `BEGIN`, before any work was sent, so `BEGIN` is tried again on the
/// next connection (the pool discards the dead one), once more than the pool holds
/// connections (and at least [`STALE_CONNECTION_ATTEMPTS`] times). Waiting for the pool or failing to connect is not retried here.
///
/// # Errors
/// When the transaction cannot be started.
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        return db
            .begin_with_options(sea_orm::TransactionOptions {
                isolation_level: None,
                access_mode: None,
                sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
            })
            .await;
    }
    let held = db
        .get_postgres_connection_pool()
        .options()
        .get_max_connections();
    let attempts = usize::try_from(held)
        .map_or(STALE_CONNECTION_ATTEMPTS, |n| n.saturating_add(1))
        .max(STALE_CONNECTION_ATTEMPTS);
    let mut attempt = 1;
    loop {
        match db.begin().await {
            Err(err) if attempt < attempts && crate::error::stale_connection(&err) => {
                tracing::warn!(attempt, error = %err, "a pooled database connection was dead; trying the next");
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Ends a transaction that only read, by rolling it back.
///
/// A transaction that wrote nothing ends the same way whether it commits or rolls back. On
/// PostgreSQL it is dropped: the driver queues the `ROLLBACK` and sends it together with the
/// check the pool makes of every connection handed back, so the request neither waits for it
/// nor pays a round trip of its own (a `COMMIT` costs both). On SQLite it is rolled back at
/// once, so that on both databases whatever such a transaction wrote is discarded and a write
/// ended here by mistake fails the same tests on either.
///
/// Debug builds (the tests) also ask PostgreSQL whether the transaction wrote anything, and
/// fail if it did.
///
/// # Errors
/// When the rollback on SQLite fails; in debug builds, when the transaction wrote.
pub async fn end_read(txn: DatabaseTransaction) -> Result<(), DbErr> {
    if txn.get_database_backend() != DatabaseBackend::Postgres {
        return txn.rollback().await;
    }
    if cfg!(debug_assertions) {
        let wrote = txn
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Postgres,
                "SELECT txid_current_if_assigned() IS NOT NULL AS wrote",
            ))
            .await?
            .map(|row| row.try_get::<bool>("", "wrote"))
            .transpose()?
            .unwrap_or(false);
        if wrote {
            return Err(DbErr::Custom(
                "a transaction that wrote was ended as a read".to_owned(),
            ));
        }
    }
    drop(txn);
    Ok(())
}

/// Binds `tenant` to an already open transaction (for work that creates the tenant first).
///
/// # Errors
/// When the setting cannot be applied.
pub async fn bind_tenant(txn: &DatabaseTransaction, tenant: TenantId) -> Result<(), DbErr> {
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT set_config($1, $2, true)",
            [TENANT_SETTING.into(), tenant.to_string().into()],
        ))
        .await?;
    }
    Ok(())
}

use crate::authz::{Permission, Role, permissions_of};
use crate::error::{DomainError, DomainResult};
use crate::ids::UserId;
use std::collections::BTreeSet;
use uuid::Uuid;

/// What a signed-in tenant user may reach: their tenant, their identity, their permissions.
/// Only [`crate::auth::authenticate`] makes one, from a verified access token.
#[derive(Clone, Debug)]
pub struct TenantScope {
    tenant_id: TenantId,
    user_id: UserId,
    session_id: Uuid,
    roles: BTreeSet<Role>,
    permissions: BTreeSet<Permission>,
}

impl TenantScope {
    pub(crate) fn new(
        tenant_id: TenantId,
        user_id: UserId,
        session_id: Uuid,
        roles: BTreeSet<Role>,
    ) -> Self {
        let permissions = permissions_of(&roles);
        Self {
            tenant_id,
            user_id,
            session_id,
            roles,
            permissions,
        }
    }

    #[must_use]
    pub fn tenant_id(&self) -> TenantId {
        self.tenant_id
    }

    #[must_use]
    pub fn user_id(&self) -> UserId {
        self.user_id
    }

    /// The session (refresh-token family) of the request's token.
    #[must_use]
    pub fn session_id(&self) -> Uuid {
        self.session_id
    }

    #[must_use]
    pub fn roles(&self) -> &BTreeSet<Role> {
        &self.roles
    }

    #[must_use]
    pub fn permissions(&self) -> &BTreeSet<Permission> {
        &self.permissions
    }

    #[must_use]
    pub fn has(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    /// # Errors
    /// [`DomainError::Forbidden`] when the permission is missing.
    pub fn require(&self, permission: Permission) -> DomainResult<()> {
        if self.has(permission) {
            Ok(())
        } else {
            Err(DomainError::Forbidden)
        }
    }

    /// Opens a transaction confined to this tenant (see [`begin_scoped`]).
    ///
    /// # Errors
    /// When the transaction cannot be opened.
    pub async fn begin(&self, db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
        begin_scoped(db, self.tenant_id).await
    }
}

/// A signed-in platform operator: may onboard and suspend tenants, never read their data.
#[derive(Clone, Debug)]
pub struct PlatformContext {
    admin_id: Uuid,
    session_id: Uuid,
}

impl PlatformContext {
    pub(crate) fn new(admin_id: Uuid, session_id: Uuid) -> Self {
        Self {
            admin_id,
            session_id,
        }
    }

    #[must_use]
    pub fn admin_id(&self) -> Uuid {
        self.admin_id
    }

    #[must_use]
    pub fn session_id(&self) -> Uuid {
        self.session_id
    }

    /// Opens a transaction for curating the shared tables (see [`begin_platform`]).
    ///
    /// # Errors
    /// When the transaction cannot be opened.
    pub async fn begin(&self, db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
        begin_platform(db, self).await
    }
}

/// Opens a transaction in which a platform operator may read and write every row of the
/// shared tables. It binds no tenant, so every tenant-owned table stays empty to it.
///
/// # Errors
/// When the transaction cannot be started or the setting cannot be applied.
pub async fn begin_platform(
    db: &DatabaseConnection,
    _ctx: &PlatformContext,
) -> Result<DatabaseTransaction, DbErr> {
    let txn = begin(db).await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT set_config($1, 'on', true)",
            [PLATFORM_SETTING.into()],
        ))
        .await?;
    }
    Ok(txn)
}

/// Whoever a verified access token speaks for.
#[derive(Clone, Debug)]
pub enum Principal {
    User(TenantScope),
    PlatformAdmin(PlatformContext),
}
