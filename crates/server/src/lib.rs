//! Nämndsök's HTTP service: the JSON API v1, its Atom feeds and the Swedish web page, on axum.
//!
//! This crate owns the public contract over HTTP (`CONTRACT.md`): which routes exist, which
//! query parameters and bodies they take, the JSON they answer with and the one error shape.
//! It maps HTTP onto the typed APIs of the crates below it — a query string becomes an index
//! `SearchRequest` ([`params`]), a JSON body a typed request struct ([`extract`]) — and maps
//! their results and errors back. [`app`] builds the whole router from an [`AppState`], so
//! tests drive it in-process with `oneshot` or on a real socket alike.
//!
//! What it deliberately does not do: search, rank or analyse text (`namndsok-index`), store
//! saved searches, match or deliver alerts (`namndsok-alerts`), harvest (`namndsok-harvest`),
//! or parse command-line flags (the binary). Handlers hold no business rules beyond checking
//! input; anything blocking (the index, SQLite, DNS) runs on the blocking pool so a slow
//! query never stalls the async workers.
//!
//! # The one HTTP layer
//!
//! - Every error is JSON `{"error": {"code", "message"}}` with a stable code ([`error`]);
//!   internal details are logged, never returned.
//! - Extractors ([`extract`]) reject in that shape: [`extract::Authenticated`] (`Bearer` token
//!   → account), [`extract::JsonBody`] (typed bodies with `deny_unknown_fields`, the offending
//!   field named by its path), [`extract::Alerts`] (`503` without the alert service).
//! - tower-http around every route: a request id (`x-request-id`, generated unless the client
//!   sent one, returned on the answer), a tracing span and one log line per request (secret
//!   tokens in paths are logged by route only), panics answered with the JSON `500`, and a
//!   [`REQUEST_TIMEOUT`] answered with the JSON `503` (ingest excepted).
//!
//! # Routes (one module per resource)
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
//! - `GET /api/v1/openapi.yaml`: the OpenAPI 3.1 description of all of these, generated from
//!   the handlers' `#[utoipa::path]` attributes and request types ([`openapi`])
//! - `GET /`, `/d/{id}`, `/status`: the web page in Swedish ([`web`]); `POST /bevaka`,
//!   `GET`/`POST /confirm/{token}`, `GET`/`POST /unsubscribe/{token}`: its alert pages
//!   ([`alert_pages`])
//!
//! Saved searches and alerts ([`alerts`]) need an [`alerts::AlertsService`] in the state; without
//! one their routes answer `503 unavailable`.

pub mod accounts;
pub mod alert_pages;
pub mod alerts;
pub mod atom;
pub mod documents;
pub mod error;
pub mod extract;
pub mod feeds;
pub mod ingest;
pub mod limits;
pub mod openapi;
pub mod pages;
pub mod params;
pub mod saved_searches;
pub mod search;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use namndsok_index::SearchIndex;
use serde_json::json;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

pub use alerts::{AlertsConfig, AlertsService, SmtpRelay};
pub use error::ApiError;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub index: Arc<SearchIndex>,
    /// The harvester, when the service harvests (`serve --sources`).
    pub harvester: Option<namndsok_harvest::Harvester>,
    /// Where another process's harvests record their health (the index directory), read when
    /// this one does not harvest: `namndsok harvest` beside `serve` reports here too.
    pub harvest_dir: Option<std::path::PathBuf>,
    /// Saved searches and alerts, when enabled (`serve` enables them by default).
    pub alerts: Option<Arc<AlertsService>>,
}

/// Longest a request may take before it is answered `503 unavailable` (ingest excepted: a
/// 64 MB body takes its time, and a feeder resends what got no answer).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Every route but ingest, with its handlers: the table [`app`] builds the router from (and the
/// test that compares the router with the OpenAPI document probes).
#[cfg(test)]
fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    routes_with(limits::RateLimits::off())
}

