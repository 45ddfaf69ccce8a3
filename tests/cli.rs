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
        "{\"id\":\"r1\",\"title\":\"关于支持专精特新企业发展的通知\",\"issuer\":\"江西省人民政府办公厅\",\"publish_date\":\"2021-06-01\",\"body\":\"一、对专精特新企业给予奖励。\\n二、做好服务。\"}\nnot json\n{\"id\":\"r2\",\"title\":\"只有元数据\"}\n",
    )
    .unwrap();
    let index = dir.join("index");
    let out = zhengce(&[
        "ingest",
        "--index",
        index.to_str().unwrap(),
        inputs.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("added 2, replaced 0, skipped 1, failed 2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("empty page") && stderr.contains("invalid JSON"),
        "{stderr}"
    );

    // Ingesting again replaces, never duplicates.
    let again = zhengce(&[
        "ingest",
        "--index",
        index.to_str().unwrap(),
        inputs.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("added 0, replaced 2"));

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
    assert!(String::from_utf8_lossy(&bad.stderr).contains("quote is not closed"));
    std::fs::remove_dir_all(&dir).unwrap();
}
