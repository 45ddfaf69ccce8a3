//! One pass over a provision to know which of the taxonomy's patterns could match it.
//!
//! `classify` runs a few hundred patterns over the sentences and clauses of a provision,
//! and most of them cannot match: their words are not in it. Every pattern whose matches
//! must begin (or end) with one of a finite set of literals — what `regex-syntax`'s
//! extractor finds, as the `regex` crate does for its own prefilters — is registered with
//! those literals; one Aho-Corasick pass over the provision then says which literals occur,
//! and a pattern none of whose literals occurs is never run. A pattern without such
//! literals is always run.
//!
//! The pass reads the provision once, but the patterns then run on pieces of it: its
//! sentences, its clauses joined with `，`, lines put side by side, words replaced with an
//! ideographic space. A piece holds no literal the provision lacks, unless the literal
//! spans a join or a replacement, so a literal holding `，`, a line break or `\u{3000}`
//! leaves its pattern always run.

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// Characters the pieces of a provision gain where they are joined or cut.
const JOINS: [char; 3] = ['，', '\n', '\u{3000}'];

/// A compiled pattern with its place in the [`Prefilter`].
pub(crate) struct Rule {
    regex: Regex,
    id: usize,
}

impl Rule {
    /// Whether the rule matches `text`, a piece of the provision `candidates` were found for.
    pub(crate) fn is_match(&self, text: &str, candidates: &Candidates) -> bool {
        candidates.may_match(self.id) && self.regex.is_match(text)
    }

    /// The compiled pattern, for searches the caller runs after [`Rule::is_match`]-style
    /// checks of its own (`candidates.may_match`).
    pub(crate) fn regex(&self) -> &Regex {
        &self.regex
    }

    pub(crate) fn may_match(&self, candidates: &Candidates) -> bool {
        candidates.may_match(self.id)
    }
}

/// Collects rules and their literals, then builds the [`Prefilter`].
#[derive(Default)]
pub(crate) struct Builder {
    /// Distinct literals, in the order first seen.
    needles: Vec<Vec<u8>>,
    /// For each literal, the rules that need it (or another of their literals).
    rules_of: Vec<Vec<usize>>,
    /// Rules without literals: always run.
    always: Vec<usize>,
    rules: usize,
}

impl Builder {
    /// Compiles `pattern` into a rule; `what` names it in the panic of a broken pattern
    /// (the taxonomy is shipped with the crate, and a test compiles it).
    pub(crate) fn rule(&mut self, pattern: &str, what: &str) -> Rule {
        // The taxonomy's bounded gaps (`[^。；;]{0,20}`) over UTF-8 make many lazy DFA
        // states: with the default 2 MiB the cache is cleared again and again (a quarter
        // of `classify`'s time). The memory is only taken as states are made.
        let regex = regex::RegexBuilder::new(pattern)
            .dfa_size_limit(16 << 20)
            .build()
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let id = self.rules;
        self.rules += 1;
        match necessary_literals(pattern) {
            Some(literals) => {
                for literal in literals {
                    let at = match self.needles.iter().position(|n| *n == literal) {
                        Some(at) => at,
                        None => {
                            self.needles.push(literal);
                            self.rules_of.push(Vec::new());
                            self.needles.len() - 1
                        }
                    };
                    self.rules_of[at].push(id);
                }
            }
            None => self.always.push(id),
        }
        Rule { regex, id }
    }

    pub(crate) fn build(self) -> Prefilter {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            // A DFA: every provision is read once, overlapping (7% of `classify`'s time
            // against the contiguous NFA the builder picks for 900 literals).
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&self.needles)
            .expect("the taxonomy's literals build an automaton");
        let mut base = Candidates::none(self.rules);
        for &id in &self.always {
            base.set(id);
        }
        Prefilter {
            ac,
            rules_of: self.rules_of,
            base,
        }
    }
}