/// [`routes`], searching and sign-up limited per client by `rate_limits`.
fn routes_with(rate_limits: limits::RateLimits) -> Vec<(&'static str, MethodRouter<AppState>)> {
    use limits::{Audience, Limiter};
    let search_limiter = rate_limits.search.map(Limiter::new);
    let signup_limiter = rate_limits.signup.map(Limiter::new);
    // `route_layer`: only requests a handler takes count (a wrong method is still a 405).
    let search = |router: MethodRouter<AppState>, audience| match &search_limiter {
        Some(limiter) => router.route_layer(limiter.layer(audience)),
        None => router,
    };
    let signup = |router: MethodRouter<AppState>, audience| match &signup_limiter {
        Some(limiter) => router.route_layer(limiter.layer(audience)),
        None => router,
    };
    vec![
        ("/healthz", get(healthz)),
        ("/api/v1/search", search(get(search::search), Audience::Api)),
        ("/api/v1/search.atom", search(get(atom::search_feed), Audience::Api)),
        ("/api/v1/documents/{id}", get(documents::document)),
        ("/api/v1/sources", get(sources)),
        ("/api/v1/accounts", signup(post(accounts::create_account), Audience::Api)),
        ("/api/v1/saved-searches", get(saved_searches::list).post(saved_searches::create)),
        (
            "/api/v1/saved-searches/{id}",
            get(saved_searches::get_one).patch(saved_searches::update).delete(saved_searches::delete),
        ),
        ("/api/v1/openapi.yaml", get(openapi_document)),
        ("/feeds/{feed_file}", get(feeds::feed)),
        ("/", search(get(web::search_page), Audience::Page)),
        ("/d/{id}", get(web::document_page)),
        ("/status", get(web::status_page)),
        ("/hjalp", get(web::help_page)),
        ("/bevaka", signup(post(alert_pages::watch), Audience::Page)),
        ("/confirm/{token}", signup(get(alert_pages::confirm_form).post(alert_pages::confirm), Audience::Page)),
        ("/unsubscribe/{token}", get(alert_pages::unsubscribe).post(alert_pages::unsubscribe)),
        (web::STYLESHEET_PATH, get(web::stylesheet)),
    ]
}

/// Ingest's path: outside the request timeout (a 64 MB body takes its time), with its own
/// body limit.
const INGEST_PATH: &str = "/api/v1/ingest";

/// The whole service, without rate limits: they key on the peer's address, which only [`serve`] knows (in-process
/// callers, such as tests, have none).
pub fn app(state: AppState) -> Router {
    app_with(state, limits::RateLimits::off())
}

/// The whole service with these per-client rate limits.
pub fn app_with(state: AppState, rate_limits: limits::RateLimits) -> Router {
    let routes = routes_with(rate_limits)
        .into_iter()
        .fold(Router::new(), |router, (path, handlers)| router.route(path, handlers))
        .route_layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, REQUEST_TIMEOUT))
        .route(INGEST_PATH, post(ingest::ingest).layer(DefaultBodyLimit::max(ingest::MAX_BODY_BYTES)))
        .fallback(not_found)
        .layer(axum::middleware::from_fn(web::security_headers))
        // A search page is ~100 KB of HTML (mostly the map), ~23 KB gzipped.
        .layer(tower_http::compression::CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest));
    with_http_layers(routes).with_state(state)
}

/// The layers around every route: a request id (`x-request-id`, kept when the client sends
/// one, returned on the answer), a tracing span and one log line per request, and panics
/// answered with the API's JSON `500`.
fn with_http_layers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(request_span)
                    .on_request(())
                    .on_response(log_response)
                    .on_failure(()),
            )
            .layer(PropagateRequestIdLayer::x_request_id())
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(axum::middleware::map_response(timeout_response)),
    )
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, state, limits::RateLimits::default(), shutdown).await
}

/// [`serve`] with these per-client rate limits (keyed by the peer's address).
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    state: AppState,
    rate_limits: limits::RateLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let address: SocketAddr = listener.local_addr()?;
    tracing::info!(%address, documents = state.index.num_docs(), "listening on http://{address}");
    let app = app_with(state, rate_limits).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
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

/// This description
#[utoipa::path(get, path = "/api/v1/openapi.yaml", tag = "service", operation_id = "openapi",
    responses((status = 200, description = "OpenAPI 3.1, generated from the handlers; JSON, which is YAML too.", body = String, content_type = "application/yaml")))]
async fn openapi_document() -> impl IntoResponse {
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let document = DOCUMENT.get_or_init(openapi::document_json).as_str();
    ([(axum::http::header::CONTENT_TYPE, "application/yaml; charset=utf-8")], document)
}

/// Liveness and the number of indexed documents
#[utoipa::path(get, path = "/healthz", tag = "service", operation_id = "healthz",
    responses((status = 200, description = "The service is up.", body = openapi::Healthz)))]
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    Json(json!({"status": "ok", "documents": state.index.num_docs()}))
}

/// Harvest health per source
#[utoipa::path(get, path = "/api/v1/sources", tag = "service", operation_id = "sources",
    responses((status = 200, description = "Every source of the catalogue; when this server does not harvest, the sources that `namndsok harvest` recorded in the index directory (an empty list when none did).", body = openapi::Sources)))]
