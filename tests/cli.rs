//! The `zhengce` binary, run as a user runs it.

use std::process::Command;

fn zhengce(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args(args)
        .output()
        .expect("zhengce runs")
}

fn seed() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_da3f5c9ac6127705.txt"
    )
    .to_string()
}

#[test]
fn parse_prints_the_document_as_json() {
    let out = zhengce(&[
        "parse",
        &seed(),
        "--url",
        "http://kjt.ln.gov.cn/kjt/zfxxgk/1.html#top",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["doc_number"], "辽科发〔2020〕6号");
    assert_eq!(doc["id"], "http://kjt.ln.gov.cn/kjt/zfxxgk/1.html");
    assert_eq!(doc["provisions"].as_array().unwrap().len(), 86);
    assert_eq!(doc["provisions"][29]["lead_depts"][0], "高新区处");
    assert!(doc["attachments"].as_array().unwrap().is_empty());
}

#[test]
fn unreadable_input_exits_2_with_one_line() {
    let dir = std::env::temp_dir().join(format!("zhengce-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty.html");
    std::fs::write(&empty, b"").unwrap();
    let binary = dir.join("image.png");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let missing = dir.join("missing.html");
    for (path, says) in [
        (&empty, "empty page"),
        (&binary, "binary"),
        (&missing, "cannot read"),
    ] {
        let out = zhengce(&["parse", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(out.stdout.is_empty());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zhengce-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn ingest_goes_on_past_bad_inputs_and_search_finds_the_rest() {
    let dir = temp_dir("ingest");
    let inputs = dir.join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::copy(seed(), inputs.join("seed.txt")).unwrap();
    std::fs::write(inputs.join("empty.html"), b"").unwrap();
    std::fs::write(
        inputs.join("records.jsonl"),
        "{\"id\":\"r1\",\"title\":\"关于支持专精特新企业发展的通知\",\"issuer\":\"江西省人民政府办公厅\",\"publish_date\":\"2021-06-01\",\"body\":\"一、对专精特新企业给予奖励。\\n二、做好服务。\"}\nnot json\n{\"id\":\"r2\",\"title\":\"只有元数据\"}\n{\"id\":\"r3\",\"url\":\"http://www.gov.cn/x.htm\"}\n",
    )
    .unwrap();
    let index = dir.join("index");
    let out = zhengce(&[
        "ingest",
        "--index",
        index.to_str().unwrap(),
        inputs.to_str().unwrap(),
    ]);
    // Some inputs failed: exit 1, after the summary.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("added 3, replaced 0, skipped 1, failed 2"),
        "{stderr}"
    );
    // Per file, with the reason of every skip; a catalogue entry (r2) is a document.
    assert!(
        stderr.contains("records.jsonl: added 2, replaced 0, skipped 1 (1 record has neither a title nor a 文号), failed 1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("empty page") && stderr.contains("not JSON"),
        "{stderr}"
    );

    // Ingesting again replaces, never duplicates.
    let again = zhengce(&[
        "ingest",
        "--index",
        index.to_str().unwrap(),
        inputs.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("added 0, replaced 3"));
    assert_eq!(again.status.code(), Some(1));

    let out = zhengce(&[
        "search",
        "--index",
        index.to_str().unwrap(),
        "--json",
        "--level",
        "provision",
        "专精特新",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let response: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(response["total"], 1);
    assert_eq!(response["hits"][0]["id"], "r1#一");
    assert_eq!(response["hits"][0]["region"], "江西省");
    for key in ["query", "took_ms", "facets"] {
        assert!(response.get(key).is_some(), "{key}");
    }

    let text = zhengce(&[
        "search",
        "--index",
        index.to_str().unwrap(),
        "--level",
        "provision",
        "瞪羚",
    ]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("第30项") && text.contains("【瞪羚】") && text.contains("高新区处"),
        "{text}"
    );

    let bad = zhengce(&["search", "--index", index.to_str().unwrap(), "\"瞪羚"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("引号没有闭合"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The reindex process dies right before its commit: the index still opens with the
/// previous state, and the next run finishes the job.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reindex_killed_before_its_commit_loses_nothing() {
    let Some(corpus) = zhengce_testkit::corpus_dir() else {
        return;
    };
    let read = |p: &str| std::fs::read_to_string(corpus.join(p)).unwrap();
    let portal = zhengce_testkit::MockPortal::start(
        &read("html/jiangxi_gov/art_4969_1499515.html"),
        &read("html/jiangxi_gov/art_14075_1574386.html"),
        &read("html/govcn_zhengce2018_frag/content_5338761.html"),
    )
    .await;
    let dir = temp_dir("crash");
    let sites = dir.join("sites.toml");
    std::fs::write(
        &sites,
        format!(
            "[[site]]\nname = \"mock\"\nstart_urls = [\"{}\"]\nrate = 100.0\n",
            portal.url("/list/index.html")
        ),
    )
    .unwrap();
    let index = dir.join("index");
    let store = dir.join("store");
    let reindex = |crash: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhengce"));
        cmd.args([
            "reindex",
            "--config",
            sites.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
        ])
        .args([
            "--store",
            store.to_str().unwrap(),
            "--allow-private",
            "127.0.0.1",
            "--timeout",
            "1",
            "--max-bytes",
            "300000",
            "--revisit-all",
        ]);
        if crash {
            cmd.env("ZHENGCE_CRASH_BEFORE_COMMIT", "1");
        }
        cmd.output().unwrap()
    };
    let count = |q: &str| -> u64 {
        let out = zhengce(&["search", "--index", index.to_str().unwrap(), "--json", q]);
        let response: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        response["total"].as_u64().unwrap()
    };

    let first = reindex(false);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(report["new"], 4);
    assert_eq!(
        report,
        serde_json::from_str::<serde_json::Value>(
            &std::fs::read_to_string(store.join("last-report.json")).unwrap()
        )
        .unwrap()
    );
    assert_eq!(count("李洪斌"), 1);

    // An edit (the update guard holds back a page that lost most of its document).
    portal.set_page(
        "/art/b.html",
        &read("html/jiangxi_gov/art_14075_1574386.html").replace("李洪斌", "崩溃恢复"),
    );
    let crashed = reindex(true);
    assert!(!crashed.status.success(), "the run was meant to die");
    // The index opens with the previous state: old text found, new text not yet.
    assert_eq!(count("李洪斌"), 1);
    assert_eq!(count("崩溃恢复"), 0);

    let next = reindex(false);
    assert!(
        next.status.success(),
        "{}",
        String::from_utf8_lossy(&next.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&next.stdout).unwrap();
    assert_eq!(report["updated"], 1, "{report}");
    assert_eq!(
        report["fetched"], 0,
        "the page was stored before the crash: {report}"
    );
    assert_eq!(count("崩溃恢复"), 1);
    assert_eq!(count("李洪斌"), 0);
    assert_eq!(report["documents"], 4);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `zhengce reindex URL` against a local portal, with the flags every test needs.
fn reindex_cmd(dir: &std::path::Path, url: &str, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhengce"));
    cmd.args([
        "reindex",
        url,
        "--index",
        dir.join("index").to_str().unwrap(),
        "--store",
        dir.join("store").to_str().unwrap(),
        "--allow-private",
        "127.0.0.1",
        "--timeout",
        "2",
    ])
    .args(extra);
    cmd
}

fn report_of(dir: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("store").join("last-report.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Issue 13: the exit status says whether the run can be trusted. An unreachable portal
/// and a page limit exit 1 with the reason in the report; a portal answering 404 to
/// everything twice removes nothing and exits 1; logs carry no colour codes in a file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_13_reindex_exits_non_zero_when_the_run_is_not_trustworthy() {
    let dir = temp_dir("exit");
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = reindex_cmd(&dir, &format!("http://127.0.0.1:{closed}/list/"), &[])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        !stderr.contains('\x1b'),
        "no ANSI codes in a file: {stderr}"
    );
    let report = report_of(&dir);
    assert_eq!(report["status"], "failed");
    let problem = report["problems"][0].as_str().unwrap();
    assert!(
        problem.contains("unreachable") && problem.contains("connection refused"),
        "{problem}"
    );
    assert_eq!(report["failed"][0]["reason"], "connection refused");
    for key in ["started_at", "finished_at"] {
        assert!(report[key].as_str().unwrap().ends_with('Z'), "{report}");
    }

    let (pages, _) = zhengce_testkit::gbk_site(24, 5);
    let portal = zhengce_testkit::MockPortal::with_pages(pages).await;
    let start = portal.url(zhengce_testkit::GBK_START);
    let limited = reindex_cmd(&dir, &start, &["--rate", "100", "--max-pages", "8"])
        .output()
        .unwrap();
    assert_eq!(limited.status.code(), Some(1));
    let report = report_of(&dir);
    assert_eq!(report["status"], "incomplete");
    assert!(
        report["problems"][0]
            .as_str()
            .unwrap()
            .contains("page limit of 8"),
        "{report}"
    );

    let full = reindex_cmd(&dir, &start, &["--rate", "100"])
        .output()
        .unwrap();
    assert!(
        full.status.success(),
        "{}",
        String::from_utf8_lossy(&full.stderr)
    );
    let report = report_of(&dir);
    assert_eq!(
        (report["status"].as_str(), report["documents"].as_u64()),
        (Some("ok"), Some(24))
    );
    assert_eq!(report["list_pages"]["visited"], 5);

    portal.set_all_gone(true);
    for night in 0..2 {
        let gone = reindex_cmd(&dir, &start, &["--rate", "100", "--revisit-all"])
            .output()
            .unwrap();
        assert_eq!(gone.status.code(), Some(1), "night {night}");
        let report = report_of(&dir);
        assert_eq!(report["status"], "failed", "{report}");
        assert_eq!(report["removed"], 0);
        assert_eq!(report["documents"], 24);
    }
    let report = report_of(&dir);
    assert_eq!(report["guard"][0]["would_remove"], 24, "{report}");
    assert_eq!(report["gone"].as_array().unwrap().len(), 25);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 13: a second run while one holds the store exits at once with a clear message;
/// SIGTERM ends the first one with its report, marked interrupted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_13_one_run_at_a_time_and_a_report_on_sigterm() {
    let dir = temp_dir("sigterm");
    let (pages, _) = zhengce_testkit::gbk_site(24, 5);
    let portal = zhengce_testkit::MockPortal::with_pages(pages).await;
    let start = portal.url(zhengce_testkit::GBK_START);
    // Two requests a second: the run takes about fifteen seconds unless stopped.
    let mut first = reindex_cmd(&dir, &start, &["--rate", "2"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let lock = dir.join("store").join("lock");
    let began = std::time::Instant::now();
    while !std::fs::read_to_string(&lock).is_ok_and(|t| t.contains(&first.id().to_string())) {
        assert!(
            began.elapsed().as_secs() < 20,
            "the first run never took the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    let second_began = std::time::Instant::now();
    let second = reindex_cmd(&dir, &start, &["--rate", "2"])
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("another run holds") && stderr.contains(&format!("pid {}", first.id())),
        "{stderr}"
    );
    assert!(second_began.elapsed().as_secs() < 10);

    std::thread::sleep(std::time::Duration::from_millis(1500));
    let killed = Command::new("kill")
        .args(["-TERM", &first.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let stopped = std::time::Instant::now();
    let status = first.wait().unwrap();
    assert!(
        stopped.elapsed().as_secs() < 5,
        "stopped in {:?}",
        stopped.elapsed()
    );
    assert_eq!(status.code(), Some(1));
    let report = report_of(&dir);
    assert_eq!(report["status"], "interrupted", "{report}");
    assert!(
        report["problems"][0]
            .as_str()
            .unwrap()
            .contains("interrupted")
    );
    assert!(
        report["list_pages"]["visited"].as_u64().unwrap() >= 1,
        "{report}"
    );
    assert!(report["finished_at"].as_str().unwrap() >= report["started_at"].as_str().unwrap());
    // The lock went with the process: the next run starts.
    let next = reindex_cmd(&dir, &start, &["--rate", "100"])
        .output()
        .unwrap();
    assert!(
        next.status.success(),
        "{}",
        String::from_utf8_lossy(&next.stderr)
    );
    assert_eq!(report_of(&dir)["documents"], 24);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A free port on 127.0.0.1.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// GETs `path` from the server on `port` once it listens (30 s at most); the raw answer.
fn http_get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let started = std::time::Instant::now();
    loop {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            write!(
                stream,
                "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let mut response = String::new();
            let _ = stream.read_to_string(&mut response);
            return response;
        }
        assert!(started.elapsed().as_secs() < 30, "serve did not start");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

fn sigterm(child: &std::process::Child) {
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
}

/// Waits for `child` to exit, at most `limit`; `None` when it has not (it is killed).
fn wait_at_most(
    child: &mut std::process::Child,
    limit: std::time::Duration,
) -> Option<std::process::ExitStatus> {
    let started = std::time::Instant::now();
    while started.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().ok();
    child.wait().ok();
    None
}

/// `serve` without `--index` builds the default index (`./index`) from the embedded
/// seed, answers, and stops cleanly on SIGTERM.
#[test]
fn serve_seeds_the_default_index_and_stops_on_sigterm() {
    let dir = temp_dir("serve");
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .current_dir(&dir)
        .env_remove("ZHENGCE_INDEX")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let body = http_get(port, "/healthz");
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.contains("\"documents\":1"), "{body}");
    assert!(http_get(port, "/readyz").starts_with("HTTP/1.1 200"));
    assert!(dir.join("index").join("meta.json").is_file());
    sigterm(&child);
    let status = wait_at_most(&mut child, std::time::Duration::from_secs(10));
    assert!(
        status.is_some_and(|s| s.success()),
        "graceful shutdown exits 0: {status:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 15: only the default index is seeded; `serve --index` on a directory without
/// an index is an error and creates nothing.
#[test]
fn regression_issue_15_serve_never_creates_a_named_index() {
    let dir = temp_dir("serve-missing").join("no-such-index");
    let out = zhengce(&[
        "serve",
        "--index",
        dir.to_str().unwrap(),
        "--addr",
        &format!("127.0.0.1:{}", free_port()),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no index in"), "{stderr}");
    assert!(!dir.exists());
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}

/// Flips the first bytes of every file of `index` ending in `ext`, in place.
fn damage(index: &std::path::Path, ext: &str) {
    use std::io::{Read, Seek, Write};
    for path in std::fs::read_dir(index).unwrap().map(|e| e.unwrap().path()) {
        if path.extension().is_some_and(|e| e == ext) {
            let mut file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&path)
                .unwrap();
            let mut head = [0u8; 8];
            file.read_exact(&mut head).unwrap();
            head.iter_mut().for_each(|b| *b ^= 0xa5);
            file.seek(std::io::SeekFrom::Start(0)).unwrap();
            file.write_all(&head).unwrap();
        }
    }
}

/// Issue 15: a damaged index is found by `check` (exit 1), refused by `serve` with a
/// clear message, and `search` on it ends with an error, never a panic.
#[test]
fn regression_issue_15_a_damaged_index_is_refused_with_a_clear_message() {
    for ext in ["fast", "term", "idx"] {
        let (dir, index) = seed_index(&format!("damaged-{ext}"));
        let index_arg = index.to_str().unwrap();
        let out = zhengce(&["check", "--index", index_arg]);
        assert!(out.status.success(), "{out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains(": ok, 1 document; "), "{stdout}");
        damage(&index, ext);
        let out = zhengce(&["check", "--index", index_arg]);
        assert_eq!(out.status.code(), Some(1), "{ext}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("the index is damaged"), "{ext}: {stderr}");
        assert!(
            stderr.contains(&format!(".{ext} (checksum mismatch)")),
            "{stderr}"
        );
        let out = zhengce(&[
            "serve",
            "--index",
            index_arg,
            "--addr",
            &format!("127.0.0.1:{}", free_port()),
        ]);
        assert_eq!(out.status.code(), Some(2), "{ext}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("refusing to serve") && stderr.contains("the index is damaged"),
            "{ext}: {stderr}"
        );
        let out = zhengce(&["search", "--index", index_arg, "科技"]);
        assert_ne!(out.status.code(), Some(101), "{ext}: a panic: {out:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// Issue 15: SIGTERM while four searches run that ignore cancellation (a test hook makes
/// each take a minute) ends the process within 5 s.
#[test]
fn regression_issue_15_sigterm_ends_the_server_during_expensive_searches() {
    let (dir, index) = seed_index("sigterm");
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhengce"))
        .args([
            "serve",
            "--index",
            index.to_str().unwrap(),
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .env("ZHENGCE_TEST_WORK_DELAY_MS", "60000")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    assert!(http_get(port, "/readyz").starts_with("HTTP/1.1 200"));
    let searches: Vec<_> = (0..4)
        .map(|i| std::thread::spawn(move || http_get(port, &format!("/api/search?q=%E7%A7%91{i}"))))
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let asked = std::time::Instant::now();
    sigterm(&child);
    let status = wait_at_most(&mut child, std::time::Duration::from_secs(5));
    assert!(
        status.is_some(),
        "still running 5 s after SIGTERM ({:?})",
        asked.elapsed()
    );
    for search in searches {
        search.join().unwrap();
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `optimize` compacts many small ingests into one segment without losing a document.
#[test]
fn optimize_compacts_the_index() {
    let dir = temp_dir("optimize");
    let index = dir.join("index");
    let index_arg = index.to_str().unwrap();
    for i in 0..3 {
        let page = dir.join(format!("page{i}.txt"));
        std::fs::write(
            &page,
            format!("关于第{i}批企业的通知\n\n一、支持第{i}批企业发展。"),
        )
        .unwrap();
        assert!(
            zhengce(&["ingest", "--index", index_arg, page.to_str().unwrap()])
                .status
                .success()
        );
    }
    let out = zhengce(&["optimize", "--index", index_arg]);
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("before: 1 segment,"), "{stderr}");
    assert!(stderr.contains("after:  1 segment, "), "{stderr}");
    let out = zhengce(&["check", "--index", index_arg]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("ok, 3 documents; 1 segment,"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn search_on_a_missing_index_is_an_error_and_creates_nothing() {
    let dir = temp_dir("missing-index").join("no-such-index");
    let out = zhengce(&["search", "--index", dir.to_str().unwrap(), "独角兽"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no index in"), "{stderr}");
    assert!(!dir.exists());
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}

/// An index of the seed, built once per test that needs it.
fn seed_index(name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = temp_dir(name);
    let index = dir.join("index");
    let out = zhengce(&["ingest", "--index", index.to_str().unwrap(), &seed()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, index)
}

#[test]
fn issue_14_plurals_regions_as_typed_and_impossible_dates() {
    let (dir, index) = seed_index("issue-14-search");
    let index = index.to_str().unwrap();
    let one = zhengce(&["search", "--index", index, "独角兽"]);
    let text = String::from_utf8_lossy(&one.stdout);
    assert!(text.starts_with("1 result ("), "{text}");
    let none = zhengce(&["search", "--index", index, "火星殖民"]);
    assert!(String::from_utf8_lossy(&none.stdout).starts_with("0 results ("));
    let many = zhengce(&["search", "--index", index, "--level", "provision", "企业"]);
    assert!(String::from_utf8_lossy(&many.stdout).contains(" results ("));
    // The region and the office as people type them.
    for args in [
        ["--region", "辽宁"],
        ["--region", "辽宁省"],
        ["--issuer", "辽宁科学技术厅"],
        ["--issuer", "辽宁省科学技术厅"],
    ] {
        let out = zhengce(&["search", "--index", index, args[0], args[1], "独角兽"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with("1 result ("), "{args:?}: {text}");
    }
    // Impossible dates are refused, in Chinese, naming the date.
    for date in ["2020-02-30", "2021-02-29"] {
        let out = zhengce(&["search", "--index", index, "--from", date, "独角兽"]);
        assert_eq!(out.status.code(), Some(2), "{date}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("zhengce: --from: “{date}”不是有效日期")),
            "{stderr}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 10 (the house): the index takes 惠企 classes by name; the CLI resolves what
/// people type (`科小`) and refuses what nobody knows, naming the flag.
#[test]
fn regression_issue_10_classes_as_people_type_them() {
    let (dir, index) = seed_index("issue-10-classes");
    let index = index.to_str().unwrap();
    let first_line = |beneficiary: &str| {
        let out = zhengce(&[
            "search",
            "--index",
            index,
            "--level",
            "provision",
            "--beneficiary",
            beneficiary,
            "企业",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .split(" (")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let named = first_line("科技型中小企业");
    assert!(!named.starts_with("0 results"), "{named}");
    assert_eq!(first_line("科小"), named);
    let out = zhengce(&[
        "search",
        "--index",
        index,
        "--beneficiary",
        "火星人",
        "企业",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--beneficiary: 未知的适用对象“火星人”"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn issue_14_a_missing_input_is_reported_and_the_rest_ingested() {
    let dir = temp_dir("issue-14-missing-input");
    let index = dir.join("index");
    let missing = dir.join("no-such-file.html");
    let out = zhengce(&[
        "ingest",
        "--index",
        index.to_str().unwrap(),
        missing.to_str().unwrap(),
        &seed(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no-such-file.html"), "{stderr}");
    assert!(stderr.contains("added 1,"), "{stderr}");
    assert!(stderr.contains("; 1 document in the index"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// User test: `zhengce ingest … binary.html empty.html broken.jsonl missing.html` said
/// "failed 5" and exited 0, so cron could not see a partly failed load. It exits 1 after
/// printing the summary, with everything that parsed indexed; a load where nothing failed
/// exits 0, and `ingest --help` says so.
#[test]
fn ingest_with_failed_inputs_exits_1_after_the_summary() {
    let dir = temp_dir("ingest-failures");
    std::fs::write(dir.join("binary.html"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(dir.join("empty.html"), b"").unwrap();
    std::fs::write(dir.join("broken.jsonl"), "{\"id\": \"x\",\nnot json\n").unwrap();
    let index = dir.join("index");
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let out = zhengce(&[
        "ingest",
        "--index",
        index.to_str().unwrap(),
        &path("binary.html"),
        &path("empty.html"),
        &path("broken.jsonl"),
        &path("missing.html"),
        &seed(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("added 1, replaced 0, skipped 0, failed 5 in"),
        "{stderr}"
    );
    assert!(stderr.contains("; 1 document in the index"), "{stderr}");
    let found = zhengce(&["search", "--index", index.to_str().unwrap(), "独角兽"]);
    assert!(String::from_utf8_lossy(&found.stdout).starts_with("1 result ("));

    let ok = zhengce(&["ingest", "--index", index.to_str().unwrap(), &seed()]);
    assert_eq!(ok.status.code(), Some(0), "{ok:?}");
    let help = zhengce(&["ingest", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("1 when some inputs failed"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn issue_14_errors_say_each_thing_once() {
    let dir = temp_dir("issue-14-errors");
    let missing = dir.join("missing.html");
    let out = zhengce(&["parse", missing.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let cause = "No such file or directory";
    assert_eq!(stderr.matches(cause).count(), 1, "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn issue_14_help_has_examples() {
    for args in [
        vec!["--help"],
        vec!["search", "--help"],
        vec!["ingest", "--help"],
    ] {
        let out = zhengce(&args);
        assert!(out.status.success());
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("Examples:"), "{args:?}: {help}");
        assert!(help.contains("zhengce "), "{args:?}");
    }
    let help = String::from_utf8_lossy(&zhengce(&["search", "--help"]).stdout).into_owned();
    assert!(help.contains("--region 辽宁"), "{help}");
}

#[test]
fn issue_14_ingest_logs_progress_when_not_on_a_terminal() {
    let dir = temp_dir("issue-14-progress");
    let inputs = dir.join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    for i in 0..3 {
        std::fs::copy(seed(), inputs.join(format!("seed-{i}.txt"))).unwrap();
    }
    let index = dir.join("index");
    // stderr is a pipe here, as in a log or CI.
    let out = zhengce(&[
        "ingest",
        "--index",
        index.to_str().unwrap(),
        "--progress-every",
        "0",
        inputs.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("ingest: "))
        .collect();
    assert_eq!(
        lines.len(),
        3,
        "one line per input at --progress-every 0: {stderr}"
    );
    assert!(lines[0].starts_with("ingest: 1 input read"), "{stderr}");
    assert!(lines[2].starts_with("ingest: 3 inputs read"), "{stderr}");
    assert!(!stderr.contains('\x1b'), "no terminal codes in a log");
    std::fs::remove_dir_all(&dir).unwrap();
}
