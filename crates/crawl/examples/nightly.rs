//! Crawl measurements for BENCHMARKS.md, against mock portals on 127.0.0.1:
//!
//! 1. pages per minute at the default politeness (1 request/s per host, 4 in flight);
//! 2. a 10,000-document site (500 GBK list pages of 20) crawled once, then 40 nightly
//!    runs in which 1% of the documents change before each night: requests per night,
//!    wall time here, the time the requests take at the default rate, and how many
//!    nights a change waits before a run picks it up.
//!
//! ```sh
//! cargo run --release -p zhengce-crawl --example nightly            # both
//! cargo run --release -p zhengce-crawl --example nightly -- nightly # only the second
//! ```

use std::collections::HashMap;
use std::time::{Duration, Instant};

use zhengce_crawl::{CrawlOptions, Outcome, PageStore, Revisit, SiteConfig, crawl};
use zhengce_testkit::{GBK_START, MockPage, MockPortal, document_html, gbk_site};

const DAY: u64 = 24 * 3600;

fn store(name: &str) -> (std::path::PathBuf, PageStore) {
    let dir = std::env::temp_dir().join(format!("zhengce-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = PageStore::open(&dir).expect("store");
    (dir, store)
}

fn page_requests(portal: &MockPortal) -> usize {
    portal
        .requests()
        .iter()
        .filter(|r| !r.ends_with("/robots.txt"))
        .count()
}

async fn default_politeness() {
    let (pages, _) = gbk_site(58, 20);
    let portal = MockPortal::with_pages(pages).await;
    let (dir, store) = store("polite");
    let site = SiteConfig::from_urls(&[portal.url(GBK_START)], &[]);
    let options = CrawlOptions {
        allowed_private: vec!["127.0.0.1".into()],
        ..CrawlOptions::default()
    };
    let started = Instant::now();
    let report = crawl(&[site], &store, &options, &|_| {})
        .await
        .expect("crawl");
    let elapsed = started.elapsed();
    let pages = report.pages.len();
    println!(
        "default politeness, one host: {pages} pages (+ robots.txt) in {:.1} s = {:.1} pages/min",
        elapsed.as_secs_f64(),
        pages as f64 * 60.0 / elapsed.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(dir);
}

async fn nightly() {
    const DOCS: usize = 10_000;
    const NIGHTS: u64 = 40;
    const CHANGED: usize = DOCS / 100;
    let (pages, docs) = gbk_site(DOCS, 20);
    let portal = MockPortal::with_pages(pages).await;
    let (dir, store) = store("nightly");
    let site = SiteConfig::from_urls(&[portal.url(GBK_START)], &[]);
    let t0 = 1_800_000_000;
    let at = |now: u64| CrawlOptions {
        rate: 100_000.0,
        concurrency: 8,
        max_pages: 50_000,
        allowed_private: vec!["127.0.0.1".into()],
        now: Some(now),
        ..CrawlOptions::default()
    };
    let started = Instant::now();
    let first = crawl(std::slice::from_ref(&site), &store, &at(t0), &|_| {})
        .await
        .expect("crawl");
    println!(
        "first crawl: {} pages, {} requests, {:.1} s here",
        first.pages.len(),
        page_requests(&portal),
        started.elapsed().as_secs_f64()
    );

    // A simple deterministic generator for which documents change.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut version: HashMap<usize, u32> = HashMap::new();
    let mut pending: HashMap<String, u64> = HashMap::new(); // url → night it changed
    let mut waits: Vec<u64> = Vec::new();
    let mut rows = Vec::new();
    for night in 1..=NIGHTS {
        for _ in 0..CHANGED {
            let i = (next() % DOCS as u64) as usize;
            let v = version.entry(i).or_insert(1);
            *v += 1;
            portal.set_raw(&docs[i], MockPage::gbk(&document_html(i, *v)));
            pending.entry(portal.url(&docs[i])).or_insert(night);
        }
        portal.clear_requests();
        let started = Instant::now();
        let report = crawl(
            std::slice::from_ref(&site),
            &store,
            &at(t0 + night * DAY),
            &|_| {},
        )
        .await
        .expect("crawl");
        let elapsed = started.elapsed();
        let mut caught = 0;
        for p in &report.pages {
            if p.outcome == Outcome::Updated
                && let Some(since) = pending.remove(&p.url)
            {
                waits.push(night - since);
                caught += 1;
            }
        }
        let s = &report.sites[0];
        rows.push((
            night,
            page_requests(&portal),
            s.list_pages,
            s.detail_pages,
            s.deferred,
            caught,
            elapsed,
        ));
    }
    println!("night | requests | lists | documents | deferred | changes picked up | time here");
    for (night, requests, lists, details, deferred, caught, elapsed) in &rows {
        if *night <= 6 || night % 5 == 0 {
            println!(
                "{night:>5} | {requests:>8} | {lists:>5} | {details:>9} | {deferred:>8} | {caught:>17} | {:.1} s",
                elapsed.as_secs_f64()
            );
        }
    }
    let last: Vec<_> = rows.iter().filter(|r| r.0 > NIGHTS - 10).collect();
    let mean_requests = last.iter().map(|r| r.1).sum::<usize>() as f64 / last.len() as f64;
    let mean_time = last.iter().map(|r| r.6).sum::<Duration>() / last.len() as u32;
    waits.sort_unstable();
    println!(
        "nights {}-{NIGHTS}: {mean_requests:.0} requests a night on average \
         ({:.1}% of the {} pages), {:.1} s here, {:.0} min at the default 1 request/s",
        NIGHTS - 9,
        mean_requests * 100.0 / (DOCS + DOCS / 20) as f64,
        DOCS + DOCS / 20,
        mean_time.as_secs_f64(),
        mean_requests / 60.0
    );
    println!(
        "a change waits {:.1} nights on average (median {}, max {}) before a run picks it up; {} still waiting",
        waits.iter().sum::<u64>() as f64 / waits.len().max(1) as f64,
        waits.get(waits.len() / 2).copied().unwrap_or(0),
        waits.last().copied().unwrap_or(0),
        pending.len()
    );

    // For comparison: every known page every night (the behaviour before the policy).
    portal.clear_requests();
    let all = CrawlOptions {
        revisit: Revisit {
            all: true,
            ..Revisit::default()
        },
        ..at(t0 + (NIGHTS + 1) * DAY)
    };
    let started = Instant::now();
    crawl(&[site], &store, &all, &|_| {}).await.expect("crawl");
    println!(
        "revisiting everything: {} requests, {:.1} s here, {:.0} min at 1 request/s",
        page_requests(&portal),
        started.elapsed().as_secs_f64(),
        page_requests(&portal) as f64 / 60.0
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let only = std::env::args().nth(1);
    if only.as_deref() != Some("nightly") {
        default_politeness().await;
    }
    nightly().await;
}
