//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits), the second factor
//! staff can turn on (SECURITY.md S8). Any authenticator app reads the `otpauth://` address.

use hmac::{Hmac, Mac};
use rand::RngCore;
use rand::rngs::OsRng;
use sha1::Sha1;

const STEP_SECS: i64 = 30;
const DIGITS: u32 = 6;
/// One step either side is accepted, for phones whose clock is a little off.
const SKEW_STEPS: i64 = 1;
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A fresh 160-bit secret, base32 as authenticator apps expect it.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    base32_encode(&bytes)
}

fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in s.bytes().filter(|c| *c != b'=' && *c != b' ') {
        let v = BASE32.iter().position(|x| *x == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

fn code_at(key: &[u8], step: i64) -> Option<u32> {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).ok()?;
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let word = u32::from_be_bytes([
        digest[offset],
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    Some((word & 0x7fff_ffff) % 10u32.pow(DIGITS))
}

/// The time step a code matches, if it matches one within the skew and after `last_step`
/// (a code is good once: a step already used is refused).
pub fn verify(secret: &str, code: &str, unix_time: i64, last_step: Option<i64>) -> Option<i64> {
    let code = code.trim().replace(' ', "");
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let wanted: u32 = code.parse().ok()?;
    let key = base32_decode(secret)?;
    let now = unix_time.div_euclid(STEP_SECS);
    (now - SKEW_STEPS..=now + SKEW_STEPS)
        .filter(|step| last_step.is_none_or(|last| *step > last))
        .find(|step| code_at(&key, *step) == Some(wanted))
}

/// The code an authenticator app shows at `unix_time`, as six digits.
pub fn code(secret: &str, unix_time: i64) -> Option<String> {
    let key = base32_decode(secret)?;
    code_at(&key, unix_time.div_euclid(STEP_SECS)).map(|c| format!("{c:06}"))
}

/// The address an authenticator app imports (also shown as text to type in by hand).
pub fn otpauth_uri(secret: &str, account: &str) -> String {
    let label: String =
        url::form_urlencoded::byte_serialize(format!("Etäpolku:{account}").as_bytes()).collect();
    format!(
        "otpauth://totp/{label}?secret={secret}&issuer=Etapolku&algorithm=SHA1&digits=6&period=30"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA1 key "12345678901234567890": 94287082 at T=59, 07081804 at
    /// T=1111111109, 14050471 at T=1111111111 (last six digits kept).
    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        let key = b"12345678901234567890";
        assert_eq!(code_at(key, 59 / 30), Some(287_082));
        assert_eq!(code_at(key, 1_111_111_109 / 30), Some(81_804));
        assert_eq!(code_at(key, 1_111_111_111 / 30), Some(50_471));
    }

    #[test]
    fn base32_round_trips() {
        let bytes = b"12345678901234567890";
        assert_eq!(base32_encode(bytes), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(
            base32_decode(&base32_encode(bytes)).as_deref(),
            Some(&bytes[..])
        );
    }

    #[test]
    fn a_code_verifies_within_one_step_and_only_once() {
        let secret = base32_encode(b"12345678901234567890");
        let t = 1_111_111_111;
        assert_eq!(verify(&secret, "050471", t, None), Some(t / 30));
        assert_eq!(
            verify(&secret, "050 471", t + 30, None),
            Some(t / 30),
            "one step late is fine"
        );
        assert_eq!(
            verify(&secret, "050471", t + 90, None),
            None,
            "three steps late is not"
        );
        assert_eq!(
            verify(&secret, "050471", t, Some(t / 30)),
            None,
            "a used code is refused"
        );
        assert_eq!(verify(&secret, "12345", t, None), None);
        assert_eq!(verify(&secret, "abcdef", t, None), None);
    }
}
