//! A protokoll's paragraphs (§): where each starts, its number, heading, page and diarienummer.
//!
//! A paragraph heading is a line that starts with `§` and a number (`§ 32`, `§32`, `§ 32a`),
//! possibly after the body's code (`KS § 32`, `BMN § 114`), followed by nothing, a diarienummer
//! or the heading (`§ 32 Dnr KS 2023/412`, `§ 32 Detaljplan för Norra hamnen`). A `§` after a
//! number (`8 kap. 9 § kommunallagen`) or inside a line is a reference, not a heading; so is a
//! line whose text goes on in lower case (`§ 5 i förra protokollet`).

use std::collections::HashMap;
use std::sync::LazyLock;

use namndsok_model::diarienummer::CaseNumber;
use regex::Regex;

use crate::Paragraph;

/// A heading line. The rest of the line must be empty or start after whitespace.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[\s\u{a0}]*(?:(?P<body>\p{Lu}[\p{L}\-]{0,9})[\s\u{a0}]+)?§[\s\u{a0}]*(?P<number>\d{1,4}[a-zA-Z]?)[.:]?(?:[\s\u{a0}]+(?P<rest>.*))?$",
    )
    .expect("valid regex")
});

/// A table of contents entry's end: dot leaders (or a wide gap) and a page number.
static TOC_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[\s\u{a0}]*[.…·_]{2,}[\s\u{a0}]*|\t+|[\s\u{a0}]{3,})\d{1,4}[\s\u{a0}]*$").expect("valid regex")
});

/// A date written out: `5 mars 2018`, `den 5 mars 2018`.
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\p{L}+dag(?:en)?\s+)?(?:den\s+)?\d{1,2}\s+(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)\p{L}*\.?\s+\d{4}$")
        .expect("valid regex")
});

/// Lines a page header or footer consists of, lower case prefixes.
const PAGE_FURNITURE: &[&str] = &[
    "sammanträdesprotokoll",
    "sammanträdesdatum",
    "protokoll",
    "protokollsutdrag",
    "justerandes sign",
    "justerare",
    "utdragsbestyrkande",
    "sida ",
    "sid ",
    "blad ",
];

/// At most this many lines after the heading line are looked at for the heading.
const HEADING_LOOK_AHEAD: usize = 8;

/// A heading line found in the text.
struct Heading<'a> {
    /// Byte offset where the heading starts (after any leading whitespace).
    start: usize,
    number: &'a str,
    /// The rest of the line after the number.
    rest: &'a str,
    page: u32,
    /// Looks like a table of contents entry (dot leaders and a page number).
    toc: bool,
}

/// The lines of `text` (split at `\n` and form feeds) with their byte offsets and pages.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str, u32)> {
    let mut offset = 0;
    let mut page = 1u32;
    std::iter::from_fn(move || {
        if offset > text.len() {
            return None;
        }
        let rest = &text[offset..];
        let end = rest.find(['\n', '\x0c']).unwrap_or(rest.len());
        let line = (offset, &rest[..end], page);
        if rest[end..].starts_with('\x0c') {
            page = page.saturating_add(1);
        }
        offset += end + 1;
        Some(line)
    })
}

/// True for a body's code before `§`: `KS`, `BMN`, `BoM`, `KSAU` — at least two capitals, so
/// that a sentence's first word (`Enligt § 5 …`) is not one.
fn is_body_code(code: &str) -> bool {
    code.chars().filter(|c| c.is_uppercase()).count() >= 2
}

fn heading_at<'a>(offset: usize, line: &'a str, page: u32) -> Option<Heading<'a>> {
    if !line.contains('§') {
        return None;
    }
    let captures = HEADING.captures(line)?;
    if captures.name("body").is_some_and(|body| !is_body_code(body.as_str())) {
        return None;
    }
    let rest = captures.name("rest").map_or("", |m| m.as_str());
    // Running text goes on in lower case: `§ 5 i förra protokollet`.
    if rest.trim_start().chars().next().is_some_and(char::is_lowercase) {
        return None;
    }
    let number = captures.name("number")?.as_str();
    let leading = line.len() - line.trim_start_matches(|c: char| c.is_whitespace()).len();
    Some(Heading { start: offset + leading, number, rest, page, toc: TOC_TAIL.is_match(rest) })
}

