//! `zhengce`: full-text search over Chinese government policy documents.
//!
//! The binary is glue: it turns flags into calls of the library crates and prints
//! their results.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use zhengce_index::{Level, PolicyIndex, SearchRequest, Sort};
use zhengce_parse::{PageInput, parse_page};
use zhengce_pipeline::{IngestReport, Ingested, ingest_paths};

#[cfg(target_os = "linux")]
mod hugepages;

#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: hugepages::HugePages = hugepages::HugePages::new();

/// Where the index lives unless `--index` says otherwise.
const DEFAULT_INDEX: &str = "index";
/// Where `reindex` keeps raw pages unless `--store` says otherwise.
const DEFAULT_STORE: &str = "store";
/// Seconds between `ingest` progress lines when stderr is not a terminal.
const PROGRESS_EVERY: u64 = 10;
/// Where `serve` listens unless `--addr` says otherwise.
const DEFAULT_ADDR: &str = "127.0.0.1:8080";
/// The embedded default: the page the project started from (`seeds/`).
const SEED_PAGE: &[u8] = include_bytes!("../seeds/000_da3f5c9ac6127705.txt");

#[derive(Parser)]
#[command(
    name = "zhengce",
    version,
    about = "Search Chinese government policy documents",
    after_help = "Examples:
  zhengce serve                                  serve ./index on http://127.0.0.1:8080/
  zhengce ingest --index ./index corpus/ pages/  add pages, directories and .jsonl records
  zhengce search --region 辽宁 独角兽            search from the terminal
  zhengce reindex --config sites.toml            crawl portals and index what changed"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse one page (HTML or text, any Chinese encoding) and print the document as JSON.
    Parse {
        /// The page file.
        file: PathBuf,
        /// The page's URL: resolves attachment links and becomes the document id.
        #[arg(long)]
        url: Option<String>,
        /// The charset the server declared, when known (it wins over the page's own).
        #[arg(long)]
        charset: Option<String>,
    },
    /// Add pages, directories of pages and JSONL corpus files to the index (created if
    /// missing); a path that cannot be read is reported and the rest ingested.
    #[command(after_help = "Examples:
  zhengce ingest --index ./index /work/shared/corpus/
  zhengce ingest --index ./index page.html records.jsonl
When stderr is not a terminal, progress is a log line every --progress-every seconds.
Exit status: 0 when every input was indexed or skipped; 1 when some inputs failed (each
is listed, everything else is indexed and committed); 2 when the ingest could not run
(the index cannot be opened or written).")]
    Ingest {
        #[arg(long, env = "ZHENGCE_INDEX", default_value = DEFAULT_INDEX)]
        index: PathBuf,
        /// Seconds between progress lines when stderr is not a terminal (0: every input).
        #[arg(long, default_value_t = PROGRESS_EVERY)]
        progress_every: u64,
        /// Files or directories (recursively); `.jsonl` files are corpus records.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Search the index (which must exist: build it with `ingest` or `reindex`).
    #[command(after_help = "Examples:
  zhengce search 独角兽 奖励
  zhengce search --level provision --region 辽宁 \"奖励性后补助\"
  zhengce search --issuer 辽宁科学技术厅 --from 2020-01-01 --to 2020-12-31 --sort date 通知
  zhengce search --beneficiary 高企 --status 现行有效 --json 补贴")]
    Search(SearchArgs),
    /// Crawl portals into the raw page store.
    Crawl {
        #[arg(long)]
        store: PathBuf,
        #[command(flatten)]
        sites: SitesArgs,
        #[command(flatten)]
        crawl: CrawlArgs,
    },
    /// The nightly job: crawl, index what is new or changed, remove what is gone, report.
    Reindex {
        #[arg(long, env = "ZHENGCE_INDEX", default_value = DEFAULT_INDEX)]
        index: PathBuf,
        #[arg(long, env = "ZHENGCE_STORE", default_value = DEFAULT_STORE)]
        store: PathBuf,
        #[command(flatten)]
        sites: SitesArgs,
        #[command(flatten)]
        crawl: CrawlArgs,
        /// Where to write the JSON run report (default: STORE/last-report.json).
        #[arg(long)]
        report: Option<PathBuf>,
        #[command(flatten)]
        removal: RemovalArgs,
    },
    /// Serve the JSON API and the search page from an existing index, opened read-only
    /// and checked first. Without --index (or ZHENGCE_INDEX), the default index `./index`
    /// is built from the embedded seed page when it is missing or empty.
    Serve {
        /// The index to serve (default: `./index`, seeded when missing).
        #[arg(long, env = "ZHENGCE_INDEX")]
        index: Option<PathBuf>,
        #[arg(long, env = "ZHENGCE_ADDR", default_value = DEFAULT_ADDR)]
        addr: std::net::SocketAddr,
    },
    /// Check every file of an index against its checksum and print its segments;
    /// exits 1 when the index is damaged.
    Check {
        #[arg(long, env = "ZHENGCE_INDEX", default_value = DEFAULT_INDEX)]
        index: PathBuf,
    },
    /// Merge an index's segments into one, dropping deleted entries (the nightly job
    /// merges as it goes; this compacts on demand).
    Optimize {
        #[arg(long, env = "ZHENGCE_INDEX", default_value = DEFAULT_INDEX)]
        index: PathBuf,
    },
}

