//! Light, lexicon-checked normalisation of Swedish inflections that Snowball leaves alone.
//!
//! The lexicon's inflection table comes first: every form of a noun, also as the last part of
//! a compound (`flygplatsen` → `flygplats`), becomes its lemma, so Snowball sees one form per
//! word — left alone, Snowball stems `flygplats` to `flygplat` but `flygplatsen` to `flygplats`.
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

    /// The normalised form of a lowercase word: the lemma when the lexicon knows the word or
    /// its last compound part as an inflected noun form, else the word with a definite or
    /// genitive ending stripped when that leaves a known word.
    pub fn normalise<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        if word.chars().count() < MIN_CHARS {
            return word.into();
        }
        if let Some(lemma) = self.lexicon.lemmatise(word) {
            return lemma.into();
        }
        if self.lexicon.is_word(word) {
            return word.into();
        }
        for &(ending, strip) in ENDINGS {
            if !word.ends_with(ending) {
                continue;
            }
            let candidate = &word[..word.len() - strip];
            if candidate.chars().count() >= 3 && self.lexicon.is_word(candidate) {
                return candidate.into();
            }
        }
        word.into()
    }
}

impl TokenRule for SwedishNormaliser {
    fn name(&self) -> &'static str {
        "normalise_sv"
    }

    fn apply(&self, token: &Token, out: &mut Vec<Token>) {
        let normalised = self.normalise(&token.text).into_owned();
        out.push(with_text(token, normalised));
    }
}
