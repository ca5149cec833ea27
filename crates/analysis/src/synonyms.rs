//! Query-time synonyms from `index-config/sv/synonyms.txt`.
//!
//! The file holds groups of equivalent terms (`laddstolpe, laddplats, laddpunkt`) and a few
//! one-way rules (`dagis => förskola`). Terms are base forms; a term may be several words
//! (`särskilt boende`). Expansion happens on the query only, so the index never has to be
//! rebuilt when the file changes, and a synonym match ranks below the word the user typed.
//!
//! Keys are compared after the caller's normalisation (the same analysis as the main field), so
//! `laddstolpar` in a query finds the `laddstolpe` group.

use std::collections::HashMap;

#[derive(Debug, Default, Clone)]
pub struct Synonyms {
    /// Normalised term (words joined by one space) → the terms it expands to, as written.
    expansions: HashMap<String, Vec<String>>,
    /// The longest term, in words.
    max_words: usize,
    groups: usize,
}

/// A malformed line of the synonym file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("synonyms.txt line {line}: {problem}")]
pub struct SynonymError {
    pub line: usize,
    pub problem: String,
}

impl Synonyms {
    /// Parses the file; `normalise` maps a term (one or more words) to its comparison key.
    pub fn parse(text: &str, mut normalise: impl FnMut(&str) -> String) -> Result<Synonyms, SynonymError> {
        let mut synonyms = Synonyms::default();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let error = |problem: &str| SynonymError { line: index + 1, problem: problem.to_string() };
            let (sources, targets, two_way) = match line.split_once("=>") {
                Some((left, right)) => (terms(left), terms(right), false),
                None => (terms(line), terms(line), true),
            };
            if sources.is_empty() || targets.is_empty() || (two_way && sources.len() < 2) {
                return Err(error("needs at least two terms (a, b) or a rule (a => b)"));
            }
            synonyms.groups += 1;
            for source in &sources {
                let key = normalise(source);
                if key.is_empty() {
                    continue;
                }
                synonyms.max_words = synonyms.max_words.max(key.split(' ').count());
                let entry = synonyms.expansions.entry(key.clone()).or_default();
                for target in &targets {
                    if target != source && normalise(target) != key && !entry.contains(target) {
                        entry.push(target.clone());
                    }
                }
            }
        }
        Ok(synonyms)
    }

    /// The alternatives for a normalised term, if it has any.
    pub fn expansions(&self, key: &str) -> &[String] {
        self.expansions.get(key).map_or(&[], Vec::as_slice)
    }

    /// The longest term in words, to bound multi-word matching.
    pub fn max_words(&self) -> usize {
        self.max_words
    }

    /// The number of groups and rules read.
    pub fn group_count(&self) -> usize {
        self.groups
    }
}

fn terms(text: &str) -> Vec<String> {
    text.split(',')
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(term: &str) -> String {
        term.to_string()
    }

    #[test]
    fn groups_expand_both_ways_and_rules_one_way() {
        let text = "# comment\nladdstolpe, laddplats, laddpunkt\ndagis => förskola\nsärskilt boende, äldreboende\n";
        let synonyms = Synonyms::parse(text, identity).unwrap();
        assert_eq!(synonyms.expansions("laddplats"), ["laddstolpe", "laddpunkt"]);
        assert_eq!(synonyms.expansions("dagis"), ["förskola"]);
        assert!(synonyms.expansions("förskola").is_empty());
        assert_eq!(synonyms.expansions("särskilt boende"), ["äldreboende"]);
        assert_eq!(synonyms.max_words(), 2);
        assert_eq!(synonyms.group_count(), 3);
    }

    #[test]
    fn a_lonely_term_is_an_error() {
        let error = Synonyms::parse("ok, fine\nalone\n", identity).unwrap_err();
        assert_eq!(error.line, 2);
    }
}
