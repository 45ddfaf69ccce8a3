//! Snippets as data: an excerpt of the stored text and the byte ranges of the query's
//! strings in it. Rendering (HTML, terminal) is the caller's.
//!
//! tantivy's `SnippetGenerator` works on token offsets and assumes they only move
//! forward; jieba's search mode emits overlapping sub-words. Matching the query's strings
//! on the normalised text instead is exact for Chinese, needs no tokens, and marks the
//! whole string a user typed rather than fragments of it. The scan is bounded: it stops
//! after [`MAX_MATCHES`] matches or [`MAX_SCAN_BYTES`] of text, so a 100,000-character
//! body costs no more than its first pages.

use serde::{Deserialize, Serialize};
use zhengce_analysis::normalize_char;

/// About how many characters a snippet shows.
pub const SNIPPET_CHARS: usize = 120;
/// Characters of context kept before the first match of the window.
const LEAD: usize = 20;
/// Matches collected before the window is chosen.
pub const MAX_MATCHES: usize = 64;
/// Bytes of text scanned for matches at most.
pub const MAX_SCAN_BYTES: usize = 256 * 1024;

/// An excerpt and where the query's strings stand in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// Plain text; `…` marks text cut before or after.
    pub text: String,
    /// Byte ranges `[start, end)` of matches in `text`, in order, not overlapping.
    pub highlights: Vec<(usize, usize)>,
}

impl Snippet {
    /// The text with every highlight wrapped in `open`/`close`, each piece of text passed
    /// through `escape` (HTML escaping, or nothing for a terminal).
    pub fn render(&self, open: &str, close: &str, escape: impl Fn(&str) -> String) -> String {
        let mut out = String::with_capacity(self.text.len() + self.highlights.len() * 16);
        let mut at = 0;
        for &(start, end) in &self.highlights {
            let (Some(before), Some(marked)) =
                (self.text.get(at..start), self.text.get(start..end))
            else {
                continue;
            };
            out.push_str(&escape(before));
            out.push_str(open);
            out.push_str(&escape(marked));
            out.push_str(close);
            at = end;
        }
        out.push_str(&escape(self.text.get(at..).unwrap_or_default()));
        out
    }

    /// HTML: escaped text, matches in `<mark>`.
    pub fn to_html(&self) -> String {
        self.render("<mark>", "</mark>", escape_html)
    }

    /// The highlighted strings, in order.
    pub fn marked(&self) -> impl Iterator<Item = &str> {
        self.highlights
            .iter()
            .filter_map(|&(s, e)| self.text.get(s..e))
    }
}

/// A match: char index in the scanned text, its length in chars, and which term.
#[derive(Debug, Clone, Copy)]
struct Match {
    at: usize,
    len: usize,
    term: usize,
}

