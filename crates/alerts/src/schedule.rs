//! The Europe/Stockholm clock, for sending daily digests at a set local hour.
//!
//! Rather than pulling in the whole tz database (chrono-tz) for one zone, this implements the
//! rule Sweden has followed since 1996 (the EU rule): CET (UTC+1), and CEST (UTC+2) from 01:00
//! UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October. If the EU ever
//! abolishes the clock change, this is the one function to change.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

const CET: i32 = 3600;
const CEST: i32 = 7200;

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_of_next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) }
            .expect("valid date");
    let last = first_of_next.pred_opt().expect("valid date");
    let back = last.weekday().num_days_from_sunday();
    last - Duration::days(i64::from(back))
}

/// Stockholm's offset from UTC at the instant `utc`.
pub fn stockholm_offset(utc: DateTime<Utc>) -> FixedOffset {
    let year = utc.year();
    let at_one = |date: NaiveDate| Utc.from_utc_datetime(&date.and_hms_opt(1, 0, 0).expect("valid time"));
    let summer_starts = at_one(last_sunday(year, 3));
    let summer_ends = at_one(last_sunday(year, 10));
    let seconds = if utc >= summer_starts && utc < summer_ends { CEST } else { CET };
    FixedOffset::east_opt(seconds).expect("valid offset")
}

/// `utc` on Stockholm's clock.
pub fn to_stockholm(utc: DateTime<Utc>) -> DateTime<FixedOffset> {
    utc.with_timezone(&stockholm_offset(utc))
}

/// The first instant after `now` when Stockholm's clock shows `hour`:00 (0–23). On the spring
/// day when 02:00 does not exist, 02:00 means 03:00 CEST; on the autumn day when 02:00 happens
/// twice, the first.
pub fn next_digest_time(now: DateTime<Utc>, hour: u32) -> DateTime<Utc> {
    let hour = hour.min(23);
    let today = to_stockholm(now).date_naive();
    for days in 0..3 {
        let date = today + Duration::days(days);
        let local = date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("valid time"));
        let candidates = [CEST, CET].map(|offset| Utc.from_utc_datetime(&(local - Duration::seconds(offset.into()))));
        let time = candidates
            .into_iter()
            .find(|utc| stockholm_offset(*utc).local_minus_utc() == (local - utc.naive_utc()).num_seconds() as i32)
            .unwrap_or(candidates[1]);
        if time > now {
            return time;
        }
    }
    unreachable!("a digest hour occurs within three days")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn follows_the_eu_summer_time_rule() {
        assert_eq!(last_sunday(2025, 3), NaiveDate::from_ymd_opt(2025, 3, 30).unwrap());
        assert_eq!(last_sunday(2025, 10), NaiveDate::from_ymd_opt(2025, 10, 26).unwrap());
        assert_eq!(stockholm_offset(utc("2025-01-15T12:00:00Z")).local_minus_utc(), CET);
        assert_eq!(stockholm_offset(utc("2025-07-01T12:00:00Z")).local_minus_utc(), CEST);
        assert_eq!(stockholm_offset(utc("2025-03-30T00:59:59Z")).local_minus_utc(), CET);
        assert_eq!(stockholm_offset(utc("2025-03-30T01:00:00Z")).local_minus_utc(), CEST);
        assert_eq!(stockholm_offset(utc("2025-10-26T00:59:59Z")).local_minus_utc(), CEST);
        assert_eq!(stockholm_offset(utc("2025-10-26T01:00:00Z")).local_minus_utc(), CET);
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
    }
}
