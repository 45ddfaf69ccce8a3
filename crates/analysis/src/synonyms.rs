//! Query-time synonyms and abbreviations (`高企` → `高新技术企业`).

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::normalize;

/// The synonym table shipped with the crate: one group a line, comma-separated.
pub const SYNONYMS: &str = include_str!("../data/synonyms.txt");

static TABLE: LazyLock<HashMap<String, Vec<String>>> = LazyLock::new(|| parse_table(SYNONYMS));

fn parse_table(source: &str) -> HashMap<String, Vec<String>> {
    let mut table: HashMap<String, Vec<String>> = HashMap::new();
    for line in source.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let group: Vec<String> = line
            .split([',', '，'])
            .map(|w| normalize(w.trim()))
            .filter(|w| !w.is_empty())
            .collect();
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
}
