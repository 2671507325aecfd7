//! Sealing small secrets (signing keys, later data keys) under the master key:
//! XChaCha20-Poly1305 with associated data naming what is sealed, so a sealed value cannot be
//! moved to another row or purpose.

use crate::crypto::MasterKey;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

/// Seals `plaintext`; the result is `base64(nonce || ciphertext)`.
///
/// # Errors
/// Only if encryption fails, which does not happen with a valid key.
pub fn seal(key: &MasterKey, associated: &str, plaintext: &[u8]) -> anyhow::Result<String> {
    let cipher = XChaCha20Poly1305::new(key.expose().into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad: associated.as_bytes(),
            },
        )
        .map_err(|_| anyhow::anyhow!("sealing failed"))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    Ok(STANDARD.encode(out))
}

/// Opens what [`seal`] produced with the same key and associated data: with the current key or
/// any retired one the ring holds. Prefer [`open_with_id`] where the key id is stored.
///
/// # Errors
/// When the value is malformed, no key opens it, or the associated data differs.
pub fn open(key: &MasterKey, associated: &str, sealed: &str) -> anyhow::Result<Vec<u8>> {
    let mut last = anyhow::anyhow!("no master key");
    for bytes in key.all_keys() {
        match open_bytes(bytes, associated, sealed) {
            Ok(plain) => return Ok(plain),
            Err(err) => last = err,
        }
    }
    Err(last)
}

/// Opens what [`seal`] produced under the master key with id `key_id` (current or retired).
///
/// # Errors
/// When no configured key has that id, the value is malformed, or it does not open.
pub fn open_with_id(
    key: &MasterKey,
    key_id: &str,
    associated: &str,
    sealed: &str,
) -> anyhow::Result<Vec<u8>> {
    let bytes = key.key_by_id(key_id).ok_or_else(|| {
        anyhow::anyhow!(
            "master key {key_id} is not configured (add it to HAVEN_MASTER_KEYS_RETIRED until \
             `haven keys rotate-master` has re-wrapped what it wrapped)"
        )
    })?;
    open_bytes(bytes, associated, sealed)
}

fn open_bytes(key: &[u8; 32], associated: &str, sealed: &str) -> anyhow::Result<Vec<u8>> {
    let bytes = STANDARD
        .decode(sealed)
        .map_err(|_| anyhow::anyhow!("sealed value is not base64"))?;
    if bytes.len() < 24 {
        anyhow::bail!("sealed value is too short");
    }
    let (nonce, ciphertext) = bytes.split_at(24);
    let nonce: [u8; 24] = nonce
        .try_into()
        .map_err(|_| anyhow::anyhow!("sealed value is too short"))?;
    let cipher = XChaCha20Poly1305::new(key.into());
    cipher
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: ciphertext,
                aad: associated.as_bytes(),
            },
        )
        .map_err(|_| anyhow::anyhow!("sealed value does not open with this key and context"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_in_their_context() {
        let key = MasterKey::from_base64(&STANDARD.encode([9u8; 32])).unwrap();
        let sealed = seal(&key, "signing-key:a", b"secret").unwrap();
        assert_eq!(open(&key, "signing-key:a", &sealed).unwrap(), b"secret");
        assert!(open(&key, "signing-key:b", &sealed).is_err());
        let other = MasterKey::from_base64(&STANDARD.encode([8u8; 32])).unwrap();
        assert!(open(&other, "signing-key:a", &sealed).is_err());
    }
}
