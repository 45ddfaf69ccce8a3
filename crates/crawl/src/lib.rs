//! A polite crawler for government portals, and the raw page store it fills.
//!
//! `crawl` starts from each site's list pages (sites side by side), decodes them with the
//! parser's decoder, follows pagination (下一页/上一页, numbered pages, `?page=N`,
//! `index_1.html`, the list's own path with another query) and the document links of list
//! pages within the allowed hosts. Known document pages are revisited by age
//! ([`Revisit`]). It reads robots.txt (Disallow, Crawl-delay) and checks it on every
//! redirect hop, keeps a per-host rate (1 request/s by default) with per-host state that
//! never blocks other hosts, retries 429, 5xx and dropped connections with exponential
//! backoff and jitter (honouring `Retry-After`), a timeout once, and a refused
//! connection, DNS or TLS failure never. It follows at most a few redirects and never off
//! the allowed hosts, refuses pages over the size limit and anything that is not
//! http(s), and refuses private and loopback addresses (unless allowed) inside the HTTP
//! client's own resolver. Every page it gets is kept in the [`PageStore`] with its
//! headers, so parsing can run again without fetching; revisits send
//! `If-None-Match`/`If-Modified-Since`. Nothing here knows about parsing documents or
//! indexing: the report says what changed (and [`CrawlReport::problems`] what makes the
//! crawl untrustworthy) and the caller decides.
//!
//! ```no_run
//! # async fn run() -> zhengce_crawl::Result<()> {
//! use zhengce_crawl::{crawl, CrawlOptions, PageStore, SiteConfig};
//!
//! let site = SiteConfig::from_urls(&["https://kjt.ln.gov.cn/kjt/zfxxgk/".into()], &[]);
//! let store = PageStore::open(std::path::Path::new("store"))?;
//! let report = crawl(&[site], &store, &CrawlOptions::default(), &|_| {}).await?;
//! println!("{} new pages", report.count(|o| matches!(o, zhengce_crawl::Outcome::New)));
//! # Ok(())
//! # }
//! ```

mod config;
mod fetch;
mod links;
mod store;

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use tokio::task::JoinSet;
use url::Url;

pub use config::{
    CrawlOptions, DEFAULT_CONCURRENCY, DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGES, DEFAULT_MAX_REVISIT,
    DEFAULT_MIN_REVISIT, DEFAULT_RATE, DEFAULT_REVISIT_SHARE, Resolver, Revisit, Selectors,
    SiteConfig, SitesFile, Stop, USER_AGENT,
};
pub use fetch::{
    Failure, Fetched, Fetcher, NonPublicAddress, PublicOnly, SystemResolver, is_public,
};
pub use links::{PageLinks, extract as extract_links};
/// The DNS types a custom [`Resolver`] is written with.
pub use reqwest::dns::{Addrs, Name, Resolve, Resolving};
pub use store::{PageKind, PageStore, StoreLock, StoredPage, content_hash};

/// Errors that stop a crawl (a single page's failure never does).
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    /// The sites file or an option is invalid.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The store cannot be read or written.
    #[error("cannot use {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A stored record is unreadable.
    #[error("corrupt page store: {0}")]
    Store(String),
    /// Another run holds the store's lock file.
    #[error("another run holds {path} ({holder}); not starting a second one")]
    Locked { path: String, holder: String },
}

pub type Result<T, E = CrawlError> = std::result::Result<T, E>;

/// What happened to one URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Fetched for the first time.
    New,
    /// Fetched, and its content changed.
    Updated,
    /// Fetched, same content as stored.
    Unchanged,
    /// The server answered 304.
    NotModified,
    /// 404 or 410; `count` consecutive visits found it gone.
    Gone {
        status: u16,
        count: u32,
    },
    Refused {
        reason: String,
    },
    Failed {
        reason: String,
    },
}

