//! Formpipe Meetings Plus: the digital anslagstavla's REST API (JSON, no authentication).
//!
//! - `GET {base}/api/dbb/v1.0/announcements/published?pageNumber=N&pageSize=S&manageableOnly=false`
//!   → `{Items: [{Id (GUID), Type, StartDate, EndDate, Title, CommitteeName (nullable),
//!   CommitteeLink}], TotalItemCount}` ([`list_url`], [`parse_list`]).
//! - `GET {base}/api/dbb/v1.0/announcements/{id}` → the same fields plus `Description` (free
//!   text, often `Diarienummer: BoM 2026-000840`) and `DocumentTitle` ([`detail_url`],
//!   [`parse_detail`]).
//! - `GET {base}/api/dbb/v1.0/announcement-types?…` → `[{Id, Name}]` or `{Items: [{Id, Name}]}`
//!   ([`types_url`], [`parse_announcement_types`]).
//!
//! Every announcement is an anslag: `StartDate` is the anslag date (publish_from), `EndDate` the
//! day it is taken down (publish_to, normally StartDate + 21 days). `Type` is a type name in the
//! lists we have seen (Ånge) but an id elsewhere; both are handled. The link for people is the
//! announcement's page on the bulletin board, `{base}/digital-bulletin-board/announcements/{id}`.

use std::collections::HashMap;

use namndsok_model::{Document, Kind};
use serde::Deserialize;
use serde_json::Value;

use crate::adapter::{PassContext, PlatformParams, Reply, Request, SourceAdapter, Step};
use crate::draft::Draft;
use crate::text::{self, clean_line};
use crate::{
    describe, field_ci, file_links, parse_json, raw_item_id, scalar_text, ParseOutcome, SourceContext, SourceError,
};

const API: &str = "api/dbb/v1.0";

/// The page of published announcements (`page_number` starts at 1).
pub fn list_url(base: &str, page_number: u32, page_size: u32) -> String {
    format!(
        "{}/{API}/announcements/published?pageNumber={page_number}&pageSize={page_size}&manageableOnly=false",
        base.trim_end_matches('/')
    )
}

/// One announcement with its description.
pub fn detail_url(base: &str, id: &str) -> String {
    format!("{}/{API}/announcements/{id}", base.trim_end_matches('/'))
}

/// All announcement types.
pub fn types_url(base: &str) -> String {
    format!("{}/{API}/announcement-types?pageNumber=1&pageSize=1000&manageableOnly=false", base.trim_end_matches('/'))
}

/// The announcement's page for people.
pub fn announcement_url(base: &str, id: &str) -> String {
    format!("{}/digital-bulletin-board/announcements/{id}", base.trim_end_matches('/'))
}

/// Announcement type ids → names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnouncementTypes(HashMap<String, String>);

