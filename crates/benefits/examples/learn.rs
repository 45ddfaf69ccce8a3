//! Trains the support model (`src/model.rs`) on the development files and measures it.
//!
//! ```text
//! cargo run --release -p zhengce-benefits --example learn -- \
//!     --rules-from tests/fixtures/dev_fresh.first_sight.jsonl \
//!     tests/fixtures/labelled.jsonl tests/fixtures/dev_more.jsonl tests/fixtures/dev_fresh.jsonl
//! ```
//! prints a 5-fold cross-validation (folds by document: every provision of a document in the
//! same fold, so a model is always scored on documents it was not trained on, as on the test
//! sets) of the rules alone, the model alone, the shipped combination and a grid of other
//! thresholds: "offers support" and benefit classes (micro), precision / recall, for all
//! rows and for the "first-sight" rows. Add `--write data/support_model.tsv` to train on all
//! the files and write the shipped weights instead.
//!
//! **First-sight rule features.** The rules were revised against the development files, so
//! on them the rules' classes are nearly always right, and a model trained with them as
//! features learns to trust them far more than they deserve on documents they have never
//! seen (where their precision is about 0.75). `--rules-from FILE` replaces a row's rule
//! classes by those in FILE (keyed by `doc_id` and `number`):
//! `tests/fixtures/dev_fresh.first_sight.jsonl` holds what the rules of commit 78a135a —
//! the last before any rule was revised against `dev_fresh.jsonl` — found in each of its
//! 995 provisions (rules scored 0.731 / 0.804 there, as BENCHMARKS.md recorded at the
//! time). It was made by running `classify` of that commit's `crates/benefits` (its
//! `validity.rs` reading `find_date` from `zhengce-model`, where it now lives) over
//! `dev_fresh.jsonl`. Those rows are the honest part of the cross-validation ("first-sight
//! rows"); the older files' rule features stay in-sample.
//!
//! Logistic regression, one output for "offers support" and one per benefit class, over the
//! features of [`zhengce_benefits::model::feature_names`]; plain SGD with L2 and a fixed
//! order (no randomness): the same files give the same weights. Features seen in fewer than
//! two training provisions are dropped. Tried and not kept (same cross-validation):
//! `ZHENGCE_LEARN_TRIGRAMS=1` (character trigrams), `ZHENGCE_LEARN_RAW=1` (bigrams of the
//! whole text, clauses that offer nothing included), `ZHENGCE_LEARN_NO_RULES=1` (no rule
//! features), `ZHENGCE_LEARN_EPOCHS` / `_RATE` / `_L2` / `_MIN_DF`;
//! `ZHENGCE_LEARN_KEEP` / `_ALONE` change the "shipped" line's thresholds;
//! `ZHENGCE_LEARN_BY_SOURCE=1` prints it per file and source. `--beneficiary`
//! cross-validates a model of beneficiaries (one output per mention of a class, from the
//! words around it) against the rules; it did not beat them and is not shipped.
use std::collections::{BTreeSet, HashMap};

use serde_json::Value;
use zhengce_benefits::model::{
    THRESHOLDS, Thresholds, decide, feature_names, mention_feature_names,
};

const FOLDS: u64 = 5;
const EPOCHS: usize = 30;
const RATE: f32 = 0.1;
const L2: f32 = 1e-4;
const MIN_DF: usize = 2;

fn param<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

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
    features: Vec<usize>,
    rules: Vec<String>,
    want: Vec<String>,
    /// Targets: offers support, then one per class.
    y: Vec<f32>,
    /// Whether `rules` are what the rules found before they were revised on this row.
    honest: bool,
    text: String,
    beneficiaries: Vec<String>,
    source: String,
}

fn key(v: &Value) -> String {
    format!(
        "{}|{}",
        v["doc_id"].as_str().unwrap(),
        v["number"].as_str().unwrap()
    )
}

