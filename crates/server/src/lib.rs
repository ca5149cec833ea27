//! Nämndsök's HTTP service.
//!
//! [`app`] builds the whole router from an [`AppState`], so tests drive it in-process or on a
//! real socket alike. Routes (one module per resource):
//!
//! - `GET /healthz`
//! - `GET /api/v1/search` ([`search`])
//! - `GET /api/v1/search.atom` ([`atom`])
//! - `GET /api/v1/documents/{id}` ([`documents`])
//! - `GET /api/v1/sources`: harvest health per source
//! - `GET /`, `/d/{id}`, `/status`: the web page in Swedish ([`web`])
//!
//! Every error is JSON `{"error": {"code", "message"}}` with a stable code ([`error`]); internal
//! details are logged, never returned. Searches run on the blocking thread pool so a slow query
//! never stalls the async workers.

pub mod atom;
pub mod documents;
pub mod error;
pub mod search;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use namndsok_index::SearchIndex;
use serde_json::json;

pub use error::ApiError;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub index: Arc<SearchIndex>,
    /// The harvester, when the service harvests (`serve --sources`).
    pub harvester: Option<namndsok_harvest::Harvester>,
}

/// The whole service.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/search", get(search::search))
        .route("/api/v1/search.atom", get(atom::search_feed))
        .route("/api/v1/documents/{id}", get(documents::document))
        .route("/api/v1/sources", get(sources))
        .route("/", get(web::search_page))
        .route("/d/{id}", get(web::document_page))
        .route("/status", get(web::status_page))
        .route(web::STYLESHEET_PATH, get(web::stylesheet))
        .fallback(not_found)
        .layer(axum::middleware::from_fn(web::security_headers))
        .layer(axum::middleware::from_fn(log_request))
        .with_state(state)
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let address: SocketAddr = listener.local_addr()?;
    tracing::info!(%address, documents = state.index.num_docs(), "listening on http://{address}");
    axum::serve(listener, app(state)).with_graceful_shutdown(shutdown).await
}

/// Resolves on Ctrl-C or SIGTERM. The SIGTERM handler is installed when this is called (call
/// it before announcing readiness), so a signal sent right after start-up is not lost.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        #[cfg(unix)]
        let terminate = async {
            match terminate.as_mut() {
                Some(signal) => {
                    signal.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {},
            _ = terminate => {},
        }
        tracing::info!("shutting down");
    }
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    Json(json!({"status": "ok", "documents": state.index.num_docs()}))
}

/// `GET /api/v1/sources`: every source with its health (an empty list when not harvesting).
async fn sources(State(state): State<AppState>) -> impl IntoResponse {
    let reports = state.harvester.as_ref().map(|h| h.reports()).unwrap_or_default();
    let mut counts = std::collections::BTreeMap::new();
    for report in &reports {
        *counts
            .entry(serde_json::to_value(report.status).unwrap_or_default().as_str().unwrap_or("").to_string())
            .or_insert(0) += 1;
    }
    Json(json!({"harvesting": state.harvester.is_some(), "counts": counts, "sources": reports}))
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such resource")
}

async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        path,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}