/// Which rules could match a provision (see the module's documentation).
pub(crate) struct Prefilter {
    ac: AhoCorasick,
    rules_of: Vec<Vec<usize>>,
    /// The rules always run.
    base: Candidates,
}

impl Prefilter {
    /// The rules that could match `text` or any piece of it.
    pub(crate) fn candidates(&self, text: &str) -> Candidates {
        let mut candidates = self.base.clone();
        let mut seen = vec![false; self.rules_of.len()];
        for m in self.ac.find_overlapping_iter(text) {
            let needle = m.pattern().as_usize();
            if !std::mem::replace(&mut seen[needle], true) {
                for &id in &self.rules_of[needle] {
                    candidates.set(id);
                }
            }
        }
        candidates
    }

    /// Every rule: for texts the prefilter did not read.
    pub(crate) fn all(&self) -> Candidates {
        Candidates::all(self.base.bits.len() * 64)
    }
}

/// A set of rules that may match.
#[derive(Clone, Debug)]
pub(crate) struct Candidates {
    bits: Vec<u64>,
}

impl Candidates {
    fn none(rules: usize) -> Candidates {
        Candidates {
            bits: vec![0; rules.div_ceil(64)],
        }
    }

    fn all(rules: usize) -> Candidates {
        Candidates {
            bits: vec![u64::MAX; rules.div_ceil(64)],
        }
    }

    fn set(&mut self, id: usize) {
        self.bits[id / 64] |= 1 << (id % 64);
    }

    fn may_match(&self, id: usize) -> bool {
        self.bits[id / 64] & (1 << (id % 64)) != 0
    }
}

/// Literals one of which every match of `pattern` begins or ends with, when there is a
/// finite set of non-empty ones free of [`JOINS`]: the prefixes or the suffixes, whichever
/// has the longer shortest literal.
fn necessary_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    [ExtractKind::Prefix, ExtractKind::Suffix]
        .into_iter()
        .filter_map(|kind| {
            let seq = Extractor::new().kind(kind).extract(&hir);
            let literals = seq.literals()?;
            let usable = !literals.is_empty()
                && literals.iter().all(|l| {
                    !l.as_bytes().is_empty()
                        && !JOINS
                            .iter()
                            .any(|j| contains(l.as_bytes(), j.encode_utf8(&mut [0; 4]).as_bytes()))
                });
            usable.then(|| {
                literals
                    .iter()
                    .map(|l| l.as_bytes().to_vec())
                    .collect::<Vec<_>>()
            })
        })
        .max_by_key(|literals| literals.iter().map(Vec::len).min().unwrap_or(0))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_what_every_match_needs() {
        let lits = |p: &str| {
            necessary_literals(p).map(|ls| {
                let mut ls: Vec<String> = ls
                    .into_iter()
                    .map(|l| String::from_utf8(l).unwrap())
                    .collect();
                ls.sort();
                ls
            })
        };
        assert_eq!(lits("贴息|担保"), Some(vec!["担保".into(), "贴息".into()]));
        // No prefix, a suffix.
        assert_eq!(
            lits("[^，。]{2,30}的(单位|个人)"),
            Some(vec!["的个人".into(), "的单位".into()])
        );
        // A literal that could span a join is no prefilter.
        assert_eq!(lits("补贴，"), None);
        assert_eq!(lits("x*"), None);
    }

    #[test]
    fn a_rule_runs_only_when_its_literals_occur() {
        let mut b = Builder::default();
        let grant = b.rule("(给予|予以)[^。]{0,8}奖励", "grant");
        let loose = b.rule("[a-z]+", "loose");
        let prefilter = b.build();
        let c = prefilter.candidates("对企业给予一次性奖励。");
        assert!(grant.is_match("对企业给予一次性奖励", &c));
        let c = prefilter.candidates("企业应当依法纳税。");
        assert!(!grant.may_match(&c));
        // A rule without literals always runs.
        assert!(loose.is_match("abc", &c));
        assert!(grant.is_match("给予奖励", &prefilter.all()));
    }
}
