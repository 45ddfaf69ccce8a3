//! The nightly re-index against a mock portal: what is fetched, parsed, indexed, updated
//! and removed, run after run.

use std::time::Duration;

use zhengce_crawl::{CrawlOptions, PageOutcome, PageStore, Revisit, SiteConfig};
use zhengce_index::{PolicyIndex, SearchRequest};
use zhengce_pipeline::{ReindexOptions, ReindexReport, RunStatus};
use zhengce_testkit::{GBK_START, MockPortal, gbk_site};

/// The re-index with default removal rules.
async fn reindex(
    sites: &[SiteConfig],
    store: &PageStore,
    index: &PolicyIndex,
    options: &CrawlOptions,
    progress: &(dyn Fn(&PageOutcome) + Sync),
) -> Result<ReindexReport, zhengce_pipeline::PipelineError> {
    zhengce_pipeline::reindex(
        sites,
        store,
        index,
        options,
        &ReindexOptions::default(),
        progress,
    )
    .await
}

/// A directory removed on drop, so a failing test cleans up too.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("zhengce-pipeline-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn options() -> CrawlOptions {
    CrawlOptions {
        rate: 200.0,
        timeout: Duration::from_millis(500),
        connect_timeout: Duration::from_millis(500),
        retries: 2,
        backoff: Duration::from_millis(10),
        max_bytes: 300_000,
        allowed_private: vec!["127.0.0.1".into()],
        // Every known page is due on every run here; the revisit policy has its tests
        // in the crawl crate.
        revisit: Revisit {
            all: true,
            ..Revisit::default()
        },
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

/// The three corpus pages the mock portal serves (two jiangxi pages and a gov.cn one).
fn portal_pages() -> Option<(String, String, String)> {
    Some((
        page("html/jiangxi_gov/art_4969_1499515.html")?,
        page("html/jiangxi_gov/art_14075_1574386.html")?,
        page("html/govcn_zhengce2018_frag/content_5338761.html")?,
    ))
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
    let Some((a, b, c)) = portal_pages() else {
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
    assert_eq!(
        second.status,
        RunStatus::Ok,
        "one failing page does not fail the run: {:?}",
        second.problems
    );
    assert_eq!(ids(&index), expected);

    // One page changes and one disappears: the change shows at once, the removal after
    // the page has been gone on two runs.
    portal.set_page(
        "/art/a.html",
        &a.replace(
            "现就有关事项通知如下",
            "请按夜间更新要求办理，现就有关事项通知如下",
        ),
    );
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

fn ids_of(index: &PolicyIndex) -> Vec<String> {
    ids(index)
}

/// Issue 13: the GBK portal with cursor pagination — every document indexed, no list
/// page among them, and a report that names what happened.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_13_every_document_of_a_gbk_portal_is_indexed_and_no_list_page() {
    let (pages, docs) = gbk_site(24, 5);
    let portal = MockPortal::with_pages(pages).await;
    let dir = TempDir::new("gbk");
    let store = PageStore::open(&dir.0.join("store")).unwrap();
    let index = PolicyIndex::open_or_create(&dir.0.join("index")).unwrap();
    let sites = [SiteConfig::from_urls(&[portal.url(GBK_START)], &[])];
    let report = reindex(&sites, &store, &index, &options(), &|_| {})
        .await
        .unwrap();
    assert_eq!(report.status, RunStatus::Ok, "{:?}", report.problems);
    assert_eq!(report.new, 24);
    let mut expected: Vec<String> = docs.iter().map(|d| portal.url(d)).collect();
    expected.sort();
    assert_eq!(ids_of(&index), expected);
    let mut new_urls = report.new_urls.clone();
    new_urls.sort();
    assert_eq!(new_urls, expected);
    assert_eq!(
        (report.list_pages.visited, report.detail_pages.visited),
        (5, 24)
    );
    // Found by its GBK text.
    let hits = index
        .search(&SearchRequest::new("第7号科技工作方案"))
        .unwrap();
    assert_eq!(hits.hits[0].doc_id, portal.url("/zcwj/art/2024/7.html"));
    for stamp in [&report.started_at, &report.finished_at] {
        assert!(stamp.len() == 20 && stamp.ends_with('Z'), "{stamp}");
    }
    assert!(report.started_at <= report.finished_at);
}

/// A portal answering 404 to everything, night after night: the site is reported
/// unreachable, every 404 is listed from the first, the guard keeps every document, and
/// only the explicit flag lets the removal through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_answering_404_to_everything_removes_nothing() {
    let (pages, _) = gbk_site(24, 5);
    let portal = MockPortal::with_pages(pages).await;
    let dir = TempDir::new("all-gone");
    let store = PageStore::open(&dir.0.join("store")).unwrap();
    let index = PolicyIndex::open_or_create(&dir.0.join("index")).unwrap();
    let sites = [SiteConfig::from_urls(&[portal.url(GBK_START)], &[])];
    let first = reindex(&sites, &store, &index, &options(), &|_| {})
        .await
        .unwrap();
    assert_eq!((first.status, first.documents), (RunStatus::Ok, 24));

    portal.set_all_gone(true);
    let second = reindex(&sites, &store, &index, &options(), &|_| {})
        .await
        .unwrap();
    assert_eq!(second.status, RunStatus::Failed);
    assert!(
        second.problems[0].contains("unreachable") && second.problems[0].contains("HTTP 404"),
        "{:?}",
        second.problems
    );
    assert_eq!(second.gone.len(), 25, "the start page and every document");
    assert!(second.gone.iter().all(|g| g.count == 1 && g.status == 404));
    assert_eq!((second.removed, second.documents), (0, 24));

    let third = reindex(&sites, &store, &index, &options(), &|_| {})
        .await
        .unwrap();
    assert_eq!(third.status, RunStatus::Failed);
    assert_eq!((third.removed, third.documents), (0, 24));
    assert_eq!(third.guard.len(), 1, "{:?}", third.problems);
    assert_eq!(
        (
            third.guard[0].would_remove,
            third.guard[0].documents,
            third.guard[0].limit
        ),
        (24, 24, 2)
    );
    assert!(
        third
            .problems
            .iter()
            .any(|p| p.contains("--allow-mass-removal")),
        "{:?}",
        third.problems
    );

    let forced = zhengce_pipeline::reindex(
        &sites,
        &store,
        &index,
        &options(),
        &ReindexOptions {
            allow_mass_removal: true,
            ..ReindexOptions::default()
        },
        &|_| {},
    )
    .await
    .unwrap();
    assert_eq!((forced.removed, forced.documents), (24, 0));
    assert_eq!(forced.removed_urls.len(), 24);
}

/// The page limit makes a run incomplete, and says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hitting_the_page_limit_makes_the_run_incomplete() {
    let (pages, _) = gbk_site(24, 5);
    let portal = MockPortal::with_pages(pages).await;
    let dir = TempDir::new("limit");
    let store = PageStore::open(&dir.0.join("store")).unwrap();
    let index = PolicyIndex::open_or_create(&dir.0.join("index")).unwrap();
    let sites = [SiteConfig::from_urls(&[portal.url(GBK_START)], &[])];
    let opts = CrawlOptions {
        max_pages: 10,
        ..options()
    };
    let report = reindex(&sites, &store, &index, &opts, &|_| {})
        .await
        .unwrap();
    assert_eq!(report.status, RunStatus::Incomplete);
    assert!(
        report.problems[0].contains("page limit of 10"),
        "{:?}",
        report.problems
    );
    assert!(report.new > 0, "what was crawled is indexed");
}

