//! Per-client rate limits: a generous one on searching, a strict one on what sends mail
//! (creating an account, the "Bevaka" form, confirming). Keyed by the peer's IP address (GCRA,
//! `tower_governor`); a client over its quota gets `429` with `Retry-After` — JSON for the API,
//! a Swedish page for the web page — and everyone else is unaffected.
//!
//! Behind a reverse proxy every client has the proxy's address: then the proxy should limit,
//! or the limits be turned off here (`serve --no-rate-limits`).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderValue, Request, Response, StatusCode};
use axum::response::IntoResponse;
use governor::middleware::NoOpMiddleware;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;
use tower_governor::{GovernorError, GovernorLayer};

use crate::error::{ApiError, ErrorCode};

/// The quotas; `None` turns a limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Searches (API, feed, web page) per client: a burst, then one more per interval.
    pub search: Option<Quota>,
    /// Account creation, the "Bevaka" form and confirmations per client.
    pub signup: Option<Quota>,
}

/// A burst of `burst` requests, then one per `every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub burst: u32,
    pub every: Duration,
}

impl Default for RateLimits {
    /// Searching: bursts of 300, then 50 a second per client. Mail: bursts of 5, then one a
    /// minute per client.
    fn default() -> RateLimits {
        RateLimits {
            search: Some(Quota { burst: 300, every: Duration::from_millis(20) }),
            signup: Some(Quota { burst: 5, every: Duration::from_secs(60) }),
        }
    }
}

impl RateLimits {
    pub fn off() -> RateLimits {
        RateLimits { search: None, signup: None }
    }
}

/// The peer's IP address; requests without one (in-process tests) share one key.
#[derive(Debug, Clone, Copy)]
pub struct PeerIp;

impl KeyExtractor for PeerIp {
    type Key = IpAddr;

    fn extract<T>(&self, request: &Request<T>) -> Result<IpAddr, GovernorError> {
        Ok(request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip()))
    }
}

/// How a refusal is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Api,
    Page,
}

/// One quota's limiter, shared by every route it wraps (the API's search and the page's
/// search count against the same quota).
#[derive(Clone)]
pub struct Limiter {
    config: Arc<tower_governor::governor::GovernorConfig<PeerIp, NoOpMiddleware>>,
}

impl Limiter {
    pub fn new(quota: Quota) -> Limiter {
        let config = GovernorConfigBuilder::default()
            .period(quota.every)
            .burst_size(quota.burst.max(1))
            .key_extractor(PeerIp)
            .finish()
            .expect("a quota with a period and a burst is valid");
        let config = Arc::new(config);
        // Forget clients that have been quiet, so the map of keys stays small; the thread ends
        // with the last router holding the limiter.
        let limiter = Arc::downgrade(config.limiter());
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_secs(60));
            match limiter.upgrade() {
                Some(limiter) => limiter.retain_recent(),
                None => break,
            }
        });
        Limiter { config }
    }

    /// The layer for routes answered to `audience`.
    pub fn layer(&self, audience: Audience) -> GovernorLayer<PeerIp, NoOpMiddleware, Body> {
        GovernorLayer::new(self.config.clone()).error_handler(move |error| refusal(error, audience))
    }
}

fn refusal(error: GovernorError, audience: Audience) -> Response<Body> {
    let wait = match &error {
        GovernorError::TooManyRequests { wait_time, .. } => (*wait_time).max(1),
        _ => 1,
    };
    let mut response = match audience {
        Audience::Api => {
            ApiError::new(ErrorCode::RateLimited, format!("too many requests from this address; try again in {wait} s"))
                .into_response()
        }
        Audience::Page => {
            let body = maud::html! {
                p { "Du har gjort många förfrågningar på kort tid. Försök igen om " (wait) " sekunder." }
            };
            crate::pages::layout::html_response(
                StatusCode::TOO_MANY_REQUESTS,
                crate::pages::errors::message_page("För många förfrågningar", body),
            )
        }
    };
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
    response
}
