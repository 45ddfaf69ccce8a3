//! Scale benchmark: zhengce against Groonga on the same entries, in one run.
//!
//! `cargo bench --bench scale` (Groonga ≥ 13 on the PATH: `apt-get install groonga-bin`)
//! takes each corpus — every record of `../shared/corpus/docs/*.jsonl`, and a seeded
//! synthetic corpus of ≈ 1 M provisions recombined from it — and for each engine measures
//! the index build (wall time, peak RSS, size on disk), then serves the index over HTTP on
//! 127.0.0.1 and measures latency per query class with one client (median of several
//! runs, after a warm-up), throughput with several clients, and resident memory. Groonga
//! gets exactly the entries zhengce indexes (a document and each of its provisions,
//! split by zhengce's own `parse_record` and `enrich`), in one table with a `TokenBigram` +
//! `NormalizerAuto` lexicon. Its build is reported as the load and static index, and
//! again with the split (one thread) that writes its load file, which zhengce's build
//! includes. Everything is written under a temporary folder that is deleted at the end.
//!
//! Environment: `ZHENGCE_BENCH_CORPUS` = shared | synthetic | both (default both),
//! `ZHENGCE_BENCH_DOCS` (synthetic documents, default 22,800 ≈ 1.03 M provisions),
//! `ZHENGCE_BENCH_DIR` (where the temporary folder goes, default the system's),
//! `ZHENGCE_BENCH_RUNS` (latency runs, default 3), `ZHENGCE_BENCH_REPS` (repetitions of
//! each query in a run, default 5), `ZHENGCE_BENCH_SECONDS` (throughput phase, default 20),
//! `ZHENGCE_BENCH_CLIENTS` (throughput clients, default 8),
//! `ZHENGCE_BENCH_WRITE_SYNTHETIC=FILE` (only write the synthetic corpus to FILE, for
//! profiling one engine by hand).

#[path = "scale/engines.rs"]
mod engines;
#[path = "scale/queries.rs"]
mod queries;
#[path = "scale/synthetic.rs"]
mod synthetic;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use reqwest::blocking::Client;

use engines::{Build, Entries, Groonga, Rss, Server, Zhengce};
use queries::{Class, Target, Throughput};

/// The page the project started from: its 牵头处室 notes go into the synthetic corpus.
const SEED_PAGE: &str = include_str!("../seeds/000_da3f5c9ac6127705.txt");
/// Synthetic documents unless `ZHENGCE_BENCH_DOCS` says otherwise (≈ 1.03 M provisions).
const DEFAULT_SYNTHETIC_DOCS: usize = 22_800;
/// How long one HTTP request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Corpus {
    Shared,
    Synthetic,
}

impl Corpus {
    fn name(self) -> &'static str {
        match self {
            Corpus::Shared => "shared",
            Corpus::Synthetic => "synthetic",
        }
    }
}

/// The run's settings, from the environment.
struct Config {
    corpora: Vec<Corpus>,
    synthetic_docs: usize,
    base_dir: PathBuf,
    runs: usize,
    reps: usize,
    seconds: u64,
    clients: usize,
}

impl Config {
    fn from_env() -> anyhow::Result<Config> {
        let corpora = match std::env::var("ZHENGCE_BENCH_CORPUS").as_deref() {
            Err(_) | Ok("both") => vec![Corpus::Shared, Corpus::Synthetic],
            Ok("shared") => vec![Corpus::Shared],
            Ok("synthetic") => vec![Corpus::Synthetic],
            Ok(other) => {
                bail!("ZHENGCE_BENCH_CORPUS must be shared, synthetic or both, got {other:?}")
            }
        };
        let config = Config {
            corpora,
            synthetic_docs: engines::env_number("ZHENGCE_BENCH_DOCS", DEFAULT_SYNTHETIC_DOCS)?,
            base_dir: std::env::var_os("ZHENGCE_BENCH_DIR")
                .map_or_else(std::env::temp_dir, PathBuf::from),
            runs: engines::env_number("ZHENGCE_BENCH_RUNS", 3)?,
            reps: engines::env_number("ZHENGCE_BENCH_REPS", 5)?,
            seconds: engines::env_number("ZHENGCE_BENCH_SECONDS", 20)?,
            clients: engines::env_number("ZHENGCE_BENCH_CLIENTS", 8)?,
        };
        anyhow::ensure!(
            config.synthetic_docs > 0 && config.runs > 0 && config.reps > 0 && config.clients > 0,
            "ZHENGCE_BENCH_DOCS, _RUNS, _REPS and _CLIENTS must be at least 1"
        );
        Ok(config)
    }
}

