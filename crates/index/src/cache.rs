//! Answers to repeated searches, until the index changes.
//!
//! When a story breaks, thousands of people search for the same word within minutes. Each
//! answer is kept, keyed by the whole request (and the day, for the ranking's recency), for
//! the index generation it was computed on: the first commit after it (a harvest, an ingest, a
//! takedown) empties the cache, so a cached answer is never staler than a fresh one would be.
//! The least recently used answer makes room for a new one.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::search::SearchResponse;

/// Answers kept by default.
pub const DEFAULT_CAPACITY: usize = 1_024;

pub(crate) struct ResultCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    capacity: usize,
    generation: u64,
    clock: u64,
    entries: HashMap<String, (SearchResponse, u64)>,
}

impl ResultCache {
    pub(crate) fn new(capacity: usize) -> ResultCache {
        ResultCache { inner: Mutex::new(Inner { capacity, ..Inner::default() }) }
    }

    pub(crate) fn set_capacity(&self, capacity: usize) {
        let mut inner = self.lock();
        inner.capacity = capacity;
        inner.entries.clear();
    }

    /// The answer to `key` computed on index `generation`, if kept.
    pub(crate) fn get(&self, generation: u64, key: &str) -> Option<SearchResponse> {
        let mut inner = self.lock();
        if inner.generation != generation {
            return None;
        }
        inner.clock += 1;
        let now = inner.clock;
        let (response, used) = inner.entries.get_mut(key)?;
        *used = now;
        Some(response.clone())
    }

    /// Keeps `response` as the answer to `key` on index `generation`.
    pub(crate) fn put(&self, generation: u64, key: String, response: &SearchResponse) {
        let mut inner = self.lock();
        if inner.capacity == 0 || generation < inner.generation {
            return;
        }
        if generation > inner.generation {
            inner.generation = generation;
            inner.entries.clear();
        }
        if inner.entries.len() >= inner.capacity && !inner.entries.contains_key(&key) {
            // Least recently used out: a scan of at most `capacity` entries, cheap next to the
            // search that produced the new answer.
            let oldest = inner.entries.iter().min_by_key(|(_, (_, used))| *used).map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                inner.entries.remove(&oldest);
            }
        }
        inner.clock += 1;
        let now = inner.clock;
        inner.entries.insert(key, (response.clone(), now));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the map inconsistent: carry on.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(total: usize) -> SearchResponse {
        SearchResponse {
            total,
            took_ms: 0,
            hits: Vec::new(),
            facets: Default::default(),
            matched_all: total,
            fuzzy: false,
            approximate: false,
            has_phrase: false,
        }
    }

    #[test]
    fn answers_last_until_the_index_changes_and_the_least_used_leave_first() {
        let cache = ResultCache::new(2);
        cache.put(1, "a".into(), &response(1));
        cache.put(1, "b".into(), &response(2));
        assert_eq!(cache.get(1, "a").map(|r| r.total), Some(1));
        // Full: "b" was used least recently.
        cache.put(1, "c".into(), &response(3));
        assert!(cache.get(1, "b").is_none());
        assert_eq!(cache.get(1, "a").map(|r| r.total), Some(1));
        assert_eq!(cache.get(1, "c").map(|r| r.total), Some(3));
        // A commit: nothing computed before it is answered.
        assert!(cache.get(2, "a").is_none());
        cache.put(2, "a".into(), &response(10));
        assert_eq!(cache.get(2, "a").map(|r| r.total), Some(10));
        assert!(cache.get(2, "c").is_none());
        // A late answer from an older generation is not kept.
        cache.put(1, "d".into(), &response(4));
        assert!(cache.get(2, "d").is_none() && cache.get(1, "d").is_none());
        // Capacity 0: nothing kept.
        cache.set_capacity(0);
        cache.put(2, "e".into(), &response(5));
        assert!(cache.get(2, "e").is_none());
    }
}
