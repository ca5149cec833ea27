//! The one error shape of the API.
//!
//! | code | status | when |
//! |---|---|---|
//! | `invalid_parameter` | 400 | a query parameter or body field is malformed, unknown, missing or out of range (the message names it) |
//! | `unauthorized` | 401 | no API token, or not a valid one (`Authorization: Bearer <token>`) |
//! | `forbidden` | 403 | the token is valid but the account may not do this (e.g. ingest) |
//! | `not_found` | 404 | no such document, route or saved search (another account's search is not found either) |
//! | `conflict` | 409 | the request clashes with what exists (e.g. too many saved searches) |
//! | `payload_too_large` | 413 | the body is larger than the endpoint accepts |
//! | `rate_limited` | 429 | too many requests from this client; `Retry-After` says when to come back |
//! | `internal` | 500 | anything else (details are logged, not returned) |
//! | `unavailable` | 503 | the feature is not enabled on this server (saved searches without an alert database, e-mail without a relay), or the request took longer than the server allows |

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// The stable error codes (the table above), as the JSON and the OpenAPI document spell them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidParameter,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PayloadTooLarge,
    /// Too many requests from one client: wait `Retry-After` seconds.
    RateLimited,
    Internal,
    Unavailable,
}

impl ErrorCode {
    /// The status a code is answered with.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::InvalidParameter => StatusCode::BAD_REQUEST,
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::Conflict => StatusCode::CONFLICT,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    /// An error with its code's status.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError { status: code.status(), code, message: message.into() }
    }

    pub fn invalid_parameter(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::InvalidParameter, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Unauthorized, message)
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Forbidden, message)
    }

    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Conflict, message)
    }

    pub fn payload_too_large(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::PayloadTooLarge, message)
    }

    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Unavailable, message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::NotFound, message)
    }

    /// Logs the cause and answers with a generic message.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "internal error");
        ApiError::new(ErrorCode::Internal, "internal error")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response =
            (self.status, Json(json!({"error": {"code": self.code, "message": self.message}}))).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        }
        response
    }
}
