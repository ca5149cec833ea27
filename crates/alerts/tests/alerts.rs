//! End-to-end tests of the alert engine with real components: a SQLite file in a temporary
//! directory, the production analysis configuration, an SMTP server and webhook receivers on
//! 127.0.0.1 started by the tests.

mod common;

use chrono::{Duration, Utc};
use common::*;
use namndsok_alerts::matcher::AlertPayload;
use namndsok_alerts::webhook::{verify_signature, WebhookError};
use namndsok_alerts::{
    atom, seed_seen, AlertError, Delivery, FollowCase, Frequency, NewSearch, OutboxKind, OutboxState, RetryPolicy,
    SavedQuery, SearchUpdate,
};
use namndsok_analysis::resources::ConfigFiles;
use namndsok_index::SearchIndex;

#[test]
fn email_alerts_carry_new_matches_only_and_unsubscribe_works() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account = confirmed_account(&store, "anna@example.org");
    let now = at("2025-03-10T09:00:00Z");
    let search =
        store.create_saved_search(account, &NewSearch::email(SavedQuery::words("batterifabrik")), now).unwrap();

    // The live index already has one matching document: saving the search marks it seen.
    let live = SearchIndex::create_in_ram(ConfigFiles::bundled()).unwrap();
    let old = doc("old-1", "1493", "Detaljplan för batterifabrik vid Hattareviken", "2024-11-02", None);
    live.upsert(&[old.clone(), doc("old-2", "1493", "Budget för skolan", "2024-11-03", None)]).unwrap();
    assert_eq!(seed_seen(&store, search.id, &live, now).unwrap(), 1);

    // A batch: two new matches, one unrelated document, and the old one harvested again.
    let batch = vec![
        doc("new-1", "1493", "Bygglov för batterifabriken i Mariestad", "2025-03-07", None),
        doc("new-2", "1480", "Miljötillstånd för ny batterifabrik", "2025-03-08", None),
        doc("new-3", "1493", "Ombyggnad av förskolan Solrosen", "2025-03-08", None),
        old,
    ];
    let report = matcher().match_batch(&store, &batch, now).unwrap();
    assert_eq!((report.new_matches, report.enqueued, report.summaries), (2, 1, 0), "{report:?}");

    let smtp = SmtpServer::start();
    let delivered = deliverer(smtp.settings(), false).deliver_due(&store, now).unwrap();
    assert_eq!(delivered.sent, 1, "{delivered:?}");
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.to, "anna@example.org");
    assert_eq!(mail.from, "bevakning@namndsok.example");
    assert_eq!(mail.auth.as_deref(), Some("\0relay-user\0relay-pass"));
    assert_eq!(mail.header("Subject").unwrap(), "Nämndsök: 2 nya träffar för \"batterifabrik\"");
    let body = mail.body();
    assert!(body.contains("Bygglov för batterifabriken i Mariestad"), "{body}");
    assert!(body.contains("Miljötillstånd för ny batterifabrik"));
    assert!(body.contains("Mariestad, 2025-03-07"));
    assert!(body.contains(&format!("{BASE_URL}/d/new-1")));
    assert!(!body.contains("Solrosen") && !body.contains("Hattareviken"), "{body}");
    // Newest first.
    assert!(body.find("Miljötillstånd").unwrap() < body.find("Bygglov").unwrap());

    // The unsubscribe link, in the body and as List-Unsubscribe, works with one click.
    let link = format!("{BASE_URL}/unsubscribe/{}", search.unsubscribe_token);
    assert!(body.contains(&link));
    assert_eq!(mail.header("List-Unsubscribe").unwrap(), format!("<{link}>"));
    let token = link.rsplit('/').next().unwrap();
    assert_eq!(store.unsubscribe(token).unwrap(), Some(search.id));
    assert!(store.get_saved_search(account, search.id).unwrap().disabled);
    assert_eq!(store.unsubscribe("not-a-token").unwrap(), None);
    let later = vec![doc("new-4", "1493", "Batterifabriken: ny detaljplan", "2025-03-11", None)];
    assert_eq!(matcher().match_batch(&store, &later, now).unwrap().enqueued, 0);

    // The private feed lists what matched, escaped.
    let entries = store.feed_entries(search.id, 50).unwrap();
    assert_eq!(entries.len(), 2);
    let found = store.search_by_feed_token(&search.feed_token).unwrap().unwrap();
    let xml = atom::feed(&found, &entries, BASE_URL, "https://namndsok.example/feeds/x.atom", now);
    assert!(xml.contains("<title>Bygglov för batterifabriken i Mariestad</title>"), "{xml}");
    assert!(xml.contains("<title>Nämndsök: batterifabrik</title>"));
}

