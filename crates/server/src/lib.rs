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
//! - `POST /api/v1/accounts` ([`accounts`])
//! - `GET`, `POST /api/v1/saved-searches`; `GET`, `PATCH`, `DELETE /api/v1/saved-searches/{id}`
//!   ([`saved_searches`])
//! - `POST /api/v1/ingest` ([`ingest`])
//! - `GET /feeds/{feed_token}.atom` ([`feeds`])
//! - `GET /api/v1/openapi.yaml`: the OpenAPI 3.1 description of all of these (`docs/openapi.yaml`)
//! - `GET /`, `/d/{id}`, `/status`: the web page in Swedish ([`web`]); `POST /bevaka`,
//!   `GET`/`POST /confirm/{token}`, `GET`/`POST /unsubscribe/{token}`: its alert pages
//!   ([`alert_pages`])
//!
//! Saved searches and alerts ([`alerts`]) need an [`alerts::AlertsService`] in the state; without
//! one their routes answer `503 unavailable`.
//!
//! Every error is JSON `{"error": {"code", "message"}}` with a stable code ([`error`]); internal
//! details are logged, never returned. Searches run on the blocking thread pool so a slow query
//! never stalls the async workers.

pub mod accounts;
pub mod alert_pages;
pub mod alerts;
pub mod atom;
pub mod documents;
pub mod error;
pub mod feeds;
pub mod ingest;
pub mod params;
pub mod saved_searches;
pub mod search;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::DefaultBodyLimit;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use namndsok_index::SearchIndex;
use serde_json::json;

pub use alerts::{AlertsConfig, AlertsService, SmtpRelay};
pub use error::ApiError;

/// The OpenAPI 3.1 description of the service.
pub const OPENAPI_YAML: &str = include_str!("../../../docs/openapi.yaml");

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub index: Arc<SearchIndex>,
    /// The harvester, when the service harvests (`serve --sources`).
    pub harvester: Option<namndsok_harvest::Harvester>,
    /// Saved searches and alerts, when enabled (`serve` enables them by default).
    pub alerts: Option<Arc<AlertsService>>,
}

