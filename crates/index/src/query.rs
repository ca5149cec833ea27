//! The query language people type, parsed leniently.
//!
//! - words: all must match (`batterifabrik mariestad`);
//! - `"exact phrase"` (an unclosed quote runs to the end of the query);
//! - `-word`, `-"phrase"`: exclusion;
//! - `a OR b` (upper case): either;
//! - a diarienummer typed as seen (`KS 2023/412`, `ks2023.412`): that case;
//! - fields, each narrowing the search like the API's filter of the same meaning:
//!   `kommun:Luleå` (a kommun or region, by name or code), `lan:Norrbotten` (a län, by name or
//!   code), `typ:anslag` (`arende`/`ärende`, `anslag`, `protokoll`), `datum:2024-01..2024-06`
//!   (a day, month or year, or a range of them; either end may be left open),
//!   `dnr:"KS 2023/412"` (the same as the diarienummer typed alone). A value that
//!   names nothing, and an unknown field (`foo:bar`), are searched as words.
//!
//! Anything else — stray parentheses, `AND`, `+`, unbalanced quotes, punctuation — is tolerated:
//! parsing never fails, so a search box never answers with an error for what a person typed.

use chrono::{Datelike, NaiveDate};
use namndsok_model::{CaseNumber, Kind, Registry};

/// One unit of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// One word as typed (analysis happens later).
    Word(String),
    /// Words that must appear together, in order.
    Phrase(Vec<String>),
    /// Any of these.
    Any(Vec<Clause>),
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedQuery {
    /// Clauses that must all match.
    pub required: Vec<Clause>,
    /// Clauses no hit may match.
    pub excluded: Vec<Clause>,
    /// Diarienummer found in the query.
    pub case_numbers: Vec<CaseNumber>,
    /// How each of `case_numbers` was spelled ([`CaseNumber::spelling_key`]).
    pub case_spellings: Vec<String>,
    /// Field filters (`kommun:Luleå`), each narrowing the search.
    pub filters: Vec<FieldFilter>,
}

/// A field of the query, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldFilter {
    /// `kommun:` — a kommun or region code.
    Kommun(String),
    /// `lan:` — a länskod.
    Lan(String),
    /// `typ:`
    Kind(Kind),
    /// `datum:` — inclusive bounds.
    Dates(Option<NaiveDate>, Option<NaiveDate>),
    /// `namnd:` — a nämnd as typed; resolved against the index's nämnder when searching
    /// (case and å/ä/ö aside, the whole name or a word it starts), else searched as words.
    Organ(String),
    /// `titel:` — words the title must hold (they are searched as words too).
    Title(Vec<String>),
}

impl FieldFilter {
    /// `field:value` resolved, if the field is known and the value names something.
    fn resolve(field: &str, value: &str) -> Option<FieldFilter> {
        let registry = Registry::global();
        let value = value.trim();
        match field.to_lowercase().as_str() {
            "kommun" => registry
                .by_code(value)
                .or_else(|| registry.by_name(value))
                .map(|organisation| FieldFilter::Kommun(organisation.code.clone())),
            "lan" | "län" => {
                let key = value.to_lowercase();
                let key = key.strip_suffix(" län").or_else(|| key.strip_suffix("s län")).unwrap_or(&key);
                registry
                    .regioner()
                    .find(|region| {
                        region.code == value
                            || region
                                .lan_name
                                .to_lowercase()
                                .strip_suffix(" län")
                                .is_some_and(|name| name == key || name.strip_suffix('s') == Some(key))
                            || region.name.to_lowercase().strip_prefix("region ") == Some(key)
                    })
                    .map(|region| FieldFilter::Lan(region.code.clone()))
            }
            "typ" => match value.to_lowercase().as_str() {
                "ärende" | "arende" | "ärenden" | "arenden" => Some(FieldFilter::Kind(Kind::Arende)),
                other => Kind::parse(other).map(FieldFilter::Kind),
            },
            "namnd" | "nämnd" | "organ" => has_letter_or_digit(value).then(|| FieldFilter::Organ(value.to_string())),
            "titel" | "title" | "rubrik" => {
                let words: Vec<String> =
                    value.split(is_separator).filter(|w| has_letter_or_digit(w)).map(str::to_string).collect();
                (!words.is_empty()).then_some(FieldFilter::Title(words))
            }
            "datum" => {
                let (from, to) = value.split_once("..").unwrap_or((value, value));
                let from = if from.is_empty() { None } else { Some(date_bound(from, false)?) };
                let to = if to.is_empty() { None } else { Some(date_bound(to, true)?) };
                (from.is_some() || to.is_some()).then_some(FieldFilter::Dates(from, to))
            }
            _ => None,
        }
    }
}

