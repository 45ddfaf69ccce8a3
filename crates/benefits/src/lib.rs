//! 惠企政策: what support a provision offers (benefit), to whom (beneficiary), how much
//! (amounts and targets), and whether its document still applies (validity).
//!
//! Classes and their rules live in `data/taxonomy.toml`, each with its reason; they are
//! text rules measured against hand-labelled development and test sets (BENCHMARKS.md).
//! Department notes (`（牵头处室：人才处）`) are removed before classifying, so an office's
//! name never makes a beneficiary. A benefit is read from what a sentence does: sentences
//! and clauses that define, state a purpose, punish, forbid, lay a duty or name a
//! condition are taken out first ([`support_sentences`]), so `不得…给予奖励` or
//! `本条例所称的高新技术，是指…` offer nothing. A logistic model ([`model`]), trained on
//! 18,245 labelled provisions, reads beside the rules: it vetoes the rules' support only
//! when all but certain there is none, and adds support the rules missed where it is
//! confident (three test sets: "offers support" F1 0.833 with the rules alone, 0.859 with
//! the model, BENCHMARKS.md). A second model ([`parties`]) reads each beneficiary class a
//! provision mentions in context, words the rules do not read included (`医师`, `小作坊`):
//! beneficiary F1 on the three test sets 0.732 with the rules, 0.795 with it.
//!
//! ```
//! use zhengce_benefits::{amounts, classify};
//!
//! let c = classify("加快培育瞪羚独角兽企业,对新培育的瞪羚独角兽企业给予奖励性后补助。(牵头处室:高新区处)");
//! assert_eq!(c.benefits, ["资金奖励"]);
//! assert_eq!(c.beneficiaries, ["瞪羚独角兽企业"]);
//! assert!(c.offers_money());
//!
//! assert!(classify("任何单位不得违规给予企业奖励或者补贴。").benefits.is_empty());
//! assert_eq!(
//!     classify("国家需要重点扶持的高新技术企业，减按15％的税率征收企业所得税。").benefits,
//!     ["税收优惠"]
//! );
//!
//! let a = amounts("给予不超过100万元的奖励，全省培育瞪羚独角兽企业达200家。");
//! assert_eq!((a[0].value, a[0].unit.as_str(), a[0].qualifier.as_deref()), (100.0, "万元", Some("最高")));
//! assert_eq!((a[1].value, a[1].unit.as_str(), a[1].qualifier.as_deref()), (200.0, "家", Some("达到")));
//! ```

mod prefilter;
mod validity;

/// The learned model [`classify`] reads beside the rules.
pub mod model;

/// The learned model that reads beneficiaries beside the rules.
pub mod parties;

/// A whole document's facts, before indexing.
mod derive;

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use parties::Mention;
use prefilter::{Candidates, Prefilter, Rule};

pub use derive::derive;
pub use validity::{status, validity, validity_of};
pub use zhengce_model::{Amount, Classification, MONEY, Status, Validity, Window};

/// The taxonomy shipped with the crate.
pub const TAXONOMY: &str = include_str!("../data/taxonomy.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassSpec {
    name: String,
    #[allow(dead_code)]
    reason: String,
    #[serde(default)]
    remove: Vec<String>,
    /// Beneficiary classes: words (regexes) that name the class but no party the
    /// provision aims at (`组织…专家评审`, `送医院救治`): cut out like `remove`.
    #[serde(default)]
    not_party: Vec<String>,
    patterns: Vec<String>,
    /// Beneficiary classes: words that may name a party of the class but that the rules
    /// do not read (`医师`, `小作坊`): the party model ([`parties`]) weighs them in context.
    #[serde(default)]
    mentions: Vec<String>,
    /// A match does not count in a sentence that matches one of these.
    #[serde(default)]
    unless: Vec<String>,
}