/// A document gone twice is not removed on a night the site's start page fails too: the
/// site may be down. Once the site answers again, it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_removed_from_an_unreachable_site() {
    let (pages, _) = gbk_site(24, 5);
    let portal = MockPortal::with_pages(pages.clone()).await;
    let dir = TempDir::new("unreachable");
    let store = PageStore::open(&dir.0.join("store")).unwrap();
    let index = PolicyIndex::open_or_create(&dir.0.join("index")).unwrap();
    let sites = [SiteConfig::from_urls(&[portal.url(GBK_START)], &[])];
    let opts = options();
    let run = || reindex(&sites, &store, &index, &opts, &|_| {});
    assert_eq!(run().await.unwrap().documents, 24);

    portal.remove_page("/zcwj/art/2024/3.html");
    portal.remove_page(GBK_START);
    for _ in 0..2 {
        let report = run().await.unwrap();
        assert_eq!(report.status, RunStatus::Failed);
        assert_eq!((report.removed, report.documents), (0, 24), "{report:#?}");
    }
    let start = pages
        .iter()
        .find(|(p, _)| p == GBK_START)
        .unwrap()
        .1
        .clone();
    portal.set_raw(GBK_START, start);
    let back = run().await.unwrap();
    assert_eq!(back.status, RunStatus::Ok, "{:?}", back.problems);
    assert_eq!((back.removed, back.documents), (1, 23));
    assert_eq!(back.removed_urls, [portal.url("/zcwj/art/2024/3.html")]);
}

