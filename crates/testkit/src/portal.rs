//! A mock government portal served on 127.0.0.1 for crawler tests.
//!
//! [`MockPortal::start`] serves list pages with pagination pointing at real corpus pages
//! (UTF-8, and GBK declared only in the HTTP header), a robots.txt that disallows a path,
//! a page that fails twice, a slow page, a redirect loop, an oversized page and a link to
//! another host. [`MockPortal::with_pages`] serves any set of pages, such as
//! [`gbk_site`]: GBK list pages (charset only in the header) whose "next page" link has
//! no page number in its path (`more.html?cursor=1`). Pages can be changed, removed,
//! delayed and redirected between runs; the whole portal can answer 404; every request
//! is logged.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// One served page.
#[derive(Clone, Debug)]
pub struct MockPage {
    pub content_type: String,
    pub body: Vec<u8>,
}

impl MockPage {
    /// A UTF-8 HTML page that says so in its `Content-Type`.
    pub fn html(text: &str) -> MockPage {
        MockPage {
            content_type: "text/html; charset=utf-8".into(),
            body: text.as_bytes().to_vec(),
        }
    }

    /// A GBK HTML page whose charset is only in the `Content-Type` header.
    pub fn gbk(text: &str) -> MockPage {
        MockPage {
            content_type: "text/html; charset=GBK".into(),
            body: encoding_rs::GBK.encode(text).0.into_owned(),
        }
    }
}

#[derive(Default)]
struct Inner {
    pages: BTreeMap<String, MockPage>,
    requests: Vec<String>,
    flaky_failures: u32,
    delays: BTreeMap<String, Duration>,
    redirects: BTreeMap<String, String>,
    all_gone: bool,
}

/// A running mock portal.
#[derive(Clone)]
pub struct MockPortal {
    pub addr: SocketAddr,
    inner: Arc<Mutex<Inner>>,
}

/// Paths of the documents the portal lists.
pub const DOCUMENTS: [&str; 3] = ["/art/a.html", "/art/b.html", "/art/c.html"];

/// The first list page of [`gbk_site`].
pub const GBK_START: &str = "/zcwj/more.html";

/// A small policy document page for document `i` (`version` changes its text).
pub fn document_html(i: usize, version: u32) -> String {
    format!(
        "<html><head><title>关于印发第{i}号科技工作方案的通知</title></head><body>\
         <div class=\"nav\"><a href=\"/\">首页</a></div><div class=\"content\">\
         <h1>关于印发第{i}号科技工作方案的通知</h1>\
         <p>各市科技局，各有关单位：</p>\
         <p>现将《第{i}号科技工作方案》印发给你们，请结合实际认真贯彻落实。本文件第{version}版。</p>\
         <p>一、加强组织领导，确保各项任务落实到位。</p>\
         <p>二、做好政策宣传和服务工作，及时报送工作进展。</p>\
         <p>科学技术厅</p><p>2024年3月{day}日</p></div></body></html>",
        day = i % 28 + 1
    )
}

/// A portal of `docs` documents listed `per_page` to a page, list and document pages in
/// GBK with the charset only in the HTTP header. The first list page is [`GBK_START`];
/// the next ones are `more.html?cursor=N`, reached through a `下一页` link (and `上一页`,
/// `首页` back links). Returns the pages and the paths of the documents.
pub fn gbk_site(docs: usize, per_page: usize) -> (Vec<(String, MockPage)>, Vec<String>) {
    let per_page = per_page.max(1);
    let lists = docs.div_ceil(per_page).max(1);
    let list_path = |k: usize| {
        if k == 0 {
            GBK_START.to_string()
        } else {
            format!("{GBK_START}?cursor={k}")
        }
    };
    let doc_path = |i: usize| format!("/zcwj/art/2024/{i}.html");
    let mut pages = vec![(
        "/robots.txt".to_string(),
        MockPage {
            content_type: "text/plain".into(),
            body: b"User-agent: *\nDisallow: /admin/\n".to_vec(),
        },
    )];
    for k in 0..lists {
        let mut html = String::from(
            "<html><head><title>政策文件</title></head><body><div class=\"nav\">\
             <a href=\"/\">网站首页</a></div><ul class=\"list\">",
        );
        for i in k * per_page..((k + 1) * per_page).min(docs) {
            html.push_str(&format!(
                "<li><a href=\"art/2024/{i}.html\">关于印发第{i}号科技工作方案的通知</a><span>2024-03-01</span></li>"
            ));
        }
        html.push_str("</ul><div class=\"page\">");
        if k > 0 {
            html.push_str("<a href=\"more.html\">首页</a>");
            let prev = if k == 1 {
                "more.html".to_string()
            } else {
                format!("more.html?cursor={}", k - 1)
            };
            html.push_str(&format!("<a href=\"{prev}\">上一页</a>"));
        }
        if k + 1 < lists {
            html.push_str(&format!(
                "<a href=\"more.html?cursor={}\">下一页</a>",
                k + 1
            ));
        }
        html.push_str("</div></body></html>");
        pages.push((list_path(k), MockPage::gbk(&html)));
    }
    let mut paths = Vec::new();
    for i in 0..docs {
        pages.push((doc_path(i), MockPage::gbk(&document_html(i, 1))));
        paths.push(doc_path(i));
    }
    (pages, paths)
}

