//! Site configuration (TOML, unknown keys rejected) and crawl options.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::Deserialize;
use tokio::sync::Notify;

use crate::{CrawlError, Result};

/// Default requests per second to one host.
pub const DEFAULT_RATE: f64 = 1.0;
/// Default requests in flight at once.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// Default page limit of one crawl.
pub const DEFAULT_MAX_PAGES: usize = 10_000;
/// Default largest page accepted (larger ones are refused and recorded).
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;
/// Default shortest time between two visits of a known document page.
pub const DEFAULT_MIN_REVISIT: Duration = Duration::from_secs(24 * 3600);
/// Default longest time between two visits of a known document page.
pub const DEFAULT_MAX_REVISIT: Duration = Duration::from_secs(32 * 24 * 3600);
/// Default share of a site's known document pages one run may revisit.
pub const DEFAULT_REVISIT_SHARE: f64 = 0.1;
/// The User-Agent: the project, and where to read about it.
pub const USER_AGENT: &str = concat!(
    "zhengce/",
    env!("CARGO_PKG_VERSION"),
    " (policy document search; polite crawler; respects robots.txt)"
);

/// The sites file: `[[site]]` tables.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SitesFile {
    #[serde(rename = "site", default)]
    pub sites: Vec<SiteConfig>,
}

/// One portal to crawl.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub name: String,
    /// List pages to start from.
    pub start_urls: Vec<String>,
    /// Hosts the crawl may visit; the start URLs' hosts when empty.
    #[serde(default)]
    pub allowed_hosts: Vec<String>,
    /// Requests per second to this site's hosts.
    pub rate: Option<f64>,
    /// Optional selectors where the general link rules need help.
    #[serde(default)]
    pub selectors: Selectors,
}

/// CSS selectors for a site's list pages.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Selectors {
    /// Links to documents on a list page.
    pub list_links: Option<String>,
    /// The link to the next list page.
    pub next_page: Option<String>,
}

impl SitesFile {
    pub fn load(path: &Path) -> Result<SitesFile> {
        let text = std::fs::read_to_string(path).map_err(|source| CrawlError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let file: SitesFile = toml::from_str(&text)
            .map_err(|e| CrawlError::Config(format!("{}: {e}", path.display())))?;
        for site in &file.sites {
            site.validate()?;
        }
        Ok(file)
    }
}

impl SiteConfig {
    /// A site made of bare start URLs (the `crawl URL...` form).
    pub fn from_urls(urls: &[String], allowed_hosts: &[String]) -> SiteConfig {
        SiteConfig {
            name: "command line".into(),
            start_urls: urls.to_vec(),
            allowed_hosts: allowed_hosts.to_vec(),
            rate: None,
            selectors: Selectors::default(),
        }
    }

    pub fn validate(&self) -> Result<()> {
        if self.start_urls.is_empty() {
            return Err(CrawlError::Config(format!(
                "site {:?} has no start_urls",
                self.name
            )));
        }
        for u in &self.start_urls {
            let url = url::Url::parse(u).map_err(|e| {
                CrawlError::Config(format!("site {:?}: bad start URL {u:?}: {e}", self.name))
            })?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(CrawlError::Config(format!(
                    "site {:?}: only http and https URLs, got {u:?}",
                    self.name
                )));
            }
        }
        if let Some(rate) = self.rate
            && !(rate > 0.0 && rate.is_finite())
        {
            return Err(CrawlError::Config(format!(
                "site {:?}: rate must be positive",
                self.name
            )));
        }
        for sel in [&self.selectors.list_links, &self.selectors.next_page]
            .into_iter()
            .flatten()
        {
            scraper::Selector::parse(sel).map_err(|e| {
                CrawlError::Config(format!("site {:?}: bad selector {sel:?}: {e}", self.name))
            })?;
        }
        Ok(())
    }

    /// The hosts this site may visit.
    pub fn hosts(&self) -> Vec<String> {
        if !self.allowed_hosts.is_empty() {
            return self
                .allowed_hosts
                .iter()
                .map(|h| h.to_ascii_lowercase())
                .collect();
        }
        self.start_urls
            .iter()
            .filter_map(|u| {
                url::Url::parse(u)
                    .ok()?
                    .host_str()
                    .map(str::to_ascii_lowercase)
            })
            .collect()
    }
}