/// A corpus folder holds a source's records (`docs/`) and the pages they were taken from
/// (`html/`): ingesting the folder indexes each document once, from its record (user test,
/// seventh session: 180 untitled copies of records, from their pages).
#[test]
fn a_page_a_record_was_taken_from_is_not_indexed_twice() {
    let dir = TempDir::new("record-pages");
    let root = dir.0.join("corpus");
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::create_dir_all(root.join("html/portal")).unwrap();
    std::fs::copy(
        zhengce_testkit::seed_path(),
        root.join("html/portal/seed.html"),
    )
    .unwrap();
    // A page no record names stays a document of its own.
    std::fs::copy(
        zhengce_testkit::seed_path(),
        root.join("html/portal/other.html"),
    )
    .unwrap();
    let record = serde_json::json!({
        "id": "portal:1",
        "source": "portal",
        "title": "关于印发2020年度全省科技工作要点的通知",
        "doc_number": "辽科发〔2020〕6号",
        "publish_date": "2020-04-10",
        "body": "一、加强基础研究。\n1.支持辽宁实验室建设。（牵头处室：基础处）",
        "html_file": "html/portal/seed.html",
    });
    std::fs::write(root.join("docs/portal.jsonl"), format!("{record}\n")).unwrap();

    let index = PolicyIndex::open_or_create(&dir.0.join("index")).unwrap();
    let mut report = zhengce_pipeline::IngestReport::default();
    zhengce_pipeline::ingest_paths(std::slice::from_ref(&root), &index, &mut report, &|_| {})
        .unwrap();

    assert_eq!(report.skipped, 1, "{report:#?}");
    let page = (report.files.iter())
        .find(|f| f.file.ends_with("seed.html"))
        .unwrap();
    assert!(
        page.skip_reasons
            .keys()
            .any(|r| r.contains("page of a record") && r.contains("portal:1")),
        "{page:?}"
    );
    let ids = ids(&index);
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.contains(&"portal:1".to_string()), "{ids:?}");
}

