//! PDFs for tests and benches: hand-written text PDFs, scanned PDFs without a text layer, and
//! hostile files (truncated, encrypted, a decompression bomb, thousands of pages, not a PDF).
//!
//! Small and always compiled, so that the harvester's tests and the benches can use them.
//! [`scanned_pdf`] needs `pdftoppm` (Debian: poppler-utils) and [`encrypted_pdf`] needs `qpdf`;
//! both panic with a clear message when the program is missing.

use std::io::Write;
use std::process::Command;

use flate2::write::ZlibEncoder;
use flate2::{Compress, Compression, FlushCompress};

/// The programs the file tests run: poppler-utils, tesseract with Swedish, qpdf.
const TOOLS: &[&str] = &["pdfinfo", "pdftotext", "pdftoppm", "tesseract", "qpdf", "unzip"];

/// Whether a test that runs the file tools should be skipped: `true` (after saying so loudly)
/// when one of them is missing, unless `NAMNDSOK_REQUIRE_FILE_TOOLS` is set (as `.ci/run` does),
/// which makes a missing tool a failure.
pub fn skip_without_tools() -> bool {
    let mut missing: Vec<&str> =
        TOOLS.iter().copied().filter(|tool| crate::run::find_program(tool).is_none()).collect();
    if missing.is_empty() {
        let languages = Command::new("tesseract").arg("--list-langs").output();
        let swedish = languages.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == "swe"));
        if !swedish {
            missing.push("tesseract-ocr-swe");
        }
    }
    if missing.is_empty() {
        return false;
    }
    assert!(
        std::env::var_os("NAMNDSOK_REQUIRE_FILE_TOOLS").is_none(),
        "NAMNDSOK_REQUIRE_FILE_TOOLS is set but {missing:?} are missing"
    );
    eprintln!(
        "SKIPPED: this test needs {missing:?} (apt-get install poppler-utils tesseract-ocr tesseract-ocr-swe qpdf unzip)"
    );
    true
}

/// A DOCX of these paragraphs (a `\x0c` in one starts a new page), as Word stores it: the
/// body in `word/document.xml` of a zip archive (members stored, not compressed).
pub fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let mut body = String::new();
    for paragraph in paragraphs {
        body.push_str("<w:p>");
        for (i, page) in paragraph.split('\x0c').enumerate() {
            if i > 0 {
                body.push_str("<w:r><w:br w:type=\"page\"/></w:r>");
            }
            body.push_str(&format!("<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>", xml_escape(page)));
        }
        body.push_str("</w:p>");
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    zip(&[("[Content_Types].xml", types.as_bytes()), ("word/document.xml", document.as_bytes())])
}

