//! Drops Swedish function words (`och`, `att`, `för`) listed in `index-config/sv/stopwords.txt`.

use std::collections::HashSet;

use tantivy::tokenizer::Token;

use crate::rule::TokenRule;

pub struct StopWords {
    words: HashSet<String>,
}

impl StopWords {
    /// Reads one word per line; `#` starts a comment.
    pub fn from_list(text: &str) -> StopWords {
        let words = text
            .lines()
            .map(|line| line.split('#').next().unwrap_or("").trim().to_lowercase())
            .filter(|word| !word.is_empty())
            .collect();
        StopWords { words }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }
}

impl TokenRule for StopWords {
    fn name(&self) -> &'static str {
        "stop_sv"
    }

    fn apply(&self, token: &Token, out: &mut Vec<Token>) {
        if !self.words.contains(&token.text) {
            out.push(token.clone());
        }
    }
}
