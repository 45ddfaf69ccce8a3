//! The JSON the API answers: the index's types, made consistent across endpoints.
//!
//! - every document (a hit, `/api/docs/{id}`, a 惠企 document) carries `region`,
//!   `doc_type`, `status` and `benefits`;
//! - a provision's number is `provision_number` everywhere; provision objects also keep
//!   `number`, its deprecated old name;
//! - lists page with `page` and `size` and say both back.

use serde_json::{Value, json};
use zhengce_index::{BenefitsResponse, Hit, SearchResponse};
use zhengce_model::PolicyDoc;

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
pub fn doc_status(doc: &PolicyDoc) -> String {
    if doc.superseded_by.is_some() {
        return "已修订".into();
    }
    let issued = doc.publish_date.as_deref().or(doc.written_date.as_deref());
    let validity = zhengce_benefits::validity_of(doc.title.as_deref(), &doc.body, issued);
    zhengce_benefits::status(&validity, &zhengce_index::today_in_china())
        .as_str()
        .to_string()
}

/// The benefit and beneficiary classes of each provision, and of the document (theirs,
/// or its body's when it has none), as the index classifies them.
pub fn doc_classes(
    doc: &PolicyDoc,
) -> (
    zhengce_benefits::Classification,
    Vec<zhengce_benefits::Classification>,
) {
    let provisions: Vec<_> = doc
        .provisions
        .iter()
        .map(|p| zhengce_benefits::classify(&p.text))
        .collect();
    let mut all = zhengce_benefits::Classification::default();
    if doc.provisions.is_empty() {
        all = zhengce_benefits::classify(&doc.body);
    }
    for c in &provisions {
        for b in &c.benefits {
            if !all.benefits.contains(b) {
                all.benefits.push(b.clone());
            }
        }
        for b in &c.beneficiaries {
            if !all.beneficiaries.contains(b) {
                all.beneficiaries.push(b.clone());
            }
        }
    }
    (all, provisions)
}

/// A stored document with the metadata hits carry.
pub fn doc(doc: &PolicyDoc) -> Value {
    let mut v = json!(doc);
    let (all, provisions) = doc_classes(doc);
    v["status"] = json!(doc_status(doc));
    v["benefits"] = json!(all.benefits);
    v["beneficiaries"] = json!(all.beneficiaries);
    if let Some(list) = v.get_mut("provisions").and_then(Value::as_array_mut) {
        for (p, c) in list.iter_mut().zip(&provisions) {
            p["benefits"] = json!(c.benefits);
            p["beneficiaries"] = json!(c.beneficiaries);
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
