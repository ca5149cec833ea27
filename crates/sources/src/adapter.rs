//! The extension point: what every platform adapter implements, and what the harvester drives.
//!
//! A pass over one source is a conversation: the adapter names a [`Request`], the harvester
//! sends it (politely, with retries, or reads a local file) and hands the [`Reply`] back to
//! [`SourceAdapter::step`], which parses it into documents, rejected items and the platform's
//! raw item ids, and names the next request — a session call, the next page, nothing. The
//! adapter holds its own cursor (page number, offset, session, announcement types) between
//! steps; it never opens a socket, sleeps or reads the clock, so every step is a pure function
//! of the replies so far and is tested on recorded payloads. The harvester owns everything
//! generic — the one paging loop, the page limit, politeness, conditional requests, dead
//! letters, change detection — and knows no platform by name.
//!
//! The other half of a platform is its catalogue params ([`PlatformParams`]): the fields its
//! `[[source]]` table may hold, checked, and the adapter they start for a pass.

use std::collections::BTreeMap;
use std::fmt::Debug;

use chrono::NaiveDate;
use namndsok_model::Document;
use serde::de::DeserializeOwned;

use crate::{ParseOutcome, SourceContext, SourceError};

/// What one pass over a source knows besides the source's params.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassContext {
    pub source: SourceContext,
    /// Items per page asked of paged platforms (at least 1).
    pub page_size: u32,
    /// The day of the pass: dates rows that carry none of their own.
    pub today: NaiveDate,
}

/// How a request is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    Get,
    /// A POST with this JSON body.
    PostJson(String),
    /// Not HTTP: the text of the local file at [`Request::target`].
    ReadFile,
}

/// One request an adapter asks the harvester to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    /// The URL, or the path of a local file for [`Method::ReadFile`].
    pub target: String,
    /// Send the validators of the last reply to this URL (`If-None-Match` / `If-Modified-Since`);
    /// the reply may then be [`Reply::NotModified`].
    pub conditional: bool,
    /// A failure is not the pass's failure: the adapter gets [`Reply::Failed`] and goes on.
    pub optional: bool,
    /// A page of the listing: counts against the harvester's page limit.
    pub listing_page: bool,
}

impl Request {
    pub fn get(url: impl Into<String>) -> Request {
        Request::new(Method::Get, url.into())
    }

    pub fn post_json(url: impl Into<String>, body: &serde_json::Value) -> Request {
        Request::new(Method::PostJson(body.to_string()), url.into())
    }

    pub fn read_file(path: impl Into<String>) -> Request {
        Request::new(Method::ReadFile, path.into())
    }

    fn new(method: Method, target: String) -> Request {
        Request { method, target, conditional: false, optional: false, listing_page: false }
    }

    pub fn conditional(self) -> Request {
        Request { conditional: true, ..self }
    }

    pub fn optional(self) -> Request {
        Request { optional: true, ..self }
    }

    pub fn listing_page(self) -> Request {
        Request { listing_page: true, ..self }
    }
}

/// A successful response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response {
    pub body: String,
    /// Response headers by lower-case name (empty for files).
    pub headers: BTreeMap<String, String>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// What came back for a [`Request`]. A failed request that is not optional never reaches the
/// adapter: it fails the pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Body(Response),
    /// The answer to a conditional request: nothing changed since the last pass.
    NotModified,
    /// An optional request failed, for this reason.
    Failed(String),
}

impl Reply {
    /// A reply with this body and no headers (tests, files).
    pub fn body(text: impl Into<String>) -> Reply {
        Reply::Body(Response { body: text.into(), headers: BTreeMap::new() })
    }

    /// The body; empty when there is none.
    pub fn text(&self) -> &str {
        match self {
            Reply::Body(response) => &response.body,
            Reply::NotModified | Reply::Failed(_) => "",
        }
    }
}

