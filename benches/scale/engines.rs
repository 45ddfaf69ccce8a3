//! The two engines as child processes: build an index, serve it, and measure wall time,
//! disk and memory.
//!
//! Every child dies with the bench: a [`Guard`] kills it on drop (errors and panics
//! included) and `PR_SET_PDEATHSIG` kills it if the bench itself is killed.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};
use zhengce_enrich::{enrich, parse_record};

/// The number in the environment variable `name`, `default` when it is not set.
pub fn env_number<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T> {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("{name} must be a number, got {v:?}")),
        Err(_) => Ok(default),
    }
}

/// How long a server may take to answer its first request.
const READY_TIMEOUT: Duration = Duration::from_secs(180);

/// A child process, killed and reaped when dropped unless it was already reaped.
pub struct Guard {
    child: Child,
    what: String,
    reaped: bool,
}

impl Guard {
    fn spawn(mut command: Command, what: &str) -> anyhow::Result<Guard> {
        // SAFETY: prctl is async-signal-safe; the closure touches no shared state.
        unsafe {
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command
            .spawn()
            .with_context(|| format!("cannot start {what}"))?;
        Ok(Guard {
            child,
            what: what.to_string(),
            reaped: false,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Fails when the process has already ended.
    fn ensure_running(&mut self) -> anyhow::Result<()> {
        if let Some(status) = self.child.try_wait()? {
            self.reaped = true;
            bail!("{} exited early: {status}", self.what);
        }
        Ok(())
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if !self.reaped {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// What building an index cost.
#[derive(Debug, Clone, Copy)]
pub struct Build {
    pub seconds: f64,
    /// Peak resident memory of the building process (its `ru_maxrss`).
    pub peak_rss_kib: u64,
    /// Space the index takes on disk (allocated blocks).
    pub disk_bytes: u64,
}

/// Runs `command` to its end and returns its wall time and peak resident memory, which
/// `wait4` reports for exactly this child.
fn run_measured(command: Command, what: &str) -> anyhow::Result<(f64, u64)> {
    let started = Instant::now();
    let mut guard = Guard::spawn(command, what)?;
    let pid = guard.pid() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data; all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own unreaped child; both pointers are valid for writes.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err).with_context(|| format!("cannot wait for {what}"));
        }
    }
    guard.reaped = true;
    let seconds = started.elapsed().as_secs_f64();
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        bail!("{what} failed (wait status {status})");
    }
    Ok((seconds, usage.ru_maxrss.max(0) as u64))
}

/// Allocated size of every file under `path`.
pub fn disk_usage(path: &Path) -> anyhow::Result<u64> {
    let meta =
        std::fs::symlink_metadata(path).with_context(|| format!("stat {}", path.display()))?;
    if !meta.is_dir() {
        return Ok(meta.blocks() * 512);
    }
    let mut total = 0;
    for entry in std::fs::read_dir(path).with_context(|| format!("list {}", path.display()))? {
        total += disk_usage(&entry?.path())?;
    }
    Ok(total)
}

/// A free port on 127.0.0.1 (free when asked; nothing else on this machine races for it
/// within the second before the server binds it).
fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(listener.local_addr()?.port())
}

/// A running search server.
pub struct Server {
    guard: Guard,
    pub base: String,
}

/// Resident memory of a server, from `/proc/PID/status`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rss {
    pub current_kib: u64,
    pub peak_kib: u64,
}

impl Server {
    fn start(
        command: Command,
        what: &str,
        base: String,
        ready_path: &str,
    ) -> anyhow::Result<Server> {
        let mut server = Server {
            guard: Guard::spawn(command, what)?,
            base,
        };
        let client = super::http_client()?;
        let url = format!("{}{ready_path}", server.base);
        let started = Instant::now();
        loop {
            server.guard.ensure_running()?;
            if client
                .get(&url)
                .send()
                .is_ok_and(|r| r.status().is_success())
            {
                return Ok(server);
            }
            if started.elapsed() > READY_TIMEOUT {
                bail!("{what} did not answer {url} within {READY_TIMEOUT:?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn rss(&self) -> anyhow::Result<Rss> {
        let path = format!("/proc/{}/status", self.guard.pid());
        let status = std::fs::read_to_string(&path).with_context(|| format!("read {path}"))?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
                .unwrap_or(0)
        };
        Ok(Rss {
            current_kib: field("VmRSS:"),
            peak_kib: field("VmHWM:"),
        })
    }
}

/// zhengce: `zhengce ingest` and `zhengce serve`.
pub struct Zhengce {
    pub binary: PathBuf,
}

impl Zhengce {
    /// `zhengce ingest --index DIR FILES…`; its summary line is written to `log`.
    pub fn build(&self, index: &Path, files: &[PathBuf], log: &Path) -> anyhow::Result<Build> {
        let out = File::create(log).with_context(|| format!("create {}", log.display()))?;
        let mut command = Command::new(&self.binary);
        command
            .arg("ingest")
            .arg("--index")
            .arg(index)
            .args(files)
            .env_remove("ZHENGCE_INDEX")
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out);
        let (seconds, peak_rss_kib) = run_measured(command, "zhengce ingest")
            .with_context(|| format!("see {}", log.display()))?;
        Ok(Build {
            seconds,
            peak_rss_kib,
            disk_bytes: disk_usage(index)?,
        })
    }

    pub fn serve(&self, index: &Path, log: &Path) -> anyhow::Result<Server> {
        let port = free_port()?;
        let out = File::create(log).with_context(|| format!("create {}", log.display()))?;
        let mut command = Command::new(&self.binary);
        command
            .arg("serve")
            .arg("--index")
            .arg(index)
            .arg("--addr")
            .arg(format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out);
        Server::start(
            command,
            "zhengce serve",
            format!("http://127.0.0.1:{port}"),
            "/healthz",
        )
    }
}

/// The Groonga table every entry goes into, its lexicon (bigrams, `NormalizerAuto`) with
/// indexes on title, body and 文号, and exact-value indexes for the filtered columns.
const GROONGA_SCHEMA: &str = "\
table_create Entries TABLE_NO_KEY
column_create Entries level COLUMN_SCALAR ShortText
column_create Entries doc_id COLUMN_SCALAR ShortText
column_create Entries title COLUMN_SCALAR Text
column_create Entries doc_number COLUMN_SCALAR ShortText
column_create Entries issuer COLUMN_SCALAR ShortText
column_create Entries region COLUMN_SCALAR ShortText
column_create Entries doc_type COLUMN_SCALAR ShortText
column_create Entries year COLUMN_SCALAR UInt16
column_create Entries body COLUMN_SCALAR LongText
";

/// Created after the load, so that Groonga builds the indexes in one static pass.
const GROONGA_INDEXES: &str = "\
table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigram --normalizer NormalizerAuto
column_create Terms entries_title COLUMN_INDEX|WITH_POSITION Entries title
column_create Terms entries_body COLUMN_INDEX|WITH_POSITION|INDEX_LARGE Entries body
column_create Terms entries_doc_number COLUMN_INDEX|WITH_POSITION Entries doc_number
table_create Labels TABLE_HASH_KEY ShortText
column_create Labels entries_level COLUMN_INDEX Entries level
column_create Labels entries_issuer COLUMN_INDEX Entries issuer
column_create Labels entries_region COLUMN_INDEX Entries region
table_create Years TABLE_PAT_KEY UInt16
column_create Years entries_year COLUMN_INDEX Entries year
";

/// How many entries a corpus gives: documents and their provisions, as zhengce counts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Entries {
    pub documents: u64,
    pub provisions: u64,
}

/// Groonga: `groonga -n DB < load.grn` and `groonga -s --protocol http DB`.
pub struct Groonga;

impl Groonga {
    /// Whether `groonga` is on the PATH, and which version.
    pub fn version() -> Option<String> {
        let out = Command::new("groonga").arg("--version").output().ok()?;
        let text = String::from_utf8_lossy(&out.stdout);
        out.status
            .success()
            .then(|| text.lines().next().unwrap_or_default().to_string())
    }

