//! Netpublicator: a hosted anslagstavla answering JSONP.
//!
//! - `GET {base}/{board}/find?jsoncallback=cb&target=published&direction=desc&index=I&length=L`
//!   → `cb({notices: [{id, title, text, published: "YYYY-MM-DD HH:MM…", noticeType,
//!   noticeCategoryId, metadata: [{title, value}], attachments: [{title, …}]}], totalIndex});`
//!   ([`find_url`], [`parse_find`]).
//! - `GET {base}/{board}/setup?jsoncallback=cb` → `cb({categories: [{id, name}], types: [{id,
//!   name, type}]});` ([`setup_url`], [`parse_setup`]): categories are the nämnder.
//!
//! `base` is `https://www.netpublicator.com/bulletinboard/public` ([`PUBLIC_BASE`]). Strings
//! hold HTML entities (`&#228;`) and `text` may hold markup. The take-down date comes from a
//! metadata row such as "Anslås till" or "Datum för nedtagande" when there is one, otherwise it
//! is the anslag date + 21 days (the three weeks of appeal). Notices have no permalink of their
//! own that we know of, so the document's url is the board's page.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use namndsok_model::Kind;
use serde::Deserialize;
use serde_json::Value;

use crate::adapter::{PassContext, PlatformParams, Problem, Reply, Request, SourceAdapter, Step};
use crate::draft::Draft;
use crate::text::{self, clean_line};
use crate::{
    describe, file_links, json_value_end, parse_json, raw_item_id, scalar_text, snippet, ParseOutcome, SourceContext,
    SourceError,
};

/// Where every public board lives.
pub const PUBLIC_BASE: &str = "https://www.netpublicator.com/bulletinboard/public";
/// The callback name the URL builders ask for.
pub const CALLBACK: &str = "cb";
/// Days an anslag stays up when the notice does not say.
pub const DEFAULT_DAYS_POSTED: u64 = 21;

/// Metadata titles (lowercase, prefix match) that give the take-down date.
const PUBLISH_TO_TITLES: &[&str] = &[
    "anslås till",
    "anslås t.o.m",
    "anslås tom",
    "anslaget till",
    "anslaget t.o.m",
    "anslaget tas ned",
    "anslaget tas ner",
    "datum för nedtagande",
    "datum för nedtagning",
    "nedtagningsdatum",
    "nedtagandedatum",
    "tas ned",
    "tas ner",
    "publiceras till",
    "sista anslagsdag",
];
/// Metadata titles that hold the diarienummer.
const DIARIENUMMER_TITLES: &[&str] = &["diarienummer", "diarienr", "dnr", "ärendenummer"];
/// Metadata titles that name the organ, when the category does not.
const ORGAN_TITLES: &[&str] = &["nämnd", "organ", "beslutande organ", "instans"];

/// The page of published notices starting at item `index`.
pub fn find_url(base: &str, board: &str, index: u32, length: u32) -> String {
    format!(
        "{}/{board}/find?jsoncallback={CALLBACK}&target=published&direction=desc&index={index}&length={length}",
        base.trim_end_matches('/')
    )
}

/// The board's categories (nämnder) and notice types.
pub fn setup_url(base: &str, board: &str) -> String {
    format!("{}/{board}/setup?jsoncallback={CALLBACK}", base.trim_end_matches('/'))
}

/// The board's page for people.
pub fn board_url(base: &str, board: &str) -> String {
    format!("{}/{board}", base.trim_end_matches('/'))
}