#[derive(clap::Args)]
struct SearchArgs {
    #[arg(long, env = "ZHENGCE_INDEX", default_value = DEFAULT_INDEX)]
    index: PathBuf,
    #[arg(long, value_enum, default_value_t = LevelArg::Doc)]
    level: LevelArg,
    /// An issuing office; its region may be written short (辽宁科学技术厅).
    #[arg(long)]
    issuer: Vec<String>,
    #[arg(long)]
    year: Vec<u64>,
    #[arg(long)]
    lead_dept: Vec<String>,
    /// A region, written short or full (辽宁, 辽宁省, 全国).
    #[arg(long)]
    region: Vec<String>,
    #[arg(long)]
    doc_type: Vec<String>,
    /// Earliest date, YYYY-MM-DD.
    #[arg(long)]
    from: Option<String>,
    /// Latest date, YYYY-MM-DD.
    #[arg(long)]
    to: Option<String>,
    /// 惠企: a benefit class (资金奖励, 补贴补助, 金融支持, 税收优惠 …).
    #[arg(long)]
    benefit: Vec<String>,
    /// 惠企: a beneficiary class or what people call it (高新技术企业, 高企, 科小 …).
    #[arg(long)]
    beneficiary: Vec<String>,
    /// Validity status: 现行有效, 已失效, 尚未施行, 未知.
    #[arg(long)]
    status: Vec<String>,
    /// The date statuses are computed for, YYYY-MM-DD (default: today).
    #[arg(long)]
    as_of: Option<String>,
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    sort: SortArg,
    #[arg(long, default_value_t = 1)]
    page: usize,
    #[arg(long, default_value_t = 10)]
    size: usize,
    /// Print the API's JSON response.
    #[arg(long)]
    json: bool,
    /// The query: words (all must match), "phrases", OR, -exclusions, field:value.
    #[arg(default_value = "")]
    query: Vec<String>,
}

/// Which sites to crawl: a sites file, or start URLs.
#[derive(clap::Args)]
struct SitesArgs {
    /// A sites file (TOML, `[[site]]` tables).
    #[arg(long, conflicts_with = "urls")]
    config: Option<PathBuf>,
    /// Start URLs (list pages), when no sites file is given.
    #[arg(required_unless_present = "config")]
    urls: Vec<String>,
    /// Hosts the crawl may visit besides the start URLs' own.
    #[arg(long)]
    allow_host: Vec<String>,
}

/// When documents may be removed or replaced by much shorter pages.
#[derive(clap::Args)]
struct RemovalArgs {
    /// Consecutive 404/410 answers (with nothing else between them) before a document
    /// is removed.
    #[arg(long, default_value_t = zhengce_pipeline::GONE_AFTER)]
    gone_after: u32,
    /// Largest share of a site's documents one run may remove (0–1).
    #[arg(long, default_value_t = zhengce_pipeline::MAX_REMOVAL_SHARE)]
    max_removal_share: f64,
    /// Remove documents even when more than --max-removal-share of a site's are gone.
    #[arg(long)]
    allow_mass_removal: bool,
    /// Let a changed page replace its document even when it lost most of the body (under
    /// half), all of it or its 文号, or no longer parses (held back by default: a cut-off
    /// download).
    #[arg(long)]
    allow_shrink: bool,
}

