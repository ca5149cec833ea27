//! Matching new documents against saved searches, and seeding a new search's seen list.
//!
//! See the crate documentation for the design. [`Matcher`] keeps one in-memory index between
//! batches (loading the analysis resources costs far more than indexing a batch); the free
//! function [`match_batch`] builds one for a single batch.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use namndsok_analysis::resources::ConfigFiles;
use namndsok_index::request::MAX_OFFSET;
use namndsok_index::{SearchIndex, SearchRequest, Sort};
use namndsok_model::Document;
use serde::{Deserialize, Serialize};

use crate::store::{
    self, AlertStore, Delivery, FollowCase, Frequency, NewOutboxItem, OutboxKind, OutboxState, SavedSearch, SearchId,
};
use crate::util::{hex, sha256};
use crate::AlertError;

/// Matching settings.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchOptions {
    /// Above this many new documents for one search, the delivery is a summary (the count and
    /// a link to the search) instead of every document.
    pub summary_cap: usize,
    /// The hour (0–23, Europe/Stockholm) daily digests are sent.
    pub digest_hour: u32,
    /// Whether a query word may match within one or two edits, as the search page allows when a
    /// search finds little. Off by default: in a small batch nearly every word finds little.
    pub typo_tolerance: bool,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions { summary_cap: 20, digest_hour: 7, typo_tolerance: false }
    }
}

/// What one batch did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatchReport {
    /// Documents in the batch.
    pub documents: usize,
    /// Searches run against it.
    pub searches: usize,
    /// New (search, document) matches, after dropping what each search had seen.
    pub new_matches: usize,
    /// Outbox rows added.
    pub enqueued: usize,
    /// Daily digests that pending rows were extended for.
    pub merged: usize,
    /// Of the rows added or extended, how many are summaries.
    pub summaries: usize,
}

/// One matched document as stored in an outbox payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertDocument {
    pub id: String,
    pub kind: String,
    pub kommun_kod: String,
    pub kommun: String,
    pub organ: Option<String>,
    pub diarienummer: Option<String>,
    pub title: String,
    pub date: NaiveDate,
    /// The document at its source.
    pub url: Option<String>,
}

impl AlertDocument {
    fn from_document(document: &Document) -> AlertDocument {
        AlertDocument {
            id: document.id.clone(),
            kind: document.kind.as_str().to_string(),
            kommun_kod: document.kommun_kod.clone(),
            kommun: document.kommun.clone(),
            organ: document.organ.clone(),
            diarienummer: document.diarienummer.clone(),
            title: document.title.clone(),
            date: document.date,
            url: document.url.clone(),
        }
    }
}

/// The payload of a search's outbox row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertPayload {
    /// The saved parameters.
    pub query: String,
    /// The parameters of the search page that shows these results (`/?{search_query}`).
    pub search_query: String,
    /// What the search looks for, in words.
    pub label: String,
    /// New documents in this delivery.
    pub total: usize,
    /// True when `total` exceeded the cap: `documents` is then empty.
    pub summary: bool,
    pub documents: Vec<AlertDocument>,
}

/// Matches batches of new documents against the saved searches.
pub struct Matcher {
    files: ConfigFiles,
    options: MatchOptions,
    index: Option<SearchIndex>,
}

impl Matcher {
    /// A matcher analysing with `files` (the production index's configuration).
    pub fn new(files: ConfigFiles, options: MatchOptions) -> Result<Matcher, AlertError> {
        let index = SearchIndex::create_in_ram(files.clone())?;
        Ok(Matcher { files, options, index: Some(index) })
    }

    pub fn options(&self) -> &MatchOptions {
        &self.options
    }

    /// Matches one batch of just-indexed documents: every enabled search of a confirmed
    /// account, new documents only; seen marks, feed entries and outbox rows are written in one
    /// transaction.
    /// One alert per event: when a part of a document matched too (a paragraph of a protokoll's
    /// text, the text of an anslag's file), the part is what the search is told about, not the
    /// whole it is part of as well.
    fn most_specific(matched: Vec<&Document>) -> Vec<&Document> {
        let wholes: std::collections::HashSet<&str> = matched.iter().filter_map(|d| d.part_of.as_deref()).collect();
        matched.into_iter().filter(|d| !wholes.contains(d.id.as_str())).collect()
    }

