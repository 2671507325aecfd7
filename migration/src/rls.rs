//! Row-level security for tenant-owned tables on PostgreSQL.
//!
//! Each tenant-owned table gets `ENABLE` and `FORCE ROW LEVEL SECURITY` and one policy that
//! compares its `tenant_id` with the transaction-local setting `app.tenant_id`. The setting is
//! read through `nullif(…, '')`, so a connection that never set it — or whose transaction
//! ended — sees no rows and can write none.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

/// The SQL statements that put `table` under tenant row-level security.
///
/// `table` must be a plain identifier chosen by a migration, never user input.
#[must_use]
pub fn policy_statements(table: &str) -> Vec<String> {
    let predicate =
        "tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid".to_owned();
    vec![
        format!("ALTER TABLE \"{table}\" ENABLE ROW LEVEL SECURITY"),
        format!("ALTER TABLE \"{table}\" FORCE ROW LEVEL SECURITY"),
        format!("DROP POLICY IF EXISTS tenant_isolation ON \"{table}\""),
        format!(
            "CREATE POLICY tenant_isolation ON \"{table}\" USING ({predicate}) WITH CHECK ({predicate})"
        ),
    ]
}

/// Applies [`policy_statements`] on PostgreSQL; does nothing on SQLite, where the embedded
/// profile relies on the explicit tenant filters.
///
/// # Errors
/// Any database error from the statements.
pub async fn enable_tenant_rls<C: ConnectionTrait>(db: &C, table: &str) -> Result<(), DbErr> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    for sql in policy_statements(table) {
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_force_rls_and_read_the_setting_safely() {
        let sql = policy_statements("clients").join(";\n");
        assert!(sql.contains("ALTER TABLE \"clients\" FORCE ROW LEVEL SECURITY"));
        assert!(sql.contains("nullif(current_setting('app.tenant_id', true), '')::uuid"));
        assert!(sql.contains("WITH CHECK"));
    }
}
