//! What orders the hits of a search beyond BM25: a document's names (a law's 简称), the
//! current version of a work first with its versions and parts as one entry, and the
//! authority of the issuing body. Each signal can be switched off ([`Ranking`]) so that
//! the ranking bench can measure what it brings.
//!
//! The signals are computed when a document is written (index fields `title_key`,
//! `work`, `authority`, `body_chars`) and read from fast fields while collecting, so
//! ranking adds no stored-document reads.

use zhengce_analysis::normalize;
use zhengce_model::PolicyDoc;

/// The ranking signals a search uses; [`Ranking::default`] is the engine's ranker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ranking {
    /// A query that is a document's name (its title, or the title without the
    /// `中华人民共和国` prefix, a trailing bracketed part or version, with the usual
    /// abbreviations) finds that document, first.
    pub title_names: bool,
    /// An older version of a work (status 已修订) ranks below the current one.
    pub current_first: bool,
    /// The versions and the parts of one work are one hit; the others are listed in it.
    /// For documents on free text, sorted by relevance or by date (the total counts
    /// the hits, not the documents in them): an exact query (quoted strings, a 文号)
    /// lists every record that matches.
    pub collapse: bool,
    /// National law and State Council documents before departmental and local ones,
    /// when the text scores are close.
    pub authority: bool,
    /// An abbreviation (`高企`) matches only where it stands as a word (not `提高企业`).
    pub word_bound_abbreviations: bool,
    /// A document before the explainers about it (解读, 图解, 一图读懂 …), when the text
    /// scores are close.
    pub originals_first: bool,
    /// Chinese typed without spaces that holds several words (`小微企业贷款贴息`) also
    /// finds the documents holding all of its content words, below those holding it
    /// verbatim — when the query as typed finds less than a page
    /// ([`crate::search::WORDS_BELOW`]).
    pub run_words: bool,
    /// A run's words need not all be held: the documents holding most of them
    /// ([`MOST_WORDS`]) match, those holding more ranking higher. The last stage of
    /// [`crate::PolicyIndex::search_ranked`] with `run_words`, when no document holds all
    /// the words (a question names more than any one document holds:
    /// `…辽宁沈阳的科技型中小企业…研发费用补助…`); off in a single search.
    pub most_words: bool,
}

/// The share of a run's words a document must hold under [`Ranking::most_words`] (only
/// for runs of four words or more).
pub const MOST_WORDS: f64 = 0.6;

impl Default for Ranking {
    fn default() -> Self {
        Ranking {
            title_names: true,
            current_first: true,
            collapse: true,
            authority: true,
            word_bound_abbreviations: true,
            originals_first: true,
            run_words: true,
            most_words: false,
        }
    }
}

impl Ranking {
    /// BM25 with the title and phrase boosts only: the ranker before these signals.
    pub const NONE: Ranking = Ranking {
        title_names: false,
        current_first: false,
        collapse: false,
        authority: false,
        word_bound_abbreviations: false,
        originals_first: false,
        run_words: false,
        most_words: false,
    };
}

/// Score added to a document whose name is the query: more than any text match scores,
/// so that the document named comes first.
pub(crate) const TITLE_NAME_SCORE: f32 = 1000.0;
/// Score factor of a superseded version.
pub(crate) const SUPERSEDED_FACTOR: f64 = 0.5;
/// Score factor per authority level (see [`authority`]).
pub(crate) const AUTHORITY_STEP: f64 = 0.06;
/// Score factor of an explainer (see [`is_explainer`]).
pub(crate) const EXPLAINER_FACTOR: f64 = 0.7;

/// What a title calls an explanation of another document.
const EXPLAINER_MARKERS: &[&str] = &["解读", "图解", "一图读懂", "一图看懂", "读图", "答记者问"];

