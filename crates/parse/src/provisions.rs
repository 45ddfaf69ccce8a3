//! Numbered provisions (条款) and the department notes that close them.
//!
//! Official documents number their parts with a small set of markers: `一、`, `（一）`,
//! `1.`/`1、`/`1．`, `（1）`, `①`, and in laws and 办法 `第一章`/`第一节` over
//! `第一条`. Documents nest these in different orders, so the nesting is learnt from the
//! document itself: a marker kind seen for the first time opens a deeper level, a kind
//! already open closes everything below it. Every numbered part with no numbered parts
//! inside it is a provision; the parts that contain others are its heading path.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use zhengce_model::Provision;

use crate::fields::{han_number, standalone_date};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    /// `第一编` (0) / `第一分编` (1) / `第一章`, `第一部分` (2) / `第一节` (3): headings in
    /// laws and long plans.
    Part(u8),
    /// `第一条`, `第三十七条之一`.
    Article,
    /// `一、`
    Han,
    /// `（一）`
    ParenHan,
    /// `1.` `1、` `1．`
    Arabic,
    /// `（1）` `1）`
    ParenArabic,
    /// `①`
    Circled,
    /// A markdown heading without a number (`## 附则`, `## 序言`).
    Titled,
}

#[derive(Debug, Clone)]
struct Marker {
    kind: Kind,
    /// The number, and for `第三十七条之一` the number after 之 (else 0).
    ordinal: (u32, u32),
    /// The number as printed, without its punctuation: `三`, `（一）`, `30`, `第三条`.
    label: String,
    /// Whether white space sets the marker apart from the text after it.
    spaced: bool,
}

const HAN: &str = "[一二三四五六七八九十百千零〇两]+";

static MARKERS: LazyLock<Vec<(Regex, Kind)>> = LazyLock::new(|| {
    [
        (format!(r"^第({HAN}|\d{{1,4}})编"), Kind::Part(0)),
        (format!(r"^第({HAN}|\d{{1,4}})分编"), Kind::Part(1)),
        (format!(r"^第({HAN}|\d{{1,4}})(?:章|部分)"), Kind::Part(2)),
        (format!(r"^第({HAN}|\d{{1,4}})节"), Kind::Part(3)),
        (
            format!(r"^第({HAN}|\d{{1,4}})条(?:之({HAN}))?"),
            Kind::Article,
        ),
        (format!(r"^({HAN})\s*[、.．]"), Kind::Han),
        (format!(r"^[（(]\s*({HAN})\s*[)）]"), Kind::ParenHan),
        (
            r"^(\d{1,3})\s*(?:[、．]|\.(?:[^\d]|$))".to_string(),
            Kind::Arabic,
        ),
        (
            r"^(?:[（(]\s*(\d{1,3})\s*[)）]|(\d{1,3})[)）])".to_string(),
            Kind::ParenArabic,
        ),
        ("^([①-⑳])".to_string(), Kind::Circled),
    ]
    .into_iter()
    .map(|(p, k)| (Regex::new(&p).expect("valid marker regex"), k))
    .collect()
});

fn marker(line: &str) -> Option<Marker> {
    for (re, kind) in MARKERS.iter() {
        let Some(caps) = re.captures(line) else {
            continue;
        };
        let (raw, sub) = if *kind == Kind::Article {
            (caps.get(1)?.as_str(), caps.get(2).map(|m| m.as_str()))
        } else {
            (caps.get(1).or_else(|| caps.get(2))?.as_str(), None)
        };
        let ordinal = if let Some(c) = raw.chars().next().filter(|c| ('①'..='⑳').contains(c)) {
            c as u32 - '①' as u32 + 1
        } else {
            number(raw)?
        };
        let sub = match sub {
            Some(s) => number(s)?,
            None => 0,
        };
        if ordinal == 0 {
            return None;
        }
        let label = match kind {
            Kind::Part(_) | Kind::Article | Kind::Titled => caps[0].trim().to_string(),
            Kind::ParenHan | Kind::ParenArabic => format!("（{raw}）"),
            Kind::Han | Kind::Arabic | Kind::Circled => raw.to_string(),
        };
        let spaced = line[caps[0].len()..].starts_with(char::is_whitespace);
        return Some(Marker {
            kind: *kind,
            ordinal: (ordinal, sub),
            label,
            spaced,
        });
    }
    None
}

