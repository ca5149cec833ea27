//! The web page's handlers, server-rendered HTML in Swedish: search (`/`), one document
//! (`/d/{id}`) and data freshness (`/status`), plus the stylesheet and the security headers of
//! every response. The HTML itself comes from [`crate::pages`].
//!
//! Every function works without JavaScript (there is none): filters and the map are links,
//! paging is links, the search form is a plain GET. When the server has alerts and an SMTP
//! relay, a second form under the results ("Bevaka sökningen med e-post") POSTs the search to
//! `/bevaka` ([`crate::alert_pages`]). Pages are sent with a strict Content-Security-Policy
//! (see [`security_headers`], re-exported from [`crate::pages::layout`] with the stylesheet):
//! no scripts, no inline styles, nothing loaded from elsewhere.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use namndsok_index::{SearchRequest, Sort};
use namndsok_model::{Document, Registry};

use crate::pages;
use crate::pages::layout::html_response;
pub use crate::pages::layout::{encode_path, security_headers, stylesheet, STYLESHEET_PATH};
use crate::pages::search::PageState;
use crate::params::query_pairs;
use crate::AppState;

/// `GET /`: the search page.
pub async fn search_page(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let pairs = query_pairs(raw.as_deref());
    let parsed =
        crate::params::parse_search(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), Registry::global(), &[]);
    let page_state = PageState::new(&pairs);
    let request = match parsed {
        Ok(request) => request,
        Err(error) => {
            return html_response(StatusCode::BAD_REQUEST, pages::search::bad_request_page(&page_state, &error.message))
        }
    };
    let index = state.index.clone();
    let search = request.clone();
    let response = match tokio::task::spawn_blocking(move || index.search(&search)).await {
        Ok(Ok(response)) => response,
        Ok(Err(error)) => return error_page(error),
        Err(error) => return error_page(error),
    };
    let watch = crate::alert_pages::form_available(&state) && page_state.watchable();
    html_response(StatusCode::OK, pages::search::search_page(&page_state, &request, &response, watch))
}

fn error_page(error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "page failed");
    html_response(StatusCode::INTERNAL_SERVER_ERROR, pages::errors::internal_error())
}

/// `GET /d/{id}`: one document with all its fields and the other documents of its case.
pub async fn document_page(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let index = state.index.clone();
    let lookup = id.clone();
    let found = tokio::task::spawn_blocking(
        move || -> Result<Option<(Document, Vec<namndsok_index::Hit>)>, namndsok_index::IndexError> {
            let Some(document) = index.get(&lookup)? else { return Ok(None) };
            let mut related = Vec::new();
            if let Some(dnr) = &document.diarienummer {
                if namndsok_model::CaseNumber::parse(dnr).is_some() || document.case_number().is_some() {
                    let request = SearchRequest {
                        q: document.case_number().map(|c| c.to_string()).unwrap_or_else(|| dnr.clone()),
                        kommun: vec![document.kommun_kod.clone()],
                        sort: Sort::DateAsc,
                        limit: 50,
                        ..SearchRequest::default()
                    };
                    related = index.search(&request)?.hits.into_iter().filter(|hit| hit.id != document.id).collect();
                }
            }
            Ok(Some((document, related)))
        },
    )
    .await;
    let (document, related) = match found {
        Ok(Ok(Some(found))) => found,
        Ok(Ok(None)) => return html_response(StatusCode::NOT_FOUND, pages::errors::document_not_found()),
        Ok(Err(error)) => return error_page(error),
        Err(error) => return error_page(error),
    };
    let today = chrono::Utc::now().date_naive();
    html_response(StatusCode::OK, pages::document::document_page(&document, &related, today))
}

/// `GET /hjalp`: how to search.
pub async fn help_page() -> Response {
    html_response(StatusCode::OK, pages::help::help_page())
}

/// `GET /status`: how fresh the data is, per kommun and region.
pub async fn status_page(State(state): State<AppState>) -> Response {
    let index = state.index.clone();
    let rows = match tokio::task::spawn_blocking(move || index.freshness()).await {
        Ok(Ok(rows)) => rows,
        Ok(Err(error)) => return error_page(error),
        Err(error) => return error_page(error),
    };
    let reports = crate::source_reports(&state).await;
    let sources = (state.harvester.is_some() || !reports.is_empty()).then_some(reports);
    let today = chrono::Utc::now().date_naive();
    html_response(StatusCode::OK, pages::status::status_page(&rows, sources.as_deref(), today))
}