/// User test: `zhengce ingest ../shared/corpus/` said "failed 15" — the empty and
/// image-only captures that bjtcm records were taken from (`html_file`). Their documents
/// are the records, so those pages are skipped like the other pages of records; alone,
/// such a page still fails.
#[test]
fn an_unparseable_page_of_a_record_ingested_with_it_is_skipped_not_failed() {
    let Some(corpus) = zhengce_testkit::corpus_dir() else {
        return;
    };
    let dir = TempDir::new("record-empty-pages");
    let index = PolicyIndex::open_or_create(&dir.0.join("index")).unwrap();
    let empty = corpus.join("html/beijing_tcm_trs_frag/t20191219_1338586.html");
    let image = corpus.join("html/beijing_tcm_trs_frag/t20210106_2199952.html");
    let mut report = zhengce_pipeline::IngestReport::default();
    let inputs = [
        corpus.join("docs/bjtcm.jsonl"),
        corpus.join("html/beijing_tcm_trs_frag"),
    ];
    zhengce_pipeline::ingest_paths(&inputs, &index, &mut report, &|_| {}).unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    for page in [&empty, &image] {
        let file = (report.files.iter())
            .find(|f| f.file == page.display().to_string())
            .unwrap();
        assert_eq!((file.skipped, file.failed), (1, 0), "{file:?}");
        assert!(
            file.skip_reasons
                .keys()
                .any(|r| r.contains("page of a record")),
            "{file:?}"
        );
    }

    let mut alone = zhengce_pipeline::IngestReport::default();
    zhengce_pipeline::ingest_paths(&[empty, image], &index, &mut alone, &|_| {}).unwrap();
    assert_eq!(alone.failed.len(), 2, "{alone:?}");
}

/// User test: two pages cut off before their bodies were one document
/// (`sha256:e3b0c44298fc1c14`, the empty string's hash): the second ingest "replaced"
/// the first. Now each is a document of its own, and ingesting one again replaces it.
#[test]
fn two_pages_cut_off_before_their_bodies_are_two_documents() {
    let Some(corpus) = zhengce_testkit::corpus_dir() else {
        return;
    };
    let dir = TempDir::new("cut-off-pages");
    std::fs::create_dir_all(&dir.0).unwrap();
    let mut files = Vec::new();
    for name in ["art_14075_1574386.html", "art_14236_1508410.html"] {
        let bytes = std::fs::read(corpus.join("html/jiangxi_gov").join(name)).unwrap();
        let file = dir.0.join(name);
        std::fs::write(&file, &bytes[..3000]).unwrap();
        files.push(file);
    }
    let index = PolicyIndex::open_or_create(&dir.0.join("index")).unwrap();
    let ingest = |file: &std::path::PathBuf| {
        let mut report = zhengce_pipeline::IngestReport::default();
        zhengce_pipeline::ingest_paths(std::slice::from_ref(file), &index, &mut report, &|_| {})
            .unwrap();
        index.reload().unwrap();
        (report.added, report.replaced, report.failed.len())
    };
    assert_eq!(ingest(&files[0]), (1, 0, 0));
    assert_eq!(ingest(&files[1]), (1, 0, 0));
    assert_eq!(ids(&index).len(), 2);
    assert_eq!(ingest(&files[0]), (0, 1, 0));
    assert_eq!(ids(&index).len(), 2);
}

