//! A linear model over the words of a provision's support sentences, read beside the rules.
//!
//! The rules of `data/taxonomy.toml` were revised against the development files, and on
//! documents they had never seen they find support with precision about 0.75. A logistic
//! model over the character unigrams and bigrams of the support sentences
//! ([`crate::support_sentences`]), trained on the development files only, is a second
//! reader: a rule's benefit is kept where the model does not rule it out, and the model
//! adds support where it is confident and the rules found none. The weights
//! (`data/support_model.tsv`) are written by
//! `cargo run --release -p zhengce-benefits --example learn -- --write data/support_model.tsv DEV...`
//! and the thresholds below were chosen there by 5-fold cross-validation (folds by
//! document) on the development files (BENCHMARKS.md).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

/// Whether the model reads this provision: an article of a law or regulation
/// (`第二十八条 …`). Nearly all of its training provisions are articles (1,033 of 1,406,
/// and 902 of the 995 whose rule features are honest); on the policy documents' items
/// (`（一）…`, `一、…`) cross-validation by document shows it throwing out real support
/// the rules find (the seed document: recall 0.55 where the rules have 1.00), so those
/// are left to the rules.
pub fn reads(text: &str) -> bool {
    ARTICLE.is_match(text)
}

static ARTICLE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^\s*第[一二三四五六七八九十百千零〇]+条").expect("valid regex")
});

/// The weights shipped with the crate.
pub const WEIGHTS: &str = include_str!("../data/support_model.tsv");

/// A rule's benefits are kept when the model's probability that the provision offers
/// support is above this.
pub const KEEP_RULES: f32 = 0.1;
/// Without a rule, the model alone marks support above this.
pub const MODEL_ALONE: f32 = 0.5;
/// A class the model adds on its own needs this probability.
pub const CLASS_ALONE: f32 = 0.5;
/// Where the rules' classes are kept, the model adds a class they missed above this.
pub const CLASS_ADD: f32 = 0.7;
/// Where the rules' classes are kept, one the model gives at most this is dropped
/// (unless it is the only one).
pub const CLASS_DROP: f32 = 0.0;

/// The thresholds of [`decide`].
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    pub keep: f32,
    pub alone: f32,
    pub class: f32,
    pub add: f32,
    pub drop: f32,
}

/// The shipped thresholds.
pub const THRESHOLDS: Thresholds = Thresholds {
    keep: KEEP_RULES,
    alone: MODEL_ALONE,
    class: CLASS_ALONE,
    add: CLASS_ADD,
    drop: CLASS_DROP,
};

/// Outputs: whether the provision offers support, then one per benefit class.
pub struct Model {
    /// Benefit class names, in the order of the outputs after the first.
    pub classes: Vec<String>,
    /// Feature id → index of its first weight in `weights` (one weight per output).
    index: HashMap<u64, usize, BuildHasherDefault<IdHasher>>,
    weights: Vec<f32>,
}

/// Feature ids are already hashes: the map uses them as they are.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

