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

/// Opens a transaction bound to `tenant`.
///
/// # Errors
/// Fails when the transaction cannot be started or the tenant setting cannot be applied.
pub async fn begin_scoped(
    db: &DatabaseConnection,
    tenant: TenantId,
) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT set_config($1, $2, true)",
            [TENANT_SETTING.into(), tenant.to_string().into()],
        ))
        .await?;
    }
    Ok(txn)
}
