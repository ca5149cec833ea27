//! The typed [`SearchRequest`] the index answers, with its limits.
//!
//! The HTTP side (query parameters, cursors, parameter errors) belongs to the server
//! (`namndsok-server`'s `params.rs`, which the JSON API, the Atom feed and the web page use).
//! The copy of it below ([`SearchRequest::from_pairs`], the cursor encoding, [`ParamError`])
//! remains only for the callers not yet moved off it: the alerts matcher (stored query
//! strings), the index's own tests and the benches; delete it when they are.

use chrono::NaiveDate;
use namndsok_model::{Kind, OrganisationKind, Registry};

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
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

/// A rejected parameter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParamError {
    pub parameter: String,
    pub message: String,
}

fn bad(parameter: &str, message: impl Into<String>) -> ParamError {
    ParamError { parameter: parameter.to_string(), message: message.into() }
}

/// Parameters a search accepts.
pub const SEARCH_PARAMETERS: &[&str] =
    &["q", "kommun", "lan", "kind", "organ", "from", "to", "sort", "limit", "cursor"];

impl SearchRequest {
    /// A request for a query with defaults for everything else.
    pub fn query(q: &str) -> SearchRequest {
        SearchRequest { q: q.to_string(), limit: DEFAULT_LIMIT, ..SearchRequest::default() }
    }

    /// Parses decoded `key=value` pairs. `extra_allowed` names parameters the caller handles
    /// itself (the web page's own), which are skipped rather than rejected.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        registry: &Registry,
        extra_allowed: &[&str],
    ) -> Result<SearchRequest, ParamError> {
        let mut request = SearchRequest { limit: DEFAULT_LIMIT, ..SearchRequest::default() };
        let mut cursor = None;
        let mut seen_single = std::collections::HashSet::new();
        for (key, value) in pairs {
            let value = value.trim();
            let single = matches!(key, "q" | "from" | "to" | "sort" | "limit" | "cursor");
            if single && !seen_single.insert(key) {
                return Err(bad(key, format!("`{key}` may only be given once")));
            }
            match key {
                "q" => {
                    if value.chars().count() > MAX_QUERY_CHARS {
                        return Err(bad("q", format!("the query is longer than {MAX_QUERY_CHARS} characters")));
                    }
                    request.q = value.to_string();
                }
                "kommun" => {
                    if value.is_empty() {
                        continue;
                    }
                    if registry.by_code(value).is_none() {
                        return Err(bad("kommun", format!("unknown kommunkod or länskod {value:?}")));
                    }
                    request.kommun.push(value.to_string());
                }
                "lan" => {
                    if value.is_empty() {
                        continue;
                    }
                    if !registry.by_code(value).is_some_and(|o| o.kind == OrganisationKind::Region) {
                        return Err(bad(
                            "lan",
                            format!("`lan` must be a länskod (two digits, e.g. 14), got {value:?}"),
                        ));
                    }
                    request.lan.push(value.to_string());
                }
                "kind" => {
                    if value.is_empty() {
                        continue;
                    }
                    let kind = Kind::parse(value)
                        .ok_or_else(|| bad("kind", format!("unknown kind {value:?} (arende, anslag or protokoll)")))?;
                    request.kind.push(kind);
                }
                "organ" => {
                    if !value.is_empty() {
                        request.organ.push(value.to_string());
                    }
                }
                "from" | "to" => {
                    if value.is_empty() {
                        continue;
                    }
                    let date = parse_date(value)
                        .ok_or_else(|| bad(key, format!("`{key}` must be a date YYYY-MM-DD, got {value:?}")))?;
                    if key == "from" {
                        request.from = Some(date);
                    } else {
                        request.to = Some(date);
                    }
                }
                "sort" => {
                    request.sort = match value {
                        "" | "relevance" => Sort::Relevance,
                        "date_desc" => Sort::DateDesc,
                        "date_asc" => Sort::DateAsc,
                        _ => {
                            return Err(bad(
                                "sort",
                                format!("unknown sort {value:?} (relevance, date_desc or date_asc)"),
                            ))
                        }
                    }
                }
                "limit" => {
                    let limit: usize = value
                        .parse()
                        .map_err(|_| bad("limit", format!("`limit` must be a number 1–{MAX_LIMIT}, got {value:?}")))?;
                    if !(1..=MAX_LIMIT).contains(&limit) {
                        return Err(bad("limit", format!("`limit` must be 1–{MAX_LIMIT}, got {limit}")));
                    }
                    request.limit = limit;
                }
                "cursor" => {
                    if !value.is_empty() {
                        cursor = Some(value.to_string());
                    }
                }
                other if extra_allowed.contains(&other) => {}
                other => {
                    return Err(bad(
                        other,
                        format!("unknown parameter `{other}` (accepted: {})", SEARCH_PARAMETERS.join(", ")),
                    ))
                }
            }
        }
        if let (Some(from), Some(to)) = (request.from, request.to) {
            if from > to {
                return Err(bad("from", format!("`from` ({from}) is after `to` ({to})")));
            }
        }
        if let Some(cursor) = cursor {
            request.offset = decode_cursor(&cursor, request.signature())
                .ok_or_else(|| bad("cursor", "the cursor is invalid or belongs to another search"))?;
        }
        Ok(request)
    }

    /// A hash of everything that defines the result list (not the page), so a cursor is only
    /// accepted by the search that issued it.
    pub fn signature(&self) -> u32 {
        let mut hash: u32 = 0x811c_9dc5;
        let mut feed = |text: &str| {
            for byte in text.bytes().chain([0xff]) {
                hash ^= u32::from(byte);
                hash = hash.wrapping_mul(0x0100_0193);
            }
        };
        feed(&self.q);
        self.kommun.iter().for_each(|k| feed(k));
        feed("|");
        self.lan.iter().for_each(|l| feed(l));
        feed("|");
        self.kind.iter().for_each(|k| feed(k.as_str()));
        feed("|");
        self.organ.iter().for_each(|o| feed(o));
        feed(&self.from.map(|d| d.to_string()).unwrap_or_default());
        feed(&self.to.map(|d| d.to_string()).unwrap_or_default());
        feed(self.sort.as_str());
        hash
    }

    /// The cursor for the page after this one, if the results go on.
    pub fn next_cursor(&self, total: usize) -> Option<String> {
        let next = self.offset + self.limit;
        (next < total && next <= MAX_OFFSET).then(|| encode_cursor(next, self.signature()))
    }
}

