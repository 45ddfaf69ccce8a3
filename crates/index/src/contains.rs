//! "This text contains that string": the recall guarantee, without reading positions
//! where a word already proves it.
//!
//! A string of two or more bigrams is found by a phrase of its bigrams, which reads the
//! positions of every candidate text: on a million provisions a common word (`人民政府`)
//! spends most of its time decoding positions. Yet a text whose jieba words include the
//! string itself certainly contains it (a word is a piece of the normalised text), so
//! [`Contains`] checks that word first (a seek in a posting list) and reads positions
//! only for the candidates without it: those where jieba cut the string differently.
//! The answer is the phrase's, exactly; it scores a constant (the words of the string
//! rank elsewhere in the query).

use tantivy::query::{
    BooleanQuery, EnableScoring, Explanation, Occur, PhraseQuery, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, TERMINATED, Term};

/// Texts of a bigram field containing a string, proven by a word where one exists.
#[derive(Debug, Clone)]
pub(crate) struct Contains {
    /// The string's bigrams, in order (two or more).
    bigrams: Vec<Term>,
    /// A term of a word field that only texts containing the string have.
    witness: Option<Term>,
    /// What a match scores (before boosts).
    score: Score,
}

impl Contains {
    pub(crate) fn new(bigrams: Vec<Term>, witness: Option<Term>, score: Score) -> Contains {
        debug_assert!(bigrams.len() >= 2, "one bigram is a term query");
        Contains {
            bigrams,
            witness,
            score,
        }
    }
}

impl Query for Contains {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let unscored = match scoring.searcher() {
            Some(searcher) => EnableScoring::disabled_from_searcher(searcher),
            None => EnableScoring::disabled_from_schema(scoring.schema()),
        };
        let all_bigrams = BooleanQuery::new(
            self.bigrams
                .iter()
                .map(|t| {
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(t.clone(), IndexRecordOption::Basic));
                    (Occur::Must, q)
                })
                .collect(),
        );
        let witness = self
            .witness
            .as_ref()
            .map(|t| TermQuery::new(t.clone(), IndexRecordOption::Basic).weight(unscored))
            .transpose()?;
        Ok(Box::new(ContainsWeight {
            candidates: all_bigrams.weight(unscored)?,
            witness,
            phrase: PhraseQuery::new(self.bigrams.clone()).weight(unscored)?,
            score: self.score,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for term in &self.bigrams {
            visitor(term, true);
        }
    }
}

struct ContainsWeight {
    /// Texts with every bigram (no positions read).
    candidates: Box<dyn Weight>,
    witness: Option<Box<dyn Weight>>,
    /// The phrase, for candidates without the witness.
    phrase: Box<dyn Weight>,
    score: Score,
}

impl Weight for ContainsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let candidates = self.candidates.scorer(reader, 1.0)?;
        let first = candidates.doc();
        // The phrase is opened at the first candidate (positions are read only there),
        // then only ever asked about later candidates.
        let (found, floor, phrase) = if first == TERMINATED {
            (false, 0, None)
        } else {
            match self.phrase.scorer_danger(reader, first, 1.0)? {
                (SeekDangerResult::Found, phrase) => (true, 0, Some(phrase)),
                (SeekDangerResult::SeekLowerBound(next), phrase) => (false, next, Some(phrase)),
            }
        };
        let mut scorer = ContainsScorer {
            candidates,
            witness: self
                .witness
                .as_ref()
                .map(|w| w.scorer(reader, 1.0))
                .transpose()?,
            phrase,
            first: (first, found),
            floor,
            score: self.score * boost,
        };
        if first != TERMINATED && !scorer.matches(first) {
            scorer.advance();
        }
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() < doc {
            scorer.seek(doc);
        }
        if scorer.doc() != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not contain the string"
            )));
        }
        Ok(Explanation::new("contains the string", self.score))
    }
}

struct ContainsScorer {
    candidates: Box<dyn Scorer>,
    witness: Option<Box<dyn Scorer>>,
    /// In the danger state of `seek_danger`: only asked about increasing candidates.
    phrase: Option<Box<dyn Scorer>>,
    /// The first candidate and whether the phrase matched there (the phrase was opened
    /// on it).
    first: (DocId, bool),
    /// No phrase match lies below this (what the phrase's last miss said): candidates
    /// below it are misses without asking, so the phrase only sees targets its
    /// danger-state contract allows.
    floor: DocId,
    score: Score,
}

impl ContainsScorer {
    /// Whether candidate `doc` contains the string.
    fn matches(&mut self, doc: DocId) -> bool {
        if let Some(witness) = &mut self.witness {
            let at = if witness.doc() < doc {
                witness.seek(doc)
            } else {
                witness.doc()
            };
            if at == doc {
                return true;
            }
        }
        if doc == self.first.0 {
            return self.first.1;
        }
        if doc < self.floor {
            return false;
        }
        let Some(phrase) = self.phrase.as_mut() else {
            return false;
        };
        match phrase.seek_danger(doc) {
            SeekDangerResult::Found => true,
            SeekDangerResult::SeekLowerBound(next) => {
                self.floor = next;
                false
            }
        }
    }
}

impl DocSet for ContainsScorer {
    fn advance(&mut self) -> DocId {
        loop {
            let doc = self.candidates.advance();
            if doc == TERMINATED || self.matches(doc) {
                return doc;
            }
        }
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.candidates.seek(target);
        if doc == TERMINATED || self.matches(doc) {
            return doc;
        }
        self.advance()
    }

    fn doc(&self) -> DocId {
        self.candidates.doc()
    }

    fn size_hint(&self) -> u32 {
        self.candidates.size_hint()
    }
}

impl Scorer for ContainsScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}
