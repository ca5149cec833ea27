//! Sitevision: the CMS of about half of all kommuner, with no official API. An anslagstavla page
//! embeds its data as JSON in a script:
//!
//! ```text
//! AppRegistry.registerInitialState('12.3a4b5c…', {"announcements":[{"title": …, "uri": …,
//!   "published": …, "organ": …, "freeText": …, "type": …}], …});
//! ```
//!
//! A page holds several of these calls (one per app on the page). [`find_initial_states`] finds
//! them all with a scan that matches braces outside JSON strings — the JSON routinely holds `)`,
//! `'` and `}` inside strings, which defeats a regex — and [`parse_page`] turns every
//! `announcements` array (of the configured portlet, or of any app when none is configured) into
//! anslag documents. `url` = the site's base + the announcement's `uri`.

use namndsok_model::Kind;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::adapter::{PassContext, PlatformParams, Problem, Reply, Request, SourceAdapter, Step};
use crate::draft::Draft;
use crate::text::{self, clean_line};
use crate::{
    describe, file_links, json_value_end, parse_json, scalar_text, snippet, ParseOutcome, SourceContext, SourceError,
};

const MARKER: &str = "AppRegistry.registerInitialState(";

/// The page to fetch.
pub fn page_url(base: &str, path: &str) -> String {
    format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'))
}

/// One `registerInitialState` call.
#[derive(Debug, Clone, PartialEq)]
pub struct InitialState {
    pub portlet_id: String,
    pub state: Value,
}

/// Every `AppRegistry.registerInitialState('<portletId>', {...})` in a page, in page order.
/// A call whose JSON is cut off is [`SourceError::Truncated`]; one whose JSON does not parse is
/// [`SourceError::NotJson`] — a changed page should be noticed, not skipped.
pub fn find_initial_states(html: &str) -> Result<Vec<InitialState>, SourceError> {
    const EXPECTED: &str = "the JSON of a registerInitialState call";
    let mut states = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(MARKER) {
        let after = rest[at + MARKER.len()..].trim_start();
        rest = &rest[at + MARKER.len()..];
        let Some((portlet_id, after_id)) = read_js_string(after) else {
            tracing::debug!(found = %snippet(after), "registerInitialState without a string id skipped");
            continue;
        };
        let Some(object) = after_id.trim_start().strip_prefix(',').map(str::trim_start) else {
            continue;
        };
        if !object.starts_with('{') {
            continue;
        }
        let Some(end) = json_value_end(object) else {
            return Err(SourceError::Truncated {
                expected: EXPECTED,
                detail: format!("the state of portlet {portlet_id:?} never closes"),
            });
        };
        let state = parse_json(&object[..end], EXPECTED)?;
        states.push(InitialState { portlet_id, state });
        rest = &object[end..];
    }
    Ok(states)
}

/// Reads a JavaScript string literal in single or double quotes at the start of `text`, with
/// backslash escapes; returns its content and the text after it.
fn read_js_string(text: &str) -> Option<(String, &str)> {
    let quote = text.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let mut value = String::new();
    let mut escaped = false;
    for (index, c) in text.char_indices().skip(1) {
        if escaped {
            value.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            return Some((value, &text[index + 1..]));
        } else {
            value.push(c);
        }
    }
    None
}

/// Parses an anslagstavla page. With `portlet`, only that app's state is read (and its absence
/// is an error); without, every state that holds an `announcements` array is.
pub fn parse_page(context: &SourceContext, html: &str, portlet: Option<&str>) -> Result<ParseOutcome, SourceError> {
    let states = find_initial_states(html)?;
    if states.is_empty() {
        return Err(SourceError::NoInitialState { what: "call".into() });
    }
    let chosen: Vec<&InitialState> = match portlet {
        Some(portlet) => states.iter().filter(|s| s.portlet_id == portlet).collect(),
        None => states.iter().collect(),
    };
    if chosen.is_empty() {
        return Err(SourceError::NoInitialState { what: format!("for portlet {:?}", portlet.unwrap_or_default()) });
    }
    let arrays: Vec<&Vec<Value>> = chosen.iter().filter_map(|s| find_array(&s.state, "announcements", 4)).collect();
    if arrays.is_empty() {
        let found: Vec<String> = chosen.iter().map(|s| format!("{}: {}", s.portlet_id, describe(&s.state))).collect();
        return Err(SourceError::WrongShape {
            expected: "an `announcements` array in a registerInitialState",
            found: found.join("; "),
        });
    }
    let mut outcome = ParseOutcome::default();
    for announcement in arrays.into_iter().flatten() {
        match announcement {
            Value::Object(object) => announcement_into(context, object, &mut outcome),
            other => outcome.reject(None, format!("an announcement must be an object, got {}", describe(other))),
        }
    }
    Ok(outcome)
}

