//! Master key material. The master key wraps per-client data keys; it comes from
//! configuration or, in the embedded profile, from a key file that Haven creates once with
//! owner-only permissions. The key never appears in logs or debug output.
//!
//! For rotation a [`MasterKey`] also carries the retired keys it replaced: everything new is
//! wrapped under the current key, and a stored value is opened with the key whose id was
//! recorded beside it, until `haven keys rotate-master` has re-wrapped it under the current one.
//! It also carries each tenant's blind-index key, which is stored wrapped in the database
//! (see [`crate::keyring`]) so that the indexes survive a change of master key unchanged.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand::TryRngCore as _;
use secrecy::{ExposeSecret, SecretBox};
use std::collections::HashMap;
use std::fmt;
use std::io::Write as _;
use std::path::Path;
use std::sync::RwLock;

/// Length of a master key in bytes (256 bits).
pub const MASTER_KEY_LEN: usize = 32;

/// Why a master key could not be loaded or created.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the master key must be {MASTER_KEY_LEN} bytes encoded as base64")]
    Malformed,
    #[error("cannot read the master key file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot create the master key file {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("the master key file {path} is readable by other users; restrict it to mode 0600")]
    Permissions { path: String },
    #[error("the operating system's random number generator failed")]
    Random,
}

/// The master key with a short identifier so stored ciphertexts can say which key wrapped them,
/// plus the retired keys still needed to open older values.
pub struct MasterKey {
    id: String,
    bytes: SecretBox<[u8; MASTER_KEY_LEN]>,
    retired: Vec<(String, SecretBox<[u8; MASTER_KEY_LEN]>)>,
    index_keys: RwLock<HashMap<uuid::Uuid, SecretBox<[u8; MASTER_KEY_LEN]>>>,
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MasterKey")
            .field("id", &self.id)
            .field("bytes", &"[redacted]")
            .field(
                "retired",
                &self.retired.iter().map(|(id, _)| id).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl MasterKey {
    /// Parses a base64-encoded key (surrounding white space ignored).
    ///
    /// # Errors
    /// [`KeyError::Malformed`] when the text is not base64 of exactly 32 bytes.
    pub fn from_base64(text: &str) -> Result<Self, KeyError> {
        let decoded = STANDARD
            .decode(text.trim())
            .map_err(|_| KeyError::Malformed)?;
        let bytes: [u8; MASTER_KEY_LEN] = decoded.try_into().map_err(|_| KeyError::Malformed)?;
        Ok(Self::from_bytes(bytes))
    }

    fn from_bytes(bytes: [u8; MASTER_KEY_LEN]) -> Self {
        // The id only labels which key wrapped a data key; it is a one-way digest of the key.
        let fingerprint = fingerprint(&bytes);
        Self {
            id: fingerprint,
            bytes: SecretBox::new(Box::new(bytes)),
            retired: Vec::new(),
            index_keys: RwLock::new(HashMap::new()),
        }
    }

    /// This key as the current one, with `retired` keys kept for opening older values
    /// (duplicates and the current key itself are ignored).
    #[must_use]
    pub fn with_retired(mut self, retired: Vec<MasterKey>) -> Self {
        for key in retired {
            if key.id != self.id && !self.retired.iter().any(|(id, _)| *id == key.id) {
                self.retired.push((key.id, key.bytes));
            }
        }
        self
    }

    /// The ids of the retired keys this ring still holds.
    #[must_use]
    pub fn retired_ids(&self) -> Vec<&str> {
        self.retired.iter().map(|(id, _)| id.as_str()).collect()
    }

    /// The bytes of the current or a retired key by id.
    #[must_use]
    pub fn key_by_id(&self, id: &str) -> Option<&[u8; MASTER_KEY_LEN]> {
        if id == self.id {
            return Some(self.bytes.expose_secret());
        }
        self.retired
            .iter()
            .find(|(known, _)| known == id)
            .map(|(_, bytes)| bytes.expose_secret())
    }

    /// Every key, the current one first.
    pub(crate) fn all_keys(&self) -> impl Iterator<Item = &[u8; MASTER_KEY_LEN]> {
        std::iter::once(self.bytes.expose_secret())
            .chain(self.retired.iter().map(|(_, bytes)| bytes.expose_secret()))
    }

    /// Records the blind-index key of `tenant` as stored in the database.
    pub(crate) fn set_index_key(&self, tenant: uuid::Uuid, key: [u8; MASTER_KEY_LEN]) {
        if let Ok(mut keys) = self.index_keys.write() {
            keys.insert(tenant, SecretBox::new(Box::new(key)));
        }
    }

    /// The blind-index key of `tenant`: the stored one when it has been loaded, otherwise the
    /// one the current key derives (which is how every stored one began).
    #[must_use]
    pub(crate) fn index_key(&self, tenant: uuid::Uuid) -> [u8; MASTER_KEY_LEN] {
        if let Some(key) = self
            .index_keys
            .read()
            .ok()
            .and_then(|keys| keys.get(&tenant).map(|k| *k.expose_secret()))
        {
            return key;
        }
        derive_index_key(self.bytes.expose_secret(), tenant)
    }

    /// Loads the key from `path`, creating the file with a fresh random key (mode 0600) when it
    /// does not exist yet. Returns the key and whether it was created.
    ///
    /// # Errors
    /// See [`KeyError`]; an existing file readable by group or others is refused.
    pub fn load_or_create(path: &Path) -> Result<(Self, bool), KeyError> {
        match Self::load(path) {
            Ok(key) => Ok((key, false)),
            Err(KeyError::Read { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                let encoded = Self::generate_base64()?;
                match write_private(path, encoded.as_bytes()) {
                    Ok(()) => Ok((Self::from_base64(&encoded)?, true)),
                    // Another process created it first: use that one.
                    Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                        Ok((Self::load(path)?, false))
                    }
                    Err(source) => Err(KeyError::Write {
                        path: path.display().to_string(),
                        source,
                    }),
                }
            }
            Err(err) => Err(err),
        }
    }

    /// Loads the key from an existing file, which must not be readable by other users.
    ///
    /// # Errors
    /// See [`KeyError`].
    pub fn load(path: &Path) -> Result<Self, KeyError> {
        let text = std::fs::read_to_string(path).map_err(|source| KeyError::Read {
            path: path.display().to_string(),
            source,
        })?;
        check_private(path)?;
        Self::from_base64(&text)
    }

    /// Replaces the key file at `path` with a fresh random key and keeps the old file as
    /// `retired_dir/<old id>.key` (both owner-only). The new key is written beside the file and
    /// renamed over it, so the file always holds a whole key. Returns the old and the new id.
    ///
    /// # Errors
    /// See [`KeyError`].
    pub fn replace_file(path: &Path, retired_dir: &Path) -> Result<(String, String), KeyError> {
        let old = Self::load(path)?;
        let write_err = |source: std::io::Error, at: &Path| KeyError::Write {
            path: at.display().to_string(),
            source,
        };
        let kept = retired_dir.join(format!("{}.key", old.id()));
        match write_private(&kept, STANDARD.encode(old.expose()).as_bytes()) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(write_err(err, &kept)),
        }
        let encoded = Self::generate_base64()?;
        let next = path.with_extension(format!("next-{}", uuid::Uuid::now_v7().simple()));
        write_private(&next, encoded.as_bytes()).map_err(|e| write_err(e, &next))?;
        std::fs::rename(&next, path).map_err(|e| write_err(e, path))?;
        let new = Self::from_base64(&encoded)?;
        Ok((old.id, new.id))
    }

    /// A fresh random key, base64-encoded, for operators to put in their configuration.
    ///
    /// # Errors
    /// [`KeyError::Random`] when the operating system cannot supply randomness.
    pub fn generate_base64() -> Result<String, KeyError> {
        let mut bytes = [0u8; MASTER_KEY_LEN];
        rand::rngs::OsRng
            .try_fill_bytes(&mut bytes)
            .map_err(|_| KeyError::Random)?;
        Ok(STANDARD.encode(bytes))
    }

    /// The key's identifier, stored beside everything it wraps.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The raw key bytes, for the key-wrapping code only.
    #[must_use]
    pub fn expose(&self) -> &[u8; MASTER_KEY_LEN] {
        self.bytes.expose_secret()
    }
}

/// The blind-index key a master key derives for a tenant: HMAC(master, "blind-index:" || tenant).
pub(crate) fn derive_index_key(
    master: &[u8; MASTER_KEY_LEN],
    tenant: uuid::Uuid,
) -> [u8; MASTER_KEY_LEN] {
    use hmac::{Hmac, Mac as _};
    let Ok(mut derive) = <Hmac<sha2::Sha256> as hmac::Mac>::new_from_slice(master) else {
        return [0u8; MASTER_KEY_LEN];
    };
    derive.update(format!("haven:blind-index:{tenant}").as_bytes());
    derive.finalize().into_bytes().into()
}

fn fingerprint(bytes: &[u8; MASTER_KEY_LEN]) -> String {
    // A stable label: the UUIDv5 of the key in a fixed namespace, shortened.
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, bytes);
    let text = id.simple().to_string();
    format!("mk-{}", &text[..12])
}

