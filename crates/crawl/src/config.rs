//! Site configuration (TOML, unknown keys rejected) and crawl options.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::{CrawlError, Result};

/// Default requests per second to one host.
pub const DEFAULT_RATE: f64 = 1.0;
/// Default requests in flight at once.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// Default page limit of one crawl.
pub const DEFAULT_MAX_PAGES: usize = 10_000;
/// Default largest page accepted (larger ones are refused and recorded).
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;
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
    pub concurrency: usize,
    pub max_pages: usize,
    pub max_bytes: u64,
    pub connect_timeout: Duration,
    /// Limit on a whole request (headers and body).
    pub timeout: Duration,
    pub max_redirects: usize,
    /// Retries after the first attempt, on timeouts, 429 and 5xx.
    pub retries: u32,
    /// First backoff; doubles each retry, with jitter.
    pub backoff: Duration,
    /// Longest wait a `Retry-After` may impose.
    pub max_retry_after: Duration,
    /// Loopback and private addresses are refused unless listed here (`127.0.0.1`).
    pub allowed_private: Vec<String>,
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
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(60),
            allowed_private: Vec::new(),
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
