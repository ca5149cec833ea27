//! [`AlertStore`]: accounts, saved searches, seen documents, the outbox and feed entries in one
//! SQLite file.
//!
//! The file is opened in WAL mode with `foreign_keys=ON` and `synchronous=FULL` (a committed
//! match must survive a power cut, or its documents would be marked seen nowhere and alerted
//! never). The schema is created or migrated on open, one transaction per version, recorded in
//! `schema_version`; a file from a newer program is refused.
//!
//! Times are stored as INTEGER seconds since the epoch (UTC). Tokens that only authenticate
//! (account API tokens, e-mail confirmation tokens) are stored as SHA-256 hashes; tokens that
//! must be written into every message or URL (unsubscribe, feed) and webhook secrets (needed to
//! sign) are stored as they are — they are capabilities for one search, not for an account.
//!
//! Everything a person reaches is scoped by account: a search of another account is
//! [`AlertError::NotFound`], exactly like a search that does not exist.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::query::SavedQuery;
use crate::util::{constant_time_eq, from_unix, hex, random_hex, sha256, to_unix};
use crate::AlertError;

type Result<T> = std::result::Result<T, AlertError>;

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = 3;

/// One step of the schema: SQL, or a conversion of stored values that SQL cannot express.
enum Migration {
    Sql(&'static str),
    Rust(fn(&rusqlite::Transaction<'_>) -> Result<()>),
}

/// Migrations by version: `MIGRATIONS[n]` takes the file from version `n` to `n + 1`.
const MIGRATIONS: &[Migration] = &[
    Migration::Sql(
        r#"
CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    email       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    token_hash  TEXT NOT NULL UNIQUE,
    confirmed   INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL
);
CREATE TABLE pending_confirmations (
    token_hash  TEXT PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created     INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE TABLE saved_searches (
    id                   INTEGER PRIMARY KEY,
    account_id           INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    query                TEXT NOT NULL,
    delivery             TEXT NOT NULL CHECK (delivery IN ('email', 'webhook')),
    webhook_url          TEXT,
    webhook_secret       TEXT,
    frequency            TEXT NOT NULL CHECK (frequency IN ('immediate', 'daily')),
    follow_kommun        TEXT,
    follow_case          TEXT,
    feed_token           TEXT NOT NULL UNIQUE,
    unsubscribe_token    TEXT NOT NULL UNIQUE,
    disabled             INTEGER NOT NULL DEFAULT 0,
    disabled_reason      TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    created              INTEGER NOT NULL,
    CHECK (delivery = 'email' OR (webhook_url IS NOT NULL AND webhook_secret IS NOT NULL)),
    CHECK ((follow_kommun IS NULL) = (follow_case IS NULL))
);
CREATE INDEX saved_searches_account ON saved_searches(account_id);
CREATE TABLE seen (
    saved_search_id INTEGER NOT NULL REFERENCES saved_searches(id) ON DELETE CASCADE,
    document_id     TEXT NOT NULL,
    seen_at         INTEGER NOT NULL,
    PRIMARY KEY (saved_search_id, document_id)
) WITHOUT ROWID;
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    delivery_id      TEXT NOT NULL UNIQUE,
    account_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    saved_search_id  INTEGER REFERENCES saved_searches(id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('email', 'webhook', 'notice')),
    payload          TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    last_error       TEXT,
    created          INTEGER NOT NULL,
    sent_at          INTEGER
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_search ON outbox(saved_search_id);
CREATE TABLE feed_entries (
    saved_search_id INTEGER NOT NULL REFERENCES saved_searches(id) ON DELETE CASCADE,
    document_id     TEXT NOT NULL,
    title           TEXT NOT NULL,
    kommun          TEXT NOT NULL,
    url             TEXT,
    date            TEXT NOT NULL,
    added_at        INTEGER NOT NULL,
    PRIMARY KEY (saved_search_id, document_id)
) WITHOUT ROWID;
"#,
    ),
    Migration::Sql(
        r#"
-- Version 2: accounts an operator trusts to add documents (`POST /api/v1/ingest`).
ALTER TABLE accounts ADD COLUMN may_ingest INTEGER NOT NULL DEFAULT 0;
"#,
    ),
    // Version 3: `saved_searches.query` holds a typed [`SavedQuery`] as JSON instead of the
    // search page's URL parameters.
    Migration::Rust(query_strings_to_json),
];

/// Feed entries kept per saved search (the newest).
pub const FEED_ENTRIES_KEPT: usize = 100;
/// How long an e-mail confirmation link is valid.
pub const CONFIRMATION_VALID_HOURS: i64 = 48;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// An account's id.
    AccountId
);
id_type!(
    /// A saved search's id.
    SearchId
);

/// A person (or system) with saved searches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub email: String,
    /// Whether the address was confirmed through the e-mailed link; only confirmed accounts'
    /// searches are matched.
    pub confirmed: bool,
    pub created: DateTime<Utc>,
    /// Whether the account may add documents to the index (a trusted feeder; set only by an
    /// operator, see [`AlertStore::set_may_ingest`]).
    pub may_ingest: bool,
}

/// How often matches are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    /// One message per matched batch.
    Immediate,
    /// One digest a day at the configured hour, Europe/Stockholm.
    Daily,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Immediate => "immediate",
            Frequency::Daily => "daily",
        }
    }

    pub fn parse(text: &str) -> Option<Frequency> {
        match text {
            "immediate" => Some(Frequency::Immediate),
            "daily" => Some(Frequency::Daily),
            _ => None,
        }
    }
}

/// How a new search is to be delivered (the webhook secret is generated by the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryKind {
    Email,
    Webhook { url: String },
}

/// How a saved search is delivered.
#[derive(Clone, PartialEq, Eq)]
pub enum Delivery {
    /// To the account's e-mail address.
    Email,
    /// POSTed to `url`, signed with `secret` (shown to the owner once, when the search is saved).
    Webhook { url: String, secret: String },
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Delivery::Email => f.write_str("Email"),
            Delivery::Webhook { url, .. } => f.debug_struct("Webhook").field("url", url).finish_non_exhaustive(),
        }
    }
}

/// A "follow this case" subscription: one kommun's documents whose diarienummer has this key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowCase {
    pub kommun_kod: String,
    /// [`namndsok_model::CaseNumber::key`] (`ks2023-412`).
    pub case_key: String,
}

