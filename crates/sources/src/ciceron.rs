//! Formpipe Ciceron (webbdiarium, anslagstavla): JSON-RPC 2.0 at `POST {base}/json`.
//!
//! A harvest is four calls, all built here as JSON values for the fetch layer to POST:
//!
//! 1. [`test_request`] (`CiceronsokServer:Test`) → a `session_id` ([`parse_test`]), reused after.
//! 2. [`search_request`] (`CiceronsokServer:Search`, with `search_id`, `doctype`, `text` and
//!    `param` — a JSON object *serialised into a string*, e.g. [`anslagstavla_param`]) →
//!    `{"hits": N}` ([`parse_search`]).
//! 3. [`read_items_request`] (`CiceronsokServer:ReadItems`, `search_id`, `offset`, `limit`) →
//!    `results[] {id, title, object_link, diary_name, diarie}` ([`parse_items`]).
//! 4. [`read_object_details_request`] → `documents[] {name, id, filename_b64}`
//!    ([`parse_object_details`]); files at [`download_url`].
//!
//! Responses are `{"jsonrpc":"2.0","result":…,"id":…}` (the session id at the top level or in
//! the result) or `{"error":{code,message}}`, which is a [`SourceError::Remote`]. Deployments
//! differ in whether `result` holds the object or a *string* of JSON (`{"result":"{\"hits\":4}"}`);
//! both are read.
//!
//! A result row's `id` is its position in the search, not an identity: the document id is
//! built from the diarienummer (`{diary_name}-{diarie}`), or the object link when there is none.
//! Rows carry no date in the documented shape; a date field is used when present, then the
//! `d=` of the object link, and otherwise the day the harvester saw the row (`seen_on`).

use chrono::NaiveDate;
use namndsok_model::{Document, Kind};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::adapter::{PassContext, PlatformParams, Reply, Request, SourceAdapter, Step};
use crate::draft::Draft;
use crate::text::{self, clean_line};
use crate::{describe, parse_json, scalar_text, ParseOutcome, SourceContext, SourceError};

const METHOD_PREFIX: &str = "CiceronsokServer:";

/// Item fields that may hold the item's own date, in order of preference.
const DATE_FIELDS: &[&str] =
    &["date", "post_date", "reg_date", "registration_date", "regdate", "decision_date", "from_date", "created"];
const PUBLISH_FROM_FIELDS: &[&str] = &["post_date", "posted", "from_date", "publish_from"];
const PUBLISH_TO_FIELDS: &[&str] = &["post_to", "to_date", "unpost_date", "publish_to"];
const ORGAN_FIELDS: &[&str] = &["board", "instance", "unit_name", "organ"];

/// The JSON-RPC endpoint.
pub fn endpoint_url(base: &str) -> String {
    format!("{}/json", base.trim_end_matches('/'))
}

/// A file of an object (`filename_b64` as given by `ReadObjectDetails`).
pub fn download_url(base: &str, filename_b64: &str, id: &str) -> String {
    format!(
        "{}/download/document?filename={}&id={}",
        base.trim_end_matches('/'),
        percent_encode(filename_b64),
        percent_encode(id)
    )
}

fn request(method: &str, params: Value, session_id: Option<&str>, id: u64) -> Value {
    let mut body = json!({"jsonrpc": "2.0", "method": format!("{METHOD_PREFIX}{method}"), "params": params, "id": id});
    if let Some(session_id) = session_id {
        body["session_id"] = Value::String(session_id.to_string());
    }
    body
}

/// `Test`: opens a session.
pub fn test_request(id: u64) -> Value {
    request("Test", json!({}), None, id)
}

/// The `param` the anslagstavla's own page sends: posted (anslagna) cases of every diarium.
pub fn anslagstavla_param() -> Value {
    json!({"is_post": true, "has_files": false, "diary": "", "is_council": false})
}

/// `Search`. `param` is sent as a JSON *string*, as Ciceron expects.
pub fn search_request(
    session_id: Option<&str>,
    search_id: &str,
    doctype: i64,
    text: &str,
    param: &Value,
    id: u64,
) -> Value {
    let params = json!({"search_id": search_id, "doctype": doctype, "text": text, "param": param.to_string()});
    request("Search", params, session_id, id)
}

