//! Precision and recall per class on the hand-labelled provisions
//! (`tests/fixtures/labelled.jsonl`, guideline in `tests/fixtures/GUIDELINE.md`).
//! Another labelled file in the same format can be measured with
//! `ZHENGCE_LABELLED=path cargo test -p zhengce-benefits --test benefits labelled -- --nocapture`.

use std::collections::BTreeMap;

use serde_json::Value;
use zhengce_benefits::classify;

#[derive(Default, Debug, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn labels(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// Per-class counts and the micro total for one label kind.
fn measure(rows: &[Value], kind: &str) -> (BTreeMap<String, Counts>, Counts) {
    let mut per: BTreeMap<String, Counts> = BTreeMap::new();
    for row in rows {
        let got = classify(row["text"].as_str().unwrap());
        let got = if kind == "benefit" {
            got.benefits
        } else {
            got.beneficiaries
        };
        let want = labels(&row[kind]);
        let union: std::collections::BTreeSet<&String> = got.iter().chain(want.iter()).collect();
        for class in union {
            let c = per.entry(class.clone()).or_default();
            match (got.contains(class), want.contains(class)) {
                (true, true) => c.tp += 1,
                (true, false) => c.fp += 1,
                (false, true) => c.fn_ += 1,
                _ => {}
            }
        }
    }
    let mut total = Counts::default();
    for c in per.values() {
        total.add(*c);
    }
    (per, total)
}

#[test]
fn labelled_provisions_meet_the_targets() {
    let path = std::env::var("ZHENGCE_LABELLED").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/labelled.jsonl").to_string()
    });
    let rows: Vec<Value> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(rows.len() >= 300, "{} labelled provisions", rows.len());
    let sources: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r["source"].as_str().unwrap()).collect();
    assert!(sources.len() >= 6, "{sources:?}");
    for (kind, min_p, min_r) in [("benefit", 0.9, 0.85), ("beneficiary", 0.85, 0.85)] {
        let (per, total) = measure(&rows, kind);
        eprintln!(
            "{kind}: precision {:.3} recall {:.3} (tp {} fp {} fn {})",
            total.precision(),
            total.recall(),
            total.tp,
            total.fp,
            total.fn_
        );
        for (class, c) in &per {
            eprintln!(
                "  {class}: precision {:.2} recall {:.2} (tp {} fp {} fn {})",
                c.precision(),
                c.recall(),
                c.tp,
                c.fp,
                c.fn_
            );
        }
        assert!(
            total.precision() >= min_p,
            "{kind} precision {:.3}",
            total.precision()
        );
        assert!(
            total.recall() >= min_r,
            "{kind} recall {:.3}",
            total.recall()
        );
    }
}