/// Whether a title is that of an explainer of another document: it names an explainer
/// and either quotes the document it explains (`《…》`) or starts or ends with the name
/// (`图解：…`, `…政策解读`). `关于做好政策解读工作的通知` is a notice, not an explainer.
pub(crate) fn is_explainer(title: &str) -> bool {
    let title = title.trim();
    EXPLAINER_MARKERS.iter().any(|m| {
        title.contains(m) && (title.contains('《') || title.starts_with(m) || title.ends_with(m))
    })
}

const COUNTRY: &str = "中华人民共和国";

/// Abbreviations that laws' short names use (科学技术进步法 → 科技进步法).
const ABBREVIATIONS: &[(&str, &str)] = &[("科学技术", "科技")];

/// Whether a query asks for exact matches: all its terms quoted, or a 文号 alone.
pub(crate) fn is_exact(parsed: &crate::query::ParsedQuery) -> bool {
    let terms: Vec<&crate::query::Clause> = parsed.all.iter().flatten().collect();
    terms.iter().all(|c| c.phrase)
        || (terms.len() == 1 && zhengce_model::normalize_doc_number(&terms[0].text).is_some())
}

/// A title or query squashed for name matching: normalised, without white space and
/// the book-title marks `《》`.
pub(crate) fn squash(text: &str) -> String {
    // Before normalising, which makes brackets of the book-title marks.
    let unmarked: String = text
        .chars()
        .filter(|c| !matches!(c, '《' | '》' | '〈' | '〉'))
        .collect();
    normalize(&unmarked)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The title without a trailing bracketed group (`（附则）`, `(2018年修正)`).
fn without_trailing_bracket(title: &str) -> Option<&str> {
    let stripped = title.strip_suffix(')')?;
    let open = stripped.rfind('(')?;
    let base = &title[..open];
    (!base.is_empty()).then_some(base)
}

/// The names a document is known by: its squashed title, that title without a
/// trailing bracketed group, each without the `中华人民共和国` prefix, and each with the
/// usual abbreviations. `中华人民共和国科学技术进步法` is also `科学技术进步法` and
/// `科技进步法`.
pub(crate) fn title_names(title: &str) -> Vec<String> {
    let full = squash(title);
    if full.is_empty() {
        return Vec::new();
    }
    let mut names = vec![full.clone()];
    if let Some(base) = without_trailing_bracket(&full) {
        // `民法典（合同编）` is also typed `民法典合同编`, or `民法典`.
        let inner = &full[base.len() + 1..full.len() - 1];
        names.push(format!("{base}{inner}"));
        names.push(base.to_string());
    }
    for i in 0..names.len() {
        if let Some(short) = names[i].strip_prefix(COUNTRY)
            && short.chars().count() >= 2
        {
            names.push(short.to_string());
        }
    }
    for i in 0..names.len() {
        for (long, short) in ABBREVIATIONS {
            if names[i].contains(long) {
                names.push(names[i].replace(long, short));
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// A code published in parts names the part in brackets at the end of its title
/// (`中华人民共和国民法典（合同编）`).
fn is_part_title(title: &str) -> bool {
    let squashed = squash(title);
    let Some(base) = without_trailing_bracket(&squashed) else {
        return false;
    };
    let part = &squashed[base.len() + 1..squashed.len() - 1];
    part.chars().count() <= 8 && (part.ends_with('编') || part.ends_with('则'))
}

/// The work a document belongs to, for collapsing: its versions share one key (the
/// smallest id of the group); otherwise the title (without a code's part), the date and
/// the owner (region, else issuer) make the key, so the parts of a code and a document
/// listed twice are one work. 0 (a work of its own) without a title, a date or an owner:
/// two undated notices that share a title are not one document.
pub(crate) fn work_key(doc: &PolicyDoc) -> u64 {
    let key = if !doc.versions.is_empty() {
        let first = doc
            .versions
            .iter()
            .map(|v| v.id.as_str())
            .chain(std::iter::once(doc.id.as_str()))
            .min()
            .unwrap_or_default();
        format!("versions\u{0}{first}")
    } else if let (Some(title), Some(date), Some(owner)) = (
        doc.title.as_deref().filter(|t| !squash(t).is_empty()),
        doc.date(),
        doc.region.as_deref().or(doc.issuer.as_deref()),
    ) {
        let squashed = squash(title);
        let base = if is_part_title(title) {
            without_trailing_bracket(&squashed).unwrap_or(&squashed)
        } else {
            &squashed
        };
        format!("work\u{0}{base}\u{0}{date}\u{0}{owner}")
    } else {
        return 0;
    };
    // FNV-1a: stable across runs and platforms (std's hasher is not).
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash.max(1)
}

/// How authoritative the issuing body is: 3 for a national law (the NPC and its
/// standing committee, or a national 文种 法), 2 for the State Council and its general
/// office or a national 条例 (an administrative regulation), 1 for other national
/// bodies, 0 for local ones and the unknown.
pub(crate) fn authority(doc: &PolicyDoc) -> u64 {
    let national = doc.region.as_deref() == Some("全国");
    if !national {
        return 0;
    }
    let issuer = doc.issuer.as_deref().unwrap_or_default();
    let doc_type = doc.doc_type.as_deref().unwrap_or_default();
    if issuer.starts_with("全国人民代表大会") || doc_type == "法" {
        3
    } else if (issuer.starts_with("国务院") && !issuer.contains("部门")) || doc_type == "条例"
    {
        2
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_law_is_known_by_its_short_name() {
        let names = title_names("中华人民共和国科学技术进步法");
        for name in [
            "中华人民共和国科学技术进步法",
            "科学技术进步法",
            "科技进步法",
        ] {
            assert!(names.contains(&name.to_string()), "{name}: {names:?}");
        }
        assert!(title_names("中华人民共和国刑法").contains(&"刑法".to_string()));
        let code = title_names("中华人民共和国民法典（合同编）");
        assert!(code.contains(&"民法典".to_string()));
        assert!(code.contains(&"民法典合同编".to_string()));
        // An amendment is not the law it amends.
        assert!(!title_names("中华人民共和国刑法修正案（十一）").contains(&"刑法".to_string()));
        assert!(title_names("  ").is_empty());
        assert!(title_names("《中华人民共和国中医药法》").contains(&"中医药法".to_string()));
        assert_eq!(squash("《中华人民共和国公司法》"), "中华人民共和国公司法");
    }

    #[test]
    fn explainers_are_told_from_documents() {
        assert!(is_explainer("一图读懂《上海市碳达峰实施方案》"));
        assert!(is_explainer(
            "关于《上海市科技成果转化创新改革试点实施方案》的政策解读"
        ));
        assert!(is_explainer("图解：促进民营经济发展若干措施"));
        assert!(!is_explainer("关于做好政策解读工作的通知"));
        assert!(!is_explainer("上海市碳达峰实施方案"));
    }

    #[test]
    fn parts_of_a_code_are_one_work() {
        let part = |id: &str, title: &str| PolicyDoc {
            id: id.into(),
            title: Some(title.into()),
            publish_date: Some("2020-05-28".into()),
            region: Some("全国".into()),
            ..Default::default()
        };
        let a = work_key(&part("a", "中华人民共和国民法典（合同编）"));
        let b = work_key(&part("b", "中华人民共和国民法典（附则）"));
        assert_ne!(a, 0);
        assert_eq!(a, b);
        let amendment = work_key(&part("c", "中华人民共和国刑法修正案（十一）"));
        assert_ne!(
            amendment,
            work_key(&part("d", "中华人民共和国刑法修正案（十）"))
        );
        // The same document listed twice is one work.
        assert_eq!(
            work_key(&part("e", "关于开展工作的通知")),
            work_key(&part("f", "关于开展工作的通知"))
        );
        assert_eq!(work_key(&part("g", " ")), 0);
        let undated = PolicyDoc {
            publish_date: None,
            ..part("h", "工作通知")
        };
        assert_eq!(work_key(&undated), 0);
    }
}