impl FollowCase {
    /// The case `diarienummer` (in any spelling) of the kommun or region `kommun_kod`.
    pub fn new(kommun_kod: &str, diarienummer: &str) -> Result<FollowCase> {
        if namndsok_model::Registry::global().by_code(kommun_kod).is_none() {
            return Err(AlertError::InvalidCase(format!("unknown kommunkod {kommun_kod:?}")));
        }
        let case = namndsok_model::CaseNumber::parse(diarienummer)
            .or_else(|| namndsok_model::CaseNumber::find_all(diarienummer).into_iter().next())
            .ok_or_else(|| AlertError::InvalidCase(format!("{diarienummer:?} is not a diarienummer")))?;
        Ok(FollowCase { kommun_kod: kommun_kod.to_string(), case_key: case.key() })
    }
}

/// A search to save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSearch {
    /// What to look for (empty when following a case).
    pub query: SavedQuery,
    pub delivery: DeliveryKind,
    pub frequency: Frequency,
    pub follow_case: Option<FollowCase>,
}

impl NewSearch {
    /// Immediate e-mail alerts for `query`.
    pub fn email(query: SavedQuery) -> NewSearch {
        NewSearch { query, delivery: DeliveryKind::Email, frequency: Frequency::Immediate, follow_case: None }
    }

    /// Immediate webhook deliveries for `query`.
    pub fn webhook(query: SavedQuery, url: &str) -> NewSearch {
        NewSearch { delivery: DeliveryKind::Webhook { url: url.to_string() }, ..NewSearch::email(query) }
    }

    pub fn with_frequency(mut self, frequency: Frequency) -> NewSearch {
        self.frequency = frequency;
        self
    }

    pub fn following(mut self, case: FollowCase) -> NewSearch {
        self.follow_case = Some(case);
        self
    }
}

/// Changes to a saved search; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchUpdate {
    pub query: Option<SavedQuery>,
    pub frequency: Option<Frequency>,
    /// Only for webhook searches.
    pub webhook_url: Option<String>,
    /// Re-enabling also clears the failure count.
    pub disabled: Option<bool>,
}

/// A saved search as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSearch {
    pub id: SearchId,
    pub account_id: AccountId,
    pub query: SavedQuery,
    pub delivery: Delivery,
    pub frequency: Frequency,
    pub follow_case: Option<FollowCase>,
    /// The secret in the private Atom feed's URL.
    pub feed_token: String,
    /// The secret in the one-click unsubscribe link.
    pub unsubscribe_token: String,
    pub disabled: bool,
    pub disabled_reason: Option<String>,
    pub consecutive_failures: u32,
    pub created: DateTime<Utc>,
}

impl SavedSearch {
    pub fn is_webhook(&self) -> bool {
        matches!(self.delivery, Delivery::Webhook { .. })
    }

    /// What the search looks for, in words: the words, or the case followed, or the filters.
    pub fn label(&self) -> String {
        let query = &self.query;
        match &self.follow_case {
            _ if !query.q.trim().is_empty() => query.q.trim().to_string(),
            Some(case) => format!("ärende {} i {}", case.case_key, kommun_name(&case.kommun_kod)),
            None => form_urlencoded::parse(query.search_page_query().as_bytes())
                .map(|(key, value)| format!("{key}={value}"))
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// The search page's parameters showing this search's results.
    pub fn search_page_query(&self) -> String {
        match &self.follow_case {
            Some(case) if !self.query.says_something() => form_urlencoded::Serializer::new(String::new())
                .append_pair("q", &case.case_key)
                .append_pair("kommun", &case.kommun_kod)
                .finish(),
            _ => self.query.search_page_query(),
        }
    }
}

fn kommun_name(code: &str) -> String {
    namndsok_model::Registry::global().by_code(code).map(|o| o.name.clone()).unwrap_or_else(|| code.to_string())
}

/// What an outbox row delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxKind {
    /// Matches of a saved search, by e-mail.
    Email,
    /// Matches of a saved search, by webhook.
    Webhook,
    /// A message to an account's owner (a disabled webhook, a confirmation link).
    Notice,
}

impl OutboxKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxKind::Email => "email",
            OutboxKind::Webhook => "webhook",
            OutboxKind::Notice => "notice",
        }
    }

    fn parse(text: &str) -> OutboxKind {
        match text {
            "webhook" => OutboxKind::Webhook,
            "notice" => OutboxKind::Notice,
            _ => OutboxKind::Email,
        }
    }
}

/// Where an outbox row is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    Pending,
    Sent,
    /// Given up (too many attempts, the search disabled or unsubscribed).
    Failed,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Sent => "sent",
            OutboxState::Failed => "failed",
        }
    }

    fn parse(text: &str) -> OutboxState {
        match text {
            "sent" => OutboxState::Sent,
            "failed" => OutboxState::Failed,
            _ => OutboxState::Pending,
        }
    }
}

/// A row to put in the outbox.
#[derive(Debug, Clone)]
pub struct NewOutboxItem {
    pub delivery_id: String,
    pub account_id: AccountId,
    pub saved_search_id: Option<SearchId>,
    pub kind: OutboxKind,
    pub payload: serde_json::Value,
    pub next_attempt_at: DateTime<Utc>,
}

/// An outbox row.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxItem {
    pub id: i64,
    pub delivery_id: String,
    pub account_id: AccountId,
    pub saved_search_id: Option<SearchId>,
    pub kind: OutboxKind,
    pub payload: serde_json::Value,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub state: OutboxState,
    pub last_error: Option<String>,
    pub created: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// One entry of a saved search's Atom feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    pub document_id: String,
    pub title: String,
    pub kommun: String,
    /// The document's source URL, if it has one.
    pub url: Option<String>,
    pub date: NaiveDate,
    pub added_at: DateTime<Utc>,
}

/// The alert database.
pub struct AlertStore {
    conn: Mutex<Connection>,
    path: PathBuf,
}

const SEARCH_COLUMNS: &str = "id, account_id, query, delivery, webhook_url, webhook_secret, frequency, follow_kommun, \
     follow_case, feed_token, unsubscribe_token, disabled, disabled_reason, consecutive_failures, created";
const OUTBOX_COLUMNS: &str = "id, delivery_id, account_id, saved_search_id, kind, payload, attempts, next_attempt_at, \
     state, last_error, created, sent_at";

