//! One page over HTTP: safety checks, per-host rate limits, robots.txt on every hop,
//! conditional requests, manual redirects, a size limit, and retries decided by the kind
//! of failure.
//!
//! The private-address rule lives in the HTTP client's own DNS resolver
//! ([`PublicOnly`]): the addresses checked are the addresses connected to, so a host
//! that answers a public address to one lookup and a private one to the next (DNS
//! rebinding) gets nowhere. IP-literal URLs, which skip the resolver, are checked before
//! the request.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use rand::Rng;
use reqwest::StatusCode;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{self, HeaderMap};
use tokio::sync::OnceCell;
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
    /// The server or the network failed (after the retries its kind deserves).
    Failed(String),
}

/// Consecutive connection failures (refused, DNS, TLS, connect timeout) after which a
/// host's remaining pages fail at once for the rest of the run.
const HOST_DOWN_AFTER: u32 = 3;

/// A per-host politeness state: rate limiter, robots.txt, connection health.
struct Host {
    limiter: Arc<DefaultDirectRateLimiter>,
    robots: Option<texting_robots::Robot>,
    connect_failures: AtomicU32,
    last_connect_error: std::sync::Mutex<Option<String>>,
}

/// Fetches pages; cheap to share between tasks.
pub struct Fetcher {
    client: reqwest::Client,
    options: CrawlOptions,
    /// Each host's state is built once, outside this lock: a slow robots.txt or a rate
    /// wait on one host never holds up another.
    hosts: std::sync::Mutex<HashMap<String, Arc<OnceCell<Arc<Host>>>>>,
}

fn limiter(period: Duration) -> Arc<DefaultDirectRateLimiter> {
    let quota = Quota::with_period(period.max(Duration::from_millis(1)))
        .expect("positive period")
        .allow_burst(NonZeroU32::MIN);
    Arc::new(RateLimiter::direct(quota))
}

/// What went wrong with a request, decided from the error itself.
#[derive(Debug, Clone, PartialEq, Eq)]
enum NetError {
    /// The request or its connection timed out: retried (`timeout_retries`).
    Timeout(String),
    /// Nothing listens there: not retried.
    Refused,
    /// The name does not resolve: not retried.
    Dns(String),
    /// The TLS handshake or certificate failed: not retried.
    Tls(String),
    /// The resolver's answer was private: refused, not retried.
    NonPublic(String),
    /// The connection dropped midway: retried (`retries`).
    Dropped(String),
}

impl NetError {
    fn is_connect(&self) -> bool {
        matches!(
            self,
            NetError::Refused | NetError::Dns(_) | NetError::Tls(_)
        )
    }

    fn reason(&self) -> String {
        match self {
            NetError::Timeout(what) => what.clone(),
            NetError::Refused => "connection refused".into(),
            NetError::Dns(e) => format!("dns lookup failed: {e}"),
            NetError::Tls(e) => format!("tls failure: {e}"),
            NetError::NonPublic(e) => e.clone(),
            NetError::Dropped(e) => e.clone(),
        }
    }
}

/// Sorts a reqwest error into a [`NetError`] by walking its causes.
fn classify(error: &reqwest::Error, timeout: Duration, connect_timeout: Duration) -> NetError {
    let mut chain = Vec::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(np) = e.downcast_ref::<NonPublicAddress>() {
            return NetError::NonPublic(np.to_string());
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind as K;
            match io.kind() {
                K::ConnectionRefused => return NetError::Refused,
                K::TimedOut => {
                    return NetError::Timeout(format!(
                        "timed out connecting (after {connect_timeout:?})"
                    ));
                }
                _ => {}
            }
        }
        chain.push(e.to_string());
        source = e.source();
    }
    let text = chain.join(": ").to_ascii_lowercase();
    let last = chain.last().cloned().unwrap_or_default();
    if error.is_timeout() {
        return if error.is_connect() {
            NetError::Timeout(format!("timed out connecting (after {connect_timeout:?})"))
        } else {
            NetError::Timeout(format!("timed out (after {timeout:?})"))
        };
    }
    if text.contains("dns error") || text.contains("failed to lookup address") {
        return NetError::Dns(last);
    }
    if text.contains("certificate")
        || text.contains("tls")
        || text.contains("handshake")
        || text.contains("invalid peer")
    {
        return NetError::Tls(last);
    }
    if text.contains("connection refused") {
        return NetError::Refused;
    }
    if error.is_connect() {
        return NetError::Dropped(format!("cannot connect: {last}"));
    }
    NetError::Dropped(format!("connection failed: {last}"))
}