/// The first array under `key`, searched breadth-first down to `depth` levels.
fn find_array<'a>(value: &'a Value, key: &str, depth: usize) -> Option<&'a Vec<Value>> {
    let object = value.as_object()?;
    if let Some(Value::Array(items)) = object.get(key) {
        return Some(items);
    }
    if depth == 0 {
        return None;
    }
    object.values().find_map(|child| find_array(child, key, depth - 1))
}

fn announcement_into(context: &SourceContext, object: &Map<String, Value>, outcome: &mut ParseOutcome) {
    let field = |key: &str| object.get(key).and_then(scalar_text);
    let uri = field("uri").or_else(|| field("url"));
    let Some(item_id) = field("id").or_else(|| uri.as_deref().map(uri_key)) else {
        return outcome.reject(None, "announcement without an id or uri");
    };
    let published = match object.get("published").or_else(|| object.get("publishDate")) {
        Some(value) => match date_value(value) {
            Some(date) => date,
            None => return outcome.reject(Some(item_id), format!("published {value} is not a date")),
        },
        None => return outcome.reject(Some(item_id), "no `published` date"),
    };
    let publish_to = ["unpublish", "unpublishDate", "publishedTo", "expires", "archiveDate", "anslagetTill"]
        .iter()
        .find_map(|key| object.get(*key).and_then(date_value));
    let free_html = field("freeText").or_else(|| field("text"));
    let free_text = free_html.as_deref().map(text::strip_html);
    let facts = [("Typ", field("type").map(|t| clean_line(&t)).unwrap_or_default())];
    let mut draft = Draft::new(&item_id, Kind::Anslag, clean_line(&field("title").unwrap_or_default()));
    draft.body = text::compose_body(free_text.as_deref(), &facts);
    draft.organ = field("organ").map(|o| clean_line(&o));
    draft.diarienummer = field("diarienummer").or_else(|| field("dnr"));
    draft.date = Some(published);
    draft.publish_from = Some(published);
    draft.publish_to = publish_to;
    draft.url = uri.map(|uri| match uri.starts_with("http://") || uri.starts_with("https://") {
        true => uri,
        false => page_url(&context.base_url, &uri),
    });
    // Links to files on the kommun's own site in the free text, and listed file fields.
    let page = draft.url.clone().unwrap_or_else(|| context.base_url.clone());
    draft.files = file_links(
        &Value::Object(object.clone()),
        &page,
        &["fileUrl", "documentUrl"],
        &["fileName"],
        &["files", "attachments", "documents"],
    );
    draft.files.extend(free_html.as_deref().map(|html| text::file_links_in_html(html, &page)).unwrap_or_default());
    draft.finish_into(context, outcome);
}

/// A stable key from a page URI: its path without the site and the `.html`.
fn uri_key(uri: &str) -> String {
    let path = uri.split_once("://").map_or(uri, |(_, rest)| rest.find('/').map_or("", |slash| &rest[slash..]));
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path.trim_matches('/').trim_end_matches(".html").to_string()
}

/// A date as Sitevision writes it: ISO text, Swedish text, or epoch milliseconds.
fn date_value(value: &Value) -> Option<chrono::NaiveDate> {
    match value {
        Value::Number(n) => n.as_i64().and_then(text::stockholm_date_from_millis),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && s.len() >= 12 => {
            s.parse().ok().and_then(text::stockholm_date_from_millis)
        }
        Value::String(s) => text::parse_date(s),
        _ => None,
    }
}

/// A Sitevision source's params.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SitevisionParams {
    /// The anslagstavla page's path (with its query, if any), from `/`.
    pub path: String,
    /// The portlet whose initial state lists the notices; without one (or empty), every state
    /// with an `announcements` array is read.
    #[serde(default)]
    pub portlet: Option<String>,
}

impl PlatformParams for SitevisionParams {
    fn check(&self) -> Vec<Problem> {
        if self.path.starts_with('/') {
            return Vec::new();
        }
        vec![("path", format!("is {:?}, expected a page path starting with `/`", self.path))]
    }

    fn adapter(&self, pass: PassContext) -> Box<dyn SourceAdapter> {
        let portlet = self.portlet.clone().filter(|p| !p.is_empty());
        Box::new(SitevisionSource { path: self.path.clone(), portlet, pass })
    }
}

/// A pass over a Sitevision anslagstavla: one page with the listing embedded as JSON, fetched
/// conditionally (an unchanged page means every item is unchanged).
pub struct SitevisionSource {
    path: String,
    portlet: Option<String>,
    pass: PassContext,
}

impl SourceAdapter for SitevisionSource {
    fn first_request(&mut self) -> Request {
        Request::get(page_url(&self.pass.source.base_url, &self.path)).conditional()
    }

