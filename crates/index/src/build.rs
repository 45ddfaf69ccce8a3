//! The tantivy query of a search: the text part (bigram phrases that must match, jieba
//! words that rank, 文号 and synonyms) and the filters around it.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use zhengce_analysis::{BigramTokenizer, WordTokenizer, is_abbreviation, normalize, synonyms};
use zhengce_model::Status;
use zhengce_model::normalize_doc_number;

use crate::contains::Contains;
use crate::join::EntriesOf;
use crate::query::{Clause, ParsedQuery, QueryField};
use crate::ranking::Ranking;
use crate::request::{FacetField, Level, SearchRequest, date_number};
use crate::{Fields, Result};

/// The text query with the filters that are not checked by the collector; filters do
/// not score. `in_collector` lists the facets whose filters the collector checks.
pub(crate) fn with_filters(
    fields: &Fields,
    text: Box<dyn Query>,
    request: &SearchRequest,
    in_collector: &[FacetField],
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
    filter(vec![term_query(fields.level, request.level.as_str())]);
    for facet in FacetField::ALL {
        if in_collector.contains(&facet) {
            continue;
        }
        let values = request.filter_values(facet);
        if values.is_empty() {
            continue;
        }
        let queries: Vec<Box<dyn Query>> = match facet {
            FacetField::Status => {
                let as_of = request.as_of_number()?;
                // Superseded on `as_of`: its successor came on or before it (1: a date
                // unknown, always).
                let superseded = || -> Box<dyn Query> {
                    Box::new(RangeQuery::new(
                        Bound::Included(Term::from_field_u64(fields.superseded, 1)),
                        Bound::Included(Term::from_field_u64(fields.superseded, as_of)),
                    ))
                };
                values
                    .iter()
                    .filter_map(|name| {
                        if name == crate::collect::SUPERSEDED {
                            return Some(superseded());
                        }
                        let status = Status::parse(name)?;
                        Some(Box::new(BooleanQuery::new(vec![
                            (Occur::Must, status_query(fields, status, as_of)),
                            (Occur::MustNot, superseded()),
                        ])) as Box<dyn Query>)
                    })
                    .collect()
            }
            FacetField::Year => request
                .years
                .iter()
                .map(|&y| {
                    Box::new(TermQuery::new(
                        Term::from_field_u64(fields.year, y),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>
                })
                .collect(),
            _ => {
                let field = match facet {
                    FacetField::Issuer => fields.issuer,
                    FacetField::LeadDept => fields.lead_dept,
                    FacetField::Region => fields.region,
                    FacetField::DocType => fields.doc_type,
                    FacetField::Benefit => fields.benefit,
                    _ => fields.beneficiary,
                };
                values.iter().map(|v| term_query(field, v)).collect()
            }
        };
        filter(queries);
    }
    if request.from.is_some() || request.to.is_some() {
        let bound = |d: &Option<String>| match d.as_deref().and_then(date_number) {
            None => Bound::Unbounded,
            Some(n) => Bound::Included(Term::from_field_u64(fields.date, n)),
        };
        let range = RangeQuery::new(bound(&request.from), bound(&request.to));
        filter(vec![Box::new(range)]);
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

pub(crate) fn term_query(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::WithFreqs,
    ))
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
pub(crate) fn status_query(fields: &Fields, status: Status, as_of: u64) -> Box<dyn Query> {
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

/// The text part of a search as a tantivy query (match all for an empty query). Free
/// text matches a document's title or body, and a provision's own text.
pub(crate) fn build_query(fields: &Fields, parsed: &ParsedQuery, level: Level) -> Box<dyn Query> {
    build_ranked(fields, parsed, level, &Ranking::default())
}

/// [`build_query`] with the ranking signals of `ranking`.
pub(crate) fn build_ranked(
    fields: &Fields,
    parsed: &ParsedQuery,
    level: Level,
    ranking: &Ranking,
) -> Box<dyn Query> {
    if parsed.is_empty() {
        return Box::new(AllQuery);
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for group in &parsed.all {
        let alternatives: Vec<(Occur, Box<dyn Query>)> = group
            .iter()
            .map(|c| (Occur::Should, clause_query(fields, c, level, ranking)))
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
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
        let at = fields.text_fields(level);
        clauses.push((
            Occur::Should,
            boosted(substring(at.body_bigrams, &joined), 2.0),
        ));
        if let Some(title) = at.title {
            clauses.push((
                Occur::Should,
                boosted(substring(title.bigrams, &joined), 4.0),
            ));
        }
    }
    let mut text: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
    // A query that is a document's name (`刑法`, `科技进步法`) finds that document even
    // where its title spells the name out, and puts it first. Quoted strings are taken
    // literally.
    let unquoted = parsed.all.iter().flatten().all(|c| !c.phrase);
    if ranking.title_names && level == Level::Doc && unquoted && plain.len() == parsed.all.len() {
        let name = crate::ranking::squash(&plain.concat());
        if name.chars().count() >= 2 {
            let named = ConstScoreQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(fields.title_key, &name),
                    IndexRecordOption::Basic,
                )),
                crate::ranking::TITLE_NAME_SCORE,
            );
            text = Box::new(BooleanQuery::new(vec![
                (Occur::Should, text),
                (Occur::Should, Box::new(named)),
            ]));
        }
    }
    if parsed.none.is_empty() {
        return text;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
    // An exclusion is the string, never its words apart.
    let words_apart = Ranking {
        run_words: false,
        most_words: false,
        ..*ranking
    };
    for clause in &parsed.none {
        clauses.push((
            Occur::MustNot,
            clause_query(fields, clause, level, &words_apart),
        ));
    }
    Box::new(BooleanQuery::new(clauses))
}

pub(crate) fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, boost))
}