/// `ReadItems`: one page of the search's results.
pub fn read_items_request(session_id: Option<&str>, search_id: &str, offset: u32, limit: u32, id: u64) -> Value {
    request("ReadItems", json!({"search_id": search_id, "offset": offset, "limit": limit}), session_id, id)
}

/// `ReadObjectDetails`: the files of one result row (`item_id` is the row's `id`).
pub fn read_object_details_request(session_id: Option<&str>, search_id: &str, item_id: &str, id: u64) -> Value {
    request("ReadObjectDetails", json!({"search_id": search_id, "id": item_id}), session_id, id)
}

/// A successful JSON-RPC response.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcResponse {
    /// The result, with a stringified JSON result already parsed.
    pub result: Value,
    pub session_id: Option<String>,
    pub id: Value,
}

/// Parses a JSON-RPC response; `{"error": …}` becomes [`SourceError::Remote`].
pub fn parse_response(payload: &str) -> Result<RpcResponse, SourceError> {
    const EXPECTED: &str = "a JSON-RPC 2.0 response {\"jsonrpc\":\"2.0\",\"result\":…,\"id\":…}";
    let value = parse_json(payload, EXPECTED)?;
    let Value::Object(object) = value else {
        return Err(SourceError::WrongShape { expected: EXPECTED, found: describe(&value) });
    };
    if let Some(error) = object.get("error").filter(|e| !e.is_null()) {
        let (code, message) = match error {
            Value::Object(e) => (
                e.get("code").and_then(scalar_text).unwrap_or_else(|| "?".into()),
                e.get("message").and_then(scalar_text).unwrap_or_else(|| error.to_string()),
            ),
            other => ("?".into(), scalar_text(other).unwrap_or_else(|| other.to_string())),
        };
        return Err(SourceError::Remote { code, message });
    }
    let Some(result) = object.get("result") else {
        return Err(SourceError::WrongShape { expected: EXPECTED, found: describe(&Value::Object(object)) });
    };
    let result = unwrap_result(result.clone())?;
    let session_id = object
        .get("session_id")
        .and_then(Value::as_str)
        .or_else(|| result.get("session_id").and_then(Value::as_str))
        .map(str::to_string)
        .filter(|s| !s.is_empty());
    Ok(RpcResponse { result, session_id, id: object.get("id").cloned().unwrap_or(Value::Null) })
}

/// Peels `{"result": "<json>"}` and `"<json>"` layers off a result.
fn unwrap_result(mut value: Value) -> Result<Value, SourceError> {
    for _ in 0..4 {
        value = match value {
            Value::String(text) if text.trim_start().starts_with(['{', '[']) => {
                parse_json(&text, "a JSON result inside the JSON-RPC result string")?
            }
            Value::Object(mut object) if object.len() <= 2 && object.contains_key("result") => {
                let inner = object.remove("result").unwrap_or(Value::Null);
                if inner.is_string() || inner.is_object() {
                    // Keep a session id that sat next to the inner result.
                    match (inner, object.remove("session_id")) {
                        (Value::Object(mut inner), Some(session)) => {
                            inner.entry("session_id").or_insert(session);
                            Value::Object(inner)
                        }
                        (inner, _) => inner,
                    }
                } else {
                    object.insert("result".into(), inner);
                    return Ok(Value::Object(object));
                }
            }
            other => return Ok(other),
        };
    }
    Ok(value)
}

/// The session id from a `Test` response.
pub fn parse_test(payload: &str) -> Result<String, SourceError> {
    parse_response(payload)?
        .session_id
        .ok_or(SourceError::WrongShape { expected: "a Test response with a session_id", found: "no session_id".into() })
}

/// What `Search` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHits {
    pub hits: u64,
    pub session_id: Option<String>,
}

/// Parses a `Search` response: `{"hits": N}`, possibly as a string.
pub fn parse_search(payload: &str) -> Result<SearchHits, SourceError> {
    let response = parse_response(payload)?;
    let hits = response.result.get("hits").and_then(|h| h.as_u64().or_else(|| h.as_str()?.trim().parse().ok()));
    match hits {
        Some(hits) => Ok(SearchHits { hits, session_id: response.session_id }),
        None => Err(SourceError::WrongShape {
            expected: "a Search result {\"hits\": N}",
            found: describe(&response.result),
        }),
    }
}

