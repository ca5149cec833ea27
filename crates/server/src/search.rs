//! `GET /api/v1/search`.

use axum::extract::{RawQuery, State};
use axum::Json;
use namndsok_index::SearchResponse;

use crate::params::{next_cursor, parse_search, query_pairs};
use crate::{ApiError, AppState};

/// Search the documents
#[utoipa::path(get, path = "/api/v1/search", tag = "search", operation_id = "search",
    params(crate::openapi::SearchParams),
    responses(
        (status = 200, description = "One page of hits with facet counts.", body = crate::openapi::SearchResponse),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 500, response = crate::openapi::Internal),
    ))]
pub async fn search(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<SearchResponse>, ApiError> {
    let pairs = query_pairs(raw.as_deref());
    let request =
        parse_search(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), namndsok_model::Registry::global(), &[])?;
    let index = state.index.clone();
    let search = request.clone();
    let mut response = tokio::task::spawn_blocking(move || index.search(&search))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    // Cursors are the API's, not the index's.
    response.next_cursor = next_cursor(&request, response.total);
    Ok(Json(response))
}
