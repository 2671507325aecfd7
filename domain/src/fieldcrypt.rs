//! Field encryption. Confidential fields are sealed with a data key before they reach the
//! database: XChaCha20-Poly1305 with the tenant id, table, row id and field name as associated
//! data, so a ciphertext moved to another row, field or tenant no longer opens. Data keys are
//! random, stored only wrapped by the master key (with its id, for rotation): one per client
//! (destroying it erases the client: crypto-shredding) and one per tenant for tenant-level
//! secrets such as shelter addresses.
//!
//! Names are found without storing them in clear through blind indexes: keyed HMAC-SHA256 of
//! the normalised text, with a key per tenant. Each tenant's index key was first derived from
//! the master key and is then kept wrapped in the database (see [`crate::keyring`]), so a
//! change of master key leaves every index as it was.

use crate::crypto::MasterKey;
use crate::entities::tenant_key;
use crate::error::{DomainError, DomainResult};
use crate::ids::TenantId;
use crate::sealed;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::TryRngCore as _;
use sea_orm::{
    ActiveModelTrait as _, ConnectionTrait, DatabaseBackend, QueryOrder as _, Set, Statement,
};
use secrecy::{ExposeSecret as _, SecretBox};
use sha2::Sha256;
use uuid::Uuid;

/// Prefix of every field ciphertext (the format version).
const VERSION: &str = "f1.";

/// Where a sealed value belongs; it becomes the associated data.
#[derive(Clone, Copy, Debug)]
pub struct FieldRef<'a> {
    pub tenant: TenantId,
    pub table: &'a str,
    pub row: Uuid,
    pub field: &'a str,
}

impl FieldRef<'_> {
    fn associated(&self) -> String {
        format!(
            "haven:field:{}:{}:{}:{}",
            self.tenant, self.table, self.row, self.field
        )
    }
}

/// A 256-bit data key.
pub struct DataKey(SecretBox<[u8; 32]>);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey([redacted])")
    }
}

impl DataKey {
    /// A fresh random key.
    ///
    /// # Errors
    /// When the operating system cannot supply randomness.
    pub fn generate() -> DomainResult<Self> {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng
            .try_fill_bytes(&mut bytes)
            .map_err(|_| DomainError::Internal(anyhow::anyhow!("randomness unavailable")))?;
        Ok(Self(SecretBox::new(Box::new(bytes))))
    }

    /// The key sealed under the master key for `context` (e.g. the owning row).
    ///
    /// # Errors
    /// Only if encryption fails.
    pub fn wrap(&self, master: &MasterKey, context: &str) -> DomainResult<String> {
        sealed::seal(
            master,
            &format!("haven:data-key:{context}"),
            self.0.expose_secret(),
        )
        .map_err(DomainError::Internal)
    }

    /// Opens a wrapped key.
    ///
    /// # Errors
    /// When the master key or context do not match.
    pub fn unwrap(master: &MasterKey, context: &str, wrapped: &str) -> DomainResult<Self> {
        Self::from_opened(sealed::open(
            master,
            &format!("haven:data-key:{context}"),
            wrapped,
        ))
    }

    fn from_opened(opened: anyhow::Result<Vec<u8>>) -> DomainResult<Self> {
        let bytes: [u8; 32] = opened
            .map_err(DomainError::Internal)?
            .try_into()
            .map_err(|_| {
                DomainError::Internal(anyhow::anyhow!("wrapped data key has the wrong length"))
            })?;
        Ok(Self(SecretBox::new(Box::new(bytes))))
    }

    /// Opens a wrapped key with the master key whose id was stored beside it.
    ///
    /// # Errors
    /// When no configured master key has that id, or it or the context do not match.
    pub fn unwrap_stored(
        master: &MasterKey,
        master_key_id: &str,
        context: &str,
        wrapped: &str,
    ) -> DomainResult<Self> {
        Self::from_opened(sealed::open_with_id(
            master,
            master_key_id,
            &format!("haven:data-key:{context}"),
            wrapped,
        ))
    }

    /// The raw key, for re-wrapping only.
    pub(crate) fn expose(&self) -> &[u8; 32] {
        self.0.expose_secret()
    }

    /// A key from raw bytes (a stored blind-index key).
    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(SecretBox::new(Box::new(bytes)))
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.expose_secret().into())
    }

    /// Seals `plaintext` for `field`.
    ///
    /// # Errors
    /// Only if encryption fails.
    pub fn seal(&self, field: &FieldRef<'_>, plaintext: &[u8]) -> DomainResult<String> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let aad = field.associated();
        let ciphertext = self
            .cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| DomainError::Internal(anyhow::anyhow!("field encryption failed")))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ciphertext);
        Ok(format!("{VERSION}{}", STANDARD.encode(out)))
    }

    /// Seals a string.
    ///
    /// # Errors
    /// Only if encryption fails.
    pub fn seal_str(&self, field: &FieldRef<'_>, plaintext: &str) -> DomainResult<String> {
        self.seal(field, plaintext.as_bytes())
    }

    /// Opens what [`DataKey::seal`] produced for the same field.
    ///
    /// # Errors
    /// When the value was sealed for another field, row or tenant, or with another key.
    pub fn open(&self, field: &FieldRef<'_>, sealed_value: &str) -> DomainResult<Vec<u8>> {
        let fail = || {
            DomainError::Internal(anyhow::anyhow!(
                "a sealed field does not open in its place ({}.{})",
                field.table,
                field.field
            ))
        };
        let encoded = sealed_value.strip_prefix(VERSION).ok_or_else(fail)?;
        let bytes = STANDARD.decode(encoded).map_err(|_| fail())?;
        if bytes.len() < 24 {
            return Err(fail());
        }
        let (nonce, ciphertext) = bytes.split_at(24);
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| fail())?;
        let aad = field.associated();
        self.cipher()
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| fail())
    }

    /// Opens a sealed string.
    ///
    /// # Errors
    /// As [`DataKey::open`], or when the plaintext is not UTF-8.
    pub fn open_str(&self, field: &FieldRef<'_>, sealed_value: &str) -> DomainResult<String> {
        String::from_utf8(self.open(field, sealed_value)?)
            .map_err(|_| DomainError::Internal(anyhow::anyhow!("a sealed field is not text")))
    }
}