async fn sources(State(state): State<AppState>) -> impl IntoResponse {
    let reports = source_reports(&state).await;
    let mut counts = std::collections::BTreeMap::new();
    for report in &reports {
        *counts
            .entry(serde_json::to_value(report.status).unwrap_or_default().as_str().unwrap_or("").to_string())
            .or_insert(0) += 1;
    }
    Json(json!({"harvesting": state.harvester.is_some(), "counts": counts, "sources": reports}))
}

/// Harvest health: the running harvester's, else what harvests outside this process recorded.
pub(crate) async fn source_reports(state: &AppState) -> Vec<namndsok_harvest::SourceReport> {
    if let Some(harvester) = &state.harvester {
        return harvester.reports();
    }
    let Some(dir) = state.harvest_dir.clone() else { return Vec::new() };
    let loaded = tokio::task::spawn_blocking(move || namndsok_harvest::HarvestState::load(&dir)).await;
    match loaded {
        Ok(Ok(recorded)) => {
            recorded.reports(namndsok_harvest::HarvestSettings::default().stale_after_days, chrono::Utc::now())
        }
        Ok(Err(error)) => {
            tracing::warn!(%error, "cannot read the harvest state");
            Vec::new()
        }
        Err(_) => Vec::new(),
    }
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such resource")
}

/// Routes whose path carries a secret (a feed, unsubscribe or confirmation token): their
/// requests are logged by route, never with the token.
const SECRET_ROUTES: &[&str] = &["/feeds/{feed_file}", "/unsubscribe/{token}", "/confirm/{token}"];

/// The span every request runs in: method, path (the route for secret-carrying paths) and the
/// `x-request-id` (set by [`SetRequestIdLayer`] when the client sent none).
fn request_span(request: &Request) -> Span {
    let matched = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str);
    let path = match matched {
        Some(route) if SECRET_ROUTES.contains(&route) => route,
        _ => request.uri().path(),
    };
    let request_id = request.headers().get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or("");
    tracing::info_span!("request", method = %request.method(), path, request_id)
}

/// One line per answered request.
fn log_response<B>(response: &axum::http::Response<B>, latency: Duration, _span: &Span) {
    tracing::info!(status = response.status().as_u16(), micros = latency.as_micros() as u64, "request");
}

/// A panicking handler answers with the API's `500 internal` (the panic is logged).
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    ApiError::internal(format_args!("handler panicked: {message}")).into_response()
}

/// The timeout layer's bare `503` in the API's error shape.
async fn timeout_response(response: Response) -> Response {
    let bare = response.status() == StatusCode::SERVICE_UNAVAILABLE
        && !response.headers().contains_key(axum::http::header::CONTENT_TYPE);
    if bare {
        return ApiError::unavailable(format!("the request took longer than {} s", REQUEST_TIMEOUT.as_secs()))
            .into_response();
    }
    response
}