/// An ODT of these paragraphs, as LibreOffice stores it: `mimetype` first, the body in
/// `content.xml`.
pub fn odt(paragraphs: &[&str]) -> Vec<u8> {
    let body: String = paragraphs.iter().map(|p| format!("<text:p>{}</text:p>", xml_escape(p))).collect();
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text>{body}</office:text></office:body></office:document-content>"
    );
    zip(&[("mimetype", b"application/vnd.oasis.opendocument.text".as_slice()), ("content.xml", content.as_bytes())])
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A zip archive of these members, stored (method 0) with their CRC-32.
pub fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in members {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let (crc, size, offset) = (crc.sum(), data.len() as u32, out.len() as u32);
        let common = |buffer: &mut Vec<u8>| {
            buffer.extend_from_slice(&20u16.to_le_bytes()); // version needed
            buffer.extend_from_slice(&0u16.to_le_bytes()); // flags
            buffer.extend_from_slice(&0u16.to_le_bytes()); // stored
            buffer.extend_from_slice(&0u32.to_le_bytes()); // time and date
            buffer.extend_from_slice(&crc.to_le_bytes());
            buffer.extend_from_slice(&size.to_le_bytes());
            buffer.extend_from_slice(&size.to_le_bytes());
            buffer.extend_from_slice(&(name.len() as u16).to_le_bytes());
            buffer.extend_from_slice(&0u16.to_le_bytes()); // extra
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let (central_offset, central_size) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // disk numbers
    out.extend_from_slice(&(members.len() as u16).to_le_bytes());
    out.extend_from_slice(&(members.len() as u16).to_le_bytes());
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment
    out
}

/// A4 in points.
const PAGE_WIDTH: f64 = 595.0;
const PAGE_HEIGHT: f64 = 842.0;
const MARGIN: f64 = 50.0;

/// Writes a PDF object by object and records each object's byte offset for the xref table.
struct PdfWriter {
    buffer: Vec<u8>,
    /// Byte offset of object `n` at index `n - 1` (0 until written).
    offsets: Vec<usize>,
}

impl PdfWriter {
    fn new() -> PdfWriter {
        // The binary comment tells file-type sniffers the file is binary.
        PdfWriter { buffer: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec(), offsets: Vec::new() }
    }

    /// Reserves the next object number.
    fn reserve(&mut self) -> usize {
        self.offsets.push(0);
        self.offsets.len()
    }

    fn object(&mut self, number: usize, body: &[u8]) {
        self.offsets[number - 1] = self.buffer.len();
        self.buffer.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
        self.buffer.extend_from_slice(body);
        self.buffer.extend_from_slice(b"\nendobj\n");
    }

    /// A stream object; `dictionary` is the dictionary's entries except `/Length`.
    fn stream(&mut self, number: usize, dictionary: &str, data: &[u8]) {
        let mut body = format!("<< {dictionary} /Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.object(number, &body);
    }

    /// The xref table and trailer.
    fn finish(mut self, root: usize) -> Vec<u8> {
        let xref_at = self.buffer.len();
        let size = self.offsets.len() + 1;
        self.buffer.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
        for offset in &self.offsets {
            // Each entry is exactly 20 bytes.
            self.buffer.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        self.buffer.extend_from_slice(
            format!("trailer\n<< /Size {size} /Root {root} 0 R >>\nstartxref\n{xref_at}\n%%EOF\n").as_bytes(),
        );
        self.buffer
    }
}

/// Compresses `data` as a zlib stream (`/FlateDecode`).
fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).expect("writing to a Vec");
    encoder.finish().expect("writing to a Vec")
}

/// Windows-1252 for the characters of Swedish text; anything else becomes `?`.
fn win_ansi(c: char) -> u8 {
    match c {
        '\t' => b' ',
        ' '..='~' => c as u8,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8a,
        '‹' => 0x8b,
        'Œ' => 0x8c,
        'Ž' => 0x8e,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201c}' => 0x93,
        '\u{201d}' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9a,
        '›' => 0x9b,
        'œ' => 0x9c,
        'ž' => 0x9e,
        'Ÿ' => 0x9f,
        _ => b'?',
    }
}

