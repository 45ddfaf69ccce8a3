//! The page's static files: CSS, JS and the icon, compiled in, served with cache headers.
//!
//! Pages link them as `/static/{name}?v={hash}`: the hash of the contents changes when
//! they do, so a browser may keep them a year.

use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::ApiError;

const STYLE: &str = include_str!("../static/style.css");
const SCRIPT: &str = include_str!("../static/app.js");
const ICON: &str = include_str!("../static/favicon.svg");

/// (name, content type, contents).
const FILES: [(&str, &str, &str); 3] = [
    ("style.css", "text/css; charset=utf-8", STYLE),
    ("app.js", "text/javascript; charset=utf-8", SCRIPT),
    ("favicon.svg", "image/svg+xml", ICON),
];

/// A short hash of every static file, for the `?v=` of their links.
pub static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (_, _, contents) in FILES {
        contents.hash(&mut h);
    }
    format!("{:08x}", h.finish() as u32)
});

fn file(content_type: &'static str, contents: &'static str, max_age: u32) -> Response {
    let mut response = (StatusCode::OK, contents).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("public, max-age={max_age}")) {
        headers.insert(header::CACHE_CONTROL, v);
    }
    response
}

/// `/static/{file}`.
pub async fn serve(
    name: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    // A name that is not even UTF-8 is no file of ours: the same 404, in the API's shape.
    let Ok(Path(name)) = name else {
        return ApiError::NoRoute.into_response();
    };
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, contents)) => file(content_type, contents, 31_536_000),
        None => ApiError::NoRoute.into_response(),
    }
}

/// `/favicon.ico`, which browsers ask for on their own: the SVG icon.
pub async fn favicon() -> Response {
    file("image/svg+xml", ICON, 86_400)
}
