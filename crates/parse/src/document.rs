//! From lines to a [`PolicyDoc`]: metadata, body, addressees, signature, attachments.

use std::ops::Range;

use sha2::{Digest, Sha256};
use url::Url;
use zhengce_model::{Attachment, PolicyDoc, is_han, normalize_doc_number};

use crate::PageInput;
use crate::fields::{
    Field, find_date, find_doc_number, is_decree_header, is_generic, is_org_like, is_title_like,
    issuer_from_title, labelled, leading_doc_number, standalone_date, standalone_doc_number,
};
use crate::html::Page;
use crate::lines::{Line, is_chrome, is_footer_start};
use crate::provisions;

/// How many lines from the top of the content the title may be found in.
const TITLE_SEARCH_LINES: usize = 40;

/// Meta tags that carry each field, most trusted first.
const META_TITLE: &[&str] = &["articletitle", "og:title", "dc.title", "title", "headline"];
const META_PUBLISHED: &[&str] = &[
    "pubdate",
    "publishdate",
    "firstpublishedtime",
    "article:published_time",
    "dc.date",
    "dcterms.issued",
    "publish_date",
    "datepublished",
    "date",
];
const META_ISSUER: &[&str] = &["contentsource", "source", "dc.publisher", "publisher"];

#[derive(Default)]
struct Meta {
    values: Vec<(Field, usize, String)>,
}

impl Meta {
    fn add(&mut self, field: Field, rank: usize, value: &str) {
        let value = value.trim();
        if !value.is_empty() {
            self.values.push((field, rank, value.to_string()));
        }
    }

    /// The most trusted value of a field that `accept` can use.
    fn best<T>(&self, field: Field, accept: impl Fn(&str) -> Option<T>) -> Option<T> {
        let mut candidates: Vec<_> = self.values.iter().filter(|v| v.0 == field).collect();
        candidates.sort_by_key(|v| v.1);
        candidates.into_iter().find_map(|v| accept(&v.2))
    }
}

