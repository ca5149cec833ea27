//! A protokoll split into its paragraphs.

use namndsok_files::{sniff, split_paragraphs, Paragraph};
use proptest::prelude::*;

/// A Kramfors-like kommunstyrelse protokoll as pdftotext reads it: a table of contents (one
/// without `§` as in the original, one with), a page of attendance, then the paragraphs, with
/// page headers, page breaks and § references in running text.
const PROTOKOLL: &str = "Kramfors kommun
Sammanträdesprotokoll
Kommunstyrelsen
Sammanträdesdatum 2018-03-05

Ärendelista
26 Dnr KS 2018/14 Information... 3
27 Dnr KS 2018/124 Årsredovisning för Kramfors kommun 2017... 4

Innehåll
§ 26 Information ... 3
§ 27 Årsredovisning för Kramfors kommun 2017 ... 4
§ 28 Detaljplan för Norra hamnen ... 5
§ 28a Tilläggsbeslut ... 5
Justerandes sign
\x0cPlats och tid Kommunhuset, Kramfors, kl. 13.00–16.30
Beslutande Anna Andersson (S), ordförande
Erik Eriksson (C)
Övriga deltagande Kommunchef
Justerare Erik Eriksson
Underskrifter Sekreterare
\x0cSammanträdesprotokoll
2018-03-05
§ 26 Dnr KS 2018/14
Information
Kommunchefen informerar om arbetet med budgeten. Enligt 6 kap. 6 § kommunallagen ska
styrelsen ha uppsikt över nämnderna, se även § 12 i förra protokollet.
Kommunstyrelsens beslut
Informationen noteras till protokollet.
Justerandes sign
\x0cSammanträdesprotokoll
2018-03-05
KS § 27
Dnr KS 2018/124
Årsredovisning för Kramfors kommun 2017
Beslut
Kommunstyrelsen föreslår kommunfullmäktige att godkänna årsredovisningen för 2017.
Ärendebeskrivning
Årsredovisningen har upprättats enligt lagen om kommunal redovisning; ett beslut enligt
§ 5 i förra protokollet gäller fortfarande. Se även ärende KS 2017/88.
Justerandes sign
\x0cSammanträdesprotokoll
KS § 27
Resultatet för 2017 uppgår till 12,3 miljoner kronor.
\x0cSammanträdesprotokoll
2018-03-05
§ 28 Detaljplan för Norra hamnen
Dnr KS 2017/301
Beslut
Planen antas.
§ 28a Tilläggsbeslut
Kommunstyrelsen uppdrar åt förvaltningen att återkomma.
";

fn summary(paragraphs: &[Paragraph]) -> Vec<(&str, &str, u32, Option<&str>)> {
    paragraphs.iter().map(|p| (p.number.as_str(), p.heading.as_str(), p.page, p.diarienummer.as_deref())).collect()
}

#[test]
fn splits_a_protokoll_into_its_paragraphs() {
    let paragraphs = split_paragraphs(PROTOKOLL);
    assert_eq!(
        summary(&paragraphs),
        [
            ("26", "Information", 3, Some("KS 2018/14")),
            ("27", "Årsredovisning för Kramfors kommun 2017", 4, Some("KS 2018/124")),
            ("28", "Detaljplan för Norra hamnen", 6, Some("KS 2017/301")),
            ("28a", "Tilläggsbeslut", 6, None),
        ]
    );
    let texts: Vec<&str> = paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert!(texts[0].starts_with("§ 26 Dnr KS 2018/14\nInformation\n"));
    assert!(texts[0].contains("Informationen noteras till protokollet.\nJusterandes sign\n"));
    // The next page's header, up to the next heading, is still this paragraph's text.
    assert!(texts[0].ends_with("\x0cSammanträdesprotokoll\n2018-03-05"), "{:?}", texts[0]);
    assert!(texts[1].starts_with("KS § 27\nDnr KS 2018/124\n"));
    // The paragraph goes on past the page header that repeats its number.
    assert!(texts[1].contains("§ 5 i förra protokollet"));
    assert!(texts[1]
        .contains("\x0cSammanträdesprotokoll\nKS § 27\nResultatet för 2017 uppgår till 12,3 miljoner kronor.\n"));
    assert_eq!(texts[3], "§ 28a Tilläggsbeslut\nKommunstyrelsen uppdrar åt förvaltningen att återkomma.");
}

