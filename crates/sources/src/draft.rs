//! The last step of every adapter: a draft document is cleaned, redacted and sent through the
//! model's gate ([`Document::from_json_object`]).

use chrono::NaiveDate;
use namndsok_model::{Document, FileLink, Kind, Registry};
use serde_json::{Map, Value};

use crate::text::{self, redact_personnummer};
use crate::{ParseOutcome, SourceContext};

/// What an adapter knows about one item, before validation.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    /// The platform's stable id of the item (made id-safe later).
    pub item_id: String,
    pub kind: Kind,
    pub title: String,
    pub body: Option<String>,
    pub organ: Option<String>,
    /// When `None`, the first diarienummer in the body (then the title) is used.
    pub diarienummer: Option<String>,
    pub date: Option<NaiveDate>,
    pub publish_from: Option<NaiveDate>,
    pub publish_to: Option<NaiveDate>,
    pub url: Option<String>,
    /// The item's files (deduplicated by URL when finished).
    pub files: Vec<FileLink>,
}

impl Draft {
    pub fn new(item_id: impl Into<String>, kind: Kind, title: impl Into<String>) -> Draft {
        Draft {
            item_id: item_id.into(),
            kind,
            title: title.into(),
            body: None,
            organ: None,
            diarienummer: None,
            date: None,
            publish_from: None,
            publish_to: None,
            url: None,
            files: Vec::new(),
        }
    }

    /// Cleans, redacts and validates the draft.
    pub fn finish(self, context: &SourceContext) -> Result<Document, String> {
        let one_line = |s: String| Some(text::normalise_whitespace(&s)).filter(|s| !s.is_empty());
        let title = one_line(self.title).ok_or("no title")?;
        let body = self.body.map(|b| text::normalise_multiline(&b)).filter(|b| !b.is_empty());
        let organ = self.organ.and_then(one_line);
        let diarienummer = self
            .diarienummer
            .and_then(one_line)
            .or_else(|| body.as_deref().and_then(text::extract_diarienummer))
            .or_else(|| text::extract_diarienummer(&title));
        let date = self.date.or(self.publish_from).ok_or("no date")?;
        if self.item_id.trim().is_empty() || text::item_key(&self.item_id).is_empty() {
            return Err("no usable item id".into());
        }
        let redact = |s: String| redact_personnummer(&s);
        let mut object = Map::new();
        let mut put = |key: &str, value: Option<String>| {
            object.insert(key.to_string(), value.map_or(Value::Null, Value::String));
        };
        put("id", Some(text::document_id(&context.kommun_kod, context.platform, &self.item_id)));
        put("kind", Some(self.kind.as_str().to_string()));
        put("kommun_kod", Some(context.kommun_kod.clone()));
        put("organ", organ.map(redact));
        put("diarienummer", diarienummer.map(redact));
        put("title", Some(redact(title)));
        put("body", body.map(redact));
        put("date", Some(date.to_string()));
        put("publish_from", self.publish_from.map(|d| d.to_string()));
        put("publish_to", self.publish_to.map(|d| d.to_string()));
        put("url", self.url.map(|u| u.trim().to_string()).filter(|u| !u.is_empty()));
        put("source", Some(context.platform.to_string()));
        let files: Vec<Value> = self
            .files
            .iter()
            .filter(|f| text::looks_like_http_url(&f.url))
            .take(100)
            .map(|f| serde_json::json!({"url": f.url.trim(), "name": f.name}))
            .collect();
        if !files.is_empty() {
            object.insert("files".into(), Value::Array(files));
        }
        let parsed = Document::from_json_object(&object, Registry::global()).map_err(|e| e.to_string())?;
        for warning in &parsed.warnings {
            tracing::debug!(source = %context.source_id, %warning, "document warning");
        }
        Ok(parsed.document)
    }

    /// Finishes the draft into `outcome`: a document, or a rejection with the item id.
    pub fn finish_into(self, context: &SourceContext, outcome: &mut ParseOutcome) {
        let item_id = self.item_id.clone();
        match self.finish(context) {
            Ok(document) => outcome.push(item_id, document),
            Err(reason) => outcome.reject(Some(item_id), reason),
        }
    }
}
