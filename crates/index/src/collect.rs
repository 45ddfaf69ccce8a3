//! One pass over the matches of a search: total, top hits, the requested facets, the
//! status counts, and the disjunctive counts of filtered facets.
//!
//! Filters on facets that are counted are not part of the query: the collector checks
//! them per match from the facet columns. A match that passes every filter counts
//! everywhere; a match that fails exactly one filter counts only in that filter's facet,
//! which is what a filtered facet shows (its other values, as if its own filter were not
//! set). One pass replaces one search per filtered facet. Filters on facets that are
//! not counted stay in the query, where tantivy intersects them cheaply.
//!
//! Status is read from the `valid_from`/`valid_to` fast fields per match for the
//! request's `as_of`, so the status facet and filter cost no extra queries.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap, HashSet};

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::index::SegmentId;
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED, Term};
use zhengce_model::Status;

use crate::ranking::{AUTHORITY_STEP, EXPLAINER_FACTOR, Ranking, SUPERSEDED_FACTOR};
use crate::request::FacetField;
use crate::schema::OPEN_END;

/// A filter the collector checks: a facet and the values any of which passes.
#[derive(Debug, Clone)]
pub(crate) struct FacetFilter {
    pub facet: FacetField,
    pub values: Vec<String>,
}

/// How the top hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TopBy {
    Score,
    /// Newest first (`date` fast field), then index order.
    Date,
}

/// What one pass collects.
pub(crate) struct SearchCollector {
    /// Hits to keep: offset + page size.
    pub top_k: usize,
    pub top_by: TopBy,
    /// Facets to count (status included when asked).
    pub facets: Vec<FacetField>,
    /// Filters checked per match (each on a counted facet, or status).
    pub filters: Vec<FacetFilter>,
    /// Status date, `YYYYMMDD`.
    pub as_of: u64,
    /// Set when the request was given up: the pass stops doing work.
    pub cancelled: Arc<AtomicBool>,
    /// The ranking signals applied to scores (and collapsing).
    pub ranking: Ranking,
    /// Facet values by ordinal, per segment.
    pub names: Arc<FacetNames>,
}

/// The values of each segment's facet columns, by ordinal, read once per segment: a
/// segment never changes, and naming values from the dictionary at every search read
/// (and decompressed) its blocks again. Segments merged away are dropped by
/// [`FacetNames::keep_only`].
#[derive(Default)]
pub(crate) struct FacetNames {
    names: Mutex<NamesBySegment>,
    /// The searcher generation [`FacetNames::keep_only`] last saw, plus one (0: none yet).
    seen: std::sync::atomic::AtomicU64,
}

