//! "Provisions of the documents that match": a document's title and issuer are indexed
//! once, on the document's entry, and searched from its provisions through this join.
//!
//! Indexing them again on every provision (a document has forty on average) made their
//! bigrams a fifth of everything a build indexed with positions, for `title:` and
//! `issuer:` at provision level, which few searches ask. [`EntriesOf`] runs the query on
//! the document entries first, when its weight is made (it has the searcher then), and
//! answers with every entry whose `doc_id` is one of theirs: a term set, whatever segment
//! each entry sits in. Every entry it finds scores the same; the search's level clause
//! keeps the provisions.

use std::collections::BTreeSet;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::query::{EnableScoring, Query, TermSetQuery, Weight};
use tantivy::schema::Field;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, TantivyError, Term};

/// Every entry of the documents whose entries `documents` matches.
#[derive(Debug)]
pub(crate) struct EntriesOf {
    documents: Box<dyn Query>,
    /// The `doc_id` field (indexed, and a fast column).
    doc_id: Field,
}

impl Clone for EntriesOf {
    fn clone(&self) -> Self {
        EntriesOf {
            documents: self.documents.box_clone(),
            doc_id: self.doc_id,
        }
    }
}

impl EntriesOf {
    pub(crate) fn new(documents: Box<dyn Query>, doc_id: Field) -> EntriesOf {
        EntriesOf { documents, doc_id }
    }
}

impl Query for EntriesOf {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let searcher = scoring.searcher().ok_or_else(|| {
            TantivyError::InvalidArgument("a join needs the searcher to run on".into())
        })?;
        let name = searcher.schema().get_field_name(self.doc_id).to_string();
        let ids = searcher.search(self.documents.as_ref(), &DocIds { column: name })?;
        let terms = ids
            .into_iter()
            .map(|id| Term::from_field_text(self.doc_id, &id));
        TermSetQuery::new(terms).weight(scoring)
    }
}

/// The `doc_id` values of the matching entries.
struct DocIds {
    column: String,
}

impl Collector for DocIds {
    type Fruit = BTreeSet<String>;
    type Child = SegmentDocIds;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentDocIds> {
        Ok(SegmentDocIds {
            column: reader.fast_fields().str(&self.column)?,
            ords: BTreeSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<BTreeSet<String>>) -> tantivy::Result<BTreeSet<String>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

struct SegmentDocIds {
    column: Option<StrColumn>,
    /// Ordinals of the segment's `doc_id` dictionary, named once at the end.
    ords: BTreeSet<u64>,
}

impl SegmentCollector for SegmentDocIds {
    type Fruit = BTreeSet<String>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(column) = &self.column {
            self.ords.extend(column.term_ords(doc));
        }
    }

    fn harvest(self) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        if let Some(column) = &self.column {
            for ord in self.ords {
                let mut id = String::new();
                if column.ord_to_str(ord, &mut id).unwrap_or(false) {
                    ids.insert(id);
                }
            }
        }
        ids
    }
}
