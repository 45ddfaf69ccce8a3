//! Searching: the request, the tantivy query built from it, hits, snippets and facets.

use std::ops::Bound;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};
use zhengce_analysis::{BigramTokenizer, WordTokenizer, normalize, synonyms};
use zhengce_benefits::{Amount, Status};
use zhengce_model::normalize_doc_number;

use crate::query::{Clause, ParsedQuery, QueryField, parse_query};
use crate::snippet::{SNIPPET_CHARS, snippet};
use crate::{Fields, IndexError, PolicyIndex, Result};

/// Largest page size a search accepts.
pub const MAX_PAGE_SIZE: usize = 100;
/// Facet values returned per facet.
const FACET_VALUES: usize = 30;
/// Matched provisions shown under a document hit.
const MATCHED_PROVISIONS: usize = 3;

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

/// A search: the query string, filters (values of one filter are alternatives,
/// different filters all apply), order and page.
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
    /// 惠企 filters: benefit and beneficiary classes (synonyms accepted, `高企`), and
    /// status (`现行有效`, `已失效`, `尚未施行`, `未知`) on `as_of` (default: today).
    #[serde(default)]
    pub benefits: Vec<String>,
    #[serde(default)]
    pub beneficiaries: Vec<String>,
    #[serde(default)]
    pub statuses: Vec<String>,
    #[serde(default)]
    pub as_of: Option<String>,
}

impl SearchRequest {
    /// A first page of ten documents for `query`.
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
        }
    }

    /// The date statuses are computed for, `YYYYMMDD`.
    pub fn as_of_number(&self) -> Result<u64> {
        match &self.as_of {
            None => Ok(today()),
            Some(d) => date_number(d).ok_or_else(|| {
                IndexError::BadRequest(format!("as_of must be a date YYYY-MM-DD, got {d:?}"))
            }),
        }
    }

    fn validate(&self) -> Result<()> {
        if self.page == 0 {
            return Err(IndexError::BadRequest("page starts at 1".into()));
        }
        if !(1..=MAX_PAGE_SIZE).contains(&self.size) {
            return Err(IndexError::BadRequest(format!(
                "size must be between 1 and {MAX_PAGE_SIZE}, got {}",
                self.size
            )));
        }
        if self.page.saturating_mul(self.size) > 10_000 {
            return Err(IndexError::BadRequest(
                "results beyond the 10,000th are not served".into(),
            ));
        }
        for s in &self.statuses {
            if Status::parse(s).is_none() {
                return Err(IndexError::BadRequest(format!(
                    "status must be 现行有效, 已失效, 尚未施行 or 未知, got {s:?}"
                )));
            }
        }
        self.as_of_number()?;
        Ok(())
    }
}

/// A provision matched inside a document hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchedProvision {
    pub number: String,
    pub benefits: Vec<String>,
    pub amounts: Vec<Amount>,
    pub heading_path: Vec<String>,
    pub lead_depts: Vec<String>,
    pub resp_depts: Vec<String>,
    pub snippet: String,
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
    /// HTML-escaped text with `<mark>` around matches.
    pub snippet: String,
    /// BM25 score; `null` when sorted by date.
    pub score: Option<f32>,
    pub matched_provisions: Vec<MatchedProvision>,
    pub benefits: Vec<String>,
    pub beneficiaries: Vec<String>,
    /// Amounts and targets the provision states.
    pub amounts: Vec<Amount>,
    /// Validity status on the request's `as_of` date.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    pub issuer: Vec<FacetValue>,
    pub year: Vec<FacetValue>,
    pub lead_dept: Vec<FacetValue>,
    pub region: Vec<FacetValue>,
    pub doc_type: Vec<FacetValue>,
    pub benefit: Vec<FacetValue>,
    pub beneficiary: Vec<FacetValue>,
    /// On the request's `as_of` date.
    pub status: Vec<FacetValue>,
}

/// The answer to a search (the API returns it as it is).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    pub query: String,
    pub total: usize,
    pub took_ms: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