    /// Writes the Groonga command file that creates and loads the same entries zhengce
    /// indexes: every record through zhengce's own `parse_record` and `enrich` (records
    /// with neither title nor 文号 skipped), one entry for the document and one per
    /// provision.
    pub fn write_load(files: &[PathBuf], path: &Path) -> anyhow::Result<Entries> {
        let file = File::create(path).with_context(|| format!("create {}", path.display()))?;
        let mut out = BufWriter::new(file);
        out.write_all(GROONGA_SCHEMA.as_bytes())?;
        out.write_all(b"load --table Entries\n[\n")?;
        let mut entries = Entries::default();
        let mut first = true;
        let mut emit = |out: &mut BufWriter<File>, value: Value| -> anyhow::Result<()> {
            if !std::mem::take(&mut first) {
                out.write_all(b",\n")?;
            }
            serde_json::to_writer(&mut *out, &value)?;
            Ok(())
        };
        for file in files {
            let reader = BufReader::new(
                File::open(file).with_context(|| format!("open {}", file.display()))?,
            );
            for line in reader.lines() {
                let line = line.with_context(|| format!("read {}", file.display()))?;
                let Ok(record) = parse_record(&line) else {
                    continue;
                };
                let mut doc = record.doc;
                enrich(&mut doc);
                let year = doc.dated_year();
                let common = json!({
                    "doc_id": doc.id,
                    "title": doc.title,
                    "doc_number": doc.doc_number,
                    "issuer": doc.issuer,
                    "region": doc.region,
                    "doc_type": doc.doc_type,
                    "year": year,
                });
                let entry = |level: &str, body: &str| {
                    let mut value = common.clone();
                    value["level"] = json!(level);
                    value["body"] = json!(body);
                    // Groonga rejects null for a typed column: leave the column out.
                    if let Value::Object(map) = &mut value {
                        map.retain(|_, v| !v.is_null());
                    }
                    value
                };
                emit(&mut out, entry("doc", &doc.body))?;
                entries.documents += 1;
                for provision in &doc.provisions {
                    emit(&mut out, entry("provision", &provision.text))?;
                    entries.provisions += 1;
                }
            }
        }
        out.write_all(b"\n]\n")?;
        out.write_all(GROONGA_INDEXES.as_bytes())?;
        out.flush()
            .with_context(|| format!("write {}", path.display()))?;
        Ok(entries)
    }

