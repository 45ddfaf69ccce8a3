//! The recall guarantee: any string of two or more characters found verbatim in a title
//! or body finds every document that contains it.

use std::collections::BTreeSet;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zhengce_analysis::normalize;
use zhengce_enrich::{RecordError, parse_record};
use zhengce_index::PolicyIndex;
use zhengce_model::PolicyDoc;

use crate::common::{index_of, search};

/// Records per corpus file: all of them (every record with a title or 文号, ≈43k
/// documents, 39k of them catalogue entries without a body).
const PER_SOURCE: usize = usize::MAX;
const SAMPLES: usize = 320;

pub(crate) fn squash(s: &str) -> String {
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
            match parse_record(line) {
                Ok(record) => {
                    docs.push(record.doc);
                    taken += 1;
                    if taken == PER_SOURCE {
                        break;
                    }
                }
                Err(RecordError::Unidentifiable) => {}
                Err(e) => panic!("{}: {e}", file.display()),
            }
        }
    }
    Some(docs)
}

/// The ids of the documents a query finds (the first 10,000: the result window) and its
/// total.
pub(crate) fn all_ids(index: &PolicyIndex, query: &str) -> (BTreeSet<String>, usize) {
    let mut ids = BTreeSet::new();
    let mut page = 1;
    loop {
        let response = search(index, |r| {
            r.query = query.into();
            r.size = 100;
            r.page = page;
            r.facets = Some(vec![]);
            r.matched_provisions = 0;
        });
        let n = response.hits.len();
        ids.extend(response.hits.into_iter().map(|h| h.doc_id));
        if n < 100 || page * 100 >= zhengce_index::MAX_RESULT_WINDOW {
            return (ids, response.total);
        }
        page += 1;
    }
}

/// The whole corpus indexed once, shared by the corpus tests of this binary.
pub(crate) fn corpus() -> Option<&'static (Vec<PolicyDoc>, PolicyIndex)> {
    static CORPUS: std::sync::OnceLock<Option<(Vec<PolicyDoc>, PolicyIndex)>> =
        std::sync::OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let docs = corpus_docs()?;
            let index = index_of(&docs);
            Some((docs, index))
        })
        .as_ref()
}

#[test]
fn random_substrings_find_every_document_that_contains_them() {
    let Some((docs, index)) = corpus() else {
        return;
    };
    assert!(docs.len() > 40_000, "{} documents", docs.len());
    // Titles and 文号 are searched alike (the number is title text too), each on its own.
    let texts: Vec<[String; 3]> = docs
        .iter()
        .map(|d| {
            [
                squash(d.title.as_deref().unwrap_or_default()),
                squash(d.doc_number.as_deref().unwrap_or_default()),
                squash(&d.body),
            ]
        })
        .collect();
    let mut rng = StdRng::seed_from_u64(20_201_125);
    let mut checked = 0;
    let mut from_titles = 0;
    while checked < SAMPLES {
        let d = rng.random_range(0..docs.len());
        // Half the needles from titles (every record has one or a 文号), half from bodies.
        let from_title = checked % 2 == 0;
        let source = if from_title {
            docs[d].title.as_deref().unwrap_or_default()
        } else {
            docs[d].body.as_str()
        };
        let chars: Vec<char> = source.chars().filter(|c| !c.is_whitespace()).collect();
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
            .zip(docs.iter())
            .filter(|(fields, _)| fields.iter().any(|f| f.contains(&want)))
            .map(|(_, doc)| doc.id.clone())
            .collect();
        let (got, total) = all_ids(index, &format!("\"{needle}\""));
        // Beyond the 10,000 a search serves, the total counts the rest.
        assert_eq!(total, expected.len(), "{needle:?}: total");
        let missing: Vec<_> = expected.difference(&got).collect();
        assert!(
            got.len() == expected.len() || got.len() == zhengce_index::MAX_RESULT_WINDOW,
            "{needle:?}: {} found",
            got.len()
        );
        assert!(
            got.len() < expected.len() || missing.is_empty(),
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
        from_titles += usize::from(from_title);
    }
    assert!(from_titles >= SAMPLES / 2);
}

/// Every record's 文号, typed alone, returns that record first; where several records
/// share one number (a portal listing the number a page cites), the top ten are all
/// records with that number and include this one when they are ten or fewer.
#[test]
fn every_doc_number_finds_its_record_first() {
    let Some((docs, index)) = corpus() else {
        return;
    };
    let mut by_number: std::collections::BTreeMap<&str, BTreeSet<&str>> = Default::default();
    for d in docs {
        if let Some(n) = d.doc_number.as_deref()
            && zhengce_model::normalize_doc_number(n).is_some()
        {
            by_number.entry(n).or_default().insert(d.id.as_str());
        }
    }
    assert!(by_number.len() > 25_000, "{} numbers", by_number.len());
    let mut failures = Vec::new();
    for (number, ids) in &by_number {
        let response = search(index, |r| {
            r.query = number.to_string();
            r.size = 10;
        });
        let top: Vec<&str> = response.hits.iter().map(|h| h.doc_id.as_str()).collect();
        let ok = if ids.len() == 1 {
            top.first() == ids.first()
        } else {
            let expected = ids.len().min(10);
            top.len() >= expected && top[..expected].iter().all(|id| ids.contains(id))
        };
        if !ok {
            failures.push(format!(
                "{number}: got {:?}, want {:?}",
                &top[..top.len().min(3)],
                ids
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} numbers: {:?}",
        failures.len(),
        by_number.len(),
        &failures[..failures.len().min(5)]
    );
}