/// An Arabic or Chinese number, up to the thousands articles of the 民法典 reach
/// (`一千二百六十`).
fn number(raw: &str) -> Option<u32> {
    if let Ok(n) = raw.parse() {
        return Some(n);
    }
    match raw.split_once('千') {
        Some((thousands, rest)) => {
            let t = if thousands.is_empty() {
                1
            } else {
                han_number(thousands)?
            };
            let rest = rest.trim_start_matches(['零', '〇']);
            let r = if rest.is_empty() {
                0
            } else {
                han_number(rest)?
            };
            Some(t * 1000 + r)
        }
        None => han_number(raw),
    }
}

/// A numbered part of the document while the tree is being built.
#[derive(Debug)]
struct Node {
    marker: Marker,
    lines: Vec<String>,
    parent: Option<usize>,
    has_children: bool,
    /// Lines after the part that belong to no provision (a signature, an attachment note).
    closed: bool,
    /// The depth of the markdown heading the part was printed as.
    md_heading: Option<u8>,
}

/// One line of a body, and whether it was printed as a (markdown) heading of a depth.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyLine<'a> {
    pub text: &'a str,
    pub heading: Option<u8>,
}

/// Finds the provisions in the body lines of a document.
pub(crate) fn extract(lines: &[&str]) -> Vec<Provision> {
    let lines: Vec<BodyLine<'_>> = lines
        .iter()
        .map(|&text| BodyLine {
            text,
            heading: None,
        })
        .collect();
    extract_lines(&lines)
}

