//! The query language people type, parsed leniently.
//!
//! - words: all must match (`batterifabrik mariestad`);
//! - `"exact phrase"` (an unclosed quote runs to the end of the query);
//! - `-word`, `-"phrase"`: exclusion;
//! - `a OR b` (upper case): either;
//! - a diarienummer typed as seen (`KS 2023/412`, `ks2023.412`): that case.
//!
//! Anything else — stray parentheses, `AND`, `+`, unbalanced quotes, punctuation — is tolerated:
//! parsing never fails, so a search box never answers with an error for what a person typed.

use namndsok_model::CaseNumber;

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
}

impl ParsedQuery {
    pub fn is_empty(&self) -> bool {
        self.required.is_empty() && self.case_numbers.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Lexeme {
    Word { text: String, negated: bool },
    Phrase { words: Vec<String>, negated: bool },
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
