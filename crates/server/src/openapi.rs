//! The OpenAPI 3.1 document of the service, generated with utoipa from the handlers'
//! `#[utoipa::path]` attributes and the request types they take, and served at
//! `GET /api/v1/openapi.yaml` (as JSON, which is YAML too).
//!
//! Types that other crates own and the API shows as JSON (a hit, a document, a source report)
//! are described here by doc-only twins; the web page's routes, whose handlers live in
//! [`crate::web`] and [`crate::alert_pages`], by the stubs at the end of this file.

use crate::search::{FacetValue, Hit, SearchResponse};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToResponse, ToSchema};

use crate::accounts::NewAccount;
use crate::extract::OneOrMany;
use crate::saved_searches::{DeliveryBody, Filters, Follow, NewSavedSearch, SavedSearchPatch};

/// The whole document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Nämndsök API",
        version = "1",
        description = "Search across the council matters of every Swedish kommun and region, with saved searches and alerts.

JSON over HTTP, UTF-8. Every error is `{\"error\": {\"code\", \"message\"}}` with a stable code
(`invalid_parameter` 400, `unauthorized` 401, `forbidden` 403, `not_found` 404, `conflict` 409,
`payload_too_large` 413, `rate_limited` 429, `internal` 500, `unavailable` 503); a bad parameter or body field is
never ignored, and the message names it. Internal details are logged, never returned. Every
answer carries an `x-request-id` (the client's own when it sent one).

Saved searches, accounts and ingest need the alert database (on by default in `namndsok serve`;
`--no-alerts` turns it off, and then these routes answer `503 unavailable`). Authenticated
routes take `Authorization: Bearer <token>`. An account's token comes from
`namndsok accounts create --email E` (operators) or from the e-mailed link of
`POST /api/v1/accounts`. Each account sees and changes only its own saved searches: another
account's search is `404`, exactly like a missing one.

This description is served at `GET /api/v1/openapi.yaml`.",
        license(name = "MIT")
    ),
    servers((url = "http://127.0.0.1:8080", description = "namndsok serve (default address)")),
    tags(
        (name = "search", description = "Searching the documents"),
        (name = "alerts", description = "Accounts, saved searches, private feeds"),
        (name = "ingest", description = "Adding documents (trusted feeders)"),
        (name = "web", description = "The server-rendered Swedish web page (HTML, no JavaScript)"),
        (name = "service", description = "Health and sources"),
    ),
    paths(
        crate::healthz,
        crate::search::search,
        crate::atom::search_feed,
        crate::documents::document,
        crate::sources,
        crate::accounts::create_account,
        crate::saved_searches::list,
        crate::saved_searches::create,
        crate::saved_searches::get_one,
        crate::saved_searches::update,
        crate::saved_searches::delete,
        crate::ingest::ingest,
        crate::openapi_document,
        crate::feeds::feed,
        unsubscribe,
        unsubscribe_one_click,
        confirm_form,
        confirm,
        watch_form,
        search_page,
        document_page,
        status_page,
        help_page,
        stylesheet,
    ),
    components(
        schemas(
            Error, Kind, Document, Hit, FacetValue, SearchResponse, SourceReport, Frequency, SavedSearch,
            SavedSearchCreated, IngestReport, NewAccount, NewSavedSearch, SavedSearchPatch, Filters, Follow,
            DeliveryBody, OneOrMany
        ),
        responses(
            BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge, TooManyRequests, Internal, Unavailable,
            HtmlPage, HtmlError
        )
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The document as served: the generated one, with what only the data knows — the kommun and
/// länskoder the search parameters accept (the registry's, as `enum`s), and dates that may be
/// given empty (as the search form sends them, meaning no bound).
pub fn document_json() -> String {
    let mut document = serde_json::to_value(ApiDoc::openapi()).expect("the document serializes");
    let registry = namndsok_model::Registry::global();
    let codes: Vec<&str> = registry.all().iter().map(|o| o.code.as_str()).collect();
    let lan: Vec<&str> = registry
        .all()
        .iter()
        .filter(|o| o.kind == namndsok_model::OrganisationKind::Region)
        .map(|o| o.code.as_str())
        .collect();
    let paths = document["paths"].as_object_mut().expect("paths");
    for operation in paths.values_mut().filter_map(|item| item.as_object_mut()).flat_map(|item| item.values_mut()) {
        let Some(parameters) = operation.get_mut("parameters").and_then(|p| p.as_array_mut()) else { continue };
        for parameter in parameters.iter_mut().filter(|p| p["in"] == "query") {
            match parameter["name"].as_str() {
                Some("kommun") => parameter["schema"]["items"]["enum"] = serde_json::json!(codes),
                Some("lan") => parameter["schema"]["items"]["enum"] = serde_json::json!(lan),
                Some("from" | "to") => {
                    parameter["schema"] = serde_json::json!({
                        "type": ["string", "null"],
                        "anyOf": [{"format": "date"}, {"maxLength": 0}],
                    })
                }
                _ => {}
            }
        }
    }
    serde_json::to_string_pretty(&document).expect("the document serializes")
}

/// `bearerAuth`: an account's API token.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearerAuth",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An account's API token (64 hex digits)."))
                    .build(),
            ),
        );
    }
}

