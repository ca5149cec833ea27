//! Nämndsök's saved searches and alerts: "tell me when a new document matches this search".
//!
//! This crate owns everything between "a search was saved" and "the subscriber was told": the
//! SQLite store of accounts and saved searches, the matcher that runs every saved search
//! against each freshly indexed batch, the outbox, and the worker that delivers it by e-mail or
//! webhook and keeps each search's private Atom feed. It is a library with blocking calls; the
//! server decides when they run (on a blocking thread) and how often.
//!
//! What it deliberately does not do:
//!
//! - **No HTTP surface.** Routes, JSON request shapes, status codes and HTML pages belong to
//!   `namndsok-server`; this crate gives it typed calls and [`AlertError`].
//! - **No search of its own.** Matching uses `namndsok-index` with the production analysis
//!   configuration; there is no second query language or ranking here.
//! - **No protocol code of its own.** SMTP (with STARTTLS, SMTPS, AUTH, 8BITMIME and MIME
//!   encoding) is lettre's, HTTP and TLS are reqwest's and rustls's (on `ring`). What is ours
//!   is the policy around them: which addresses a webhook may reach, how messages read, when to
//!   retry and when to give up.
//! - **No scheduler thread or async runtime.** [`Deliverer::deliver_due`] sends what is due
//!   when it is called; the caller loops. (reqwest's blocking client runs its own small runtime
//!   for the duration of a delivery pass.)
//! - **No exactly-once promise.** Delivery is at least once, with idempotent delivery ids so a
//!   receiver can drop duplicates (see below).
//!
//! # Design
//!
//! **Mark what exists as seen when a search is saved** (Sunlight Foundation's Scout). A new
//! alert must not open with a flood of everything that already matches: when a search is saved,
//! [`matcher::seed_seen`] runs it against the live index and records those documents as seen.
//! From then on only documents the search has never seen are sent, and the `seen` table's
//! primary key (search, document) makes "a document is never sent twice to the same search" a
//! property of the schema rather than of careful code.
//!
//! **Match each new document as it is indexed** (eInnsyn's way, instead of re-running every
//! search against the whole index on a timer). The importer hands each batch it has just
//! committed to [`matcher::match_batch`], which puts the batch alone into a small in-memory
//! [`namndsok_index::SearchIndex`] built with the production analysis configuration and runs
//! every enabled saved search against it, with the same query parser and query expansion as the
//! search page. Cost is proportional to the batch times the number of searches, never to the
//! size of the index, and "new" needs no timestamps: new is what is in the batch and not yet seen.
//! (Sorting by date is forced, which in the index means every query word must match; typo
//! tolerance is switched off, since in a batch of fifty documents almost every word is "rare"
//! and would otherwise be matched within two edits.) A "follow a case" subscription matches the
//! documents of one kommun whose diarienummer reduces to the followed key.
//!
//! **An outbox for at-least-once delivery.** Matching never talks to the network. In ONE SQLite
//! transaction it marks the new documents seen, adds them to the search's Atom feed and enqueues
//! one outbox row per search and batch. A crash before the commit loses nothing (nothing was
//! marked seen, the batch is matched again); a crash after it loses nothing either (the row is
//! in the file). The [`delivery::Deliverer`] works the outbox separately: it leases due rows,
//! sends them by e-mail (lettre, see [`smtp`]) or webhook (reqwest with an HMAC-SHA256
//! signature, see [`webhook`]), and marks them sent, or schedules a retry with exponential
//! backoff and jitter. A webhook that keeps failing disables its search and tells the owner by
//! e-mail.
//!
//! **Idempotent delivery ids.** The row's delivery id is a hash of the search id and the sorted
//! document ids (for daily digests: of the search id and the digest's date), unique in the
//! outbox. Matching the same batch twice cannot enqueue twice, and a receiver that sees the same
//! `X-Namndsok-Delivery` (or e-mail `Message-ID`) twice — which at-least-once delivery permits
//! after a crash between sending and marking sent — can drop the duplicate.
//!
//! # Modules
//!
//! - [`store`]: [`AlertStore`], one SQLite file (WAL) with accounts, saved searches, seen
//!   documents, the outbox and feed entries; all access scoped by account.
//! - [`matcher`]: batch matching and seeding.
//! - [`delivery`]: the outbox worker, e-mail ([`smtp`]) and webhooks ([`webhook`]).
//! - [`schedule`]: when daily digests go out (on `namndsok_model::time`'s Stockholm clock).
//! - [`atom`]: the private Atom feed of a saved search.
//!
//! # TLS
//!
//! rustls on `ring` throughout: [`install_crypto_provider`] makes `ring` the process's rustls
//! provider unless one is installed already (the harvester does the same). `https://` webhooks
//! are verified for the URL's host; their addresses are checked and pinned by
//! [`webhook::CheckingResolver`], so the private-address rule holds for them too. The SMTP
//! client speaks plain SMTP by default (a local relay), or STARTTLS or implicit TLS (SMTPS,
//! port 465) as [`SmtpSettings::tls`] says; with STARTTLS a relay that does not offer it is an
//! error, never a silent fallback to plain text. Certificates are verified against the system's
//! roots (`rustls-platform-verifier`), or only against [`WebhookSettings::extra_root_pem`] /
//! [`SmtpSettings::extra_root_pem`] when set.

