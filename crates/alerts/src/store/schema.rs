//! The file's schema: one migration per version, applied in a transaction each on open.

use std::path::Path;

use rusqlite::{params, Connection};

use super::Result;
use crate::query::SavedQuery;
use crate::AlertError;

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = 3;

/// One step of the schema: SQL, or a conversion of stored values that SQL cannot express.
pub(super) enum Migration {
    Sql(&'static str),
    Rust(fn(&rusqlite::Transaction<'_>) -> Result<()>),
}

/// Migrations by version: `MIGRATIONS[n]` takes the file from version `n` to `n + 1`.
pub(super) const MIGRATIONS: &[Migration] = &[
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

pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
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
