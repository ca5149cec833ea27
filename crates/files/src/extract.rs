//! PDF text: the text layer with `pdftotext`, or OCR of the rendered pages with `pdftoppm` and
//! `tesseract`, each run isolated and bounded (see [`crate::run`]).

use std::ffi::OsStr;
use std::path::Path;

use crate::run::{self, Limits, RunError};
use crate::{ExtractError, ExtractSettings, Extracted, TextOrigin};

/// Bytes read past `max_text_bytes` (to know whether there was more, and for the cleaning).
const TEXT_SLACK_BYTES: usize = 64 << 10;

/// pdfinfo's output is small; anything longer is not read.
const INFO_CAP_BYTES: usize = 1 << 20;

/// OCR renders pages at this resolution…
const OCR_DPI: u32 = 300;

/// …unless the page would have more pixels than this (an A2 page at 300 dpi has 35 million);
/// larger pages are rendered at a lower resolution.
const OCR_MAX_PIXELS: f64 = 40e6;

/// A PGM no longer than its header (`P5\n12345 12345\n255\n`) has no pixels.
const PGM_HEADER_MAX_BYTES: u64 = 32;

/// The Debian packages of the programs, for messages.
fn package_of(program: &str) -> &'static str {
    match program {
        "tesseract" => "tesseract-ocr tesseract-ocr-swe",
        _ => "poppler-utils",
    }
}

/// The one-line failure for a program that did not run to its end.
fn run_error(program: &str, error: RunError) -> ExtractError {
    ExtractError::Failed(match error {
        RunError::NotInstalled if program == "tesseract" || program == "pdftoppm" => {
            format!("OCR needs {program} (Debian: {})", package_of(program))
        }
        RunError::NotInstalled => format!("{program} is not installed (Debian: {})", package_of(program)),
        RunError::TimedOut(timeout) => format!("{program} did not finish within {}", seconds(timeout)),
        RunError::Io(message) => message,
    })
}

/// Runs one program; every failure becomes a one-line [`ExtractError::Failed`]. An output cut
/// at the cap is returned as it is (the program was killed on purpose).
pub(crate) fn run_checked(
    program: &str,
    args: &[&OsStr],
    env: &[(&str, &str)],
    limits: &Limits,
) -> Result<run::Output, ExtractError> {
    let output = run::run(program, args, env, limits).map_err(|error| run_error(program, error))?;
    if output.stdout_truncated {
        return Ok(output);
    }
    match run::failure(program, &output, limits) {
        Some(_) if program == "tesseract" && output.stderr.contains("Failed loading language") => {
            Err(ExtractError::Failed(format!("OCR needs tesseract's Swedish (Debian: {})", package_of(program))))
        }
        Some(reason) => Err(ExtractError::Failed(reason)),
        None => Ok(output),
    }
}

