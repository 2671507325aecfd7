//! The sealed backup file `haven backup` writes and `haven restore` reads: a database snapshot
//! encrypted under a key derived from the operator's passphrase, with a small manifest.
//!
//! Layout: a clear header (magic, then a length-prefixed JSON [`Header`]: the Argon2id
//! parameters and salt, the stream nonce), then a STREAM of XChaCha20-Poly1305 chunks
//! (`aead::stream`, big-endian 32-bit counter), each prefixed by its length: first the
//! [`Manifest`], then the database in chunks of [`CHUNK_SIZE`], the final one sealed as the last
//! of the stream. Every chunk carries the header as associated data, so the header, the order of
//! the chunks and the end of the file are all authenticated: a changed byte, a swapped chunk or
//! a truncated file fails to open. The master key is never in the file: it only names the ids
//! of the master keys the data keys inside are wrapped under.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::{KeyInit as _, Payload};
use chrono::{DateTime, Utc};
use rand::TryRngCore as _;
use secrecy::{ExposeSecret as _, SecretBox, SecretString};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{self, Read, Write};

/// The first bytes of every backup file.
pub const MAGIC: &[u8; 8] = b"HAVENBK\x01";
/// The version of the file format this code writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Plain bytes per sealed chunk.
pub const CHUNK_SIZE: usize = 64 * 1024;
/// The shortest passphrase accepted.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// Argon2id cost of new backups: 256 MiB, 3 passes (an offline attacker gets the file, so the
/// derivation is made expensive; it runs once per backup or restore).
const KDF_M_COST_KIB: u32 = 256 * 1024;
const KDF_T_COST: u32 = 3;
const KDF_P_COST: u32 = 1;
/// Bounds on what a header may ask for, so a forged header cannot make a restore allocate
/// without limit.
const KDF_MAX_M_COST_KIB: u32 = 4 * 1024 * 1024;
const KDF_MAX_T_COST: u32 = 64;
const KDF_MAX_P_COST: u32 = 16;
const SALT_LEN: usize = 16;
/// XChaCha20's 24-byte nonce less the STREAM's 5 bytes of counter and last-chunk flag.
const STREAM_NONCE_LEN: usize = 19;
const TAG_LEN: usize = 16;
const MAX_HEADER_LEN: u32 = 4096;
const MAX_MANIFEST_LEN: u32 = 1024 * 1024;

/// Why a backup file cannot be written or opened.
#[derive(Debug, thiserror::Error)]
pub enum BackupFileError {
    #[error("the passphrase is shorter than {MIN_PASSPHRASE_CHARS} characters")]
    WeakPassphrase,
    #[error("this is not a Haven backup file")]
    NotABackup,
    #[error("this backup was written in format {0}, which this version of Haven cannot read")]
    UnsupportedFormat(u32),
    #[error("the header of the backup file is malformed: {0}")]
    BadHeader(String),
    #[error("wrong passphrase, or the backup file was altered")]
    WrongPassphrase,
    #[error("the backup file is cut short (truncated)")]
    Truncated,
    #[error("the backup file was altered or its chunks reordered (chunk {0} does not open)")]
    Tampered(u64),
    #[error("randomness is unavailable")]
    Random,
    #[error("key derivation failed: {0}")]
    Kdf(String),
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// What a backup holds, sealed in the file beside the data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: u32,
    pub created_at: DateTime<Utc>,
    /// The version of Haven that wrote it.
    pub haven_version: String,
    /// The name of the latest migration applied to the database.
    pub latest_migration: Option<String>,
    /// The ids of the master keys the data keys inside are wrapped under (never a key).
    pub master_key_ids: Vec<String>,
    /// Rows per table.
    pub tables: BTreeMap<String, u64>,
    /// Size of the plain database.
    pub database_bytes: u64,
}

/// The clear header: everything needed to derive the key and start the stream.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: u32,
    kdf: String,
    m_cost_kib: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
    cipher: String,
    nonce: String,
    chunk_size: u32,
}

const KDF_NAME: &str = "argon2id-v19";
const CIPHER_NAME: &str = "xchacha20poly1305-stream-be32";

