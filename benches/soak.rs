//! Soak benchmark: a serving index under nightly-style writes, and adversarial requests.
//!
//! `cargo bench --bench soak` builds an index of every record of
//! `../shared/corpus/docs/*.jsonl` with `zhengce ingest`, serves it with `zhengce serve`
//! (read-only, as in production) and keeps 8 HTTP clients searching throughout. Three
//! phases: idle, then 30 consecutive small `zhengce ingest` runs (each re-ingesting a
//! window of real records, so every run replaces documents as a nightly re-index does),
//! then idle again. It reports latency and throughput per phase, the index's segments
//! and size after every run (from `/metrics`), then sends 10,000 adversarial requests,
//! counting statuses and connection errors, and finally kills 7 ingest runs with SIGKILL
//! at different moments, checking after each that the index passes `zhengce check`, that
//! the server stays healthy and that no committed document is lost.
//!
//! Environment: `ZHENGCE_SOAK_RUNS` (default 30), `ZHENGCE_SOAK_BATCH` (records per run,
//! default 400), `ZHENGCE_SOAK_IDLE_SECONDS` (each idle phase, default 20),
//! `ZHENGCE_SOAK_CLIENTS` (default 8), `ZHENGCE_SOAK_ADVERSARIAL` (default 10,000),
//! `ZHENGCE_SOAK_KILLS` (default 7),
//! `ZHENGCE_SOAK_NICE` (niceness of the ingest runs, default 10 as in the README's
//! systemd unit; 0 for none), `ZHENGCE_BENCH_DIR` (where the temporary folder goes).

#[allow(dead_code)]
#[path = "scale/engines.rs"]
mod engines;
#[allow(dead_code)]
#[path = "scale/queries.rs"]
mod queries;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use reqwest::blocking::Client;

use engines::Zhengce;
use queries::{QUERIES, Target, percentile};

/// How long one HTTP request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The HTTP client every measurement uses: keep-alive, no proxy.
pub fn http_client() -> anyhow::Result<Client> {
    Client::builder()
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .context("cannot build the HTTP client")
}

struct Config {
    runs: usize,
    batch: usize,
    idle: Duration,
    clients: usize,
    adversarial: usize,
    kills: usize,
    nice: i32,
    base_dir: PathBuf,
}

impl Config {
    fn from_env() -> anyhow::Result<Config> {
        Ok(Config {
            runs: engines::env_number("ZHENGCE_SOAK_RUNS", 30)?,
            batch: engines::env_number("ZHENGCE_SOAK_BATCH", 400)?,
            idle: Duration::from_secs(engines::env_number("ZHENGCE_SOAK_IDLE_SECONDS", 20)?),
            clients: engines::env_number("ZHENGCE_SOAK_CLIENTS", 8)?,
            adversarial: engines::env_number("ZHENGCE_SOAK_ADVERSARIAL", 10_000)?,
            kills: engines::env_number("ZHENGCE_SOAK_KILLS", 7)?,
            nice: engines::env_number("ZHENGCE_SOAK_NICE", 10)?,
            base_dir: std::env::var_os("ZHENGCE_BENCH_DIR")
                .map_or_else(std::env::temp_dir, PathBuf::from),
        })
    }
}

/// The bench's folder, removed when dropped.
struct WorkDir(PathBuf);

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One answered (or failed) search of the load.
struct Sample {
    at: Duration,
    ms: f64,
    ok: bool,
}

/// `clients` threads searching the query list until `stop`; every request timed from
/// `epoch`.
fn load(
    target: &Target,
    clients: usize,
    epoch: Instant,
    stop: &AtomicBool,
) -> anyhow::Result<Vec<Sample>> {
    let results: Vec<anyhow::Result<Vec<Sample>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..clients)
            .map(|c| {
                scope.spawn(move || -> anyhow::Result<Vec<Sample>> {
                    let client = http_client()?;
                    let mut samples = Vec::new();
                    let mut n = c * QUERIES.len() / clients;
                    while !stop.load(Ordering::Relaxed) {
                        let url = target.url(&QUERIES[n % QUERIES.len()])?;
                        n += 1;
                        let started = Instant::now();
                        let ok = client
                            .get(url)
                            .send()
                            .and_then(|r| {
                                let ok = r.status().is_success();
                                r.bytes().map(|_| ok)
                            })
                            .unwrap_or(false);
                        samples.push(Sample {
                            at: started - epoch,
                            ms: started.elapsed().as_secs_f64() * 1000.0,
                            ok,
                        });
                    }
                    Ok(samples)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a load client panicked"))
            .collect()
    });
    let mut all = Vec::new();
    for r in results {
        all.extend(r?);
    }
    Ok(all)
}

/// Latency and throughput of the samples started within `from..to`.
#[derive(Debug, Clone, Copy, Default)]
struct Phase {
    requests: usize,
    errors: usize,
    qps: f64,
    p50: f64,
    p99: f64,
}

fn phase(samples: &[Sample], from: Duration, to: Duration) -> Phase {
    let inside: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.at >= from && s.at < to)
        .collect();
    let mut ms: Vec<f64> = inside.iter().filter(|s| s.ok).map(|s| s.ms).collect();
    Phase {
        requests: inside.len(),
        errors: inside.iter().filter(|s| !s.ok).count(),
        qps: ms.len() as f64 / (to - from).as_secs_f64().max(1e-9),
        p50: percentile(&mut ms, 50.0),
        p99: percentile(&mut ms, 99.0),
    }
}