#[test]
fn webhooks_are_signed_with_the_searchs_secret() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account = confirmed_account(&store, "system@example.org");
    let receiver = Receiver::start(0);
    let now = Utc::now();
    let search = store
        .create_saved_search(
            account,
            &NewSearch::webhook(
                SavedQuery { kommun: vec!["1493".into()], ..SavedQuery::words("vindkraft") },
                &receiver.url("/in"),
            ),
            now,
        )
        .unwrap();
    let Delivery::Webhook { secret, .. } = &search.delivery else { panic!("a webhook search") };

    let batch = vec![
        doc("v-1", "1493", "Vindkraft vid Göta kanal", "2025-02-01", None),
        doc("v-2", "1480", "Vindkraft i Göteborg", "2025-02-01", None),
    ];
    assert_eq!(matcher().match_batch(&store, &batch, now).unwrap().enqueued, 1);
    let item = store.outbox_for_search(search.id).unwrap().remove(0);
    assert_eq!(item.kind, OutboxKind::Webhook);

    let report = deliverer(no_smtp(), true).deliver_due(&store, now).unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    let requests = receiver.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!((request.method.as_str(), request.target.as_str()), ("POST", "/in"));
    assert_eq!(request.headers["x-namndsok-delivery"], item.delivery_id);
    assert!(verify_signature(secret, &request.body, &request.headers["x-namndsok-signature"]));
    assert!(!verify_signature("another secret", &request.body, &request.headers["x-namndsok-signature"]));
    let json: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(json["delivery_id"], item.delivery_id.as_str());
    assert_eq!(json["saved_search_id"], search.id.0);
    assert_eq!(json["documents"].as_array().unwrap().len(), 1);
    assert_eq!(json["documents"][0]["title"], "Vindkraft vid Göta kanal");
    assert_eq!(json["documents"][0]["link"], format!("{BASE_URL}/d/v-1"));
    assert_eq!(store.outbox_item(&item.delivery_id).unwrap().unwrap().state, OutboxState::Sent);
}

