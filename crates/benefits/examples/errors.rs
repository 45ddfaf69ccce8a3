//! Lists the disagreements between the classifier and labelled files.
//! `cargo run -p zhengce-benefits --example errors -- [--full] [FILE...]` (`--full`: the whole
//! text and the sentences the rules read as offering support, not the first 160 characters).
fn main() {
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    let full = match paths.iter().position(|p| p == "--full") {
        Some(at) => {
            paths.remove(at);
            true
        }
        None => false,
    };
    if paths.is_empty() {
        paths.push(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/labelled.jsonl").into());
    }
    for path in paths {
        let name = std::path::Path::new(&path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (i, line) in std::fs::read_to_string(&path).unwrap().lines().enumerate() {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = row["text"].as_str().unwrap();
            let got = zhengce_benefits::classify(text);
            for (kind, got) in [
                ("benefit", &got.benefits),
                ("beneficiary", &got.beneficiaries),
            ] {
                let want: Vec<String> = row[kind]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect();
                let fp: Vec<&String> = got.iter().filter(|g| !want.contains(g)).collect();
                let fn_: Vec<&String> = want.iter().filter(|w| !got.contains(w)).collect();
                if fp.is_empty() && fn_.is_empty() {
                    continue;
                }
                if full {
                    println!("{name}:{i} {kind} fp={fp:?} fn={fn_:?}\n  {text}");
                    if kind == "benefit" && !fp.is_empty() {
                        for s in zhengce_benefits::support_sentences(text) {
                            println!("  > {s}");
                        }
                    }
                } else {
                    let text: String = text.chars().take(160).collect();
                    println!("{name}:{i} {kind} fp={fp:?} fn={fn_:?} | {text}");
                }
            }
        }
    }
}
