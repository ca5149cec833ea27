//! Accounts: creation, API tokens (stored as hashes), e-mail confirmation.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, OptionalExtension, Row};

use super::{Account, AccountId, AlertStore, Result, CONFIRMATION_VALID_HOURS};
use crate::util::{constant_time_eq, from_unix, hex, random_hex, sha256, to_unix};
use crate::AlertError;

impl AlertStore {
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

fn account_from_row(row: &Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        id: AccountId(row.get(0)?),
        email: row.get(1)?,
        confirmed: row.get(2)?,
        created: from_unix(row.get(3)?),
        may_ingest: row.get(4)?,
    })
}
