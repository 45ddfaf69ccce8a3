//! The one error shape of the API: `{"message", "code"}` (plus `param` when one
//! parameter is at fault) with a status decided here. Codes are stable and documented in
//! the README; messages are Chinese, for people.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use zhengce_index::IndexError;

/// An error answered to a client.
#[derive(Debug)]
pub enum ApiError {
    /// The query string does not parse (`bad_query`).
    BadQuery(String),
    /// One parameter is malformed or out of range: code `invalid_{param}`, or
    /// `unknown_parameter` / `missing_{param}` as the constructors say.
    Param {
        param: String,
        code: String,
        message: String,
    },
    /// A request the index refused for a reason not tied to one parameter.
    BadRequest(String),
    /// No such document (`not_found`).
    NotFound(String),
    /// No such route (`no_route`).
    NoRoute,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    param: Option<&'a str>,
}

impl ApiError {
    /// `param` has a value that cannot be used (`invalid_{param}`).
    pub fn invalid(param: &str, message: impl Into<String>) -> ApiError {
        ApiError::Param {
            param: param.to_string(),
            code: format!("invalid_{param}"),
            message: message.into(),
        }
    }

    /// `param` is not one this endpoint knows (`unknown_parameter`).
    pub fn unknown(param: &str, known: &[&str]) -> ApiError {
        ApiError::Param {
            param: param.to_string(),
            code: "unknown_parameter".into(),
            message: format!("未知参数“{param}”；可用的参数：{}", known.join("、")),
        }
    }

    /// `param` is required (`missing_{param}`).
    pub fn missing(param: &str, message: impl Into<String>) -> ApiError {
        ApiError::Param {
            param: param.to_string(),
            code: format!("missing_{param}"),
            message: message.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadQuery(_) | ApiError::Param { .. } | ApiError::BadRequest(_) => {
                StatusCode::BAD_REQUEST
            }
            ApiError::NotFound(_) | ApiError::NoRoute => StatusCode::NOT_FOUND,
            ApiError::Timeout | ApiError::Overloaded => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &str {
        match self {
            ApiError::BadQuery(_) => "bad_query",
            ApiError::Param { code, .. } => code,
            ApiError::BadRequest(_) => "bad_request",
            ApiError::NotFound(_) => "not_found",
            ApiError::NoRoute => "no_route",
            ApiError::Timeout => "timeout",
            ApiError::Overloaded => "overloaded",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The parameter at fault, if one is.
    pub fn param(&self) -> Option<&str> {
        match self {
            ApiError::Param { param, .. } => Some(param),
            _ => None,
        }
    }

    /// What the client may read, in Chinese.
    pub fn message(&self) -> String {
        match self {
            ApiError::BadQuery(m) => format!("检索式有误：{m}"),
            ApiError::Param { message, .. }
            | ApiError::BadRequest(message)
            | ApiError::NotFound(message) => message.clone(),
            ApiError::NoRoute => "没有这个地址".into(),
            ApiError::Timeout => "请求超时，请缩小检索范围后重试".into(),
            ApiError::Overloaded => "服务繁忙，请稍后再试".into(),
            ApiError::Internal(_) => "服务内部错误".into(),
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

impl From<zhengce_index::Invalid> for ApiError {
    fn from(e: zhengce_index::Invalid) -> ApiError {
        ApiError::invalid(e.param, e.message)
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
            param: self.param(),
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