impl PolicyIndex {
    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse> {
        let started = Instant::now();
        request.validate()?;
        let parsed = parse_query(&request.query)?;
        let fields = &self.fields;
        let text_query = build_query(fields, &parsed, request.level);
        let query = with_filters(fields, text_query, request, request.level)?;
        // Provisions under a document hit match by their own text, not the title.
        let provision_query = build_query(fields, &parsed, Level::Provision);
        let searcher = self.reader.searcher();

        let offset = (request.page - 1) * request.size;
        let facets = facet_collectors();
        let (total, facet_counts) = searcher.search(&query, &(Count, facets))?;
        let addresses: Vec<(Option<f32>, DocAddress)> = match request.sort {
            Sort::Relevance if !parsed.is_empty() => searcher
                .search(
                    &query,
                    &TopDocs::with_limit(request.size)
                        .and_offset(offset)
                        .order_by_score(),
                )?
                .into_iter()
                .map(|(s, a)| (Some(s), a))
                .collect(),
            _ => searcher
                .search(
                    &query,
                    &TopDocs::with_limit(request.size)
                        .and_offset(offset)
                        .order_by_u64_field("date", Order::Desc),
                )?
                .into_iter()
                .map(|(_, a)| (None, a))
                .collect(),
        };

        let terms = highlight_terms(&parsed);
        let as_of = request.as_of_number()?;
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            let stored: TantivyDocument = searcher.doc(address)?;
            let mut hit = hit_from(fields, &stored, score, &terms, as_of);
            if hit.level == Level::Doc && !parsed.is_empty() {
                hit.matched_provisions = matched_provisions(
                    fields,
                    &searcher,
                    provision_query.as_ref(),
                    &hit.doc_id,
                    &terms,
                    as_of,
                )?;
            }
            hits.push(hit);
        }
        Ok(SearchResponse {
            query: request.query.clone(),
            total,
            took_ms: started.elapsed().as_millis() as u64,
            hits,
            facets: self.disjunctive(facets_from(facet_counts), &parsed, request)?,
        })
    }

    /// Facet counts where a facet is filtered count as if that one filter were not set,
    /// so the other values of a filtered facet stay visible and choosable (the filter's
    /// values are alternatives). Unfiltered facets keep the counts of the full search.
    fn disjunctive(
        &self,
        mut facets: Facets,
        parsed: &ParsedQuery,
        request: &SearchRequest,
    ) -> Result<Facets> {
        let searcher = self.reader.searcher();
        let fields = &self.fields;
        let slots: [(&str, bool, &mut Vec<FacetValue>); 7] = [
            ("benefit", !request.benefits.is_empty(), &mut facets.benefit),
            (
                "beneficiary",
                !request.beneficiaries.is_empty(),
                &mut facets.beneficiary,
            ),
            ("issuer", !request.issuers.is_empty(), &mut facets.issuer),
            ("year", !request.years.is_empty(), &mut facets.year),
            (
                "lead_dept",
                !request.lead_depts.is_empty(),
                &mut facets.lead_dept,
            ),
            ("region", !request.regions.is_empty(), &mut facets.region),
            (
                "doc_type",
                !request.doc_types.is_empty(),
                &mut facets.doc_type,
            ),
        ];
        for (name, filtered, values) in slots {
            if !filtered {
                continue;
            }
            let mut without = request.clone();
            match name {
                "issuer" => without.issuers.clear(),
                "year" => without.years.clear(),
                "lead_dept" => without.lead_depts.clear(),
                "region" => without.regions.clear(),
                "benefit" => without.benefits.clear(),
                "beneficiary" => without.beneficiaries.clear(),
                _ => without.doc_types.clear(),
            }
            let query = with_filters(
                fields,
                build_query(fields, parsed, request.level),
                &without,
                request.level,
            )?;
            let mut collector = FacetCollector::for_field(format!("facet_{name}"));
            collector.add_facet("/");
            *values = facet_values(&searcher.search(&query, &collector)?, name == "year");
        }
        // Status: one count per status, without the request's own status filter.
        let mut without = request.clone();
        without.statuses.clear();
        let base = with_filters(
            fields,
            build_query(fields, parsed, request.level),
            &without,
            request.level,
        )?;
        let as_of = request.as_of_number()?;
        for status in [
            Status::InForce,
            Status::Expired,
            Status::NotYet,
            Status::Unknown,
        ] {
            let q = BooleanQuery::new(vec![
                (Occur::Must, base.box_clone()),
                (Occur::Must, status_query(fields, status, as_of)),
            ]);
            let count = searcher.search(&q, &Count)? as u64;
            if count > 0 {
                facets.status.push(FacetValue {
                    value: status.as_str().to_string(),
                    count,
                });
            }
        }
        Ok(facets)
    }

    /// Facet values of `field` (one of [`FACETS`](crate::FACETS)) over the whole index,
    /// optionally only those starting with `prefix`, most frequent first.
    pub fn facet_values(&self, field: &str, prefix: &str, limit: usize) -> Result<Vec<FacetValue>> {
        if !crate::FACETS.contains(&field) {
            return Err(IndexError::BadRequest(format!(
                "unknown facet field {field:?}"
            )));
        }
        let mut collector = FacetCollector::for_field(format!("facet_{field}"));
        collector.add_facet("/");
        let level = TermQuery::new(
            Term::from_field_text(self.fields.level, "doc"),
            IndexRecordOption::Basic,
        );
        let counts = self.reader.searcher().search(&level, &collector)?;
        let mut values: Vec<FacetValue> = counts
            .get("/")
            .filter_map(|(f, count)| {
                let value = f.to_path().last()?.to_string();
                value
                    .starts_with(prefix)
                    .then_some(FacetValue { value, count })
            })
            .collect();
        values.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
        values.truncate(limit);
        Ok(values)
    }

    /// The stored document with this id.
    pub fn get_doc(&self, id: &str) -> Result<Option<zhengce_model::PolicyDoc>> {
        let searcher = self.reader.searcher();
        let query = BooleanQuery::new(vec![
            (Occur::Must, term_query(self.fields.id, id)),
            (Occur::Must, term_query(self.fields.level, "doc")),
        ]);
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, address)) = top.first() else {
            return Ok(None);
        };
        let stored: TantivyDocument = searcher.doc(*address)?;
        let json = stored
            .get_first(self.fields.doc_json)
            .and_then(|v| v.as_str())
            .ok_or_else(|| IndexError::Corrupt(format!("{id}: no stored document")))?;
        serde_json::from_str(json)
            .map(Some)
            .map_err(|e| IndexError::Corrupt(format!("{id}: {e}")))
    }
}