/// Where a [`NotSupportSpec`] pattern looks and what it takes out.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Scope {
    /// The whole sentence (up to 。；！？ or a line break) offers nothing.
    Sentence,
    /// The clause (up to ，：) offers nothing.
    Clause,
    /// The words matched describe a party (`接受政府补助的学校`): they are cut out of the
    /// clause, which may still offer something.
    Span,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NotSupportSpec {
    scope: Scope,
    #[allow(dead_code)]
    reason: String,
    pattern: String,
    /// A sentence or clause that matches this is read as usual (`举报违法行为` reports a
    /// violation; it commits none). Not for spans.
    #[serde(default)]
    unless: Option<String>,
}

/// A compiled [`NotSupportSpec`] of sentence or clause scope.
struct NotSupport {
    rule: Rule,
    unless: Option<Rule>,
}

impl NotSupport {
    /// Whether `s` offers nothing by this rule.
    fn is_match(&self, s: &str, c: &Candidates) -> bool {
        self.rule.is_match(s, c) && !self.unless.as_ref().is_some_and(|u| u.is_match(s, c))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomySpec {
    aimed_before: String,
    aimed_after: String,
    subject_after: String,
    not_party_after: String,
    beneficiary_not_in: String,
    not_support: Vec<NotSupportSpec>,
    benefit: Vec<ClassSpec>,
    beneficiary: Vec<ClassSpec>,
}

/// One class with its compiled rules.
pub struct Class {
    pub name: String,
    remove: Vec<String>,
    not_party: Vec<Rule>,
    patterns: Vec<Rule>,
    unless: Vec<Rule>,
    mentions: Vec<Rule>,
}

impl Class {
    fn from_spec(spec: ClassSpec, rules: &mut prefilter::Builder) -> Class {
        let what = format!("taxonomy class {}", spec.name);
        let mut compile =
            |ps: &[String]| -> Vec<Rule> { ps.iter().map(|p| rules.rule(p, &what)).collect() };
        Class {
            patterns: compile(&spec.patterns),
            unless: compile(&spec.unless),
            not_party: compile(&spec.not_party),
            mentions: compile(&spec.mentions),
            name: spec.name,
            remove: spec.remove,
        }
    }

    /// Whether one sentence of support (clauses that offer nothing already taken out)
    /// is in this class.
    fn offered_in(&self, sentence: &str, c: &Candidates) -> bool {
        self.matches_in(sentence, c) && !self.unless.iter().any(|u| u.is_match(sentence, c))
    }

    /// `text` without the words that name no party of this class (`not_party`, then
    /// `remove`), each replaced by an ideographic space.
    fn cleaned<'t>(&self, text: &'t str, c: &Candidates) -> Cow<'t, str> {
        let mut out = Cow::Borrowed(text);
        for r in self.not_party.iter().filter(|r| r.may_match(c)) {
            if let Cow::Owned(cut) = r.regex().replace_all(&out, "\u{3000}") {
                out = Cow::Owned(cut);
            }
        }
        for r in &self.remove {
            if out.contains(r.as_str()) {
                out = Cow::Owned(out.replace(r.as_str(), "\u{3000}"));
            }
        }
        out
    }

    /// Whether `text` (department notes already removed) is in this class.
    pub fn matches(&self, text: &str) -> bool {
        self.matches_in(text, &taxonomy().prefilter.all())
    }

