//! The harvester: every source in the catalogue, fetched politely and incrementally into the
//! index, with faults contained to the source that has them.
//!
//! # What it does
//!
//! One pass ([`Harvester::run_once`]) visits every source, several at a time but never more than
//! one request at a time per host ([`fetch`]). For each source, one generic loop (`walk`) drives
//! the source's adapter from `namndsok-sources`: it sends the requests the adapter names, hands
//! back the replies, and collects what the adapter parsed. Each item is compared with what the
//! last pass saw ([`state`]): unchanged items are not rewritten, new and changed ones are
//! upserted in one commit per source — searchable seconds after their harvest — and items that
//! vanished from a complete listing before their anslag period ended are taken down (deleted
//! from the index, so they leave search and feeds). An item that vanishes after `publish_to`
//! simply expired.
//!
//! A source that fails — HTTP errors, timeouts, HTML instead of JSON, truncated or oversized
//! payloads, a listing that is suddenly empty — is recorded (last error, consecutive failures)
//! and skipped; nothing already indexed is touched. Items that fail to parse go to the
//! dead-letter file with their reason while the rest of the page is indexed. The state file is
//! written after each source's commit, so a killed harvester resumes without duplicates (ids are
//! stable and every write is an upsert).
//!
//! # Why it is shaped so
//!
//! Everything that is the same for every platform lives here once — politeness, retries,
//! conditional requests, the page limit, detail calls only for changed items, change detection,
//! takedowns, dead letters, health — and everything that differs lives in the platform's
//! adapter, a pure state machine tested on recorded payloads. So this crate names no platform,
//! and a new platform needs no change here. Module dependencies run one way: the [`Harvester`]
//! uses `walk`, which uses [`fetch`], [`state`] and the error type; none of them uses the
//! harvester.
//!
//! # What it deliberately does not do
//!
//! It parses no payloads (that is `namndsok-sources`'), reads no command line and no catalogue
//! file (the binary hands it a parsed [`Catalogue`]), and schedules nothing beyond
//! [`Harvester::run_every`]'s fixed interval. Its only durable memory is the state file and the
//! dead-letter file beside the index.

mod error;
pub mod fetch;
pub mod files;
pub mod state;
mod walk;

use std::collections::{BTreeSet, HashMap};
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use namndsok_index::SearchIndex;
use namndsok_model::Document;
use namndsok_sources::{Catalogue, RejectedItem, SourceConfig};
use serde::Serialize;

pub use error::HarvestError;
pub use fetch::{FetchError, FetchSettings, Fetcher};
pub use files::{FileSettings, FileState};
pub use state::{HarvestState, SourceState, SourceStatus};
use walk::{content_hash, Entry};

/// Harvest settings.
#[derive(Debug, Clone)]
pub struct HarvestSettings {
    pub fetch: FetchSettings,
    /// Sources harvested at the same time (different hosts run in parallel).
    pub concurrency: usize,
    /// Default for sources without their own `stale_after_days`.
    pub stale_after_days: u32,
    /// Items per page asked of paged platforms.
    pub page_size: u32,
    /// Most pages read per source and pass (a guard against endless paging).
    pub max_pages: u32,
    /// How long an anslag stays searchable after its anslag period (`publish_to`) ended;
    /// `None` keeps expired anslag forever (they are shown as taken down from the board).
    pub keep_expired_anslag_days: Option<u32>,
    /// The most time one source may take in one pass (listing, detail calls, files). A source
    /// still listing then is cut off and counts as failed: the items it listed so far are
    /// indexed, nothing is taken down, and the next pass goes on (unchanged items cost no
    /// detail call); files not reached yet are read next pass.
    pub source_deadline: Duration,
    /// Following items' file links and reading their text.
    pub files: FileSettings,
}

impl Default for HarvestSettings {
    fn default() -> HarvestSettings {
        HarvestSettings {
            fetch: FetchSettings::default(),
            concurrency: 8,
            stale_after_days: 30,
            page_size: 100,
            max_pages: 200,
            keep_expired_anslag_days: None,
            source_deadline: Duration::from_secs(120),
            files: FileSettings::default(),
        }
    }
}

/// What one pass did to one source.
#[derive(Debug, Clone, Serialize)]
pub struct SourceSummary {
    pub id: String,
    pub platform: &'static str,
    pub status: SourceStatus,
    pub listed: usize,
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub taken_down: usize,
    pub rejected: usize,
    /// Files read (text extracted) in this pass.
    pub files_read: usize,
    /// Files that could not be read (dead letters) in this pass.
    pub files_failed: usize,
    pub error: Option<String>,
    pub millis: u64,
}

