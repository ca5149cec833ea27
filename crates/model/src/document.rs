//! Document JSON v1: the one format every source is turned into and every import reads.
//!
//! See `CONTRACT.md` §1. [`Document::from_json_line`] is the single gate: it returns either a
//! document that satisfies every rule (plus warnings for ignorable oddities such as unknown
//! fields), or a [`DocumentError`] that names the reason in one line.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::diarienummer::CaseNumber;
use crate::registry::Registry;

/// What kind of council matter a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A registered case in the diarium (ärende).
    Arende,
    /// A notice on the anslagstavla.
    Anslag,
    /// Meeting minutes or an agenda item.
    Protokoll,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Arende, Kind::Anslag, Kind::Protokoll];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Arende => "arende",
            Kind::Anslag => "anslag",
            Kind::Protokoll => "protokoll",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// The Swedish label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Arende => "Ärende",
            Kind::Anslag => "Anslag",
            Kind::Protokoll => "Protokoll",
        }
    }
}

/// A validated council document (Document JSON v1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub kind: Kind,
    pub kommun_kod: String,
    /// Always filled: from the input or from the registry.
    pub kommun: String,
    pub organ: Option<String>,
    pub diarienummer: Option<String>,
    pub title: String,
    pub body: Option<String>,
    pub date: NaiveDate,
    pub publish_from: Option<NaiveDate>,
    pub publish_to: Option<NaiveDate>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// The item's files (protokoll, kungörelse, bilagor) as the source links them; the harvester
    /// reads their text into documents of their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileLink>,
    /// The id of the document this one is a part of: a file's text is part of the item that
    /// links it, a paragraph (§) part of its protokoll's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    /// The paragraph (§) number, for a paragraph of a protokoll ("32", "32a").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<String>,
    /// The page of the file where this text starts (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Where a file's text came from: its text layer, or optical character recognition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_origin: Option<TextOrigin>,
}

/// A file an item links: a PDF of the protokoll, a kungörelse, a bilaga.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileLink {
    /// Absolute `http(s)` URL.
    pub url: String,
    /// The name people see (the link text or the file name).
    pub name: String,
}

/// Where the text of a document made from a file came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextOrigin {
    /// The file's own text layer (a born-digital PDF).
    Pdf,
    /// Optical character recognition of a scanned file: expect misread words.
    Ocr,
    /// A word processor file's text (DOCX).
    Docx,
    /// An OpenDocument text file's text (ODT).
    Odt,
}

impl TextOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            TextOrigin::Pdf => "pdf",
            TextOrigin::Ocr => "ocr",
            TextOrigin::Docx => "docx",
            TextOrigin::Odt => "odt",
        }
    }
}

