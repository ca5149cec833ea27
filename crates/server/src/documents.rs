//! `GET /api/v1/documents/{id}`.

use axum::extract::{Path, State};
use axum::Json;
use serde_json::Value;

use crate::{ApiError, AppState};

/// One document
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "search", operation_id = "getDocument",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The document as Document JSON v1, plus `last_day_of_appeal` for anslag.", body = crate::openapi::Document),
        (status = 404, response = crate::openapi::NotFound),
        (status = 500, response = crate::openapi::Internal),
    ))]
pub async fn document(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let index = state.index.clone();
    let lookup = id.clone();
    let document = tokio::task::spawn_blocking(move || index.get(&lookup))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?
        .ok_or_else(|| ApiError::not_found(format!("no document with id {id:?}")))?;
    let mut json = document.to_json();
    if let (Some(day), Value::Object(map)) = (document.last_day_of_appeal(), &mut json) {
        map.insert("last_day_of_appeal".into(), Value::String(day.to_string()));
    }
    Ok(Json(json))
}