fn labels(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

struct Trained {
    /// Per feature id, one weight per output (empty: dropped).
    w: Vec<Vec<f32>>,
}

impl Trained {
    fn p(&self, r: &Row, k: usize) -> Vec<f32> {
        let mut z = vec![0.0f32; k];
        for &f in &r.features {
            for (z, w) in z.iter_mut().zip(&self.w[f]) {
                *z += w;
            }
        }
        z.into_iter().map(sigmoid).collect()
    }
}

fn train(rows: &[&Row], n_features: usize, k: usize) -> Trained {
    let mut df = vec![0usize; n_features];
    for r in rows {
        for &f in &r.features {
            df[f] += 1;
        }
    }
    let mut w: Vec<Vec<f32>> = df
        .iter()
        .map(|&d| {
            if d >= param("ZHENGCE_LEARN_MIN_DF", MIN_DF) {
                vec![0.0; k]
            } else {
                Vec::new()
            }
        })
        .collect();
    let (rate, l2) = (
        param("ZHENGCE_LEARN_RATE", RATE),
        param("ZHENGCE_LEARN_L2", L2),
    );
    let mut order: Vec<usize> = (0..rows.len()).collect();
    for epoch in 0..param("ZHENGCE_LEARN_EPOCHS", EPOCHS) {
        order.sort_by_key(|i| fnv(&format!("{epoch}:{i}")));
        for &i in &order {
            let r = rows[i];
            let mut z = vec![0.0f32; k];
            for &f in &r.features {
                for (z, w) in z.iter_mut().zip(&w[f]) {
                    *z += w;
                }
            }
            let g: Vec<f32> = z.iter().zip(&r.y).map(|(z, y)| sigmoid(*z) - y).collect();
            for &f in &r.features {
                for (wi, g) in w[f].iter_mut().zip(&g) {
                    *wi -= rate * (g + l2 * *wi);
                }
            }
        }
    }
    Trained { w }
}

#[derive(Default, Clone, Copy)]
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
    fn pr(&self) -> (f64, f64) {
        (
            self.0 as f64 / (self.0 + self.1).max(1) as f64,
            self.0 as f64 / (self.0 + self.2).max(1) as f64,
        )
    }
}

fn score(rows: &[Row], got: &[Vec<String>]) -> (Counts, Counts) {
    let (mut offers, mut micro) = (Counts::default(), Counts::default());
    for (r, got) in rows.iter().zip(got) {
        offers.add(!got.is_empty(), !r.want.is_empty());
        let g: BTreeSet<&String> = got.iter().collect();
        let w: BTreeSet<&String> = r.want.iter().collect();
        for c in g.union(&w) {
            micro.add(g.contains(c), w.contains(c));
        }
    }
    (offers, micro)
}

fn show2(what: &str, rows: &[Row], got: &[Vec<String>]) {
    show(what, score(rows, got));
    if rows.iter().any(|r| r.honest) {
        let (r2, g2): (Vec<&Row>, Vec<&Vec<String>>) =
            rows.iter().zip(got).filter(|(r, _)| r.honest).unzip();
        let (mut offers, mut micro) = (Counts::default(), Counts::default());
        for (r, got) in r2.iter().zip(g2) {
            offers.add(!got.is_empty(), !r.want.is_empty());
            let g: BTreeSet<&String> = got.iter().collect();
            let w: BTreeSet<&String> = r.want.iter().collect();
            for c in g.union(&w) {
                micro.add(g.contains(c), w.contains(c));
            }
        }
        show("   (first-sight rows)", (offers, micro));
    }
}