/// Why a line was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("not valid JSON: {0}")]
    InvalidJson(String),
    #[error("not a JSON object")]
    NotAnObject,
    #[error("missing required field `{0}`")]
    MissingField(&'static str),
    #[error("field `{field}` {problem}")]
    InvalidField { field: &'static str, problem: String },
    #[error("unknown kommun_kod {0:?} (not a kommunkod or länskod in the registry)")]
    UnknownKommun(String),
}

/// A line that parsed, with the warnings it raised.
#[derive(Debug, Clone)]
pub struct ParsedLine {
    pub document: Document,
    pub warnings: Vec<String>,
}

const KNOWN_FIELDS: &[&str] = &[
    "id",
    "kind",
    "kommun_kod",
    "kommun",
    "organ",
    "diarienummer",
    "title",
    "body",
    "date",
    "publish_from",
    "publish_to",
    "url",
    "source",
    "files",
    "part_of",
    "paragraph",
    "page",
    "text_origin",
];

/// Most files one document may link.
const MAX_FILES: usize = 100;

/// Longest id accepted; ids are keys in URLs and in the index.
const MAX_ID_LEN: usize = 512;

impl Document {
    /// Parses and validates one line of Document JSON v1.
    pub fn from_json_line(line: &str, registry: &Registry) -> Result<ParsedLine, DocumentError> {
        let value: Value = serde_json::from_str(line).map_err(|e| DocumentError::InvalidJson(e.to_string()))?;
        let Value::Object(object) = value else { return Err(DocumentError::NotAnObject) };
        Self::from_json_object(&object, registry)
    }

    /// Validates an already parsed JSON object.
    pub fn from_json_object(object: &Map<String, Value>, registry: &Registry) -> Result<ParsedLine, DocumentError> {
        let mut warnings: Vec<String> = object
            .keys()
            .filter(|key| !KNOWN_FIELDS.contains(&key.as_str()))
            .map(|key| format!("unknown field `{key}` ignored"))
            .collect();

        let id = required_string(object, "id")?;
        if id.len() > MAX_ID_LEN {
            return Err(DocumentError::InvalidField {
                field: "id",
                problem: format!("is longer than {MAX_ID_LEN} bytes"),
            });
        }
        if id.chars().any(char::is_control) {
            return Err(DocumentError::InvalidField { field: "id", problem: "contains control characters".into() });
        }
        let kind_text = required_string(object, "kind")?;
        let kind = Kind::parse(&kind_text).ok_or_else(|| DocumentError::InvalidField {
            field: "kind",
            problem: format!("is {kind_text:?}, expected \"arende\", \"anslag\" or \"protokoll\""),
        })?;
        let kommun_kod = required_string(object, "kommun_kod")?;
        let organisation = registry.by_code(&kommun_kod).ok_or(DocumentError::UnknownKommun(kommun_kod.clone()))?;
        let kommun = match optional_string(object, "kommun")? {
            Some(name) => {
                if !names_agree(&name, &organisation.name) {
                    warnings.push(format!(
                        "kommun {name:?} does not match the registry's {:?} for {kommun_kod}; the registry's name is used",
                        organisation.name
                    ));
                }
                organisation.name.clone()
            }
            None => organisation.name.clone(),
        };
        let title = redact(required_string(object, "title")?);
        let date = required_date(object, "date")?;
        let publish_from = optional_date(object, "publish_from")?;
        let publish_to = optional_date(object, "publish_to")?;
        if let (Some(from), Some(to)) = (publish_from, publish_to) {
            if to < from {
                return Err(DocumentError::InvalidField {
                    field: "publish_to",
                    problem: format!("({to}) is before publish_from ({from})"),
                });
            }
        }
        Ok(ParsedLine {
            document: Document {
                id,
                kind,
                kommun_kod,
                kommun,
                organ: optional_string(object, "organ")?.filter(|s| !s.is_empty()).map(redact),
                diarienummer: optional_string(object, "diarienummer")?.filter(|s| !s.is_empty()).map(redact),
                title,
                body: optional_string(object, "body")?.map(redact),
                date,
                publish_from,
                publish_to,
                url: optional_string(object, "url")?,
                source: optional_string(object, "source")?,
                files: files(object)?,
                part_of: optional_string(object, "part_of")?.filter(|s| !s.is_empty()),
                paragraph: optional_string(object, "paragraph")?.filter(|s| !s.is_empty()),
                page: page(object)?,
                text_origin: text_origin(object)?,
            },
            warnings,
        })
    }

    /// The document as Document JSON v1.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("a document always serialises")
    }

    /// The case number parsed from `diarienummer`, when it holds one.
    pub fn case_number(&self) -> Option<CaseNumber> {
        let text = self.diarienummer.as_deref()?;
        CaseNumber::parse(text).or_else(|| CaseNumber::find_all(text).into_iter().next())
    }

    /// Case numbers mentioned in the title or body (other than the document's own).
    pub fn referenced_case_numbers(&self) -> Vec<CaseNumber> {
        let own = self.case_number();
        let mut found = CaseNumber::find_all(&self.title);
        if let Some(body) = &self.body {
            for case in CaseNumber::find_all(body) {
                if !found.contains(&case) {
                    found.push(case);
                }
            }
        }
        found.retain(|case| Some(case) != own.as_ref());
        found
    }

    /// The last day to appeal a decision announced on the anslagstavla: three weeks after the
    /// anslag date (kommunallagen 13 kap. 5 §). `None` for documents that are not anslag.
    pub fn last_day_of_appeal(&self) -> Option<NaiveDate> {
        if self.kind != Kind::Anslag {
            return None;
        }
        let from = self.publish_from.unwrap_or(self.date);
        Some(from + chrono::Days::new(21))
    }
}