/// Finds the provisions in body lines, some of them headings.
///
/// Articles (`第一条`) are provisions whole: the items (`（一）` …) and paragraphs (款)
/// after an article belong to it, up to the next article or heading.
pub(crate) fn extract_lines(lines: &[BodyLine<'_>]) -> Vec<Provision> {
    let mut nodes: Vec<Node> = Vec::new();
    // Open levels, outermost first: (kind, node index).
    let mut open: Vec<(Kind, usize)> = Vec::new();
    let mut last_ordinal: HashMap<Kind, (u32, u32)> = HashMap::new();

    for (at, line) in lines.iter().enumerate() {
        let text = line.text;
        if text.is_empty() {
            continue;
        }
        let open_article = open
            .last()
            .map(|&(_, i)| i)
            .filter(|&i| nodes[i].marker.kind == Kind::Article && !nodes[i].closed);
        let found = match line.heading {
            Some(_) => Some(marker(text).unwrap_or_else(|| Marker {
                kind: Kind::Titled,
                ordinal: (0, 0),
                label: text.to_string(),
                spaced: false,
            })),
            None => marker(text).filter(|m| accepts(m, &open, &nodes, &last_ordinal)),
        };
        let found = found.filter(|m| {
            // Inside an article, items and lists are its text, unless the line is a
            // heading over the articles that follow.
            let nested = !matches!(m.kind, Kind::Part(_) | Kind::Article | Kind::Titled);
            !(nested
                && line.heading.is_none()
                && open_article.is_some()
                && !heads_articles(text, lines.get(at + 1..).unwrap_or_default()))
        });
        if let Some(m) = found {
            if m.kind == Kind::Titled && nodes.is_empty() {
                // An unnumbered heading before any numbered part is the document's
                // title or a preamble's, not a section of provisions.
                continue;
            }
            // An article is always a provision whole: nothing opens inside it.
            if let Some(&(Kind::Article, _)) = open.last()
                && m.kind != Kind::Article
            {
                open.pop();
            }
            if m.kind == Kind::Article && !open.iter().any(|(k, _)| *k == Kind::Article) {
                // The first article of a regulation printed after a notice's numbered
                // items (`十九、将第二十八条改为…。` then `第一条 …`) is not inside the
                // last item: only headings are above articles.
                while let Some(&(kind, i)) = open.last() {
                    if matches!(kind, Kind::Part(_) | Kind::Titled) || heading_shaped(&nodes[i]) {
                        break;
                    }
                    open.pop();
                }
            }
            if let Some(depth) = line.heading {
                // A markdown heading closes everything but the shallower headings.
                let keep = open
                    .iter()
                    .position(|&(_, i)| nodes[i].md_heading.is_none_or(|d| d >= depth))
                    .unwrap_or(open.len());
                open.truncate(keep);
            } else if let Some(depth) = open.iter().position(|(k, _)| *k == m.kind) {
                open.truncate(depth);
            } else if let Kind::Part(rank) = m.kind {
                // A part closes every level that is not a bigger part.
                let keep = open
                    .iter()
                    .position(|(k, _)| !matches!(k, Kind::Part(r) if *r < rank))
                    .unwrap_or(open.len());
                open.truncate(keep);
            }
            let parent = open.last().map(|&(_, i)| i);
            if let Some(p) = parent {
                nodes[p].has_children = true;
            }
            if m.kind != Kind::Titled {
                last_ordinal.insert(m.kind, m.ordinal);
            }
            open.push((m.kind, nodes.len()));
            nodes.push(Node {
                marker: m,
                lines: vec![text.to_string()],
                parent,
                has_children: false,
                closed: false,
                md_heading: line.heading,
            });
        } else if let Some(&(_, current)) = open.last() {
            let node = &mut nodes[current];
            if node.closed {
                continue;
            }
            if ends_provisions(text) || (node.marker.kind != Kind::Article && closes_document(text))
            {
                node.closed = true;
                // The signers above a signature date (`国务院办公厅` / `2019年1月22日`)
                // sign the document, not its last provision.
                if standalone_date(text).is_some() {
                    while node.lines.len() > 1 && node.lines.last().is_some_and(|l| signs(l)) {
                        node.lines.pop();
                    }
                }
            } else {
                node.lines.push(text.to_string());
            }
        }
    }

    let leaves: Vec<usize> = (0..nodes.len())
        .filter(|&i| {
            let node = &nodes[i];
            // A markdown heading with nothing under it is a table of contents entry.
            let bare_heading = node.md_heading.is_some() && node.lines.len() == 1;
            !node.has_children
                && !bare_heading
                && !matches!(node.marker.kind, Kind::Part(_) | Kind::Titled)
        })
        .collect();
    let numbers = number_leaves(&nodes, &leaves);
    leaves
        .iter()
        .zip(numbers)
        .map(|(&i, number)| {
            let text = nodes[i].lines.join("\n");
            let (lead_depts, resp_depts) = departments(&text);
            Provision {
                number,
                heading_path: ancestors(&nodes, i)
                    .into_iter()
                    .map(|a| nodes[a].lines[0].clone())
                    .collect(),
                text,
                lead_depts,
                resp_depts,
            }
        })
        .collect()
}

/// Whether a numbered line inside an article is rather the heading of the articles that
/// follow it (`三、诉讼方式` over `第十条`): short, not a sentence, and followed by an
/// article.
fn heads_articles(text: &str, rest: &[BodyLine<'_>]) -> bool {
    let short = text.chars().count() <= 40
        && !text.contains('。')
        && !text.ends_with(['；', ';', '，', ',', '：', ':', '、']);
    short
        && rest
            .iter()
            .find(|l| !l.text.is_empty())
            .and_then(|l| marker(l.text))
            .is_some_and(|m| m.kind == Kind::Article)
}

/// A numbered part that can head others: a markdown heading, or one short line that is
/// not a sentence (`一、管辖`, `二、指导老师和继承人`).
fn heading_shaped(node: &Node) -> bool {
    let first = &node.lines[0];
    node.md_heading.is_some()
        || (node.lines.len() == 1
            && first.chars().count() <= 40
            && !first.contains(['。', '；', ';']))
}

/// Whether a marker continues the numbering it claims to be part of. Guards against
/// sentences that merely begin with a number (`1、2号线…` after item 7).
fn accepts(
    m: &Marker,
    open: &[(Kind, usize)],
    nodes: &[Node],
    last_ordinal: &HashMap<Kind, (u32, u32)>,
) -> bool {
    if m.ordinal.0 == 1 {
        return true;
    }
    let continues = |prev: (u32, u32)| m.ordinal > prev && m.ordinal.0 <= prev.0 + 2;
    if m.kind == Kind::Article && m.spaced {
        // `第三十三条 主刑…`, set apart like an article heading: an excerpt of a law may
        // start at any article (under its headings only), and an article may be missing
        // from a capture.
        return match last_ordinal.get(&Kind::Article) {
            Some(&prev) => m.ordinal > prev,
            None => nodes
                .iter()
                .all(|n| matches!(n.marker.kind, Kind::Part(_) | Kind::Titled)),
        };
    }
    if let Some(&(_, i)) = open.iter().find(|(k, _)| *k == m.kind) {
        return continues(nodes[i].marker.ordinal);
    }
    // A new level may continue a numbering that runs through the whole document
    // (items 1–86 across nine sections, articles across chapters).
    last_ordinal
        .get(&m.kind)
        .is_some_and(|&prev| continues(prev))
}

/// A line of signers: short, with no punctuation of a sentence (`国务院办公厅`,
/// `科学技术部 财政部`).
fn signs(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty()
        && line.chars().count() <= 40
        && !line.contains(['，', '。', '；', '：', '！', '？', ',', ';', ':'])
}

/// A document's closing sentence, unnumbered after its last item: when it takes effect,
/// for how long, who interprets it (`本办法自2024年1月1日起施行，有效期5年。`). It belongs
/// to the document, not to the item above it. (A law's closing article is numbered.)
fn closes_document(line: &str) -> bool {
    static CLOSING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^本(?:实施)?(?:办法|通知|意见|措施|若干措施|规定|细则|方案|政策|决定|规则|计划|指引|要点|工作要点|条例|规程|标准)[^。；]{0,40}?(?:施行|实施|有效期|解释|废止)",
        )
        .expect("valid closing regex")
    });
    CLOSING.is_match(line.trim())
}

