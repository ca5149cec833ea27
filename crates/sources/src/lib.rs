//! Source adapters: the platforms Swedish kommuner publish on, parsed into Document JSON v1.
//!
//! # What this crate is
//!
//! Every kommun publishes its anslagstavla and diarium through one of a handful of platforms —
//! Sitevision pages with embedded JSON, Netpublicator's JSONP, Formpipe Meetings Plus' REST API,
//! Ciceron's JSON-RPC, WordPress' REST API — and each platform has its own payloads and quirks.
//! This crate holds one module per platform, laid out like Quickwit's `source/` directory:
//! [`meetingsplus`], [`netpublicator`], [`ciceron`], [`sitevision`], [`wordpress`] and
//! [`file`](mod@file) (local NDJSON). Each module holds the platform's whole story, with regular
//! names: its catalogue params (`SitevisionParams`), its adapter (`SitevisionSource`), and the
//! pure parsers the adapter calls, tested against recorded payloads — the real samples where we
//! have them, faithful re-creations of the documented shapes where we do not.
//!
//! # Why it is shaped so: one extension point
//!
//! A platform is two small trait implementations ([`adapter`]): [`PlatformParams`] (the fields
//! of its `[[source]]` table, checked, and the adapter they start) and [`SourceAdapter`] (a
//! pass over one source as a conversation of pure steps: request → reply → documents, raw item
//! ids, next request). [`platform`] registers every platform once, in one list that yields
//! [`Platform`] and the catalogue's serde enum [`SourceParams`]. The harvester drives every
//! adapter with the same loop and knows no platform by name, so adding a platform is one file
//! and one line in that list.
//!
//! # What it deliberately does not do
//!
//! It never opens a socket, sleeps, reads the clock or touches the index: rate limits, retries,
//! sessions on the wire, scheduling and change detection are `namndsok-harvest`'s, and the day
//! of a pass comes in through [`PassContext`]. It renders no HTML and parses no pages beyond the
//! fragments platforms embed: tags are stripped and entities decoded by [`text`] (entities
//! through `htmlize`, which knows every HTML5 name and the Windows-1252 remap).
//!
//! # Two kinds of failure
//!
//! A parser states what it expects and fails loudly when a site changes. A payload that is not
//! what the platform sends — an HTML error page where JSON was due, a truncated body, a JSON-RPC
//! error, an object where an array belongs — is a [`SourceError`]: the whole call failed and the
//! harvester must not mistake it for "the anslagstavla is empty now" (which would look like every
//! notice being taken down). A payload of the right shape with one bad item is *not* an error:
//! that item lands in [`ParseOutcome::rejected`] with its id and a reason, and the others are
//! parsed, so one malformed notice never hides the rest.
//!
//! # One gate, one privacy rule
//!
//! Every document leaves this crate through [`namndsok_model::Document::from_json_object`], the
//! same gate the importer uses, so a parser cannot produce a document the index would refuse.
//! Before that gate, [`text::redact_personnummer`] runs over every text field of every document
//! (title, body, organ, diarienummer), because a public document is not automatically fit for
//! republication.
//!
//! # Stable identities
//!
//! A document's id is `{kommunkod}-{platform}-{item id}` ([`text::document_id`]), built from the
//! platform's own stable key (a GUID, a notice id, a page URI, a diarienummer), never from a
//! position in a result list, so that re-harvesting upserts instead of duplicating.
//!
//! # The catalogue
//!
//! [`catalogue`] reads `index-config/sources.toml`: which kommun uses which platform at which base
//! URL (always configurable, so a test server can stand in for the real site), validated strictly
//! (unknown fields are errors) so that a typo is an error at start-up rather than a silently
//! empty source.
//!
//! # Module dependencies
//!
//! `text` and the crate root (contexts, outcomes, errors) are the bottom; `adapter` builds on
//! them; the platform modules on `adapter`; `platform` (the registry) on the platform modules;
//! `catalogue` on the registry. No module depends on one above it.

pub mod adapter;
pub mod catalogue;
pub mod ciceron;
mod draft;
pub mod file;
pub mod meetingsplus;
pub mod netpublicator;
pub mod platform;
pub mod sitevision;
pub mod text;
pub mod wordpress;

pub use adapter::{PassContext, PlatformParams, Reply, Request, SourceAdapter, Step};
pub use catalogue::{Catalogue, CatalogueError, SourceConfig};
pub use platform::{Platform, SourceParams};

use serde_json::Value;

