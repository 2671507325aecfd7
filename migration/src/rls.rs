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

/// The predicate that admits a platform operator's transaction (see
/// `haven_domain::tenancy::begin_platform`): the transaction-local setting `app.platform`.
pub const PLATFORM_PREDICATE: &str = "coalesce(current_setting('app.platform', true), '') = 'on'";

/// The SQL statements that put a **shared** table under row-level security.
///
/// A shared table (the referral directory, the training library) has an `owner_tenant_id`
/// column, `NULL` for rows the platform curates. A tenant's transaction sees its own rows and
/// the rows `published` admits for everyone (e.g. `visibility = 'shared' AND status =
/// 'verified'`), and may write only its own rows; a platform operator's transaction sees and
/// writes every row. `published` must be SQL written by a migration, never user input.
#[must_use]
pub fn shared_policy_statements(table: &str, published: &str) -> Vec<String> {
    let own = "owner_tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid";
    let write = format!("({own}) OR {PLATFORM_PREDICATE}");
    let read = format!("({own}) OR ({published}) OR {PLATFORM_PREDICATE}");
    vec![
        format!("ALTER TABLE \"{table}\" ENABLE ROW LEVEL SECURITY"),
        format!("ALTER TABLE \"{table}\" FORCE ROW LEVEL SECURITY"),
        format!("DROP POLICY IF EXISTS shared_read ON \"{table}\""),
        format!("DROP POLICY IF EXISTS shared_insert ON \"{table}\""),
        format!("DROP POLICY IF EXISTS shared_update ON \"{table}\""),
        format!("DROP POLICY IF EXISTS shared_delete ON \"{table}\""),
        format!("CREATE POLICY shared_read ON \"{table}\" FOR SELECT USING ({read})"),
        format!("CREATE POLICY shared_insert ON \"{table}\" FOR INSERT WITH CHECK ({write})"),
        format!(
            "CREATE POLICY shared_update ON \"{table}\" FOR UPDATE USING ({write}) WITH CHECK ({write})"
        ),
        format!("CREATE POLICY shared_delete ON \"{table}\" FOR DELETE USING ({write})"),
    ]
}

/// Applies [`shared_policy_statements`] on PostgreSQL; does nothing on SQLite, where the
/// explicit owner and visibility filters of the queries are the wall.
///
/// # Errors
/// Any database error from the statements.
pub async fn enable_shared_rls<C: ConnectionTrait>(
    db: &C,
    table: &str,
    published: &str,
) -> Result<(), DbErr> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    for sql in shared_policy_statements(table, published) {
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

    #[test]
    fn shared_policies_let_tenants_write_only_their_own_rows() {
        let sql = shared_policy_statements("directory_organisations", "visibility = 'shared'");
        let insert = sql
            .iter()
            .find(|s| s.contains("FOR INSERT"))
            .expect("an insert policy");
        assert!(insert.contains("owner_tenant_id = nullif("));
        assert!(
            !insert.contains("visibility"),
            "published rows are not writable"
        );
        let read = sql
            .iter()
            .find(|s| s.contains("FOR SELECT"))
            .expect("a read policy");
        assert!(read.contains("visibility = 'shared'"));
        assert!(sql.iter().any(|s| s.contains("FORCE ROW LEVEL SECURITY")));
    }
}
