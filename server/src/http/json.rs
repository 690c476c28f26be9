//! A JSON body extractor that names the wrong field.
//!
//! actix's own `Json` reports serde's message without the path; this one uses
//! `serde_path_to_error` so "members[1].email: invalid type" reaches the client as a field error,
//! refuses bodies over the limit before buffering them (413), and requires a JSON content type.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::{AppError, FieldError};

/// Largest JSON body any endpoint takes.
pub const JSON_LIMIT: usize = 64 * 1024;

pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Json<T>, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let mime = v
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false);
        let declared_len = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if !is_json {
                return Err(AppError::UnsupportedMediaType);
            }
            if declared_len.is_some_and(|n| n > JSON_LIMIT) {
                return Err(AppError::PayloadTooLarge);
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| {
                    AppError::bad_request("body_unreadable", "the request body could not be read")
                })?;
                if body.len() + chunk.len() > JSON_LIMIT {
                    return Err(AppError::PayloadTooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            parse(&body).map(Json)
        })
    }
}

/// Parses a JSON document into `T`, turning serde's complaint into a field error.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let message = inner.to_string();
        if inner.is_syntax() || inner.is_eof() {
            return AppError::bad_request(
                "malformed_json",
                format!("the body is not valid JSON: {message}"),
            );
        }
        // serde reports a missing or unknown field at the parent's path; name the field itself.
        let (field, code) = if let Some(name) = between(&message, "missing field `", "`") {
            (join(&path, name), "required")
        } else if let Some(name) = between(&message, "unknown field `", "`") {
            (join(&path, name), "unknown_field")
        } else if message.starts_with("invalid type") {
            (path, "wrong_type")
        } else {
            (path, "invalid")
        };
        let field = if field.is_empty() || field == "." {
            "body".to_owned()
        } else {
            field
        };
        AppError::Validation(vec![FieldError::new(&field, code, message)])
    })
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &s[s.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

fn join(parent: &str, name: &str) -> String {
    // For an unknown field serde_path_to_error already ends the path with it.
    if parent == name || parent.ends_with(&format!(".{name}")) {
        parent.to_owned()
    } else if parent.is_empty() || parent == "." {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        email: String,
        age: u8,
    }

    fn field_of(body: &str) -> (String, String) {
        match parse::<Body>(body.as_bytes()) {
            Err(AppError::Validation(errors)) => (errors[0].field.clone(), errors[0].code.clone()),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_missing_field_is_named() {
        assert_eq!(
            field_of(r#"{"age": 3}"#),
            ("email".into(), "required".into())
        );
    }

    #[test]
    fn an_unknown_field_is_named() {
        assert_eq!(
            field_of(r#"{"email": "a", "age": 3, "admin": true}"#),
            ("admin".into(), "unknown_field".into())
        );
    }

    #[test]
    fn a_wrong_type_is_named() {
        assert_eq!(
            field_of(r#"{"email": 5, "age": 3}"#),
            ("email".into(), "wrong_type".into())
        );
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        assert!(matches!(
            parse::<Body>(b"{\"email\": "),
            Err(AppError::BadRequest {
                code: "malformed_json",
                ..
            })
        ));
    }
}