/// Checks the operator's passphrase is long enough.
///
/// # Errors
/// [`BackupFileError::WeakPassphrase`].
pub fn check_passphrase(passphrase: &SecretString) -> Result<(), BackupFileError> {
    if passphrase.expose_secret().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(BackupFileError::WeakPassphrase);
    }
    Ok(())
}

fn derive_key(
    passphrase: &SecretString,
    header: &Header,
    salt: &[u8],
) -> Result<SecretBox<[u8; 32]>, BackupFileError> {
    let params = Params::new(header.m_cost_kib, header.t_cost, header.p_cost, Some(32))
        .map_err(|e| BackupFileError::Kdf(e.to_string()))?;
    let mut key = Box::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.expose_secret().as_bytes(), salt, key.as_mut())
        .map_err(|e| BackupFileError::Kdf(e.to_string()))?;
    Ok(SecretBox::new(key))
}

fn cipher(key: &SecretBox<[u8; 32]>) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.expose_secret().into())
}

fn write_chunk(out: &mut impl Write, sealed: &[u8]) -> io::Result<()> {
    let len = u32::try_from(sealed.len()).map_err(io::Error::other)?;
    out.write_all(&len.to_be_bytes())?;
    out.write_all(sealed)
}

/// Reads up to `buf.len()` bytes, fewer only at the end of `input`.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Encrypts `database` (the plain snapshot) into `out` with `manifest`, under a key derived
/// from `passphrase` with a fresh salt and nonce. `progress` hears the plain bytes sealed so
/// far.
///
/// # Errors
/// A weak passphrase, I/O errors, or no randomness.
pub fn seal(
    database: &mut impl Read,
    out: &mut impl Write,
    passphrase: &SecretString,
    manifest: &Manifest,
    progress: &mut dyn FnMut(u64),
) -> Result<(), BackupFileError> {
    let cost = KdfCost {
        m_cost_kib: KDF_M_COST_KIB,
        t_cost: KDF_T_COST,
        p_cost: KDF_P_COST,
    };
    seal_with(database, out, passphrase, manifest, progress, cost)
}

/// Argon2id costs.
#[derive(Clone, Copy)]
struct KdfCost {
    m_cost_kib: u32,
    t_cost: u32,
    p_cost: u32,
}

fn seal_with(
    database: &mut impl Read,
    out: &mut impl Write,
    passphrase: &SecretString,
    manifest: &Manifest,
    progress: &mut dyn FnMut(u64),
    cost: KdfCost,
) -> Result<(), BackupFileError> {
    check_passphrase(passphrase)?;
    let mut salt = [0u8; SALT_LEN];
    let mut nonce: Nonce = [0u8; STREAM_NONCE_LEN];
    let mut rng = rand::rngs::OsRng;
    rng.try_fill_bytes(&mut salt)
        .and_then(|()| rng.try_fill_bytes(&mut nonce))
        .map_err(|_| BackupFileError::Random)?;
    let header = Header {
        format: FORMAT_VERSION,
        kdf: KDF_NAME.to_owned(),
        m_cost_kib: cost.m_cost_kib,
        t_cost: cost.t_cost,
        p_cost: cost.p_cost,
        salt: STANDARD.encode(salt),
        cipher: CIPHER_NAME.to_owned(),
        nonce: STANDARD.encode(nonce),
        chunk_size: CHUNK_SIZE as u32,
    };
    let header_bytes = serde_json::to_vec(&header).map_err(io::Error::other)?;
    let key = derive_key(passphrase, &header, &salt)?;
    let mut stream = EncryptorBE32::from_aead(cipher(&key), (&nonce).into());
    let seal_error = |_| io::Error::other("encryption failed");

    out.write_all(MAGIC)?;
    let header_len = u32::try_from(header_bytes.len()).map_err(io::Error::other)?;
    out.write_all(&header_len.to_be_bytes())?;
    out.write_all(&header_bytes)?;
    let manifest_bytes = serde_json::to_vec(manifest).map_err(io::Error::other)?;
    let sealed = stream
        .encrypt_next(Payload {
            msg: &manifest_bytes,
            aad: &header_bytes,
        })
        .map_err(seal_error)?;
    write_chunk(out, &sealed)?;

    // One chunk is held back, so the last one can be sealed as the last.
    let mut pending = vec![0u8; CHUNK_SIZE];
    let mut pending_len = read_full(database, &mut pending)?;
    let mut next = vec![0u8; CHUNK_SIZE];
    let mut done = 0u64;
    loop {
        let next_len = read_full(database, &mut next)?;
        if next_len == 0 {
            let sealed = stream
                .encrypt_last(Payload {
                    msg: &pending[..pending_len],
                    aad: &header_bytes,
                })
                .map_err(seal_error)?;
            write_chunk(out, &sealed)?;
            progress(done + pending_len as u64);
            break;
        }
        let sealed = stream
            .encrypt_next(Payload {
                msg: &pending[..pending_len],
                aad: &header_bytes,
            })
            .map_err(seal_error)?;
        write_chunk(out, &sealed)?;
        done += pending_len as u64;
        progress(done);
        std::mem::swap(&mut pending, &mut next);
        pending_len = next_len;
    }
    out.flush()?;
    Ok(())
}

