//! The nightly re-index: crawl the portals, parse the pages that are new or changed,
//! upsert them, remove documents whose pages are gone, commit once, and report.
//!
//! The page store remembers, for every page, which content was last indexed
//! (`indexed_hash`). That mark is written only after the index commit, so a run that dies
//! anywhere before or during the commit leaves the last committed index as it was
//! (tantivy commits are atomic) and the next run redoes the work: no half-indexed
//! document is ever visible, and nothing is lost.
//!
//! Removal is guarded twice: a page must answer 404/410 on [`ReindexOptions::gone_after`]
//! consecutive visits with nothing else in between, and a run that would remove more
//! than [`ReindexOptions::max_removal_share`] of a site's documents removes none of them
//! unless [`ReindexOptions::allow_mass_removal`] is set; nothing is removed from a site
//! none of whose start pages answered in the run.
//!
//! Updates are guarded too: a changed page that has lost most of its document — its body
//! under [`MIN_BODY_SHARE`] of the indexed one, no body at all, its 文号, or that no
//! longer parses — is a cut-off download until shown otherwise. The indexed version is
//! kept, the page is listed in the report's `held` and `problems`, the run fails, and
//! the page is not marked as indexed, so the next run tries it again;
//! [`ReindexOptions::allow_shrink`] lets it through.
//!
//! ```no_run
//! # async fn run() -> Result<(), zhengce_pipeline::PipelineError> {
//! use zhengce_crawl::{CrawlOptions, PageStore, SitesFile};
//! use zhengce_pipeline::{ReindexOptions, RunStatus};
//!
//! let sites = SitesFile::load("sites.toml".as_ref())?;
//! let store = PageStore::open("store".as_ref())?;
//! let _lock = store.lock()?;
//! let index = zhengce_index::PolicyIndex::open_or_create("index".as_ref())?;
//! let report = zhengce_pipeline::reindex(
//!     &sites.sites, &store, &index, &CrawlOptions::default(), &ReindexOptions::default(), &|_| {},
//! ).await?;
//! println!("{} new, {} updated, {} removed", report.new, report.updated, report.removed);
//! assert!(report.status == RunStatus::Ok, "{:?}", report.problems);
//! # Ok(())
//! # }
//! ```

mod ingest;
mod versions;

use std::collections::BTreeMap;
use std::time::Instant;

use serde::Serialize;
use zhengce_crawl::{
    CrawlOptions, CrawlReport, Outcome, PageKind, PageOutcome, PageStore, SiteConfig, StoredPage,
    crawl,
};
use zhengce_index::{PolicyIndex, Upsert};
use zhengce_model::PolicyDoc;
use zhengce_parse::{PageInput, parse_page};

pub use ingest::{Failure, FileReport, IngestReport, Ingested, ingest_paths};

/// Consecutive visits that must find a page gone before its document is removed.
pub const GONE_AFTER: u32 = 2;

/// Largest share of a site's documents one run may remove without `allow_mass_removal`.
pub const MAX_REMOVAL_SHARE: f64 = 0.1;

/// A changed page whose body keeps less than this share of the indexed document's body
/// (in characters) does not replace it unless `allow_shrink` is set: a download cut off
/// by the portal would otherwise wipe the document. Real revisions rarely shrink a text
/// so much: of the 96 consecutive versions of laws and regulations in the shared corpus
/// (formal amendments, far larger than a page edit) one kept 46% of its predecessor (a
/// rewrite) and every other at least 66%.
pub const MIN_BODY_SHARE: f64 = 0.5;

