//! What a search asks: the query string, filters, facets, order and page.

use serde::{Deserialize, Serialize};

use crate::{IndexError, Result};

/// Largest page size a search accepts.
pub const MAX_PAGE_SIZE: usize = 100;
/// Results beyond this rank are not served (page × size).
pub const MAX_RESULT_WINDOW: usize = 10_000;
/// Query terms (words, phrases and OR alternatives) a query may have.
pub const MAX_QUERY_TERMS: usize = 32;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    #[default]
    Doc,
    Provision,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Doc => "doc",
            Level::Provision => "provision",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Relevance,
    Date,
}

/// A facet a search can count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FacetField {
    Issuer,
    Year,
    LeadDept,
    Region,
    DocType,
    Benefit,
    Beneficiary,
    /// Validity on the request's `as_of` date, computed from the validity fields.
    Status,
}

impl FacetField {
    /// Every facet, in the order responses list them.
    pub const ALL: [FacetField; 8] = [
        FacetField::Issuer,
        FacetField::Year,
        FacetField::LeadDept,
        FacetField::Region,
        FacetField::DocType,
        FacetField::Benefit,
        FacetField::Beneficiary,
        FacetField::Status,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FacetField::Issuer => "issuer",
            FacetField::Year => "year",
            FacetField::LeadDept => "lead_dept",
            FacetField::Region => "region",
            FacetField::DocType => "doc_type",
            FacetField::Benefit => "benefit",
            FacetField::Beneficiary => "beneficiary",
            FacetField::Status => "status",
        }
    }

    pub fn parse(name: &str) -> Option<FacetField> {
        FacetField::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The tantivy facet field behind it (`None` for status).
    pub(crate) fn index_field(self) -> Option<&'static str> {
        match self {
            FacetField::Issuer => Some("facet_issuer"),
            FacetField::Year => Some("facet_year"),
            FacetField::LeadDept => Some("facet_lead_dept"),
            FacetField::Region => Some("facet_region"),
            FacetField::DocType => Some("facet_doc_type"),
            FacetField::Benefit => Some("facet_benefit"),
            FacetField::Beneficiary => Some("facet_beneficiary"),
            FacetField::Status => None,
        }
    }
}

/// A search: the query string, filters (values of one filter are alternatives,
/// different filters all apply), facets to count, order and page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRequest {
    pub query: String,
    pub level: Level,
    pub issuers: Vec<String>,
    pub years: Vec<u64>,
    pub lead_depts: Vec<String>,
    pub regions: Vec<String>,
    pub doc_types: Vec<String>,
    /// Earliest date, `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    /// Latest date, `YYYY-MM-DD`, inclusive.
    pub to: Option<String>,
    pub sort: Sort,
    /// 1-based.
    pub page: usize,
    pub size: usize,
    /// 惠企 filters: benefit and beneficiary classes by their names (what people type,
    /// `高企`, is resolved before: [`resolve_classes`](Self::resolve_classes)), and
    /// status (`现行有效`, `已失效`, `尚未施行`, `未知`) on `as_of` (default: today).
    #[serde(default)]
    pub benefits: Vec<String>,
    #[serde(default)]
    pub beneficiaries: Vec<String>,
    #[serde(default)]
    pub statuses: Vec<String>,
    #[serde(default)]
    pub as_of: Option<String>,
    /// Facets to count; `None` counts every facet.
    #[serde(default)]
    pub facets: Option<Vec<FacetField>>,
    /// Matched provisions listed under each document hit.
    #[serde(default = "default_matched")]
    pub matched_provisions: usize,
}

fn default_matched() -> usize {
    3
}

impl SearchRequest {
    /// A first page of ten documents for `query`, every facet counted.
    pub fn new(query: &str) -> SearchRequest {
        SearchRequest {
            query: query.to_string(),
            level: Level::Doc,
            issuers: Vec::new(),
            years: Vec::new(),
            lead_depts: Vec::new(),
            regions: Vec::new(),
            doc_types: Vec::new(),
            from: None,
            to: None,
            sort: Sort::Relevance,
            page: 1,
            size: 10,
            benefits: Vec::new(),
            beneficiaries: Vec::new(),
            statuses: Vec::new(),
            as_of: None,
            facets: None,
            matched_provisions: default_matched(),
        }
    }

