//! When daily digests go out: at a set hour on Stockholm's clock ([`namndsok_model::time`],
//! the workspace's one Europe/Stockholm rule).

use chrono::{DateTime, Duration, NaiveTime, Utc};
use namndsok_model::time::{from_stockholm, to_stockholm};

/// The first instant after `now` when Stockholm's clock shows `hour`:00 (0–23). On the spring
/// day when 02:00 does not exist, 02:00 means 03:00 CEST; on the autumn day when 02:00 happens
/// twice, the first.
pub fn next_digest_time(now: DateTime<Utc>, hour: u32) -> DateTime<Utc> {
    let hour = NaiveTime::from_hms_opt(hour.min(23), 0, 0).expect("valid time");
    let today = to_stockholm(now).date_naive();
    (0..3)
        .map(|days| from_stockholm((today + Duration::days(days)).and_time(hour)))
        .find(|time| *time > now)
        .expect("a digest hour occurs within three days")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn digests_go_out_at_the_local_hour() {
        // Winter: 07:00 CET = 06:00 UTC.
        assert_eq!(next_digest_time(utc("2025-01-15T05:00:00Z"), 7), utc("2025-01-15T06:00:00Z"));
        assert_eq!(next_digest_time(utc("2025-01-15T06:00:00Z"), 7), utc("2025-01-16T06:00:00Z"));
        // Summer: 07:00 CEST = 05:00 UTC.
        assert_eq!(next_digest_time(utc("2025-07-01T12:00:00Z"), 7), utc("2025-07-02T05:00:00Z"));
        // Late evening UTC is already the next day in Stockholm.
        assert_eq!(next_digest_time(utc("2025-07-01T22:30:00Z"), 7), utc("2025-07-02T05:00:00Z"));
        // Across the spring change: 02:00 does not exist and becomes 03:00 CEST (01:00 UTC).
        assert_eq!(next_digest_time(utc("2025-03-29T23:00:00Z"), 2), utc("2025-03-30T01:00:00Z"));
        assert_eq!(next_digest_time(utc("2025-03-29T12:00:00Z"), 7), utc("2025-03-30T05:00:00Z"));
        // Across the autumn change: 02:00 happens twice; the first is 00:00 UTC.
        assert_eq!(next_digest_time(utc("2025-10-25T22:00:00Z"), 2), utc("2025-10-26T00:00:00Z"));
    }
}
