//! File text for the harvester: what a council actually decided is in the protokoll's PDF.
//!
//! [`extract`] reads a PDF's text layer with `pdftotext`, or, when the file is a scan without
//! one, renders its pages with `pdftoppm` and reads them with `tesseract` (Debian:
//! poppler-utils, tesseract-ocr, tesseract-ocr-swe). Files come from the open web, so every
//! program runs in its own process with its address space, CPU time, written file size, output
//! and wall-clock time bounded ([`ExtractSettings`]); a hostile or broken file gives an
//! [`ExtractError`], never a panic or a hang. [`split_paragraphs`] splits a protokoll's text
//! into its paragraphs (§). [`testing`] makes PDFs for tests and benches.

use std::time::Duration;

mod extract;
mod office;
mod paragraphs;
mod run;
pub mod testing;

/// Limits of one extraction. Every external program runs in its own process under these.
#[derive(Debug, Clone)]
pub struct ExtractSettings {
    /// Wall-clock limit per program run (pdfinfo, pdftotext, one pdftoppm page, one tesseract page).
    pub timeout: Duration,
    /// Address-space limit per program run, in bytes.
    pub memory_bytes: u64,
    /// Files with more pages are refused.
    pub max_pages: u32,
    /// Text beyond this many bytes is cut (and `truncated` set).
    pub max_text_bytes: usize,
    /// Run OCR on files without a text layer.
    pub ocr: bool,
    /// Pages read by OCR at most (the rest is left out, `truncated` set).
    pub ocr_max_pages: u32,
    /// Below this many non-space characters per page on average, the file has no text layer.
    pub min_chars_per_page: usize,
}

impl Default for ExtractSettings {
    fn default() -> ExtractSettings {
        ExtractSettings {
            timeout: Duration::from_secs(60),
            memory_bytes: 1 << 30,
            max_pages: 2_000,
            max_text_bytes: 8 << 20,
            ocr: true,
            ocr_max_pages: 50,
            min_chars_per_page: 20,
        }
    }
}

/// The kind of a file, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    /// Office Open XML word processing (Word).
    Docx,
    /// OpenDocument text (LibreOffice).
    Odt,
}

/// Where a text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOrigin {
    /// The PDF's text layer.
    Pdf,
    /// Optical character recognition of the rendered pages.
    Ocr,
    /// A DOCX file's text.
    Docx,
    /// An ODT file's text.
    Odt,
}

/// A file's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    /// The text, pages separated by form feeds (`\x0c`).
    pub text: String,
    pub pages: u32,
    pub origin: TextOrigin,
    /// Pages or text were left out because of a limit.
    pub truncated: bool,
}

/// Why a file yielded no text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("not a file we read (starts with {0:?})")]
    UnknownKind(String),
    #[error("{0}")]
    Failed(String),
}

impl ExtractError {
    /// The error for a file [`sniff`] does not know, showing its first bytes.
    pub fn unknown_kind(bytes: &[u8]) -> ExtractError {
        let start = &bytes[..bytes.len().min(UNKNOWN_KIND_SHOWN_BYTES)];
        ExtractError::UnknownKind(String::from_utf8_lossy(start).into_owned())
    }
}

/// How many first bytes [`ExtractError::unknown_kind`] shows.
const UNKNOWN_KIND_SHOWN_BYTES: usize = 16;

/// PDF readers find the `%PDF-` header within the first 1024 bytes.
const PDF_HEADER_WITHIN: usize = 1024;

/// The file's kind from its magic bytes: `%PDF-` within the first 1024 bytes (PDF readers
/// accept leading junk) is a PDF; a zip archive with `word/document.xml` a DOCX, one whose
/// `mimetype` is OpenDocument text an ODT.
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    let head = &bytes[..bytes.len().min(PDF_HEADER_WITHIN + 5)];
    head.windows(5)
        .position(|window| window == b"%PDF-")
        .filter(|&at| at <= PDF_HEADER_WITHIN)
        .map(|_| FileKind::Pdf)
        .or_else(|| office::sniff_office(bytes))
}

/// Extracts the text of a file (blocking: runs subprocesses).
///
/// The bytes are written to a temporary file; `pdfinfo` counts the pages (an encrypted or
/// broken file fails here, and so does one with more than `max_pages`), `pdftotext` reads the
/// text layer in its default reading order (pages separated by form feeds), and when that has
/// fewer than `min_chars_per_page` visible characters per page and `ocr` is on, the first
/// `ocr_max_pages` pages are rendered at 300 dpi with `pdftoppm` and read with `tesseract -l
/// swe`. Each program run is bounded by `timeout`, `memory_bytes` and a 512 MiB limit on written
/// files; text beyond `max_text_bytes` is cut. Control characters other than newline, tab and
/// form feed are removed, and soft hyphens with them (a soft hyphen before a line break joins the
/// lines' word parts); hard hyphens are left as they are. DOCX and ODT are read with `unzip -p`
/// under the same limits (see the `office` module).
pub fn extract(bytes: &[u8], kind: FileKind, settings: &ExtractSettings) -> Result<Extracted, ExtractError> {
    match kind {
        FileKind::Pdf => extract::extract_pdf(bytes, settings),
        FileKind::Docx | FileKind::Odt => office::extract_office(bytes, kind, settings),
    }
}

/// One paragraph (§) of a protokoll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// The § number as written ("32", "32a").
    pub number: String,
    /// The heading: "Detaljplan för Norra hamnen".
    pub heading: String,
    /// The paragraph's whole text, heading included.
    pub text: String,
    /// The 1-based page it starts on.
    pub page: u32,
    /// The first diarienummer in the paragraph, as written.
    pub diarienummer: Option<String>,
}

/// Splits a protokoll's text (pages separated by form feeds) into its paragraphs; empty when
/// the text has no paragraph structure.
///
/// A heading is a line starting with `§` and a number (`§ 32`, `§32`, `§ 32a`), possibly after
/// the body's code (`KS § 32`), followed by nothing, a diarienummer or the heading; references
/// in running text (`8 kap. 9 § kommunallagen`, `§ 5 i förra protokollet`) are not headings. A
/// paragraph runs to the next heading. The heading is the rest of the line without its
/// diarienummer, or else the next line that is not a diarienummer, a page header or a date. A
/// number that occurs more than once (a table of contents lists the paragraphs first) keeps the
/// occurrence that does not look like a contents entry and has the longest text; a heading
/// repeated right after itself (a page header) continues its paragraph. Paragraphs are returned
/// in document order.
pub fn split_paragraphs(text: &str) -> Vec<Paragraph> {
    paragraphs::split(text)
}