/// A cursor that starts this search at `offset` (links to earlier pages).
pub fn cursor_for_offset(request: &SearchRequest, offset: usize) -> String {
    encode_cursor(offset.min(MAX_OFFSET), request.signature())
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    (text.len() == 10).then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()).flatten()
}

/// `c1.<offset hex>.<signature hex>`: opaque to clients, checked on the way back.
fn encode_cursor(offset: usize, signature: u32) -> String {
    format!("c1.{offset:x}.{signature:08x}")
}

fn decode_cursor(cursor: &str, signature: u32) -> Option<usize> {
    let mut parts = cursor.strip_prefix("c1.")?.split('.');
    let offset = usize::from_str_radix(parts.next()?, 16).ok()?;
    let found = u32::from_str_radix(parts.next()?, 16).ok()?;
    (parts.next().is_none() && found == signature && offset <= MAX_OFFSET).then_some(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<SearchRequest, ParamError> {
        SearchRequest::from_pairs(pairs.iter().copied(), Registry::global(), &[])
    }

    #[test]
    fn accepts_every_contract_parameter() {
        let request = parse(&[
            ("q", "batterifabrik"),
            ("kommun", "1493"),
            ("kommun", "1480"),
            ("lan", "14"),
            ("kind", "arende"),
            ("kind", "anslag"),
            ("organ", "Kommunstyrelsen"),
            ("from", "2020-01-01"),
            ("to", "2024-12-31"),
            ("sort", "date_desc"),
            ("limit", "50"),
        ])
        .unwrap();
        assert_eq!(request.kommun, ["1493", "1480"]);
        assert_eq!(request.kind, [Kind::Arende, Kind::Anslag]);
        assert_eq!(request.sort, Sort::DateDesc);
        assert_eq!(request.limit, 50);
    }

    #[test]
    fn rejects_bad_parameters_by_name() {
        for (pairs, parameter) in [
            (&[("kommun", "9999")][..], "kommun"),
            (&[("lan", "1493")][..], "lan"),
            (&[("kind", "beslut")][..], "kind"),
            (&[("from", "2020-13-01")][..], "from"),
            (&[("to", "igår")][..], "to"),
            (&[("sort", "random")][..], "sort"),
            (&[("limit", "0")][..], "limit"),
            (&[("limit", "101")][..], "limit"),
            (&[("limit", "ten")][..], "limit"),
            (&[("cursor", "garbage")][..], "cursor"),
            (&[("colour", "red")][..], "colour"),
            (&[("q", "a"), ("q", "b")][..], "q"),
            (&[("from", "2024-01-02"), ("to", "2024-01-01")][..], "from"),
        ] {
            assert_eq!(parse(pairs).unwrap_err().parameter, parameter, "{pairs:?}");
        }
    }

    #[test]
    fn a_cursor_only_works_for_its_own_search() {
        let first = parse(&[("q", "skola"), ("limit", "10")]).unwrap();
        let cursor = first.next_cursor(100).unwrap();
        let second = parse(&[("q", "skola"), ("limit", "10"), ("cursor", &cursor)]).unwrap();
        assert_eq!(second.offset, 10);
        assert!(parse(&[("q", "förskola"), ("cursor", &cursor)]).is_err());
        assert_eq!(first.next_cursor(10), None);
    }
}
