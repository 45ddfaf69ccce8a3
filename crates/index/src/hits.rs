//! Hits as data: the stored fields of an entry, its snippet and status.

use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use tantivy::schema::{Field, Value};
use zhengce_model::Amount;

use crate::Fields;
use crate::collect::doc_status;
use crate::request::Level;
use crate::snippet::{SNIPPET_CHARS, Snippet, snippet};

/// A provision matched inside a document hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchedProvision {
    pub number: String,
    pub benefits: Vec<String>,
    pub amounts: Vec<Amount>,
    pub heading_path: Vec<String>,
    pub lead_depts: Vec<String>,
    pub resp_depts: Vec<String>,
    pub snippet: Snippet,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub level: Level,
    pub doc_id: String,
    pub title: Option<String>,
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    pub region: Option<String>,
    pub doc_type: Option<String>,
    pub publish_date: Option<String>,
    pub url: Option<String>,
    pub provision_number: Option<String>,
    pub heading_path: Vec<String>,
    pub lead_depts: Vec<String>,
    pub resp_depts: Vec<String>,
    /// An excerpt of the text with the byte ranges of the query's strings.
    pub snippet: Snippet,
    /// A catalogue entry: a document known by its metadata only, without a body.
    pub catalogue_entry: bool,
    /// BM25 score; `null` when sorted by date.
    pub score: Option<f32>,
    pub matched_provisions: Vec<MatchedProvision>,
    pub benefits: Vec<String>,
    pub beneficiaries: Vec<String>,
    /// Amounts and targets the provision states.
    pub amounts: Vec<Amount>,
    /// Validity status on the request's `as_of` date.
    pub status: String,
    /// Other documents of the same work (older versions, other parts of a code) that
    /// match the query, collapsed into this hit, best first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collapsed: Vec<String>,
}

pub(crate) fn hit_from(
    fields: &Fields,
    doc: &TantivyDocument,
    score: Option<f32>,
    terms: &[String],
    as_of: u64,
) -> Hit {
    let text = |f: Field| {
        doc.get_first(f)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let all = |f: Field| -> Vec<String> {
        doc.get_all(f)
            .filter_map(|v| v.as_str())
            .map(str::to_string)
            .collect()
    };
    let level = if text(fields.level).as_deref() == Some("provision") {
        Level::Provision
    } else {
        Level::Doc
    };
    let body = text(fields.stored_text(level)).unwrap_or_default();
    let catalogue_entry = level == Level::Doc && body.trim().is_empty();
    Hit {
        id: text(fields.id).unwrap_or_default(),
        level,
        doc_id: text(fields.doc_id).unwrap_or_default(),
        title: text(fields.stored_title(level)),
        doc_number: text(fields.doc_number),
        issuer: text(fields.issuer),
        region: text(fields.region),
        doc_type: text(fields.doc_type),
        publish_date: text(fields.publish_date),
        url: text(fields.url),
        provision_number: text(fields.provision_number),
        heading_path: text(fields.heading_path)
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default(),
        lead_depts: all(fields.lead_dept),
        resp_depts: all(fields.resp_dept),
        snippet: word_bound(snippet(&body, terms, SNIPPET_CHARS)),
        catalogue_entry,
        score,
        matched_provisions: Vec::new(),
        benefits: all(fields.benefit),
        beneficiaries: all(fields.beneficiary),
        amounts: text(fields.amounts)
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default(),
        status: stored_status(fields, doc, as_of).to_string(),
        collapsed: Vec::new(),
    }
}

/// The snippet without the highlights of abbreviations that straddle a word boundary
/// there (`高企` inside `提高企业`, where jieba's word `提高` crosses its start).
fn word_bound(mut snippet: Snippet) -> Snippet {
    let abbreviation = |&(s, e): &(usize, usize)| {
        snippet
            .text
            .get(s..e)
            .is_some_and(zhengce_analysis::is_abbreviation)
    };
    if !snippet.highlights.iter().any(abbreviation) {
        return snippet;
    }
    let words: Vec<(usize, usize)> = zhengce_analysis::WordTokenizer::default()
        .tokens(&snippet.text)
        .into_iter()
        .map(|t| (t.offset_from, t.offset_to))
        .collect();
    let crossed = |&(s, e): &(usize, usize)| {
        words
            .iter()
            .any(|&(a, b)| (a < s && s < b) || (a < e && e < b))
    };
    let keep: Vec<(usize, usize)> = snippet
        .highlights
        .iter()
        .copied()
        .filter(|h| !abbreviation(h) || !crossed(h))
        .collect();
    snippet.highlights = keep;
    snippet
}

/// The strings a search for `query` marks in its snippets: its terms and their synonyms,
/// normalised (none when `query` does not parse). Give them to [`highlight`].
pub fn highlight_terms_of(query: &str) -> Vec<String> {
    crate::parse_query(query)
        .map(|parsed| crate::build::highlight_terms(&parsed))
        .unwrap_or_default()
}

/// The whole of `text` (a title, a provision, a paragraph) marked as a search's snippets
/// mark it: `terms` from [`highlight_terms_of`], an abbreviation only where it stands as
/// a word. Line breaks read as spaces, and the scan stops where a snippet's does
/// (after its `MAX_MATCHES` matches).
pub fn highlight(text: &str, terms: &[String]) -> Snippet {
    word_bound(snippet(text, terms, text.chars().count()))
}

/// A stored entry's status on `as_of`.
fn stored_status(fields: &Fields, doc: &TantivyDocument, as_of: u64) -> &'static str {
    let num = |f: Field| doc.get_first(f).and_then(|v| v.as_u64());
    doc_status(
        num(fields.valid_from).unwrap_or(0),
        num(fields.valid_to).unwrap_or(crate::schema::OPEN_END),
        num(fields.superseded).unwrap_or(0),
        as_of,
    )
}