fn show(what: &str, (o, b): (Counts, Counts)) {
    let (op, or) = o.pr();
    let (bp, br) = b.pr();
    println!("{what:<34} offers {op:.3} / {or:.3}   benefit {bp:.3} / {br:.3}");
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.join(" ");
    let write = match args.iter().position(|a| a == "--write") {
        Some(i) => {
            let path = args.remove(i + 1);
            args.remove(i);
            Some(path)
        }
        None => None,
    };
    let first_sight: HashMap<String, Vec<String>> =
        match args.iter().position(|a| a == "--rules-from") {
            Some(i) => {
                let path = args.remove(i + 1);
                args.remove(i);
                std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{path}: {e}"))
                    .lines()
                    .map(|l| {
                        let v: Value = serde_json::from_str(l).expect("a rules row");
                        (key(&v), labels(&v["benefit"]))
                    })
                    .collect()
            }
            None => HashMap::new(),
        };
    let use_rules = std::env::var_os("ZHENGCE_LEARN_NO_RULES").is_none();
    let beneficiary = match args.iter().position(|a| a == "--beneficiary") {
        Some(i) => {
            args.remove(i);
            true
        }
        None => false,
    };
    let classes: Vec<String> = zhengce_benefits::taxonomy()
        .benefits
        .iter()
        .map(|c| c.name.clone())
        .collect();
    let k = classes.len() + 1;
    let mut vocab: HashMap<String, usize> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for path in &args {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for line in text.lines() {
            let v: Value = serde_json::from_str(line).expect("a labelled row");
            let (sentences, mut rules) =
                zhengce_benefits::rule_reading(v["text"].as_str().unwrap());
            let honest = match first_sight.get(&key(&v)) {
                Some(old) => {
                    rules = old.clone();
                    true
                }
                None => false,
            };
            let mut feats = feature_names(&sentences, if use_rules { &rules } else { &[] });
            if std::env::var_os("ZHENGCE_LEARN_TRIGRAMS").is_some() {
                for s in &sentences {
                    let chars: Vec<char> =
                        s.chars().filter(|c| zhengce_model::is_han(*c)).collect();
                    feats.extend(chars.windows(3).map(|w| w.iter().collect::<String>()));
                }
                feats.sort();
                feats.dedup();
            }
            if std::env::var_os("ZHENGCE_LEARN_RAW").is_some() {
                let chars: Vec<char> = v["text"]
                    .as_str()
                    .unwrap()
                    .chars()
                    .filter(|c| zhengce_model::is_han(*c))
                    .collect();
                feats.extend(
                    chars
                        .windows(2)
                        .map(|w| format!("t:{}", w.iter().collect::<String>())),
                );
                feats.sort();
                feats.dedup();
            }
            let features = feats
                .into_iter()
                .map(|f| {
                    let n = vocab.len();
                    *vocab.entry(f.clone()).or_insert_with(|| {
                        names.push(f);
                        n
                    })
                })
                .collect();
            let want = labels(&v["benefit"]);
            let mut y = vec![f32::from(u8::from(!want.is_empty()))];
            y.extend(
                classes
                    .iter()
                    .map(|c| f32::from(u8::from(want.contains(c)))),
            );
            rows.push(Row {
                fold: fnv(v["doc_id"].as_str().unwrap()) % FOLDS,
                features,
                rules,
                want,
                y,
                honest,
                text: v["text"].as_str().unwrap().to_string(),
                beneficiaries: labels(&v["beneficiary"]),
                source: format!(
                    "{} {}",
                    path.rsplit('/').next().unwrap_or_default(),
                    v["source"].as_str().unwrap_or_default()
                ),
            });
        }
    }
    if beneficiary {
        return beneficiary_model(&rows);
    }
    if let Some(out) = write {
        let t = train(&rows.iter().collect::<Vec<_>>(), names.len(), k);
        let mut lines: Vec<String> = Vec::new();
        for (name, w) in names.iter().zip(&t.w) {
            if w.is_empty() || w.iter().all(|w| w.abs() < 0.005) {
                continue;
            }
            let ws: Vec<String> = w.iter().map(|w| format!("{w:.3}")).collect();
            lines.push(format!("{name}\t{}", ws.join("\t")));
        }
        lines.sort();
        let header = format!(
            "# the support model (src/model.rs): logistic regression trained on {} development \
             provisions by\n# cargo run --release -p zhengce-benefits --example learn -- {}\n\
             # outputs: offers {}\n",
            rows.len(),
            command,
            classes.join(" ")
        );
        std::fs::write(&out, header + &lines.join("\n") + "\n").expect("write the weights");
        println!("{out}: {} features", lines.len());
        return;
    }
    let mut p = vec![Vec::new(); rows.len()];
    for fold in 0..FOLDS {
        let train_rows: Vec<&Row> = rows.iter().filter(|r| r.fold != fold).collect();
        let t = train(&train_rows, names.len(), k);
        for (i, r) in rows.iter().enumerate().filter(|(_, r)| r.fold == fold) {
            p[i] = t.p(r, k);
        }
    }
    println!(
        "{} provisions, {FOLDS}-fold cross-validation by document (rule features: {use_rules})",
        rows.len()
    );
    let rules: Vec<Vec<String>> = rows.iter().map(|r| r.rules.clone()).collect();
    show2("rules", &rows, &rules);
    for alone in [0.3, 0.4, 0.5, 0.6, 0.7] {
        for class in [0.3, 0.5] {
            let got: Vec<Vec<String>> = p
                .iter()
                .map(|p| {
                    let t = Thresholds {
                        keep: 0.0,
                        alone,
                        class,
                        add: 1.1,
                        drop: 0.0,
                    };
                    decide(&classes, p, Vec::new(), t)
                })
                .collect();
            show2(&format!("model p > {alone} class > {class}"), &rows, &got);
        }
    }
    // The shipped thresholds (or those of ZHENGCE_LEARN_KEEP / _ALONE), with beneficiaries
    // read as `classify` reads them.
    let shipped = Thresholds {
        keep: param("ZHENGCE_LEARN_KEEP", THRESHOLDS.keep),
        alone: param("ZHENGCE_LEARN_ALONE", THRESHOLDS.alone),
        ..THRESHOLDS
    };
    let got: Vec<Vec<String>> = rows
        .iter()
        .zip(&p)
        .map(|(r, p)| {
            if zhengce_benefits::model::reads(&r.text) {
                decide(&classes, p, r.rules.clone(), shipped)
            } else {
                r.rules.clone()
            }
        })
        .collect();
    show2(
        &format!("shipped (articles: {shipped:?}; other texts: rules)"),
        &rows,
        &got,
    );
    if std::env::var_os("ZHENGCE_LEARN_BY_SOURCE").is_some() {
        let sources: BTreeSet<&str> = rows.iter().map(|r| r.source.as_str()).collect();
        for src in sources {
            let pick = |g: &[Vec<String>]| -> (Vec<Row>, Vec<Vec<String>>) {
                rows.iter()
                    .zip(g)
                    .filter(|(r, _)| r.source == src)
                    .map(|(r, g)| {
                        (
                            Row {
                                fold: r.fold,
                                features: Vec::new(),
                                rules: Vec::new(),
                                want: r.want.clone(),
                                y: Vec::new(),
                                honest: r.honest,
                                text: String::new(),
                                beneficiaries: Vec::new(),
                                source: String::new(),
                            },
                            g.clone(),
                        )
                    })
                    .unzip()
            };
            let (sr, sg) = pick(&got);
            let (_, rg) = pick(&rules);
            println!("{src}: {} provisions", sr.len());
            show2("  rules", &sr, &rg);
            show2("  shipped", &sr, &sg);
        }
    }
    for (what, got) in [("rules", &rules), ("shipped", &got)] {
        let (mut all, mut first) = (Counts::default(), Counts::default());
        for (r, got) in rows.iter().zip(got) {
            let g: BTreeSet<String> =
                zhengce_benefits::beneficiaries_given(&r.text, !got.is_empty())
                    .into_iter()
                    .collect();
            let w: BTreeSet<String> = r.beneficiaries.iter().cloned().collect();
            for c in g.union(&w) {
                all.add(g.contains(c), w.contains(c));
                if r.honest {
                    first.add(g.contains(c), w.contains(c));
                }
            }
        }
        let ((p1, r1), (p2, r2)) = (all.pr(), first.pr());
        println!("{what} beneficiary: all {p1:.3} / {r1:.3}   first-sight rows {p2:.3} / {r2:.3}");
    }
    for keep in [0.05, 0.1, 0.2] {
        for alone in [0.4, 0.5, 0.6, 0.7] {
            for (add, drop) in [
                (1.1, 0.0),
                (0.5, 0.0),
                (0.7, 0.0),
                (1.1, 0.05),
                (1.1, 0.1),
                (0.7, 0.1),
            ] {
                let t = Thresholds {
                    keep,
                    alone,
                    class: 0.5,
                    add,
                    drop,
                };
                let got: Vec<Vec<String>> = rows
                    .iter()
                    .zip(&p)
                    .map(|(r, p)| decide(&classes, p, r.rules.clone(), t))
                    .collect();
                show2(
                    &format!("rules if p > {keep}, else p > {alone}; add {add} drop {drop}"),
                    &rows,
                    &got,
                );
            }
        }
    }
}

