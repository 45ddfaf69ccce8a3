//! Searching: one pass over the matches (see [`collect`](crate::collect)), then the hits
//! of the page, their matched provisions in one more query, and facets as data.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};
use zhengce_analysis::WordTokenizer;

use crate::build::{
    boosted, build_query, build_ranked, has_many_words, has_run_words, highlight_terms, term_query,
    with_filters,
};
use crate::collect::{FacetFilter, ProvisionsCollector, SearchCollector, TopBy};
use crate::hits::{Hit, MatchedProvision, hit_from};
use crate::query::parse_query;
use crate::ranking::Ranking;
use crate::request::{FacetField, Level, MAX_QUERY_TERMS, SearchRequest, Sort, today};
use crate::{IndexError, PolicyIndex, Result};

/// Facet values returned per facet (years: all of them).
const FACET_VALUES: usize = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

/// Facet counts; a facet that was not asked for is empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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

impl Facets {
    fn slot(&mut self, facet: FacetField) -> &mut Vec<FacetValue> {
        match facet {
            FacetField::Issuer => &mut self.issuer,
            FacetField::Year => &mut self.year,
            FacetField::LeadDept => &mut self.lead_dept,
            FacetField::Region => &mut self.region,
            FacetField::DocType => &mut self.doc_type,
            FacetField::Benefit => &mut self.benefit,
            FacetField::Beneficiary => &mut self.beneficiary,
            FacetField::Status => &mut self.status,
        }
    }
}

/// The answer to a search (the API returns it as it is).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    pub query: String,
    pub total: usize,
    /// Time the search took, from the request to the response.
    pub took_ms: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