/// What one reply yielded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Step {
    /// Documents (with the platform's raw item ids) and rejected items of this reply.
    pub outcome: ParseOutcome,
    /// The request to make next; `None` ends the pass.
    pub next: Option<Request>,
    /// The reply was [`Reply::NotModified`]: everything is listed as in the last pass.
    pub not_modified: bool,
}

impl Step {
    /// A reply that yielded no items, only the next request (a session, a lookup table).
    pub fn then(next: Request) -> Step {
        Step { next: Some(next), ..Step::default() }
    }

    /// A page of items, and the next request if there are more.
    pub fn page(outcome: ParseOutcome, next: Option<Request>) -> Step {
        Step { outcome, next, not_modified: false }
    }

    /// The listing is as it was in the last pass.
    pub fn not_modified() -> Step {
        Step { not_modified: true, ..Step::default() }
    }
}

/// One platform's walk over one source, for one pass. Created by [`PlatformParams::adapter`];
/// driven by the harvester: `first_request`, then `step` with each reply until it names no
/// next request.
pub trait SourceAdapter: Send + Sync {
    /// The first request of the pass.
    fn first_request(&mut self) -> Request;

    /// Parses the reply to the last request and names the next one. An `Err` is a payload that
    /// is not what the platform sends: the pass fails and nothing indexed is touched.
    fn step(&mut self, reply: Reply) -> Result<Step, SourceError>;

    /// Where the full version of a listed item is, when the listing holds only a summary. The
    /// harvester asks for it only for items whose listing changed since the last pass.
    fn detail_request(&self, _item_id: &str) -> Option<Request> {
        None
    }

    /// The full document from the reply to the [`SourceAdapter::detail_request`] for
    /// `item_id`, whose listing gave `listed`; `None` keeps the listed one.
    fn parse_detail(&self, _item_id: &str, _listed: &Document, _payload: &str) -> Option<Document> {
        None
    }

    /// Whether the `item_id` of rejected items is the platform's raw item id (so the harvester
    /// knows which indexed document a rejected item is). `false` for files, whose rejected lines
    /// carry document ids: then a pass with rejected items takes nothing down.
    fn rejected_ids_are_item_ids(&self) -> bool {
        true
    }
}

/// A field of a `[[source]]` table and what is wrong with it.
pub type Problem = (&'static str, String);

/// A platform's catalogue params: the fields its `[[source]]` tables hold beyond the common
/// ones (`id`, `kommun`, `url`, `rate_per_second`, `stale_after_days`). Serde checks their
/// shape (implementors are `#[serde(deny_unknown_fields)]`); [`PlatformParams::check`] their
/// values.
pub trait PlatformParams: Debug + Clone + PartialEq + DeserializeOwned {
    /// Whether sources of this platform are on the web and need `kommun` and `url`.
    const REMOTE: bool = true;

    /// What is wrong with the values; empty when nothing is.
    fn check(&self) -> Vec<Problem> {
        Vec::new()
    }

    /// The adapter that walks one pass over a source with these params.
    fn adapter(&self, pass: PassContext) -> Box<dyn SourceAdapter>;
}

/// Runs an adapter over canned replies, as the harvester would with a server answering them:
/// `answer` gives the reply to each request. Returns every step's outcome merged, and the
/// requests made. For tests of adapters without a network.
pub fn run_to_end(
    adapter: &mut dyn SourceAdapter,
    mut answer: impl FnMut(&Request) -> Reply,
) -> Result<(ParseOutcome, Vec<Request>), SourceError> {
    let mut merged = ParseOutcome::default();
    let mut requests = Vec::new();
    let mut request = Some(adapter.first_request());
    while let Some(current) = request {
        let reply = answer(&current);
        requests.push(current);
        let step = adapter.step(reply)?;
        merged.documents.extend(step.outcome.documents);
        merged.item_ids.extend(step.outcome.item_ids);
        merged.rejected.extend(step.outcome.rejected);
        request = step.next;
        if requests.len() > 10_000 {
            panic!("the adapter never stopped asking");
        }
    }
    Ok((merged, requests))
}
