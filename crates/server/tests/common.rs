//! An app over an in-memory index holding the seed and a few crafted documents.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use zhengce_index::PolicyIndex;
use zhengce_model::PolicyDoc;
use zhengce_parse::{PageInput, parse_page};
use zhengce_server::AppState;

pub fn seed_doc() -> PolicyDoc {
    let bytes = std::fs::read(zhengce_testkit::seed_path()).unwrap();
    let mut doc = parse_page(&bytes, &PageInput::default()).unwrap();
    zhengce_enrich::enrich(&mut doc);
    doc
}

pub fn docs() -> Vec<PolicyDoc> {
    let mut jx = PolicyDoc {
        id: "http://www.jiangxi.gov.cn/art/2021/6/1/art_1.html".into(),
        url: Some("http://www.jiangxi.gov.cn/art/2021/6/1/art_1.html".into()),
        title: Some("关于支持专精特新企业发展的若干措施".into()),
        issuer: Some("江西省人民政府办公厅".into()),
        publish_date: Some("2021-06-01".into()),
        body: "一、对新认定的专精特新企业给予奖励。\n二、支持科技型中小企业开展研发，落实加计扣除政策。\n<script>alert(1)</script>".into(),
        ..Default::default()
    };
    jx.provisions = zhengce_parse::extract_provisions(&jx.body);
    zhengce_enrich::enrich(&mut jx);
    vec![seed_doc(), jx]
}

pub fn state() -> AppState {
    let index = PolicyIndex::create_in_ram().unwrap();
    let mut writer = index.writer().unwrap();
    for doc in docs() {
        writer
            .upsert(&doc, &zhengce_benefits::derive(&doc))
            .unwrap();
    }
    writer.commit().unwrap();
    AppState::new(index)
}

pub fn app() -> Router {
    zhengce_server::app(state())
}

/// GETs `uri`; returns status, content type and body.
pub async fn get(app: &Router, uri: &str) -> (StatusCode, String, String) {
    let response = app
        .clone()
        .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        content_type,
        String::from_utf8(body.to_vec()).unwrap(),
    )
}

pub async fn get_json(app: &Router, uri: &str) -> (StatusCode, serde_json::Value) {
    let (status, content_type, body) = get(app, uri).await;
    assert!(
        content_type.starts_with("application/json"),
        "{uri}: {content_type} {body}"
    );
    (status, serde_json::from_str(&body).unwrap())
}

/// Percent-encodes a query value.
pub fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// GETs `uri` with `accept` as a browser or a client would send it; returns status,
/// headers and body.
pub async fn get_accepting(
    app: &Router,
    uri: &str,
    accept: &str,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app
        .clone()
        .oneshot(
            Request::builder()
                .uri(uri)
                .header("accept", accept)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

/// An app whose index holds one small document for each year from 2010 to 2025, so
/// that no year facet can hide one.
pub fn app_with_years() -> Router {
    zhengce_server::app(state_with_years())
}

/// The state behind [`app_with_years`].
pub fn state_with_years() -> AppState {
    let index = PolicyIndex::create_in_ram().unwrap();
    let mut writer = index.writer().unwrap();
    for year in 2010..=2025 {
        let mut doc = PolicyDoc {
            id: format!("https://example.gov.cn/{year}.html"),
            title: Some(format!("{year}年度科技创新奖励办法")),
            issuer: Some("辽宁省科学技术厅".into()),
            publish_date: Some(format!("{year}-03-01")),
            body: "一、对认定的高新技术企业给予奖励。".into(),
            ..Default::default()
        };
        doc.provisions = zhengce_parse::extract_provisions(&doc.body);
        zhengce_enrich::enrich(&mut doc);
        writer
            .upsert(&doc, &zhengce_benefits::derive(&doc))
            .unwrap();
    }
    writer.commit().unwrap();
    AppState::new(index)
}

/// An app whose index holds `docs`, each with the facts derived from it.
pub fn app_of(docs: &[PolicyDoc]) -> Router {
    let index = PolicyIndex::create_in_ram().unwrap();
    let mut writer = index.writer().unwrap();
    for doc in docs {
        writer.upsert(doc, &zhengce_benefits::derive(doc)).unwrap();
    }
    writer.commit().unwrap();
    zhengce_server::app(AppState::new(index))
}

/// A document with `body` parsed into provisions and enriched, as ingest makes it.
pub fn doc_of(id: &str, title: &str, issuer: &str, date: &str, body: &str) -> PolicyDoc {
    let mut doc = PolicyDoc {
        id: id.into(),
        title: Some(title.into()),
        issuer: Some(issuer.into()),
        publish_date: Some(date.into()),
        body: body.into(),
        ..Default::default()
    };
    doc.provisions = zhengce_parse::extract_provisions(&doc.body);
    zhengce_enrich::enrich(&mut doc);
    doc
}
