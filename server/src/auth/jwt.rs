//! Access tokens: HS256 JWTs with the algorithm pinned and issuer, audience and token type checked
//! (S1, S2). Expiry is checked against the injected clock, with 60 s leeway for clock skew (F17).

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::Secret;
use crate::entity::user;

const ISSUER: &str = "etapolku";
const AUDIENCE: &str = "etapolku-api";
/// S3: access tokens live 15 minutes; the refresh token keeps the session going.
pub const ACCESS_TTL: Duration = Duration::minutes(15);
/// S2, F17: tolerated clock difference.
const LEEWAY_SECS: i64 = 60;
const KEY_FILE: &str = "jwt.key";

/// What a token may be used for; an access token is never accepted as anything else (S2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenType {
    Access,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The user's external id.
    pub sub: Uuid,
    /// The refresh-token family (session) this token belongs to; revoked sessions fail (S4).
    pub sid: Uuid,
    /// The user's internal id, role and provider, signed so a request needs no read to know them
    /// (they never change for an account; see `auth::revocation`).
    pub uid: i32,
    pub role: String,
    pub pid: Option<i32>,
    pub typ: TokenType,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// Signs media URLs; derived from the same secret so every instance agrees.
    media: Vec<u8>,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys(***)")
    }
}

impl JwtKeys {
    pub fn from_secret(secret: &[u8]) -> JwtKeys {
        use sha2::{Digest, Sha256};
        let media = Sha256::new()
            .chain_update(b"etapolku-media-url:")
            .chain_update(secret)
            .finalize()
            .to_vec();
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            media,
        }
    }

    pub fn media_key(&self) -> &[u8] {
        &self.media
    }

    /// The configured key, or the one kept in the data directory (made on first start, mode 0600).
    pub fn load(configured: Option<&Secret>, data_dir: &Path) -> anyhow::Result<JwtKeys> {
        if let Some(secret) = configured {
            anyhow::ensure!(
                secret.expose().len() >= 32,
                "ETAPOLKU_JWT_SECRET must be at least 32 bytes"
            );
            return Ok(JwtKeys::from_secret(secret.expose().as_bytes()));
        }
        let path = data_dir.join(KEY_FILE);
        if !path.exists() {
            let mut key = [0u8; 64];
            OsRng.fill_bytes(&mut key);
            write_private(&path, STANDARD.encode(key).as_bytes())
                .with_context(|| format!("writing {}", path.display()))?;
            tracing::info!(path = %path.display(), "generated a new JWT signing key");
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let key = STANDARD
            .decode(text.trim())
            .with_context(|| format!("{} is not base64", path.display()))?;
        anyhow::ensure!(
            key.len() >= 32,
            "{} holds a key shorter than 32 bytes",
            path.display()
        );
        Ok(JwtKeys::from_secret(&key))
    }

    /// An access token for `account` in `session`; it ends with the session at the latest.
    pub fn issue(
        &self,
        account: &user::Model,
        session: Uuid,
        session_ends: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<String> {
        let claims = Claims {
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            sub: account.uuid,
            sid: session,
            uid: account.id,
            role: account.role.clone(),
            pid: account.provider_id,
            typ: TokenType::Access,
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: (now + ACCESS_TTL).min(session_ends).timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .context("signing an access token")
    }

    /// Verifies signature, algorithm, issuer, audience, type and lifetime; any failure is `None`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Option<Claims> {
        // Only HS256 is accepted: `none` and algorithm switching fail here (S1).
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        // Lifetime is checked below against the service's clock, which tests can move.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .ok()?
            .claims;
        let now = now.timestamp();
        let fresh = now <= claims.exp + LEEWAY_SECS && now + LEEWAY_SECS >= claims.nbf;
        (fresh && claims.typ == TokenType::Access).then_some(claims)
    }
}

/// Creates a file readable only by its owner.
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::from_secret(b"0123456789abcdef0123456789abcdef")
    }

    fn account(uuid: Uuid) -> user::Model {
        let now = Utc::now();
        user::Model {
            id: 7,
            uuid,
            provider_id: Some(3),
            email: "a@example.fi".into(),
            display_name: "A".into(),
            role: "guide".into(),
            profession: None,
            language: "fi".into(),
            password_hash: None,
            status: "active".into(),
            created_at: now,
            updated_at: now,
            totp_secret: None,
            totp_enabled_at: None,
            totp_last_step: None,
            mail_notifications: true,
            task_reminders: true,
            chat_digest: false,
            activity_nudges: true,
        }
    }

    /// A token of a session that lasts a day (longer than any access token).
    fn issue(keys: &JwtKeys, user: Uuid, sid: Uuid, now: DateTime<Utc>) -> String {
        keys.issue(&account(user), sid, now + Duration::days(1), now)
            .expect("issue")
    }

    #[test]
    fn a_fresh_token_verifies_and_an_expired_one_does_not() {
        let now = Utc::now();
        let (user, sid) = (Uuid::new_v4(), Uuid::new_v4());
        let token = issue(&keys(), user, sid, now);
        let claims = keys().verify(&token, now).expect("valid");
        assert_eq!((claims.sub, claims.sid), (user, sid));
        assert_eq!(
            (claims.uid, claims.role.as_str(), claims.pid),
            (7, "guide", Some(3))
        );
        // Inside the leeway still valid, beyond it not.
        assert!(
            keys()
                .verify(&token, now + ACCESS_TTL + Duration::seconds(59))
                .is_some()
        );
        assert!(
            keys()
                .verify(&token, now + ACCESS_TTL + Duration::seconds(61))
                .is_none()
        );
        // A token from the future (clock jumped back over an hour) is refused.
        assert!(keys().verify(&token, now - Duration::hours(1)).is_none());
    }

    #[test]
    fn a_token_ends_with_its_session_at_the_latest() {
        let now = Utc::now();
        let ends = now + Duration::minutes(5);
        let token = keys()
            .issue(&account(Uuid::new_v4()), Uuid::new_v4(), ends, now)
            .expect("issue");
        assert_eq!(
            keys().verify(&token, now).expect("valid").exp,
            ends.timestamp()
        );
        assert!(
            keys()
                .verify(&token, ends + Duration::seconds(61))
                .is_none()
        );
    }

    #[test]
    fn a_token_signed_with_another_key_or_alg_none_is_refused() {
        let now = Utc::now();
        let token = issue(
            &JwtKeys::from_secret(b"another-key-another-key-another-k"),
            Uuid::new_v4(),
            Uuid::new_v4(),
            now,
        );
        assert!(keys().verify(&token, now).is_none());

        let good = issue(&keys(), Uuid::new_v4(), Uuid::new_v4(), now);
        let payload = good.split('.').nth(1).expect("payload");
        let none_header = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert!(
            keys()
                .verify(&format!("{none_header}.{payload}."), now)
                .is_none()
        );
    }

    #[test]
    fn the_key_file_is_created_private_and_reused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let now = Utc::now();
        let token = issue(
            &JwtKeys::load(None, dir.path()).expect("load"),
            Uuid::new_v4(),
            Uuid::new_v4(),
            now,
        );
        let again = JwtKeys::load(None, dir.path()).expect("reload");
        assert!(again.verify(&token, now).is_some());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
