//! Trains the support model (`src/model.rs`) on labelled files and measures it.
//!
//! ```text
//! ZHENGCE_LEARN_INSAMPLE=norules cargo run --release -p zhengce-benefits \
//!     --example learn -- --rules-from tests/fixtures/dev_fresh.first_sight.jsonl \
//!     --unseen tests/fixtures/train_6.jsonl --unseen tests/fixtures/train_7.jsonl \
//!     --drawn tests/fixtures/train_7.uncertain.jsonl \
//!     tests/fixtures/labelled.jsonl tests/fixtures/dev_more.jsonl tests/fixtures/dev_fresh.jsonl \
//!     tests/fixtures/train_1.jsonl tests/fixtures/train_2.jsonl tests/fixtures/train_3.jsonl \
//!     tests/fixtures/train_4.jsonl tests/fixtures/train_5.jsonl
//! ```
//! (the shipped model, fitted to convergence in the tenth session; BENCHMARKS.md)
//! prints a 5-fold cross-validation (folds by document: every provision of a document in the
//! same fold, so a model is always scored on documents it was not trained on, as on the test
//! sets) of the rules alone, the model alone, the shipped combination and a grid of other
//! thresholds: "offers support" and benefit classes (micro), precision / recall / F1, for
//! all rows, the "first-sight" rows and the unseen rows alone. Add
//! `--write FILE` to train on every row and write the weights instead (the same files give
//! the same weights; `measure --model FILE` and `speed --model FILE` read them).
//! `classify` reads `data/support_model.tsv`, written so (its header has the command).
//!
//! **`--parties`** trains the party model (`src/parties.rs`) instead, from the same files:
//! one row per beneficiary class a provision mentions, scored per provision against its
//! labelled beneficiaries; `--write data/party_model.tsv` writes its weights (the command is
//! in the file's header). It prints the rules, the shipped thresholds (`parties::KEEP`,
//! `parties::ADD`) and the best of a grid, on the unseen rows and all rows.
//!
//! **First-sight rule features.** The rules were revised against the development files, so
//! on them the rules' classes are nearly always right, and a model trained with them as
//! features learns to trust them far more than they deserve on documents they have never
//! seen. Two kinds of rows have honest rule features:
//! * `--unseen FILE`: labelled rows no rule was ever revised against; their rule features
//!   are what the present rules find. The training files `train_1.jsonl`–`train_4.jsonl`
//!   were such rows until the rules were revised against them (issue 12, third round,
//!   BENCHMARKS.md); `train_5.jsonl` was, for the model's third round (seventh session),
//!   until two rules were revised against it after that round (f153dae and the commit
//!   after it).
//! * `--drawn FILE`: as `--unseen`, for rows drawn because the classifier was unsure of
//!   them (`examples/uncertain.rs`): trained on, but never scored (nor counted in "all"),
//!   since a biased sample's errors would choose biased thresholds.
//! * `--rules-from FILE` replaces a row's rule classes by those in FILE (keyed by `doc_id`
//!   and `number`): `tests/fixtures/dev_fresh.first_sight.jsonl` holds what the rules of
//!   commit 78a135a — the last before any rule was revised against `dev_fresh.jsonl` —
//!   found in each of its 995 provisions (0.731 / 0.804 there). It was made by running
//!   `classify` of that commit's `crates/benefits` over `dev_fresh.jsonl`.
//!
//! Those rows are the "first-sight rows" of the cross-validation. **The thresholds are chosen
//! on the unseen rows alone** (the "chosen" line): they are scored as `classify` is used,
//! with today's rules on documents they never saw. The first-sight rows of
//! `dev_fresh.jsonl` are not quite honest: their n-grams come from today's support sentences,
//! whose clause rules (`not_support`) were revised against that file. The other development
//! files' rule features are in-sample (`ZHENGCE_LEARN_INSAMPLE=norules` trains on them
//! without rule features, `=drop` leaves them out; `ZHENGCE_LEARN_RULES_ON=honest|unseen`
//! keeps rule features on those rows only).
//!
//! Logistic regression, one output for "offers support" and one per benefit class, over the
//! features of [`zhengce_benefits::model::feature_names`], fitted to convergence: the
//! L2-penalised log loss (liblinear's C: [`C_SUPPORT`], [`C_PARTIES`]) minimised by L-BFGS,
//! deterministically. (Until the tenth session it was 30 epochs of SGD, which stopped short
//! of the optimum: offers-support F1 0.787 against 0.816 for the model alone, BENCHMARKS.md.)
//! Features seen in fewer than two training rows get no weight.
//! Environment (each a thing tried; BENCHMARKS.md says what it bought):
//! `ZHENGCE_LEARN_TRIGRAMS=1|0`, `ZHENGCE_LEARN_WHOLE=1|0`, `ZHENGCE_LEARN_CUES=1|0`
//! (override the shipped features), `ZHENGCE_LEARN_JIEBA=1` (jieba words of the support
//! sentences too; not in the shipped model), `ZHENGCE_LEARN_C`, `_ITERATIONS` (default 300),
//! `_MIN_DF`, `ZHENGCE_LEARN_UNSEEN_WEIGHT`,
//! `ZHENGCE_LEARN_ARTICLES=rules`, `ZHENGCE_LEARN_ARTICLES_KEEP` / `_ALONE` / `_ADD`, the
//! same for `OTHERS`, and `ZHENGCE_LEARN_CLASS` / `_DROP` (the "shipped" line's
//! thresholds instead of [`THRESHOLDS`]; the grid varies one kind at a time around them),
//! `ZHENGCE_LEARN_BY_SOURCE=1` (the shipped line per file, source and kind),
//! `ZHENGCE_LEARN_GRID=1` (every line of the grid), `ZHENGCE_LEARN_DUMP=FILE` (each row's
//! cross-validated probabilities, to read the training rows' errors) and
//! `ZHENGCE_LEARN_FEATS=FILE` (each row's features by name, with its fold, kind and targets:
//! to try other learners on the same rows).
use std::collections::{BTreeSet, HashMap};