/// How politely to crawl.
#[derive(clap::Args)]
struct CrawlArgs {
    #[arg(long, default_value_t = zhengce_crawl::DEFAULT_MAX_PAGES)]
    max_pages: usize,
    /// Requests per second per host (a site's own `rate` wins).
    #[arg(long, default_value_t = zhengce_crawl::DEFAULT_RATE)]
    rate: f64,
    #[arg(long, default_value_t = zhengce_crawl::DEFAULT_CONCURRENCY)]
    concurrency: usize,
    /// Largest page accepted, in bytes.
    #[arg(long, default_value_t = zhengce_crawl::DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// Seconds a request may take.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// A private or loopback host or address the crawl may visit (e.g. 127.0.0.1).
    #[arg(long)]
    allow_private: Vec<String>,
    /// Visit every known document page this run, due or not.
    #[arg(long)]
    revisit_all: bool,
    /// Largest share of a site's known document pages one run revisits (0–1).
    #[arg(long, default_value_t = zhengce_crawl::DEFAULT_REVISIT_SHARE)]
    revisit_share: f64,
}

impl SitesArgs {
    fn sites(&self) -> anyhow::Result<Vec<zhengce_crawl::SiteConfig>> {
        match &self.config {
            Some(path) => {
                let mut file = zhengce_crawl::SitesFile::load(path)?;
                for site in &mut file.sites {
                    site.allowed_hosts.extend(self.allow_host.iter().cloned());
                }
                Ok(file.sites)
            }
            None => {
                let mut hosts: Vec<String> = self
                    .urls
                    .iter()
                    .filter_map(|u| Some(url_host(u)?.to_string()))
                    .collect();
                hosts.extend(self.allow_host.iter().cloned());
                Ok(vec![zhengce_crawl::SiteConfig::from_urls(
                    &self.urls, &hosts,
                )])
            }
        }
    }
}

fn url_host(u: &str) -> Option<&str> {
    u.split("://").nth(1)?.split(['/', ':', '?', '#']).next()
}

impl CrawlArgs {
    fn options(&self) -> anyhow::Result<zhengce_crawl::CrawlOptions> {
        anyhow::ensure!(
            self.rate > 0.0 && self.rate.is_finite(),
            "--rate must be positive"
        );
        anyhow::ensure!(self.concurrency > 0, "--concurrency must be at least 1");
        anyhow::ensure!(
            (0.0..=1.0).contains(&self.revisit_share),
            "--revisit-share must be between 0 and 1"
        );
        Ok(zhengce_crawl::CrawlOptions {
            rate: self.rate,
            concurrency: self.concurrency,
            max_pages: self.max_pages,
            max_bytes: self.max_bytes,
            timeout: std::time::Duration::from_secs(self.timeout.max(1)),
            allowed_private: self.allow_private.clone(),
            revisit: zhengce_crawl::Revisit {
                all: self.revisit_all,
                share: self.revisit_share,
                ..zhengce_crawl::Revisit::default()
            },
            ..zhengce_crawl::CrawlOptions::default()
        })
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum LevelArg {
    Doc,
    Provision,
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    Relevance,
    Date,
}

/// Exit status of a crawl or re-index that ran but failed, was incomplete or was
/// interrupted (the report says why), and of an ingest that ran to its end but could not
/// load some inputs (listed; the rest is indexed).
const EXIT_RUN_FAILED: u8 = 1;
/// Exit status of an error before anything ran (bad flags, unreadable store or index).
const EXIT_ERROR: u8 = 2;
/// Exit status when another run holds the store's lock.
const EXIT_LOCKED: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("zhengce: {}", error_chain(&err));
            let locked = err.chain().any(|e| {
                matches!(
                    e.downcast_ref::<zhengce_crawl::CrawlError>(),
                    Some(zhengce_crawl::CrawlError::Locked { .. })
                )
            });
            ExitCode::from(if locked { EXIT_LOCKED } else { EXIT_ERROR })
        }
    }
}