/// A PDF literal string of `line` in Windows-1252, with `(`, `)` and `\` escaped.
fn literal(line: &str) -> Vec<u8> {
    let mut out = vec![b'('];
    for c in line.chars() {
        let byte = win_ansi(c);
        if matches!(byte, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(byte);
    }
    out.push(b')');
    out
}

/// The content stream that shows `text`'s lines from the top of the page, in Helvetica of
/// `font_size` points (smaller when the lines would not fit the page).
fn text_content(text: &str, font_size: f64) -> Vec<u8> {
    let lines: Vec<&str> = text.split('\n').collect();
    let room = PAGE_HEIGHT - 2.0 * MARGIN;
    let size = font_size.min(room / (lines.len() as f64 * 1.2)).max(1.0);
    let leading = size * 1.2;
    let mut content =
        format!("BT\n/F1 {size:.2} Tf\n{leading:.2} TL\n{MARGIN} {:.2} Td\n", PAGE_HEIGHT - MARGIN - size).into_bytes();
    for line in lines {
        content.extend_from_slice(&literal(line.trim_end_matches('\r')));
        content.extend_from_slice(b" Tj T*\n");
    }
    content.extend_from_slice(b"ET\n");
    content
}

/// Assembles a PDF of pages, each given as its content stream (uncompressed, flated here) and
/// its resources. The page tree and catalog are written last, as many PDF writers do (so a
/// file cut short has lost them).
fn assemble(pages: &[(Vec<u8>, String)], media_box: &str) -> Vec<u8> {
    let mut pdf = PdfWriter::new();
    let pages_number = pdf.reserve();
    let catalog = pdf.reserve();
    let mut kids = Vec::new();
    for (content, resources) in pages {
        let content_number = pdf.reserve();
        pdf.stream(content_number, "/Filter /FlateDecode", &deflate(content));
        let page = pdf.reserve();
        pdf.object(
            page,
            format!(
                "<< /Type /Page /Parent {pages_number} 0 R /MediaBox {media_box} /Resources {resources} /Contents {content_number} 0 R >>"
            )
            .as_bytes(),
        );
        kids.push(format!("{page} 0 R"));
    }
    pdf.object(pages_number, format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), kids.len()).as_bytes());
    pdf.object(catalog, format!("<< /Type /Catalog /Pages {pages_number} 0 R >>").as_bytes());
    pdf.finish(catalog)
}

fn font_resources() -> String {
    "<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> >> >>".to_owned()
}

fn text_pdf_sized(pages: &[&str], font_size: f64) -> Vec<u8> {
    let pages: Vec<(Vec<u8>, String)> =
        pages.iter().map(|text| (text_content(text, font_size), font_resources())).collect();
    assemble(&pages, &format!("[0 0 {PAGE_WIDTH} {PAGE_HEIGHT}]"))
}

/// A valid minimal A4 PDF with one page per string, its lines (split on `\n`) in 10 pt
/// Helvetica (smaller when a page has too many lines to fit), encoded in Windows-1252, so
/// Swedish letters, `§`, `–` and `…` are read back by any PDF reader. Characters outside
/// Windows-1252 become `?`. Lines are not wrapped.
pub fn text_pdf(pages: &[&str]) -> Vec<u8> {
    text_pdf_sized(pages, 10.0)
}

/// A raster page: width, height and 8-bit gray pixels.
struct Gray {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

/// Parses a binary PGM (`P5`, 8-bit) as pdftoppm writes it.
fn parse_pgm(data: &[u8]) -> Option<Gray> {
    let mut at = 0;
    let mut fields = Vec::new();
    while fields.len() < 4 {
        while at < data.len() && (data[at].is_ascii_whitespace() || data[at] == b'#') {
            if data[at] == b'#' {
                while at < data.len() && data[at] != b'\n' {
                    at += 1;
                }
            } else {
                at += 1;
            }
        }
        let start = at;
        while at < data.len() && !data[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(std::str::from_utf8(&data[start..at]).ok()?.to_owned());
    }
    if fields[0] != "P5" || fields[3] != "255" {
        return None;
    }
    let width: usize = fields[1].parse().ok()?;
    let height: usize = fields[2].parse().ok()?;
    let pixels = data.get(at + 1..at + 1 + width * height)?.to_vec();
    Some(Gray { width, height, pixels })
}

/// A PDF that looks like a scan: each page is only an image of the text (16 pt Helvetica
/// rendered at 150 dpi, 8-bit gray), with no text layer; `pdftotext` finds nothing in it and OCR
/// reads it back. Needs `pdftoppm`; panics when it is missing or fails.
pub fn scanned_pdf(pages: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let source = dir.path().join("text.pdf");
    std::fs::write(&source, text_pdf_sized(pages, 16.0)).expect("writing the text PDF");
    let prefix = dir.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-r", "150", "-gray"])
        .arg(&source)
        .arg(&prefix)
        .status()
        .unwrap_or_else(|error| panic!("scanned_pdf needs pdftoppm (Debian: poppler-utils): {error}"));
    assert!(status.success(), "pdftoppm failed: {status}");
    let mut rasters: Vec<std::path::PathBuf> = std::fs::read_dir(dir.path())
        .expect("reading the temporary directory")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "pgm"))
        .collect();
    // page-1.pgm … or page-01.pgm …: zero padded to a common width, so names sort as numbers.
    rasters.sort();
    assert_eq!(rasters.len(), pages.len(), "pdftoppm wrote one raster per page");

