//! Property tests: diarienummer keys and the document reader on generated input.

use namndsok_model::{read_ndjson, CaseNumber, Registry};
use proptest::prelude::*;

/// Series codes as kommuner write them.
const SERIES: &[&str] = &["KS", "BN", "MBN", "SBN", "KF", "TN", "BOM", "UN", "SN", "KFN", "MN", "BUN", "ks", "Bn"];

fn spelling() -> impl Strategy<Value = (String, String)> {
    (
        prop::sample::select(SERIES),
        1990u16..2031,
        1u32..10_000, // with padding at most six digits, as diaria write them
        prop::sample::select(vec!["", "Dnr ", "dnr. ", "Dnr: ", "Diarienummer ", "DNR "]),
        prop::sample::select(vec!["/", ".", "-", ":", " / "]),
        prop::sample::select(vec!["", " ", "-"]),
        0usize..3,
    )
        .prop_map(|(series, year, number, prefix, separator, gap, padding)| {
            let number_text = format!("{}{number}", "0".repeat(padding));
            let text = format!("{prefix}{series}{gap}{year}{separator}{number_text}");
            (text, format!("{}{year}-{number}", series.to_lowercase()))
        })
}

proptest! {
    #[test]
    fn every_spelling_of_a_number_has_its_one_key((text, key) in spelling()) {
        let case = CaseNumber::parse(&text);
        prop_assert_eq!(case.as_ref().map(CaseNumber::key), Some(key.clone()), "{}", text);
        let case = case.unwrap();
        // What we print parses back to the same number.
        prop_assert_eq!(CaseNumber::parse(&case.to_string()), Some(case.clone()));
        // And a mention in prose is found (prose takes upper-case series only, so that words
        // such as `ks` in running text are not read as one).
        let prose = format!("Ärendet ({text}) behandlades.");
        if case.series.as_deref().is_some_and(|series| text.contains(&series.to_uppercase())) {
            prop_assert!(CaseNumber::find_all(&prose).iter().any(|found| found.key() == key), "{}", prose);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,80}") {
        let _ = CaseNumber::parse(&text);
        let _ = CaseNumber::find_all(&text);
        let _ = CaseNumber::find_in_query(&text);
        let _ = CaseNumber::spelling_key(&text);
    }

    #[test]
    fn arbitrary_bytes_are_lines_judged_alone(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let mut last = 0;
        for line in read_ndjson(&bytes[..], Registry::global()) {
            let line = line.unwrap();
            prop_assert!(line.number > last);
            last = line.number;
        }
    }
}