/// Creates `path` with `contents` atomically: the content is written to a private temporary
/// file first and then linked into place, so a concurrent reader never sees a half-written key
/// and a concurrent creator gets `AlreadyExists`.
#[cfg(unix)]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::now_v7().simple()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::hard_link(&tmp, path)
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), KeyError> {
    use std::os::unix::fs::PermissionsExt as _;
    let meta = std::fs::metadata(path).map_err(|source| KeyError::Read {
        path: path.display().to_string(),
        source,
    })?;
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(KeyError::Permissions {
            path: path.display().to_string(),
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), KeyError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_created_key_file_is_private_and_reloads_to_the_same_key() {
        let dir = std::env::temp_dir().join(format!("haven-key-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("master.key");
        let (created, was_new) = MasterKey::load_or_create(&path).unwrap();
        assert!(was_new);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let (loaded, was_new) = MasterKey::load_or_create(&path).unwrap();
        assert!(!was_new);
        assert_eq!(created.expose(), loaded.expose());
        assert_eq!(created.id(), loaded.id());
        assert!(!format!("{loaded:?}").contains(&STANDARD.encode(loaded.expose())));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_ring_opens_by_id_with_retired_keys_and_keeps_index_keys_across_keys() {
        let old = MasterKey::from_base64(&STANDARD.encode([1u8; 32])).unwrap();
        let old_id = old.id().to_owned();
        let tenant = uuid::Uuid::now_v7();
        let old_index = old.index_key(tenant);
        let sealed = crate::sealed::seal(&old, "ctx", b"secret").unwrap();
        let ring = MasterKey::from_base64(&STANDARD.encode([2u8; 32]))
            .unwrap()
            .with_retired(vec![
                MasterKey::from_base64(&STANDARD.encode([1u8; 32])).unwrap(),
            ]);
        assert_eq!(ring.retired_ids(), vec![old_id.as_str()]);
        assert_eq!(
            crate::sealed::open_with_id(&ring, &old_id, "ctx", &sealed).unwrap(),
            b"secret"
        );
        assert!(crate::sealed::open_with_id(&ring, ring.id(), "ctx", &sealed).is_err());
        assert!(crate::sealed::open_with_id(&ring, "mk-unknown", "ctx", &sealed).is_err());
        assert_eq!(
            crate::sealed::open(&ring, "ctx", &sealed).unwrap(),
            b"secret"
        );
        // Without a stored index key the current key derives one; a stored one wins.
        assert_ne!(ring.index_key(tenant), old_index);
        ring.set_index_key(tenant, old_index);
        assert_eq!(ring.index_key(tenant), old_index);
    }

    #[test]
    fn malformed_keys_are_refused() {
        assert!(matches!(
            MasterKey::from_base64("short"),
            Err(KeyError::Malformed)
        ));
        assert!(matches!(
            MasterKey::from_base64(&STANDARD.encode([0u8; 16])),
            Err(KeyError::Malformed)
        ));
        assert!(MasterKey::from_base64(&STANDARD.encode([7u8; 32])).is_ok());
    }
}
