//! What the server's tests share: an index of given documents, and an alert service with a
//! relay that nothing listens on (mails stay in the outbox).

#![allow(dead_code)]

use std::sync::Arc;

use namndsok_alerts::{AlertStore, MatchOptions, Matcher, RetryPolicy};
use namndsok_analysis::resources::ConfigFiles;
use namndsok_index::SearchIndex;
use namndsok_server::{AlertsConfig, AlertsService, SmtpRelay};

/// An index in memory holding `docs` (Document JSON lines), every line accepted.
pub fn index_of(docs: &str) -> Arc<SearchIndex> {
    let index = Arc::new(SearchIndex::create_in_ram(ConfigFiles::bundled()).unwrap());
    let report = index.import_jsonl(docs.as_bytes()).unwrap();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    index
}

/// The alert service on `store`, with links to `https://namndsok.example/` and, with `smtp`,
/// a relay on 127.0.0.1:9 (nothing listens there; these tests never deliver).
pub fn alerts_service(store: AlertStore, smtp: bool) -> Arc<AlertsService> {
    let matcher = Matcher::new(ConfigFiles::bundled(), MatchOptions::default()).unwrap();
    let config = AlertsConfig {
        public_url: "https://namndsok.example/".into(),
        smtp: smtp.then(|| SmtpRelay {
            host: "127.0.0.1".into(),
            port: 9,
            username: None,
            password: None,
            from: "bevakning@namndsok.example".into(),
        }),
        allow_private_webhooks: false,
        retry: RetryPolicy::default(),
    };
    Arc::new(AlertsService::new(store, matcher, config))
}