/// Parses a `ReadItems` page into documents of `kind` (anslag for an anslagstavla, arende for a
/// webbdiarium). `offset`/`limit` are the request's; `total_hits` comes from [`parse_search`];
/// `seen_on` dates rows that carry no date of their own.
pub fn parse_items(
    context: &SourceContext,
    payload: &str,
    kind: Kind,
    offset: u32,
    limit: u32,
    total_hits: Option<u64>,
    seen_on: NaiveDate,
) -> Result<ParseOutcome, SourceError> {
    const EXPECTED: &str = "a ReadItems result {\"results\": [...]}";
    let response = parse_response(payload)?;
    let results = match &response.result {
        Value::Object(object) => match object.get("results").or_else(|| object.get("items")) {
            Some(Value::Array(results)) => results,
            _ => return Err(SourceError::WrongShape { expected: EXPECTED, found: describe(&response.result) }),
        },
        Value::Array(results) => results,
        other => return Err(SourceError::WrongShape { expected: EXPECTED, found: describe(other) }),
    };
    let mut outcome = ParseOutcome::default();
    for row in results {
        match row {
            Value::Object(row) => row_into(context, row, kind, seen_on, &mut outcome),
            other => outcome.reject(None, format!("a result row must be an object, got {}", describe(other))),
        }
    }
    let next = u64::from(offset) + results.len() as u64;
    let more = match total_hits {
        Some(total) => next < total,
        None => results.len() as u64 >= u64::from(limit),
    };
    outcome.next_page = (more && !results.is_empty()).then(|| u32::try_from(next).unwrap_or(u32::MAX));
    Ok(outcome)
}

fn row_into(
    context: &SourceContext,
    row: &Map<String, Value>,
    kind: Kind,
    seen_on: NaiveDate,
    outcome: &mut ParseOutcome,
) {
    let field = |key: &str| row.get(key).and_then(scalar_text);
    let first_date = |keys: &[&str]| keys.iter().find_map(|key| field(key).and_then(|v| text::parse_date(&v)));
    let diary = field("diary_name").map(|d| clean_line(&d));
    let diarie = field("diarie").map(|d| clean_line(&d));
    let diarienummer = match (&diary, &diarie) {
        (Some(diary), Some(diarie)) if diarie.to_lowercase().starts_with(&diary.to_lowercase()) => Some(diarie.clone()),
        (Some(diary), Some(diarie)) => Some(format!("{diary} {diarie}")),
        (None, Some(diarie)) => Some(diarie.clone()),
        _ => None,
    };
    let object_link = field("object_link");
    let row_id = field("id");
    let key = diarienummer.clone().or_else(|| object_link.clone()).or_else(|| row_id.clone());
    let Some(key) = key else {
        return outcome.reject(None, "row without diarie, object_link or id");
    };
    let item_id = format!("{}-{key}", kind.as_str());
    let date = first_date(DATE_FIELDS).or_else(|| object_link.as_deref().and_then(link_date));
    let mut draft = Draft::new(item_id, kind, clean_line(&field("title").unwrap_or_default()));
    draft.diarienummer = diarienummer;
    draft.organ = ORGAN_FIELDS.iter().find_map(|key| field(key)).map(|o| clean_line(&o));
    draft.body = text::compose_body(None, &[("Diarium", diary.unwrap_or_default())]);
    draft.date = Some(date.unwrap_or(seen_on));
    if kind == Kind::Anslag {
        draft.publish_from = first_date(PUBLISH_FROM_FIELDS);
        draft.publish_to = first_date(PUBLISH_TO_FIELDS);
    }
    draft.url = Some(item_url(&context.base_url, object_link.as_deref(), kind));
    draft.finish_into(context, outcome);
}

/// `d=2024-02-26 00:00:00` in an object link.
fn link_date(link: &str) -> Option<NaiveDate> {
    link.trim_start_matches('?').split('&').find_map(|pair| pair.strip_prefix("d=")).and_then(text::parse_date)
}

