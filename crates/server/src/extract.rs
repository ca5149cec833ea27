//! The request side of the one HTTP layer: extractors whose rejections are [`ApiError`]s, so
//! every handler gets the API's one error shape without a line of checking of its own.
//!
//! - [`Alerts`]: the alert service, or `503 unavailable` when the server runs without it.
//! - [`Authenticated`]: the confirmed account of `Authorization: Bearer <token>` (`401`/`403`);
//!   it comes before the body, so a request without a valid token learns nothing about it.
//! - [`JsonBody`]: a JSON object body deserialized into a typed request struct (declared with
//!   `#[serde(deny_unknown_fields)]`); a rejection names the offending field by its path
//!   (`delivery.email: …`, `filters.colour: unknown field …`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use namndsok_alerts::Account;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::alerts::AlertsService;
use crate::{ApiError, AppState};

/// The alert service (`503 unavailable` without one).
pub struct Alerts(pub Arc<AlertsService>);

impl FromRequestParts<AppState> for Alerts {
    type Rejection = ApiError;

    async fn from_request_parts(_parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        crate::alerts::service(state).map(Alerts)
    }
}

/// The confirmed account whose API token the request carries, with the alert service.
pub struct Authenticated {
    pub account: Account,
    pub service: Arc<AlertsService>,
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Alerts(service) = Alerts::from_request_parts(parts, state).await?;
        let token = bearer(&parts.headers)?;
        let lookup = service.clone();
        // A database lookup: on the blocking pool.
        let account = tokio::task::spawn_blocking(move || lookup.store().account_by_token(&token))
            .await
            .map_err(ApiError::internal)?
            .map_err(ApiError::internal)?
            .ok_or_else(|| ApiError::unauthorized("invalid API token"))?;
        if !account.confirmed {
            return Err(ApiError::forbidden("the account's e-mail address is not confirmed yet"));
        }
        Ok(Authenticated { account, service })
    }
}

/// The bearer token of a request.
fn bearer(headers: &HeaderMap) -> Result<String, ApiError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthorized("this needs an API token: `Authorization: Bearer <token>`"))?;
    let value = value.to_str().map_err(|_| ApiError::unauthorized("the Authorization header is not readable"))?;
    let (scheme, token) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::unauthorized("the Authorization header must be `Bearer <token>`"));
    }
    Ok(token.trim().to_string())
}

/// A request body that is one JSON object, deserialized into `T`.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_bytes(Bytes::from_request(request, state).await)?;
        parse_json_object(&bytes).map(JsonBody)
    }
}

/// Parses a body that must be one JSON object into `T`.
pub fn parse_json_object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::invalid_parameter("body: a JSON object is required"));
    }
    let value = match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(value @ serde_json::Value::Object(_)) => value,
        Ok(_) => return Err(ApiError::invalid_parameter("body: must be a JSON object")),
        Err(error) => return Err(ApiError::invalid_parameter(format!("body: not valid JSON ({error})"))),
    };
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        ApiError::invalid_parameter(field_message(&path, &error.into_inner().to_string()))
    })
}

/// serde's complaint about the field at `path` as `field: message`, the field spelled as the
/// body spells it (`filters.kommun`).
fn field_message(path: &str, message: &str) -> String {
    let top = path == "." || path.is_empty();
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if message.starts_with("unknown field `") {
        // The path of an unknown field ends with the field.
        let known = quoted.get(1..).unwrap_or_default().join(", ");
        let field = if top { quoted[0].to_string() } else { path.to_string() };
        return format!("{field}: unknown field (known: {known})");
    }
    if message.starts_with("missing field `") {
        // The path of a missing field is the object that lacks it.
        let object = if top { String::new() } else { format!("{path}.") };
        return format!("{object}{}: required", quoted[0]);
    }
    format!("{}: {message}", if top { "body" } else { path })
}

/// The body, or the extractor's rejection in the API's error shape.
pub fn body_bytes(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        let status = rejection.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::payload_too_large(format!("body: larger than allowed ({rejection})"))
        } else {
            ApiError { status, code: crate::error::ErrorCode::InvalidParameter, message: format!("body: {rejection}") }
        }
    })
}

/// For `Option<Option<T>>` fields with `#[serde(default, deserialize_with = "present")]`:
/// `None` when the field is absent, `Some(None)` when it is `null` (a PATCH that clears it).
pub fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A string or a list of strings (`"kommun": "1493"` or `"kommun": ["1493", "1480"]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OneOrMany(pub Vec<String>);

impl utoipa::PartialSchema for OneOrMany {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::String))
            .item(ArrayBuilder::new().items(ObjectBuilder::new().schema_type(Type::String)))
            .into()
    }
}

impl utoipa::ToSchema for OneOrMany {}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OneOrMany;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a list of strings")
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![value.to_string()]))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut values = Vec::new();
                while let Some(value) = seq.next_element::<String>()? {
                    values.push(value);
                }
                Ok(OneOrMany(values))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        #[serde(default)]
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        kommun: OneOrMany,
        #[serde(default)]
        flag: Option<bool>,
    }

    fn message(body: &str) -> String {
        parse_json_object::<Outer>(body.as_bytes()).unwrap_err().message
    }

    #[test]
    fn rejections_name_the_field_by_its_path() {
        assert_eq!(message("{}"), "name: required");
        assert_eq!(message(r#"{"name": "x", "colour": 1}"#), "colour: unknown field (known: name, inner)");
        assert_eq!(
            message(r#"{"name": "x", "inner": {"kommun": "1", "c": 1}}"#),
            "inner.c: unknown field (known: kommun, flag)"
        );
        assert_eq!(message(r#"{"name": "x", "inner": {}}"#), "inner.kommun: required");
        assert!(message(r#"{"name": "x", "inner": {"kommun": 1}}"#).starts_with("inner.kommun: invalid type"));
        assert!(message(r#"{"name": "x", "inner": {"kommun": "1", "flag": 2}}"#).starts_with("inner.flag: "));
        assert!(message(r#"{"name": 5}"#).starts_with("name: invalid type"));
        assert!(message("[1]").starts_with("body: must be a JSON object"));
        assert!(message("nope").starts_with("body: not valid JSON"));
        assert!(message(" ").starts_with("body: a JSON object is required"));
    }

    #[test]
    fn one_or_many_takes_both() {
        let one: OneOrMany = serde_json::from_str("\"a\"").unwrap();
        let many: OneOrMany = serde_json::from_str("[\"a\", \"b\"]").unwrap();
        assert_eq!((one.0, many.0), (vec!["a".to_string()], vec!["a".to_string(), "b".to_string()]));
    }
}
