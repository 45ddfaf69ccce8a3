//! Lists the disagreements between the classifier and a labelled file.
//! `cargo run -p zhengce-benefits --example errors -- [FILE]`
fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/labelled.jsonl").into()
    });
    for (i, line) in std::fs::read_to_string(path).unwrap().lines().enumerate() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let got = zhengce_benefits::classify(row["text"].as_str().unwrap());
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
            if !fp.is_empty() || !fn_.is_empty() {
                let text: String = row["text"].as_str().unwrap().chars().take(160).collect();
                println!("{i} {kind} fp={fp:?} fn={fn_:?} | {text}");
            }
        }
    }
}