/// Lines that end the provision before them: signature dates and attachment notes.
fn ends_provisions(line: &str) -> bool {
    standalone_date(line).is_some() || line.starts_with("附件") || line.starts_with("附：")
}

fn ancestors(nodes: &[Node], i: usize) -> Vec<usize> {
    let mut path = Vec::new();
    let mut at = nodes[i].parent;
    while let Some(p) = at {
        path.push(p);
        at = nodes[p].parent;
    }
    path.reverse();
    path
}

/// Bare labels when they are unique in the document, else labels qualified by their
/// sections (`二/3`), with a counter for what still repeats (a restarted list). An
/// article keeps its bare number whenever that number is unique: `第三十三条` is how the
/// article is cited, whatever lists an annex repeats.
fn number_leaves(nodes: &[Node], leaves: &[usize]) -> Vec<String> {
    let bare: Vec<String> = leaves
        .iter()
        .map(|&i| nodes[i].marker.label.clone())
        .collect();
    let mut counts: HashMap<&String, usize> = HashMap::new();
    for label in &bare {
        *counts.entry(label).or_default() += 1;
    }
    let all_unique = counts.len() == bare.len();
    let candidates: Vec<String> = leaves
        .iter()
        .zip(&bare)
        .map(|(&i, label)| {
            let unique_article =
                nodes[i].marker.kind == Kind::Article && counts.get(label) == Some(&1);
            if all_unique || unique_article {
                return label.clone();
            }
            let mut parts: Vec<&str> = ancestors(nodes, i)
                .into_iter()
                .map(|a| nodes[a].marker.label.as_str())
                .collect();
            parts.push(&nodes[i].marker.label);
            parts.join("/")
        })
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    candidates
        .into_iter()
        .map(|n| {
            let count = seen.entry(n.clone()).or_default();
            *count += 1;
            if *count == 1 {
                n
            } else {
                format!("{n}~{count}")
            }
        })
        .collect()
}

static DEPT_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[（(]\s*((?:牵头|责任|配合|参与|协同|协办|主办|主责|负责)(?:处室|单位|部门|科室|处)[^（()）]*)[)）]")
        .expect("valid regex")
});

static DEPT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*((?:牵头|责任|配合|参与|协同|协办)(?:处室|单位|部门|科室)\s*[:：].*)$")
        .expect("valid regex")
});

static DEPT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(牵头|责任|配合|参与|协同|协办|主办|主责|负责)(?:处室|单位|部门|科室|处)\s*[:：]")
        .expect("valid regex")
});