type FacetCollectors = (
    (FacetCollector, FacetCollector, FacetCollector),
    (
        FacetCollector,
        FacetCollector,
        FacetCollector,
        FacetCollector,
    ),
);

/// The text query of `request` with all its filters, and the strings to highlight.
pub(crate) fn build_filtered(
    fields: &Fields,
    request: &SearchRequest,
) -> Result<(Box<dyn Query>, Vec<String>)> {
    request.validate()?;
    let parsed = parse_query(&request.query)?;
    let query = with_filters(
        fields,
        build_query(fields, &parsed, request.level),
        request,
        request.level,
    )?;
    Ok((query, highlight_terms(&parsed)))
}

/// Words a similarity query is built from.
const SIMILAR_TERMS: usize = 25;

impl PolicyIndex {
    /// Documents most similar to the document `id` (its most distinctive words, weighted
    /// by tf-idf, searched in titles and bodies); `None` when there is no such document.
    pub fn similar(&self, id: &str, limit: usize) -> Result<Option<Vec<Hit>>> {
        let Some(doc) = self.get_doc(id)? else {
            return Ok(None);
        };
        let fields = &self.fields;
        let searcher = self.reader.searcher();
        let text: String = format!(
            "{}\n{}",
            doc.title.as_deref().unwrap_or_default(),
            doc.body.chars().take(5000).collect::<String>()
        );
        let mut tf: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for token in WordTokenizer::default().tokens(&text) {
            if token.text.chars().count() >= 2 && !token.text.chars().all(|c| c.is_ascii_digit()) {
                *tf.entry(token.text).or_default() += 1;
            }
        }
        let total = searcher.num_docs().max(1) as f64;
        let mut weighted: Vec<(f64, String)> = Vec::with_capacity(tf.len());
        for (word, count) in tf {
            let df = searcher.doc_freq(&Term::from_field_text(fields.body, &word))? as f64;
            let idf = (total / (df + 1.0)).ln();
            if idf > 0.0 {
                weighted.push((count as f64 * idf, word));
            }
        }
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (weight, word) in weighted.into_iter().take(SIMILAR_TERMS) {
            for (field, boost) in [(fields.body, 1.0), (fields.title, 2.0)] {
                let q = TermQuery::new(
                    Term::from_field_text(field, &word),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((Occur::Should, boosted(Box::new(q), boost * weight as f32)));
            }
        }
        if clauses.is_empty() {
            return Ok(Some(Vec::new()));
        }
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(term_query(fields.level, "doc"), 0.0)),
            ),
            (Occur::MustNot, term_query(fields.doc_id, id)),
        ]);
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let stored: TantivyDocument = searcher.doc(address)?;
            hits.push(hit_from(fields, &stored, Some(score), &[], today()));
        }
        Ok(Some(hits))
    }
}

