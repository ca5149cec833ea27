//! Personnummer in public documents, found and redacted.
//!
//! A public document is not automatically fit for republication: personnummer must not be
//! indexed. Every document is redacted at ingest, in every text field, whatever its source
//! ([`crate::Document::from_json_object`] applies [`redact_personnummer`]).

use chrono::NaiveDate;

/// What a personnummer is replaced with.
pub const PERSONNUMMER_PLACEHOLDER: &str = "[personnummer]";

/// Replaces Swedish personnummer (and samordningsnummer) with `[personnummer]`.
///
/// Recognised spellings: `YYMMDD-NNNN`, `YYMMDD+NNNN`, `YYYYMMDD-NNNN` and `YYYYMMDDNNNN`, not
/// inside a longer run of digits. A candidate is redacted only if its date is real (a
/// samordningsnummer's day is the day + 60) and its ten-digit form passes the Luhn check, so
/// organisationsnummer (`212000-1736`: month 20), diarienummer and phone numbers stay. Ten digits
/// without a separator are not treated as a personnummer: too many other numbers look like that.
pub fn redact_personnummer(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let run_end = digit_run_end(bytes, i);
        let run = run_end - i;
        let mut matched: Option<usize> = None;
        if run == 12 && is_personnummer(&text[i..i + 8], &text[i + 8..run_end]) {
            matched = Some(run_end);
        } else if (run == 6 || run == 8) && run_end + 5 <= bytes.len() {
            let separator = bytes[run_end];
            let tail_start = run_end + 1;
            let tail_end = digit_run_end(bytes, tail_start);
            let separator_ok = separator == b'-' || (separator == b'+' && run == 6);
            if separator_ok
                && tail_end - tail_start == 4
                && is_personnummer(&text[i..run_end], &text[tail_start..tail_end])
            {
                matched = Some(tail_end);
            }
        }
        match matched {
            Some(end) => {
                out.push_str(&text[copied..i]);
                out.push_str(PERSONNUMMER_PLACEHOLDER);
                copied = end;
                i = end;
            }
            None => i = run_end,
        }
    }
    out.push_str(&text[copied..]);
    out
}

fn digit_run_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    end
}

/// `date` is `YYMMDD` or `YYYYMMDD`, `number` the four last digits.
fn is_personnummer(date: &str, number: &str) -> bool {
    let digits = |s: &str| s.bytes().map(|b| u32::from(b - b'0')).collect::<Vec<u32>>();
    let (century, short) = match date.len() {
        8 => (Some(&date[..2]), &date[2..]),
        _ => (None, date),
    };
    if let Some(century) = century {
        if century != "18" && century != "19" && century != "20" {
            return false;
        }
    }
    let d = digits(short);
    let (year, month, mut day) = (d[0] * 10 + d[1], d[2] * 10 + d[3], d[4] * 10 + d[5]);
    if day > 60 {
        day -= 60; // samordningsnummer
    }
    let full_year = match century {
        Some(c) => c.parse::<u32>().unwrap_or(19) * 100 + year,
        // Any century will do for the validity check, except for 29 February.
        None => 2000 + year,
    };
    let leap_tolerant = century.is_none() && month == 2 && day == 29;
    if !leap_tolerant && NaiveDate::from_ymd_opt(full_year as i32, month, day).is_none() {
        return false;
    }
    if leap_tolerant && year % 4 != 0 {
        return false;
    }
    let mut all = d;
    all.extend(digits(number));
    luhn_valid(&all)
}

/// The Luhn check over the ten digits of a personnummer (weights 2,1,2,1,… from the left).
fn luhn_valid(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(index, &digit)| {
            let product = if index % 2 == 0 { digit * 2 } else { digit };
            product / 10 + product % 10
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_valid_personnummer_in_every_spelling() {
        for text in ["19121212-1212", "121212-1212", "191212121212", "121212+1212"] {
            assert_eq!(
                redact_personnummer(&format!("Sökande {text} bor här")),
                "Sökande [personnummer] bor här",
                "{text}"
            );
        }
    }

    #[test]
    fn leaves_other_numbers_alone() {
        for text in ["212000-1736", "KS 2023/412", "121212-1213", "2026-11-20", "1212121212", "tel 0413-620 00"] {
            assert_eq!(redact_personnummer(text), text, "{text}");
        }
    }
}