/// The beneficiary model: one logistic output per mention of a class ("is this party
/// who the provision supports or regulates?"); a class is given when one of its mentions
/// is above the threshold. Cross-validated by document like the support model, against
/// the rules (every mention when the provision offers support, else an aimed mention).
fn beneficiary_model(rows: &[Row]) {
    let mut vocab: HashMap<String, usize> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    // (provision, class, aimed) per mention row.
    let mut at: Vec<(usize, String, bool)> = Vec::new();
    let mut mrows: Vec<Row> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let offers = !r.rules.is_empty();
        for m in zhengce_benefits::beneficiary_mentions(&r.text) {
            let features = mention_feature_names(&m, offers)
                .into_iter()
                .map(|f| {
                    let n = vocab.len();
                    *vocab.entry(f.clone()).or_insert_with(|| {
                        names.push(f);
                        n
                    })
                })
                .collect();
            let want = r.beneficiaries.contains(&m.class);
            at.push((i, m.class.clone(), m.aimed));
            mrows.push(Row {
                fold: r.fold,
                features,
                rules: Vec::new(),
                want: Vec::new(),
                y: vec![f32::from(u8::from(want))],
                honest: r.honest,
                text: String::new(),
                beneficiaries: Vec::new(),
                source: String::new(),
            });
        }
    }
    let mut p = vec![0.0f32; mrows.len()];
    for fold in 0..FOLDS {
        let train_rows: Vec<&Row> = mrows.iter().filter(|r| r.fold != fold).collect();
        let t = train(&train_rows, names.len(), 1);
        for (i, r) in mrows.iter().enumerate().filter(|(_, r)| r.fold == fold) {
            p[i] = t.p(r, 1)[0];
        }
    }
    println!(
        "{} provisions, {} mentions, {FOLDS}-fold cross-validation by document",
        rows.len(),
        mrows.len()
    );
    let score = |got: &dyn Fn(usize, bool) -> bool, honest_only: bool| -> Counts {
        let mut got_sets: Vec<BTreeSet<String>> = vec![BTreeSet::new(); rows.len()];
        for (j, (i, class, aimed)) in at.iter().enumerate() {
            if got(j, *aimed) {
                got_sets[*i].insert(class.clone());
            }
        }
        let mut c = Counts::default();
        for (r, g) in rows.iter().zip(&got_sets) {
            if honest_only && !r.honest {
                continue;
            }
            let w: BTreeSet<String> = r.beneficiaries.iter().cloned().collect();
            for class in g.union(&w) {
                c.add(g.contains(class), w.contains(class));
            }
        }
        c
    };
    let line = |what: &str, got: &dyn Fn(usize, bool) -> bool| {
        let (p1, r1) = score(got, false).pr();
        let (p2, r2) = score(got, true).pr();
        println!("{what:<24} all {p1:.3} / {r1:.3}   first-sight rows {p2:.3} / {r2:.3}");
    };
    line("rules", &|j, aimed| {
        !rows[at[j].0].rules.is_empty() || aimed
    });
    for t in [0.2, 0.3, 0.4, 0.5, 0.6, 0.7] {
        line(&format!("model p > {t}"), &|j, _| p[j] > t);
    }
}