impl std::fmt::Display for SourceSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status =
            serde_json::to_value(self.status).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        match &self.error {
            Some(error) => write!(f, "{:<32} {status:<8} {error} ({} ms)", self.id, self.millis),
            None => write!(
                f,
                "{:<32} {status:<8} {} listed, {} new, {} changed, {} unchanged, {} taken down, {} rejected, {} files read, {} files failed ({} ms)",
                self.id,
                self.listed,
                self.new,
                self.changed,
                self.unchanged,
                self.taken_down,
                self.rejected,
                self.files_read,
                self.files_failed,
                self.millis
            ),
        }
    }
}

/// A source as `GET /api/v1/sources` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    pub id: String,
    pub kommun_kod: Option<String>,
    pub kommun: Option<String>,
    pub platform: &'static str,
    pub url: String,
    pub status: SourceStatus,
    pub last_attempt: Option<chrono::DateTime<Utc>>,
    pub last_success: Option<chrono::DateTime<Utc>>,
    pub last_error: Option<String>,
    pub consecutive_failures: u32,
    pub items_seen: u64,
    pub rejected_last_pass: u64,
    pub last_new_item_at: Option<chrono::DateTime<Utc>>,
}

/// Called with the documents of each successful upsert (see [`Harvester::on_committed`]).
pub type CommitCallback = Arc<dyn Fn(&[Document]) + Send + Sync>;

struct Inner {
    catalogue: Catalogue,
    index: Arc<SearchIndex>,
    index_dir: PathBuf,
    fetcher: Fetcher,
    settings: HarvestSettings,
    state: Mutex<HarvestState>,
    /// Serialises state-file writes.
    save: Mutex<()>,
    on_committed: Mutex<Option<CommitCallback>>,
    /// Text extractions running at once (CPU-bound subprocesses), across all sources.
    extract_slots: tokio::sync::Semaphore,
}

/// The harvester. Cheap to clone; clones share state.
#[derive(Clone)]
pub struct Harvester {
    inner: Arc<Inner>,
}

impl Harvester {
    /// A harvester over `catalogue` writing into `index` (whose directory holds the state file).
    pub fn new(
        catalogue: Catalogue,
        index: Arc<SearchIndex>,
        index_dir: PathBuf,
        settings: HarvestSettings,
    ) -> std::io::Result<Harvester> {
        let state = HarvestState::load(&index_dir)?;
        let fetcher = Fetcher::new(settings.fetch.clone());
        Ok(Harvester {
            inner: Arc::new(Inner {
                catalogue,
                index,
                index_dir,
                fetcher,
                settings,
                state: Mutex::new(state),
                save: Mutex::new(()),
                on_committed: Mutex::new(None),
                extract_slots: tokio::sync::Semaphore::new(
                    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
                ),
            }),
        })
    }

    /// Registers `callback`, replacing any earlier one: after each source's upsert has
    /// committed, it is called on the blocking thread pool with the new and changed documents
    /// that were upserted. It runs before the source's harvest state is saved, so if the process
    /// dies before the callback returns, the next pass sees these documents as new again and
    /// calls it again with them (at least once). Errors are the callback's to handle.
    pub fn on_committed(&self, callback: CommitCallback) {
        *self.inner.on_committed.lock().expect("callback lock") = Some(callback);
    }