    /// Where this class is mentioned in `text`, a provision `c` was found for: the text
    /// its patterns read (words of no party blanked, as the rules read it) and the
    /// mentions there, in order; with the words only the party model reads when
    /// `model_words`.
    fn mentions<'t>(
        &self,
        text: &'t str,
        t: &Taxonomy,
        c: &Candidates,
        model_words: bool,
    ) -> (Cow<'t, str>, Vec<Mention>) {
        let may = |r: &&Rule| r.may_match(c);
        let extra: &[Rule] = if model_words { &self.mentions } else { &[] };
        if !self.patterns.iter().chain(extra).any(|r| may(&r)) {
            return (Cow::Borrowed(text), Vec::new());
        }
        let text = self.cleaned(text, c);
        let mut at: Vec<Mention> = Vec::new();
        for (rules, only_model) in [(&self.patterns[..], false), (extra, true)] {
            let found: Vec<std::ops::Range<usize>> = (rules.iter().filter(may))
                .flat_map(|r| r.regex().find_iter(&text).map(|m| m.range()))
                .collect();
            for m in found {
                // A word of `mentions` inside one the patterns read (小企业 in 中小企业) is
                // that mention, not another.
                if only_model && at.iter().any(|p| p.at.start < m.end && m.start < p.at.end) {
                    continue;
                }
                at.push(Mention {
                    listed: t.not_party_after.is_match(&text[m.end..], c),
                    at: m,
                    only_model,
                });
            }
        }
        at.sort_by_key(|m| (m.at.start, m.at.end));
        (text, at)
    }

    /// Whether a pattern of this class could match a provision `c` was found for.
    fn may_match(&self, c: &Candidates) -> bool {
        self.patterns.iter().any(|p| p.may_match(c))
    }

    /// [`Class::matches`] for a piece of a provision `c` was found for.
    fn matches_in(&self, text: &str, c: &Candidates) -> bool {
        if !self.may_match(c) {
            return false;
        }
        let text = self.cleaned(text, c);
        self.patterns.iter().any(|p| p.is_match(&text, c))
    }

    /// Whether the rules read a party of this class in `text`, given its mentions there
    /// ([`Class::mentions`]): a mention by its patterns that is no item of a list of places
    /// or fields (`在医院、学校等人员密集场所`, `人才引进、资金结算等方面`) and, unless the
    /// provision offers support, stands where support is aimed ([`aimed_at`]).
    fn is_party(text: &str, at: &[Mention], offers: bool, t: &Taxonomy, c: &Candidates) -> bool {
        (at.iter())
            .filter(|m| !m.only_model && !m.listed)
            .any(|m| offers || aimed_at(&text[..m.at.start], &text[m.at.end..], t, c))
    }
}

/// Whether a mention between `head` and `tail` stands where support is aimed (see the
/// taxonomy's header).
fn aimed_at(head: &str, tail: &str, t: &Taxonomy, c: &Candidates) -> bool {
    let before = last_chars(head, AIM_WINDOW)
        .rsplit(['。', '；', ';', '，', ','])
        .next()
        .unwrap_or_default();
    let after = first_chars(tail, AIM_WINDOW / 2)
        .split(['。', '；', ';'])
        .next()
        .unwrap_or_default();
    // The party opens its clause (after the article's number) and that clause, or
    // the clause after a condition it opens (医疗机构从事人体器官移植，应当…;
    // 农民专业合作社的名称…发生变更的，应当…), regulates it: it is the subject of a
    // duty or a permission.
    let regulated = || {
        let opens = before
            .trim_start_matches(|ch: char| ch == '第' || ch.is_whitespace())
            .trim_start_matches(NUMERAL)
            .trim_start_matches('条')
            .trim()
            .is_empty();
        if !opens {
            return false;
        }
        let clause = after.split(['，', ',', '：']).next().unwrap_or_default();
        let next = first_chars(tail, SUBJECT_WINDOW)
            .split(['。', '；', ';'])
            .next()
            .unwrap_or_default()
            .split(['，', ',', '：'])
            .nth(1);
        t.subject_after.is_match(clause, c) || next.is_some_and(|n| t.subject_first.is_match(n, c))
    };
    // An item of a list (支持国家技术创新中心、…、新型研发机构等) is aimed at
    // when the verb before the list's first item is.
    let listed = || {
        let list = last_chars(head, AIM_WINDOW * 3)
            .rsplit(['。', '；', ';', '，', ',', '：'])
            .next()
            .unwrap_or_default();
        t.aimed_before.is_match(list, c)
    };
    t.aimed_before.is_match(before, c)
        || t.aimed_after.is_match(after, c)
        || (before.ends_with('、') && listed())
        || regulated()
}

/// The last `n` characters of `text` (all of it when shorter).
fn last_chars(text: &str, n: usize) -> &str {
    let start = match n.checked_sub(1) {
        Some(back) => text.char_indices().rev().nth(back).map_or(0, |(i, _)| i),
        None => text.len(),
    };
    &text[start..]
}

/// The first `n` characters of `text` (all of it when shorter).
fn first_chars(text: &str, n: usize) -> &str {
    let end = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    &text[..end]
}