#[test]
fn a_failing_receiver_is_retried_with_backoff_and_gets_the_delivery_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account = confirmed_account(&store, "system@example.org");
    let receiver = Receiver::start(3);
    let start = at("2025-05-01T12:00:00Z");
    let search = store
        .create_saved_search(account, &NewSearch::webhook(SavedQuery::words("detaljplan"), &receiver.url("/")), start)
        .unwrap();
    matcher()
        .match_batch(&store, &[doc("d-1", "1493", "Detaljplan för Sjöstaden", "2025-04-30", None)], start)
        .unwrap();
    let delivery_id = store.outbox_for_search(search.id).unwrap()[0].delivery_id.clone();

    let policy = RetryPolicy::default();
    let deliverer = deliverer(no_smtp(), true);
    let mut now = start;
    let mut delays = Vec::new();
    for attempt in 1..=3u32 {
        let report = deliverer.deliver_due(&store, now).unwrap();
        assert_eq!((report.sent, report.retried), (0, 1), "attempt {attempt}: {report:?}");
        let item = store.outbox_item(&delivery_id).unwrap().unwrap();
        assert_eq!((item.state, item.attempts), (OutboxState::Pending, attempt));
        assert!(item.last_error.as_deref().unwrap().contains("HTTP 500"));
        let delay = item.next_attempt_at - now;
        let full = policy.base * 2i32.pow(attempt - 1);
        assert!(delay >= full / 2 - Duration::seconds(1) && delay <= full, "attempt {attempt}: {delay}");
        // Not due before its time.
        let early = deliverer.deliver_due(&store, item.next_attempt_at - Duration::seconds(1)).unwrap();
        assert_eq!(early.sent + early.retried, 0);
        delays.push(delay);
        now = item.next_attempt_at;
    }
    assert_eq!(store.search_by_id(search.id).unwrap().consecutive_failures, 3);
    let report = deliverer.deliver_due(&store, now).unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    let item = store.outbox_item(&delivery_id).unwrap().unwrap();
    assert_eq!((item.state, item.attempts), (OutboxState::Sent, 4));
    assert_eq!(store.search_by_id(search.id).unwrap().consecutive_failures, 0);

    // Four requests, one success, always the same delivery id; nothing more later.
    assert_eq!(deliverer.deliver_due(&store, now + Duration::days(2)).unwrap().sent, 0);
    let requests = receiver.requests();
    assert_eq!(requests.iter().map(|r| r.status).collect::<Vec<_>>(), [500, 500, 500, 200]);
    assert!(requests.iter().all(|r| r.headers["x-namndsok-delivery"] == delivery_id));
    assert!(requests.windows(2).all(|w| w[0].body == w[1].body));
}

#[test]
fn a_webhook_failing_too_often_is_disabled_and_its_owner_told() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account = confirmed_account(&store, "owner@example.org");
    let receiver = Receiver::start(usize::MAX);
    let mut now = at("2025-05-01T12:00:00Z");
    let search = store
        .create_saved_search(account, &NewSearch::webhook(SavedQuery::words("detaljplan"), &receiver.url("/")), now)
        .unwrap();
    matcher().match_batch(&store, &[doc("d-1", "1493", "Detaljplan för Sjöstaden", "2025-04-30", None)], now).unwrap();

    let smtp = SmtpServer::start();
    let policy = RetryPolicy { max_webhook_failures: 3, ..RetryPolicy::default() };
    let deliverer = deliverer(smtp.settings(), true).with_retry(policy);
    for _ in 0..2 {
        assert_eq!(deliverer.deliver_due(&store, now).unwrap().retried, 1);
        now += Duration::hours(7);
    }
    let report = deliverer.deliver_due(&store, now).unwrap();
    assert_eq!((report.failed, report.disabled.as_slice()), (1, [search.id].as_slice()), "{report:?}");
    let disabled = store.get_saved_search(account, search.id).unwrap();
    assert!(disabled.disabled);
    assert!(disabled.disabled_reason.unwrap().contains("3 times"));
    assert_eq!(store.outbox_for_search(search.id).unwrap()[0].state, OutboxState::Failed);
    assert_eq!(receiver.requests().len(), 3);

    // The notice goes out in the same pass or the next one.
    deliverer.deliver_due(&store, now).unwrap();
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].to, "owner@example.org");
    assert!(mails[0].header("Subject").unwrap().contains("avstängd"));
    assert!(mails[0].body().contains(&receiver.url("/")));
    assert!(mails[0].header("List-Unsubscribe").is_none());

    // A disabled search is not matched, and re-enabling it resets the count.
    let batch = [doc("d-2", "1493", "Detaljplan för Hamnen", "2025-05-02", None)];
    assert_eq!(matcher().match_batch(&store, &batch, now).unwrap().enqueued, 0);
    let enabled =
        store.update_saved_search(account, search.id, &SearchUpdate { disabled: Some(false), ..Default::default() });
    let enabled = enabled.unwrap();
    assert!(!enabled.disabled && enabled.consecutive_failures == 0);
}

