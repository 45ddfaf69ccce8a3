//! The policy document model shared by every zhengce crate.
//!
//! A [`PolicyDoc`] is one published policy document (通知, 意见, 办法 …) with its
//! metadata, its clean body text and the numbered [`Provision`]s found in it. Every
//! other crate speaks in these types: the parser produces them, the index stores them,
//! the server returns them as JSON.
//!
//! Document numbers (文号) are written in many bracket styles on real pages;
//! [`normalize_doc_number`] folds them to the one canonical `〔〕` form that the index
//! and the query side compare.
//!
//! ```
//! use zhengce_model::normalize_doc_number;
//!
//! assert_eq!(normalize_doc_number("辽科发[2020]6 号").as_deref(), Some("辽科发〔2020〕6号"));
//! assert_eq!(normalize_doc_number("国办发（2019）3号").as_deref(), Some("国办发〔2019〕3号"));
//! assert_eq!(normalize_doc_number("not a number"), None);
//! ```

use serde::{Deserialize, Serialize};

/// One policy document: metadata, clean body and provisions.
///
/// Optional fields are `None` (JSON `null`) when the page does not show them; dates
/// are `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDoc {
    /// Stable id: a corpus record's id, else the canonical URL, else a content hash.
    pub id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    /// 文号 in canonical form, see [`normalize_doc_number`].
    pub doc_number: Option<String>,
    /// 发布单位 / 发文机关.
    pub issuer: Option<String>,
    /// 发布日期, `YYYY-MM-DD`.
    pub publish_date: Option<String>,
    /// 成文日期 (the date in the signature block), `YYYY-MM-DD`.
    pub written_date: Option<String>,
    /// 主送机关: the offices the document is addressed to.
    #[serde(default)]
    pub addressees: Vec<String>,
    /// Clean text, paragraphs separated by `\n`, without portal chrome.
    pub body: String,
    #[serde(default)]
    pub provisions: Vec<Provision>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Where the document came from (a corpus name, a site, or `file`).
    pub source: Option<String>,
}

/// One numbered provision (条款) of a document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provision {
    /// The provision's number as printed (`"30"`, `"第三条"`, `"（二）"`), qualified with
    /// its section (`"一/（二）"`) when the bare number repeats within the document.
    pub number: String,
    /// Headings of the sections that contain the provision, outermost first.
    #[serde(default)]
    pub heading_path: Vec<String>,
    pub text: String,
    /// 牵头处室 / 牵头单位 / 牵头部门.
    #[serde(default)]
    pub lead_depts: Vec<String>,
    /// 责任处室 / 责任单位 / 配合部门.
    #[serde(default)]
    pub resp_depts: Vec<String>,
}

/// A file attached to a document (附件).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub title: String,
    /// Absolute URL when the page links the file, `None` when it only names it.
    pub url: Option<String>,
}

/// Folds a document number (文号) to its canonical form, or `None` when `raw` is not one.
///
/// The canonical form is `PREFIX〔YEAR〕N号`: brackets `[] () （） 【】 ［］ ﹝﹞ 〔〕 {}` become
/// `〔〕`, full-width digits become ASCII, and all white space is removed. Decrees are
/// numbered without a year, `国令第707号` or `国家卫生和计划生育委员会令第 14 号`, and
/// keep that form. `raw` must be a document number and nothing else (surrounding white
/// space is fine).
pub fn normalize_doc_number(raw: &str) -> Option<String> {
    let folded: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '[' | '(' | '（' | '【' | '［' | '﹝' | '{' | '〔' | '〖' => '〔',
            ']' | ')' | '）' | '】' | '］' | '﹞' | '}' | '〕' | '〗' => '〕',
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            other => other,
        })
        .collect();
    if let Some(decree) = decree_number(&folded) {
        return Some(decree);
    }
    let (prefix, rest) = folded.split_once('〔')?;
    let (year, serial) = rest.split_once('〕')?;
    let serial = serial.strip_suffix('号')?;
    let prefix_ok = !prefix.is_empty()
        && prefix.chars().count() <= 20
        && prefix.chars().any(is_han)
        && prefix
            .chars()
            .all(|c| is_han(c) || c.is_ascii_alphanumeric() || c == '-');
    let year_ok = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
    let serial_ok = !serial.is_empty()
        && serial.len() <= 6
        && serial.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    (prefix_ok && year_ok && serial_ok).then_some(folded)
}

/// `…令第N号`: the numbering of decrees (国务院令, 部令).
fn decree_number(folded: &str) -> Option<String> {
    let (prefix, serial) = folded.split_once("令第")?;
    let serial = serial.strip_suffix('号')?;
    let prefix_ok = (1..=20).contains(&prefix.chars().count()) && prefix.chars().all(is_han);
    let serial_ok = (1..=5).contains(&serial.len()) && serial.bytes().all(|b| b.is_ascii_digit());
    (prefix_ok && serial_ok).then(|| folded.to_string())
}

/// Whether `c` is a CJK unified ideograph (including extension A and the compatibility block).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x2EBEF | 0x3007)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_number_bracket_variants_are_one_number() {
        let canonical = Some("辽科发〔2020〕6号".to_string());
        for raw in [
            "辽科发〔2020〕6号",
            "辽科发[2020]6号",
            "辽科发(2020)6号",
            "辽科发（2020）6号",
            "辽科发【2020】6号",
            "辽科发［2020］6号",
            "辽科发﹝2020﹞6号",
            "辽科发〔2020〕6 号",
            " 辽科发 〔２０２０〕６号 ",
            "辽科发\u{3000}[2020] 6号",
        ] {
            assert_eq!(normalize_doc_number(raw), canonical, "{raw}");
        }
    }

    #[test]
    fn decree_numbers() {
        assert_eq!(
            normalize_doc_number("国令第707号").as_deref(),
            Some("国令第707号")
        );
        assert_eq!(
            normalize_doc_number("国家卫生和计划生育委员会令第 14 号").as_deref(),
            Some("国家卫生和计划生育委员会令第14号")
        );
        assert_eq!(normalize_doc_number("令第14号"), None);
    }

    #[test]
    fn non_numbers_are_rejected() {
        for raw in [
            "",
            "〔2020〕6号",
            "辽科发〔20〕6号",
            "辽科发〔2020〕号",
            "辽科发〔2020〕6",
            "关于印发2020年度全省科技工作要点的通知",
            "abc[2020]6号",
        ] {
            assert_eq!(normalize_doc_number(raw), None, "{raw}");
        }
    }

    #[test]
    fn model_serialises_unknown_fields_as_null() {
        let doc = PolicyDoc {
            id: "x".into(),
            ..Default::default()
        };
        let json = serde_json::to_value(&doc).unwrap();
        assert!(json["doc_number"].is_null());
        assert_eq!(json["provisions"], serde_json::json!([]));
    }
}
