//! The nightly re-index: crawl the portals, parse the pages that are new or changed,
//! upsert them, remove documents whose pages are gone, commit once, and report.
//!
//! The page store remembers, for every page, which content was last indexed
//! (`indexed_hash`). That mark is written only after the index commit, so a run that dies
//! anywhere before or during the commit leaves the last committed index as it was
//! (tantivy commits are atomic) and the next run redoes the work: no half-indexed
//! document is ever visible, and nothing is lost.
//!
//! ```no_run
//! # async fn run() -> Result<(), zhengce_pipeline::PipelineError> {
//! use zhengce_crawl::{CrawlOptions, PageStore, SitesFile};
//!
//! let sites = SitesFile::load("sites.toml".as_ref())?;
//! let store = PageStore::open("store".as_ref())?;
//! let index = zhengce_index::PolicyIndex::open_or_create("index".as_ref())?;
//! let report = zhengce_pipeline::reindex(&sites.sites, &store, &index, &CrawlOptions::default(), &|_| {}).await?;
//! println!("{} new, {} updated, {} removed", report.new, report.updated, report.removed);
//! # Ok(())
//! # }
//! ```

mod ingest;

use std::time::Instant;

use serde::Serialize;
use zhengce_crawl::{CrawlOptions, Outcome, PageKind, PageOutcome, PageStore, SiteConfig, crawl};
use zhengce_index::{PolicyIndex, Upsert};
use zhengce_parse::{PageInput, parse_page};

pub use ingest::{Failure, FileReport, IngestReport, Ingested, ingest_paths};

/// Consecutive visits that must find a page gone before its document is removed.
pub const GONE_AFTER: u32 = 2;

/// Set to `1` to make a run abort right before its commit (crash tests).
pub const CRASH_BEFORE_COMMIT: &str = "ZHENGCE_CRASH_BEFORE_COMMIT";

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Crawl(#[from] zhengce_crawl::CrawlError),
    #[error(transparent)]
    Index(#[from] zhengce_index::IndexError),
}

/// A page that did not make it, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Problem {
    pub url: String,
    pub reason: String,
}

/// The run report (written as JSON by `zhengce reindex`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReindexReport {
    /// Pages downloaded (new, changed or unchanged content).
    pub fetched: usize,
    /// Pages the server said had not changed (304).
    pub not_modified: usize,
    /// Documents added to the index.
    pub new: usize,
    /// Documents replaced in the index.
    pub updated: usize,
    /// Documents removed because their pages are gone.
    pub removed: usize,
    /// Pages refused by a rule (robots.txt, host, size, redirects …).
    pub refused: Vec<Problem>,
    /// Pages that failed to fetch or parse.
    pub failed: Vec<Problem>,
    pub duration_ms: u64,
    /// Documents in the index after the run.
    pub documents: u64,
}

/// Runs the crawl and brings the index up to date with the store.
pub async fn reindex(
    sites: &[SiteConfig],
    store: &PageStore,
    index: &PolicyIndex,
    options: &CrawlOptions,
    progress: &(dyn Fn(&PageOutcome) + Sync),
) -> Result<ReindexReport, PipelineError> {
    let started = Instant::now();
    let crawled = crawl(sites, store, options, progress).await?;
    let mut report = ReindexReport::default();
    for page in &crawled.pages {
        match &page.outcome {
            Outcome::New | Outcome::Updated | Outcome::Unchanged => report.fetched += 1,
            Outcome::NotModified => report.not_modified += 1,
            Outcome::Refused { reason } => report.refused.push(Problem {
                url: page.url.clone(),
                reason: reason.clone(),
            }),
            Outcome::Failed { reason } => report.failed.push(Problem {
                url: page.url.clone(),
                reason: reason.clone(),
            }),
            Outcome::Gone { .. } => {}
        }
    }
    apply(store, index, &mut report)?;
    report.duration_ms = started.elapsed().as_millis() as u64;
    report.documents = index.num_docs()?;
    Ok(report)
}

/// Indexes every stored document page whose content is not indexed yet, removes those
/// gone long enough, commits, and only then marks the store.
pub fn apply(
    store: &PageStore,
    index: &PolicyIndex,
    report: &mut ReindexReport,
) -> Result<(), PipelineError> {
    let mut writer = index.writer()?;
    let mut done = Vec::new();
    for mut page in store.all()? {
        if page.kind != PageKind::Detail {
            continue;
        }
        if page.gone_count >= GONE_AFTER {
            if let Some(id) = page.indexed_id.take() {
                writer.delete(&id);
                report.removed += 1;
                page.indexed_hash = None;
                done.push(page);
            }
            continue;
        }
        if page.status >= 300
            || page.gone_count > 0
            || page.indexed_hash.as_deref() == Some(page.content_hash.as_str())
        {
            continue;
        }
        let bytes = store.body(&page.url)?;
        let input = PageInput {
            url: Some(&page.url),
            http_charset: page.charset.as_deref(),
            source: Some("crawl"),
        };
        match parse_page(&bytes, &input) {
            Ok(mut doc) => {
                zhengce_enrich::enrich(&mut doc);
                match writer.upsert(&doc)? {
                    Upsert::Added => report.new += 1,
                    Upsert::Replaced => report.updated += 1,
                }
                page.indexed_id = Some(doc.id);
            }
            Err(e) => {
                report.failed.push(Problem {
                    url: page.url.clone(),
                    reason: format!("cannot parse: {e}"),
                });
                if let Some(id) = page.indexed_id.take() {
                    writer.delete(&id);
                }
            }
        }
        page.indexed_hash = Some(page.content_hash.clone());
        done.push(page);
    }
    if std::env::var(CRASH_BEFORE_COMMIT).as_deref() == Ok("1") {
        tracing::error!("{CRASH_BEFORE_COMMIT}=1: aborting before the commit");
        std::process::abort();
    }
    writer.commit()?;
    for page in &done {
        store.put(page, None)?;
    }
    tracing::info!(
        new = report.new,
        updated = report.updated,
        removed = report.removed,
        "index committed"
    );
    Ok(())
}
