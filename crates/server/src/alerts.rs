//! Saved searches and alerts in the service: [`AlertsService`] holds the alert engine
//! (`namndsok-alerts`: the SQLite store, the matcher, the deliverer) and what every alert route
//! shares — the blocking pool, error mapping (authentication and JSON bodies are
//! [`crate::extract`]'s).
//!
//! The routes live in their own modules: [`crate::accounts`], [`crate::saved_searches`],
//! [`crate::ingest`], [`crate::feeds`] and the Swedish pages in [`crate::alert_pages`].
//! Without an [`AlertsService`] in the [`crate::AppState`] they answer `503 unavailable`.
//!
//! # Who may do what
//!
//! - An account is an e-mail address with one API token (stored hashed, compared in constant
//!   time). The token is shown once: printed by `namndsok accounts create`, or on the page the
//!   e-mailed confirmation link of `POST /api/v1/accounts` leads to (confirming issues a new
//!   token; the old one stops working).
//! - Saved searches need `Authorization: Bearer <token>`; an account sees and changes only its
//!   own, and another account's search is `404`, exactly like a missing one.
//! - `POST /api/v1/ingest` needs the token of an account an operator made a trusted feeder
//!   (`namndsok accounts create --email E --ingest`); any other account gets `403`.
//! - The web form (`POST /bevaka`) never starts alerts by itself: the search it saves waits,
//!   disabled, until the link mailed to the address is followed (so nobody can subscribe
//!   somebody else).
//!
//! # Matching and delivery
//!
//! [`AlertsService::match_documents`] runs on the blocking pool after each commit (ingest,
//! harvest) with the new and changed documents; it writes seen marks, feed entries and outbox
//! rows in one SQLite transaction. [`AlertsService::run_deliveries`] works the outbox every few
//! seconds. Without an SMTP relay, e-mail rows stay pending (webhooks still go out).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use namndsok_alerts::{
    Account, AlertError, AlertStore, Deliverer, DeliveryReport, MatchReport, Matcher, RetryPolicy, SmtpSettings,
    SmtpTls, WebhookSettings,
};
use namndsok_model::Document;

use crate::{ApiError, AppState};

/// The disabled reason of a search saved through the web form until its address is confirmed.
pub const AWAITING_CONFIRMATION: &str = "awaiting confirmation";
/// Saved searches one account may have.
pub const MAX_SEARCHES_PER_ACCOUNT: usize = 100;
/// Least time between two confirmation mails to the same address.
const CONFIRMATION_MAIL_GAP: Duration = Duration::from_secs(60);

/// The SMTP relay e-mail goes through.
#[derive(Debug, Clone)]
pub struct SmtpRelay {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The envelope and `From:` address.
    pub from: String,
}

/// How the alert service is set up (the binary fills it from flags).
#[derive(Debug, Clone)]
pub struct AlertsConfig {
    /// The site's public address without a trailing slash (`https://namndsok.se`): links in
    /// e-mails, webhooks, feed URLs and confirmation links start with it.
    pub public_url: String,
    /// Without a relay, e-mail (alerts and confirmation links) stays in the outbox.
    pub smtp: Option<SmtpRelay>,
    /// Let webhooks reach loopback, private and link-local addresses (tests; never in
    /// production unless the receivers are on your own network by choice).
    pub allow_private_webhooks: bool,
    /// Retry policy of the deliverer (the default unless tests need quicker retries).
    pub retry: RetryPolicy,
}

/// The alert engine as the service uses it.
pub struct AlertsService {
    store: AlertStore,
    matcher: Mutex<Matcher>,
    deliverer: Deliverer,
    public_url: String,
    /// When each address was last sent a confirmation link (a guard against mail bombing).
    confirmation_mails: Mutex<HashMap<String, Instant>>,
}

