//! The outbox worker: leases due rows, sends them by e-mail or webhook, and records the outcome.
//!
//! - **E-mail**: one plain-text message in Swedish per row, with each new document's title,
//!   kommun, date and link (`{base_url}/d/{id}`), or for a flood a summary with the count and a
//!   link to the search; a one-click unsubscribe link (`{base_url}/unsubscribe/{token}`) in the
//!   body and as `List-Unsubscribe` (RFC 8058). Sent with lettre, see [`crate::smtp`] (plain
//!   SMTP to a local relay, STARTTLS or implicit TLS, as [`SmtpSettings::tls`] says). A 5xx
//!   answer from the relay is permanent and gives the row up; anything else is retried.
//! - **Webhook**: `POST` of `{"delivery_id", "saved_search_id", …, "documents": […]}` with
//!   `X-Namndsok-Signature: sha256=<hex HMAC-SHA256 of the exact body, keyed with the search's
//!   secret>` and `X-Namndsok-Delivery: <delivery id>` (the same on every retry). `http://` or
//!   `https://` (TLS, see [`crate::webhook`]); a TLS failure (an untrusted certificate, say) is
//!   a failed delivery, retried like any other.
//! - **Retries**: exponential backoff from [`RetryPolicy::base`] doubling up to
//!   [`RetryPolicy::max_delay`], each delay jittered to a random point in its upper half. A
//!   webhook search whose deliveries fail [`RetryPolicy::max_webhook_failures`] times in a row
//!   is disabled and its owner is told by e-mail. E-mail rows are given up after
//!   [`RetryPolicy::max_email_attempts`] (the relay being down is not the subscriber's fault, so
//!   it does not disable searches).
//! - **Daily digests** need nothing here: the matcher schedules their row for the digest hour
//!   (Europe/Stockholm, see [`crate::schedule`]), and a row is only taken when due.
//!
//! Delivery is at least once: a worker that dies between sending and marking sent leaves the
//! row leased, and it is sent again when the lease runs out, with the same delivery id.

use std::net::SocketAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::matcher::{AlertDocument, AlertPayload};
use namndsok_model::url::encode_component;

use crate::smtp::{self, Email, SmtpServer, Tls as SmtpTls};
use crate::store::{Account, AlertStore, Delivery, OutboxItem, OutboxKind, SavedSearch, SearchId};
use crate::webhook::{self, WebhookError, WebhookUrl};
use crate::AlertError;

/// The SMTP relay and how links in messages are written.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// AUTH user name (PLAIN or LOGIN, as the relay offers), if the relay wants one.
    pub username: Option<String>,
    pub password: Option<String>,
    /// The envelope and `From:` address.
    pub from: String,
    /// The public address of the site, without a trailing slash (`https://namndsok.se`): links
    /// to documents, searches and unsubscribing start with it (in webhooks too).
    pub base_url: String,
    /// Plain SMTP (the default, for a local relay), STARTTLS, or implicit TLS (SMTPS).
    pub tls: SmtpTls,
    /// With TLS, trust only the certificates in this PEM instead of the system roots (tests,
    /// or a relay with a private CA).
    pub extra_root_pem: Option<String>,
}

/// How webhooks are sent.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Allow loopback, private and link-local addresses (tests, or receivers on our own
    /// network by deliberate choice). Off in production.
    pub allow_private_addresses: bool,
    /// Connect timeout, and the timeout of one whole delivery.
    pub timeout: Duration,
    /// For `https://` webhooks, trust only the certificates in this PEM instead of the system
    /// roots (tests, or receivers with a private CA).
    pub extra_root_pem: Option<String>,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings { allow_private_addresses: false, timeout: Duration::from_secs(10), extra_root_pem: None }
    }
}

/// When to try again and when to give up.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// The first retry's delay (before jitter).
    pub base: chrono::Duration,
    pub max_delay: chrono::Duration,
    /// Consecutive failed deliveries after which a webhook search is disabled.
    pub max_webhook_failures: u32,
    /// Attempts after which an e-mail row is given up.
    pub max_email_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base: chrono::Duration::seconds(60),
            max_delay: chrono::Duration::hours(6),
            max_webhook_failures: 8,
            max_email_attempts: 12,
        }
    }
}

