//! A linear model that reads each beneficiary class a provision mentions, in context,
//! beside the rules.
//!
//! The rules say a class is a beneficiary when one of its words stands where support is
//! aimed (after 对, 支持 …, before 可, 享受 …) or opens a clause that regulates it; on
//! provisions they were never revised against (`train_6.jsonl`, `train_7.jsonl`) they find
//! beneficiaries with precision 0.70 and recall 0.57 (BENCHMARKS.md). Two things hold them
//! back: the context that decides is wider than their windows, and a third of the parties
//! the labellers marked are named by words the rules do not read (`医师` and `乡村医生`
//! are 人才专家 by rule 13 of the guideline, `小作坊` a 中小微企业, `养殖场` an
//! 农业经营主体).
//!
//! So every class a provision mentions — by its patterns or by the wider `mentions` of
//! the taxonomy — is an [`Instance`]: the class, whether the rules give it, and named
//! features ([`Instance::features`]) of the whole provision (its Han bigrams, its kind,
//! whether it offers support) and of each mention (the word, the characters and bigrams
//! within [`WINDOW`] characters either side). One logistic output, shared by all classes
//! (the class is a feature), says whether the mention names a beneficiary: the rules'
//! classes stand unless the model gives them at most [`KEEP`], and the model adds a
//! mentioned class above [`ADD`], unless every mention is an item of a list of places or
//! fields as the rules read it (`not_party_after`). The weights (`data/party_model.tsv`)
//! are written by `examples/learn.rs --parties --write FILE`, its header has the command.
//! The rules' classes and whether the provision offers support are features: **after a
//! change to the rules or to the support model, write these weights again.**
//!
//! Measured (BENCHMARKS.md, ninth session): by cross-validation on the unseen rows,
//! beneficiary F1 0.627 with the rules, 0.748 with the model; on the three test sets
//! together, 0.732 and 0.795. Fitted to convergence since the tenth session (L-BFGS
//! instead of SGD): 0.774 by cross-validation (audited labels), 0.792 on the three test
//! sets.

use std::ops::Range;
use std::sync::LazyLock;

use crate::model::{Model, feature_id, feature_id_of, is_article};

/// Characters either side of a mention the model reads.
pub const WINDOW: usize = 10;

/// Mentions of one class read per provision (the first ones).
const MAX_MENTIONS: usize = 6;

/// A class the rules give stands unless the model gives it at most this (chosen by
/// cross-validation, `learn --parties`, tenth session).
pub const KEEP: f32 = 0.5;

/// A class the rules do not give, but the provision mentions, is added above this.
pub const ADD: f32 = 0.3;

/// One beneficiary class a provision mentions.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// The class.
    pub class: String,
    /// Whether the rules give it.
    pub rule: bool,
    /// Whether every mention is an item of a list of places or fields, as the rules read
    /// it (`在医院、学校等人员密集场所`): never a party the model adds (guideline,
    /// beneficiary: only the place where something happens).
    pub listed: bool,
    /// What the model reads (sorted, without repeats).
    pub features: Vec<String>,
}

/// Where a provision names a class.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mention {
    /// Where, in the text the class's words are read in.
    pub at: Range<usize>,
    /// Whether the word is one only the model reads (the class's `mentions`).
    pub only_model: bool,
    /// Whether the rules read it as an item of a list of places or fields
    /// (`not_party_after`): no party by their reading.
    pub listed: bool,
}

/// Where features go: their names (to train on, [`Instance::features`]) or their ids (to
/// classify with, without a string per feature). One code path writes both, so the ids
/// are always the hashes of the names.
trait Sink: Clone + Default {
    /// Adds the feature named by `parts` joined.
    fn add(&mut self, parts: &[&str]);
    /// Sorts and removes repeats.
    fn finish(&mut self);
}

impl Sink for Vec<String> {
    fn add(&mut self, parts: &[&str]) {
        self.push(parts.concat());
    }
    fn finish(&mut self) {
        self.sort();
        self.dedup();
    }
}

impl Sink for Vec<u64> {
    fn add(&mut self, parts: &[&str]) {
        self.push(feature_id_of(parts));
    }
    fn finish(&mut self) {
        self.sort_unstable();
        self.dedup();
    }
}

/// A class a provision mentions, read: (class, whether the rules give it, whether every
/// mention is listed, the features).
type Read<'t, S> = (&'t str, bool, bool, S);

/// What is read once per provision, for every class it mentions.
pub(crate) struct Provision<'a> {
    /// The provision (department notes removed).
    pub text: &'a str,
    /// Whether the provision offers support (its benefits, as classified).
    pub offers: bool,
}

