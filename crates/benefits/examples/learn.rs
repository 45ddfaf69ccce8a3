//! Does a learned model beat the rules on "does this provision offer support"?
//!
//! `cargo run --release -p zhengce-benefits --example learn -- FILE...` (the development
//! files). Logistic regression (plain SGD, L2, fixed seed) over the character unigrams and
//! bigrams of a provision's support sentences ([`zhengce_benefits::support_sentences`],
//! what is left once definitions, penalties, prohibitions, duties and conditions are taken
//! out) and the benefit classes the rules find. Measured by 5-fold cross-validation with
//! folds by document (every provision of a document in the same fold), so a model is
//! always scored on documents it was not trained on — the situation of the test sets.
//! Prints precision and recall of the rules alone, the model alone, and the two combined
//! (rules kept only where the model agrees; rules or a confident model).
//!
//! `-- DEV... --score TEST...` trains once on the development files and prints the rules
//! and the gate (rules kept where p > 0.05, the threshold chosen by cross-validation) on
//! each test file: the one measurement of the model on documents it has never seen.
use std::collections::HashMap;

use serde_json::Value;

const FOLDS: u64 = 5;
const EPOCHS: usize = 30;
const RATE: f64 = 0.1;
const L2: f64 = 1e-4;

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

struct Row {
    fold: u64,
    features: Vec<String>,
    rules: bool,
    want: bool,
}

fn features(text: &str, rules: &[String]) -> Vec<String> {
    let mut out: Vec<String> = rules.iter().map(|c| format!("rule:{c}")).collect();
    out.push("bias".into());
    for s in zhengce_benefits::support_sentences(text) {
        let chars: Vec<char> = s.chars().filter(|c| zhengce_model::is_han(*c)).collect();
        for w in chars.windows(2) {
            out.push(w.iter().collect());
        }
        for c in &chars {
            out.push(c.to_string());
        }
    }
    out.sort();
    out.dedup();
    out
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn train(rows: &[&Row]) -> HashMap<String, f64> {
    let mut w: HashMap<String, f64> = HashMap::new();
    // A fixed order that is not the file order.
    let mut order: Vec<usize> = (0..rows.len()).collect();
    for epoch in 0..EPOCHS {
        order.sort_by_key(|i| fnv(&format!("{epoch}:{i}")));
        for &i in &order {
            let r = rows[i];
            let z: f64 = r
                .features
                .iter()
                .map(|f| w.get(f).copied().unwrap_or(0.0))
                .sum();
            let g = sigmoid(z) - f64::from(u8::from(r.want));
            for f in &r.features {
                let wi = w.entry(f.clone()).or_insert(0.0);
                *wi -= RATE * (g + L2 * *wi);
            }
        }
    }
    w
}

#[derive(Default)]
struct Counts(usize, usize, usize);

impl Counts {
    fn add(&mut self, got: bool, want: bool) {
        match (got, want) {
            (true, true) => self.0 += 1,
            (true, false) => self.1 += 1,
            (false, true) => self.2 += 1,
            _ => {}
        }
    }
    fn show(&self, what: &str) {
        let p = self.0 as f64 / (self.0 + self.1).max(1) as f64;
        let r = self.0 as f64 / (self.0 + self.2).max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        println!(
            "{what:<28} precision {p:.3} recall {r:.3} F1 {f:.3} (tp {} fp {} fn {})",
            self.0, self.1, self.2
        );
    }
}

fn read_rows(path: &str) -> Vec<Row> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            let text = v["text"].as_str().unwrap();
            let rules = zhengce_benefits::classify(text).benefits;
            Row {
                fold: fnv(v["doc_id"].as_str().unwrap()) % FOLDS,
                features: features(text, &rules),
                rules: !rules.is_empty(),
                want: !v["benefit"].as_array().unwrap().is_empty(),
            }
        })
        .collect()
}

/// The gate's threshold, chosen by cross-validation on the development files.
const GATE: f64 = 0.05;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dev, test) = match args.iter().position(|a| a == "--score") {
        Some(i) => (&args[..i], &args[i + 1..]),
        None => (&args[..], &args[..0]),
    };
    let rows: Vec<Row> = dev.iter().flat_map(|p| read_rows(p)).collect();
    if !test.is_empty() {
        let w = train(&rows.iter().collect::<Vec<_>>());
        for path in test {
            let (mut rules, mut gated) = (Counts::default(), Counts::default());
            for r in read_rows(path) {
                let p = sigmoid(
                    r.features
                        .iter()
                        .map(|f| w.get(f).copied().unwrap_or(0.0))
                        .sum(),
                );
                rules.add(r.rules, r.want);
                gated.add(r.rules && p > GATE, r.want);
            }
            println!("{path}");
            rules.show("rules");
            gated.show(&format!("rules and p > {GATE}"));
        }
        return;
    }
    let mut p = vec![0.0; rows.len()];
    for fold in 0..FOLDS {
        let train_rows: Vec<&Row> = rows.iter().filter(|r| r.fold != fold).collect();
        let w = train(&train_rows);
        for (i, r) in rows.iter().enumerate().filter(|(_, r)| r.fold == fold) {
            p[i] = sigmoid(
                r.features
                    .iter()
                    .map(|f| w.get(f).copied().unwrap_or(0.0))
                    .sum(),
            );
        }
    }
    println!(
        "{} provisions, {FOLDS}-fold cross-validation by document",
        rows.len()
    );
    let mut rules = Counts::default();
    for r in &rows {
        rules.add(r.rules, r.want);
    }
    rules.show("rules");
    for t in [0.3, 0.5, 0.7] {
        let mut c = Counts::default();
        for (r, p) in rows.iter().zip(&p) {
            c.add(*p > t, r.want);
        }
        c.show(&format!("model p > {t}"));
    }
    for t in [0.05, 0.1, 0.2, 0.3] {
        let mut c = Counts::default();
        for (r, p) in rows.iter().zip(&p) {
            c.add(r.rules && *p > t, r.want);
        }
        c.show(&format!("rules and p > {t}"));
    }
    for t in [0.7, 0.8, 0.9] {
        let mut c = Counts::default();
        for (r, p) in rows.iter().zip(&p) {
            c.add(r.rules || *p > t, r.want);
        }
        c.show(&format!("rules or p > {t}"));
    }
}