    /// Creates the database `db` from the command file: load, then index.
    pub fn build(db: &Path, load: &Path, log: &Path, expected: u64) -> anyhow::Result<Build> {
        let dir = db.parent().context("the database path has no folder")?;
        std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
        let answers = log.with_extension("out");
        let mut command = Command::new("groonga");
        command
            .arg("--log-path")
            .arg(log)
            .arg("-n")
            .arg(db)
            .stdin(File::open(load).with_context(|| format!("open {}", load.display()))?)
            .stdout(File::create(&answers)?)
            .stderr(File::create(log.with_extension("err"))?);
        let (seconds, peak_rss_kib) = run_measured(command, "groonga load")?;
        // One answer per command, `[[rc, …], result]`; the load's result is the count.
        let text = std::fs::read_to_string(&answers)
            .with_context(|| format!("read {}", answers.display()))?;
        let mut loaded = None;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let answer: Value = serde_json::from_str(line)
                .with_context(|| format!("unexpected groonga output: {line}"))?;
            if answer[0][0].as_i64() != Some(0) {
                bail!("groonga command failed: {line}");
            }
            if let Some(n) = answer[1].as_u64() {
                loaded = Some(n);
            }
        }
        anyhow::ensure!(
            loaded == Some(expected),
            "groonga loaded {loaded:?} entries, expected {expected}"
        );
        Ok(Build {
            seconds,
            peak_rss_kib,
            disk_bytes: disk_usage(dir)?,
        })
    }

    pub fn serve(db: &Path, log: &Path) -> anyhow::Result<Server> {
        let port = free_port()?;
        let mut command = Command::new("groonga");
        command
            .arg("--log-path")
            .arg(log)
            .args(["-s", "--protocol", "http", "--bind-address", "127.0.0.1"])
            .arg("--port")
            .arg(port.to_string())
            .arg(db)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(log.with_extension("err"))?);
        Server::start(
            command,
            "groonga server",
            format!("http://127.0.0.1:{port}"),
            "/d/status",
        )
    }
}