/// Set to `1` to make a run abort right before its commit (crash tests).
pub const CRASH_BEFORE_COMMIT: &str = "ZHENGCE_CRASH_BEFORE_COMMIT";

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Crawl(#[from] zhengce_crawl::CrawlError),
    #[error(transparent)]
    Index(#[from] zhengce_index::IndexError),
}

/// How a re-index treats removals.
#[derive(Debug, Clone, PartialEq)]
pub struct ReindexOptions {
    /// Consecutive 404/410 answers, with no other outcome between them, before a
    /// document is removed.
    pub gone_after: u32,
    /// A run that would remove more than this share of a site's documents (and more
    /// than one) removes none of that site's and fails.
    pub max_removal_share: f64,
    /// Remove anyway.
    pub allow_mass_removal: bool,
    /// Let a changed page replace its indexed document even when it has lost its body
    /// (below [`MIN_BODY_SHARE`] of it, or all of it), its 文号, or no longer parses.
    pub allow_shrink: bool,
}

impl Default for ReindexOptions {
    fn default() -> Self {
        ReindexOptions {
            gone_after: GONE_AFTER,
            max_removal_share: MAX_REMOVAL_SHARE,
            allow_mass_removal: false,
            allow_shrink: false,
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Everything was crawled and committed.
    Ok,
    /// Committed, but the crawl did not cover everything (page limit).
    Incomplete,
    /// A site was unreachable, the removal guard tripped, an update was held back
    /// (a page lost most of its document), or the commit failed.
    Failed,
    /// Stopped by a signal; nothing was committed.
    Interrupted,
}

/// A page that did not make it, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Problem {
    pub url: String,
    pub reason: String,
}

/// A page that answered 404/410, and how many visits in a row did.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GonePage {
    pub url: String,
    pub status: u16,
    pub count: u32,
}

/// A site whose removals the guard held back.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GuardTrip {
    pub site: String,
    /// Documents of the site in the index.
    pub documents: usize,
    /// Documents the run would have removed.
    pub would_remove: usize,
    /// The most it may remove.
    pub limit: usize,
}

/// Visits of one kind of page (list or document).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct KindCounts {
    pub visited: usize,
    /// Downloaded (new, changed or unchanged content).
    pub fetched: usize,
    pub not_modified: usize,
    pub gone: usize,
    pub refused: usize,
    pub failed: usize,
}

/// The run report (written as JSON by `zhengce reindex`).
#[derive(Debug, Clone, Serialize)]
pub struct ReindexReport {
    pub status: RunStatus,
    /// Why the status is not `ok`, one sentence each.
    pub problems: Vec<String>,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub finished_at: String,
    pub duration_ms: u64,
    /// Pages downloaded (new, changed or unchanged content).
    pub fetched: usize,
    /// Pages the server said had not changed (304).
    pub not_modified: usize,
    /// Known document pages left alone because they were not due.
    pub not_due: usize,
    /// Due document pages left for a later run (revisit budget).
    pub deferred: usize,
    pub list_pages: KindCounts,
    pub detail_pages: KindCounts,
    /// Documents added to the index.
    pub new: usize,
    /// Documents replaced in the index.
    pub updated: usize,
    /// Documents removed because their pages are gone.
    pub removed: usize,
    /// Documents whose pages did not change, written again because the versions of
    /// their work did (a new version, a version removed).
    pub relinked: usize,
    /// Documents in the index after the run.
    pub documents: u64,
    /// The index's segments after the run (count, entries, deleted, bytes).
    pub index: zhengce_index::SegmentStats,
    pub new_urls: Vec<String>,
    pub updated_urls: Vec<String>,
    pub removed_urls: Vec<String>,
    /// Pages that answered 404/410 this run (removed once `count` reaches the limit).
    pub gone: Vec<GonePage>,
    /// Pages refused by a rule (robots.txt, host, size, redirects, address …).
    pub refused: Vec<Problem>,
    /// Pages that failed to fetch or parse.
    pub failed: Vec<Problem>,
    /// Sites whose removals were held back.
    pub guard: Vec<GuardTrip>,
    /// Changed pages that did not replace their indexed documents because they lost
    /// most of them (a cut-off or empty download): the indexed version was kept.
    pub held: Vec<Problem>,
}

