//! Master-key rotation. Data keys (per client and per tenant), token-signing keys and blind-index
//! keys are stored wrapped by a master key whose id is recorded beside them. Wrapping always uses
//! the current key; opening picks the key by the stored id, so a server configured with the new
//! key and the retired ones reads everything while [`rewrap_all`] moves each wrapped value to
//! the current key in small batches. Once [`references`] reports no value under an old id, that
//! key can be removed from the configuration.
//!
//! Blind indexes are keyed by a per-tenant index key that is stored wrapped here too (its first
//! value is the one the master key of the day derived, so indexes written before stored keys
//! existed still match). Rotation therefore re-wraps one key per tenant and never re-computes
//! an index.

use crate::crypto::{MasterKey, derive_index_key};
use crate::entities::{blind_index_key, client_key, signing_key, tenant, tenant_key};
use crate::error::{DomainError, DomainResult};
use crate::fieldcrypt::DataKey;
use crate::ids::TenantId;
use crate::{sealed, tenancy};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait as _, DatabaseConnection, DbErr, EntityTrait as _, QueryFilter as _,
    QueryOrder as _, QuerySelect as _, Set,
};
use std::collections::BTreeMap;

fn index_context(tenant: TenantId) -> String {
    format!("blind-index:{tenant}")
}

fn tenant_context(tenant: TenantId) -> String {
    format!("tenant:{tenant}")
}

async fn tenant_ids(db: &DatabaseConnection) -> DomainResult<Vec<TenantId>> {
    Ok(tenant::Entity::find()
        .order_by_asc(tenant::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|t| TenantId::from_uuid(t.id))
        .collect())
}

/// Loads every tenant's blind-index key into `master`, first storing the ones that are not
/// stored yet. A missing key is derived by the master key that wrapped the tenant's oldest
/// client key (the key its indexes were computed with), or by the current key when the tenant
/// has no client. Safe beside other replicas: they derive the same key, and the first insert
/// wins. Returns how many keys were stored now.
///
/// # Errors
/// Database errors, or a key that no configured master key opens.
pub async fn load_index_keys(db: &DatabaseConnection, master: &MasterKey) -> DomainResult<usize> {
    let mut stored = 0;
    for tenant in tenant_ids(db).await? {
        if load_index_key(db, master, tenant).await? {
            stored += 1;
        }
    }
    Ok(stored)
}

/// Loads one tenant's blind-index key (see [`load_index_keys`]); `true` when it was stored now.
///
/// # Errors
/// Database errors, or a key that no configured master key opens.
pub async fn load_index_key(
    db: &DatabaseConnection,
    master: &MasterKey,
    tenant: TenantId,
) -> DomainResult<bool> {
    let txn = tenancy::begin_scoped(db, tenant).await?;
    let context = index_context(tenant);
    if let Some(row) = blind_index_key::Entity::scoped(tenant).one(&txn).await? {
        txn.commit().await?;
        let key = DataKey::unwrap_stored(master, &row.master_key_id, &context, &row.wrapped_key)?;
        master.set_index_key(*tenant.as_uuid(), *key.expose());
        return Ok(false);
    }
    let oldest = client_key::Entity::scoped(tenant)
        .order_by_asc(client_key::Column::CreatedAt)
        .one(&txn)
        .await?;
    let deriving = match &oldest {
        Some(row) => master.key_by_id(&row.master_key_id).ok_or_else(|| {
            DomainError::Internal(anyhow::anyhow!(
                "master key {} is not configured (add it to HAVEN_MASTER_KEYS_RETIRED)",
                row.master_key_id
            ))
        })?,
        None => master.key_by_id(master.id()).ok_or_else(|| {
            DomainError::Internal(anyhow::anyhow!("the current master key is missing"))
        })?,
    };
    let bytes = derive_index_key(deriving, *tenant.as_uuid());
    let key = DataKey::from_bytes(bytes);
    let inserted = blind_index_key::Entity::insert(blind_index_key::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        master_key_id: Set(master.id().to_owned()),
        wrapped_key: Set(key.wrap(master, &context)?),
        created_at: Set(crate::now()),
    })
    .on_conflict(
        OnConflict::column(blind_index_key::Column::TenantId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await;
    let inserted = match inserted {
        Ok(n) => n > 0,
        Err(DbErr::RecordNotInserted) => false,
        Err(err) => return Err(err.into()),
    };
    txn.commit().await?;
    master.set_index_key(*tenant.as_uuid(), bytes);
    Ok(inserted)
}

/// Which wrapped values moved to the current master key.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RewrapReport {
    pub signing_keys: u64,
    pub tenant_keys: u64,
    pub client_keys: u64,
    pub index_keys: u64,
}

