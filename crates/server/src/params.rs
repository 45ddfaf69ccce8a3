//! Query-string parameters to a [`SearchRequest`] or [`BenefitsRequest`], with Chinese
//! messages and a stable code per mistake (`invalid_{param}`, `unknown_parameter`).
//!
//! The API is strict: a parameter it does not know is an error, so a typo is not silently
//! ignored. The pages keep only the parameters they know ([`known_only`]), so a link
//! shared through WeChat (`from=singlemessage`) or with `utm_source` still opens.

use zhengce_index::{BenefitsRequest, FacetField, Level, MAX_QUERY_CHARS, SearchRequest, Sort};

use crate::ApiError;

/// The parameters of a search (`/api/search` and the search page).
pub const SEARCH_PARAMS: &[&str] = &[
    "q",
    "level",
    "sort",
    "issuer",
    "year",
    "lead_dept",
    "region",
    "doc_type",
    "benefit",
    "beneficiary",
    "status",
    "as_of",
    "from",
    "to",
    "page",
    "size",
    "facets",
];

/// The parameters of the 惠企 listing; `limit` is a deprecated alias of `size`.
pub const BENEFITS_PARAMS: &[&str] = &[
    "q",
    "beneficiary",
    "benefit",
    "region",
    "as_of",
    "page",
    "size",
    "limit",
];

/// Largest page of the 惠企 listing (documents).
pub const MAX_BENEFITS_SIZE: usize = 200;
/// Documents per page of the 惠企 listing by default.
pub const BENEFITS_SIZE: usize = 50;

/// Decodes `a=1&b=2&b=3` into pairs, in order.
pub fn pairs(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Parameters that take one value (`q`, `page` …): the filters take several.
pub const SINGLE_VALUED: &[&str] = &[
    "q", "level", "sort", "as_of", "from", "to", "page", "size", "limit", "facets",
];

/// The API's checks of a query string before its pairs are read: every name and value
/// is UTF-8 once percent-decoded (`q=%FF%FE` was searched as `��`), and a parameter of
/// one value is not given two ([`given_once`]). `invalid_{param}`.
pub fn checked_pairs(query: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    for pair in query.unwrap_or_default().split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let utf8 = |s: &str| {
            percent_encoding::percent_decode_str(&s.replace('+', " "))
                .decode_utf8()
                .is_ok()
        };
        if !utf8(key) || !utf8(value) {
            let name = percent_encoding::percent_decode_str(key).decode_utf8_lossy();
            return Err(ApiError::invalid(
                &name,
                format!("参数 {name} 不是有效的 UTF-8 编码：中文请按 UTF-8 做百分号编码"),
            ));
        }
    }
    let pairs = pairs(query);
    given_once(&pairs)?;
    Ok(pairs)
}

/// The API's check that a parameter of one value was not given two different ones
/// (`q=补贴&q=奖励` answered for 奖励 alone): `invalid_{param}`. The pages take the last.
fn given_once(pairs: &[(String, String)]) -> Result<(), ApiError> {
    for (i, (key, value)) in pairs.iter().enumerate() {
        if !SINGLE_VALUED.contains(&key.as_str()) {
            continue;
        }
        if let Some((_, other)) = pairs[i + 1..].iter().find(|(k, v)| k == key && v != value) {
            return Err(ApiError::invalid(
                key,
                format!("参数 {key} 只能有一个值，收到“{value}”和“{other}”"),
            ));
        }
    }
    Ok(())
}

/// The pairs whose names are in `known`, for the pages: what a shared link adds
/// (`from=singlemessage`, `isappinstalled`, `utm_*`) is dropped. `from` is a date here,
/// so a `from` that is not one is dropped too on the search page.
pub fn known_only(pairs: &[(String, String)], known: &[&str]) -> Vec<(String, String)> {
    pairs
        .iter()
        .filter(|(k, v)| {
            known.contains(&k.as_str()) && !(k == "from" && !v.is_empty() && !looks_like_date(v))
        })
        .cloned()
        .collect()
}