use serde_json::Value;
use zhengce_benefits::model::{
    FEATURES, Features, Gate, RULES_ONLY, THRESHOLDS, Thresholds, decide,
};

const FOLDS: u64 = 5;
const MIN_DF: usize = 2;
/// How much more an unseen row weighs in training than another.
const UNSEEN_WEIGHT: f32 = 1.0;
/// The inverse strength of the L2 penalty (liblinear's C) of the support model and of the
/// party model, chosen by cross-validation (tenth session, BENCHMARKS.md).
const C_SUPPORT: f64 = 0.3;
const C_PARTIES: f64 = 0.1;

fn param<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn flag(name: &str, default: bool) -> bool {
    match std::env::var(name).as_deref() {
        Ok("1") => true,
        Ok("0") => false,
        _ => default,
    }
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Where a row's rule features come from.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
enum Sight {
    /// Today's rules, revised against this row's file.
    #[default]
    InSample,
    /// The rules before they were revised against this row's file.
    Before,
    /// Today's rules, never revised against this row's file.
    Unseen,
    /// As `Unseen`, but the row was drawn because the classifier was unsure of it (`--drawn`):
    /// trained on, never scored, since its errors are not those of provisions at large.
    Drawn,
}

#[derive(Default)]
struct Row {
    fold: u64,
    features: Vec<usize>,
    rules: Vec<String>,
    want: Vec<String>,
    /// Targets: offers support, then one per class.
    y: Vec<f32>,
    sight: Sight,
    article: bool,
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
    fn prf(&self) -> (f64, f64, f64) {
        let p = self.0 as f64 / (self.0 + self.1).max(1) as f64;
        let r = self.0 as f64 / (self.0 + self.2).max(1) as f64;
        (p, r, 2.0 * p * r / (p + r).max(1e-9))
    }
}

/// Micro counts of classes in the three groups of rows: first-sight, unseen, all.
#[derive(Default, Clone, Copy)]
struct ByGroup([Counts; 3]);

impl ByGroup {
    /// Counts the classes `got` against those labelled (`want`) of a row seen as `sight`.
    fn add<T: Ord>(&mut self, sight: Sight, got: &BTreeSet<T>, want: &BTreeSet<T>) {
        for (c, group) in self
            .0
            .iter_mut()
            .zip([Group::FirstSight, Group::Unseen, Group::All])
        {
            if group.counts(sight) {
                for class in got.union(want) {
                    c.add(got.contains(class), want.contains(class));
                }
            }
        }
    }

    /// The unseen rows' counts.
    fn unseen(&self) -> Counts {
        self.0[1]
    }
}

impl std::fmt::Display for ByGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let [first, unseen, all] = self.0.map(|c| {
            let (p, r, f) = c.prf();
            format!("{p:.3} / {r:.3} ({f:.3})")
        });
        write!(f, "first-sight {first}   unseen {unseen}   all {all}")
    }
}

/// Which rows a line of the report counts.
#[derive(Clone, Copy)]
enum Group {
    All,
    FirstSight,
    Unseen,
}

impl Group {
    fn has(self, r: &Row) -> bool {
        self.counts(r.sight)
    }

    fn counts(self, sight: Sight) -> bool {
        match self {
            Group::All => sight != Sight::Drawn,
            Group::FirstSight => !matches!(sight, Sight::InSample | Sight::Drawn),
            Group::Unseen => sight == Sight::Unseen,
        }
    }
}

