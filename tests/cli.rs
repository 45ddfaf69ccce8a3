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