/// A backup file whose header and manifest opened: the passphrase is right.
pub struct Opened<R> {
    input: R,
    header_bytes: Vec<u8>,
    stream: DecryptorBE32<XChaCha20Poly1305>,
    manifest: Manifest,
}

/// The next length-prefixed chunk, or `None` at a clean end of the file.
fn read_chunk(input: &mut impl Read, max: u32) -> Result<Option<Vec<u8>>, BackupFileError> {
    let mut len = [0u8; 4];
    match read_full(input, &mut len)? {
        0 => return Ok(None),
        4 => {}
        _ => return Err(BackupFileError::Truncated),
    }
    let len = u32::from_be_bytes(len);
    if len > max {
        return Err(BackupFileError::Tampered(0));
    }
    let mut chunk = vec![0u8; len as usize];
    if read_full(input, &mut chunk)? < chunk.len() {
        return Err(BackupFileError::Truncated);
    }
    Ok(Some(chunk))
}

type Nonce = [u8; STREAM_NONCE_LEN];

fn parse_header(bytes: &[u8]) -> Result<(Header, Vec<u8>, Nonce), BackupFileError> {
    let bad = |what: &str| BackupFileError::BadHeader(what.to_owned());
    let header: Header = serde_json::from_slice(bytes).map_err(|_| bad("not the expected JSON"))?;
    if header.format != FORMAT_VERSION {
        return Err(BackupFileError::UnsupportedFormat(header.format));
    }
    if header.kdf != KDF_NAME || header.cipher != CIPHER_NAME {
        return Err(bad("unknown key derivation or cipher"));
    }
    if header.m_cost_kib > KDF_MAX_M_COST_KIB
        || header.t_cost > KDF_MAX_T_COST
        || header.p_cost > KDF_MAX_P_COST
    {
        return Err(bad("key derivation costs out of bounds"));
    }
    if header.chunk_size as usize != CHUNK_SIZE {
        return Err(bad("unexpected chunk size"));
    }
    let salt = STANDARD
        .decode(&header.salt)
        .map_err(|_| bad("salt is not base64"))?;
    let nonce = STANDARD
        .decode(&header.nonce)
        .map_err(|_| bad("nonce is not base64"))?;
    let nonce: Nonce = nonce
        .try_into()
        .map_err(|_| bad("nonce of the wrong length"))?;
    if salt.len() != SALT_LEN {
        return Err(bad("salt of the wrong length"));
    }
    Ok((header, salt, nonce))
}