/// The index's shape from the server's `/metrics`.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    segments: u64,
    entries: u64,
    deleted: u64,
    bytes: u64,
}

fn shape(client: &Client, base: &str) -> anyhow::Result<Shape> {
    let text = client
        .get(format!("{base}/metrics"))
        .send()?
        .error_for_status()?
        .text()?;
    let gauge = |name: &str| -> anyhow::Result<u64> {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .with_context(|| format!("{name} not in /metrics"))?
            .trim()
            .parse()
            .with_context(|| format!("{name} is not a number"))
    };
    Ok(Shape {
        segments: gauge("zhengce_index_segments")?,
        entries: gauge("zhengce_index_entries")?,
        deleted: gauge("zhengce_index_deleted_entries")?,
        bytes: gauge("zhengce_index_bytes")?,
    })
}

/// Every record line of the corpus, in file order.
fn corpus_lines(docs: &Path) -> anyhow::Result<Vec<String>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(docs)
        .with_context(|| format!("read {}", docs.display()))?
        .map(|e| Ok(e?.path()))
        .collect::<anyhow::Result<_>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "jsonl"));
    files.sort();
    let mut lines = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)?;
        lines.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(String::from),
        );
    }
    Ok(lines)
}

/// A request a careless or hostile client sends; none may get a 5xx.
fn adversarial(n: usize) -> String {
    let junk = [
        "%FF",
        "%ED%A0%80",
        "%00",
        "'",
        "\"",
        "<script>",
        "〔",
        "（",
        "-",
        "OR",
        "*",
    ];
    let pick = |k: usize| junk[(n / 7 + k) % junk.len()];
    match n % 12 {
        0 => format!("/api/search?q={}", "的".repeat(1 + n % 2000)),
        1 => format!(
            "/api/search?q={}",
            (0..100)
                .map(|i| format!("词{i}"))
                .collect::<Vec<_>>()
                .join("%20OR%20")
        ),
        2 => format!("/api/search?q=%E7%A7%91&page={}", 1 + n * 997 % 20_000),
        3 => format!("/api/search?q={}{}&size={}", pick(0), pick(1), n % 300),
        4 => format!("/api/docs/{}{}", pick(0), pick(2)),
        5 => format!("/docs/{}", pick(1)),
        6 => format!(
            "/api/search?q=a&from=2021-02-{}&to={}",
            20 + n % 15,
            pick(3)
        ),
        7 => format!("/api/facets?field={}&limit={}", pick(0), n % 5000),
        8 => format!("/?q={}&from=singlemessage&utm_source={}", pick(4), pick(5)),
        9 => format!("/api/benefits?beneficiary={}&region={}", pick(6), pick(7)),
        10 => format!(
            "/api/search?q={}&level={}&sort={}",
            pick(8),
            pick(9),
            pick(10)
        ),
        _ => format!("/api/search?{}={}", pick(2), "x".repeat(n % 5000)),
    }
}