    pub fn match_batch(
        &mut self,
        store: &AlertStore,
        documents: &[Document],
        now: DateTime<Utc>,
    ) -> Result<MatchReport, AlertError> {
        let mut report = MatchReport { documents: documents.len(), ..MatchReport::default() };
        if documents.is_empty() {
            return Ok(report);
        }
        let searches = store.active_searches()?;
        report.searches = searches.len();
        if searches.is_empty() {
            return Ok(report);
        }
        let index = match self.index.take() {
            Some(index) => index,
            None => SearchIndex::create_in_ram(self.files.clone())?,
        };
        let matched = self.run_searches(&index, &searches, documents);
        // Leave the index empty for the next batch; on any failure, build a fresh one next time.
        let ids: Vec<&str> = documents.iter().map(|d| d.id.as_str()).collect();
        if matched.is_ok() && index.delete(&ids).is_ok() && index.num_docs() == 0 {
            self.index = Some(index);
        }
        let matched = matched?;
        self.record(store, &searches, matched, now, &mut report)?;
        tracing::info!(
            documents = report.documents,
            searches = report.searches,
            new_matches = report.new_matches,
            enqueued = report.enqueued,
            merged = report.merged,
            "alert batch matched"
        );
        Ok(report)
    }

    /// For each search, the matching documents of the batch, newest first.
    fn run_searches<'d>(
        &self,
        index: &SearchIndex,
        searches: &[SavedSearch],
        documents: &'d [Document],
    ) -> Result<Vec<Vec<&'d Document>>, AlertError> {
        let by_id: HashMap<&str, &Document> = documents.iter().map(|d| (d.id.as_str(), d)).collect();
        let mut indexed = false;
        let mut out = Vec::with_capacity(searches.len());
        for search in searches {
            if let Some(case) = &search.follow_case {
                let mut found: Vec<&Document> = Vec::new();
                for document in by_id.values() {
                    if follows(document, case) && !found.iter().any(|d| d.id == document.id) {
                        found.push(document);
                    }
                }
                found.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
                out.push(Self::most_specific(found));
                continue;
            }
            let mut request = search.query.to_request();
            request.options.typo_tolerance = self.options.typo_tolerance;
            if !indexed {
                index.upsert(documents)?;
                indexed = true;
            }
            // The batch index is small: every match, without ranking, snippets or stored documents.
            let ids = index.matching_ids(&request)?;
            let mut matched: Vec<_> = ids.iter().filter_map(|id| by_id.get(id.as_str()).copied()).collect();
            // Newest first, as a date-sorted search lists them.
            matched.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
            out.push(Self::most_specific(matched));
        }
        Ok(out)
    }

    /// Writes the new matches: seen, feed entries, outbox rows — all or nothing.
    fn record(
        &self,
        store: &AlertStore,
        searches: &[SavedSearch],
        matched: Vec<Vec<&Document>>,
        now: DateTime<Utc>,
        report: &mut MatchReport,
    ) -> Result<(), AlertError> {
        let cap = self.options.summary_cap;
        let digest_hour = self.options.digest_hour;
        store.transaction(|tx| {
            for (search, documents) in searches.iter().zip(matched) {
                if documents.is_empty() {
                    continue;
                }
                let ids: Vec<&str> = documents.iter().map(|d| d.id.as_str()).collect();
                let new_ids = store::unseen_in(tx, search.id, &ids)?;
                if new_ids.is_empty() {
                    continue;
                }
                let new: Vec<&Document> = documents.iter().copied().filter(|d| new_ids.contains(&d.id)).collect();
                let new_refs: Vec<&str> = new_ids.iter().map(String::as_str).collect();
                store::insert_seen(tx, search.id, &new_refs, now)?;
                store::insert_feed_entries(tx, search.id, &new, now)?;
                report.new_matches += new.len();

                let kind = match search.delivery {
                    Delivery::Email => OutboxKind::Email,
                    Delivery::Webhook { .. } => OutboxKind::Webhook,
                };
                let mut payload = AlertPayload {
                    query: search.query.search_page_query(),
                    search_query: search.search_page_query(),
                    label: search.label(),
                    total: new.len(),
                    summary: false,
                    documents: new.iter().map(|d| AlertDocument::from_document(d)).collect(),
                };
                let (delivery_id, next_attempt_at) = match search.frequency {
                    Frequency::Immediate => (immediate_delivery_id(search.id, &new_ids), now),
                    Frequency::Daily => {
                        let at = crate::schedule::next_digest_time(now, digest_hour);
                        let digest_date = namndsok_model::time::to_stockholm(at).date_naive();
                        let id = digest_delivery_id(search.id, digest_date);
                        match store::outbox_payload_in(tx, &id)? {
                            Some((row, OutboxState::Pending, existing)) => {
                                // Extend the day's pending digest.
                                let mut merged: AlertPayload =
                                    serde_json::from_str(&existing).unwrap_or_else(|_| payload.clone());
                                merged.total += payload.total;
                                merged.documents.append(&mut payload.documents);
                                merged.query = payload.query;
                                merged.search_query = payload.search_query;
                                merged.label = payload.label;
                                cap_payload(&mut merged, cap);
                                report.summaries += usize::from(merged.summary);
                                store::replace_payload_in(
                                    tx,
                                    row,
                                    &serde_json::to_value(&merged).expect("serialises"),
                                )?;
                                report.merged += 1;
                                continue;
                            }
                            // The day's digest is already sent or given up: send these on their own.
                            Some(_) => (immediate_delivery_id(search.id, &new_ids), at),
                            None => (id, at),
                        }
                    }
                };
                cap_payload(&mut payload, cap);
                report.summaries += usize::from(payload.summary);
                let item = NewOutboxItem {
                    delivery_id,
                    account_id: search.account_id,
                    saved_search_id: Some(search.id),
                    kind,
                    payload: serde_json::to_value(&payload).expect("a payload serialises"),
                    next_attempt_at,
                };
                if store::enqueue_in(tx, &item, now)? {
                    report.enqueued += 1;
                }
            }
            Ok(())
        })
    }
}

