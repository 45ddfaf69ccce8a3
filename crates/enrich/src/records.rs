//! Corpus records (one JSON object a line) as documents.
//!
//! Every record with a title or a 文号 becomes a document, with or without a body: a
//! record known only by its metadata is a catalogue entry, searchable by title and 文号.
//! A record with neither is skipped with its reason. A value that is not what its field
//! says (a date that is no date, an unknown jurisdiction, a 文号 that is no number) is
//! dropped or kept as written, and noted; it never fails the record.
//!
//! ## Record fields → document
//!
//! | record field | sources | document |
//! |---|---|---|
//! | `id` | all | `id` (else the URL, else a hash of the text) |
//! | `url`, `source` | all | the same |
//! | `title` | all | `title`, on one line ([`one_line_title`]) |
//! | `doc_number` | policy_transparency, govcn_sql | `doc_number`, folded to `〔〕`; kept as written when it is no 文号 |
//! | `issuer` | govcn_sql, bjtcm, jiangxi_gov, lawrefbook (部门规章) | `issuer` |
//! | `publish_date`, `written_date` | most | the same when a calendar date `YYYY-MM-DD` (see `path`) |
//! | `body` | all but policy_transparency | `body` (Markdown marks removed by `zhengce_parse::clean_markdown`) and its provisions |
//! | `region` | lawrefbook (地方法规: `上海`) | `region` (`上海市`) |
//! | `jurisdiction` | policy_transparency (`Guangdong Provincial Government`) | `region` (`广东省`, `State Council` → `全国`) |
//! | `scope` | gccmpd (`National`) | `region` (`全国`) |
//! | `category` | lawrefbook (`行政法规`, `北京地方法规/地方性法规`) | `category`; national law categories → region `全国` |
//! | `collection` | gccmpd (`MEE_PRC`, `GOV_CHN`) | `category` |
//! | `doc_type` | wikisource_reports (`政府工作报告`) | `doc_type` |
//! | `year` | gccmpd, wikisource_reports | `year` (dating a record without a date) |
//! | `info` | lawrefbook | `history` (adoption and amendments; a leading `# 合同编` names the part of a code, added to the title) |
//! | `index_number` | govcn_sql | `index_number` (索引号) |
//! | `theme` | govcn_sql | `theme` (主题分类) |
//! | `column` | jiangxi_gov | `column` |
//! | `site` | jiangxi_gov | `publisher`; the issuer when nothing else names one |
//! | `collection` | gccmpd | also `publisher` (`MEE_PRC` → 生态环境部, `GOV_CHN` → 中国政府网) |
//! | `congress` | wikisource_reports (党代会报告) | issuer 中国共产党中央委员会, region 全国 |
//! | `attachments` | bjtcm | `attachments` (titles) |
//! | `html_file` | bjtcm, govcn_sql, jiangxi_gov | `Record::page`: the page the record was taken from, so that an ingest of the page beside it skips it |
//! | `path` | lawrefbook | a date in the file name (`…条例(2001-05-25).md`) is the `publish_date`'s origin: a later adoption or amendment in `info` replaces it |
//!
//! What no record field gives is derived afterwards by [`enrich`](crate::enrich): issuer
//! from the title (`…关于`), the law's adoption line, the 文号 prefix, or the signature
//! block of the body; region from the issuer, 文号 or host; 文种 from the title.

use serde_json::{Map, Value};
use zhengce_model::{Attachment, PolicyDoc, is_valid_date, normalize_doc_number};
use zhengce_parse::{clean_markdown, content_id, doc_id, extract_provisions};

use crate::derive::{region_from_jurisdiction, region_name};

/// A record made into a document, with what was dropped or doubtful on the way.
#[derive(Debug, Clone)]
pub struct Record {
    pub doc: PolicyDoc,
    /// One line per value that was dropped or kept as written (`publish_date "2023-13-45"
    /// is not a date, dropped`).
    pub notes: Vec<String>,
    /// The page the record was taken from (`html_file`: `html/<source>/…`, relative to the
    /// corpus root that holds the record's `docs/` folder).
    pub page: Option<String>,
}