/// The tenant's data key, created on first use. Call it on the transaction that writes or
/// reads the sealed values, so a first use is serialised with any other.
///
/// # Errors
/// Database errors, or a key that does not open with the master key.
pub async fn tenant_key<C: ConnectionTrait>(
    conn: &C,
    master: &MasterKey,
    tenant: TenantId,
) -> DomainResult<DataKey> {
    let context = format!("tenant:{tenant}");
    let stored = || {
        tenant_key::Entity::scoped(tenant)
            .order_by_asc(tenant_key::Column::CreatedAt)
            .one(conn)
    };
    if let Some(row) = stored().await? {
        return DataKey::unwrap_stored(master, &row.master_key_id, &context, &row.wrapped_key);
    }
    // Two first uses at once must not make two keys (data sealed with the second would never
    // open): on PostgreSQL the creators queue on a per-tenant lock held to the end of the
    // transaction and look again; SQLite's write transactions are serialised already.
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        conn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            [format!("haven:tenant-key:{tenant}").into()],
        ))
        .await?;
        if let Some(row) = stored().await? {
            return DataKey::unwrap_stored(master, &row.master_key_id, &context, &row.wrapped_key);
        }
    }
    let key = DataKey::generate()?;
    tenant_key::ActiveModel {
        tenant_id: Set(*tenant.as_uuid()),
        id: Set(Uuid::now_v7()),
        master_key_id: Set(master.id().to_owned()),
        wrapped_key: Set(key.wrap(master, &context)?),
        created_at: Set(crate::now()),
    }
    .insert(conn)
    .await?;
    Ok(key)
}

/// Folds text for matching: lower case, letters and digits only, single spaces, diacritics
/// kept as written (names are matched as recorded).
#[must_use]
pub fn normalise(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The blind index of `value` for `purpose` in `tenant`: the same input gives the same index
/// within a tenant, and nothing about the input can be read from it without the tenant's index
/// key.
#[must_use]
pub fn blind_index(master: &MasterKey, tenant: TenantId, purpose: &str, value: &str) -> String {
    let tenant_key = master.index_key(*tenant.as_uuid());
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(&tenant_key) else {
        return String::new();
    };
    mac.update(purpose.as_bytes());
    mac.update(b"\0");
    mac.update(normalise(value).as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn master() -> MasterKey {
        MasterKey::from_base64(&STANDARD.encode([3u8; 32])).unwrap()
    }

    #[test]
    fn sealed_fields_open_only_in_their_place() {
        let key = DataKey::generate().unwrap();
        let tenant = TenantId::new();
        let row = Uuid::now_v7();
        let here = FieldRef {
            tenant,
            table: "clients",
            row,
            field: "identity",
        };
        let sealed_value = key.seal_str(&here, "Maria Doe").unwrap();
        assert!(!sealed_value.contains("Maria"));
        assert_eq!(key.open_str(&here, &sealed_value).unwrap(), "Maria Doe");
        for elsewhere in [
            FieldRef {
                row: Uuid::now_v7(),
                ..here
            },
            FieldRef {
                field: "narrative",
                ..here
            },
            FieldRef {
                tenant: TenantId::new(),
                ..here
            },
            FieldRef {
                table: "shelters",
                ..here
            },
        ] {
            assert!(key.open(&elsewhere, &sealed_value).is_err());
        }
        let other = DataKey::generate().unwrap();
        assert!(other.open(&here, &sealed_value).is_err());
    }

    #[test]
    fn wrapped_keys_open_with_their_master_key_and_context() {
        let key = DataKey::generate().unwrap();
        let wrapped = key.wrap(&master(), "client:1").unwrap();
        let again = DataKey::unwrap(&master(), "client:1", &wrapped).unwrap();
        let field = FieldRef {
            tenant: TenantId::new(),
            table: "t",
            row: Uuid::now_v7(),
            field: "f",
        };
        assert_eq!(
            again
                .open_str(&field, &key.seal_str(&field, "x").unwrap())
                .unwrap(),
            "x"
        );
        assert!(DataKey::unwrap(&master(), "client:2", &wrapped).is_err());
    }

    #[test]
    fn blind_indexes_match_normalised_names_within_a_tenant_only() {
        let (a, b) = (TenantId::new(), TenantId::new());
        let m = master();
        assert_eq!(
            blind_index(&m, a, "name", "Maria  DOE"),
            blind_index(&m, a, "name", "maria doe")
        );
        assert_ne!(
            blind_index(&m, a, "name", "maria doe"),
            blind_index(&m, b, "name", "maria doe")
        );
        assert_ne!(
            blind_index(&m, a, "name", "maria doe"),
            blind_index(&m, a, "dob", "maria doe")
        );
        assert_eq!(normalise(" José-María  O'Neil "), "josé maría o neil");
    }
}
