//! Files: what a council decided is in the protokoll's PDF, not in the anslag that links it.
//!
//! Every file an item links ([`Document::files`]) is fetched through the same polite
//! [`Fetcher`] as the listing (the host's pace, retries, a size cap of its own), checked (its
//! first bytes must be a file we read, whatever the `Content-Type` says), hashed, and read by
//! `namndsok-files` in isolated, bounded subprocesses (pdftotext; OCR for scans). Its text
//! becomes a document of its own, part of the item, and a protokoll's paragraphs (§) become
//! documents too, each with the diarienummer it names and a link to its page in the file.
//!
//! A file is read once: its URL, content hash and HTTP validators are remembered in the item's
//! state ([`FileState`]). While the item's listing is unchanged, its files are not fetched at
//! all; when the item changed, they are asked for conditionally and re-read only if their
//! bytes changed. A file that cannot be read (not a PDF, DOCX or ODT, encrypted, broken, a decompression
//! bomb, too many pages, too large) is a dead letter with its reason and is not tried again
//! until its item changes; the item itself and every other file are indexed as usual. A
//! transient failure (timeout, HTTP 5xx) is simply tried again next pass.

use std::time::{Duration, Instant};

use namndsok_files::{ExtractSettings, Extracted};
use namndsok_model::{Document, FileLink, Kind, Registry, TextOrigin};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::fetch::{Body, FetchError, Fetcher, Validators};

/// How files are read.
#[derive(Debug, Clone)]
pub struct FileSettings {
    /// Follow items' file links at all.
    pub enabled: bool,
    /// Larger files are refused (a dead letter).
    pub max_bytes: usize,
    /// Limits of the text extraction and OCR.
    pub extract: ExtractSettings,
}

impl Default for FileSettings {
    fn default() -> FileSettings {
        FileSettings { enabled: true, max_bytes: 50 << 20, extract: ExtractSettings::default() }
    }
}

/// What the harvester remembers of one file of an item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    /// SHA-256 of the bytes read (hex); empty when the file could not be fetched.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sha256: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub validators: Validators,
    /// Ids of the documents made from the file (its text, its paragraphs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<String>,
    /// Why the file yielded nothing (it is not tried again until its item changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

fn is_default(validators: &Validators) -> bool {
    *validators == Validators::default()
}

/// What became of one file in this pass.
pub(crate) enum FileOutcome {
    /// Known and unchanged: nothing fetched or written.
    Kept(FileState),
    /// Read: its documents replace the ones it made before.
    Read { state: FileState, documents: Vec<Document> },
    /// It cannot be read; remembered with the reason (a dead letter).
    Failed { state: FileState, reason: String },
    /// Not reached or a transient failure: tried again next pass, nothing remembered.
    Skipped { reason: String },
}

/// What the file stage needs.
pub(crate) struct FileReader<'a> {
    pub fetcher: &'a Fetcher,
    pub settings: &'a FileSettings,
    /// The source's own pace.
    pub interval: Duration,
    /// Extractions running at once across all sources (they are CPU-bound).
    pub slots: &'a tokio::sync::Semaphore,
}