/// `60 s`, `0.5 s`.
fn seconds(duration: std::time::Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

/// Extracts a PDF's text (see [`crate::extract`]).
pub(crate) fn extract_pdf(bytes: &[u8], settings: &ExtractSettings) -> Result<Extracted, ExtractError> {
    let dir = tempfile::tempdir().map_err(|error| ExtractError::Failed(format!("no temporary directory: {error}")))?;
    let file = dir.path().join("file.pdf");
    std::fs::write(&file, bytes)
        .map_err(|error| ExtractError::Failed(format!("could not write a temporary file: {error}")))?;

    let pages = page_count(&file, bytes, settings)?;
    if pages > settings.max_pages {
        return Err(ExtractError::Failed(format!("has {pages} pages, more than the limit of {}", settings.max_pages)));
    }

    let limits = Limits {
        timeout: settings.timeout,
        memory_bytes: settings.memory_bytes,
        stdout_cap: settings.max_text_bytes.saturating_add(TEXT_SLACK_BYTES),
    };
    let output = run_checked(
        "pdftotext",
        &[
            OsStr::new("-enc"),
            OsStr::new("UTF-8"),
            OsStr::new("-eol"),
            OsStr::new("unix"),
            file.as_os_str(),
            OsStr::new("-"),
        ],
        &[],
        &limits,
    )?;
    let mut text = clean(&String::from_utf8_lossy(&output.stdout));
    // pdftotext may survive a failed allocation (and exit with 0): without text, that is a
    // failure; with text, the text may lack parts.
    let out_of_memory = run::says_out_of_memory(&output.stderr);
    if out_of_memory && text.trim().is_empty() {
        return Err(ExtractError::Failed(format!(
            "pdftotext ran out of memory (limit {} MiB)",
            settings.memory_bytes >> 20
        )));
    }
    let mut truncated = output.stdout_truncated || out_of_memory;
    // pdftotext ends every page with a form feed; between pages is enough.
    if !truncated && text.ends_with('\x0c') {
        text.pop();
    }
    truncated |= cut(&mut text, settings.max_text_bytes);

    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    let has_text_layer = visible >= settings.min_chars_per_page.saturating_mul(pages.max(1) as usize);
    if has_text_layer || !settings.ocr || truncated || pages == 0 {
        return Ok(Extracted { text, pages, origin: TextOrigin::Pdf, truncated });
    }
    tracing::debug!(pages, visible, "no text layer: OCR");
    ocr(&file, dir.path(), pages, settings)
}

/// The page count from `pdfinfo`; a file it cannot read fails here.
fn page_count(file: &Path, bytes: &[u8], settings: &ExtractSettings) -> Result<u32, ExtractError> {
    let limits = Limits { timeout: settings.timeout, memory_bytes: settings.memory_bytes, stdout_cap: INFO_CAP_BYTES };
    let args = [OsStr::new("-enc"), OsStr::new("UTF-8"), file.as_os_str()];
    let output = run::run("pdfinfo", &args, &[], &limits).map_err(|error| run_error("pdfinfo", error))?;
    if let Some(reason) = run::failure("pdfinfo", &output, &limits) {
        // An exit with a message (not a signal, not the memory limit) is the file's fault:
        // encrypted, broken, or not a PDF at all. Say so.
        let file_fault = output.status.code().is_some() && !run::says_out_of_memory(&output.stderr);
        let said = run::stderr_line(&output.stderr).unwrap_or("");
        return Err(ExtractError::Failed(if !file_fault || said.is_empty() {
            reason
        } else if said.contains("password") {
            format!("encrypted (pdfinfo: {said})")
        } else if crate::sniff(bytes).is_none() {
            let start = &bytes[..bytes.len().min(16)];
            format!("not a PDF (starts with {:?})", String::from_utf8_lossy(start))
        } else {
            format!("not a readable PDF (pdfinfo: {said})")
        }));
    }
    let info = String::from_utf8_lossy(&output.stdout);
    info.lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|count| count.trim().parse::<u32>().ok())
        .ok_or_else(|| ExtractError::Failed("not a readable PDF (pdfinfo reports no page count)".to_owned()))
}

/// The sizes in points of pages `1..=last`, from `pdfinfo -f 1 -l last`.
fn page_sizes(file: &Path, last: u32, settings: &ExtractSettings) -> Result<Vec<(f64, f64)>, ExtractError> {
    let limits = Limits { timeout: settings.timeout, memory_bytes: settings.memory_bytes, stdout_cap: INFO_CAP_BYTES };
    let last = last.to_string();
    let output = run_checked(
        "pdfinfo",
        &[OsStr::new("-f"), OsStr::new("1"), OsStr::new("-l"), OsStr::new(&last), file.as_os_str()],
        &[],
        &limits,
    )?;
    let info = String::from_utf8_lossy(&output.stdout);
    // `Page    1 size: 595.276 x 841.89 pts (A4)`
    Ok(info
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("Page")?.split_once("size:")?.1;
            let mut numbers = rest.split_whitespace();
            let width: f64 = numbers.next()?.parse().ok()?;
            numbers.next().filter(|x| *x == "x")?;
            let height: f64 = numbers.next()?.parse().ok()?;
            Some((width, height))
        })
        .collect())
}

/// The resolution to render a page of `width` × `height` points at.
fn ocr_dpi(size: Option<(f64, f64)>) -> u32 {
    let Some((width, height)) = size.filter(|(w, h)| w.is_finite() && h.is_finite() && *w > 0.0 && *h > 0.0) else {
        return OCR_DPI;
    };
    let square_inches = (width / 72.0) * (height / 72.0);
    let fitting = (OCR_MAX_PIXELS / square_inches).sqrt();
    (fitting.floor() as u32).clamp(10, OCR_DPI)
}