// ---- Query parameters -------------------------------------------------------------------

/// A parameter struct with the words and filters every search takes, then `$extra`.
macro_rules! search_params {
    ($(#[$meta:meta])* $name:ident { $($extra:tt)* }) => {
        $(#[$meta])*
        #[derive(IntoParams)]
        #[into_params(parameter_in = Query)]
        #[allow(dead_code)]
        pub struct $name {
            /// The query as a person types it: words, "phrases" (the words in that order, stop
            /// words included; `phrase_found` says whether any document has it), -exclusion
            /// (everything the word finds on its own), -"phrase", OR, a diarienummer, and fields:
            /// kommun:Luleå (name or code), lan:Norrbotten, typ:anslag, namnd:byggnadsnämnden
            /// (a nämnd, case and å/ä/ö aside, or a word its name starts), titel:word (in the
            /// title), datum:2024-01..2024-06 (a day, month or year, or a range; an end may be
            /// open), dnr:"KS 2023/412". Fields narrow like the filters (both must hold).
            /// A field that names nothing, or an unknown one, is searched as words.
            /// The same query means the same in saved searches and alerts. Help in Swedish: /hjalp.
            /// At most 1,000 characters and 32 words (a longer one is answered 400).
            q: Option<String>,
            /// Kommunkod (4 digits) or länskod of a region (2 digits); repeatable (OR).
            #[param(style = Form, explode)]
            kommun: Option<Vec<String>>,
            /// Länskod (2 digits) — every kommun in the län plus the region; repeatable.
            #[param(style = Form, explode)]
            lan: Option<Vec<String>>,
            /// Document kind; repeatable.
            #[param(style = Form, explode)]
            kind: Option<Vec<Kind>>,
            /// Nämnd name; repeatable.
            #[param(style = Form, explode)]
            organ: Option<Vec<String>>,
            /// Inclusive lower bound on `date`.
            #[param(value_type = Option<String>, format = Date)]
            from: Option<String>,
            /// Inclusive upper bound on `date`.
            #[param(value_type = Option<String>, format = Date)]
            to: Option<String>,
            $($extra)*
        }
    };
}

search_params!(
    /// The parameters of `/api/v1/search` (see [`crate::params`]).
    SearchParams {
        #[param(inline, default = "relevance")]
        sort: Option<Sort>,
        #[param(minimum = 1, maximum = 100, default = 20)]
        limit: Option<u32>,
        /// Opaque, from `next_cursor` of the previous page.
        cursor: Option<String>,
    }
);

search_params!(
    /// The parameters of `/api/v1/search.atom`: those of a search but `sort` and `cursor`.
    FeedParams {
        /// Entries in the feed (50 unless given).
        #[param(minimum = 1, maximum = 100)]
        limit: Option<u32>,
    }
);

search_params!(
    /// The parameters of the search page: those of a search but `limit`.
    PageParams {
        #[param(inline, default = "relevance")]
        sort: Option<Sort>,
        /// Opaque, from the page's own paging links.
        cursor: Option<String>,
    }
);

/// How hits are ordered.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum Sort {
    Relevance,
    DateDesc,
    DateAsc,
}

// ---- Responses --------------------------------------------------------------------------

/// A parameter or body field is malformed, unknown, missing or out of range
/// (`invalid_parameter`; the message names it).
#[derive(ToResponse)]
#[allow(dead_code)]
pub struct BadRequest(Error);

/// No API token, or not a valid one (`unauthorized`). Sent with `WWW-Authenticate: Bearer`.
#[derive(ToResponse)]
#[response(headers(("WWW-Authenticate" = String, description = "`Bearer`")))]
#[allow(dead_code)]
pub struct Unauthorized(Error);

/// The account may not do this (`forbidden`), e.g. ingest without the operator's grant, or an
/// unconfirmed account.
#[derive(ToResponse)]
#[allow(dead_code)]
pub struct Forbidden(Error);

/// No such resource (`not_found`); another account's saved search is not found either.
#[derive(ToResponse)]
#[allow(dead_code)]
pub struct NotFound(Error);

/// The request clashes with what exists (`conflict`), e.g. the account has 100 saved searches.
#[derive(ToResponse)]
#[allow(dead_code)]
pub struct Conflict(Error);

/// The body is larger than accepted (`payload_too_large`).
#[derive(ToResponse)]
#[allow(dead_code)]
pub struct PayloadTooLarge(Error);

/// Too many requests from this client (`rate_limited`): try again after `Retry-After` seconds.
#[derive(ToResponse)]
#[response(headers(("Retry-After" = u64, description = "Seconds to wait")))]
#[allow(dead_code)]
pub struct TooManyRequests(Error);

/// Something failed on the server (`internal`); details are logged, not returned.
#[derive(ToResponse)]
#[allow(dead_code)]
pub struct Internal(Error);

/// The feature is not enabled on this server (`unavailable`), e.g. alerts without an alert
/// database, or e-mail without an SMTP relay; or the request took longer than the server allows.
#[derive(ToResponse)]
#[allow(dead_code)]
pub struct Unavailable(Error);

/// A Swedish HTML page.
#[derive(ToResponse)]
#[response(content_type = "text/html")]
#[allow(dead_code)]
pub struct HtmlPage(String);

/// A Swedish HTML page explaining what went wrong.
#[derive(ToResponse)]
#[response(content_type = "text/html")]
#[allow(dead_code)]
pub struct HtmlError(String);

// ---- Schemas of what the API answers ----------------------------------------------------

/// The one error shape.
#[derive(ToSchema)]
#[schema(example = json!({"error": {"code": "invalid_parameter", "message": "filters.kommun: unknown kommunkod or länskod \"9999\""}}))]
#[allow(dead_code)]
pub struct Error {
    #[schema(inline)]
    error: ErrorBody,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct ErrorBody {
    #[schema(inline)]
    code: crate::error::ErrorCode,
    message: String,
}

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum Kind {
    Arende,
    Anslag,
    Protokoll,
}

/// Document JSON v1.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Document {
    #[schema(max_length = 512)]
    id: String,
    kind: Kind,
    kommun_kod: String,
    kommun: String,
    organ: Option<String>,
    diarienummer: Option<String>,
    title: String,
    body: Option<String>,
    #[schema(format = Date)]
    date: String,
    #[schema(format = Date)]
    publish_from: Option<String>,
    #[schema(format = Date)]
    publish_to: Option<String>,
    url: Option<String>,
    source: Option<String>,
    /// Anslag only (three weeks from the anslag date).
    #[schema(format = Date)]
    last_day_of_appeal: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SourceReport {
    id: String,
    kommun_kod: Option<String>,
    kommun: Option<String>,
    platform: String,
    url: String,
    #[schema(inline)]
    status: SourceStatus,
    #[schema(format = DateTime)]
    last_attempt: Option<String>,
    #[schema(format = DateTime)]
    last_success: Option<String>,
    last_error: Option<String>,
    consecutive_failures: u32,
    items_seen: u64,
    rejected_last_pass: Option<u64>,
    #[schema(format = DateTime)]
    last_new_item_at: Option<String>,
}

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum SourceStatus {
    Pending,
    Ok,
    Degraded,
    Failing,
    Stale,
}

/// `daily`: one digest a day at 07:00 Europe/Stockholm.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum Frequency {
    Immediate,
    Daily,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SavedSearch {
    id: i64,
    query: String,
    /// The saved filters (the repeatable ones always as lists).
    #[schema(value_type = Object)]
    filters: serde_json::Value,
    #[schema(inline)]
    follow: Option<FollowedCase>,
    /// What the search looks for, in words.
    label: String,
    delivery: DeliveryBody,
    frequency: Frequency,
    enabled: bool,
    /// `unsubscribed`, `disabled by owner`, `awaiting confirmation`, or why a webhook was disabled.
    disabled_reason: Option<String>,
    /// The private Atom feed (keep it private).
    #[schema(format = "uri")]
    feed_url: String,
    #[schema(format = DateTime)]
    created: String,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct FollowedCase {
    kommun: String,
    /// The diarienummer reduced to its key (`ks2023-412`).
    case_key: String,
}

/// A saved search as `POST /api/v1/saved-searches` answers.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SavedSearchCreated {
    #[serde(flatten)]
    search: SavedSearch,
    /// Documents already in the index that the search will not alert.
    marked_seen: u64,
    /// Webhooks only; shown only in this answer.
    webhook_secret: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct IngestReport {
    /// New documents.
    imported: u64,
    /// Documents that replaced one with the same id.
    replaced: u64,
    #[schema(inline)]
    rejected: Vec<RejectedLine>,
    #[schema(inline)]
    warnings: Vec<LineWarning>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct RejectedLine {
    /// 1-based line number in the body.
    line: u64,
    reason: String,
}

#[derive(ToSchema)]
#[allow(dead_code)]
struct LineWarning {
    line: u64,
    message: String,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Healthz {
    #[schema(inline)]
    status: HealthStatus,
    documents: u64,
}

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum HealthStatus {
    Ok,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Sources {
    harvesting: bool,
    /// Sources per status.
    counts: std::collections::BTreeMap<String, u64>,
    sources: Vec<SourceReport>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SavedSearchList {
    saved_searches: Vec<SavedSearch>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ConfirmationSent {
    #[schema(inline)]
    status: ConfirmationStatus,
    email: String,
    message: String,
}

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum ConfirmationStatus {
    ConfirmationSent,
}

// ---- The web page's routes (handlers in `web` and `alert_pages`) ------------------------

/// One-click unsubscribe (the link in every alert e-mail)
///
/// Stops the saved search and answers with a small Swedish confirmation page.
#[utoipa::path(get, path = "/unsubscribe/{token}", tags = ["web", "alerts"], operation_id = "unsubscribe",
    params(("token" = String, Path, description = "The unsubscribe token from the link in every alert e-mail.")),
    responses((status = 200, response = HtmlPage), (status = 404, response = HtmlError), (status = 503, response = HtmlError)))]
#[allow(dead_code)]
fn unsubscribe() {}

/// One-click unsubscribe by POST (RFC 8058, `List-Unsubscribe-Post`)
#[utoipa::path(post, path = "/unsubscribe/{token}", tags = ["web", "alerts"], operation_id = "unsubscribeOneClick",
    params(("token" = String, Path, description = "The unsubscribe token from the link in every alert e-mail.")),
    request_body(content = inline(OneClick), content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, response = HtmlPage), (status = 404, response = HtmlError), (status = 503, response = HtmlError)))]
#[allow(dead_code)]
fn unsubscribe_one_click() {}

#[derive(ToSchema)]
#[allow(dead_code)]
struct OneClick {
    #[serde(rename = "List-Unsubscribe")]
    #[schema(example = "One-Click")]
    list_unsubscribe: Option<String>,
}

/// The confirmation page (a button; opening the link changes nothing)
#[utoipa::path(get, path = "/confirm/{token}", tags = ["web", "alerts"], operation_id = "confirmForm",
    params(
        ("token" = String, Path, description = "The confirmation token from the e-mailed link (valid 48 hours, once)."),
        ("api" = Option<String>, Query, description = "`1` when the link came from `POST /api/v1/accounts`: confirming then shows a new API token."),
    ),
    responses((status = 200, response = HtmlPage), (status = 404, response = HtmlError)))]
#[allow(dead_code)]
fn confirm_form() {}

/// Confirm the address
///
/// Confirms the account, starts its saved searches that waited for confirmation (from the
/// web form) and, with `api=1`, shows a new API token (once).
#[utoipa::path(post, path = "/confirm/{token}", tags = ["web", "alerts"], operation_id = "confirm",
    params(
        ("token" = String, Path, description = "The confirmation token from the e-mailed link (valid 48 hours, once)."),
        ("api" = Option<String>, Query, description = "`1` when the link came from `POST /api/v1/accounts`: confirming then shows a new API token."),
    ),
    responses((status = 200, response = HtmlPage), (status = 404, response = HtmlError), (status = 503, response = HtmlError)))]
