//! Text extraction with the real programs (poppler-utils, tesseract-ocr, tesseract-ocr-swe,
//! qpdf), on PDFs made by `namndsok_files::testing`.

use std::time::{Duration, Instant};

use namndsok_files::{extract, sniff, testing, ExtractError, ExtractSettings, Extracted, FileKind, TextOrigin};

/// Limits small enough that a test never hangs or uses much memory.
fn settings() -> ExtractSettings {
    ExtractSettings {
        timeout: Duration::from_secs(30),
        memory_bytes: 1 << 30,
        max_pages: 1000,
        ..ExtractSettings::default()
    }
}

fn failure(result: Result<Extracted, ExtractError>) -> String {
    match result {
        Err(ExtractError::Failed(reason)) => reason,
        other => panic!("expected a failure, got {other:?}"),
    }
}

/// Levenshtein distance, for OCR's minor errors.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// `word` is in `text` (case-insensitively), allowing one wrong letter.
fn has_word(text: &str, word: &str) -> bool {
    let word = word.to_lowercase();
    text.to_lowercase().split(|c: char| !c.is_alphanumeric()).any(|token| distance(token, &word) <= 1)
}

#[test]
fn sniffs_pdfs_by_their_magic() {
    assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
    assert_eq!(sniff(&testing::text_pdf(&["x"])), Some(FileKind::Pdf));
    let mut junk = vec![b'x'; 1024];
    junk.extend_from_slice(b"%PDF-1.4");
    assert_eq!(sniff(&junk), Some(FileKind::Pdf), "leading junk of 1024 bytes is allowed");
    junk.insert(0, b'x');
    assert_eq!(sniff(&junk), None, "but no more");
    assert_eq!(sniff(b""), None);
    assert_eq!(sniff(b"%PDF"), None);
    assert_eq!(sniff(&testing::not_a_pdf()), None);
    assert_eq!(
        ExtractError::unknown_kind(&testing::not_a_pdf()).to_string(),
        "not a file we read (starts with \"<!DOCTYPE html>\\n\")"
    );
}

#[test]
fn reads_the_text_layer_with_swedish_letters() {
    if testing::skip_without_tools() {
        return;
    }
    let pages = [
        "Sammanträdesprotokoll\nKommunstyrelsen 2018-03-05\n§ 26 Dnr KS 2018/14\nInformation om ärendet (se bilaga)",
        "KS § 27\nÅrsredovisning för Kramfors kommun 2017 – Öppna jämförelser\nÄÖÅ åäö é § \\ …",
    ];
    let extracted = extract(&testing::text_pdf(&pages), FileKind::Pdf, &settings()).unwrap();
    assert_eq!(extracted.origin, TextOrigin::Pdf);
    assert_eq!(extracted.pages, 2);
    assert!(!extracted.truncated);
    let read: Vec<&str> = extracted.text.split('\x0c').collect();
    assert_eq!(read.len(), 2, "{:?}", extracted.text);
    for (page, text) in pages.iter().zip(read) {
        for line in page.lines() {
            assert!(text.contains(line), "{line:?} not in {text:?}");
        }
    }
}

#[test]
fn long_text_is_cut_at_the_limit() {
    if testing::skip_without_tools() {
        return;
    }
    let page = "Detaljplan för Östra hamnen, åäö. ".repeat(3);
    let pages: Vec<&str> = (0..5).map(|_| page.as_str()).collect();
    let settings = ExtractSettings { max_text_bytes: 101, ..settings() };
    let extracted = extract(&testing::text_pdf(&pages), FileKind::Pdf, &settings).unwrap();
    assert!(extracted.truncated);
    assert!(extracted.text.len() <= 101);
    assert!(extracted.text.starts_with("Detaljplan för Östra hamnen"));
}

#[test]
fn output_past_the_cap_is_not_read() {
    if testing::skip_without_tools() {
        return;
    }
    // 40 pages of about 3 KB: pdftotext's output passes the read cap (the limit plus 64 KiB),
    // and pdftotext is stopped there.
    let line = "Kommunfullmäktige beslutar att anta detaljplanen för Östra hamnen enligt förslaget.";
    let page = vec![line; 36].join("\n");
    let pages: Vec<&str> = (0..40).map(|_| page.as_str()).collect();
    let settings = ExtractSettings { max_text_bytes: 1000, ..settings() };
    let extracted = extract(&testing::text_pdf(&pages), FileKind::Pdf, &settings).unwrap();
    assert!(extracted.truncated);
    assert_eq!(extracted.pages, 40);
    assert!(extracted.text.len() <= 1000 && extracted.text.len() > 900, "{}", extracted.text.len());
    assert!(extracted.text.starts_with(line));
}

