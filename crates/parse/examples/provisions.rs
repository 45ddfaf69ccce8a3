//! Prints the provisions found in JSONL corpus records (and pages given by path) as JSONL:
//! `{"doc_id", "source", "number", "text"}`. Used to draw provisions for labelling.
//!
//! `cargo run -p zhengce-parse --example provisions -- FILE...`

fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap();
        if path.ends_with(".jsonl") {
            for line in text.lines() {
                let record: serde_json::Value = serde_json::from_str(line).unwrap();
                let Some(body) = record["body"].as_str() else {
                    continue;
                };
                for p in zhengce_parse::extract_provisions(body) {
                    print(&record["id"], &record["source"], &p);
                }
            }
        } else {
            let doc =
                zhengce_parse::parse_page(text.as_bytes(), &zhengce_parse::PageInput::default())
                    .unwrap();
            for p in &doc.provisions {
                print(&serde_json::json!(doc.id), &serde_json::json!("seed"), p);
            }
        }
    }
}

fn print(id: &serde_json::Value, source: &serde_json::Value, p: &zhengce_model::Provision) {
    let line =
        serde_json::json!({"doc_id": id, "source": source, "number": p.number, "text": p.text});
    println!("{line}");
}
