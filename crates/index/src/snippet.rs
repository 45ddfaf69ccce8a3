//! Highlighted snippets, computed from the stored text and the query's strings.
//!
//! tantivy's `SnippetGenerator` works on token offsets and assumes they only move
//! forward; jieba's search mode emits overlapping sub-words. Matching the query's strings
//! on the normalised text instead is exact for Chinese, needs no tokens, and marks the
//! whole string a user typed rather than fragments of it.

use zhengce_analysis::normalize_char;

/// About how many characters a snippet shows.
pub const SNIPPET_CHARS: usize = 120;
/// Characters of context kept before the first match.
const LEAD: usize = 20;

/// An HTML-escaped excerpt of `text` of about `max_chars` characters, around the best
/// cluster of matches of `terms`, with every match wrapped in `<mark>…</mark>`.
pub fn snippet(text: &str, terms: &[String], max_chars: usize) -> String {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    let norm: Vec<char> = chars.iter().map(|&c| normalize_char(c)).collect();
    let mut marks = vec![false; chars.len()];
    let mut starts: Vec<(usize, usize)> = Vec::new(); // (char index, term index)
    for (ti, term) in terms.iter().enumerate() {
        let needle: Vec<char> = term
            .chars()
            .map(normalize_char)
            .filter(|c| !c.is_whitespace())
            .collect();
        if needle.is_empty() || needle.len() > norm.len() {
            continue;
        }
        for i in 0..=norm.len() - needle.len() {
            if norm[i..i + needle.len()] == needle[..] {
                starts.push((i, ti));
                marks[i..i + needle.len()]
                    .iter_mut()
                    .for_each(|m| *m = true);
            }
        }
    }
    starts.sort_unstable();

    // The window that covers the most distinct terms, then the most matches.
    let mut best = (0usize, 0usize, 0usize); // (distinct, matches, start)
    for &(s, _) in &starts {
        let from = s.saturating_sub(LEAD);
        let to = from + max_chars;
        let inside: Vec<usize> = starts
            .iter()
            .filter(|(p, _)| *p >= from && *p < to)
            .map(|&(_, t)| t)
            .collect();
        let mut distinct = inside.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let key = (distinct.len(), inside.len(), usize::MAX - from);
        if (key.0, key.1) > (best.0, best.1) {
            best = (key.0, key.1, from);
        }
    }
    let from = best.2.min(chars.len().saturating_sub(max_chars));
    let from = if starts.is_empty() { 0 } else { from };
    let to = (from + max_chars).min(chars.len());

    let mut out = String::with_capacity((to - from) * 4);
    if from > 0 {
        out.push('…');
    }
    let mut open = false;
    for i in from..to {
        if marks[i] && !open {
            out.push_str("<mark>");
            open = true;
        } else if !marks[i] && open {
            out.push_str("</mark>");
            open = false;
        }
        escape_into(&mut out, chars[i]);
    }
    if open {
        out.push_str("</mark>");
    }
    if to < chars.len() {
        out.push('…');
    }
    out
}

/// Escapes text for HTML element content and attribute values (the snippets' rule, shared
/// with the pages that show them).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        escape_into(&mut out, c);
    }
    out
}

fn escape_into(out: &mut String, c: char) {
    match c {
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '&' => out.push_str("&amp;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        _ => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_every_match_and_escapes() {
        let s = snippet(
            "对新培育的瞪羚独角兽企业给予<b>奖励</b>，独角兽",
            &["独角兽".into()],
            120,
        );
        assert_eq!(
            s,
            "对新培育的瞪羚<mark>独角兽</mark>企业给予&lt;b&gt;奖励&lt;/b&gt;，<mark>独角兽</mark>"
        );
    }

    #[test]
    fn window_moves_to_the_match() {
        let text = format!("{}卡脖子技术{}", "前".repeat(300), "后".repeat(300));
        let s = snippet(&text, &["卡脖子".into()], 120);
        assert!(s.starts_with('…') && s.ends_with('…'));
        assert!(s.contains("<mark>卡脖子</mark>"));
        assert_eq!(s.chars().filter(|c| *c == '前').count(), LEAD);
    }

    #[test]
    fn normalised_matching_and_no_match() {
        let s = snippet("辽科发〔2020〕6号", &["辽科发[2020]6号".into()], 120);
        assert_eq!(s, "<mark>辽科发〔2020〕6号</mark>");
        assert_eq!(snippet("abc", &["x".into()], 2), "ab…");
        assert_eq!(snippet("", &["x".into()], 120), "");
    }
}
