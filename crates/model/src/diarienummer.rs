//! Diarienummer: case numbers as people and vendor systems write them.
//!
//! Every kommun writes its own: `KS 2018/14`, `Dnr KS 2018/124`, `KS2023.412`, `BN 2025-002614`,
//! `BoM 2026-000840`, `2023/1234`. A [`CaseNumber`] holds the three parts that matter — the
//! diarium's series code (`KS`), the year and the running number — so that all spellings of the
//! same case compare equal: the code is case-insensitive, the separator is irrelevant and zero
//! padding is ignored (`2026-000041` = `2026-41`).

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

/// A parsed diarienummer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaseNumber {
    /// The diarium's series code, lowercased (`ks`, `bom`), if the number had one.
    pub series: Option<String>,
    pub year: u16,
    /// The running number without zero padding.
    pub number: u32,
}

/// Words that look like a series code in running text but are not one (`år 2023/24`).
const NOT_SERIES: &[&str] = &[
    "år",
    "den",
    "nr",
    "och",
    "till",
    "från",
    "sedan",
    "per",
    "ca",
    "cirka",
    "maj",
    "juni",
    "juli",
    "mars",
    "april",
    "vecka",
    "v",
    "kl",
    "se",
    "sfs",
    "sou",
    "prop",
    "dir",
    "ds",
    "läsår",
    "läsåret",
    "budgetår",
    "i",
    "på",
    "av",
    "om",
    "under",
    "med",
    "efter",
    "före",
    "jan",
    "feb",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
    "tom",
    "fr",
    "fom",
    "mellan",
    "inför",
];

// `(Dnr) (CODE)(sep)YEAR(sep)NUMBER`; CODE is 1–6 letters, YEAR 19xx/20xx.
static CASE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[^\p{L}\p{N}])(?P<dnr>dnr\.?:?\s*|diarienummer:?\s*|diarienr\.?:?\s*)?(?:(?P<series>\p{L}{1,6})[\s\-]?)?(?P<year>(?:19|20)\d{2})\s?(?P<sep>[/.\-:])\s?(?P<number>\d{1,7})(?:$|[^\p{L}\p{N}/.\-]|[/.\-][^\p{N}]|[/.\-]$)",
    )
    .expect("valid regex")
});

// What every diarienummer contains: a year, a separator and a digit. Found without captures (a
// fast DFA search), so text without one — most of a protokoll — never runs the capturing regex.
static YEAR_AND_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:19|20)\d{2}\s?[/.\-:]\s?\d").expect("valid regex"));

/// How far before a year-and-number the full match may begin (`Diarienummer: BMN-2023/…`).
const LOOK_BACK_BYTES: usize = 64;

/// How far past a year-and-number the full match may end (a long number and its terminator).
const LOOK_AHEAD_BYTES: usize = 24;

/// The leftmost full match starting at or after `start`. A year-and-number is located with the
/// fast search; the capturing regex then runs only on a short window around it. The window ends
/// just after a whitespace character (or at the end of the text), so the regex's `$` can only
/// match where the text really ends.
fn captures_from(text: &str, start: usize) -> Option<regex::Captures<'_>> {
    let mut from = start;
    loop {
        let candidate = YEAR_AND_NUMBER.find_at(text, from)?;
        if text.get(candidate.end() - 1..).is_some_and(|rest| !number_can_end(rest)) {
            from = candidate.start() + 1;
            continue;
        }
        let mut begin = candidate.start().saturating_sub(LOOK_BACK_BYTES).max(start);
        while !text.is_char_boundary(begin) {
            begin += 1;
        }
        let mut end = (candidate.end() + LOOK_AHEAD_BYTES).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        if end < text.len() {
            end = text[end..].find(char::is_whitespace).map_or(text.len(), |offset| {
                let at = end + offset;
                at + text[at..].chars().next().map_or(0, char::len_utf8)
            });
        }
        if let Some(captures) = CASE_NUMBER.captures_at(&text[..end], begin) {
            return Some(captures);
        }
        from = candidate.start() + 1;
        while from < text.len() && !text.is_char_boundary(from) {
            from += 1;
        }
        if from >= text.len() {
            return None;
        }
    }
}

/// False when the digits at the start of `rest` certainly cannot be a diarienummer's number:
/// more than seven of them, or followed by a letter, or by a separator and another digit (the
/// month of a date such as `2024-01-05`). Dates fill protokoll, and this keeps them from
/// running the capturing regex. Anything unusual (non-ASCII digits) is left to the regex.
fn number_can_end(rest: &str) -> bool {
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 7 {
        return false;
    }
    let mut after = rest[digits..].chars();
    match (after.next(), after.next()) {
        (Some(c), _) if c.is_ascii_alphabetic() => false,
        (Some('/' | '.' | '-'), Some(d)) if d.is_ascii_digit() => false,
        _ => true,
    }
}