/// Opens a backup: reads the header, derives the key from `passphrase` and opens the manifest.
/// Nothing of the database is read yet.
///
/// # Errors
/// Not a backup, an unknown format, a wrong passphrase (or an altered header or manifest), a
/// truncated file.
pub fn open<R: Read>(
    mut input: R,
    passphrase: &SecretString,
) -> Result<Opened<R>, BackupFileError> {
    let mut magic = [0u8; 8];
    if read_full(&mut input, &mut magic)? < magic.len() || &magic != MAGIC {
        return Err(BackupFileError::NotABackup);
    }
    let mut len = [0u8; 4];
    if read_full(&mut input, &mut len)? < len.len() {
        return Err(BackupFileError::Truncated);
    }
    let len = u32::from_be_bytes(len);
    if len > MAX_HEADER_LEN {
        return Err(BackupFileError::BadHeader("too long".to_owned()));
    }
    let mut header_bytes = vec![0u8; len as usize];
    if read_full(&mut input, &mut header_bytes)? < header_bytes.len() {
        return Err(BackupFileError::Truncated);
    }
    let (header, salt, nonce) = parse_header(&header_bytes)?;
    let key = derive_key(passphrase, &header, &salt)?;
    let mut stream = DecryptorBE32::from_aead(cipher(&key), (&nonce).into());
    let sealed = read_chunk(&mut input, MAX_MANIFEST_LEN + TAG_LEN as u32)?
        .ok_or(BackupFileError::Truncated)?;
    let manifest_bytes = stream
        .decrypt_next(Payload {
            msg: &sealed,
            aad: &header_bytes,
        })
        .map_err(|_| BackupFileError::WrongPassphrase)?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|_| BackupFileError::BadHeader("the manifest is malformed".to_owned()))?;
    if manifest.format != FORMAT_VERSION {
        return Err(BackupFileError::UnsupportedFormat(manifest.format));
    }
    Ok(Opened {
        input,
        header_bytes,
        stream,
        manifest,
    })
}