/// Documents containing `text` verbatim (spaces aside) in a bigram field.
fn substring(field: Field, text: &str) -> Box<dyn Query> {
    let tokens = BigramTokenizer::tokens(text);
    match tokens.len() {
        0 => Box::new(EmptyQuery),
        1 if tokens[0].text.chars().count() == 1 => {
            // One character: every term that begins with it (the bigram field indexes the
            // last character of a text alone, so every occurrence begins a term). A range
            // of the term dictionary, never a scan of it.
            let c = tokens[0].text.chars().next().expect("one character");
            let upper = (c as u32 + 1..=char::MAX as u32)
                .find_map(char::from_u32)
                .map_or(Bound::Unbounded, |next| {
                    Bound::Excluded(Term::from_field_text(field, &next.to_string()))
                });
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_text(field, &tokens[0].text)),
                upper,
            ))
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

/// What a body containing a term scores, besides the BM25 of the term's words. A
/// constant, not the phrase's BM25: that needs every position of every match, which
/// was most of a broad search's time. On the judged set (dev) the constant ranks
/// within 0.015 nDCG@10 of the phrase's BM25 (BENCHMARKS.md).
const BODY_CONTAINS_SCORE: f32 = 10.0;
/// What a title containing a term scores, besides the BM25 of the term's words.
const TITLE_CONTAINS_SCORE: f32 = 30.0;

/// Texts containing `text` verbatim: [`substring`] of a bigram field, with a constant
/// `score`, and proven by the jieba word of `words` (the same text's word field) where
/// `text` is one: positions are then read only for texts that jieba cut differently.
fn contains(bigrams: Field, words: Field, text: &str, score: f32) -> Box<dyn Query> {
    let tokens = BigramTokenizer::tokens(text);
    if tokens.len() < 2 {
        return Box::new(ConstScoreQuery::new(substring(bigrams, text), score));
    }
    let norm = normalize(text);
    let witness = (norm.chars().all(zhengce_model::is_han)
        && WordTokenizer::default()
            .tokens(&norm)
            .iter()
            .any(|t| t.text == norm))
    .then(|| Term::from_field_text(words, &norm));
    Box::new(Contains::new(
        tokens
            .iter()
            .map(|t| Term::from_field_text(bigrams, &t.text))
            .collect(),
        witness,
        score,
    ))
}