/// How a crawl behaves; defaults are the polite ones.
#[derive(Debug, Clone)]
pub struct CrawlOptions {
    /// Requests per second per host, unless a site sets its own.
    pub rate: f64,
    /// Fetches in flight at once for one site (sites are crawled side by side).
    pub concurrency: usize,
    /// Pages one site may fetch in a run; hitting it makes the run incomplete.
    pub max_pages: usize,
    pub max_bytes: u64,
    pub connect_timeout: Duration,
    /// Limit on a whole request (headers and body).
    pub timeout: Duration,
    pub max_redirects: usize,
    /// Retries after the first attempt, on 429, 5xx and dropped connections.
    pub retries: u32,
    /// Retries after a timeout (a slow page costs `1 + timeout_retries` timeouts).
    pub timeout_retries: u32,
    /// First backoff; doubles each retry, with jitter.
    pub backoff: Duration,
    /// Longest wait a `Retry-After` may impose.
    pub max_retry_after: Duration,
    /// Loopback and private addresses are refused unless listed here (`127.0.0.1`, or a
    /// host name whose addresses are all allowed).
    pub allowed_private: Vec<String>,
    /// When known document pages are visited again.
    pub revisit: Revisit,
    /// The time of the run in Unix seconds; the system clock when `None` (tests and
    /// benchmarks set it to play several nights).
    pub now: Option<u64>,
    /// The DNS resolver under the private-address filter; the system's when `None`.
    pub resolver: Option<Resolver>,
    /// Stops the crawl early (SIGINT/SIGTERM); the report is then marked interrupted.
    pub stop: Stop,
}

/// The revisit policy for known document pages. List pages are fetched on every run;
/// a document page is due `min_interval` after a visit that found it changed, and the
/// interval doubles with every visit that finds it unchanged, up to `max_interval`.
/// Pages found gone or failing are due on the next run. One run revisits at most
/// `share` of a site's known document pages (gone ones first, then the most overdue).
#[derive(Debug, Clone, PartialEq)]
pub struct Revisit {
    pub min_interval: Duration,
    pub max_interval: Duration,
    pub share: f64,
    /// Visit every known page on this run, due or not.
    pub all: bool,
}

impl Default for Revisit {
    fn default() -> Self {
        Revisit {
            min_interval: DEFAULT_MIN_REVISIT,
            max_interval: DEFAULT_MAX_REVISIT,
            share: DEFAULT_REVISIT_SHARE,
            all: false,
        }
    }
}

/// A DNS resolver for the crawler's HTTP client. Whatever it answers still goes through
/// the private-address filter.
#[derive(Clone)]
pub struct Resolver(pub Arc<dyn reqwest::dns::Resolve>);

impl fmt::Debug for Resolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Resolver(..)")
    }
}

/// A stop signal shared by the crawl and whoever may end it early.
#[derive(Clone, Default)]
pub struct Stop(Arc<(AtomicBool, Notify)>);

impl fmt::Debug for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Stop({})", self.is_stopped())
    }
}

impl Stop {
    /// Asks the crawl to stop: no new fetch starts, fetches in flight are dropped.
    pub fn stop(&self) {
        self.0.0.store(true, Ordering::SeqCst);
        self.0.1.notify_waiters();
    }

    pub fn is_stopped(&self) -> bool {
        self.0.0.load(Ordering::SeqCst)
    }

    /// Resolves once [`Stop::stop`] has been called.
    pub async fn stopped(&self) {
        loop {
            let notified = self.0.1.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.is_stopped() {
                return;
            }
            notified.await;
        }
    }
}

impl Default for CrawlOptions {
    fn default() -> Self {
        CrawlOptions {
            rate: DEFAULT_RATE,
            concurrency: DEFAULT_CONCURRENCY,
            max_pages: DEFAULT_MAX_PAGES,
            max_bytes: DEFAULT_MAX_BYTES,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_redirects: 5,
            retries: 3,
            timeout_retries: 1,
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(60),
            allowed_private: Vec::new(),
            revisit: Revisit::default(),
            now: None,
            resolver: None,
            stop: Stop::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_file_parses_and_rejects_unknown_keys() {
        let file: SitesFile = toml::from_str(
            r#"
            [[site]]
            name = "辽宁省科技厅"
            start_urls = ["http://kjt.ln.gov.cn/kjt/zfxxgk/index.html"]
            allowed_hosts = ["kjt.ln.gov.cn"]
            rate = 0.5
            [site.selectors]
            next_page = "a.next"
            "#,
        )
        .unwrap();
        assert_eq!(file.sites[0].rate, Some(0.5));
        assert_eq!(file.sites[0].selectors.next_page.as_deref(), Some("a.next"));
        let bad = toml::from_str::<SitesFile>("[[site]]\nname='x'\nstart_urls=[]\nspeed=3\n");
        assert!(bad.unwrap_err().to_string().contains("speed"));
    }
}
