//! Access tokens: EdDSA (Ed25519) JWTs with `typ: at+jwt` and a `kid`, 15 minutes long.
//!
//! Signing keys live in the database with their private half sealed under the master key, so
//! every replica signs and verifies with the same keys and a rotation reaches all of them. A
//! retired key stays published (and accepted) until the last token it signed has expired.
//! Verification pins the algorithm, type, issuer, audience and lifetime, and never fetches a
//! key from a token header.

use crate::crypto::MasterKey;
use crate::entities::signing_key;
use crate::error::AuthFailure;
use crate::sealed;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::EncodePrivateKey as _;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::TryRngCore as _;
use sea_orm::{ActiveModelTrait as _, DatabaseConnection, EntityTrait as _, QueryOrder as _, Set};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Lifetime of an access token.
pub const ACCESS_TTL: Duration = Duration::from_secs(15 * 60);
/// The `typ` header of access tokens (RFC 9068).
pub const ACCESS_TYP: &str = "at+jwt";
/// Clock skew tolerated when checking `exp`, `nbf` and `iat`.
const LEEWAY_SECS: u64 = 5;
/// How often an unknown `kid` may trigger a reload from the database.
const RELOAD_INTERVAL: Duration = Duration::from_secs(5);

/// Who the token speaks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    User,
    PlatformAdmin,
}

/// The claims of an access token.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    /// The user's (or platform administrator's) id.
    pub sub: Uuid,
    /// The tenant, for users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tid: Option<Uuid>,
    pub kind: SubjectKind,
    pub roles: Vec<String>,
    /// The session (refresh-token family) the token belongs to.
    pub sid: Uuid,
    pub jti: Uuid,
    pub iat: u64,
    pub nbf: u64,
    pub exp: u64,
}

struct LoadedKey {
    kid: String,
    public: [u8; 32],
    encoding: Option<EncodingKey>,
    decoding: DecodingKey,
    created_at: DateTime<Utc>,
    retired_at: Option<DateTime<Utc>>,
}

/// Issuer and audience the tokens carry.
#[derive(Clone, Debug)]
pub struct TokenSettings {
    pub issuer: String,
    pub audience: String,
}

/// The signing keys, loaded from the database.
pub struct KeyRing {
    db: DatabaseConnection,
    master: Arc<MasterKey>,
    settings: TokenSettings,
    keys: RwLock<Vec<LoadedKey>>,
    last_reload: std::sync::Mutex<Instant>,
    /// Tokens already checked, by the SHA-256 of the token, with their key id and claims. A
    /// token comes with every request of its short life, and its signature check is the costliest
    /// step of authenticating a request; what can change while it lives (expiry, its key leaving
    /// the ring) is checked again on every use.
    verified: moka::sync::Cache<[u8; 32], Arc<(String, AccessClaims)>>,
}

/// How many checked tokens a process remembers (a few hundred bytes each).
const VERIFIED_CAPACITY: u64 = 20_000;

fn token_digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn now_secs() -> u64 {
    u64::try_from(crate::now().timestamp()).unwrap_or(0)
}

pub(crate) fn associated(kid: &str) -> String {
    format!("haven:signing-key:{kid}")
}

