//! The erasure ledger: one line per erased client (tenant id, client id, date — never an
//! identity), kept in a file apart from the database, like the master key. Restoring a
//! database dump taken before an erasure brings the client's data key back with it; at
//! start-up (and after `haven restore`) [`reapply_erasures`] shreds every client of the ledger
//! again before anything is served, so an erasure survives any restore.

use super::erasure;
use crate::audit::{self, Actor, Event, Outcome};
use crate::crypto::MasterKey;
use crate::entities::{client, client_key};
use crate::error::{DomainError, DomainResult};
use crate::ids::TenantId;
use crate::referrals::exchange::Recalls;
use crate::tenancy::begin_scoped;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait as _, DatabaseConnection, PaginatorTrait as _, QueryFilter as _};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use uuid::Uuid;

/// One erasure, as the ledger keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub tenant_id: Uuid,
    pub client_id: Uuid,
    pub erased_at: DateTime<Utc>,
}

/// The append-only ledger file.
#[derive(Debug)]
pub struct ErasureLedger {
    path: PathBuf,
    append: Mutex<()>,
}

fn io_error(what: &str, path: &Path, err: &std::io::Error) -> DomainError {
    DomainError::Internal(anyhow::anyhow!(
        "cannot {what} the erasure ledger {}: {err}",
        path.display()
    ))
}

impl ErasureLedger {
    /// Opens the ledger at `path`, creating it (owner-only) when missing.
    ///
    /// # Errors
    /// When the file cannot be created or read.
    pub fn open(path: &Path) -> DomainResult<Self> {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| io_error("create the folder of", path, &e))?;
        }
        open_append(path).map_err(|e| io_error("open", path, &e))?;
        Ok(Self {
            path: path.to_owned(),
            append: Mutex::new(()),
        })
    }

    /// Where the ledger lives.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `entry` and flushes it to disk before returning.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn append(&self, entry: &LedgerEntry) -> DomainResult<()> {
        let mut line = serde_json::to_string(entry).map_err(|e| DomainError::Internal(e.into()))?;
        line.push('\n');
        let _guard = self
            .append
            .lock()
            .map_err(|_| DomainError::Internal(anyhow::anyhow!("erasure ledger lock poisoned")))?;
        let mut file = open_append(&self.path).map_err(|e| io_error("open", &self.path, &e))?;
        // After a torn write the file does not end a line: start a new one.
        if !ends_a_line(&self.path).map_err(|e| io_error("read", &self.path, &e))? {
            line.insert(0, '\n');
        }
        file.write_all(line.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(|e| io_error("write", &self.path, &e))
    }

    /// Every entry, oldest first. A torn last line (a crash mid-write) is skipped.
    ///
    /// # Errors
    /// When the file cannot be read.
    pub fn entries(&self) -> DomainResult<Vec<LedgerEntry>> {
        let text =
            std::fs::read_to_string(&self.path).map_err(|e| io_error("read", &self.path, &e))?;
        Ok(text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect())
    }
}

fn ends_a_line(path: &Path) -> std::io::Result<bool> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    if file.metadata()?.len() == 0 {
        return Ok(true);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

#[cfg(unix)]
fn open_append(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_append(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
}

/// What [`reapply_erasures`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReapplyReport {
    /// Distinct clients in the ledger.
    pub entries: usize,
    /// Clients found with their data again (a restored dump) and erased again.
    pub erased_again: usize,
    /// Referral packets in other organisations' inboxes recalled now: those of clients erased
    /// again, and those whose recall failed when their client was erased.
    pub recalled: usize,
}

/// Erases again every client of the ledger whose data key or identity is back in the database
/// (after a restore of an older dump), and recalls the referral packets of the ledger's clients
/// that other organisations' inboxes still hold. Clients the database does not hold are
/// skipped. Run it before serving.
///
/// # Errors
/// The ledger cannot be read; database errors.
pub async fn reapply_erasures(
    db: &DatabaseConnection,
    master: &MasterKey,
    ledger: &ErasureLedger,
) -> DomainResult<ReapplyReport> {
    let entries: BTreeSet<(Uuid, Uuid)> = ledger
        .entries()?
        .into_iter()
        .map(|e| (e.tenant_id, e.client_id))
        .collect();
    let mut report = ReapplyReport {
        entries: entries.len(),
        erased_again: 0,
        recalled: 0,
    };
    for (tenant_id, client_id) in entries {
        let tenant = TenantId::from_uuid(tenant_id);
        let txn = begin_scoped(db, tenant).await?;
        let Some(row) = client::Entity::scoped(tenant)
            .filter(client::Column::Id.eq(client_id))
            .one(&txn)
            .await?
        else {
            continue;
        };
        let key_back = client_key::Entity::scoped(tenant)
            .filter(client_key::Column::ClientId.eq(client_id))
            .count(&txn)
            .await?
            > 0;
        if !key_back && row.erased_at.is_some() && row.identity_sealed.is_none() {
            // Erased already: only a recall that failed then is left to do.
            let recalls = Recalls::of_client(&txn, tenant, client_id).await?;
            txn.commit().await?;
            report.recalled += recalls.send(db, master).await;
            continue;
        }
        let recalls = erasure::erase_in(&txn, master, tenant, &row).await?;
        audit::record(
            &txn,
            tenant,
            Event::new(
                "client.erasure_reapplied",
                Actor::system(),
                Outcome::Success,
            )
            .target("client", client_id),
        )
        .await?;
        txn.commit().await?;
        report.recalled += recalls.send(db, master).await;
        report.erased_again += 1;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn entries_survive_reopening_and_a_torn_line_is_skipped() {
        let dir = std::env::temp_dir().join(format!("haven-ledger-{}", Uuid::now_v7()));
        let path = dir.join("erasures.jsonl");
        let ledger = ErasureLedger::open(&path).unwrap();
        let entry = LedgerEntry {
            tenant_id: Uuid::now_v7(),
            client_id: Uuid::now_v7(),
            erased_at: crate::now(),
        };
        ledger.append(&entry).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"tenant_id\":\"01")
            .unwrap();
        let again = ErasureLedger::open(&path).unwrap();
        assert_eq!(again.entries().unwrap(), vec![entry]);
        let next = LedgerEntry {
            client_id: Uuid::now_v7(),
            ..entry
        };
        again.append(&next).unwrap();
        assert_eq!(again.entries().unwrap(), vec![entry, next]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}