impl AnnouncementTypes {
    pub fn name(&self, id: &str) -> Option<&str> {
        self.0.get(id).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Parses `announcement-types` in either shape: a bare array or `{Items: […]}`. Entries without
/// an id or a name are skipped.
pub fn parse_announcement_types(payload: &str) -> Result<AnnouncementTypes, SourceError> {
    const EXPECTED: &str = "Meetings Plus announcement types ([{Id, Name}] or {Items: [...]})";
    let value = parse_json(payload, EXPECTED)?;
    let items = match &value {
        Value::Array(items) => items,
        Value::Object(object) => match object.get("Items").or_else(|| object.get("items")) {
            Some(Value::Array(items)) => items,
            _ => return Err(SourceError::WrongShape { expected: EXPECTED, found: describe(&value) }),
        },
        other => return Err(SourceError::WrongShape { expected: EXPECTED, found: describe(other) }),
    };
    let mut types = HashMap::new();
    for item in items {
        let id = raw_item_id(item, &["Id", "id"]);
        let name = raw_item_id(item, &["Name", "name"]).map(|n| clean_line(&n));
        if let (Some(id), Some(name)) = (id, name) {
            types.insert(id, name);
        }
    }
    Ok(AnnouncementTypes(types))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Announcement {
    #[serde(alias = "id")]
    id: IdValue,
    #[serde(rename = "Type", alias = "type", default)]
    announcement_type: Option<Value>,
    #[serde(alias = "startDate")]
    start_date: Option<String>,
    #[serde(alias = "endDate", default)]
    end_date: Option<String>,
    #[serde(alias = "title")]
    title: Option<String>,
    #[serde(alias = "committeeName", default)]
    committee_name: Option<String>,
    #[serde(alias = "description", default)]
    description: Option<String>,
    #[serde(alias = "documentTitle", default)]
    document_title: Option<String>,
}

/// Ids are GUID strings; a number is accepted too.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum IdValue {
    Text(String),
    Number(i64),
}

impl IdValue {
    fn text(&self) -> String {
        match self {
            IdValue::Text(s) => s.trim().to_string(),
            IdValue::Number(n) => n.to_string(),
        }
    }
}

/// Parses one page of published announcements. `next_page` is the next page number while
/// `page_number * page_size < TotalItemCount` (or, without a total, while the page was full).
pub fn parse_list(
    context: &SourceContext,
    payload: &str,
    page_number: u32,
    page_size: u32,
    types: Option<&AnnouncementTypes>,
) -> Result<ParseOutcome, SourceError> {
    const EXPECTED: &str = "a Meetings Plus announcement list {Items: [...], TotalItemCount}";
    let value = parse_json(payload, EXPECTED)?;
    let (items, total) = match &value {
        Value::Object(object) => match object.get("Items").or_else(|| object.get("items")) {
            Some(Value::Array(items)) => {
                let total =
                    object.get("TotalItemCount").or_else(|| object.get("totalItemCount")).and_then(Value::as_u64);
                (items, total)
            }
            _ => return Err(SourceError::WrongShape { expected: EXPECTED, found: describe(&value) }),
        },
        Value::Array(items) => (items, None),
        other => return Err(SourceError::WrongShape { expected: EXPECTED, found: describe(other) }),
    };
    let mut outcome = ParseOutcome::default();
    for item in items {
        announcement_into(context, item, types, &mut outcome);
    }
    let more = match total {
        Some(total) => u64::from(page_number) * u64::from(page_size) < total,
        None => items.len() as u64 >= u64::from(page_size),
    };
    outcome.next_page = (more && !items.is_empty()).then_some(page_number + 1);
    Ok(outcome)
}

/// Parses one announcement's detail: the same document as in the list, with the description
/// as body and the diarienummer found in it.
pub fn parse_detail(
    context: &SourceContext,
    payload: &str,
    types: Option<&AnnouncementTypes>,
) -> Result<ParseOutcome, SourceError> {
    let value = detail_object(payload)?;
    let mut outcome = ParseOutcome::default();
    announcement_into(context, &value, types, &mut outcome);
    Ok(outcome)
}

/// The detail of the listed item `item_id` as a document: the detail's fields over the
/// listing's. The listing's id is kept (a detail may spell the GUID in another case or leave
/// it out), and what the detail leaves out (dates, title, nämnd) comes from `listed`.
pub fn detail_document(
    context: &SourceContext,
    item_id: &str,
    listed: &Document,
    payload: &str,
    types: Option<&AnnouncementTypes>,
) -> Result<Document, SourceError> {
    let mut value = detail_object(payload)?;
    let object = value.as_object_mut().expect("detail_object returns an object");
    object.retain(|key, _| !key.eq_ignore_ascii_case("id"));
    object.insert("Id".into(), Value::String(item_id.to_string()));
    let mut fill = |names: &[&str], fallback: Option<String>| {
        if field_ci(&Value::Object(object.clone()), names).is_none() {
            if let Some(fallback) = fallback {
                object.insert(names[0].to_string(), Value::String(fallback));
            }
        }
    };
    fill(&["StartDate"], Some(listed.publish_from.unwrap_or(listed.date).to_string()));
    fill(&["EndDate"], listed.publish_to.map(|d| d.to_string()));
    fill(&["Title"], Some(listed.title.clone()));
    fill(&["CommitteeName"], listed.organ.clone());
    let mut outcome = ParseOutcome::default();
    announcement_into(context, &value, types, &mut outcome);
    match (outcome.documents.pop(), outcome.rejected.pop()) {
        (Some(document), _) => Ok(document),
        (None, rejected) => Err(SourceError::WrongShape {
            expected: "a Meetings Plus announcement",
            found: rejected.map_or_else(|| "nothing".into(), |r| r.reason),
        }),
    }
}

/// The announcement object of a detail reply: the object itself, or the one object it wraps
/// (`{"Item": {…}}`, `{"Announcement": {…}}`, `{"Data": {…}}`).
fn detail_object(payload: &str) -> Result<Value, SourceError> {
    const EXPECTED: &str = "a Meetings Plus announcement {Id, Title, StartDate, Description, …}";
    let value = parse_json(payload, EXPECTED)?;
    let wrapped =
        field_ci(&value, &["Item", "Announcement", "Data", "Result"]).filter(|inner| inner.is_object()).cloned();
    match wrapped.unwrap_or(value) {
        object @ Value::Object(_) => Ok(object),
        other => Err(SourceError::WrongShape { expected: EXPECTED, found: describe(&other) }),
    }
}

/// Detail fields beyond the list's, as vendors and versions name them.
const DIARIENUMMER_FIELDS: &[&str] =
    &["DiaryNumber", "CaseNumber", "Diarienummer", "RegistrationNumber", "DiaryNo", "Dnr", "CaseReference"];
const MEETING_DATE_FIELDS: &[&str] = &["MeetingDate", "MeetingStartDate", "MeetingDateTime", "Sammantradesdatum"];
const FILE_URL_FIELDS: &[&str] = &[
    "ProtocolUrl",
    "ProtocolLink",
    "ProtocolUri",
    "DocumentUrl",
    "DocumentLink",
    "DocumentUri",
    "FileUrl",
    "DownloadUrl",
];
const FILE_ARRAY_FIELDS: &[&str] = &["Documents", "Attachments", "Files", "Protocols"];

fn announcement_into(
    context: &SourceContext,
    item: &Value,
    types: Option<&AnnouncementTypes>,
    outcome: &mut ParseOutcome,
) {
    let announcement: Announcement = match serde_json::from_value(item.clone()) {
        Ok(announcement) => announcement,
        Err(error) => return outcome.reject(raw_item_id(item, &["Id", "id"]), format!("not an announcement: {error}")),
    };
    let id = announcement.id.text();
    let date_field = |name: &str, value: &Option<String>| -> Result<Option<chrono::NaiveDate>, String> {
        match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(text) => text::parse_date(text).map(Some).ok_or_else(|| format!("{name} {text:?} is not a date")),
        }
    };
    let (start, end) =
        match (date_field("StartDate", &announcement.start_date), date_field("EndDate", &announcement.end_date)) {
            (Ok(Some(start)), Ok(end)) => (start, end),
            (Ok(None), _) => return outcome.reject(Some(id), "no StartDate"),
            (Err(reason), _) | (_, Err(reason)) => return outcome.reject(Some(id), reason),
        };
    let type_name = announcement.announcement_type.as_ref().and_then(scalar_text).and_then(|type_id| {
        match types.and_then(|t| t.name(&type_id)) {
            Some(name) => Some(name.to_string()),
            // A bare number is an id we cannot name; text is already a name.
            None if type_id.bytes().all(|b| b.is_ascii_digit()) => None,
            None if is_guid(&type_id) => None,
            None => Some(clean_line(&type_id)),
        }
    });
    let description = announcement.description.as_deref().map(text::strip_html);
    let mut facts = Vec::new();
    if let Some(type_name) = type_name {
        facts.push(("Typ", type_name));
    }
    if let Some(document_title) = announcement.document_title.as_deref().map(clean_line) {
        facts.push(("Handling", document_title));
    }
    let meeting_date = field_ci(item, MEETING_DATE_FIELDS).and_then(scalar_text).and_then(|d| text::parse_date(&d));
    if let Some(meeting_date) = meeting_date {
        facts.push(("Sammanträdesdatum", meeting_date.to_string()));
    }
    // Without a `CommitteeName`, the nämnd's page on the board (`CommitteeLink`, relative to
    // the base) says which nämnd it is: a link for people, and the name's words for search.
    let committee_page = field_ci(item, &["CommitteeLink", "CommitteeUrl"])
        .filter(|_| announcement.committee_name.as_deref().is_none_or(|name| name.trim().is_empty()))
        .and_then(scalar_text)
        .and_then(|link| text::resolve_url(&format!("{}/", context.base_url.trim_end_matches('/')), &link))
        .filter(|url| text::looks_like_http_url(url));
    if let Some(page) = committee_page {
        facts.push(("Nämndens sida", page));
    }
    let diarienummer = field_ci(item, DIARIENUMMER_FIELDS).and_then(scalar_text).map(|d| clean_line(&d));
    let mut draft = Draft::new(&id, Kind::Anslag, clean_line(announcement.title.as_deref().unwrap_or_default()));
    draft.body = text::compose_body(description.as_deref(), &facts);
    draft.organ = announcement.committee_name.as_deref().map(clean_line);
    draft.diarienummer = diarienummer.or_else(|| description.as_deref().and_then(text::extract_diarienummer));
    draft.files = file_links(item, &context.base_url, FILE_URL_FIELDS, &["DocumentTitle"], FILE_ARRAY_FIELDS);
    draft.date = Some(start);
    draft.publish_from = Some(start);
    draft.publish_to = end;
    draft.url = Some(announcement_url(&context.base_url, &id));
    draft.finish_into(context, outcome);
}

fn is_guid(text: &str) -> bool {
    text.len() == 36 && text.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

/// A Meetings Plus source's params: none beyond the base URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingsPlusParams {}

impl PlatformParams for MeetingsPlusParams {
    fn adapter(&self, pass: PassContext) -> Box<dyn SourceAdapter> {
        Box::new(MeetingsPlusSource { pass, types: None, page: None })
    }
}

/// A pass over a Meetings Plus anslagstavla: the announcement types (optional: without them a
/// type given as an id goes unnamed), then the published list page by page; the harvester asks
/// for the detail (with the description and the diarienummer in it) of every changed item.
pub struct MeetingsPlusSource {
    pass: PassContext,
    types: Option<AnnouncementTypes>,
    /// The list page asked for last; `None` while the types are asked for.
    page: Option<u32>,
}

impl MeetingsPlusSource {
    fn list_request(&self, page: u32) -> Request {
        Request::get(list_url(&self.pass.source.base_url, page, self.pass.page_size)).listing_page()
    }
}

impl SourceAdapter for MeetingsPlusSource {
    fn first_request(&mut self) -> Request {
        Request::get(types_url(&self.pass.source.base_url)).optional()
    }

    fn step(&mut self, reply: Reply) -> Result<Step, SourceError> {
        let Some(page) = self.page else {
            if let Reply::Failed(reason) = &reply {
                tracing::debug!(source = %self.pass.source.source_id, error = %reason, "no announcement types");
            }
            self.types = parse_announcement_types(reply.text()).ok();
            self.page = Some(1);
            return Ok(Step::then(self.list_request(1)));
        };
        let outcome = parse_list(&self.pass.source, reply.text(), page, self.pass.page_size, self.types.as_ref())?;
        let next = outcome.next_page.map(|next| {
            self.page = Some(next);
            self.list_request(next)
        });
        Ok(Step::page(outcome, next))
    }

    fn detail_request(&self, item_id: &str) -> Option<Request> {
        Some(Request::get(detail_url(&self.pass.source.base_url, item_id)))
    }

    fn parse_detail(&self, item_id: &str, listed: &Document, payload: &str) -> Option<Document> {
        match detail_document(&self.pass.source, item_id, listed, payload, self.types.as_ref()) {
            Ok(document) => Some(document),
            Err(error) => {
                tracing::debug!(source = %self.pass.source.source_id, item_id, %error, "unusable detail; the listing is kept");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::adapter::run_to_end;
    use crate::ErrorCheck;
    use chrono::NaiveDate;

    use super::*;

    const ANGE: &str = include_str!("../tests/fixtures/meetingsplus-ange-announcements-published.json");
    const DETAIL: &str = include_str!("../tests/fixtures/meetingsplus-announcement-detail.json");
    const TYPES_ARRAY: &str = include_str!("../tests/fixtures/meetingsplus-announcement-types-array.json");
    const TYPES_ITEMS: &str = include_str!("../tests/fixtures/meetingsplus-announcement-types-items.json");
    const MIXED: &str = include_str!("../tests/fixtures/meetingsplus-announcements-mixed.json");
    const ERROR_PAGE: &str = include_str!("../tests/fixtures/error-page.html");

    fn context() -> SourceContext {
        SourceContext::new("ange-meetingsplus", "2260", "meetingsplus", "https://moten.ange.se")
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn builds_the_urls() {
        let base = "https://moten.ange.se/";
        assert_eq!(
            list_url(base, 2, 100),
            "https://moten.ange.se/api/dbb/v1.0/announcements/published?pageNumber=2&pageSize=100&manageableOnly=false"
        );
        assert_eq!(detail_url(base, "abc"), "https://moten.ange.se/api/dbb/v1.0/announcements/abc");
        assert_eq!(
            types_url(base),
            "https://moten.ange.se/api/dbb/v1.0/announcement-types?pageNumber=1&pageSize=1000&manageableOnly=false"
        );
        assert_eq!(announcement_url(base, "abc"), "https://moten.ange.se/digital-bulletin-board/announcements/abc");
    }

    #[test]
    fn parses_the_real_ange_list() {
        let outcome = parse_list(&context(), ANGE, 1, 100, None).unwrap();
        assert!(outcome.rejected.is_empty(), "{:?}", outcome.rejected);
        assert_eq!(outcome.documents.len(), 7);
        assert_eq!(outcome.next_page, None);
        let first = &outcome.documents[0];
        assert_eq!(first.id, "2260-meetingsplus-4825b254-0228-4723-8e7c-33ae0d644cc7");
        assert_eq!(first.kind, Kind::Anslag);
        assert_eq!(first.kommun, "Ånge");
        assert_eq!(first.title, "Protokoll från möte i Kommunfullmäktiges valberedning - 2024-02-26");
        assert_eq!(first.organ.as_deref(), Some("Kommunfullmäktiges valberedning"));
        assert_eq!(
            (first.date, first.publish_from, first.publish_to),
            (date(2024, 3, 1).unwrap(), date(2024, 3, 1), date(2024, 3, 22))
        );
        assert_eq!(first.body.as_deref(), Some("Typ: Kommunfullmäktiges valberednings protokoll"));
        assert_eq!(first.source.as_deref(), Some("meetingsplus"));
        assert_eq!(
            first.url.as_deref(),
            Some("https://moten.ange.se/digital-bulletin-board/announcements/4825b254-0228-4723-8e7c-33ae0d644cc7")
        );
        // `&` in a name is text, not an entity.
        assert_eq!(outcome.documents[5].organ.as_deref(), Some("Ånge Fastighets & Industri AB"));
        // The joint nämnd of Bräcke and Ånge has no committee: organ is null.
        let joint = &outcome.documents[6];
        assert_eq!(joint.organ, None);
        assert_eq!(joint.title, "Protokoll Bygg- och miljönämnden Bräcke och Ånge");
        // Protocols hang for the three weeks of appeal (EndDate = StartDate + 21 days); the
        // meeting notice (Kommunfullmäktige sammanträder 2024-02-26) hangs 11 days.
        for document in &outcome.documents {
            let three_weeks = document.last_day_of_appeal() == document.publish_to;
            assert_eq!(three_weeks, document.title.starts_with("Protokoll"), "{}", document.title);
        }
    }

    #[test]
    fn pages_by_total_item_count() {
        let outcome = parse_list(&context(), ANGE, 1, 5, None).unwrap();
        assert_eq!(outcome.next_page, Some(2));
        assert_eq!(parse_list(&context(), ANGE, 2, 5, None).unwrap().next_page, None);
        let empty = r#"{"Items": [], "TotalItemCount": 7}"#;
        assert_eq!(parse_list(&context(), empty, 9, 5, None).unwrap().next_page, None);
    }

    #[test]
    fn parses_both_shapes_of_announcement_types() {
        for payload in [TYPES_ARRAY, TYPES_ITEMS] {
            let types = parse_announcement_types(payload).unwrap();
            assert_eq!(types.len(), 3, "{payload}");
            assert_eq!(types.name("7"), Some("Kungörelse bygglov"));
            assert_eq!(
                types.name("a3c1a4c6-1f0e-4a4e-9a53-0b8c2f1d9e10"),
                Some("Tillkännagivande av justerat protokoll")
            );
        }
        for payload in ["{\"Types\": []}", "42"] {
            assert!(matches!(parse_announcement_types(payload), Err(SourceError::WrongShape { .. })), "{payload}");
        }
    }

    #[test]
    fn parses_the_detail_with_its_diarienummer() {
        let types = parse_announcement_types(TYPES_ITEMS).unwrap();
        let outcome = parse_detail(&context(), DETAIL, Some(&types)).unwrap();
        assert!(outcome.rejected.is_empty(), "{:?}", outcome.rejected);
        let document = &outcome.documents[0];
        assert_eq!(document.diarienummer.as_deref(), Some("BoM 2026-000840"));
        assert_eq!(document.case_number().unwrap().key(), "bom2026-840");
        assert_eq!(document.organ.as_deref(), Some("Bygg- och miljönämnden"));
        let body = document.body.as_deref().unwrap();
        assert!(body.starts_with("Beslut om bygglov för nybyggnad av enbostadshus"), "{body}");
        assert!(body.contains("Diarienummer: BoM 2026-000840"), "{body}");
        assert!(body.contains("Typ: Kungörelse bygglov"), "{body}");
        assert!(body.contains("Handling: Kungörelse BoM 2026-000840.pdf"), "{body}");
        // The sökande's personnummer is redacted, the organisationsnummer is not.
        assert!(body.contains("Sökande: [personnummer]"), "{body}");
        assert!(body.contains("556016-0680"), "{body}");
        assert!(!body.contains("811218-9876"), "{body}");
    }

    #[test]
    fn one_malformed_item_does_not_sink_the_page() {
        let types = parse_announcement_types(TYPES_ARRAY).unwrap();
        let outcome = parse_list(&context(), MIXED, 1, 100, Some(&types)).unwrap();
        let ids: Vec<&str> = outcome.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "2260-meetingsplus-11111111-2222-3333-4444-555555555555",
                "2260-meetingsplus-66666666-7777-8888-9999-000000000000"
            ]
        );
        let rejected: Vec<(Option<&str>, &str)> =
            outcome.rejected.iter().map(|r| (r.item_id.as_deref(), r.reason.as_str())).collect();
        assert_eq!(rejected.len(), 4, "{rejected:?}");
        assert!(rejected[0].1.contains("StartDate \"snart\" is not a date"), "{rejected:?}");
        assert_eq!(rejected[1].0, Some("bad-title"));
        assert!(rejected[1].1.contains("no title"), "{rejected:?}");
        assert!(rejected[2].1.contains("before publish_from"), "{rejected:?}");
        assert_eq!(rejected[3].0, None);
        assert!(rejected[3].1.starts_with("not an announcement"), "{rejected:?}");
        // Type given as an id is named through the types; the personnummer in the title is gone.
        let first = &outcome.documents[0];
        assert_eq!(first.body.as_deref(), Some("Typ: Kungörelse bygglov"));
        assert_eq!(first.title, "Kungörelse bygglov för [personnummer], Storgatan 1");
        assert_eq!(first.organ.as_deref(), Some("Miljö- och byggnämnden"));
    }

    #[test]
    fn refuses_payloads_that_are_not_announcement_lists() {
        let truncated = &ANGE[..ANGE.len() / 2];
        let cases: [(&str, ErrorCheck); 4] = [
            (ERROR_PAGE, |e| matches!(e, SourceError::HtmlInsteadOfJson { .. })),
            (truncated, |e| matches!(e, SourceError::Truncated { .. })),
            ("{\"items\": 3}", |e| matches!(e, SourceError::WrongShape { .. })),
            ("\"Items\"", |e| matches!(e, SourceError::WrongShape { .. })),
        ];
        for (payload, check) in cases {
            let error = parse_list(&context(), payload, 1, 100, None).unwrap_err();
            assert!(check(&error), "{error}");
        }
        assert!(parse_detail(&context(), "[]", None).is_err());
    }

    #[test]
    fn the_adapter_asks_for_types_then_pages_and_names_details_by_raw_id() {
        let pass = PassContext { source: context(), page_size: 5, today: date(2024, 3, 1).unwrap() };
        let mut adapter = MeetingsPlusParams {}.adapter(pass);
        // The types are optional: a failure names no type but does not stop the pass.
        let (outcome, requests) = run_to_end(adapter.as_mut(), |request| {
            if request.target.contains("announcement-types") {
                Reply::Failed("HTTP 404".into())
            } else {
                Reply::body(ANGE)
            }
        })
        .unwrap();
        let targets: Vec<&str> = requests.iter().map(|r| r.target.as_str()).collect();
        assert_eq!(
            targets,
            [
                types_url("https://moten.ange.se"),
                list_url("https://moten.ange.se", 1, 5),
                list_url("https://moten.ange.se", 2, 5)
            ]
        );
        assert!(requests[0].optional && !requests[0].listing_page);
        assert!(requests[1..].iter().all(|r| r.listing_page && !r.optional));
        assert_eq!(outcome.documents.len(), 14);
        assert_eq!(outcome.item_ids.len(), 14);
        assert_eq!(outcome.item_ids[0], "4825b254-0228-4723-8e7c-33ae0d644cc7");
        assert_eq!(outcome.documents[0].id, format!("2260-meetingsplus-{}", outcome.item_ids[0]));
        let detail = adapter.detail_request(&outcome.item_ids[0]).unwrap();
        assert_eq!(detail.target, detail_url("https://moten.ange.se", "4825b254-0228-4723-8e7c-33ae0d644cc7"));
        let listed = &outcome.documents[0];
        let detailed = adapter.parse_detail(&outcome.item_ids[0], listed, DETAIL).unwrap();
        assert_eq!(detailed.id, listed.id, "the listing's id is kept");
        assert_eq!(detailed.diarienummer.as_deref(), Some("BoM 2026-000840"));
        assert!(adapter.parse_detail(&outcome.item_ids[0], listed, "<html>").is_none());
    }

    #[test]
    fn the_adapter_fails_on_a_list_that_is_not_one() {
        let pass = PassContext { source: context(), page_size: 100, today: date(2024, 3, 1).unwrap() };
        let mut adapter = MeetingsPlusParams {}.adapter(pass);
        let result = run_to_end(adapter.as_mut(), |request| {
            if request.target.contains("announcement-types") {
                Reply::body(TYPES_ARRAY)
            } else {
                Reply::body(ERROR_PAGE)
            }
        });
        assert!(matches!(result, Err(SourceError::HtmlInsteadOfJson { .. })), "{result:?}");
    }

    /// A detail as other Meetings Plus versions answer it: wrapped, the GUID in upper case, no
    /// dates (they are in the list), the case number, meeting date and protokoll in fields of
    /// their own, and attachments with relative URLs.
    #[test]
    fn a_detail_in_another_shape_gives_its_fields_to_the_listed_document() {
        let pass = PassContext { source: context(), page_size: 100, today: date(2024, 3, 1).unwrap() };
        let mut adapter = MeetingsPlusParams {}.adapter(pass);
        let (outcome, _) = run_to_end(adapter.as_mut(), |_| Reply::body(ANGE)).unwrap();
        let (item_id, listed) = (&outcome.item_ids[0], &outcome.documents[0]);
        let detail = serde_json::json!({"Item": {
            "ID": item_id.to_uppercase(),
            "Description": "<p>Protokollet är justerat.</p>",
            "DiaryNumber": "KS 2026/0042",
            "MeetingDate": "2026-02-24T18:00:00",
            "ProtocolUrl": "/api/dbb/v1.0/documents/77/file",
            "DocumentTitle": "Protokoll KS 2026-02-24.pdf",
            "Attachments": [{"Name": "Bilaga 1.pdf", "Url": "https://moten.ange.se/files/bilaga1.pdf"}, {"Name": "utan länk"}]
        }});
        let detailed = adapter.parse_detail(item_id, listed, &detail.to_string()).unwrap();
        assert_eq!(detailed.id, listed.id);
        assert_eq!((detailed.date, detailed.publish_to), (listed.date, listed.publish_to));
        assert_eq!(detailed.title, listed.title);
        assert_eq!(detailed.diarienummer.as_deref(), Some("KS 2026/0042"));
        assert!(detailed.body.as_deref().unwrap().contains("Sammanträdesdatum: 2026-02-24"), "{:?}", detailed.body);
        let files: Vec<(&str, &str)> = detailed.files.iter().map(|f| (f.url.as_str(), f.name.as_str())).collect();
        assert_eq!(
            files,
            [
                ("https://moten.ange.se/api/dbb/v1.0/documents/77/file", "Protokoll KS 2026-02-24.pdf"),
                ("https://moten.ange.se/files/bilaga1.pdf", "Bilaga 1.pdf")
            ]
        );
    }

    /// An announcement without a nämnd name gets its nämnd's page from `CommitteeLink`: a link
    /// for people, and the nämnd's words for search. With a name, the link adds nothing.
    #[test]
    fn the_committee_link_stands_in_for_a_missing_name() {
        let page = |name: serde_json::Value| {
            let list = serde_json::json!({"Items": [{"Id": "x1", "Type": "Protokoll", "StartDate": "2026-03-02",
                "Title": "Justerat protokoll", "CommitteeName": name, "CommitteeLink": "committees/kommunfullmaktiges-valberedning"}],
                "TotalItemCount": 1});
            parse_list(&context(), &list.to_string(), 1, 100, None).unwrap().documents.remove(0)
        };
        let unnamed = page(serde_json::Value::Null);
        assert!(
            unnamed
                .body
                .as_deref()
                .unwrap()
                .contains("Nämndens sida: https://moten.ange.se/committees/kommunfullmaktiges-valberedning"),
            "{:?}",
            unnamed.body
        );
        let named = page("Valberedningen".into());
        assert!(!named.body.as_deref().unwrap_or_default().contains("Nämndens sida"), "{:?}", named.body);
    }
}
