//! Precision and recall per class on the hand-labelled provisions (`tests/fixtures/`,
//! guideline in `tests/fixtures/GUIDELINE.md`). The development files are reported and held
//! to a floor; the test files (`test.jsonl`, `test_fresh.jsonl`, `test_laws.jsonl`) are held to today's
//! numbers and, once they meet them, the targets of issue 12.
//! `cargo test -p zhengce-benefits --test benefits labelled -- --nocapture` prints them all.

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

/// The development set: the rules were revised against it and the model (`src/model.rs`)
/// is trained on it, so it is reported, and held to a floor that catches a rule gone
/// wrong. Its honest numbers are the cross-validated ones of `examples/learn.rs`.
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
    assert_at_least("dev", "beneficiary", y, DEV_BENEFICIARY_FLOOR, DEV_FLOOR);
}

const DEV_FLOOR: f64 = 0.8;
/// Beneficiary precision on the development files is 0.78 (1,406 provisions, 2026-11-26):
/// the floor sits below it, as the others do.
const DEV_BENEFICIARY_FLOOR: f64 = 0.75;

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

/// The training files of the model (`GUIDELINE.md`); since issue 12's third round the rules
/// are revised against them too, so they are development data for the rules. `train_5.jsonl`
/// (seventh session) is the model's third round's unseen rows.
const TRAIN: [&str; 5] = [
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/train_1.jsonl"),
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/train_2.jsonl"),
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/train_3.jsonl"),
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/train_4.jsonl"),
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/train_5.jsonl"),
];

/// The model's training files no rule was revised against (`GUIDELINE.md`): `train_6.jsonl`
/// (its fourth round's honest rows) and `train_7.jsonl` / `train_7.uncertain.jsonl` (its fifth
/// round's, the second drawn where the classifier was least sure). They may share documents
/// with the other training files, never with a test file.
const MODEL_TRAIN: [&str; 3] = [
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/train_6.jsonl"),
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/train_7.jsonl"),
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/train_7.uncertain.jsonl"
    ),
];

/// The training files come from documents of no development file (and, checked with each
/// test file, of no test file).
#[test]
fn training_files_share_no_document_with_the_development_files() {
    let train = doc_ids(&TRAIN);
    assert!(train.len() >= 1_300, "{} training documents", train.len());
    let shared: Vec<String> = train.intersection(&doc_ids(&DEV)).cloned().collect();
    assert!(shared.is_empty(), "in both: {shared:?}");
}

/// The test files: provisions from documents no rule was written against, labelled before
/// the classifier ran on them. `test.jsonl` (2026-11-25) was scored once before issue 12's
/// rules were revised; `test_fresh.jsonl` (2026-11-26) was labelled and committed before
/// they were, from documents of no other file; `test_laws.jsonl` (2026-11-26, fifth
/// session) likewise, from the last unseen documents (lawrefbook and gccmpd);
/// `test_rest.jsonl` (2026-11-27, tenth session) holds every provision of the 155 documents
/// left after them (1,211, five of which offer support: a test of false alarms). Each round
/// of rules scores them once, at its end (totals only, BENCHMARKS.md); the floors below are
/// the last round's totals.
const TEST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/test.jsonl");
const FRESH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/test_fresh.jsonl"
);
const LAWS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/test_laws.jsonl"
);
const REST: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/test_rest.jsonl"
);

fn doc_ids(files: &[&str]) -> std::collections::BTreeSet<String> {
    files
        .iter()
        .flat_map(|f| read(f))
        .map(|r| r["doc_id"].as_str().unwrap().to_string())
        .collect()
}

/// A test file's rows, checked to share no document with the development and training
/// files nor with the test files made before it.
fn test_rows(path: &str) -> Vec<Value> {
    let rows = read(path);
    assert!(
        rows.len() >= 230,
        "{path}: {} labelled provisions",
        rows.len()
    );
    let mut other: Vec<&str> = DEV
        .iter()
        .chain(&TRAIN)
        .chain(&MODEL_TRAIN)
        .copied()
        .collect();
    if path == FRESH {
        other.push(TEST);
    }
    if path == LAWS {
        other.extend([TEST, FRESH]);
    }
    if path == REST {
        other.extend([TEST, FRESH, LAWS]);
    }
    let seen = doc_ids(&other);
    assert!(
        rows.iter()
            .all(|r| !seen.contains(r["doc_id"].as_str().unwrap())),
        "{path}: a test provision comes from a document of another file"
    );
    rows
}