/// An excerpt of `text` of about `max_chars` characters around the best cluster of
/// matches of `terms` (most distinct terms, then most matches), with their ranges.
pub fn snippet(text: &str, terms: &[String], max_chars: usize) -> Snippet {
    let needles: Vec<Vec<char>> = terms
        .iter()
        .map(|t| {
            t.chars()
                .map(normalize_char)
                .filter(|c| !c.is_whitespace())
                .collect::<Vec<char>>()
        })
        .filter(|n| !n.is_empty())
        .collect();
    // The scanned prefix, as chars with their byte offsets.
    let scan_end = floor_char_boundary(text, MAX_SCAN_BYTES);
    let chars: Vec<(usize, char)> = text[..scan_end].char_indices().collect();
    let norm: Vec<char> = chars.iter().map(|&(_, c)| normalize_char(c)).collect();

    let mut matches: Vec<Match> = Vec::new();
    'scan: for i in 0..norm.len() {
        for (term, needle) in needles.iter().enumerate() {
            if norm[i] == needle[0] && norm[i..].starts_with(needle) {
                matches.push(Match {
                    at: i,
                    len: needle.len(),
                    term,
                });
                if matches.len() >= MAX_MATCHES {
                    break 'scan;
                }
            }
        }
    }

    // Sliding window over the matches (sorted by position).
    let mut best = (0usize, 0usize, 0usize); // (distinct terms, matches, window start)
    let mut per_term = vec![0usize; needles.len()];
    let (mut distinct, mut lo) = (0usize, 0usize);
    for hi in 0..matches.len() {
        if per_term[matches[hi].term] == 0 {
            distinct += 1;
        }
        per_term[matches[hi].term] += 1;
        let window_end = |lo: usize| matches[lo].at.saturating_sub(LEAD) + max_chars;
        while lo < hi && matches[hi].at + matches[hi].len > window_end(lo) {
            per_term[matches[lo].term] -= 1;
            if per_term[matches[lo].term] == 0 {
                distinct -= 1;
            }
            lo += 1;
        }
        let count = hi - lo + 1;
        if (distinct, count) > (best.0, best.1) {
            best = (distinct, count, matches[lo].at.saturating_sub(LEAD));
        }
    }

    let total_chars = if scan_end < text.len() {
        usize::MAX
    } else {
        chars.len()
    };
    let from = if matches.is_empty() {
        0
    } else {
        best.2.min(chars.len().saturating_sub(max_chars))
    };
    let to = (from + max_chars).min(chars.len());
    let byte = |i: usize| chars.get(i).map_or(scan_end, |&(b, _)| b);
    let (start, end) = (byte(from), byte(to));

    let mut out = String::with_capacity(end - start + 8);
    if from > 0 {
        out.push('…');
    }
    let base = out.len();
    // Line breaks read as spaces in a one-line excerpt.
    out.extend(
        text[start..end]
            .chars()
            .map(|c| if c == '\n' { ' ' } else { c }),
    );
    let mut highlights: Vec<(usize, usize)> = Vec::new();
    for m in matches
        .iter()
        .filter(|m| m.at >= from && m.at + m.len <= to)
    {
        let s = base + byte(m.at) - start;
        let e = base + byte(m.at + m.len) - start;
        match highlights.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => highlights.push((s, e)),
        }
    }
    if to < total_chars {
        out.push('…');
    }
    Snippet {
        text: out,
        highlights,
    }
}

fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    (0..=at)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

/// Escapes text for HTML element content and attribute values (the snippets' rule, shared
/// with the pages that show them).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ranges_mark_the_typed_strings_in_the_text() {
        let s = snippet(
            "对新培育的瞪羚独角兽企业给予奖励。",
            &terms(&["独角兽"]),
            120,
        );
        assert_eq!(s.marked().collect::<Vec<_>>(), ["独角兽"]);
        assert_eq!(
            s.to_html(),
            "对新培育的瞪羚<mark>独角兽</mark>企业给予奖励。"
        );
    }

    #[test]
    fn matching_folds_width_and_case_but_marks_the_original() {
        let s = snippet("ＡＩ产业与Ai芯片", &terms(&["ai"]), 120);
        assert_eq!(s.marked().collect::<Vec<_>>(), ["ＡＩ", "Ai"]);
    }

    #[test]
    fn text_is_escaped_only_when_rendered() {
        let s = snippet("<script>奖励</script>", &terms(&["奖励"]), 120);
        assert!(s.text.contains("<script>"));
        assert_eq!(
            s.to_html(),
            "&lt;script&gt;<mark>奖励</mark>&lt;/script&gt;"
        );
    }

    #[test]
    fn the_window_goes_where_the_terms_are_and_says_what_was_cut() {
        let body = format!(
            "{}高新技术企业认定{}",
            "无关文字。".repeat(100),
            "其他内容。".repeat(100)
        );
        let s = snippet(&body, &terms(&["高新技术企业"]), 40);
        assert!(
            s.text.starts_with('…') && s.text.ends_with('…'),
            "{}",
            s.text
        );
        assert_eq!(s.marked().collect::<Vec<_>>(), ["高新技术企业"]);
        assert!(s.text.chars().count() <= 42);
    }

    #[test]
    fn the_scan_is_bounded_on_huge_bodies() {
        let body = "的".repeat(1_000_000);
        let s = snippet(&body, &terms(&["的"]), 120);
        assert_eq!(
            s.highlights.len(),
            1,
            "adjacent matches merge into one range"
        );
        assert_eq!(s.text.chars().count(), 121);
        assert!(s.text.ends_with('…'));
    }

    #[test]
    fn no_match_gives_the_start() {
        let s = snippet("第一条 为了规范管理。", &terms(&["补贴"]), 5);
        assert_eq!(s.text, "第一条 为…");
        assert!(s.highlights.is_empty());
    }
}
