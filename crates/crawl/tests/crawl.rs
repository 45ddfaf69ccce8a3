//! The crawler against a mock portal on 127.0.0.1 serving real corpus pages.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zhengce_crawl::{
    CrawlOptions, CrawlReport, Name, Outcome, PageKind, PageStore, PublicOnly, Resolve, Resolver,
    Resolving, Revisit, SiteConfig, crawl,
};
use zhengce_testkit::{GBK_START, MockPage, MockPortal, gbk_site};

/// The pages a crawl of the mock portal fetches and stores: two list pages, four documents.
const STORED: [&str; 6] = [
    "/list/index.html",
    "/list/index_1.html",
    "/art/a.html",
    "/art/b.html",
    "/art/c.html",
    "/flaky.html",
];

const DAY: u64 = 24 * 3600;

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn temp_store(name: &str) -> (tempdir::Dir, PageStore) {
    let dir = tempdir::Dir::new(name);
    let store = PageStore::open(&dir.0).unwrap();
    (dir, store)
}

mod tempdir {
    /// A directory removed on drop, so a failing test cleans up too.
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new(name: &str) -> Dir {
            let dir =
                std::env::temp_dir().join(format!("zhengce-crawl-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            Dir(dir)
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

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
    assert_eq!(
        requests.iter().filter(|r| *r == "/slow.html").count(),
        2,
        "a timeout is retried once, not three times"
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

    // A second crawl of the unchanged site revisiting every document: every stored page
    // answers 304.
    portal.clear_requests();
    let later = CrawlOptions {
        revisit: Revisit {
            all: true,
            ..Revisit::default()
        },
        ..options()
    };
    let again = crawl(&[site], &store, &later, &|_| {}).await.unwrap();
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
    assert!(report.sites[0].left_at_limit > 0);
    let problems = report.problems(4);
    assert!(
        problems.iter().any(|p| p.contains("page limit of 4")),
        "{problems:?}"
    );
    // robots.txt + 4 pages at 10 requests/s: at least 0.4 s.
    assert!(
        started.elapsed() >= Duration::from_millis(390),
        "{:?}",
        started.elapsed()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn paths_of(report: &CrawlReport, portal: &MockPortal, kind: PageKind) -> Vec<String> {
    let prefix = portal.url("");
    let mut paths: Vec<String> = report
        .pages
        .iter()
        .filter(|p| p.kind == kind)
        .filter_map(|p| p.url.strip_prefix(&prefix).map(str::to_string))
        .collect();
    paths.sort();
    paths
}

/// Issue 13: GBK list pages with the charset only in the HTTP header, and a 下一页 link
/// whose URL carries no page number (`more.html?cursor=1`): every document is found and
/// no list page is taken for a document.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_13_gbk_list_pages_with_a_cursor_next_link() {
    let (pages, docs) = gbk_site(24, 5);
    let portal = MockPortal::with_pages(pages).await;
    let (_dir, store) = temp_store("gbk");
    let site = SiteConfig::from_urls(&[portal.url(GBK_START)], &[]);
    let report = crawl(&[site], &store, &options(), &|_| {}).await.unwrap();

    let mut expected = docs.clone();
    expected.sort();
    assert_eq!(paths_of(&report, &portal, PageKind::Detail), expected);
    let lists = paths_of(&report, &portal, PageKind::List);
    assert_eq!(
        lists,
        [
            "/zcwj/more.html",
            "/zcwj/more.html?cursor=1",
            "/zcwj/more.html?cursor=2",
            "/zcwj/more.html?cursor=3",
            "/zcwj/more.html?cursor=4"
        ]
    );
    assert!(report.pages.iter().all(|p| p.outcome == Outcome::New));
    assert!(
        report.problems(100).is_empty(),
        "{:?}",
        report.problems(100)
    );
    assert_eq!(report.sites[0].list_pages, 5);
    assert_eq!(report.sites[0].detail_pages, 24);
    // The list pages are stored as lists, as served (GBK).
    let second = store
        .get(&portal.url("/zcwj/more.html?cursor=1"))
        .unwrap()
        .unwrap();
    assert_eq!(second.kind, PageKind::List);
    assert_eq!(second.charset.as_deref(), Some("GBK"));
}

/// A redirect into a path robots.txt disallows is refused before the hop is requested.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_txt_is_checked_on_every_redirect_hop() {
    let (mut pages, _) = gbk_site(2, 5);
    pages.push((
        "/zcwj/art/2024/0.html".into(),
        MockPage::html("<p>moved</p>"),
    ));
    pages.push((
        "/admin/secret.html".into(),
        MockPage::html("<p>不应被抓取</p>"),
    ));
    let portal = MockPortal::with_pages(pages).await;
    portal.set_redirect("/zcwj/art/2024/0.html", "/admin/secret.html");
    let (_dir, store) = temp_store("robots-hop");
    let site = SiteConfig::from_urls(&[portal.url(GBK_START)], &[]);
    let report = crawl(&[site], &store, &options(), &|_| {}).await.unwrap();
    let page = report
        .pages
        .iter()
        .find(|p| p.url == portal.url("/zcwj/art/2024/0.html"))
        .unwrap();
    assert!(
        matches!(&page.outcome, Outcome::Refused { reason } if reason.contains("redirect to") && reason.contains("robots.txt")),
        "{page:?}"
    );
    let requests = portal.requests();
    assert!(requests.contains(&"/zcwj/art/2024/0.html".to_string()));
    assert!(
        !requests.iter().any(|r| r.contains("/admin/")),
        "{requests:?}"
    );
}

/// One host whose robots.txt takes 1.5 s does not hold up another host's pages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_host_does_not_delay_another() {
    let (pages, _) = gbk_site(3, 5);
    let slow = MockPortal::with_pages(pages.clone()).await;
    slow.set_delay("/robots.txt", Duration::from_millis(1500));
    let fast = MockPortal::with_pages(pages).await;
    let mut slow_site = SiteConfig::from_urls(&[slow.url(GBK_START)], &[]);
    slow_site.name = "slow".into();
    let mut fast_site = SiteConfig::from_urls(&[fast.url(GBK_START)], &[]);
    fast_site.name = "fast".into();
    let (_dir, store) = temp_store("slow-host");
    let started = Instant::now();
    let done: Mutex<Vec<(String, Duration)>> = Mutex::new(Vec::new());
    let record = |p: &zhengce_crawl::PageOutcome| {
        done.lock()
            .unwrap()
            .push((p.site.clone(), started.elapsed()));
    };
    let opts = CrawlOptions {
        timeout: Duration::from_secs(5),
        ..options()
    };
    let report = crawl(&[slow_site, fast_site], &store, &opts, &record)
        .await
        .unwrap();
    assert_eq!(report.pages.len(), 8, "{:#?}", report.pages);
    let done = done.into_inner().unwrap();
    let last_fast = done
        .iter()
        .filter(|(s, _)| s == "fast")
        .map(|(_, t)| *t)
        .max()
        .unwrap();
    let first_slow = done
        .iter()
        .filter(|(s, _)| s == "slow")
        .map(|(_, t)| *t)
        .min()
        .unwrap();
    assert!(
        last_fast < Duration::from_millis(1200),
        "the fast host waited: {last_fast:?}"
    );
    assert!(first_slow >= Duration::from_millis(1500), "{first_slow:?}");
}

/// A resolver that answers 127.0.0.1 for every name and counts its lookups.
struct Loopback(Arc<Mutex<u32>>);

impl Resolve for Loopback {
    fn resolve(&self, _name: Name) -> Resolving {
        *self.0.lock().unwrap() += 1;
        Box::pin(async {
            let addrs = vec![std::net::SocketAddr::from(([127, 0, 0, 1], 0))];
            Ok(Box::new(addrs.into_iter()) as zhengce_crawl::Addrs)
        })
    }
}

/// A resolver that answers a public address first and loopback afterwards (DNS
/// rebinding).
struct Rebinding(Mutex<u32>);

impl Resolve for Rebinding {
    fn resolve(&self, _name: Name) -> Resolving {
        let n = {
            let mut calls = self.0.lock().unwrap();
            *calls += 1;
            *calls
        };
        Box::pin(async move {
            let ip: [u8; 4] = if n == 1 { [8, 8, 8, 8] } else { [127, 0, 0, 1] };
            Ok(
                Box::new(vec![std::net::SocketAddr::from((ip, 80))].into_iter())
                    as zhengce_crawl::Addrs,
            )
        })
    }
}

/// The private-address rule sits in the HTTP client's resolver: every lookup is
/// filtered, and the addresses filtered are the ones connected to.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebinding_host_cannot_reach_a_private_address() {
    // Each lookup is filtered on its own: the second, rebound answer is refused.
    let filter = PublicOnly::new(Arc::new(Rebinding(Mutex::new(0))), Vec::new());
    let first: Vec<_> = filter
        .resolve("rebind.test".parse().unwrap())
        .await
        .unwrap()
        .collect();
    assert_eq!(first, [std::net::SocketAddr::from(([8, 8, 8, 8], 80))]);
    let second = filter
        .resolve("rebind.test".parse().unwrap())
        .await
        .err()
        .expect("the rebound answer is refused");
    assert!(
        second.to_string().contains("non-public address 127.0.0.1"),
        "{second}"
    );

    // Through the crawler: a name resolving to loopback is refused without a request,
    // however the name is checked elsewhere.
    let (pages, _) = gbk_site(2, 5);
    let portal = MockPortal::with_pages(pages).await;
    let lookups = Arc::new(Mutex::new(0));
    let url = format!("http://rebind.test:{}{GBK_START}", portal.addr.port());
    let site = SiteConfig::from_urls(std::slice::from_ref(&url), &[]);
    let (_dir, store) = temp_store("rebind");
    let opts = CrawlOptions {
        allowed_private: Vec::new(),
        resolver: Some(Resolver(Arc::new(Loopback(Arc::clone(&lookups))))),
        ..options()
    };
    let report = crawl(std::slice::from_ref(&site), &store, &opts, &|_| {})
        .await
        .unwrap();
    assert!(
        matches!(&report.pages[0].outcome, Outcome::Refused { reason } if reason.contains("non-public address 127.0.0.1")),
        "{:?}",
        report.pages
    );
    assert!(portal.requests().is_empty(), "{:?}", portal.requests());
    assert!(
        *lookups.lock().unwrap() >= 1,
        "the client used the resolver"
    );
    assert!(!report.sites[0].reachable);

    // Allowed by address: the same resolver's answer is used to connect.
    let opts = CrawlOptions {
        allowed_private: vec!["127.0.0.1".into()],
        resolver: Some(Resolver(Arc::new(Loopback(Arc::clone(&lookups))))),
        ..options()
    };
    let report = crawl(&[site], &store, &opts, &|_| {}).await.unwrap();
    assert_eq!(report.pages.len(), 3, "{:?}", report.pages);
    assert!(report.pages.iter().all(|p| p.outcome == Outcome::New));
}

/// Nothing listens: the page fails at once with "connection refused", without retries,
/// and the site is reported unreachable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_connections_are_named_and_not_retried() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/list/index.html");
    let (_dir, store) = temp_store("refused");
    let opts = CrawlOptions {
        backoff: Duration::from_secs(2),
        ..options()
    };
    let started = Instant::now();
    let report = crawl(
        &[SiteConfig::from_urls(&[url], &[])],
        &store,
        &opts,
        &|_| {},
    )
    .await
    .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "no backoff: {:?}",
        started.elapsed()
    );
    assert_eq!(
        report.pages[0].outcome,
        Outcome::Failed {
            reason: "connection refused".into()
        }
    );
    let problems = report.problems(100);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("unreachable") && p.contains("connection refused")),
        "{problems:?}"
    );
}

