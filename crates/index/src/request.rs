//! The typed [`SearchRequest`] the index answers, with its limits.
//!
//! The HTTP side (query parameters, cursors, parameter errors) belongs to the server
//! (`namndsok-server`'s `params.rs`, which the JSON API, the Atom feed and the web page use);
//! saved searches keep a typed query of their own (`namndsok_alerts::SavedQuery`).

use chrono::NaiveDate;
use namndsok_model::Kind;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    DateDesc,
    DateAsc,
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::DateDesc => "date_desc",
            Sort::DateAsc => "date_asc",
        }
    }
}

pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;
/// Deepest hit a cursor may reach; deeper paging should narrow the search instead.
pub const MAX_OFFSET: usize = 10_000;
/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most words (and phrases' words, and fields) in a query: each word expands into up to ~30
/// terms, so this bounds the work one query can ask for.
pub const MAX_QUERY_WORDS: usize = 32;

/// How a search matches, beyond what the request asks for. The HTTP API always uses the
/// defaults; alerts and benchmarks choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchOptions {
    /// A word may match within one or two edits when exact matching finds fewer than
    /// `[ranking] fuzzy_below` hits (and always a word the index lacks). Default on.
    pub typo_tolerance: bool,
    /// Every word must match, whatever the order (date-sorted searches always require it).
    /// Default off: relevance order lists documents matching most words below those matching
    /// all.
    pub every_word: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { typo_tolerance: true, every_word: false }
    }
}

/// A validated search.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchRequest {
    pub q: String,
    pub kommun: Vec<String>,
    pub lan: Vec<String>,
    pub kind: Vec<Kind>,
    pub organ: Vec<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub sort: Sort,
    pub limit: usize,
    /// Hits to skip (decoded from the cursor).
    pub offset: usize,
    pub options: SearchOptions,
}

impl SearchRequest {
    /// A request for a query with defaults for everything else.
    pub fn query(q: &str) -> SearchRequest {
        SearchRequest { q: q.to_string(), limit: DEFAULT_LIMIT, ..SearchRequest::default() }
    }
}