/// Renders pages `1..=min(pages, ocr_max_pages)` and reads them with tesseract.
fn ocr(file: &Path, dir: &Path, pages: u32, settings: &ExtractSettings) -> Result<Extracted, ExtractError> {
    for program in ["pdftoppm", "tesseract"] {
        if run::find_program(program).is_none() {
            return Err(ExtractError::Failed(format!("OCR needs {program} (Debian: {})", package_of(program))));
        }
    }
    let read_pages = pages.min(settings.ocr_max_pages);
    let sizes = if read_pages > 0 { page_sizes(file, read_pages, settings)? } else { Vec::new() };
    let render_limits = Limits { timeout: settings.timeout, memory_bytes: settings.memory_bytes, stdout_cap: 64 << 10 };
    let ocr_limits = Limits {
        timeout: settings.timeout,
        memory_bytes: settings.memory_bytes,
        stdout_cap: settings.max_text_bytes.saturating_add(TEXT_SLACK_BYTES),
    };
    let raster = dir.join("page.pgm");
    let prefix = dir.join("page");
    let mut texts: Vec<String> = Vec::with_capacity(read_pages as usize);
    let mut length = 0;
    let mut truncated = pages > read_pages;
    for page in 1..=read_pages {
        let number = page.to_string();
        let dpi = ocr_dpi(sizes.get(page as usize - 1).copied()).to_string();
        let rendered = run_checked(
            "pdftoppm",
            &[
                OsStr::new("-r"),
                OsStr::new(&dpi),
                OsStr::new("-gray"),
                OsStr::new("-f"),
                OsStr::new(&number),
                OsStr::new("-l"),
                OsStr::new(&number),
                OsStr::new("-singlefile"),
                file.as_os_str(),
                prefix.as_os_str(),
            ],
            &[],
            &render_limits,
        )
        .map_err(|error| on_page(error, page))?;
        // pdftoppm reports a failed allocation on standard error but exits with 0, leaving an
        // empty image (or none).
        let written = std::fs::metadata(&raster).map_or(0, |meta| meta.len());
        if written <= PGM_HEADER_MAX_BYTES {
            let reason = if run::says_out_of_memory(&rendered.stderr) {
                format!("pdftoppm ran out of memory (limit {} MiB)", settings.memory_bytes >> 20)
            } else {
                match run::stderr_line(&rendered.stderr) {
                    Some(line) => format!("pdftoppm rendered nothing: {line}"),
                    None => "pdftoppm rendered nothing".to_owned(),
                }
            };
            return Err(on_page(ExtractError::Failed(reason), page));
        }
        let output = run_checked(
            "tesseract",
            &[
                raster.as_os_str(),
                OsStr::new("stdout"),
                OsStr::new("-l"),
                OsStr::new("swe"),
                OsStr::new("--dpi"),
                OsStr::new(&dpi),
            ],
            &[("OMP_THREAD_LIMIT", "1")],
            &ocr_limits,
        )
        .map_err(|error| on_page(error, page))?;
        let _ = std::fs::remove_file(&raster);
        let text = clean(&String::from_utf8_lossy(&output.stdout));
        let text = text.trim_end_matches(|c: char| c.is_whitespace() || c == '\x0c').to_owned();
        length += text.len() + 1;
        texts.push(text);
        if output.stdout_truncated || length > settings.max_text_bytes {
            truncated = true;
            break;
        }
    }
    let mut text = texts.join("\x0c");
    truncated |= cut(&mut text, settings.max_text_bytes);
    Ok(Extracted { text, pages, origin: TextOrigin::Ocr, truncated })
}

/// Says which page a failure was on.
fn on_page(error: ExtractError, page: u32) -> ExtractError {
    match error {
        ExtractError::Failed(reason) if !reason.starts_with("OCR needs") => {
            ExtractError::Failed(format!("OCR of page {page}: {reason}"))
        }
        other => other,
    }
}

/// Cuts `text` to at most `max` bytes at a character boundary; true if anything was cut.
pub(crate) fn cut(text: &mut String, max: usize) -> bool {
    if text.len() <= max {
        return false;
    }
    let mut at = max;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text.truncate(at);
    true
}

/// Light cleaning: control characters other than newline, tab and form feed are removed, and
/// soft hyphens too (joining the word parts a soft hyphen and a line break separated). Hard
/// hyphens at line ends are kept as they are: `detalj-\nplan` may be `detalj-` and `plan`.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' | '\x0c' => out.push(c),
            '\u{ad}' => {
                // A soft hyphen marks where a word was broken: join across the line break.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
            }
            c if c.is_control() && (c as u32) < 0x80 => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_removes_control_characters_and_joins_soft_hyphens() {
        assert_eq!(clean("a\0b\x01c\r\nd\te\x0cf\x7f"), "abc\nd\te\x0cf");
        assert_eq!(clean("detalj\u{ad}\nplan och detalj-\nplan"), "detaljplan och detalj-\nplan");
        assert_eq!(clean("sam\u{ad}manträde"), "sammanträde");
    }

    #[test]
    fn cutting_keeps_whole_characters() {
        let mut text = "åäö".to_owned();
        assert!(cut(&mut text, 3));
        assert_eq!(text, "å");
        let mut short = "kort".to_owned();
        assert!(!cut(&mut short, 4));
        assert_eq!(short, "kort");
    }

    #[test]
    fn large_pages_are_rendered_at_a_lower_resolution() {
        assert_eq!(ocr_dpi(Some((595.0, 842.0))), 300);
        assert_eq!(ocr_dpi(None), 300);
        assert_eq!(ocr_dpi(Some((f64::NAN, 1.0))), 300);
        let dpi = ocr_dpi(Some((14_400.0, 14_400.0)));
        assert!(dpi < 40, "{dpi}");
        assert!(f64::from(dpi) * 200.0 * f64::from(dpi) * 200.0 <= OCR_MAX_PIXELS);
    }
}