    let mut pdf = PdfWriter::new();
    let pages_number = pdf.reserve();
    let catalog = pdf.reserve();
    let mut kids = Vec::new();
    for raster in rasters {
        let data = std::fs::read(&raster).expect("reading a raster");
        let gray = parse_pgm(&data).expect("pdftoppm writes binary 8-bit PGM");
        let image = pdf.reserve();
        pdf.stream(
            image,
            &format!(
                "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
                gray.width, gray.height
            ),
            &deflate(&gray.pixels),
        );
        let content = pdf.reserve();
        let draw = format!("q {PAGE_WIDTH} 0 0 {PAGE_HEIGHT} 0 0 cm /Im1 Do Q\n");
        pdf.stream(content, "/Filter /FlateDecode", &deflate(draw.as_bytes()));
        let page = pdf.reserve();
        pdf.object(
            page,
            format!(
                "<< /Type /Page /Parent {pages_number} 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] /Resources << /XObject << /Im1 {image} 0 R >> >> /Contents {content} 0 R >>"
            )
            .as_bytes(),
        );
        kids.push(format!("{page} 0 R"));
    }
    pdf.object(pages_number, format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), kids.len()).as_bytes());
    pdf.object(catalog, format!("<< /Type /Catalog /Pages {pages_number} 0 R >>").as_bytes());
    pdf.finish(catalog)
}

/// Three pages of text cut in the middle, as an interrupted download leaves them: the page
/// tree, the catalog, the xref table and the trailer are gone.
pub fn truncated_pdf() -> Vec<u8> {
    let mut pdf = text_pdf(&[
        "Sammanträdesprotokoll\n§ 1 Val av justerare",
        "§ 2 Detaljplan för Norra hamnen",
        "§ 3 Meddelanden",
    ]);
    pdf.truncate(pdf.len() / 2);
    pdf
}

/// A text PDF encrypted with AES-256 and the user password `user` (owner password `owner`):
/// it cannot be opened without the password. Made by `qpdf --encrypt`; needs `qpdf` (Debian:
/// qpdf) and panics when it is missing or fails.
pub fn encrypted_pdf() -> Vec<u8> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let plain = dir.path().join("plain.pdf");
    let encrypted = dir.path().join("encrypted.pdf");
    std::fs::write(&plain, text_pdf(&["Hemligt protokoll\n§ 1 Sekretess"])).expect("writing the PDF");
    let status = Command::new("qpdf")
        .args(["--encrypt", "user", "owner", "256", "--"])
        .arg(&plain)
        .arg(&encrypted)
        .status()
        .unwrap_or_else(|error| panic!("encrypted_pdf needs qpdf (Debian: qpdf): {error}"));
    assert!(status.success(), "qpdf failed: {status}");
    std::fs::read(&encrypted).expect("reading the encrypted PDF")
}

