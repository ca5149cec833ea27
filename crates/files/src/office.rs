//! Word processor files: DOCX (Office Open XML) and ODT (OpenDocument text). Their text is XML
//! in a zip archive; `unzip -p` (Debian: unzip) reads the one member out in a bounded
//! subprocess — a zip bomb meets the output cap and the time limit — and the XML's paragraphs
//! become lines, page breaks form feeds.

use std::ffi::OsStr;

use crate::extract::{clean, cut, run_checked};
use crate::run::Limits;
use crate::{ExtractError, ExtractSettings, Extracted, FileKind, TextOrigin};

/// XML is bulkier than its text: read this many times the text limit of it.
const XML_PER_TEXT: usize = 8;

/// The archive member holding the text.
fn member(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Docx => "word/document.xml",
        _ => "content.xml",
    }
}

/// Extracts the text of a DOCX or ODT file (see [`crate::extract`]).
pub(crate) fn extract_office(
    bytes: &[u8],
    kind: FileKind,
    settings: &ExtractSettings,
) -> Result<Extracted, ExtractError> {
    let dir = tempfile::tempdir().map_err(|error| ExtractError::Failed(format!("no temporary directory: {error}")))?;
    let file = dir.path().join("file.zip");
    std::fs::write(&file, bytes)
        .map_err(|error| ExtractError::Failed(format!("could not write a temporary file: {error}")))?;
    let limits = Limits {
        timeout: settings.timeout,
        memory_bytes: settings.memory_bytes,
        stdout_cap: settings.max_text_bytes.saturating_mul(XML_PER_TEXT),
    };
    let output = run_checked("unzip", &[OsStr::new("-p"), file.as_os_str(), OsStr::new(member(kind))], &[], &limits)
        .map_err(|error| match error {
            ExtractError::Failed(reason)
                if reason.contains("filename not matched") || reason.contains("exit code 11") =>
            {
                ExtractError::Failed(format!("no {} in the archive", member(kind)))
            }
            other => other,
        })?;
    let xml = String::from_utf8_lossy(&output.stdout);
    let mut text = clean(&xml_text(&xml));
    let mut truncated = output.stdout_truncated;
    truncated |= cut(&mut text, settings.max_text_bytes);
    if text.trim().is_empty() {
        return Err(ExtractError::Failed("the document has no text".into()));
    }
    let pages = 1 + text.matches('\x0c').count() as u32;
    let origin = if kind == FileKind::Docx { TextOrigin::Docx } else { TextOrigin::Odt };
    Ok(Extracted { text, pages, origin, truncated })
}

/// The text of a WordprocessingML or OpenDocument body: paragraphs and headings end lines,
/// tabs, line breaks and spaces are kept, page breaks (explicit or as last rendered) become
/// form feeds, everything else of the markup is dropped and entities are decoded.
pub(crate) fn xml_text(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() / 4);
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        decode_into(&rest[..open], &mut out);
        let Some(close) = rest[open..].find('>') else { break };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let name = tag.trim_start_matches('/').split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
        let closing = tag.starts_with('/');
        match name {
            "w:p" | "text:p" | "text:h" if closing => out.push('\n'),
            "w:tab" | "text:tab" if !closing => out.push('\t'),
            "w:br" if tag.contains("w:type=\"page\"") => out.push('\x0c'),
            "w:br" | "w:cr" | "text:line-break" if !closing => out.push('\n'),
            "w:lastRenderedPageBreak" | "text:soft-page-break" if !closing => out.push('\x0c'),
            "text:s" if !closing => {
                let count = attribute(tag, "text:c").and_then(|c| c.parse::<usize>().ok()).unwrap_or(1);
                out.extend(std::iter::repeat_n(' ', count.min(100)));
            }
            _ => {}
        }
    }
    out
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
    tag[at..].split('"').next()
}

/// Appends `text` with XML's entities decoded (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`,
/// `&#NN;`, `&#xNN;`); an unknown or broken one stays as written.
fn decode_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse::<u32>().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// Whether `bytes` is a zip archive of a DOCX or an ODT.
pub(crate) fn sniff_office(bytes: &[u8]) -> Option<FileKind> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    // An ODT's first member is `mimetype`, stored uncompressed: its text follows the name.
    if bytes.get(30..38) == Some(b"mimetype".as_slice())
        && bytes.get(38..).is_some_and(|rest| rest.starts_with(b"application/vnd.oasis.opendocument.text"))
    {
        return Some(FileKind::Odt);
    }
    // A DOCX names `word/document.xml` in its local and central headers.
    let needle = b"word/document.xml";
    bytes.windows(needle.len()).any(|window| window == needle).then_some(FileKind::Docx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_and_opendocument_markup_become_lines_and_pages() {
        let docx = r#"<w:document><w:body><w:p><w:r><w:t>§ 32 Detaljplan för Norra hamnen</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">Dnr&#160;KS 2026/412 &amp; </w:t><w:tab/><w:t>beslut</w:t></w:r></w:p><w:p><w:r><w:br w:type="page"/><w:t>Sida två</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(
            xml_text(docx),
            "§ 32 Detaljplan för Norra hamnen\nDnr\u{a0}KS 2026/412 & \tbeslut\n\u{c}Sida två\n"
        );
        let odt = r#"<office:text><text:h text:outline-level="1">Protokoll</text:h><text:p>a<text:s text:c="3"/>b<text:line-break/>c &lt;d&gt; &bogus; &#x00E5;</text:p></office:text>"#;
        assert_eq!(xml_text(odt), "Protokoll\na   b\nc <d> &bogus; å\n");
    }

    #[test]
    fn sniffs_docx_and_odt_by_their_archive() {
        assert_eq!(sniff_office(&crate::testing::docx(&["x"])), Some(FileKind::Docx));
        assert_eq!(sniff_office(&crate::testing::odt(&["x"])), Some(FileKind::Odt));
        assert_eq!(sniff_office(b"PK\x03\x04 some other zip"), None);
        assert_eq!(sniff_office(b"%PDF-1.4"), None);
    }
}
