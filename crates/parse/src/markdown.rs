//! Markdown in record bodies: corpus records (LawRefBook laws and regulations) carry
//! their text as markdown — `## 第一章 总则` headings, `**` emphasis, `<!-- … -->`
//! comments, `| … |` tables. The markers are layout, not text: they are removed before
//! the text reaches provisions, heading paths or a reader, and the depth of a heading
//! is kept for the provision tree.

use std::sync::LazyLock;

use regex::Regex;

/// One line of a markdown body with its markup removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MdLine {
    pub text: String,
    /// `Some(depth)` for an ATX heading (`##` → 2).
    pub heading: Option<u8>,
}

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    // `## 第一章 总则`, `##第一章`, `## 总则 ##`, and an empty `##`.
    Regex::new(r"^[ \t]{0,3}(#{1,6})(?:[ \t\u{3000}\u{2002}\u{2003}]+(.*?))?(?:[ \t]+#+)?[ \t]*$|^[ \t]{0,3}(#{1,6})([^#\s].*)$")
        .expect("valid heading regex")
});

static COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<!--.*?-->").expect("valid comment regex"));

static TABLE_RULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\|?(?:\s*:?-{2,}:?\s*\|)+\s*(?::?-{2,}:?\s*)?\|?$").expect("valid rule regex")
});

static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"!?\[([^\]\n]*)\]\([^)\s\p{Han}]*\)").expect("valid link regex"));

static THEMATIC_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$").expect("valid regex")
});

/// The lines of a markdown body without their markup. Lines that hold only markup
/// (comments, table rules, empty headings, thematic breaks) are dropped; blank lines
/// are kept, so paragraphs stay apart.
pub(crate) fn md_lines(body: &str) -> Vec<MdLine> {
    let mut out = Vec::new();
    let mut in_comment = false;
    for raw in body.lines() {
        let mut line = raw.trim_end_matches('\r').to_string();
        let mut had_markup = in_comment;
        // Comments, also those that span lines.
        if in_comment {
            match line.find("-->") {
                Some(end) => {
                    line = line[end + 3..].to_string();
                    in_comment = false;
                }
                None => continue,
            }
        }
        had_markup |= line.contains("<!--");
        line = COMMENT.replace_all(&line, "").into_owned();
        if let Some(start) = line.find("<!--") {
            line.truncate(start);
            in_comment = true;
        }
        if had_markup && line.trim().is_empty() {
            continue;
        }
        if THEMATIC_BREAK.is_match(&line) && !line.trim().is_empty() {
            continue;
        }
        if let Some(caps) = HEADING.captures(&line) {
            let depth = caps.get(1).or_else(|| caps.get(3)).map_or(1, |m| m.len());
            let text = caps
                .get(2)
                .or_else(|| caps.get(4))
                .map_or("", |m| m.as_str());
            let text = inline(text);
            if !text.trim().is_empty() {
                out.push(MdLine {
                    text: text.trim().to_string(),
                    heading: Some(depth as u8),
                });
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with('|') {
            if TABLE_RULE.is_match(trimmed) {
                continue;
            }
            let cells: Vec<String> = trimmed
                .trim_matches('|')
                .split('|')
                .map(|c| inline(c).trim().to_string())
                .filter(|c| !c.is_empty())
                .collect();
            out.push(MdLine {
                text: cells.join("  "),
                heading: None,
            });
            continue;
        }
        let unquoted = line
            .trim_start()
            .strip_prefix('>')
            .map_or(line.as_str(), str::trim_start);
        out.push(MdLine {
            text: inline(unquoted),
            heading: None,
        });
    }
    out
}

/// Inline markup: `**bold**` and `[text](url)` links.
fn inline(text: &str) -> String {
    let text = text.replace("**", "");
    LINK.replace_all(&text, "$1").into_owned()
}

/// A record body with its markdown markup removed: headings become plain lines
/// (`## 第一章 总则` → `第一章 总则`), emphasis and comments disappear, table rows
/// become cells separated by two spaces. Lines and the blank lines between paragraphs are
/// kept (runs of blank lines become one).
pub fn clean_markdown(body: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in md_lines(body) {
        let blank = line.text.trim().is_empty();
        // Dropped markup leaves no run of blank lines behind.
        if blank && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(if blank { String::new() } else { line.text });
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_keep_their_depth_and_lose_their_markers() {
        let lines = md_lines(
            "# 中华人民共和国刑法\n\n## 第一编 总则\n\n### 第一章　任务 ###\n##\n#第二章\n第一条 为了……",
        );
        let got: Vec<(&str, Option<u8>)> =
            lines.iter().map(|l| (l.text.as_str(), l.heading)).collect();
        assert_eq!(
            got,
            [
                ("中华人民共和国刑法", Some(1)),
                ("", None),
                ("第一编 总则", Some(2)),
                ("", None),
                ("第一章　任务", Some(3)),
                ("第二章", Some(1)),
                ("第一条 为了……", None),
            ]
        );
    }

    #[test]
    fn emphasis_comments_tables_and_links_disappear() {
        let body = "<!-- TABLE -->\n| 条文 | 罪名 |\n|-----|-----|\n| 第一百二十条之一 | **帮助恐怖活动罪** |\n<!-- TABLE END -->\n第二条 见[附件](http://x.cn/a.pdf)。\n<!-- FORCE\nBREAK -->\n---\n> 引文";
        assert_eq!(
            clean_markdown(body),
            "条文  罪名\n第一百二十条之一  帮助恐怖活动罪\n第二条 见附件。\n引文"
        );
    }

    #[test]
    fn plain_text_is_untouched() {
        let body = "第一条 本办法所称“____年”为自然年。\n\n40*4=160h；辽科发[2020]6号（附件）";
        assert_eq!(clean_markdown(body), body);
    }
}