/// The whole service.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/search", get(search::search))
        .route("/api/v1/search.atom", get(atom::search_feed))
        .route("/api/v1/documents/{id}", get(documents::document))
        .route("/api/v1/sources", get(sources))
        .route("/api/v1/accounts", post(accounts::create_account))
        .route("/api/v1/saved-searches", get(saved_searches::list).post(saved_searches::create))
        .route(
            "/api/v1/saved-searches/{id}",
            get(saved_searches::get_one).patch(saved_searches::update).delete(saved_searches::delete),
        )
        .route("/api/v1/ingest", post(ingest::ingest).layer(DefaultBodyLimit::max(ingest::MAX_BODY_BYTES)))
        .route("/api/v1/openapi.yaml", get(openapi))
        .route("/feeds/{feed_file}", get(feeds::feed))
        .route("/", get(web::search_page))
        .route("/d/{id}", get(web::document_page))
        .route("/status", get(web::status_page))
        .route("/bevaka", post(alert_pages::watch))
        .route("/confirm/{token}", get(alert_pages::confirm_form).post(alert_pages::confirm))
        .route("/unsubscribe/{token}", get(alert_pages::unsubscribe).post(alert_pages::unsubscribe))
        .route(web::STYLESHEET_PATH, get(web::stylesheet))
        .fallback(not_found)
        .layer(axum::middleware::from_fn(web::security_headers))
        // A search page is ~100 KB of HTML (mostly the map), ~23 KB gzipped.
        .layer(tower_http::compression::CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
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

async fn openapi() -> impl IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/yaml; charset=utf-8")], OPENAPI_YAML)
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

/// Routes whose path carries a secret (a feed, unsubscribe or confirmation token): their
/// requests are logged by route, never with the token.
const SECRET_ROUTES: &[&str] = &["/feeds/{feed_file}", "/unsubscribe/{token}", "/confirm/{token}"];

async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let matched = request.extensions().get::<axum::extract::MatchedPath>().map(|m| m.as_str().to_string());
    let path = match matched {
        Some(route) if SECRET_ROUTES.contains(&route.as_str()) => route,
        _ => request.uri().path().to_string(),
    };
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// `(method, path)` of every route `app` registers, read from this file's source, in the
    /// spelling of OpenAPI (`/feeds/{feed_token}.atom` is routed as `/feeds/{feed_file}`).
    fn routes_in_app() -> BTreeSet<(String, String)> {
        let source = include_str!("lib.rs");
        let start = source.find("pub fn app(").expect("app() is in lib.rs");
        let end = start + source[start..].find(".fallback(").expect("app() has a fallback");
        let body = &source[start..end];
        let mut routes = BTreeSet::new();
        for chunk in body.split(".route(").skip(1) {
            let path = if let Some(rest) = chunk.trim_start().strip_prefix('"') {
                rest.split('"').next().unwrap().to_string()
            } else if chunk.trim_start().starts_with("web::STYLESHEET_PATH") {
                crate::web::STYLESHEET_PATH.to_string()
            } else {
                panic!("a route path this test cannot read: {}", &chunk[..40.min(chunk.len())]);
            };
            let path = if path == "/feeds/{feed_file}" { "/feeds/{feed_token}.atom".to_string() } else { path };
            let handlers = &chunk[chunk.find(',').unwrap()..];
            let mut found = false;
            for method in ["get", "post", "patch", "delete", "put"] {
                let called = handlers.match_indices(&format!("{method}(")).any(|(at, _)| {
                    at == 0
                        || !handlers.as_bytes()[at - 1].is_ascii_alphanumeric() && handlers.as_bytes()[at - 1] != b'_'
                });
                if called {
                    routes.insert((method.to_string(), path.clone()));
                    found = true;
                }
            }
            assert!(found, "no method found for {path}");
        }
        routes
    }

    /// `(method, path)` of every operation in `docs/openapi.yaml` (a hand parse of the
    /// two-space-indented `paths:` block).
    fn routes_in_openapi() -> BTreeSet<(String, String)> {
        let mut routes = BTreeSet::new();
        let mut in_paths = false;
        let mut path: Option<String> = None;
        for line in crate::OPENAPI_YAML.lines() {
            if !line.starts_with(' ') && !line.trim().is_empty() {
                in_paths = line.trim_end() == "paths:";
                continue;
            }
            if !in_paths {
                continue;
            }
            if let Some(key) = line.strip_prefix("  ").and_then(|rest| rest.strip_suffix(':')) {
                if key.starts_with('/') {
                    path = Some(key.to_string());
                    continue;
                }
            }
            if let (Some(path), Some(key)) = (&path, line.strip_prefix("    ").and_then(|rest| rest.strip_suffix(':')))
            {
                if ["get", "post", "patch", "delete", "put"].contains(&key) {
                    routes.insert((key.to_string(), path.clone()));
                }
            }
        }
        routes
    }

    #[test]
    fn openapi_describes_every_route_and_nothing_else() {
        let app = routes_in_app();
        let documented = routes_in_openapi();
        assert!(app.len() >= 20, "{app:?}");
        let undocumented: Vec<_> = app.difference(&documented).collect();
        assert!(undocumented.is_empty(), "routes missing from docs/openapi.yaml: {undocumented:?}");
        let unrouted: Vec<_> = documented.difference(&app).collect();
        assert!(unrouted.is_empty(), "docs/openapi.yaml describes routes the service lacks: {unrouted:?}");
    }

    #[test]
    fn openapi_has_the_error_shape_and_every_code() {
        let yaml = crate::OPENAPI_YAML;
        assert!(yaml.starts_with("openapi: 3.1."));
        let source = include_str!("error.rs");
        for code in source.split("code: \"").skip(1).map(|rest| rest.split('"').next().unwrap()) {
            assert!(yaml.contains(code), "error code {code} is not in docs/openapi.yaml");
        }
        for needle in ["bearerAuth", "Error:", "required: [code, message]"] {
            assert!(yaml.contains(needle), "{needle}");
        }
    }
}