/// Creates a new signing key and stores it (private half sealed under the master key).
///
/// # Errors
/// On database or randomness failure.
pub async fn create_signing_key(
    db: &DatabaseConnection,
    master: &MasterKey,
) -> anyhow::Result<String> {
    let mut seed = [0u8; 32];
    rand::rngs::OsRng
        .try_fill_bytes(&mut seed)
        .map_err(|_| anyhow::anyhow!("the operating system's random number generator failed"))?;
    let signing = SigningKey::from_bytes(&seed);
    let public = signing.verifying_key().to_bytes();
    let kid = format!("k-{}", Uuid::now_v7().simple());
    let sealed = sealed::seal(master, &associated(&kid), &seed)?;
    signing_key::ActiveModel {
        kid: Set(kid.clone()),
        public_key: Set(URL_SAFE_NO_PAD.encode(public)),
        sealed_private_key: Set(sealed),
        master_key_id: Set(master.id().to_owned()),
        created_at: Set(crate::now()),
        retired_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(kid)
}

/// Creates a new signing key and retires the others; they stay valid for verification until
/// their last tokens expire.
///
/// # Errors
/// On database failure.
pub async fn rotate_signing_keys(
    db: &DatabaseConnection,
    master: &MasterKey,
) -> anyhow::Result<String> {
    let kid = create_signing_key(db, master).await?;
    signing_key::Entity::update_many()
        .col_expr(
            signing_key::Column::RetiredAt,
            sea_orm::sea_query::Expr::value(crate::now()),
        )
        .filter(sea_orm::ColumnTrait::ne(
            &signing_key::Column::Kid,
            kid.clone(),
        ))
        .filter(sea_orm::ColumnTrait::is_null(
            &signing_key::Column::RetiredAt,
        ))
        .exec(db)
        .await?;
    Ok(kid)
}

use sea_orm::QueryFilter as _;

impl KeyRing {
    /// Loads the keys, creating the first one if there is none.
    ///
    /// # Errors
    /// When the keys cannot be read or opened with the master key.
    pub async fn load(
        db: DatabaseConnection,
        master: Arc<MasterKey>,
        settings: TokenSettings,
    ) -> anyhow::Result<Self> {
        let ring = Self {
            db,
            master,
            settings,
            keys: RwLock::new(Vec::new()),
            last_reload: std::sync::Mutex::new(
                Instant::now()
                    .checked_sub(RELOAD_INTERVAL)
                    .unwrap_or_else(Instant::now),
            ),
            verified: moka::sync::Cache::builder()
                .max_capacity(VERIFIED_CAPACITY)
                .time_to_live(ACCESS_TTL + Duration::from_secs(LEEWAY_SECS))
                .build(),
        };
        ring.reload().await?;
        let has_active = ring
            .keys
            .read()
            .map_err(|_| anyhow::anyhow!("key ring lock poisoned"))?
            .iter()
            .any(|k| k.retired_at.is_none());
        if !has_active {
            create_signing_key(&ring.db, &ring.master).await?;
            ring.reload().await?;
        }
        Ok(ring)
    }

    /// Reads the keys again (after a rotation by another process).
    ///
    /// # Errors
    /// When the keys cannot be read or opened.
    pub async fn reload(&self) -> anyhow::Result<()> {
        let rows = signing_key::Entity::find()
            .order_by_asc(signing_key::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let cutoff = crate::now()
            - chrono::Duration::from_std(ACCESS_TTL + Duration::from_secs(60)).unwrap_or_default();
        let mut loaded = Vec::new();
        for row in rows {
            if row.retired_at.is_some_and(|r| r < cutoff) {
                continue;
            }
            let public: [u8; 32] = URL_SAFE_NO_PAD
                .decode(&row.public_key)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| {
                    anyhow::anyhow!("signing key {} has a malformed public key", row.kid)
                })?;
            let encoding = if row.retired_at.is_none() {
                let seed: [u8; 32] = sealed::open_with_id(
                    &self.master,
                    &row.master_key_id,
                    &associated(&row.kid),
                    &row.sealed_private_key,
                )
                .map_err(|e| {
                    anyhow::anyhow!(
                        "signing key {}: {e} (is HAVEN_MASTER_KEY the key it was sealed with?)",
                        row.kid
                    )
                })?
                .try_into()
                .map_err(|_| {
                    anyhow::anyhow!("signing key {} has a malformed private key", row.kid)
                })?;
                let der = SigningKey::from_bytes(&seed)
                    .to_pkcs8_der()
                    .map_err(|e| anyhow::anyhow!("cannot encode signing key: {e}"))?;
                Some(EncodingKey::from_ed_der(der.as_bytes()))
            } else {
                None
            };
            loaded.push(LoadedKey {
                kid: row.kid,
                public,
                encoding,
                decoding: DecodingKey::from_ed_der(&public),
                created_at: row.created_at,
                retired_at: row.retired_at,
            });
        }
        *self
            .keys
            .write()
            .map_err(|_| anyhow::anyhow!("key ring lock poisoned"))? = loaded;
        Ok(())
    }

    /// Signs an access token for the given subject.
    ///
    /// # Errors
    /// When no active key is loaded or signing fails.
    pub fn issue(
        &self,
        kind: SubjectKind,
        sub: Uuid,
        tid: Option<Uuid>,
        roles: Vec<String>,
        sid: Uuid,
    ) -> anyhow::Result<(String, AccessClaims)> {
        let keys = self
            .keys
            .read()
            .map_err(|_| anyhow::anyhow!("key ring lock poisoned"))?;
        let key = keys
            .iter()
            .filter(|k| k.encoding.is_some())
            .max_by_key(|k| k.created_at)
            .ok_or_else(|| anyhow::anyhow!("no active signing key"))?;
        let now = now_secs();
        let claims = AccessClaims {
            iss: self.settings.issuer.clone(),
            aud: self.settings.audience.clone(),
            sub,
            tid,
            kind,
            roles,
            sid,
            jti: Uuid::now_v7(),
            iat: now,
            nbf: now,
            exp: now + ACCESS_TTL.as_secs(),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.typ = Some(ACCESS_TYP.to_owned());
        header.kid = Some(key.kid.clone());
        let encoding = key
            .encoding
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("no active signing key"))?;
        let token = jsonwebtoken::encode(&header, &claims, encoding)?;
        Ok((token, claims))
    }

    /// Verifies an access token and returns its claims.
    ///
    /// # Errors
    /// [`AuthFailure::ExpiredToken`] for an expired token, [`AuthFailure::InvalidToken`] for
    /// anything else that is wrong.
    pub async fn verify(&self, token: &str) -> Result<AccessClaims, AuthFailure> {
        let digest = token_digest(token);
        if let Some(hit) = self.verified.get(&digest) {
            let (kid, claims) = &*hit;
            if claims.exp.saturating_add(LEEWAY_SECS) < now_secs() {
                return Err(AuthFailure::ExpiredToken);
            }
            if self.knows(kid) {
                return Ok(claims.clone());
            }
            self.verified.invalidate(&digest);
        }
        self.verify_signed(token, digest).await
    }

    /// [`Self::verify`] without the memory of checked tokens: header, key, signature, claims.
    async fn verify_signed(
        &self,
        token: &str,
        digest: [u8; 32],
    ) -> Result<AccessClaims, AuthFailure> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| AuthFailure::InvalidToken)?;
        let typ_ok = header
            .typ
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case(ACCESS_TYP));
        let embeds_key = header.jku.is_some()
            || header.jwk.is_some()
            || header.x5u.is_some()
            || header.x5c.is_some()
            || header.crit.is_some();
        if header.alg != Algorithm::EdDSA || !typ_ok || embeds_key {
            return Err(AuthFailure::InvalidToken);
        }
        let kid = header.kid.ok_or(AuthFailure::InvalidToken)?;
        if !self.knows(&kid) && self.may_reload() {
            self.reload().await.map_err(|_| AuthFailure::InvalidToken)?;
        }
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[&self.settings.issuer]);
        validation.set_audience(&[&self.settings.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECS;
        let result = {
            let keys = self.keys.read().map_err(|_| AuthFailure::InvalidToken)?;
            let key = keys
                .iter()
                .find(|k| k.kid == kid)
                .ok_or(AuthFailure::InvalidToken)?;
            jsonwebtoken::decode::<AccessClaims>(token, &key.decoding, &validation)
        };
        let claims = match result {
            Ok(data) => data.claims,
            Err(err)
                if matches!(
                    err.kind(),
                    jsonwebtoken::errors::ErrorKind::ExpiredSignature
                ) =>
            {
                return Err(AuthFailure::ExpiredToken);
            }
            Err(_) => return Err(AuthFailure::InvalidToken),
        };
        let now = now_secs();
        let lifetime_ok = claims.exp > claims.iat
            && claims.exp - claims.iat <= ACCESS_TTL.as_secs()
            && claims.iat <= now + LEEWAY_SECS;
        let shape_ok = match claims.kind {
            SubjectKind::User => claims.tid.is_some(),
            SubjectKind::PlatformAdmin => claims.tid.is_none(),
        };
        if !lifetime_ok || !shape_ok {
            return Err(AuthFailure::InvalidToken);
        }
        self.verified
            .insert(digest, Arc::new((kid, claims.clone())));
        Ok(claims)
    }

    fn knows(&self, kid: &str) -> bool {
        self.keys
            .read()
            .map(|keys| keys.iter().any(|k| k.kid == kid))
            .unwrap_or(false)
    }

    fn may_reload(&self) -> bool {
        let Ok(mut last) = self.last_reload.lock() else {
            return false;
        };
        if last.elapsed() >= RELOAD_INTERVAL {
            *last = Instant::now();
            true
        } else {
            false
        }
    }

    /// The public keys as a JSON Web Key Set.
    #[must_use]
    pub fn jwks(&self) -> Vec<PublicJwk> {
        self.keys
            .read()
            .map(|keys| {
                keys.iter()
                    .map(|k| PublicJwk {
                        kty: "OKP",
                        crv: "Ed25519",
                        alg: "EdDSA",
                        key_use: "sig",
                        kid: k.kid.clone(),
                        x: URL_SAFE_NO_PAD.encode(k.public),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The token settings (issuer, audience).
    #[must_use]
    pub fn settings(&self) -> &TokenSettings {
        &self.settings
    }
}

/// One public key of the JWKS.
#[derive(Clone, Debug, Serialize)]
pub struct PublicJwk {
    pub kty: &'static str,
    pub crv: &'static str,
    pub alg: &'static str,
    #[serde(rename = "use")]
    pub key_use: &'static str,
    pub kid: String,
    pub x: String,
}
