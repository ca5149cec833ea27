//! Small helpers: random tokens, hashing, hex, constant-time comparison, timestamps.

use chrono::{DateTime, TimeZone, Utc};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// `bytes` random bytes from the operating system, as lowercase hex.
pub(crate) fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).expect("the operating system's random source is available");
    hex(&buffer)
}

/// A random number in `0..bound` (for jitter; not for secrets).
pub(crate) fn random_below(bound: u64) -> u64 {
    if bound == 0 {
        return 0;
    }
    let mut buffer = [0u8; 8];
    getrandom::fill(&mut buffer).expect("the operating system's random source is available");
    u64::from_le_bytes(buffer) % bound
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// Compares two byte strings in time that depends only on their lengths.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// Seconds since the epoch, as stored in SQLite.
pub(crate) fn to_unix(time: DateTime<Utc>) -> i64 {
    time.timestamp()
}

pub(crate) fn from_unix(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(seconds, 0).single().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

    #[test]
    fn random_tokens_differ() {
        let a = random_hex(32);
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_hex(32));
        assert_eq!(hex(&[0x00, 0xab, 0x7f]), "00ab7f");
    }
}