fn score(rows: &[Row], got: &[Vec<String>], group: Group) -> (Counts, Counts) {
    let (mut offers, mut micro) = (Counts::default(), Counts::default());
    for (r, got) in rows.iter().zip(got).filter(|(r, _)| group.has(r)) {
        offers.add(!got.is_empty(), !r.want.is_empty());
        let g: BTreeSet<&String> = got.iter().collect();
        let w: BTreeSet<&String> = r.want.iter().collect();
        for c in g.union(&w) {
            micro.add(g.contains(c), w.contains(c));
        }
    }
    (offers, micro)
}

fn cell((o, b): (Counts, Counts)) -> String {
    let (op, or, of) = o.prf();
    let (bp, br, bf) = b.prf();
    format!("{op:.3} / {or:.3} ({of:.3}) | {bp:.3} / {br:.3} ({bf:.3})")
}

/// One line: offers support and benefit, P / R (F1), on first-sight rows, unseen rows
/// and all rows.
fn show(what: &str, rows: &[Row], got: &[Vec<String>]) {
    println!(
        "{what:<44} first-sight {}   unseen {}   all {}",
        cell(score(rows, got, Group::FirstSight)),
        cell(score(rows, got, Group::Unseen)),
        cell(score(rows, got, Group::All)),
    );
}

fn take(args: &mut Vec<String>, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(i) = args.iter().position(|a| a == name) {
        out.push(args.remove(i + 1));
        args.remove(i);
    }
    out
}

/// The provision's text (department notes removed), support sentences and rule classes.
fn rule_reading(text: &str) -> (String, Vec<String>, Vec<String>) {
    let mut reading = None;
    zhengce_benefits::classify_by(text, |t, s, r| {
        reading = Some((t.to_string(), s.to_vec(), r.clone()));
        r
    });
    reading.expect("classify_by calls decide")
}

/// Feature names and their indices.
#[derive(Default)]
struct Vocab {
    ids: HashMap<String, usize>,
    names: Vec<String>,
}

impl Vocab {
    fn id(&mut self, name: String) -> usize {
        if let Some(&id) = self.ids.get(&name) {
            return id;
        }
        let id = self.names.len();
        self.ids.insert(name.clone(), id);
        self.names.push(name);
        id
    }
}