/// One URL of a crawl.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageOutcome {
    pub url: String,
    pub kind: PageKind,
    /// The site (its `name`) the URL was crawled for.
    pub site: String,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// How one site's crawl went.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SiteSummary {
    pub name: String,
    /// List pages visited (every run).
    pub list_pages: usize,
    /// Document pages visited: new ones and known ones that were due.
    pub detail_pages: usize,
    /// Known document pages not visited because they were not due.
    pub not_due: usize,
    /// Known document pages that were due but left for a later run (revisit budget).
    pub deferred: usize,
    /// At least one start page answered with a page (or 304).
    pub reachable: bool,
    /// Why the start pages gave nothing, when they did not.
    pub start_failures: Vec<String>,
    /// URLs left unvisited because the page limit was reached.
    pub left_at_limit: usize,
}

/// Everything a crawl did, URL by URL, and per site.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CrawlReport {
    pub pages: Vec<PageOutcome>,
    pub sites: Vec<SiteSummary>,
    /// The crawl was stopped before it finished.
    pub interrupted: bool,
}

impl CrawlReport {
    pub fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.pages.iter().filter(|p| f(&p.outcome)).count()
    }

    /// Why this crawl cannot be trusted to be complete: unreachable sites, page limits,
    /// an interruption. Empty when it can.
    pub fn problems(&self, max_pages: usize) -> Vec<String> {
        let mut out = Vec::new();
        if self.interrupted {
            out.push("interrupted before the crawl finished".to_string());
        }
        for site in &self.sites {
            if !site.reachable {
                out.push(format!(
                    "site {:?} is unreachable: no start page could be fetched ({})",
                    site.name,
                    site.start_failures.join("; ")
                ));
            }
            if site.left_at_limit > 0 {
                out.push(format!(
                    "site {:?}: page limit of {max_pages} reached with {} URLs not visited",
                    site.name, site.left_at_limit
                ));
            }
        }
        out
    }
}

fn system_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Crawls every site into `store`, sites side by side; `progress` hears about each URL
/// as it is done. Stops early, with `interrupted` set, when `options.stop` fires.
pub async fn crawl(
    sites: &[SiteConfig],
    store: &PageStore,
    options: &CrawlOptions,
    progress: &(dyn Fn(&PageOutcome) + Sync),
) -> Result<CrawlReport> {
    for site in sites {
        site.validate()?;
    }
    let fetcher = Arc::new(Fetcher::new(options.clone()));
    let now = options.now.unwrap_or_else(system_now);
    let known = Arc::new(store.all()?);
    let runs = sites
        .iter()
        .map(|site| crawl_site(site, store, options, &fetcher, &known, now, progress));
    let mut report = CrawlReport::default();
    for result in futures_util::future::join_all(runs).await {
        let (pages, summary) = result?;
        report.pages.extend(pages);
        report.sites.push(summary);
    }
    report.interrupted = options.stop.is_stopped();
    Ok(report)
}

/// A finished fetch: the URL, its kind, what the store had, what came back.
type Visit = (Url, PageKind, Option<StoredPage>, Result<Fetched, Failure>);

/// Whether a known page is due at `now`. Half the shortest interval of slack, so a page
/// fetched a few minutes into last night's run is due at the start of tonight's.
fn is_due(page: &StoredPage, now: u64, revisit: &config::Revisit) -> bool {
    revisit.all
        || page.gone_count > 0
        || page.status >= 300
        || page.next_visit <= now + revisit.min_interval.as_secs() / 2
}

/// When a page just visited is due again: `min_interval` doubled for every unchanged
/// visit, at most `max_interval`, spread ±10% by the URL so pages found together do not
/// all come due on the same night.
fn next_visit(url: &str, now: u64, unchanged: u32, revisit: &config::Revisit) -> u64 {
    let base = revisit.min_interval.as_secs().max(1);
    let interval = base
        .saturating_mul(1u64 << unchanged.min(32))
        .min(revisit.max_interval.as_secs().max(base));
    let hash = content_hash(url.as_bytes());
    let spread = u64::from_str_radix(&hash[..4], 16).unwrap_or(0) % 201; // 0..=200
    let jittered = interval * (900 + spread) / 1000;
    now + jittered
}

