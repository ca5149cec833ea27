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
//!
//! Modules: [`schema`] (migrations), `types` (the domain types, re-exported here),
//! `accounts`, `searches` and `outbox` (the repository, one concern each).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

use crate::AlertError;

mod accounts;
mod outbox;
pub mod schema;
mod searches;
mod types;

pub(crate) use outbox::{
    enqueue_in, insert_feed_entries, insert_seen, outbox_payload_in, replace_payload_in, unseen_in,
};
pub use schema::SCHEMA_VERSION;
pub use types::*;

type Result<T> = std::result::Result<T, AlertError>;

/// The alert database.
pub struct AlertStore {
    conn: Mutex<Connection>,
    path: PathBuf,
}

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
        schema::migrate(&mut conn, path)?;
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
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, Utc};
    use rusqlite::Connection;

    use super::schema::{Migration, MIGRATIONS};
    use super::*;
    use crate::query::SavedQuery;

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