/// Sends `total` adversarial requests from `clients` threads; statuses and connection
/// errors counted.
fn adversarial_pass(
    base: &str,
    total: usize,
    clients: usize,
) -> anyhow::Result<(BTreeMap<u16, usize>, usize)> {
    let results: Vec<anyhow::Result<(BTreeMap<u16, usize>, usize)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..clients)
            .map(|c| {
                scope.spawn(move || -> anyhow::Result<(BTreeMap<u16, usize>, usize)> {
                    let client = http_client()?;
                    let mut statuses = BTreeMap::new();
                    let mut failed = 0;
                    for n in (c..total).step_by(clients) {
                        match client.get(format!("{base}{}", adversarial(n))).send() {
                            Ok(r) => {
                                *statuses.entry(r.status().as_u16()).or_default() += 1;
                                let _ = r.bytes();
                            }
                            Err(_) => failed += 1,
                        }
                    }
                    Ok((statuses, failed))
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("an adversarial client panicked"))
            .collect()
    });
    let mut statuses = BTreeMap::new();
    let mut failed = 0;
    for r in results {
        let (s, f) = r?;
        for (k, v) in s {
            *statuses.entry(k).or_default() += v;
        }
        failed += f;
    }
    Ok((statuses, failed))
}

/// Documents the server reports at `/healthz`; an error when it is not healthy.
fn documents(client: &Client, base: &str) -> anyhow::Result<u64> {
    let body = client
        .get(format!("{base}/healthz"))
        .send()?
        .error_for_status()
        .context("/healthz is not ok")?
        .bytes()?;
    let health: serde_json::Value = serde_json::from_slice(&body)?;
    health["documents"]
        .as_u64()
        .context("no documents in /healthz")
}

/// What the SIGKILLs did: runs killed, documents lost, checks failed.
#[derive(Debug, Default)]
struct Kills {
    killed: usize,
    lost: u64,
    damaged: usize,
}

