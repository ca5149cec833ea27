//! A local NDJSON file of Document JSON v1 lines: for hand-made sources, exports of systems we
//! have no adapter for, and tests. Each line goes through the model's one NDJSON reader; a bad line
//! is rejected with its line number and the rest are read. Personnummer are redacted here too.

use namndsok_model::{read_ndjson, Document, LineError, NdjsonLine, Registry};
use serde::Deserialize;

use crate::adapter::{PassContext, PlatformParams, Problem, Reply, Request, SourceAdapter, Step};
use crate::text::redact_personnummer;
use crate::{ParseOutcome, SourceContext, SourceError};

/// Parses the file's text. When the source has a kommun (`context.kommun_kod` not empty), lines
/// of another kommun are rejected. Blank lines are skipped; there is no paging.
pub fn parse_ndjson(context: &SourceContext, text: &str) -> ParseOutcome {
    let mut outcome = ParseOutcome::default();
    for line in read_ndjson(text.as_bytes(), Registry::global()) {
        // Reading from memory cannot fail.
        let Ok(NdjsonLine { number, parsed }) = line else { continue };
        match parsed {
            Ok(parsed) => {
                let document = parsed.document;
                if !context.kommun_kod.is_empty() && document.kommun_kod != context.kommun_kod {
                    let reason = format!(
                        "line {number}: kommun_kod {} is not this source's kommun {}",
                        document.kommun_kod, context.kommun_kod
                    );
                    outcome.reject(Some(document.id), reason);
                    continue;
                }
                for warning in parsed.warnings {
                    tracing::debug!(source = %context.source_id, line = number, %warning, "document warning");
                }
                outcome.push(document.id.clone(), redact(document));
            }
            Err(LineError::Invalid { error, id }) => outcome.reject(id, format!("line {number}: {error}")),
            Err(error) => outcome.reject(None, format!("line {number}: {error}")),
        }
    }
    outcome
}

fn redact(mut document: Document) -> Document {
    document.title = redact_personnummer(&document.title);
    document.body = document.body.map(|b| redact_personnummer(&b));
    document.organ = document.organ.map(|o| redact_personnummer(&o));
    document.diarienummer = document.diarienummer.map(|d| redact_personnummer(&d));
    document
}

/// A file source's params.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileParams {
    /// The NDJSON file, relative to the working directory or absolute.
    pub path: String,
}

impl PlatformParams for FileParams {
    /// A local file belongs to no web site; its lines name their own kommun.
    const REMOTE: bool = false;

    fn check(&self) -> Vec<Problem> {
        if self.path.is_empty() {
            return vec![("path", "is \"\", expected a file path".into())];
        }
        Vec::new()
    }

    fn adapter(&self, pass: PassContext) -> Box<dyn SourceAdapter> {
        Box::new(FileSource { path: self.path.clone(), pass })
    }
}

/// A pass over a local NDJSON file: one read, no paging.
pub struct FileSource {
    path: String,
    pass: PassContext,
}

impl SourceAdapter for FileSource {
    fn first_request(&mut self) -> Request {
        Request::read_file(&self.path)
    }

    fn step(&mut self, reply: Reply) -> Result<Step, SourceError> {
        Ok(Step::page(parse_ndjson(&self.pass.source, reply.text()), None))
    }

    fn rejected_ids_are_item_ids(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINES: &str = include_str!("../tests/fixtures/file-documents.jsonl");

    fn context(kommun: &str) -> SourceContext {
        SourceContext::new("local", kommun, "file", "")
    }

    #[test]
    fn reads_good_lines_and_numbers_the_bad_ones() {
        let outcome = parse_ndjson(&context(""), LINES);
        let ids: Vec<&str> = outcome.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["f-1", "f-2", "f-5"]);
        assert_eq!(outcome.documents[0].body.as_deref(), Some("Sökande [personnummer] har ansökt om bygglov."));
        assert_eq!(outcome.documents[0].title, "Bygglov för ny carport");
        assert_eq!(outcome.documents[0].kommun, "Mariestad");
        // Ten digits without a separator are not taken for a personnummer.
        assert_eq!(outcome.documents[2].title, "Protokoll 2026-02-23 (telefon 8112189876)");
        let rejected: Vec<(Option<&str>, &str)> =
            outcome.rejected.iter().map(|r| (r.item_id.as_deref(), r.reason.as_str())).collect();
        assert_eq!(
            rejected,
            [
                (None, "line 4: not valid JSON: EOF while parsing a value at line 1 column 11"),
                (Some("f-3"), "line 5: missing required field `title`"),
                (Some("f-4"), "line 6: unknown kommun_kod \"9999\" (not a kommunkod or länskod in the registry)"),
            ]
        );
        assert_eq!(outcome.next_page, None);
    }

    #[test]
    fn keeps_to_the_sources_kommun() {
        let outcome = parse_ndjson(&context("1493"), LINES);
        assert_eq!(outcome.documents.len(), 2);
        assert!(outcome
            .rejected
            .iter()
            .any(|r| r.reason == "line 8: kommun_kod 0114 is not this source's kommun 1493"));
    }
}
