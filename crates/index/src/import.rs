//! Importing Document JSON v1 files (`namndsok import`).
//!
//! Every line is validated on its own: a bad line is reported with its number and reason and
//! the rest of the file imports. Valid documents are upserted in batches; each batch is one
//! atomic commit, so an interrupted import leaves whole batches or nothing.

use std::io::BufRead;

use namndsok_model::{read_ndjson, Document};
use serde::Serialize;

use crate::{IndexError, SearchIndex};

/// Documents per commit. Commits cost tens of milliseconds; batches keep big imports fast
/// while still making progress visible.
const BATCH_SIZE: usize = 10_000;

/// A line that was not imported.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RejectedLine {
    pub line: usize,
    pub reason: String,
}

/// A warning about a line that was imported anyway.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LineWarning {
    pub line: usize,
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// New documents.
    pub imported: usize,
    /// Documents that replaced one with the same id.
    pub replaced: usize,
    pub rejected: Vec<RejectedLine>,
    pub warnings: Vec<LineWarning>,
}

impl ImportReport {
    pub fn accepted(&self) -> usize {
        self.imported + self.replaced
    }
}

impl SearchIndex {
    /// Imports NDJSON from a reader. I/O errors while reading and index failures are errors;
    /// bad lines are not.
    pub fn import_jsonl(&self, input: impl BufRead) -> Result<ImportReport, IndexError> {
        let mut report = ImportReport::default();
        let mut batch: Vec<Document> = Vec::with_capacity(BATCH_SIZE);
        for line in read_ndjson(input, self.registry) {
            let line = line?;
            match line.parsed {
                Ok(parsed) => {
                    for message in parsed.warnings {
                        report.warnings.push(LineWarning { line: line.number, message });
                    }
                    batch.push(parsed.document);
                }
                Err(error) => report.rejected.push(RejectedLine { line: line.number, reason: error.to_string() }),
            }
            if batch.len() >= BATCH_SIZE {
                self.commit_batch(&mut batch, &mut report)?;
            }
        }
        self.commit_batch(&mut batch, &mut report)?;
        Ok(report)
    }

    fn commit_batch(&self, batch: &mut Vec<Document>, report: &mut ImportReport) -> Result<(), IndexError> {
        if batch.is_empty() {
            return Ok(());
        }
        let replaced = self.upsert(batch)?;
        report.replaced += replaced;
        report.imported += batch.len() - replaced;
        tracing::info!(documents = batch.len(), replaced, total = self.num_docs(), "committed batch");
        batch.clear();
        Ok(())
    }
}