/// Now, as RFC 3339 in UTC.
pub fn timestamp() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl ReindexReport {
    /// An empty report of a run starting now.
    pub fn starting() -> ReindexReport {
        ReindexReport {
            status: RunStatus::Ok,
            problems: Vec::new(),
            started_at: timestamp(),
            finished_at: String::new(),
            duration_ms: 0,
            fetched: 0,
            not_modified: 0,
            not_due: 0,
            deferred: 0,
            list_pages: KindCounts::default(),
            detail_pages: KindCounts::default(),
            new: 0,
            updated: 0,
            removed: 0,
            relinked: 0,
            documents: 0,
            index: zhengce_index::SegmentStats::default(),
            new_urls: Vec::new(),
            updated_urls: Vec::new(),
            removed_urls: Vec::new(),
            gone: Vec::new(),
            refused: Vec::new(),
            failed: Vec::new(),
            guard: Vec::new(),
            held: Vec::new(),
        }
    }

    /// Records a problem and lowers the status to at least `status`.
    fn problem(&mut self, status: RunStatus, text: String) {
        tracing::warn!(problem = %text, "reindex problem");
        self.problems.push(text);
        let rank = |s: RunStatus| match s {
            RunStatus::Ok => 0,
            RunStatus::Incomplete => 1,
            RunStatus::Failed => 2,
            RunStatus::Interrupted => 3,
        };
        if rank(status) > rank(self.status) {
            self.status = status;
        }
    }

    /// Records a changed page whose indexed document was kept, and fails the run.
    fn hold(&mut self, url: &str, reason: String) {
        self.problem(
            RunStatus::Failed,
            format!(
                "{url}: {reason}; the indexed version was kept (a cut-off download?) — check the page, then rerun with --allow-shrink if it is right"
            ),
        );
        self.held.push(Problem {
            url: url.to_string(),
            reason,
        });
    }

    fn add_crawl(&mut self, crawled: &CrawlReport, options: &CrawlOptions) {
        for page in &crawled.pages {
            let counts = match page.kind {
                PageKind::List => &mut self.list_pages,
                PageKind::Detail => &mut self.detail_pages,
            };
            counts.visited += 1;
            match &page.outcome {
                Outcome::New | Outcome::Updated | Outcome::Unchanged => {
                    counts.fetched += 1;
                    self.fetched += 1;
                }
                Outcome::NotModified => {
                    counts.not_modified += 1;
                    self.not_modified += 1;
                }
                Outcome::Refused { reason } => {
                    counts.refused += 1;
                    self.refused.push(Problem {
                        url: page.url.clone(),
                        reason: reason.clone(),
                    });
                }
                Outcome::Failed { reason } => {
                    counts.failed += 1;
                    self.failed.push(Problem {
                        url: page.url.clone(),
                        reason: reason.clone(),
                    });
                }
                Outcome::Gone { status, count } => {
                    counts.gone += 1;
                    self.gone.push(GonePage {
                        url: page.url.clone(),
                        status: *status,
                        count: *count,
                    });
                }
            }
        }
        for site in &crawled.sites {
            self.not_due += site.not_due;
            self.deferred += site.deferred;
        }
        if crawled.interrupted {
            self.problem(
                RunStatus::Interrupted,
                "interrupted by a signal: nothing was committed; the next run picks up the stored pages".into(),
            );
        }
        for text in crawled.problems(options.max_pages) {
            if text.starts_with("interrupted") {
                continue;
            }
            let status = if text.contains("unreachable") {
                RunStatus::Failed
            } else {
                RunStatus::Incomplete
            };
            self.problem(status, text);
        }
    }
}