/// An error and its causes on one line, each cause only when the message before it
/// does not already say it (`cannot read x: No such file or directory`, once).
fn error_chain(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if text.is_empty() || line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// `1 result`, `2 results`.
fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let done = |r: anyhow::Result<()>| r.map(|()| ExitCode::SUCCESS);
    match cli.command {
        Command::Parse { file, url, charset } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let input = PageInput {
                url: url.as_deref(),
                http_charset: charset.as_deref(),
                source: None,
            };
            let doc = parse_page(&bytes, &input)
                .with_context(|| format!("cannot parse {}", file.display()))?;
            done(emit(&serde_json::to_string_pretty(&doc)?))
        }
        Command::Ingest {
            index,
            progress_every,
            paths,
        } => ingest(&index, &paths, progress_every),
        Command::Search(args) => done(search(args)),
        Command::Serve { index, addr } => done(serve(index.as_deref(), addr)),
        Command::Check { index } => check(&index),
        Command::Optimize { index } => done(optimize(&index)),
        Command::Crawl {
            store,
            sites,
            crawl,
        } => crawl_command(&store, &sites, &crawl),
        Command::Reindex {
            index,
            store,
            sites,
            crawl,
            report,
            removal,
        } => reindex_command(&index, &store, &sites, &crawl, &removal, report.as_deref()),
    }
}

/// Progress for a crawl: a spinner on a terminal, a log line per page otherwise.
fn crawl_progress() -> (ProgressBar, impl Fn(&zhengce_crawl::PageOutcome) + Sync) {
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} pages {msg}").expect("valid template"),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    } else {
        ProgressBar::hidden()
    };
    let shown = bar.clone();
    let on_page = move |page: &zhengce_crawl::PageOutcome| {
        shown.inc(1);
        if shown.is_hidden() {
            tracing::info!(url = %page.url, outcome = ?page.outcome, "crawled");
        } else {
            shown.set_message(page.url.clone());
        }
    };
    (bar, on_page)
}

/// `tracing` lines on stderr at `RUST_LOG` (or `default`); colours only on a terminal.
fn init_logs(default: &str) {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default)),
        )
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
}

/// SIGINT and SIGTERM, listened for from the moment this is made (a signal before that
/// would end the process with no report).
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl Signals {
    /// Installs the handlers now; must run inside `runtime`'s context.
    fn install(runtime: &tokio::runtime::Runtime) -> anyhow::Result<Signals> {
        let _entered = runtime.enter();
        Ok(Signals {
            #[cfg(unix)]
            term: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .context("cannot listen for SIGTERM")?,
        })
    }

    /// Resolves on the next SIGINT or SIGTERM.
    async fn next(&mut self) {
        #[cfg(unix)]
        let term = self.term.recv();
        #[cfg(not(unix))]
        let term = std::future::pending::<Option<()>>();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term => {}
        }
    }
}

/// Stops `stop` on SIGINT or SIGTERM, so the run ends early with its report; a second
/// signal ends the process at once. Listens from the moment it is called: call it before
/// taking the store's lock, so that a run that holds the lock always has its report.
fn stop_on_signal(
    runtime: &tokio::runtime::Runtime,
    stop: zhengce_crawl::Stop,
) -> anyhow::Result<()> {
    let mut signals = Signals::install(runtime)?;
    runtime.spawn(async move {
        signals.next().await;
        tracing::warn!("signal received: stopping the run and writing its report");
        stop.stop();
        signals.next().await;
        tracing::error!("second signal: exiting without a report");
        std::process::exit(i32::from(EXIT_RUN_FAILED));
    });
    Ok(())
}

fn crawl_command(
    store: &std::path::Path,
    sites: &SitesArgs,
    args: &CrawlArgs,
) -> anyhow::Result<ExitCode> {
    init_logs("info");
    let sites = sites.sites()?;
    let options = args.options()?;
    let runtime = tokio::runtime::Runtime::new()?;
    stop_on_signal(&runtime, options.stop.clone())?;
    let store = zhengce_crawl::PageStore::open(store)?;
    let _lock = store.lock()?;
    let (bar, on_page) = crawl_progress();
    let report = runtime.block_on(zhengce_crawl::crawl(&sites, &store, &options, &on_page))?;
    bar.finish_and_clear();
    emit(&serde_json::to_string_pretty(&report)?)?;
    let problems = report.problems(options.max_pages);
    for p in &problems {
        eprintln!("zhengce: {p}");
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_RUN_FAILED)
    })
}