pub(crate) fn build(page: Page, input: &PageInput<'_>) -> PolicyDoc {
    let lines = &page.lines;
    let first_content = lines.iter().position(|l| l.in_content).unwrap_or(0);
    let first_sentence = (first_content..lines.len())
        .find(|&i| lines[i].in_content && is_sentence(&lines[i].text) && !is_chrome(&lines[i].text))
        .unwrap_or(lines.len());
    // Where the title and the heading block can be: just above the first sentence.
    let head_zone =
        first_sentence.saturating_sub(TITLE_SEARCH_LINES)..first_sentence.min(lines.len());
    let footer = (first_sentence..lines.len())
        .find(|&i| is_footer_start(&lines[i].text))
        .unwrap_or(lines.len());

    // Labelled metadata anywhere on the page; generic labels only outside the text.
    let mut meta = Meta::default();
    let mut metadata_line = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        let Some(items) = labelled(&lines[i].text) else {
            i += 1;
            continue;
        };
        let in_text = lines[i].in_content && i >= first_sentence && i < footer;
        if in_text && (is_sentence(&lines[i].text) || items.iter().any(|it| is_generic(it.rank))) {
            i += 1;
            continue;
        }
        metadata_line[i] = true;
        let mut consumed_next = false;
        for item in &items {
            let mut value = item.value.clone();
            if value.is_empty()
                && items.len() == 1
                && i + 1 < lines.len()
                && labelled(&lines[i + 1].text).is_none()
            {
                value = lines[i + 1].text.trim().to_string();
                consumed_next = true;
            }
            meta.add(item.field, item.rank, &value);
        }
        if consumed_next {
            metadata_line[i + 1] = true;
            i += 1;
        }
        i += 1;
    }
    for (name, value) in &page.meta {
        let rank = |list: &[&str]| list.iter().position(|n| n == name).map(|p| 100 + p);
        if let Some(r) = rank(META_TITLE) {
            meta.add(Field::Title, r, value);
        }
        if let Some(r) = rank(META_PUBLISHED) {
            meta.add(Field::PublishDate, r, value);
        }
        if let Some(r) = rank(META_ISSUER) {
            meta.add(Field::Issuer, r, value);
        }
    }

    // Title: labelled or meta, else a title-shaped line near the top, else <title>.
    let title_line = head_zone.clone().rev().find(|&i| {
        let line = &lines[i];
        !metadata_line[i]
            && !line.chrome
            && !line.is_link_only()
            && !is_chrome(&line.text)
            && (is_title_like(&line.text)
                || (line.heading && line.in_content && line.text.chars().count() >= 5))
    });
    // A long title wraps over two or three lines of the title block.
    let title_span = title_line.map(|i| {
        let known = meta
            .values
            .iter()
            .filter(|v| v.0 == Field::Title)
            .map(|v| v.2.as_str())
            .chain(page.title_tag.as_deref())
            .map(|t| fold(&squash(t)))
            .collect::<Vec<_>>();
        wrapped_title(lines, &metadata_line, i, first_sentence, &known)
    });
    let mut title = meta
        .best(Field::Title, clean_title)
        .or_else(|| {
            let (start, end) = title_span?;
            let text: Vec<&str> = lines[start..=end].iter().map(|l| l.text.as_str()).collect();
            clean_title(&text.join(" "))
        })
        .or_else(|| page.title_tag.as_deref().and_then(title_from_tag));
    let mut doc_number = meta.best(Field::DocNumber, |v| {
        normalize_doc_number(v).or_else(|| find_doc_number(v))
    });
    if let Some((number, len)) = title.as_deref().and_then(leading_doc_number) {
        let rest = title.as_deref().unwrap_or_default()[len..]
            .trim()
            .to_string();
        doc_number.get_or_insert(number);
        title = (!rest.is_empty()).then_some(rest);
    }

    // The body starts after the title as printed in the text, when it is printed there.
    let body_start = title
        .as_deref()
        .and_then(|t| find_title_span(lines, t, head_zone.clone()))
        .or(title_line.filter(|&i| lines[i].in_content).map(|i| i + 1))
        .unwrap_or(first_content);

    let mut body: Vec<&str> = Vec::new();
    for (i, line) in lines.iter().enumerate().take(footer).skip(body_start) {
        if !line.in_content || line.chrome || metadata_line[i] || is_chrome(&line.text) {
            continue;
        }
        if line.is_link_only() && line.text.chars().count() < 60 && !line.text.starts_with("附件")
        {
            continue;
        }
        body.push(line.text.as_str());
    }
    // Lines that only repeat the heading block: the title again and the number.
    while let Some(first) = body.first() {
        let squashed = squash(first);
        let repeats_title = title.as_deref().is_some_and(|t| {
            squashed == squash(t)
                || (squashed.chars().count() >= 4 && squash(t).starts_with(&squashed))
        });
        if let Some(number) = standalone_doc_number(first) {
            doc_number.get_or_insert(number);
            body.remove(0);
        } else if repeats_title {
            body.remove(0);
        } else {
            break;
        }
    }

    let labelled_number = meta.values.iter().any(|v| v.0 == Field::DocNumber);
    if let (None, false, Some((start, end))) = (&doc_number, labelled_number, title_span) {
        // A 文号 on a line of its own just above or below the title, outside the text.
        doc_number = (start.saturating_sub(1)..(end + 3).min(lines.len()))
            .filter(|&i| i < start || i > end)
            .find_map(|i| standalone_doc_number(&lines[i].text));
    }

    let decree = body.first().is_some_and(|l| is_decree_header(l));
    if decree && doc_number.is_none() {
        // `中华人民共和国国务院令` over `第707号`.
        let number = body
            .first()
            .map(|h| format!("{h}{}", body.get(1).copied().unwrap_or_default()));
        doc_number = number
            .as_deref()
            .and_then(normalize_doc_number)
            .or_else(|| body.first().and_then(|h| normalize_doc_number(h)));
    }

    let addressees = addressees(body.first().copied());
    let signature = signature(&body);
    if decree && title.is_none() {
        // A decree enacts the regulation printed after its signature (a minister's
        // name and a date): that regulation's name is the title.
        let dated = body
            .iter()
            .take(12)
            .position(|l| standalone_date(l).is_some());
        title = dated.and_then(|d| {
            body.iter()
                .skip(d + 1)
                .take(3)
                .find(|l| is_title_like(l))
                .and_then(|l| clean_title(l))
        });
    }
    // The title may be the only place that names the issuer (`国务院关于…的通知`).
    let issuer = meta
        .best(Field::Issuer, clean_issuer)
        .or_else(|| signature.as_ref().and_then(|s| s.offices.clone()))
        .or_else(|| title.as_deref().and_then(issuer_from_title));
    let written_date = meta
        .best(Field::WrittenDate, find_date)
        .or_else(|| signature.as_ref().map(|s| s.date.clone()));
    // A page that shows no publication date is dated by the document itself.
    let publish_date = meta
        .best(Field::PublishDate, find_date)
        .or_else(|| written_date.clone());

    let provisions = provisions::extract(&body);
    let attachments = attachments(&page, &body, input.url);
    let body = body.join("\n");
    let url = input
        .url
        .map(|u| canonical_url(u).unwrap_or_else(|| u.to_string()));
    let mut doc = PolicyDoc {
        url,
        title,
        doc_number,
        issuer,
        publish_date,
        written_date,
        addressees,
        body,
        provisions,
        attachments,
        source: input.source.map(str::to_string),
        ..Default::default()
    };
    doc.id = page_id(&doc);
    doc
}

