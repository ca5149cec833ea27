//! Polite HTTP: one request at a time per host, a minimum interval between them, a descriptive
//! User-Agent, timeouts, a size cap, retries with exponential backoff and jitter, `Retry-After`,
//! and conditional requests (`If-None-Match` / `If-Modified-Since`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex as StdMutex, Once};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, RETRY_AFTER};
use reqwest::StatusCode;
use tokio::sync::Mutex;

/// How the fetcher behaves; every limit is a setting so tests can shrink them.
#[derive(Debug, Clone)]
pub struct FetchSettings {
    pub user_agent: String,
    pub connect_timeout: Duration,
    /// The whole request, body included.
    pub timeout: Duration,
    /// Bodies larger than this are refused (a broken or hostile source).
    pub max_body_bytes: usize,
    /// Attempts per request (1 = no retries).
    pub attempts: u32,
    /// First backoff; doubles each attempt, with up to 50% jitter.
    pub backoff: Duration,
    /// Longest `Retry-After` honoured; longer ones fail the request for this pass.
    pub max_retry_after: Duration,
    /// Least time between two requests to the same host.
    pub min_interval_per_host: Duration,
}

impl Default for FetchSettings {
    fn default() -> FetchSettings {
        FetchSettings {
            user_agent: format!(
                "Namndsok/{} (search of Swedish council documents; harvester; contact via https://namndsok.se/om)",
                env!("CARGO_PKG_VERSION")
            ),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body_bytes: 20 * 1024 * 1024,
            attempts: 3,
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(120),
            min_interval_per_host: Duration::from_millis(1000),
        }
    }
}

/// Why a fetch failed (after retries).
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum FetchError {
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: timed out")]
    Timeout { url: String },
    #[error("{url}: {message}")]
    Connection { url: String, message: String },
    #[error("{url}: body larger than {limit} bytes")]
    TooLarge { url: String, limit: usize },
    #[error("{url}: asked to retry after {seconds} s, longer than allowed")]
    RetryAfterTooLong { url: String, seconds: u64 },
    #[error("{url}: invalid URL")]
    InvalidUrl { url: String },
}

/// A successful response.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// `None` when the server answered 304 Not Modified.
    pub body: Option<Vec<u8>>,
    pub headers: HeaderMap,
    /// Validators to send next time.
    pub validators: Validators,
}

/// `ETag` / `Last-Modified` of a previous response.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A request to send.
#[derive(Debug, Clone)]
pub enum Body {
    Get,
    PostJson(String),
}

/// The shared HTTP client with per-host politeness.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    settings: FetchSettings,
    hosts: Arc<StdMutex<HashMap<String, HostSlot>>>,
}

/// One host's turn: held for a whole exchange; remembers when its last request ended.
type HostSlot = Arc<Mutex<Option<Instant>>>;

static TLS_PROVIDER: Once = Once::new();

impl Fetcher {
    pub fn new(settings: FetchSettings) -> Fetcher {
        // rustls on `ring`; installed once per process.
        TLS_PROVIDER.call_once(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.timeout)
            .build()
            .expect("the HTTP client builds");
        Fetcher { client, settings, hosts: Arc::new(StdMutex::new(HashMap::new())) }
    }

    pub fn settings(&self) -> &FetchSettings {
        &self.settings
    }

    /// Fetches `url` politely, retrying transient failures. `min_interval` is the source's
    /// own pace; the host's pace is the larger of it and the setting. Bodies are capped at the
    /// setting's `max_body_bytes`.
    pub async fn fetch(
        &self,
        url: &str,
        body: &Body,
        validators: Option<&Validators>,
        min_interval: Duration,
    ) -> Result<Fetched, FetchError> {
        self.fetch_capped(url, body, validators, min_interval, self.settings.max_body_bytes).await
    }

