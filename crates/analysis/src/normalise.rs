//! Light, lexicon-checked normalisation of Swedish inflections that Snowball leaves alone.
//!
//! Snowball merges `beslutet → beslut` but not the `-an`/`-et` definite forms of many nouns
//! (`förskolan`, `ärendet`, `protokollet`, `samhället`), nor the genitive `-s` after a vowel
//! (`Luleås`, `Gävles`). This rule strips such an ending only when what remains is a known word
//! (the lexicon's word list, which also holds the kommun names), so it never invents stems.

use std::sync::Arc;

use tantivy::tokenizer::Token;

use crate::decompound::Lexicon;
use crate::rule::{with_text, TokenRule};

pub struct SwedishNormaliser {
    lexicon: Arc<Lexicon>,
}

/// Endings to try, in order, and how many bytes each strips (all ASCII).
const ENDINGS: &[(&str, usize)] = &[
    ("ans", 2), // förskolans → förskola
    ("an", 1),  // förskolan → förskola
    ("ets", 3), // protokollets → protokoll
    ("ets", 2), // ärendets → ärende
    ("et", 2),  // protokollet → protokoll
    ("et", 1),  // ärendet → ärende, samhället → samhälle
    ("s", 1),   // luleås → luleå, gävles → gävle
];

/// Words this short are left alone.
const MIN_CHARS: usize = 4;

impl SwedishNormaliser {
    pub fn new(lexicon: Arc<Lexicon>) -> SwedishNormaliser {
        SwedishNormaliser { lexicon }
    }

    /// The normalised form of a lowercase word.
    pub fn normalise<'a>(&self, word: &'a str) -> &'a str {
        if word.chars().count() < MIN_CHARS || self.lexicon.is_word(word) {
            return word;
        }
        for &(ending, strip) in ENDINGS {
            if !word.ends_with(ending) {
                continue;
            }
            let candidate = &word[..word.len() - strip];
            if candidate.chars().count() >= 3 && self.lexicon.is_word(candidate) {
                return candidate;
            }
        }
        word
    }
}

impl TokenRule for SwedishNormaliser {
    fn name(&self) -> &'static str {
        "normalise_sv"
    }

    fn apply(&self, token: &Token, out: &mut Vec<Token>) {
        out.push(with_text(token, self.normalise(&token.text)));
    }
}
