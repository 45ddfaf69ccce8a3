//! The recall guarantee: any string of two or more characters found verbatim in a title
//! or body finds every document that contains it.

use std::collections::BTreeSet;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zhengce_analysis::normalize;
use zhengce_index::{PolicyIndex, record_to_doc};
use zhengce_model::PolicyDoc;

use crate::common::{index_of, search};

/// Records per corpus file: all of them (the whole body-bearing corpus, ≈4.5k documents).
const PER_SOURCE: usize = usize::MAX;
const SAMPLES: usize = 320;

fn squash(s: &str) -> String {
    normalize(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn corpus_docs() -> Option<Vec<PolicyDoc>> {
    let corpus = zhengce_testkit::corpus_dir()?;
    let mut docs = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(corpus.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut taken = 0;
        for line in text.lines() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            if let Some(doc) = record_to_doc(&record).unwrap() {
                docs.push(doc);
                taken += 1;
                if taken == PER_SOURCE {
                    break;
                }
            }
        }
    }
    Some(docs)
}

fn all_ids(index: &PolicyIndex, query: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut page = 1;
    loop {
        let response = search(index, |r| {
            r.query = query.into();
            r.size = 100;
            r.page = page;
        });
        let n = response.hits.len();
        ids.extend(response.hits.into_iter().map(|h| h.doc_id));
        if n < 100 {
            return ids;
        }
        page += 1;
    }
}

#[test]
fn random_substrings_find_every_document_that_contains_them() {
    let Some(docs) = corpus_docs() else { return };
    let index = index_of(&docs);
    let texts: Vec<(String, String)> = docs
        .iter()
        .map(|d| {
            (
                squash(d.title.as_deref().unwrap_or_default()),
                squash(&d.body),
            )
        })
        .collect();
    let mut rng = StdRng::seed_from_u64(20_201_125);
    let mut checked = 0;
    while checked < SAMPLES {
        let d = rng.random_range(0..docs.len());
        let chars: Vec<char> = docs[d]
            .body
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if chars.len() < 6 {
            continue;
        }
        let len = rng.random_range(2..=6);
        let start = rng.random_range(0..=chars.len() - len);
        let needle: String = chars[start..start + len].iter().collect();
        if needle.chars().any(|c| matches!(c, '"' | '“' | '”')) {
            continue;
        }
        let want = squash(&needle);
        let expected: BTreeSet<String> = texts
            .iter()
            .zip(&docs)
            .filter(|((title, body), _)| title.contains(&want) || body.contains(&want))
            .map(|(_, doc)| doc.id.clone())
            .collect();
        let got = all_ids(&index, &format!("\"{needle}\""));
        let missing: Vec<_> = expected.difference(&got).collect();
        assert!(
            missing.is_empty(),
            "{needle:?}: {} of {} documents missing, e.g. {:?}",
            missing.len(),
            expected.len(),
            missing.first()
        );
        let extra: Vec<_> = got.difference(&expected).collect();
        assert!(
            extra.is_empty(),
            "{needle:?}: documents without it: {:?}",
            extra.first()
        );
        checked += 1;
    }
}