    /// Whether `facet` is to be counted.
    pub fn wants_facet(&self, facet: FacetField) -> bool {
        self.facets.as_ref().is_none_or(|f| f.contains(&facet))
    }

    /// The date statuses are computed for, `YYYYMMDD`.
    pub fn as_of_number(&self) -> Result<u64> {
        self.as_of_checked().map_err(IndexError::from)
    }

    fn as_of_checked(&self) -> std::result::Result<u64, Invalid> {
        match &self.as_of {
            None => Ok(today()),
            Some(d) => date_number(d).ok_or_else(|| Invalid::date("as_of", d)),
        }
    }

    /// Replaces the 惠企 classes people type (`高企`, `贷款贴息`) by the names the index
    /// holds, with the taxonomy's resolvers (`zhengce_benefits::resolve_benefit` and
    /// `resolve_beneficiary`: the index knows no taxonomy); a value they do not know is
    /// the parameter's fault.
    pub fn resolve_classes(
        &mut self,
        benefit: impl Fn(&str) -> Option<&'static str>,
        beneficiary: impl Fn(&str) -> Option<&'static str>,
    ) -> std::result::Result<(), Invalid> {
        resolve_names(&mut self.benefits, benefit, "benefit", "支持方式")?;
        resolve_names(
            &mut self.beneficiaries,
            beneficiary,
            "beneficiary",
            "适用对象",
        )
    }

    /// Checks every parameter; the first one at fault is named in the error.
    pub fn check(&self) -> std::result::Result<(), Invalid> {
        if self.page == 0 {
            return Err(Invalid::new("page", "页码从 1 开始"));
        }
        if !(1..=MAX_PAGE_SIZE).contains(&self.size) {
            return Err(Invalid::new(
                "size",
                format!("每页条数应在 1 到 {MAX_PAGE_SIZE} 之间，收到 {}", self.size),
            ));
        }
        if self.page.saturating_mul(self.size) > MAX_RESULT_WINDOW {
            return Err(Invalid::new(
                "page",
                format!("只提供前 {MAX_RESULT_WINDOW} 条结果，请缩小检索范围"),
            ));
        }
        for s in &self.statuses {
            if crate::collect::status_index(s).is_none() {
                return Err(Invalid::new(
                    "status",
                    format!("有效性应为 现行有效、已失效、尚未施行、未知 或 已修订，收到“{s}”"),
                ));
            }
        }
        for (name, d) in [("from", &self.from), ("to", &self.to)] {
            if let Some(d) = d
                && date_number(d).is_none()
            {
                return Err(Invalid::date(name, d));
            }
        }
        if let (Some(from), Some(to)) = (&self.from, &self.to)
            && date_number(from) > date_number(to)
        {
            return Err(Invalid::new(
                "to",
                format!("结束日期 {to} 早于开始日期 {from}"),
            ));
        }
        self.as_of_checked()?;
        Ok(())
    }

    pub(crate) fn validate(&self) -> Result<()> {
        Ok(self.check()?)
    }

    /// This request without its facet filters (issuer, year … status), one hit and nothing
    /// counted: how many hits the query finds before any is clicked.
    pub(crate) fn unfaceted(&self) -> SearchRequest {
        SearchRequest {
            issuers: Vec::new(),
            years: Vec::new(),
            lead_depts: Vec::new(),
            regions: Vec::new(),
            doc_types: Vec::new(),
            benefits: Vec::new(),
            beneficiaries: Vec::new(),
            statuses: Vec::new(),
            facets: Some(Vec::new()),
            page: 1,
            size: 1,
            matched_provisions: 0,
            ..self.clone()
        }
    }

