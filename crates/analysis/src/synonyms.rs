//! Query-time synonyms and abbreviations (`高企` → `高新技术企业`).

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::normalize;

/// The synonym table shipped with the crate: one group a line, comma-separated.
pub const SYNONYMS: &str = include_str!("../data/synonyms.txt");

static TABLE: LazyLock<HashMap<String, Vec<String>>> = LazyLock::new(|| parse_table(SYNONYMS));

/// Members of a group that are shorter than its full form (the first member): the
/// abbreviations, which stand for the full form only as words of their own.
static ABBREVIATIONS: LazyLock<std::collections::HashSet<String>> =
    LazyLock::new(|| abbreviations(SYNONYMS));

/// The groups of a synonym table, normalised: one per line that is not blank or a
/// `#` comment, the full form first.
fn groups(source: &str) -> impl Iterator<Item = Vec<String>> + '_ {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            line.split([',', '，'])
                .map(|w| normalize(w.trim()))
                .filter(|w| !w.is_empty())
                .collect::<Vec<String>>()
        })
        .filter(|group| !group.is_empty())
}

fn abbreviations(source: &str) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    for group in groups(source) {
        let full_chars = group[0].chars().count();
        for member in &group[1..] {
            if member.chars().count() < full_chars {
                out.insert(member.clone());
            }
        }
    }
    out
}

fn parse_table(source: &str) -> HashMap<String, Vec<String>> {
    let mut table: HashMap<String, Vec<String>> = HashMap::new();
    for group in groups(source) {
        for member in &group {
            let entry = table.entry(member.clone()).or_default();
            for other in &group {
                if other != member && !entry.contains(other) {
                    entry.push(other.clone());
                }
            }
        }
    }
    table
}

/// The other forms of a query term, normalised; empty when it has none.
pub fn synonyms(term: &str) -> &'static [String] {
    TABLE.get(&normalize(term)).map_or(&[], Vec::as_slice)
}

/// Whether `term` is an abbreviation of the table (`高企` for `高新技术企业`): a string
/// that means the full form only where it stands as a word, not inside other words
/// (`提高企业`).
pub fn is_abbreviation(term: &str) -> bool {
    ABBREVIATIONS.contains(&normalize(term))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_expand_both_ways() {
        assert!(synonyms("高企").contains(&"高新技术企业".to_string()));
        assert!(synonyms("双创").contains(&"创新创业".to_string()));
        assert!(synonyms("创新创业").contains(&"双创".to_string()));
        assert!(synonyms("科小").contains(&"科技型中小企业".to_string()));
        assert!(synonyms("Ai").contains(&"人工智能".to_string()));
        assert!(synonyms("不存在的词").is_empty());
    }

    #[test]
    fn abbreviations_are_the_short_members() {
        assert!(is_abbreviation("高企"));
        assert!(is_abbreviation("AI"));
        assert!(is_abbreviation("加计扣除"));
        assert!(!is_abbreviation("高新技术企业"));
        assert!(!is_abbreviation("国家高新技术企业"));
        assert!(!is_abbreviation("不存在的词"));
    }

    #[test]
    fn jieba_keeps_abbreviations_apart_from_the_words_around_them() {
        let words = |text: &str| -> Vec<String> {
            crate::WordTokenizer::default()
                .tokens(text)
                .into_iter()
                .map(|t| t.text)
                .collect()
        };
        assert!(words("高企认定工作").contains(&"高企".to_string()));
        assert!(words("申报国家高企").contains(&"高企".to_string()));
        assert!(!words("切实提高企业创新能力").contains(&"高企".to_string()));
    }
}