/// `--parties`: the party model (`src/parties.rs`). A row per beneficiary class a labelled
/// provision mentions ([`zhengce_benefits::party_instances`]), one output (is that class a
/// beneficiary); cross-validated by document as the support model is, and scored per
/// provision against all its labelled beneficiaries (those it never mentions are missed).
/// Every file's rule features are used: the beneficiary rules were revised against the
/// development and first training files, never against `--unseen` or `--drawn` ones, so
/// thresholds are read on the unseen rows.
fn learn_parties(files: &[(String, Option<Sight>)], write: Option<String>, by: &str) {
    // Per labelled provision: its sight and beneficiaries; per instance: its provision.
    let mut provisions: Vec<(Sight, BTreeSet<String>)> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let (mut rows, mut of, mut vocab) = (Vec::new(), Vec::new(), Vocab::default());
    for (path, given) in files {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for line in text.lines() {
            let v: Value = serde_json::from_str(line).expect("a labelled row");
            let want: BTreeSet<String> = labels(&v["beneficiary"]).into_iter().collect();
            let sight = given.unwrap_or(Sight::InSample);
            let fold = fnv(v["doc_id"].as_str().unwrap()) % FOLDS;
            for i in zhengce_benefits::party_instances(v["text"].as_str().unwrap()) {
                let y = want.contains(&i.class);
                let class = vec![i.class.clone()];
                rows.push(Row {
                    fold,
                    features: i.features.into_iter().map(|f| vocab.id(f)).collect(),
                    rules: if i.rule { class.clone() } else { Vec::new() },
                    want: if y { class } else { Vec::new() },
                    y: vec![f32::from(u8::from(y))],
                    sight,
                    ..Row::default()
                });
                of.push((provisions.len(), i.class, i.listed));
            }
            provisions.push((sight, want));
            texts.push(v["text"].as_str().unwrap().to_string());
        }
    }
    let inverse_l2 = param("ZHENGCE_LEARN_C", C_PARTIES);
    if let Some(out) = write {
        let all: Vec<&Row> = rows.iter().collect();
        let t = train(&all, vocab.names.len(), 1, inverse_l2);
        let header = format!(
            "# the party model (src/parties.rs): logistic regression trained on {} mentions of \
             {} labelled provisions by\n# {by}\n# outputs: party\n",
            rows.len(),
            provisions.len(),
        );
        write_weights(&out, &vocab.names, &t, header);
        return;
    }
    let mut p = vec![0.0f32; rows.len()];
    for fold in 0..FOLDS {
        let train_rows: Vec<&Row> = rows.iter().filter(|r| r.fold != fold).collect();
        let t = train(&train_rows, vocab.names.len(), 1, inverse_l2);
        for (i, r) in rows.iter().enumerate().filter(|(_, r)| r.fold == fold) {
            p[i] = t.p(r, 1)[0];
        }
    }
    if let Ok(path) = std::env::var("ZHENGCE_LEARN_DUMP") {
        // Each mention's cross-validated probability, for reading the errors.
        let out: Vec<String> = (rows.iter().zip(&p).zip(&of))
            .map(|((r, p), (at, class, _))| {
                serde_json::json!({
                    "class": class, "rule": !r.rules.is_empty(), "want": !r.want.is_empty(),
                    "p": (p * 1000.0).round() / 1000.0, "unseen": provisions[*at].0 == Sight::Unseen,
                    "text": texts[*at],
                })
                .to_string()
            })
            .collect();
        std::fs::write(&path, out.join("\n") + "\n").expect("write the dump");
    }
    // Micro counts over the provisions of each group, for the classes kept at (keep, add).
    let counts = |keep: f32, add: f32| -> ByGroup {
        let mut got: Vec<BTreeSet<&String>> = vec![BTreeSet::new(); provisions.len()];
        for ((r, p), (at, class, listed)) in rows.iter().zip(&p).zip(&of) {
            let rule = !r.rules.is_empty();
            if (rule && *p > keep) || (!rule && !listed && *p > add) {
                got[*at].insert(class);
            }
        }
        let mut c = ByGroup::default();
        for ((sight, want), got) in provisions.iter().zip(&got) {
            c.add(*sight, got, &want.iter().collect());
        }
        c
    };
    let line = |what: &str, c: ByGroup| println!("{what:<28} {c}");
    println!(
        "{} mentions of {} provisions ({} unseen, {} drawn for training only), {FOLDS}-fold \
         cross-validation by document; beneficiary P / R (F1)",
        rows.len(),
        provisions.len(),
        provisions.iter().filter(|p| p.0 == Sight::Unseen).count(),
        provisions.iter().filter(|p| p.0 == Sight::Drawn).count(),
    );
    line("rules", counts(f32::NEG_INFINITY, f32::INFINITY));
    line(
        &format!(
            "shipped (keep {} add {})",
            zhengce_benefits::parties::KEEP,
            zhengce_benefits::parties::ADD
        ),
        counts(
            zhengce_benefits::parties::KEEP,
            zhengce_benefits::parties::ADD,
        ),
    );
    let mut grid = Vec::new();
    for keep in [0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5] {
        for add in [0.3, 0.4, 0.5, 0.6, 0.7, f32::INFINITY] {
            let c = counts(keep, add);
            grid.push((c.unseen().prf().2, keep, add, c));
        }
    }
    grid.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, keep, add, c) in grid.iter().take(8) {
        line(&format!("keep {keep} add {add}"), *c);
    }
}

