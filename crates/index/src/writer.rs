//! Adding documents: every write replaces what the index had under the same id.

use std::collections::HashSet;

use tantivy::schema::Facet;
use tantivy::{TantivyDocument, Term};
use zhengce_model::{Classification, DocFacts, PolicyDoc};

use crate::request::Level;
use crate::{Fields, IndexError, PolicyIndex, Result};

/// The `level` of the entry that keeps a document's whole JSON (never a search hit).
pub(crate) const SOURCE_LEVEL: &str = "source";

/// The value of a single-valued facet column (issuer, year) for an entry without one:
/// never counted or named.
pub(crate) const NO_FACET_VALUE: &str = "\u{1}";

/// The least memory for tantivy's indexing threads, and what they get where the
/// machine's available memory cannot be read.
const MIN_WRITER_MEMORY: usize = 200 << 20;
/// The most: a bulk build of a million provisions fits in it, so it leaves two segments
/// and never merges (merges were a tenth of that build's work, and each segment a search
/// visits costs it time). Tantivy takes it as a cap: arena pages are allocated as they
/// fill, so a nightly batch of a few documents uses little of it.
const MAX_WRITER_MEMORY: usize = 3 << 30;

/// Memory for tantivy's indexing threads: `ZHENGCE_WRITER_MEMORY_MB` when set, else a
/// quarter of the memory the machine has available, within the bounds above.
fn writer_memory() -> usize {
    if let Some(mb) = std::env::var("ZHENGCE_WRITER_MEMORY_MB")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        return (mb << 20).clamp(MIN_WRITER_MEMORY, MAX_WRITER_MEMORY);
    }
    available_memory().map_or(MIN_WRITER_MEMORY, |available| {
        (available / 4).clamp(MIN_WRITER_MEMORY, MAX_WRITER_MEMORY)
    })
}

/// `MemAvailable` from `/proc/meminfo` (Linux), in bytes.
fn available_memory() -> Option<usize> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib << 10)
}

/// A segment whose share of deleted entries passes this is merged (rewritten without
/// them) even when its size alone would not call for a merge: nightly upserts replace
/// documents in old segments, and tantivy's default never merges for deletes.
const DELETED_SHARE_BEFORE_MERGE: f32 = 0.2;

/// Segments of one size class merged together: tantivy's default. Four kept the segment
/// count of the soak lower (at most 7) but doubled the build of a million provisions
/// (132 s → 245 s) with merges during the bulk load.
const SEGMENTS_BEFORE_MERGE: usize = 8;

/// The merge policy of every writer: tantivy's log-size policy, also merging a segment
/// for its deleted entries.
fn merge_policy() -> Box<tantivy::indexer::LogMergePolicy> {
    let mut policy = tantivy::indexer::LogMergePolicy::default();
    policy.set_min_num_segments(SEGMENTS_BEFORE_MERGE);
    policy.set_del_docs_ratio_before_merge(DELETED_SHARE_BEFORE_MERGE);
    Box::new(policy)
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    Added,
    Replaced,
}

/// Writes documents and their provisions; nothing is visible before [`commit`](Self::commit).
pub struct IndexWriter {
    writer: tantivy::IndexWriter,
    index: PolicyIndex,
    /// Ids written since the last commit (to count a repeat as a replacement).
    written: HashSet<String>,
}

impl IndexWriter {
    pub(crate) fn new(index: &PolicyIndex) -> Result<IndexWriter> {
        let writer = index.index.writer(writer_memory())?;
        writer.set_merge_policy(merge_policy());
        // Whether an id is already indexed is read from the last commit (see `upsert`):
        // the one this writer starts from, whoever made it.
        index.reload()?;
        Ok(IndexWriter {
            writer,
            index: index.clone(),
            written: HashSet::new(),
        })
    }

    /// Adds `doc` with the facts derived from it, replacing any document with the same
    /// id and all its provisions.
    pub fn upsert(&mut self, doc: &PolicyDoc, facts: &DocFacts) -> Result<Upsert> {
        let prepared = self.index.prepare(doc, facts)?;
        self.upsert_prepared(prepared)
    }

    /// Adds a document prepared with [`PolicyIndex::prepare`] (which may run on other
    /// threads), replacing any document with the same id and all its provisions.
    pub fn upsert_prepared(&mut self, prepared: Prepared) -> Result<Upsert> {
        let fields = &self.index.fields;
        let id_term = Term::from_field_text(fields.doc_id, &prepared.id);
        let existed = self.written.contains(&prepared.id)
            || self.index.reader.searcher().doc_freq(&id_term)? > 0;
        // A delete is applied to every segment written after it, so a new id (most of a
        // first build) deletes nothing and is not asked to.
        if existed {
            self.writer.delete_term(id_term);
        }
        for entry in prepared.entries {
            self.writer.add_document(entry)?;
        }
        self.written.insert(prepared.id);
        Ok(if existed {
            Upsert::Replaced
        } else {
            Upsert::Added
        })
    }