fn reindex_command(
    index: &std::path::Path,
    store: &std::path::Path,
    sites: &SitesArgs,
    args: &CrawlArgs,
    removal: &RemovalArgs,
    report_path: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    init_logs("info");
    let sites = sites.sites()?;
    let options = args.options()?;
    anyhow::ensure!(
        (0.0..=1.0).contains(&removal.max_removal_share),
        "--max-removal-share must be between 0 and 1"
    );
    anyhow::ensure!(removal.gone_after >= 1, "--gone-after must be at least 1");
    let reindex_options = zhengce_pipeline::ReindexOptions {
        gone_after: removal.gone_after,
        max_removal_share: removal.max_removal_share,
        allow_mass_removal: removal.allow_mass_removal,
        allow_shrink: removal.allow_shrink,
    };
    let runtime = tokio::runtime::Runtime::new()?;
    stop_on_signal(&runtime, options.stop.clone())?;
    let page_store = zhengce_crawl::PageStore::open(store)?;
    let _lock = page_store.lock()?;
    let index = PolicyIndex::open_or_create(index)
        .with_context(|| format!("cannot open index {}", index.display()))?;
    let (bar, on_page) = crawl_progress();
    let report = runtime.block_on(async {
        zhengce_pipeline::reindex(
            &sites,
            &page_store,
            &index,
            &options,
            &reindex_options,
            &on_page,
        )
        .await
    })?;
    bar.finish_and_clear();
    let json = serde_json::to_string_pretty(&report)?;
    let path = report_path.map_or_else(
        || store.join("last-report.json"),
        std::path::Path::to_path_buf,
    );
    std::fs::write(&path, &json).with_context(|| format!("cannot write {}", path.display()))?;
    emit(&json)?;
    let status = serde_json::to_value(report.status)?;
    eprintln!(
        "zhengce: reindex {}: {} new, {} updated, {} removed, {} failed; {} documents; {}; report in {}",
        status.as_str().unwrap_or_default(),
        report.new,
        report.updated,
        report.removed,
        report.failed.len(),
        report.documents,
        describe(&report.index),
        path.display()
    );
    for p in &report.problems {
        eprintln!("zhengce: {p}");
    }
    Ok(match report.status {
        zhengce_pipeline::RunStatus::Ok => ExitCode::SUCCESS,
        _ => ExitCode::from(EXIT_RUN_FAILED),
    })
}

/// How long the runtime waits, after the server has stopped, for blocking work that does
/// not stop (a search that ignores its cancellation) before the process exits anyway.
const RUNTIME_SHUTDOWN: std::time::Duration = std::time::Duration::from_secs(1);

fn serve(index: Option<&std::path::Path>, addr: std::net::SocketAddr) -> anyhow::Result<()> {
    init_logs("info");
    let dir = index.unwrap_or(std::path::Path::new(DEFAULT_INDEX));
    if index.is_none() {
        seed_default_index(dir)?;
    }
    let index = PolicyIndex::open_read_only(dir)
        .with_context(|| format!("cannot serve index {}", dir.display()))?;
    let stats = index
        .verify()
        .with_context(|| format!("refusing to serve index {}", dir.display()))?;
    tracing::info!(
        index = %dir.display(),
        segments = stats.segments,
        bytes = stats.bytes,
        deleted = stats.deleted,
        "index checked"
    );
    let mut state = zhengce_server::AppState::new(index);
    if let Some(ms) = std::env::var("ZHENGCE_TEST_WORK_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        state.workers = state
            .workers
            .with_delay(std::time::Duration::from_millis(ms));
    }
    let runtime = tokio::runtime::Runtime::new()?;
    let served: anyhow::Result<()> = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        tracing::info!(%addr, documents = state.index.num_docs()?, "serving on http://{addr}/");
        zhengce_server::serve(listener, state, zhengce_server::shutdown_signal()).await?;
        Ok(())
    });
    // Requests still running after the grace are dropped with the runtime (cancelling
    // their searches); blocking work that ignores that is not waited for.
    runtime.shutdown_timeout(RUNTIME_SHUTDOWN);
    served
}

/// The README's first command: the default index, built from the embedded seed page
/// when it is missing or empty. Only the default index is ever seeded.
fn seed_default_index(dir: &std::path::Path) -> anyhow::Result<()> {
    let index = PolicyIndex::open_or_create(dir)
        .with_context(|| format!("cannot open index {}", dir.display()))?;
    if index.num_docs()? > 0 {
        return Ok(());
    }
    let mut doc = parse_page(
        SEED_PAGE,
        &PageInput {
            source: Some("seed"),
            ..PageInput::default()
        },
    )?;
    zhengce_enrich::enrich(&mut doc);
    let mut writer = index.writer()?;
    writer.upsert(&doc, &zhengce_benefits::derive(&doc))?;
    writer.finish()?;
    tracing::info!(index = %dir.display(), "empty default index: built it from the embedded seed page");
    Ok(())
}