/// Starts `ingest` on `batch` and kills it with SIGKILL after a delay that grows with
/// every round, `rounds` times; after each, `zhengce check` must pass and the server must
/// still count every document it had.
fn kill_ingests(
    binary: &Path,
    index: &Path,
    batch: &Path,
    client: &Client,
    base: &str,
    rounds: usize,
) -> anyhow::Result<Kills> {
    let mut kills = Kills::default();
    for round in 0..rounds {
        let before = documents(client, base)?;
        let mut child = Command::new(binary)
            .arg("ingest")
            .arg("--index")
            .arg(index)
            .arg(batch)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        std::thread::sleep(Duration::from_millis(300 + 500 * round as u64));
        if child.try_wait()?.is_none() {
            child.kill()?;
            kills.killed += 1;
        }
        child.wait()?;
        let check = Command::new(binary)
            .arg("check")
            .arg("--index")
            .arg(index)
            .output()?;
        if !check.status.success() {
            kills.damaged += 1;
            eprintln!(
                "soak: check failed: {}",
                String::from_utf8_lossy(&check.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(1500));
        let after = documents(client, base)?;
        kills.lost += before.saturating_sub(after);
    }
    Ok(kills)
}

fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("soak: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/docs");
    if !corpus.is_dir() {
        bail!("the shared corpus is not at {}", corpus.display());
    }
    let work = WorkDir(
        config
            .base_dir
            .join(format!("zhengce-soak-{}", std::process::id())),
    );
    std::fs::create_dir_all(&work.0)?;
    let zhengce = Zhengce {
        binary: PathBuf::from(env!("CARGO_BIN_EXE_zhengce")),
    };
    let index = work.0.join("index");
    let lines = corpus_lines(&corpus)?;
    eprintln!("soak: building the index of {} records", lines.len());
    let files: Vec<PathBuf> = std::fs::read_dir(&corpus)?
        .map(|e| Ok(e?.path()))
        .collect::<anyhow::Result<_>>()?;
    let build = zhengce.build(&index, &files, &work.0.join("build.log"))?;
    let server = zhengce.serve(&index, &work.0.join("serve.log"))?;
    let client = http_client()?;
    let target = Target::Zhengce {
        base: server.base.clone(),
        facets: true,
    };
    let before = shape(&client, &server.base)?;
    eprintln!(
        "soak: built in {:.1}s, {} segments, {}; serving",
        build.seconds,
        before.segments,
        mib(before.bytes)
    );

    let epoch = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let (samples, marks, shapes, runs) = std::thread::scope(|scope| {
        let loader = {
            let stop = stop.clone();
            let target = target.clone();
            scope.spawn(move || load(&target, config.clients, epoch, &stop))
        };
        let work_result = (|| -> anyhow::Result<_> {
            std::thread::sleep(config.idle);
            let during_from = epoch.elapsed();
            let mut shapes = Vec::new();
            let mut runs = Vec::new();
            for run in 0..config.runs {
                let from = run * config.batch * 7 % lines.len().max(1);
                let batch: Vec<&str> = lines
                    .iter()
                    .cycle()
                    .skip(from)
                    .take(config.batch)
                    .map(String::as_str)
                    .collect();
                let file = work.0.join(format!("run{run}.jsonl"));
                std::fs::write(&file, batch.join("\n") + "\n")?;
                let started = Instant::now();
                let mut command = if config.nice > 0 {
                    let mut c = Command::new("nice");
                    c.arg("-n")
                        .arg(config.nice.to_string())
                        .arg(&zhengce.binary);
                    c
                } else {
                    Command::new(&zhengce.binary)
                };
                let out = command
                    .arg("ingest")
                    .arg("--index")
                    .arg(&index)
                    .arg(&file)
                    .stdin(Stdio::null())
                    .output()
                    .context("run zhengce ingest")?;
                if !out.status.success() {
                    bail!(
                        "ingest run {run} failed: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
                runs.push(started.elapsed().as_secs_f64());
                // The server follows the commit within a second or so.
                std::thread::sleep(Duration::from_millis(1500));
                shapes.push(shape(&client, &server.base)?);
            }
            let during_to = epoch.elapsed();
            std::thread::sleep(config.idle);
            let after_to = epoch.elapsed();
            Ok(((during_from, during_to, after_to), shapes, runs))
        })();
        stop.store(true, Ordering::Relaxed);
        let samples = loader.join().expect("the load thread panicked");
        match (samples, work_result) {
            (Ok(samples), Ok((marks, shapes, runs))) => Ok((samples, marks, shapes, runs)),
            (Err(e), _) | (_, Err(e)) => Err(e),
        }
    })?;
    let (during_from, during_to, after_to) = marks;
    let idle_before = phase(&samples, Duration::ZERO, during_from);
    let during = phase(&samples, during_from, during_to);
    let idle_after = phase(&samples, during_to, after_to);

    let (statuses, connection_errors) =
        adversarial_pass(&server.base, config.adversarial, config.clients)?;
    let rss = server.rss()?;
    let kill_batch = work.0.join("kill.jsonl");
    std::fs::write(
        &kill_batch,
        lines
            .iter()
            .rev()
            .take(config.batch * 5)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("\n")
            + "\n",
    )?;
    let kills = kill_ingests(
        &zhengce.binary,
        &index,
        &kill_batch,
        &client,
        &server.base,
        config.kills,
    )?;

    println!(
        "\n### Soak: {} ingest runs of {} records beside `serve`, {} clients\n",
        config.runs, config.batch, config.clients
    );
    println!("| phase | requests | errors | QPS | p50 ms | p99 ms | p99 vs idle before |");
    println!("|---|---|---|---|---|---|---|");
    for (name, p) in [
        ("idle, before", idle_before),
        ("during the runs", during),
        ("idle, after", idle_after),
    ] {
        println!(
            "| {name} | {} | {} | {:.0} | {:.1} | {:.1} | {:.2}× |",
            p.requests,
            p.errors,
            p.qps,
            p.p50,
            p.p99,
            p.p99 / idle_before.p99.max(1e-9)
        );
    }
    let most_segments = shapes.iter().map(|s| s.segments).max().unwrap_or(0);
    let most_bytes = shapes.iter().map(|s| s.bytes).max().unwrap_or(0);
    let last = shapes.last().copied().unwrap_or_default();
    let mut run_s = runs.clone();
    println!(
        "\nIndex: before {} segments, {}; over the runs at most {} segments and {}; after {} segments, {}, {} of {} entries deleted ({:.1}%). Ingest run median {:.1}s. Server RSS {} (peak {}).",
        before.segments,
        mib(before.bytes),
        most_segments,
        mib(most_bytes),
        last.segments,
        mib(last.bytes),
        last.deleted,
        last.entries,
        100.0 * last.deleted as f64 / last.entries.max(1) as f64,
        percentile(&mut run_s, 50.0),
        mib(rss.current_kib * 1024),
        mib(rss.peak_kib * 1024),
    );
    println!(
        "\nSegments after each run: {:?}",
        shapes.iter().map(|s| s.segments).collect::<Vec<_>>()
    );
    let fives: usize = statuses
        .iter()
        .filter(|(s, _)| **s >= 500)
        .map(|(_, n)| n)
        .sum();
    println!(
        "\nAdversarial: {} requests → statuses {:?}, {} answered 5xx, {} connection errors.",
        config.adversarial, statuses, fives, connection_errors
    );
    println!(
        "\nFaults: {} ingest runs killed with SIGKILL (of {} started) → {} committed documents lost, {} failed `zhengce check`.",
        kills.killed, config.kills, kills.lost, kills.damaged
    );
    Ok(())
}