#[test]
fn headings_and_case_numbers_on_the_heading_line() {
    let text = "BMN § 114  Dnr BMN 2025-000311\nBygglov för nybyggnad av enbostadshus\nBeslut\nBygglov beviljas.\n\
                § 115 Detaljplan för Norra hamnen Dnr KS 2023/412\nPlanen antas.\n\
                §116 Dnr BoM 2026-000840\n\nJusterandes sign\n2026-01-15\nStrandskyddsdispens\nBeviljas.\n\
                § 117\nDnr KS 2023/1\n";
    assert_eq!(
        summary(&split_paragraphs(text)),
        [
            ("114", "Bygglov för nybyggnad av enbostadshus", 1, Some("BMN 2025-000311")),
            ("115", "Detaljplan för Norra hamnen", 1, Some("KS 2023/412")),
            ("116", "Strandskyddsdispens", 1, Some("BoM 2026-000840")),
            ("117", "", 1, Some("KS 2023/1")),
        ]
    );
}

#[test]
fn text_without_paragraphs_has_none() {
    assert!(split_paragraphs("").is_empty());
    assert!(split_paragraphs("Kallelse\nKommunstyrelsen sammanträder den 5 mars.\nEnligt 5 kap. 3 § KL.").is_empty());
    assert!(split_paragraphs("\x0c\x0c\n§\n§ \n§ x\n").is_empty());
}

#[test]
fn a_paragraph_starts_on_its_page() {
    let paragraphs = split_paragraphs("\x0c\x0c  § 3 Val av justerare\nAnna.\x0c§ 4 Fastställande av dagordning\n");
    assert_eq!(
        summary(&paragraphs),
        [("3", "Val av justerare", 3, None), ("4", "Fastställande av dagordning", 4, None)]
    );
    assert_eq!(paragraphs[0].text, "§ 3 Val av justerare\nAnna.");
}

/// Checks what holds for any text: paragraphs are slices of the text, in order, with unique
/// numbers and pages within the text's.
fn check(text: &str) {
    let paragraphs = split_paragraphs(text);
    let pages = 1 + text.matches('\x0c').count() as u32;
    let mut from = 0;
    let mut numbers = std::collections::HashSet::new();
    for paragraph in &paragraphs {
        let Some(at) = text[from..].find(&paragraph.text) else {
            panic!("{:?} is not in order in {text:?}", paragraph.text);
        };
        from += at + paragraph.text.len();
        assert!(paragraph.text.contains('§'));
        assert!(paragraph.page >= 1 && paragraph.page <= pages);
        assert!(numbers.insert(paragraph.number.clone()), "{} twice", paragraph.number);
        assert!(!paragraph.heading.contains('\n'));
        if let Some(case) = &paragraph.diarienummer {
            assert!(paragraph.text.contains(case.as_str()), "{case} not in {:?}", paragraph.text);
        }
    }
    let _ = sniff(text.as_bytes());
}

const PIECES: &[&str] = &[
    "§",
    "§ ",
    "§§",
    " ",
    "\n",
    "\x0c",
    "\t",
    "\u{a0}",
    "\r\n",
    "Dnr ",
    "KS ",
    "BoM",
    "2018/14",
    "2025-000311",
    "32",
    "32a",
    "114",
    ".",
    ":",
    "...",
    "…",
    " 3",
    "Detaljplan",
    "å",
    "Ö",
    "é",
    "\u{ad}",
    "\0",
    "kap.",
    "i ",
    "a",
    "-",
    "Sammanträdesprotokoll",
    "Justerandes sign",
    "2018-03-05",
    "5 mars 2018",
    "ÅÄÖ",
    "😀",
    "Dnr",
    "/",
    "\u{2028}",
];

#[test]
fn garbage_never_panics() {
    // A deterministic stream of texts made of the pieces that matter.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..20_000 {
        let length = next() % 40;
        let text: String = (0..length).map(|_| PIECES[(next() % PIECES.len() as u64) as usize]).collect();
        check(&text);
    }
}

proptest! {
    // Integration tests have no lib.rs beside them to persist failures next to.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_text_never_panics(text in "\\PC*") {
        check(&text);
    }

    #[test]
    fn texts_of_pieces_never_panic(pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..60)) {
        check(&pieces.concat());
    }

    #[test]
    fn any_bytes_sniff(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = sniff(&bytes);
    }
}

#[test]
fn many_headings_are_split_in_linear_time() {
    // About 60,000 headings, each number 6 times: the dedup must not compare every pair.
    let mut text = String::new();
    for copy in 0..6 {
        for number in 1..=9_999 {
            text.push_str(&format!("§ {number} Ärende {copy}\nText.\n"));
        }
        text.push('\x0c');
    }
    let paragraphs = split_paragraphs(&text);
    assert_eq!(paragraphs.len(), 9_999);
    assert!(paragraphs.iter().all(|p| p.page == 1), "the first of equally long occurrences stays");
}
