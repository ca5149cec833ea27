//! How Nämndsök turns Swedish council text into searchable tokens.
//!
//! Swedish is hard on search engines in three ways this crate addresses, each as one small,
//! named, tested [`TokenRule`]:
//!
//! - inflection: `förskolan`, `förskolor`, `förskolans` → [`SwedishNormaliser`] (definite forms
//!   Snowball leaves alone, checked against a word list) and [`Stem`] (Snowball, pinned);
//! - compounds: `batterifabriksetableringen` = `batteri` + `fabriks` + `etableringen` →
//!   [`Decompounder`], a fewest-parts split over a lexicon derived from hunspell-sv;
//! - typing without å/ä/ö: `forskola` → [`AsciiFold`], only ever applied to secondary fields.
//!
//! Rules compose into named analyzers ([`pipeline`]) that `index-config/analyzers.toml`
//! describes; the data they use (stop words, lexicon, synonyms) is reviewed text in
//! `index-config/sv/`, loaded through [`Resources`]. Query-time synonym expansion lives in
//! [`synonyms`], because it rewrites queries rather than tokens.
//!
//! This crate knows nothing of documents or indexes: it only maps text to tokens.

pub mod decompound;
pub mod fold;
pub mod grams;
pub mod memo;
pub mod normalise;
pub mod pipeline;
pub mod resources;
pub mod rule;
pub mod stem;
pub mod stop_words;
pub mod synonyms;

pub use decompound::{DecompoundMode, Decompounder, Lexicon};
pub use fold::AsciiFold;
pub use grams::{phrase_terms, CommonGrams};
pub use normalise::SwedishNormaliser;
pub use pipeline::{AnalyzerSpec, PipelineError};
pub use resources::Resources;
pub use rule::{RuleFilter, TokenRule};
pub use stem::Stem;
pub use stop_words::StopWords;
pub use synonyms::Synonyms;
pub use tantivy::tokenizer::{TextAnalyzer, Token};

/// Identifies the analysis code and the pinned stemmer. It is recorded in every index together
/// with a fingerprint of the configuration, so that an index built by other rules is rebuilt
/// rather than silently searched with mismatched tokens.
pub const ANALYSIS_VERSION: &str = "namndsok-analysis-1+frostem-1.20260821.8";

/// All tokens a text produces through an analyzer, in order.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        tokens.push(stream.token().clone());
    }
    tokens
}

/// The token texts only: handy in tests and for `namndsok analyze`.
pub fn token_texts(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    tokens(analyzer, text).into_iter().map(|token| token.text).collect()
}