/// Personnummer never enter the index, from any source.
fn redact(text: String) -> String {
    crate::personnummer::redact_personnummer(&text)
}

fn names_agree(given: &str, registry_name: &str) -> bool {
    let given = given.trim().to_lowercase();
    let expected = registry_name.to_lowercase();
    given == expected || given.starts_with(&expected) || expected.starts_with(&given)
}

fn required_string(object: &Map<String, Value>, field: &'static str) -> Result<String, DocumentError> {
    match object.get(field) {
        None | Some(Value::Null) => Err(DocumentError::MissingField(field)),
        Some(Value::String(s)) if s.trim().is_empty() => {
            Err(DocumentError::InvalidField { field, problem: "is empty".into() })
        }
        Some(Value::String(s)) => Ok(s.trim().to_string()),
        Some(other) => {
            Err(DocumentError::InvalidField { field, problem: format!("must be a string, got {}", type_name(other)) })
        }
    }
}

fn optional_string(object: &Map<String, Value>, field: &'static str) -> Result<Option<String>, DocumentError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(other) => Err(DocumentError::InvalidField {
            field,
            problem: format!("must be a string or null, got {}", type_name(other)),
        }),
    }
}

/// `files`: an array of `{"url": "http(s)://…", "name": "…"}` (a missing name is the URL's last
/// path segment).
fn files(object: &Map<String, Value>) -> Result<Vec<FileLink>, DocumentError> {
    let invalid = |problem: String| DocumentError::InvalidField { field: "files", problem };
    let items = match object.get("files") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => return Err(invalid(format!("must be an array, got {}", type_name(other)))),
    };
    if items.len() > MAX_FILES {
        return Err(invalid(format!("has {} entries, more than {MAX_FILES}", items.len())));
    }
    let mut links: Vec<FileLink> = Vec::with_capacity(items.len());
    for (position, item) in items.iter().enumerate() {
        let Value::Object(entry) = item else {
            return Err(invalid(format!("[{position}] must be an object {{url, name}}, got {}", type_name(item))));
        };
        let url = match entry.get("url") {
            Some(Value::String(url)) => url.trim().to_string(),
            _ => return Err(invalid(format!("[{position}].url must be a string"))),
        };
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) || url.chars().any(char::is_whitespace) {
            return Err(invalid(format!("[{position}].url is {url:?}, not an http(s) URL")));
        }
        let name = match entry.get("name") {
            Some(Value::String(name)) if !name.trim().is_empty() => name.trim().to_string(),
            None | Some(Value::Null) | Some(Value::String(_)) => {
                url.rsplit('/').next().unwrap_or_default().split(['?', '#']).next().unwrap_or_default().to_string()
            }
            Some(_) => return Err(invalid(format!("[{position}].name must be a string"))),
        };
        if !links.iter().any(|link| link.url == url) {
            links.push(FileLink { url, name: redact(name) });
        }
    }
    Ok(links)
}

fn page(object: &Map<String, Value>) -> Result<Option<u32>, DocumentError> {
    match object.get("page") {
        None | Some(Value::Null) => Ok(None),
        Some(value) => match value.as_u64().filter(|&n| n >= 1).and_then(|n| u32::try_from(n).ok()) {
            Some(page) => Ok(Some(page)),
            None => Err(DocumentError::InvalidField {
                field: "page",
                problem: format!("is {value}, not a page number (1 or more)"),
            }),
        },
    }
}

