//! Search parameters as `GET /api/v1/search` takes them, validated into the index's typed
//! [`SearchRequest`], and the opaque paging cursors of the API.
//!
//! This is the HTTP side of a search: the index knows nothing of query strings or cursors.
//! Shared by the JSON API, the Atom feed and the web page so all accept exactly the same
//! language. A bad or unknown parameter is an error naming the parameter, never silently
//! ignored.

use std::collections::HashSet;

use chrono::NaiveDate;
use namndsok_index::request::{DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS, MAX_QUERY_WORDS};
use namndsok_index::{SearchRequest, Sort};
use namndsok_model::{Kind, OrganisationKind, Registry};

use crate::ApiError;

/// Parameters a search accepts.
pub const SEARCH_PARAMETERS: &[&str] =
    &["q", "kommun", "lan", "kind", "organ", "from", "to", "sort", "limit", "cursor"];

/// A rejected parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub parameter: String,
    pub message: String,
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParamError {}

impl From<ParamError> for ApiError {
    fn from(error: ParamError) -> ApiError {
        ApiError::invalid_parameter(error.message)
    }
}

fn bad(parameter: &str, message: impl Into<String>) -> ParamError {
    ParamError { parameter: parameter.to_string(), message: message.into() }
}

/// Decodes a query string (repeatable parameters kept in order).
pub fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// Parses decoded `key=value` pairs. `extra_allowed` names parameters the caller handles
/// itself, which are skipped rather than rejected.
pub fn parse_search<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    registry: &Registry,
    extra_allowed: &[&str],
) -> Result<SearchRequest, ParamError> {
    let mut request = SearchRequest { limit: DEFAULT_LIMIT, ..SearchRequest::default() };
    let mut cursor = None;
    let mut seen_single = HashSet::new();
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
                let words = value
                    .split(|c: char| c.is_whitespace() || c == '"')
                    .filter(|word| word.chars().any(char::is_alphanumeric) && *word != "OR")
                    .count();
                if words > MAX_QUERY_WORDS {
                    return Err(bad("q", format!("the query has {words} words, more than {MAX_QUERY_WORDS}")));
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
                    return Err(bad("lan", format!("`lan` must be a länskod (two digits, e.g. 14), got {value:?}")));
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
                    _ => return Err(bad("sort", format!("unknown sort {value:?} (relevance, date_desc or date_asc)"))),
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
        request.offset = decode_cursor(&cursor, signature(&request))
            .ok_or_else(|| bad("cursor", "the cursor is invalid or belongs to another search"))?;
    }
    Ok(request)
}

/// A hash of everything that defines the result list (not the page), so a cursor is only
/// accepted by the search that issued it.
pub fn signature(request: &SearchRequest) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    let mut feed = |text: &str| {
        for byte in text.bytes().chain([0xff]) {
            hash ^= u32::from(byte);
            hash = hash.wrapping_mul(0x0100_0193);
        }
    };
    feed(&request.q);
    request.kommun.iter().for_each(|k| feed(k));
    feed("|");
    request.lan.iter().for_each(|l| feed(l));
    feed("|");
    request.kind.iter().for_each(|k| feed(k.as_str()));
    feed("|");
    request.organ.iter().for_each(|o| feed(o));
    feed(&request.from.map(|d| d.to_string()).unwrap_or_default());
    feed(&request.to.map(|d| d.to_string()).unwrap_or_default());
    feed(request.sort.as_str());
    hash
}

/// The cursor for the page after `request`'s, if the results (`total` hits) go on.
pub fn next_cursor(request: &SearchRequest, total: usize) -> Option<String> {
    let next = request.offset + request.limit;
    (next < total && next <= MAX_OFFSET).then(|| encode_cursor(next, signature(request)))
}

/// A cursor that starts this search at `offset` (links to earlier pages).
pub fn cursor_for_offset(request: &SearchRequest, offset: usize) -> String {
    encode_cursor(offset.min(MAX_OFFSET), signature(request))
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
        parse_search(pairs.iter().copied(), Registry::global(), &[])
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
        // Too many words for one query: a clear 400, not minutes of query expansion.
        let many = vec!["skola"; MAX_QUERY_WORDS + 1].join(" ");
        let error = parse(&[("q", &many)]).unwrap_err();
        assert_eq!(error.parameter, "q");
        assert!(error.message.contains("more than 32"), "{}", error.message);
        let allowed = format!("{} OR \"a b\"", vec!["skola"; MAX_QUERY_WORDS - 2].join(" "));
        assert!(parse(&[("q", &allowed)]).is_ok());
    }

    #[test]
    fn a_cursor_only_works_for_its_own_search() {
        let first = parse(&[("q", "skola"), ("limit", "10")]).unwrap();
        let cursor = next_cursor(&first, 100).unwrap();
        let second = parse(&[("q", "skola"), ("limit", "10"), ("cursor", &cursor)]).unwrap();
        assert_eq!(second.offset, 10);
        assert!(parse(&[("q", "förskola"), ("cursor", &cursor)]).is_err());
        assert_eq!(next_cursor(&first, 10), None);
        assert_eq!(cursor_for_offset(&first, 10), cursor);
    }
}
