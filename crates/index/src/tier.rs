//! Query wrappers the search builds with, both transparent to [`term_weights`], which reads a
//! query back as a sum of weighted term scores when it is one (the bound that pruning needs):
//! [`AddScore`] adds a constant where a query matches (how a tiered search ranks documents by
//! the number of words they match while scoring each word once); [`Weighted`] multiplies a
//! query's score, like tantivy's `BoostQuery`, but can be read back.

use std::fmt;

use std::collections::HashMap;

use tantivy::query::{
    BooleanQuery, BoostQuery, EnableScoring, Explanation, Occur, PhraseQuery, Query, Scorer, TermQuery, Weight,
};
use tantivy::COLLECT_BLOCK_BUFFER_LEN;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

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

/// `inner`'s score times `weight` (a `BoostQuery` that can be read back).
pub(crate) struct Weighted {
    inner: Box<dyn Query>,
    weight: Score,
}

impl Weighted {
    pub(crate) fn new(inner: Box<dyn Query>, weight: Score) -> Weighted {
        Weighted { inner, weight }
    }
}

impl Clone for Weighted {
    fn clone(&self) -> Self {
        Weighted { inner: self.inner.box_clone(), weight: self.weight }
    }
}

impl fmt::Debug for Weighted {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Weighted(weight={}, query={:?})", self.weight, self.inner)
    }
}

impl Query for Weighted {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        BoostQuery::new(self.inner.box_clone(), self.weight).weight(enable_scoring)
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

/// How well a sum of weighted term scores describes a query's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ScoreBound {
    /// Not at all (constant scores, typo expansions): the query cannot be pruned.
    None,
    /// From above: the sum is at least the score, and matches whatever the query matches.
    Upper,
    /// Exactly: the sum is the score and the terms' union is what the query matches.
    Exact,
}

/// Adds to `weights` what each term of `query` weighs in its score, scaled by `scale` and
/// summed over the term's occurrences, so that the sum of the terms' scores at those weights
/// bounds `query`'s score above its [`AddScore`] constants for every document (see [`ScoreBound`]).
///
/// A phrase counts as its terms: its BM25 score uses the sum of their idfs and a phrase
/// frequency no higher than any of their term frequencies, so it is at most their sum.
pub(crate) fn term_weights(query: &dyn Query, scale: Score, weights: &mut HashMap<Term, Score>) -> ScoreBound {
    if let Some(term) = query.downcast_ref::<TermQuery>() {
        *weights.entry(term.term().clone()).or_default() += scale;
        ScoreBound::Exact
    } else if let Some(weighted) = query.downcast_ref::<Weighted>() {
        if weighted.weight < 0.0 {
            return ScoreBound::None;
        }
        term_weights(weighted.inner.as_ref(), scale * weighted.weight, weights)
    } else if let Some(add) = query.downcast_ref::<AddScore>() {
        if add.add < 0.0 {
            return ScoreBound::None;
        }
        term_weights(add.inner.as_ref(), scale, weights)
    } else if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        // A sum of should clauses is exact when they are; anything that narrows the matches
        // (must, must not, a minimum number of should clauses) makes it an upper bound.
        let count = |wanted: Occur| boolean.clauses().iter().filter(|(occur, _)| *occur == wanted).count();
        let (must, should, must_not) = (count(Occur::Must), count(Occur::Should), count(Occur::MustNot));
        let narrows = must_not > 0
            || match must {
                0 => boolean.get_minimum_number_should_match() > 1,
                1 => should > 0,
                _ => true,
            };
        let mut bound = if narrows { ScoreBound::Upper } else { ScoreBound::Exact };
        for (_, clause) in boolean.clauses().iter().filter(|(occur, _)| *occur != Occur::MustNot) {
            bound = bound.min(term_weights(clause.as_ref(), scale, weights));
        }
        bound
    } else if let Some(at_least) = query.downcast_ref::<AtLeast>() {
        let mut bound = if at_least.minimum > 1 { ScoreBound::Upper } else { ScoreBound::Exact };
        for clause in &at_least.clauses {
            bound = bound.min(term_weights(clause.as_ref(), scale, weights));
        }
        bound
    } else if let Some(phrase) = query.downcast_ref::<PhraseQuery>() {
        for term in phrase.phrase_terms() {
            *weights.entry(term).or_default() += scale;
        }
        ScoreBound::Upper
    } else {
        ScoreBound::None
    }
}

/// Documents matching at least `minimum` of `clauses`, scored by the sum of the clauses they
/// match. Unlike a boolean query's minimum-should-match, its scorer seeks: the sampled counts
/// and pruned ranking of a many-word search skip what they do not need.
pub(crate) struct AtLeast {
    clauses: Vec<Box<dyn Query>>,
    minimum: usize,
}

impl AtLeast {
    pub(crate) fn new(clauses: Vec<Box<dyn Query>>, minimum: usize) -> AtLeast {
        let minimum = minimum.clamp(1, clauses.len().max(1));
        AtLeast { clauses, minimum }
    }
}