    /// Removes the document `id` and its provisions (from the next commit on).
    pub fn delete(&mut self, id: &str) {
        let fields = &self.index.fields;
        self.writer
            .delete_term(Term::from_field_text(fields.doc_id, id));
        self.written.remove(id);
    }

    /// Commits, then waits for the segment merges the commits started, so that the index
    /// a batch leaves behind is compact (a process that exits right after a commit would
    /// drop its merges and leave many small segments and deleted entries behind).
    pub fn finish(mut self) -> Result<()> {
        self.commit()?;
        self.writer.wait_merging_threads()?;
        self.index.reload()
    }

    /// Merges every segment of the last commit into one (dropping deleted entries) and
    /// collects the files left unused; [`finish`](Self::finish) waits for it.
    pub(crate) fn merge_all(&mut self) -> Result<()> {
        let segments = self.index.index.searchable_segment_ids()?;
        let metas = self.index.index.searchable_segment_metas()?;
        let has_deletes = metas.iter().any(|m| m.has_deletes());
        if segments.len() > 1 || has_deletes {
            self.writer.merge(&segments).wait()?;
        }
        self.writer.garbage_collect_files().wait()?;
        Ok(())
    }

    /// Makes everything written so far durable and visible, atomically.
    pub fn commit(&mut self) -> Result<()> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&now.to_string());
        prepared.commit()?;
        self.index.reload()?;
        self.written.clear();
        Ok(())
    }
}

/// A document turned into its index entries, ready for [`IndexWriter::upsert_prepared`].
pub struct Prepared {
    id: String,
    entries: Vec<TantivyDocument>,
}