/// The bench's folder, removed with everything in it when dropped.
struct WorkDir(PathBuf);

impl Drop for WorkDir {
    fn drop(&mut self) {
        if let Err(err) = std::fs::remove_dir_all(&self.0) {
            eprintln!("scale: cannot remove {}: {err}", self.0.display());
        }
    }
}

/// The HTTP client every measurement uses: keep-alive, no proxy (all traffic goes to
/// 127.0.0.1).
pub fn http_client() -> anyhow::Result<Client> {
    Client::builder()
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .context("cannot build the HTTP client")
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("scale: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let Some(groonga) = Groonga::version() else {
        eprintln!(
            "scale: groonga is not installed; it is the reference this benchmark compares with.\n\
             Install it (Debian 12: Groonga 13) with `apt-get install groonga-bin`, then run again."
        );
        return Ok(ExitCode::FAILURE);
    };
    let config = Config::from_env()?;
    let corpus_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/docs");
    let shared_files = jsonl_files(&corpus_dir).with_context(|| {
        format!(
            "the shared corpus is needed (also for the synthetic one) at {}",
            corpus_dir.display()
        )
    })?;
    if let Some(path) = std::env::var_os("ZHENGCE_BENCH_WRITE_SYNTHETIC") {
        let path = PathBuf::from(path);
        synthetic::Pools::read(&shared_files, SEED_PAGE)?.write(config.synthetic_docs, &path)?;
        eprintln!(
            "scale: wrote {} synthetic documents to {}",
            config.synthetic_docs,
            path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let zhengce = Zhengce {
        // Cargo builds the package's binaries, in the bench profile, before its benches.
        binary: PathBuf::from(env!("CARGO_BIN_EXE_zhengce")),
    };
    let work = WorkDir(
        config
            .base_dir
            .join(format!("zhengce-scale-{}", std::process::id())),
    );
    std::fs::create_dir_all(&work.0).with_context(|| format!("create {}", work.0.display()))?;
    eprintln!("scale: {groonga}; working in {}", work.0.display());

    for &corpus in &config.corpora {
        let dir = work.0.join(corpus.name());
        std::fs::create_dir_all(&dir).with_context(|| format!("create {}", dir.display()))?;
        let report = bench_corpus(&config, corpus, &shared_files, &zhengce, &dir)
            .with_context(|| format!("{} corpus", corpus.name()))?;
        println!("{}", report.render(&config, &groonga));
        // The indexes of a large corpus take gigabytes: free them before the next.
        std::fs::remove_dir_all(&dir).with_context(|| format!("remove {}", dir.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The `.jsonl` files of `dir`, sorted.
fn jsonl_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    anyhow::ensure!(!files.is_empty(), "no .jsonl files in {}", dir.display());
    Ok(files)
}

/// One engine's numbers on one corpus.
struct EngineReport {
    build: Build,
    serving: Serving,
}

/// What serving queries showed.
struct Serving {
    /// Median over the runs of each run's p50, p95 and p99, in milliseconds.
    latency: BTreeMap<Class, [f64; 3]>,
    /// Matches found per class (sum of the queries' totals).
    matches: BTreeMap<Class, u64>,
    throughput: Throughput,
    rss: Rss,
}

struct CorpusReport {
    corpus: Corpus,
    entries: Entries,
    /// What zhengce's `/healthz` reports.
    zhengce_documents: u64,
    /// zhengce's `ingest` summary line.
    ingest_summary: String,
    /// Seconds to split the corpus files into Groonga's load file (zhengce's parser, one
    /// thread): what Groonga needs before its build, which zhengce's build includes.
    split_seconds: f64,
    /// Whether zhengce accepted `facets=issuer,year`.
    facets: bool,
    zhengce: EngineReport,
    groonga: EngineReport,
}

fn bench_corpus(
    config: &Config,
    corpus: Corpus,
    shared_files: &[PathBuf],
    zhengce: &Zhengce,
    dir: &Path,
) -> anyhow::Result<CorpusReport> {
    let step = |what: &str| eprintln!("scale [{}]: {what}", corpus.name());
    let files = match corpus {
        Corpus::Shared => shared_files.to_vec(),
        Corpus::Synthetic => {
            step(&format!(
                "writing {} synthetic documents",
                config.synthetic_docs
            ));
            let path = dir.join("synthetic.jsonl");
            synthetic::Pools::read(shared_files, SEED_PAGE)?.write(config.synthetic_docs, &path)?;
            vec![path]
        }
    };
    step("splitting records into entries for Groonga");
    let load = dir.join("load.grn");
    let started = std::time::Instant::now();
    let entries = Groonga::write_load(&files, &load)?;
    let split_seconds = started.elapsed().as_secs_f64();
    step(&format!(
        "{} documents, {} provisions ({split_seconds:.1} s)",
        entries.documents, entries.provisions
    ));

    step("zhengce ingest");
    let index = dir.join("zhengce-index");
    let ingest_log = dir.join("ingest.log");
    let zhengce_build = zhengce
        .build(&index, &files, &ingest_log)
        .with_context(|| tail(&ingest_log))?;
    let ingest_summary = std::fs::read_to_string(&ingest_log)?
        .lines()
        .rfind(|l| l.contains("added"))
        .unwrap_or("(no summary line)")
        .trim()
        .to_string();
    step(&format!(
        "{ingest_summary} ({:.1} s)",
        zhengce_build.seconds
    ));

    step("groonga load and index");
    let db = dir.join("groonga").join("db");
    let groonga_log = dir.join("groonga-load.log");
    let groonga_build = Groonga::build(
        &db,
        &load,
        &groonga_log,
        entries.documents + entries.provisions,
    )
    .with_context(|| tail(&groonga_log.with_extension("err")))?;
    step(&format!(
        "loaded and indexed in {:.1} s",
        groonga_build.seconds
    ));
    std::fs::remove_file(&load)?;

    step("zhengce serve");
    let serve_log = dir.join("serve.log");
    let server = zhengce.serve(&index, &serve_log)?;
    let client = http_client()?;
    let facets = queries::zhengce_takes_facets(&client, &server.base)?;
    let zhengce_documents = queries::zhengce_documents(&client, &server.base)?;
    let target = Target::Zhengce {
        base: server.base.clone(),
        facets,
    };
    let zhengce_serving =
        measure(config, &server, &target, &step).with_context(|| tail(&serve_log))?;
    drop(server);

    step("groonga server");
    let server = Groonga::serve(&db, &dir.join("groonga-serve.log"))?;
    let target = Target::Groonga {
        base: server.base.clone(),
    };
    let groonga_serving = measure(config, &server, &target, &step)?;
    queries::groonga_ensure_uncached(&client, &server.base)?;
    drop(server);

    Ok(CorpusReport {
        corpus,
        entries,
        zhengce_documents,
        ingest_summary,
        split_seconds,
        facets,
        zhengce: EngineReport {
            build: zhengce_build,
            serving: zhengce_serving,
        },
        groonga: EngineReport {
            build: groonga_build,
            serving: groonga_serving,
        },
    })
}

/// Warm-up, the latency runs, the throughput phase, then the server's memory.
fn measure(
    config: &Config,
    server: &Server,
    target: &Target,
    step: &dyn Fn(&str),
) -> anyhow::Result<Serving> {
    let client = http_client()?;
    step("warm-up");
    queries::latency_pass(&client, target, 1)?;
    let mut runs = Vec::new();
    let mut matches = BTreeMap::new();
    for run in 1..=config.runs {
        step(&format!("latency run {run} of {}", config.runs));
        let (latencies, totals) = queries::latency_pass(&client, target, config.reps)?;
        runs.push(latencies);
        matches = totals;
    }
    let latency = Class::ALL
        .iter()
        .map(|class| {
            let mut per_run: [Vec<f64>; 3] = Default::default();
            for run in &runs {
                let mut samples = run.get(class).cloned().unwrap_or_default();
                for (i, p) in [50.0, 95.0, 99.0].into_iter().enumerate() {
                    per_run[i].push(queries::percentile(&mut samples, p));
                }
            }
            (
                *class,
                per_run.map(|mut v| queries::percentile(&mut v, 50.0)),
            )
        })
        .collect();
    step(&format!(
        "{} clients for {} s",
        config.clients, config.seconds
    ));
    let throughput =
        queries::throughput(target, config.clients, Duration::from_secs(config.seconds))?;
    Ok(Serving {
        latency,
        matches,
        throughput,
        rss: server.rss()?,
    })
}

/// The last lines of a log, to explain a failure.
fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(15);
    format!(
        "{} ends with:\n{}",
        path.display(),
        lines[start..].join("\n")
    )
}

fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / 1_048_576.0)
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.2}", a / b)
    } else {
        "–".to_string()
    }
}