impl Provision<'_> {
    /// The features every instance of the provision shares.
    fn common<S: Sink>(&self) -> S {
        let mut out = S::default();
        out.add(&["bias"]);
        out.add(&[
            "k:",
            if is_article(self.text) {
                "true"
            } else {
                "false"
            },
        ]);
        if self.offers {
            out.add(&["o"]);
        }
        let mut han = self.text.chars().filter(|c| zhengce_model::is_han(*c));
        let (mut a, mut b) = ([0u8; 4], [0u8; 4]);
        if let Some(first) = han.next() {
            let mut prev: &str = first.encode_utf8(&mut a);
            for c in han {
                let this: &str = c.encode_utf8(&mut b);
                out.add(&["t:", prev, this]);
                a = b;
                prev = std::str::from_utf8(&a[..c.len_utf8()]).expect("one character");
            }
        }
        out
    }

    /// The classes mentioned, in the order given — (class, whether the rules give it, the
    /// text its words are read in, the mentions there) — read into `S`: the features all
    /// of them share (the provision's, [`Provision::common`]: none when nothing is
    /// mentioned), and each class's own. No name is in both.
    fn read<'t, S: Sink>(
        &self,
        mentioned: impl IntoIterator<Item = (&'t str, bool, &'t str, &'t [Mention])>,
    ) -> (S, Vec<Read<'t, S>>) {
        let classes: Vec<Read<'t, S>> = mentioned
            .into_iter()
            .filter(|(_, rule, _, at)| *rule || !at.is_empty())
            .map(|(class, rule, text, at)| {
                let mut f = S::default();
                f.add(&["cls:", class]);
                if rule {
                    f.add(&["r"]);
                    f.add(&["r:", class]);
                    if self.offers {
                        f.add(&["r+o"]);
                    }
                }
                if at.iter().any(|m| m.only_model) {
                    f.add(&["x"]);
                }
                f.add(&[["n:0", "n:1", "n:2", "n:3"][at.len().min(3)]]);
                for m in at.iter().take(MAX_MENTIONS) {
                    if m.listed {
                        f.add(&["listed"]);
                    }
                    context(text, m.at.clone(), &mut f);
                }
                let listed = !at.is_empty() && at.iter().all(|m| m.listed);
                if listed {
                    f.add(&["all listed"]);
                }
                f.finish();
                (class, rule, listed, f)
            })
            .collect();
        let mut common = S::default();
        if !classes.is_empty() {
            common = self.common();
            common.finish();
        }
        (common, classes)
    }

    /// The instances of the classes mentioned (see [`Provision::read`]).
    pub fn instances<'t>(
        &self,
        mentioned: impl IntoIterator<Item = (&'t str, bool, &'t str, &'t [Mention])>,
    ) -> Vec<Instance> {
        let (common, classes) = self.read::<Vec<String>>(mentioned);
        (classes.into_iter())
            .map(|(class, rule, listed, own)| {
                let mut features: Vec<String> = common.iter().cloned().chain(own).collect();
                features.finish();
                Instance {
                    class: class.to_string(),
                    rule,
                    listed,
                    features,
                }
            })
            .collect()
    }
}

/// The features of one mention at `m` in `text`: the word (`M:`), the character and two
/// characters next to it (`L1:`, `L2:`, `R1:`, `R2:`), and the characters (`Lu:`, `Ru:`)
/// and bigrams (`L:`, `R:`) within [`WINDOW`] characters. Whitespace is skipped: line
/// breaks, and the ideographic spaces that stand where the class's `remove` and `not_party`
/// words were cut out, so a window may join what they separated.
fn context(text: &str, m: Range<usize>, out: &mut impl Sink) {
    let chars = |s: &'_ str| -> Vec<(usize, char)> {
        s.char_indices()
            .filter(|(_, c)| !c.is_whitespace())
            .collect()
    };
    fn one(s: &str, (i, c): (usize, char)) -> &str {
        &s[i..i + c.len_utf8()]
    }
    let (head, tail) = (&text[..m.start], &text[m.end..]);
    let before: Vec<&str> = {
        let all = chars(head);
        let from = all.len().saturating_sub(WINDOW);
        all[from..].iter().map(|&c| one(head, c)).collect()
    };
    let after: Vec<&str> = (chars(tail).into_iter().take(WINDOW))
        .map(|c| one(tail, c))
        .collect();
    out.add(&["M:", &text[m]]);
    if let Some(c) = before.last() {
        out.add(&["L1:", c]);
    }
    if let [.., a, b] = before[..] {
        out.add(&["L2:", a, b]);
    }
    if let Some(c) = after.first() {
        out.add(&["R1:", c]);
    }
    if let [a, b, ..] = after[..] {
        out.add(&["R2:", a, b]);
    }
    for (side, unigram, chars) in [("L:", "Lu:", &before), ("R:", "Ru:", &after)] {
        for c in chars.iter() {
            out.add(&[unigram, c]);
        }
        for w in chars.windows(2) {
            out.add(&[side, w[0], w[1]]);
        }
    }
}

