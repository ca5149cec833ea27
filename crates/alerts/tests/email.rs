//! E-mail delivery through lettre against the test SMTP server on 127.0.0.1: what the relay
//! offers decides the body's transfer encoding and the AUTH mechanism, a 5xx answer gives the
//! row up while a 4xx one is retried, and one alert e-mail as rendered (a snapshot).

mod common;

use chrono::Utc;
use common::*;
use namndsok_alerts::{NewSearch, OutboxState, SavedQuery};

/// Delivers one alert about two documents through `smtp`; returns the report and the row.
fn deliver_one(smtp: &SmtpServer) -> (namndsok_alerts::DeliveryReport, namndsok_alerts::OutboxItem) {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account = confirmed_account(&store, "anna@example.org");
    let now = at("2025-03-10T09:00:00Z");
    let search =
        store.create_saved_search(account, &NewSearch::email(SavedQuery::words("batterifabrik")), now).unwrap();
    let batch = [
        doc("q-1", "1493", "Bygglov för batterifabriken i Mariestad", "2025-03-07", None),
        doc("q-2", "1480", "Miljötillstånd för ny batterifabrik = 100 % förnybar el", "2025-03-08", None),
    ];
    matcher().match_batch(&store, &batch, now).unwrap();
    let report = deliverer(smtp.settings(), false).deliver_due(&store, now).unwrap();
    (report, store.outbox_for_search(search.id).unwrap().remove(0))
}

#[test]
fn with_or_without_8bitmime_the_mail_decodes_the_same() {
    let eight_bit = SmtpServer::start();
    let seven_bit = SmtpServer::start_with_options(SmtpOptions { eight_bit_mime: false, ..SmtpOptions::default() });
    assert_eq!(deliver_one(&eight_bit).0.sent, 1);
    assert_eq!(deliver_one(&seven_bit).0.sent, 1);
    let (eight_bit, seven_bit) = (&eight_bit.mails()[0], &seven_bit.mails()[0]);

    // An alert has lines longer than 76 characters (links, the footer), so lettre sends it
    // quoted-printable even to a relay that takes 8BITMIME: 7-bit clean, short lines.
    for mail in [eight_bit, seven_bit] {
        assert_eq!(mail.header("Content-Transfer-Encoding").unwrap(), "quoted-printable");
        assert!(mail.raw_body().is_ascii(), "{}", mail.raw_body());
        assert!(mail.raw_body().lines().all(|line| line.len() <= 76), "{}", mail.raw_body());
    }
    // The same text but for the unsubscribe token, which is each search's own.
    let without_token = |body: String| body.split("/unsubscribe/").next().unwrap().to_string();
    assert_eq!(without_token(seven_bit.body()), without_token(eight_bit.body()));
    let body = seven_bit.body();
    assert!(body.contains("Miljötillstånd för ny batterifabrik = 100 % förnybar el"), "{body}");
    assert!(body
        .contains("Du får det här meddelandet eftersom någon med den här adressen har bevakat sökningen på Nämndsök."));
    assert_eq!(seven_bit.header("Subject"), eight_bit.header("Subject"));
    assert_eq!(seven_bit.header("Subject").unwrap(), "Nämndsök: 2 nya träffar för \"batterifabrik\"");
    assert_eq!((seven_bit.to.as_str(), seven_bit.from.as_str()), ("anna@example.org", "bevakning@namndsok.example"));
}

#[test]
fn auth_login_is_used_when_the_relay_offers_only_login() {
    let smtp = SmtpServer::start_with_options(SmtpOptions { auth: "LOGIN", ..SmtpOptions::default() });
    let (report, item) = deliver_one(&smtp);
    assert_eq!(report.sent, 1, "{report:?} {item:?}");
    assert_eq!(smtp.mails()[0].auth.as_deref(), Some("\0relay-user\0relay-pass"));
}

#[test]
fn a_permanent_refusal_gives_the_row_up_and_a_temporary_one_is_retried() {
    let refusing = SmtpServer::start_with_options(SmtpOptions {
        rcpt_reply: Some("550 5.1.1 No such user"),
        ..Default::default()
    });
    let (report, item) = deliver_one(&refusing);
    assert_eq!((report.sent, report.retried, report.failed), (0, 0, 1), "{report:?}");
    assert_eq!((item.state, item.attempts), (OutboxState::Failed, 1));
    assert!(item.last_error.as_deref().unwrap().contains("No such user"), "{item:?}");

    let busy = SmtpServer::start_with_options(SmtpOptions {
        rcpt_reply: Some("451 4.3.0 Try again later"),
        ..Default::default()
    });
    let (report, item) = deliver_one(&busy);
    assert_eq!((report.sent, report.retried, report.failed), (0, 1, 0), "{report:?}");
    assert_eq!((item.state, item.attempts), (OutboxState::Pending, 1));
    assert!(item.last_error.as_deref().unwrap().contains("Try again later"), "{item:?}");

    // A refusal of our credentials is a configuration fault: retried, so no alert is lost
    // while an operator fixes the password.
    let unauthorised = SmtpServer::start_with_options(SmtpOptions {
        rcpt_reply: Some("535 5.7.8 Authentication credentials invalid"),
        ..Default::default()
    });
    let (report, item) = deliver_one(&unauthorised);
    assert_eq!((report.sent, report.retried, report.failed), (0, 1, 0), "{report:?}");
    assert!(item.last_error.as_deref().unwrap().contains("refused our credentials"), "{item:?}");

    // Nobody listening is transient too.
    let (report, item) = {
        let dir = tempfile::tempdir().unwrap();
        let store = open_store(dir.path());
        let account = confirmed_account(&store, "anna@example.org");
        let now = Utc::now();
        let search = store.create_saved_search(account, &NewSearch::email(SavedQuery::words("badhus")), now).unwrap();
        matcher().match_batch(&store, &[doc("b-1", "1493", "Nytt badhus", "2025-01-01", None)], now).unwrap();
        let report = deliverer(no_smtp(), false).deliver_due(&store, now).unwrap();
        (report, store.outbox_for_search(search.id).unwrap().remove(0))
    };
    assert_eq!((report.retried, item.state), (1, OutboxState::Pending), "{report:?}");
}

#[test]
fn an_alert_email_as_rendered() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account_id = confirmed_account(&store, "anna@example.org");
    let now = at("2025-03-10T09:00:00Z");
    let mut search =
        store.create_saved_search(account_id, &NewSearch::email(SavedQuery::words("batterifabrik")), now).unwrap();
    let batch = [
        doc("snap-1", "1493", "Bygglov för batterifabriken i Mariestad", "2025-03-07", None),
        doc("snap-2", "1480", "Miljötillstånd för ny batterifabrik", "2025-03-08", None),
    ];
    matcher().match_batch(&store, &batch, now).unwrap();
    let item = store.outbox_for_search(search.id).unwrap().remove(0);
    let payload = serde_json::from_value(item.payload).unwrap();
    // Fixed secrets and ids, so that the rendering is the same on every run.
    search.unsubscribe_token = "0123456789abcdef".into();
    let account = store.account(account_id).unwrap();
    let email = deliverer(no_smtp(), false).alert_email(&account, &search, &payload, "d-0001", now);
    let wire = email.formatted().unwrap().replace("\r\n", "\n");
    insta::assert_snapshot!(
        "alert_email",
        format!(
            "Subject: {}\n\n{}\n---------- as sent to a relay with 8BITMIME ----------\n{wire}",
            email.subject, email.body
        )
    );
}