/// Known documents are revisited by age: not at all the next hour, a bounded share
/// when they come due, and list pages every time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn known_documents_are_revisited_by_age_within_a_budget() {
    let (pages, docs) = gbk_site(40, 10);
    let portal = MockPortal::with_pages(pages).await;
    let (_dir, store) = temp_store("revisit");
    let site = SiteConfig::from_urls(&[portal.url(GBK_START)], &[]);
    let t0 = now();
    let at = |t: u64| CrawlOptions {
        now: Some(t),
        ..options()
    };
    let first = crawl(std::slice::from_ref(&site), &store, &at(t0), &|_| {})
        .await
        .unwrap();
    assert_eq!(first.sites[0].detail_pages, 40);

    // An hour later: the four list pages only.
    portal.clear_requests();
    let soon = crawl(std::slice::from_ref(&site), &store, &at(t0 + 3600), &|_| {})
        .await
        .unwrap();
    let pages_requested = |portal: &MockPortal| {
        portal
            .requests()
            .into_iter()
            .filter(|r| r != "/robots.txt")
            .count()
    };
    assert_eq!(pages_requested(&portal), 4, "{:?}", portal.requests());
    assert_eq!(
        (
            soon.sites[0].list_pages,
            soon.sites[0].detail_pages,
            soon.sites[0].not_due
        ),
        (4, 0, 40)
    );

    // Two days later every document is due; 10% of them are revisited, plus a new one.
    portal.set_raw(
        "/zcwj/art/2024/40.html",
        MockPage::gbk(&zhengce_testkit::document_html(40, 1)),
    );
    let list = String::from_utf8(
        encoding_rs::GBK
            .decode(&store.body(&portal.url(GBK_START)).unwrap())
            .0
            .into_owned()
            .replace(
                "<ul class=\"list\">",
                "<ul class=\"list\"><li><a href=\"art/2024/40.html\">新文件</a></li>",
            )
            .into_bytes(),
    )
    .unwrap();
    portal.set_raw(GBK_START, MockPage::gbk(&list));
    portal.clear_requests();
    let later = crawl(
        std::slice::from_ref(&site),
        &store,
        &at(t0 + 2 * DAY),
        &|_| {},
    )
    .await
    .unwrap();
    let s = &later.sites[0];
    assert_eq!((s.list_pages, s.detail_pages), (4, 5), "{s:?}");
    assert_eq!((s.deferred, s.not_due), (36, 0), "{s:?}");
    assert_eq!(
        later
            .pages
            .iter()
            .find(|p| p.url.ends_with("/40.html"))
            .map(|p| &p.outcome),
        Some(&Outcome::New)
    );
    assert_eq!(pages_requested(&portal), 9);
    assert!(docs.len() == 40);

    // With `all`, everything.
    let all = CrawlOptions {
        revisit: Revisit {
            all: true,
            ..Revisit::default()
        },
        ..at(t0 + 2 * DAY)
    };
    let full = crawl(&[site], &store, &all, &|_| {}).await.unwrap();
    assert_eq!(full.sites[0].detail_pages, 41);
}