/// Which source a payload came from: what every parser needs to turn items into documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceContext {
    /// The catalogue id of the source (`ange-meetingsplus`), used in log messages.
    pub source_id: String,
    /// The kommunkod (or länskod) every document of this source belongs to.
    pub kommun_kod: String,
    /// The platform's name ([`Platform::as_str`]): part of every document id, and the
    /// documents' `source` field.
    pub platform: &'static str,
    /// The base URL the payload was fetched from, without a trailing slash; links in the
    /// documents are built from it.
    pub base_url: String,
}

impl SourceContext {
    pub fn new(
        source_id: impl Into<String>,
        kommun_kod: impl Into<String>,
        platform: &'static str,
        base_url: impl Into<String>,
    ) -> SourceContext {
        SourceContext {
            source_id: source_id.into(),
            kommun_kod: kommun_kod.into(),
            platform,
            base_url: base_url.into().trim_end_matches('/').to_string(),
        }
    }
}

/// What one payload yielded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParseOutcome {
    /// Valid, redacted documents.
    pub documents: Vec<namndsok_model::Document>,
    /// The platform's raw id of each document, in the same order: what detail calls are made
    /// with ([`SourceAdapter::detail_request`]).
    pub item_ids: Vec<String>,
    /// Items of a well-formed payload that could not become documents, with the reason.
    pub rejected: Vec<RejectedItem>,
    /// Where the next call starts, when there is more: the page number for Meetings Plus and
    /// WordPress, the item offset for Netpublicator and Ciceron. `None` on the last page.
    pub next_page: Option<u32>,
}

/// One item that was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedItem {
    /// The platform's id of the item, when it could be read.
    pub item_id: Option<String>,
    pub reason: String,
}

impl ParseOutcome {
    pub(crate) fn push(&mut self, item_id: String, document: namndsok_model::Document) {
        self.item_ids.push(item_id);
        self.documents.push(document);
        debug_assert_eq!(self.item_ids.len(), self.documents.len());
    }

    pub(crate) fn reject(&mut self, item_id: Option<String>, reason: impl Into<String>) {
        let reason = reason.into();
        tracing::debug!(item_id = item_id.as_deref().unwrap_or("?"), %reason, "item rejected");
        self.rejected.push(RejectedItem { item_id, reason });
    }
}