#[test]
fn a_crash_between_match_and_delivery_loses_nothing_and_sends_once() {
    let dir = tempfile::tempdir().unwrap();
    let now = at("2025-06-01T08:00:00Z");
    let batch = vec![
        doc("c-1", "1493", "Ny förskola i Ekudden", "2025-05-30", None),
        doc("c-2", "1493", "Förskola: lokalförsörjningsplan", "2025-05-31", None),
    ];
    let (account, delivery_id) = {
        let store = open_store(dir.path());
        let account = confirmed_account(&store, "anna@example.org");
        let search = store
            .create_saved_search(
                account,
                &NewSearch::email(SavedQuery { kommun: vec!["1493".into()], ..SavedQuery::words("förskola") }),
                now,
            )
            .unwrap();
        let report = matcher().match_batch(&store, &batch, now).unwrap();
        assert_eq!((report.enqueued, report.new_matches), (1, 2));
        let id = store.outbox_for_search(search.id).unwrap()[0].delivery_id.clone();
        (account, id)
        // The process "dies" here: store and matcher dropped, nothing delivered.
    };

    let store = open_store(dir.path());
    // The importer runs the same batch again after the restart: nothing new is enqueued.
    let again = matcher().match_batch(&store, &batch, now).unwrap();
    assert_eq!((again.enqueued, again.new_matches), (0, 0), "{again:?}");
    let pending = store.due(now, 10).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].delivery_id, delivery_id);

    // A worker that takes the row and dies before marking it sent: after the lease runs out it is
    // sent, with the same delivery id.
    assert_eq!(store.claim_due(now, 10, Duration::minutes(5)).unwrap().len(), 1);
    drop(store);
    let store = open_store(dir.path());
    let smtp = SmtpServer::start();
    let deliverer = deliverer(smtp.settings(), false);
    assert_eq!(deliverer.deliver_due(&store, now).unwrap().sent, 0);
    assert_eq!(deliverer.deliver_due(&store, now + Duration::minutes(6)).unwrap().sent, 1);
    assert_eq!(deliverer.deliver_due(&store, now + Duration::hours(1)).unwrap().sent, 0);
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].header("X-Namndsok-Delivery").unwrap(), delivery_id);
    assert!(mails[0].header("Message-ID").unwrap().contains(&delivery_id));
    let items = store.outbox_for_account(account).unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].state, items[0].delivery_id.as_str()), (OutboxState::Sent, delivery_id.as_str()));
}

#[test]
fn matching_the_same_batch_twice_enqueues_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account = confirmed_account(&store, "anna@example.org");
    let now = Utc::now();
    let search = store.create_saved_search(account, &NewSearch::email(SavedQuery::words("motion")), now).unwrap();
    let batch = vec![
        doc("m-1", "0114", "Motion om utegym vid sjön", "2025-01-10", None),
        doc("m-2", "0114", "Svar på motion om kollektivtrafik", "2025-01-11", None),
    ];
    let mut matcher = matcher();
    let first = matcher.match_batch(&store, &batch, now).unwrap();
    assert_eq!((first.enqueued, first.new_matches), (1, 2));
    let second = matcher.match_batch(&store, &batch, now).unwrap();
    assert_eq!((second.enqueued, second.new_matches), (0, 0));
    assert_eq!(store.outbox_for_search(search.id).unwrap().len(), 1);
    assert_eq!(store.seen_count(search.id).unwrap(), 2);
    // A batch with one old and one new document sends only the new one.
    let third = matcher
        .match_batch(&store, &[batch[0].clone(), doc("m-3", "0114", "Motion om cykelbanor", "2025-01-12", None)], now)
        .unwrap();
    assert_eq!((third.enqueued, third.new_matches), (1, 1));
    let payload: AlertPayload =
        serde_json::from_value(store.outbox_for_search(search.id).unwrap()[1].payload.clone()).unwrap();
    assert_eq!(payload.documents.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["m-3"]);
}

