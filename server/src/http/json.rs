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

/// The body, read and parsed, with any error kept for the handler: actix runs a handler's
/// extractors concurrently, and a malformed body must never answer before the caller's role and
/// rights are checked (a wrong role is 403 whatever the body). Handlers call `into_inner()?`.
pub struct Json<T>(Result<T, AppError>);

impl<T> Json<T> {
    pub fn into_inner(self) -> Result<T, AppError> {
        self.0
    }
}

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
        Box::pin(async move { Ok(Json(read(is_json, declared_len, &mut payload).await)) })
    }
}

async fn read<T: DeserializeOwned>(
    is_json: bool,
    declared_len: Option<usize>,
    payload: &mut Payload,
) -> Result<T, AppError> {
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
    parse(&body)
}

/// Parses a JSON document into `T`, turning serde's complaint into a field error.
///
/// The document is first read as plain JSON, so anything that is not exactly one JSON object
/// (a syntax error, trailing text, an array where fields are expected) is refused as such before
/// field-level checking; what fails after that is the fault of a named field.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let document: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        AppError::bad_request("malformed_json", format!("the body is not valid JSON: {e}"))
    })?;
    if !document.is_object() {
        return Err(AppError::Validation(vec![FieldError::new(
            "body",
            "wrong_type",
            "the body must be a JSON object with named fields",
        )]));
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let message = inner.to_string();
        // serde reports a missing or unknown field at the parent's path; name the field itself.
        let (field, code) = if let Some(name) = between(&message, "missing field `", "`") {
            (join(&path, name), "required")
        } else if let Some(name) = between(&message, "unknown field `", "`") {
            (join(&path, name), "unknown_field")
        } else if message.starts_with("invalid type") || inner.is_syntax() {
            // A list or number where a choice is expected surfaces as a syntax error.
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
    fn trailing_text_and_arrays_are_not_accepted_as_objects() {
        assert!(matches!(
            parse::<Body>(br#"{"email": "a", "age": 3} {"#),
            Err(AppError::BadRequest {
                code: "malformed_json",
                ..
            })
        ));
        assert_eq!(
            field_of(r#"["a", 3]"#),
            ("body".into(), "wrong_type".into())
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
