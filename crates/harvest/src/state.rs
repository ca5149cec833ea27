//! What the harvester remembers between passes, per source: cursors (content hashes and HTTP
//! validators), health, and counts. One JSON file beside the index, replaced atomically after
//! each source's commit, so a restart resumes where the last completed source left off.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::fetch::Validators;

/// The file name, in the index directory.
pub const STATE_FILE: &str = "harvest-state.json";
/// Rejected items, one JSON object per line, in the index directory.
pub const DEAD_LETTER_FILE: &str = "dead-letter.jsonl";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HarvestState {
    pub sources: BTreeMap<String, SourceState>,
}

/// One source's memory.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SourceState {
    /// What the source is, as of its last pass (so its health can be reported by a process
    /// that has no catalogue: `serve` beside a `namndsok harvest`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<SourceAbout>,
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub consecutive_failures: u32,
    /// Items listed by the source in its last successful pass.
    pub items_seen: u64,
    /// Items that failed to parse in the last pass (they are in the dead-letter file).
    pub rejected_last_pass: u64,
    /// When the source last showed an item we had not seen.
    pub last_new_item_at: Option<DateTime<Utc>>,
    pub total_new: u64,
    pub total_taken_down: u64,
    /// Document id → hash of its listing and of the document we indexed.
    pub items: BTreeMap<String, ItemState>,
    /// URL → validators for conditional requests.
    pub validators: BTreeMap<String, Validators>,
}

/// A source's catalogue entry as recorded with its state.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct SourceAbout {
    pub platform: String,
    pub kommun_kod: Option<String>,
    pub url: String,
    pub stale_after_days: Option<u32>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ItemState {
    /// Hash of the item as listed (decides whether a detail call is needed).
    pub listed: u64,
    /// Hash of the indexed document.
    pub indexed: u64,
    /// `publish_to` of the item, to tell a takedown from a normal expiry.
    pub publish_to: Option<chrono::NaiveDate>,
    /// The item's files by URL: what was read from each, and the documents made of it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, crate::files::FileState>,
}

impl ItemState {
    /// Ids of every document made from the item's files.
    pub fn file_documents(&self) -> impl Iterator<Item = &String> {
        self.files.values().flat_map(|file| file.documents.iter())
    }
}

/// Health of a source, as `GET /api/v1/sources` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceStatus {
    /// Never harvested yet.
    Pending,
    Ok,
    /// Working, but the last pass failed or rejected items.
    Degraded,
    /// Three or more passes in a row failed.
    Failing,
    /// Works, but has shown nothing new for longer than its `stale_after_days`.
    Stale,
}

/// Consecutive failures from which a source counts as failing.
pub const FAILING_AFTER: u32 = 3;

impl SourceState {
    /// The source's health as reported.
    pub fn report(
        &self,
        id: &str,
        kommun_kod: Option<&str>,
        platform: &'static str,
        url: &str,
        stale_after_days: u32,
        now: DateTime<Utc>,
    ) -> crate::SourceReport {
        let registry = namndsok_model::Registry::global();
        crate::SourceReport {
            id: id.to_string(),
            kommun_kod: kommun_kod.map(str::to_string),
            kommun: kommun_kod.and_then(|code| registry.by_code(code)).map(|o| o.name.clone()),
            platform,
            url: url.to_string(),
            status: self.status(stale_after_days, now),
            last_attempt: self.last_attempt,
            last_success: self.last_success,
            last_error: self.last_error.clone(),
            consecutive_failures: self.consecutive_failures,
            items_seen: self.items_seen,
            rejected_last_pass: self.rejected_last_pass,
            last_new_item_at: self.last_new_item_at,
        }
    }

    pub fn status(&self, stale_after_days: u32, now: DateTime<Utc>) -> SourceStatus {
        if self.last_attempt.is_none() {
            return SourceStatus::Pending;
        }
        if self.consecutive_failures >= FAILING_AFTER {
            return SourceStatus::Failing;
        }
        if self.consecutive_failures > 0 || self.rejected_last_pass > 0 {
            return SourceStatus::Degraded;
        }
        let quiet_since = self.last_new_item_at.or(self.last_success);
        if self.items_seen > 0 && quiet_since.is_some_and(|t| (now - t).num_days() > i64::from(stale_after_days)) {
            return SourceStatus::Stale;
        }
        SourceStatus::Ok
    }
}

impl HarvestState {
    pub fn path(index_dir: &Path) -> PathBuf {
        index_dir.join(STATE_FILE)
    }

    /// Loads the state; a missing file is an empty state, a corrupt one an error.
    pub fn load(index_dir: &Path) -> std::io::Result<HarvestState> {
        match std::fs::read_to_string(Self::path(index_dir)) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{STATE_FILE}: {e}"))),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(HarvestState::default()),
            Err(error) => Err(error),
        }
    }

    /// The health of every source this state records, by id: what `GET /api/v1/sources` shows
    /// when the server does not harvest itself.
    pub fn reports(&self, default_stale_after_days: u32, now: DateTime<Utc>) -> Vec<crate::SourceReport> {
        self.sources
            .iter()
            .filter_map(|(id, memory)| {
                let about = memory.about.as_ref()?;
                let platform = namndsok_sources::Platform::from_name(&about.platform).map_or("unknown", |p| p.as_str());
                let stale_after = about.stale_after_days.unwrap_or(default_stale_after_days);
                Some(memory.report(id, about.kommun_kod.as_deref(), platform, &about.url, stale_after, now))
            })
            .collect()
    }

    /// Writes the state atomically (temporary file, then rename).
    pub fn save(&self, index_dir: &Path) -> std::io::Result<()> {
        let path = Self::path(index_dir);
        let temporary = path.with_extension("json.tmp");
        std::fs::write(&temporary, serde_json::to_vec(self).expect("state serialises"))?;
        std::fs::rename(&temporary, &path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A state file as the harvester wrote it before the typed adapters: it loads unchanged, so
    /// an upgrade keeps every cursor (content hashes, HTTP validators) and health record.
    #[test]
    fn loads_a_state_file_written_before_the_typed_adapters() {
        let dir = tempfile::tempdir().unwrap();
        let old = include_str!("../tests/fixtures/harvest-state-before-adapters.json");
        std::fs::write(dir.path().join(STATE_FILE), old).unwrap();
        let state = HarvestState::load(dir.path()).unwrap();
        let ale = &state.sources["ale-sitevision"];
        assert_eq!(ale.items.len(), 2);
        let item = &ale.items["1440-sitevision-12.3a4b5c"];
        assert_eq!((item.listed, item.indexed), (1234567890123456789, 1234567890123456789));
        assert_eq!(item.publish_to, chrono::NaiveDate::from_ymd_opt(2026, 3, 22));
        let validators = &ale.validators["https://ale.se/anslagstavla-officiell.html"];
        assert_eq!(validators.etag.as_deref(), Some("\"abc\""));
        let ange = &state.sources["ange-meetingsplus"];
        assert_eq!(ange.consecutive_failures, 3);
        assert_eq!(ange.status(30, Utc::now()), SourceStatus::Failing);
        // Saved again, it reads back the same.
        state.save(dir.path()).unwrap();
        let again = HarvestState::load(dir.path()).unwrap();
        assert_eq!(serde_json::to_value(&again.sources).unwrap(), serde_json::to_value(&state.sources).unwrap());
        assert_eq!(serde_json::to_value(&state).unwrap(), serde_json::from_str::<serde_json::Value>(old).unwrap());
    }
}