/// The numerals of an article's number (第十二条).
const NUMERAL: &[char] = &[
    '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '零', '〇',
];

/// Characters before a mention searched for a verb of support.
const AIM_WINDOW: usize = 16;

/// Characters after a party that opens its clause searched for a duty or a permission.
const SUBJECT_WINDOW: usize = 40;

/// The benefit and beneficiary classes.
pub struct Taxonomy {
    pub benefits: Vec<Class>,
    pub beneficiaries: Vec<Class>,
    aimed_before: Rule,
    aimed_after: Rule,
    subject_after: Rule,
    /// `subject_after` at the start of a clause.
    subject_first: Rule,
    not_party_after: Rule,
    beneficiary_not_in: Rule,
    not_sentence: Vec<NotSupport>,
    not_clause: Vec<NotSupport>,
    not_span: Vec<Rule>,
    /// Which of the rules above could match a provision.
    prefilter: Prefilter,
}

static TAXONOMY_RULES: LazyLock<Taxonomy> = LazyLock::new(|| {
    let spec: TaxonomySpec = toml::from_str(TAXONOMY).expect("the shipped taxonomy parses");
    let mut rules = prefilter::Builder::default();
    let mut not = |scope: Scope| -> Vec<NotSupport> {
        spec.not_support
            .iter()
            .filter(|n| n.scope == scope)
            .map(|n| NotSupport {
                rule: rules.rule(&n.pattern, "not_support"),
                unless: n
                    .unless
                    .as_ref()
                    .map(|u| rules.rule(u, "not_support unless")),
            })
            .collect()
    };
    let (not_sentence, not_clause) = (not(Scope::Sentence), not(Scope::Clause));
    let not_span = not(Scope::Span)
        .into_iter()
        .map(|n| {
            assert!(n.unless.is_none(), "a span rule takes no `unless`");
            n.rule
        })
        .collect();
    Taxonomy {
        not_sentence,
        not_clause,
        not_span,
        benefits: (spec.benefit.into_iter())
            .map(|c| Class::from_spec(c, &mut rules))
            .collect(),
        beneficiaries: (spec.beneficiary.into_iter())
            .map(|c| Class::from_spec(c, &mut rules))
            .collect(),
        aimed_before: rules.rule(&spec.aimed_before, "aimed_before"),
        aimed_after: rules.rule(&format!("^{}", spec.aimed_after), "aimed_after"),
        subject_after: rules.rule(&spec.subject_after, "subject_after"),
        subject_first: rules.rule(&format!("^(?:{})", spec.subject_after), "subject_after"),
        not_party_after: rules.rule(&format!("^(?:{})", spec.not_party_after), "not_party_after"),
        beneficiary_not_in: rules.rule(&spec.beneficiary_not_in, "beneficiary_not_in"),
        prefilter: rules.build(),
    }
});

/// The shipped taxonomy, compiled once.
pub fn taxonomy() -> &'static Taxonomy {
    &TAXONOMY_RULES
}

static DEPT_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[（(][^（()）]*(牵头|责任|配合|负责|协办)[^（()）]*[)）]").expect("valid regex")
});

/// A line that is an item of a list (`（一）`, `(二)`, `三、`, `4.`): it completes the
/// sentence that leads in to the list (the one ending with `：`).
static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([（(][一二三四五六七八九十百]+[)）]|[一二三四五六七八九十]+、|\d+[.．、])")
        .expect("valid regex")
});

/// The sentences of `text` that can offer support, each without the clauses that cannot:
/// definitions, purposes, penalties, violations (whole sentences), prohibitions, duties and
/// conditions (clauses), and words that only describe a party (spans). See `not_support`
/// in the taxonomy. The items of a list complete the sentence that leads in to it, so
/// they offer nothing when its last clause offers nothing
/// (`有下列行为之一的，由…给予处分：` … `（五）截留…补助费的；`).
pub fn support_sentences(text: &str) -> Vec<String> {
    support_sentences_in(text, &taxonomy().prefilter.candidates(text))
}