/// The targets of issue 12 on the test sets. `ZHENGCE_LABELLED=path` measures another
/// file in the same format against the same targets.
#[test]
#[ignore = "issue 12 targets not met on the test sets: test.jsonl offers support 0.87/0.89 \
            (target 0.90/0.85), benefit 0.84/0.89 (0.85/0.80), beneficiary 0.80/0.89 \
            (0.80/0.80, met); test_fresh.jsonl offers support 0.86/0.84, benefit \
            0.81/0.82, beneficiary 0.60/0.63; test_laws.jsonl offers support 0.89/0.81, \
            benefit 0.81/0.70, beneficiary 0.82/1.00 (met); test_rest.jsonl offers support \
            0.80/0.80, benefit 0.86/0.75, beneficiary 0.88/0.54; see BENCHMARKS.md"]
fn test_set_meets_the_targets() {
    let files = match std::env::var("ZHENGCE_LABELLED") {
        Ok(path) => vec![path],
        Err(_) => [TEST, FRESH, LAWS, REST].map(String::from).to_vec(),
    };
    for path in files {
        let rows = if [TEST, FRESH, LAWS, REST].contains(&path.as_str()) {
            test_rows(&path)
        } else {
            read(&path)
        };
        let [o, b, y] = report(&path, &rows);
        assert_at_least(&path, "offers support", o, 0.90, 0.85);
        assert_at_least(&path, "benefit", b, 0.85, 0.80);
        assert_at_least(&path, "beneficiary", y, 0.80, 0.80);
    }
}

/// What the test sets show today (BENCHMARKS.md), held so that a change cannot make the
/// classifier worse on documents it has never seen without a test failing:
/// (file, [offers support, benefit, beneficiary] as (precision, recall)). `test.jsonl`'s
/// benefit precision floor went 0.83 → 0.82 with the benefit-recall round (one more false
/// positive there, two more true positives in `test_fresh.jsonl`; BENCHMARKS.md); the
/// precision and beneficiary rounds of the sixth session raised it and the beneficiary floors.
/// The model (seventh session) traded precision for recall: `test.jsonl` benefit precision
/// 0.84 → 0.83, `test_fresh.jsonl` offers support and benefit precision 0.81 → 0.80 and
/// 0.80 → 0.79, and `test_laws.jsonl` lost one true provision (offers recall 0.77 → 0.74),
/// against recall gains on the first two (offers 0.87 → 0.90, 0.78 → 0.87). Its fifth round
/// (eighth session) lost one true provision of `test_fresh.jsonl` (offers recall 0.877 → 0.860)
/// and one benefit label's precision on `test.jsonl` (0.83 → 0.82), against a provision and two
/// benefit labels found on `test.jsonl` and a false positive fewer and a provision found on
/// `test_laws.jsonl` (offers 0.85 / 0.74 → 0.88 / 0.77). The party model (`src/parties.rs`,
/// ninth session) raised beneficiary recall on all three (0.80 → 0.89, 0.53 → 0.68, 0.67 →
/// 1.00), precision on `test.jsonl` (0.75 → 0.77) and `test_laws.jsonl` (0.86 → 0.90), and
/// lowered it on `test_fresh.jsonl` (0.71 → 0.62): F1 over the three 0.732 → 0.795. Both
/// models fitted to convergence on audited labels (tenth session) raised offers-support
/// precision on all three (0.86 → 0.87, 0.81 → 0.85, 0.88 → 0.89) and `test_laws.jsonl`'s
/// recall (0.77 → 0.80), and lost recall on the first two (0.91 → 0.88, 0.86 → 0.84) and
/// beneficiary precision and recall on `test_fresh.jsonl` (0.61 / 0.68 → 0.60 / 0.63) and
/// precision on `test_laws.jsonl` (0.90 → 0.81); `test_rest.jsonl` was first scored with them.
const FLOORS: [(&str, [(f64, f64); 3]); 4] = [
    (TEST, [(0.87, 0.88), (0.83, 0.89), (0.80, 0.88)]),
    (FRESH, [(0.85, 0.84), (0.81, 0.82), (0.60, 0.63)]),
    (LAWS, [(0.89, 0.80), (0.81, 0.69), (0.81, 1.00)]),
    (REST, [(0.80, 0.80), (0.85, 0.75), (0.87, 0.53)]),
];

#[test]
fn test_set_does_not_regress() {
    for (path, floors) in FLOORS {
        let counts = report(path, &test_rows(path));
        for ((what, c), (p, r)) in ["offers support", "benefit", "beneficiary"]
            .into_iter()
            .zip(counts)
            .zip(floors)
        {
            assert_at_least(path, what, c, p, r);
        }
    }
}
