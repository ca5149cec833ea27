//! `GET /api/v1/search.atom`: an Atom feed for any search, for people who want no account.
//!
//! Takes the search parameters of `/api/v1/search` (without `cursor`); the feed always lists
//! the newest matches first and, like every date-sorted search, only documents that match every
//! word. Entry ids are stable (`tag:` URIs on the document id), so feed readers never show a
//! document twice.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use namndsok_index::search::escape_html;
use namndsok_index::Sort;

use crate::params::{parse_search, query_pairs};
use crate::{ApiError, AppState};

/// Entries in a feed unless `limit` says otherwise.
const FEED_ENTRIES: usize = 50;

pub async fn search_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = query_pairs(raw.as_deref());
    if pairs.iter().any(|(key, _)| key == "cursor") {
        return Err(ApiError::invalid_parameter("`cursor` is not accepted by a feed"));
    }
    let has_limit = pairs.iter().any(|(key, _)| key == "limit");
    let mut request =
        parse_search(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), namndsok_model::Registry::global(), &[])?;
    request.sort = Sort::DateDesc;
    if !has_limit {
        request.limit = FEED_ENTRIES;
    }
    let base = public_base(&headers);
    let query_string = raw.unwrap_or_default();
    let index = state.index.clone();
    let search = request.clone();
    let response = tokio::task::spawn_blocking(move || index.search(&search))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;

    let title = if request.q.is_empty() {
        "Nämndsök: senaste handlingarna".to_string()
    } else {
        format!("Nämndsök: {}", request.q)
    };
    let updated =
        response.hits.iter().map(|hit| hit.date).max().map_or_else(|| "1970-01-01".to_string(), |d| d.to_string());
    let mut xml = String::with_capacity(4096);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"sv\">\n",
    );
    xml.push_str(&format!("  <title>{}</title>\n", escape_html(&title)));
    xml.push_str(&format!("  <id>tag:namndsok,2026:search?{}</id>\n", escape_html(&query_string)));
    xml.push_str(&format!("  <updated>{updated}T00:00:00Z</updated>\n"));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape_html(&format!("{base}/api/v1/search.atom?{query_string}"))
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape_html(&format!("{base}/?{query_string}"))
    ));
    xml.push_str("  <author><name>Nämndsök</name></author>\n");
    for hit in &response.hits {
        let link = format!("{base}/d/{}", crate::web::encode_path(&hit.id));
        let mut summary = format!("{} · {}", hit.kommun, kind_label(hit.kind));
        if let Some(organ) = &hit.organ {
            summary.push_str(&format!(" · {organ}"));
        }
        if let Some(dnr) = &hit.diarienummer {
            summary.push_str(&format!(" · {dnr}"));
        }
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <id>tag:namndsok,2026:document/{}</id>\n", escape_html(&hit.id)));
        xml.push_str(&format!("    <title>{}</title>\n", escape_html(&hit.title)));
        xml.push_str(&format!("    <updated>{}T00:00:00Z</updated>\n", hit.date));
        xml.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape_html(&link)));
        xml.push_str(&format!("    <category term=\"{}\"/>\n", hit.kind));
        xml.push_str(&format!("    <summary type=\"text\">{}</summary>\n", escape_html(&summary)));
        xml.push_str(&format!("    <content type=\"html\">{}</content>\n", escape_html(&hit.snippet)));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], xml).into_response())
}

fn kind_label(kind: &str) -> &'static str {
    namndsok_model::Kind::parse(kind).map_or("Handling", |k| k.label())
}

/// `http://host` from the request's Host header (the service is normally behind a proxy that
/// sets it); a safe default otherwise.
pub fn public_base(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .filter(|host| host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')))
        .unwrap_or("localhost");
    let scheme =
        headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).filter(|p| *p == "https").unwrap_or("http");
    format!("{scheme}://{host}")
}
