//! Snowball stemming (the `frostem` crate, pinned exactly: see [`crate::ANALYSIS_VERSION`]).

use tantivy::tokenizer::Token;

use crate::rule::{with_text, TokenRule};

pub struct Stem {
    stemmer: frostem::Stemmer,
    name: &'static str,
}

impl Stem {
    pub fn swedish() -> Stem {
        Stem { stemmer: frostem::Stemmer::new(frostem::Algorithm::Swedish), name: "stem_sv" }
    }

    /// A stemmer by its config name: `stem_sv`, `stem_en`, `stem_fi`, `stem_no`, `stem_da`, `stem_de`.
    pub fn by_name(name: &str) -> Option<Stem> {
        let (algorithm, name) = match name {
            "stem_sv" => (frostem::Algorithm::Swedish, "stem_sv"),
            "stem_en" => (frostem::Algorithm::English, "stem_en"),
            "stem_fi" => (frostem::Algorithm::Finnish, "stem_fi"),
            "stem_no" => (frostem::Algorithm::Norwegian, "stem_no"),
            "stem_da" => (frostem::Algorithm::Danish, "stem_da"),
            "stem_de" => (frostem::Algorithm::German, "stem_de"),
            _ => return None,
        };
        Some(Stem { stemmer: frostem::Stemmer::new(algorithm), name })
    }

    pub fn stem<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        self.stemmer.stem(word)
    }
}

impl TokenRule for Stem {
    fn name(&self) -> &'static str {
        self.name
    }

    fn apply(&self, token: &Token, out: &mut Vec<Token>) {
        // Numbers and codes are not words: leave them alone.
        if token.text.chars().any(|c| c.is_ascii_digit()) {
            out.push(token.clone());
            return;
        }
        out.push(with_text(token, self.stemmer.stem(&token.text)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_swedish_inflections_together() {
        let stem = Stem::swedish();
        for (words, expected) in [
            (&["beslut", "beslutet", "besluten", "beslutets"][..], "beslut"),
            (&["fabrik", "fabriken", "fabrikens", "fabriker"][..], "fabrik"),
        ] {
            for word in words {
                assert_eq!(stem.stem(word), expected, "{word}");
            }
        }
    }
}
