//! `GET /feeds/{feed_token}.atom`: the private Atom feed of one saved search — the newest
//! documents it matched (at most 50 here; the store keeps 100). The token in the URL is the
//! only key, as feed readers cannot send headers; a disabled (unsubscribed) search keeps its
//! feed, a deleted one does not.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::alerts::blocking;
use crate::extract::Alerts;
use crate::ApiError;

/// Entries in a saved search's feed.
const FEED_ENTRIES: usize = 50;

/// The private Atom feed of a saved search
///
/// The newest documents the search matched (up to 50), newest first. The token in the URL
/// (from `feed_url` of the saved search) is the only key, since feed readers send no
/// headers: keep the URL private. An unsubscribed search keeps its feed; a deleted one does not.
#[utoipa::path(get, path = "/feeds/{feed_token}.atom", tag = "alerts", operation_id = "savedSearchFeed",
    params(("feed_token" = String, Path, pattern = "^[0-9a-f]+$")),
    responses(
        (status = 200, description = "An Atom (RFC 4287) feed.", body = String, content_type = "application/atom+xml"),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::Unavailable),
    ))]
pub async fn feed(Alerts(service): Alerts, Path(file): Path<String>) -> Result<Response, ApiError> {
    let token = file
        .strip_suffix(".atom")
        .filter(|token| !token.is_empty() && token.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(str::to_string)
        .ok_or_else(|| ApiError::not_found("no such feed"))?;
    let xml = blocking(service, move |service| {
        let store = service.store();
        let search = store
            .search_by_feed_token(&token)
            .map_err(ApiError::internal)?
            .ok_or_else(|| ApiError::not_found("no such feed"))?;
        let entries = store.feed_entries(search.id, FEED_ENTRIES).map_err(ApiError::internal)?;
        let feed_url = service.feed_url(&search.feed_token);
        Ok(namndsok_alerts::atom::feed(&search, &entries, service.public_url(), &feed_url, search.created))
    })
    .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"), (header::CACHE_CONTROL, "private, no-cache")],
        xml,
    )
        .into_response())
}
