//! A polite crawler for government portals, and the raw page store it fills.
//!
//! `crawl` starts from a site's list pages, follows pagination (下一页, numbered pages,
//! `?page=N`, `index_1.html`) and the document links on list pages within the allowed
//! hosts. It reads robots.txt (Disallow, Crawl-delay), keeps a per-host rate (1 request/s
//! by default) with bounded concurrency, retries timeouts, 429 and 5xx with exponential
//! backoff and jitter (honouring `Retry-After`), follows at most a few redirects and never
//! off the allowed hosts, refuses pages over the size limit, private and loopback
//! addresses (unless allowed), and anything that is not http(s). Every page it gets is
//! kept in the [`PageStore`] with its headers, so parsing can run again without fetching;
//! revisits send `If-None-Match`/`If-Modified-Since`. Nothing here knows about parsing or
//! indexing: the report says what changed and the caller decides.
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

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use tokio::task::JoinSet;
use url::Url;

pub use config::{
    CrawlOptions, DEFAULT_CONCURRENCY, DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGES, DEFAULT_RATE,
    Selectors, SiteConfig, SitesFile, USER_AGENT,
};
pub use fetch::{Failure, Fetched, Fetcher, is_public};
pub use links::{PageLinks, extract as extract_links};
pub use store::{PageKind, PageStore, StoredPage, content_hash};

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
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Everything a crawl did, URL by URL.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CrawlReport {
    pub pages: Vec<PageOutcome>,
}

impl CrawlReport {
    pub fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.pages.iter().filter(|p| f(&p.outcome)).count()
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Crawls every site into `store`; `progress` hears about each URL as it is done.
pub async fn crawl(
    sites: &[SiteConfig],
    store: &PageStore,
    options: &CrawlOptions,
    progress: &(dyn Fn(&PageOutcome) + Sync),
) -> Result<CrawlReport> {
    let fetcher = Arc::new(Fetcher::new(options.clone()));
    let mut report = CrawlReport::default();
    for site in sites {
        site.validate()?;
        crawl_site(site, store, options, &fetcher, &mut report, progress).await?;
    }
    Ok(report)
}

/// A finished fetch: the URL, its kind, what the store had, what came back.
type Visit = (Url, PageKind, Option<StoredPage>, Result<Fetched, Failure>);

async fn crawl_site(
    site: &SiteConfig,
    store: &PageStore,
    options: &CrawlOptions,
    fetcher: &Arc<Fetcher>,
    report: &mut CrawlReport,
    progress: &(dyn Fn(&PageOutcome) + Sync),
) -> Result<()> {
    let hosts = Arc::new(site.hosts());
    let rate = site.rate.unwrap_or(options.rate);
    let mut seen: HashSet<String> = HashSet::new();
    let mut refused_links: HashSet<String> = HashSet::new();
    let mut queue: VecDeque<(Url, PageKind)> = VecDeque::new();
    for u in &site.start_urls {
        let url = Url::parse(u).map_err(|e| CrawlError::Config(format!("{u}: {e}")))?;
        if seen.insert(url.to_string()) {
            queue.push_back((url, PageKind::List));
        }
    }
    let mut tasks: JoinSet<Visit> = JoinSet::new();
    let mut started = 0usize;
    loop {
        while tasks.len() < options.concurrency.max(1) && started < options.max_pages {
            let Some((url, kind)) = queue.pop_front() else {
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
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        let (url, kind, previous, result) =
            joined.map_err(|e| CrawlError::Store(format!("crawl task failed: {e}")))?;
        let (outcome, body) = record(store, &url, kind, previous, result)?;
        // Links are followed from list pages only: pagination stays a list, the rest are
        // documents.
        if kind == PageKind::List
            && let Some(body) = body
        {
            let text = String::from_utf8_lossy(&body);
            let base = store
                .get(url.as_str())?
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
                            outcome: Outcome::Refused {
                                reason: format!("host {host} is not allowed"),
                            },
                        };
                        progress(&page);
                        report.pages.push(page);
                    }
                    continue;
                }
                if seen.insert(link.to_string()) {
                    queue.push_back((link, link_kind));
                }
            }
        }
        let page = PageOutcome {
            url: url.to_string(),
            kind,
            outcome,
        };
        tracing::debug!(url = %page.url, outcome = ?page.outcome, "crawled");
        progress(&page);
        report.pages.push(page);
    }
    if !queue.is_empty() {
        tracing::info!(
            left = queue.len(),
            max_pages = options.max_pages,
            "page limit reached"
        );
    }
    Ok(())
}

/// Stores what a fetch brought and says what it was; returns the body to follow links in.
fn record(
    store: &PageStore,
    url: &Url,
    kind: PageKind,
    previous: Option<StoredPage>,
    result: Result<Fetched, Failure>,
) -> Result<(Outcome, Option<Vec<u8>>)> {
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
            let page = StoredPage {
                url: url.to_string(),
                final_url: final_url.to_string(),
                status,
                etag: headers.get("etag").cloned(),
                last_modified: headers.get("last-modified").cloned(),
                headers,
                fetched_at: now(),
                content_hash: hash,
                charset,
                kind,
                gone_count: 0,
                indexed_hash: previous.as_ref().and_then(|p| p.indexed_hash.clone()),
                indexed_id: previous.as_ref().and_then(|p| p.indexed_id.clone()),
            };
            store.put(&page, Some(&body))?;
            Ok((outcome, Some(body)))
        }
        Ok(Fetched::NotModified) => {
            let body = match &previous {
                Some(p) => {
                    let mut p = p.clone();
                    p.fetched_at = now();
                    p.gone_count = 0;
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
                    p.fetched_at = now();
                    store.put(&p, None)?;
                    p.gone_count
                }
                None => 1,
            };
            Ok((Outcome::Gone { status, count }, None))
        }
        Err(Failure::Refused(reason)) => Ok((Outcome::Refused { reason }, None)),
        Err(Failure::Failed(reason)) => Ok((Outcome::Failed { reason }, None)),
    }
}