/// Bytes of a zlib stream that inflates to `chunk` repeated `count` times, made without
/// compressing (or holding) the whole: `chunk` is compressed once and ends with a full flush
/// (byte aligned, no references to earlier data), so its compressed form can be repeated.
fn repeated_zlib(chunk: &[u8], count: u64) -> Vec<u8> {
    let mut compress = Compress::new(Compression::best(), false);
    let mut block = Vec::with_capacity(chunk.len() / 100 + 1024);
    compress.compress_vec(chunk, &mut block, FlushCompress::Full).expect("compressing into a Vec");
    while (compress.total_in() as usize) < chunk.len() || block.len() == block.capacity() {
        block.reserve(block.capacity().max(1024));
        let consumed = compress.total_in() as usize;
        compress.compress_vec(&chunk[consumed..], &mut block, FlushCompress::Full).expect("compressing into a Vec");
    }
    // The last block: an empty fixed-Huffman block with BFINAL set.
    let mut end = Vec::with_capacity(64);
    Compress::new(Compression::best(), false)
        .compress_vec(&[], &mut end, FlushCompress::Finish)
        .expect("compressing into a Vec");

    let mut out = vec![0x78, 0xda];
    for _ in 0..count {
        out.extend_from_slice(&block);
    }
    out.extend_from_slice(&end);
    out.extend_from_slice(&adler32_repeated(chunk, count).to_be_bytes());
    out
}

/// The Adler-32 checksum of `chunk` repeated `count` times.
fn adler32_repeated(chunk: &[u8], count: u64) -> u32 {
    const MOD: u64 = 65_521;
    // One chunk moves (a, b) to (a + s, b + n·a + t), where s is the sum of its bytes and t the
    // sum of its prefix sums; applied `count` times by fast exponentiation of that affine map.
    let n = chunk.len() as u64 % MOD;
    let (mut s, mut t) = (0u64, 0u64);
    for &byte in chunk {
        s = (s + u64::from(byte)) % MOD;
        t = (t + s) % MOD;
    }
    // The map (a, b) ↦ (a + s, b + n·a + t) as (s, n, t); composing m of them.
    fn compose(first: (u64, u64, u64), second: (u64, u64, u64)) -> (u64, u64, u64) {
        // Applying `first`, then `second`: a' = a + s1, b' = b + n1·a + t1;
        // a'' = a + s1 + s2, b'' = b + n1·a + t1 + n2·(a + s1) + t2.
        let (s1, n1, t1) = first;
        let (s2, n2, t2) = second;
        ((s1 + s2) % MOD, (n1 + n2) % MOD, (t1 + t2 + n2 * s1) % MOD)
    }
    let mut result = (0, 0, 0);
    let mut power = (s, n, t);
    let mut remaining = count;
    while remaining > 0 {
        if remaining & 1 == 1 {
            result = compose(result, power);
        }
        power = compose(power, power);
        remaining >>= 1;
    }
    let (s_all, n_all, t_all) = result;
    let a = (1 + s_all) % MOD;
    let b = (n_all + t_all) % MOD;
    ((b << 16) | a) as u32
}

/// A decompression bomb: one page whose content stream is about 6 MB of Flate data that
/// inflates to 2 GiB of text operators, each drawing `Bomb` at the same spot (60 million
/// times). A text extractor that keeps every character (pdftotext does) needs gigabytes: it
/// meets the memory limit within seconds, or the time limit.
pub fn bomb_pdf() -> Vec<u8> {
    const INFLATED_BYTES: u64 = 2 << 30;
    const LINE: &[u8] = b"BT 1 0 0 1 72 700 Tm (Bomb) Tj ET\n";
    const LINES_PER_CHUNK: usize = 30_000;
    let head = b"BT /F1 12 Tf ET\n";
    let chunk = LINE.repeat(LINES_PER_CHUNK);
    let mut pdf = PdfWriter::new();
    let pages_number = pdf.reserve();
    let catalog = pdf.reserve();
    let content = pdf.reserve();
    // The font selection as its own uncompressed stream, the bomb as a second one: /Contents
    // may be an array of streams, read as one.
    pdf.stream(content, "", head);
    let bomb = pdf.reserve();
    pdf.stream(bomb, "/Filter /FlateDecode", &repeated_zlib(&chunk, INFLATED_BYTES.div_ceil(chunk.len() as u64)));
    let page = pdf.reserve();
    pdf.object(
        page,
        format!(
            "<< /Type /Page /Parent {pages_number} 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] /Resources {} /Contents [{content} 0 R {bomb} 0 R] >>",
            font_resources()
        )
        .as_bytes(),
    );
    pdf.object(pages_number, format!("<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>").as_bytes());
    pdf.object(catalog, format!("<< /Type /Catalog /Pages {pages_number} 0 R >>").as_bytes());
    pdf.finish(catalog)
}