impl AlertStore {
    /// Opens (creating or migrating) the database file at `path`.
    pub fn open(path: &Path) -> Result<AlertStore> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(path = %path.display(), mode, "the alert database is not in WAL mode");
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        migrate(&mut conn, path)?;
        Ok(AlertStore { conn: Mutex::new(conn), path: path.to_path_buf() })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` in one transaction: all of it is committed, or none of it.
    pub(crate) fn transaction<T>(&self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    // --- accounts ---

    /// Creates an unconfirmed account. Returns its id and its API token, which is stored only
    /// as a hash: show it once.
    pub fn create_account(&self, email: &str) -> Result<(AccountId, String)> {
        let email = validate_email(email)?;
        let token = random_hex(32);
        let conn = self.lock();
        let inserted = conn.execute(
            "INSERT INTO accounts (email, token_hash, confirmed, created) VALUES (?1, ?2, 0, ?3)",
            params![email, token_hash(&token), to_unix(Utc::now())],
        );
        match inserted {
            Ok(_) => Ok((AccountId(conn.last_insert_rowid()), token)),
            Err(rusqlite::Error::SqliteFailure(error, _))
                if error.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
            {
                Err(AlertError::EmailTaken)
            }
            Err(error) => Err(error.into()),
        }
    }

    /// The account with this id.
    pub fn account(&self, id: AccountId) -> Result<Account> {
        self.lock()
            .query_row(
                "SELECT id, email, confirmed, created, may_ingest FROM accounts WHERE id = ?1",
                [id.0],
                account_from_row,
            )
            .optional()?
            .ok_or(AlertError::NotFound)
    }

    /// The account with this e-mail address (compared without regard to case), if any.
    pub fn account_by_email(&self, email: &str) -> Result<Option<Account>> {
        Ok(self
            .lock()
            .query_row(
                "SELECT id, email, confirmed, created, may_ingest FROM accounts WHERE email = ?1",
                [email.trim()],
                account_from_row,
            )
            .optional()?)
    }

    /// Lets the account add documents, or stops it (operators only: `namndsok accounts create
    /// --ingest`).
    pub fn set_may_ingest(&self, account: AccountId, may_ingest: bool) -> Result<()> {
        let changed =
            self.lock().execute("UPDATE accounts SET may_ingest = ?1 WHERE id = ?2", params![may_ingest, account.0])?;
        if changed == 0 {
            return Err(AlertError::NotFound);
        }
        Ok(())
    }

    /// The account an API token belongs to. The token is hashed with SHA-256; the row is found
    /// by the hash (an index lookup on a hash of 256 random bits tells a timing observer
    /// nothing about the token) and the stored hash is then compared in constant time.
    pub fn account_by_token(&self, token: &str) -> Result<Option<Account>> {
        let hash = token_hash(token.trim());
        let conn = self.lock();
        let row = conn
            .query_row(
                "SELECT id, email, confirmed, created, may_ingest, token_hash FROM accounts WHERE token_hash = ?1",
                [&hash],
                |row| Ok((account_from_row(row)?, row.get::<_, String>(5)?)),
            )
            .optional()?;
        Ok(row.and_then(|(account, stored)| constant_time_eq(stored.as_bytes(), hash.as_bytes()).then_some(account)))
    }

    /// Replaces the account's API token; the old one stops working. Returns the new token.
    pub fn rotate_token(&self, account: AccountId) -> Result<String> {
        let token = random_hex(32);
        let changed = self
            .lock()
            .execute("UPDATE accounts SET token_hash = ?1 WHERE id = ?2", params![token_hash(&token), account.0])?;
        if changed == 0 {
            return Err(AlertError::NotFound);
        }
        Ok(token)
    }

    /// Marks the account confirmed or not (administration, tests; people use [`Self::confirm`]).
    pub fn set_confirmed(&self, account: AccountId, confirmed: bool) -> Result<()> {
        let changed =
            self.lock().execute("UPDATE accounts SET confirmed = ?1 WHERE id = ?2", params![confirmed, account.0])?;
        if changed == 0 {
            return Err(AlertError::NotFound);
        }
        Ok(())
    }

    /// A new confirmation token for the e-mail link (valid [`CONFIRMATION_VALID_HOURS`]).
    pub fn start_confirmation(&self, account: AccountId, now: DateTime<Utc>) -> Result<String> {
        let token = random_hex(32);
        let conn = self.lock();
        conn.execute("DELETE FROM pending_confirmations WHERE expires_at < ?1", [to_unix(now)])?;
        let inserted = conn.execute(
            "INSERT INTO pending_confirmations (token_hash, account_id, created, expires_at)
             SELECT ?1, id, ?2, ?3 FROM accounts WHERE id = ?4",
            params![
                token_hash(&token),
                to_unix(now),
                to_unix(now + Duration::hours(CONFIRMATION_VALID_HOURS)),
                account.0
            ],
        )?;
        if inserted == 0 {
            return Err(AlertError::NotFound);
        }
        Ok(token)
    }

    /// Confirms the account a confirmation token was issued for (once).
    pub fn confirm(&self, token: &str, now: DateTime<Utc>) -> Result<AccountId> {
        let hash = token_hash(token.trim());
        self.transaction(|tx| {
            let account: Option<i64> = tx
                .query_row(
                    "SELECT account_id FROM pending_confirmations WHERE token_hash = ?1 AND expires_at >= ?2",
                    params![hash, to_unix(now)],
                    |row| row.get(0),
                )
                .optional()?;
            let account = account.ok_or(AlertError::InvalidConfirmation)?;
            tx.execute("DELETE FROM pending_confirmations WHERE token_hash = ?1", [&hash])?;
            tx.execute("UPDATE accounts SET confirmed = 1 WHERE id = ?1", [account])?;
            Ok(AccountId(account))
        })
    }

    /// Deletes an account with its searches, seen lists, outbox rows and feeds.
    pub fn delete_account(&self, account: AccountId) -> Result<()> {
        if self.lock().execute("DELETE FROM accounts WHERE id = ?1", [account.0])? == 0 {
            return Err(AlertError::NotFound);
        }
        Ok(())
    }

    // --- saved searches ---