/// The pairs a page acts on: [`known_only`], with regions written in full (`辽宁` →
/// `辽宁省`) and 惠企 classes by their names (`高企` → `高新技术企业`), so that chips,
/// facets and selectors show the value the filter uses. A class that is none stays as
/// typed, for the request to refuse.
pub fn for_page(pairs: &[(String, String)], known: &[&str]) -> Vec<(String, String)> {
    known_only(pairs, known)
        .into_iter()
        .map(|(k, v)| {
            let full = match k.as_str() {
                _ if v.trim().is_empty() => None,
                "region" => Some(region(&v)),
                "beneficiary" => zhengce_benefits::resolve_beneficiary(&v).map(str::to_string),
                "benefit" => zhengce_benefits::resolve_benefit(&v).map(str::to_string),
                _ => None,
            };
            (k, full.unwrap_or(v))
        })
        .collect()
}

/// Whether `v` has the shape `YYYY-MM-DD` (its calendar is checked by the request).
fn looks_like_date(v: &str) -> bool {
    let b = v.trim().as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn number<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, ApiError> {
    value
        .trim()
        .parse()
        .map_err(|_| ApiError::invalid(name, format!("参数 {name} 应为正整数，收到“{value}”")))
}

fn query_text(value: &str) -> Result<String, ApiError> {
    let chars = value.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(ApiError::invalid(
            "q",
            format!("检索词过长：{chars} 个字，最多 {MAX_QUERY_CHARS} 个字"),
        ));
    }
    Ok(value.to_string())
}

/// A region as people type it (`辽宁`, `广西`, `中央`) in the name documents carry
/// (`辽宁省`, `广西壮族自治区`, `全国`); anything else as typed.
pub fn region(value: &str) -> String {
    zhengce_model::region_name(value).unwrap_or_else(|| value.trim().to_string())
}

/// A `region` filter: a province-level region or 全国, as [`region`] reads it; anything
/// else (`火星`, a city) is `invalid_region`, not a filter that silently finds nothing.
fn region_param(value: &str) -> Result<String, ApiError> {
    zhengce_model::region_name(value).ok_or_else(|| {
        ApiError::invalid(
            "region",
            format!(
                "未知的地区“{}”：地区按省级划分，请写省、自治区、直辖市（如 辽宁、广东省）或 全国",
                value.trim()
            ),
        )
    })
}

/// An office as people type it (`辽宁科学技术厅`) in the name documents carry
/// (`辽宁省科学技术厅`).
pub fn issuer(value: &str) -> String {
    zhengce_model::office_name(value)
}

/// A search request from query-string pairs (the API and the page share it).
pub fn search_request(pairs: &[(String, String)]) -> Result<SearchRequest, ApiError> {
    let mut request = SearchRequest::new("");
    for (key, value) in pairs {
        match key.as_str() {
            "q" => request.query = query_text(value)?,
            "level" => {
                request.level = match value.as_str() {
                    "doc" | "" => Level::Doc,
                    "provision" => Level::Provision,
                    other => {
                        return Err(ApiError::invalid(
                            "level",
                            format!("level 应为 doc（文件）或 provision（条款），收到“{other}”"),
                        ));
                    }
                }
            }
            "sort" => {
                request.sort = match value.as_str() {
                    "relevance" | "" => Sort::Relevance,
                    "date" => Sort::Date,
                    other => {
                        return Err(ApiError::invalid(
                            "sort",
                            format!(
                                "sort 应为 relevance（按相关度）或 date（按日期），收到“{other}”"
                            ),
                        ));
                    }
                }
            }
            _ if value.trim().is_empty() && key != "facets" && key != "q" => {
                // An empty filter (a form field left blank) filters nothing.
                if !SEARCH_PARAMS.contains(&key.as_str()) {
                    return Err(ApiError::unknown(key, SEARCH_PARAMS));
                }
            }
            // Values of one filter are alternatives: the office as typed, and in full.
            "issuer" => {
                request.issuers.push(value.trim().to_string());
                let full = issuer(value);
                if full != value.trim() {
                    request.issuers.push(full);
                }
            }
            "year" => request.years.push(number("year", value)?),
            "lead_dept" => request.lead_depts.push(value.clone()),
            "region" => request.regions.push(region_param(value)?),
            "doc_type" => request.doc_types.push(value.clone()),
            "benefit" => request.benefits.push(value.clone()),
            "beneficiary" => request.beneficiaries.push(value.clone()),
            "status" => request.statuses.push(value.clone()),
            "as_of" => request.as_of = Some(value.clone()),
            "from" => request.from = Some(value.clone()),
            "to" => request.to = Some(value.clone()),
            "page" => request.page = number("page", value)?,
            "size" => request.size = number("size", value)?,
            // `facets=issuer,year` counts those only; `facets=` none; absent: all.
            "facets" => {
                let mut facets = Vec::new();
                for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    let facet = FacetField::parse(name).ok_or_else(|| {
                        ApiError::invalid(
                            "facets",
                            format!(
                                "facets 中的“{name}”不是分面；可用的分面：{}",
                                FacetField::ALL.map(FacetField::as_str).join("、")
                            ),
                        )
                    })?;
                    if !facets.contains(&facet) {
                        facets.push(facet);
                    }
                }
                request.facets = Some(facets);
            }
            other => return Err(ApiError::unknown(other, SEARCH_PARAMS)),
        }
    }
    request.check()?;
    // The index takes 惠企 classes by their names: what people type is resolved here.
    request.resolve_classes(
        zhengce_benefits::resolve_benefit,
        zhengce_benefits::resolve_beneficiary,
    )?;
    Ok(request)
}