impl RewrapReport {
    #[must_use]
    pub fn total(&self) -> u64 {
        self.signing_keys + self.tenant_keys + self.client_keys + self.index_keys
    }
}

/// Progress of a rotation: a table name and how many values of it were re-wrapped so far.
pub trait Progress {
    fn advance(&mut self, table: &'static str, done: u64);
}

impl<F: FnMut(&'static str, u64)> Progress for F {
    fn advance(&mut self, table: &'static str, done: u64) {
        self(table, done);
    }
}

/// Re-wraps every stored key that is not under the current master key, `batch` rows per
/// transaction (so the server keeps serving beside it), reporting progress as it goes. Running
/// it again after an interruption finishes the work.
///
/// # Errors
/// Database errors, or a value wrapped by a master key that is not configured.
pub async fn rewrap_all(
    db: &DatabaseConnection,
    master: &MasterKey,
    batch: u64,
    progress: &mut dyn Progress,
) -> DomainResult<RewrapReport> {
    let batch = batch.clamp(1, 10_000);
    load_index_keys(db, master).await?;
    let mut report = RewrapReport {
        signing_keys: rewrap_signing_keys(db, master, progress).await?,
        ..RewrapReport::default()
    };
    for tenant in tenant_ids(db).await? {
        report.index_keys += rewrap_index_key(db, master, tenant).await?;
        progress.advance("blind_index_keys", report.index_keys);
        report.tenant_keys += rewrap_tenant_keys(db, master, tenant).await?;
        progress.advance("tenant_keys", report.tenant_keys);
        loop {
            let (seen, moved) = rewrap_client_keys(db, master, tenant, batch).await?;
            if seen == 0 {
                break;
            }
            report.client_keys += moved;
            progress.advance("client_keys", report.client_keys);
        }
    }
    Ok(report)
}

async fn rewrap_signing_keys(
    db: &DatabaseConnection,
    master: &MasterKey,
    progress: &mut dyn Progress,
) -> DomainResult<u64> {
    let rows = signing_key::Entity::find()
        .filter(signing_key::Column::MasterKeyId.ne(master.id()))
        .all(db)
        .await?;
    let mut done = 0;
    for row in rows {
        let associated = crate::tokens::associated(&row.kid);
        let seed = sealed::open_with_id(
            master,
            &row.master_key_id,
            &associated,
            &row.sealed_private_key,
        )
        .map_err(DomainError::Internal)?;
        let resealed = sealed::seal(master, &associated, &seed).map_err(DomainError::Internal)?;
        let updated = signing_key::Entity::update_many()
            .col_expr(signing_key::Column::SealedPrivateKey, Expr::value(resealed))
            .col_expr(signing_key::Column::MasterKeyId, Expr::value(master.id()))
            .filter(signing_key::Column::Kid.eq(row.kid.as_str()))
            .filter(signing_key::Column::MasterKeyId.eq(row.master_key_id.as_str()))
            .exec(db)
            .await?;
        done += updated.rows_affected;
        progress.advance("signing_keys", done);
    }
    Ok(done)
}

async fn rewrap_index_key(
    db: &DatabaseConnection,
    master: &MasterKey,
    tenant: TenantId,
) -> DomainResult<u64> {
    let txn = tenancy::begin_scoped(db, tenant).await?;
    let context = index_context(tenant);
    let Some(row) = blind_index_key::Entity::scoped(tenant)
        .filter(blind_index_key::Column::MasterKeyId.ne(master.id()))
        .one(&txn)
        .await?
    else {
        return Ok(0);
    };
    let key = DataKey::unwrap_stored(master, &row.master_key_id, &context, &row.wrapped_key)?;
    let updated = blind_index_key::Entity::update_many()
        .col_expr(
            blind_index_key::Column::WrappedKey,
            Expr::value(key.wrap(master, &context)?),
        )
        .col_expr(
            blind_index_key::Column::MasterKeyId,
            Expr::value(master.id()),
        )
        .filter(blind_index_key::Column::TenantId.eq(*tenant.as_uuid()))
        .filter(blind_index_key::Column::MasterKeyId.eq(row.master_key_id.as_str()))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(updated.rows_affected)
}

async fn rewrap_tenant_keys(
    db: &DatabaseConnection,
    master: &MasterKey,
    tenant: TenantId,
) -> DomainResult<u64> {
    let txn = tenancy::begin_scoped(db, tenant).await?;
    let context = tenant_context(tenant);
    let rows = tenant_key::Entity::scoped(tenant)
        .filter(tenant_key::Column::MasterKeyId.ne(master.id()))
        .all(&txn)
        .await?;
    let mut done = 0;
    for row in rows {
        let key = DataKey::unwrap_stored(master, &row.master_key_id, &context, &row.wrapped_key)?;
        done += tenant_key::Entity::update_many()
            .col_expr(
                tenant_key::Column::WrappedKey,
                Expr::value(key.wrap(master, &context)?),
            )
            .col_expr(tenant_key::Column::MasterKeyId, Expr::value(master.id()))
            .filter(tenant_key::Column::TenantId.eq(*tenant.as_uuid()))
            .filter(tenant_key::Column::Id.eq(row.id))
            .filter(tenant_key::Column::MasterKeyId.eq(row.master_key_id.as_str()))
            .exec(&txn)
            .await?
            .rows_affected;
    }
    txn.commit().await?;
    Ok(done)
}

/// One batch of a tenant's client keys: how many were read (0 when none is left) and moved.
async fn rewrap_client_keys(
    db: &DatabaseConnection,
    master: &MasterKey,
    tenant: TenantId,
    batch: u64,
) -> DomainResult<(usize, u64)> {
    let txn = tenancy::begin_scoped(db, tenant).await?;
    let rows = client_key::Entity::scoped(tenant)
        .filter(client_key::Column::MasterKeyId.ne(master.id()))
        .order_by_asc(client_key::Column::ClientId)
        .limit(batch)
        .all(&txn)
        .await?;
    let mut done = 0;
    for row in &rows {
        let context = crate::clients::key_context(tenant, row.client_id);
        let key = DataKey::unwrap_stored(master, &row.master_key_id, &context, &row.wrapped_key)?;
        // A key erased meanwhile is simply not there to update.
        done += client_key::Entity::update_many()
            .col_expr(
                client_key::Column::WrappedKey,
                Expr::value(key.wrap(master, &context)?),
            )
            .col_expr(client_key::Column::MasterKeyId, Expr::value(master.id()))
            .filter(client_key::Column::TenantId.eq(*tenant.as_uuid()))
            .filter(client_key::Column::ClientId.eq(row.client_id))
            .filter(client_key::Column::MasterKeyId.eq(row.master_key_id.as_str()))
            .exec(&txn)
            .await?
            .rows_affected;
    }
    txn.commit().await?;
    Ok((rows.len(), done))
}

/// How many stored values each master key id still wraps, over every table and tenant.
///
/// # Errors
/// Database errors.
pub async fn references(db: &DatabaseConnection) -> DomainResult<BTreeMap<String, u64>> {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut add = |rows: Vec<(String, i64)>| {
        for (id, n) in rows {
            *counts.entry(id).or_default() += u64::try_from(n).unwrap_or(0);
        }
    };
    add(signing_key::Entity::find()
        .select_only()
        .column(signing_key::Column::MasterKeyId)
        .column_as(signing_key::Column::Kid.count(), "n")
        .group_by(signing_key::Column::MasterKeyId)
        .into_tuple()
        .all(db)
        .await?);
    for tenant in tenant_ids(db).await? {
        let txn = tenancy::begin_scoped(db, tenant).await?;
        add(client_key::Entity::scoped(tenant)
            .select_only()
            .column(client_key::Column::MasterKeyId)
            .column_as(client_key::Column::ClientId.count(), "n")
            .group_by(client_key::Column::MasterKeyId)
            .into_tuple()
            .all(&txn)
            .await?);
        add(tenant_key::Entity::scoped(tenant)
            .select_only()
            .column(tenant_key::Column::MasterKeyId)
            .column_as(tenant_key::Column::Id.count(), "n")
            .group_by(tenant_key::Column::MasterKeyId)
            .into_tuple()
            .all(&txn)
            .await?);
        add(blind_index_key::Entity::scoped(tenant)
            .select_only()
            .column(blind_index_key::Column::MasterKeyId)
            .column_as(blind_index_key::Column::TenantId.count(), "n")
            .group_by(blind_index_key::Column::MasterKeyId)
            .into_tuple()
            .all(&txn)
            .await?);
        txn.commit().await?;
    }
    Ok(counts)
}