impl<R: Read> Opened<R> {
    /// The manifest sealed in the file.
    #[must_use]
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Decrypts the database into `out`, checking every chunk and that the file ends where it
    /// was sealed to end. `progress` hears the plain bytes written so far. On an error, what was
    /// written to `out` must be thrown away.
    ///
    /// # Errors
    /// A truncated or altered file, I/O errors.
    pub fn unseal_into(
        mut self,
        out: &mut impl Write,
        progress: &mut dyn FnMut(u64),
    ) -> Result<u64, BackupFileError> {
        let max = (CHUNK_SIZE + TAG_LEN) as u32;
        let mut index = 1u64;
        let mut current = read_chunk(&mut self.input, max)?.ok_or(BackupFileError::Truncated)?;
        let mut done = 0u64;
        loop {
            let next = read_chunk(&mut self.input, max).map_err(|e| match e {
                BackupFileError::Tampered(_) => BackupFileError::Tampered(index + 1),
                other => other,
            })?;
            let payload = Payload {
                msg: &current,
                aad: &self.header_bytes,
            };
            match next {
                None => {
                    // A file cut at a chunk boundary ends on a chunk not sealed as the last.
                    let plain = self
                        .stream
                        .decrypt_last(payload)
                        .map_err(|_| BackupFileError::Tampered(index))?;
                    out.write_all(&plain)?;
                    done += plain.len() as u64;
                    progress(done);
                    out.flush()?;
                    return Ok(done);
                }
                Some(next) => {
                    let plain = self
                        .stream
                        .decrypt_next(payload)
                        .map_err(|_| BackupFileError::Tampered(index))?;
                    out.write_all(&plain)?;
                    done += plain.len() as u64;
                    progress(done);
                    current = next;
                    index += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn manifest() -> Manifest {
        Manifest {
            format: FORMAT_VERSION,
            created_at: DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
            haven_version: "test".to_owned(),
            latest_migration: Some("m20260101_000000_create_things".to_owned()),
            master_key_ids: vec!["mk-0123456789ab".to_owned()],
            tables: BTreeMap::from([("clients".to_owned(), 3)]),
            database_bytes: 0,
        }
    }

    fn pass(text: &str) -> SecretString {
        SecretString::from(text.to_owned())
    }

    /// Data of `len` bytes that differ from chunk to chunk.
    fn data(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 % 251) as u8).collect()
    }

    /// Cheap costs: the format is under test here, not the derivation.
    const CHEAP: KdfCost = KdfCost {
        m_cost_kib: 64,
        t_cost: 1,
        p_cost: 1,
    };

    fn sealed(plain: &[u8], passphrase: &str) -> Vec<u8> {
        let mut out = Vec::new();
        seal_with(
            &mut &plain[..],
            &mut out,
            &pass(passphrase),
            &manifest(),
            &mut |_| {},
            CHEAP,
        )
        .unwrap();
        out
    }

    fn unsealed(file: &[u8], passphrase: &str) -> Result<Vec<u8>, BackupFileError> {
        let opened = open(file, &pass(passphrase))?;
        let mut out = Vec::new();
        opened.unseal_into(&mut out, &mut |_| {})?;
        Ok(out)
    }

    /// Offsets of the sealed chunks (manifest first) in `file`.
    fn chunk_offsets(file: &[u8]) -> Vec<(usize, usize)> {
        let header_len = u32::from_be_bytes(file[8..12].try_into().unwrap()) as usize;
        let mut at = 12 + header_len;
        let mut chunks = Vec::new();
        while at < file.len() {
            let len = u32::from_be_bytes(file[at..at + 4].try_into().unwrap()) as usize;
            chunks.push((at, 4 + len));
            at += 4 + len;
        }
        chunks
    }

    #[test]
    fn a_sealed_file_opens_with_its_passphrase_and_only_with_it() {
        let passphrase = "correct horse battery staple";
        for len in [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, 2 * CHUNK_SIZE + 17] {
            let plain = data(len);
            let file = sealed(&plain, passphrase);
            assert_eq!(unsealed(&file, passphrase).unwrap(), plain, "{len} bytes");
            let opened = open(&file[..], &pass(passphrase)).unwrap();
            assert_eq!(opened.manifest(), &manifest());
        }
        let file = sealed(&data(10), passphrase);
        assert!(matches!(
            unsealed(&file, "another passphrase entirely"),
            Err(BackupFileError::WrongPassphrase)
        ));
    }

    #[test]
    fn truncation_reordering_and_altered_bytes_are_detected() {
        let passphrase = "correct horse battery staple";
        let file = sealed(&data(3 * CHUNK_SIZE + 5), passphrase);
        let chunks = chunk_offsets(&file);
        assert_eq!(chunks.len(), 5, "manifest and four data chunks");

        // Cut at a chunk boundary: the last chunk left was not sealed as the last.
        let (last_at, _) = chunks[4];
        assert!(matches!(
            unsealed(&file[..last_at], passphrase),
            Err(BackupFileError::Tampered(_))
        ));
        // Cut inside a chunk.
        assert!(matches!(
            unsealed(&file[..file.len() - 10], passphrase),
            Err(BackupFileError::Truncated)
        ));
        // Two data chunks swapped.
        let (a, a_len) = chunks[1];
        let (b, b_len) = chunks[2];
        assert_eq!(a_len, b_len);
        let mut swapped = file.clone();
        swapped[a..a + a_len].copy_from_slice(&file[b..b + b_len]);
        swapped[b..b + b_len].copy_from_slice(&file[a..a + a_len]);
        assert!(matches!(
            unsealed(&swapped, passphrase),
            Err(BackupFileError::Tampered(1))
        ));
        // One byte changed in the data, in the manifest, in the header.
        for at in [chunks[3].0 + 100, chunks[0].0 + 10] {
            let mut altered = file.clone();
            altered[at] ^= 0x01;
            assert!(unsealed(&altered, passphrase).is_err(), "byte {at}");
        }
        let mut header = file.clone();
        let at = file.windows(6).position(|w| w == b"\"salt\"").unwrap() + 9;
        header[at] = if header[at] == b'A' { b'B' } else { b'A' };
        assert!(unsealed(&header, passphrase).is_err(), "header");
        // Not a backup at all.
        assert!(matches!(
            unsealed(b"SQLite format 3\0", passphrase),
            Err(BackupFileError::NotABackup)
        ));
    }

    #[test]
    fn short_passphrases_are_refused() {
        let mut out = Vec::new();
        let result = seal(
            &mut &b"x"[..],
            &mut out,
            &pass("eleven char"),
            &manifest(),
            &mut |_| {},
        );
        assert!(matches!(result, Err(BackupFileError::WeakPassphrase)));
        assert!(out.is_empty(), "nothing written");
        assert!(check_passphrase(&pass("twelve chars")).is_ok());
    }
}