impl AlertsService {
    /// `matcher` must analyse with the index's configuration.
    pub fn new(store: AlertStore, matcher: Matcher, config: AlertsConfig) -> AlertsService {
        let public_url = config.public_url.trim_end_matches('/').to_string();
        let relay = config.smtp.clone();
        let smtp = SmtpSettings {
            host: relay.as_ref().map(|r| r.host.clone()).unwrap_or_default(),
            port: relay.as_ref().map_or(25, |r| r.port),
            username: relay.as_ref().and_then(|r| r.username.clone()),
            password: relay.as_ref().and_then(|r| r.password.clone()),
            from: relay.as_ref().map_or_else(|| "namndsok@localhost".to_string(), |r| r.from.clone()),
            base_url: public_url.clone(),
            tls: SmtpTls::None,
            extra_root_pem: None,
        };
        let webhook = WebhookSettings { allow_private_addresses: config.allow_private_webhooks, ..Default::default() };
        let mut deliverer = Deliverer::new(smtp, webhook).with_retry(config.retry);
        if relay.is_none() {
            deliverer = deliverer.without_email();
        }
        AlertsService {
            store,
            matcher: Mutex::new(matcher),
            deliverer,
            public_url,
            confirmation_mails: Mutex::new(HashMap::new()),
        }
    }

    /// Encrypts the connection to the SMTP relay: STARTTLS or implicit TLS (SMTPS). Plain SMTP
    /// (for a local relay) unless this is called.
    pub fn with_smtp_tls(mut self, tls: SmtpTls) -> AlertsService {
        self.deliverer.smtp.tls = tls;
        self
    }

    pub fn store(&self) -> &AlertStore {
        &self.store
    }

    pub fn deliverer(&self) -> &Deliverer {
        &self.deliverer
    }

    /// Whether e-mail can be sent (an SMTP relay is configured).
    pub fn email_enabled(&self) -> bool {
        self.deliverer.email_enabled
    }

    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// The private Atom feed of a saved search.
    pub fn feed_url(&self, feed_token: &str) -> String {
        format!("{}/feeds/{feed_token}.atom", self.public_url)
    }

    /// Matches just-committed documents against every active saved search (blocking: call it
    /// on the blocking pool). Errors are returned; the caller logs them.
    pub fn match_documents(&self, documents: &[Document]) -> Result<MatchReport, AlertError> {
        if documents.is_empty() {
            return Ok(MatchReport::default());
        }
        let mut matcher = self.matcher.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        matcher.match_batch(&self.store, documents, Utc::now())
    }

    /// Like [`Self::match_documents`], logging instead of returning errors (the harvest hook).
    pub fn match_and_log(&self, documents: &[Document]) {
        if let Err(error) = self.match_documents(documents) {
            tracing::error!(%error, documents = documents.len(), "matching saved searches failed");
        }
    }

    /// Sends everything due now (blocking).
    pub fn deliver_due(&self) -> Result<DeliveryReport, AlertError> {
        let mut total = DeliveryReport::default();
        loop {
            let report = self.deliverer.deliver_due(&self.store, Utc::now())?;
            let handled = report.sent + report.retried + report.failed + report.dropped;
            total.sent += report.sent;
            total.retried += report.retried;
            total.failed += report.failed;
            total.dropped += report.dropped;
            total.disabled.extend(report.disabled);
            // A full batch means there may be more.
            if handled < 100 {
                return Ok(total);
            }
        }
    }

    /// Works the outbox every `interval`, forever (start it with `tokio::spawn`). The first
    /// round runs one interval after the start.
    pub async fn run_deliveries(self: Arc<Self>, interval: Duration) {
        if !self.email_enabled() {
            tracing::warn!(
                "no SMTP relay configured (--smtp-host): e-mail alerts and confirmation links stay in the outbox \
                 until the server runs with one; webhooks are delivered"
            );
        }
        loop {
            tokio::time::sleep(interval).await;
            let service = self.clone();
            match tokio::task::spawn_blocking(move || service.deliver_due()).await {
                Ok(Ok(_)) => {}
                Ok(Err(error)) => tracing::error!(%error, "alert delivery round failed"),
                Err(error) => tracing::error!(%error, "alert delivery round panicked"),
            }
        }
    }