/// A harvested protokoll arrives as its anslag, the file's whole text and its paragraphs, all
/// in one batch: a search that matches the paragraph hears of the paragraph only, not also of
/// the whole text it is part of.
#[test]
fn a_matching_paragraph_is_told_once_not_with_its_whole_protokoll() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account = confirmed_account(&store, "anna@example.org");
    let now = Utc::now();
    let search =
        store.create_saved_search(account, &NewSearch::email(SavedQuery::words("batterifabrik")), now).unwrap();
    let anslag = doc("a-1", "2260", "Justerat protokoll Kommunstyrelsen", "2025-01-10", None);
    let mut whole = doc("a-1-fil", "2260", "Protokoll KS 2025-01-08", "2025-01-10", None);
    whole.body = Some("§ 1 Budget. § 2 Batterifabriken i Storvik: kommunstyrelsen ställer sig bakom.".into());
    whole.part_of = Some("a-1".into());
    let mut paragraph = doc("a-1-fil-p2", "2260", "§ 2 Batterifabriken i Storvik", "2025-01-10", None);
    paragraph.part_of = Some("a-1-fil".into());
    let mut other = doc("a-1-fil-p1", "2260", "§ 1 Budget", "2025-01-10", None);
    other.part_of = Some("a-1-fil".into());
    let report = matcher().match_batch(&store, &[anslag, whole, paragraph, other], now).unwrap();
    assert_eq!((report.enqueued, report.new_matches), (1, 1));
    let payload: AlertPayload =
        serde_json::from_value(store.outbox_for_search(search.id).unwrap()[0].payload.clone()).unwrap();
    assert_eq!(payload.documents.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["a-1-fil-p2"]);
}

/// A saved search means what the same search means: phrases word for word (stop words
/// included), exclusions, and the query's fields (`namnd:`, `titel:`).
#[test]
fn saved_searches_use_the_query_language_of_the_search() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account = confirmed_account(&store, "anna@example.org");
    let now = Utc::now();
    let with = |id: &str, title: &str, organ: &str| {
        let mut document = doc(id, "1480", title, "2025-01-10", None);
        document.organ = Some(organ.into());
        document
    };
    let batch = vec![
        with("bn-1", "Beslut om bygglov för garage", "Byggnadsnämnden"),
        with("bn-2", "Beslut i bygglov för carport", "Byggnadsnämnden"),
        with("ks-1", "Beslut om bygglov för stadshuset", "Kommunstyrelsen"),
        with("ks-2", "Riktlinjer för bygglov", "Kommunstyrelsen"),
    ];
    let table: [(&str, &[&str]); 5] = [
        ("\"beslut om bygglov\"", &["bn-1", "ks-1"]),
        ("\"beslut om bygglov\" namnd:byggnadsnämnden", &["bn-1"]),
        ("bygglov -stadshuset namnd:kommunstyrelsen", &["ks-2"]),
        ("titel:riktlinjer", &["ks-2"]),
        ("bygglov namnd:bygg -garage", &["bn-2"]),
    ];
    let mut matcher = matcher();
    for (q, expected) in table {
        let search = store.create_saved_search(account, &NewSearch::email(SavedQuery::words(q)), now).unwrap();
        matcher.match_batch(&store, &batch, now).unwrap();
        let payload: AlertPayload =
            serde_json::from_value(store.outbox_for_search(search.id).unwrap()[0].payload.clone()).unwrap();
        let mut found: Vec<&str> = payload.documents.iter().map(|d| d.id.as_str()).collect();
        found.sort();
        assert_eq!(found, expected, "{q}");
    }
}

