//! `GET /api/v1/search`.

use axum::extract::{RawQuery, State};
use axum::Json;
use namndsok_index::{SearchRequest, SearchResponse};

use crate::{ApiError, AppState};

/// Decodes the query string (repeatable parameters kept in order).
pub fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

pub async fn search(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<SearchResponse>, ApiError> {
    let pairs = query_pairs(raw.as_deref());
    let request = SearchRequest::from_pairs(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        namndsok_model::Registry::global(),
        &[],
    )
    .map_err(|e| ApiError::invalid_parameter(e.message))?;
    let index = state.index.clone();
    let response = tokio::task::spawn_blocking(move || index.search(&request))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(Json(response))
}