/// `2024`, `2024-03` or `2024-03-05` as its first day, or its last with `last`.
fn date_bound(text: &str, last: bool) -> Option<NaiveDate> {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |i: usize| parts.get(i)?.parse::<u32>().ok();
    let year = i32::try_from(number(0)?).ok().filter(|year| (1000..=9999).contains(year))?;
    match parts.len() {
        1 => NaiveDate::from_ymd_opt(year, if last { 12 } else { 1 }, if last { 31 } else { 1 }),
        2 => {
            let first = NaiveDate::from_ymd_opt(year, number(1)?, 1)?;
            if !last {
                return Some(first);
            }
            let next = if first.month() == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(year, first.month() + 1, 1)?
            };
            next.pred_opt()
        }
        3 => NaiveDate::from_ymd_opt(year, number(1)?, number(2)?),
        _ => None,
    }
}

impl ParsedQuery {
    pub fn is_empty(&self) -> bool {
        self.required.is_empty() && self.case_numbers.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Lexeme {
    Word {
        text: String,
        negated: bool,
    },
    /// `field:value` of a known field with a value that names something.
    Field(FieldFilter),
    Phrase {
        words: Vec<String>,
        negated: bool,
    },
    Or,
}

/// Parses a query. Never fails.
pub fn parse(query: &str) -> ParsedQuery {
    let mut parsed = ParsedQuery::default();
    let mut rest = query.to_string();
    // A whole query that is one diarienummer (`Dnr KS 2023/412`).
    if let Some(case) = CaseNumber::parse(&rest) {
        parsed.case_numbers.push(case);
        parsed.case_spellings.push(CaseNumber::spelling_key(&rest));
        return parsed;
    }
    // Diarienummer inside a longer query: taken out, the rest is parsed as words.
    for (range, case) in CaseNumber::find_in_query(query).into_iter().rev() {
        parsed.case_spellings.insert(0, CaseNumber::spelling_key(&rest[range.clone()]));
        rest.replace_range(range, " ");
        parsed.case_numbers.insert(0, case);
    }

    let lexemes = lex(&rest);
    let mut index = 0;
    while index < lexemes.len() {
        let (clause, negated) = match &lexemes[index] {
            Lexeme::Or => {
                index += 1;
                continue;
            }
            Lexeme::Field(filter) => {
                parsed.filters.push(filter.clone());
                index += 1;
                continue;
            }
            Lexeme::Word { text, negated } => (Clause::Word(text.clone()), *negated),
            Lexeme::Phrase { words, negated } => (phrase_or_word(words), *negated),
        };
        index += 1;
        if negated {
            parsed.excluded.push(clause);
            continue;
        }
        // Gather `a OR b OR c`.
        let mut alternatives = vec![clause];
        while index + 1 < lexemes.len() && lexemes[index] == Lexeme::Or {
            match &lexemes[index + 1] {
                Lexeme::Word { text, negated: false } => alternatives.push(Clause::Word(text.clone())),
                Lexeme::Phrase { words, negated: false } => alternatives.push(phrase_or_word(words)),
                _ => break,
            }
            index += 2;
        }
        parsed.required.push(if alternatives.len() == 1 {
            alternatives.pop().expect("one")
        } else {
            Clause::Any(alternatives)
        });
    }
    parsed
}

fn phrase_or_word(words: &[String]) -> Clause {
    if words.len() == 1 {
        Clause::Word(words[0].clone())
    } else {
        Clause::Phrase(words.to_vec())
    }
}

/// Characters that separate words in a query but are not part of the syntax.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | ')' | '[' | ']' | '{' | '}' | '+' | ',' | ';' | '!' | '?' | '*' | '~' | '^' | '\\' | '|' | '&'
        )
}