/// A free-text term: it must occur verbatim in the title or the body (a provision: in
/// its text); its words rank, title matches count more.
fn text_match(fields: &Fields, text: &str, level: Level) -> Box<dyn Query> {
    let at = fields.text_fields(level);
    let mut places = vec![(
        Occur::Should,
        contains(at.body_bigrams, at.body_words, text, BODY_CONTAINS_SCORE),
    )];
    if let Some(title) = at.title {
        places.push((
            Occur::Should,
            contains(title.bigrams, title.words, text, TITLE_CONTAINS_SCORE),
        ));
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, Box::new(BooleanQuery::new(places)))];
    if let Some(title) = at.title {
        clauses.extend(words(title.words, text, 2.0));
    }
    clauses.extend(words(at.body_words, text, 1.0));
    Box::new(BooleanQuery::new(clauses))
}

/// An abbreviation as a word: it must be one of the jieba words of the title or the
/// body (a provision: of its text), so `高企` finds `高企认定` but not `提高企业`.
fn word_match(fields: &Fields, word: &str, level: Level) -> Box<dyn Query> {
    let term = |field: Field, boost: f32| -> (Occur, Box<dyn Query>) {
        let q = TermQuery::new(
            Term::from_field_text(field, word),
            IndexRecordOption::WithFreqs,
        );
        (Occur::Should, boosted(Box::new(q), boost))
    };
    let at = fields.text_fields(level);
    let mut places = vec![term(at.body_words, 1.0)];
    if let Some(title) = at.title {
        places.push(term(title.words, 3.0));
    }
    Box::new(BooleanQuery::new(places))
}

/// Whether an unquoted `text` is an abbreviation that jieba keeps as one word (then it
/// matches as a word only).
fn word_bound(text: &str) -> Option<String> {
    if !is_abbreviation(text) {
        return None;
    }
    let norm = normalize(text);
    let tokens = WordTokenizer::default().tokens(&norm);
    (tokens.len() == 1 && tokens[0].text == norm).then_some(norm)
}

/// The entries of the documents a text names: their title holds it verbatim, or it is
/// their 文号 (`企业所得税法`, `辽科发〔2020〕6号`). How a 惠企 keyword names a policy.
pub(crate) fn entries_of_named(fields: &Fields, text: &str) -> Box<dyn Query> {
    let mut named: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Should, substring(fields.title_bigrams, text))];
    if let Some(number) = normalize_doc_number(text) {
        named.push((Occur::Should, doc_number_query(fields, &number)));
    }
    Box::new(EntriesOf::new(
        Box::new(BooleanQuery::new(named)),
        fields.doc_id,
    ))
}

/// `documents`, a query of document entries' own fields, asked at `level`.
fn of_documents(fields: &Fields, level: Level, documents: Box<dyn Query>) -> Box<dyn Query> {
    match level {
        Level::Doc => documents,
        Level::Provision => Box::new(EntriesOf::new(documents, fields.doc_id)),
    }
}