impl FileReader<'_> {
    /// One file of `parent`. `previous` is what the last pass knew of it; `item_changed` says
    /// whether the item's listing changed since.
    pub async fn read(
        &self,
        parent: &Document,
        link: &FileLink,
        previous: Option<&FileState>,
        item_changed: bool,
        deadline: Instant,
    ) -> FileOutcome {
        if let Some(previous) = previous {
            if !item_changed {
                return FileOutcome::Kept(previous.clone());
            }
        }
        if Instant::now() >= deadline {
            return FileOutcome::Skipped { reason: "the source's time for this pass ran out".into() };
        }
        let validators = previous.map(|p| &p.validators).filter(|v| !is_default(v));
        let fetched = match self
            .fetcher
            .fetch_capped(&link.url, &Body::Get, validators, self.interval, self.settings.max_bytes)
            .await
        {
            Ok(fetched) => fetched,
            Err(error) if permanent(&error) => {
                let reason = error.to_string();
                return FileOutcome::Failed {
                    state: FileState { error: Some(reason.clone()), ..FileState::default() },
                    reason,
                };
            }
            Err(error) => return FileOutcome::Skipped { reason: error.to_string() },
        };
        let Some(bytes) = fetched.body else {
            // 304 Not Modified.
            return FileOutcome::Kept(previous.cloned().unwrap_or_default());
        };
        let sha256 = hex::encode(Sha256::digest(&bytes));
        if let Some(previous) = previous.filter(|p| p.sha256 == sha256) {
            return FileOutcome::Kept(FileState { validators: fetched.validators, ..previous.clone() });
        }
        let mut state = FileState { sha256, validators: fetched.validators, ..FileState::default() };
        let content_type =
            fetched.headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let Some(kind) = namndsok_files::sniff(&bytes) else {
            let reason = format!(
                "{}: not a PDF, DOCX or ODT (Content-Type {content_type:?}, starts with {:?})",
                link.url,
                head(&bytes)
            );
            state.error = Some(reason.clone());
            return FileOutcome::Failed { state, reason };
        };
        let _slot = self.slots.acquire().await.expect("extraction slots stay open");
        let settings = self.settings.extract.clone();
        let extracted = tokio::task::spawn_blocking(move || namndsok_files::extract(&bytes, kind, &settings)).await;
        let extracted = match extracted {
            Ok(Ok(extracted)) => extracted,
            Ok(Err(error)) => {
                let reason = format!("{}: {error}", link.url);
                state.error = Some(reason.clone());
                return FileOutcome::Failed { state, reason };
            }
            Err(error) => {
                let reason = format!("{}: the extraction stopped: {error}", link.url);
                state.error = Some(reason.clone());
                return FileOutcome::Failed { state, reason };
            }
        };
        match file_documents(parent, link, &extracted) {
            Ok(documents) => {
                state.documents = documents.iter().map(|d| d.id.clone()).collect();
                FileOutcome::Read { state, documents }
            }
            Err(reason) => {
                let reason = format!("{}: {reason}", link.url);
                state.error = Some(reason.clone());
                FileOutcome::Failed { state, reason }
            }
        }
    }
}

/// Failures that will not go away by asking again: the file is not there, not allowed, or too large.
fn permanent(error: &FetchError) -> bool {
    match error {
        FetchError::Status { status, .. } => (400..500).contains(status) && *status != 408 && *status != 429,
        FetchError::TooLarge { .. } | FetchError::InvalidUrl { .. } => true,
        FetchError::Timeout { .. } | FetchError::Connection { .. } | FetchError::RetryAfterTooLong { .. } => false,
    }
}

/// The first bytes of a file, printable, for a dead letter.
fn head(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(16)])
        .chars()
        .map(|c| if c.is_control() { '.' } else { c })
        .collect()
}

/// The id of the document holding a file's text: the item's id and a hash of the URL.
pub(crate) fn file_document_id(parent_id: &str, url: &str) -> String {
    let digest = hex::encode(Sha256::digest(url.as_bytes()));
    format!("{parent_id}-fil-{}", &digest[..12])
}

/// The documents made of a file's text: the whole text as one document (part of the item), and
/// each paragraph (§) of a protokoll as one (part of the whole text).
pub(crate) fn file_documents(
    parent: &Document,
    link: &FileLink,
    extracted: &Extracted,
) -> Result<Vec<Document>, String> {
    let text = extracted.text.replace('\u{c}', "\n\n");
    if text.trim().is_empty() {
        return Err("the file has no text".into());
    }
    let paragraphs = namndsok_files::split_paragraphs(&extracted.text);
    let origin = match extracted.origin {
        namndsok_files::TextOrigin::Pdf => TextOrigin::Pdf,
        namndsok_files::TextOrigin::Ocr => TextOrigin::Ocr,
        namndsok_files::TextOrigin::Docx => TextOrigin::Docx,
        namndsok_files::TextOrigin::Odt => TextOrigin::Odt,
    };
    let is_protokoll = !paragraphs.is_empty() || link.name.to_lowercase().contains("protokoll");
    let kind = if is_protokoll { Kind::Protokoll } else { parent.kind };
    let title = strip_extension(&link.name);
    let file_id = file_document_id(&parent.id, &link.url);
    let diarienummer = parent.diarienummer.clone().or_else(|| namndsok_sources::text::extract_diarienummer(&text));
    let base = |id: &str, kind: Kind, title: &str, body: &str| {
        let mut object = Map::new();
        let mut put = |key: &str, value: Value| {
            object.insert(key.to_string(), value);
        };
        put("id", id.into());
        put("kind", kind.as_str().into());
        put("kommun_kod", parent.kommun_kod.clone().into());
        put("organ", parent.organ.clone().into());
        put("title", title.into());
        put("body", body.into());
        put("date", parent.date.to_string().into());
        put("source", parent.source.clone().into());
        put("text_origin", origin.as_str().into());
        object
    };
    let mut whole = base(&file_id, kind, &title, &text);
    whole.insert("diarienummer".into(), diarienummer.into());
    whole.insert("url".into(), link.url.clone().into());
    whole.insert("part_of".into(), parent.id.clone().into());
    let mut objects = vec![whole];
    for paragraph in &paragraphs {
        let number: String = paragraph.number.chars().filter(char::is_ascii_alphanumeric).collect();
        if number.is_empty() {
            continue;
        }
        let heading = if paragraph.heading.is_empty() { title.clone() } else { paragraph.heading.clone() };
        let mut object = base(
            &format!("{file_id}-p{number}"),
            Kind::Protokoll,
            &format!("§ {} {heading}", paragraph.number),
            &paragraph.text,
        );
        object.insert("diarienummer".into(), paragraph.diarienummer.clone().into());
        object.insert("url".into(), format!("{}#page={}", link.url, paragraph.page).into());
        object.insert("part_of".into(), file_id.clone().into());
        object.insert("paragraph".into(), paragraph.number.clone().into());
        object.insert("page".into(), paragraph.page.into());
        objects.push(object);
    }
    objects
        .iter()
        .map(|object| {
            Document::from_json_object(object, Registry::global())
                .map(|parsed| parsed.document)
                .map_err(|e| e.to_string())
        })
        .collect()
}