/// The party model: one output, whether a mentioned class is a beneficiary.
pub struct PartyModel(Model);

impl PartyModel {
    /// Reads a weights table with the one output `party`.
    pub fn parse(tsv: &str) -> Result<PartyModel, String> {
        let m = Model::parse_outputs(tsv, "party")?;
        if !m.classes.is_empty() {
            return Err(format!(
                "the party model has one output, not {}",
                m.classes.len() + 1
            ));
        }
        Ok(PartyModel(m))
    }

    /// The probability that an instance's class is a beneficiary.
    pub fn p(&self, i: &Instance) -> f32 {
        self.0
            .probabilities_of(i.features.iter().map(|f| feature_id(f)))[0]
    }

    /// The beneficiary classes of a provision's instances: the rules' where the model
    /// gives more than [`KEEP`], the others where it gives more than [`ADD`] and some
    /// mention is not only a place.
    pub fn decide(&self, instances: &[Instance]) -> Vec<String> {
        decide(
            instances
                .iter()
                .map(|i| (i.rule, i.listed, self.p(i), &i.class[..])),
            KEEP,
            ADD,
        )
    }

    /// [`PartyModel::decide`] for the classes a provision mentions (see
    /// [`Provision::read`]), reading feature ids only.
    pub(crate) fn decide_mentions<'t>(
        &self,
        provision: &Provision,
        mentioned: impl IntoIterator<Item = (&'t str, bool, &'t str, &'t [Mention])>,
    ) -> Vec<String> {
        // The model is linear and no feature is both shared and a class's own: the shared
        // ones (a bigram per character of the provision) are summed once.
        let (common, classes) = provision.read::<Vec<u64>>(mentioned);
        let shared = self.0.logits_of(common)[0];
        decide(
            (classes.into_iter()).map(|(class, rule, listed, ids)| {
                let z = shared + self.0.logits_of(ids)[0];
                (rule, listed, crate::model::probability(z), class)
            }),
            KEEP,
            ADD,
        )
    }
}

/// The classes kept of (whether the rules give it, whether it is only listed, its
/// probability, the class), at thresholds `keep` and `add` (a class mentioned only as a
/// place is never added).
pub fn decide<'c>(
    scored: impl IntoIterator<Item = (bool, bool, f32, &'c str)>,
    keep: f32,
    add: f32,
) -> Vec<String> {
    scored
        .into_iter()
        .filter(|&(rule, listed, p, _)| if rule { p > keep } else { !listed && p > add })
        .map(|(.., class)| class.to_string())
        .collect()
}

const SHIPPED_WEIGHTS: &str = include_str!("../data/party_model.tsv");

static SHIPPED: LazyLock<PartyModel> = LazyLock::new(|| {
    PartyModel::parse(SHIPPED_WEIGHTS)
        .unwrap_or_else(|e| panic!("the shipped data/party_model.tsv: {e}"))
});