fn item_url(base: &str, object_link: Option<&str>, kind: Kind) -> String {
    match object_link {
        Some(link) if link.starts_with("http://") || link.starts_with("https://") => link.to_string(),
        Some(link) if link.starts_with('?') => format!("{base}/#!/search/{}", link.replace(' ', "%20")),
        _ if kind == Kind::Anslag => format!("{base}/#!/billboard/"),
        _ => format!("{base}/#!/search/"),
    }
}

/// One file of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiceronFile {
    pub name: String,
    pub id: String,
    pub filename_b64: String,
}

/// Parses `ReadObjectDetails` into the object's files; rows without a name or file are skipped.
pub fn parse_object_details(payload: &str) -> Result<Vec<CiceronFile>, SourceError> {
    let response = parse_response(payload)?;
    let Some(Value::Array(documents)) = response.result.get("documents") else {
        return Err(SourceError::WrongShape {
            expected: "a ReadObjectDetails result {\"documents\": [...]}",
            found: describe(&response.result),
        });
    };
    Ok(documents
        .iter()
        .filter_map(|document| {
            Some(CiceronFile {
                name: clean_line(&scalar_text(document.get("name")?)?),
                id: scalar_text(document.get("id")?)?,
                filename_b64: scalar_text(document.get("filename_b64")?)?,
            })
        })
        .collect())
}

/// Percent-encodes everything but unreserved URL characters.
use namndsok_model::url::encode_component as percent_encode;

/// A Ciceron source's params.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CiceronParams {
    /// The document type searched: 2 = ärenden (what the anslagstavla lists with `is_post`).
    #[serde(default = "CiceronParams::default_doctype")]
    pub doctype: i64,
    /// The search's id, chosen by the client; empty means the default.
    #[serde(default = "CiceronParams::default_search_id", deserialize_with = "non_empty_search_id")]
    pub search_id: String,
    /// Anslag for an anslagstavla, arende for a webbdiarium.
    #[serde(default = "CiceronParams::default_kind")]
    pub kind: Kind,
}

/// Ciceron's default document type: 2 = ärenden.
pub const DEFAULT_DOCTYPE: i64 = 2;
/// Ciceron's search ids are chosen by the client; this one is ours.
pub const DEFAULT_SEARCH_ID: &str = "namndsok";

impl CiceronParams {
    fn default_doctype() -> i64 {
        DEFAULT_DOCTYPE
    }

    fn default_search_id() -> String {
        DEFAULT_SEARCH_ID.to_string()
    }

    fn default_kind() -> Kind {
        Kind::Anslag
    }
}

fn non_empty_search_id<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let search_id = String::deserialize(deserializer)?;
    Ok(if search_id.is_empty() { CiceronParams::default_search_id() } else { search_id })
}

impl PlatformParams for CiceronParams {
    fn adapter(&self, pass: PassContext) -> Box<dyn SourceAdapter> {
        Box::new(CiceronSource { params: self.clone(), pass, call_id: 0, phase: Phase::Test })
    }
}

/// A pass over a Ciceron JSON-RPC endpoint: `Test` for a session (reused for every call),
/// `Search`, then `ReadItems` pages.
pub struct CiceronSource {
    params: CiceronParams,
    pass: PassContext,
    /// The JSON-RPC id of the last call.
    call_id: u64,
    phase: Phase,
}

enum Phase {
    Test,
    Search { session: String },
    Items { session: String, hits: u64, offset: u32 },
}

impl CiceronSource {
    fn call(&mut self, body: impl FnOnce(u64) -> Value) -> Request {
        self.call_id += 1;
        Request::post_json(endpoint_url(&self.pass.source.base_url), &body(self.call_id))
    }

    fn read_items(&mut self, session: &str, offset: u32) -> Request {
        let (search_id, size) = (self.params.search_id.clone(), self.pass.page_size);
        self.call(|id| read_items_request(Some(session), &search_id, offset, size, id)).listing_page()
    }
}

impl SourceAdapter for CiceronSource {
    fn first_request(&mut self) -> Request {
        self.call(test_request)
    }

