//! One runner at a time for background jobs across replicas: on PostgreSQL a transaction-level
//! advisory lock held by an open transaction for the length of the run; on SQLite a lease row
//! that expires if its holder dies.

use crate::entities::job_lease;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait as _, ConnectionTrait as _, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait as _, QueryFilter as _, Set, Statement,
};
use std::time::Duration;
use uuid::Uuid;

/// A held job lock; release it with [`JobLock::release`] (dropping it releases too, the lease
/// row then by expiry).
pub enum JobLock {
    Postgres(DatabaseTransaction),
    Lease {
        db: DatabaseConnection,
        name: String,
        holder: Uuid,
    },
}

impl JobLock {
    /// Gives the lock up.
    ///
    /// # Errors
    /// Database errors.
    pub async fn release(self) -> Result<(), DbErr> {
        match self {
            JobLock::Postgres(txn) => txn.commit().await,
            JobLock::Lease { db, name, holder } => {
                job_lease::Entity::delete_many()
                    .filter(job_lease::Column::Name.eq(name))
                    .filter(job_lease::Column::Holder.eq(holder))
                    .exec(&db)
                    .await?;
                Ok(())
            }
        }
    }
}

/// Takes the lock `name` unless another process holds it (`None` then). A lease lasts `lease`
/// at most.
///
/// # Errors
/// Database errors.
pub async fn try_lock(
    db: &DatabaseConnection,
    name: &str,
    lease: Duration,
) -> Result<Option<JobLock>, DbErr> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        let txn = crate::tenancy::begin(db).await?;
        let row = txn
            .query_one_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked",
                [format!("haven:job:{name}").into()],
            ))
            .await?;
        let locked: bool = match row {
            Some(row) => row.try_get("", "locked")?,
            None => false,
        };
        return Ok(locked.then_some(JobLock::Postgres(txn)));
    }
    let holder = Uuid::now_v7();
    let now = crate::now();
    let expires = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::hours(1));
    // Take the lease when it is free or expired; a live lease of someone else is kept.
    let taken = job_lease::Entity::insert(job_lease::ActiveModel {
        name: Set(name.to_owned()),
        holder: Set(holder),
        expires_at: Set(expires),
    })
    .on_conflict(
        OnConflict::column(job_lease::Column::Name)
            .update_columns([job_lease::Column::Holder, job_lease::Column::ExpiresAt])
            .action_and_where(job_lease::Column::ExpiresAt.lt(now))
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let _ = taken;
    let mine = job_lease::Entity::find_by_id(name.to_owned())
        .one(db)
        .await?
        .is_some_and(|l| l.holder == holder);
    Ok(mine.then(|| JobLock::Lease {
        db: db.clone(),
        name: name.to_owned(),
        holder,
    }))
}