/// Unwraps `callback( … );` (whitespace anywhere, `;` optional) and returns the JSON inside.
/// Anything else — bare JSON, HTML, a script with more statements — is refused.
pub fn unwrap_jsonp(payload: &str) -> Result<&str, SourceError> {
    let trimmed = payload.trim_start_matches('\u{feff}').trim();
    if trimmed.starts_with('<') {
        return Err(SourceError::HtmlInsteadOfJson { expected: "a JSONP response", snippet: snippet(trimmed) });
    }
    let identifier_end = trimmed
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.'))
        .unwrap_or(trimmed.len());
    let callback = &trimmed[..identifier_end];
    let starts_like_js = callback.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '$');
    let after_name = trimmed[identifier_end..].trim_start();
    let (true, Some(inside)) = (starts_like_js, after_name.strip_prefix('(')) else {
        return Err(SourceError::NotJsonp { found: snippet(trimmed) });
    };
    let inside = inside.trim_start();
    if !inside.starts_with(['{', '[']) {
        return Err(SourceError::NotJsonp { found: snippet(trimmed) });
    }
    let Some(end) = json_value_end(inside) else {
        return Err(SourceError::Truncated {
            expected: "a JSONP response",
            detail: format!("the JSON after `{callback}(` never closes ({} bytes)", inside.len()),
        });
    };
    let after = inside[end..].trim_start();
    let after = after.strip_prefix(')').map(str::trim_start).map(|rest| rest.strip_prefix(';').unwrap_or(rest).trim());
    match after {
        Some("") => Ok(&inside[..end]),
        _ => Err(SourceError::NotJsonp { found: snippet(trimmed) }),
    }
}

/// A board's categories (id → nämnd) and notice types (id → name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Setup {
    pub categories: HashMap<String, String>,
    pub types: HashMap<String, String>,
}

/// Parses the `setup` response.
pub fn parse_setup(payload: &str) -> Result<Setup, SourceError> {
    const EXPECTED: &str = "a Netpublicator setup {categories: [...], types: [...]}";
    let value = parse_json(unwrap_jsonp(payload)?, EXPECTED)?;
    let Some(object) = value.as_object() else {
        return Err(SourceError::WrongShape { expected: EXPECTED, found: describe(&value) });
    };
    let table = |key: &str| -> Result<HashMap<String, String>, SourceError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(HashMap::new()),
            Some(Value::Array(items)) => Ok(items
                .iter()
                .filter_map(|item| Some((raw_item_id(item, &["id"])?, clean_line(&raw_item_id(item, &["name"])?))))
                .collect()),
            Some(other) => {
                Err(SourceError::WrongShape { expected: EXPECTED, found: format!("`{key}` is {}", describe(other)) })
            }
        }
    };
    if !object.contains_key("categories") && !object.contains_key("types") {
        return Err(SourceError::WrongShape { expected: EXPECTED, found: describe(&value) });
    }
    Ok(Setup { categories: table("categories")?, types: table("types")? })
}

/// Parses one `find` page. `index` and `length` are the values the request was made with;
/// `next_page` is the next `index` while `totalIndex` says there are more notices.
pub fn parse_find(
    context: &SourceContext,
    board: &str,
    payload: &str,
    index: u32,
    length: u32,
    setup: Option<&Setup>,
) -> Result<ParseOutcome, SourceError> {
    const EXPECTED: &str = "a Netpublicator find response {notices: [...], totalIndex}";
    let value = parse_json(unwrap_jsonp(payload)?, EXPECTED)?;
    let Some(Value::Array(notices)) = value.get("notices") else {
        return Err(SourceError::WrongShape { expected: EXPECTED, found: describe(&value) });
    };
    let total = value.get("totalIndex").and_then(|t| t.as_u64().or_else(|| t.as_str()?.trim().parse().ok()));
    let mut outcome = ParseOutcome::default();
    for notice in notices {
        notice_into(context, board, notice, setup, &mut outcome);
    }
    let next = u64::from(index) + notices.len() as u64;
    let more = match total {
        Some(total) => next < total,
        None => notices.len() as u64 >= u64::from(length),
    };
    outcome.next_page = (more && !notices.is_empty()).then(|| u32::try_from(next).unwrap_or(u32::MAX));
    Ok(outcome)
}