    fn step(&mut self, reply: Reply) -> Result<Step, SourceError> {
        match std::mem::replace(&mut self.phase, Phase::Test) {
            Phase::Test => {
                let session = parse_test(reply.text())?;
                let (search_id, doctype) = (self.params.search_id.clone(), self.params.doctype);
                let search =
                    self.call(|id| search_request(Some(&session), &search_id, doctype, "", &anslagstavla_param(), id));
                self.phase = Phase::Search { session };
                Ok(Step::then(search))
            }
            Phase::Search { session } => {
                let found = parse_search(reply.text())?;
                let session = found.session_id.unwrap_or(session);
                let request = self.read_items(&session, 0);
                self.phase = Phase::Items { session, hits: found.hits, offset: 0 };
                Ok(Step::then(request))
            }
            Phase::Items { session, hits, offset } => {
                let outcome = parse_items(
                    &self.pass.source,
                    reply.text(),
                    self.params.kind,
                    offset,
                    self.pass.page_size,
                    Some(hits),
                    self.pass.today,
                )?;
                let next = outcome.next_page.map(|next| self.read_items(&session, next));
                self.phase = Phase::Items { offset: outcome.next_page.unwrap_or(offset), session, hits };
                Ok(Step::page(outcome, next))
            }
        }
    }

    /// `ReadObjectDetails`: the object's files (the protokoll, the kungörelse), in the pass's
    /// session. Optional for the harvester: without it the item keeps its listing.
    fn detail_request(&self, item_id: &str) -> Option<Request> {
        let Phase::Items { session, .. } = &self.phase else { return None };
        let body = read_object_details_request(Some(session), &self.params.search_id, item_id, self.call_id + 1);
        Some(Request::post_json(endpoint_url(&self.pass.source.base_url), &body))
    }