/// The party model [`crate::classify`] reads, parsed on first use.
pub fn shipped() -> &'static PartyModel {
    &SHIPPED
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mention_is_read_in_its_context() {
        let text = "鼓励乡村医生参加医师资格考试";
        let at = text.find("乡村医生").unwrap();
        let mut f: Vec<String> = Vec::new();
        context(text, at..at + "乡村医生".len(), &mut f);
        for want in [
            "M:乡村医生",
            "L1:励",
            "L2:鼓励",
            "R1:参",
            "R2:参加",
            "R:医师",
            "Lu:鼓",
        ] {
            assert!(f.iter().any(|x| x == want), "{want} not in {f:?}");
        }
        assert!(!f.iter().any(|x| x == "R:生参"), "{f:?}");
    }

    #[test]
    fn ids_are_the_hashes_of_the_names() {
        let p = Provision {
            text: "第五条 鼓励乡村医生、医院等参加培训，给予补助。𠀀",
            offers: true,
        };
        let find = |w: &str| {
            let at = p.text.find(w).unwrap();
            at..at + w.len()
        };
        let m = |w, only_model, listed| Mention {
            at: find(w),
            only_model,
            listed,
        };
        let (doctor, hospital) = ([m("乡村医生", true, false)], [m("医院", false, true)]);
        let mentioned = || {
            [
                ("人才专家", false, p.text, &doctor[..]),
                ("医疗卫生机构", true, p.text, &hospital[..]),
            ]
        };
        let (names_shared, names) = p.read::<Vec<String>>(mentioned());
        let (ids_shared, ids) = p.read::<Vec<u64>>(mentioned());
        assert_eq!(names.len(), 2);
        let hashed = |names: &[String]| {
            let mut want: Vec<u64> = names.iter().map(|f| feature_id(f)).collect();
            want.sort_unstable();
            want.dedup();
            want
        };
        assert_eq!(ids_shared, hashed(&names_shared));
        assert!(names_shared.iter().any(|f| f == "t:给予") && names_shared.contains(&"o".into()));
        for (n, i) in names.iter().zip(&ids) {
            assert_eq!(i.3, hashed(&n.3));
            assert!(!n.3.iter().any(|f| names_shared.contains(f)), "{:?}", n.3);
        }
        assert!(names[1].2 && !names[0].2, "listed");
        let instances = p.instances(mentioned());
        assert!(instances[0].features.iter().any(|f| f == "t:给予"));
        assert!(instances[0].features.iter().any(|f| f == "M:乡村医生"));
    }

    /// `classify` decides from feature ids, `learn` trains on names: the same decisions.
    #[test]
    fn classify_decides_as_the_instances_say() {
        let rows = include_str!("../tests/fixtures/train_7.uncertain.jsonl");
        let mut mentioned = 0;
        for line in rows.lines().take(600) {
            let row: serde_json::Value = serde_json::from_str(line).expect("a labelled row");
            let text = row["text"].as_str().expect("a text");
            let instances = crate::party_instances(text);
            mentioned += instances.len();
            assert_eq!(
                shipped().decide(&instances),
                crate::classify(text).beneficiaries,
                "{text}"
            );
        }
        assert!(mentioned > 50, "{mentioned}");
    }

    #[test]
    fn classes_not_mentioned_make_no_instance() {
        let p = Provision {
            text: "第五条 鼓励医师参加培训。",
            offers: false,
        };
        let at = p.text.find("医师").unwrap();
        let m = Mention {
            at: at..at + "医师".len(),
            only_model: true,
            listed: false,
        };
        let got = p.instances([
            ("人才专家", false, p.text, &[m][..]),
            ("高校院所", false, p.text, &[][..]),
        ]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].class, "人才专家");
        assert!(got[0].features.contains(&"x".to_string()));
        assert!(got[0].features.contains(&"k:true".to_string()));
    }

    #[test]
    fn the_rules_classes_stand_unless_the_model_all_but_rules_them_out() {
        let got = decide(
            [
                (true, false, KEEP + 0.05, "a"),
                (false, false, ADD + 0.05, "b"),
                (false, false, ADD - 0.05, "c"),
            ],
            KEEP,
            ADD,
        );
        assert_eq!(got, ["a", "b"]);
        assert!(decide([(true, false, KEEP - 0.05, "a")], KEEP, ADD).is_empty());
        assert!(decide([(false, true, 0.9, "d")], KEEP, ADD).is_empty());
    }

    #[test]
    fn the_shipped_model_reads_words_the_rules_do_not() {
        for (text, class) in [
            (
                "第四十七条 国家鼓励乡村医生参加医师资格考试，依法取得医师资格。",
                "人才专家",
            ),
            (
                "第二十八条 国家鼓励建设小型微型企业创业基地，为小型微型企业提供生产经营场地和服务。",
                "中小微企业",
            ),
        ] {
            assert!(
                crate::classify_by_rules(text).beneficiaries.is_empty(),
                "{text}"
            );
            let read = crate::party_instances(text);
            let i = read.iter().find(|i| i.class == class).expect("mentioned");
            assert!(shipped().p(i) > ADD, "{text}: {}", shipped().p(i));
            assert!(
                crate::classify(text)
                    .beneficiaries
                    .contains(&class.to_string())
            );
        }
        // Named only as where something happens, or as reviewers: no beneficiary.
        for text in [
            "第九条 禁止在医院、学校等人员密集场所吸烟。",
            "第十条 项目由主管部门组织专家评审后立项。",
        ] {
            assert!(crate::classify(text).beneficiaries.is_empty(), "{text}");
        }
    }

    #[test]
    fn bad_weights_are_refused() {
        assert!(PartyModel::parse("# outputs: offers a\nbias\t1.0\t1.0\n").is_err());
        assert!(PartyModel::parse("# outputs: party x\nbias\t1.0\t1.0\n").is_err());
        let m = PartyModel::parse("# outputs: party\nbias\t-2.0\nr\t4.0\n").unwrap();
        let i = |rule: bool| Instance {
            class: "a".into(),
            rule,
            listed: false,
            features: if rule {
                vec!["bias".into(), "r".into()]
            } else {
                vec!["bias".into()]
            },
        };
        assert!(m.p(&i(true)) > 0.8 && m.p(&i(false)) < 0.2);
    }
}