fn fnv(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The hash of a feature's name (its id in the weights table).
pub fn feature_id(name: &str) -> u64 {
    fnv(name.bytes())
}

/// The named features of a provision: a bias, the rules' benefit classes (`r:资金奖励`)
/// and the Han character unigrams and bigrams of its support sentences. Sorted, without
/// repeats.
pub fn feature_names(sentences: &[String], rules: &[String]) -> Vec<String> {
    let mut out = vec!["bias".to_string()];
    out.extend(rules.iter().map(|c| format!("r:{c}")));
    for s in sentences {
        let chars: Vec<char> = s.chars().filter(|c| zhengce_model::is_han(*c)).collect();
        out.extend(chars.windows(2).map(|w| w.iter().collect::<String>()));
        out.extend(chars.iter().map(char::to_string));
    }
    out.sort();
    out.dedup();
    out
}

/// [`feature_names`] as ids, without allocating a string per feature.
fn feature_ids(sentences: &[String], rules: &[String]) -> Vec<u64> {
    let mut out = vec![feature_id("bias")];
    out.extend(rules.iter().map(|c| feature_id(&format!("r:{c}"))));
    let mut buf = [0u8; 8];
    for s in sentences {
        let mut prev: Option<char> = None;
        for c in s.chars().filter(|c| zhengce_model::is_han(*c)) {
            let cb = c.encode_utf8(&mut buf).len();
            out.push(fnv(buf[..cb].iter().copied()));
            if let Some(p) = prev {
                let mut two = [0u8; 8];
                let pb = p.encode_utf8(&mut two).len();
                c.encode_utf8(&mut two[pb..]);
                out.push(fnv(two[..pb + cb].iter().copied()));
            }
            prev = Some(c);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl Model {
    /// Reads a weights table: a header line `# outputs: offers CLASS…`, then one line per
    /// feature, `name<TAB>w0<TAB>w1…`.
    pub fn parse(tsv: &str) -> Result<Model, String> {
        let mut classes = None;
        let mut index = HashMap::default();
        let mut weights = Vec::new();
        for (n, line) in tsv.lines().enumerate() {
            if let Some(rest) = line.strip_prefix("# outputs:") {
                let names: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
                if names.first().map(String::as_str) != Some("offers") {
                    return Err(format!("line {}: the first output must be offers", n + 1));
                }
                classes = Some(names[1..].to_vec());
                continue;
            }
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let k = classes
                .as_ref()
                .ok_or_else(|| format!("line {}: weights before the outputs line", n + 1))?
                .len()
                + 1;
            let mut fields = line.split('\t');
            let name = fields.next().unwrap_or_default();
            let w: Vec<f32> = fields
                .map(|f| f.parse::<f32>())
                .collect::<Result<_, _>>()
                .map_err(|e| format!("line {}: {e}", n + 1))?;
            if w.len() != k {
                return Err(format!("line {}: {} weights, expected {k}", n + 1, w.len()));
            }
            index.insert(feature_id(name), weights.len());
            weights.extend(w);
        }
        let classes = classes.ok_or("no outputs line")?;
        Ok(Model {
            classes,
            index,
            weights,
        })
    }

    /// The probabilities of each output for a provision's support sentences and the
    /// benefit classes the rules found in them.
    pub fn probabilities(&self, sentences: &[String], rules: &[String]) -> Vec<f32> {
        let k = self.classes.len() + 1;
        let mut z = vec![0.0f32; k];
        for id in feature_ids(sentences, rules) {
            if let Some(&at) = self.index.get(&id) {
                for (z, w) in z.iter_mut().zip(&self.weights[at..at + k]) {
                    *z += w;
                }
            }
        }
        z.into_iter().map(sigmoid).collect()
    }

    /// The benefit classes of a provision: the rules' classes where the model does not
    /// rule support out, and, where the rules found none and the model is confident, the
    /// classes the model gives (at least its likeliest).
    pub fn decide(&self, p: &[f32], rules: Vec<String>) -> Vec<String> {
        decide(&self.classes, p, rules, THRESHOLDS)
    }
}

/// [`Model::decide`] with explicit thresholds, for
/// the cross-validation in `examples/learn.rs`.
pub fn decide(classes: &[String], p: &[f32], rules: Vec<String>, t: Thresholds) -> Vec<String> {
    if !rules.is_empty() {
        if p[0] <= t.keep {
            return Vec::new();
        }
        let n = rules.len();
        return classes
            .iter()
            .zip(&p[1..])
            .filter(|(c, p)| {
                if rules.contains(c) {
                    n == 1 || **p > t.drop
                } else {
                    **p > t.add
                }
            })
            .map(|(c, _)| c.clone())
            .collect();
    }
    let class = t.class;
    if p[0] <= t.alone {
        return Vec::new();
    }
    let mut out: Vec<String> = classes
        .iter()
        .zip(&p[1..])
        .filter(|(_, p)| **p > class)
        .map(|(c, _)| c.clone())
        .collect();
    if out.is_empty()
        && let Some((c, _)) = classes
            .iter()
            .zip(&p[1..])
            .max_by(|a, b| a.1.total_cmp(b.1))
    {
        out.push(c.clone());
    }
    out
}

static MODEL: LazyLock<Model> =
    LazyLock::new(|| Model::parse(WEIGHTS).expect("the shipped support model parses"));

/// The shipped model, read once.
pub fn model() -> &'static Model {
    &MODEL
}

/// The named features of one mention of a beneficiary class: its class, whether it is
/// aimed at (the rules' test) and whether the provision offers support, and the Han
/// characters and character pairs before it in its clause and after it in its sentence.
pub fn mention_feature_names(m: &crate::Mention, offers: bool) -> Vec<String> {
    let mut out = vec![
        "bias".to_string(),
        format!("m:{}", m.class),
        format!("m:{}:{offers}", m.class),
        format!("aimed:{}:offers:{offers}", m.aimed),
    ];
    let before: Vec<char> = m
        .before
        .chars()
        .filter(|c| zhengce_model::is_han(*c))
        .collect();
    let after: Vec<char> = m
        .after
        .chars()
        .filter(|c| zhengce_model::is_han(*c))
        .collect();
    for (tag, chars) in [("b", &before), ("a", &after)] {
        out.extend(chars.iter().map(|c| format!("{tag}:{c}")));
        out.extend(
            chars
                .windows(2)
                .map(|w| format!("{tag}:{}", w.iter().collect::<String>())),
        );
    }
    if let Some(c) = before.last() {
        out.push(format!("p1:{c}"));
    }
    if let Some(c) = after.first() {
        out.push(format!("n1:{c}"));
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_hashes_of_the_names() {
        let sentences = vec![
            "对高新技术企业，减按15％的税率征收企业所得税".to_string(),
            "给予ABC奖励，奖励".to_string(),
        ];
        let rules = vec!["税收优惠".to_string()];
        let mut want: Vec<u64> = feature_names(&sentences, &rules)
            .iter()
            .map(|f| feature_id(f))
            .collect();
        want.sort_unstable();
        want.dedup();
        assert_eq!(feature_ids(&sentences, &rules), want);
    }

    #[test]
    fn the_shipped_model_has_the_taxonomy_classes() {
        let names: Vec<&str> = crate::taxonomy()
            .benefits
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(model().classes, names);
        assert!(
            model().index.len() > 1000,
            "{} features",
            model().index.len()
        );
    }

    #[test]
    fn bad_weights_are_an_error() {
        assert!(Model::parse("bias\t1.0\n").is_err());
        assert!(Model::parse("# outputs: offers a\nbias\t1.0\n").is_err());
        assert!(Model::parse("# outputs: offers a\nbias\t1.0\tx\n").is_err());
        assert!(Model::parse("# outputs: a b\n").is_err());
        let m = Model::parse("# outputs: offers a\nbias\t1.0\t-1.0\n").unwrap();
        let p = m.probabilities(&[], &[]);
        assert!(p[0] > 0.7 && p[1] < 0.3, "{p:?}");
    }

    #[test]
    fn articles_are_read_by_the_model() {
        assert!(reads(
            "第二十八条 符合条件的小型微利企业，减按20％的税率征收企业所得税。"
        ));
        assert!(!reads("（一）对新培育的瞪羚独角兽企业给予奖励。"));
    }
}