    /// The filters of one facet field, as their facet values.
    pub(crate) fn filter_values(&self, facet: FacetField) -> Vec<String> {
        let trimmed = |v: &[String]| v.iter().map(|s| s.trim().to_string()).collect();
        match facet {
            FacetField::Issuer => trimmed(&self.issuers),
            FacetField::Year => self.years.iter().map(u64::to_string).collect(),
            FacetField::LeadDept => trimmed(&self.lead_depts),
            FacetField::Region => trimmed(&self.regions),
            FacetField::DocType => trimmed(&self.doc_types),
            FacetField::Benefit => trimmed(&self.benefits),
            FacetField::Beneficiary => trimmed(&self.beneficiaries),
            FacetField::Status => self.statuses.clone(),
        }
    }
}

/// Each of `names` by what `resolve` makes of it; the first it does not know is an
/// [`Invalid`] `param` (`what` names the kind of class in the message).
pub(crate) fn resolve_names(
    names: &mut [String],
    resolve: impl Fn(&str) -> Option<&'static str>,
    param: &'static str,
    what: &str,
) -> std::result::Result<(), Invalid> {
    for name in names {
        let Some(resolved) = resolve(name) else {
            return Err(Invalid::new(param, format!("未知的{what}“{name}”")));
        };
        *name = resolved.to_string();
    }
    Ok(())
}

/// A search parameter that cannot be used: which one, and why (in Chinese, for the
/// person who typed it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    /// The parameter's name in the API (`page`, `from`, `status`…).
    pub param: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(param: &'static str, message: impl Into<String>) -> Invalid {
        Invalid {
            param,
            message: message.into(),
        }
    }

    /// `value` is not a calendar date.
    pub fn date(param: &'static str, value: &str) -> Invalid {
        Invalid::new(
            param,
            format!(
                "“{value}”不是有效日期：请写成 YYYY-MM-DD（1000 至 9999 年的真实日期），如 2020-04-10"
            ),
        )
    }
}

impl From<Invalid> for IndexError {
    fn from(e: Invalid) -> IndexError {
        IndexError::BadRequest(e.message)
    }
}

/// Today's date in China (UTC+8), `YYYY-MM-DD`: the default date statuses are computed
/// for.
pub fn today_in_china() -> String {
    let t = today();
    format!("{:04}-{:02}-{:02}", t / 10_000, t / 100 % 100, t % 100)
}

/// Today's date in China (UTC+8) as `YYYYMMDD`: statuses change at midnight Beijing time.
pub(crate) fn today() -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    date_in_china(now)
}

/// The date in China (UTC+8) at `unix_secs`, as `YYYYMMDD`.
fn date_in_china(unix_secs: u64) -> u64 {
    civil_from_days(((unix_secs + 8 * 3600) / 86_400) as i64)
}

/// Howard Hinnant's civil_from_days, as `YYYYMMDD`.
fn civil_from_days(days: i64) -> u64 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y * 10_000 + m * 100 + d) as u64
}

/// `YYYY-MM-DD` (a real calendar date) as `YYYYMMDD`.
pub(crate) fn date_number(d: &str) -> Option<u64> {
    let d = d.trim();
    if !zhengce_model::is_valid_date(d) {
        return None;
    }
    d.replace('-', "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert_eq!(date_number("2020-02-29"), Some(20_200_229));
        assert_eq!(date_number("2021-02-29"), None);
        assert_eq!(date_number("2020-02-30"), None);
        assert_eq!(civil_from_days(0), 19_700_101);
        assert_eq!(civil_from_days(19_723), 20_240_101);
    }

    #[test]
    fn today_turns_at_midnight_in_beijing_not_in_greenwich() {
        // 2026-11-25 15:59:59 UTC is 23:59:59 in Beijing; a second later it is the 26th.
        let before = 1_795_622_399;
        assert_eq!(date_in_china(before), 20_261_125);
        assert_eq!(date_in_china(before + 1), 20_261_126);
        // UTC is still on the 25th then.
        assert_eq!(civil_from_days(((before + 1) / 86_400) as i64), 20_261_125);
        let t = today_in_china();
        assert!(date_number(&t).is_some(), "{t}");
    }

    #[test]
    fn facet_names_round_trip() {
        for f in FacetField::ALL {
            assert_eq!(FacetField::parse(f.as_str()), Some(f));
        }
        assert_eq!(FacetField::parse("colour"), None);
    }
}
