//! Precision and recall per class on the hand-labelled provisions
//! (`tests/fixtures/labelled.jsonl`, guideline in `tests/fixtures/GUIDELINE.md`).
//! The development set (`labelled.jsonl`) is reported; the test set (`test.jsonl`) must
//! meet the targets of issue 12.
//! `cargo test -p zhengce-benefits --test benefits labelled -- --nocapture` prints both.

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

fn read(path: &str) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Whether the provision offers any support at all, as a yes/no decision.
fn offers(rows: &[Value]) -> Counts {
    let mut c = Counts::default();
    for row in rows {
        let got = !classify(row["text"].as_str().unwrap()).benefits.is_empty();
        let want = !row["benefit"].as_array().unwrap().is_empty();
        match (got, want) {
            (true, true) => c.tp += 1,
            (true, false) => c.fp += 1,
            (false, true) => c.fn_ += 1,
            _ => {}
        }
    }
    c
}

/// Prints the per-class table of one set and returns (offers, benefit, beneficiary).
fn report(name: &str, rows: &[Value]) -> [Counts; 3] {
    let o = offers(rows);
    eprintln!(
        "{name}: {} provisions; offers support: precision {:.3} recall {:.3} (tp {} fp {} fn {})",
        rows.len(),
        o.precision(),
        o.recall(),
        o.tp,
        o.fp,
        o.fn_
    );
    let mut out = [o, Counts::default(), Counts::default()];
    for (i, kind) in ["benefit", "beneficiary"].into_iter().enumerate() {
        let (per, total) = measure(rows, kind);
        eprintln!(
            "{name} {kind}: precision {:.3} recall {:.3} (tp {} fp {} fn {})",
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
        out[i + 1] = total;
    }
    out
}

fn assert_at_least(name: &str, what: &str, c: Counts, min_p: f64, min_r: f64) {
    assert!(
        c.precision() >= min_p && c.recall() >= min_r,
        "{name} {what}: precision {:.3} (target {min_p}), recall {:.3} (target {min_r})",
        c.precision(),
        c.recall()
    );
}

/// The development set: the rules were revised against it, so it is reported, and held
/// to a floor that catches a rule gone wrong.
#[test]
fn development_set() {
    let rows: Vec<Value> = DEV.iter().flat_map(|f| read(f)).collect();
    assert!(rows.len() >= 400, "{} labelled provisions", rows.len());
    let sources: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r["source"].as_str().unwrap()).collect();
    assert!(sources.len() >= 6, "{sources:?}");
    let [o, b, y] = report("dev", &rows);
    assert_at_least("dev", "offers support", o, DEV_FLOOR, DEV_FLOOR);
    assert_at_least("dev", "benefit", b, DEV_FLOOR, DEV_FLOOR);
    assert_at_least("dev", "beneficiary", y, DEV_FLOOR, DEV_FLOOR);
}

const DEV_FLOOR: f64 = 0.8;

/// The development files: the first 306 provisions, 105 more from other documents, and 278
/// from documents no file had used, labelled for issue 12 after the fresh test set.
const DEV: [&str; 3] = [
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/labelled.jsonl"),
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dev_more.jsonl"),
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/dev_fresh.jsonl"
    ),
];

fn test_rows() -> Vec<Value> {
    let path = std::env::var("ZHENGCE_LABELLED").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/test.jsonl").to_string()
    });
    let rows = read(&path);
    assert!(rows.len() >= 300, "{} labelled provisions", rows.len());
    let dev: std::collections::BTreeSet<String> = DEV
        .iter()
        .flat_map(|f| read(f))
        .map(|r| r["doc_id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        rows.iter()
            .all(|r| !dev.contains(r["doc_id"].as_str().unwrap())),
        "a test provision comes from a development document"
    );
    rows
}

/// The targets of issue 12 on the test set: provisions from documents no rule was written
/// against, labelled before the classifier ran on them. `ZHENGCE_LABELLED=path` measures
/// another file in the same format against the same targets.
#[test]
#[ignore = "issue 12 targets not met yet on the test set: offers-support precision 0.83 \
            (target 0.90), benefit precision 0.82 (0.85), beneficiary 0.68/0.71 (0.80); \
            see BENCHMARKS.md"]
fn test_set_meets_the_targets() {
    let [o, b, y] = report("test", &test_rows());
    assert_at_least("test", "offers support", o, 0.90, 0.85);
    assert_at_least("test", "benefit", b, 0.85, 0.80);
    assert_at_least("test", "beneficiary", y, 0.80, 0.80);
}

/// What the test set shows today (BENCHMARKS.md), held so that a change cannot make the
/// classifier worse on documents it has never seen without a test failing.
#[test]
fn test_set_does_not_regress() {
    let [o, b, y] = report("test", &test_rows());
    assert_at_least("test", "offers support", o, 0.83, 0.92);
    assert_at_least("test", "benefit", b, 0.82, 0.90);
    assert_at_least("test", "beneficiary", y, 0.68, 0.71);
}
