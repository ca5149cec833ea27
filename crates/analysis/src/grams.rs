//! Common grams (as Lucene's `CommonGramsFilter`): phrases of common words made cheap and exact.
//!
//! The main fields drop stop words, so a quoted `"beslut om"` cannot be told from `beslut`, and
//! a field that kept them would answer it by intersecting the position lists of `beslut` and
//! `om` — a list as long as the corpus. Here every word that is not a stop word is kept as it
//! is (lower case, unstemmed), every stop word is dropped, and every pair of adjacent words of
//! which one is a stop word is added as one token `beslut_om` at the first word's position. A
//! phrase is then the rare bigrams and the words between them ([`phrase_terms`]): `"beslut om"`
//! is the one term `beslut_om`, `"detaljplan för stålverket"` the phrase `detaljplan_för
//! för_stålverket`.

use std::collections::VecDeque;
use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use crate::stop_words::StopWords;

/// Joins the two words of a bigram (the simple tokenizer never puts one in a word).
pub const GRAM_JOINER: char = '_';

/// The filter; apply it to lower-cased tokens.
#[derive(Clone)]
pub struct CommonGrams {
    stop_words: Arc<StopWords>,
}

impl CommonGrams {
    pub fn new(stop_words: Arc<StopWords>) -> CommonGrams {
        CommonGrams { stop_words }
    }
}

impl TokenFilter for CommonGrams {
    type Tokenizer<T: Tokenizer> = CommonGramsTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CommonGramsTokenizer<T> {
        CommonGramsTokenizer { inner: tokenizer, stop_words: self.stop_words }
    }
}

#[derive(Clone)]
pub struct CommonGramsTokenizer<T> {
    inner: T,
    stop_words: Arc<StopWords>,
}

impl<T: Tokenizer> Tokenizer for CommonGramsTokenizer<T> {
    type TokenStream<'a> = CommonGramsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CommonGramsStream {
            inner: self.inner.token_stream(text),
            stop_words: self.stop_words.clone(),
            lookahead: None,
            pending: VecDeque::new(),
            current: Token::default(),
        }
    }
}

pub struct CommonGramsStream<S> {
    inner: S,
    stop_words: Arc<StopWords>,
    /// The word after the one being emitted.
    lookahead: Option<Token>,
    pending: VecDeque<Token>,
    current: Token,
}

impl<S: TokenStream> CommonGramsStream<S> {
    fn next_word(&mut self) -> Option<Token> {
        self.inner.advance().then(|| self.inner.token().clone())
    }
}

impl<S: TokenStream> TokenStream for CommonGramsStream<S> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(token) = self.pending.pop_front() {
                self.current = token;
                return true;
            }
            let Some(word) = self.lookahead.take().or_else(|| self.next_word()) else { return false };
            let following = self.next_word();
            let stop = self.stop_words.contains(&word.text);
            if !stop {
                self.pending.push_back(word.clone());
            }
            if let Some(next) = &following {
                if next.position == word.position + 1 && (stop || self.stop_words.contains(&next.text)) {
                    self.pending.push_back(Token {
                        text: format!("{}{GRAM_JOINER}{}", word.text, next.text),
                        position: word.position,
                        offset_from: word.offset_from,
                        offset_to: next.offset_to,
                        position_length: 2,
                    });
                }
            }
            self.lookahead = following;
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// The terms, with their positions relative to the first word, that find the phrase of
/// `words` (lower-cased, in order) in a common-grams field: a bigram for every adjacent pair
/// with a stop word, and every other word that no bigram covers. Empty for fewer than two words.
pub fn phrase_terms(words: &[String], stop_words: &StopWords) -> Vec<(usize, String)> {
    if words.len() < 2 {
        return Vec::new();
    }
    let stop: Vec<bool> = words.iter().map(|word| stop_words.contains(word)).collect();
    let mut covered = vec![false; words.len()];
    let mut terms = Vec::new();
    for i in 0..words.len() - 1 {
        if stop[i] || stop[i + 1] {
            terms.push((i, format!("{}{GRAM_JOINER}{}", words[i], words[i + 1])));
            covered[i] = true;
            covered[i + 1] = true;
        }
    }
    for (i, word) in words.iter().enumerate() {
        if !covered[i] && !stop[i] {
            terms.push((i, word.clone()));
        }
    }
    terms.sort();
    terms
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};

    use super::*;

    fn stop_words() -> Arc<StopWords> {
        Arc::new(StopWords::from_list("om\nför\ni\noch\n"))
    }

    fn tokens(text: &str) -> Vec<(usize, String)> {
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(CommonGrams::new(stop_words()))
            .build();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().position, stream.token().text.clone()));
        }
        out
    }

    #[test]
    fn stop_words_live_only_in_bigrams() {
        let words = |pairs: &[(usize, &str)]| pairs.iter().map(|(p, t)| (*p, t.to_string())).collect::<Vec<_>>();
        assert_eq!(
            tokens("Beslut om detaljplan för Norra hamnen"),
            words(&[
                (0, "beslut"),
                (0, "beslut_om"),
                (1, "om_detaljplan"),
                (2, "detaljplan"),
                (2, "detaljplan_för"),
                (3, "för_norra"),
                (4, "norra"),
                (5, "hamnen")
            ])
        );
        assert_eq!(tokens("i och för"), words(&[(0, "i_och"), (1, "och_för")]));
        assert_eq!(tokens("hamnen"), words(&[(0, "hamnen")]));
        assert!(tokens("").is_empty());
    }

    #[test]
    fn a_phrase_is_found_by_the_terms_the_field_holds() {
        let stop = stop_words();
        let phrase = |text: &str| {
            let words: Vec<String> = text.split(' ').map(str::to_string).collect();
            phrase_terms(&words, &stop)
        };
        let terms = |pairs: &[(usize, &str)]| pairs.iter().map(|(p, t)| (*p, t.to_string())).collect::<Vec<_>>();
        assert_eq!(phrase("beslut om"), terms(&[(0, "beslut_om")]));
        assert_eq!(
            phrase("detaljplan för norra hamnen"),
            terms(&[(0, "detaljplan_för"), (1, "för_norra"), (3, "hamnen")])
        );
        assert_eq!(phrase("norra hamnen"), terms(&[(0, "norra"), (1, "hamnen")]));
        assert!(phrase("hamnen").is_empty());
        // Every term of a phrase is in the field at the same relative position.
        let field = tokens("Kommunen antar detaljplan för Norra hamnen i år");
        for (offset, term) in phrase("detaljplan för norra hamnen") {
            assert!(field.contains(&(2 + offset, term.clone())), "{term} at {}", 2 + offset);
        }
    }
}
