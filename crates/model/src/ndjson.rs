//! Reading Document JSON v1 as NDJSON: the one reader for import files, ingest request bodies
//! and file sources.
//!
//! Lines are split on `\n` as bytes, so one line that is not UTF-8 is rejected alone instead of
//! ending the read. Blank lines are skipped, a byte-order mark at the start of a line is ignored,
//! and every other line goes through [`Document::from_json_line`]. Line numbers count every
//! line, blank ones included, so they match what an editor shows.

use std::io::BufRead;

use crate::{Document, DocumentError, ParsedLine, Registry};

/// One non-blank line and what became of it.
#[derive(Debug)]
pub struct NdjsonLine {
    /// 1-based.
    pub number: usize,
    pub parsed: Result<ParsedLine, LineError>,
}

/// Why a line is not a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("not valid UTF-8")]
    NotUtf8,
    /// The line is not valid Document JSON; `id` is the line's `id` when it has a readable one,
    /// so the rejection can name the item.
    #[error("{error}")]
    Invalid { error: DocumentError, id: Option<String> },
}

/// The lines of `input`, each validated; an I/O error ends the iteration with that error.
pub fn read_ndjson<R: BufRead>(input: R, registry: &Registry) -> NdjsonReader<'_, R> {
    NdjsonReader { input, registry, number: 0, buffer: Vec::new(), failed: false }
}

/// See [`read_ndjson`].
pub struct NdjsonReader<'r, R> {
    input: R,
    registry: &'r Registry,
    number: usize,
    buffer: Vec<u8>,
    failed: bool,
}

impl<R: BufRead> Iterator for NdjsonReader<'_, R> {
    type Item = std::io::Result<NdjsonLine>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.failed {
                return None;
            }
            self.buffer.clear();
            match self.input.read_until(b'\n', &mut self.buffer) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => {
                    self.failed = true;
                    return Some(Err(error));
                }
            }
            self.number += 1;
            let Ok(text) = std::str::from_utf8(&self.buffer) else {
                return Some(Ok(NdjsonLine { number: self.number, parsed: Err(LineError::NotUtf8) }));
            };
            let text = text.trim_start_matches('\u{feff}').trim();
            if text.is_empty() {
                continue;
            }
            let parsed = Document::from_json_line(text, self.registry).map_err(|error| LineError::Invalid {
                error,
                id: serde_json::from_str::<serde_json::Value>(text)
                    .ok()
                    .and_then(|value| value.get("id")?.as_str().map(str::to_string)),
            });
            return Some(Ok(NdjsonLine { number: self.number, parsed }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str =
        r#"{"id":"x1","kind":"arende","kommun_kod":"1493","title":"Skola","date":"2024-01-01","source":"test"}"#;

    #[test]
    fn every_line_is_judged_alone_with_its_number() {
        let mut input = Vec::new();
        input.extend_from_slice(format!("\u{feff}{GOOD}\n\n").as_bytes());
        input.extend_from_slice(b"\xff\xfe not utf-8\n");
        input.extend_from_slice(br#"{"id":"bad","kind":"beslut"}"#);
        input.extend_from_slice(format!("\n{}", GOOD.replace("x1", "x2")).as_bytes());
        let lines: Vec<NdjsonLine> = read_ndjson(&input[..], Registry::global()).map(Result::unwrap).collect();
        let numbers: Vec<usize> = lines.iter().map(|line| line.number).collect();
        assert_eq!(numbers, [1, 3, 4, 5]);
        assert_eq!(lines[0].parsed.as_ref().unwrap().document.id, "x1");
        assert_eq!(lines[1].parsed.as_ref().unwrap_err(), &LineError::NotUtf8);
        assert!(matches!(&lines[2].parsed, Err(LineError::Invalid { id: Some(id), .. }) if id == "bad"));
        assert_eq!(lines[3].parsed.as_ref().unwrap().document.id, "x2");
    }

    #[test]
    fn a_read_error_ends_the_lines() {
        struct Broken;
        impl std::io::Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk gone"))
            }
        }
        let mut lines = read_ndjson(std::io::BufReader::new(Broken), Registry::global());
        assert!(lines.next().unwrap().is_err());
        assert!(lines.next().is_none());
    }
}
