//! `POST /api/v1/ingest`: trusted feeders add documents, and saved searches are matched
//! against them.
//!
//! **Who may ingest**: an account an operator made a feeder with `namndsok accounts create
//! --email E --ingest` (the `may_ingest` mark on the account, settable only from the command
//! line). Any other token gets `403 forbidden`; no token, `401`.
//!
//! The body is Document JSON v1, one object per line (NDJSON, at most [`MAX_BODY_BYTES`]).
//! Each line passes the one gate (`namndsok_model::read_ndjson`); bad lines are reported with
//! their number and reason and the rest is imported, as `namndsok import` does. The valid
//! documents are upserted in one commit; then the new and changed ones (not those identical
//! to what the index held) are matched against every saved search, and only then is the
//! answer sent: `{"imported", "replaced", "rejected": [{"line", "reason"}], "warnings": […]}`.
//! Upserts and matching are idempotent, so a feeder that gets no answer should send the same
//! body again: nothing is duplicated and no alert is sent twice.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::Json;
use namndsok_index::import::{LineWarning, RejectedLine};
use namndsok_model::{read_ndjson, Document, NdjsonLine, Registry};
use serde_json::{json, Value};

use crate::alerts::blocking;
use crate::extract::{body_bytes, Authenticated};
use crate::{ApiError, AppState};

/// The largest body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// Documents per commit.
const BATCH: usize = 10_000;

/// A parsed body: valid documents (in line order), rejected lines, warnings.
pub struct Parsed {
    pub documents: Vec<Document>,
    pub rejected: Vec<RejectedLine>,
    pub warnings: Vec<LineWarning>,
}

/// Parses an NDJSON body line by line with the model's one reader (blank lines are skipped).
pub fn parse_ndjson(body: &[u8]) -> Parsed {
    let mut parsed = Parsed { documents: Vec::new(), rejected: Vec::new(), warnings: Vec::new() };
    // Reading from memory cannot fail.
    for NdjsonLine { number, parsed: line } in read_ndjson(body, Registry::global()).flatten() {
        match line {
            Ok(line) => {
                parsed.warnings.extend(line.warnings.into_iter().map(|message| LineWarning { line: number, message }));
                parsed.documents.push(line.document);
            }
            Err(error) => parsed.rejected.push(RejectedLine { line: number, reason: error.to_string() }),
        }
    }
    parsed
}

/// Add documents (trusted feeders) and alert saved searches
///
/// Only accounts an operator made feeders (`namndsok accounts create --email E --ingest`)
/// may ingest; other tokens get `403`. The body is Document JSON v1, one object per line
/// (NDJSON), at most 64 MiB. Each line is validated on its own; bad lines are reported and
/// the rest is imported (upsert by id, one commit). Then the new and changed documents are
/// matched against every saved search, and only then is the answer sent. Upserts and
/// matching are idempotent: a feeder that gets no answer should send the same body again.
#[utoipa::path(post, path = "/api/v1/ingest", tag = "ingest", operation_id = "ingest",
    security(("bearerAuth" = [])),
    request_body(content = String, description = "Document JSON v1 objects, one per line.", content_type = "application/x-ndjson",
        example = json!("{\"id\": \"1493-x-1\", \"kind\": \"arende\", \"kommun_kod\": \"1493\", \"title\": \"Batterifabrik\", \"date\": \"2026-11-02\"}\n")),
    responses(
        (status = 200, description = "What was imported and what was rejected.", body = crate::openapi::IngestReport),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 413, response = crate::openapi::PayloadTooLarge),
        (status = 500, response = crate::openapi::Internal),
        (status = 503, response = crate::openapi::Unavailable),
    ))]
pub async fn ingest(
    State(state): State<AppState>,
    Authenticated { account, service }: Authenticated,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let index = state.index.clone();
    blocking(service, move |service| {
        if !account.may_ingest {
            return Err(ApiError::forbidden(
                "this account may not add documents (an operator grants it: namndsok accounts create --ingest)",
            ));
        }
        let body = body_bytes(body)?;
        let parsed = parse_ndjson(&body);
        // New or changed documents: what the matcher is to see. The last line of an id wins.
        let mut changed: Vec<Document> = Vec::new();
        for document in &parsed.documents {
            let same = index.get(&document.id).map_err(ApiError::internal)?.is_some_and(|indexed| indexed == *document);
            changed.retain(|d| d.id != document.id);
            if !same {
                changed.push(document.clone());
            }
        }
        let (mut imported, mut replaced) = (0, 0);
        for batch in parsed.documents.chunks(BATCH) {
            let replaced_here = index.upsert(batch).map_err(ApiError::internal)?;
            replaced += replaced_here;
            imported += batch.len() - replaced_here;
        }
        let report = service.match_documents(&changed).map_err(ApiError::internal)?;
        tracing::info!(
            account = %account.id,
            imported,
            replaced,
            rejected = parsed.rejected.len(),
            matched = changed.len(),
            new_matches = report.new_matches,
            "ingest"
        );
        Ok(Json(json!({
            "imported": imported,
            "replaced": replaced,
            "rejected": parsed.rejected,
            "warnings": parsed.warnings,
        })))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_numbered_and_judged_one_by_one() {
        let body = b"{\"id\":\"a\",\"kind\":\"arende\",\"kommun_kod\":\"1493\",\"title\":\"T\",\"date\":\"2024-01-02\",\"x\":1}\n\
                     \n\
                     not json\n\
                     {\"id\":\"b\",\"kind\":\"nope\",\"kommun_kod\":\"1493\",\"title\":\"T\",\"date\":\"2024-01-02\"}\n\
                     \xff\n";
        let parsed = parse_ndjson(body);
        assert_eq!(parsed.documents.len(), 1);
        assert_eq!(parsed.warnings.len(), 1);
        assert_eq!(parsed.warnings[0].line, 1);
        let lines: Vec<usize> = parsed.rejected.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 4, 5]);
        assert!(parsed.rejected[0].reason.contains("JSON"), "{}", parsed.rejected[0].reason);
    }
}