/// Writes trained weights under `header`, one line per feature that weighs anything.
fn write_weights(out: &str, names: &[String], t: &Trained, header: String) {
    let mut lines: Vec<String> = Vec::new();
    for (name, w) in names.iter().zip(&t.w) {
        if w.is_empty() || w.iter().all(|w| w.abs() < 0.005) {
            continue;
        }
        let ws: Vec<String> = w.iter().map(|w| format!("{w:.3}")).collect();
        lines.push(format!("{name}\t{}", ws.join("\t")));
    }
    lines.sort();
    std::fs::write(out, header + &lines.join("\n") + "\n").expect("write the weights");
    println!("{out}: {} features", lines.len());
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    // The command as given, after the settings of the environment that change the model.
    let settings: Vec<String> = std::env::vars()
        .filter(|(k, _)| k.starts_with("ZHENGCE_LEARN_"))
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let command = args.join(" ");
    let parties = args
        .iter()
        .position(|a| a == "--parties")
        .map(|i| args.remove(i))
        .is_some();
    let write = take(&mut args, "--write").pop();
    let first_sight: HashMap<String, Vec<String>> = take(&mut args, "--rules-from")
        .iter()
        .flat_map(|path| {
            std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("{path}: {e}"))
                .lines()
                .map(|l| {
                    let v: Value = serde_json::from_str(l).expect("a rules row");
                    (key(&v), labels(&v["benefit"]))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let unseen = take(&mut args, "--unseen");
    let drawn = take(&mut args, "--drawn");
    let features = Features {
        trigrams: flag("ZHENGCE_LEARN_TRIGRAMS", FEATURES.trigrams),
        whole: flag("ZHENGCE_LEARN_WHOLE", FEATURES.whole),
        cues: flag("ZHENGCE_LEARN_CUES", FEATURES.cues),
    };
    let jieba = flag("ZHENGCE_LEARN_JIEBA", false).then(jieba_rs::Jieba::new);
    let insample = std::env::var("ZHENGCE_LEARN_INSAMPLE").unwrap_or_default();
    let rules_on = std::env::var("ZHENGCE_LEARN_RULES_ON").unwrap_or_else(|_| "all".into());
    let classes: Vec<String> = zhengce_benefits::taxonomy()
        .benefits
        .iter()
        .map(|c| c.name.clone())
        .collect();
    let k = classes.len() + 1;
    let mut vocab = Vocab::default();
    let mut rows = Vec::new();
    let files: Vec<(String, Option<Sight>)> = args
        .iter()
        .map(|p| (p.clone(), None))
        .chain(unseen.iter().map(|p| (p.clone(), Some(Sight::Unseen))))
        .chain(drawn.iter().map(|p| (p.clone(), Some(Sight::Drawn))))
        .collect();
    if parties {
        let by = format!(
            "{}cargo run --release -p zhengce-benefits --example learn -- {command}",
            settings.iter().map(|s| format!("{s} ")).collect::<String>(),
        );
        return learn_parties(&files, write, &by);
    }
    for (path, given) in &files {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for line in text.lines() {
            let v: Value = serde_json::from_str(line).expect("a labelled row");
            let (clean, sentences, mut rules) = rule_reading(v["text"].as_str().unwrap());
            let sight = if let Some(sight) = *given {
                sight
            } else if let Some(old) = first_sight.get(&key(&v)) {
                rules = old.clone();
                Sight::Before
            } else {
                Sight::InSample
            };
            if sight == Sight::InSample && insample == "drop" {
                continue;
            }
            let rule_features = match sight {
                Sight::InSample => insample != "norules" && rules_on == "all",
                Sight::Before => rules_on != "unseen",
                Sight::Unseen | Sight::Drawn => true,
            };
            let feature_rules: &[String] = if rule_features { &rules } else { &[] };
            let feats =
                zhengce_benefits::model::feature_names(&clean, &sentences, feature_rules, features);
            let mut feats = feats;
            if let Some(jieba) = &jieba {
                // Tried: jieba words of the support sentences besides the characters.
                for s in &sentences {
                    for w in jieba.cut(s, false).into_iter().map(|t| t.word) {
                        if w.chars().count() > 1 && w.chars().all(zhengce_model::is_han) {
                            feats.push(format!("w:{w}"));
                        }
                    }
                }
                feats.sort();
                feats.dedup();
            }
            let features = feats.into_iter().map(|f| vocab.id(f)).collect();
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
                sight,
                article: zhengce_benefits::model::is_article(&clean),
                text: v["text"].as_str().unwrap().to_string(),
                beneficiaries: labels(&v["beneficiary"]),
                source: format!(
                    "{} {} {}",
                    path.rsplit('/').next().unwrap_or_default(),
                    v["source"].as_str().unwrap_or_default(),
                    if zhengce_benefits::model::is_article(&clean) {
                        "articles"
                    } else {
                        "other provisions"
                    }
                ),
            });
        }
    }
    let inverse_l2 = param("ZHENGCE_LEARN_C", C_SUPPORT);
    if let Some(out) = write {
        let all: Vec<&Row> = rows.iter().collect();
        let t = train(&all, vocab.names.len(), k, inverse_l2);
        let header = format!(
            "# the support model (src/model.rs): logistic regression trained on {} labelled \
             provisions by\n# {}cargo run --release -p zhengce-benefits --example learn -- {}\n\
             # outputs: offers {}\n",
            rows.len(),
            settings.iter().map(|s| format!("{s} ")).collect::<String>(),
            command,
            classes.join(" ")
        );
        write_weights(&out, &vocab.names, &t, header);
        return;
    }
    let mut p = vec![Vec::new(); rows.len()];
    for fold in 0..FOLDS {
        let train_rows: Vec<&Row> = rows.iter().filter(|r| r.fold != fold).collect();
        let t = train(&train_rows, vocab.names.len(), k, inverse_l2);
        for (i, r) in rows.iter().enumerate().filter(|(_, r)| r.fold == fold) {
            p[i] = t.p(r, k);
        }
    }
    if let Ok(path) = std::env::var("ZHENGCE_LEARN_DUMP") {
        // Each row's cross-validated probabilities, for reading the training rows' errors.
        let out: Vec<String> = rows
            .iter()
            .zip(&p)
            .map(|(r, p)| {
                serde_json::json!({
                    "source": r.source, "rules": r.rules, "want": r.want,
                    "p": p.iter().map(|x| (x * 1000.0).round() / 1000.0).collect::<Vec<_>>(),
                    "text": r.text,
                })
                .to_string()
            })
            .collect();
        std::fs::write(&path, out.join("\n") + "\n").expect("write the dump");
    }
    if let Ok(path) = std::env::var("ZHENGCE_LEARN_FEATS") {
        // Each row's features by name, with its fold, kind and target (for trying learners
        // outside this program).
        let out: Vec<String> = rows
            .iter()
            .map(|r| {
                serde_json::json!({
                    "fold": r.fold, "sight": format!("{:?}", r.sight), "article": r.article,
                    "y": r.y, "text": r.text, "rules": r.rules,
                    "f": r.features.iter().map(|&i| vocab.names[i].as_str()).collect::<Vec<_>>(),
                })
                .to_string()
            })
            .collect();
        std::fs::write(&path, out.join("\n") + "\n").expect("write the features");
    }
    let count = |s: Sight| rows.iter().filter(|r| r.sight == s).count();
    println!(
        "{} provisions ({} first-sight, {} unseen, {} drawn for training only, {} in-sample{}), \
         {FOLDS}-fold cross-validation by document; features {features:?}",
        rows.len(),
        count(Sight::Before),
        count(Sight::Unseen),
        count(Sight::Drawn),
        count(Sight::InSample),
        if insample.is_empty() {
            String::new()
        } else {
            format!(" ({insample})")
        },
    );
    println!("{:<44} offers P / R (F1) | benefit P / R (F1)", "");
    let rules: Vec<Vec<String>> = rows.iter().map(|r| r.rules.clone()).collect();
    show("rules", &rows, &rules);
    let decide_all = |t: Thresholds| -> Vec<Vec<String>> {
        rows.iter()
            .zip(&p)
            .map(|(r, p)| {
                let g = if r.article { t.articles } else { t.others };
                decide(&classes, p, r.rules.clone(), g, t)
            })
            .collect()
    };
    for alone in [0.3, 0.4, 0.5, 0.6] {
        let g = Gate {
            keep: 1.1,
            alone,
            add: 1.1,
        };
        let t = Thresholds {
            articles: g,
            others: g,
            class: 0.5,
            drop: 0.0,
        };
        let got: Vec<Vec<String>> = p
            .iter()
            .map(|p| decide(&classes, p, Vec::new(), g, t))
            .collect();
        show(&format!("model alone p > {alone}"), &rows, &got);
    }
    // The shipped thresholds, or those the environment names.
    let gate = |kind: &str, g: Gate| -> Gate {
        if std::env::var(format!("ZHENGCE_LEARN_{kind}")).as_deref() == Ok("rules") {
            return RULES_ONLY;
        }
        Gate {
            keep: param(&format!("ZHENGCE_LEARN_{kind}_KEEP"), g.keep),
            alone: param(&format!("ZHENGCE_LEARN_{kind}_ALONE"), g.alone),
            add: param(&format!("ZHENGCE_LEARN_{kind}_ADD"), g.add),
        }
    };
    let chosen = Thresholds {
        articles: gate("ARTICLES", THRESHOLDS.articles),
        others: gate("OTHERS", THRESHOLDS.others),
        class: param("ZHENGCE_LEARN_CLASS", THRESHOLDS.class),
        drop: param("ZHENGCE_LEARN_DROP", THRESHOLDS.drop),
    };
    let shipped = decide_all(chosen);
    show("shipped", &rows, &shipped);
    println!("  ({chosen:?})");
    if flag("ZHENGCE_LEARN_BY_SOURCE", false) {
        let sources: BTreeSet<&str> = rows.iter().map(|r| r.source.as_str()).collect();
        for src in sources {
            let line = |got: &[Vec<String>]| -> String {
                let (mut offers, mut micro) = (Counts::default(), Counts::default());
                for (r, got) in rows.iter().zip(got).filter(|(r, _)| r.source == src) {
                    offers.add(!got.is_empty(), !r.want.is_empty());
                    let g: BTreeSet<&String> = got.iter().collect();
                    let w: BTreeSet<&String> = r.want.iter().collect();
                    for c in g.union(&w) {
                        micro.add(g.contains(c), w.contains(c));
                    }
                }
                format!(
                    "{} (tp {} fp {} fn {})",
                    cell((offers, micro)),
                    offers.0,
                    offers.1,
                    offers.2
                )
            };
            let n = rows.iter().filter(|r| r.source == src).count();
            println!(
                "{src} ({n})\n  rules   {}\n  shipped {}",
                line(&rules),
                line(&shipped)
            );
        }
    }
    for (what, got) in [("rules", &rules), ("shipped", &shipped)] {
        let mut c = ByGroup::default();
        for (r, got) in rows.iter().zip(got) {
            let g: BTreeSet<String> = zhengce_benefits::classify_by(&r.text, |_, _, _| got.clone())
                .beneficiaries
                .into_iter()
                .collect();
            c.add(r.sight, &g, &r.beneficiaries.iter().cloned().collect());
        }
        // `classify_by` reads beneficiaries with the shipped party model.
        println!("{what}, then the party model, beneficiary: {c}");
    }
    // The threshold grid, one kind of provision at a time (the other kind as chosen), best
    // first by offers-support F1 on the unseen rows.
    let mut gates = vec![RULES_ONLY];
    for keep in [0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4] {
        for alone in [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, f32::INFINITY] {
            for add in [0.5, 0.7, f32::INFINITY] {
                gates.push(Gate { keep, alone, add });
            }
        }
    }
    let with = |t: Thresholds, articles: bool, g: Gate| -> Thresholds {
        if articles {
            Thresholds { articles: g, ..t }
        } else {
            Thresholds { others: g, ..t }
        }
    };
    let mut grid: Vec<(f64, String, Vec<Vec<String>>)> = Vec::new();
    for articles in [true, false] {
        for &g in &gates {
            let got = decide_all(with(chosen, articles, g));
            let f = score(&rows, &got, Group::Unseen).0.prf().2;
            let kind = if articles { "articles" } else { "others" };
            grid.push((
                f,
                format!("{kind} keep {} alone {} add {}", g.keep, g.alone, g.add),
                got,
            ));
        }
    }
    grid.sort_by(|a, b| b.0.total_cmp(&a.0));
    let n = if flag("ZHENGCE_LEARN_GRID", false) {
        grid.len()
    } else {
        8
    };
    for kind in ["articles", "others"] {
        for (_, what, got) in grid.iter().filter(|g| g.1.starts_with(kind)).take(n) {
            show(what, &rows, got);
        }
    }
    // The choice, from the unseen rows: for articles, then other provisions (twice round),
    // the gate with the best offers-support F1; among the gates within 0.005 of it, the one
    // that vetoes least (lowest `keep`: the previous round's model lost recall on the test
    // sets by vetoing), then the best F1. A gate for other provisions (the items of policy
    // documents) must also not lower offers-support F1 by more than 0.005 on the in-sample
    // development items, which the test sets resemble. That floor favours the rules (they
    // were revised against those rows): one gate for every provision, chosen on the unseen
    // rows alone (which hold items of every source since train_6), gained there (0.806 →
    // 0.811; on their 1,726 items 0.674 → 0.712) and lost on the test sets (tenth session,
    // BENCHMARKS.md).
    let in_sample_others = |got: &[Vec<String>]| -> f64 {
        let mut c = Counts::default();
        for (r, got) in rows.iter().zip(got) {
            if r.sight == Sight::InSample && !r.article {
                c.add(!got.is_empty(), !r.want.is_empty());
            }
        }
        c.prf().2
    };
    let floor = in_sample_others(&rules) - 0.005;
    let mut best = chosen;
    for _ in 0..2 {
        for articles in [true, false] {
            let scored: Vec<(Gate, f64)> = gates
                .iter()
                .filter_map(|&g| {
                    let got = decide_all(with(best, articles, g));
                    (articles || in_sample_others(&got) >= floor)
                        .then(|| (g, score(&rows, &got, Group::Unseen).0.prf().2))
                })
                .collect();
            let top = scored.iter().map(|s| s.1).fold(0.0, f64::max);
            if let Some(&(g, _)) = scored
                .iter()
                .filter(|s| s.1 >= top - 0.005)
                .min_by(|a, b| a.0.keep.total_cmp(&b.0.keep).then(b.1.total_cmp(&a.1)))
            {
                best = with(best, articles, g);
            }
        }
    }
    show("chosen", &rows, &decide_all(best));
    println!("  ({best:?})");
}

/// Logistic regression fitted to convergence: the L2-penalised log loss
/// (`Σ loss + |w|² / 2C`, as liblinear's C) minimised by L-BFGS with a backtracking line
/// search, every output at once (their losses are separate sums). Features seen in fewer
/// than `ZHENGCE_LEARN_MIN_DF` training rows get no weight.
fn train(rows: &[&Row], n_features: usize, k: usize, c: f64) -> Trained {
    let mut df = vec![0usize; n_features];
    for r in rows {
        for &f in &r.features {
            df[f] += 1;
        }
    }
    let min_df = param("ZHENGCE_LEARN_MIN_DF", MIN_DF);
    // Dense indices of the kept features.
    let mut slot = vec![usize::MAX; n_features];
    let mut n = 0;
    for (f, &d) in df.iter().enumerate() {
        if d >= min_df {
            slot[f] = n;
            n += 1;
        }
    }
    let unseen_weight = f64::from(param("ZHENGCE_LEARN_UNSEEN_WEIGHT", UNSEEN_WEIGHT));
    let xs: Vec<Vec<usize>> = rows
        .iter()
        .map(|r| {
            r.features
                .iter()
                .map(|&f| slot[f])
                .filter(|&s| s != usize::MAX)
                .collect()
        })
        .collect();
    let weights: Vec<f64> = rows
        .iter()
        .map(|r| {
            if matches!(r.sight, Sight::Unseen | Sight::Drawn) {
                unseen_weight
            } else {
                1.0
            }
        })
        .collect();
    let value_grad = |w: &[f64], g: &mut [f64]| -> f64 {
        let mut f = 0.0;
        for (i, gi) in g.iter_mut().enumerate() {
            *gi = w[i] / c;
            f += w[i] * w[i] / (2.0 * c);
        }
        let mut z = vec![0.0f64; k];
        for ((x, r), s) in xs.iter().zip(rows).zip(&weights) {
            z.iter_mut().for_each(|z| *z = 0.0);
            for &j in x {
                for (o, z) in z.iter_mut().enumerate() {
                    *z += w[j * k + o];
                }
            }
            for (o, z) in z.iter().enumerate() {
                let y = f64::from(r.y[o]);
                // log(1 + e^z) - y z, stably.
                let loss = if *z > 0.0 {
                    z + (-z).exp().ln_1p()
                } else {
                    z.exp().ln_1p()
                } - y * z;
                f += s * loss;
                let d = s * (1.0 / (1.0 + (-z).exp()) - y);
                for &j in x {
                    g[j * k + o] += d;
                }
            }
        }
        f
    };
    let dim = n * k;
    let mut w = vec![0.0f64; dim];
    let mut g = vec![0.0f64; dim];
    let mut f = value_grad(&w, &mut g);
    let memory = 10;
    let (mut ss, mut ys): (Vec<Vec<f64>>, Vec<Vec<f64>>) = (Vec::new(), Vec::new());
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(a, b)| a * b).sum::<f64>();
    let iterations = param("ZHENGCE_LEARN_ITERATIONS", 300usize);
    let mut taken = 0;
    for _ in 0..iterations {
        taken += 1;
        // The two-loop recursion: d = -H g.
        let mut q = g.clone();
        let mut alphas = Vec::with_capacity(ss.len());
        for (s, y) in ss.iter().zip(&ys).rev() {
            let a = dot(s, &q) / dot(y, s);
            q.iter_mut().zip(y).for_each(|(q, y)| *q -= a * y);
            alphas.push(a);
        }
        if let (Some(s), Some(y)) = (ss.last(), ys.last()) {
            let gamma = dot(s, y) / dot(y, y);
            q.iter_mut().for_each(|q| *q *= gamma);
        } else {
            let norm = dot(&g, &g).sqrt().max(1e-12);
            q.iter_mut().for_each(|q| *q /= norm);
        }
        for ((s, y), a) in ss.iter().zip(&ys).zip(alphas.into_iter().rev()) {
            let b = dot(y, &q) / dot(y, s);
            q.iter_mut().zip(s).for_each(|(q, s)| *q += (a - b) * s);
        }
        let d: Vec<f64> = q.into_iter().map(|q| -q).collect();
        let slope = dot(&g, &d);
        if slope >= 0.0 {
            break;
        }
        let mut step = 1.0;
        let mut w_new = vec![0.0f64; dim];
        let mut g_new = vec![0.0f64; dim];
        let f_new = loop {
            w_new
                .iter_mut()
                .zip(&w)
                .zip(&d)
                .for_each(|((n, w), d)| *n = w + step * d);
            let f_new = value_grad(&w_new, &mut g_new);
            if f_new <= f + 1e-4 * step * slope || step < 1e-10 {
                break f_new;
            }
            step *= 0.5;
        };
        let s: Vec<f64> = w_new.iter().zip(&w).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let done = (f - f_new).abs() <= 1e-8 * f.abs().max(1.0);
        if dot(&s, &y) > 1e-12 {
            ss.push(s);
            ys.push(y);
            if ss.len() > memory {
                ss.remove(0);
                ys.remove(0);
            }
        }
        (w, g, f) = (w_new, g_new, f_new);
        if done {
            break;
        }
    }
    eprintln!(
        "L-BFGS: {taken} iterations, penalised loss {f:.1} over {} rows",
        rows.len()
    );
    let w = slot
        .iter()
        .map(|&s| {
            if s == usize::MAX {
                Vec::new()
            } else {
                w[s * k..(s + 1) * k].iter().map(|&x| x as f32).collect()
            }
        })
        .collect();
    Trained { w }
}
