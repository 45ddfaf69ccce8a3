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

mod dates;
mod facts;

use serde::{Deserialize, Serialize};

pub use dates::{find_date, fold_full_width, han_number, small_number, standalone_date};
pub use facts::{
    Amount, Classification, DocFacts, MONEY, ProvisionFacts, Status, Validity, Window,
};

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
    /// Province-level region (`辽宁省`), or `全国` for the central authorities.
    #[serde(default)]
    pub region: Option<String>,
    /// 文种 (`通知`, `条例`, `政府工作报告` …).
    #[serde(default)]
    pub doc_type: Option<String>,
    /// The source's own classification (`行政法规`, `上海地方法规/地方性法规` …).
    #[serde(default)]
    pub category: Option<String>,
    /// Year of the document when no full date is known.
    #[serde(default)]
    pub year: Option<u16>,
    /// Adoption and amendment history of a law or regulation, one event a line.
    #[serde(default)]
    pub history: Option<String>,
    /// 索引号 of government information disclosure.
    #[serde(default)]
    pub index_number: Option<String>,
    /// 主题分类 (`科技、教育\科技`).
    #[serde(default)]
    pub theme: Option<String>,
    /// The portal or collection that published the document (`江西省人民政府` for a page
    /// of its portal), which need not be its issuer.
    #[serde(default)]
    pub publisher: Option<String>,
    /// The portal column the page was published in (`政策文件`, `工作动态`).
    #[serde(default)]
    pub column: Option<String>,
    /// Other versions of the same work (same title, same issuer or region), newest first.
    #[serde(default)]
    pub versions: Vec<VersionRef>,
    /// The id of the newer version that replaces this one, when there is one.
    #[serde(default)]
    pub superseded_by: Option<String>,
}

impl PolicyDoc {
    /// A catalogue entry: a record known by its metadata only, without a body.
    pub fn is_catalogue_entry(&self) -> bool {
        self.body.trim().is_empty()
    }

    /// The date the document is dated by: 发布日期, else 成文日期.
    pub fn date(&self) -> Option<&str> {
        self.publish_date
            .as_deref()
            .or(self.written_date.as_deref())
    }

    /// The document's year: from its date, else the year it states.
    pub fn dated_year(&self) -> Option<u16> {
        self.date()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok())
            .or(self.year)
    }
}

/// Another version of a document's work, for the versions list of a document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRef {
    pub id: String,
    pub date: Option<String>,
    /// Whether this is the current (newest) version.
    pub current: bool,
}