#[test]
fn reads_a_scan_with_ocr() {
    if testing::skip_without_tools() {
        return;
    }
    let pages = ["Kommunstyrelsen beslutar\nDetaljplan för Norra hamnen", "Protokoll\nÅrsredovisning godkänns"];
    let pdf = testing::scanned_pdf(&pages);
    let started = Instant::now();
    let extracted = extract(&pdf, FileKind::Pdf, &settings()).unwrap();
    eprintln!("OCR of 2 pages: {:?}", started.elapsed());
    assert_eq!(extracted.origin, TextOrigin::Ocr);
    assert_eq!(extracted.pages, 2);
    assert!(!extracted.truncated);
    let read: Vec<&str> = extracted.text.split('\x0c').collect();
    assert_eq!(read.len(), 2, "{:?}", extracted.text);
    for word in ["Kommunstyrelsen", "beslutar", "Detaljplan", "Norra", "hamnen"] {
        assert!(has_word(read[0], word), "{word} not in {:?}", read[0]);
    }
    for word in ["Protokoll", "Årsredovisning", "godkänns"] {
        assert!(has_word(read[1], word), "{word} not in {:?}", read[1]);
    }
}

#[test]
fn a_scan_has_no_text_layer() {
    if testing::skip_without_tools() {
        return;
    }
    let pdf = testing::scanned_pdf(&["Kommunstyrelsen beslutar"]);
    let extracted = extract(&pdf, FileKind::Pdf, &ExtractSettings { ocr: false, ..settings() }).unwrap();
    assert_eq!(extracted.origin, TextOrigin::Pdf);
    assert!(extracted.text.trim().is_empty(), "{:?}", extracted.text);
}

#[test]
fn ocr_reads_at_most_ocr_max_pages() {
    if testing::skip_without_tools() {
        return;
    }
    let pdf = testing::scanned_pdf(&["Kommunstyrelsen", "Miljönämnden", "Kommunfullmäktige"]);
    let extracted = extract(&pdf, FileKind::Pdf, &ExtractSettings { ocr_max_pages: 1, ..settings() }).unwrap();
    assert_eq!(extracted.origin, TextOrigin::Ocr);
    assert_eq!(extracted.pages, 3);
    assert!(extracted.truncated);
    assert!(!extracted.text.contains('\x0c'));
    assert!(has_word(&extracted.text, "Kommunstyrelsen"), "{:?}", extracted.text);
}

#[test]
fn a_truncated_file_fails_clearly() {
    if testing::skip_without_tools() {
        return;
    }
    let reason = failure(extract(&testing::truncated_pdf(), FileKind::Pdf, &settings()));
    assert!(reason.starts_with("not a readable PDF (pdfinfo: "), "{reason}");
}

#[test]
fn an_encrypted_file_fails_clearly() {
    if testing::skip_without_tools() {
        return;
    }
    let reason = failure(extract(&testing::encrypted_pdf(), FileKind::Pdf, &settings()));
    assert!(reason.contains("Incorrect password"), "{reason}");
    assert!(reason.starts_with("encrypted"), "{reason}");
}

#[test]
fn not_a_pdf_fails_clearly() {
    if testing::skip_without_tools() {
        return;
    }
    let reason = failure(extract(&testing::not_a_pdf(), FileKind::Pdf, &settings()));
    assert_eq!(reason, "not a PDF (starts with \"<!DOCTYPE html>\\n\")");
}

#[test]
fn empty_bytes_fail_clearly() {
    if testing::skip_without_tools() {
        return;
    }
    let reason = failure(extract(b"", FileKind::Pdf, &settings()));
    assert_eq!(reason, "not a PDF (starts with \"\")");
}