/// A PDF of `pages` tiny pages (one word each, all sharing one content stream).
pub fn many_pages_pdf(pages: u32) -> Vec<u8> {
    let mut pdf = PdfWriter::new();
    let pages_number = pdf.reserve();
    let catalog = pdf.reserve();
    let content = pdf.reserve();
    pdf.stream(content, "", b"BT /F1 12 Tf 20 150 Td (Sida) Tj ET\n");
    let mut kids = Vec::with_capacity(pages as usize);
    for _ in 0..pages {
        let page = pdf.reserve();
        pdf.object(
            page,
            format!(
                "<< /Type /Page /Parent {pages_number} 0 R /MediaBox [0 0 200 200] /Resources {} /Contents {content} 0 R >>",
                font_resources()
            )
            .as_bytes(),
        );
        kids.push(format!("{page} 0 R"));
    }
    pdf.object(pages_number, format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), kids.len()).as_bytes());
    pdf.object(catalog, format!("<< /Type /Catalog /Pages {pages_number} 0 R >>").as_bytes());
    pdf.finish(catalog)
}

/// Not a PDF: an HTML error page, as a web server sends instead of the file.
pub fn not_a_pdf() -> Vec<u8> {
    b"<!DOCTYPE html>\n<html lang=\"sv\"><head><title>Sidan kunde inte hittas</title></head>\n<body><h1>404</h1><p>Dokumentet finns inte.</p></body></html>\n"
        .to_vec()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn the_repeated_zlib_stream_inflates_to_the_repetition() {
        let chunk: Vec<u8> = (0..5000u32).map(|i| b"abc  de\n"[(i % 8) as usize]).collect();
        let stream = repeated_zlib(&chunk, 7);
        let mut inflated = Vec::new();
        // The decoder checks the Adler-32 checksum too.
        flate2::read::ZlibDecoder::new(&stream[..]).read_to_end(&mut inflated).unwrap();
        assert_eq!(inflated, chunk.repeat(7));
    }

    #[test]
    fn the_adler32_of_a_repetition_is_that_of_the_whole() {
        let chunk = b"Kommunstyrelsen \xff\x00";
        for count in [0, 1, 2, 3, 10, 5555] {
            let whole = chunk.repeat(count);
            let mut a = 1u32;
            let mut b = 0u32;
            for &byte in &whole {
                a = (a + u32::from(byte)) % 65_521;
                b = (b + a) % 65_521;
            }
            assert_eq!(adler32_repeated(chunk, count as u64), (b << 16) | a, "count {count}");
        }
    }

    #[test]
    fn the_xref_offsets_point_at_the_objects() {
        let pdf = text_pdf(&["ett", "två"]);
        let xref = pdf.windows(6).rposition(|window| window == b"\nxref\n").unwrap() + 1;
        let table = std::str::from_utf8(&pdf[xref..]).unwrap();
        let start_xref: usize = table.lines().rev().nth(1).unwrap().parse().unwrap();
        assert_eq!(start_xref, xref);
        let entries: Vec<&str> = table.lines().skip(3).take_while(|line| !line.starts_with("trailer")).collect();
        assert_eq!(entries.len(), 6);
        for (index, entry) in entries.iter().enumerate() {
            assert_eq!(entry.len(), 19, "20 bytes with the newline");
            let offset: usize = entry[..10].parse().unwrap();
            assert!(pdf[offset..].starts_with(format!("{} 0 obj", index + 1).as_bytes()), "object {}", index + 1);
        }
    }

    #[test]
    fn strings_are_escaped_and_in_windows_1252() {
        assert_eq!(literal("(a) \\ å § – …"), b"(\\(a\\) \\\\ \xe5 \xa7 \x96 \x85)".to_vec());
    }
}