async fn crawl_site(
    site: &SiteConfig,
    store: &PageStore,
    options: &CrawlOptions,
    fetcher: &Arc<Fetcher>,
    known: &[StoredPage],
    now: u64,
    progress: &(dyn Fn(&PageOutcome) + Sync),
) -> Result<(Vec<PageOutcome>, SiteSummary)> {
    let hosts = Arc::new(site.hosts());
    let rate = site.rate.unwrap_or(options.rate);
    let mut summary = SiteSummary {
        name: site.name.clone(),
        ..SiteSummary::default()
    };
    let mut pages = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut refused_links: HashSet<String> = HashSet::new();
    // Lists and new documents first; known documents that are due after them.
    let mut queue: VecDeque<(Url, PageKind)> = VecDeque::new();
    let mut revisits: VecDeque<(Url, PageKind)> = VecDeque::new();
    let start_urls: HashSet<String> = site
        .start_urls
        .iter()
        .filter_map(|u| Url::parse(u).ok().map(|u| u.to_string()))
        .collect();
    for u in &site.start_urls {
        let url = Url::parse(u).map_err(|e| CrawlError::Config(format!("{u}: {e}")))?;
        if seen.insert(url.to_string()) {
            queue.push_back((url, PageKind::List));
        }
    }

    // The known document pages of this site, and which of them this run revisits.
    let site_docs: HashMap<&str, &StoredPage> = known
        .iter()
        .filter(|p| p.kind == PageKind::Detail)
        .filter(|p| match &p.site {
            Some(name) => *name == site.name,
            None => Url::parse(&p.url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
                .is_some_and(|h| hosts.contains(&h)),
        })
        .map(|p| (p.url.as_str(), p))
        .collect();
    let mut due: Vec<&StoredPage> = site_docs
        .values()
        .copied()
        .filter(|p| is_due(p, now, &options.revisit))
        .collect();
    // Pages found gone or failing first (their removal waits on them), then by age.
    due.sort_by_key(|p| {
        (
            p.gone_count == 0 && p.status < 300,
            p.next_visit,
            p.url.clone(),
        )
    });
    let budget = if options.revisit.all {
        usize::MAX
    } else {
        ((site_docs.len() as f64 * options.revisit.share).ceil() as usize).max(1)
    };
    for (i, page) in due.iter().enumerate() {
        let urgent = page.gone_count > 0 || page.status >= 300;
        if i >= budget && !urgent {
            summary.deferred += 1;
            continue;
        }
        if let Ok(url) = Url::parse(&page.url)
            && seen.insert(url.to_string())
        {
            revisits.push_back((url, PageKind::Detail));
        }
    }

    let mut tasks: JoinSet<Visit> = JoinSet::new();
    let mut started = 0usize;
    loop {
        while !options.stop.is_stopped()
            && tasks.len() < options.concurrency.max(1)
            && started < options.max_pages
        {
            let Some((url, kind)) = queue.pop_front().or_else(|| revisits.pop_front()) else {
                break;
            };
            started += 1;
            let previous = store.get(url.as_str())?;
            let fetcher = Arc::clone(fetcher);
            let hosts = Arc::clone(&hosts);
            tasks.spawn(async move {
                let validators = previous
                    .as_ref()
                    .filter(|p| p.status < 300)
                    .map_or((None, None), |p| (p.etag.clone(), p.last_modified.clone()));
                let result = fetcher
                    .fetch(
                        &url,
                        &hosts,
                        rate,
                        (validators.0.as_deref(), validators.1.as_deref()),
                    )
                    .await;
                (url, kind, previous, result)
            });
        }
        if tasks.is_empty() {
            break;
        }
        let joined = tokio::select! {
            biased;
            joined = tasks.join_next() => joined,
            () = options.stop.stopped() => {
                tasks.abort_all();
                tracing::warn!(site = %site.name, "crawl interrupted");
                break;
            }
        };
        let Some(joined) = joined else { break };
        let (url, kind, previous, result) =
            joined.map_err(|e| CrawlError::Store(format!("crawl task failed: {e}")))?;
        let is_start = start_urls.contains(url.as_str());
        let visit = Record {
            site: &site.name,
            now,
            revisit: &options.revisit,
        };
        let (outcome, body) = visit.record(store, &url, kind, previous, result)?;
        match kind {
            PageKind::List => summary.list_pages += 1,
            PageKind::Detail => summary.detail_pages += 1,
        }
        if is_start {
            match &outcome {
                Outcome::New | Outcome::Updated | Outcome::Unchanged | Outcome::NotModified => {
                    summary.reachable = true;
                }
                Outcome::Gone { status, .. } => {
                    summary.start_failures.push(format!("{url}: HTTP {status}"));
                }
                Outcome::Refused { reason } | Outcome::Failed { reason } => {
                    summary.start_failures.push(format!("{url}: {reason}"));
                }
            }
        }
        // Links are followed from list pages only: pagination stays a list, the rest are
        // documents.
        if kind == PageKind::List
            && let Some(body) = body
        {
            let stored = store.get(url.as_str())?;
            let charset = stored.as_ref().and_then(|p| p.charset.clone());
            // The parser's decoder: HTTP charset, BOM, <meta>, then detection.
            let text = match zhengce_parse::decode(&body, charset.as_deref()) {
                Ok(decoded) => decoded.text,
                Err(e) => {
                    tracing::debug!(%url, error = %e, "list page not decodable; reading it as utf-8");
                    String::from_utf8_lossy(&body).into_owned()
                }
            };
            let base = stored
                .and_then(|p| Url::parse(&p.final_url).ok())
                .unwrap_or_else(|| url.clone());
            let links = extract_links(&text, &base, &site.selectors);
            let found = links
                .pagination
                .into_iter()
                .map(|u| (u, PageKind::List))
                .chain(links.other.into_iter().map(|u| (u, PageKind::Detail)));
            for (link, link_kind) in found {
                let host = link.host_str().unwrap_or_default().to_ascii_lowercase();
                if !hosts.contains(&host) {
                    if refused_links.insert(link.to_string()) {
                        let page = PageOutcome {
                            url: link.to_string(),
                            kind: link_kind,
                            site: site.name.clone(),
                            outcome: Outcome::Refused {
                                reason: format!("host {host} is not allowed"),
                            },
                        };
                        progress(&page);
                        pages.push(page);
                    }
                    continue;
                }
                if !seen.insert(link.to_string()) {
                    continue;
                }
                // A known document that is not due is left alone tonight.
                if link_kind == PageKind::Detail && site_docs.contains_key(link.as_str()) {
                    continue;
                }
                queue.push_back((link, link_kind));
            }
        }
        let page = PageOutcome {
            url: url.to_string(),
            kind,
            site: site.name.clone(),
            outcome,
        };
        tracing::debug!(url = %page.url, outcome = ?page.outcome, "crawled");
        progress(&page);
        pages.push(page);
    }
    let left = queue.len() + revisits.len();
    if started >= options.max_pages && left > 0 && !options.stop.is_stopped() {
        summary.left_at_limit = left;
        tracing::warn!(site = %site.name, left, max_pages = options.max_pages, "page limit reached");
    }
    let visited: HashSet<&str> = pages.iter().map(|p| p.url.as_str()).collect();
    summary.not_due = site_docs
        .keys()
        .filter(|u| !visited.contains(*u))
        .count()
        .saturating_sub(summary.deferred);
    if summary.start_failures.is_empty() && !summary.reachable && !options.stop.is_stopped() {
        summary
            .start_failures
            .push("no start page was visited".into());
    }
    Ok((pages, summary))
}

/// Stores what a visit brought, with the site and the next visit's time.
struct Record<'a> {
    site: &'a str,
    now: u64,
    revisit: &'a config::Revisit,
}

