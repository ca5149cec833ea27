//! Typo tolerance as plain terms.
//!
//! A typed word is expanded, once per search, to the indexed terms within a small edit distance
//! (Levenshtein with transpositions, through tantivy's automaton over each segment's term
//! dictionary); the nearest and most used [`MAX_EXPANSIONS`] of them become ordinary weighted
//! term queries. Compared with a fuzzy query per field this has three consequences:
//!
//! - the expansion is scored by BM25 like any word, with the document frequency blended across
//!   the expansions (as Lucene's and Elasticsearch's `top_terms_blended_freqs` rewrite does), so
//!   a rare misspelling in the index does not outrank the common word the user meant;
//! - the query stays a sum of term scores, which block-max WAND can prune (see `prune`);
//! - a typo that reaches thousands of terms costs at most [`MAX_EXPANSIONS`] posting lists.

use std::collections::HashMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Score, Searcher, Term};

/// Terms a typed word expands to, at most (Elasticsearch's `max_expansions` default).
pub(crate) const MAX_EXPANSIONS: usize = 50;

/// The terms of `fields` within `distance` edits of one of `bases` (the bases themselves
/// excluded), nearest first, then the most used: at most [`MAX_EXPANSIONS`].
pub(crate) fn expand(searcher: &Searcher, fields: &[Field], bases: &[String], distance: u8) -> Vec<String> {
    let mut found: HashMap<String, u64> = HashMap::new();
    for base in bases {
        for &field in fields {
            let Ok(automaton) = FuzzyTermQuery::new(Term::from_field_text(field, base), distance, true).automaton()
            else {
                continue;
            };
            for reader in searcher.segment_readers() {
                let Ok(index) = reader.inverted_index(field) else { continue };
                let Ok(mut stream) = index.terms().search(&automaton).into_stream() else { continue };
                while stream.advance() {
                    let Ok(term) = std::str::from_utf8(stream.key()) else { continue };
                    if bases.iter().any(|base| base == term) {
                        continue;
                    }
                    let doc_freq = u64::from(stream.value().doc_freq);
                    match found.get_mut(term) {
                        Some(total) => *total += doc_freq,
                        None => {
                            found.insert(term.to_string(), doc_freq);
                        }
                    }
                }
            }
        }
    }
    let mut ranked: Vec<(usize, u64, String)> = found
        .into_iter()
        .map(|(term, doc_freq)| {
            let edits = bases.iter().map(|base| edit_distance(base, &term)).min().unwrap_or(usize::MAX);
            (edits, doc_freq, term)
        })
        .collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    ranked.into_iter().take(MAX_EXPANSIONS).map(|(_, _, term)| term).collect()
}

/// For each of `terms` in `field` that the index holds: the factor that turns its BM25 score
/// into the score it would have with the highest document frequency among them (the idf is
/// BM25's only term-specific part, so the factor is a ratio of idfs).
pub(crate) fn blended(searcher: &Searcher, field: Field, terms: &[String]) -> Vec<(Term, Score)> {
    let documents = searcher.num_docs().max(1);
    let with_freq: Vec<(Term, u64)> = terms
        .iter()
        .map(|text| {
            let term = Term::from_field_text(field, text);
            let doc_freq = searcher.doc_freq(&term).unwrap_or(0);
            (term, doc_freq)
        })
        .filter(|(_, doc_freq)| *doc_freq > 0)
        .collect();
    let highest = with_freq.iter().map(|(_, doc_freq)| *doc_freq).max().unwrap_or(1);
    let target = idf(highest, documents);
    with_freq.into_iter().map(|(term, doc_freq)| (term, target / idf(doc_freq, documents))).collect()
}

/// BM25's inverse document frequency, as tantivy computes it.
fn idf(doc_freq: u64, documents: u64) -> Score {
    let doc_freq = doc_freq.min(documents);
    let x = ((documents - doc_freq) as Score + 0.5) / (doc_freq as Score + 0.5);
    (1.0 + x).ln()
}

/// Edits (insertions, deletions, substitutions, swaps of neighbours) between `a` and `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    use super::*;

    #[test]
    fn edit_distances_count_swaps_as_one() {
        assert_eq!(edit_distance("detaljplan", "detaljplan"), 0);
        assert_eq!(edit_distance("detaljplsn", "detaljplan"), 1);
        assert_eq!(edit_distance("medborgarförlsag", "medborgarförslag"), 1);
        assert_eq!(edit_distance("förskola", "forskola"), 1);
        assert_eq!(edit_distance("abc", ""), 3);
    }

    #[test]
    fn a_typo_expands_to_the_nearest_and_most_used_terms() {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 20_000_000).unwrap();
        for i in 0..200 {
            let words = match i % 10 {
                0 => "detaljplans",
                1 => "detaljplane",
                2 => "bygglov",
                _ => "detaljplan",
            };
            writer.add_document(doc!(text => words)).unwrap();
            if i == 100 {
                writer.commit().unwrap();
            }
        }
        writer.add_document(doc!(text => "detaljplam")).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let terms = expand(&searcher, &[text], &["detaljplsn".to_string()], 2);
        // Distance 1 first, then distance 2, the most used first among equals.
        assert_eq!(terms, ["detaljplan", "detaljplane", "detaljplans", "detaljplam"]);
        assert!(!terms.contains(&"bygglov".to_string()));
        // The rare misspelling scores as if it were as common as the word.
        let factors: HashMap<String, Score> = blended(&searcher, text, &terms)
            .into_iter()
            .map(|(term, f)| (term.value().as_str().unwrap().to_string(), f))
            .collect();
        assert!((factors["detaljplan"] - 1.0).abs() < 1e-6);
        assert!(factors["detaljplam"] < 0.5, "{factors:?}");
    }
}