/// A failed fetch between two 404s breaks the run: the count starts again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_between_two_404s_resets_the_gone_count() {
    let (pages, _) = gbk_site(3, 5);
    let portal = MockPortal::with_pages(pages).await;
    let (_dir, store) = temp_store("gone-reset");
    let site = SiteConfig::from_urls(&[portal.url(GBK_START)], &[]);
    let doc = portal.url("/zcwj/art/2024/1.html");
    let t0 = now();
    let run = |t: u64| {
        let opts = CrawlOptions {
            now: Some(t),
            timeout: Duration::from_millis(300),
            timeout_retries: 0,
            revisit: Revisit {
                share: 1.0,
                ..Revisit::default()
            },
            ..options()
        };
        let site = site.clone();
        let store = store.clone();
        let doc = doc.clone();
        async move {
            let report = crawl(&[site], &store, &opts, &|_| {}).await.unwrap();
            report
                .pages
                .into_iter()
                .find(|p| p.url == doc)
                .map(|p| p.outcome)
        }
    };
    assert_eq!(run(t0).await, Some(Outcome::New));
    portal.remove_page("/zcwj/art/2024/1.html");
    assert_eq!(
        run(t0 + 2 * DAY).await,
        Some(Outcome::Gone {
            status: 404,
            count: 1
        })
    );
    portal.set_delay("/zcwj/art/2024/1.html", Duration::from_secs(2));
    assert!(matches!(
        run(t0 + 3 * DAY).await,
        Some(Outcome::Failed { reason }) if reason.contains("timed out")
    ));
    portal.set_delay("/zcwj/art/2024/1.html", Duration::ZERO);
    assert_eq!(
        run(t0 + 4 * DAY).await,
        Some(Outcome::Gone {
            status: 404,
            count: 1
        }),
        "the failure broke the run of 404s"
    );
    assert_eq!(store.get(&doc).unwrap().unwrap().gone_count, 1);
}

