//! Password hashing with argon2id at the OWASP parameters (S6), and the rules a new password meets.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;

use crate::error::AppError;

/// S6: at least 8 characters (15 recommended), at most 128, no composition rules.
const MIN_CHARS: usize = 8;
const MAX_CHARS: usize = 128;

/// The most used passwords of public breach corpora, and words of this service; refused outright.
const COMMON: &[&str] = &[
    "12345678",
    "123456789",
    "1234567890",
    "password",
    "password1",
    "password123",
    "qwertyui",
    "qwerty123",
    "qwertyuiop",
    "iloveyou",
    "11111111",
    "00000000",
    "12341234",
    "abcd1234",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "welcome1",
    "letmein1",
    "trustno1",
    "passw0rd",
    "salasana",
    "salasana1",
    "salasana123",
    "lösenord",
    "losenord",
    "etäpolku",
    "etapolku",
    "omaishoitaja",
    "kuntoutus",
    "qwertyuiop123",
    "1q2w3e4r",
    "1qaz2wsx",
    "asdfghjk",
    "zxcvbnm1",
    "aaaaaaaa",
    "87654321",
    "admin123",
    "administrator",
    "changeme",
];

/// A password that meets the rules; only ever hashed, never stored or logged.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str, field: &str) -> Result<NewPassword, AppError> {
        let chars = raw.chars().count();
        if chars < MIN_CHARS {
            return Err(AppError::field(
                field,
                "too_short",
                format!("the password needs at least {MIN_CHARS} characters"),
            ));
        }
        if chars > MAX_CHARS {
            return Err(AppError::field(
                field,
                "too_long",
                format!("the password can have at most {MAX_CHARS} characters"),
            ));
        }
        if COMMON.contains(&raw.to_lowercase().as_str()) {
            return Err(AppError::field(
                field,
                "too_common",
                "this password is among the most used ones; choose another",
            ));
        }
        Ok(NewPassword(raw.to_owned()))
    }
}

fn argon2() -> Argon2<'static> {
    // OWASP: m = 19 MiB, t = 2, p = 1. unwrap: the constants are valid parameters.
    #[allow(clippy::unwrap_used)]
    let params = Params::new(19 * 1024, 2, 1, None).unwrap();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash(password: &NewPassword) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.0.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

/// Checks a password against a stored hash; a malformed hash is a mismatch.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so both paths take as long.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash(&NewPassword("not-a-real-password-x".to_owned())).unwrap_or_default())
}

/// Moves the CPU-heavy check off the async executor.
pub async fn verify_blocking(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, &stored))
        .await
        .unwrap_or(false)
}

pub async fn hash_blocking(password: NewPassword) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("hashing task failed: {e}")))?
        .map_err(AppError::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_the_same_password() {
        let h =
            hash(&NewPassword::parse("correct horse battery", "p").expect("valid")).expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterY", &h));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn short_long_and_common_passwords_are_refused() {
        assert!(NewPassword::parse("1234567", "p").is_err());
        assert!(NewPassword::parse(&"a".repeat(129), "p").is_err());
        assert!(NewPassword::parse("Salasana123", "p").is_err());
        assert!(NewPassword::parse("kahvia ja pullaa", "p").is_ok());
    }
}
