//! Seen documents, the outbox and feed entries; the free functions take a connection so the
//! matcher can write all three in its own transaction.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::*;
use crate::util::{from_unix, random_hex, to_unix};

const OUTBOX_COLUMNS: &str = "id, delivery_id, account_id, saved_search_id, kind, payload, attempts, next_attempt_at, \
     state, last_error, created, sent_at";

impl AlertStore {
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