#[cfg(test)]
mod layer_tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    async fn call(router: Router, request_id: Option<&str>) -> (StatusCode, Option<String>, serde_json::Value) {
        let mut request = Request::builder().uri("/boom");
        if let Some(id) = request_id {
            request = request.header("x-request-id", id);
        }
        let response = router.oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let id = response.headers().get("x-request-id").map(|v| v.to_str().unwrap().to_string());
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, id, serde_json::from_slice(&bytes).unwrap_or_default())
    }

    #[tokio::test]
    async fn a_panic_is_the_json_500_and_requests_carry_an_id() {
        let router = super::with_http_layers(Router::new().route("/boom", get(|| async { panic!("boom") as () })));
        let (status, id, body) = call(router.clone(), None).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body, serde_json::json!({"error": {"code": "internal", "message": "internal error"}}));
        assert_eq!(id.expect("an id is generated").len(), 36, "a UUID");
        let (_, id, _) = call(router, Some("abc-123")).await;
        assert_eq!(id.as_deref(), Some("abc-123"), "the client's id is kept");
    }

    #[tokio::test]
    async fn a_timeout_is_the_json_503() {
        let router = super::with_http_layers(
            Router::new()
                .route("/boom", get(|| async { tokio::time::sleep(std::time::Duration::from_secs(5)).await }))
                .route_layer(tower_http::timeout::TimeoutLayer::with_status_code(
                    StatusCode::SERVICE_UNAVAILABLE,
                    std::time::Duration::from_millis(10),
                )),
        );
        let (status, _, body) = call(router, None).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body["error"]["code"], "unavailable");
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    const METHODS: [&str; 5] = ["get", "post", "patch", "delete", "put"];

    /// `(method, path)` of every route `app` answers, found by asking it: every method on every
    /// path of its route table; a method the path lacks is answered 405. Paths in OpenAPI's
    /// spelling (`/feeds/{feed_file}` serves `/feeds/{feed_token}.atom`).
    async fn routes_in_app() -> BTreeSet<(String, String)> {
        use axum::body::Body;
        use axum::http::{Request, StatusCode};
        use tower::ServiceExt;

        let files = namndsok_analysis::resources::ConfigFiles::bundled();
        let index = std::sync::Arc::new(namndsok_index::SearchIndex::create_in_ram(files).unwrap());
        let app = crate::app(crate::AppState { index, harvester: None, harvest_dir: None, alerts: None });
        let paths = super::routes().into_iter().map(|(path, _)| path).chain([super::INGEST_PATH]);
        let mut routes = BTreeSet::new();
        for path in paths {
            let documented = if path == "/feeds/{feed_file}" { "/feeds/{feed_token}.atom" } else { path };
            let concrete = documented.replace("{id}", "x").replace("{token}", "x").replace("{feed_token}", "x");
            for method in METHODS {
                let request = Request::builder()
                    .method(method.to_uppercase().as_str())
                    .uri(&concrete)
                    .body(Body::empty())
                    .unwrap();
                let status = app.clone().oneshot(request).await.unwrap().status();
                if status != StatusCode::METHOD_NOT_ALLOWED {
                    routes.insert((method.to_string(), documented.to_string()));
                }
            }
        }
        routes
    }

    /// `(method, path)` of every operation of the generated OpenAPI document.
    fn routes_in_openapi() -> BTreeSet<(String, String)> {
        let document: serde_json::Value = serde_json::from_str(&crate::openapi::document_json()).unwrap();
        let mut routes = BTreeSet::new();
        for (path, item) in document["paths"].as_object().expect("paths") {
            for method in item.as_object().unwrap().keys().filter(|key| *key != "parameters") {
                routes.insert((method.clone(), path.clone()));
            }
        }
        routes
    }

    #[tokio::test]
    async fn openapi_describes_every_route_and_nothing_else() {
        let app = routes_in_app().await;
        let documented = routes_in_openapi();
        assert!(app.len() >= 20, "{app:?}");
        let undocumented: Vec<_> = app.difference(&documented).collect();
        assert!(undocumented.is_empty(), "routes missing from the OpenAPI document: {undocumented:?}");
        let unrouted: Vec<_> = documented.difference(&app).collect();
        assert!(unrouted.is_empty(), "the OpenAPI document describes routes the service lacks: {unrouted:?}");
    }

    #[test]
    fn openapi_has_the_error_shape_and_every_code() {
        let document: serde_json::Value = serde_json::from_str(&crate::openapi::document_json()).unwrap();
        assert!(document["openapi"].as_str().unwrap().starts_with("3.1."));
        let error = &document["components"]["schemas"]["Error"]["properties"]["error"];
        assert_eq!(error["required"], serde_json::json!(["code", "message"]));
        let codes: Vec<&str> =
            error["properties"]["code"]["enum"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        assert_eq!(
            codes,
            [
                "invalid_parameter",
                "unauthorized",
                "forbidden",
                "not_found",
                "conflict",
                "payload_too_large",
                "rate_limited",
                "internal",
                "unavailable"
            ]
        );
        assert_eq!(document["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");
        for response in ["BadRequest", "Unauthorized", "NotFound", "Internal", "Unavailable", "HtmlPage"] {
            assert!(document["components"]["responses"][response].is_object(), "{response}");
        }
    }

    /// The search parameters carry what only the data knows: the registry's codes, empty dates.
    #[test]
    fn openapi_search_parameters_name_the_accepted_codes() {
        let document: serde_json::Value = serde_json::from_str(&crate::openapi::document_json()).unwrap();
        let parameters = document["paths"]["/api/v1/search"]["get"]["parameters"].as_array().unwrap();
        let schema = |name: &str| &parameters.iter().find(|p| p["name"] == name).unwrap()["schema"];
        let kommun = schema("kommun")["items"]["enum"].as_array().unwrap();
        assert_eq!(kommun.len(), namndsok_model::Registry::global().all().len());
        assert!(kommun.contains(&serde_json::json!("1493")) && kommun.contains(&serde_json::json!("14")));
        assert_eq!(schema("lan")["items"]["enum"].as_array().unwrap().len(), 21);
        assert_eq!(schema("to")["anyOf"][1]["maxLength"], 0, "an empty date is no bound");
    }

    /// Every request body type refuses unknown fields, as its `deny_unknown_fields` does.
    #[test]
    fn openapi_request_bodies_are_closed() {
        let document: serde_json::Value = serde_json::from_str(&crate::openapi::document_json()).unwrap();
        for schema in ["NewAccount", "SavedSearchCreate", "SavedSearchPatch", "Filters", "FollowRequest", "Delivery"] {
            assert_eq!(document["components"]["schemas"][schema]["additionalProperties"], false, "{schema}");
        }
    }
}