impl RetryPolicy {
    /// The delay before the next try after `attempts` failed ones (1, 2, …): `base · 2^(n−1)`,
    /// capped, then jittered uniformly into its upper half.
    pub fn delay(&self, attempts: u32) -> chrono::Duration {
        let exponent = attempts.saturating_sub(1).min(30);
        let full = self.base.num_milliseconds().saturating_mul(1i64 << exponent).min(self.max_delay.num_milliseconds());
        let half = full / 2;
        chrono::Duration::milliseconds(half + crate::util::random_below(half.max(0) as u64 + 1) as i64)
    }
}

/// What one [`Deliverer::deliver_due`] call did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeliveryReport {
    pub sent: usize,
    /// Failed attempts that will be retried.
    pub retried: usize,
    /// Rows given up after failed attempts.
    pub failed: usize,
    /// Rows dropped unsent because their search was disabled, unsubscribed or deleted.
    pub dropped: usize,
    /// Webhook searches disabled for failing too often.
    pub disabled: Vec<SearchId>,
}

/// How long a taken row is reserved for the worker that took it.
const LEASE: chrono::Duration = chrono::Duration::minutes(5);
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// Rows taken per call.
const BATCH: usize = 100;
/// Longest title put into a message.
const MAX_TITLE_CHARS: usize = 300;

/// Sends due outbox rows.
#[derive(Debug, Clone)]
pub struct Deliverer {
    pub smtp: SmtpSettings,
    pub webhook: WebhookSettings,
    pub retry: RetryPolicy,
    /// Whether e-mail is sent at all. Without a relay (false), e-mail and notice rows stay
    /// pending, untouched, until a deliverer with a relay takes them; webhooks still go out.
    pub email_enabled: bool,
}

/// The JSON a webhook receives.
#[derive(Debug, Serialize)]
struct WebhookBody<'a> {
    delivery_id: &'a str,
    saved_search_id: SearchId,
    query: &'a str,
    label: &'a str,
    total: usize,
    summary: bool,
    search_url: String,
    documents: Vec<WebhookDocument<'a>>,
}

#[derive(Debug, Serialize)]
struct WebhookDocument<'a> {
    #[serde(flatten)]
    document: &'a AlertDocument,
    /// The document's page on Nämndsök.
    link: String,
}

enum Outcome {
    Sent,
    /// Failed; `permanent` when trying again cannot help.
    Failed {
        error: String,
        permanent: bool,
    },
}

impl Deliverer {
    pub fn new(smtp: SmtpSettings, webhook: WebhookSettings) -> Deliverer {
        Deliverer { smtp, webhook, retry: RetryPolicy::default(), email_enabled: true }
    }