impl CaseNumber {
    /// Parses a string that is one diarienummer and nothing else (leading `Dnr` allowed), case
    /// insensitive, as a user types it in a search box: `ks 2023-412`, `Dnr KS2023.412`.
    pub fn parse(text: &str) -> Option<CaseNumber> {
        let trimmed = text.trim();
        let captures = CASE_NUMBER.captures(trimmed)?;
        let whole = captures.get(0)?;
        // The match must cover the whole input (the regex may eat one delimiter each side).
        if trimmed[..whole.start()].trim().is_empty() && trimmed[whole.end()..].trim().is_empty() {
            Self::from_captures(&captures, false)
        } else {
            None
        }
    }

    /// Finds every diarienummer mentioned in running text (`… Dnr KS 2018/14 Information …`).
    ///
    /// Stricter than [`CaseNumber::parse`], because prose is full of number pairs: a mention needs
    /// a series code that starts with a capital letter, or a `Dnr` prefix, or a `/` separator.
    pub fn find_all(text: &str) -> Vec<CaseNumber> {
        let mut found = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let Some(captures) = captures_from(text, start) else { break };
            let whole = captures.get(0).expect("group 0 exists");
            if let Some(case) = Self::from_captures(&captures, true) {
                if !found.contains(&case) {
                    found.push(case);
                }
            }
            // Continue right after the number so adjacent mentions are found too.
            start = captures.name("number").map_or(whole.end(), |m| m.end());
        }
        found
    }

    /// Finds diarienummer inside a typed query (`batterifabrik ks 2023-412`), with the byte
    /// range each occupies. Series codes may be lower case here; a bare number needs a `/`.
    pub fn find_in_query(query: &str) -> Vec<(std::ops::Range<usize>, CaseNumber)> {
        let mut found = Vec::new();
        let mut start = 0;
        while start < query.len() {
            let Some(captures) = CASE_NUMBER.captures_at(query, start) else { break };
            let number = captures.name("number").expect("number group");
            let begin = ["dnr", "series", "year"]
                .iter()
                .find_map(|name| captures.name(name))
                .map_or(number.start(), |m| m.start());
            if let Some(case) = Self::from_captures(&captures, false) {
                let separator = captures.name("sep").map_or("", |m| m.as_str());
                if case.series.is_some() || separator == "/" || captures.name("dnr").is_some() {
                    found.push((begin..number.end(), case));
                }
            }
            start = number.end();
        }
        found
    }

    fn from_captures(captures: &regex::Captures<'_>, in_prose: bool) -> Option<CaseNumber> {
        let year: u16 = captures.name("year")?.as_str().parse().ok()?;
        let number: u32 = captures.name("number")?.as_str().parse().ok()?;
        let has_dnr = captures.name("dnr").is_some();
        let separator = captures.name("sep").map_or("", |m| m.as_str());
        let mut series = captures.name("series").map(|m| m.as_str());
        if let Some(code) = series {
            let lower = code.to_lowercase();
            let is_word = NOT_SERIES.contains(&lower.as_str()) || lower == "dnr";
            let lowercase_in_prose = in_prose && !has_dnr && !code.chars().next().is_some_and(char::is_uppercase);
            if is_word || lowercase_in_prose {
                series = None;
            }
        }
        if in_prose && series.is_none() && !has_dnr && separator != "/" {
            return None;
        }
        if number == 0 {
            return None;
        }
        Some(CaseNumber { series: series.map(str::to_lowercase), year, number })
    }

    /// The normalised key with the series: `ks2023-412`; without one: `2023-412`.
    pub fn key(&self) -> String {
        match &self.series {
            Some(series) => format!("{series}{}-{}", self.year, self.number),
            None => self.key_without_series(),
        }
    }

    /// How a diarienummer was spelled, compacted: `Dnr KS2023.145` → `=ks2023.145`. Kommuner
    /// keep one spelling style, so an exact spelling match is a good tie-breaker between equal
    /// numbers of different kommuner.
    pub fn spelling_key(text: &str) -> String {
        let lower = text.trim().to_lowercase();
        let without_prefix = ["diarienummer", "diarienr", "dnr"]
            .iter()
            .find_map(|prefix| lower.strip_prefix(prefix))
            .map(|rest| rest.trim_start_matches(['.', ':', ' ']))
            .unwrap_or(&lower);
        let compact: String = without_prefix.chars().filter(|c| !c.is_whitespace()).collect();
        format!("={compact}")
    }

    /// The key without the series (`2023-412`): matches the number in any diarium.
    pub fn key_without_series(&self) -> String {
        format!("{}-{}", self.year, self.number)
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.series {
            Some(series) => write!(f, "{} {}/{}", series.to_uppercase(), self.year, self.number),
            None => write!(f, "{}/{}", self.year, self.number),
        }
    }
}