/// One clause; a 文号 also matches the number field, first.
fn clause_query(
    fields: &Fields,
    clause: &Clause,
    level: Level,
    ranking: &Ranking,
) -> Box<dyn Query> {
    let text = clause.text.as_str();
    match clause.field {
        // A document's title and issuer are on its entry alone: a provision finds them
        // through it.
        Some(QueryField::Title) => {
            of_documents(fields, level, substring(fields.title_bigrams, text))
        }
        Some(QueryField::Issuer) => {
            of_documents(fields, level, substring(fields.issuer_bigrams, text))
        }
        Some(QueryField::LeadDept) => term_query(fields.lead_dept, text.trim()),
        Some(QueryField::DocNumber) => match normalize_doc_number(text) {
            Some(number) => doc_number_query(fields, &number),
            None => term_query(fields.doc_number, text.trim()),
        },
        None => {
            let bound = word_bound(text).filter(|_| ranking.word_bound_abbreviations);
            let words = run_words(clause, &bound, ranking);
            // A run that has words of its own: the string (or a synonym of it) verbatim
            // ranks above every document that only has the words.
            let has_words = words.is_some();
            let verbatim = |query: Box<dyn Query>| -> Box<dyn Query> {
                if !has_words {
                    return query;
                }
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, query),
                    (
                        Occur::Should,
                        Box::new(ConstScoreQuery::new(Box::new(AllQuery), VERBATIM_SCORE)),
                    ),
                ]))
            };
            let literal = match bound {
                Some(word) if !clause.phrase => word_match(fields, &word, level),
                _ => verbatim(text_match(fields, text, level)),
            };
            let mut alternatives: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, literal)];
            if let Some(words) = words {
                let word_query = |text: String| {
                    let word = Clause {
                        field: None,
                        text,
                        phrase: false,
                    };
                    clause_query(fields, &word, level, ranking)
                };
                // A compound (`贷款贴息`) matches whole or by its parts (`贷款`, `贴息`).
                let all: Vec<(Occur, Box<dyn Query>)> = words
                    .into_iter()
                    .map(|text| {
                        let parts = compound_parts(&text);
                        let whole = word_query(text);
                        let query = match parts {
                            None => whole,
                            Some(parts) => Box::new(BooleanQuery::new(vec![
                                (Occur::Should, whole),
                                (
                                    Occur::Should,
                                    Box::new(BooleanQuery::new(
                                        parts
                                            .into_iter()
                                            .map(|p| (Occur::Must, word_query(p)))
                                            .collect(),
                                    )),
                                ),
                            ])),
                        };
                        (Occur::Must, query)
                    })
                    .collect();
                let words: Box<dyn Query> = if ranking.most_words && all.len() >= MANY_WORDS {
                    let most =
                        ((all.len() as f64 * crate::ranking::MOST_WORDS).ceil() as usize).max(2);
                    let any = all.into_iter().map(|(_, q)| (Occur::Should, q)).collect();
                    Box::new(BooleanQuery::with_minimum_required_clauses(any, most))
                } else {
                    Box::new(BooleanQuery::new(all))
                };
                alternatives.push((Occur::Should, boosted(words, WORDS_WEIGHT)));
            }
            if let Some(number) = normalize_doc_number(text) {
                alternatives.push((
                    Occur::Should,
                    boosted(doc_number_query(fields, &number), 50.0),
                ));
            }
            if !clause.phrase {
                for synonym in synonyms(text) {
                    alternatives.push((
                        Occur::Should,
                        verbatim(boosted(text_match(fields, synonym, level), 0.8)),
                    ));
                }
            }
            Box::new(BooleanQuery::new(alternatives))
        }
    }
}

/// The content words a free-text clause is also searched by, if any ([`content_words`]):
/// not for a quoted clause nor an abbreviation matched as a word (`bound`).
fn run_words(clause: &Clause, bound: &Option<String>, ranking: &Ranking) -> Option<Vec<String>> {
    match (bound, clause.phrase) {
        (None, false) if ranking.run_words => content_words(&clause.text),
        _ => None,
    }
}

/// Content words a run needs for [`Ranking::most_words`] to relax it: fewer are a name
/// or a phrase (`小微企业贷款贴息`), whose words are wanted together.
const MANY_WORDS: usize = 4;

/// Whether some positive free-text run of `parsed` has [`MANY_WORDS`] content words or
/// more, so that [`Ranking::most_words`] can find more than its words all together.
pub(crate) fn has_many_words(parsed: &ParsedQuery, ranking: &Ranking) -> bool {
    parsed.all.iter().flatten().any(|clause| {
        let bound = word_bound(&clause.text).filter(|_| ranking.word_bound_abbreviations);
        clause.field.is_none()
            && run_words(clause, &bound, ranking).is_some_and(|w| w.len() >= MANY_WORDS)
    })
}