/// Runs the crawl and brings the index up to date with the store. Problems of the run
/// (an unreachable site, the page limit, the removal guard, a failed commit, a signal)
/// are in the report's `status` and `problems`; errors are left for what stops a run
/// before it can report (an unreadable store).
pub async fn reindex(
    sites: &[SiteConfig],
    store: &PageStore,
    index: &PolicyIndex,
    crawl_options: &CrawlOptions,
    options: &ReindexOptions,
    progress: &(dyn Fn(&PageOutcome) + Sync),
) -> Result<ReindexReport, PipelineError> {
    let started = Instant::now();
    let mut report = ReindexReport::starting();
    let crawled = crawl(sites, store, crawl_options, progress).await?;
    report.add_crawl(&crawled, crawl_options);
    // A site none of whose start pages answered may be down or broken: its 404s are
    // counted but nothing of it is removed this run.
    let unreachable: Vec<String> = crawled
        .sites
        .iter()
        .filter(|s| !s.reachable)
        .map(|s| s.name.clone())
        .collect();
    if report.status != RunStatus::Interrupted
        && let Err(e) = apply_holding(store, index, options, &unreachable, &mut report)
    {
        report.problem(RunStatus::Failed, format!("index update failed: {e}"));
    }
    report.duration_ms = started.elapsed().as_millis() as u64;
    report.documents = index.num_docs().unwrap_or(0);
    report.index = index.segment_stats().unwrap_or_default();
    report.finished_at = timestamp();
    Ok(report)
}

/// Why a new version of a page must not replace its indexed document, if it must not:
/// it has no body where the document had one, keeps less than [`MIN_BODY_SHARE`] of
/// the body, or has lost the 文号.
fn loss(indexed: &PolicyDoc, new: &PolicyDoc) -> Option<String> {
    let before = indexed.body.chars().count();
    let after = new.body.chars().count();
    if before > 0 && after == 0 {
        return Some(format!(
            "the new page has no body (the indexed one has {before} characters)"
        ));
    }
    if (after as f64) < before as f64 * MIN_BODY_SHARE {
        return Some(format!(
            "the new page keeps {after} of the indexed body's {before} characters ({}%, under {}%)",
            after * 100 / before,
            (MIN_BODY_SHARE * 100.0) as u32
        ));
    }
    if let (Some(number), None) = (&indexed.doc_number, &new.doc_number) {
        return Some(format!("the new page has lost the 文号 {number}"));
    }
    None
}