#[test]
fn too_many_pages_are_refused() {
    if testing::skip_without_tools() {
        return;
    }
    let pdf = testing::many_pages_pdf(5000);
    let started = Instant::now();
    let reason = failure(extract(&pdf, FileKind::Pdf, &settings()));
    assert_eq!(reason, "has 5000 pages, more than the limit of 1000");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn many_pages_within_the_limit_are_read() {
    if testing::skip_without_tools() {
        return;
    }
    // Four characters a page: counted as a text layer with `min_chars_per_page` 1.
    let settings = ExtractSettings { min_chars_per_page: 1, ..settings() };
    let extracted = extract(&testing::many_pages_pdf(300), FileKind::Pdf, &settings).unwrap();
    assert_eq!(extracted.pages, 300);
    assert_eq!(extracted.origin, TextOrigin::Pdf);
    assert_eq!(extracted.text.split('\x0c').filter(|page| page.trim() == "Sida").count(), 300);
}

#[test]
fn a_decompression_bomb_meets_the_memory_limit() {
    if testing::skip_without_tools() {
        return;
    }
    // 2 GiB of text operators: pdftotext would keep gigabytes of characters.
    let pdf = testing::bomb_pdf();
    assert!(pdf.len() < 8 << 20, "the bomb itself is small: {} bytes", pdf.len());
    let settings = ExtractSettings { memory_bytes: 256 << 20, ..settings() };
    let started = Instant::now();
    let reason = failure(extract(&pdf, FileKind::Pdf, &settings));
    assert_eq!(reason, "pdftotext ran out of memory (limit 256 MiB)");
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
}

#[test]
fn a_decompression_bomb_meets_the_timeout() {
    if testing::skip_without_tools() {
        return;
    }
    let settings = ExtractSettings { timeout: Duration::from_millis(500), ..settings() };
    let started = Instant::now();
    let reason = failure(extract(&testing::bomb_pdf(), FileKind::Pdf, &settings));
    // Within half a second pdftotext has not yet reached 1 GiB (it takes about 2 s).
    assert!(
        reason == "pdftotext did not finish within 0.5 s" || reason == "pdftotext ran out of memory (limit 1024 MiB)",
        "{reason}"
    );
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
}

#[test]
fn a_memory_limit_too_small_to_start_fails_clearly() {
    if testing::skip_without_tools() {
        return;
    }
    let settings = ExtractSettings { memory_bytes: 4 << 20, ..settings() };
    let reason = failure(extract(&testing::text_pdf(&["Kommunstyrelsen"]), FileKind::Pdf, &settings));
    assert_eq!(reason, "pdfinfo ran out of memory (limit 4 MiB)");
}

#[test]
fn the_memory_limit_fails_clearly() {
    if testing::skip_without_tools() {
        return;
    }
    // 48 MiB is enough for pdftotext, but not for tesseract (nor, at times, for pdftoppm's
    // 300 dpi page).
    let pdf = testing::scanned_pdf(&["Kommunstyrelsen beslutar"]);
    let settings = ExtractSettings { memory_bytes: 48 << 20, ..settings() };
    let reason = failure(extract(&pdf, FileKind::Pdf, &settings));
    assert!(reason.starts_with("OCR of page 1: "), "{reason}");
    assert!(reason.contains("out of memory (limit 48 MiB)"), "{reason}");
}

#[test]
fn reads_docx_and_odt_with_their_paragraphs_and_pages() {
    if testing::skip_without_tools() {
        return;
    }
    let paragraphs = ["§ 32 Dnr KS 2026/412", "Detaljplan för Norra hamnen & kajen", "\u{c}§ 33", "Batterifabriken"];
    let docx = testing::docx(&paragraphs);
    assert_eq!(sniff(&docx), Some(FileKind::Docx));
    let read = extract(&docx, FileKind::Docx, &settings()).unwrap();
    assert_eq!(read.origin, TextOrigin::Docx);
    assert_eq!(read.pages, 2);
    assert!(read.text.contains("Detaljplan för Norra hamnen & kajen\n"), "{:?}", read.text);
    let split = namndsok_files::split_paragraphs(&read.text);
    assert_eq!(split.iter().map(|p| (p.number.as_str(), p.page)).collect::<Vec<_>>(), [("32", 1), ("33", 2)]);
    let odt = testing::odt(&paragraphs[..2]);
    assert_eq!(sniff(&odt), Some(FileKind::Odt));
    let read = extract(&odt, FileKind::Odt, &settings()).unwrap();
    assert_eq!(read.origin, TextOrigin::Odt);
    assert!(read.text.starts_with("§ 32 Dnr KS 2026/412\nDetaljplan"), "{:?}", read.text);
    // A zip that is neither, and a DOCX without its body, fail clearly.
    let empty = testing::zip(&[("word/document.xml.bak", b"x".as_slice())]);
    assert!(failure(extract(&empty, FileKind::Docx, &settings())).contains("no word/document.xml"));
}