/// A facet column's values, by segment and column name.
type NamesBySegment = HashMap<(SegmentId, &'static str), Arc<Vec<String>>>;

impl FacetNames {
    /// The values of `field`'s facet column in `reader`'s segment, by ordinal.
    fn of(&self, reader: &SegmentReader, field: &'static str) -> tantivy::Result<Arc<Vec<String>>> {
        let key = (reader.segment_id(), field);
        if let Some(names) = self.lock().get(&key) {
            return Ok(names.clone());
        }
        let facets = reader.facet_reader(field)?;
        let mut names = Vec::with_capacity(facets.num_facets());
        let mut stream = facets.facet_dict().stream()?;
        while stream.advance() {
            let value = Facet::from_encoded(stream.key().to_vec())
                .ok()
                .and_then(|f| f.to_path().last().map(|v| (*v).to_string()))
                .unwrap_or_default();
            names.push(value);
        }
        let names = Arc::new(names);
        self.lock().insert(key, names.clone());
        Ok(names)
    }

    /// Forgets the segments a searcher no longer has, once per searcher generation (the
    /// segments only change when the reader reloads).
    pub(crate) fn keep_only(&self, searcher: &tantivy::Searcher) {
        let generation = searcher.generation().generation_id() + 1;
        if self.seen.swap(generation, AtomicOrdering::Relaxed) == generation {
            return;
        }
        let live: std::collections::HashSet<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        self.lock().retain(|(segment, _), _| live.contains(segment));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, NamesBySegment> {
        // A panic while holding it leaves a valid map: keep using it.
        self.names
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A hit's sort key: score or date; ties go to the earlier document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ranked {
    pub key: f64,
    pub address: DocAddress,
}

impl Eq for Ranked {}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key
            .total_cmp(&other.key)
            .then_with(|| other.address.cmp(&self.address))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A candidate hit while collapsing, with what choosing the one that stands for its work
/// needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Member {
    pub ranked: Ranked,
    pub superseded: bool,
    pub body_chars: u64,
}

/// Candidates kept per hit wanted when collapsing: the members of a work share them, so
/// a page stays full unless more than this many of its candidates are one work's.
const COLLAPSE_CANDIDATES: usize = 4;

/// A member scoring at least this share of its work's best stands for the work when it
/// is longer (a code's main part rather than its two-line 附则).
const REPRESENTATIVE_SHARE: f64 = 0.85;

/// The member that stands for a work: a current version, among those scoring close to
/// the best (sorted by date: among all) the longest, and the others best first. The
/// work ranks by its best member's key.
fn representative(mut members: Vec<Member>, top_by: TopBy) -> (Ranked, Vec<DocAddress>) {
    members.sort_by_key(|m| Reverse(m.ranked));
    let best_key = members[0].ranked.key;
    let any_current = members.iter().any(|m| !m.superseded);
    let candidates = members
        .iter()
        .filter(|m| !(any_current && m.superseded))
        .collect::<Vec<_>>();
    let top = candidates[0].ranked.key;
    let close = |m: &&&Member| match top_by {
        TopBy::Score => m.ranked.key >= top * REPRESENTATIVE_SHARE,
        // Dates are not scores: a share of one means nothing.
        TopBy::Date => true,
    };
    let chosen = candidates
        .iter()
        .filter(close)
        .max_by(|a, b| {
            a.body_chars
                .cmp(&b.body_chars)
                .then_with(|| a.ranked.cmp(&b.ranked))
        })
        .map_or(candidates[0].ranked, |m| m.ranked);
    let others = members
        .iter()
        .map(|m| m.ranked.address)
        .filter(|a| *a != chosen.address)
        .collect();
    (
        Ranked {
            key: best_key,
            address: chosen.address,
        },
        others,
    )
}

/// The fruit of a pass.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    /// The hits a user can page through: when collapsing, the works of the matches (a
    /// match of no work is one on its own), else the matches.
    pub total: usize,
    /// Best first, `top_k` at most.
    pub top: Vec<Ranked>,
    /// Counts per facet value, for every counted facet.
    pub facets: HashMap<FacetField, HashMap<String, u64>>,
    /// When collapsing: per value, the works of the matches that belong to one (before
    /// merging; `facets` then counts only the matches of no work). A work counts once per
    /// value, as clicking the value finds it once.
    facet_works: HashMap<FacetField, HashMap<String, Vec<u64>>>,
    /// When collapsing: the candidates of a segment with their work (before merging).
    works: Vec<(u64, Member)>,
    /// When collapsing: the works of all matches of a segment (before merging; `total`
    /// then counts only the matches of no work).
    matched_works: HashSet<u64>,
    /// For a hit that stands for a work: the other matching documents of the work.
    pub collapsed: HashMap<DocAddress, Vec<DocAddress>>,
}

struct FacetSlot {
    facet: FacetField,
    reader: Option<FacetReader>,
    /// The column's values by ordinal.
    names: Arc<Vec<String>>,
    counts: Vec<u64>,
    status_counts: [u64; 5],
    /// When collapsing: (ordinal or status index, work) of the matches of a work (a fast
    /// hash: a broad search inserts one per value of every such match).
    works: FxHashSet<(u64, u64)>,
}

struct FilterSlot {
    facet: FacetField,
    reader: Option<FacetReader>,
    /// Ordinals of the wanted values in this segment.
    wanted: Vec<u64>,
    /// Wanted status indexes (see `STATUS_NAMES`).
    statuses: Vec<usize>,
}

pub(crate) struct SearchSegmentCollector {
    segment: SegmentOrdinal,
    top_k: usize,
    top_by: TopBy,
    as_of: u64,
    date: Option<Column<u64>>,
    /// The year of an entry without a date, for sorting by date.
    year: Option<Column<u64>>,
    valid_from: Option<Column<u64>>,
    valid_to: Option<Column<u64>>,
    superseded: Option<Column<u64>>,
    ranking: Ranking,
    authority: Option<Column<u64>>,
    explainer: Option<Column<u64>>,
    work: Option<Column<u64>>,
    body_chars: Option<Column<u64>>,
    /// Candidates kept: `top_k`, more when collapsing (a work's members share slots).
    heap_size: usize,
    facets: Vec<FacetSlot>,
    filters: Vec<FilterSlot>,
    /// Matches (when collapsing: matches of no work).
    total: usize,
    /// When collapsing: the works of the matches.
    matched_works: HashSet<u64>,
    heap: BinaryHeap<Reverse<Ranked>>,
    cancelled: Arc<AtomicBool>,
    seen: u32,
    stopped: bool,
}

/// The status of a document replaced by a newer version of its work.
pub const SUPERSEDED: &str = "已修订";

/// Status names, by index: the validity statuses, then [`SUPERSEDED`].
const STATUS_NAMES: [&str; 5] = ["现行有效", "已失效", "尚未施行", "未知", SUPERSEDED];

/// The index of a status name (`现行有效` … `已修订`).
pub(crate) fn status_index(name: &str) -> Option<usize> {
    STATUS_NAMES.iter().position(|s| *s == name)
}

/// A document's status on `as_of`: 已修订 once superseded (`superseded_since`, the date
/// its successor came, 1 when unknown, 0 for never), else its validity's.
pub(crate) fn doc_status(from: u64, to: u64, superseded_since: u64, as_of: u64) -> &'static str {
    if superseded_since != 0 && superseded_since <= as_of {
        SUPERSEDED
    } else {
        status_of(from, to, as_of).as_str()
    }
}

