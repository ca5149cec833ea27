//! Saved searches: creation with validation, listing, updates, the tokens of feeds and
//! unsubscribe links.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};

use super::*;
use crate::query::SavedQuery;
use crate::util::{from_unix, random_hex, to_unix};
use crate::AlertError;

const SEARCH_COLUMNS: &str = "id, account_id, query, delivery, webhook_url, webhook_secret, frequency, follow_kommun, \
     follow_case, feed_token, unsubscribe_token, disabled, disabled_reason, consecutive_failures, created";

impl AlertStore {
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
}

fn validate_query(query: &SavedQuery, follow_case: Option<&FollowCase>) -> Result<()> {
    if !query.says_something() && follow_case.is_none() {
        return Err(AlertError::InvalidQuery(
            "a saved search needs words, a filter (kommun, lan, kind, organ) or a case to follow".into(),
        ));
    }
    Ok(())
}

pub(super) fn search_from_row(row: &Row<'_>) -> rusqlite::Result<SavedSearch> {
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