    fn step(&mut self, reply: Reply) -> Result<Step, SourceError> {
        if reply == Reply::NotModified {
            return Ok(Step::not_modified());
        }
        Ok(Step::page(parse_page(&self.pass.source, reply.text(), self.portlet.as_deref())?, None))
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    const PAGE: &str = include_str!("../tests/fixtures/sitevision-anslagstavla.html");
    const ERROR_PAGE: &str = include_str!("../tests/fixtures/error-page.html");

    fn context() -> SourceContext {
        SourceContext::new("ale-sitevision", "1440", "sitevision", "https://ale.se")
    }

    #[test]
    fn finds_every_initial_state_despite_parentheses_and_quotes_in_strings() {
        let states = find_initial_states(PAGE).unwrap();
        let ids: Vec<&str> = states.iter().map(|s| s.portlet_id.as_str()).collect();
        assert_eq!(ids, ["12.1a2b3c4d18f0000000001", "12.1a2b3c4d18f0000000002", "12.1a2b3c4d18f0000000003"]);
        assert_eq!(states[0].state["menu"][0]["label"], "Kommun & politik (start)");
        assert_eq!(
            page_url("https://ale.se/", "/anslagstavla-officiell.html"),
            "https://ale.se/anslagstavla-officiell.html"
        );
    }

    #[test]
    fn parses_the_announcements_of_every_app() {
        let outcome = parse_page(&context(), PAGE, None).unwrap();
        let titles: Vec<&str> = outcome.documents.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Kungörelse: bygglov (Alafors 1:23) – beslut",
                "Tillkännagivande av justerat protokoll, Kommunstyrelsen",
                "Sammanträde med 'Valnämnden'",
            ]
        );
        let first = &outcome.documents[0];
        assert_eq!(first.id, "1440-sitevision-anslagstavla-officiell-kungorelse-bygglov-alafors");
        assert_eq!(first.url.as_deref(), Some("https://ale.se/anslagstavla-officiell/kungorelse-bygglov-alafors.html"));
        assert_eq!(first.organ.as_deref(), Some("Samhällsbyggnadsnämnden"));
        assert_eq!(first.date, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        assert_eq!(first.publish_to, NaiveDate::from_ymd_opt(2026, 3, 23));
        assert_eq!(first.diarienummer.as_deref(), Some("SBN 2026/0212"));
        assert_eq!(
            first.body.as_deref(),
            Some("Beslut om bygglov (nybyggnad) enligt 9 kap. PBL. Dnr SBN 2026/0212.\nSökande: [personnummer]\n\nTyp: Kungörelse")
        );
        // Epoch milliseconds, the Swedish day (UTC+1 in winter).
        let second = &outcome.documents[1];
        assert_eq!(second.date, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        assert_eq!(second.organ, None);
        assert_eq!(second.id, "1440-sitevision-a-98765");

        let rejected: Vec<(Option<&str>, &str)> =
            outcome.rejected.iter().map(|r| (r.item_id.as_deref(), r.reason.as_str())).collect();
        assert_eq!(
            rejected,
            [
                (Some("anslagstavla-officiell/utan-datum"), "published \"nyligen\" is not a date"),
                (None, "announcement without an id or uri")
            ]
        );
    }

    #[test]
    fn reads_only_the_configured_portlet() {
        let outcome = parse_page(&context(), PAGE, Some("12.1a2b3c4d18f0000000003")).unwrap();
        assert_eq!(outcome.documents.len(), 1);
        assert_eq!(outcome.documents[0].title, "Sammanträde med 'Valnämnden'");
        let error = parse_page(&context(), PAGE, Some("12.finns-inte")).unwrap_err();
        assert!(matches!(error, SourceError::NoInitialState { .. }), "{error}");
        let error = parse_page(&context(), PAGE, Some("12.1a2b3c4d18f0000000001")).unwrap_err();
        assert!(matches!(error, SourceError::WrongShape { .. }), "{error}");
    }

    #[test]
    fn refuses_pages_without_state_and_cut_off_states() {
        assert!(matches!(parse_page(&context(), ERROR_PAGE, None), Err(SourceError::NoInitialState { .. })));
        let cut = &PAGE[..PAGE.find("a-98765").unwrap()];
        assert!(matches!(parse_page(&context(), cut, None), Err(SourceError::Truncated { .. })));
        let broken = "<script>AppRegistry.registerInitialState('x', {\"announcements\": [nope]});</script>";
        assert!(matches!(parse_page(&context(), broken, None), Err(SourceError::NotJson { .. })));
    }

    #[test]
    fn the_adapter_asks_conditionally_and_passes_not_modified_on() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let pass = PassContext { source: context(), page_size: 100, today };
        let params = SitevisionParams { path: "/anslagstavla.html".into(), portlet: Some(String::new()) };
        let mut adapter = params.adapter(pass);
        let request = adapter.first_request();
        assert_eq!(request.target, "https://ale.se/anslagstavla.html");
        assert!(request.conditional && !request.listing_page);
        let step = adapter.step(Reply::NotModified).unwrap();
        assert!(step.not_modified && step.next.is_none() && step.outcome.documents.is_empty());
        let step = adapter.step(Reply::body(PAGE)).unwrap();
        assert!(!step.not_modified && step.next.is_none());
        assert!(!step.outcome.documents.is_empty());
    }
}