#[test]
fn a_flood_above_the_cap_becomes_one_summary() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account = confirmed_account(&store, "anna@example.org");
    let now = Utc::now();
    let search = store
        .create_saved_search(
            account,
            &NewSearch::email(SavedQuery { kommun: vec!["1493".into()], ..SavedQuery::words("bygglov") }),
            now,
        )
        .unwrap();
    let batch: Vec<_> = (0..25)
        .map(|n| doc(&format!("f-{n:02}"), "1493", &format!("Bygglov för fastigheten Tallen {n}"), "2025-02-03", None))
        .collect();
    let report = matcher().match_batch(&store, &batch, now).unwrap();
    assert_eq!((report.enqueued, report.new_matches, report.summaries), (1, 25, 1), "{report:?}");
    let payload: AlertPayload =
        serde_json::from_value(store.outbox_for_search(search.id).unwrap()[0].payload.clone()).unwrap();
    assert!(payload.summary && payload.total == 25 && payload.documents.is_empty(), "{payload:?}");

    let smtp = SmtpServer::start();
    assert_eq!(deliverer(smtp.settings(), false).deliver_due(&store, now).unwrap().sent, 1);
    let mail = &smtp.mails()[0];
    assert_eq!(mail.header("Subject").unwrap(), "Nämndsök: 25 nya träffar för \"bygglov\"");
    let body = mail.body();
    assert!(body.contains("25 nya dokument"), "{body}");
    assert!(body.contains(&format!("{BASE_URL}/?q=bygglov&kommun=1493")), "{body}");
    assert!(!body.contains("Tallen"), "{body}");
    // Every document is still in the feed and seen.
    assert_eq!(store.seen_count(search.id).unwrap(), 25);
    assert_eq!(store.feed_entries(search.id, 100).unwrap().len(), 25);
}

#[test]
fn one_account_cannot_read_change_or_delete_anothers_search() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let anna = confirmed_account(&store, "anna@example.org");
    let (bertil, bertil_token) = store.create_account("bertil@example.org").unwrap();
    let now = Utc::now();
    let search = store.create_saved_search(anna, &NewSearch::email(SavedQuery::words("skola")), now).unwrap();
    assert_eq!(store.account_by_token(&bertil_token).unwrap().unwrap().id, bertil);

    assert!(matches!(store.get_saved_search(bertil, search.id), Err(AlertError::NotFound)));
    let update =
        SearchUpdate { query: Some(SavedQuery::words("förskola")), disabled: Some(true), ..Default::default() };
    assert!(matches!(store.update_saved_search(bertil, search.id, &update), Err(AlertError::NotFound)));
    assert!(matches!(store.delete_saved_search(bertil, search.id), Err(AlertError::NotFound)));
    assert!(store.list_saved_searches(bertil).unwrap().is_empty());
    // Exactly like a search that does not exist.
    let missing = namndsok_alerts::SearchId(search.id.0 + 1000);
    assert_eq!(
        store.get_saved_search(bertil, search.id).unwrap_err().to_string(),
        store.get_saved_search(bertil, missing).unwrap_err().to_string()
    );
    assert_eq!(store.get_saved_search(anna, search.id).unwrap(), search);

    // The owner can.
    let changed = store.update_saved_search(anna, search.id, &update).unwrap();
    assert_eq!((changed.query.q.as_str(), changed.disabled), ("förskola", true));
    store.delete_saved_search(anna, search.id).unwrap();
    assert!(matches!(store.get_saved_search(anna, search.id), Err(AlertError::NotFound)));
}