/// One line about an index's segments.
fn describe(stats: &zhengce_index::SegmentStats) -> String {
    format!(
        "{}, {} ({} deleted, {:.1}%), {:.1} MiB",
        plural(stats.segments as u64, "segment", "segments"),
        plural(stats.entries, "entry", "entries"),
        stats.deleted,
        stats.deleted_share() * 100.0,
        stats.bytes as f64 / (1024.0 * 1024.0)
    )
}

fn check(dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    let index = PolicyIndex::open_read_only(dir)
        .with_context(|| format!("cannot open index {}", dir.display()))?;
    match index.verify() {
        Ok(stats) => {
            println!(
                "{}: ok, {}; {}",
                dir.display(),
                plural(index.num_docs()?, "document", "documents"),
                describe(&stats)
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("zhengce: {}: {e}", dir.display());
            Ok(ExitCode::from(1))
        }
    }
}

fn optimize(dir: &std::path::Path) -> anyhow::Result<()> {
    let index =
        PolicyIndex::open(dir).with_context(|| format!("cannot open index {}", dir.display()))?;
    let started = std::time::Instant::now();
    let (before, after) = index.optimize()?;
    eprintln!("before: {}", describe(&before));
    eprintln!(
        "after:  {} ({:.1}s)",
        describe(&after),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Ingests `paths`; exits [`EXIT_RUN_FAILED`] when an input failed, after the summary, so
/// that cron or CI sees a partly failed load.
fn ingest(
    index: &std::path::Path,
    paths: &[PathBuf],
    progress_every: u64,
) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let index = PolicyIndex::open_or_create(index)
        .with_context(|| format!("cannot open index {}", index.display()))?;
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} inputs {per_sec} {msg}")
                .expect("valid template"),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut report = IngestReport::default();
    // Not on a terminal (a log, CI): a progress line every `progress_every` seconds.
    let every = std::time::Duration::from_secs(progress_every);
    let last_line = std::sync::Mutex::new(std::time::Instant::now());
    ingest_paths(paths, &index, &mut report, &|outcome| {
        bar.inc(1);
        if let Ingested::Failed { input, reason } = outcome {
            bar.suspend(|| eprintln!("failed: {input}: {reason}"));
        }
        if bar.is_hidden()
            && let Ok(mut last) = last_line.lock()
            && last.elapsed() >= every
        {
            *last = std::time::Instant::now();
            let done = bar.position();
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "ingest: {} read in {secs:.0}s ({:.0}/s)",
                plural(done, "input", "inputs"),
                done as f64 / secs.max(0.001)
            );
        }
    })?;
    bar.finish_and_clear();
    for file in &report.files {
        let reasons: Vec<String> = file
            .skip_reasons
            .iter()
            .map(|(reason, n)| format!("{n} {reason}"))
            .collect();
        eprintln!(
            "{}: added {}, replaced {}, skipped {}{}, failed {}{}",
            file.file,
            file.added,
            file.replaced,
            file.skipped,
            if reasons.is_empty() {
                String::new()
            } else {
                format!(" ({})", reasons.join("; "))
            },
            file.failed,
            if file.notes_total > 0 {
                format!(
                    ", {} dropped or kept as written",
                    plural(file.notes_total as u64, "value", "values")
                )
            } else {
                String::new()
            },
        );
        for note in &file.notes {
            eprintln!("  note: {note}");
        }
    }
    // Indexed versions rewritten because their work gained or lost one.
    let relinked = match report.relinked {
        0 => String::new(),
        n => format!(
            ", {} relinked",
            plural(n as u64, "indexed version", "indexed versions")
        ),
    };
    eprintln!(
        "added {}, replaced {}, skipped {}, failed {}{relinked} in {:.1}s; {} in the index; {}",
        report.added,
        report.replaced,
        report.skipped,
        report.failed.len(),
        started.elapsed().as_secs_f64(),
        plural(index.num_docs()?, "document", "documents"),
        describe(&index.segment_stats()?)
    );
    Ok(if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_RUN_FAILED)
    })
}