#[cfg(test)]
mod tests {
    /// The windowed search finds exactly what the capturing regex finds on the whole text.
    #[test]
    fn windowed_search_agrees_with_the_full_regex() {
        let pieces = [
            "Dnr KS 2023/412",
            "BN 2021.0123",
            "2019/108",
            " ",
            "  ",
            "\n",
            "å",
            "Östra ",
            "KS-2026-0045",
            "2024-01-05",
            "20240105",
            "2023/12345678",
            "2023/4a",
            "diarienummer: SBN 2019-000042",
            "/",
            ".",
            "-",
            "2020",
            "12",
            "år 2024 och",
            "Dnr",
            ":",
            "x",
            "1998/7",
        ];
        let mut state: u64 = 7;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..12 {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
            }
            let windowed: Vec<(usize, usize)> = {
                let mut out = Vec::new();
                let mut start = 0;
                while let Some(c) = captures_from(&text, start) {
                    let whole = c.get(0).unwrap();
                    out.push((whole.start(), whole.end()));
                    start = c.name("number").map_or(whole.end(), |m| m.end());
                }
                out
            };
            let full: Vec<(usize, usize)> = {
                let mut out = Vec::new();
                let mut start = 0;
                while let Some(c) = CASE_NUMBER.captures_at(&text, start) {
                    let whole = c.get(0).unwrap();
                    out.push((whole.start(), whole.end()));
                    start = c.name("number").map_or(whole.end(), |m| m.end());
                }
                out
            };
            assert_eq!(windowed, full, "{text:?}");
        }
    }

    use super::*;

    fn key(text: &str) -> Option<String> {
        CaseNumber::parse(text).map(|c| c.key())
    }

    #[test]
    fn every_spelling_of_a_case_gives_one_key() {
        for text in [
            "KS 2023/412",
            "KS2023.412",
            "Dnr KS 2023/412",
            "ks 2023-412",
            "dnr. ks 2023/0412",
            "KS-2023-412",
            " KS 2023 / 412 ",
            "Dnr: KS 2023:412",
        ] {
            assert_eq!(key(text).as_deref(), Some("ks2023-412"), "{text}");
        }
    }

    #[test]
    fn zero_padding_is_irrelevant() {
        assert_eq!(key("BN 2025-002614"), key("BN 2025-2614"));
        assert_eq!(key("B 2026-000041").as_deref(), Some("b2026-41"));
        assert_eq!(key("BoM 2026-000840").as_deref(), Some("bom2026-840"));
        assert_eq!(key("BYGG 2025-000609").as_deref(), Some("bygg2025-609"));
        assert_eq!(key("S 2019-0043").as_deref(), Some("s2019-43"));
    }

    #[test]
    fn a_bare_number_has_no_series() {
        let case = CaseNumber::parse("2023/1234").unwrap();
        assert_eq!(case.series, None);
        assert_eq!(case.key(), "2023-1234");
        assert_eq!(CaseNumber::parse("KS 2023/412").unwrap().key_without_series(), "2023-412");
    }

    #[test]
    fn ordinary_queries_are_not_case_numbers() {
        for text in ["batterifabrik", "KS", "2023", "detaljplan 2023", "ks 2023/412 batterifabrik", "", "12/5"] {
            assert_eq!(key(text), None, "{text}");
        }
    }

    #[test]
    fn finds_mentions_in_prose() {
        let text =
            "26 Dnr KS 2018/14 Information... 3 27 Dnr KS 2018/124 Årsredovisning. Ärendet (BN 2025-002614) avser";
        let keys: Vec<String> = CaseNumber::find_all(text).iter().map(CaseNumber::key).collect();
        assert_eq!(keys, vec!["ks2018-14", "ks2018-124", "bn2025-2614"]);
    }

    #[test]
    fn prose_dates_and_ranges_are_not_mentions() {
        for text in ["Sammanträdet 2023-05-02 kl 13", "läsåret 2023/24 och år 2022/23", "beslutades den 2021-03-04"]
        {
            let found: Vec<String> = CaseNumber::find_all(text).iter().map(CaseNumber::key).collect();
            let unwanted: Vec<&String> = found.iter().filter(|k| !k.starts_with(char::is_numeric)).collect();
            assert!(unwanted.is_empty(), "{text}: {found:?}");
            assert!(!found.iter().any(|k| k == "2023-5" || k == "2021-3"), "{text}: {found:?}");
        }
    }
}
