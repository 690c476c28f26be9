//! Serving imported media at `/media/{sha256}`: `<audio>`, `<video>` and `<img>` cannot send a
//! bearer token, so the API hands out short-lived signed URLs instead. actix's NamedFile answers
//! Range requests (seeking), ETag and Last-Modified.

use actix_files::NamedFile;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sea_orm::EntityTrait;
use serde::Deserialize;
use sha2::Sha256;

use crate::content::blob_store::is_sha256;
use crate::entity::blob;
use crate::error::AppError;
use crate::state::AppState;

/// How long a handed-out media link works: a long evening of reading and listening.
pub const URL_LIFETIME: Duration = Duration::hours(12);

fn signature(key: &[u8], sha256: &str, expires: i64) -> String {
    // unwrap-free: HMAC takes keys of any length.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(format!("{sha256}:{expires}").as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

pub fn signed_url(key: &[u8], sha256: &str, now: DateTime<Utc>) -> String {
    let expires = (now + URL_LIFETIME).timestamp();
    format!(
        "/media/{sha256}?e={expires}&s={}",
        signature(key, sha256, expires)
    )
}

pub fn verify(key: &[u8], sha256: &str, expires: i64, sig: &str, now: DateTime<Utc>) -> bool {
    let expected = signature(key, sha256, expires);
    // Constant-time enough: both are fixed-length hex; compare every byte.
    let same = expected.len() == sig.len()
        && expected
            .bytes()
            .zip(sig.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    same && !expected.is_empty() && now.timestamp() <= expires
}

#[derive(Debug, Deserialize)]
pub struct MediaQuery {
    e: i64,
    s: String,
}

/// Media types a browser may show inline; anything else is downloaded (S17).
fn inline(media_type: &str) -> bool {
    ["audio/", "video/", "image/", "text/vtt", "application/pdf"]
        .iter()
        .any(|p| media_type.starts_with(p))
        && media_type != "image/svg+xml"
}

pub async fn serve(
    state: web::Data<AppState>,
    req: HttpRequest,
    sha: web::Path<String>,
    q: web::Query<MediaQuery>,
) -> Result<HttpResponse, AppError> {
    let sha = sha.into_inner();
    if !is_sha256(&sha) || !verify(state.jwt.media_key(), &sha, q.e, &q.s, state.now()) {
        return Err(AppError::NotFound);
    }
    let row = blob::Entity::find_by_id(sha.clone())
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let path = state.blobs.local_path(&sha).ok_or(AppError::NotFound)?;
    let media_type: mime::Mime = row
        .media_type
        .parse()
        .unwrap_or(mime::APPLICATION_OCTET_STREAM);
    let disposition = if inline(&row.media_type) {
        DispositionType::Inline
    } else {
        DispositionType::Attachment
    };
    let file = NamedFile::open_async(&path)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("opening blob: {e}")))?
        .set_content_type(media_type)
        .set_content_disposition(ContentDisposition {
            disposition,
            parameters: vec![DispositionParam::Filename(sha[..12].to_owned())],
        });
    let mut res = file.into_response(&req);
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, max-age=43200, immutable"),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_url_verifies_until_it_expires_and_not_for_another_blob() {
        let key = b"k".repeat(32);
        let now = Utc::now();
        let sha = "a".repeat(64);
        let url = signed_url(&key, &sha, now);
        let (e, s) = url
            .split_once("?e=")
            .and_then(|(_, q)| q.split_once("&s="))
            .expect("query");
        let e: i64 = e.parse().expect("e");
        assert!(verify(&key, &sha, e, s, now));
        assert!(!verify(&key, &"b".repeat(64), e, s, now));
        assert!(!verify(&key, &sha, e + 1, s, now));
        assert!(!verify(
            &key,
            &sha,
            e,
            s,
            now + URL_LIFETIME + Duration::seconds(1)
        ));
    }
}