/// Why a record did not become a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The line is not JSON, or not a JSON object.
    #[error("invalid record: {0}")]
    Invalid(String),
    /// Nothing to find it by.
    #[error("record has neither a title nor a 文号")]
    Unidentifiable,
}

/// Collections of the GCCMPD data set and who published them (its documentation).
const COLLECTIONS: &[(&str, &str)] = &[("MEE_PRC", "生态环境部"), ("GOV_CHN", "中国政府网")];

/// Law categories of the central level (LawRefBook's folders).
const NATIONAL_CATEGORIES: &[&str] = &[
    "宪法",
    "宪法相关法",
    "民法典",
    "民法商法",
    "行政法",
    "经济法",
    "社会法",
    "刑法",
    "诉讼与非诉讼程序法",
    "行政法规",
    "司法解释",
    "部门规章",
];

/// One JSON line as a document.
pub fn parse_record(line: &str) -> Result<Record, RecordError> {
    let value: Value =
        serde_json::from_str(line).map_err(|e| RecordError::Invalid(format!("not JSON: {e}")))?;
    record_to_doc(&value)
}

/// A corpus record as a document (the field table is in the module documentation).
pub fn record_to_doc(record: &Value) -> Result<Record, RecordError> {
    let obj = record
        .as_object()
        .ok_or_else(|| RecordError::Invalid("not a JSON object".into()))?;
    let mut notes = Vec::new();
    let text = |k: &str| text_field(obj, k);

    let raw_number = text("doc_number");
    let doc_number = raw_number.as_ref().map(|n| {
        normalize_doc_number(n).unwrap_or_else(|| {
            notes.push(format!("doc_number {n:?} is not a 文号, kept as written"));
            n.clone()
        })
    });
    let mut title = text("title").map(|t| one_line_title(&t));
    if title.is_none() && doc_number.is_none() {
        return Err(RecordError::Unidentifiable);
    }

    let mut date = |k: &str| {
        let value = text(k)?;
        if is_valid_date(&value) {
            Some(value)
        } else {
            notes.push(format!("{k} {value:?} is not a date YYYY-MM-DD, dropped"));
            None
        }
    };
    let mut publish_date = date("publish_date");
    let written_date = date("written_date");

    let mut history = text("info");
    // `# 合同编` first: the record is one part of a code published in parts.
    if let Some(info) = &history
        && let Some(first) = info.lines().next()
        && let Some(part) = first.trim().strip_prefix('#')
    {
        let part = part.trim().to_string();
        if let Some(t) = &title
            && !part.is_empty()
            && !t.contains(&part)
        {
            title = Some(format!("{t}（{part}）"));
        }
        let rest: Vec<&str> = info.lines().skip(1).collect();
        history = Some(rest.join("\n")).filter(|h| !h.trim().is_empty());
    }

    // A date taken from the source's file name (`…条例(2001-05-25).md`) gives way to the
    // text's own adoption or amendment when that is later: the file keeps the first
    // version's date while its text is the one adopted since.
    if let (Some(date), Some(history), Some(path)) = (&publish_date, &history, text("path"))
        && is_file_name_date(&path, date)
        && let Some(adopted) = crate::derive::latest_adoption(history).filter(|a| a > date)
    {
        notes.push(format!(
            "publish_date {date} from the file name is older than the text's adoption or \
             amendment on {adopted}, which replaces it"
        ));
        publish_date = Some(adopted);
    }

    let category = text("category").or_else(|| text("collection"));
    let mut region = None;
    if let Some(r) = text("region") {
        region = region_name(&r);
        if region.is_none() {
            notes.push(format!(
                "region {r:?} is not a province-level region, dropped"
            ));
        }
    }
    for key in ["jurisdiction", "scope"] {
        if let Some(j) = text(key) {
            match region_from_jurisdiction(&j) {
                Some(r) => {
                    region.get_or_insert(r);
                }
                None => notes.push(format!("{key} {j:?} is unknown, region derived otherwise")),
            }
        }
    }
    if region.is_none()
        && let Some(c) = &category
        && NATIONAL_CATEGORIES.contains(&c.as_str())
    {
        region = Some(crate::derive::NATIONAL.to_string());
    }

    let year = match obj.get("year") {
        Some(Value::Number(n)) => n.as_u64().and_then(|y| u16::try_from(y).ok()),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|y| (1000..=9999).contains(y));

    let raw_body = text("body").unwrap_or_default();
    // Provisions read the Markdown headings; the body shown is without them.
    let provisions = extract_provisions(&raw_body);
    let body = clean_markdown(&raw_body);
    let url = text("url");
    let id = text("id").unwrap_or_else(|| {
        let key = format!(
            "{}{}{}",
            title.as_deref().unwrap_or_default(),
            doc_number.as_deref().unwrap_or_default(),
            body
        );
        url.as_deref()
            .map(|u| doc_id(Some(u), &key))
            .unwrap_or_else(|| content_id(&key))
    });
    let attachments = obj
        .get("attachments")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(Attachment {
                        title: s.clone(),
                        url: None,
                    }),
                    Value::Object(o) => Some(Attachment {
                        title: text_field(o, "title").or_else(|| text_field(o, "name"))?,
                        url: text_field(o, "url"),
                    }),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let doc = PolicyDoc {
        id,
        url,
        title,
        doc_number,
        issuer: text("issuer")
            .map(|i| i.trim_matches('\u{200b}').to_string())
            .filter(|i| !i.is_empty()),
        publish_date,
        written_date,
        body,
        provisions,
        attachments,
        source: text("source"),
        region,
        doc_type: text("doc_type"),
        category,
        year,
        history,
        index_number: text("index_number"),
        theme: text("theme"),
        column: text("column"),
        ..Default::default()
    };
    let mut record = Record {
        doc,
        notes,
        page: text("html_file"),
    };
    record.doc.publisher = text("site").or_else(|| {
        text("collection").and_then(|c| {
            COLLECTIONS
                .iter()
                .find(|(name, _)| *name == c)
                .map(|(_, publisher)| publisher.to_string())
        })
    });
    // A report to a national congress of the Party is the Central Committee's.
    if record.doc.issuer.is_none() && obj.get("congress").is_some_and(|c| !c.is_null()) {
        record.doc.issuer = Some("中国共产党中央委员会".to_string());
        record.doc.region = Some(crate::derive::NATIONAL.to_string());
    }
    Ok(record)
}

