//! What zhengce derives from a document before it is indexed.
//!
//! A document arrives from the parser (a page) or from a corpus record
//! ([`records`]); [`enrich`] then fills in what the document implies but does not
//! state: the issuing office (from the title, a law's adoption line or the 文号 prefix),
//! the region (省/市 or 全国) and the 文种. Values the source gave are never overwritten.
//!
//! ```
//! use zhengce_enrich::{enrich, parse_record};
//!
//! let line = r#"{"id": "ptc:1", "jurisdiction": "Guangdong Provincial Government",
//!   "title": "广东省人民政府关于调整一批省级行政职权事项的决定",
//!   "doc_number": "粤府〔2023〕68号", "publish_date": "2023-09-25"}"#;
//! let mut doc = parse_record(line).unwrap().doc;
//! enrich(&mut doc);
//! assert_eq!(doc.issuer.as_deref(), Some("广东省人民政府"));
//! assert_eq!(doc.region.as_deref(), Some("广东省"));
//! assert_eq!(doc.doc_type.as_deref(), Some("决定"));
//! assert!(doc.is_catalogue_entry());
//! ```

pub mod derive;
pub mod records;
pub mod versions;

use zhengce_model::PolicyDoc;

pub use derive::{
    absolute_office, doc_type, is_office_name, issuer_from_doc_number, issuer_from_history,
    issuer_from_relative_decree, issuer_from_signature, issuer_from_title, issuer_from_title_shape,
    region, region_from_jurisdiction, region_name, region_of_office,
};
pub use records::{Record, RecordError, parse_record, record_to_doc};
pub use versions::{VersionKey, group_versions, version_key};

/// Where a derived issuer came from, for measuring the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuerSource {
    /// The document or record named it.
    Given,
    Title,
    History,
    DocNumber,
    /// `市政府办公厅关于…`, `省政府令第137号`, read in the document's region.
    Relative,
    /// The office above the date of the body's signature block.
    Signature,
    /// The portal or collection that published the document (a record's `site`, the
    /// 生态环境部 collection), when nothing names another issuer.
    Publisher,
}

/// A government office the title or a decree number names relative to the document's
/// region (given by the record, e.g. its jurisdiction).
fn relative_issuer(doc: &PolicyDoc) -> Option<String> {
    let region = doc.region.as_deref()?;
    doc.title
        .as_deref()
        .and_then(derive::relative_issuer_from_title)
        .and_then(|name| derive::absolute_office(name, region))
        .or_else(|| {
            doc.doc_number
                .as_deref()
                .and_then(|n| derive::issuer_from_relative_decree(n, region))
        })
}

/// Fills in the issuer, region and 文种 a document implies; what it states is kept.
pub fn enrich(doc: &mut PolicyDoc) -> Option<IssuerSource> {
    let source = derive_issuer(doc);
    if doc.region.is_none() {
        doc.region = region(
            doc.issuer.as_deref(),
            doc.doc_number.as_deref(),
            doc.url.as_deref(),
        );
    }
    // A national act about one province applies there (`北京市新技术产业开发试验区暂行条例`,
    // an administrative regulation the State Council approved for Beijing's zone).
    if doc.region.as_deref() == Some(zhengce_model::NATIONAL)
        && let Some(place) = doc.title.as_deref().and_then(titled_province)
    {
        doc.region = Some(place.to_string());
    }
    if doc.doc_type.is_none() {
        doc.doc_type = doc_type(doc.title.as_deref());
    }
    if doc.publish_date.is_none() && doc.written_date.is_none() {
        doc.written_date = date_from_head(&doc.body);
    }
    source
}

/// Lines at the head of a body where a text without a date says when it was adopted or
/// delivered.
const DATED_HEAD_LINES: usize = 6;

/// The date at the head of a body, for a document that has none: the adoption line under
/// its title (`（2023年3月13日第十四届全国人民代表大会第一次会议通过）`) or the line a speech
/// is dated by (`——2024年3月5日在第十四届全国人民代表大会第二次会议上`).
fn date_from_head(body: &str) -> Option<String> {
    let head: Vec<&str> = body
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{200b}'))
        .filter(|l| !l.is_empty())
        .take(DATED_HEAD_LINES)
        .collect();
    head.iter().find_map(|line| {
        let bracketed = (line.starts_with('（') || line.starts_with('('))
            && (line.ends_with('）') || line.ends_with(')'));
        if bracketed {
            return derive::latest_adoption(line);
        }
        let delivered = line.strip_prefix("——").or_else(|| line.strip_prefix("—"))?;
        delivered
            .contains('在')
            .then(|| zhengce_model::find_date(delivered))
            .flatten()
    })
}

/// The province-level region a title opens with, by its full name (`北京市…`, not the
/// national `北京2022年冬奥会…条例`).
fn titled_province(title: &str) -> Option<&'static str> {
    let title = title.trim();
    zhengce_model::REGIONS
        .iter()
        .find(|r| title.starts_with(r.1))
        .map(|r| r.1)
}

fn derive_issuer(doc: &mut PolicyDoc) -> Option<IssuerSource> {
    if doc.issuer.is_some() {
        return Some(IssuerSource::Given);
    }
    let title = doc.title.as_deref();
    let (issuer, source) = if let Some(i) = title
        .and_then(issuer_from_title)
        .or_else(|| title.and_then(derive::issuer_from_title_shape))
    {
        (i, IssuerSource::Title)
    } else if let Some(i) = (doc.history.as_deref()).and_then(|h| issuer_from_history(h, title)) {
        (i, IssuerSource::History)
    } else if let Some(i) = doc.doc_number.as_deref().and_then(issuer_from_doc_number) {
        (i, IssuerSource::DocNumber)
    } else if let Some(i) = relative_issuer(doc) {
        (i, IssuerSource::Relative)
    } else if let Some(i) = derive::issuer_from_signature(&doc.body) {
        (i, IssuerSource::Signature)
    } else if let Some(p) = doc.publisher.clone().filter(|p| is_office_name(p)) {
        (p, IssuerSource::Publisher)
    } else {
        return None;
    };
    doc.issuer = Some(issuer);
    Some(source)
}