/// Whether searching the words of its runs ([`Ranking::run_words`]) can change what
/// `parsed` finds: some positive free-text clause has words of its own.
pub(crate) fn has_run_words(parsed: &ParsedQuery, ranking: &Ranking) -> bool {
    parsed.all.iter().flatten().any(|clause| {
        let bound = word_bound(&clause.text).filter(|_| ranking.word_bound_abbreviations);
        clause.field.is_none() && run_words(clause, &bound, ranking).is_some()
    })
}

/// What a text holding a run verbatim scores besides its other scores, when the run is
/// also searched as words (see [`content_words`]): more than the words alone score
/// (they count [`WORDS_WEIGHT`]), so that verbatim matches come first.
const VERBATIM_SCORE: f32 = 100.0;
/// The weight of the words of a run (see [`content_words`]) in a document's score.
const WORDS_WEIGHT: f32 = 0.25;

/// Words a question or a phrase typed in full holds that a document need not: question
/// words and function words.
const NOT_REQUIRED: &[&str] = &[
    "可以",
    "能否",
    "能够",
    "可否",
    "是否",
    "哪些",
    "哪个",
    "哪里",
    "哪儿",
    "有哪些",
    "什么",
    "怎么",
    "怎样",
    "怎么样",
    "如何",
    "为什么",
    "多少",
    "有没有",
    "请问",
    "需要",
    "应该",
    "关于",
    "以及",
    "或者",
    "还是",
    "我们",
    "我",
    "你",
    "有",
    "是",
    "的",
    "地",
    "得",
    "了",
    "吗",
    "呢",
    "吧",
    "啊",
    "和",
    "与",
    "及",
    "或",
    "在",
    "对",
    "为",
    "把",
    "被",
    "等",
    "之",
];

/// The words of an unquoted run typed without spaces (`高企认定`,
/// `高新技术企业可以享受哪些税收优惠`; not a 文号, not text without Chinese) that a
/// document holding them all matches, as if
/// they had been typed apart: jieba's words of the run (the longest, not their
/// search-mode parts) without the question and function words of [`NOT_REQUIRED`] and
/// without single characters. `None` when the run is one word, or one word and
/// characters that are not function words (`科技型`): the run is then only a string.
pub(crate) fn content_words(text: &str) -> Option<Vec<String>> {
    if !text.chars().any(zhengce_model::is_han) || normalize_doc_number(text).is_some() {
        return None;
    }
    let tokens = WordTokenizer::default().tokens(text);
    let spans: Vec<(usize, usize)> = tokens
        .iter()
        .map(|t| (t.offset_from, t.offset_to))
        .collect();
    let longest = tokens.iter().filter(|t| {
        let span = (t.offset_from, t.offset_to);
        !spans
            .iter()
            .any(|&(from, to)| from <= span.0 && span.1 <= to && (from, to) != span)
    });
    let mut required: Vec<String> = Vec::new();
    let mut function_word = false;
    for token in longest {
        if NOT_REQUIRED.contains(&token.text.as_str()) {
            function_word = true;
        } else if token.text.chars().count() >= 2 && !required.contains(&token.text) {
            required.push(token.text.clone());
        }
    }
    let is_run = required.len() >= 2 || (required.len() == 1 && function_word);
    (is_run && required != [normalize(text)]).then_some(required)
}

/// The jieba words (search mode) that a compound word is made of, in order, each of
/// two characters or more (`贷款贴息` → `贷款`, `贴息`); `None` when they do not tile it.
fn compound_parts(word: &str) -> Option<Vec<String>> {
    let tokens = WordTokenizer::default().tokens(word);
    let end = word.len();
    let mut parts = Vec::new();
    let mut at = 0;
    while at < end {
        let next = tokens
            .iter()
            .filter(|t| t.offset_from == at && t.offset_to - t.offset_from < end)
            .max_by_key(|t| t.offset_to)?;
        parts.push(next.text.clone());
        at = next.offset_to;
    }
    (parts.len() >= 2).then_some(parts)
}

