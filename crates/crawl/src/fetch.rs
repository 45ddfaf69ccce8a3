//! One page over HTTP: safety checks, per-host rate limits, robots.txt, conditional
//! requests, manual redirects, a size limit, and retries with backoff.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use rand::Rng;
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use tokio::sync::Mutex;
use url::Url;

use crate::config::{CrawlOptions, USER_AGENT};

/// What a fetch brought back.
#[derive(Debug)]
pub enum Fetched {
    Page {
        final_url: Url,
        status: u16,
        headers: BTreeMap<String, String>,
        body: Vec<u8>,
        charset: Option<String>,
    },
    NotModified,
    /// 404 or 410.
    Gone(u16),
}

/// Why a fetch did not bring a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// A rule said no (robots.txt, host, address, size, redirects, scheme).
    Refused(String),
    /// The server or the network failed (after retries).
    Failed(String),
}

/// A per-host politeness state: rate limiter and robots.txt.
struct Host {
    limiter: Arc<DefaultDirectRateLimiter>,
    robots: Option<texting_robots::Robot>,
}

pub struct Fetcher {
    client: reqwest::Client,
    options: CrawlOptions,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

fn limiter(period: Duration) -> Arc<DefaultDirectRateLimiter> {
    let quota = Quota::with_period(period.max(Duration::from_millis(1)))
        .expect("positive period")
        .allow_burst(NonZeroU32::MIN);
    Arc::new(RateLimiter::direct(quota))
}

enum Attempt {
    Done(Fetched),
    Retry {
        reason: String,
        after: Option<Duration>,
    },
    Stop(Failure),
}

impl Fetcher {
    pub fn new(options: CrawlOptions) -> Fetcher {
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .no_proxy()
            .build()
            .expect("a TLS backend");
        Fetcher {
            client,
            options,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// The politeness state of `url`'s host, fetching its robots.txt on first use.
    async fn host(&self, url: &Url, rate: f64) -> Arc<Host> {
        let key = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default())
            + &url.port().map(|p| format!(":{p}")).unwrap_or_default();
        let mut hosts = self.hosts.lock().await;
        if let Some(h) = hosts.get(&key) {
            return Arc::clone(h);
        }
        let mut period = Duration::from_secs_f64(1.0 / rate);
        let robots_url = format!("{key}/robots.txt");
        let first = limiter(period);
        first.until_ready().await;
        let robots = match self.client.get(&robots_url).send().await {
            Ok(r) if r.status().is_success() => match r.bytes().await {
                Ok(bytes) => texting_robots::Robot::new("zhengce", &bytes).ok(),
                Err(_) => None,
            },
            _ => None,
        };
        if let Some(delay) = robots.as_ref().and_then(|r| r.delay) {
            period = period.max(Duration::from_secs_f64(f64::from(delay)));
        }
        let host = Arc::new(Host {
            limiter: limiter(period),
            robots,
        });
        // The robots.txt request counts against the host's rate.
        host.limiter.until_ready().await;
        hosts.insert(key, Arc::clone(&host));
        host
    }

    /// Refuses what must not be fetched: other schemes, other hosts, private addresses.
    async fn check(&self, url: &Url, allowed_hosts: &[String]) -> Result<(), Failure> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Failure::Refused(format!(
                "scheme {} is not http or https",
                url.scheme()
            )));
        }
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        if !allowed_hosts.contains(&host) {
            return Err(Failure::Refused(format!("host {host} is not allowed")));
        }
        if self.options.allowed_private.contains(&host) {
            return Ok(());
        }
        let port = url.port_or_known_default().unwrap_or(80);
        let addrs = tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|e| Failure::Failed(format!("cannot resolve {host}: {e}")))?;
        for addr in addrs {
            let ip = addr.ip();
            if !is_public(ip)
                && !self
                    .options
                    .allowed_private
                    .iter()
                    .any(|h| *h == ip.to_string())
            {
                return Err(Failure::Refused(format!(
                    "{host} resolves to non-public address {ip}"
                )));
            }
        }
        Ok(())
    }

    /// Fetches `url` (with `If-None-Match`/`If-Modified-Since` when given), following
    /// redirects within `allowed_hosts` and retrying transient failures.
    pub async fn fetch(
        &self,
        url: &Url,
        allowed_hosts: &[String],
        rate: f64,
        validators: (Option<&str>, Option<&str>),
    ) -> Result<Fetched, Failure> {
        self.check(url, allowed_hosts).await?;
        let host = self.host(url, rate).await;
        if let Some(robots) = &host.robots
            && !robots.allowed(url.as_str())
        {
            return Err(Failure::Refused("disallowed by robots.txt".into()));
        }
        let mut attempt = 0;
        loop {
            match self.attempt(url, allowed_hosts, rate, validators).await {
                Attempt::Done(f) => return Ok(f),
                Attempt::Stop(f) => return Err(f),
                Attempt::Retry { reason, after } => {
                    if attempt >= self.options.retries {
                        return Err(Failure::Failed(format!(
                            "{reason} (after {} attempts)",
                            attempt + 1
                        )));
                    }
                    let base = self.options.backoff * 2u32.pow(attempt);
                    let jitter = rand::rng().random_range(0..=base.as_millis() as u64 / 2);
                    let wait = after
                        .map(|a| a.min(self.options.max_retry_after))
                        .unwrap_or(base + Duration::from_millis(jitter));
                    tracing::debug!(%url, %reason, ?wait, "retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
            }
        }
    }

    async fn attempt(
        &self,
        url: &Url,
        allowed_hosts: &[String],
        rate: f64,
        (etag, last_modified): (Option<&str>, Option<&str>),
    ) -> Attempt {
        let mut current = url.clone();
        for hop in 0..=self.options.max_redirects {
            if hop > 0
                && let Err(f) = self.check(&current, allowed_hosts).await
            {
                return Attempt::Stop(match f {
                    Failure::Refused(r) => Failure::Refused(format!("redirect to {current}: {r}")),
                    other => other,
                });
            }
            let host = self.host(&current, rate).await;
            host.limiter.until_ready().await;
            let mut request = self.client.get(current.clone());
            if let Some(e) = etag {
                request = request.header(header::IF_NONE_MATCH, e);
            }
            if let Some(m) = last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, m);
            }
            let mut response = match request.send().await {
                Ok(r) => r,
                Err(e) if e.is_timeout() => {
                    return Attempt::Retry {
                        reason: "timed out".into(),
                        after: None,
                    };
                }
                Err(e) => {
                    return Attempt::Retry {
                        reason: format!("request failed: {e}"),
                        after: None,
                    };
                }
            };
            let status = response.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let Some(next) = response
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .and_then(|l| current.join(l).ok())
                else {
                    return Attempt::Stop(Failure::Failed(format!(
                        "HTTP {status} without a Location"
                    )));
                };
                current = next;
                continue;
            }
            if status == StatusCode::NOT_MODIFIED {
                return Attempt::Done(Fetched::NotModified);
            }
            if status == StatusCode::NOT_FOUND || status == StatusCode::GONE {
                return Attempt::Done(Fetched::Gone(status.as_u16()));
            }
            if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
                return Attempt::Retry {
                    reason: format!("HTTP {}", status.as_u16()),
                    after: retry_after(response.headers()),
                };
            }
            if !status.is_success() {
                return Attempt::Stop(Failure::Failed(format!("HTTP {}", status.as_u16())));
            }
            let limit = self.options.max_bytes;
            if response.content_length().is_some_and(|n| n > limit) {
                return Attempt::Stop(Failure::Refused(format!("page larger than {limit} bytes")));
            }
            let headers = headers_map(response.headers());
            let charset = charset(response.headers());
            let mut body = Vec::new();
            loop {
                match response.chunk().await {
                    Ok(Some(chunk)) => {
                        if body.len() as u64 + chunk.len() as u64 > limit {
                            return Attempt::Stop(Failure::Refused(format!(
                                "page larger than {limit} bytes"
                            )));
                        }
                        body.extend_from_slice(&chunk);
                    }
                    Ok(None) => break,
                    Err(e) if e.is_timeout() => {
                        return Attempt::Retry {
                            reason: "timed out reading the body".into(),
                            after: None,
                        };
                    }
                    Err(e) => {
                        return Attempt::Retry {
                            reason: format!("body failed: {e}"),
                            after: None,
                        };
                    }
                }
            }
            return Attempt::Done(Fetched::Page {
                final_url: current,
                status: status.as_u16(),
                headers,
                body,
                charset,
            });
        }
        Attempt::Stop(Failure::Refused(format!(
            "more than {} redirects",
            self.options.max_redirects
        )))
    }
}

fn headers_map(headers: &HeaderMap) -> BTreeMap<String, String> {
    headers
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect()
}

fn charset(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    ct.split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// Whether an address is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || o[0] == 0)
        }
        IpAddr::V6(v6) => {
            let seg = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg[0] & 0xfe00) == 0xfc00
                || (seg[0] & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| !is_public(IpAddr::V4(v4))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_and_private_addresses() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.4",
            "169.254.1.1",
            "100.64.0.1",
            "::1",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "0.0.0.0",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["202.96.128.86", "8.8.8.8", "2400:3200::1"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn charset_and_retry_after() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            "text/html; charset=GBK".parse().unwrap(),
        );
        h.insert(header::RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(charset(&h).as_deref(), Some("GBK"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
    }
}