/// The site a stored page belongs to (older records: its host).
fn site_of(page: &StoredPage) -> String {
    page.site.clone().unwrap_or_else(|| {
        page.url
            .split("://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or_default()
            .to_string()
    })
}

/// Indexes every stored document page whose content is not indexed yet, removes those
/// gone long enough (within the guard), commits, and only then marks the store.
pub fn apply(
    store: &PageStore,
    index: &PolicyIndex,
    options: &ReindexOptions,
    report: &mut ReindexReport,
) -> Result<(), PipelineError> {
    apply_holding(store, index, options, &[], report)
}

/// [`apply`], removing nothing of the sites named in `hold` (unless
/// `allow_mass_removal`).
fn apply_holding(
    store: &PageStore,
    index: &PolicyIndex,
    options: &ReindexOptions,
    hold: &[String],
    report: &mut ReindexReport,
) -> Result<(), PipelineError> {
    let pages: Vec<StoredPage> = store
        .all()?
        .into_iter()
        .filter(|p| p.kind == PageKind::Detail)
        .collect();

    // The guard: per site, documents in the index against documents to remove.
    let mut per_site: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for page in &pages {
        if page.indexed_id.is_some() {
            let entry = per_site.entry(site_of(page)).or_default();
            entry.0 += 1;
            if page.gone_count >= options.gone_after {
                entry.1 += 1;
            }
        }
    }
    let mut held_back: Vec<String> = Vec::new();
    for (site, (documents, would_remove)) in per_site {
        if options.allow_mass_removal {
            if would_remove > 0 {
                tracing::warn!(%site, documents, would_remove, "removal allowed by flag");
            }
            continue;
        }
        let limit = ((documents as f64 * options.max_removal_share).floor() as usize).max(1);
        if would_remove > limit {
            report.problem(
                RunStatus::Failed,
                format!(
                    "site {site:?}: {would_remove} of its {documents} documents are gone, more than the {limit} one run may remove; nothing of it was removed (check the site, then rerun with --allow-mass-removal if it is right)"
                ),
            );
            report.guard.push(GuardTrip {
                site: site.clone(),
                documents,
                would_remove,
                limit,
            });
            held_back.push(site);
        } else if would_remove > 0 && hold.contains(&site) {
            report.problem(
                RunStatus::Failed,
                format!(
                    "site {site:?}: {would_remove} gone documents kept while the site is unreachable"
                ),
            );
            held_back.push(site);
        }
    }

    let mut writer = index.writer()?;
    let mut done = Vec::new();
    // Documents to write (with their pages' URLs) and ids removed: written after the
    // loop, once the versions of their works are grouped with the index.
    let mut changed: Vec<(PolicyDoc, String)> = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    for mut page in pages {
        if page.gone_count >= options.gone_after {
            if held_back.contains(&site_of(&page)) {
                continue;
            }
            if let Some(id) = page.indexed_id.take() {
                writer.delete(&id);
                removed.push(id);
                report.removed += 1;
                report.removed_urls.push(page.url.clone());
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
        // What the index holds for this page, to tell a cut-off download from an edit.
        let stored = match (&page.indexed_id, options.allow_shrink) {
            (Some(id), false) => index.get_stored(id)?.map(|s| s.doc),
            _ => None,
        };
        let bytes = store.body(&page.url)?;
        let input = PageInput {
            url: Some(&page.url),
            http_charset: page.charset.as_deref(),
            source: Some("crawl"),
        };
        match parse_page(&bytes, &input) {
            Ok(mut doc) => {
                zhengce_enrich::enrich(&mut doc);
                if let Some(loss) = stored.as_ref().and_then(|old| loss(old, &doc)) {
                    // Not marked as indexed: the next run tries the page again.
                    report.hold(&page.url, loss);
                    continue;
                }
                page.indexed_id = Some(doc.id.clone());
                changed.push((doc, page.url.clone()));
            }
            Err(e) => {
                report.failed.push(Problem {
                    url: page.url.clone(),
                    reason: format!("cannot parse: {e}"),
                });
                if stored.is_some() {
                    report.hold(&page.url, format!("the new page cannot be parsed ({e})"));
                    continue;
                }
                if let Some(id) = page.indexed_id.take() {
                    writer.delete(&id);
                    removed.push(id);
                }
            }
        }
        page.indexed_hash = Some(page.content_hash.clone());
        done.push(page);
    }
    // A page whose document moved to another id deletes the old one: it is not removed
    // from its work if the run writes it again.
    removed.retain(|id| !changed.iter().any(|(doc, _)| &doc.id == id));
    let mut docs: Vec<&mut PolicyDoc> = changed.iter_mut().map(|(doc, _)| doc).collect();
    let regrouped = versions::group_with_index(index, &mut docs, &removed)?;
    for (doc, url) in &changed {
        match writer.upsert(doc, &zhengce_benefits::derive(doc))? {
            Upsert::Added => {
                report.new += 1;
                report.new_urls.push(url.clone());
            }
            Upsert::Replaced => {
                report.updated += 1;
                report.updated_urls.push(url.clone());
            }
        }
    }
    for stored in &regrouped.rewrites {
        writer.upsert(&stored.doc, &stored.facts)?;
        report.relinked += 1;
    }
    if std::env::var(CRASH_BEFORE_COMMIT).as_deref() == Ok("1") {
        tracing::error!("{CRASH_BEFORE_COMMIT}=1: aborting before the commit");
        std::process::abort();
    }
    // Commit and wait for the merges it starts: a nightly run leaves a compact index.
    writer.finish()?;
    for page in &done {
        // Keep what the crawl wrote (next visit, counts) and set the marks only.
        let mut current = store.get(&page.url)?.unwrap_or_else(|| page.clone());
        current.indexed_hash = page.indexed_hash.clone();
        current.indexed_id = page.indexed_id.clone();
        store.put(&current, None)?;
    }
    tracing::info!(
        new = report.new,
        updated = report.updated,
        removed = report.removed,
        "index committed"
    );
    Ok(())
}
