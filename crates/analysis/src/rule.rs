//! One mechanism for every analysis step: a [`TokenRule`] maps one token to zero or more tokens,
//! and [`RuleFilter`] makes any rule a tantivy `TokenFilter`.
//!
//! Rules that emit several tokens (a word and its compound parts) give them the position and
//! offsets of the original, so phrase queries and highlighting keep working.

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// One analysis step.
pub trait TokenRule: Send + Sync + 'static {
    /// A short stable name, as used in `index-config/analyzers.toml`.
    fn name(&self) -> &'static str;

    /// Pushes the tokens that replace `token` onto `out`; pushing none drops the token.
    fn apply(&self, token: &Token, out: &mut Vec<Token>);
}

/// Adapts a [`TokenRule`] to tantivy's filter interface.
#[derive(Clone)]
pub struct RuleFilter {
    rule: Arc<dyn TokenRule>,
}

impl RuleFilter {
    pub fn new(rule: Arc<dyn TokenRule>) -> RuleFilter {
        RuleFilter { rule }
    }
}

impl TokenFilter for RuleFilter {
    type Tokenizer<T: Tokenizer> = RuleTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RuleTokenizer<T> {
        RuleTokenizer { rule: self.rule, inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct RuleTokenizer<T> {
    rule: Arc<dyn TokenRule>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for RuleTokenizer<T> {
    type TokenStream<'a> = RuleTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RuleTokenStream {
            rule: &*self.rule,
            tail: self.inner.token_stream(text),
            pending: Vec::new(),
            scratch: Vec::new(),
            current: Token::default(),
        }
    }
}

pub struct RuleTokenStream<'a, T> {
    rule: &'a dyn TokenRule,
    tail: T,
    /// Tokens still to emit, last one first.
    pending: Vec<Token>,
    scratch: Vec<Token>,
    current: Token,
}

impl<T: TokenStream> TokenStream for RuleTokenStream<'_, T> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(token) = self.pending.pop() {
                self.current = token;
                return true;
            }
            if !self.tail.advance() {
                return false;
            }
            self.scratch.clear();
            self.rule.apply(self.tail.token(), &mut self.scratch);
            self.pending.extend(self.scratch.drain(..).rev());
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// A copy of `token` with other text: same position and offsets.
pub fn with_text(token: &Token, text: impl Into<String>) -> Token {
    Token { text: text.into(), ..token.clone() }
}
