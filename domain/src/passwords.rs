//! Password hashing (argon2id) and the password policy: long enough, not too easy to guess
//! (zxcvbn's estimate, which knows the common and breached passwords lists), not the e-mail.

use crate::error::{DomainError, DomainResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use std::sync::OnceLock;

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;

fn hasher() -> Argon2<'static> {
    // OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks `password` against the policy; `context` are words the password must not be built on
/// (the e-mail address, the name).
///
/// # Errors
/// [`DomainError::Invalid`] on the `password` field with the reason.
pub fn check_policy(password: &SecretString, context: &[&str]) -> DomainResult<()> {
    let text = password.expose_secret();
    let length = text.chars().count();
    if length < MIN_LENGTH {
        return Err(DomainError::invalid(
            "password",
            format!("must be at least {MIN_LENGTH} characters"),
        ));
    }
    if length > MAX_LENGTH {
        return Err(DomainError::invalid(
            "password",
            format!("must be at most {MAX_LENGTH} characters"),
        ));
    }
    let estimate = zxcvbn::zxcvbn(text, context);
    if (estimate.score() as u8) < 3 {
        return Err(DomainError::invalid(
            "password",
            "is too easy to guess (a common or breached password, or built on your name or e-mail); \
             use a longer passphrase",
        ));
    }
    Ok(())
}

/// Hashes a password with a fresh salt. CPU-heavy: call it off the async threads.
///
/// # Errors
/// Only if the hasher fails, which does not happen with valid parameters.
pub fn hash(password: &SecretString) -> DomainResult<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    hasher()
        .hash_password(password.expose_secret().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DomainError::Internal(anyhow::anyhow!("password hashing failed: {e}")))
}

/// Whether `password` matches `stored`. With `None` (no such account) a dummy hash is checked
/// so that the answer takes as long as for a real account.
#[must_use]
pub fn verify(password: &SecretString, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| {
        hash(&SecretString::from("dummy password for timing equality")).unwrap_or_default()
    });
    let (candidate, real) = match stored {
        Some(stored) => (stored, true),
        None => (dummy.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(candidate) else {
        return false;
    };
    let ok = hasher()
        .verify_password(password.expose_secret().as_bytes(), &parsed)
        .is_ok();
    ok && real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_refuses_short_common_and_personal_passwords() {
        let refused = [
            "short",
            "password1234",
            "qwertyuiop12",
            "maria.doe@example.org",
        ];
        for candidate in refused {
            assert!(
                check_policy(
                    &SecretString::from(candidate),
                    &["maria.doe@example.org", "Maria Doe"]
                )
                .is_err(),
                "{candidate} should be refused"
            );
        }
        assert!(check_policy(&SecretString::from("haven-demo-2026"), &[]).is_ok());
        assert!(check_policy(&SecretString::from("correct horse battery staple"), &[]).is_ok());
    }

    #[test]
    fn hashes_verify_only_the_right_password() {
        let stored = hash(&SecretString::from("a long enough passphrase")).unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify(
            &SecretString::from("a long enough passphrase"),
            Some(&stored)
        ));
        assert!(!verify(
            &SecretString::from("another passphrase here"),
            Some(&stored)
        ));
        assert!(!verify(
            &SecretString::from("a long enough passphrase"),
            None
        ));
    }
}