impl Prepared {
    /// The id of the prepared document.
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl PolicyIndex {
    /// The index entries of `doc` (the document and each provision), with the facts
    /// derived from it (validity, 惠企 classes, amounts: `zhengce_benefits::derive`), which
    /// the index stores as they are. Pure work on the document: callers may prepare many
    /// documents in parallel. Facts for another number of provisions than the document
    /// has are [`IndexError::FactsMismatch`].
    pub fn prepare(&self, doc: &PolicyDoc, facts: &DocFacts) -> Result<Prepared> {
        if facts.provisions.len() != doc.provisions.len() {
            return Err(IndexError::FactsMismatch(format!(
                "{}: facts for {} provisions, the document has {}",
                doc.id,
                facts.provisions.len(),
                doc.provisions.len()
            )));
        }
        Ok(Prepared {
            id: doc.id.clone(),
            entries: entries(&self.fields, doc, facts)?,
        })
    }
}

fn facet(value: &str) -> Facet {
    Facet::from_path([value])
}

fn date_number(date: Option<&str>) -> Option<u64> {
    date.and_then(crate::request::date_number)
}

/// The `superseded` column: 0 for a current document; for an older version, the date
/// (`YYYYMMDD`) of the version that replaced it, so that it is 已修订 only from then on
/// (`as_of` before it: its own validity), or 1 when that date is unknown (always).
fn superseded_since(doc: &PolicyDoc) -> u64 {
    let Some(successor) = &doc.superseded_by else {
        return 0;
    };
    doc.versions
        .iter()
        .find(|v| &v.id == successor)
        .and_then(|v| date_number(v.date.as_deref()))
        .unwrap_or(1)
}

/// The tantivy documents for `doc`: one for the document, one per provision, and its
/// source entry.
fn entries(fields: &Fields, doc: &PolicyDoc, facts: &DocFacts) -> Result<Vec<TantivyDocument>> {
    let validity = &facts.validity;
    let valid_from = date_number(validity.valid_from.as_deref()).unwrap_or(0);
    let valid_to = if validity.repealed {
        // Repealed on a date the text may not give: already over.
        1
    } else {
        date_number(validity.valid_to.as_deref()).unwrap_or(crate::schema::OPEN_END)
    };
    let add_classes = |entry: &mut TantivyDocument, c: &Classification| {
        for b in &c.benefits {
            entry.add_text(fields.benefit, b);
            entry.add_facet(fields.facet_benefit, facet(b));
        }
        for b in &c.beneficiaries {
            entry.add_text(fields.beneficiary, b);
            entry.add_facet(fields.facet_beneficiary, facet(b));
        }
    };
    let region = &doc.region;
    let doc_type = &doc.doc_type;
    let date = date_number(doc.date());
    let year = doc.dated_year();
    let names = doc
        .title
        .as_deref()
        .map(crate::ranking::title_names)
        .unwrap_or_default();
    let work = crate::ranking::work_key(doc);
    let authority = crate::ranking::authority(doc);
    let explainer = doc
        .title
        .as_deref()
        .is_some_and(crate::ranking::is_explainer);
    // The document's numbers go on every entry, the source entry too: a column every
    // entry has a value in is read by position, without the rank lookup an optional
    // column needs per match (most of a broad search's collecting time).
    let numbers = |entry: &mut TantivyDocument| {
        entry.add_u64(fields.valid_from, valid_from);
        entry.add_u64(fields.valid_to, valid_to);
        entry.add_u64(fields.superseded, superseded_since(doc));
        entry.add_u64(fields.work, work);
        entry.add_u64(fields.authority, authority);
        entry.add_u64(fields.explainer, u64::from(explainer));
    };
    // Issuer and year, the facets every search counts, are on every entry too, with
    // `NO_FACET_VALUE` where the document has none: their columns are then read by
    // position as well.
    let year_text = year.map(|y| y.to_string());
    let single_facets = |entry: &mut TantivyDocument| {
        let issuer = doc.issuer.as_deref().unwrap_or(NO_FACET_VALUE);
        entry.add_facet(fields.facet_issuer, facet(issuer));
        let year = year_text.as_deref().unwrap_or(NO_FACET_VALUE);
        entry.add_facet(fields.facet_year, facet(year));
    };
    let common = |entry: &mut TantivyDocument, level: Level| {
        entry.add_text(fields.doc_id, &doc.id);
        // The title's and the issuer's bigrams are on the document's entry alone
        // (provisions find them through it: `crate::join`).
        let bigrams = level == Level::Doc;
        if let Some(title) = &doc.title {
            entry.add_text(fields.stored_title(level), title);
            if bigrams {
                entry.add_text(fields.title_bigrams, title);
            }
        }
        if let Some(n) = &doc.doc_number {
            entry.add_text(fields.doc_number, n);
            // Parts of a number (`辽科发`, `2020〕6号`) find it like title text.
            if bigrams {
                entry.add_text(fields.title_bigrams, n);
            }
        }
        if let Some(issuer) = &doc.issuer {
            entry.add_text(fields.issuer, issuer);
            if bigrams {
                entry.add_text(fields.issuer_bigrams, issuer);
            }
        }
        if let Some(r) = region {
            entry.add_text(fields.region, r);
            entry.add_facet(fields.facet_region, facet(r));
        }
        if let Some(t) = doc_type {
            entry.add_text(fields.doc_type, t);
            entry.add_facet(fields.facet_doc_type, facet(t));
        }
        if let Some(d) = &doc.publish_date {
            entry.add_text(fields.publish_date, d);
        }
        if let Some(date) = date {
            entry.add_u64(fields.date, date);
        }
        if let Some(year) = year {
            entry.add_u64(fields.year, u64::from(year));
        }
        if let Some(u) = &doc.url {
            entry.add_text(fields.url, u);
        }
        if let Some(s) = &doc.source {
            entry.add_text(fields.source, s);
        }
        for name in &names {
            entry.add_text(fields.title_key, name);
        }
        numbers(entry);
        single_facets(entry);
    };

    let mut out = Vec::with_capacity(1 + doc.provisions.len());
    let mut entry = TantivyDocument::default();
    entry.add_text(fields.id, &doc.id);
    entry.add_text(fields.level, "doc");
    common(&mut entry, Level::Doc);
    entry.add_text(fields.body, &doc.body);
    entry.add_text(fields.body_bigrams, &doc.body);
    entry.add_u64(fields.body_chars, doc.body.chars().count() as u64);
    let mut depts = HashSet::new();
    for p in &doc.provisions {
        for d in &p.lead_depts {
            if depts.insert(d.as_str()) {
                entry.add_text(fields.lead_dept, d);
                entry.add_facet(fields.facet_lead_dept, facet(d));
            }
        }
    }
    add_classes(&mut entry, &facts.classes);
    out.push(entry);

    let json = crate::source::to_json(doc, facts)?;
    let mut source = TantivyDocument::default();
    source.add_text(fields.doc_id, &doc.id);
    source.add_text(fields.level, SOURCE_LEVEL);
    source.add_text(fields.doc_json, &json);
    numbers(&mut source);
    single_facets(&mut source);
    source.add_u64(fields.body_chars, 0);
    out.push(source);

    for (p, derived) in doc.provisions.iter().zip(&facts.provisions) {
        let mut entry = TantivyDocument::default();
        entry.add_text(fields.id, format!("{}#{}", doc.id, p.number));
        entry.add_text(fields.level, "provision");
        common(&mut entry, Level::Provision);
        entry.add_text(fields.provision_text, &p.text);
        entry.add_text(fields.provision_text_bigrams, &p.text);
        entry.add_u64(fields.body_chars, p.text.chars().count() as u64);
        entry.add_text(fields.provision_number, &p.number);
        let path = serde_json::to_string(&p.heading_path)
            .map_err(|e| IndexError::Corrupt(e.to_string()))?;
        entry.add_text(fields.heading_path, path);
        for d in &p.lead_depts {
            entry.add_text(fields.lead_dept, d);
            entry.add_facet(fields.facet_lead_dept, facet(d));
        }
        for d in &p.resp_depts {
            entry.add_text(fields.resp_dept, d);
        }
        add_classes(&mut entry, &derived.classes);
        if !derived.amounts.is_empty() {
            let json = serde_json::to_string(&derived.amounts)
                .map_err(|e| IndexError::Corrupt(e.to_string()))?;
            entry.add_text(fields.amounts, json);
        }
        out.push(entry);
    }
    Ok(out)
}