fn strip_extension(name: &str) -> String {
    let trimmed = name.trim();
    match trimmed.rsplit_once('.') {
        Some((stem, extension))
            if !stem.is_empty() && extension.len() <= 4 && extension.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            stem.trim().to_string()
        }
        _ => trimmed.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parent() -> Document {
        let line = r#"{"id":"2260-meetingsplus-abc","kind":"anslag","kommun_kod":"2260","organ":"Kommunstyrelsen","title":"Justerat protokoll","date":"2026-03-02","source":"meetingsplus"}"#;
        Document::from_json_line(line, Registry::global()).unwrap().document
    }

    #[test]
    fn a_protokoll_becomes_its_text_and_its_paragraphs() {
        let link = FileLink {
            url: "https://moten.ange.se/files/Protokoll%20KS.pdf".into(),
            name: "Protokoll KS 2026-02-24.pdf".into(),
        };
        let extracted = Extracted {
            text: "Sammanträdesprotokoll\n\u{c}§ 32 Dnr KS 2026/412\nDetaljplan för Norra hamnen\nBeslut: antas. Sökande 811218-9876.\n§ 33\nDnr KS 2026/17\nBatterifabriken\nInformation lämnas.\n".into(),
            pages: 2,
            origin: namndsok_files::TextOrigin::Pdf,
            truncated: false,
        };
        let Ok(documents) = file_documents(&parent(), &link, &extracted) else { panic!("documents") };
        let file_id = file_document_id("2260-meetingsplus-abc", &link.url);
        let whole = &documents[0];
        assert_eq!(
            (whole.id.as_str(), whole.kind, whole.title.as_str()),
            (file_id.as_str(), Kind::Protokoll, "Protokoll KS 2026-02-24")
        );
        assert_eq!(whole.part_of.as_deref(), Some("2260-meetingsplus-abc"));
        assert_eq!(whole.text_origin, Some(TextOrigin::Pdf));
        assert!(!whole.body.as_deref().unwrap().contains("811218-9876"), "personnummer are redacted in file text");
        // The paragraphs depend on namndsok-files' splitter; when it finds them, they are linked.
        for paragraph in &documents[1..] {
            assert_eq!(paragraph.part_of.as_deref(), Some(file_id.as_str()));
            assert!(paragraph
                .url
                .as_deref()
                .unwrap()
                .starts_with("https://moten.ange.se/files/Protokoll%20KS.pdf#page="));
            assert!(paragraph.title.starts_with("§ "));
        }
    }

    #[test]
    fn an_empty_text_is_not_a_document() {
        let link = FileLink { url: "https://x.se/a.pdf".into(), name: "a.pdf".into() };
        let extracted =
            Extracted { text: " \u{c} ".into(), pages: 2, origin: namndsok_files::TextOrigin::Ocr, truncated: false };
        assert!(file_documents(&parent(), &link, &extracted).is_err());
        assert_eq!(strip_extension("Protokoll KS 2026-02-24.pdf"), "Protokoll KS 2026-02-24");
        assert_eq!(strip_extension("Beslut SN 2026/112"), "Beslut SN 2026/112");
    }
}