/// [`support_sentences`] with the rules that could match `text` already found.
fn support_sentences_in(text: &str, c: &Candidates) -> Vec<String> {
    let t = taxonomy();
    let mut out = Vec::new();
    // Whether the list items that follow complete a lead-in that offers nothing.
    let mut items_out = false;
    for line in text.split('\n') {
        let item = LIST_ITEM.is_match(line);
        if item && items_out {
            continue;
        }
        if !item {
            items_out = false;
        }
        for s in line.split(['。', '；', ';', '！', '？', '!', '?']) {
            if s.trim().is_empty() {
                continue;
            }
            let lead_in = s.trim_end().ends_with(['：', ':']);
            if t.not_sentence.iter().any(|r| r.is_match(s, c)) {
                if lead_in {
                    items_out = true;
                }
                continue;
            }
            let clauses: Vec<&str> = s
                .split(['，', ',', '：', ':'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            let kept: Vec<String> = clauses
                .iter()
                .filter(|clause| !t.not_clause.iter().any(|r| r.is_match(clause, c)))
                .map(|clause| {
                    let mut clause = clause.to_string();
                    for r in t.not_span.iter().filter(|r| r.may_match(c)) {
                        if let Cow::Owned(cut) = r.regex().replace_all(&clause, "\u{3000}") {
                            clause = cut;
                        }
                    }
                    clause
                })
                .collect();
            if lead_in {
                let last = clauses.last().copied().unwrap_or_default();
                items_out = t.not_clause.iter().any(|r| r.is_match(last, c));
            }
            let kept = kept.join("，");
            if !kept.trim().is_empty() {
                out.push(kept);
            }
        }
    }
    out
}

/// Classifies a provision's text: a benefit class when a sentence grants, funds, lends,
/// awards or provides that kind of support (not when it defines, forbids, punishes or
/// only states a purpose or a duty); a beneficiary class when that party is who the
/// provision supports, recognises, builds up or regulates.
///
/// Benefits are read by the rules and a linear model together ([`model`]): the rules'
/// classes stand unless the model all but rules support out, and the model marks support
/// the rules missed where it is confident (in articles of laws and regulations above
/// p 0.6, in other provisions above 0.9). Beneficiaries are read by the rules, given those
/// benefits, and by the party model ([`parties`]) beside them. Measured in BENCHMARKS.md
/// against the rules alone.
pub fn classify(text: &str) -> Classification {
    classify_by(text, |t, s, r| model::shipped().revise(t, s, r))
}

/// [`classify`] with the rules alone (no model): for comparison and for training the
/// models (`examples/learn.rs`), whose rule features are the rules' classes.
pub fn classify_by_rules(text: &str) -> Classification {
    classify_with(
        text,
        |text| taxonomy().prefilter.candidates(text),
        Sentences::WhenNeeded,
        |_, _, rules| rules,
        Parties::Rules,
    )
}

/// Whether [`classify_with`] reads a provision's support sentences when no benefit class
/// could match it (the rules find none then, but a `decide` may read them).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sentences {
    Always,
    WhenNeeded,
}

/// How [`classify_with`] reads beneficiaries.
enum Parties<'a> {
    /// The rules alone.
    Rules,
    /// The rules and the party model.
    Model(&'a parties::PartyModel),
    /// The rules alone, keeping what the party model would read.
    Read(&'a mut Vec<parties::Instance>),
}

/// [`classify`] with the benefit classes chosen by `decide` from the provision's text
/// (department notes removed), its support sentences and the classes the rules find in
/// them; beneficiaries are read given those classes, by the rules and the party model.
pub fn classify_by(
    text: &str,
    decide: impl FnOnce(&str, &[String], Vec<String>) -> Vec<String>,
) -> Classification {
    classify_with(
        text,
        |text| taxonomy().prefilter.candidates(text),
        Sentences::Always,
        decide,
        Parties::Model(parties::shipped()),
    )
}

/// What the party model reads of a provision as [`classify`] reads it: one
/// [`parties::Instance`] per beneficiary class it mentions (for `examples/learn.rs`).
pub fn party_instances(text: &str) -> Vec<parties::Instance> {
    let mut out = Vec::new();
    classify_with(
        text,
        |text| taxonomy().prefilter.candidates(text),
        Sentences::Always,
        |t, s, r| model::shipped().revise(t, s, r),
        Parties::Read(&mut out),
    );
    out
}

/// [`classify_by`], with beneficiaries read as `parties` says.
fn classify_with(
    text: &str,
    candidates: impl Fn(&str) -> Candidates,
    read: Sentences,
    decide: impl FnOnce(&str, &[String], Vec<String>) -> Vec<String>,
    parties: Parties,
) -> Classification {
    let text = DEPT_NOTE.replace_all(text, "");
    let t = taxonomy();
    let candidates = candidates(&text);
    // A provision no benefit class could match offers nothing by the rules: it is not
    // cut into sentences unless `decide` reads them.
    let sentences =
        if read == Sentences::Always || t.benefits.iter().any(|c| c.may_match(&candidates)) {
            support_sentences_in(&text, &candidates)
        } else {
            Vec::new()
        };
    let rules: Vec<String> = t
        .benefits
        .iter()
        .filter(|c| sentences.iter().any(|s| c.offered_in(s, &candidates)))
        .map(|c| c.name.clone())
        .collect();
    let benefits = decide(&text, &sentences, rules);
    let offers = !benefits.is_empty();
    // Parties are read from every paragraph but those that define a term, with the items
    // of their lists.
    let mut named = String::new();
    let mut items_out = false;
    for line in text.split_inclusive('\n') {
        let item = LIST_ITEM.is_match(line);
        if item && items_out {
            continue;
        }
        if t.beneficiary_not_in.is_match(line, &candidates) {
            items_out = !item;
            continue;
        }
        if !item {
            items_out = false;
        }
        named.push_str(line);
    }
    // Each class's mentions, read once for the rules and the party model (the words only
    // the model reads, only when it reads them).
    let model_words = !matches!(parties, Parties::Rules);
    let mentioned: Vec<(Cow<str>, Vec<Mention>)> = (t.beneficiaries.iter())
        .map(|c| c.mentions(&named, t, &candidates, model_words))
        .collect();
    let by_rules: Vec<String> = (t.beneficiaries.iter().zip(&mentioned))
        .filter(|(_, (text, at))| Class::is_party(text, at, offers, t, &candidates))
        .map(|(c, _)| c.name.clone())
        .collect();
    let provision = parties::Provision {
        text: &text,
        offers,
    };
    let classes = || {
        (t.beneficiaries.iter().zip(&mentioned)).map(|(c, (read, at))| {
            let rule = by_rules.contains(&c.name);
            (c.name.as_str(), rule, read.as_ref(), at.as_slice())
        })
    };
    let beneficiaries = match parties {
        Parties::Rules => None,
        Parties::Model(m) => Some(m.decide_mentions(&provision, classes())),
        Parties::Read(out) => {
            *out = provision.instances(classes());
            None
        }
    }
    .unwrap_or(by_rules);
    Classification {
        benefits,
        beneficiaries,
    }
}

/// The beneficiary class a user means (`高企` → `高新技术企业`), by name or by its rules.
pub fn resolve_beneficiary(input: &str) -> Option<&'static str> {
    let input = input.trim();
    if input.is_empty() {
        return None;
    }
    let t = taxonomy();
    t.beneficiaries
        .iter()
        .find(|c| c.name == input)
        .or_else(|| t.beneficiaries.iter().find(|c| c.matches(input)))
        .map(|c| c.name.as_str())
}

/// The benefit class a user means, by name or by its rules.
pub fn resolve_benefit(input: &str) -> Option<&'static str> {
    let input = input.trim();
    let t = taxonomy();
    t.benefits
        .iter()
        .find(|c| c.name == input)
        .or_else(|| {
            t.benefits
                .iter()
                .find(|c| !input.is_empty() && c.matches(input))
        })
        .map(|c| c.name.as_str())
}

