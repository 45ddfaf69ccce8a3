//! A document's source entry: its JSON, with the facts derived from it, so that a
//! document page shows what the index was given without reading the text again.

use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur};
use tantivy::schema::Value;
use zhengce_model::{DocFacts, PolicyDoc};

use crate::build::term_query;
use crate::{IndexError, PolicyIndex, Result};

/// What the source entry holds: the document's own fields, and `facts`.
#[derive(Serialize)]
struct Source<'a> {
    #[serde(flatten)]
    doc: &'a PolicyDoc,
    facts: &'a DocFacts,
}

/// A stored document and the facts it was indexed with.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StoredDoc {
    #[serde(flatten)]
    pub doc: PolicyDoc,
    /// Every source entry has them: an index written before they were stored has an
    /// older schema and is refused when opened.
    pub facts: DocFacts,
}

/// The JSON of the source entry.
pub(crate) fn to_json(doc: &PolicyDoc, facts: &DocFacts) -> Result<String> {
    serde_json::to_string(&Source { doc, facts }).map_err(|e| IndexError::Corrupt(e.to_string()))
}

impl PolicyIndex {
    /// The stored document with this id, and its facts.
    pub fn get_stored(&self, id: &str) -> Result<Option<StoredDoc>> {
        let searcher = self.reader.searcher();
        let query = BooleanQuery::new(vec![
            (Occur::Must, term_query(self.fields.doc_id, id)),
            (
                Occur::Must,
                term_query(self.fields.level, crate::writer::SOURCE_LEVEL),
            ),
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

impl PolicyIndex {
    /// The ids of the documents known by `title`: those whose title, or whose title
    /// without a trailing bracketed note (`（2018年修正）`), is `title` once normalised
    /// (white space and book-title marks ignored; see `ranking::title_names`, which also
    /// lets a short name such as `公司法` find `中华人民共和国公司法`). Read from the
    /// documents' index entries, no stored document loaded: how the versions of a work
    /// already indexed are found. Sorted.
    pub fn doc_ids_titled(&self, title: &str) -> Result<Vec<String>> {
        let name = crate::ranking::squash(title);
        if name.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let query = BooleanQuery::new(vec![
            (Occur::Must, term_query(self.fields.title_key, &name)),
            (
                Occur::Must,
                term_query(self.fields.level, crate::request::Level::Doc.as_str()),
            ),
        ]);
        let addresses: Vec<_> = searcher
            .search(&query, &DocSetCollector)?
            .into_iter()
            .collect();
        let mut ids = crate::search::doc_ids(&searcher, &addresses)?;
        ids.sort();
        ids.dedup();
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The versions of a work are found by its title, whatever their version note; a
    /// title that only starts like it is another work.
    #[test]
    fn documents_are_found_by_title_without_their_version_note() {
        let index = PolicyIndex::create_in_ram().unwrap();
        let mut writer = index.writer().unwrap();
        for (id, title) in [
            ("a", "中华人民共和国公司法（2018年修正）"),
            ("b", "中华人民共和国 公司法"),
            ("c", "《中华人民共和国公司法》"),
            ("d", "中华人民共和国公司法实施条例"),
            ("e", "关于公司法的通知"),
        ] {
            let doc = PolicyDoc {
                id: id.into(),
                title: Some(title.into()),
                body: "正文".into(),
                ..PolicyDoc::default()
            };
            writer.upsert(&doc, &DocFacts::default()).unwrap();
        }
        writer.commit().unwrap();
        assert_eq!(
            index.doc_ids_titled("中华人民共和国公司法").unwrap(),
            ["a", "b", "c"]
        );
        assert!(
            index
                .doc_ids_titled("中华人民共和国刑法")
                .unwrap()
                .is_empty()
        );
        assert!(index.doc_ids_titled(" ").unwrap().is_empty());
    }

    /// A source entry reads back as the document and its facts; one without facts is
    /// refused, not read as a document that offers nothing.
    #[test]
    fn source_entries_read_back_with_their_facts() {
        let doc = PolicyDoc {
            id: "old".into(),
            body: "正文".into(),
            ..PolicyDoc::default()
        };
        assert!(serde_json::from_str::<StoredDoc>(&serde_json::to_string(&doc).unwrap()).is_err());
        let facts = DocFacts::default();
        let new: StoredDoc = serde_json::from_str(&to_json(&doc, &facts).unwrap()).unwrap();
        assert_eq!(new.facts, facts);
        // What `get_doc` reads: the document alone, the facts ignored.
        let plain: PolicyDoc =
            serde_json::from_str(&to_json(&doc, &DocFacts::default()).unwrap()).unwrap();
        assert_eq!(plain, doc);
    }
}