fn lex(query: &str) -> Vec<Lexeme> {
    let chars: Vec<char> = query.chars().collect();
    let mut lexemes = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_separator(c) {
            i += 1;
            continue;
        }
        let negated = c == '-' && chars.get(i + 1).is_some_and(|&next| !is_separator(next) && next != '-');
        if c == '-' && !negated {
            i += 1;
            continue;
        }
        let start = if negated { i + 1 } else { i };
        if chars.get(start) == Some(&'"') {
            let end = chars[start + 1..].iter().position(|&c| c == '"').map_or(chars.len(), |p| start + 1 + p);
            let inner: String = chars[start + 1..end].iter().collect();
            let words: Vec<String> =
                inner.split(is_separator).filter(|w| has_letter_or_digit(w)).map(str::to_string).collect();
            if !words.is_empty() {
                lexemes.push(Lexeme::Phrase { words, negated });
            }
            i = end + 1;
            continue;
        }
        let end = chars[start..].iter().position(|&c| is_separator(c) || c == '"').map_or(chars.len(), |p| start + p);
        let word: String = chars[start..end].iter().collect();
        // `field:value`, or `field:"a quoted value"`.
        if let Some((field, value)) = word.split_once(':').filter(|_| !negated) {
            let quoted = value.is_empty() && chars.get(end) == Some(&'"');
            let (value, next) = if quoted {
                let close = chars[end + 1..].iter().position(|&c| c == '"').map_or(chars.len(), |p| end + 1 + p);
                (chars[end + 1..close].iter().collect::<String>(), close + 1)
            } else {
                (value.to_string(), end)
            };
            if let Some(filter) = FieldFilter::resolve(field, &value) {
                // The title's words are searched too: they rank, and their snippets show.
                if let FieldFilter::Title(words) = &filter {
                    match words.len() {
                        1 if !quoted => lexemes.push(Lexeme::Word { text: words[0].clone(), negated: false }),
                        _ => lexemes.push(Lexeme::Phrase { words: words.clone(), negated: false }),
                    }
                }
                lexemes.push(Lexeme::Field(filter));
                i = next.max(start + 1);
                continue;
            }
            // `dnr:`: the diarienummer was taken out of the query before lexing (see [`parse`]);
            // what is left of the field is nothing.
            if field.eq_ignore_ascii_case("dnr") && !has_letter_or_digit(&value) {
                i = next.max(start + 1);
                continue;
            }
            // An unknown field, or a value that names nothing: its words (a quoted value as a
            // phrase).
            if has_letter_or_digit(field) && !field.eq_ignore_ascii_case("dnr") {
                lexemes.push(Lexeme::Word { text: field.to_string(), negated: false });
            }
            let words: Vec<String> =
                value.split(is_separator).filter(|w| has_letter_or_digit(w)).map(str::to_string).collect();
            match words.len() {
                0 => {}
                1 if !quoted => lexemes.push(Lexeme::Word { text: words[0].clone(), negated: false }),
                _ => lexemes.push(Lexeme::Phrase { words, negated: false }),
            }
            i = next.max(start + 1);
            continue;
        }
        i = end.max(start + 1);
        match word.as_str() {
            "OR" if !negated => lexemes.push(Lexeme::Or),
            "AND" | "NOT" if !negated => {}
            _ if has_letter_or_digit(&word) => lexemes.push(Lexeme::Word { text: word, negated }),
            _ => {}
        }
    }
    lexemes
}