/// Splits a protokoll's text into its paragraphs (see [`crate::split_paragraphs`]).
pub(crate) fn split(text: &str) -> Vec<Paragraph> {
    let headings: Vec<Heading<'_>> =
        lines(text).filter_map(|(offset, line, page)| heading_at(offset, line, page)).collect();

    // Each heading's text runs to the next heading. A heading repeated right after itself (a
    // page header that repeats the § on the next page) continues the paragraph.
    let mut spans: Vec<(usize, usize)> = Vec::new(); // (index into headings, end offset)
    for (index, heading) in headings.iter().enumerate() {
        if let Some(&(previous, _)) = spans.last() {
            let previous_heading = &headings[previous];
            if previous_heading.number == heading.number && !previous_heading.toc && !heading.toc {
                continue;
            }
        }
        if let Some(last) = spans.last_mut() {
            last.1 = heading.start;
        }
        spans.push((index, text.len()));
    }

    // A number that occurs more than once (a table of contents before the paragraphs): the
    // occurrence that is not a contents entry and has the longest text.
    let rank = |&(index, end): &(usize, usize)| {
        let heading = &headings[index];
        (!heading.toc, text[heading.start..end].trim_end().len())
    };
    let mut best: HashMap<&str, usize> = HashMap::new(); // number → index into spans
    for (at, span) in spans.iter().enumerate() {
        let number = headings[span.0].number;
        match best.get(number) {
            // The first of equals stays.
            Some(&current) if rank(&spans[current]) >= rank(span) => {}
            _ => {
                best.insert(number, at);
            }
        }
    }
    let mut kept: Vec<(usize, usize)> = best.into_values().map(|at| spans[at]).collect();
    kept.sort_unstable();

    kept.into_iter()
        .map(|(index, end)| {
            let heading = &headings[index];
            let body = text[heading.start..end].trim_end();
            Paragraph {
                number: heading.number.to_owned(),
                heading: heading_text(heading.rest, body),
                text: body.to_owned(),
                page: heading.page,
                diarienummer: first_case_number(body),
            }
        })
        .collect()
}

/// The heading: the rest of the heading line without diarienummer and contents page number, or
/// else the first following line that says something.
fn heading_text(rest: &str, body: &str) -> String {
    let rest = TOC_TAIL.find(rest).map_or(rest, |tail| &rest[..tail.start()]);
    let heading = without_case_numbers(rest);
    if !heading.is_empty() {
        return heading;
    }
    for (_, line, _) in lines(body).skip(1).filter(|(_, line, _)| !line.trim().is_empty()).take(HEADING_LOOK_AHEAD) {
        if is_page_furniture(line) {
            continue;
        }
        let line = TOC_TAIL.find(line).map_or(line, |tail| &line[..tail.start()]);
        let candidate = without_case_numbers(line);
        if !candidate.is_empty() {
            return candidate;
        }
    }
    String::new()
}

/// A page header's or footer's line, a date or a page number.
fn is_page_furniture(line: &str) -> bool {
    let line = line.trim();
    let lower = line.to_lowercase();
    PAGE_FURNITURE.iter().any(|prefix| lower.starts_with(prefix))
        || !line.chars().any(char::is_alphabetic)
        || DATE_LINE.is_match(line)
}

/// `text` without its diarienummer (`Dnr KS 2023/412`; a number with a series code also
/// without `Dnr` at the start or end), its whitespace collapsed and separators trimmed.
fn without_case_numbers(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut at = 0;
    for (range, case) in CaseNumber::find_in_query(text) {
        let found = &text[range.clone()];
        let has_prefix = found.get(..3).is_some_and(|start| start.eq_ignore_ascii_case("dnr"))
            || found.get(..8).is_some_and(|start| start.eq_ignore_ascii_case("diarien"));
        let is_separate = |side: &str| side.chars().all(|c| !c.is_alphanumeric());
        let at_an_end =
            is_separate(&text[at..range.start]) && kept.trim().is_empty() || is_separate(&text[range.end..]);
        // A code as diaria write them (`KS`, `BMN`, `BoM`), not a word (`Budget 2024/2025`).
        let has_code = case.series.is_some() && found.chars().filter(|c| c.is_uppercase()).count() >= 2;
        if has_prefix || has_code && at_an_end {
            kept.push_str(&text[at..range.start]);
            kept.push(' ');
            at = range.end;
        }
    }
    kept.push_str(&text[at..]);
    let collapsed = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed =
        collapsed.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–' | '—' | '|'));
    // A `Dnr` left without a number it could parse.
    let trimmed = match trimmed.get(..3) {
        Some(start) if start.eq_ignore_ascii_case("dnr") && trimmed[3..].chars().all(|c| !c.is_alphabetic()) => "",
        _ => trimmed,
    };
    trimmed.to_owned()
}