/// A way to give up a running search (a timeout, a client gone).
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Stops the search soon; it then answers [`IndexError::Cancelled`].
    pub fn cancel(&self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Hits below which a query is searched again with the words of its runs (one page).
pub const WORDS_BELOW: usize = 10;

impl PolicyIndex {
    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse> {
        self.search_cancellable(request, &Cancel::new())
    }

    /// Runs a search that `cancel` can stop.
    pub fn search_cancellable(
        &self,
        request: &SearchRequest,
        cancel: &Cancel,
    ) -> Result<SearchResponse> {
        self.search_ranked(request, cancel, &Ranking::default())
    }

    /// Runs a search with the ranking signals of `ranking` (the ranking bench compares
    /// them; [`search`](Self::search) uses [`Ranking::default`]).
    ///
    /// A run of Chinese typed without spaces is first searched as typed; only when that
    /// finds fewer than [`WORDS_BELOW`] hits is it searched again with its words as well
    /// ([`Ranking::run_words`]: the verbatim matches first, then the texts holding all of
    /// its content words), so a query that the texts hold as typed ranks exactly as a
    /// string, and a question typed in full (`高新技术企业可以享受哪些税收优惠`) still finds
    /// what holds its words. When nothing holds all its words, what holds most of them is
    /// found ([`Ranking::most_words`]). No stage is chosen by a facet filter: the
    /// query without them decides, so a facet's count is what clicking it finds.
    pub fn search_ranked(
        &self,
        request: &SearchRequest,
        cancel: &Cancel,
        ranking: &Ranking,
    ) -> Result<SearchResponse> {
        if !ranking.run_words {
            return self.search_once(request, cancel, ranking);
        }
        let started = Instant::now();
        let as_typed = Ranking {
            run_words: false,
            ..*ranking
        };
        let first = self.search_once(request, cancel, &as_typed)?;
        let parsed = parse_query(&request.query)?;
        if first.total >= WORDS_BELOW || !has_run_words(&parsed, ranking) {
            return Ok(first);
        }
        // Whether the words are searched does not hang on a facet filter: the count beside
        // a facet value is what clicking it finds, so a query found often enough at one
        // stage stays at that stage under any filter.
        let faceted = FacetField::ALL
            .into_iter()
            .any(|f| !request.filter_values(f).is_empty());
        let enough_unfaceted = |ranking: &Ranking| -> Result<bool> {
            Ok(faceted
                && self
                    .search_once(&request.unfaceted(), cancel, ranking)?
                    .total
                    >= WORDS_BELOW)
        };
        if enough_unfaceted(&as_typed)? {
            return Ok(first);
        }
        let mut words = self.search_once(request, cancel, ranking)?;
        let none_unfaceted = |ranking: &Ranking| -> Result<bool> {
            Ok(!faceted
                || self
                    .search_once(&request.unfaceted(), cancel, ranking)?
                    .total
                    == 0)
        };
        if words.total == 0 && has_many_words(&parsed, ranking) && none_unfaceted(ranking)? {
            let most = Ranking {
                most_words: true,
                ..*ranking
            };
            words = self.search_once(request, cancel, &most)?;
        }
        words.took_ms = started.elapsed().as_millis() as u64;
        Ok(words)
    }

    /// One search with the signals of `ranking`.
    fn search_once(
        &self,
        request: &SearchRequest,
        cancel: &Cancel,
        ranking: &Ranking,
    ) -> Result<SearchResponse> {
        let started = Instant::now();
        request.validate()?;
        let parsed = parse_query(&request.query)?;
        let terms_typed: usize = parsed.all.iter().map(Vec::len).sum::<usize>() + parsed.none.len();
        if terms_typed > MAX_QUERY_TERMS {
            return Err(IndexError::BadQuery(format!(
                "检索式有 {terms_typed} 个词，最多 {MAX_QUERY_TERMS} 个"
            )));
        }
        let fields = &self.fields;
        let counted: Vec<FacetField> = FacetField::ALL
            .into_iter()
            .filter(|f| request.wants_facet(*f))
            .collect();
        // Filters on counted facets are checked by the collector (disjunctive counts).
        let collector_filters: Vec<FacetFilter> = counted
            .iter()
            .map(|&facet| FacetFilter {
                facet,
                values: request.filter_values(facet),
            })
            .filter(|f| !f.values.is_empty())
            .collect();
        let in_collector: Vec<FacetField> = collector_filters.iter().map(|f| f.facet).collect();
        let query = with_filters(
            fields,
            build_ranked(fields, &parsed, request.level, ranking),
            request,
            &in_collector,
        )?;
        let searcher = self.reader.searcher();
        self.facet_names.keep_only(&searcher);
        let offset = (request.page - 1) * request.size;
        let top_by = match request.sort {
            Sort::Relevance if !parsed.is_empty() => TopBy::Score,
            _ => TopBy::Date,
        };
        let as_of = request.as_of_number()?;
        let mut ranking = *ranking;
        if request.level != Level::Doc || crate::ranking::is_exact(&parsed) {
            ranking.collapse = false;
        }
        let collector = SearchCollector {
            top_k: offset + request.size,
            top_by,
            facets: counted.clone(),
            filters: collector_filters,
            as_of,
            cancelled: cancel.0.clone(),
            ranking,
            names: self.facet_names.clone(),
        };
        let collected = searcher.search(&query, &collector)?;
        if cancel.is_cancelled() {
            return Err(IndexError::Cancelled);
        }

        let terms = highlight_terms(&parsed);
        let mut hits = Vec::with_capacity(request.size);
        for ranked in collected.top.iter().skip(offset) {
            let stored: TantivyDocument = searcher.doc(ranked.address)?;
            let score = (top_by == TopBy::Score).then_some(ranked.key as f32);
            let mut hit = hit_from(fields, &stored, score, &terms, as_of);
            if let Some(others) = collected.collapsed.get(&ranked.address) {
                hit.collapsed = doc_ids(&searcher, others)?;
            }
            hits.push(hit);
        }
        if request.level == Level::Doc && !parsed.is_empty() && request.matched_provisions > 0 {
            self.add_matched_provisions(&mut hits, &parsed, &terms, as_of, request)?;
        }

        let mut facets = Facets::default();
        for facet in counted {
            let counts = collected.facets.get(&facet).cloned().unwrap_or_default();
            *facets.slot(facet) = facet_list(counts, facet, FACET_VALUES);
        }
        Ok(SearchResponse {
            query: request.query.clone(),
            total: collected.total,
            took_ms: started.elapsed().as_millis() as u64,
            hits,
            facets,
        })
    }

    /// The best provisions of every document hit, matched by their own text, in one query.
    fn add_matched_provisions(
        &self,
        hits: &mut [Hit],
        parsed: &crate::query::ParsedQuery,
        terms: &[String],
        as_of: u64,
        request: &SearchRequest,
    ) -> Result<()> {
        if hits.is_empty() {
            return Ok(());
        }
        let fields = &self.fields;
        let searcher = self.reader.searcher();
        let doc_ids: Vec<String> = hits.iter().map(|h| h.doc_id.clone()).collect();
        let ids: Vec<(Occur, Box<dyn Query>)> = doc_ids
            .iter()
            .map(|id| (Occur::Should, term_query(fields.doc_id, id)))
            .collect();
        let query = BooleanQuery::new(vec![
            (Occur::Must, build_query(fields, parsed, Level::Provision)),
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(ids)), 0.0)),
            ),
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    term_query(fields.level, Level::Provision.as_str()),
                    0.0,
                )),
            ),
        ]);
        let best = searcher.search(
            &query,
            &ProvisionsCollector {
                field: fields.doc_id,
                doc_ids,
                per_doc: request.matched_provisions,
            },
        )?;
        for (i, ranked) in best {
            let mut out = Vec::with_capacity(ranked.len());
            for r in ranked {
                let stored: TantivyDocument = searcher.doc(r.address)?;
                let hit = hit_from(fields, &stored, Some(r.key as f32), terms, as_of);
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
            hits[i].matched_provisions = out;
        }
        Ok(())
    }

    /// Facet values of `field` over the whole index (documents), optionally only those
    /// starting with `prefix`, most frequent first (years: newest first).
    pub fn facet_values(&self, field: &str, prefix: &str, limit: usize) -> Result<Vec<FacetValue>> {
        let facet = FacetField::parse(field)
            .ok_or_else(|| IndexError::BadRequest(format!("没有“{field}”这个分面")))?;
        let collector = SearchCollector {
            top_k: 0,
            top_by: TopBy::Date,
            facets: vec![facet],
            filters: Vec::new(),
            as_of: today(),
            cancelled: Arc::default(),
            ranking: Ranking::NONE,
            names: self.facet_names.clone(),
        };
        let level = term_query(self.fields.level, Level::Doc.as_str());
        let mut collected = self.reader.searcher().search(&level, &collector)?;
        let counts = collected.facets.remove(&facet).unwrap_or_default();
        let mut values = facet_list(counts, facet, usize::MAX);
        values.retain(|v| v.value.starts_with(prefix));
        values.truncate(limit);
        Ok(values)
    }

    /// The stored document with this id.
    pub fn get_doc(&self, id: &str) -> Result<Option<zhengce_model::PolicyDoc>> {
        Ok(self.get_stored(id)?.map(|stored| stored.doc))
    }
}

