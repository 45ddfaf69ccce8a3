//! The nightly re-index against a mock portal: what is fetched, parsed, indexed, updated
//! and removed, run after run.

use std::time::Duration;

use zhengce_crawl::{CrawlOptions, PageStore, SiteConfig};
use zhengce_index::{PolicyIndex, SearchRequest};
use zhengce_pipeline::reindex;
use zhengce_testkit::MockPortal;

fn options() -> CrawlOptions {
    CrawlOptions {
        rate: 200.0,
        timeout: Duration::from_millis(500),
        connect_timeout: Duration::from_millis(500),
        retries: 2,
        backoff: Duration::from_millis(10),
        max_bytes: 300_000,
        allowed_private: vec!["127.0.0.1".into()],
        ..CrawlOptions::default()
    }
}

fn page(path: &str) -> Option<String> {
    let text = std::fs::read_to_string(zhengce_testkit::corpus_dir()?.join(path)).unwrap();
    Some(
        text.replace("charset=utf-8", "")
            .replace("charset=\"utf-8\"", ""),
    )
}

fn ids(index: &PolicyIndex) -> Vec<String> {
    let mut r = SearchRequest::new("");
    r.size = 100;
    let mut ids: Vec<String> = index
        .search(&r)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.doc_id)
        .collect();
    ids.sort();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_index_exactly_what_changed() {
    let (Some(a), Some(b), Some(c)) = (
        page("html/jiangxi_gov/art_4969_1499515.html"),
        page("html/jiangxi_gov/art_14075_1574386.html"),
        page("html/govcn_zhengce2018_frag/content_5338761.html"),
    ) else {
        return;
    };
    let portal = MockPortal::start(&a, &b, &c).await;
    let dir = std::env::temp_dir().join(format!("zhengce-pipeline-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = PageStore::open(&dir.join("store")).unwrap();
    let index = PolicyIndex::open_or_create(&dir.join("index")).unwrap();
    let sites = [SiteConfig::from_urls(
        &[portal.url("/list/index.html")],
        &[],
    )];
    let docs: Vec<String> = ["/art/a.html", "/art/b.html", "/art/c.html", "/flaky.html"]
        .iter()
        .map(|p| portal.url(p))
        .collect();

    // First run: the four document pages are fetched, parsed and indexed.
    let first = reindex(&sites, &store, &index, &options(), &|_| {})
        .await
        .unwrap();
    assert_eq!(
        (first.new, first.updated, first.removed),
        (4, 0, 0),
        "{first:#?}"
    );
    assert_eq!(first.fetched, 6, "two list pages and four documents");
    assert_eq!(first.documents, 4);
    let mut expected = docs.clone();
    expected.sort();
    assert_eq!(ids(&index), expected);
    let refused: Vec<&str> = first.refused.iter().map(|p| p.reason.as_str()).collect();
    assert_eq!(refused.len(), 4, "{refused:?}");
    assert_eq!(first.failed.len(), 1, "the slow page: {:?}", first.failed);
    // The GBK page (charset only in the HTTP header) is searchable by its real text.
    let gbk = index.search(&SearchRequest::new("李洪斌")).unwrap();
    assert_eq!(gbk.hits[0].doc_id, portal.url("/art/b.html"));
    assert_eq!(
        gbk.hits[0].doc_number.as_deref(),
        Some("赣市监党组〔2020〕16号")
    );

    // Second run over the unchanged site: nothing new fetched, nothing changed.
    let second = reindex(&sites, &store, &index, &options(), &|_| {})
        .await
        .unwrap();
    assert_eq!(
        (second.fetched, second.new, second.updated, second.removed),
        (0, 0, 0, 0),
        "{second:#?}"
    );
    assert_eq!(second.not_modified, 6);
    assert_eq!(ids(&index), expected);

    // One page changes and one disappears: the change shows at once, the removal after
    // the page has been gone on two runs.
    portal.set_page("/art/a.html", "<html><head><meta name=\"ArticleTitle\" content=\"关于夜间更新测试的通知\"></head><body><div><p>各单位：这是更新后的正文，请按夜间更新要求办理。</p></div></body></html>");
    portal.remove_page("/art/c.html");
    let third = reindex(&sites, &store, &index, &options(), &|_| {})
        .await
        .unwrap();
    assert_eq!(
        (third.fetched, third.new, third.updated, third.removed),
        (1, 0, 1, 0),
        "{third:#?}"
    );
    assert_eq!(
        index.search(&SearchRequest::new("夜间更新")).unwrap().total,
        1
    );
    assert_eq!(ids(&index).len(), 4);
    let fourth = reindex(&sites, &store, &index, &options(), &|_| {})
        .await
        .unwrap();
    assert_eq!(
        (fourth.fetched, fourth.new, fourth.updated, fourth.removed),
        (0, 0, 0, 1),
        "{fourth:#?}"
    );
    let left = ids(&index);
    assert_eq!(left.len(), 3);
    assert!(!left.contains(&portal.url("/art/c.html")));
    std::fs::remove_dir_all(&dir).unwrap();
}