/// A 文号 (canonical form) in the number field, its serial with or without leading
/// zeros (`〔2019〕6号`, `〔2019〕06号`, `〔2019〕006号` are one number).
fn doc_number_query(fields: &Fields, number: &str) -> Box<dyn Query> {
    let forms = doc_number_forms(number);
    if forms.len() == 1 {
        return term_query(fields.doc_number, number);
    }
    Box::new(BooleanQuery::new(
        forms
            .iter()
            .map(|n| (Occur::Should, term_query(fields.doc_number, n)))
            .collect(),
    ))
}

/// The ways a canonical 文号 is written with leading zeros in its serial: without them,
/// and with one to three (a serial has at most six characters).
fn doc_number_forms(number: &str) -> Vec<String> {
    let Some(head) = number.strip_suffix('号') else {
        return vec![number.to_string()];
    };
    let serial_at = head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (prefix, serial) = head.split_at(serial_at);
    let digits = serial.trim_start_matches('0');
    if serial.is_empty() || digits.is_empty() || prefix.ends_with('-') {
        return vec![number.to_string()];
    }
    (0..=3)
        .map(|zeros| format!("{prefix}{}{digits}号", "0".repeat(zeros)))
        .filter(|n| n.len() - prefix.len() <= 6 + '号'.len_utf8())
        .collect()
}

/// The strings to highlight. An abbreviation is highlighted only where it stands as
/// a word (see `hits`).
pub(crate) fn highlight_terms(parsed: &ParsedQuery) -> Vec<String> {
    let mut terms = parsed.highlight_terms();
    for c in parsed.all.iter().flatten() {
        if c.field.is_none() && !c.phrase {
            terms.extend(synonyms(&c.text).iter().cloned());
            if word_bound(&c.text).is_none() {
                for word in content_words(&c.text).unwrap_or_default() {
                    terms.extend(synonyms(&word).iter().cloned());
                    terms.push(word);
                }
            }
        }
    }
    terms.iter().map(|t| normalize(t)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_words_is_its_content_words() {
        let words = content_words("小微企业贷款贴息").expect("several words");
        assert!(words.len() >= 2, "{words:?}");
        assert_eq!(words.concat(), "小微企业贷款贴息", "{words:?}");
        let question = content_words("高新技术企业可以享受哪些税收优惠").expect("a question");
        assert!(
            question.contains(&"高新技术企业".to_string()),
            "{question:?}"
        );
        for function_word in ["可以", "哪些"] {
            assert!(!question.iter().any(|w| w == function_word), "{question:?}");
        }
        assert_eq!(content_words("如何认定"), Some(vec!["认定".to_string()]));
        assert_eq!(
            compound_parts("贷款贴息"),
            Some(vec!["贷款".to_string(), "贴息".to_string()])
        );
        assert_eq!(compound_parts("贴息"), None);
        // One word, or one word and a character: a string only.
        for text in ["高新技术企业", "科技型", "人民政府", "民政府", "认定"] {
            assert_eq!(content_words(text), None, "{text}");
        }
    }

    #[test]
    fn doc_number_serials_with_leading_zeros() {
        assert_eq!(
            doc_number_forms("国办发〔2019〕06号"),
            [
                "国办发〔2019〕6号",
                "国办发〔2019〕06号",
                "国办发〔2019〕006号",
                "国办发〔2019〕0006号"
            ]
        );
        assert_eq!(doc_number_forms("国办发〔2019〕6号").len(), 4);
        assert_eq!(
            doc_number_forms("国办发〔2019〕123456号"),
            ["国办发〔2019〕123456号"]
        );
        assert_eq!(doc_number_forms("国令第707号")[0], "国令第707号");
        assert_eq!(doc_number_forms("国办发〔2019〕0号"), ["国办发〔2019〕0号"]);
        assert_eq!(
            doc_number_forms("国办发〔2019〕6-1号"),
            ["国办发〔2019〕6-1号"]
        );
    }
}