impl MockPortal {
    /// Starts the portal with three real documents: `a` (UTF-8 HTML), `b` (GBK, charset
    /// only in `Content-Type`) and `c` (on the second list page).
    pub async fn start(a: &str, b: &str, c: &str) -> MockPortal {
        let mut pages = BTreeMap::new();
        pages.insert(
            "/robots.txt".into(),
            MockPage {
                content_type: "text/plain".into(),
                body: b"User-agent: *\nDisallow: /private/\n".to_vec(),
            },
        );
        pages.insert(
            "/list/index.html".into(),
            MockPage::html(r#"<html><body><ul>
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
        pages.insert("/list/index_1.html".into(), MockPage::html(r#"<html><body><a href="/art/c.html">第二页的文件</a><a href="index.html">1</a></body></html>"#));
        pages.insert("/art/a.html".into(), MockPage::html(a));
        pages.insert("/art/b.html".into(), MockPage::gbk(b));
        pages.insert("/art/c.html".into(), MockPage::html(c));
        pages.insert(
            "/private/secret.html".into(),
            MockPage::html("<p>不应被抓取</p>"),
        );
        pages.insert("/flaky.html".into(), MockPage::html("<html><body><h1>关于恢复服务的通知</h1><p>服务器两次出错后恢复正常，请各单位知悉。</p></body></html>"));
        pages.insert(
            "/big.html".into(),
            MockPage::html(&format!("<p>{}</p>", "大".repeat(150_000))),
        );
        let portal = MockPortal::with_pages(pages).await;
        portal.set_delay("/slow.html", Duration::from_secs(5));
        portal.set_redirect("/loop/1", "/loop/2");
        portal.set_redirect("/loop/2", "/loop/1");
        portal.inner.lock().expect("lock").flaky_failures = 0;
        portal
    }

    /// Starts a portal serving exactly `pages` (keyed by path and query). Only
    /// `/flaky.html` has a behaviour of its own: it fails twice with a 500.
    pub async fn with_pages(pages: impl IntoIterator<Item = (String, MockPage)>) -> MockPortal {
        let inner = Arc::new(Mutex::new(Inner {
            pages: pages.into_iter().collect(),
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

    /// Every request so far, as path and query (with a leading `IMS ` for conditional
    /// ones).
    pub fn requests(&self) -> Vec<String> {
        self.inner.lock().expect("lock").requests.clone()
    }

    pub fn clear_requests(&self) {
        self.inner.lock().expect("lock").requests.clear();
    }

    pub fn set_page(&self, path: &str, html: &str) {
        self.set_raw(path, MockPage::html(html));
    }

    pub fn set_raw(&self, path: &str, page: MockPage) {
        self.inner
            .lock()
            .expect("lock")
            .pages
            .insert(path.into(), page);
    }

    pub fn remove_page(&self, path: &str) {
        self.inner.lock().expect("lock").pages.remove(path);
    }

    /// Answers `path` only after `delay`.
    pub fn set_delay(&self, path: &str, delay: Duration) {
        self.inner
            .lock()
            .expect("lock")
            .delays
            .insert(path.into(), delay);
    }

    /// Answers `from` with a 302 to `to`.
    pub fn set_redirect(&self, from: &str, to: &str) {
        self.inner
            .lock()
            .expect("lock")
            .redirects
            .insert(from.into(), to.into());
    }

    /// While set, every request (robots.txt included) answers 404.
    pub fn set_all_gone(&self, gone: bool) {
        self.inner.lock().expect("lock").all_gone = gone;
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
    let path = request
        .uri()
        .path_and_query()
        .map_or_else(|| request.uri().path().to_string(), |p| p.to_string());
    let conditional = headers.contains_key(header::IF_NONE_MATCH);
    let (delay, redirect, all_gone) = {
        let mut guard = inner.lock().expect("lock");
        guard.requests.push(if conditional {
            format!("IMS {path}")
        } else {
            path.clone()
        });
        (
            guard.delays.get(&path).copied(),
            guard.redirects.get(&path).cloned(),
            guard.all_gone,
        )
    };
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    if all_gone {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    if let Some(to) = redirect {
        return (StatusCode::FOUND, [(header::LOCATION, to)]).into_response();
    }
    if path == "/flaky.html" {
        let mut guard = inner.lock().expect("lock");
        if guard.flaky_failures < 2 {
            guard.flaky_failures += 1;
            return (StatusCode::INTERNAL_SERVER_ERROR, "temporarily broken").into_response();
        }
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
