//! A query that adds a constant to another query's score where it matches: how a tiered search
//! ranks documents by the number of words they match while scoring each word once.

use std::fmt;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::COLLECT_BLOCK_BUFFER_LEN;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// Matches what `inner` matches, scored `inner`'s score + `add`.
pub(crate) struct AddScore {
    inner: Box<dyn Query>,
    add: Score,
}

impl AddScore {
    pub(crate) fn new(inner: Box<dyn Query>, add: Score) -> AddScore {
        AddScore { inner, add }
    }
}

impl Clone for AddScore {
    fn clone(&self) -> Self {
        AddScore { inner: self.inner.box_clone(), add: self.add }
    }
}

impl fmt::Debug for AddScore {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "AddScore(add={}, query={:?})", self.add, self.inner)
    }
}

impl Query for AddScore {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.inner.weight(enable_scoring)?;
        Ok(if enable_scoring.is_scoring_enabled() { Box::new(AddScoreWeight { inner, add: self.add }) } else { inner })
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct AddScoreWeight {
    inner: Box<dyn Weight>,
    add: Score,
}

impl Weight for AddScoreWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(AddScoreScorer { inner: self.inner.scorer(reader, boost)?, add: self.add }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let mut explanation = Explanation::new("AddScore", inner.value() + self.add);
        explanation.add_detail(inner);
        Ok(explanation)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

struct AddScoreScorer {
    inner: Box<dyn Scorer>,
    add: Score,
}

impl DocSet for AddScoreScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn fill_buffer(&mut self, buffer: &mut [DocId; COLLECT_BLOCK_BUFFER_LEN]) -> usize {
        self.inner.fill_buffer(buffer)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for AddScoreScorer {
    fn score(&mut self) -> Score {
        self.inner.score() + self.add
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{AllQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index};

    use super::*;

    #[test]
    fn adds_to_the_score_of_matches_only() {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        for words in ["a b", "b", "a a c"] {
            writer.add_document(doc!(text => words)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term: Box<dyn Query> =
            Box::new(TermQuery::new(Term::from_field_text(text, "a"), IndexRecordOption::WithFreqs));
        let plain = searcher.search(term.as_ref(), &TopDocs::with_limit(10).order_by_score()).unwrap();
        let added = searcher.search(&AddScore::new(term, 1000.0), &TopDocs::with_limit(10).order_by_score()).unwrap();
        assert_eq!(plain.len(), 2);
        assert_eq!(added.len(), 2);
        for ((plain_score, plain_doc), (added_score, added_doc)) in plain.iter().zip(&added) {
            assert_eq!(plain_doc, added_doc);
            assert!((added_score - plain_score - 1000.0).abs() < 1e-3, "{added_score} vs {plain_score}");
        }
        let all = AddScore::new(Box::new(AllQuery), 5.0);
        assert_eq!(searcher.search(&all, &tantivy::collector::Count).unwrap(), 3);
    }
}