    fn parse_detail(&self, _item_id: &str, listed: &Document, payload: &str) -> Option<Document> {
        let files = parse_object_details(payload).ok()?;
        let mut document = listed.clone();
        for file in files {
            let url = download_url(&self.pass.source.base_url, &file.filename_b64, &file.id);
            if !document.files.iter().any(|f| f.url == url) && document.files.len() < 100 {
                let name = namndsok_model::personnummer::redact_personnummer(&file.name);
                document.files.push(namndsok_model::FileLink { url, name });
            }
        }
        Some(document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapter::{run_to_end, Method};
    use crate::ErrorCheck;

    const TEST: &str = include_str!("../tests/fixtures/ciceron-test.json");
    const SEARCH: &str = include_str!("../tests/fixtures/ciceron-search.json");
    const ITEMS: &str = include_str!("../tests/fixtures/ciceron-read-items.json");
    const ERROR: &str = include_str!("../tests/fixtures/ciceron-error.json");
    const DETAILS: &str = include_str!("../tests/fixtures/ciceron-object-details.json");
    const ERROR_PAGE: &str = include_str!("../tests/fixtures/error-page.html");
    const SESSION: &str = "AB22227AC78CFD63A7C97A6CCB48C4E1B1FD612441";

    fn context() -> SourceContext {
        SourceContext::new("engelholm-ciceron", "1292", "ciceron", "https://anslagstavlan.engelholm.se")
    }

    fn seen_on() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
    }

    #[test]
    fn builds_requests_with_param_as_a_json_string() {
        assert_eq!(endpoint_url("https://x.se/"), "https://x.se/json");
        assert_eq!(
            test_request(1),
            json!({"jsonrpc": "2.0", "method": "CiceronsokServer:Test", "params": {}, "id": 1})
        );
        let search = search_request(Some(SESSION), "namndsok", 2, "", &anslagstavla_param(), 2);
        assert_eq!(search["method"], "CiceronsokServer:Search");
        assert_eq!(search["session_id"], SESSION);
        assert_eq!(search["params"]["doctype"], 2);
        let param = search["params"]["param"].as_str().expect("param is a string");
        assert_eq!(serde_json::from_str::<Value>(param).unwrap(), anslagstavla_param());
        assert_eq!(
            read_items_request(Some(SESSION), "namndsok", 100, 50, 3)["params"],
            json!({"search_id": "namndsok", "offset": 100, "limit": 50})
        );
        assert_eq!(read_object_details_request(None, "s", "7", 4)["params"], json!({"search_id": "s", "id": "7"}));
        assert!(read_object_details_request(None, "s", "7", 4).get("session_id").is_none());
        assert_eq!(
            download_url("https://x.se", "UHJvdG9rb2xsIEtGIDI0MDIyNi5wZGY=", "2732"),
            "https://x.se/download/document?filename=UHJvdG9rb2xsIEtGIDI0MDIyNi5wZGY%3D&id=2732"
        );
    }

    #[test]
    fn reads_session_and_hits_in_both_result_shapes() {
        assert_eq!(parse_test(TEST).unwrap(), SESSION);
        assert_eq!(parse_search(SEARCH).unwrap(), SearchHits { hits: 5, session_id: Some(SESSION.into()) });
        let plain = r#"{"jsonrpc":"2.0","result":{"hits":"12","session_id":"S1"},"id":2}"#;
        assert_eq!(parse_search(plain).unwrap(), SearchHits { hits: 12, session_id: Some("S1".into()) });
        let no_session = r#"{"jsonrpc":"2.0","result":{},"id":1}"#;
        assert!(matches!(parse_test(no_session), Err(SourceError::WrongShape { .. })));
        assert!(matches!(
            parse_search(r#"{"jsonrpc":"2.0","result":{"result":"{}"},"id":2}"#),
            Err(SourceError::WrongShape { .. })
        ));
    }

    #[test]
    fn turns_rpc_errors_into_source_errors() {
        let error = parse_search(ERROR).unwrap_err();
        assert_eq!(error, SourceError::Remote { code: "-32000".into(), message: "Session expired".into() });
        let cases: [(&str, ErrorCheck); 5] = [
            (ERROR_PAGE, |e| matches!(e, SourceError::HtmlInsteadOfJson { .. })),
            (r#"{"jsonrpc":"2.0","result":{"hits":"#, |e| matches!(e, SourceError::Truncated { .. })),
            (r#"{"jsonrpc":"2.0","id":1}"#, |e| matches!(e, SourceError::WrongShape { .. })),
            (r#"{"jsonrpc":"2.0","error":"Unknown method","id":1}"#, |e| matches!(e, SourceError::Remote { .. })),
            (r#"{"jsonrpc":"2.0","result":{"result":"{\"hits\":"},"id":1}"#, |e| {
                matches!(e, SourceError::Truncated { .. })
            }),
        ];
        for (payload, check) in cases {
            let error = parse_search(payload).unwrap_err();
            assert!(check(&error), "{payload}: {error}");
        }
    }

    #[test]
    fn parses_result_rows_into_documents() {
        let outcome = parse_items(&context(), ITEMS, Kind::Anslag, 0, 100, Some(5), seen_on()).unwrap();
        let ids: Vec<&str> = outcome.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            ["1292-ciceron-anslag-SBN-2026-154", "1292-ciceron-anslag-KS-2025-1022", "1292-ciceron-anslag-SOC-2026-33"]
        );

        let first = &outcome.documents[0];
        assert_eq!(first.title, "Yttrande över bygglov fastigheten Stäven 26");
        assert_eq!(first.diarienummer.as_deref(), Some("SBN 2026/154"));
        assert_eq!(first.case_number().unwrap().key(), "sbn2026-154");
        assert_eq!(first.date, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        assert_eq!(first.publish_from, NaiveDate::from_ymd_opt(2026, 3, 2));
        assert_eq!(first.kind, Kind::Anslag);
        assert_eq!(first.url.as_deref(), Some("https://anslagstavlan.engelholm.se/#!/search/?t=2&i=123&n=SBN"));
        assert_eq!(first.body.as_deref(), Some("Diarium: SBN"));

        let second = &outcome.documents[1];
        assert_eq!(second.date, NaiveDate::from_ymd_opt(2026, 2, 27).unwrap());
        assert_eq!(second.organ.as_deref(), Some("Kommunstyrelsen"));
        assert_eq!(second.url.as_deref(), Some("https://anslagstavlan.engelholm.se/#!/billboard/"));

        // The diarie already holds the diarium code; no date anywhere: seen_on.
        let third = &outcome.documents[2];
        assert_eq!(third.diarienummer.as_deref(), Some("SOC 2026/33"));
        assert_eq!(third.date, seen_on());
        assert_eq!(third.title, "Ansökan om serveringstillstånd, sökande [personnummer]");

        let rejected: Vec<(Option<&str>, &str)> =
            outcome.rejected.iter().map(|r| (r.item_id.as_deref(), r.reason.as_str())).collect();
        assert_eq!(
            rejected,
            [(Some("anslag-KS 2026/5"), "no title"), (None, "a result row must be an object, got a number")]
        );
        assert_eq!(outcome.next_page, None);
        assert_eq!(parse_items(&context(), ITEMS, Kind::Anslag, 0, 5, Some(40), seen_on()).unwrap().next_page, Some(5));
    }

    #[test]
    fn a_webbdiarium_gives_arenden_dated_by_their_link() {
        let payload = r#"{"jsonrpc":"2.0","result":{"results":[{"id":"0","title":"Kommunfullmäktige 2024-02-26","object_link":"?t=1&i=Kommunfullmäktige&d=2024-02-26 00:00:00&n=KS","diary_name":"KS","diarie":""}]},"id":3}"#;
        let outcome = parse_items(&context(), payload, Kind::Arende, 0, 100, None, seen_on()).unwrap();
        assert!(outcome.rejected.is_empty(), "{:?}", outcome.rejected);
        let document = &outcome.documents[0];
        assert_eq!(document.kind, Kind::Arende);
        assert_eq!(document.date, NaiveDate::from_ymd_opt(2024, 2, 26).unwrap());
        assert_eq!((document.publish_from, document.publish_to), (None, None));
        assert_eq!(document.id, "1292-ciceron-arende-t-1-i-Kommunfullmäktige-d-2024-02-26-00-00-00-n-KS");
        assert!(document.url.as_deref().unwrap().ends_with("d=2024-02-26%2000:00:00&n=KS"));
    }

    #[test]
    fn parses_object_details() {
        let files = parse_object_details(DETAILS).unwrap();
        assert_eq!(
            files,
            [CiceronFile {
                name: "Protokoll KF 240226".into(),
                id: "2732".into(),
                filename_b64: "UHJvdG9rb2xsIEtGIDI0MDIyNi5wZGY=".into()
            }]
        );
        assert!(parse_object_details(r#"{"jsonrpc":"2.0","result":{"items":[]},"id":4}"#).is_err());
    }

    #[test]
    fn the_adapter_opens_a_session_searches_and_reads_items() {
        let pass = PassContext { source: context(), page_size: 100, today: seen_on() };
        let params = CiceronParams { doctype: 2, search_id: "namndsok".into(), kind: Kind::Anslag };
        let mut adapter = params.adapter(pass);
        let (outcome, requests) = run_to_end(adapter.as_mut(), |request| {
            let Method::PostJson(body) = &request.method else { panic!("{request:?}") };
            let body: Value = serde_json::from_str(body).unwrap();
            match body["method"].as_str().unwrap().rsplit([':', '.']).next().unwrap() {
                "Test" => Reply::body(TEST),
                "Search" => Reply::body(SEARCH),
                "ReadItems" => Reply::body(ITEMS),
                other => panic!("{other}"),
            }
        })
        .unwrap();
        assert_eq!(requests.len(), 3);
        assert!(requests.iter().all(|r| r.target == "https://anslagstavlan.engelholm.se/json"));
        let bodies: Vec<Value> = requests
            .iter()
            .map(|r| match &r.method {
                Method::PostJson(body) => serde_json::from_str(body).unwrap(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(bodies.iter().map(|b| b["id"].as_u64().unwrap()).collect::<Vec<_>>(), [1, 2, 3]);
        assert!(bodies[0].get("session_id").is_none());
        for body in &bodies[1..] {
            assert_eq!(body["session_id"], "AB22227AC78CFD63A7C97A6CCB48C4E1B1FD612441");
        }
        assert!(!requests[1].listing_page && requests[2].listing_page);
        assert_eq!(outcome.documents.len() + outcome.rejected.len(), 5);
        assert_eq!(outcome.documents.len(), outcome.item_ids.len());
    }

    #[test]
    fn the_adapter_fails_on_a_remote_error() {
        let pass = PassContext { source: context(), page_size: 100, today: seen_on() };
        let params = CiceronParams { doctype: 2, search_id: "namndsok".into(), kind: Kind::Anslag };
        let mut adapter = params.adapter(pass);
        let result = run_to_end(adapter.as_mut(), |_| Reply::body(ERROR));
        assert!(matches!(result, Err(SourceError::Remote { .. })), "{result:?}");
    }
}