#[test]
fn private_webhook_addresses_are_refused_unless_allowed() {
    let strict = deliverer(no_smtp(), false);
    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost:9/hook",
        "http://[::1]:9/",
        "http://10.0.0.1/",
        "http://192.168.0.10/",
        "http://172.20.0.1/",
        "http://169.254.169.254/latest/meta-data",
        "http://0.0.0.0/",
        "http://[fd00::1]/",
        "http://[::ffff:127.0.0.1]/",
    ] {
        let error = strict.check_webhook_url(url).unwrap_err();
        assert!(matches!(error, WebhookError::PrivateAddress { .. }), "{url}: {error}");
    }
    let relaxed = deliverer(no_smtp(), true);
    assert_eq!(relaxed.check_webhook_url("http://127.0.0.1:9/hook").unwrap().len(), 1);

    // Delivery checks again: a strict deliverer never connects to a local receiver.
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account = confirmed_account(&store, "system@example.org");
    let receiver = Receiver::start(0);
    let now = Utc::now();
    let search = store
        .create_saved_search(account, &NewSearch::webhook(SavedQuery::words("avfall"), &receiver.url("/")), now)
        .unwrap();
    let https = store
        .create_saved_search(account, &NewSearch::webhook(SavedQuery::words("avfall"), "https://127.0.0.1:1/"), now)
        .unwrap();
    matcher().match_batch(&store, &[doc("a-1", "1493", "Avfallsplan 2025", "2025-01-01", None)], now).unwrap();
    let report = strict.deliver_due(&store, now).unwrap();
    assert_eq!((report.sent, report.retried), (0, 2), "{report:?}");
    assert!(receiver.requests().is_empty());
    for id in [search.id, https.id] {
        let error = store.outbox_for_search(id).unwrap()[0].last_error.clone().unwrap();
        assert!(error.contains("non-public address 127.0.0.1"), "{error}");
    }
    // Where private addresses are allowed, both are tried (nothing listens on port 1).
    let report = relaxed.deliver_due(&store, now + Duration::hours(1)).unwrap();
    assert_eq!((report.sent, report.retried), (1, 1), "{report:?}");
    let error = store.outbox_for_search(https.id).unwrap()[0].last_error.clone().unwrap();
    assert!(error.contains("could not connect"), "{error}");
}

#[test]
fn following_a_case_matches_that_kommuns_documents_of_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account = confirmed_account(&store, "anna@example.org");
    let now = Utc::now();
    let case = FollowCase::new("1493", "KS 2023/412").unwrap();
    let search =
        store.create_saved_search(account, &NewSearch::email(SavedQuery::default()).following(case), now).unwrap();
    let batch = vec![
        doc("k-1", "1493", "Protokollsutdrag: batterifabriken", "2025-01-10", Some("Dnr KS 2023/0412")),
        doc("k-2", "1493", "Annat ärende", "2025-01-10", Some("KS 2023/413")),
        doc("k-3", "1480", "Samma nummer i Göteborg", "2025-01-10", Some("KS 2023/412")),
        doc("k-4", "1493", "Utan diarienummer", "2025-01-10", None),
    ];
    let report = matcher().match_batch(&store, &batch, now).unwrap();
    assert_eq!((report.enqueued, report.new_matches), (1, 1), "{report:?}");
    let payload: AlertPayload =
        serde_json::from_value(store.outbox_for_search(search.id).unwrap()[0].payload.clone()).unwrap();
    assert_eq!(payload.documents[0].id, "k-1");
    assert_eq!(payload.search_query, "q=ks2023-412&kommun=1493");
}

#[test]
fn daily_digests_collect_batches_until_the_hour_in_stockholm() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account = confirmed_account(&store, "anna@example.org");
    let now = at("2025-01-15T10:00:00Z");
    let search = store
        .create_saved_search(
            account,
            &NewSearch::email(SavedQuery::words("äldreboende")).with_frequency(Frequency::Daily),
            now,
        )
        .unwrap();
    let mut matcher = matcher();
    let first = matcher
        .match_batch(&store, &[doc("e-1", "1493", "Nytt äldreboende i Ekudden", "2025-01-14", None)], now)
        .unwrap();
    assert_eq!(first.enqueued, 1);
    let second = matcher
        .match_batch(
            &store,
            &[doc("e-2", "1493", "Äldreboendet Bäcken byggs om", "2025-01-15", None)],
            now + Duration::hours(2),
        )
        .unwrap();
    assert_eq!((second.enqueued, second.merged), (0, 1), "{second:?}");
    let items = store.outbox_for_search(search.id).unwrap();
    assert_eq!(items.len(), 1);
    // 07:00 in Stockholm in winter is 06:00 UTC, the next morning.
    assert_eq!(items[0].next_attempt_at, at("2025-01-16T06:00:00Z"));

    let smtp = SmtpServer::start();
    let deliverer = deliverer(smtp.settings(), false);
    assert_eq!(deliverer.deliver_due(&store, now + Duration::hours(3)).unwrap().sent, 0);
    assert_eq!(deliverer.deliver_due(&store, at("2025-01-16T06:00:00Z")).unwrap().sent, 1);
    let mail = &smtp.mails()[0];
    assert_eq!(mail.header("Subject").unwrap(), "Nämndsök: 2 nya träffar för \"äldreboende\"");
    assert!(mail.body().contains("Nytt äldreboende i Ekudden") && mail.body().contains("Bäcken byggs om"));
}