    /// One pass over every source; a summary per source, in catalogue order.
    pub async fn run_once(&self) -> Vec<SourceSummary> {
        let semaphore = Arc::new(tokio::sync::Semaphore::new(self.inner.settings.concurrency.max(1)));
        let total = self.inner.catalogue.sources.len();
        let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for (position, source) in self.inner.catalogue.sources.iter().cloned().enumerate() {
            let harvester = self.clone();
            let semaphore = semaphore.clone();
            let done = done.clone();
            tasks.spawn(async move {
                let _permit = semaphore.acquire_owned().await.expect("semaphore open");
                let summary = harvester.harvest_source(&source).await;
                let finished = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                tracing::info!(source = %source.id, finished, total, status = ?summary.status, new = summary.new, changed = summary.changed, "harvested source {finished}/{total}");
                (position, summary)
            });
        }
        let mut summaries: Vec<(usize, SourceSummary)> = Vec::with_capacity(total);
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(result) => summaries.push(result),
                Err(error) => tracing::error!(%error, "a harvest task panicked"),
            }
        }
        summaries.sort_by_key(|(position, _)| *position);
        self.expire_anslag().await;
        summaries.into_iter().map(|(_, summary)| summary).collect()
    }

    /// Runs passes forever, `interval` apart (used by `namndsok serve --sources`).
    pub async fn run_every(&self, interval: Duration) {
        loop {
            let started = Instant::now();
            let summaries = self.run_once().await;
            let failing = summaries.iter().filter(|s| s.error.is_some()).count();
            tracing::info!(
                sources = summaries.len(),
                failing,
                seconds = started.elapsed().as_secs(),
                "harvest pass done"
            );
            tokio::time::sleep(interval.saturating_sub(started.elapsed()).max(Duration::from_secs(1))).await;
        }
    }

    /// Every source with its health.
    pub fn reports(&self) -> Vec<SourceReport> {
        let state = self.inner.state.lock().expect("state lock");
        let now = Utc::now();
        self.inner
            .catalogue
            .sources
            .iter()
            .map(|source| {
                let memory = state.sources.get(&source.id).cloned().unwrap_or_default();
                let stale_after = source.stale_after_days.unwrap_or(self.inner.settings.stale_after_days);
                memory.report(
                    &source.id,
                    source.kommun_kod.as_deref(),
                    source.platform().as_str(),
                    &source.url,
                    stale_after,
                    now,
                )
            })
            .collect()
    }

    async fn harvest_source(&self, source: &SourceConfig) -> SourceSummary {
        let started = Instant::now();
        let previous =
            self.inner.state.lock().expect("state lock").sources.get(&source.id).cloned().unwrap_or_default();
        let result = self.harvest_source_inner(source, &previous).await;
        let now = Utc::now();
        let mut summary = SourceSummary {
            id: source.id.clone(),
            platform: source.platform().as_str(),
            status: SourceStatus::Ok,
            listed: 0,
            new: 0,
            changed: 0,
            unchanged: 0,
            taken_down: 0,
            rejected: 0,
            files_read: 0,
            files_failed: 0,
            error: None,
            millis: 0,
        };
        let (previous_success, consecutive_failures, listed_before) =
            (previous.last_success, previous.consecutive_failures, previous.items_seen);
        let mut memory = previous;
        memory.last_attempt = Some(now);
        memory.about = Some(state::SourceAbout {
            platform: source.platform().as_str().to_string(),
            kommun_kod: source.kommun_kod.clone(),
            url: source.url.clone(),
            stale_after_days: source.stale_after_days,
        });
        match result {
            Ok(outcome) => {
                summary.listed = outcome.listed;
                summary.new = outcome.new;
                summary.changed = outcome.changed;
                summary.unchanged = outcome.unchanged;
                summary.taken_down = outcome.taken_down;
                summary.rejected = outcome.rejected;
                summary.files_read = outcome.files_read;
                summary.files_failed = outcome.files_failed;
                memory.items = outcome.items;
                memory.validators.extend(outcome.validators);
                memory.last_success = Some(now);
                memory.last_error = None;
                memory.consecutive_failures = 0;
                memory.items_seen = outcome.listed as u64;
                memory.rejected_last_pass = outcome.rejected as u64;
                memory.total_new += outcome.new as u64;
                memory.total_taken_down += outcome.taken_down as u64;
                if outcome.new > 0 {
                    memory.last_new_item_at = Some(now);
                }
                if let Some(error) = outcome.partial {
                    tracing::warn!(source = %source.id, %error, "source cut off");
                    memory.last_success = previous_success;
                    memory.last_error = Some(error.to_string());
                    memory.consecutive_failures = consecutive_failures + 1;
                    memory.items_seen = memory.items_seen.max(listed_before);
                    summary.error = Some(error.to_string());
                }
            }
            Err(error) => {
                tracing::warn!(source = %source.id, %error, "source failed");
                memory.last_error = Some(error.to_string());
                memory.consecutive_failures += 1;
                summary.error = Some(error.to_string());
            }
        }
        let stale_after = source.stale_after_days.unwrap_or(self.inner.settings.stale_after_days);
        summary.status = memory.status(stale_after, now);
        {
            let mut state = self.inner.state.lock().expect("state lock");
            state.sources.insert(source.id.clone(), memory);
        }
        if let Err(error) = self.save_state() {
            tracing::error!(%error, "cannot write the harvest state");
        }
        summary.millis = started.elapsed().as_millis() as u64;
        summary
    }

    /// Applies the retention setting for expired anslag.
    async fn expire_anslag(&self) {
        let Some(days) = self.inner.settings.keep_expired_anslag_days else { return };
        let cutoff = Utc::now().date_naive() - chrono::Days::new(u64::from(days));
        let index = self.inner.index.clone();
        match tokio::task::spawn_blocking(move || index.delete_expired_anslag(cutoff)).await {
            Ok(Ok(0)) => {}
            Ok(Ok(removed)) => tracing::info!(removed, %cutoff, "removed anslag whose period ended before the cutoff"),
            Ok(Err(error)) => tracing::error!(%error, "cannot remove expired anslag"),
            Err(error) => tracing::error!(%error, "cannot remove expired anslag"),
        }
    }

    fn save_state(&self) -> std::io::Result<()> {
        let _guard = self.inner.save.lock().expect("save lock");
        let snapshot = self.inner.state.lock().expect("state lock").clone();
        snapshot.save(&self.inner.index_dir)
    }

    async fn harvest_source_inner(
        &self,
        source: &SourceConfig,
        previous: &SourceState,
    ) -> Result<PassOutcome, HarvestError> {
        let settings = &self.inner.settings;
        let started = tokio::time::Instant::now();
        let deadline = started + settings.source_deadline;
        let limits = walk::Limits { page_size: settings.page_size, max_pages: settings.max_pages };
        let listing = walk::list(&self.inner.fetcher, limits, source, previous, deadline).await?;
        let listed = listing.entries.len();
        if !listing.complete && listed == 0 {
            return Err(HarvestError::Deadline { seconds: settings.source_deadline.as_secs(), listed: 0 });
        }
        if listed == 0 && previous.items_seen > 0 {
            return Err(HarvestError::SuddenlyEmpty(previous.items_seen));
        }
        let mut outcome = PassOutcome {
            listed,
            rejected: listing.rejected.len(),
            validators: listing.validators,
            ..PassOutcome::default()
        };
        let mut upserts: Vec<Document> = Vec::new();
        // Items whose files are looked at: (document, whether its listing changed).
        let mut with_files: Vec<(Document, bool)> = Vec::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for entry in listing.entries {
            match entry {
                Entry::Unchanged { id } => {
                    if let Some(item) = previous.items.get(&id) {
                        outcome.items.insert(id.clone(), item.clone());
                    }
                    seen.insert(id);
                    outcome.unchanged += 1;
                }
                Entry::Document { document, listed } => {
                    let indexed = content_hash(&document.to_json().to_string());
                    let id = document.id.clone();
                    if !seen.insert(id.clone()) {
                        continue;
                    }
                    let before = previous.items.get(&id);
                    let changed = match before {
                        Some(item) if item.indexed == indexed => {
                            outcome.unchanged += 1;
                            false
                        }
                        Some(_) => {
                            outcome.changed += 1;
                            upserts.push(*document.clone());
                            true
                        }
                        None => {
                            outcome.new += 1;
                            upserts.push(*document.clone());
                            true
                        }
                    };
                    let files = before.map(|item| item.files.clone()).unwrap_or_default();
                    outcome
                        .items
                        .insert(id, state::ItemState { listed, indexed, publish_to: document.publish_to, files });
                    if settings.files.enabled
                        && (!document.files.is_empty() || before.is_some_and(|i| !i.files.is_empty()))
                    {
                        with_files.push((*document, changed));
                    }
                }
            }
        }
        // An item that is still listed but no longer parses is not gone: keep what is indexed.
        // A rejected item without an id could be any item, so then nothing is taken down.
        let kommun = source.kommun_kod.as_deref().unwrap_or_default();
        // Rejected items that do not carry the platform's item id (a file's lines) could be any item.
        let mut unidentified_rejects = !listing.rejected_ids_are_item_ids && !listing.rejected.is_empty();
        for rejected in &listing.rejected {
            match &rejected.item_id {
                Some(raw) => {
                    let id = namndsok_sources::text::document_id(kommun, source.platform().as_str(), raw);
                    if let Some(item) = previous.items.get(&id) {
                        outcome.items.insert(id.clone(), item.clone());
                    }
                    seen.insert(id);
                }
                None => unidentified_rejects = true,
            }
        }
        // Items that left a complete listing: taken down, unless their anslag period is over.
        let today = Utc::now().date_naive();
        let mut takedowns: Vec<String> = Vec::new();
        for (id, item) in &previous.items {
            if seen.contains(id) {
                continue;
            }
            if unidentified_rejects || !listing.complete {
                // Not reached before the deadline is not gone.
                outcome.items.insert(id.clone(), item.clone());
                continue;
            }
            match item.publish_to {
                Some(end) if end < today => {} // expired normally: stays searchable, forgotten here
                _ => {
                    takedowns.push(id.clone());
                    outcome.taken_down += 1;
                    takedowns.extend(item.file_documents().cloned());
                }
            }
        }
        let mut dead_letters: Vec<RejectedItem> = listing.rejected.clone();
        // The items' files: new ones read, changed ones re-read, vanished ones' documents deleted.
        let reader = files::FileReader {
            fetcher: &self.inner.fetcher,
            settings: &settings.files,
            interval: walk::interval(source),
            slots: &self.inner.extract_slots,
        };
        for (document, changed) in with_files {
            let Some(item) = outcome.items.get_mut(&document.id) else { continue };
            let before = std::mem::take(&mut item.files);
            for link in &document.files {
                let known = before.get(&link.url);
                let old_documents: Vec<String> = known.map(|f| f.documents.clone()).unwrap_or_default();
                match reader.read(&document, link, known, changed, deadline.into_std()).await {
                    files::FileOutcome::Kept(state) => {
                        item.files.insert(link.url.clone(), state);
                    }
                    files::FileOutcome::Read { state, documents } => {
                        outcome.files_read += 1;
                        takedowns.extend(old_documents.into_iter().filter(|id| !state.documents.contains(id)));
                        upserts.extend(documents);
                        item.files.insert(link.url.clone(), state);
                    }
                    files::FileOutcome::Failed { state, reason } => {
                        outcome.files_failed += 1;
                        tracing::warn!(source = %source.id, item = %document.id, %reason, "file not read");
                        dead_letters.push(RejectedItem {
                            item_id: Some(document.id.clone()),
                            reason: format!("file {reason}"),
                        });
                        takedowns.extend(old_documents);
                        item.files.insert(link.url.clone(), state);
                    }
                    files::FileOutcome::Skipped { reason } => {
                        tracing::info!(source = %source.id, item = %document.id, url = %link.url, %reason, "file left for the next pass");
                        if let Some(known) = known {
                            item.files.insert(link.url.clone(), known.clone());
                        }
                    }
                }
            }
            // Files the item no longer links: their documents go.
            for (url, file) in &before {
                if !document.files.iter().any(|link| &link.url == url) {
                    takedowns.extend(file.documents.iter().cloned());
                }
            }
        }
        if !dead_letters.is_empty() {
            self.dead_letter(source, &dead_letters)?;
        }
        let index = self.inner.index.clone();
        let on_committed = self.inner.on_committed.lock().expect("callback lock").clone();
        tokio::task::spawn_blocking(move || -> Result<(), namndsok_index::IndexError> {
            if !upserts.is_empty() {
                index.upsert(&upserts)?;
                if let Some(callback) = on_committed {
                    callback(&upserts);
                }
            }
            if !takedowns.is_empty() {
                let ids: Vec<&str> = takedowns.iter().map(String::as_str).collect();
                index.delete(&ids)?;
            }
            Ok(())
        })
        .await
        .map_err(|e| HarvestError::Io(std::io::Error::other(e.to_string())))??;
        if !listing.complete {
            // What was listed is indexed and remembered; the pass still counts as failed.
            outcome.partial = Some(HarvestError::Deadline { seconds: settings.source_deadline.as_secs(), listed });
        }
        Ok(outcome)
    }

    fn dead_letter(&self, source: &SourceConfig, rejected: &[RejectedItem]) -> std::io::Result<()> {
        let path = self.inner.index_dir.join(state::DEAD_LETTER_FILE);
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        let now = Utc::now().to_rfc3339();
        for item in rejected {
            let line =
                serde_json::json!({"at": now, "source": source.id, "item_id": item.item_id, "reason": item.reason});
            writeln!(file, "{line}")?;
        }
        Ok(())
    }
}

#[derive(Default)]
struct PassOutcome {
    listed: usize,
    new: usize,
    changed: usize,
    unchanged: usize,
    taken_down: usize,
    rejected: usize,
    items: std::collections::BTreeMap<String, state::ItemState>,
    validators: HashMap<String, fetch::Validators>,
    files_read: usize,
    files_failed: usize,
    /// The listing was cut off: what it reached is committed, and this is the pass's error.
    partial: Option<HarvestError>,
}