static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<q>不超过|不高于|最高不超过|最高|最多|上限为?|达到|达|超过|突破|不少于|不低于|约)?\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<u>万元|亿元|千元|元|万户|万家|万人|户|家|个|项|名|人次|人|场|所|座|%|％)(?P<q2>以上|以下|以内|左右)?",
    )
    .expect("valid regex")
});

fn qualifier(word: &str) -> &'static str {
    match word {
        "不超过" | "不高于" | "最高不超过" | "最高" | "最多" | "上限" | "上限为" | "以下"
        | "以内" => "最高",
        "达到" | "达" => "达到",
        "超过" | "突破" | "不少于" | "不低于" | "以上" => "以上",
        _ => "约",
    }
}

/// Every amount of money and every target the text states, in order.
pub fn amounts(text: &str) -> Vec<Amount> {
    AMOUNT
        .captures_iter(text)
        .filter_map(|c| {
            let value: f64 = c["n"].parse().ok()?;
            let unit = c["u"].replace('％', "%");
            let q = c
                .name("q2")
                .or_else(|| c.name("q"))
                .map(|m| qualifier(m.as_str()).to_string());
            Some(Amount {
                value,
                unit,
                qualifier: q,
                text: c[0].trim().to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_names_do_not_make_beneficiaries() {
        let c = classify("继续组织开展科技政策宣传月等活动。(牵头处室:人才处;责任处室:企业处)");
        assert!(c.beneficiaries.is_empty(), "{c:?}");
    }

    /// The prefilter only skips rules that cannot match: on every development and training
    /// provision (and each paragraph alone) the classes, and what the party model reads,
    /// are those found with every rule run.
    #[test]
    fn the_prefilter_changes_no_class() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
        let mut compared = 0;
        for file in [
            "labelled.jsonl",
            "dev_more.jsonl",
            "dev_fresh.jsonl",
            "train_1.jsonl",
            "train_2.jsonl",
            "train_3.jsonl",
            "train_4.jsonl",
            "train_5.jsonl",
            "train_6.jsonl",
            "train_7.jsonl",
            "train_7.uncertain.jsonl",
        ] {
            let rows = std::fs::read_to_string(format!("{dir}{file}")).expect("a fixture");
            for row in rows.lines() {
                let row: serde_json::Value = serde_json::from_str(row).expect("a labelled row");
                let text = row["text"].as_str().expect("a text");
                for piece in std::iter::once(text).chain(text.split('\n')) {
                    let (mut read, mut read_all) = (Vec::new(), Vec::new());
                    let all = classify_with(
                        piece,
                        |_| taxonomy().prefilter.all(),
                        Sentences::Always,
                        |_, _, rules| rules,
                        Parties::Read(&mut read_all),
                    );
                    let some = classify_with(
                        piece,
                        |text| taxonomy().prefilter.candidates(text),
                        Sentences::Always,
                        |_, _, rules| rules,
                        Parties::Read(&mut read),
                    );
                    assert_eq!(classify_by_rules(piece), all, "{piece}");
                    assert_eq!(some, all, "{piece}");
                    assert_eq!(read, read_all, "{piece}");
                    compared += 1;
                }
            }
        }
        assert!(compared > 2_500, "{compared}");
    }

    #[test]
    fn windows_count_characters() {
        assert_eq!(last_chars("对高新技术企业", 4), "技术企业");
        assert_eq!(last_chars("企业", 4), "企业");
        assert_eq!(last_chars("企业", 0), "");
        assert_eq!(first_chars("给予奖励。其他", 4), "给予奖励");
        assert_eq!(first_chars("奖励", 4), "奖励");
        assert_eq!(first_chars("奖励", 0), "");
    }

    #[test]
    fn synonyms_resolve() {
        assert_eq!(resolve_beneficiary("高企"), Some("高新技术企业"));
        assert_eq!(resolve_beneficiary("科小"), Some("科技型中小企业"));
        assert_eq!(resolve_beneficiary("众创空间"), Some("孵化载体"));
        assert_eq!(
            resolve_beneficiary("科技型中小企业"),
            Some("科技型中小企业")
        );
        assert_eq!(resolve_beneficiary("火星"), None);
        assert_eq!(resolve_benefit("贷款贴息"), Some("金融支持"));
    }
}
