//! Common grams, after Lucene's `CommonGramsFilter`: they make phrases of common words cheap and exact.
//!
//! The main fields drop stop words, so a quoted `"beslut om"` cannot be told from `beslut`.
//! A field that kept the stop words would answer it by intersecting the position lists of
//! `beslut` and `om`, and the list for `om` is as long as the corpus.
//!
//! This filter emits only bigrams: every pair of adjacent words of which one is a stop word
//! becomes one token, `beslut_om`, at the first word's position. Words without a stop word
//! next to them are left to the main fields. A phrase is then found by its bigrams here
//! ([`phrase_terms`]) together with its other words in order in the main fields (which keep
//! the gaps of the stop words they drop). So `"beslut om"` is the one term `beslut_om`, and
//! `"detaljplan för norra hamnen"` is `detaljplan_för` and `för_norra`, plus the main-field
//! phrase `detaljplan · norra hamnen`.

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

/// The bigrams of a phrase of `words` (lower-cased, in order) that a common-grams field holds:
/// one for every adjacent pair with a stop word. Empty when the phrase has no stop word next
/// to another word.
pub fn phrase_terms(words: &[String], stop_words: &StopWords) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for pair in words.windows(2) {
        if stop_words.contains(&pair[0]) || stop_words.contains(&pair[1]) {
            let term = format!("{}{GRAM_JOINER}{}", pair[0], pair[1]);
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
    }
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
            words(&[(0, "beslut_om"), (1, "om_detaljplan"), (2, "detaljplan_för"), (3, "för_norra")])
        );
        assert_eq!(tokens("i och för"), words(&[(0, "i_och"), (1, "och_för")]));
        assert!(tokens("norra hamnen").is_empty());
        assert!(tokens("").is_empty());
    }

    #[test]
    fn a_phrase_is_found_by_the_bigrams_the_field_holds() {
        let stop = stop_words();
        let phrase = |text: &str| {
            let words: Vec<String> = text.split(' ').map(str::to_string).collect();
            phrase_terms(&words, &stop)
        };
        assert_eq!(phrase("beslut om"), ["beslut_om"]);
        assert_eq!(phrase("detaljplan för norra hamnen"), ["detaljplan_för", "för_norra"]);
        assert!(phrase("norra hamnen").is_empty());
        // Every bigram of a phrase is in the field of a text with the phrase.
        let field: Vec<String> =
            tokens("Kommunen antar detaljplan för Norra hamnen i år").into_iter().map(|(_, t)| t).collect();
        for term in phrase("detaljplan för norra hamnen i år") {
            assert!(field.contains(&term), "{term}");
        }
    }
}