/// Matches one batch with a matcher built for it (see [`Matcher::match_batch`]; keep a
/// [`Matcher`] to match many batches).
pub fn match_batch(
    store: &AlertStore,
    index_config: ConfigFiles,
    documents: &[Document],
    now: DateTime<Utc>,
) -> Result<MatchReport, AlertError> {
    Matcher::new(index_config, MatchOptions::default())?.match_batch(store, documents, now)
}

/// Marks what a newly saved search finds in the live index as seen, so its first alert is not a
/// flood of old documents. At most [`MAX_OFFSET`] + 100 documents (the deepest a search pages)
/// are marked. Returns how many were.
pub fn seed_seen(
    store: &AlertStore,
    search: SearchId,
    index: &SearchIndex,
    now: DateTime<Utc>,
) -> Result<usize, AlertError> {
    let saved = store.search_by_id(search)?;
    let request = match &saved.follow_case {
        Some(case) => SearchRequest {
            q: case.case_key.clone(),
            kommun: vec![case.kommun_kod.clone()],
            limit: 100,
            sort: Sort::DateDesc,
            ..SearchRequest::default()
        },
        None => saved.query.to_request(),
    };
    let ids = all_matches(index, request)?;
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    store.mark_seen(search, &refs, now)
}

/// Every id the request finds, paging 100 at a time down to [`MAX_OFFSET`].
fn all_matches(index: &SearchIndex, mut request: SearchRequest) -> Result<Vec<String>, AlertError> {
    let mut ids = Vec::new();
    loop {
        let response = index.search(&request)?;
        let page = response.hits.len();
        ids.extend(response.hits.into_iter().map(|hit| hit.id));
        request.offset += request.limit;
        if page == 0 || request.offset >= response.total || request.offset > MAX_OFFSET {
            return Ok(ids);
        }
    }
}

fn follows(document: &Document, case: &FollowCase) -> bool {
    document.kommun_kod == case.kommun_kod && document.case_number().is_some_and(|number| number.key() == case.case_key)
}

/// The search page parameters showing a search's results.
pub(crate) fn search_query(search: &SavedSearch) -> String {
    search.search_page_query()
}

fn cap_payload(payload: &mut AlertPayload, cap: usize) {
    if payload.total > cap {
        payload.summary = true;
        payload.documents.clear();
    }
}

/// The delivery id of one search's new documents: the same search and documents always give
/// the same id.
pub fn immediate_delivery_id(search: SearchId, document_ids: &[String]) -> String {
    let mut sorted: Vec<&str> = document_ids.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut text = format!("namndsok-alert-v1\n{search}\n");
    for id in sorted {
        text.push_str(id);
        text.push('\n');
    }
    hex(&sha256(text.as_bytes())[..16])
}

/// The delivery id of a search's daily digest for one (Stockholm) date.
pub fn digest_delivery_id(search: SearchId, date: NaiveDate) -> String {
    hex(&sha256(format!("namndsok-digest-v1\n{search}\n{date}\n").as_bytes())[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_ids_ignore_order_and_depend_on_the_search() {
        let a = immediate_delivery_id(SearchId(1), &["x".into(), "y".into()]);
        assert_eq!(a, immediate_delivery_id(SearchId(1), &["y".into(), "x".into()]));
        assert_ne!(a, immediate_delivery_id(SearchId(2), &["x".into(), "y".into()]));
        assert_ne!(a, immediate_delivery_id(SearchId(1), &["x".into()]));
        assert_eq!(a.len(), 32);
    }
}