/// Whether `date` is a real calendar date written `YYYY-MM-DD` (years 1000–9999).
pub fn is_valid_date(date: &str) -> bool {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| date.get(r).and_then(|s| s.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1000..=9999).contains(&y) && (1..=days).contains(&d)
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

/// Province-level divisions: (short name, full name, 文号 abbreviation, host word, pinyin).
pub const REGIONS: &[(&str, &str, &str, &str, &str)] = &[
    ("北京", "北京市", "京", "beijing", "beijing"),
    ("天津", "天津市", "津", "tianjin", "tianjin"),
    ("上海", "上海市", "沪", "shanghai", "shanghai"),
    ("重庆", "重庆市", "渝", "cq", "chongqing"),
    ("河北", "河北省", "冀", "hebei", "hebei"),
    ("山西", "山西省", "晋", "shanxi", "shanxi"),
    ("辽宁", "辽宁省", "辽", "ln", "liaoning"),
    ("吉林", "吉林省", "吉", "jl", "jilin"),
    ("黑龙江", "黑龙江省", "黑", "hlj", "heilongjiang"),
    ("江苏", "江苏省", "苏", "jiangsu", "jiangsu"),
    ("浙江", "浙江省", "浙", "zj", "zhejiang"),
    ("安徽", "安徽省", "皖", "ah", "anhui"),
    ("福建", "福建省", "闽", "fujian", "fujian"),
    ("江西", "江西省", "赣", "jiangxi", "jiangxi"),
    ("山东", "山东省", "鲁", "shandong", "shandong"),
    ("河南", "河南省", "豫", "henan", "henan"),
    ("湖北", "湖北省", "鄂", "hubei", "hubei"),
    ("湖南", "湖南省", "湘", "hunan", "hunan"),
    ("广东", "广东省", "粤", "gd", "guangdong"),
    ("海南", "海南省", "琼", "hainan", "hainan"),
    ("四川", "四川省", "川", "sc", "sichuan"),
    ("贵州", "贵州省", "黔", "guizhou", "guizhou"),
    ("云南", "云南省", "云", "yn", "yunnan"),
    ("陕西", "陕西省", "陕", "shaanxi", "shaanxi"),
    ("甘肃", "甘肃省", "甘", "gansu", "gansu"),
    ("青海", "青海省", "青", "qinghai", "qinghai"),
    ("内蒙古", "内蒙古自治区", "内", "nmg", "inner mongolia"),
    ("广西", "广西壮族自治区", "桂", "gxzf", "guangxi"),
    ("西藏", "西藏自治区", "藏", "xizang", "tibet"),
    ("宁夏", "宁夏回族自治区", "宁", "nx", "ningxia"),
    ("新疆", "新疆维吾尔自治区", "新", "xinjiang", "xinjiang"),
    ("香港", "香港特别行政区", "港", "hk", "hong kong"),
    ("澳门", "澳门特别行政区", "澳", "mo", "macao"),
];

/// The central level, as a region.
pub const NATIONAL: &str = "全国";

/// The full name of a province-level region written short or full (`辽宁`, `辽宁省`,
/// `广西`), or `全国`; `None` for anything else.
pub fn region_name(text: &str) -> Option<String> {
    let text = text.trim();
    if text == NATIONAL || text == "中央" || text == "国家" {
        return Some(NATIONAL.to_string());
    }
    REGIONS
        .iter()
        .find(|r| text == r.0 || text == r.1)
        .map(|r| r.1.to_string())
}

/// An office as people type it, its region written short (`辽宁科学技术厅`,
/// `广西科技厅`), in the name documents carry (`辽宁省科学技术厅`,
/// `广西壮族自治区科技厅`); anything else trimmed, as typed.
pub fn office_name(text: &str) -> String {
    let text = text.trim();
    // The longest leading short region name (at most four characters) that is not
    // already followed by the rest of its full name.
    let ends: Vec<usize> = text
        .char_indices()
        .skip(1)
        .take(4)
        .map(|(i, _)| i)
        .collect();
    for end in ends.into_iter().rev() {
        let (head, rest) = text.split_at(end);
        if let Some(full) = region_name(head)
            && full != head
            && full != NATIONAL
            && !text.starts_with(&full)
        {
            return format!("{full}{rest}");
        }
    }
    text.to_string()
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
    fn offices_and_regions_as_people_type_them() {
        assert_eq!(region_name("辽宁").as_deref(), Some("辽宁省"));
        assert_eq!(region_name("广西").as_deref(), Some("广西壮族自治区"));
        assert_eq!(office_name("辽宁科学技术厅"), "辽宁省科学技术厅");
        assert_eq!(office_name(" 辽宁省科学技术厅"), "辽宁省科学技术厅");
        assert_eq!(office_name("黑龙江科学技术厅"), "黑龙江省科学技术厅");
        assert_eq!(office_name("广西科技厅"), "广西壮族自治区科技厅");
        assert_eq!(office_name("国务院办公厅"), "国务院办公厅");
        assert_eq!(office_name("辽宁"), "辽宁");
    }

    #[test]
    fn dates_are_calendar_dates() {
        for ok in ["2020-02-29", "2021-12-31", "1999-01-01"] {
            assert!(is_valid_date(ok), "{ok}");
        }
        for bad in [
            "2021-02-29",
            "2020-13-01",
            "2020-04-31",
            "2020-4-1",
            "20200401",
            "",
            "２０２０-01-01",
        ] {
            assert!(!is_valid_date(bad), "{bad}");
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
