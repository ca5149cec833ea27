//! TLS in alert delivery, against real servers on 127.0.0.1 started by the tests: an HTTPS
//! webhook receiver and SMTP servers with STARTTLS and implicit TLS, all with certificates of a
//! test CA made here.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::*;
use namndsok_alerts::webhook::verify_signature;
use namndsok_alerts::{
    Deliverer, Delivery, NewSearch, OutboxState, SavedQuery, SmtpSettings, SmtpTls, WebhookSettings,
};

fn https_deliverer(extra_root_pem: Option<String>) -> Deliverer {
    Deliverer::new(
        no_smtp(),
        WebhookSettings { allow_private_addresses: true, timeout: Duration::from_secs(5), extra_root_pem },
    )
}

#[test]
fn https_webhooks_are_delivered_over_tls_with_a_valid_signature() {
    let ca = TestCa::new("trusted");
    let receiver = Receiver::start_https(ca.server_config());
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account = confirmed_account(&store, "system@example.org");
    let now = Utc::now();
    let url = receiver.https_url("/hook");
    let search =
        store.create_saved_search(account, &NewSearch::webhook(SavedQuery::words("vindkraft"), &url), now).unwrap();
    let Delivery::Webhook { secret, .. } = &search.delivery else { panic!("a webhook search") };
    matcher().match_batch(&store, &[doc("t-1", "1493", "Vindkraft vid Göta kanal", "2025-02-01", None)], now).unwrap();

    // The private-address check holds for https:// too.
    let strict =
        Deliverer::new(no_smtp(), WebhookSettings { extra_root_pem: Some(ca.ca_pem.clone()), ..Default::default() });
    assert!(strict.check_webhook_url(&url).is_err());

    let report = https_deliverer(Some(ca.ca_pem.clone())).deliver_due(&store, now).unwrap();
    assert_eq!((report.sent, report.retried), (1, 0), "{report:?}");
    let requests = receiver.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!((request.method.as_str(), request.target.as_str()), ("POST", "/hook"));
    assert_eq!(request.headers["host"], format!("localhost:{}", receiver.server.addr.port()));
    assert!(verify_signature(secret, &request.body, &request.headers["x-namndsok-signature"]));
    let json: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(json["documents"][0]["title"], "Vindkraft vid Göta kanal");
    assert_eq!(store.outbox_for_search(search.id).unwrap()[0].state, OutboxState::Sent);
}

#[test]
fn an_untrusted_receiver_certificate_fails_delivery_and_is_retried() {
    let receiver_ca = TestCa::new("receiver");
    let other_ca = TestCa::new("other");
    let receiver = Receiver::start_https(receiver_ca.server_config());
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account = confirmed_account(&store, "system@example.org");
    let now = Utc::now();
    let search = store
        .create_saved_search(
            account,
            &NewSearch::webhook(SavedQuery::words("avfall"), &receiver.https_url("/hook")),
            now,
        )
        .unwrap();
    matcher().match_batch(&store, &[doc("u-1", "1493", "Avfallsplan 2025", "2025-01-01", None)], now).unwrap();

    // Trusting another CA only, and then the system roots (which do not know the test CA).
    let mut when = now;
    for (attempt, extra_root_pem) in [(1, Some(other_ca.ca_pem.clone())), (2, None)] {
        let report = https_deliverer(extra_root_pem).deliver_due(&store, when).unwrap();
        assert_eq!((report.sent, report.retried, report.failed), (0, 1, 0), "{report:?}");
        let item = store.outbox_for_search(search.id).unwrap().remove(0);
        assert_eq!((item.state, item.attempts), (OutboxState::Pending, attempt));
        assert!(item.next_attempt_at > when, "{item:?}");
        let error = item.last_error.unwrap();
        assert!(error.contains("webhook TLS"), "{error}");
        when = item.next_attempt_at;
    }
    assert!(receiver.requests().is_empty());

    // Once the receiver's CA is trusted, the retry goes through.
    let report = https_deliverer(Some(receiver_ca.ca_pem.clone())).deliver_due(&store, when).unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    assert_eq!(receiver.requests().len(), 1);
}

fn tls_smtp_settings(server: &SmtpServer, tls: SmtpTls, ca: &TestCa) -> SmtpSettings {
    SmtpSettings { tls, extra_root_pem: Some(ca.ca_pem.clone()), ..server.settings() }
}

fn deliver_one_email(settings: SmtpSettings) -> (namndsok_alerts::DeliveryReport, namndsok_alerts::OutboxItem) {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account = confirmed_account(&store, "anna@example.org");
    let now = Utc::now();
    let search = store.create_saved_search(account, &NewSearch::email(SavedQuery::words("badhus")), now).unwrap();
    matcher().match_batch(&store, &[doc("s-1", "1493", "Nytt badhus i Mariestad", "2025-01-01", None)], now).unwrap();
    let report = deliverer(settings, false).deliver_due(&store, now).unwrap();
    (report, store.outbox_for_search(search.id).unwrap().remove(0))
}

#[test]
fn smtp_with_starttls_sends_the_message_over_tls() {
    let ca = TestCa::new("relay");
    let smtp = SmtpServer::start_with(ServerTls::StartTls(ca.server_config()));
    let (report, item) = deliver_one_email(tls_smtp_settings(&smtp, SmtpTls::StartTls, &ca));
    assert_eq!(report.sent, 1, "{report:?} {item:?}");
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].tls);
    assert_eq!(mails[0].to, "anna@example.org");
    assert_eq!(mails[0].auth.as_deref(), Some("\0relay-user\0relay-pass"));
    assert!(mails[0].body().contains("Nytt badhus i Mariestad"));
}

#[test]
fn smtp_with_implicit_tls_sends_the_message_over_tls() {
    let ca = TestCa::new("relay");
    let smtp = SmtpServer::start_with(ServerTls::Implicit(ca.server_config()));
    let (report, item) = deliver_one_email(tls_smtp_settings(&smtp, SmtpTls::Implicit, &ca));
    assert_eq!(report.sent, 1, "{report:?} {item:?}");
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].tls);
}

#[test]
fn smtp_tls_never_falls_back_to_plain_text() {
    // STARTTLS asked for, but the relay does not offer it: nothing is sent, the row waits.
    let ca = TestCa::new("relay");
    let plain = SmtpServer::start();
    let (report, item) = deliver_one_email(tls_smtp_settings(&plain, SmtpTls::StartTls, &ca));
    assert_eq!((report.sent, report.retried), (0, 1), "{report:?}");
    assert_eq!(item.state, OutboxState::Pending);
    assert!(item.last_error.as_deref().unwrap().contains("does not offer STARTTLS"), "{item:?}");
    assert!(plain.mails().is_empty());

    // A relay whose certificate is not trusted.
    let smtp = SmtpServer::start_with(ServerTls::StartTls(TestCa::new("unknown").server_config()));
    let (report, item) = deliver_one_email(tls_smtp_settings(&smtp, SmtpTls::StartTls, &ca));
    assert_eq!((report.sent, report.retried), (0, 1), "{report:?}");
    assert!(item.last_error.as_deref().unwrap().contains("SMTP TLS"), "{item:?}");
    assert!(smtp.mails().is_empty());
}
