//! The one error shape of the API: `{"message", "code"}` with a status decided here.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use zhengce_index::IndexError;

/// An error answered to a client.
#[derive(Debug)]
pub enum ApiError {
    /// The query string does not parse.
    BadQuery(String),
    /// A parameter is missing, malformed, unknown or out of range.
    BadRequest(String),
    NotFound(String),
    /// The request took longer than the server allows.
    Timeout,
    /// Too many searches are waiting: try again shortly (`Retry-After`).
    Overloaded,
    /// Anything else: logged, never detailed to the client.
    Internal(String),
}

#[derive(Serialize)]
struct Body<'a> {
    message: &'a str,
    code: &'a str,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadQuery(_) | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Timeout | ApiError::Overloaded => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadQuery(_) => "bad_query",
            ApiError::BadRequest(_) => "bad_request",
            ApiError::NotFound(_) => "not_found",
            ApiError::Timeout => "timeout",
            ApiError::Overloaded => "overloaded",
            ApiError::Internal(_) => "internal",
        }
    }

    /// What the client may read.
    pub fn message(&self) -> String {
        match self {
            ApiError::BadQuery(m) | ApiError::BadRequest(m) | ApiError::NotFound(m) => m.clone(),
            ApiError::Timeout => "the request took too long".into(),
            ApiError::Overloaded => "the server is busy, try again shortly".into(),
            ApiError::Internal(_) => "internal error".into(),
        }
    }
}

impl From<IndexError> for ApiError {
    fn from(e: IndexError) -> ApiError {
        match e {
            IndexError::BadQuery(m) => ApiError::BadQuery(m),
            IndexError::BadRequest(m) => ApiError::BadRequest(m),
            IndexError::Cancelled => ApiError::Timeout,
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let message = self.message();
        let body = Body {
            message: &message,
            code: self.code(),
        };
        let mut response = (self.status(), Json(body)).into_response();
        if matches!(self, ApiError::Overloaded) {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("1"),
            );
        }
        response
    }
}