fn notice_into(
    context: &SourceContext,
    board: &str,
    notice: &Value,
    setup: Option<&Setup>,
    outcome: &mut ParseOutcome,
) {
    let Some(object) = notice.as_object() else {
        return outcome.reject(None, format!("a notice must be an object, got {}", describe(notice)));
    };
    let Some(id) = object.get("id").and_then(scalar_text) else {
        return outcome.reject(None, "notice without an id");
    };
    let string = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_string);
    let published = match string("published") {
        Some(text) => match text::parse_date(&text) {
            Some(date) => date,
            None => return outcome.reject(Some(id), format!("published {text:?} is not a date")),
        },
        None => return outcome.reject(Some(id), "no `published` date"),
    };
    let metadata: Vec<(String, String)> = match object.get("metadata") {
        Some(Value::Array(rows)) => rows
            .iter()
            .filter_map(|row| {
                let title = clean_line(row.get("title")?.as_str()?).trim_end_matches(':').trim_end().to_string();
                let value = text::strip_html(&scalar_text(row.get("value")?)?);
                Some((title, value))
            })
            .filter(|(title, value)| !title.is_empty() && !value.is_empty())
            .collect(),
        _ => Vec::new(),
    };
    let find_metadata = |titles: &[&str]| -> Option<&String> {
        metadata.iter().find_map(|(title, value)| {
            let lower = title.to_lowercase();
            titles.iter().any(|t| lower == *t || lower.starts_with(&format!("{t} "))).then_some(value)
        })
    };
    let publish_to: Option<NaiveDate> = find_metadata(PUBLISH_TO_TITLES)
        .and_then(|value| text::find_date(value))
        .or_else(|| published.checked_add_days(Days::new(DEFAULT_DAYS_POSTED)));
    let organ = object
        .get("noticeCategoryId")
        .and_then(scalar_text)
        .and_then(|category| setup?.categories.get(&category).cloned())
        .or_else(|| find_metadata(ORGAN_TITLES).cloned());
    let type_name = object.get("noticeType").and_then(scalar_text).and_then(|t| setup?.types.get(&t).cloned());
    let mut facts: Vec<(&str, String)> = Vec::new();
    if let Some(type_name) = type_name {
        facts.push(("Typ", type_name));
    }
    for (title, value) in &metadata {
        facts.push((title.as_str(), text::normalise_whitespace(value)));
    }
    if let Some(Value::Array(attachments)) = object.get("attachments") {
        for attachment in attachments {
            if let Some(title) = attachment.get("title").and_then(Value::as_str).map(clean_line) {
                facts.push(("Bilaga", title));
            }
        }
    }
    let main = string("text").map(|t| text::strip_html(&t));
    let mut draft = Draft::new(&id, Kind::Anslag, clean_line(&string("title").unwrap_or_default()));
    draft.body = text::compose_body(main.as_deref(), &facts);
    draft.organ = organ;
    draft.diarienummer = find_metadata(DIARIENUMMER_TITLES).cloned();
    draft.date = Some(published);
    draft.publish_from = Some(published);
    draft.publish_to = publish_to;
    draft.url = Some(board_url(&context.base_url, board));
    // Attachments that carry their URL are followed; the board's public payload names most
    // by title and id only (no documented download address), and those stay names.
    draft.files = file_links(notice, &draft.url.clone().unwrap_or_default(), &[], &[], &["attachments"]);
    draft.finish_into(context, outcome);
}

/// A Netpublicator source's params.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetpublicatorParams {
    /// The board id (a GUID) from the board's public URL.
    pub board: String,
}

impl PlatformParams for NetpublicatorParams {
    fn check(&self) -> Vec<Problem> {
        let board = &self.board;
        if !board.is_empty() && board.bytes().all(|c| c.is_ascii_hexdigit() || c == b'-') {
            return Vec::new();
        }
        vec![("board", format!("is {board:?}, expected a board id (hex digits and `-`)"))]
    }

    fn adapter(&self, pass: PassContext) -> Box<dyn SourceAdapter> {
        Box::new(NetpublicatorSource { board: self.board.clone(), pass, setup: None, index: None })
    }
}

/// A pass over a Netpublicator board: its setup (optional: it names the nämnder), then `find`
/// pages by item offset.
pub struct NetpublicatorSource {
    board: String,
    pass: PassContext,
    setup: Option<Setup>,
    /// The offset asked for last; `None` while the setup is asked for.
    index: Option<u32>,
}

