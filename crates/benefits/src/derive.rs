//! The 惠企 facts of a whole document, computed once before indexing.

use zhengce_model::{Classification, DocFacts, PolicyDoc, ProvisionFacts};

use crate::{amounts, classify, validity_of};

/// What a document's text implies, for the index and the pages: its validity (from its
/// title, body and date), each provision's classes and amounts, and the document's
/// classes (its provisions' together, or its body's when it has no provisions). Pure
/// work on the document: callers derive many documents in parallel.
///
/// ```
/// use zhengce_model::{PolicyDoc, Provision};
///
/// let doc = PolicyDoc {
///     id: "d".into(),
///     publish_date: Some("2020-04-10".into()),
///     body: "本措施自印发之日起施行。".into(),
///     provisions: vec![Provision {
///         number: "一".into(),
///         text: "对新认定的高新技术企业给予最高100万元奖励。".into(),
///         ..Default::default()
///     }],
///     ..Default::default()
/// };
/// let facts = zhengce_benefits::derive(&doc);
/// assert_eq!(facts.validity.valid_from.as_deref(), Some("2020-04-10"));
/// assert!(facts.classes.benefits.iter().any(|b| b == "资金奖励"));
/// assert_eq!(facts.provisions[0].classes.beneficiaries, ["高新技术企业"]);
/// assert_eq!(facts.provisions[0].amounts[0].value, 100.0);
/// ```
pub fn derive(doc: &PolicyDoc) -> DocFacts {
    let validity = validity_of(doc.title.as_deref(), &doc.body, doc.date());
    let provisions: Vec<ProvisionFacts> = doc
        .provisions
        .iter()
        .map(|p| ProvisionFacts {
            classes: classify(&p.text),
            amounts: amounts(&p.text),
        })
        .collect();
    let mut classes = if doc.provisions.is_empty() {
        classify(&doc.body)
    } else {
        Classification::default()
    };
    for p in &provisions {
        classes.merge(&p.classes);
    }
    DocFacts {
        validity,
        classes,
        provisions,
    }
}
