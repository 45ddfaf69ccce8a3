//! A mock government portal served on 127.0.0.1 for crawler tests: list pages with
//! pagination pointing at real corpus pages (UTF-8, and GBK declared only in the HTTP
//! header), a robots.txt that disallows a path, a page that fails twice, a slow page, a
//! redirect loop, an oversized page and a link to another host. Pages can be changed and
//! removed between runs; every request is logged.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// One served page.
#[derive(Clone)]
pub struct MockPage {
    pub content_type: String,
    pub body: Vec<u8>,
}

#[derive(Default)]
struct Inner {
    pages: BTreeMap<String, MockPage>,
    requests: Vec<String>,
    flaky_failures: u32,
}

/// A running mock portal.
#[derive(Clone)]
pub struct MockPortal {
    pub addr: SocketAddr,
    inner: Arc<Mutex<Inner>>,
}

/// Paths of the documents the portal lists.
pub const DOCUMENTS: [&str; 3] = ["/art/a.html", "/art/b.html", "/art/c.html"];

impl MockPortal {
    /// Starts the portal with three real documents: `a` (UTF-8 HTML), `b` (GBK, charset
    /// only in `Content-Type`) and `c` (on the second list page).
    pub async fn start(a: &str, b: &str, c: &str) -> MockPortal {
        let mut pages = BTreeMap::new();
        let html = |s: &str| MockPage {
            content_type: "text/html; charset=utf-8".into(),
            body: s.as_bytes().to_vec(),
        };
        pages.insert(
            "/robots.txt".into(),
            MockPage {
                content_type: "text/plain".into(),
                body: b"User-agent: *\nDisallow: /private/\n".to_vec(),
            },
        );
        pages.insert(
            "/list/index.html".into(),
            html(r#"<html><body><ul>
                <li><a href="/art/a.html">关于印发工作要点的通知</a></li>
                <li><a href="/art/b.html">关于支持企业发展的意见</a></li>
                <li><a href="/private/secret.html">内部文件</a></li>
                <li><a href="/flaky.html">不稳定页面</a></li>
                <li><a href="/slow.html">缓慢页面</a></li>
                <li><a href="/loop/1">循环跳转</a></li>
                <li><a href="/big.html">超大页面</a></li>
                <li><a href="http://other.example/doc.html">外站链接</a></li>
                </ul><div class="pages"><a href="index_1.html">2</a><a href="index_1.html">下一页</a></div></body></html>"#),
        );
        pages.insert("/list/index_1.html".into(), html(r#"<html><body><a href="/art/c.html">第二页的文件</a><a href="index.html">1</a></body></html>"#));
        pages.insert("/art/a.html".into(), html(a));
        let gbk = encoding_rs::GBK.encode(b).0.into_owned();
        pages.insert(
            "/art/b.html".into(),
            MockPage {
                content_type: "text/html; charset=GBK".into(),
                body: gbk,
            },
        );
        pages.insert("/art/c.html".into(), html(c));
        pages.insert("/private/secret.html".into(), html("<p>不应被抓取</p>"));
        pages.insert("/flaky.html".into(), html("<html><body><h1>关于恢复服务的通知</h1><p>服务器两次出错后恢复正常，请各单位知悉。</p></body></html>"));
        pages.insert(
            "/big.html".into(),
            html(&format!("<p>{}</p>", "大".repeat(150_000))),
        );
        let inner = Arc::new(Mutex::new(Inner {
            pages,
            ..Inner::default()
        }));
        let app = Router::new().fallback(serve).with_state(Arc::clone(&inner));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        MockPortal { addr, inner }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Every request so far, as `path` (with a leading `IMS ` for conditional ones).
    pub fn requests(&self) -> Vec<String> {
        self.inner.lock().expect("lock").requests.clone()
    }

    pub fn clear_requests(&self) {
        self.inner.lock().expect("lock").requests.clear();
    }

    pub fn set_page(&self, path: &str, html: &str) {
        self.inner.lock().expect("lock").pages.insert(
            path.into(),
            MockPage {
                content_type: "text/html; charset=utf-8".into(),
                body: html.as_bytes().to_vec(),
            },
        );
    }

    pub fn remove_page(&self, path: &str) {
        self.inner.lock().expect("lock").pages.remove(path);
    }
}

fn etag(body: &[u8]) -> String {
    // FNV-1a: stable, enough to tell versions apart.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in body {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("\"{h:016x}\"")
}

async fn serve(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let path = request.uri().path().to_string();
    let conditional = headers.contains_key(header::IF_NONE_MATCH);
    inner.lock().expect("lock").requests.push(if conditional {
        format!("IMS {path}")
    } else {
        path.clone()
    });
    match path.as_str() {
        "/slow.html" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            return "<p>太慢了</p>".into_response();
        }
        "/loop/1" => return (StatusCode::FOUND, [(header::LOCATION, "/loop/2")]).into_response(),
        "/loop/2" => return (StatusCode::FOUND, [(header::LOCATION, "/loop/1")]).into_response(),
        "/flaky.html" => {
            let mut guard = inner.lock().expect("lock");
            if guard.flaky_failures < 2 {
                guard.flaky_failures += 1;
                return (StatusCode::INTERNAL_SERVER_ERROR, "temporarily broken").into_response();
            }
        }
        _ => {}
    }
    let page = inner.lock().expect("lock").pages.get(&path).cloned();
    let Some(page) = page else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let tag = etag(&page.body);
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(tag.as_str())
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mut response = page.body.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&page.content_type).expect("valid header"),
    );
    h.insert(
        header::ETAG,
        HeaderValue::from_str(&tag).expect("valid header"),
    );
    response
}