/// User test: a portal sending a cut-off page (HTTP 200) overnight wiped its document —
/// body, provisions and 文号 gone, status "ok". A changed page that loses most of the
/// body, all of it or the 文号, or no longer parses, does not replace the document: the
/// run fails and says why, the store keeps the page for the next run, and a small edit
/// still updates. `allow_shrink` lets a real shortening through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_off_page_does_not_replace_its_document() {
    let Some((a, b, c)) = portal_pages() else {
        return;
    };
    let portal = MockPortal::start(&a, &b, &c).await;
    let dir = TempDir::new("cut-off");
    let store = PageStore::open(&dir.0.join("store")).unwrap();
    let index = PolicyIndex::open_or_create(&dir.0.join("index")).unwrap();
    let sites = [SiteConfig::from_urls(
        &[portal.url("/list/index.html")],
        &[],
    )];
    let url = portal.url("/art/a.html");
    let run = |removal: ReindexOptions| {
        let (sites, store, index) = (&sites, &store, &index);
        async move {
            zhengce_pipeline::reindex(sites, store, index, &options(), &removal, &|_| {})
                .await
                .unwrap()
        }
    };
    let first = run(ReindexOptions::default()).await;
    assert_eq!(first.new, 4, "{first:#?}");
    let full = index.get_stored(&url).unwrap().unwrap().doc;
    assert_eq!(full.doc_number.as_deref(), Some("赣府厅明〔2020〕17号"));
    assert!(full.body.chars().count() > 8000 && full.provisions.len() > 10);

    let cut_at = |text: &str| a[..a.find(text).unwrap()].to_string();
    for (cut, why) in [
        // The page stops after the first paragraph of the body.
        (cut_at("现就有关事项通知如下"), "keeps"),
        // The page stops in its head: the title survives, the body is empty.
        (a[..3000].to_string(), "no body"),
        // An empty answer.
        (String::new(), "cannot be parsed"),
    ] {
        portal.set_page("/art/a.html", &cut);
        let report = run(ReindexOptions::default()).await;
        assert_eq!(report.status, RunStatus::Failed, "{why}: {report:#?}");
        assert_eq!((report.updated, report.removed), (0, 0), "{why}");
        assert_eq!(report.held.len(), 1, "{why}: {:?}", report.held);
        assert!(report.held[0].reason.contains(why), "{:?}", report.held);
        assert!(
            report.problems.iter().any(|p| p.starts_with(&url)
                && p.contains("the indexed version was kept")
                && p.contains("--allow-shrink")),
            "{why}: {:?}",
            report.problems
        );
        assert_eq!(index.get_stored(&url).unwrap().unwrap().doc, full, "{why}");
        assert_eq!(report.documents, 4);
    }

    // A page that loses its 文号 and nothing else is held too.
    portal.set_page("/art/a.html", &a.replace("赣府厅明〔2020〕17号", ""));
    let report = run(ReindexOptions::default()).await;
    assert_eq!((report.status, report.updated), (RunStatus::Failed, 0));
    assert!(report.held[0].reason.contains("文号"), "{:?}", report.held);

    // A small edit, a few words shorter, updates.
    let edited = a.replace("现就有关事项通知如下", "现通知如下");
    portal.set_page("/art/a.html", &edited);
    let report = run(ReindexOptions::default()).await;
    assert_eq!(
        (report.status, report.updated),
        (RunStatus::Ok, 1),
        "{report:#?}"
    );
    assert!(report.held.is_empty());

    // A real shortening goes through when allowed.
    portal.set_page("/art/a.html", &cut_at("现就有关事项通知如下"));
    let report = run(ReindexOptions {
        allow_shrink: true,
        ..ReindexOptions::default()
    })
    .await;
    assert_eq!(
        (report.status, report.updated),
        (RunStatus::Ok, 1),
        "{report:#?}"
    );
    let short = index.get_stored(&url).unwrap().unwrap().doc;
    assert!(short.body.chars().count() < 1000);
}

/// The corpus records with these ids, one JSON line each, from `file` (in `docs/`).
fn corpus_lines(corpus: &std::path::Path, file: &str, ids: &[&str]) -> String {
    let text = std::fs::read_to_string(corpus.join("docs").join(file)).unwrap();
    let lines: Vec<&str> = ids
        .iter()
        .map(|id| {
            let head = format!("{{\"id\": \"{id}\"");
            (text.lines().find(|l| l.starts_with(&head)))
                .unwrap_or_else(|| panic!("{id} not in {file}"))
        })
        .collect();
    lines.join("\n") + "\n"
}

/// What the versions decide about documents: each one's links (`versions`,
/// `superseded_by`) as stored, and the hits of a search for their titles, with their
/// status and the versions collapsed into them.
fn versions_state(index: &PolicyIndex, ids: &[&str], titles: &[&str]) -> Vec<String> {
    let mut state: Vec<String> = ids
        .iter()
        .map(|id| {
            let doc = index.get_doc(id).unwrap().unwrap();
            let versions: Vec<String> = (doc.versions.iter())
                .map(|v| format!("{}{}", v.id, if v.current { "*" } else { "" }))
                .collect();
            format!(
                "{id} superseded_by={:?} versions={versions:?}",
                doc.superseded_by
            )
        })
        .collect();
    for title in titles {
        let mut hits: Vec<String> = (index.search(&SearchRequest::new(title)).unwrap().hits)
            .into_iter()
            .map(|h| {
                let mut collapsed = h.collapsed;
                collapsed.sort();
                format!("{title}: {} {} collapsed={collapsed:?}", h.id, h.status)
            })
            .collect();
        hits.sort();
        state.extend(hits);
    }
    state
}

