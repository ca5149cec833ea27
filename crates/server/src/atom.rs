//! `GET /api/v1/search.atom`: an Atom feed for any search, for people who want no account.
//!
//! Takes the search parameters of `/api/v1/search` (without `cursor`); the feed always lists
//! the newest matches first and, like every date-sorted search, only documents that match every
//! word. Entry ids are stable (`tag:` URIs on the document id), so feed readers never show a
//! document twice. Written by the one Atom writer, [`namndsok_alerts::atom::write`].

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use chrono::DateTime;
use namndsok_alerts::atom::{self, FeedHead, FeedItem};
use namndsok_index::Sort;

use crate::params::{parse_search, query_pairs};
use crate::{ApiError, AppState};

/// Entries in a feed unless `limit` says otherwise.
const FEED_ENTRIES: usize = 50;

/// An Atom feed of any search (no account needed)
///
/// Takes the parameters of `/api/v1/search` except `cursor`; entries are the newest matches
/// first (date order, every word must match), 50 unless `limit` says otherwise.
#[utoipa::path(get, path = "/api/v1/search.atom", tag = "search", operation_id = "searchFeed",
    params(crate::openapi::FeedParams),
    responses(
        (status = 200, description = "An Atom (RFC 4287) feed.", body = String, content_type = "application/atom+xml"),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 429, response = crate::openapi::TooManyRequests),
        (status = 500, response = crate::openapi::Internal),
    ))]
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
    let midnight = |date: chrono::NaiveDate| date.and_time(chrono::NaiveTime::MIN).and_utc();
    let head = FeedHead {
        title,
        id: format!("tag:namndsok,2026:search?{query_string}"),
        updated: response.hits.iter().map(|hit| hit.date).max().map_or(DateTime::UNIX_EPOCH, midnight),
        self_url: format!("{base}/api/v1/search.atom?{query_string}"),
        alternate_url: format!("{base}/?{query_string}"),
        lang: Some("sv".into()),
        generator: false,
    };
    let items: Vec<FeedItem> = response
        .hits
        .iter()
        .map(|hit| {
            let mut summary = format!("{} · {}", hit.kommun, kind_label(hit.kind));
            if let Some(organ) = &hit.organ {
                summary.push_str(&format!(" · {organ}"));
            }
            if let Some(dnr) = &hit.diarienummer {
                summary.push_str(&format!(" · {dnr}"));
            }
            FeedItem {
                id: format!("tag:namndsok,2026:document/{}", hit.id),
                title: hit.title.clone(),
                updated: midnight(hit.date),
                published: None,
                link: format!("{base}/d/{}", crate::web::encode_path(&hit.id)),
                via: None,
                category: Some(hit.kind.to_string()),
                summary,
                content_html: Some(hit.snippet.clone()),
            }
        })
        .collect();
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], atom::write(&head, &items)).into_response())
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