    /// Whether a confirmation mail may be sent to `email` now; records it when so.
    pub(crate) fn may_send_confirmation(&self, email: &str) -> bool {
        let mut sent = self.confirmation_mails.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        sent.retain(|_, at| now.duration_since(*at) < CONFIRMATION_MAIL_GAP);
        let key = email.trim().to_lowercase();
        if sent.contains_key(&key) {
            return false;
        }
        sent.insert(key, now);
        true
    }

    /// Queues the e-mail with a confirmation link for `account`: `{public}/confirm/{token}`,
    /// with `?api=1` when following it should also issue a new API token.
    pub(crate) fn send_confirmation(
        &self,
        account: &Account,
        label: Option<&str>,
        api: bool,
    ) -> Result<(), AlertError> {
        if !self.may_send_confirmation(&account.email) {
            tracing::info!(account = %account.id, "confirmation mail not sent again so soon");
            return Ok(());
        }
        let now = Utc::now();
        let token = self.store.start_confirmation(account.id, now)?;
        let link = format!("{}/confirm/{token}{}", self.public_url, if api { "?api=1" } else { "" });
        let hours = namndsok_alerts::store::CONFIRMATION_VALID_HOURS;
        let (subject, what) = match (api, label) {
            (true, _) => (
                "Din API-nyckel för Nämndsök".to_string(),
                "har bett om en API-nyckel för Nämndsök till den här e-postadressen".to_string(),
            ),
            (false, Some(label)) => (
                "Bekräfta din bevakning på Nämndsök".to_string(),
                format!("vill bevaka sökningen \"{}\" på Nämndsök med den här e-postadressen", clean(label)),
            ),
            (false, None) => (
                "Bekräfta din e-postadress för Nämndsök".to_string(),
                "vill använda den här e-postadressen på Nämndsök".to_string(),
            ),
        };
        let body = format!(
            "Hej!\n\nNågon (förhoppningsvis du) {what}.\n\nBekräfta genom att öppna länken:\n{link}\n\n\
             Länken gäller i {hours} timmar. Var det inte du kan du bortse från mejlet: då händer ingenting.\n\n\
             Hälsningar\nNämndsök\n"
        );
        self.store.enqueue_notice(account.id, &subject, &body, now)?;
        Ok(())
    }
}

/// Control characters out (the label goes into a plain-text mail).
fn clean(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(300).collect()
}

/// The service, or `503 unavailable` when the server runs without alerts.
pub(crate) fn service(state: &AppState) -> Result<Arc<AlertsService>, ApiError> {
    state
        .alerts
        .clone()
        .ok_or_else(|| ApiError::unavailable("saved searches and alerts are not enabled on this server"))
}

/// Runs `f` with the service on the blocking pool (SQLite, DNS, the index).
pub(crate) async fn blocking<T: Send + 'static>(
    service: Arc<AlertsService>,
    f: impl FnOnce(&AlertsService) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(move || f(&service)).await.map_err(ApiError::internal)?
}

/// The engine's errors in the API's shape; `field` names what the request got wrong.
pub(crate) fn alert_error(error: AlertError, field: &str) -> ApiError {
    match error {
        AlertError::NotFound => ApiError::not_found("no such saved search"),
        AlertError::InvalidQuery(message) => ApiError::invalid_parameter(format!("{field}: {message}")),
        AlertError::InvalidEmail(_) => ApiError::invalid_parameter("email: not a valid e-mail address"),
        AlertError::InvalidWebhook(message) => ApiError::invalid_parameter(format!("delivery.webhook: {message}")),
        AlertError::InvalidCase(message) => ApiError::invalid_parameter(format!("follow: {message}")),
        AlertError::EmailTaken => ApiError::conflict("an account with this e-mail address exists already"),
        other => ApiError::internal(other),
    }
}