fn text_origin(object: &Map<String, Value>) -> Result<Option<TextOrigin>, DocumentError> {
    match optional_string(object, "text_origin")?.as_deref() {
        None | Some("") => Ok(None),
        Some("pdf") => Ok(Some(TextOrigin::Pdf)),
        Some("ocr") => Ok(Some(TextOrigin::Ocr)),
        Some("docx") => Ok(Some(TextOrigin::Docx)),
        Some("odt") => Ok(Some(TextOrigin::Odt)),
        Some(other) => Err(DocumentError::InvalidField {
            field: "text_origin",
            problem: format!("is {other:?}, expected \"pdf\", \"ocr\", \"docx\" or \"odt\""),
        }),
    }
}

fn parse_date(field: &'static str, text: &str) -> Result<NaiveDate, DocumentError> {
    if text.len() != 10 {
        return Err(DocumentError::InvalidField { field, problem: format!("is {text:?}, expected YYYY-MM-DD") });
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| DocumentError::InvalidField {
        field,
        problem: format!("is {text:?}, not a valid YYYY-MM-DD date"),
    })
}

fn required_date(object: &Map<String, Value>, field: &'static str) -> Result<NaiveDate, DocumentError> {
    parse_date(field, &required_string(object, field)?)
}

fn optional_date(object: &Map<String, Value>, field: &'static str) -> Result<Option<NaiveDate>, DocumentError> {
    optional_string(object, field)?.filter(|s| !s.is_empty()).map(|s| parse_date(field, &s)).transpose()
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<ParsedLine, DocumentError> {
        Document::from_json_line(line, Registry::global())
    }

    const GOOD: &str = r#"{"id":"a1","kind":"arende","kommun_kod":"1493","organ":"Kommunstyrelsen","diarienummer":"KS 2023/412","title":"Batterifabriken","body":"Text","date":"2023-05-02","publish_from":null,"publish_to":null,"url":"https://x","source":"file"}"#;

    #[test]
    fn accepts_a_complete_document_and_fills_the_kommun_name() {
        let parsed = parse(GOOD).unwrap();
        assert!(parsed.warnings.is_empty());
        assert_eq!(parsed.document.kommun, "Mariestad");
        assert_eq!(parsed.document.kind, Kind::Arende);
        assert_eq!(parsed.document.case_number().unwrap().key(), "ks2023-412");
    }

    #[test]
    fn round_trips_through_json() {
        let document = parse(GOOD).unwrap().document;
        let again = parse(&document.to_json().to_string()).unwrap().document;
        assert_eq!(document, again);
    }

    #[test]
    fn rejects_each_broken_rule_with_a_reason() {
        let cases = [
            ("not json", "not valid JSON"),
            ("[1,2]", "not a JSON object"),
            (r#"{"kind":"arende","kommun_kod":"1493","title":"t","date":"2023-01-01"}"#, "missing required field `id`"),
            (r#"{"id":"x","kind":"beslut","kommun_kod":"1493","title":"t","date":"2023-01-01"}"#, "field `kind`"),
            (r#"{"id":"x","kind":"arende","kommun_kod":"9999","title":"t","date":"2023-01-01"}"#, "unknown kommun_kod"),
            (
                r#"{"id":"x","kind":"arende","kommun_kod":"1493","title":"  ","date":"2023-01-01"}"#,
                "field `title` is empty",
            ),
            (
                r#"{"id":"x","kind":"arende","kommun_kod":"1493","title":"t","date":"2023-02-30"}"#,
                "not a valid YYYY-MM-DD",
            ),
            (r#"{"id":"x","kind":"arende","kommun_kod":"1493","title":"t","date":"2/3/2023"}"#, "expected YYYY-MM-DD"),
            (r#"{"id":"x","kind":"arende","kommun_kod":1493,"title":"t","date":"2023-01-01"}"#, "must be a string"),
            (
                r#"{"id":"x","kind":"anslag","kommun_kod":"1493","title":"t","date":"2023-01-01","publish_from":"2023-02-01","publish_to":"2023-01-01"}"#,
                "before publish_from",
            ),
        ];
        for (line, reason) in cases {
            let error = parse(line).unwrap_err().to_string();
            assert!(error.contains(reason), "{line}: {error}");
        }
    }

    #[test]
    fn warns_about_unknown_fields_and_wrong_names() {
        let line = r#"{"id":"x","kind":"anslag","kommun_kod":"1493","kommun":"Skövde","title":"t","date":"2023-01-01","extra":1}"#;
        let parsed = parse(line).unwrap();
        assert_eq!(parsed.warnings.len(), 2, "{:?}", parsed.warnings);
        assert_eq!(parsed.document.kommun, "Mariestad");
    }

    #[test]
    fn redacts_personnummer_at_ingest() {
        let line = r#"{"id":"x","kind":"anslag","kommun_kod":"1493","title":"Sökande 19121212-1212","body":"Part: 121212-1212, org 212000-1736","date":"2023-01-01"}"#;
        let document = parse(line).unwrap().document;
        assert_eq!(document.title, "Sökande [personnummer]");
        assert_eq!(document.body.as_deref(), Some("Part: [personnummer], org 212000-1736"));
    }

    #[test]
    fn computes_the_last_day_of_appeal_for_anslag() {
        let line = r#"{"id":"x","kind":"anslag","kommun_kod":"1493","title":"t","date":"2023-01-10","publish_from":"2023-01-10"}"#;
        let document = parse(line).unwrap().document;
        assert_eq!(document.last_day_of_appeal(), NaiveDate::from_ymd_opt(2023, 1, 31));
        assert_eq!(parse(GOOD).unwrap().document.last_day_of_appeal(), None);
    }

    #[test]
    fn reads_the_file_fields_and_rejects_broken_ones() {
        let line = r#"{"id":"x-p32","kind":"protokoll","kommun_kod":"1493","title":"§ 32 Detaljplan","date":"2023-01-10","part_of":"x","paragraph":"32","page":7,"text_origin":"ocr","files":[{"url":"https://mariestad.se/a/Protokoll%20KS.pdf","name":"Protokoll KS.pdf"},{"url":"https://mariestad.se/b.pdf"}]}"#;
        let document = parse(line).unwrap().document;
        assert_eq!((document.part_of.as_deref(), document.paragraph.as_deref()), (Some("x"), Some("32")));
        assert_eq!((document.page, document.text_origin), (Some(7), Some(TextOrigin::Ocr)));
        assert_eq!(document.files.len(), 2);
        assert_eq!(document.files[1].name, "b.pdf");
        assert_eq!(parse(&document.to_json().to_string()).unwrap().document, document);
        // A document without them serialises as before (harvest change detection hashes it).
        assert!(!parse(GOOD).unwrap().document.to_json().as_object().unwrap().contains_key("files"));
        let broken = [
            (r#""page":0"#, "field `page`"),
            (r#""page":"7""#, "field `page`"),
            (r#""text_origin":"scan""#, "field `text_origin`"),
            (r#""files":"a.pdf""#, "field `files` must be an array"),
            (r#""files":[{"url":"javascript:alert(1)"}]"#, "not an http(s) URL"),
            (r#""files":[{"name":"a.pdf"}]"#, "url must be a string"),
        ];
        for (field, reason) in broken {
            let line = format!(
                r#"{{"id":"x","kind":"protokoll","kommun_kod":"1493","title":"t","date":"2023-01-10",{field}}}"#
            );
            let error = parse(&line).unwrap_err().to_string();
            assert!(error.contains(reason), "{field}: {error}");
        }
    }
}