/// Whether `date` is the one in a source file's name (`河南/…条例(2001-05-25).md`).
fn is_file_name_date(path: &str, date: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.contains(&format!("({date})")) || name.contains(&format!("（{date}）"))
}

/// A title on one line: a run of whitespace holding a line break vanishes beside Chinese
/// text (`海南省人民政府关于\n2006年度…`, `》和\n《`), every other run becomes one space
/// (`最高人民法院  最高人民检察院`, `WZ6-13 A1S1`).
///
/// ```
/// use zhengce_enrich::records::one_line_title;
///
/// assert_eq!(one_line_title("海南省人民政府\n关于表彰…的通报"), "海南省人民政府关于表彰…的通报");
/// assert_eq!(one_line_title("（WZ6-13\tA1S1）"), "（WZ6-13 A1S1）");
/// ```
pub fn one_line_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut chars = title.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_whitespace() {
            out.push(c);
            continue;
        }
        let mut line_break = is_line_break(c);
        while let Some(&next) = chars.peek().filter(|n| n.is_whitespace()) {
            line_break |= is_line_break(next);
            chars.next();
        }
        let before = out.chars().next_back();
        let after = chars.peek().copied();
        let beside_chinese = before.is_some_and(is_chinese) || after.is_some_and(is_chinese);
        if !(line_break && beside_chinese) {
            out.push(' ');
        }
    }
    out
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Chinese characters and the punctuation set with them (`《》（）“”、，`, full-width forms).
fn is_chinese(c: char) -> bool {
    zhengce_model::is_han(c)
        || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF | 0x2018..=0x201F | 0x2026)
}

fn text_field(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "None")
        .map(str::to_string)
}