impl NetpublicatorSource {
    fn find_request(&self, index: u32) -> Request {
        Request::get(find_url(&self.pass.source.base_url, &self.board, index, self.pass.page_size)).listing_page()
    }
}

impl SourceAdapter for NetpublicatorSource {
    fn first_request(&mut self) -> Request {
        Request::get(setup_url(&self.pass.source.base_url, &self.board)).optional()
    }

    fn step(&mut self, reply: Reply) -> Result<Step, SourceError> {
        let Some(index) = self.index else {
            self.setup = parse_setup(reply.text()).ok();
            self.index = Some(0);
            return Ok(Step::then(self.find_request(0)));
        };
        let outcome =
            parse_find(&self.pass.source, &self.board, reply.text(), index, self.pass.page_size, self.setup.as_ref())?;
        let next = outcome.next_page.map(|next| {
            self.index = Some(next);
            self.find_request(next)
        });
        Ok(Step::page(outcome, next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCheck;

    const FIND: &str = include_str!("../tests/fixtures/netpublicator-find.jsonp");
    const SETUP: &str = include_str!("../tests/fixtures/netpublicator-setup.jsonp");
    const ERROR_PAGE: &str = include_str!("../tests/fixtures/error-page.html");
    const BOARD: &str = "59197884-5b86-40ff-928f-9410b17bae0d";

    fn context() -> SourceContext {
        SourceContext::new("lomma-netpublicator", "1262", "netpublicator", PUBLIC_BASE)
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn builds_the_urls() {
        assert_eq!(
            find_url(PUBLIC_BASE, BOARD, 100, 50),
            format!("{PUBLIC_BASE}/{BOARD}/find?jsoncallback=cb&target=published&direction=desc&index=100&length=50")
        );
        assert_eq!(setup_url("http://127.0.0.1:9/", "b"), "http://127.0.0.1:9/b/setup?jsoncallback=cb");
    }

    #[test]
    fn unwraps_jsonp_and_nothing_else() {
        let good = [
            ("cb({\"a\":1});", "{\"a\":1}"),
            ("cb({\"a\":1})", "{\"a\":1}"),
            ("  cb ( {\"a\":1} ) ;  \n", "{\"a\":1}"),
            ("\u{feff}cb(\n{\"a\":\"(x);\"}\n);", "{\"a\":\"(x);\"}"),
            ("jQuery1710_1699(  [1,2]  );", "[1,2]"),
        ];
        for (payload, inner) in good {
            assert_eq!(unwrap_jsonp(payload).unwrap(), inner, "{payload:?}");
        }
        let bad: [(&str, ErrorCheck); 6] = [
            ("{\"a\":1}", |e| matches!(e, SourceError::NotJsonp { .. })),
            ("cb{\"a\":1}", |e| matches!(e, SourceError::NotJsonp { .. })),
            ("1cb({});", |e| matches!(e, SourceError::NotJsonp { .. })),
            ("cb({}); alert(1)", |e| matches!(e, SourceError::NotJsonp { .. })),
            ("<html><body>Not found</body></html>", |e| matches!(e, SourceError::HtmlInsteadOfJson { .. })),
            ("cb({\"notices\":[{\"id\":1", |e| matches!(e, SourceError::Truncated { .. })),
        ];
        for (payload, check) in bad {
            let error = unwrap_jsonp(payload).unwrap_err();
            assert!(check(&error), "{payload:?}: {error}");
        }
        // Another statement first is not JSONP either.
        assert!(matches!(parse_setup("alert(1);cb({})"), Err(SourceError::NotJsonp { .. })));
    }

    #[test]
    fn parses_setup() {
        let setup = parse_setup(SETUP).unwrap();
        assert_eq!(setup.categories.get("101").map(String::as_str), Some("Kommunstyrelsen"));
        assert_eq!(setup.categories.get("102").map(String::as_str), Some("Bygg- och miljönämnden"));
        assert_eq!(setup.types.get("3").map(String::as_str), Some("Tillkännagivande"));
        assert!(matches!(parse_setup("cb({\"x\":1});"), Err(SourceError::WrongShape { .. })));
        assert!(matches!(parse_setup("cb({\"categories\":{}});"), Err(SourceError::WrongShape { .. })));
    }

    #[test]
    fn parses_notices_with_entities_metadata_and_defaults() {
        let setup = parse_setup(SETUP).unwrap();
        let outcome = parse_find(&context(), BOARD, FIND, 0, 5, Some(&setup)).unwrap();
        let ids: Vec<&str> = outcome.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["1262-netpublicator-48213", "1262-netpublicator-48214", "1262-netpublicator-48216"]);

        let protocol = &outcome.documents[0];
        assert_eq!(protocol.title, "Tillkännagivande om justerat protokoll – Kommunstyrelsen");
        assert_eq!(protocol.organ.as_deref(), Some("Kommunstyrelsen"));
        assert_eq!((protocol.date, protocol.publish_to), (date(2026, 3, 2).unwrap(), date(2026, 3, 24)));
        assert_eq!(
            protocol.body.as_deref(),
            Some(
                "Protokollet från Kommunstyrelsens sammanträde 2026-02-24 är justerat.\nFörvaringsplats: Kommunledningskontoret\n\n\
                 Typ: Tillkännagivande\nSammanträdesdatum: 2026-02-24\nAnslås till: 2026-03-24\nBilaga: Protokoll KS 2026-02-24.pdf"
            )
        );
        assert_eq!(protocol.url.as_deref(), Some(format!("{PUBLIC_BASE}/{BOARD}").as_str()));

        // No take-down date in the metadata: anslag date + 21 days. Category id as a string.
        let permit = &outcome.documents[1];
        assert_eq!((permit.publish_from, permit.publish_to), (date(2026, 3, 3), date(2026, 3, 24)));
        assert_eq!(permit.organ.as_deref(), Some("Bygg- och miljönämnden"));
        assert_eq!(permit.diarienummer.as_deref(), Some("BMN 2026-000038"));
        assert!(permit.body.as_deref().unwrap().contains("Sökande [personnummer]."), "{:?}", permit.body);

        // Unknown category, organ from the metadata; Swedish date; diarienummer from metadata.
        let third = &outcome.documents[2];
        assert_eq!(third.organ.as_deref(), Some("Socialnämnden"));
        assert_eq!(third.publish_to, date(2026, 3, 25));
        assert_eq!(third.diarienummer.as_deref(), Some("SN 2026/112"));
        let body = third.body.as_deref().unwrap();
        assert!(body.contains("\nDatum för nedtagande: 25 mars 2026\n"), "{body}");
        assert!(!body.contains("Tom rad"), "{body}");

        let rejected: Vec<(Option<&str>, &str)> =
            outcome.rejected.iter().map(|r| (r.item_id.as_deref(), r.reason.as_str())).collect();
        assert_eq!(
            rejected,
            [(Some("48215"), "no `published` date"), (None, "a notice must be an object, got a string")]
        );
        assert_eq!(outcome.next_page, Some(5));
        assert_eq!(parse_find(&context(), BOARD, FIND, 55, 5, None).unwrap().next_page, None);
    }

    #[test]
    fn works_without_setup() {
        let outcome = parse_find(&context(), BOARD, FIND, 0, 5, None).unwrap();
        assert_eq!(outcome.documents.len(), 3);
        assert_eq!(outcome.documents[0].organ, None);
    }

    #[test]
    fn refuses_broken_payloads() {
        let truncated = &FIND[..FIND.len() - 40];
        let cases: [(&str, ErrorCheck); 4] = [
            (ERROR_PAGE, |e| matches!(e, SourceError::HtmlInsteadOfJson { .. })),
            (truncated, |e| matches!(e, SourceError::Truncated { .. })),
            ("cb({\"notices\": {}});", |e| matches!(e, SourceError::WrongShape { .. })),
            ("cb({\"notices\": [}]);", |e| matches!(e, SourceError::NotJson { .. })),
        ];
        for (payload, check) in cases {
            let error = parse_find(&context(), BOARD, payload, 0, 100, None).unwrap_err();
            assert!(check(&error), "{error}");
        }
    }
}
