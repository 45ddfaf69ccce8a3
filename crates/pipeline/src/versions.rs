//! Versions over the whole index, not only over one run.
//!
//! `group_versions` links the versions of a work it is given. A run (an ingest of a few
//! files, a nightly re-index) holds only some documents of a work: grouped alone, a new
//! version would not know the ones indexed before, and they would keep links to what it
//! replaced. So the works a run touches are grouped over all their documents: the run's,
//! and those the index holds, found by title ([`PolicyIndex::doc_ids_titled`]) and kept
//! when [`version_key`] says they are the same work. Indexed documents whose
//! `versions` or `superseded_by` change are written again, with the facts they were
//! indexed with. The cost follows the run: its documents' stored versions and the
//! indexed documents of its works are read, nothing else.

use std::collections::{BTreeSet, HashSet};

use rayon::prelude::*;
use zhengce_enrich::{VersionKey, group_versions, version_key};
use zhengce_index::{PolicyIndex, StoredDoc};
use zhengce_model::PolicyDoc;

use crate::PipelineError;

/// What grouping a run's documents with the index did.
#[derive(Debug, Default)]
pub(crate) struct Regrouped {
    /// Works with several versions among those grouped.
    pub groups: usize,
    /// Indexed documents outside the run whose `versions` or `superseded_by` changed,
    /// with the facts they were indexed with: to be written again.
    pub rewrites: Vec<StoredDoc>,
}

/// Groups the versions of every work the run touches over all of that work's
/// documents, and marks the run's documents (`run`) accordingly. A run touches the works
/// of its documents, the works its documents belonged to when they were indexed (a
/// corrected title moves a document to another work), and those of the documents it
/// removes (`removed`, ids; no longer counted as versions). Documents the index holds
/// under the same ids as the run's are replaced by them.
pub(crate) fn group_with_index(
    index: &PolicyIndex,
    run: &mut [&mut PolicyDoc],
    removed: &[String],
) -> Result<Regrouped, PipelineError> {
    let run_ids: HashSet<String> = run.iter().map(|d| d.id.clone()).collect();
    let removed_ids: HashSet<&str> = removed.iter().map(String::as_str).collect();

    // The works touched: the run's, and those its documents and the removed ones had.
    let indexed: Vec<String> = run_ids
        .iter()
        .cloned()
        .chain(removed.iter().cloned())
        .collect();
    let before = indexed
        .par_iter()
        .map(|id| Ok(index.get_stored(id)?.and_then(|s| version_key(&s.doc))))
        .collect::<Result<Vec<Option<VersionKey>>, PipelineError>>()?;
    let keys: BTreeSet<VersionKey> = run
        .iter()
        .filter_map(|d| version_key(d))
        .chain(before.into_iter().flatten())
        .collect();

    // Their other documents in the index.
    let titles: BTreeSet<&str> = keys.iter().map(|k| k.title.as_str()).collect();
    let found = titles
        .par_iter()
        .map(|title| Ok(index.doc_ids_titled(title)?))
        .collect::<Result<Vec<Vec<String>>, PipelineError>>()?;
    let others: BTreeSet<String> = found
        .into_iter()
        .flatten()
        .filter(|id| !run_ids.contains(id) && !removed_ids.contains(id.as_str()))
        .collect();
    let others: Vec<String> = others.into_iter().collect();
    let loaded = others
        .par_iter()
        .map(|id| Ok(index.get_stored(id)?))
        .collect::<Result<Vec<Option<StoredDoc>>, PipelineError>>()?;
    // Each with the marks it was indexed with.
    let mut stored: Vec<(StoredDoc, Marks)> = loaded
        .into_iter()
        .flatten()
        .filter(|s| version_key(&s.doc).is_some_and(|k| keys.contains(&k)))
        .map(|mut s| {
            let marks = Marks::take(&mut s.doc);
            (s, marks)
        })
        .collect();

    for doc in run.iter_mut() {
        Marks::take(doc);
    }
    let mut all: Vec<&mut PolicyDoc> = run
        .iter_mut()
        .map(|d| &mut **d)
        .chain(stored.iter_mut().map(|(s, _)| &mut s.doc))
        .collect();
    let groups = group_versions(&mut all);

    let rewrites: Vec<StoredDoc> = stored
        .into_iter()
        .filter(|(s, marks)| !marks.same_as(&s.doc))
        .map(|(s, _)| s)
        .collect();
    tracing::debug!(
        groups,
        works = keys.len(),
        indexed = others.len(),
        rewrites = rewrites.len(),
        "versions grouped with the index"
    );
    Ok(Regrouped { groups, rewrites })
}

/// A document's version marks.
struct Marks {
    versions: Vec<zhengce_model::VersionRef>,
    superseded_by: Option<String>,
}

impl Marks {
    /// The marks of `doc`, which is left without any.
    fn take(doc: &mut PolicyDoc) -> Marks {
        Marks {
            versions: std::mem::take(&mut doc.versions),
            superseded_by: doc.superseded_by.take(),
        }
    }

    fn same_as(&self, doc: &PolicyDoc) -> bool {
        self.versions == doc.versions && self.superseded_by == doc.superseded_by
    }
}