impl Record<'_> {
    /// Stores what a fetch brought and says what it was; returns the body to follow
    /// links in. Any answer other than 404/410 ends a run of "gone" answers.
    fn record(
        &self,
        store: &PageStore,
        url: &Url,
        kind: PageKind,
        previous: Option<StoredPage>,
        result: Result<Fetched, Failure>,
    ) -> Result<(Outcome, Option<Vec<u8>>)> {
        let now = self.now;
        match result {
            Ok(Fetched::Page {
                final_url,
                status,
                headers,
                body,
                charset,
            }) => {
                let hash = content_hash(&body);
                let outcome = match &previous {
                    None => Outcome::New,
                    Some(p) if p.content_hash == hash && p.status < 300 => Outcome::Unchanged,
                    Some(_) => Outcome::Updated,
                };
                let unchanged = match (&outcome, &previous) {
                    (Outcome::Unchanged, Some(p)) => p.unchanged_visits + 1,
                    _ => 0,
                };
                let page = StoredPage {
                    url: url.to_string(),
                    final_url: final_url.to_string(),
                    status,
                    etag: headers.get("etag").cloned(),
                    last_modified: headers.get("last-modified").cloned(),
                    headers,
                    fetched_at: now,
                    content_hash: hash,
                    charset,
                    kind,
                    gone_count: 0,
                    indexed_hash: previous.as_ref().and_then(|p| p.indexed_hash.clone()),
                    indexed_id: previous.as_ref().and_then(|p| p.indexed_id.clone()),
                    next_visit: next_visit(url.as_str(), now, unchanged, self.revisit),
                    unchanged_visits: unchanged,
                    site: Some(self.site.to_string()),
                };
                store.put(&page, Some(&body))?;
                Ok((outcome, Some(body)))
            }
            Ok(Fetched::NotModified) => {
                let body = match &previous {
                    Some(p) => {
                        let mut p = p.clone();
                        p.fetched_at = now;
                        p.gone_count = 0;
                        p.unchanged_visits += 1;
                        p.next_visit =
                            next_visit(url.as_str(), now, p.unchanged_visits, self.revisit);
                        p.site = Some(self.site.to_string());
                        store.put(&p, None)?;
                        store.body(url.as_str()).ok()
                    }
                    None => None,
                };
                Ok((Outcome::NotModified, body))
            }
            Ok(Fetched::Gone(status)) => {
                let count = match previous {
                    Some(mut p) => {
                        p.gone_count += 1;
                        p.fetched_at = now;
                        p.next_visit = now;
                        p.site = Some(self.site.to_string());
                        store.put(&p, None)?;
                        p.gone_count
                    }
                    None => 1,
                };
                Ok((Outcome::Gone { status, count }, None))
            }
            Err(failure) => {
                // Not an answer about the page: it breaks a run of "gone" answers and
                // the page is due again next run.
                if let Some(mut p) = previous
                    && (p.gone_count > 0 || p.next_visit > now)
                {
                    p.gone_count = 0;
                    p.next_visit = now;
                    store.put(&p, None)?;
                }
                Ok(match failure {
                    Failure::Refused(reason) => (Outcome::Refused { reason }, None),
                    Failure::Failed(reason) => (Outcome::Failed { reason }, None),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisits_back_off_and_stay_within_bounds() {
        let revisit = Revisit::default();
        let day = 24 * 3600;
        let after = |n| next_visit("http://gov.example/a.html", 0, n, &revisit);
        assert!((day * 9 / 10..=day * 11 / 10).contains(&after(0)));
        assert!((day * 18 / 10..=day * 22 / 10).contains(&after(1)));
        assert!(after(3) > after(2));
        let max = DEFAULT_MAX_REVISIT.as_secs();
        assert!(after(30) <= max * 11 / 10 && after(30) >= max * 9 / 10);
    }
}
