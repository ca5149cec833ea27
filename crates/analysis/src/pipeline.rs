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
//! | `common_grams_sv` | [`crate::CommonGrams`]: stop words only in bigrams (`beslut_om`); last |

use std::sync::Arc;

use serde::Deserialize;
use tantivy::tokenizer::{
    RawTokenizer, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer, WhitespaceTokenizer,
};

use crate::decompound::{DecompoundMode, Decompounder};
use crate::fold::AsciiFold;
use crate::grams::CommonGrams;
use crate::memo::{FxHashMap, Memo};
use crate::normalise::SwedishNormaliser;
use crate::resources::Resources;
use crate::rule::TokenRule;
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
    /// Builds the analyzer: the tokenizer, then every filter as one memoised [`Chain`].
    pub fn build(&self, resources: &Resources) -> Result<TextAnalyzer, PipelineError> {
        let builder = match self.tokenizer.as_str() {
            "simple" => TextAnalyzer::builder(SimpleTokenizer::default()).dynamic(),
            "whitespace" => TextAnalyzer::builder(WhitespaceTokenizer::default()).dynamic(),
            "raw" => TextAnalyzer::builder(RawTokenizer::default()).dynamic(),
            other => return Err(PipelineError::UnknownTokenizer(other.to_string())),
        };
        if self.filters.is_empty() {
            return Ok(builder.build());
        }
        // `common_grams_sv` looks at the next token too, so it is not a per-token step: it
        // comes last, after the chain.
        let (filters, grams) = match self.filters.split_last() {
            Some((last, rest)) if last == "common_grams_sv" => (rest, true),
            _ => (self.filters.as_slice(), false),
        };
        if filters.iter().any(|name| name == "common_grams_sv") {
            return Err(PipelineError::UnknownFilter("common_grams_sv (it must be the last filter)".into()));
        }
        let steps = filters
            .iter()
            .map(|name| {
                Ok(match name.as_str() {
                    "lowercase" => Step::Lowercase,
                    "remove_long" => Step::RemoveLong,
                    other => Step::Rule(rule_by_name(other, resources)?),
                })
            })
            .collect::<Result<Vec<Step>, PipelineError>>()?;
        let chained = builder.filter_dynamic(ChainFilter { steps: Arc::new(steps), shared: Arc::new(Memo::default()) });
        Ok(if grams {
            chained.filter_dynamic(CommonGrams::new(resources.stop_words.clone())).build()
        } else {
            chained.build()
        })
    }
}

/// Tokens of `remove_long` at or over this many bytes are dropped (ids, base64, garbage).
const LONG_TOKEN_BYTES: usize = 64;

enum Step {
    /// As tantivy's `LowerCaser`: every character lowercased.
    Lowercase,
    /// As tantivy's `RemoveLongFilter::limit(64)`.
    RemoveLong,
    Rule(Arc<dyn TokenRule>),
}

/// An analyzer's filters applied in order to each token, with the result remembered per token
/// text. Every step is token-local (a [`TokenRule`] sees one token only), so the texts a token
/// turns into depend on its text alone; positions and offsets are the token's own. Council
/// text repeats a few thousand words endlessly, so most tokens are one hash lookup instead of
/// lowercasing, stop words, lemmatising, stemming and compound splitting.
///
/// Each tokenizer instance (tantivy clones one per indexing thread and segment, the search one
/// per query) owns a memo, so most lookups take no lock; it is emptied when it reaches
/// [`MEMO_ENTRIES`]. Behind it, a bounded memo shared by all clones of the analyzer keeps what
/// earlier instances learnt, so a query's fresh clone (highlighting whole protokoll) starts warm.
#[derive(Clone)]
struct ChainFilter {
    steps: Arc<Vec<Step>>,
    shared: Arc<Memo<Arc<[String]>>>,
}

/// Token texts remembered per tokenizer instance before the memo is emptied.
const MEMO_ENTRIES: usize = 200_000;

impl TokenFilter for ChainFilter {
    type Tokenizer<T: Tokenizer> = ChainTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ChainTokenizer<T> {
        ChainTokenizer { inner: tokenizer, steps: self.steps, shared: self.shared, memo: FxHashMap::default() }
    }
}

struct ChainTokenizer<T> {
    inner: T,
    steps: Arc<Vec<Step>>,
    shared: Arc<Memo<Arc<[String]>>>,
    memo: FxHashMap<Box<str>, Arc<[String]>>,
}