    /// [`Fetcher::fetch`] with its own body cap (files have a larger one than listings).
    pub async fn fetch_capped(
        &self,
        url: &str,
        body: &Body,
        validators: Option<&Validators>,
        min_interval: Duration,
        max_bytes: usize,
    ) -> Result<Fetched, FetchError> {
        let interval = min_interval.max(self.settings.min_interval_per_host);
        let host = reqwest::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0))))
            .ok_or_else(|| FetchError::InvalidUrl { url: url.to_string() })?;
        let slot = {
            let mut hosts = self.hosts.lock().expect("hosts lock");
            hosts.entry(host).or_insert_with(|| Arc::new(Mutex::new(None))).clone()
        };
        // One request at a time per host: hold the host's lock for the whole exchange.
        let mut last = slot.lock().await;
        let mut attempt = 0;
        loop {
            attempt += 1;
            if let Some(previous) = *last {
                let wait = interval.saturating_sub(previous.elapsed());
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
            }
            let result = self.once(url, body, validators, max_bytes).await;
            *last = Some(Instant::now());
            let retry_in = match result {
                Ok(fetched) => return Ok(fetched),
                Err(Attempt::Final(error)) => return Err(error),
                Err(Attempt::Retry { error, after }) => {
                    if attempt >= self.settings.attempts {
                        return Err(error);
                    }
                    match after {
                        Some(after) if after > self.settings.max_retry_after => {
                            return Err(FetchError::RetryAfterTooLong {
                                url: url.to_string(),
                                seconds: after.as_secs(),
                            })
                        }
                        Some(after) => after,
                        None => self.backoff(attempt),
                    }
                }
            };
            tracing::debug!(url, attempt, wait_ms = retry_in.as_millis() as u64, "retrying");
            tokio::time::sleep(retry_in).await;
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.settings.backoff.saturating_mul(1 << (attempt - 1).min(10));
        // Jitter from the clock's nanoseconds: enough to spread retries, no RNG dependency.
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        base + base.mul_f64(f64::from(nanos % 1000) / 2000.0)
    }

    async fn once(
        &self,
        url: &str,
        body: &Body,
        validators: Option<&Validators>,
        max_bytes: usize,
    ) -> Result<Fetched, Attempt> {
        let mut request = match body {
            Body::Get => self.client.get(url),
            Body::PostJson(json) => {
                self.client.post(url).header(reqwest::header::CONTENT_TYPE, "application/json").body(json.clone())
            }
        };
        if let Some(validators) = validators {
            if let Some(etag) = validators.etag.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(modified) = validators.last_modified.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
                request = request.header(IF_MODIFIED_SINCE, modified);
            }
        }
        let transient = |error: FetchError| Attempt::Retry { error, after: None };
        let mut response = request.send().await.map_err(|e| transient(self.describe(url, &e)))?;
        let status = response.status();
        let headers = response.headers().clone();
        if status == StatusCode::NOT_MODIFIED {
            let validators = validators.cloned().unwrap_or_default();
            return Ok(Fetched { body: None, headers, validators });
        }
        if !status.is_success() {
            let error = FetchError::Status { url: url.to_string(), status: status.as_u16() };
            let after = headers
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            return Err(
                if status.is_server_error()
                    || status == StatusCode::TOO_MANY_REQUESTS
                    || status == StatusCode::REQUEST_TIMEOUT
                {
                    Attempt::Retry { error, after }
                } else {
                    Attempt::Final(error)
                },
            );
        }
        if response.content_length().is_some_and(|length| length > max_bytes as u64) {
            return Err(Attempt::Final(FetchError::TooLarge { url: url.to_string(), limit: max_bytes }));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| transient(self.describe(url, &e)))? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > max_bytes {
                return Err(Attempt::Final(FetchError::TooLarge { url: url.to_string(), limit: max_bytes }));
            }
        }
        let validators = Validators {
            etag: headers.get(ETAG).and_then(|v| v.to_str().ok()).map(str::to_string),
            last_modified: headers.get(LAST_MODIFIED).and_then(|v| v.to_str().ok()).map(str::to_string),
        };
        Ok(Fetched { body: Some(bytes), headers, validators })
    }

    fn describe(&self, url: &str, error: &reqwest::Error) -> FetchError {
        if error.is_timeout() {
            FetchError::Timeout { url: url.to_string() }
        } else {
            let mut message = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(inner) = source {
                message = format!("{message}: {inner}");
                source = inner.source();
            }
            FetchError::Connection { url: url.to_string(), message }
        }
    }
}

enum Attempt {
    Retry { error: FetchError, after: Option<Duration> },
    Final(FetchError),
}