/// A page of the 惠企 listing: the request (asking for every document up to the page's
/// end), and the page's first document and size.
pub struct BenefitsPage {
    pub request: BenefitsRequest,
    pub skip: usize,
    pub size: usize,
}

/// A 惠企 listing request from query-string pairs.
pub fn benefits_request(pairs: &[(String, String)]) -> Result<BenefitsPage, ApiError> {
    let mut request = BenefitsRequest::default();
    let mut page = 1usize;
    let mut size = BENEFITS_SIZE;
    for (key, value) in pairs {
        if value.is_empty() {
            if !BENEFITS_PARAMS.contains(&key.as_str()) {
                return Err(ApiError::unknown(key, BENEFITS_PARAMS));
            }
            continue;
        }
        match key.as_str() {
            "q" => request.query = query_text(value)?,
            "beneficiary" => request.beneficiaries.push(value.clone()),
            "benefit" => request.benefits.push(value.clone()),
            "region" => request.regions.push(region_param(value)?),
            "as_of" => {
                if !zhengce_model::is_valid_date(value.trim()) {
                    return Err(zhengce_index::Invalid::date("as_of", value).into());
                }
                request.as_of = Some(value.trim().to_string());
            }
            "page" => {
                page = number("page", value)?;
                if page == 0 {
                    return Err(ApiError::invalid("page", "页码从 1 开始"));
                }
            }
            "size" | "limit" => {
                size = number(key, value)?;
                if !(1..=MAX_BENEFITS_SIZE).contains(&size) {
                    return Err(ApiError::invalid(
                        key,
                        format!("每页文件数应在 1 到 {MAX_BENEFITS_SIZE} 之间，收到 {size}"),
                    ));
                }
            }
            other => return Err(ApiError::unknown(other, BENEFITS_PARAMS)),
        }
    }
    request.resolve_classes(
        zhengce_benefits::resolve_benefit,
        zhengce_benefits::resolve_beneficiary,
    )?;
    let end = page.saturating_mul(size);
    if end > zhengce_index::MAX_RESULT_WINDOW {
        return Err(ApiError::invalid(
            "page",
            format!(
                "只提供前 {} 份文件，请缩小范围",
                zhengce_index::MAX_RESULT_WINDOW
            ),
        ));
    }
    request.limit = end;
    Ok(BenefitsPage {
        request,
        skip: end - size,
        size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_offices_as_people_type_them() {
        assert_eq!(region("辽宁"), "辽宁省");
        assert_eq!(region("广西"), "广西壮族自治区");
        assert_eq!(region("辽宁省"), "辽宁省");
        assert_eq!(region("火星"), "火星");
        assert_eq!(issuer("辽宁科学技术厅"), "辽宁省科学技术厅");
        assert_eq!(issuer("辽宁省科学技术厅"), "辽宁省科学技术厅");
        assert_eq!(issuer("黑龙江科学技术厅"), "黑龙江省科学技术厅");
        assert_eq!(issuer("国务院办公厅"), "国务院办公厅");
        assert_eq!(issuer("辽宁"), "辽宁");
    }

    #[test]
    fn shared_link_parameters_are_dropped_for_pages() {
        let pairs = pairs(Some(
            "q=%E7%8B%AC&from=singlemessage&isappinstalled=0&utm_source=x&to=2020-01-01",
        ));
        let kept = known_only(&pairs, SEARCH_PARAMS);
        assert_eq!(
            kept,
            [
                ("q".into(), "独".into()),
                ("to".into(), "2020-01-01".into())
            ]
        );
        assert!(search_request(&kept).is_ok());
        assert!(search_request(&pairs).is_err());
    }
}