/// The validity status of an entry with these validity numbers on `as_of`.
pub(crate) fn status_of(from: u64, to: u64, as_of: u64) -> Status {
    if to < as_of {
        Status::Expired
    } else if from > as_of {
        Status::NotYet
    } else if from == 0 && to == OPEN_END {
        Status::Unknown
    } else {
        Status::InForce
    }
}

impl Collector for SearchCollector {
    type Fruit = Collected;
    type Child = SearchSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SearchSegmentCollector> {
        let facet_reader = |facet: FacetField| -> tantivy::Result<Option<FacetReader>> {
            facet
                .index_field()
                .map(|field| reader.facet_reader(field))
                .transpose()
        };
        let fast = reader.fast_fields();
        let needs_status = self.facets.contains(&FacetField::Status)
            || self.filters.iter().any(|f| f.facet == FacetField::Status);
        let (valid_from, valid_to) = if needs_status {
            (Some(fast.u64("valid_from")?), Some(fast.u64("valid_to")?))
        } else {
            (None, None)
        };
        let scored = self.top_by == TopBy::Score && self.top_k > 0;
        let ranking = self.ranking;
        // Collapsing applies whatever the order.
        let collapse = self.top_k > 0 && ranking.collapse;
        let superseded = if needs_status || (scored && ranking.current_first) || collapse {
            Some(fast.u64("superseded")?)
        } else {
            None
        };
        let column = |wanted: bool, name: &str| -> tantivy::Result<Option<Column<u64>>> {
            if wanted {
                Ok(Some(fast.u64(name)?))
            } else {
                Ok(None)
            }
        };
        let authority = column(scored && ranking.authority, "authority")?;
        let explainer = column(scored && ranking.originals_first, "explainer")?;
        let work = column(collapse, "work")?;
        let body_chars = column(collapse, "body_chars")?;
        let mut facets = Vec::with_capacity(self.facets.len());
        for &facet in &self.facets {
            let column = facet_reader(facet)?;
            let counts = vec![0; column.as_ref().map_or(0, |r| r.num_facets())];
            let names = match facet.index_field() {
                Some(field) => self.names.of(reader, field)?,
                None => Arc::default(),
            };
            facets.push(FacetSlot {
                facet,
                reader: column,
                names,
                counts,
                status_counts: [0; 5],
                works: FxHashSet::default(),
            });
        }
        let mut filters = Vec::with_capacity(self.filters.len());
        for filter in &self.filters {
            let reader = facet_reader(filter.facet)?;
            let mut wanted = Vec::new();
            if let Some(r) = &reader {
                // The stand-in for "none" is no value anyone can ask for.
                let values = (filter.values.iter()).filter(|v| *v != crate::writer::NO_FACET_VALUE);
                for value in values {
                    let facet = Facet::from_path([value.as_str()]);
                    if let Some(ord) = r.facet_dict().term_ord(facet.encoded_str())? {
                        wanted.push(ord);
                    }
                }
            }
            wanted.sort_unstable();
            filters.push(FilterSlot {
                facet: filter.facet,
                reader,
                wanted,
                statuses: filter
                    .values
                    .iter()
                    .filter_map(|v| status_index(v))
                    .collect(),
            });
        }
        Ok(SearchSegmentCollector {
            segment,
            top_k: self.top_k,
            top_by: self.top_by,
            as_of: self.as_of,
            date: column(self.top_by == TopBy::Date, "date")?,
            year: column(self.top_by == TopBy::Date, "year")?,
            valid_from,
            valid_to,
            superseded,
            ranking,
            authority,
            explainer,
            work,
            body_chars,
            heap_size: if collapse {
                self.top_k * COLLAPSE_CANDIDATES + 16
            } else {
                self.top_k
            },
            facets,
            filters,
            total: 0,
            matched_works: HashSet::new(),
            heap: BinaryHeap::with_capacity((self.top_k * COLLAPSE_CANDIDATES + 16).min(4096)),
            cancelled: self.cancelled.clone(),
            seen: 0,
            stopped: false,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.top_by == TopBy::Score
    }

    fn merge_fruits(&self, fruits: Vec<Collected>) -> tantivy::Result<Collected> {
        let mut merged = Collected::default();
        let mut top = Vec::new();
        let mut works: HashMap<u64, Vec<Member>> = HashMap::new();
        let mut matched_works = HashSet::new();
        let mut facet_works: HashMap<FacetField, HashMap<String, Vec<Vec<u64>>>> = HashMap::new();
        for fruit in fruits {
            merged.total += fruit.total;
            matched_works.extend(fruit.matched_works);
            top.extend(fruit.top);
            for (work, member) in fruit.works {
                if work == 0 {
                    top.push(member.ranked);
                } else {
                    works.entry(work).or_default().push(member);
                }
            }
            for (facet, counts) in fruit.facets {
                let into = merged.facets.entry(facet).or_default();
                for (value, n) in counts {
                    *into.entry(value).or_default() += n;
                }
            }
            for (facet, values) in fruit.facet_works {
                let into = facet_works.entry(facet).or_default();
                for (value, works) in values {
                    into.entry(value).or_default().push(works);
                }
            }
        }
        merged.total += matched_works.len();
        for (facet, values) in facet_works {
            let into = merged.facets.entry(facet).or_default();
            for (value, mut segments) in values {
                // Each segment's works are distinct already; a work may span segments.
                let works = if segments.len() == 1 {
                    segments.pop().map_or(0, |w| w.len())
                } else {
                    segments
                        .into_iter()
                        .flatten()
                        .collect::<FxHashSet<u64>>()
                        .len()
                };
                *into.entry(value).or_default() += works as u64;
            }
        }
        for members in works.into_values() {
            let (ranked, others) = representative(members, self.top_by);
            top.push(ranked);
            if !others.is_empty() {
                merged.collapsed.insert(ranked.address, others);
            }
        }
        top.sort_unstable_by(|a, b| b.cmp(a));
        top.truncate(self.top_k);
        if !merged.collapsed.is_empty() {
            let kept: std::collections::HashSet<DocAddress> =
                top.iter().map(|r| r.address).collect();
            merged.collapsed.retain(|address, _| kept.contains(address));
        }
        merged.top = top;
        for &facet in &self.facets {
            merged.facets.entry(facet).or_default();
        }
        Ok(merged)
    }
}

/// The key of `doc` sorted by date: its date (`YYYYMMDD`), else the first day of its
/// year (a document known only by its year sorts below those dated later that year and
/// above those of earlier years), else 0 (last).
fn date_key(date: &Column<u64>, year: Option<&Column<u64>>, doc: DocId) -> f64 {
    date.first(doc)
        .or_else(|| year.and_then(|y| y.first(doc)).map(|y| y * 10_000 + 101))
        .unwrap_or(0) as f64
}

impl SearchSegmentCollector {
    fn is_superseded(&self, doc: DocId) -> bool {
        self.superseded
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(0)
            != 0
    }

    /// The BM25 score of `doc` with the ranking's priors.
    fn ranked_score(&self, doc: DocId, score: Score) -> f64 {
        let mut key = f64::from(score);
        if self.ranking.current_first && self.is_superseded(doc) {
            key *= SUPERSEDED_FACTOR;
        }
        if let Some(authority) = self.authority.as_ref().and_then(|c| c.first(doc)) {
            key *= 1.0 + AUTHORITY_STEP * authority as f64;
        }
        if self.explainer.as_ref().and_then(|c| c.first(doc)) == Some(1) {
            key *= EXPLAINER_FACTOR;
        }
        key
    }

    /// The status index of `doc` (see `STATUS_NAMES`).
    fn status(&self, doc: DocId) -> usize {
        let from = self
            .valid_from
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(0);
        let to = self
            .valid_to
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(OPEN_END);
        let superseded = self
            .superseded
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(0);
        status_index(doc_status(from, to, superseded, self.as_of)).unwrap_or(3)
    }

    /// The filters `doc` fails: `None` for none, `Some(i)` for exactly filter `i`, and
    /// `Some(usize::MAX)` for more than one.
    fn failed_filter(&self, doc: DocId, status: Option<usize>) -> Option<usize> {
        let mut failed = None;
        for (i, f) in self.filters.iter().enumerate() {
            let pass = if f.facet == FacetField::Status {
                status.is_some_and(|s| f.statuses.contains(&s))
            } else {
                f.reader.as_ref().is_some_and(|r| {
                    r.facet_ords(doc)
                        .any(|ord| f.wanted.binary_search(&ord).is_ok())
                })
            };
            if !pass {
                if failed.is_some() {
                    return Some(usize::MAX);
                }
                failed = Some(i);
            }
        }
        failed
    }

    /// Counts `doc` (of `work`, 0 for none) under each of its values of `slot`.
    fn count(slot: &mut FacetSlot, doc: DocId, status: Option<usize>, work: u64) {
        match (&slot.reader, status) {
            (Some(reader), _) => {
                for ord in reader.facet_ords(doc) {
                    if work != 0 {
                        slot.works.insert((ord, work));
                    } else if let Some(c) = slot.counts.get_mut(ord as usize) {
                        *c += 1;
                    }
                }
            }
            (None, Some(s)) if work != 0 => {
                slot.works.insert((s as u64, work));
            }
            (None, Some(s)) => slot.status_counts[s] += 1,
            (None, None) => {}
        }
    }

    fn work_of(&self, doc: DocId) -> u64 {
        self.work.as_ref().and_then(|c| c.first(doc)).unwrap_or(0)
    }
}

impl SegmentCollector for SearchSegmentCollector {
    type Fruit = Collected;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.seen = self.seen.wrapping_add(1);
        if self.seen.is_multiple_of(4096) && self.cancelled.load(AtomicOrdering::Relaxed) {
            self.stopped = true;
        }
        if self.stopped {
            return;
        }
        let status = self.valid_from.is_some().then(|| self.status(doc));
        match self.failed_filter(doc, status) {
            None => {
                let work = self.work_of(doc);
                match work {
                    0 => self.total += 1,
                    work => {
                        self.matched_works.insert(work);
                    }
                }
                for slot in &mut self.facets {
                    Self::count(slot, doc, status, work);
                }
                if self.top_k > 0 {
                    let key = match (&self.date, self.top_by) {
                        (Some(date), TopBy::Date) => date_key(date, self.year.as_ref(), doc),
                        _ => self.ranked_score(doc, score),
                    };
                    let ranked = Ranked {
                        key,
                        address: DocAddress::new(self.segment, doc),
                    };
                    if self.heap.len() < self.heap_size {
                        self.heap.push(Reverse(ranked));
                    } else if let Some(mut least) = self.heap.peek_mut()
                        && ranked > least.0
                    {
                        *least = Reverse(ranked);
                    }
                }
            }
            Some(i) if i != usize::MAX => {
                let facet = self.filters[i].facet;
                let work = self.work_of(doc);
                if let Some(slot) = self.facets.iter_mut().find(|s| s.facet == facet) {
                    Self::count(slot, doc, status, work);
                }
            }
            Some(_) => {}
        }
    }

    fn harvest(self) -> Collected {
        let mut facets = HashMap::new();
        let mut facet_works = HashMap::new();
        for slot in self.facets {
            let name = |ord: u64| match &slot.reader {
                Some(_) => slot
                    .names
                    .get(ord as usize)
                    .filter(|v| v.as_str() != crate::writer::NO_FACET_VALUE)
                    .cloned(),
                None => STATUS_NAMES.get(ord as usize).map(|s| s.to_string()),
            };
            let mut by_value: FxHashMap<u64, Vec<u64>> = FxHashMap::default();
            for &(ord, work) in &slot.works {
                by_value.entry(ord).or_default().push(work);
            }
            let works: HashMap<String, Vec<u64>> = by_value
                .into_iter()
                .filter_map(|(ord, works)| Some((name(ord)?, works)))
                .collect();
            facet_works.insert(slot.facet, works);
            let mut values = HashMap::new();
            match &slot.reader {
                Some(_) => {
                    for (ord, &n) in slot.counts.iter().enumerate() {
                        if n > 0
                            && let Some(value) = slot.names.get(ord)
                            && value != crate::writer::NO_FACET_VALUE
                        {
                            values.insert(value.clone(), n);
                        }
                    }
                }
                None => {
                    for (i, &n) in slot.status_counts.iter().enumerate() {
                        if n > 0 {
                            values.insert(STATUS_NAMES[i].to_string(), n);
                        }
                    }
                }
            }
            facets.insert(slot.facet, values);
        }
        let ranked = self.heap.into_iter().map(|Reverse(r)| r);
        let (top, works) = match &self.work {
            None => (ranked.collect(), Vec::new()),
            Some(work) => {
                let works = ranked
                    .map(|r| {
                        let doc = r.address.doc_id;
                        let member = Member {
                            ranked: r,
                            superseded: self
                                .superseded
                                .as_ref()
                                .and_then(|c| c.first(doc))
                                .unwrap_or(0)
                                != 0,
                            body_chars: self
                                .body_chars
                                .as_ref()
                                .and_then(|c| c.first(doc))
                                .unwrap_or(0),
                        };
                        (work.first(doc).unwrap_or(0), member)
                    })
                    .collect();
                (Vec::new(), works)
            }
        };
        Collected {
            total: self.total,
            top,
            facets,
            facet_works,
            works,
            matched_works: self.matched_works,
            collapsed: HashMap::new(),
        }
    }
}

/// Collects, per wanted document id, the best `per_doc` provisions of a query: one pass
/// for every document of a result page.
pub(crate) struct ProvisionsCollector {
    /// The `doc_id` field (indexed as one term per entry).
    pub field: Field,
    pub doc_ids: Vec<String>,
    pub per_doc: usize,
}

pub(crate) struct ProvisionsSegmentCollector {
    segment: SegmentOrdinal,
    /// Every entry of a wanted document in this segment, with the document's index in
    /// `doc_ids`, by entry.
    wanted: Vec<(DocId, usize)>,
    per_doc: usize,
    best: HashMap<usize, Vec<Ranked>>,
}

impl Collector for ProvisionsCollector {
    type Fruit = HashMap<usize, Vec<Ranked>>;
    type Child = ProvisionsSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<ProvisionsSegmentCollector> {
        // A page's documents have a few hundred entries: read them from the doc_id
        // postings (a term lookup each), not from the fast column's dictionary, whose
        // every lookup decompressed a block.
        let inverted = reader.inverted_index(self.field)?;
        let mut wanted = Vec::new();
        for (i, id) in self.doc_ids.iter().enumerate() {
            let term = Term::from_field_text(self.field, id);
            if let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? {
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    wanted.push((doc, i));
                    doc = postings.advance();
                }
            }
        }
        wanted.sort_unstable();
        Ok(ProvisionsSegmentCollector {
            segment,
            wanted,
            per_doc: self.per_doc,
            best: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<HashMap<usize, Vec<Ranked>>>,
    ) -> tantivy::Result<HashMap<usize, Vec<Ranked>>> {
        let mut merged: HashMap<usize, Vec<Ranked>> = HashMap::new();
        for fruit in fruits {
            for (doc, ranked) in fruit {
                merged.entry(doc).or_default().extend(ranked);
            }
        }
        for ranked in merged.values_mut() {
            ranked.sort_unstable_by(|a, b| b.cmp(a));
            ranked.truncate(self.per_doc);
        }
        Ok(merged)
    }
}

impl SegmentCollector for ProvisionsSegmentCollector {
    type Fruit = HashMap<usize, Vec<Ranked>>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let Ok(at) = self.wanted.binary_search_by_key(&doc, |&(d, _)| d) else {
            return;
        };
        let best = self.best.entry(self.wanted[at].1).or_default();
        best.push(Ranked {
            key: f64::from(score),
            address: DocAddress::new(self.segment, doc),
        });
        if best.len() > self.per_doc * 4 {
            best.sort_unstable_by(|a, b| b.cmp(a));
            best.truncate(self.per_doc);
        }
    }

    fn harvest(self) -> HashMap<usize, Vec<Ranked>> {
        self.best
    }
}
