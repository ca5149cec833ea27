//! Named analyzers built from specs in `index-config/analyzers.toml`.
//!
//! A spec names a tokenizer and a list of filters; every filter name maps to one rule:
//!
//! | name | rule |
//! |---|---|
//! | `lowercase` | tantivy's `LowerCaser` |
//! | `remove_long` | drops tokens over 64 bytes (ids, base64, garbage) |
//! | `stop_sv` | [`crate::StopWords`] from `sv/stopwords.txt` |
//! | `normalise_sv` | [`crate::SwedishNormaliser`]: definite forms and vowel genitives |
//! | `stem_sv`, `stem_en`, `stem_fi`, `stem_no`, `stem_da`, `stem_de` | [`crate::Stem`] |
//! | `ascii_fold` | [`crate::AsciiFold`] |
//! | `decompound_parts` | [`crate::Decompounder`], parts of compounds only |
//! | `decompound_with_whole` | [`crate::Decompounder`], every word plus its parts |

use std::sync::Arc;

use serde::Deserialize;
use tantivy::tokenizer::{
    LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, WhitespaceTokenizer,
};

use crate::decompound::{DecompoundMode, Decompounder};
use crate::fold::AsciiFold;
use crate::normalise::SwedishNormaliser;
use crate::resources::Resources;
use crate::rule::{RuleFilter, TokenRule};
use crate::stem::Stem;

/// One analyzer as written in `analyzers.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AnalyzerSpec {
    /// What the analyzer is for, for the next person tuning it.
    #[serde(default)]
    pub description: String,
    /// `simple` (letters and digits), `whitespace` or `raw` (the whole value as one token).
    pub tokenizer: String,
    #[serde(default)]
    pub filters: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PipelineError {
    #[error("unknown tokenizer {0:?} (expected simple, whitespace or raw)")]
    UnknownTokenizer(String),
    #[error("unknown filter {0:?}")]
    UnknownFilter(String),
}

impl AnalyzerSpec {
    /// Builds the analyzer.
    pub fn build(&self, resources: &Resources) -> Result<TextAnalyzer, PipelineError> {
        let mut builder = match self.tokenizer.as_str() {
            "simple" => TextAnalyzer::builder(SimpleTokenizer::default()).dynamic(),
            "whitespace" => TextAnalyzer::builder(WhitespaceTokenizer::default()).dynamic(),
            "raw" => TextAnalyzer::builder(RawTokenizer::default()).dynamic(),
            other => return Err(PipelineError::UnknownTokenizer(other.to_string())),
        };
        for name in &self.filters {
            builder = match name.as_str() {
                "lowercase" => builder.filter_dynamic(LowerCaser),
                "remove_long" => builder.filter_dynamic(RemoveLongFilter::limit(64)),
                other => builder.filter_dynamic(RuleFilter::new(rule_by_name(other, resources)?)),
            };
        }
        Ok(builder.build())
    }
}

/// The rule behind a filter name.
pub fn rule_by_name(name: &str, resources: &Resources) -> Result<Arc<dyn TokenRule>, PipelineError> {
    Ok(match name {
        "stop_sv" => Arc::new(StopWordsRule(resources.stop_words.clone())),
        "normalise_sv" => Arc::new(SwedishNormaliser::new(resources.lexicon.clone())),
        "ascii_fold" => Arc::new(AsciiFold),
        "decompound_parts" => Arc::new(Decompounder::new(
            resources.lexicon.clone(),
            DecompoundMode::PartsOnly,
            Some(resources.stop_words.clone()),
        )),
        "decompound_with_whole" => Arc::new(Decompounder::new(
            resources.lexicon.clone(),
            DecompoundMode::WithWhole,
            Some(resources.stop_words.clone()),
        )),
        other => match Stem::by_name(other) {
            Some(stem) => Arc::new(stem),
            None => return Err(PipelineError::UnknownFilter(other.to_string())),
        },
    })
}

/// Shares one stop word list between analyzers.
struct StopWordsRule(Arc<crate::StopWords>);

impl TokenRule for StopWordsRule {
    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn apply(&self, token: &tantivy::tokenizer::Token, out: &mut Vec<tantivy::tokenizer::Token>) {
        self.0.apply(token, out)
    }
}