/// The first diarienummer in `text`, as written (without a `Dnr` prefix): `KS 2018/124`.
fn first_case_number(text: &str) -> Option<String> {
    for (_, line, _) in lines(text) {
        let Some(case) = CaseNumber::find_all(line).into_iter().next() else { continue };
        let mentions = CaseNumber::find_in_query(line);
        let written = match mentions.iter().find(|(_, found)| *found == case) {
            Some((range, _)) => strip_dnr(&line[range.clone()]),
            // A code in lower case is a series in a query but not in prose (`bn 2023/14`):
            // the number as written from its year on.
            None => mentions
                .iter()
                .filter(|(_, found)| found.year == case.year && found.number == case.number)
                .find_map(|(range, _)| {
                    let found = &line[range.clone()];
                    found.find(&case.year.to_string()).map(|at| &found[at..])
                })
                .unwrap_or_default(),
        };
        return Some(if written.is_empty() { case.to_string() } else { written.to_owned() });
    }
    None
}

/// `Dnr KS 2018/14` → `KS 2018/14`; `Diarienummer: BN 2025-1` → `BN 2025-1`.
fn strip_dnr(found: &str) -> &str {
    let lower = found.to_lowercase();
    for prefix in ["diarienummer", "diarienr", "dnr"] {
        if lower.starts_with(prefix) && found.is_char_boundary(prefix.len()) {
            return found[prefix.len()..].trim_start_matches(['.', ':', ' ', '\t', '\u{a0}']);
        }
    }
    found.trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_lines() {
        let number = |line: &str| heading_at(0, line, 1).map(|heading| heading.number.to_owned());
        assert_eq!(number("§ 32").as_deref(), Some("32"));
        assert_eq!(number("§32").as_deref(), Some("32"));
        assert_eq!(number("  § 32 Detaljplan för Norra hamnen").as_deref(), Some("32"));
        assert_eq!(number("KS § 32").as_deref(), Some("32"));
        assert_eq!(number("BMN § 114  Dnr BMN 2025-000311").as_deref(), Some("114"));
        assert_eq!(number("BoM § 7").as_deref(), Some("7"));
        assert_eq!(number("§ 32a").as_deref(), Some("32a"));
        assert_eq!(number("§ 32. Budget").as_deref(), Some("32"));
        assert_eq!(number("enligt 8 kap. 9 § kommunallagen"), None);
        assert_eq!(number("9 § kommunallagen"), None);
        assert_eq!(number("se § 5 i förra protokollet"), None);
        assert_eq!(number("§ 5 i förra protokollet"), None);
        assert_eq!(number("Enligt § 5 Kommunallagen"), None);
        assert_eq!(number("§ 5-7"), None);
        assert_eq!(number("§§ 5"), None);
        assert_eq!(number("§ Detaljplan"), None);
    }

    #[test]
    fn headings_without_case_numbers() {
        assert_eq!(without_case_numbers("Dnr KS 2023/412"), "");
        assert_eq!(without_case_numbers(" Dnr BMN 2025-000311"), "");
        assert_eq!(without_case_numbers("Detaljplan för Norra hamnen Dnr KS 2023/412"), "Detaljplan för Norra hamnen");
        assert_eq!(without_case_numbers("KS 2023/412 Detaljplan"), "Detaljplan");
        assert_eq!(without_case_numbers("Budget 2024/2025"), "Budget 2024/2025");
        assert_eq!(without_case_numbers("Information ... "), "Information ...");
        assert_eq!(without_case_numbers("Dnr:"), "");
    }

    #[test]
    fn case_numbers_as_written() {
        assert_eq!(first_case_number("§ 26 Dnr KS 2018/14\nInformation").as_deref(), Some("KS 2018/14"));
        assert_eq!(first_case_number("Ärende\nDiarienummer: BoM 2026-000840").as_deref(), Some("BoM 2026-000840"));
        assert_eq!(first_case_number("inget nummer här"), None);
    }

    #[test]
    fn furniture() {
        assert!(is_page_furniture("Sammanträdesprotokoll"));
        assert!(is_page_furniture("Justerandes sign"));
        assert!(is_page_furniture("2018-03-05"));
        assert!(is_page_furniture("3 (12)"));
        assert!(is_page_furniture("5 mars 2018"));
        assert!(!is_page_furniture("Årsredovisning för Kramfors kommun 2017"));
    }
}