pub mod atom;
pub mod delivery;
pub mod matcher;
pub mod query;
pub mod schedule;
pub mod smtp;
pub mod store;
mod util;
pub mod webhook;

pub use delivery::{Deliverer, DeliveryReport, RetryPolicy, SmtpSettings, WebhookSettings};
pub use matcher::{match_batch, seed_seen, MatchOptions, MatchReport, Matcher};
pub use query::SavedQuery;
pub use smtp::Tls as SmtpTls;
pub use store::{
    Account, AccountId, AlertStore, Delivery, DeliveryKind, FeedEntry, FollowCase, Frequency, NewSearch, OutboxItem,
    OutboxKind, OutboxState, SavedSearch, SearchId, SearchUpdate,
};

/// Makes rustls's `ring` provider the process default, unless a provider is installed already.
/// reqwest (built without a provider of its own) and lettre take the process default; `ring`
/// keeps aws-lc-sys out of the build.
pub fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            // Another thread may install one first; either way one is installed.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
    });
}

/// Errors of the alert engine.
#[derive(Debug, thiserror::Error)]
pub enum AlertError {
    /// The thing does not exist, or belongs to another account (the two are not told apart).
    #[error("not found")]
    NotFound,
    #[error("invalid search: {0}")]
    InvalidQuery(String),
    #[error("invalid e-mail address {0:?}")]
    InvalidEmail(String),
    #[error("an account with this e-mail address already exists")]
    EmailTaken,
    #[error("invalid webhook: {0}")]
    InvalidWebhook(String),
    #[error("invalid case to follow: {0}")]
    InvalidCase(String),
    #[error("the confirmation link is invalid or has expired")]
    InvalidConfirmation,
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("the alert database {path} has schema version {found}, newer than this program's {supported}")]
    SchemaTooNew { path: String, found: i64, supported: i64 },
    #[error("index: {0}")]
    Index(#[from] namndsok_index::IndexError),
}

/// A ready-made workload for the main benchmark (`benches/search.rs`): a store in `dir` with
/// `searches` saved searches over words common in council documents (each of its own confirmed
/// account), then one [`Matcher::match_batch`] of `documents`. Returns the report of that match.
/// A store left in `dir` by an earlier call (`alerts-bench.sqlite`) is replaced. To time matching
/// alone, build the store once and call [`Matcher::match_batch`] in the measured loop.
pub fn bench_match_batch(
    dir: &std::path::Path,
    files: namndsok_analysis::resources::ConfigFiles,
    documents: &[namndsok_model::Document],
    searches: usize,
) -> Result<MatchReport, AlertError> {
    const WORDS: &[&str] = &[
        "skola",
        "detaljplan",
        "motion",
        "budget",
        "förskola",
        "vindkraft",
        "bygglov",
        "kollektivtrafik",
        "äldreboende",
        "avfall",
    ];
    let path = dir.join("alerts-bench.sqlite");
    for stale in [path.clone(), dir.join("alerts-bench.sqlite-wal"), dir.join("alerts-bench.sqlite-shm")] {
        let _ = std::fs::remove_file(stale);
    }
    let store = AlertStore::open(&path)?;
    let now = chrono::Utc::now();
    for index in 0..searches {
        let (account, _) = store.create_account(&format!("bench{index}@example.org"))?;
        store.set_confirmed(account, true)?;
        let word = WORDS[index % WORDS.len()];
        store.create_saved_search(account, &NewSearch::email(SavedQuery::words(word)), now)?;
    }
    let mut matcher = Matcher::new(files, MatchOptions::default())?;
    matcher.match_batch(&store, documents, now)
}