impl Clone for AtLeast {
    fn clone(&self) -> Self {
        AtLeast { clauses: self.clauses.iter().map(|clause| clause.box_clone()).collect(), minimum: self.minimum }
    }
}

impl fmt::Debug for AtLeast {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "AtLeast(minimum={}, clauses={:?})", self.minimum, self.clauses)
    }
}

impl Query for AtLeast {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights =
            self.clauses.iter().map(|clause| clause.weight(enable_scoring)).collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(AtLeastWeight { weights, minimum: self.minimum }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for clause in &self.clauses {
            clause.query_terms(visitor);
        }
    }
}

struct AtLeastWeight {
    weights: Vec<Box<dyn Weight>>,
    minimum: usize,
}

impl Weight for AtLeastWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        // One clause (a one-word search's tier): its own scorer, with nothing in between.
        if let [weight] = self.weights.as_slice() {
            return weight.scorer(reader, boost);
        }
        let scorers =
            self.weights.iter().map(|weight| weight.scorer(reader, boost)).collect::<tantivy::Result<Vec<_>>>()?;
        let mut scorer = AtLeastScorer { scorers, minimum: self.minimum, doc: 0, docs: Vec::new() };
        scorer.doc = scorer.next_match(0);
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!("document {doc} does not match")));
        }
        Ok(Explanation::new("AtLeast", scorer.score()))
    }
}

struct AtLeastScorer {
    scorers: Vec<Box<dyn Scorer>>,
    minimum: usize,
    doc: DocId,
    /// Scratch space for the scorers' positions (no allocation per step).
    docs: Vec<DocId>,
}

impl AtLeastScorer {
    /// The first document at or after `target` that at least `minimum` scorers are on, with
    /// every scorer at or past `target`.
    fn next_match(&mut self, target: DocId) -> DocId {
        for scorer in &mut self.scorers {
            // The next document is an advance, which a buffered union does far more cheaply
            // than a seek.
            if scorer.doc() < target {
                if scorer.doc() + 1 == target {
                    scorer.advance();
                } else {
                    scorer.seek(target);
                }
            }
        }
        loop {
            let candidate = self.scorers.iter().map(|scorer| scorer.doc()).min().unwrap_or(TERMINATED);
            if candidate == TERMINATED {
                return TERMINATED;
            }
            let on = self.scorers.iter().filter(|scorer| scorer.doc() == candidate).count();
            if on >= self.minimum {
                return candidate;
            }
            // Too few here: move every scorer past the candidate, straight to where the
            // `minimum`-th nearest one is when the others are further.
            self.docs.clear();
            self.docs.extend(self.scorers.iter().map(|scorer| scorer.doc()));
            let (_, nth, _) = self.docs.select_nth_unstable(self.minimum - 1);
            let next = (*nth).max(candidate + 1);
            if next == TERMINATED {
                return TERMINATED;
            }
            for scorer in &mut self.scorers {
                if scorer.doc() < next {
                    scorer.seek(next);
                }
            }
        }
    }
}

impl DocSet for AtLeastScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.doc = self.next_match(self.doc + 1);
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        self.doc = self.next_match(target);
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers.iter().map(|scorer| scorer.size_hint()).max().unwrap_or(0)
    }
}

impl Scorer for AtLeastScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        self.scorers.iter_mut().filter(|scorer| scorer.doc() == doc).map(|scorer| scorer.score()).sum()
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

/// Matches and scores what `inner` does, but answers tantivy's `seek_danger` with plain seeks
/// (the `DocSet` default). Exclusions are wrapped in it: tantivy's exclusion protocol may send a
/// phrase scorer a target below the document a previous `seek_danger` left it on, which
/// tantivy 0.27's `PhraseScorer` asserts against (in debug builds).
pub(crate) struct PlainSeeks(pub(crate) Box<dyn Query>);

impl Clone for PlainSeeks {
    fn clone(&self) -> Self {
        PlainSeeks(self.0.box_clone())
    }
}

impl fmt::Debug for PlainSeeks {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "PlainSeeks({:?})", self.0)
    }
}