/// User test: versions were grouped within one ingest run. Ingesting lawrefbook.jsonl
/// alone into the whole corpus's index left its texts without the gov.cn postings of the
/// same regulations in policy_transparency.jsonl (私募投资基金监督管理条例), while the
/// postings kept one-sided links; status and collapsing followed the ingest order. Now
/// the versions of the works a run touches are grouped with those already indexed.
#[test]
fn regression_versions_in_separate_ingests_are_those_of_one_ingest() {
    let Some(corpus) = zhengce_testkit::corpus_dir() else {
        return;
    };
    // 私募投资基金监督管理条例: a text and its posting days later (one version, both
    // current); 民用机场管理条例: a posting of 2009 and the text amended in 2019 (已修订).
    let texts = ["lawrefbook:5787870934437fae", "lawrefbook:83ee7b00a792353a"];
    let postings = ["ptc:98356a7bd201557e", "ptc:0bc602dcd99d7fde"];
    let titles = ["私募投资基金监督管理条例", "民用机场管理条例"];
    let ids: Vec<&str> = texts.iter().chain(&postings).copied().collect();
    let dir = TempDir::new("versions-across-runs");
    std::fs::create_dir_all(&dir.0).unwrap();
    let a = dir.0.join("texts.jsonl");
    let b = dir.0.join("postings.jsonl");
    std::fs::write(&a, corpus_lines(&corpus, "lawrefbook.jsonl", &texts)).unwrap();
    std::fs::write(
        &b,
        corpus_lines(&corpus, "policy_transparency.jsonl", &postings),
    )
    .unwrap();
    let ingest = |index: &PolicyIndex, paths: &[std::path::PathBuf]| {
        let mut report = zhengce_pipeline::IngestReport::default();
        zhengce_pipeline::ingest_paths(paths, index, &mut report, &|_| {}).unwrap();
        assert!(report.failed.is_empty(), "{report:?}");
        report
    };

    let one_run = PolicyIndex::open_or_create(&dir.0.join("one-run")).unwrap();
    ingest(&one_run, &[a.clone(), b.clone()]);
    let expected = versions_state(&one_run, &ids, &titles);
    // The one-run grouping is the one described: each side links the other.
    assert!(
        expected.iter().any(|s| s.starts_with(
            "ptc:0bc602dcd99d7fde superseded_by=Some(\"lawrefbook:83ee7b00a792353a\")"
        )),
        "{expected:#?}"
    );
    assert!(
        expected.iter().any(
            |s| s.starts_with("lawrefbook:5787870934437fae superseded_by=None")
                && s.contains("ptc:98356a7bd201557e*")
        ),
        "{expected:#?}"
    );

    for (order, first, second) in [("texts first", &a, &b), ("postings first", &b, &a)] {
        let index = PolicyIndex::open_or_create(&dir.0.join(order)).unwrap();
        ingest(&index, std::slice::from_ref(first));
        let report = ingest(&index, std::slice::from_ref(second));
        assert_eq!(report.relinked, 2, "{order}: {report:?}");
        assert_eq!(versions_state(&index, &ids, &titles), expected, "{order}");
        // Ingesting one side again changes nothing, and rewrites nothing else.
        for again in [first, second] {
            let report = ingest(&index, std::slice::from_ref(again));
            assert_eq!(report.relinked, 0, "{order}, {again:?} again: {report:?}");
            assert_eq!(
                versions_state(&index, &ids, &titles),
                expected,
                "{order}, {again:?} again"
            );
        }
    }
}
