//! Sweden's clock: the one place that knows Europe/Stockholm (from the tz database through
//! `chrono-tz`), for the calendar day of a timestamp and for local hours such as a daily
//! digest's.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Europe/Stockholm.
pub const STOCKHOLM: Tz = chrono_tz::Europe::Stockholm;

/// `utc` on Stockholm's clock.
pub fn to_stockholm(utc: DateTime<Utc>) -> DateTime<Tz> {
    utc.with_timezone(&STOCKHOLM)
}

/// The calendar day in Sweden of a Unix timestamp in milliseconds.
pub fn stockholm_date_from_millis(millis: i64) -> Option<NaiveDate> {
    Some(to_stockholm(Utc.timestamp_millis_opt(millis).single()?).date_naive())
}

/// The instant Stockholm's clock shows `local`. A time skipped when summer time starts is read
/// an hour later (02:30 → 03:30 CEST); a time that happens twice when it ends is the first.
pub fn from_stockholm(local: NaiveDateTime) -> DateTime<Utc> {
    let mut local = local;
    loop {
        if let Some(time) = STOCKHOLM.from_local_datetime(&local).earliest() {
            return time.with_timezone(&Utc);
        }
        local += Duration::hours(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn summer_and_winter_time() {
        assert_eq!(to_stockholm(utc("2025-01-15T23:30:00Z")).date_naive().to_string(), "2025-01-16");
        assert_eq!(to_stockholm(utc("2025-07-15T22:30:00Z")).date_naive().to_string(), "2025-07-16");
        assert_eq!(to_stockholm(utc("2025-07-15T21:30:00Z")).date_naive().to_string(), "2025-07-15");
        // Summer time 2025: 30 March 01:00 UTC to 26 October 01:00 UTC.
        assert_eq!(to_stockholm(utc("2025-03-30T00:59:59Z")).to_rfc3339(), "2025-03-30T01:59:59+01:00");
        assert_eq!(to_stockholm(utc("2025-03-30T01:00:00Z")).to_rfc3339(), "2025-03-30T03:00:00+02:00");
        assert_eq!(to_stockholm(utc("2025-10-26T00:59:59Z")).to_rfc3339(), "2025-10-26T02:59:59+02:00");
        assert_eq!(to_stockholm(utc("2025-10-26T01:00:00Z")).to_rfc3339(), "2025-10-26T02:00:00+01:00");
        assert_eq!(stockholm_date_from_millis(1_752_615_000_000).unwrap().to_string(), "2025-07-15");
    }

    #[test]
    fn skipped_and_repeated_local_times() {
        let local = |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(from_stockholm(local("2025-03-30 02:30")), utc("2025-03-30T01:30:00Z"));
        assert_eq!(from_stockholm(local("2025-10-26 02:30")), utc("2025-10-26T00:30:00Z"));
        assert_eq!(from_stockholm(local("2025-06-01 07:00")), utc("2025-06-01T05:00:00Z"));
    }
}
