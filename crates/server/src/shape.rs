//! The JSON the API answers: the index's types, made consistent across endpoints.
//!
//! - every document (a hit, `/api/docs/{id}`, a 惠企 document) carries `region`,
//!   `doc_type`, `status` and `benefits`;
//! - a provision's number is `provision_number` everywhere; provision objects also keep
//!   `number`, its deprecated old name;
//! - lists page with `page` and `size` and say both back;
//! - a hit's lists (`matched_provisions`, `benefits`, `collapsed` …) are there when empty.

use serde_json::{Value, json};
use zhengce_index::{BenefitsResponse, Hit, SearchResponse, StoredDoc};
use zhengce_model::{DocFacts, PolicyDoc};

use crate::params::BenefitsPage;

/// Adds `provision_number` (from the deprecated `number`) to every object in `list`.
fn number_provisions(list: Option<&mut Value>) {
    for p in list
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
    {
        if let Some(n) = p.get("number").cloned() {
            p.insert("provision_number".into(), n);
        }
    }
}

fn hit(hit: &Hit) -> Value {
    let mut v = json!(hit);
    number_provisions(v.get_mut("matched_provisions"));
    // Lists are always there, empty or not (`matched_provisions`, `benefits` …):
    // `collapsed` too, which the index leaves out when empty.
    if v.get("collapsed").is_none() {
        v["collapsed"] = json!([]);
    }
    v
}

/// Hits, each with its matched provisions numbered as everywhere else.
pub fn hits(list: &[Hit]) -> Value {
    Value::Array(list.iter().map(hit).collect())
}

/// A search response, with the page and size it answers.
pub fn search(response: &SearchResponse, page: usize, size: usize) -> Value {
    let mut v = json!(response);
    v["hits"] = hits(&response.hits);
    v["page"] = json!(page);
    v["size"] = json!(size);
    v
}

/// The status of a stored document today in China, as hits compute it.
pub fn doc_status(doc: &PolicyDoc, facts: &DocFacts) -> String {
    if doc.superseded_by.is_some() {
        return "已修订".into();
    }
    facts
        .validity
        .status(&zhengce_index::today_in_china())
        .as_str()
        .to_string()
}

/// A stored document with the metadata hits carry: its status, the classes of the
/// document and of each provision.
pub fn doc(stored: &StoredDoc) -> Value {
    let doc = &stored.doc;
    let facts = &stored.facts;
    let mut v = json!(doc);
    v["status"] = json!(doc_status(doc, facts));
    v["benefits"] = json!(facts.classes.benefits);
    v["beneficiaries"] = json!(facts.classes.beneficiaries);
    if let Some(list) = v.get_mut("provisions").and_then(Value::as_array_mut) {
        for (p, f) in list.iter_mut().zip(&facts.provisions) {
            p["benefits"] = json!(f.classes.benefits);
            p["beneficiaries"] = json!(f.classes.beneficiaries);
            p["amounts"] = json!(f.amounts);
        }
    }
    number_provisions(v.get_mut("provisions"));
    v
}

/// A 惠企 listing page: every document with its benefits, provisions numbered as
/// everywhere else, and the page and size it answers.
pub fn benefits(response: &BenefitsResponse, page: &BenefitsPage) -> Value {
    let mut v = json!(response);
    for d in v
        .get_mut("documents")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        let mut benefits: Vec<Value> = Vec::new();
        for b in d["provisions"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|p| p["benefits"].as_array().cloned().unwrap_or_default())
        {
            if !benefits.contains(&b) {
                benefits.push(b);
            }
        }
        d["benefits"] = Value::Array(benefits);
        number_provisions(d.get_mut("provisions"));
    }
    v["page"] = json!(page.skip / page.size + 1);
    v["size"] = json!(page.size);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored document shows the classes it was indexed with.
    #[test]
    fn documents_show_their_stored_facts() {
        let doc = PolicyDoc {
            id: "d".into(),
            body: "对新认定的高新技术企业给予20万元奖励。".into(),
            ..PolicyDoc::default()
        };
        let derived = zhengce_benefits::derive(&doc);
        assert!(derived.classes.benefits.contains(&"资金奖励".to_string()));
        let want = json!(derived.classes.benefits);
        let stored = StoredDoc {
            doc: doc.clone(),
            facts: derived,
        };
        assert_eq!(super::doc(&stored)["benefits"], want);
        let stored = StoredDoc {
            doc,
            facts: DocFacts::default(),
        };
        assert_eq!(super::doc(&stored)["benefits"], json!([]));
    }
}