fn facet_collectors() -> FacetCollectors {
    let make = |name: &str| {
        let mut c = FacetCollector::for_field(format!("facet_{name}"));
        c.add_facet("/");
        c
    };
    (
        (make("issuer"), make("year"), make("lead_dept")),
        (
            make("region"),
            make("doc_type"),
            make("benefit"),
            make("beneficiary"),
        ),
    )
}

type Counts = tantivy::collector::FacetCounts;
type FacetFruits = ((Counts, Counts, Counts), (Counts, Counts, Counts, Counts));

fn facets_from(
    ((issuer, year, lead_dept), (region, doc_type, benefit, beneficiary)): FacetFruits,
) -> Facets {
    Facets {
        issuer: facet_values(&issuer, false),
        year: facet_values(&year, true),
        lead_dept: facet_values(&lead_dept, false),
        region: facet_values(&region, false),
        doc_type: facet_values(&doc_type, false),
        benefit: facet_values(&benefit, false),
        beneficiary: facet_values(&beneficiary, false),
        status: Vec::new(),
    }
}

/// The most frequent values of a facet; years newest first.
fn facet_values(counts: &tantivy::collector::FacetCounts, by_value: bool) -> Vec<FacetValue> {
    let mut v: Vec<FacetValue> = counts
        .get("/")
        .filter_map(|(f, count)| {
            Some(FacetValue {
                value: f.to_path().last()?.to_string(),
                count,
            })
        })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    v.truncate(FACET_VALUES);
    if by_value {
        v.sort_by(|a, b| b.value.cmp(&a.value));
    }
    v
}

pub(crate) fn term_query(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::WithFreqs,
    ))
}