    /// Sends webhooks only; e-mail stays in the outbox (see [`Deliverer::email_enabled`]).
    pub fn without_email(mut self) -> Deliverer {
        self.email_enabled = false;
        self
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Deliverer {
        self.retry = retry;
        self
    }

    /// Checks a webhook URL: its form, and (unless private addresses are allowed) that every
    /// address its host resolves to is public. Returns the addresses. Run it when a webhook
    /// search is saved, too; it runs again before every delivery.
    pub fn check_webhook_url(&self, url: &str) -> Result<Vec<SocketAddr>, WebhookError> {
        let url = WebhookUrl::parse(url)?;
        webhook::resolve_checked(&url, self.webhook.allow_private_addresses)
    }

    /// Sends every row due at `now` (up to 100 per call; call again while `sent + retried +
    /// failed + dropped` is 100). Without e-mail, only webhook rows are taken.
    ///
    /// This blocks on the network (SMTP, and reqwest's blocking client, which runs a runtime of
    /// its own): call it from a plain or blocking thread (`spawn_blocking`), never from inside
    /// an async task.
    pub fn deliver_due(&self, store: &AlertStore, now: DateTime<Utc>) -> Result<DeliveryReport, AlertError> {
        let mut report = DeliveryReport::default();
        let kinds: &[OutboxKind] = if self.email_enabled {
            &[OutboxKind::Email, OutboxKind::Webhook, OutboxKind::Notice]
        } else {
            &[OutboxKind::Webhook]
        };
        // Built on the first webhook of the pass, used for the rest of it.
        let mut client = None;
        for item in store.claim_due_of(now, BATCH, LEASE, kinds)? {
            self.deliver_one(store, &item, now, &mut report, &mut client)?;
        }
        if report != DeliveryReport::default() {
            tracing::info!(
                sent = report.sent,
                retried = report.retried,
                failed = report.failed,
                dropped = report.dropped,
                disabled = report.disabled.len(),
                "alert deliveries"
            );
        }
        Ok(report)
    }

    fn deliver_one(
        &self,
        store: &AlertStore,
        item: &OutboxItem,
        now: DateTime<Utc>,
        report: &mut DeliveryReport,
        client: &mut Option<reqwest::blocking::Client>,
    ) -> Result<(), AlertError> {
        if item.kind == OutboxKind::Notice {
            let account = match store.account(item.account_id) {
                Ok(account) => account,
                Err(AlertError::NotFound) => return drop_row(store, item, "account deleted", report),
                Err(error) => return Err(error),
            };
            let subject = item.payload["subject"].as_str().unwrap_or("Nämndsök");
            let body = item.payload["body"].as_str().unwrap_or("");
            let message = self.message(&account.email, subject, body, &item.delivery_id, None, now);
            let outcome = self.send_email(&message);
            return self.record_email(store, item, outcome, now, report);
        }
        let Some(search_id) = item.saved_search_id else {
            return drop_row(store, item, "no saved search", report);
        };
        let search = match store.search_by_id(search_id) {
            Ok(search) => search,
            Err(AlertError::NotFound) => return drop_row(store, item, "search deleted", report),
            Err(error) => return Err(error),
        };
        if search.disabled {
            let reason = format!("search disabled ({})", search.disabled_reason.as_deref().unwrap_or("no reason"));
            return drop_row(store, item, &reason, report);
        }
        let payload: AlertPayload = match serde_json::from_value(item.payload.clone()) {
            Ok(payload) => payload,
            Err(error) => return drop_row(store, item, &format!("unreadable payload: {error}"), report),
        };
        match &search.delivery {
            Delivery::Email => {
                let account = store.account(search.account_id)?;
                let message = self.alert_email(&account, &search, &payload, &item.delivery_id, now);
                let outcome = self.send_email(&message);
                self.record_email(store, item, outcome, now, report)
            }
            Delivery::Webhook { url, secret } => {
                let body = self.webhook_body(&item.delivery_id, &search, &payload);
                let outcome = match self.post_webhook(client, url, secret, &item.delivery_id, &body) {
                    Ok(()) => Outcome::Sent,
                    Err(error) => Outcome::Failed { error: error.to_string(), permanent: false },
                };
                self.record_webhook(store, item, &search, outcome, now, report)
            }
        }
    }

    fn send_email(&self, email: &Email) -> Outcome {
        let server = SmtpServer {
            host: self.smtp.host.clone(),
            port: self.smtp.port,
            credentials: self.smtp.username.clone().map(|user| (user, self.smtp.password.clone().unwrap_or_default())),
            helo_name: self.sender_domain().to_string(),
            timeout: SMTP_TIMEOUT,
            tls: self.smtp.tls,
            extra_root_pem: self.smtp.extra_root_pem.clone(),
        };
        match smtp::send(&server, email) {
            Ok(()) => Outcome::Sent,
            Err(error) => Outcome::Failed { permanent: error.is_permanent(), error: error.to_string() },
        }
    }

    fn record_email(
        &self,
        store: &AlertStore,
        item: &OutboxItem,
        outcome: Outcome,
        now: DateTime<Utc>,
        report: &mut DeliveryReport,
    ) -> Result<(), AlertError> {
        match outcome {
            Outcome::Sent => {
                store.mark_sent(item.id, now)?;
                report.sent += 1;
            }
            Outcome::Failed { error, permanent } => {
                let attempts = item.attempts + 1;
                tracing::warn!(delivery = %item.delivery_id, attempts, %error, "e-mail delivery failed");
                if permanent || attempts >= self.retry.max_email_attempts {
                    store.mark_failed(item.id, &error, None)?;
                    report.failed += 1;
                } else {
                    store.mark_failed(item.id, &error, Some(now + self.retry.delay(attempts)))?;
                    report.retried += 1;
                }
            }
        }
        Ok(())
    }

    fn record_webhook(
        &self,
        store: &AlertStore,
        item: &OutboxItem,
        search: &SavedSearch,
        outcome: Outcome,
        now: DateTime<Utc>,
        report: &mut DeliveryReport,
    ) -> Result<(), AlertError> {
        let error = match outcome {
            Outcome::Sent => {
                store.mark_sent(item.id, now)?;
                store.reset_failures(search.id)?;
                report.sent += 1;
                return Ok(());
            }
            Outcome::Failed { error, .. } => error,
        };
        let failures = store.record_failure(search.id)?;
        tracing::warn!(delivery = %item.delivery_id, search = %search.id, failures, %error, "webhook delivery failed");
        if failures < self.retry.max_webhook_failures {
            store.mark_failed(item.id, &error, Some(now + self.retry.delay(item.attempts + 1)))?;
            report.retried += 1;
            return Ok(());
        }
        let reason = format!("webhook failed {failures} times in a row; last error: {error}");
        store.disable_search(search.id, &reason)?;
        store.mark_failed(item.id, &error, None)?;
        report.failed += 1;
        report.disabled.push(search.id);
        let Delivery::Webhook { url, .. } = &search.delivery else { return Ok(()) };
        let body = format!(
            "Hej!\n\nDin bevakning \"{label}\" på Nämndsök skickar träffar till webhooken\n{url}\n\n\
             De senaste {failures} leveranserna misslyckades, så bevakningen är nu avstängd.\n\
             Senaste felet: {error}\n\nNär mottagaren fungerar igen kan du slå på bevakningen genom att skicka\n\
             PATCH {base}/api/v1/saved-searches/{id} med {{\"enabled\": true}}.\n\nHälsningar\nNämndsök\n",
            label = clean(&search.label()),
            base = self.base(),
            id = search.id,
        );
        store.enqueue_notice(search.account_id, "Nämndsök: din webhook-bevakning är avstängd", &body, now)?;
        Ok(())
    }

    fn post_webhook(
        &self,
        client: &mut Option<reqwest::blocking::Client>,
        url: &str,
        secret: &str,
        delivery_id: &str,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        let parsed = WebhookUrl::parse(url)?;
        let allow_private = self.webhook.allow_private_addresses;
        let client = match client {
            Some(client) => client,
            None => client.insert(webhook::client(
                self.webhook.timeout,
                allow_private,
                self.webhook.extra_root_pem.as_deref(),
            )?),
        };
        let signature = webhook::signature(secret, body);
        webhook::post(client, &parsed, allow_private, body, delivery_id, &signature)?;
        Ok(())
    }

    /// The exact bytes POSTed for a delivery (what the signature covers).
    pub fn webhook_body(&self, delivery_id: &str, search: &SavedSearch, payload: &AlertPayload) -> Vec<u8> {
        let body = WebhookBody {
            delivery_id,
            saved_search_id: search.id,
            query: &payload.query,
            label: &payload.label,
            total: payload.total,
            summary: payload.summary,
            search_url: self.search_url(payload),
            documents: payload
                .documents
                .iter()
                .map(|document| WebhookDocument { document, link: self.document_url(&document.id) })
                .collect(),
        };
        serde_json::to_vec(&body).expect("a webhook body serialises")
    }

    /// The e-mail for a search's delivery.
    pub fn alert_email(
        &self,
        account: &Account,
        search: &SavedSearch,
        payload: &AlertPayload,
        delivery_id: &str,
        now: DateTime<Utc>,
    ) -> Email {
        let label = clean(&payload.label);
        let count = payload.total;
        let (subject_count, documents) = if count == 1 {
            ("1 ny träff".to_string(), "ett nytt dokument".to_string())
        } else {
            (format!("{count} nya träffar"), format!("{count} nya dokument"))
        };
        let subject = format!("Nämndsök: {subject_count} för \"{label}\"");
        let unsubscribe = self.unsubscribe_url(&search.unsubscribe_token);
        let mut body = format!("Hej!\n\nDet har kommit {documents} som matchar din bevakning \"{label}\"");
        if payload.summary {
            body.push_str(".\nDet är för många för att lista här; se dem alla på Nämndsök:\n");
            body.push_str(&self.search_url(payload));
            body.push_str("\n\n");
        } else {
            body.push_str(":\n\n");
        }
        for (number, document) in payload.documents.iter().enumerate() {
            body.push_str(&format!(
                "{}. {}\n   {}, {}\n   {}\n\n",
                number + 1,
                clean(&document.title),
                clean(&document.kommun),
                document.date.format("%Y-%m-%d"),
                self.document_url(&document.id)
            ));
        }
        if !payload.summary {
            body.push_str(&format!("Se alla träffar för sökningen: {}\n\n", self.search_url(payload)));
        }
        body.push_str(&format!(
            "Avsluta bevakningen med ett klick: {unsubscribe}\n\
             Du får det här meddelandet eftersom någon med den här adressen har bevakat sökningen på Nämndsök.\n"
        ));
        self.message(&account.email, &subject, &body, delivery_id, Some(&unsubscribe), now)
    }

    /// A message from the configured sender.
    fn message(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        delivery_id: &str,
        unsubscribe: Option<&str>,
        now: DateTime<Utc>,
    ) -> Email {
        Email {
            from: self.smtp.from.clone(),
            to: to.to_string(),
            subject: subject.to_string(),
            body: body.to_string(),
            message_id: format!("{delivery_id}@{}", self.sender_domain()),
            delivery_id: delivery_id.to_string(),
            unsubscribe: unsubscribe.map(str::to_string),
            date: now.into(),
        }
    }

    fn sender_domain(&self) -> &str {
        self.smtp.from.rsplit_once('@').map_or("localhost", |(_, domain)| domain)
    }

    fn base(&self) -> &str {
        self.smtp.base_url.trim_end_matches('/')
    }

    /// `{base_url}/d/{id}`.
    pub fn document_url(&self, id: &str) -> String {
        format!("{}/d/{}", self.base(), encode_component(id))
    }

    /// `{base_url}/unsubscribe/{token}`.
    pub fn unsubscribe_url(&self, token: &str) -> String {
        format!("{}/unsubscribe/{}", self.base(), encode_component(token))
    }

    /// The search page showing the payload's search.
    pub fn search_url(&self, payload: &AlertPayload) -> String {
        format!("{}/?{}", self.base(), payload.search_query)
    }
}

fn drop_row(
    store: &AlertStore,
    item: &OutboxItem,
    reason: &str,
    report: &mut DeliveryReport,
) -> Result<(), AlertError> {
    tracing::info!(delivery = %item.delivery_id, reason, "outbox row dropped");
    store.mark_dropped(item.id, reason)?;
    report.dropped += 1;
    Ok(())
}

/// Untrusted text for a plain-text message: control characters (line breaks too) become spaces,
/// and very long titles are shortened.
fn clean(text: &str) -> String {
    let mut out: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(MAX_TITLE_CHARS).collect();
    if text.chars().count() > MAX_TITLE_CHARS {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_a_cap() {
        let policy = RetryPolicy::default();
        for attempts in 1..=12 {
            let full = (60i64 * 1000 * (1 << (attempts - 1))).min(6 * 3600 * 1000);
            for _ in 0..20 {
                let delay = policy.delay(attempts as u32).num_milliseconds();
                assert!(delay >= full / 2 && delay <= full, "{attempts}: {delay} vs {full}");
            }
        }
    }

    #[test]
    fn header_text_loses_its_line_breaks() {
        assert_eq!(clean("a\r\nBcc: x"), "a  Bcc: x");
    }
}