/// The lines a title printed over two or three lines of the title block spans, around
/// the title-shaped line `at`: `(first, last)`. A neighbour continues the title when it
/// is a short fragment (no sentence punctuation, label, link or chrome) printed like the
/// title line, and either a known full title (`<title>`, meta) holds the joined text,
/// or the wording joins them (`…关于印发` + `…的通知`, `国务院办公厅` + `关于…的通知`),
/// or (above the title line) both are lines of one heading element.
fn wrapped_title(
    lines: &[Line],
    metadata_line: &[bool],
    at: usize,
    limit: usize,
    known: &[String],
) -> (usize, usize) {
    const CONTINUES_AFTER: &[&str] = &[
        "关于", "印发", "转发", "批转", "的", "和", "与", "及", "暨", "《", "“", "、", "（",
    ];
    const CONTINUES_BEFORE: &[&str] = &["的", "和", "与", "及", "暨", "、", "》", "”", "（"];
    let title = &lines[at];
    let fragment = |i: usize| {
        let line = &lines[i];
        let text = line.text.trim();
        !metadata_line[i]
            && !line.chrome
            && line.link_chars == 0
            && !is_chrome(text)
            && (2..=60).contains(&text.chars().count())
            && !text.contains(['。', '，', '；', '：', ':', '！', '？', ',', ';'])
            && line.heading == title.heading
            && line.in_content == title.in_content
            && labelled(text).is_none()
            && standalone_date(text).is_none()
            && standalone_doc_number(text).is_none()
            && !is_decree_header(text)
    };
    let joins = |upper: &str, lower: &str| {
        CONTINUES_AFTER.iter().any(|w| upper.ends_with(w))
            || CONTINUES_BEFORE.iter().any(|w| lower.starts_with(w))
            || (lower.starts_with("关于") && is_org_like(upper))
            || (upper.contains("关于") && !is_title_like(upper))
    };
    let squashed = |from: usize, to: usize| -> String {
        lines[from..=to].iter().map(|l| squash(&l.text)).collect()
    };
    let corroborated = |text: &str| known.iter().any(|k| k.contains(&fold(text)));
    let (mut start, mut end) = (at, at);
    while start > 0 && end - start < 2 && fragment(start - 1) {
        let upper = squash(&lines[start - 1].text);
        let lower = squashed(start, end);
        let joined = format!("{upper}{lower}");
        // Lines of one heading element broken by `<br>`.
        let one_heading = title.heading_node.is_some()
            && lines[start - 1].heading_node == title.heading_node
            && !(is_title_like(&upper) && is_title_like(&lines[start].text));
        if !(corroborated(&joined) || joins(&upper, &lower) || one_heading)
            || joined.chars().count() > 150
        {
            break;
        }
        start -= 1;
    }
    // A last line too short to look like a title (`的通知`).
    while end + 1 < limit.min(lines.len()) && end - start < 2 && fragment(end + 1) {
        let upper = squashed(start, end);
        let lower = squash(&lines[end + 1].text);
        let joined = format!("{upper}{lower}");
        if !(corroborated(&joined) || CONTINUES_BEFORE.iter().any(|w| lower.starts_with(w)))
            || !is_title_like(&joined)
            || joined.chars().count() > 150
        {
            break;
        }
        end += 1;
    }
    (start, end)
}