/// A payload that is not what the platform sends: the whole call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("expected {expected}, got an HTML page: {snippet:?}")]
    HtmlInsteadOfJson { expected: &'static str, snippet: String },
    #[error("expected {expected}, but the payload is truncated: {detail}")]
    Truncated { expected: &'static str, detail: String },
    #[error("expected {expected}, but the payload is not valid JSON: {detail}")]
    NotJson { expected: &'static str, detail: String },
    #[error("expected {expected}, got {found}")]
    WrongShape { expected: &'static str, found: String },
    #[error("expected a JSONP response `callback({{...}});`, got {found:?}")]
    NotJsonp { found: String },
    #[error("the server answered with error {code}: {message}")]
    Remote { code: String, message: String },
    #[error("no `AppRegistry.registerInitialState` {what} in the page")]
    NoInitialState { what: String },
}

/// A predicate over errors, for table-driven tests.
#[cfg(test)]
pub(crate) type ErrorCheck = fn(&SourceError) -> bool;

/// The first characters of a payload, for error messages.
pub(crate) fn snippet(payload: &str) -> String {
    let flat = text::normalise_whitespace(payload);
    match flat.char_indices().nth(80) {
        Some((end, _)) => format!("{}…", &flat[..end]),
        None => flat,
    }
}

/// Parses a JSON payload, telling an HTML page, a truncated body and other garbage apart.
pub(crate) fn parse_json(payload: &str, expected: &'static str) -> Result<Value, SourceError> {
    let trimmed = payload.trim_start_matches('\u{feff}').trim();
    if trimmed.starts_with('<') {
        return Err(SourceError::HtmlInsteadOfJson { expected, snippet: snippet(trimmed) });
    }
    serde_json::from_str(trimmed).map_err(|error| {
        if error.is_eof() || trimmed.is_empty() {
            SourceError::Truncated { expected, detail: error.to_string() }
        } else {
            SourceError::NotJson { expected, detail: error.to_string() }
        }
    })
}

/// Where the JSON object or array at the start of `text` ends (exclusive byte index), found by
/// matching brackets outside JSON strings, so `)`, `'` and `}` inside strings do no harm.
/// `None` if `text` does not start with `{` or `[`, or ends before the value closes.
pub(crate) fn json_value_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if !matches!(bytes.first(), Some(b'{' | b'[')) {
        return None;
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (index, &byte) in bytes.iter().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(index + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// A short description of a JSON value's type, for error messages.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Number(_) => "a number".into(),
        Value::String(_) => "a string".into(),
        Value::Array(items) => format!("an array of {} items", items.len()),
        Value::Object(object) => {
            let keys: Vec<&str> = object.keys().map(String::as_str).take(6).collect();
            format!("an object with keys {keys:?}")
        }
    }
}

/// A JSON scalar as text: ids come as numbers on some platforms and as strings on others.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The value under the first of `names` (compared case-insensitively) that is not null.
pub(crate) fn field_ci<'a>(item: &'a Value, names: &[&str]) -> Option<&'a Value> {
    let object = item.as_object()?;
    names.iter().find_map(|name| {
        object.iter().find(|(key, value)| key.eq_ignore_ascii_case(name) && !value.is_null()).map(|(_, value)| value)
    })
}

/// The files an item's payload links: single URL fields (`url_fields`, named by `name_fields`
/// or the file name) and arrays of file objects (`array_fields`, each with a URL and a name
/// under the usual keys). Relative URLs are resolved against `base`.
pub(crate) fn file_links(
    item: &Value,
    base: &str,
    url_fields: &[&str],
    name_fields: &[&str],
    array_fields: &[&str],
) -> Vec<namndsok_model::FileLink> {
    const URL_KEYS: &[&str] = &["url", "link", "uri", "href", "downloadUrl", "downloadLink", "fileUrl"];
    const NAME_KEYS: &[&str] = &["title", "name", "fileName", "filename", "documentTitle"];
    let mut links: Vec<namndsok_model::FileLink> = Vec::new();
    let mut add = |url: Option<String>, name: Option<String>| {
        let Some(url) = url.and_then(|u| text::resolve_url(base, &u)) else { return };
        if !text::looks_like_http_url(&url) || links.iter().any(|link| link.url == url) {
            return;
        }
        let name =
            name.map(|n| text::clean_line(&n)).filter(|n| !n.is_empty()).unwrap_or_else(|| text::file_name(&url));
        links.push(namndsok_model::FileLink { url, name });
    };
    for field in url_fields {
        let url = field_ci(item, &[field]).and_then(scalar_text);
        add(url, field_ci(item, name_fields).and_then(scalar_text));
    }
    for field in array_fields {
        if let Some(Value::Array(entries)) = field_ci(item, &[field]) {
            for entry in entries {
                add(field_ci(entry, URL_KEYS).and_then(scalar_text), field_ci(entry, NAME_KEYS).and_then(scalar_text));
            }
        }
    }
    links
}

/// The item id of a raw item under the first of `keys` that holds one.
pub(crate) fn raw_item_id(item: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|key| item.get(*key).and_then(scalar_text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_html_truncation_and_garbage_apart() {
        let cases: [(&str, ErrorCheck); 5] = [
            ("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", |e| {
                matches!(e, SourceError::HtmlInsteadOfJson { .. })
            }),
            ("{\"Items\": [{\"Id\": \"a\"", |e| matches!(e, SourceError::Truncated { .. })),
            ("", |e| matches!(e, SourceError::Truncated { .. })),
            ("{\"Items\": nope}", |e| matches!(e, SourceError::NotJson { .. })),
            ("\u{feff}   <html>", |e| matches!(e, SourceError::HtmlInsteadOfJson { .. })),
        ];
        for (payload, check) in cases {
            let error = parse_json(payload, "a test payload").unwrap_err();
            assert!(check(&error), "{payload:?}: {error}");
        }
        assert!(parse_json(" \u{feff}{\"a\":1}", "x").is_err(), "a BOM after whitespace is not JSON");
        assert_eq!(parse_json("\u{feff}{\"a\":1}", "x").unwrap()["a"], 1);
    }

    #[test]
    fn finds_the_end_of_a_json_value() {
        let cases = [
            (r#"{"a":1}); rest"#, Some(7)),
            (r#"{"a":"})'(\"}"}x"#, Some(15)),
            (r#"[{"a":[1,2]},{}],"#, Some(16)),
            (r#"{"a":[1,2"#, None),
            (r#"{"a":"unterminated}"#, None),
            ("x{}", None),
        ];
        for (text, expected) in cases {
            assert_eq!(json_value_end(text), expected, "{text}");
        }
    }

    #[test]
    fn context_trims_the_trailing_slash() {
        let context = SourceContext::new("x", "2260", "meetingsplus", "https://moten.ange.se/");
        assert_eq!(context.base_url, "https://moten.ange.se");
    }
}
