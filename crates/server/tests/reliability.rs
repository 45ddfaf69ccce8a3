//! Issue 15: health that means something, readiness apart from liveness, the index's
//! segments in `/metrics`, and a read-only index served.

use axum::http::StatusCode;
use zhengce_index::PolicyIndex;
use zhengce_server::AppState;

use crate::common::{docs, enc, get, get_json};

/// An on-disk index of the test documents, opened read-only as `serve` opens it.
fn on_disk(name: &str) -> (std::path::PathBuf, PolicyIndex) {
    let dir = std::env::temp_dir().join(format!("zhengce-server-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let index = PolicyIndex::open_or_create(&dir).unwrap();
    let mut writer = index.writer().unwrap();
    for doc in docs() {
        writer
            .upsert(&doc, &zhengce_benefits::derive(&doc))
            .unwrap();
    }
    writer.finish().unwrap();
    (dir.clone(), PolicyIndex::open_read_only(&dir).unwrap())
}

/// Overwrites, in place, every 64th byte of every file of `dir` ending in `ext`.
fn scribble(dir: &std::path::Path, ext: &str) {
    use std::io::{Seek, SeekFrom, Write};
    for path in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()) {
        if path.extension().is_none_or(|e| e != ext) {
            continue;
        }
        let len = std::fs::metadata(&path).unwrap().len();
        let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        for at in (0..len).step_by(64) {
            file.seek(SeekFrom::Start(at)).unwrap();
            file.write_all(&[0xff]).unwrap();
        }
    }
}

#[tokio::test]
async fn a_read_only_index_is_served_with_its_segments_in_the_metrics() {
    let (dir, index) = on_disk("read-only");
    let app = zhengce_server::app(AppState::new(index));
    let (status, body) = get_json(&app, &format!("/api/search?q={}", enc("专精特新"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["total"], 1);
    let (status, body) = get_json(&app, "/healthz").await;
    assert_eq!((status, &body["status"]), (StatusCode::OK, &"ok".into()));
    let (status, body) = get_json(&app, "/readyz").await;
    assert_eq!((status, &body["status"]), (StatusCode::OK, &"ready".into()));
    let (_, _, text) = get(&app, "/metrics").await;
    let gauge = |name: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} missing: {text}"))
            .parse()
            .unwrap()
    };
    assert!(gauge("zhengce_index_segments") >= 1);
    assert!(gauge("zhengce_index_entries") > 2);
    assert_eq!(gauge("zhengce_index_deleted_entries"), 0);
    assert!(gauge("zhengce_index_bytes") > 1000);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 15: an index damaged under a running server makes `/healthz` say so (503,
/// the error shape) instead of "ok" while every search fails.
#[tokio::test]
async fn regression_issue_15_a_damaged_index_is_unhealthy() {
    for ext in ["fast", "term", "idx"] {
        let (dir, index) = on_disk(&format!("damaged-{ext}"));
        let mut state = AppState::new(index);
        // Checksums on every probe (the default is every ten minutes).
        state.integrity_every = std::time::Duration::ZERO;
        let app = zhengce_server::app(state);
        assert_eq!(get_json(&app, "/healthz").await.0, StatusCode::OK);
        scribble(&dir, ext);
        let (status, body) = get_json(&app, "/healthz").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{ext}: {body}");
        assert_eq!(body["code"], "unhealthy", "{ext}");
        assert!(body["message"].is_string());
        // The server itself keeps answering.
        assert_eq!(get_json(&app, "/readyz").await.0, StatusCode::OK);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// Issue 15: every 4xx is the one error shape, the framework's own rejections included.
#[tokio::test]
async fn regression_issue_15_framework_rejections_are_in_the_error_shape() {
    let app = crate::common::app();
    for (uri, status, code) in [
        ("/static/%FF", StatusCode::NOT_FOUND, "no_route"),
        ("/api/docs/%FF", StatusCode::BAD_REQUEST, "invalid_id"),
        (
            "/api/docs/%ED%A0%80/similar",
            StatusCode::BAD_REQUEST,
            "invalid_id",
        ),
        ("/api/no/such/route", StatusCode::NOT_FOUND, "no_route"),
    ] {
        let (got, body) = get_json(&app, uri).await;
        assert_eq!(got, status, "{uri}: {body}");
        assert_eq!(body["code"], code, "{uri}: {body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{uri}"
        );
    }
}