/// The query text with filters around it; filters do not score.
fn with_filters(
    fields: &Fields,
    text: Box<dyn Query>,
    request: &SearchRequest,
    level: Level,
) -> Result<Box<dyn Query>> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
    let mut filter = |queries: Vec<Box<dyn Query>>| {
        if queries.is_empty() {
            return;
        }
        let any = BooleanQuery::new(queries.into_iter().map(|q| (Occur::Should, q)).collect());
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(any), 0.0)),
        ));
    };
    filter(vec![term_query(fields.level, level.as_str())]);
    let text_terms = |field: Field, values: &[String]| -> Vec<Box<dyn Query>> {
        values.iter().map(|v| term_query(field, v.trim())).collect()
    };
    filter(text_terms(fields.issuer, &request.issuers));
    filter(text_terms(fields.lead_dept, &request.lead_depts));
    filter(text_terms(fields.region, &request.regions));
    filter(text_terms(fields.doc_type, &request.doc_types));
    let mut classes = |field: Field,
                       values: &[String],
                       resolve: fn(&str) -> Option<&'static str>,
                       what: &str|
     -> Result<()> {
        let mut queries = Vec::new();
        for v in values {
            let class = resolve(v)
                .ok_or_else(|| IndexError::BadRequest(format!("unknown {what} {v:?}")))?;
            queries.push(term_query(field, class));
        }
        filter(queries);
        Ok(())
    };
    classes(
        fields.benefit,
        &request.benefits,
        zhengce_benefits::resolve_benefit,
        "benefit",
    )?;
    classes(
        fields.beneficiary,
        &request.beneficiaries,
        zhengce_benefits::resolve_beneficiary,
        "beneficiary",
    )?;
    if !request.statuses.is_empty() {
        let as_of = request.as_of_number()?;
        let statuses: Vec<Box<dyn Query>> = request
            .statuses
            .iter()
            .filter_map(|s| Status::parse(s))
            .map(|s| status_query(fields, s, as_of))
            .collect();
        filter(statuses);
    }
    filter(
        request
            .years
            .iter()
            .map(|&y| {
                Box::new(TermQuery::new(
                    Term::from_field_u64(fields.year, y),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            })
            .collect(),
    );
    if request.from.is_some() || request.to.is_some() {
        let bound = |d: &Option<String>, name: &str| -> Result<Bound<Term>> {
            match d {
                None => Ok(Bound::Unbounded),
                Some(d) => date_number(d)
                    .map(|n| Bound::Included(Term::from_field_u64(fields.date, n)))
                    .ok_or_else(|| {
                        IndexError::BadRequest(format!(
                            "{name} must be a date YYYY-MM-DD, got {d:?}"
                        ))
                    }),
            }
        };
        let range = RangeQuery::new(bound(&request.from, "from")?, bound(&request.to, "to")?);
        filter(vec![Box::new(range)]);
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

fn u64_range(field: Field, from: Bound<u64>, to: Bound<u64>) -> Box<dyn Query> {
    let map = |b: Bound<u64>| match b {
        Bound::Included(v) => Bound::Included(Term::from_field_u64(field, v)),
        Bound::Excluded(v) => Bound::Excluded(Term::from_field_u64(field, v)),
        Bound::Unbounded => Bound::Unbounded,
    };
    Box::new(RangeQuery::new(map(from), map(to)))
}

/// Entries whose document has `status` on `as_of` (`YYYYMMDD`).
fn status_query(fields: &Fields, status: Status, as_of: u64) -> Box<dyn Query> {
    use crate::schema::OPEN_END;
    let unknown = || -> Box<dyn Query> {
        Box::new(BooleanQuery::new(vec![
            (
                Occur::Must,
                u64_range(fields.valid_from, Bound::Included(0), Bound::Included(0)),
            ),
            (
                Occur::Must,
                u64_range(
                    fields.valid_to,
                    Bound::Included(OPEN_END),
                    Bound::Included(OPEN_END),
                ),
            ),
        ]))
    };
    match status {
        Status::Expired => u64_range(fields.valid_to, Bound::Unbounded, Bound::Excluded(as_of)),
        Status::NotYet => Box::new(BooleanQuery::new(vec![
            (
                Occur::Must,
                u64_range(fields.valid_from, Bound::Excluded(as_of), Bound::Unbounded),
            ),
            (
                Occur::Must,
                u64_range(fields.valid_to, Bound::Included(as_of), Bound::Unbounded),
            ),
        ])),
        Status::InForce => Box::new(BooleanQuery::new(vec![
            (
                Occur::Must,
                u64_range(fields.valid_from, Bound::Unbounded, Bound::Included(as_of)),
            ),
            (
                Occur::Must,
                u64_range(fields.valid_to, Bound::Included(as_of), Bound::Unbounded),
            ),
            (Occur::MustNot, unknown()),
        ])),
        Status::Unknown => unknown(),
    }
}

/// Today's date as `YYYYMMDD` (UTC).
pub(crate) fn today() -> u64 {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Howard Hinnant's civil_from_days.
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

fn date_number(d: &str) -> Option<u64> {
    let parts: Vec<&str> = d.trim().split('-').collect();
    let [y, m, day] = parts.as_slice() else {
        return None;
    };
    let (y, m, day): (u64, u64, u64) = (y.parse().ok()?, m.parse().ok()?, day.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&day) && (1000..=9999).contains(&y))
        .then_some(y * 10_000 + m * 100 + day)
}

/// The text part of a search as a tantivy query (match all for an empty query). Free
/// text matches a document's title or body, and a provision's own text.
fn build_query(fields: &Fields, parsed: &ParsedQuery, level: Level) -> Box<dyn Query> {
    if parsed.is_empty() {
        return Box::new(AllQuery);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for group in &parsed.all {
        let alternatives: Vec<(Occur, Box<dyn Query>)> = group
            .iter()
            .map(|c| (Occur::Should, clause_query(fields, c, level)))
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
    }
    for clause in &parsed.none {
        clauses.push((Occur::MustNot, clause_query(fields, clause, level)));
    }
    // Terms typed next to each other rank higher where they stand together.
    let plain: Vec<&str> = parsed
        .all
        .iter()
        .filter(|g| g.len() == 1 && g[0].field.is_none())
        .map(|g| g[0].text.as_str())
        .collect();
    if plain.len() > 1 {
        let joined = plain.concat();
        clauses.push((
            Occur::Should,
            boosted(substring(fields.body_bigrams, &joined), 2.0),
        ));
        clauses.push((
            Occur::Should,
            boosted(substring(fields.title_bigrams, &joined), 4.0),
        ));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, boost))
}

/// Documents containing `text` verbatim (spaces aside) in a bigram field.
fn substring(field: Field, text: &str) -> Box<dyn Query> {
    let tokens = BigramTokenizer::tokens(text);
    match tokens.len() {
        0 => Box::new(EmptyQuery),
        1 if tokens[0].text.chars().count() == 1 => {
            // One character: any bigram that starts or ends with it.
            let c = regex_escape(&tokens[0].text);
            match RegexQuery::from_pattern(&format!("{c}.|.{c}"), field) {
                Ok(q) => Box::new(q),
                Err(_) => Box::new(EmptyQuery),
            }
        }
        1 => Box::new(TermQuery::new(
            Term::from_field_text(field, &tokens[0].text),
            IndexRecordOption::WithFreqs,
        )),
        _ => Box::new(PhraseQuery::new(
            tokens
                .iter()
                .map(|t| Term::from_field_text(field, &t.text))
                .collect(),
        )),
    }
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~\"<>@".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

/// Words of `text` scored in the ranking fields.
fn words(field: Field, text: &str, boost: f32) -> Vec<(Occur, Box<dyn Query>)> {
    let mut seen = std::collections::HashSet::new();
    WordTokenizer::default()
        .tokens(text)
        .into_iter()
        .filter(|t| seen.insert(t.text.clone()))
        .map(|t| {
            let q = TermQuery::new(
                Term::from_field_text(field, &t.text),
                IndexRecordOption::WithFreqs,
            );
            (Occur::Should, boosted(Box::new(q), boost))
        })
        .collect()
}

/// A free-text term: it must occur verbatim in the title or the body (a provision: in
/// its text); its words rank, title matches count more.
fn text_match(fields: &Fields, text: &str, level: Level) -> Box<dyn Query> {
    let mut places = vec![(Occur::Should, substring(fields.body_bigrams, text))];
    if level == Level::Doc {
        places.push((
            Occur::Should,
            boosted(substring(fields.title_bigrams, text), 3.0),
        ));
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, Box::new(BooleanQuery::new(places)))];
    if level == Level::Doc {
        clauses.extend(words(fields.title, text, 2.0));
    }
    clauses.extend(words(fields.body, text, 1.0));
    Box::new(BooleanQuery::new(clauses))
}

/// One clause; a 文号 also matches the number field, first.
fn clause_query(fields: &Fields, clause: &Clause, level: Level) -> Box<dyn Query> {
    let text = clause.text.as_str();
    match clause.field {
        Some(QueryField::Title) => substring(fields.title_bigrams, text),
        Some(QueryField::Issuer) => substring(fields.issuer_bigrams, text),
        Some(QueryField::LeadDept) => term_query(fields.lead_dept, text.trim()),
        Some(QueryField::DocNumber) => {
            let number = normalize_doc_number(text).unwrap_or_else(|| text.trim().to_string());
            term_query(fields.doc_number, &number)
        }
        None => {
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Should, text_match(fields, text, level))];
            if let Some(number) = normalize_doc_number(text) {
                alternatives.push((
                    Occur::Should,
                    boosted(term_query(fields.doc_number, &number), 50.0),
                ));
            }
            if !clause.phrase {
                for synonym in synonyms(text) {
                    alternatives.push((
                        Occur::Should,
                        boosted(text_match(fields, synonym, level), 0.8),
                    ));
                }
            }
            Box::new(BooleanQuery::new(alternatives))
        }
    }
}

fn highlight_terms(parsed: &ParsedQuery) -> Vec<String> {
    let mut terms = parsed.highlight_terms();
    for c in parsed.all.iter().flatten() {
        if c.field.is_none() && !c.phrase {
            terms.extend(synonyms(&c.text).iter().cloned());
        }
    }
    terms.iter().map(|t| normalize(t)).collect()
}

fn matched_provisions(
    fields: &Fields,
    searcher: &Searcher,
    text: &dyn Query,
    doc_id: &str,
    terms: &[String],
    as_of: u64,
) -> Result<Vec<MatchedProvision>> {
    let query = BooleanQuery::new(vec![
        (Occur::Must, text.box_clone()),
        (
            Occur::Must,
            Box::new(ConstScoreQuery::new(term_query(fields.doc_id, doc_id), 0.0)),
        ),
        (
            Occur::Must,
            Box::new(ConstScoreQuery::new(
                term_query(fields.level, "provision"),
                0.0,
            )),
        ),
    ]);
    let top = searcher.search(
        &query,
        &TopDocs::with_limit(MATCHED_PROVISIONS).order_by_score(),
    )?;
    let mut out = Vec::with_capacity(top.len());
    for (score, address) in top {
        let stored: TantivyDocument = searcher.doc(address)?;
        let hit = hit_from(fields, &stored, Some(score), terms, as_of);
        out.push(MatchedProvision {
            number: hit.provision_number.unwrap_or_default(),
            benefits: hit.benefits,
            amounts: hit.amounts,
            heading_path: hit.heading_path,
            lead_depts: hit.lead_depts,
            resp_depts: hit.resp_depts,
            snippet: hit.snippet,
        });
    }
    Ok(out)
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
    let body = text(fields.body).unwrap_or_default();
    Hit {
        id: text(fields.id).unwrap_or_default(),
        level,
        doc_id: text(fields.doc_id).unwrap_or_default(),
        title: text(fields.title),
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
        snippet: snippet(&body, terms, SNIPPET_CHARS),
        score,
        matched_provisions: Vec::new(),
        benefits: all(fields.benefit),
        beneficiaries: all(fields.beneficiary),
        amounts: text(fields.amounts)
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default(),
        status: stored_status(fields, doc, as_of).as_str().to_string(),
    }
}

/// A stored entry's validity status on `as_of`.
fn stored_status(fields: &Fields, doc: &TantivyDocument, as_of: u64) -> Status {
    let num = |f: Field| doc.get_first(f).and_then(|v| v.as_u64());
    let from = num(fields.valid_from).unwrap_or(0);
    let to = num(fields.valid_to).unwrap_or(crate::schema::OPEN_END);
    if to < as_of {
        Status::Expired
    } else if from > as_of {
        Status::NotYet
    } else if from == 0 && to == crate::schema::OPEN_END {
        Status::Unknown
    } else {
        Status::InForce
    }
}