/// Lead and responsible departments from the notes in a provision's text:
/// `（牵头处室：规划处；责任处室：高新处、信息处）` in all its bracket, colon and
/// separator variants, also as 牵头单位/责任单位 and 牵头部门/配合部门.
pub(crate) fn departments(text: &str) -> (Vec<String>, Vec<String>) {
    let mut lead = Vec::new();
    let mut resp = Vec::new();
    let notes = DEPT_NOTE
        .captures_iter(text)
        .chain(DEPT_LINE.captures_iter(text))
        .filter_map(|c| c.get(1).map(|m| m.as_str()));
    for note in notes {
        let labels: Vec<_> = DEPT_LABEL.captures_iter(note).collect();
        for (i, caps) in labels.iter().enumerate() {
            let start = caps.get(0).map_or(0, |m| m.end());
            let end = labels
                .get(i + 1)
                .and_then(|c| c.get(0))
                .map_or(note.len(), |m| m.start());
            let target = if matches!(&caps[1], "牵头" | "主办" | "主责" | "负责") {
                &mut lead
            } else {
                &mut resp
            };
            for name in note[start..end]
                .split(['、', '，', ',', '；', ';', '/', '\u{3000}', ' '])
                .map(|n| n.trim().trim_end_matches(['。', '.']))
                .filter(|n| !n.is_empty())
                // Another, unknown label (`适用范围：…`) ends the list.
                .take_while(|n| !n.contains([':', '：']))
            {
                if !target.iter().any(|t| t == name) {
                    target.push(name.to_string());
                }
            }
        }
    }
    (lead, resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn department_note_variants() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "做好工作。(牵头处室:规划处;责任处室:高新处、信息处)",
                &["规划处"],
                &["高新处", "信息处"],
            ),
            (
                "做好工作。（牵头处室：规划处；责任处室：各相关业务处室）",
                &["规划处"],
                &["各相关业务处室"],
            ),
            (
                "做好工作。（牵头处室：高新处、信息处、医药处）",
                &["高新处", "信息处", "医药处"],
                &[],
            ),
            (
                "做好工作。（牵头单位：省发展改革委，责任单位：省科技厅、省财政厅）",
                &["省发展改革委"],
                &["省科技厅", "省财政厅"],
            ),
            (
                "做好工作。(牵头部门: 市商务局; 配合部门: 市财政局)",
                &["市商务局"],
                &["市财政局"],
            ),
            ("做好工作。\n责任单位：各市人民政府", &[], &["各市人民政府"]),
            (
                "做好工作。（负责部门：海关总署、银保监会，适用范围：广东自贸试验区）",
                &["海关总署", "银保监会"],
                &[],
            ),
            ("没有任何说明的条款。", &[], &[]),
        ];
        for (text, lead, resp) in cases {
            let (l, r) = departments(text);
            assert_eq!(l, *lead, "{text}");
            assert_eq!(r, *resp, "{text}");
        }
    }

    /// User test (seventh session): 国办发〔2019〕6号's last item took the signer.
    #[test]
    fn the_signers_sign_the_document_not_its_last_provision() {
        let text = [
            "一、总体要求",
            "（一）指导思想。坚持服务小微企业和“三农”。",
            "（二）完善绩效评价体系。各级财政部门要会同有关方面研究制定考核办法。",
            "国务院办公厅",
            "2019年1月22日",
            "（此件公开发布）",
        ];
        let lines: Vec<BodyLine> = text
            .iter()
            .map(|t| BodyLine {
                text: t,
                heading: None,
            })
            .collect();
        let provisions = extract_lines(&lines);
        let last = provisions.last().unwrap();
        assert!(last.text.ends_with("研究制定考核办法。"), "{:?}", last.text);
        assert_eq!(provisions.len(), 2);
    }

    /// User test (twelfth session): `本办法自2024年1月1日起施行，有效期5年。` after the last
    /// item was part of that item; in a law the closing article is numbered and stays.
    #[test]
    fn the_closing_sentence_is_the_documents_not_its_last_items() {
        let provisions = extract(&[
            "一、对首次认定的高新技术企业给予20万元奖励。",
            "二、对科技型中小企业给予最高10万元研发补贴。",
            "本办法自2024年1月1日起施行，有效期5年。",
        ]);
        assert_eq!(provisions.len(), 2);
        assert!(
            provisions[1].text.ends_with("研发补贴。"),
            "{:?}",
            provisions[1].text
        );
        // A paragraph of an item that only mentions 本办法 stays in it.
        let provisions = extract(&[
            "一、支持企业研发。",
            "二、申报条件。",
            "符合本办法规定条件的企业，可以申请补助。",
        ]);
        assert!(provisions[1].text.contains("可以申请补助"));
        let law = extract(&[
            "第一条 为了促进科技成果转化，制定本条例。",
            "第二条 本条例自2020年1月1日起施行。",
        ]);
        assert_eq!(law.len(), 2);
        assert!(law[1].text.contains("起施行"));
    }

    #[test]
    fn nested_markers_become_heading_paths() {
        let lines = [
            "一、总体要求",
            "（一）指导思想。以习近平新时代中国特色社会主义思想为指导。",
            "（二）基本原则。坚持问题导向。",
            "二、重点任务",
            "（一）推进改革。",
            "1.深化改革。",
            "2.优化服务。",
            "（二）强化保障。",
            "2020年2月25日",
        ];
        let got = extract(&lines);
        let numbers: Vec<_> = got.iter().map(|p| p.number.as_str()).collect();
        assert_eq!(
            numbers,
            [
                "一/（一）",
                "一/（二）",
                "二/（一）/1",
                "二/（一）/2",
                "二/（二）"
            ]
        );
        assert_eq!(got[2].heading_path, ["二、重点任务", "（一）推进改革。"]);
        assert_eq!(got[4].text, "（二）强化保障。");
    }

    #[test]
    fn articles_under_chapters() {
        let lines = [
            "第一章 总则",
            "第一条 为了规范管理，制定本办法。",
            "第二条 本办法适用于全省。",
            "本办法所称企业，是指依法登记的企业。",
            "第二章 附则",
            "第三条 本办法自2020年1月1日起施行。",
        ];
        let got = extract(&lines);
        let numbers: Vec<_> = got.iter().map(|p| p.number.as_str()).collect();
        assert_eq!(numbers, ["第一条", "第二条", "第三条"]);
        assert_eq!(got[1].text.lines().count(), 2);
        assert_eq!(got[2].heading_path, ["第二章 附则"]);
    }

    fn md(lines: &[(&'static str, Option<u8>)]) -> Vec<Provision> {
        let lines: Vec<BodyLine<'_>> = lines
            .iter()
            .map(|&(text, heading)| BodyLine { text, heading })
            .collect();
        extract_lines(&lines)
    }

    #[test]
    fn an_article_keeps_its_items_and_paragraphs() {
        let lines = [
            "第一章 总则",
            "第一条 为了规范管理，制定本办法。",
            "第二条 下列企业可以申请：",
            "（一）依法登记的；",
            "（二）信用良好的。",
            "1.有特殊情形的，另行规定。",
            "前款所称企业，不含分支机构。",
            "第二条之一 本办法所称的奖励，是指：",
            "一、资金奖励；",
            "二、荣誉奖励。",
            "第三条 本办法自2020年1月1日起施行。",
        ];
        let got = extract(&lines);
        let numbers: Vec<_> = got.iter().map(|p| p.number.as_str()).collect();
        assert_eq!(numbers, ["第一条", "第二条", "第二条之一", "第三条"]);
        assert_eq!(
            got[1].text,
            "第二条 下列企业可以申请：\n（一）依法登记的；\n（二）信用良好的。\n1.有特殊情形的，另行规定。\n前款所称企业，不含分支机构。"
        );
        assert_eq!(got[2].text.lines().count(), 3);
        for p in &got {
            assert_eq!(p.heading_path, ["第一章 总则"], "{}", p.number);
        }
    }

    #[test]
    fn headings_over_articles_are_not_items() {
        // A 司法解释: `一、管辖` heads articles, the items inside articles stay there.
        let lines = [
            "一、管辖",
            "第一条 重大涉外案件，包括：",
            "一、争议标的额大的案件；",
            "二、案情复杂的案件。",
            "第二条 专利纠纷案件由知识产权法院管辖。",
            "二、回避",
            "第三条 审判人员有下列情形之一的，应当自行回避。",
        ];
        let got = extract(&lines);
        let numbers: Vec<_> = got.iter().map(|p| p.number.as_str()).collect();
        assert_eq!(numbers, ["第一条", "第二条", "第三条"]);
        assert_eq!(got[0].text.lines().count(), 3);
        assert_eq!(got[1].heading_path, ["一、管辖"]);
        assert_eq!(got[2].heading_path, ["二、回避"]);
    }

    #[test]
    fn a_regulation_after_a_notice_is_not_inside_its_last_item() {
        let lines = [
            "一、将第三条修改为：“本办法适用于全省。”",
            "二、将第五条改为第六条。",
            "本决定自公布之日起施行。",
            "江西省示范管理办法",
            "第一条 为了规范管理，制定本办法。",
            "第二条 本办法适用于全省。",
        ];
        let got = extract(&lines);
        let numbers: Vec<_> = got.iter().map(|p| p.number.as_str()).collect();
        assert_eq!(numbers, ["一", "二", "第一条", "第二条"]);
        assert!(got[2].heading_path.is_empty(), "{:?}", got[2].heading_path);
    }

    #[test]
    fn markdown_headings_nest_by_depth() {
        let got = md(&[
            ("中华人民共和国示范法", Some(1)),
            ("序言", Some(2)),
            ("为了示范，制定本法。", None),
            ("第一编 总则", Some(2)),
            ("第一章 一般规定", Some(3)),
            ("第一条 本法适用于示范。", None),
            ("第二章 附则", Some(3)),
            ("第二条 本法自公布之日起施行。", None),
            ("附则", Some(2)),
            ("第三条 本法的解释权属于常务委员会。", None),
            ("附件一", Some(2)),
            ("1．关于示范的决定", None),
            ("2．关于示范的补充规定", None),
            ("附件二", Some(2)),
            ("1．关于示范的决议", None),
        ]);
        let numbers: Vec<_> = got.iter().map(|p| p.number.as_str()).collect();
        assert_eq!(
            numbers,
            [
                "第一条",
                "第二条",
                "第三条",
                "附件一/1",
                "附件一/2",
                "附件二/1"
            ]
        );
        assert_eq!(got[0].heading_path, ["第一编 总则", "第一章 一般规定"]);
        assert_eq!(got[1].heading_path, ["第一编 总则", "第二章 附则"]);
        assert_eq!(got[2].heading_path, ["附则"]);
        assert_eq!(got[4].heading_path, ["附件一"]);
    }

    #[test]
    fn an_excerpt_may_start_at_any_article() {
        let got = extract(&[
            "第三十三条 主刑的种类如下：",
            "（一）管制；",
            "第三十四条 附加刑的种类如下：",
        ]);
        let numbers: Vec<_> = got.iter().map(|p| p.number.as_str()).collect();
        assert_eq!(numbers, ["第三十三条", "第三十四条"]);
        // Without the space that sets an article apart, a sentence may cite one.
        assert!(extract(&["第三十三条规定的情形除外。"]).is_empty());
        // In a notice, a line that starts with an article it cites stays text.
        let got = extract(&[
            "一、总体要求",
            "第3条 所称企业，按原规定执行。",
            "二、重点任务",
        ]);
        let numbers: Vec<_> = got.iter().map(|p| p.number.as_str()).collect();
        assert_eq!(numbers, ["一", "二"]);
        assert_eq!(got[0].text.lines().count(), 2);
    }

    #[test]
    fn thousands_of_articles() {
        assert_eq!(number("一千二百六十"), Some(1260));
        assert_eq!(number("一千零一"), Some(1001));
        assert_eq!(number("九百九十九"), Some(999));
        let got = extract(&["第九百九十九条 甲。", "第一千条 乙。", "第一千零一条 丙。"]);
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn decimals_and_stray_numbers_are_not_markers() {
        let lines = [
            "1.开展评估。",
            "1.5亿元用于支持。",
            "2.推进建设。",
            "7、8月份开展检查。",
        ];
        let got = extract(&lines);
        assert_eq!(got.len(), 2);
        assert!(got[0].text.contains("1.5亿元"));
        assert!(got[1].text.contains("7、8月份"));
    }
}