/// The resolver answered only private or loopback addresses for a host.
#[derive(Debug, thiserror::Error)]
#[error("{host} resolves to non-public address {ip}")]
pub struct NonPublicAddress {
    pub host: String,
    pub ip: IpAddr,
}

/// A DNS resolver that drops private, loopback and other non-public addresses from the
/// answers of `inner`, unless the host name or the address is in `allowed`. Installed as
/// the HTTP client's own resolver, so the check and the connection use one lookup.
pub struct PublicOnly {
    inner: Arc<dyn Resolve>,
    allowed: Arc<Vec<String>>,
}

impl PublicOnly {
    pub fn new(inner: Arc<dyn Resolve>, allowed: Vec<String>) -> PublicOnly {
        PublicOnly {
            inner,
            allowed: Arc::new(
                allowed
                    .into_iter()
                    .map(|h| h.to_ascii_lowercase())
                    .collect(),
            ),
        }
    }
}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_ascii_lowercase();
        let allowed = Arc::clone(&self.allowed);
        let lookup = self.inner.resolve(name);
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = lookup.await?.collect();
            if allowed.contains(&host) {
                return Ok(Box::new(addrs.into_iter()) as Addrs);
            }
            let (public, private): (Vec<SocketAddr>, Vec<SocketAddr>) =
                addrs.into_iter().partition(|a| {
                    is_public(a.ip()) || allowed.iter().any(|h| *h == a.ip().to_string())
                });
            if public.is_empty()
                && let Some(first) = private.first()
            {
                tracing::warn!(%host, ip = %first.ip(), "refused a non-public address");
                return Err(Box::new(NonPublicAddress {
                    host,
                    ip: first.ip(),
                })
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// The system resolver (`getaddrinfo` on a blocking thread).
pub struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?
                .collect();
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

enum Attempt {
    Done(Fetched),
    Retry {
        reason: String,
        after: Option<Duration>,
        timeout: bool,
    },
    Stop(Failure),
}

fn host_key(url: &Url) -> String {
    format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default())
        + &url.port().map(|p| format!(":{p}")).unwrap_or_default()
}

impl Fetcher {
    pub fn new(options: CrawlOptions) -> Fetcher {
        let inner: Arc<dyn Resolve> = match &options.resolver {
            Some(r) => Arc::clone(&r.0),
            None => Arc::new(SystemResolver),
        };
        let resolver = PublicOnly::new(inner, options.allowed_private.clone());
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .dns_resolver(Arc::new(resolver))
            .no_proxy()
            .build()
            .expect("a TLS backend");
        Fetcher {
            client,
            options,
            hosts: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The politeness state of `url`'s host, fetching its robots.txt on first use. Only
    /// the first caller for a host waits for robots.txt; other hosts go on.
    async fn host(&self, url: &Url, rate: f64) -> Arc<Host> {
        let key = host_key(url);
        let cell = {
            let mut hosts = self.hosts.lock().expect("hosts lock");
            Arc::clone(hosts.entry(key.clone()).or_default())
        };
        let host = cell.get_or_init(|| self.init_host(key, rate)).await;
        Arc::clone(host)
    }

    async fn init_host(&self, key: String, rate: f64) -> Arc<Host> {
        let mut period = Duration::from_secs_f64(1.0 / rate);
        let robots_url = format!("{key}/robots.txt");
        let mut robots = None;
        let mut connect_failures = 0;
        let mut last_connect_error = None;
        match self.client.get(&robots_url).send().await {
            Ok(r) if r.status().is_success() => {
                if let Ok(bytes) = r.bytes().await {
                    robots = texting_robots::Robot::new("zhengce", &bytes).ok();
                }
            }
            Ok(_) => {}
            Err(e) => {
                let kind = classify(&e, self.options.timeout, self.options.connect_timeout);
                tracing::debug!(url = %robots_url, reason = %kind.reason(), "robots.txt unavailable");
                if kind.is_connect() {
                    connect_failures = 1;
                    last_connect_error = Some(kind.reason());
                }
            }
        }
        if let Some(delay) = robots.as_ref().and_then(|r| r.delay) {
            period = period.max(Duration::from_secs_f64(f64::from(delay)));
        }
        let host = Arc::new(Host {
            limiter: limiter(period),
            robots,
            connect_failures: AtomicU32::new(connect_failures),
            last_connect_error: std::sync::Mutex::new(last_connect_error),
        });
        // The robots.txt request counts against the host's rate.
        let _ = host.limiter.check();
        host
    }

    /// Refuses what must not be fetched: other schemes, other hosts, private IP
    /// literals (host names are checked by the client's resolver).
    fn check(&self, url: &Url, allowed_hosts: &[String]) -> Result<(), Failure> {
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
        let ip = match url.host() {
            Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
            _ => return Ok(()),
        };
        if !is_public(ip) && !self.options.allowed_private.contains(&ip.to_string()) {
            return Err(Failure::Refused(format!("{host} is a non-public address")));
        }
        Ok(())
    }

    /// Fetches `url` (with `If-None-Match`/`If-Modified-Since` when given), following
    /// redirects within `allowed_hosts` and robots.txt, and retrying what is worth it:
    /// 429, 5xx and dropped connections up to `retries` times, timeouts up to
    /// `timeout_retries` times, refused connections, DNS and TLS failures never.
    pub async fn fetch(
        &self,
        url: &Url,
        allowed_hosts: &[String],
        rate: f64,
        validators: (Option<&str>, Option<&str>),
    ) -> Result<Fetched, Failure> {
        let mut attempt = 0;
        let mut timeouts = 0;
        loop {
            match self.attempt(url, allowed_hosts, rate, validators).await {
                Attempt::Done(f) => return Ok(f),
                Attempt::Stop(f) => return Err(f),
                Attempt::Retry {
                    reason,
                    after,
                    timeout,
                } => {
                    let exhausted = if timeout {
                        timeouts >= self.options.timeout_retries
                    } else {
                        attempt - timeouts >= self.options.retries
                    };
                    if exhausted {
                        return Err(Failure::Failed(format!(
                            "{reason} (after {} attempts)",
                            attempt + 1
                        )));
                    }
                    let base = self.options.backoff * 2u32.pow(attempt.min(16));
                    let jitter = rand::rng().random_range(0..=base.as_millis() as u64 / 2);
                    let wait = after
                        .map(|a| a.min(self.options.max_retry_after))
                        .unwrap_or(base + Duration::from_millis(jitter));
                    tracing::debug!(%url, %reason, ?wait, "retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                    if timeout {
                        timeouts += 1;
                    }
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
            let hop_refused = |r: String| {
                if hop == 0 {
                    Failure::Refused(r)
                } else {
                    Failure::Refused(format!("redirect to {current}: {r}"))
                }
            };
            if let Err(f) = self.check(&current, allowed_hosts) {
                return Attempt::Stop(match f {
                    Failure::Refused(r) => hop_refused(r),
                    other => other,
                });
            }
            let host = self.host(&current, rate).await;
            if let Some(robots) = &host.robots
                && !robots.allowed(current.as_str())
            {
                return Attempt::Stop(hop_refused("disallowed by robots.txt".into()));
            }
            if host.connect_failures.load(Ordering::Relaxed) >= HOST_DOWN_AFTER {
                let last = host
                    .last_connect_error
                    .lock()
                    .expect("lock")
                    .clone()
                    .unwrap_or_default();
                return Attempt::Stop(Failure::Failed(format!(
                    "host unreachable ({last}); not tried again this run"
                )));
            }
            host.limiter.until_ready().await;
            // Same headers on every hop: a redirect is the same request elsewhere.
            let mut request = self.client.get(current.clone());
            if let Some(e) = etag {
                request = request.header(header::IF_NONE_MATCH, e);
            }
            if let Some(m) = last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, m);
            }
            let mut response = match request.send().await {
                Ok(r) => {
                    host.connect_failures.store(0, Ordering::Relaxed);
                    r
                }
                Err(e) => {
                    let kind = classify(&e, self.options.timeout, self.options.connect_timeout);
                    let reason = kind.reason();
                    // A host that cannot be connected to (refused, no name, bad TLS, or a
                    // connect timeout) costs each of its pages little once it is down.
                    if kind.is_connect() || (e.is_connect() && e.is_timeout()) {
                        host.connect_failures.fetch_add(1, Ordering::Relaxed);
                        *host.last_connect_error.lock().expect("lock") = Some(reason.clone());
                    }
                    return match kind {
                        NetError::NonPublic(r) => Attempt::Stop(hop_refused(r)),
                        NetError::Refused | NetError::Dns(_) | NetError::Tls(_) => {
                            Attempt::Stop(Failure::Failed(reason))
                        }
                        NetError::Timeout(_) => Attempt::Retry {
                            reason,
                            after: None,
                            timeout: true,
                        },
                        NetError::Dropped(_) => Attempt::Retry {
                            reason,
                            after: None,
                            timeout: false,
                        },
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
                    timeout: false,
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
                    Err(e) => {
                        let kind = classify(&e, self.options.timeout, self.options.connect_timeout);
                        let timeout = matches!(kind, NetError::Timeout(_));
                        return Attempt::Retry {
                            reason: format!("reading the body: {}", kind.reason()),
                            after: None,
                            timeout,
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