impl Query for PlainSeeks {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(PlainSeeksWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct PlainSeeksWeight(Box<dyn Weight>);

impl Weight for PlainSeeksWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(PlainSeeksScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct PlainSeeksScorer(Box<dyn Scorer>);

impl DocSet for PlainSeeksScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.0.seek(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }

    fn cost(&self) -> u64 {
        self.0.cost()
    }
}

impl Scorer for PlainSeeksScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}

/// `query` with every union (a boolean query of should clauses only) as an [`AtLeast`] of one:
/// the same matches and scores, but a scorer that seeks each clause only as far as it is asked
/// to. Tantivy's buffered union fills a window of thousands of documents from every clause on
/// each seek: the fastest way to walk a union, the slowest way to test sparse candidates —
/// what the other words of an all-words query are asked about once the rarest word leads.
pub(crate) fn seekable(query: &dyn Query) -> Box<dyn Query> {
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        let clauses = boolean.clauses();
        let minimum = boolean.get_minimum_number_should_match();
        if minimum <= 1 && !clauses.is_empty() && clauses.iter().all(|(occur, _)| *occur == Occur::Should) {
            return Box::new(AtLeast::new(clauses.iter().map(|(_, clause)| seekable(clause.as_ref())).collect(), 1));
        }
        let clauses = clauses.iter().map(|(occur, clause)| (*occur, seekable(clause.as_ref()))).collect();
        Box::new(BooleanQuery::with_minimum_required_clauses(clauses, minimum))
    } else if let Some(weighted) = query.downcast_ref::<Weighted>() {
        Box::new(Weighted::new(seekable(weighted.inner.as_ref()), weighted.weight))
    } else if let Some(add) = query.downcast_ref::<AddScore>() {
        Box::new(AddScore::new(seekable(add.inner.as_ref()), add.add))
    } else if let Some(at_least) = query.downcast_ref::<AtLeast>() {
        let clauses = at_least.clauses.iter().map(|clause| seekable(clause.as_ref())).collect();
        Box::new(AtLeast::new(clauses, at_least.minimum))
    } else {
        query.box_clone()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{AllQuery, BooleanQuery, Occur, TermQuery};
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

    #[test]
    fn at_least_matches_and_scores_as_minimum_should_match_and_seeks() {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        // A fixed pseudo-random mix of four words over 500 documents.
        let mut state = 7u64;
        for _ in 0..500 {
            let mut words = Vec::new();
            for word in ["a", "b", "c", "d"] {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                if (state >> 33).is_multiple_of(3) {
                    words.push(word);
                }
            }
            words.push("z");
            writer.add_document(doc!(text => words.join(" "))).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let clauses = || -> Vec<Box<dyn Query>> {
            ["a", "b", "c", "d"]
                .iter()
                .map(|word| {
                    Box::new(TermQuery::new(Term::from_field_text(text, word), IndexRecordOption::WithFreqs))
                        as Box<dyn Query>
                })
                .collect()
        };
        let reader = searcher.segment_reader(0);
        for minimum in 1..=4 {
            let ours = AtLeast::new(clauses(), minimum);
            let theirs = BooleanQuery::with_minimum_required_clauses(
                clauses().into_iter().map(|clause| (Occur::Should, clause)).collect(),
                minimum,
            );
            let scoring = EnableScoring::enabled_from_searcher(&searcher);
            let mut a = ours.weight(scoring).unwrap().scorer(reader, 1.0).unwrap();
            let mut b = theirs.weight(scoring).unwrap().scorer(reader, 1.0).unwrap();
            let mut expected = Vec::new();
            while b.doc() != TERMINATED {
                assert_eq!(a.doc(), b.doc(), "minimum {minimum}");
                assert!((a.score() - b.score()).abs() < 1e-4, "minimum {minimum}");
                expected.push(b.doc());
                a.advance();
                b.advance();
            }
            assert_eq!(a.doc(), TERMINATED);
            assert!(!expected.is_empty());
            // Seeking lands on the first match at or after the target.
            let mut seeker = ours.weight(scoring).unwrap().scorer(reader, 1.0).unwrap();
            for target in (0..520).step_by(37) {
                let first = expected.iter().copied().find(|doc| *doc >= target).unwrap_or(TERMINATED);
                let landed = if seeker.doc() >= target { seeker.doc() } else { seeker.seek(target) };
                assert_eq!(landed, first.max(seeker.doc()), "minimum {minimum}, target {target}");
            }
        }
    }
    #[test]
    fn seekable_unions_match_and_score_as_the_unions() {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        for i in 0..3_000u32 {
            let mut words = vec!["x"];
            for (word, every) in [("a", 2), ("b", 3), ("c", 7), ("d", 11), ("e", 97)] {
                if i % every == 0 {
                    words.push(word);
                }
            }
            writer.add_document(doc!(text => words.join(" "))).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |word: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(text, word), IndexRecordOption::WithFreqs))
        };
        let union = |words: &[&str]| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(words.iter().map(|w| (Occur::Should, term(w))).collect()))
        };
        // (a or b) and (c or d), e scoring extra, weighted and tiered; and a filter leading.
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(Weighted::new(union(&["a", "b"]), 2.0)) as Box<dyn Query>),
            (Occur::Must, Box::new(AddScore::new(union(&["c", "d"]), 100.0))),
            (Occur::Should, term("e")),
            (Occur::Must, Box::new(AtLeast::new(vec![union(&["x", "e"]), term("c")], 1))),
        ]);
        let seekable = seekable(&query);
        assert!(format!("{seekable:?}").contains("AtLeast(minimum=1"));
        let top = TopDocs::with_limit(3_000).order_by_score();
        let expected = searcher.search(&query, &top).unwrap();
        let found = searcher.search(seekable.as_ref(), &top).unwrap();
        assert_eq!(found.len(), expected.len());
        assert!(!found.is_empty());
        for ((score, address), (expected_score, expected_address)) in found.iter().zip(&expected) {
            assert_eq!(address, expected_address);
            assert!((score - expected_score).abs() < 1e-3, "{score} vs {expected_score}");
        }
    }
}