fn has_letter_or_digit(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<Clause> {
        list.iter().map(|w| Clause::Word(w.to_string())).collect()
    }

    #[test]
    fn words_phrases_exclusions_and_or() {
        let parsed = parse(r#"batterifabrik "detaljplan för" -bygglov mariestad OR skövde"#);
        assert_eq!(
            parsed.required,
            vec![
                Clause::Word("batterifabrik".into()),
                Clause::Phrase(vec!["detaljplan".into(), "för".into()]),
                Clause::Any(words(&["mariestad", "skövde"])),
            ]
        );
        assert_eq!(parsed.excluded, words(&["bygglov"]));
    }

    #[test]
    fn malformed_syntax_is_searched_leniently() {
        assert_eq!(
            parse(r#""unclosed phrase"#).required,
            vec![Clause::Phrase(vec!["unclosed".into(), "phrase".into()])]
        );
        assert_eq!(parse("((skola)) AND ) förskola (").required, words(&["skola", "förskola"]));
        assert_eq!(parse("OR OR skola OR").required, words(&["skola"]));
        assert_eq!(parse(" - -- \"\" () ").required, vec![]);
        assert_eq!(parse("gång- och cykelväg").required, words(&["gång-", "och", "cykelväg"]));
        assert_eq!(parse("e-tjänst").required, words(&["e-tjänst"]));
    }

    #[test]
    fn finds_case_numbers() {
        let parsed = parse("Dnr KS 2023/412");
        assert_eq!(parsed.case_numbers[0].key(), "ks2023-412");
        assert!(parsed.required.is_empty());
        let parsed = parse("batterifabrik ks 2023-412");
        assert_eq!(parsed.case_numbers[0].key(), "ks2023-412");
        assert_eq!(parsed.required, words(&["batterifabrik"]));
    }

    #[test]
    fn fields_narrow_and_unknown_ones_are_words() {
        let parsed = parse("batterifabrik kommun:Luleå typ:anslag datum:2024-01..2024-06");
        assert_eq!(parsed.required, words(&["batterifabrik"]));
        assert_eq!(
            parsed.filters,
            [
                FieldFilter::Kommun("2580".into()),
                FieldFilter::Kind(Kind::Anslag),
                FieldFilter::Dates(NaiveDate::from_ymd_opt(2024, 1, 1), NaiveDate::from_ymd_opt(2024, 6, 30)),
            ]
        );
        assert_eq!(parse("kommun:2580").filters, [FieldFilter::Kommun("2580".into())]);
        assert_eq!(parse("kommun:\"Region Skåne\" budget").filters, [FieldFilter::Kommun("12".into())]);
        assert_eq!(parse("lan:Norrbotten").filters, [FieldFilter::Lan("25".into())]);
        assert_eq!(parse("län:Norrbottens län").filters, parse("lan:25").filters);
        assert_eq!(parse("typ:ärende").filters, [FieldFilter::Kind(Kind::Arende)]);
        assert_eq!(parse("datum:2023..").filters, [FieldFilter::Dates(NaiveDate::from_ymd_opt(2023, 1, 1), None)]);
        assert_eq!(
            parse("datum:2024-02").filters,
            [FieldFilter::Dates(NaiveDate::from_ymd_opt(2024, 2, 1), NaiveDate::from_ymd_opt(2024, 2, 29))]
        );
        // A diarienummer field is that case, in any spelling.
        for query in ["dnr:\"KS 2023/412\"", "dnr:KS2023.412", "batterifabrik dnr:\"Dnr KS 2023-0412\""] {
            let parsed = parse(query);
            assert_eq!(parsed.case_numbers.iter().map(CaseNumber::key).collect::<Vec<_>>(), ["ks2023-412"], "{query}");
            assert!(parsed.required.iter().all(|clause| clause == &Clause::Word("batterifabrik".into())), "{query}");
        }
        assert_eq!(
            parse("foo:\"bar baz\"").required,
            [Clause::Word("foo".into()), Clause::Phrase(vec!["bar".into(), "baz".into()])]
        );
        // What names nothing is searched as words.
        for query in ["foo:bar", "kommun:Atlantis", "typ:beslut", "datum:igår", "lan:Atlantis"] {
            let parsed = parse(query);
            assert!(parsed.filters.is_empty() && !parsed.required.is_empty(), "{query}: {parsed:?}");
        }
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        fn words(clauses: &[Clause]) -> Vec<String> {
            let mut out = Vec::new();
            for clause in clauses {
                match clause {
                    Clause::Word(word) => out.push(word.clone()),
                    Clause::Phrase(words) => out.extend(words.iter().cloned()),
                    Clause::Any(any) => out.extend(self::words(any)),
                }
            }
            out
        }

        proptest! {
            #[test]
            fn anything_typed_parses_and_only_into_what_was_typed(query in "\\PC{0,60}") {
                let parsed = parse(&query);
                let typed = query.to_lowercase();
                for word in words(&parsed.required).iter().chain(&words(&parsed.excluded)) {
                    prop_assert!(!word.is_empty());
                    prop_assert!(typed.contains(&word.to_lowercase()), "{:?} not in {:?}", word, query);
                }
            }

            #[test]
            fn plain_words_are_required_in_order(list in prop::collection::vec("[a-zåäö]{2,12}", 1..6)) {
                prop_assume!(list.iter().all(|word| word != "or"));
                let parsed = parse(&list.join(" "));
                let expected: Vec<Clause> = list.iter().cloned().map(Clause::Word).collect();
                prop_assert_eq!(parsed.required, expected);
                prop_assert!(parsed.excluded.is_empty());
            }

            #[test]
            fn a_minus_excludes_and_quotes_make_a_phrase(
                kept in "[a-zåäö]{2,10}",
                dropped in "[a-zåäö]{2,10}",
                phrase in prop::collection::vec("[a-zåäö]{2,10}", 2..4),
            ) {
                prop_assume!(kept != "or" && dropped != "or" && phrase.iter().all(|w| w != "or"));
                let parsed = parse(&format!("{kept} -{dropped} \"{}\"", phrase.join(" ")));
                prop_assert_eq!(&parsed.required[0], &Clause::Word(kept));
                prop_assert_eq!(&parsed.required[1], &Clause::Phrase(phrase));
                prop_assert_eq!(parsed.excluded, vec![Clause::Word(dropped)]);
            }
        }
    }
}
