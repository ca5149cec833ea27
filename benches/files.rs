//! File text: how long extraction takes on PDFs like the protokoll the harvester reads.
//!
//! Makes a 20-page text PDF of protokoll prose (about 5 KB of text a page) and a 3-page scan
//! without a text layer (`namndsok_files::testing`), then measures `extract` on both (the
//! median of several runs: pdfinfo + pdftotext for the text PDF; pdfinfo, pdftotext, then
//! pdftoppm at 300 dpi and tesseract -l swe per page for the scan) and `split_paragraphs` on
//! the text. Needs poppler-utils, tesseract-ocr and tesseract-ocr-swe.
//!
//! `cargo bench --bench files` (release profile); runs in about half a minute. Figures go in
//! the session notes.

use std::time::{Duration, Instant};

use namndsok_files::{extract, split_paragraphs, testing, ExtractSettings, FileKind, TextOrigin};

const TEXT_PAGES: usize = 20;
const SCAN_PAGES: usize = 3;
const TEXT_RUNS: usize = 7;
const SCAN_RUNS: usize = 2;
const SPLIT_RUNS: usize = 9;

const HEADINGS: &[&str] = &[
    "Detaljplan för Norra hamnen",
    "Årsredovisning för kommunen 2025",
    "Bygglov för nybyggnad av förskola i Östby",
    "Strandskyddsdispens för brygga vid Lillsjön",
    "Revidering av riktlinjer för färdtjänst",
    "Svar på medborgarförslag om belysning längs gång- och cykelvägen",
    "Investeringsbudget 2026–2028",
    "Information från kommundirektören",
];

const SENTENCES: &[&str] = &[
    "Kommunstyrelsen föreslår kommunfullmäktige att godkänna förslaget.",
    "Samhällsbyggnadsförvaltningen har tagit fram ett förslag till detaljplan som möjliggör bostäder och verksamheter inom området.",
    "Planförslaget har varit utställt för granskning under tiden 3 mars–24 mars och inkomna synpunkter redovisas i ett granskningsutlåtande.",
    "Ärendet har beretts i kommunstyrelsens arbetsutskott den 12 februari, som föreslår att ärendet överlämnas utan eget ställningstagande.",
    "Enligt 6 kap. 6 § kommunallagen ska styrelsen ha uppsikt över den verksamhet som bedrivs av nämnderna.",
    "Ekonomiavdelningen bedömer att kostnaderna ryms inom befintlig budgetram för innevarande år.",
    "Barn- och utbildningsnämnden har yttrat sig över förslaget och tillstyrker det med vissa ändringar.",
    "Yrkanden: Anna Andersson (S) yrkar bifall till arbetsutskottets förslag. Erik Eriksson (M) yrkar avslag.",
    "Propositionsordning: Ordföranden ställer proposition på yrkandena och finner att kommunstyrelsen bifaller arbetsutskottets förslag.",
    "Reservation: Ledamöterna för Moderaterna reserverar sig mot beslutet till förmån för eget yrkande.",
    "Beslutsunderlag: tjänsteskrivelse daterad 2025-11-14, planbeskrivning, plankarta och samrådsredogörelse.",
    "Beslutet skickas till samhällsbyggnadsnämnden, ekonomichefen och Länsstyrelsen i Västernorrlands län.",
    "Miljöförvaltningen påpekar att dagvattenfrågan behöver utredas vidare innan exploateringen påbörjas.",
    "Kostnaden för åtgärden beräknas till 4,2 miljoner kronor och finansieras genom omdisponering inom investeringsramen.",
];

