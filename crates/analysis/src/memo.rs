//! A bounded, thread-safe memo for per-word analysis results.
//!
//! Word frequencies in council text are Zipfian: a few thousand words make up most tokens, so
//! remembering what a word analysed to (its compound split, its lemma) saves most of the work
//! of indexing. The memo is sharded so that tantivy's indexing threads rarely wait on each
//! other, and each shard is emptied when it grows past its bound, so memory stays flat on any
//! corpus.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::sync::Mutex;

const SHARDS: usize = 16;
/// Entries per shard before it is emptied (16 × 8,192 words ≈ a few MB).
const SHARD_CAPACITY: usize = 8_192;

/// The FxHash function (rustc's): fast for short keys; HashDoS is not a concern here because
/// the memo is bounded and its keys are words the index analyses anyway.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, mut bytes: &[u8]) {
        while bytes.len() >= 8 {
            self.add(u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")));
            bytes = &bytes[8..];
        }
        if bytes.len() >= 4 {
            self.add(u64::from(u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes"))));
            bytes = &bytes[4..];
        }
        for &byte in bytes {
            self.add(u64::from(byte));
        }
    }

    #[inline]
    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    #[inline]
    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type FxBuildHasher = BuildHasherDefault<FxHasher>;
pub type FxHashMap<K, V> = HashMap<K, V, FxBuildHasher>;
pub type FxHashSet<K> = std::collections::HashSet<K, FxBuildHasher>;

/// Word → value, bounded.
pub struct Memo<V> {
    shards: Vec<Mutex<FxHashMap<Box<str>, V>>>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo { shards: (0..SHARDS).map(|_| Mutex::new(FxHashMap::default())).collect() }
    }
}

impl<V: Clone> Memo<V> {
    /// The remembered value for `word`, or `compute(word)` remembered.
    pub fn get_or_insert_with(&self, word: &str, compute: impl FnOnce(&str) -> V) -> V {
        let shard = &self.shards[(FxBuildHasher::default().hash_one(word) as usize) % SHARDS];
        if let Some(value) = shard.lock().unwrap_or_else(|p| p.into_inner()).get(word) {
            return value.clone();
        }
        let value = compute(word);
        let mut map = shard.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= SHARD_CAPACITY {
            map.clear();
        }
        map.insert(word.into(), value.clone());
        value
    }

    /// Forgets everything (after the lexicon changed).
    pub fn clear(&mut self) {
        for shard in &mut self.shards {
            shard.get_mut().unwrap_or_else(|p| p.into_inner()).clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_and_stays_bounded() {
        let memo: Memo<usize> = Memo::default();
        let mut calls = 0;
        assert_eq!(
            memo.get_or_insert_with("fabrik", |w| {
                calls += 1;
                w.len()
            }),
            6
        );
        assert_eq!(
            memo.get_or_insert_with("fabrik", |_| {
                calls += 1;
                0
            }),
            6
        );
        assert_eq!(calls, 1);
        for n in 0..(SHARDS * SHARD_CAPACITY * 3) {
            memo.get_or_insert_with(&n.to_string(), |w| w.len());
        }
        let total: usize = memo.shards.iter().map(|s| s.lock().unwrap().len()).sum();
        assert!(total <= SHARDS * SHARD_CAPACITY, "{total}");
    }

    #[test]
    fn fx_hash_distinguishes_words() {
        let hash = |w: &str| FxBuildHasher::default().hash_one(w);
        assert_ne!(hash("fabrik"), hash("fabriks"));
        assert_ne!(hash("ab"), hash("ba"));
    }
}
