//! Helpers: indexes built from the seed and from corpus records.

use zhengce_index::{PolicyIndex, SearchRequest, SearchResponse};
use zhengce_model::PolicyDoc;
use zhengce_parse::{PageInput, parse_page};

pub fn seed_doc() -> PolicyDoc {
    let bytes = std::fs::read(zhengce_testkit::seed_path()).unwrap();
    let mut doc = parse_page(&bytes, &PageInput::default()).unwrap();
    zhengce_enrich::enrich(&mut doc);
    doc
}

/// An index of `docs`, each enriched first as ingest does (issuer, region, 文种).
pub fn index_of(docs: &[PolicyDoc]) -> PolicyIndex {
    let index = PolicyIndex::create_in_ram().unwrap();
    let mut writer = index.writer().unwrap();
    for doc in docs {
        let mut doc = doc.clone();
        zhengce_enrich::enrich(&mut doc);
        writer
            .upsert(&doc, &zhengce_benefits::derive(&doc))
            .unwrap_or_else(|e| panic!("{}: {e}", doc.id));
    }
    writer.commit().unwrap();
    index
}

pub fn search(index: &PolicyIndex, f: impl FnOnce(&mut SearchRequest)) -> SearchResponse {
    let mut request = SearchRequest::new("");
    f(&mut request);
    index.search(&request).unwrap()
}

pub fn doc(id: &str, title: &str, body: &str) -> PolicyDoc {
    PolicyDoc {
        id: id.into(),
        title: Some(title.into()),
        body: body.into(),
        ..Default::default()
    }
}