/// A deterministic text of `pages` pages of protokoll prose, ~5 KB a page, lines of at most 95
/// characters (the PDF's lines are not wrapped), a paragraph heading every half page.
fn protokoll(pages: usize) -> Vec<String> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut paragraph = 10;
    (0..pages)
        .map(|page| {
            let mut lines = vec!["Sammanträdesprotokoll".to_owned(), "Kommunstyrelsen 2025-12-01".to_owned()];
            let mut line = String::new();
            let mut headings = 0;
            while lines.len() < 58 {
                if headings == 0 && lines.len() >= 3 || headings == 1 && lines.len() >= 30 {
                    if !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                    }
                    headings += 1;
                    paragraph += 1;
                    lines.push(format!("§ {paragraph} Dnr KS 2025/{}", 100 + paragraph));
                    lines.push(HEADINGS[next(HEADINGS.len())].to_owned());
                    continue;
                }
                for word in SENTENCES[next(SENTENCES.len())].split(' ') {
                    if line.chars().count() + 1 + word.chars().count() > 95 {
                        lines.push(std::mem::take(&mut line));
                    }
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                }
            }
            lines.push(format!("Justerandes sign                                   {}", page + 1));
            lines.join("\n")
        })
        .collect()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument is ignored as well.
    let settings = ExtractSettings::default();

    let pages = protokoll(TEXT_PAGES);
    let page_refs: Vec<&str> = pages.iter().map(String::as_str).collect();
    let text_pdf = testing::text_pdf(&page_refs);
    let text_bytes: usize = pages.iter().map(String::len).sum();
    let mut text = String::new();
    let mut runs = Vec::new();
    for _ in 0..TEXT_RUNS {
        let started = Instant::now();
        let extracted = extract(&text_pdf, FileKind::Pdf, &settings).expect("the text PDF is read");
        runs.push(started.elapsed());
        assert_eq!(extracted.origin, TextOrigin::Pdf);
        assert_eq!(extracted.pages as usize, TEXT_PAGES);
        text = extracted.text;
    }
    let text_time = median(runs);

    // The fixed cost: two processes (pdfinfo, pdftotext) for one short page.
    let one_page = testing::text_pdf(&page_refs[..1]);
    let mut runs = Vec::new();
    for _ in 0..TEXT_RUNS {
        let started = Instant::now();
        extract(&one_page, FileKind::Pdf, &settings).expect("the text PDF is read");
        runs.push(started.elapsed());
    }
    let one_page_time = median(runs);
    let pdf_mb = text_pdf.len() as f64 / 1e6;
    let text_mb = text.len() as f64 / 1e6;

    let scan_pages: Vec<&str> = pages
        .iter()
        .take(SCAN_PAGES)
        .map(|page| {
            // A scan of the top of each page: 16 pt text in the scan, so about 30 lines fit.
            let end = page.match_indices('\n').nth(30).map_or(page.len(), |(at, _)| at);
            &page[..end]
        })
        .collect();
    let scan_pdf = testing::scanned_pdf(&scan_pages);
    let mut runs = Vec::new();
    let mut ocr_chars = 0;
    for _ in 0..SCAN_RUNS {
        let started = Instant::now();
        let extracted = extract(&scan_pdf, FileKind::Pdf, &settings).expect("the scan is read");
        runs.push(started.elapsed());
        assert_eq!(extracted.origin, TextOrigin::Ocr);
        ocr_chars = extracted.text.chars().count();
    }
    let scan_time = median(runs);

    // split_paragraphs on the text repeated to about 2 MB (numbers repeat: the dedup works too).
    let repeated = text.repeat((2_000_000 / text.len().max(1)).max(1));
    let mut runs = Vec::new();
    let mut paragraphs = 0;
    for _ in 0..SPLIT_RUNS {
        let started = Instant::now();
        paragraphs = split_paragraphs(&repeated).len();
        runs.push(started.elapsed());
    }
    let split_time = median(runs);
    let single = split_paragraphs(&text).len();

    println!("files bench (median of runs; one process per program run, limits as in ExtractSettings::default)");
    println!("| what | input | time | rate |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| pdftotext (pdfinfo + pdftotext) | {TEXT_PAGES} pages, {pdf_mb:.2} MB PDF, {text_mb:.2} MB text ({} B/page) | {:.1} ms | {:.2} ms/page, {:.1} ms/MB of PDF, {:.1} ms/MB of text |",
        text_bytes / TEXT_PAGES,
        text_time.as_secs_f64() * 1e3,
        text_time.as_secs_f64() * 1e3 / TEXT_PAGES as f64,
        text_time.as_secs_f64() * 1e3 / pdf_mb,
        text_time.as_secs_f64() * 1e3 / text_mb,
    );
    println!(
        "| pdftotext, 1 page (the fixed cost of two processes) | {} B PDF | {:.1} ms | |",
        one_page.len(),
        one_page_time.as_secs_f64() * 1e3,
    );
    println!(
        "| OCR (pdftoppm 300 dpi + tesseract swe) | {SCAN_PAGES} scanned pages, {:.2} MB PDF, {ocr_chars} characters read | {:.2} s | {:.2} s/page |",
        scan_pdf.len() as f64 / 1e6,
        scan_time.as_secs_f64(),
        scan_time.as_secs_f64() / SCAN_PAGES as f64,
    );
    println!(
        "| split_paragraphs | {:.2} MB text, {paragraphs} paragraphs kept ({single} in one copy) | {:.1} ms | {:.1} MB/s |",
        repeated.len() as f64 / 1e6,
        split_time.as_secs_f64() * 1e3,
        repeated.len() as f64 / 1e6 / split_time.as_secs_f64(),
    );
}