    /// Saves a search for `account`. The query must parse as search parameters and say what
    /// to look for (words, a filter or a case to follow). Webhook URLs are checked for form
    /// here; their addresses are checked by [`crate::Deliverer::check_webhook_url`], which the
    /// caller should also run at save time to refuse private addresses early.
    pub fn create_saved_search(&self, account: AccountId, new: &NewSearch, now: DateTime<Utc>) -> Result<SavedSearch> {
        validate_query(&new.query, new.follow_case.as_ref())?;
        let (kind, url, secret) = match &new.delivery {
            DeliveryKind::Email => ("email", None, None),
            DeliveryKind::Webhook { url } => {
                crate::webhook::WebhookUrl::parse(url).map_err(|e| AlertError::InvalidWebhook(e.to_string()))?;
                ("webhook", Some(url.trim().to_string()), Some(random_hex(32)))
            }
        };
        let id = {
            let conn = self.lock();
            let inserted = conn.execute(
                "INSERT INTO saved_searches (account_id, query, delivery, webhook_url, webhook_secret, frequency,
                     follow_kommun, follow_case, feed_token, unsubscribe_token, created)
                 SELECT id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11 FROM accounts WHERE id = ?1",
                params![
                    account.0,
                    new.query.to_json(),
                    kind,
                    url,
                    secret,
                    new.frequency.as_str(),
                    new.follow_case.as_ref().map(|c| c.kommun_kod.as_str()),
                    new.follow_case.as_ref().map(|c| c.case_key.as_str()),
                    random_hex(24),
                    random_hex(24),
                    to_unix(now),
                ],
            )?;
            if inserted == 0 {
                return Err(AlertError::NotFound);
            }
            SearchId(conn.last_insert_rowid())
        };
        self.search_by_id(id)
    }

    /// One of the account's saved searches.
    pub fn get_saved_search(&self, account: AccountId, id: SearchId) -> Result<SavedSearch> {
        self.lock()
            .query_row(
                &format!("SELECT {SEARCH_COLUMNS} FROM saved_searches WHERE id = ?1 AND account_id = ?2"),
                [id.0, account.0],
                search_from_row,
            )
            .optional()?
            .ok_or(AlertError::NotFound)
    }

    /// The account's saved searches, oldest first.
    pub fn list_saved_searches(&self, account: AccountId) -> Result<Vec<SavedSearch>> {
        let conn = self.lock();
        let mut statement =
            conn.prepare(&format!("SELECT {SEARCH_COLUMNS} FROM saved_searches WHERE account_id = ?1 ORDER BY id"))?;
        let rows = statement.query_map([account.0], search_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Changes one of the account's saved searches.
    pub fn update_saved_search(&self, account: AccountId, id: SearchId, update: &SearchUpdate) -> Result<SavedSearch> {
        let current = self.get_saved_search(account, id)?;
        if let Some(query) = &update.query {
            validate_query(query, current.follow_case.as_ref())?;
        }
        if let Some(url) = &update.webhook_url {
            if !current.is_webhook() {
                return Err(AlertError::InvalidWebhook("this search is delivered by e-mail".into()));
            }
            crate::webhook::WebhookUrl::parse(url).map_err(|e| AlertError::InvalidWebhook(e.to_string()))?;
        }
        self.transaction(|tx| {
            if let Some(query) = &update.query {
                tx.execute(
                    "UPDATE saved_searches SET query = ?1 WHERE id = ?2 AND account_id = ?3",
                    params![query.to_json(), id.0, account.0],
                )?;
            }
            if let Some(frequency) = update.frequency {
                tx.execute(
                    "UPDATE saved_searches SET frequency = ?1 WHERE id = ?2 AND account_id = ?3",
                    params![frequency.as_str(), id.0, account.0],
                )?;
            }
            if let Some(url) = &update.webhook_url {
                tx.execute(
                    "UPDATE saved_searches SET webhook_url = ?1 WHERE id = ?2 AND account_id = ?3",
                    params![url.trim(), id.0, account.0],
                )?;
            }
            match update.disabled {
                Some(true) => {
                    tx.execute(
                        "UPDATE saved_searches SET disabled = 1, disabled_reason = 'disabled by owner'
                         WHERE id = ?1 AND account_id = ?2",
                        [id.0, account.0],
                    )?;
                }
                Some(false) => {
                    tx.execute(
                        "UPDATE saved_searches SET disabled = 0, disabled_reason = NULL, consecutive_failures = 0
                         WHERE id = ?1 AND account_id = ?2",
                        [id.0, account.0],
                    )?;
                }
                None => {}
            }
            Ok(())
        })?;
        self.get_saved_search(account, id)
    }

    /// Deletes one of the account's saved searches, with its seen list, outbox rows and feed.
    pub fn delete_saved_search(&self, account: AccountId, id: SearchId) -> Result<()> {
        let deleted =
            self.lock().execute("DELETE FROM saved_searches WHERE id = ?1 AND account_id = ?2", [id.0, account.0])?;
        if deleted == 0 {
            return Err(AlertError::NotFound);
        }
        Ok(())
    }

    /// A saved search by id, whoever owns it. For the matcher, the deliverer and administration;
    /// never answer a person's request with it (use [`Self::get_saved_search`]).
    pub fn search_by_id(&self, id: SearchId) -> Result<SavedSearch> {
        self.lock()
            .query_row(&format!("SELECT {SEARCH_COLUMNS} FROM saved_searches WHERE id = ?1"), [id.0], search_from_row)
            .optional()?
            .ok_or(AlertError::NotFound)
    }

    /// The searches to match: enabled, of confirmed accounts.
    pub fn active_searches(&self) -> Result<Vec<SavedSearch>> {
        let conn = self.lock();
        let columns = SEARCH_COLUMNS.split(", ").map(|c| format!("s.{c}")).collect::<Vec<_>>().join(", ");
        let mut statement = conn.prepare(&format!(
            "SELECT {columns} FROM saved_searches s JOIN accounts a ON a.id = s.account_id
             WHERE s.disabled = 0 AND a.confirmed = 1 ORDER BY s.id"
        ))?;
        let rows = statement.query_map([], search_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The saved search whose private feed has this token (disabled searches keep their feed).
    pub fn search_by_feed_token(&self, token: &str) -> Result<Option<SavedSearch>> {
        Ok(self
            .lock()
            .query_row(
                &format!("SELECT {SEARCH_COLUMNS} FROM saved_searches WHERE feed_token = ?1"),
                [token],
                search_from_row,
            )
            .optional()?)
    }

    /// One-click unsubscribe: disables the search the token belongs to. Returns it, or `None`
    /// for an unknown token. Unsubscribing twice is not an error.
    pub fn unsubscribe(&self, token: &str) -> Result<Option<SearchId>> {
        self.transaction(|tx| {
            let id: Option<i64> = tx
                .query_row("SELECT id FROM saved_searches WHERE unsubscribe_token = ?1", [token.trim()], |row| {
                    row.get(0)
                })
                .optional()?;
            let Some(id) = id else { return Ok(None) };
            tx.execute("UPDATE saved_searches SET disabled = 1, disabled_reason = 'unsubscribed' WHERE id = ?1", [id])?;
            Ok(Some(SearchId(id)))
        })
    }

    /// Disables a search (the deliverer, after too many failures).
    pub fn disable_search(&self, id: SearchId, reason: &str) -> Result<()> {
        let changed = self.lock().execute(
            "UPDATE saved_searches SET disabled = 1, disabled_reason = ?1 WHERE id = ?2",
            params![reason, id.0],
        )?;
        if changed == 0 {
            return Err(AlertError::NotFound);
        }
        Ok(())
    }

    /// Counts one more failed delivery in a row; returns the new count.
    pub fn record_failure(&self, id: SearchId) -> Result<u32> {
        let conn = self.lock();
        conn.execute(
            "UPDATE saved_searches SET consecutive_failures = consecutive_failures + 1 WHERE id = ?1",
            [id.0],
        )?;
        conn.query_row("SELECT consecutive_failures FROM saved_searches WHERE id = ?1", [id.0], |row| row.get(0))
            .optional()?
            .ok_or(AlertError::NotFound)
    }

    /// A delivery succeeded: the failure count starts again.
    pub fn reset_failures(&self, id: SearchId) -> Result<()> {
        self.lock().execute("UPDATE saved_searches SET consecutive_failures = 0 WHERE id = ?1", [id.0])?;
        Ok(())
    }

    // --- seen ---

    /// Records documents as seen by a search. Returns how many were new.
    pub fn mark_seen(&self, search: SearchId, ids: &[&str], now: DateTime<Utc>) -> Result<usize> {
        self.transaction(|tx| insert_seen(tx, search, ids, now))
    }

    /// The ids among `ids` the search has not seen, in the given order.
    pub fn unseen(&self, search: SearchId, ids: &[&str]) -> Result<Vec<String>> {
        unseen_in(&self.lock(), search, ids)
    }

    /// How many documents a search has seen.
    pub fn seen_count(&self, search: SearchId) -> Result<usize> {
        let count: i64 =
            self.lock()
                .query_row("SELECT COUNT(*) FROM seen WHERE saved_search_id = ?1", [search.0], |row| row.get(0))?;
        Ok(count as usize)
    }

    // --- outbox ---

    /// Puts a row in the outbox. Returns false when a row with this delivery id exists already
    /// (nothing is changed then).
    pub fn enqueue(&self, item: &NewOutboxItem, now: DateTime<Utc>) -> Result<bool> {
        enqueue_in(&self.lock(), item, now)
    }

    /// Queues a message to an account's owner. Returns its delivery id.
    pub fn enqueue_notice(&self, account: AccountId, subject: &str, body: &str, now: DateTime<Utc>) -> Result<String> {
        let delivery_id = format!("notice-{}", random_hex(16));
        let item = NewOutboxItem {
            delivery_id: delivery_id.clone(),
            account_id: account,
            saved_search_id: None,
            kind: OutboxKind::Notice,
            payload: serde_json::json!({ "subject": subject, "body": body }),
            next_attempt_at: now,
        };
        enqueue_in(&self.lock(), &item, now)?;
        Ok(delivery_id)
    }

    /// Pending rows due at `now`, oldest due first (read only).
    pub fn due(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<OutboxItem>> {
        due_in(&self.lock(), now, limit)
    }

    /// Like [`Self::due`], but leases the rows: their next attempt moves to `now + lease`, so a
    /// second worker does not take them, and a worker that dies mid-send leaves them to be
    /// retried when the lease runs out (at-least-once).
    pub fn claim_due(&self, now: DateTime<Utc>, limit: usize, lease: Duration) -> Result<Vec<OutboxItem>> {
        self.claim_due_of(now, limit, lease, &[OutboxKind::Email, OutboxKind::Webhook, OutboxKind::Notice])
    }

    /// Like [`Self::claim_due`], for rows of the given kinds only (the others stay pending and
    /// untouched: a server without an SMTP relay still sends webhooks).
    pub fn claim_due_of(
        &self,
        now: DateTime<Utc>,
        limit: usize,
        lease: Duration,
        kinds: &[OutboxKind],
    ) -> Result<Vec<OutboxItem>> {
        self.transaction(|tx| {
            let items = due_of_in(tx, now, limit, kinds)?;
            for item in &items {
                tx.execute(
                    "UPDATE outbox SET next_attempt_at = ?1 WHERE id = ?2",
                    params![to_unix(now + lease), item.id],
                )?;
            }
            Ok(items)
        })
    }

    /// The outbox row with this delivery id.
    pub fn outbox_item(&self, delivery_id: &str) -> Result<Option<OutboxItem>> {
        Ok(self
            .lock()
            .query_row(
                &format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE delivery_id = ?1"),
                [delivery_id],
                outbox_from_row,
            )
            .optional()?)
    }

    /// Every outbox row of a search (notices are not a search's), oldest first.
    pub fn outbox_for_search(&self, search: SearchId) -> Result<Vec<OutboxItem>> {
        let conn = self.lock();
        let mut statement =
            conn.prepare(&format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE saved_search_id = ?1 ORDER BY id"))?;
        let rows = statement.query_map([search.0], outbox_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every outbox row of an account, notices included, oldest first.
    pub fn outbox_for_account(&self, account: AccountId) -> Result<Vec<OutboxItem>> {
        let conn = self.lock();
        let mut statement =
            conn.prepare(&format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE account_id = ?1 ORDER BY id"))?;
        let rows = statement.query_map([account.0], outbox_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// A row was delivered.
    pub fn mark_sent(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        self.lock().execute(
            "UPDATE outbox SET state = 'sent', sent_at = ?1, attempts = attempts + 1, last_error = NULL WHERE id = ?2",
            params![to_unix(now), id],
        )?;
        Ok(())
    }

    /// A delivery attempt failed: try again at `retry_at`, or give up (`None`).
    pub fn mark_failed(&self, id: i64, error: &str, retry_at: Option<DateTime<Utc>>) -> Result<()> {
        let conn = self.lock();
        match retry_at {
            Some(at) => conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?1, next_attempt_at = ?2 WHERE id = ?3",
                params![error, to_unix(at), id],
            )?,
            None => conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?1, state = 'failed' WHERE id = ?2",
                params![error, id],
            )?,
        };
        Ok(())
    }

    /// Gives up a row without an attempt (its search was unsubscribed or deleted).
    pub fn mark_dropped(&self, id: i64, reason: &str) -> Result<()> {
        self.lock()
            .execute("UPDATE outbox SET state = 'failed', last_error = ?1 WHERE id = ?2", params![reason, id])?;
        Ok(())
    }

    // --- feed ---

    /// The newest entries of a search's feed.
    pub fn feed_entries(&self, search: SearchId, limit: usize) -> Result<Vec<FeedEntry>> {
        let conn = self.lock();
        let mut statement = conn.prepare(
            "SELECT document_id, title, kommun, url, date, added_at FROM feed_entries WHERE saved_search_id = ?1
             ORDER BY added_at DESC, date DESC, document_id LIMIT ?2",
        )?;
        let rows = statement
            .query_map(params![search.0, limit as i64], |row| {
                let date: String = row.get(4)?;
                Ok(FeedEntry {
                    document_id: row.get(0)?,
                    title: row.get(1)?,
                    kommun: row.get(2)?,
                    url: row.get(3)?,
                    date: NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap_or_default(),
                    added_at: from_unix(row.get(5)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

// --- shared by the store's methods and the matcher's transaction ---

pub(crate) fn insert_seen(conn: &Connection, search: SearchId, ids: &[&str], now: DateTime<Utc>) -> Result<usize> {
    let mut statement =
        conn.prepare_cached("INSERT OR IGNORE INTO seen (saved_search_id, document_id, seen_at) VALUES (?1, ?2, ?3)")?;
    let mut inserted = 0;
    for id in ids {
        inserted += statement.execute(params![search.0, id, to_unix(now)])?;
    }
    Ok(inserted)
}

pub(crate) fn unseen_in(conn: &Connection, search: SearchId, ids: &[&str]) -> Result<Vec<String>> {
    let mut statement = conn.prepare_cached("SELECT 1 FROM seen WHERE saved_search_id = ?1 AND document_id = ?2")?;
    let mut out = Vec::new();
    for id in ids {
        if !statement.exists(params![search.0, id])? && !out.iter().any(|seen: &String| seen == id) {
            out.push(id.to_string());
        }
    }
    Ok(out)
}

pub(crate) fn enqueue_in(conn: &Connection, item: &NewOutboxItem, now: DateTime<Utc>) -> Result<bool> {
    let inserted = conn.execute(
        "INSERT OR IGNORE INTO outbox (delivery_id, account_id, saved_search_id, kind, payload, next_attempt_at, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            item.delivery_id,
            item.account_id.0,
            item.saved_search_id.map(|s| s.0),
            item.kind.as_str(),
            item.payload.to_string(),
            to_unix(item.next_attempt_at),
            to_unix(now),
        ],
    )?;
    Ok(inserted == 1)
}

/// The payload and state of an outbox row, for merging a digest.
pub(crate) fn outbox_payload_in(conn: &Connection, delivery_id: &str) -> Result<Option<(i64, OutboxState, String)>> {
    Ok(conn
        .query_row("SELECT id, state, payload FROM outbox WHERE delivery_id = ?1", [delivery_id], |row| {
            Ok((row.get(0)?, OutboxState::parse(&row.get::<_, String>(1)?), row.get(2)?))
        })
        .optional()?)
}

pub(crate) fn replace_payload_in(conn: &Connection, id: i64, payload: &serde_json::Value) -> Result<()> {
    conn.execute("UPDATE outbox SET payload = ?1 WHERE id = ?2", params![payload.to_string(), id])?;
    Ok(())
}

pub(crate) fn insert_feed_entries(
    conn: &Connection,
    search: SearchId,
    documents: &[&namndsok_model::Document],
    now: DateTime<Utc>,
) -> Result<()> {
    let mut statement = conn.prepare_cached(
        "INSERT OR REPLACE INTO feed_entries (saved_search_id, document_id, title, kommun, url, date, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for document in documents {
        statement.execute(params![
            search.0,
            document.id,
            document.title,
            document.kommun,
            document.url,
            document.date.format("%Y-%m-%d").to_string(),
            to_unix(now),
        ])?;
    }
    conn.execute(
        "DELETE FROM feed_entries WHERE saved_search_id = ?1 AND document_id NOT IN (
             SELECT document_id FROM feed_entries WHERE saved_search_id = ?1
             ORDER BY added_at DESC, date DESC, document_id LIMIT ?2)",
        params![search.0, FEED_ENTRIES_KEPT as i64],
    )?;
    Ok(())
}

fn due_in(conn: &Connection, now: DateTime<Utc>, limit: usize) -> Result<Vec<OutboxItem>> {
    due_of_in(conn, now, limit, &[OutboxKind::Email, OutboxKind::Webhook, OutboxKind::Notice])
}

fn due_of_in(conn: &Connection, now: DateTime<Utc>, limit: usize, kinds: &[OutboxKind]) -> Result<Vec<OutboxItem>> {
    let kinds = |kind: OutboxKind| kinds.contains(&kind);
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?1
           AND ((kind = 'email' AND ?3) OR (kind = 'webhook' AND ?4) OR (kind = 'notice' AND ?5))
         ORDER BY next_attempt_at, id LIMIT ?2"
    ))?;
    let rows = statement
        .query_map(
            params![
                to_unix(now),
                limit as i64,
                kinds(OutboxKind::Email),
                kinds(OutboxKind::Webhook),
                kinds(OutboxKind::Notice)
            ],
            outbox_from_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")?;
    let found: Option<i64> = conn.query_row("SELECT MAX(version) FROM schema_version", [], |row| row.get(0))?;
    let found = found.unwrap_or(0);
    if found > SCHEMA_VERSION {
        return Err(AlertError::SchemaTooNew { path: path.display().to_string(), found, supported: SCHEMA_VERSION });
    }
    for (version, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        match migration {
            Migration::Sql(sql) => tx.execute_batch(sql)?,
            Migration::Rust(step) => step(&tx)?,
        }
        tx.execute("DELETE FROM schema_version", [])?;
        tx.execute("INSERT INTO schema_version (version) VALUES (?1)", [version as i64 + 1])?;
        tx.commit()?;
        tracing::info!(path = %path.display(), version = version + 1, "alert database migrated");
    }
    Ok(())
}

fn token_hash(token: &str) -> String {
    hex(&sha256(token.as_bytes()))
}

/// Checks an address for the form `local@domain` without spaces, angle brackets or line breaks
/// (it goes into SMTP commands and headers).
fn validate_email(email: &str) -> Result<String> {
    let email = email.trim();
    let bad = || AlertError::InvalidEmail(email.to_string());
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    let forbidden = |c: char| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"@".contains(c);
    if email.len() > 254
        || local.is_empty()
        || local.len() > 64
        || domain.is_empty()
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || local.chars().any(forbidden)
        || domain.chars().any(forbidden)
    {
        return Err(bad());
    }
    Ok(email.to_string())
}

/// Version 3: each saved query's URL parameters become a [`SavedQuery`] in JSON.
fn query_strings_to_json(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    let rows: Vec<(i64, String)> = tx
        .prepare("SELECT id, query FROM saved_searches")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, text) in rows {
        let (query, dropped) = SavedQuery::from_legacy_parameters(&text);
        if !dropped.is_empty() {
            tracing::warn!(search = id, ?dropped, "saved search parameters dropped in migration");
        }
        tx.execute("UPDATE saved_searches SET query = ?1 WHERE id = ?2", params![query.to_json(), id])?;
    }
    Ok(())
}

fn validate_query(query: &SavedQuery, follow_case: Option<&FollowCase>) -> Result<()> {
    if !query.says_something() && follow_case.is_none() {
        return Err(AlertError::InvalidQuery(
            "a saved search needs words, a filter (kommun, lan, kind, organ) or a case to follow".into(),
        ));
    }
    Ok(())
}

fn account_from_row(row: &Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        id: AccountId(row.get(0)?),
        email: row.get(1)?,
        confirmed: row.get(2)?,
        created: from_unix(row.get(3)?),
        may_ingest: row.get(4)?,
    })
}

fn search_from_row(row: &Row<'_>) -> rusqlite::Result<SavedSearch> {
    let delivery: String = row.get(3)?;
    let delivery = match delivery.as_str() {
        "webhook" => Delivery::Webhook { url: row.get(4)?, secret: row.get(5)? },
        _ => Delivery::Email,
    };
    let frequency: String = row.get(6)?;
    let follow_kommun: Option<String> = row.get(7)?;
    let follow_case: Option<String> = row.get(8)?;
    Ok(SavedSearch {
        id: SearchId(row.get(0)?),
        account_id: AccountId(row.get(1)?),
        query: SavedQuery::from_json(&row.get::<_, String>(2)?)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e)))?,
        delivery,
        frequency: Frequency::parse(&frequency).unwrap_or(Frequency::Immediate),
        follow_case: follow_kommun.zip(follow_case).map(|(kommun_kod, case_key)| FollowCase { kommun_kod, case_key }),
        feed_token: row.get(9)?,
        unsubscribe_token: row.get(10)?,
        disabled: row.get(11)?,
        disabled_reason: row.get(12)?,
        consecutive_failures: row.get(13)?,
        created: from_unix(row.get(14)?),
    })
}

fn outbox_from_row(row: &Row<'_>) -> rusqlite::Result<OutboxItem> {
    let payload: String = row.get(5)?;
    Ok(OutboxItem {
        id: row.get(0)?,
        delivery_id: row.get(1)?,
        account_id: AccountId(row.get(2)?),
        saved_search_id: row.get::<_, Option<i64>>(3)?.map(SearchId),
        kind: OutboxKind::parse(&row.get::<_, String>(4)?),
        payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
        attempts: row.get(6)?,
        next_attempt_at: from_unix(row.get(7)?),
        state: OutboxState::parse(&row.get::<_, String>(8)?),
        last_error: row.get(9)?,
        created: from_unix(row.get(10)?),
        sent_at: row.get::<_, Option<i64>>(11)?.map(from_unix),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, AlertStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = AlertStore::open(&dir.path().join("alerts.sqlite")).unwrap();
        (dir, store)
    }

    #[test]
    fn tokens_are_stored_hashed_and_found_again() {
        let (_dir, store) = store();
        let (id, token) = store.create_account("anna@example.org").unwrap();
        assert_eq!(store.account_by_token(&token).unwrap().unwrap().id, id);
        assert!(store.account_by_token("nope").unwrap().is_none());
        let stored: String =
            store.lock().query_row("SELECT token_hash FROM accounts WHERE id = ?1", [id.0], |r| r.get(0)).unwrap();
        assert_ne!(stored, token);
        let new = store.rotate_token(id).unwrap();
        assert!(store.account_by_token(&token).unwrap().is_none());
        assert_eq!(store.account_by_token(&new).unwrap().unwrap().id, id);
    }

    #[test]
    fn emails_are_unique_and_checked() {
        let (_dir, store) = store();
        store.create_account("Anna@Example.org").unwrap();
        assert!(matches!(store.create_account("anna@example.org"), Err(AlertError::EmailTaken)));
        for bad in ["anna", "a b@example.org", "anna@example", "anna@example.org\r\nBcc: x@y.se", "<a@b.se>"] {
            assert!(matches!(store.create_account(bad), Err(AlertError::InvalidEmail(_))), "{bad}");
        }
    }

    #[test]
    fn confirmation_links_work_once() {
        let (_dir, store) = store();
        let now = Utc::now();
        let (id, _) = store.create_account("anna@example.org").unwrap();
        let token = store.start_confirmation(id, now).unwrap();
        assert!(!store.account(id).unwrap().confirmed);
        assert_eq!(store.confirm(&token, now).unwrap(), id);
        assert!(store.account(id).unwrap().confirmed);
        assert!(matches!(store.confirm(&token, now), Err(AlertError::InvalidConfirmation)));
        let late = store.start_confirmation(id, now).unwrap();
        assert!(matches!(store.confirm(&late, now + Duration::hours(49)), Err(AlertError::InvalidConfirmation)));
    }

    #[test]
    fn queries_are_validated_when_saved() {
        let (_dir, store) = store();
        let (id, _) = store.create_account("anna@example.org").unwrap();
        let now = Utc::now();
        let nothing = SavedQuery { from: chrono::NaiveDate::from_ymd_opt(2024, 1, 1), ..SavedQuery::default() };
        assert!(matches!(
            store.create_saved_search(id, &NewSearch::email(nothing), now),
            Err(AlertError::InvalidQuery(_))
        ));
        assert!(matches!(
            store.create_saved_search(id, &NewSearch::webhook(SavedQuery::words("skola"), "ftp://example.org/"), now),
            Err(AlertError::InvalidWebhook(_))
        ));
        let in_mariestad = SavedQuery { kommun: vec!["1493".into()], ..SavedQuery::default() };
        let saved = store.create_saved_search(id, &NewSearch::email(in_mariestad.clone()), now).unwrap();
        assert_eq!(saved.label(), "kommun=1493");
        assert_eq!(store.get_saved_search(id, saved.id).unwrap().query, in_mariestad);
        let case = FollowCase::new("1493", "Dnr KS 2023/0412").unwrap();
        assert_eq!(case.case_key, "ks2023-412");
        let followed =
            store.create_saved_search(id, &NewSearch::email(SavedQuery::default()).following(case), now).unwrap();
        assert_eq!(followed.label(), "ärende ks2023-412 i Mariestad");
        assert_eq!(followed.search_page_query(), "q=ks2023-412&kommun=1493");
    }

    #[test]
    fn version_2_query_strings_migrate_to_typed_queries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alerts.sqlite");
        {
            // A file as version 2 of this program left it, with a saved search in the old form.
            let mut conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE schema_version (version INTEGER NOT NULL)").unwrap();
            let tx = conn.transaction().unwrap();
            for migration in &MIGRATIONS[..2] {
                let Migration::Sql(sql) = migration else { panic!("versions 1 and 2 are SQL") };
                tx.execute_batch(sql).unwrap();
            }
            tx.execute("INSERT INTO schema_version (version) VALUES (2)", []).unwrap();
            tx.execute("INSERT INTO accounts (email, token_hash, created) VALUES ('a@b.se', 'x', 0)", []).unwrap();
            tx.execute(
                "INSERT INTO saved_searches (account_id, query, delivery, frequency, feed_token, unsubscribe_token, created)
                 VALUES (1, 'q=batterifabrik&kommun=1493&kind=protokoll&from=2024-01-01', 'email', 'immediate', 'f', 'u', 0)",
                [],
            )
            .unwrap();
            tx.commit().unwrap();
        }
        let store = AlertStore::open(&path).unwrap();
        let saved = store.get_saved_search(AccountId(1), SearchId(1)).unwrap();
        assert_eq!(saved.query.q, "batterifabrik");
        assert_eq!(saved.query.kommun, ["1493"]);
        assert_eq!(saved.query.kind, [namndsok_model::Kind::Protokoll]);
        assert_eq!(saved.query.from, chrono::NaiveDate::from_ymd_opt(2024, 1, 1));
        assert_eq!(saved.search_page_query(), "q=batterifabrik&kommun=1493&kind=protokoll&from=2024-01-01");
        let version: i64 = store.lock().query_row("SELECT version FROM schema_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }

    #[test]
    fn seen_is_a_set_per_search() {
        let (_dir, store) = store();
        let (account, _) = store.create_account("anna@example.org").unwrap();
        let now = Utc::now();
        let search = store.create_saved_search(account, &NewSearch::email(SavedQuery::words("skola")), now).unwrap().id;
        assert_eq!(store.mark_seen(search, &["a", "b"], now).unwrap(), 2);
        assert_eq!(store.mark_seen(search, &["b", "c"], now).unwrap(), 1);
        assert_eq!(store.unseen(search, &["a", "d", "c", "e", "d"]).unwrap(), ["d", "e"]);
    }

    #[test]
    fn accounts_are_found_by_email_and_ingest_is_granted_by_operators_only() {
        let (_dir, store) = store();
        let (id, token) = store.create_account("Anna@Example.org").unwrap();
        let found = store.account_by_email("anna@example.org").unwrap().unwrap();
        assert_eq!(found.id, id);
        assert!(!found.may_ingest);
        assert!(store.account_by_email("bo@example.org").unwrap().is_none());
        store.set_may_ingest(id, true).unwrap();
        assert!(store.account_by_token(&token).unwrap().unwrap().may_ingest);
        assert!(matches!(store.set_may_ingest(AccountId(99), true), Err(AlertError::NotFound)));
    }

    #[test]
    fn due_rows_can_be_claimed_by_kind() {
        let (_dir, store) = store();
        let (account, _) = store.create_account("anna@example.org").unwrap();
        let now = Utc::now();
        store.enqueue_notice(account, "Hej", "text", now).unwrap();
        let webhooks = store.claim_due_of(now, 10, Duration::minutes(5), &[OutboxKind::Webhook]).unwrap();
        assert!(webhooks.is_empty());
        assert_eq!(store.due(now, 10).unwrap().len(), 1, "the notice is untouched");
        assert_eq!(store.claim_due(now, 10, Duration::minutes(5)).unwrap().len(), 1);
    }

    #[test]
    fn a_version_1_file_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alerts.sqlite");
        {
            let mut conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE schema_version (version INTEGER NOT NULL)").unwrap();
            let tx = conn.transaction().unwrap();
            let Migration::Sql(sql) = MIGRATIONS[0] else { panic!("version 1 is SQL") };
            tx.execute_batch(sql).unwrap();
            tx.execute("INSERT INTO schema_version (version) VALUES (1)", []).unwrap();
            tx.execute("INSERT INTO accounts (email, token_hash, confirmed, created) VALUES ('a@b.se', 'x', 1, 0)", [])
                .unwrap();
            tx.commit().unwrap();
        }
        let store = AlertStore::open(&path).unwrap();
        let account = store.account_by_email("a@b.se").unwrap().unwrap();
        assert!(account.confirmed && !account.may_ingest);
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alerts.sqlite");
        drop(AlertStore::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.execute("UPDATE schema_version SET version = 99", []).unwrap();
        drop(conn);
        assert!(matches!(AlertStore::open(&path), Err(AlertError::SchemaTooNew { found: 99, .. })));
    }
}