/// The document ids of entries, from the `doc_id` fast field (no stored reads).
pub(crate) fn doc_ids(
    searcher: &tantivy::Searcher,
    addresses: &[tantivy::DocAddress],
) -> Result<Vec<String>> {
    let mut ids = Vec::with_capacity(addresses.len());
    for address in addresses {
        let reader = searcher.segment_reader(address.segment_ord);
        let Some(column) = reader.fast_fields().str("doc_id")? else {
            continue;
        };
        let mut id = String::new();
        if let Some(ord) = column.term_ords(address.doc_id).next() {
            column
                .ord_to_str(ord, &mut id)
                .map_err(|e| IndexError::Tantivy(e.into()))?;
            ids.push(id);
        }
    }
    Ok(ids)
}

impl PolicyIndex {
    /// The reference ranker of the ranking bench: plain BM25 over jieba words, every word
    /// of the query required in the title or the body, no boosts, no other signal (what
    /// SQLite FTS5 with a jieba tokenizer does). Returns the document ids, best first.
    pub fn bm25_baseline(&self, query: &str, limit: usize) -> Result<Vec<String>> {
        let fields = &self.fields;
        let mut seen = std::collections::HashSet::new();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for token in WordTokenizer::default().tokens(query) {
            if !seen.insert(token.text.clone()) {
                continue;
            }
            let either = BooleanQuery::new(
                [fields.title, fields.body]
                    .into_iter()
                    .map(|field| {
                        let q: Box<dyn Query> = Box::new(TermQuery::new(
                            Term::from_field_text(field, &token.text),
                            IndexRecordOption::WithFreqs,
                        ));
                        (Occur::Should, q)
                    })
                    .collect(),
            );
            clauses.push((Occur::Must, Box::new(either)));
        }
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(
                term_query(fields.level, Level::Doc.as_str()),
                0.0,
            )),
        ));
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit).order_by_score(),
        )?;
        let addresses: Vec<tantivy::DocAddress> = top.into_iter().map(|(_, a)| a).collect();
        doc_ids(&searcher, &addresses)
    }
}

/// Counts as a facet list: most frequent first, the first `max`; years all of them,
/// newest first.
fn facet_list(counts: HashMap<String, u64>, facet: FacetField, max: usize) -> Vec<FacetValue> {
    let mut v: Vec<FacetValue> = counts
        .into_iter()
        .map(|(value, count)| FacetValue { value, count })
        .collect();
    if facet == FacetField::Year {
        v.sort_by(|a, b| b.value.cmp(&a.value));
    } else {
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
        v.truncate(max);
    }
    v
}

/// The text query of `request` with all its filters, and the strings to highlight.
pub(crate) fn build_filtered(
    fields: &crate::Fields,
    request: &SearchRequest,
) -> Result<(Box<dyn Query>, Vec<String>)> {
    request.validate()?;
    let parsed = parse_query(&request.query)?;
    let query = with_filters(
        fields,
        build_query(fields, &parsed, request.level),
        request,
        &[],
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