fn search(args: SearchArgs) -> anyhow::Result<()> {
    let index = PolicyIndex::open_read_only(&args.index)
        .with_context(|| format!("cannot open index {}", args.index.display()))?;
    let mut request = SearchRequest {
        query: args.query.join(" "),
        level: match args.level {
            LevelArg::Doc => Level::Doc,
            LevelArg::Provision => Level::Provision,
        },
        // Values of one filter are alternatives: an office as typed, and in full.
        issuers: args
            .issuer
            .iter()
            .flat_map(|i| {
                let full = zhengce_model::office_name(i);
                let typed = i.trim().to_string();
                if full == typed {
                    vec![typed]
                } else {
                    vec![typed, full]
                }
            })
            .collect(),
        years: args.year,
        lead_depts: args.lead_dept,
        regions: args
            .region
            .iter()
            .map(|r| zhengce_model::region_name(r).unwrap_or_else(|| r.trim().to_string()))
            .collect(),
        doc_types: args.doc_type,
        from: args.from,
        to: args.to,
        sort: match args.sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::Date,
        },
        page: args.page,
        size: args.size,
        benefits: args.benefit,
        beneficiaries: args.beneficiary,
        statuses: args.status,
        as_of: args.as_of,
        ..SearchRequest::new("")
    };
    // A mistake in a flag or the query is said as the API says it, in Chinese, with the
    // flag at fault.
    request
        .check()
        .and_then(|()| {
            request.resolve_classes(
                zhengce_benefits::resolve_benefit,
                zhengce_benefits::resolve_beneficiary,
            )
        })
        .map_err(|e| anyhow::anyhow!("--{}: {}", e.param.replace('_', "-"), e.message))?;
    // A damaged file can make tantivy panic mid-search: say so, and how to find out more,
    // instead of a backtrace (the server checks checksums before it serves).
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| tracing::debug!(%info, "search panicked")));
    let searched =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| index.search(&request)));
    std::panic::set_hook(hook);
    let response = match searched {
        Ok(response) => response,
        Err(_) => anyhow::bail!(
            "the search failed inside the index at {}: it may be damaged; run `zhengce check --index {}`",
            args.index.display(),
            args.index.display()
        ),
    }
    .map_err(|e| match e {
        zhengce_index::IndexError::BadQuery(m) => anyhow::anyhow!("检索式有误：{m}"),
        zhengce_index::IndexError::BadRequest(m) => anyhow::anyhow!("{m}"),
        other => other.into(),
    })?;
    if args.json {
        return emit(&serde_json::to_string_pretty(&response)?);
    }
    let mut out = String::new();
    use std::fmt::Write as _;
    writeln!(
        out,
        "{} ({} ms)",
        plural(response.total as u64, "result", "results"),
        response.took_ms
    )?;
    for (i, hit) in response.hits.iter().enumerate() {
        let rank = (request.page - 1) * request.size + i + 1;
        writeln!(out)?;
        let number = hit
            .provision_number
            .as_deref()
            .map(|n| format!("第{n}项 "))
            .unwrap_or_default();
        writeln!(
            out,
            "{rank}. {number}{}",
            hit.title.as_deref().unwrap_or("(无标题)")
        )?;
        let meta: Vec<&str> = [
            hit.doc_number.as_deref(),
            hit.issuer.as_deref(),
            hit.publish_date.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !meta.is_empty() {
            writeln!(out, "   {}", meta.join(" | "))?;
        }
        if !hit.benefits.is_empty() || hit.status != "未知" {
            writeln!(out, "   [{}] {}", hit.status, hit.benefits.join("、"))?;
        }
        if !hit.lead_depts.is_empty() {
            writeln!(
                out,
                "   牵头: {}  责任: {}",
                hit.lead_depts.join("、"),
                hit.resp_depts.join("、")
            )?;
        }
        writeln!(out, "   {}", terminal_snippet(&hit.snippet))?;
        for p in &hit.matched_provisions {
            writeln!(
                out,
                "   · {} [{}] {}",
                p.number,
                p.lead_depts.join("、"),
                terminal_snippet(&p.snippet)
            )?;
        }
    }
    emit(&out)
}

/// Prints to stdout; a closed pipe (`| head`) is not an error.
fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// A snippet for a terminal: matches in 【】.
fn terminal_snippet(snippet: &zhengce_index::Snippet) -> String {
    snippet.render("【", "】", str::to_string)
}