/// Folds the bracket and quote variants a title is typed with in different places.
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '“' | '”' | '＂' => '"',
            '‘' | '’' => '\'',
            '〈' => '《',
            '〉' => '》',
            other => other,
        })
        .collect()
}

/// A line of running text rather than a heading or a label.
fn is_sentence(text: &str) -> bool {
    text.chars().count() >= 30 && text.contains(['。', '，', '；', ','])
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn clean_title(raw: &str) -> Option<String> {
    let t = raw.trim();
    let chars = t.chars().count();
    ((2..=200).contains(&chars) && t.chars().any(is_han)).then(|| squash_spaces(t))
}

/// Collapses inner white space, dropping it between Chinese characters.
fn squash_spaces(s: &str) -> String {
    let mut out = String::new();
    let words: Vec<&str> = s.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            let prev = words[i - 1].chars().last().unwrap_or(' ');
            let next = w.chars().next().unwrap_or(' ');
            if !(is_han(prev) || is_han(next)) {
                out.push(' ');
            }
        }
        out.push_str(w);
    }
    out
}

/// `标题_网站名` → `标题`: the part of `<title>` that is not the site's name.
fn title_from_tag(tag: &str) -> Option<String> {
    let parts: Vec<&str> = tag
        .split(['_', '|', '｜', '—', '-', '–'])
        .map(str::trim)
        .filter(|p| p.chars().count() >= 4)
        .collect();
    parts
        .iter()
        .find(|p| is_title_like(p))
        .or_else(|| parts.first())
        .and_then(|p| clean_title(p))
}

fn clean_issuer(raw: &str) -> Option<String> {
    let v = raw.trim();
    let chars = v.chars().count();
    ((2..=60).contains(&chars) && v.chars().any(is_han) && !v.contains('。')).then(|| v.to_string())
}

/// Where the title is printed in the text (possibly over two or three lines, possibly
/// after the document number): the index of the line after it.
fn find_title_span(lines: &[Line], title: &str, zone: Range<usize>) -> Option<usize> {
    let target = squash(title);
    let end = zone.end;
    for start in zone {
        let mut joined = String::new();
        for (k, line) in lines
            .iter()
            .enumerate()
            .take(end.min(start + 3))
            .skip(start)
        {
            let mut text = squash(&line.text);
            if joined.is_empty()
                && let Some((_, len)) = leading_doc_number(&text)
            {
                text = text[len..].to_string();
            }
            joined.push_str(&text);
            if joined == target {
                return Some(k + 1);
            }
            if !target.starts_with(&joined) {
                break;
            }
        }
    }
    None
}