#[test]
fn unconfirmed_accounts_get_nothing_until_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let (account, _) = store.create_account("ny@example.org").unwrap();
    let now = Utc::now();
    store.create_saved_search(account, &NewSearch::email(SavedQuery::words("badhus")), now).unwrap();
    let mut matcher = matcher();
    let batch = [doc("b-1", "1493", "Nytt badhus i Mariestad", "2025-01-01", None)];
    assert_eq!(matcher.match_batch(&store, &batch, now).unwrap().searches, 0);
    let token = store.start_confirmation(account, now).unwrap();
    store.confirm(&token, now).unwrap();
    assert_eq!(matcher.match_batch(&store, &batch, now).unwrap().enqueued, 1);
}

#[test]
fn the_bench_workload_runs_on_demo_documents() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo/documents.jsonl")).unwrap();
    let documents: Vec<_> = text
        .lines()
        .take(300)
        .map(|line| {
            namndsok_model::Document::from_json_line(line, namndsok_model::Registry::global()).unwrap().document
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let report = namndsok_alerts::bench_match_batch(dir.path(), ConfigFiles::bundled(), &documents, 20).unwrap();
    assert_eq!((report.documents, report.searches), (300, 20));
    assert!(report.new_matches > 0 && report.enqueued > 0, "{report:?}");
    eprintln!("bench workload: {report:?} in {:?}", started.elapsed());
    // A second call replaces the store rather than failing on existing accounts.
    assert!(namndsok_alerts::bench_match_batch(dir.path(), ConfigFiles::bundled(), &documents[..10], 2).is_ok());
}

#[test]
fn webhook_host_names_are_resolved_checked_and_pinned_at_delivery() {
    // `localhost` goes through the resolver reqwest uses, not only the check at save time.
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let account = confirmed_account(&store, "system@example.org");
    let receiver = Receiver::start(0);
    let url = format!("http://localhost:{}/named", receiver.server.addr.port());
    let now = Utc::now();
    let search =
        store.create_saved_search(account, &NewSearch::webhook(SavedQuery::words("avfall"), &url), now).unwrap();
    matcher().match_batch(&store, &[doc("n-1", "1493", "Avfallsplan 2025", "2025-01-01", None)], now).unwrap();

    let report = deliverer(no_smtp(), false).deliver_due(&store, now).unwrap();
    assert_eq!((report.sent, report.retried), (0, 1), "{report:?}");
    assert!(receiver.requests().is_empty());
    let error = store.outbox_for_search(search.id).unwrap()[0].last_error.clone().unwrap();
    assert!(error.contains("the webhook host localhost resolves to the non-public address"), "{error}");

    // Allowed, the same name is delivered to the address the resolver checked.
    let report = deliverer(no_smtp(), true).deliver_due(&store, now + Duration::hours(1)).unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    let requests = receiver.requests();
    assert_eq!((requests.len(), requests[0].target.as_str()), (1, "/named"));
    assert_eq!(requests[0].headers["host"], format!("localhost:{}", receiver.server.addr.port()));
    assert_eq!(requests[0].headers["content-type"], "application/json; charset=utf-8");
    assert!(requests[0].headers["user-agent"].starts_with("Namndsok-Alerts/"));
}