/// A resolver for which no name exists.
struct NoSuchHost(Arc<Mutex<u32>>);

impl Resolve for NoSuchHost {
    fn resolve(&self, _name: Name) -> Resolving {
        *self.0.lock().unwrap() += 1;
        Box::pin(async {
            Err(Box::new(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such host",
            )) as Box<dyn std::error::Error + Send + Sync>)
        })
    }
}

/// A name that does not resolve fails once, named as a DNS failure, without retries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dns_failures_are_named_and_not_retried() {
    let lookups = Arc::new(Mutex::new(0));
    let opts = CrawlOptions {
        resolver: Some(Resolver(Arc::new(NoSuchHost(Arc::clone(&lookups))))),
        backoff: Duration::from_secs(2),
        ..options()
    };
    let (_dir, store) = temp_store("dns");
    let site = SiteConfig::from_urls(&["http://nowhere.test/list/".into()], &[]);
    let started = Instant::now();
    let report = crawl(&[site], &store, &opts, &|_| {}).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        matches!(&report.pages[0].outcome, Outcome::Failed { reason } if reason.starts_with("dns lookup failed")),
        "{:?}",
        report.pages
    );
    // robots.txt and the page: one lookup each, no retry.
    assert_eq!(*lookups.lock().unwrap(), 2);
}