impl CorpusReport {
    /// The report as Markdown.
    fn render(&self, config: &Config, groonga_version: &str) -> String {
        let (z, g) = (&self.zhengce, &self.groonga);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "\n### {} corpus: {} documents, {} provisions ({} entries; zhengce /healthz: {} documents)\n",
            self.corpus.name(),
            self.entries.documents,
            self.entries.provisions,
            self.entries.documents + self.entries.provisions,
            self.zhengce_documents,
        );
        let _ = writeln!(out, "zhengce ingest: {}  ", self.ingest_summary);
        let _ = writeln!(
            out,
            "{groonga_version}; latency: median of {} runs, each query {}× per run, 1 client; \
             throughput: {} clients for {} s.",
            config.runs, config.reps, config.clients, config.seconds
        );
        if !self.facets {
            let _ = writeln!(
                out,
                "\n**all facets**: zhengce answered 400 to `facets=issuer,year`, so every zhengce \
                 query computed all its facets (Groonga drills down on issuer and year only, \
                 except in the all-facets class)."
            );
        }
        let _ = writeln!(out, "\n| | zhengce | Groonga | zhengce/Groonga |");
        let _ = writeln!(out, "|---|---:|---:|---:|");
        let mut row = |name: &str, a: String, b: String, r: String| {
            let _ = writeln!(out, "| {name} | {a} | {b} | {r} |");
        };
        row(
            "build time",
            format!("{:.1} s", z.build.seconds),
            format!("{:.1} s", g.build.seconds),
            ratio(z.build.seconds, g.build.seconds),
        );
        let from_files = g.build.seconds + self.split_seconds;
        row(
            "build from the corpus files (Groonga: its load file written first)",
            format!("{:.1} s", z.build.seconds),
            format!(
                "{from_files:.1} s ({:.1} + {:.1})",
                self.split_seconds, g.build.seconds
            ),
            ratio(z.build.seconds, from_files),
        );
        row(
            "index size on disk",
            mib(z.build.disk_bytes),
            mib(g.build.disk_bytes),
            ratio(z.build.disk_bytes as f64, g.build.disk_bytes as f64),
        );
        row(
            "peak RSS building",
            mib(z.build.peak_rss_kib * 1024),
            mib(g.build.peak_rss_kib * 1024),
            ratio(z.build.peak_rss_kib as f64, g.build.peak_rss_kib as f64),
        );
        let (zr, gr) = (z.serving.rss, g.serving.rss);
        row(
            "serving RSS after the queries",
            mib(zr.current_kib * 1024),
            mib(gr.current_kib * 1024),
            ratio(zr.current_kib as f64, gr.current_kib as f64),
        );
        row(
            "peak RSS serving",
            mib(zr.peak_kib * 1024),
            mib(gr.peak_kib * 1024),
            ratio(zr.peak_kib as f64, gr.peak_kib as f64),
        );
        for class in Class::ALL {
            let a = z.serving.latency[&class];
            let b = g.serving.latency[&class];
            let join = |v: [f64; 3]| {
                v.iter()
                    .map(|x| format!("{x:.1}"))
                    .collect::<Vec<_>>()
                    .join(" / ")
            };
            row(
                &format!("{} p50 / p95 / p99 ms", class.name()),
                join(a),
                join(b),
                (0..3)
                    .map(|i| ratio(a[i], b[i]))
                    .collect::<Vec<_>>()
                    .join(" / "),
            );
        }
        let (zt, gt) = (z.serving.throughput, g.serving.throughput);
        row(
            &format!("{} clients: QPS", config.clients),
            format!("{:.0}", zt.qps),
            format!("{:.0}", gt.qps),
            ratio(zt.qps, gt.qps),
        );
        row(
            &format!("{} clients: p99 ms", config.clients),
            format!("{:.1}", zt.p99_ms),
            format!("{:.1}", gt.p99_ms),
            ratio(zt.p99_ms, gt.p99_ms),
        );
        row(
            &format!("{} clients: requests (errors)", config.clients),
            format!("{} ({})", zt.requests, zt.errors),
            format!("{} ({})", gt.requests, gt.errors),
            String::new(),
        );
        let _ = writeln!(
            out,
            "\nMatches per class (sum of the totals the engines report for the class's queries):\n"
        );
        let _ = writeln!(out, "| class | zhengce | Groonga |");
        let _ = writeln!(out, "|---|---:|---:|");
        for class in Class::ALL {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                class.name(),
                z.serving.matches.get(&class).copied().unwrap_or(0),
                g.serving.matches.get(&class).copied().unwrap_or(0),
            );
        }
        out
    }
}