#[allow(dead_code)]
fn confirm() {}

/// The web form "Bevaka sökningen med e-post"
///
/// Creates the account for the address if there is none and saves the search, disabled
/// until the address is confirmed through the mailed link; answers with a Swedish page
/// ("Vi har skickat ett bekräftelsemejl…"), the same whether or not the address had an account.
/// Offered on the search page only when the server has an SMTP relay.
#[utoipa::path(post, path = "/bevaka", tags = ["web", "alerts"], operation_id = "watchForm",
    request_body(content = inline(WatchForm), content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, response = HtmlPage), (status = 400, response = HtmlError), (status = 409, response = HtmlError),
        (status = 415, response = HtmlError), (status = 503, response = HtmlError),
    ))]
#[allow(dead_code)]
fn watch_form() {}

#[derive(ToSchema)]
#[allow(dead_code)]
struct WatchForm {
    #[schema(format = Email)]
    epost: String,
    q: Option<String>,
    kommun: Option<Vec<String>>,
    lan: Option<Vec<String>>,
    kind: Option<Vec<String>>,
    organ: Option<Vec<String>>,
    #[schema(format = Date)]
    from: Option<String>,
    #[schema(format = Date)]
    to: Option<String>,
}

/// The search page
///
/// Takes the parameters of `/api/v1/search`; facets, the kommun map and paging are links.
#[utoipa::path(get, path = "/", tag = "web", operation_id = "searchPage", params(PageParams),
    responses((status = 200, response = HtmlPage), (status = 400, response = HtmlError)))]
#[allow(dead_code)]
fn search_page() {}

/// One document's page, with the other documents of its case
#[utoipa::path(get, path = "/d/{id}", tag = "web", operation_id = "documentPage",
    params(("id" = String, Path)),
    responses((status = 200, response = HtmlPage), (status = 404, response = HtmlError)))]
#[allow(dead_code)]
fn document_page() {}

/// Data freshness per kommun and region
/// How to search (Swedish): every operator and field of the query language
#[utoipa::path(get, path = "/hjalp", tag = "web", operation_id = "helpPage",
    responses((status = 200, response = HtmlPage)))]
#[allow(dead_code)]
fn help_page() {}

#[utoipa::path(get, path = "/status", tag = "web", operation_id = "statusPage",
    responses((status = 200, response = HtmlPage)))]
#[allow(dead_code)]
fn status_page() {}

/// The stylesheet (versioned name, cached for a year)
#[utoipa::path(get, path = "/assets/style-2.css", tag = "web", operation_id = "stylesheet",
    responses((status = 200, description = "CSS.", body = String, content_type = "text/css")))]
#[allow(dead_code)]
fn stylesheet() {}
