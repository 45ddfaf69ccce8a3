//! Picks, from a pool of unlabelled provisions, the ones the shipped classifier is least
//! sure of: training rows to label for the model's next round (uncertainty sampling).
//!
//! `cargo run --release -p zhengce-benefits --example uncertain -- POOL.jsonl N [RANDOM]`
//!
//! `POOL.jsonl` holds rows as `examples/sample.rs` prints them (draw a pool with a large
//! `ZHENGCE_SAMPLE_SCALE` and `ZHENGCE_SAMPLE_PER_DOC`, excluding the test files). A row is
//! uncertain where the rules and the model disagree or the model's p(offers support) is
//! near one half; the `N` most uncertain are printed (at most four per document), then
//! `RANDOM` (default 0) rows of the rest, by an FNV hash of id and number, so that the
//! labels also show the pool as it is. The label lists stay empty: labellers never see
//! the classifier's reading. A summary goes to standard error.
use std::collections::{HashMap, HashSet};

use serde_json::Value;
use zhengce_benefits::{classify_by, model};

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

const PER_DOC: usize = 4;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [pool, n, rest @ ..] = args.as_slice() else {
        eprintln!("usage: uncertain POOL.jsonl N [RANDOM]");
        std::process::exit(2);
    };
    let n: usize = n.parse().expect("N: a number");
    let random: usize = rest
        .first()
        .map_or(0, |r| r.parse().expect("RANDOM: a number"));
    let model = model::shipped();
    // (uncertainty: lower is less sure, hash, row)
    let mut scored: Vec<(f32, u64, Value)> = Vec::new();
    for line in std::fs::read_to_string(pool).expect("the pool").lines() {
        let row: Value = serde_json::from_str(line).expect("a pool row");
        let text = row["text"].as_str().expect("a text");
        let mut seen = (0.0f32, false);
        classify_by(text, |t, s, r| {
            seen = (model.probabilities(t, s, &r)[0], !r.is_empty());
            r
        });
        let (p, rules) = seen;
        // Disagreement first (the rules find support the model doubts, or the model sees
        // support the rules missed), then closeness to one half.
        let disagree = (rules && p < 0.5) || (!rules && p > 0.3);
        let margin = (p - 0.5).abs() - if disagree { 1.0 } else { 0.0 };
        let key = format!(
            "{}#{}",
            row["doc_id"].as_str().unwrap_or_default(),
            row["number"].as_str().unwrap_or_default()
        );
        scored.push((margin, fnv(&key), row));
    }
    scored.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut per_doc: HashMap<String, usize> = HashMap::new();
    let mut taken: HashSet<u64> = HashSet::new();
    let mut disagreements = 0;
    for (margin, h, row) in &scored {
        if taken.len() == n {
            break;
        }
        let doc = row["doc_id"].as_str().unwrap_or_default().to_string();
        let count = per_doc.entry(doc).or_default();
        if *count >= PER_DOC {
            continue;
        }
        *count += 1;
        taken.insert(*h);
        disagreements += usize::from(*margin < 0.0);
        println!("{row}");
    }
    let mut others: Vec<&(f32, u64, Value)> = scored
        .iter()
        .filter(|(_, h, _)| !taken.contains(h))
        .collect();
    others.sort_by_key(|(_, h, _)| *h);
    for (_, _, row) in others.iter().take(random) {
        println!("{row}");
    }
    eprintln!(
        "pool {}; uncertain {} ({disagreements} where rules and model disagree); random {}",
        scored.len(),
        taken.len(),
        random.min(others.len())
    );
}
