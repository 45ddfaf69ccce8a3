//! Query-string parameters to a [`SearchRequest`], with messages a person understands.

use zhengce_index::{BenefitsRequest, FacetField, Level, MAX_QUERY_CHARS, SearchRequest, Sort};

use crate::ApiError;

/// Decodes `a=1&b=2&b=3` into pairs, in order.
pub fn pairs(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn number<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, ApiError> {
    value
        .trim()
        .parse()
        .map_err(|_| ApiError::BadRequest(format!("{name} must be a whole number, got {value:?}")))
}

/// A search request from query-string pairs (the API and the page share it).
pub fn search_request(pairs: &[(String, String)]) -> Result<SearchRequest, ApiError> {
    let mut request = SearchRequest::new("");
    for (key, value) in pairs {
        match key.as_str() {
            "q" => {
                if value.chars().count() > MAX_QUERY_CHARS {
                    return Err(ApiError::BadQuery(format!(
                        "q is too long: {} characters, at most {MAX_QUERY_CHARS}",
                        value.chars().count()
                    )));
                }
                request.query = value.clone();
            }
            "level" => {
                request.level = match value.as_str() {
                    "doc" | "" => Level::Doc,
                    "provision" => Level::Provision,
                    other => {
                        return Err(ApiError::BadRequest(format!(
                            "level must be doc or provision, got {other:?}"
                        )));
                    }
                }
            }
            "sort" => {
                request.sort = match value.as_str() {
                    "relevance" | "" => Sort::Relevance,
                    "date" => Sort::Date,
                    other => {
                        return Err(ApiError::BadRequest(format!(
                            "sort must be relevance or date, got {other:?}"
                        )));
                    }
                }
            }
            "issuer" => request.issuers.push(value.clone()),
            "year" => request.years.push(number("year", value)?),
            "lead_dept" => request.lead_depts.push(value.clone()),
            "region" => request.regions.push(value.clone()),
            "doc_type" => request.doc_types.push(value.clone()),
            "benefit" => request.benefits.push(value.clone()),
            "beneficiary" => request.beneficiaries.push(value.clone()),
            "status" => request.statuses.push(value.clone()),
            "as_of" => request.as_of = Some(value.clone()).filter(|v| !v.is_empty()),
            "from" => request.from = Some(value.clone()).filter(|v| !v.is_empty()),
            "to" => request.to = Some(value.clone()).filter(|v| !v.is_empty()),
            "page" => request.page = number("page", value)?,
            "size" => request.size = number("size", value)?,
            // `facets=issuer,year` counts those only; `facets=` none; absent: all.
            "facets" => {
                let mut facets = Vec::new();
                for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    let facet = FacetField::parse(name).ok_or_else(|| {
                        ApiError::BadRequest(format!(
                            "facets lists unknown facet {name:?}; facets are {}",
                            FacetField::ALL.map(FacetField::as_str).join(", ")
                        ))
                    })?;
                    if !facets.contains(&facet) {
                        facets.push(facet);
                    }
                }
                request.facets = Some(facets);
            }
            other => return Err(ApiError::BadRequest(format!("unknown parameter {other:?}"))),
        }
    }
    Ok(request)
}

/// A 惠企 listing request from query-string pairs.
pub fn benefits_request(pairs: &[(String, String)]) -> Result<BenefitsRequest, ApiError> {
    let mut request = BenefitsRequest {
        limit: 50,
        ..BenefitsRequest::default()
    };
    for (key, value) in pairs {
        if value.is_empty() {
            continue;
        }
        match key.as_str() {
            "q" => {
                if value.chars().count() > MAX_QUERY_CHARS {
                    return Err(ApiError::BadQuery(format!(
                        "q is too long, at most {MAX_QUERY_CHARS} characters"
                    )));
                }
                request.query = value.clone();
            }
            "beneficiary" => request.beneficiaries.push(value.clone()),
            "benefit" => request.benefits.push(value.clone()),
            "region" => request.regions.push(value.clone()),
            "as_of" => request.as_of = Some(value.clone()),
            "limit" => {
                request.limit = number("limit", value)?;
                if !(1..=200).contains(&request.limit) {
                    return Err(ApiError::BadRequest(format!(
                        "limit must be between 1 and 200, got {}",
                        request.limit
                    )));
                }
            }
            other => return Err(ApiError::BadRequest(format!("unknown parameter {other:?}"))),
        }
    }
    Ok(request)
}