/// 主送机关: the first line of the text when it ends with a colon and names offices.
fn addressees(first: Option<&str>) -> Vec<String> {
    let Some(line) = first else {
        return Vec::new();
    };
    let chars = line.chars().count();
    let Some(list) = line.strip_suffix('：').or_else(|| line.strip_suffix(':')) else {
        return Vec::new();
    };
    if chars > 300 || list.contains(['。', '：', ':']) || list.contains("如下") {
        return Vec::new();
    }
    list.split(['，', ',', '；', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The signature block (落款) that closes the letter.
struct Signature {
    /// The signing offices, `、`-separated.
    offices: Option<String>,
    date: String,
}

/// The first date line of the text preceded by office names (or with them on its line).
fn signature(body: &[&str]) -> Option<Signature> {
    for (i, line) in body.iter().enumerate().skip(1) {
        if let Some(date) = standalone_date(line) {
            let mut orgs = Vec::new();
            let mut k = i;
            while k > 0 && orgs.len() < 4 && is_org_like(body[k - 1]) {
                orgs.push(body[k - 1].trim());
                k -= 1;
            }
            if !orgs.is_empty() {
                orgs.reverse();
                // Co-signers stand on one line apart, or on lines of their own.
                let offices: Vec<&str> = orgs.iter().flat_map(|l| l.split_whitespace()).collect();
                return Some(Signature {
                    offices: Some(offices.join("、")),
                    date,
                });
            }
        }
        // Office and date on one line: `辽宁省科学技术厅  2020年2月25日`.
        if let Some(pos) = line.rfind(|c: char| c.is_whitespace()) {
            let (org, date) = line.split_at(pos);
            if let Some(date) = standalone_date(date)
                && is_org_like(org.trim())
            {
                return Some(Signature {
                    offices: Some(org.trim().to_string()),
                    date,
                });
            }
        }
    }
    None
}

const ATTACHMENT_EXTENSIONS: &[&str] = &[
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".ofd", ".zip", ".rar", ".7z", ".txt",
    ".ppt", ".pptx", ".csv",
];

/// Linked files, and attachments the text names (`附件：…`) without a link.
fn attachments(page: &Page, body: &[&str], url: Option<&str>) -> Vec<Attachment> {
    let base = page
        .base_href
        .as_deref()
        .and_then(|b| {
            url.and_then(|u| Url::parse(u).ok())
                .and_then(|u| u.join(b).ok())
                .or_else(|| Url::parse(b).ok())
        })
        .or_else(|| url.and_then(|u| Url::parse(u).ok()));
    let mut out: Vec<Attachment> = Vec::new();
    for link in &page.links {
        let href = link.href.trim();
        let lower = href.to_ascii_lowercase();
        let path = lower.split(['?', '#']).next().unwrap_or_default();
        let is_file = ATTACHMENT_EXTENSIONS.iter().any(|e| path.ends_with(e));
        if !is_file || lower.starts_with("javascript:") || lower.starts_with("mailto:") {
            continue;
        }
        let resolved = match &base {
            Some(b) => b.join(href).map(String::from).ok(),
            None => Url::parse(href).ok().map(String::from),
        }
        .or_else(|| Some(href.to_string()));
        let title = if link.text.is_empty() {
            href.rsplit('/').next().unwrap_or(href).to_string()
        } else {
            link.text.clone()
        };
        if !out.iter().any(|a| a.url == resolved) {
            out.push(Attachment {
                title,
                url: resolved,
            });
        }
    }
    for line in body {
        let Some(rest) = line.strip_prefix("附件") else {
            continue;
        };
        let name = rest
            .trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace())
            .trim_start_matches([':', '：', '.', '．', '、'])
            .trim();
        if name.chars().count() < 2 || name.chars().count() > 120 || name.contains('。') {
            continue;
        }
        let known = out.iter().any(|a| {
            squash(&a.title).contains(&squash(name)) || squash(name).contains(&squash(&a.title))
        });
        if !known {
            out.push(Attachment {
                title: name.to_string(),
                url: None,
            });
        }
    }
    out
}

/// The canonical form of a page URL: absolute http(s), no fragment, default port dropped.
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut url = Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    Some(url.into())
}

/// The stable id of a document: its canonical URL when it has one, else a hash of its
/// content.
pub fn doc_id(url: Option<&str>, content: &str) -> String {
    url.and_then(canonical_url)
        .unwrap_or_else(|| content_id(content))
}

/// The id of a parsed page: its canonical URL; without one, the hash of its body, as
/// [`doc_id`] gives it (unchanged, so indexes built before keep their entries when a
/// page is ingested again); and for a page whose body is empty (a truncated capture that
/// kept only its title block), the hash of what names the document — title, 文号,
/// issuer, dates —, never of the empty body, which every such page would share.
///
/// Two pages with one body and different titles still share the body's id: a body
/// holds the document's text, and no two pages of the shared corpus collide so.
fn page_id(doc: &PolicyDoc) -> String {
    if doc.url.as_deref().and_then(canonical_url).is_some() || !doc.body.is_empty() {
        return doc_id(doc.url.as_deref(), &doc.body);
    }
    let fields = [
        doc.title.as_deref(),
        doc.doc_number.as_deref(),
        doc.issuer.as_deref(),
        doc.publish_date.as_deref(),
        doc.written_date.as_deref(),
    ];
    // Tagged and separated, so the key is never a body and fields do not run together.
    let mut key = String::from("zhengce:page-without-body");
    for field in fields {
        key.push('\u{1f}');
        key.push_str(field.unwrap_or_default());
    }
    content_id(&key)
}

/// A short content hash, `sha256:` and 16 hex digits.
pub fn content_id(content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}