impl<T: Clone> Clone for ChainTokenizer<T> {
    /// A clone starts with an empty memo (clones are made per thread and per query).
    fn clone(&self) -> Self {
        ChainTokenizer {
            inner: self.inner.clone(),
            steps: self.steps.clone(),
            shared: self.shared.clone(),
            memo: FxHashMap::default(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for ChainTokenizer<T> {
    type TokenStream<'a> = ChainTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ChainTokenStream {
            steps: &self.steps,
            shared: &self.shared,
            memo: &mut self.memo,
            tail: self.inner.token_stream(text),
            texts: Arc::from(Vec::new()),
            next: 0,
            current: Token::default(),
        }
    }
}

struct ChainTokenStream<'a, T> {
    steps: &'a [Step],
    shared: &'a Memo<Arc<[String]>>,
    memo: &'a mut FxHashMap<Box<str>, Arc<[String]>>,
    tail: T,
    /// What the current source token turned into, and the next of them to emit.
    texts: Arc<[String]>,
    next: usize,
    current: Token,
}

impl<T: TokenStream> TokenStream for ChainTokenStream<'_, T> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(text) = self.texts.get(self.next) {
                self.current.text.clone_from(text);
                self.next += 1;
                return true;
            }
            if !self.tail.advance() {
                return false;
            }
            let source = self.tail.token();
            self.texts = match self.memo.get(source.text.as_str()) {
                Some(texts) => texts.clone(),
                None => {
                    let steps = self.steps;
                    let texts =
                        self.shared.get_or_insert_with(&source.text, |text| Arc::from(apply_steps(steps, text)));
                    if self.memo.len() >= MEMO_ENTRIES {
                        self.memo.clear();
                    }
                    self.memo.insert(source.text.as_str().into(), texts.clone());
                    texts
                }
            };
            self.next = 0;
            self.current.offset_from = source.offset_from;
            self.current.offset_to = source.offset_to;
            self.current.position = source.position;
            self.current.position_length = source.position_length;
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// The texts one token's text turns into through `steps`.
fn apply_steps(steps: &[Step], text: &str) -> Vec<String> {
    let mut tokens = vec![Token { text: text.to_string(), ..Token::default() }];
    let mut next = Vec::new();
    for step in steps {
        match step {
            Step::Lowercase => {
                for token in &mut tokens {
                    token.text = token.text.chars().flat_map(char::to_lowercase).collect();
                }
            }
            Step::RemoveLong => tokens.retain(|token| token.text.len() < LONG_TOKEN_BYTES),
            Step::Rule(rule) => {
                for token in &tokens {
                    rule.apply(token, &mut next);
                }
                std::mem::swap(&mut tokens, &mut next);
                next.clear();
            }
        }
        if tokens.is_empty() {
            break;
        }
    }
    tokens.into_iter().map(|token| token.text).collect()
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

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{LowerCaser, RemoveLongFilter};

    use super::*;
    use crate::resources::ConfigFiles;
    use crate::rule::RuleFilter;

    /// The filters as separate tantivy filters, no memo: what [`Chain`] must reproduce.
    fn unmemoised(spec: &AnalyzerSpec, resources: &Resources) -> TextAnalyzer {
        let mut builder = TextAnalyzer::builder(SimpleTokenizer::default()).dynamic();
        for name in &spec.filters {
            builder = match name.as_str() {
                "lowercase" => builder.filter_dynamic(LowerCaser),
                "remove_long" => builder.filter_dynamic(RemoveLongFilter::limit(LONG_TOKEN_BYTES)),
                "common_grams_sv" => builder.filter_dynamic(CommonGrams::new(resources.stop_words.clone())),
                other => builder.filter_dynamic(RuleFilter::new(rule_by_name(other, resources).unwrap())),
            };
        }
        builder.build()
    }

    fn all(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        crate::tokens(analyzer, text).into_iter().map(|t| (t.text, t.position, t.offset_from, t.offset_to)).collect()
    }

    #[test]
    fn the_memoised_chain_equals_the_filters_one_by_one() {
        let resources = Resources::load(ConfigFiles::bundled());
        let specs: std::collections::BTreeMap<String, std::collections::BTreeMap<String, AnalyzerSpec>> =
            toml::from_str(resources.files.get("analyzers.toml")).unwrap();
        let text = "Batterifabrikens DETALJPLAN för Näsbyparksskolan och förskolorna i Luleås centrum; \
                    Kommunstyrelsen beslutar om Solcellsparken. ÅTERVINNINGSCENTRALEN the factories \
                    Bebauungspläne kunnanhallitus aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \
                    ΣΟΦΟΣ İstanbul";
        for (name, spec) in &specs["analyzers"] {
            if spec.tokenizer != "simple" {
                continue;
            }
            let mut memoised = spec.build(&resources).unwrap();
            let mut reference = unmemoised(spec, &resources);
            let expected = all(&mut reference, text);
            // Twice: the second pass answers from the memo.
            assert_eq!(all(&mut memoised, text), expected, "{name}");
            assert_eq!(all(&mut memoised, text), expected, "{name}");
        }
    }
}
