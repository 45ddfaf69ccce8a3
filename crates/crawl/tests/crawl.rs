//! The crawler against a mock portal on 127.0.0.1 serving real corpus pages.

use std::time::Duration;

use zhengce_crawl::{CrawlOptions, Outcome, PageKind, PageStore, SiteConfig, crawl};
use zhengce_testkit::MockPortal;

/// The pages a crawl of the mock portal fetches and stores: two list pages, four documents.
const STORED: [&str; 6] = [
    "/list/index.html",
    "/list/index_1.html",
    "/art/a.html",
    "/art/b.html",
    "/art/c.html",
    "/flaky.html",
];

fn options() -> CrawlOptions {
    CrawlOptions {
        rate: 200.0,
        concurrency: 4,
        timeout: Duration::from_millis(800),
        connect_timeout: Duration::from_millis(800),
        retries: 2,
        backoff: Duration::from_millis(10),
        max_bytes: 300_000,
        allowed_private: vec!["127.0.0.1".into()],
        ..CrawlOptions::default()
    }
}

/// A page from the shared corpus, without its own charset declaration.
fn corpus_page(path: &str) -> Option<String> {
    let text = std::fs::read_to_string(zhengce_testkit::corpus_dir()?.join(path)).unwrap();
    Some(without_charset_meta(&text))
}

fn without_charset_meta(html: &str) -> String {
    // Drop `<meta … charset …>` tags: the GBK copy declares its charset only in HTTP.
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<meta") {
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        let tag = &rest[start..end];
        out.push_str(&rest[..start]);
        if !tag.to_ascii_lowercase().contains("charset") {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

pub async fn portal() -> Option<MockPortal> {
    let a = corpus_page("html/jiangxi_gov/art_4969_1499515.html")?;
    let b = corpus_page("html/jiangxi_gov/art_14075_1574386.html")?;
    let c = corpus_page("html/govcn_zhengce2018_frag/content_5338761.html")?;
    Some(MockPortal::start(&a, &b, &c).await)
}

fn outcome_of<'a>(report: &'a zhengce_crawl::CrawlReport, url: &str) -> &'a Outcome {
    &report
        .pages
        .iter()
        .find(|p| p.url == url)
        .unwrap_or_else(|| panic!("{url} not in report"))
        .outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crawls_politely_and_records_every_refusal() {
    let Some(portal) = portal().await else { return };
    let dir = std::env::temp_dir().join(format!("zhengce-crawl-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = PageStore::open(&dir).unwrap();
    let site = SiteConfig::from_urls(&[portal.url("/list/index.html")], &[]);
    let report = crawl(std::slice::from_ref(&site), &store, &options(), &|_| {})
        .await
        .unwrap();

    for path in STORED {
        assert_eq!(
            outcome_of(&report, &portal.url(path)),
            &Outcome::New,
            "{path}"
        );
    }
    let kinds: Vec<(String, PageKind)> = report
        .pages
        .iter()
        .map(|p| (p.url.clone(), p.kind))
        .collect();
    assert!(kinds.contains(&(portal.url("/list/index_1.html"), PageKind::List)));
    assert!(kinds.contains(&(portal.url("/art/c.html"), PageKind::Detail)));
    let reason = |path: &str| match outcome_of(&report, &portal.url(path)) {
        Outcome::Refused { reason } | Outcome::Failed { reason } => reason.clone(),
        other => panic!("{path}: {other:?}"),
    };
    assert!(reason("/private/secret.html").contains("robots.txt"));
    assert!(
        reason("/slow.html").contains("timed out"),
        "{}",
        reason("/slow.html")
    );
    assert!(
        reason("/loop/1").contains("redirects"),
        "{}",
        reason("/loop/1")
    );
    assert!(
        reason("/big.html").contains("larger than"),
        "{}",
        reason("/big.html")
    );
    assert!(
        matches!(outcome_of(&report, "http://other.example/doc.html"), Outcome::Refused { reason } if reason.contains("not allowed"))
    );
    assert!(matches!(
        outcome_of(&report, &portal.url("/slow.html")),
        Outcome::Failed { .. }
    ));
    assert_eq!(report.pages.len(), 11, "{:#?}", report.pages);

    let requests = portal.requests();
    assert!(
        !requests.iter().any(|r| r.contains("/private/")),
        "{requests:?}"
    );
    assert_eq!(
        requests.iter().filter(|r| *r == "/flaky.html").count(),
        3,
        "two 500s, then the page"
    );
    assert_eq!(requests.iter().filter(|r| *r == "/robots.txt").count(), 1);
    assert!(!requests.iter().any(|r| r.contains("other.example")));

    // Stored: bytes, final URL, status, headers, hash, and the HTTP charset for the parser.
    let b = store.get(&portal.url("/art/b.html")).unwrap().unwrap();
    assert_eq!(b.charset.as_deref(), Some("GBK"));
    assert_eq!(b.status, 200);
    assert!(b.etag.is_some());
    let body = store.body(&portal.url("/art/b.html")).unwrap();
    assert_eq!(b.content_hash, zhengce_crawl::content_hash(&body));
    assert!(
        std::str::from_utf8(&body).is_err(),
        "stored as served: GBK bytes"
    );
    let stored: Vec<String> = store.all().unwrap().into_iter().map(|p| p.url).collect();
    assert_eq!(stored.len(), 6, "{stored:?}");

    // A second crawl of the unchanged site: every stored page answers 304.
    portal.clear_requests();
    let again = crawl(&[site], &store, &options(), &|_| {}).await.unwrap();
    for path in STORED {
        assert_eq!(
            outcome_of(&again, &portal.url(path)),
            &Outcome::NotModified,
            "{path}"
        );
    }
    assert!(
        portal
            .requests()
            .iter()
            .filter(|r| r.contains("/art/"))
            .all(|r| r.starts_with("IMS "))
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_limit_and_rate_are_kept() {
    let Some(portal) = portal().await else { return };
    let dir = std::env::temp_dir().join(format!("zhengce-crawl-limit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = PageStore::open(&dir).unwrap();
    let mut site = SiteConfig::from_urls(&[portal.url("/list/index.html")], &[]);
    site.rate = Some(10.0);
    let opts = CrawlOptions {
        max_pages: 4,
        ..options()
    };
    let started = std::time::Instant::now();
    let report = crawl(&[site], &store, &opts, &|_| {}).await.unwrap();
    let fetched = report
        .pages
        .iter()
        .filter(|p| !p.url.contains("other.example"))
        .count();
    assert_eq!(fetched, 4, "{:#?}", report.pages);
    // robots.txt + 4 pages at 10 requests/s: at least 0.4 s.
    assert!(
        started.elapsed() >= Duration::from_millis(390),
        "{:?}",
        started.elapsed()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
