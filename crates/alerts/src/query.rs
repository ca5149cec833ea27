//! [`SavedQuery`]: what a saved search looks for, typed.
//!
//! The store keeps it as JSON (`{"q":"batterifabrik","kommun":["1493"]}`), never as a URL
//! query string re-parsed through the HTTP parser. The server validates what a person sends
//! (kommun codes, kinds, dates) with the same parser the search API uses and hands over this
//! type; the matcher turns it into a [`SearchRequest`]. Writing it as the search page's
//! parameters ([`SavedQuery::search_page_query`]) is for links in e-mails and feeds.

use chrono::NaiveDate;
use namndsok_index::{SearchRequest, Sort};
use namndsok_model::Kind;
use serde::{Deserialize, Serialize};

/// What a saved search looks for: the words and filters of `GET /api/v1/search`, without
/// order or paging (alerts always list newest first and require every word).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedQuery {
    /// The words as typed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub q: String,
    /// Kommun or region codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kommun: Vec<String>,
    /// Länskoder.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lan: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kind: Vec<Kind>,
    /// Nämnd names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organ: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
}

/// Hits per page when a saved search pages through the live index.
const PAGE: usize = 100;

impl SavedQuery {
    /// The words and filters of a validated search request (order and paging dropped).
    pub fn from_request(request: &SearchRequest) -> SavedQuery {
        SavedQuery {
            q: request.q.trim().to_string(),
            kommun: request.kommun.clone(),
            lan: request.lan.clone(),
            kind: request.kind.clone(),
            organ: request.organ.clone(),
            from: request.from,
            to: request.to,
        }
    }

    /// Words only.
    pub fn words(q: &str) -> SavedQuery {
        SavedQuery { q: q.trim().to_string(), ..SavedQuery::default() }
    }

    /// The search the matcher runs: newest first (so every word must match), 100 per page
    /// from the start.
    pub fn to_request(&self) -> SearchRequest {
        SearchRequest {
            q: self.q.clone(),
            kommun: self.kommun.clone(),
            lan: self.lan.clone(),
            kind: self.kind.clone(),
            organ: self.organ.clone(),
            from: self.from,
            to: self.to,
            sort: Sort::DateDesc,
            limit: PAGE,
            ..SearchRequest::default()
        }
    }

    /// Whether it says what to look for (words or a filter other than dates).
    pub fn says_something(&self) -> bool {
        !self.q.trim().is_empty()
            || !self.kommun.is_empty()
            || !self.lan.is_empty()
            || !self.kind.is_empty()
            || !self.organ.is_empty()
    }

    /// The search page's parameters for these results (`q=batterifabrik&kommun=1493`), in the
    /// contract's order: q, kommun, lan, kind, organ, from, to.
    pub fn search_page_query(&self) -> String {
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            serializer.append_pair("q", &self.q);
        }
        for (name, values) in [("kommun", &self.kommun), ("lan", &self.lan)] {
            for value in values {
                serializer.append_pair(name, value);
            }
        }
        for kind in &self.kind {
            serializer.append_pair("kind", kind.as_str());
        }
        for organ in &self.organ {
            serializer.append_pair("organ", organ);
        }
        for (name, date) in [("from", self.from), ("to", self.to)] {
            if let Some(date) = date {
                serializer.append_pair(name, &date.to_string());
            }
        }
        serializer.finish()
    }

    /// The query as stored (JSON).
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a saved query serialises")
    }

    /// A stored query. Rows written before schema version 3 held the search page's parameters
    /// as a URL query string; [`SavedQuery::from_legacy_parameters`] converts them once.
    pub(crate) fn from_json(text: &str) -> Result<SavedQuery, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// A pre-version-3 row's URL query string. Those were validated when saved, so this only
    /// maps names to fields; a value that does not parse (which validation never let through)
    /// is dropped and reported.
    pub(crate) fn from_legacy_parameters(text: &str) -> (SavedQuery, Vec<String>) {
        let mut query = SavedQuery::default();
        let mut dropped = Vec::new();
        for (key, value) in form_urlencoded::parse(text.trim().as_bytes()) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key.as_ref() {
                "q" => query.q = value.to_string(),
                "kommun" => query.kommun.push(value.to_string()),
                "lan" => query.lan.push(value.to_string()),
                "organ" => query.organ.push(value.to_string()),
                "kind" => match Kind::parse(value) {
                    Some(kind) => query.kind.push(kind),
                    None => dropped.push(format!("kind={value}")),
                },
                "from" | "to" => match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
                    Ok(date) if key == "from" => query.from = Some(date),
                    Ok(date) => query.to = Some(date),
                    Err(_) => dropped.push(format!("{key}={value}")),
                },
                "sort" | "limit" | "cursor" => {}
                other => dropped.push(format!("{other}={value}")),
            }
        }
        (query, dropped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_as_compact_json_and_read_back() {
        let query = SavedQuery {
            q: "batterifabrik".into(),
            kommun: vec!["1493".into()],
            kind: vec![Kind::Protokoll],
            from: NaiveDate::from_ymd_opt(2024, 1, 1),
            ..SavedQuery::default()
        };
        let json = query.to_json();
        assert_eq!(json, r#"{"q":"batterifabrik","kommun":["1493"],"kind":["protokoll"],"from":"2024-01-01"}"#);
        assert_eq!(SavedQuery::from_json(&json).unwrap(), query);
        assert!(SavedQuery::from_json(r#"{"q":"x","colour":"red"}"#).is_err());
    }

    #[test]
    fn legacy_parameter_strings_convert_to_the_same_search() {
        let (query, dropped) = SavedQuery::from_legacy_parameters(
            "q=f%C3%B6rskola+n%C3%A4ra&kommun=1493&kind=anslag&sort=relevance&to=2025-02-01",
        );
        assert_eq!(query.q, "förskola nära");
        assert_eq!(query.kommun, ["1493"]);
        assert_eq!(query.kind, [Kind::Anslag]);
        assert_eq!(query.to, NaiveDate::from_ymd_opt(2025, 2, 1));
        assert!(dropped.is_empty());
        assert_eq!(query.search_page_query(), "q=f%C3%B6rskola+n%C3%A4ra&kommun=1493&kind=anslag&to=2025-02-01");
        let (_, dropped) = SavedQuery::from_legacy_parameters("q=x&kind=beslut&colour=red");
        assert_eq!(dropped, ["kind=beslut", "colour=red"]);
    }

    #[test]
    fn the_matcher_searches_newest_first_from_the_start() {
        let request = SavedQuery::words("skola").to_request();
        assert_eq!((request.sort, request.limit, request.offset), (Sort::DateDesc, PAGE, 0));
        assert!(request.options.typo_tolerance);
        assert!(!SavedQuery { from: NaiveDate::from_ymd_opt(2024, 1, 1), ..SavedQuery::default() }.says_something());
    }
}
