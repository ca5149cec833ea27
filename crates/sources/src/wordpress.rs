//! WordPress (and Municipio, the Swedish municipal theme built on it): the REST API.
//!
//! `GET {base}/wp-json/wp/v2/{post_type}?per_page=100&page=N` ([`posts_url`]) answers an array
//! of posts `{id, date, modified, link, title: {rendered}, content: {rendered}, acf: {…}}`; the
//! number of pages and posts come in the `X-WP-TotalPages` and `X-WP-Total` headers, which the
//! fetch layer passes in as [`Paging`]. Titles and contents are rendered HTML. Municipio takes
//! an anslag down on its *avpubliceringsdatum*, an ACF field (`acf.avpubliceringsdatum`, ACF's
//! `Ymd` format or ISO); `acf` is `[]` or `false` when a post has no fields. An error is an object
//! `{code, message, data: {status}}` ([`SourceError::Remote`]).

use namndsok_model::{Document, FileLink, Kind};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::adapter::{PassContext, PlatformParams, Problem, Reply, Request, SourceAdapter, Step};
use crate::draft::Draft;
use crate::text;
use crate::{describe, parse_json, scalar_text, ParseOutcome, SourceContext, SourceError};

/// Posts per page (the API's maximum).
pub const PER_PAGE: u32 = 100;

/// ACF/meta keys that hold the take-down date.
const UNPUBLISH_KEYS: &[&str] = &[
    "avpubliceringsdatum",
    "avpublicering",
    "avpubliceras",
    "unpublish_date",
    "unpublish",
    "publish_to",
    "anslaget_till",
    "anslagen_till",
    "anslas_till",
    "nedtagningsdatum",
];
const ORGAN_KEYS: &[&str] = &["namnd", "nämnd", "organ", "instans", "beslutande_organ"];
const DIARIENUMMER_KEYS: &[&str] = &["diarienummer", "dnr", "arendenummer"];

/// Page `page` (from 1) of a post type.
pub fn posts_url(base: &str, post_type: &str, page: u32) -> String {
    format!("{}/wp-json/wp/v2/{post_type}?per_page={PER_PAGE}&page={page}", base.trim_end_matches('/'))
}

/// What the response headers said about the number of pages and posts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Paging {
    /// `X-WP-TotalPages`.
    pub total_pages: Option<u32>,
    /// `X-WP-Total`.
    pub total: Option<u64>,
}

impl Paging {
    /// From the raw header values (missing or unparsable headers are `None`).
    pub fn from_headers(total_pages: Option<&str>, total: Option<&str>) -> Paging {
        Paging {
            total_pages: total_pages.and_then(|v| v.trim().parse().ok()),
            total: total.and_then(|v| v.trim().parse().ok()),
        }
    }
}

/// Parses one page of posts into documents of `kind`.
pub fn parse_posts(
    context: &SourceContext,
    payload: &str,
    kind: Kind,
    page: u32,
    paging: Paging,
) -> Result<ParseOutcome, SourceError> {
    const EXPECTED: &str = "a WordPress REST array of posts";
    let value = parse_json(payload, EXPECTED)?;
    let posts = match &value {
        Value::Array(posts) => posts,
        Value::Object(object) if object.contains_key("code") && object.contains_key("message") => {
            return Err(SourceError::Remote {
                code: object.get("code").and_then(scalar_text).unwrap_or_default(),
                message: object.get("message").and_then(scalar_text).unwrap_or_default(),
            })
        }
        other => return Err(SourceError::WrongShape { expected: EXPECTED, found: describe(other) }),
    };
    let mut outcome = ParseOutcome::default();
    for post in posts {
        match post {
            Value::Object(post) => post_into(context, post, kind, &mut outcome),
            other => outcome.reject(None, format!("a post must be an object, got {}", describe(other))),
        }
    }
    let more = match (paging.total_pages, paging.total) {
        (Some(pages), _) => page < pages,
        (None, Some(total)) => u64::from(page) * u64::from(PER_PAGE) < total,
        (None, None) => posts.len() as u64 >= u64::from(PER_PAGE),
    };
    outcome.next_page = (more && !posts.is_empty()).then_some(page + 1);
    Ok(outcome)
}

/// `title.rendered`, or a plain string.
fn rendered(post: &Map<String, Value>, key: &str) -> Option<String> {
    match post.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("rendered").and_then(Value::as_str).map(str::to_string),
        _ => None,
    }
}

fn post_into(context: &SourceContext, post: &Map<String, Value>, kind: Kind, outcome: &mut ParseOutcome) {
    let Some(id) = post.get("id").and_then(scalar_text) else {
        return outcome.reject(None, "post without an id");
    };
    let Some(date) = post.get("date").and_then(Value::as_str).and_then(text::parse_date) else {
        return outcome.reject(Some(id), "no valid `date`");
    };
    // ACF and post meta: objects, or `[]`/`false` when empty.
    let fields: Vec<&Map<String, Value>> =
        ["acf", "meta"].iter().filter_map(|key| post.get(*key)?.as_object()).collect();
    let field = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|key| fields.iter().find_map(|f| f.get(*key).and_then(scalar_text)))
    };
    let publish_to = match field(UNPUBLISH_KEYS) {
        None => None,
        Some(value) => match text::parse_date(&value) {
            Some(date) => Some(date),
            None => return outcome.reject(Some(id), format!("unpublish date {value:?} is not a date")),
        },
    };
    let title = rendered(post, "title").map(|t| text::normalise_whitespace(&text::strip_html(&t))).unwrap_or_default();
    let content_html = rendered(post, "content");
    let content = content_html
        .as_deref()
        .map(text::strip_html)
        .filter(|c| !c.is_empty())
        .or_else(|| rendered(post, "excerpt").map(|e| text::strip_html(&e)));
    let mut draft = Draft::new(&id, kind, title);
    draft.body = content;
    draft.organ = field(ORGAN_KEYS).map(|o| text::clean_line(&o));
    draft.diarienummer = field(DIARIENUMMER_KEYS).map(|d| text::clean_line(&d));
    draft.date = Some(date);
    if kind == Kind::Anslag {
        draft.publish_from = Some(date);
        draft.publish_to = publish_to;
    }
    draft.url = post.get("link").and_then(Value::as_str).map(str::to_string);
    // Files the post links on the kommun's own site (Municipio puts the kungörelse PDF there).
    let page = draft.url.clone().unwrap_or_else(|| context.base_url.clone());
    draft.files = content_html.as_deref().map(|html| text::file_links_in_html(html, &page)).unwrap_or_default();
    draft.finish_into(context, outcome);
}

/// A WordPress source's params.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordPressParams {
    /// The REST post type the anslag are published as (`anslag`).
    pub post_type: String,
    #[serde(default = "WordPressParams::default_kind")]
    pub kind: Kind,
}

impl WordPressParams {
    fn default_kind() -> Kind {
        Kind::Anslag
    }
}

impl PlatformParams for WordPressParams {
    fn check(&self) -> Vec<Problem> {
        let post_type = &self.post_type;
        if !post_type.is_empty() && post_type.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_') {
            return Vec::new();
        }
        vec![("post_type", format!("is {post_type:?}, expected a REST post type such as `anslag`"))]
    }

    fn adapter(&self, pass: PassContext) -> Box<dyn SourceAdapter> {
        Box::new(WordPressSource { params: self.clone(), pass, page: 1 })
    }
}

/// A pass over a WordPress REST post type: pages of posts, as many as `X-WP-TotalPages` says.
pub struct WordPressSource {
    params: WordPressParams,
    pass: PassContext,
    /// The page asked for last.
    page: u32,
}

impl WordPressSource {
    fn posts_request(&self) -> Request {
        Request::get(posts_url(&self.pass.source.base_url, &self.params.post_type, self.page)).listing_page()
    }
}

impl SourceAdapter for WordPressSource {
    fn first_request(&mut self) -> Request {
        self.posts_request()
    }

    fn step(&mut self, reply: Reply) -> Result<Step, SourceError> {
        let paging = match &reply {
            Reply::Body(response) => {
                Paging::from_headers(response.header("x-wp-totalpages"), response.header("x-wp-total"))
            }
            Reply::NotModified | Reply::Failed(_) => Paging::default(),
        };
        let outcome = parse_posts(&self.pass.source, reply.text(), self.params.kind, self.page, paging)?;
        let next = outcome.next_page.map(|next| {
            self.page = next;
            self.posts_request()
        });
        Ok(Step::page(outcome, next))
    }

    /// The post's attachments (`/wp-json/wp/v2/media?parent=ID`): Municipio and plain
    /// WordPress upload the kungörelse or protokoll PDF as media of the post.
    fn detail_request(&self, item_id: &str) -> Option<Request> {
        Some(Request::get(media_url(&self.pass.source.base_url, item_id)))
    }

    fn parse_detail(&self, _item_id: &str, listed: &Document, payload: &str) -> Option<Document> {
        let files = parse_media(payload).ok()?;
        let mut document = listed.clone();
        for file in files {
            if document.files.len() < 100 && !document.files.iter().any(|f| f.url == file.url) {
                document.files.push(file);
            }
        }
        Some(document)
    }
}

/// The media attached to post `post_id`.
pub fn media_url(base: &str, post_id: &str) -> String {
    format!(
        "{}/wp-json/wp/v2/media?parent={}&per_page=100",
        base.trim_end_matches('/'),
        namndsok_model::url::encode_component(post_id)
    )
}

/// The PDF files of a media list (`[{source_url, mime_type, title: {rendered}}]`); other media
/// (images) are left out.
pub fn parse_media(payload: &str) -> Result<Vec<FileLink>, SourceError> {
    const EXPECTED: &str = "a WordPress media list [{source_url, mime_type, title}]";
    let value = parse_json(payload, EXPECTED)?;
    let Value::Array(items) = value else {
        return Err(SourceError::WrongShape { expected: EXPECTED, found: describe(&value) });
    };
    let mut files = Vec::new();
    for item in &items {
        let Some(url) = item.get("source_url").and_then(Value::as_str).filter(|u| text::looks_like_http_url(u)) else {
            continue;
        };
        let mime = item.get("mime_type").and_then(Value::as_str).unwrap_or("");
        if mime != "application/pdf" && !url.to_ascii_lowercase().ends_with(".pdf") {
            continue;
        }
        let name = rendered(item.as_object().expect("an item with a source_url is an object"), "title")
            .map(|t| text::clean_line(&text::strip_html(&t)))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| text::file_name(url));
        let name = namndsok_model::personnummer::redact_personnummer(&name);
        files.push(FileLink { url: url.to_string(), name });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use crate::ErrorCheck;
    use chrono::NaiveDate;

    use super::*;
    use crate::adapter::{run_to_end, Response};

    const POSTS: &str = include_str!("../tests/fixtures/wordpress-eslov-anslag.json");
    const NACKA: &str = include_str!("../tests/fixtures/nacka-bygglov-kungorelser-redacted.json");
    const ERROR_PAGE: &str = include_str!("../tests/fixtures/error-page.html");

    fn context() -> SourceContext {
        SourceContext::new("eslov-wordpress", "1285", "wordpress", "https://eslov.se")
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn builds_the_url_and_reads_the_headers() {
        assert_eq!(
            posts_url("https://eslov.se/", "anslag", 3),
            "https://eslov.se/wp-json/wp/v2/anslag?per_page=100&page=3"
        );
        assert_eq!(Paging::from_headers(Some(" 4 "), Some("317")), Paging { total_pages: Some(4), total: Some(317) });
        assert_eq!(Paging::from_headers(Some("x"), None), Paging::default());
    }

    #[test]
    fn parses_posts_with_html_titles_and_acf_dates() {
        let outcome =
            parse_posts(&context(), POSTS, Kind::Anslag, 1, Paging::from_headers(Some("2"), Some("106"))).unwrap();
        let ids: Vec<&str> = outcome.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["1285-wordpress-4711", "1285-wordpress-4712"]);

        let permit = &outcome.documents[0];
        assert_eq!(permit.title, "Kungörelse – bygglov för Gåsen 5 & Gåsen 6");
        assert_eq!(
            (permit.date, permit.publish_from, permit.publish_to),
            (date(2026, 3, 2).unwrap(), date(2026, 3, 2), date(2026, 3, 23))
        );
        assert_eq!(permit.organ.as_deref(), Some("Miljö- och byggnadsnämnden"));
        assert_eq!(permit.diarienummer.as_deref(), Some("MBN 2026-000123"));
        assert_eq!(
            permit.body.as_deref(),
            Some("Beslut om bygglov för nybyggnad. Diarienummer: MBN 2026-000123\nSökande: [personnummer]\nOrganisationsnummer 212000-1124, tel 0413-620 00.")
        );
        assert_eq!(permit.url.as_deref(), Some("https://eslov.se/anslag/kungorelse-bygglov-gasen-5/"));

        // `acf: []`: no unpublish date; the diarienummer comes from the text.
        let protocol = &outcome.documents[1];
        assert_eq!(protocol.publish_to, None);
        assert_eq!(protocol.organ, None);
        assert_eq!(protocol.diarienummer.as_deref(), Some("KS 2026/45"));
        assert_eq!(protocol.title, "Tillkännagivande av justerat protokoll – Kommunfullmäktige");

        let rejected: Vec<(Option<&str>, &str)> =
            outcome.rejected.iter().map(|r| (r.item_id.as_deref(), r.reason.as_str())).collect();
        assert_eq!(
            rejected,
            [
                (Some("4713"), "unpublish date \"snart\" is not a date"),
                (Some("4714"), "no title"),
                (Some("4715"), "no valid `date`"),
                (Some("4716"), "field `publish_to` (2026-03-01) is before publish_from (2026-03-05)"),
                (None, "a post must be an object, got a number"),
            ]
        );
        assert_eq!(outcome.next_page, Some(2));
        assert_eq!(
            parse_posts(&context(), POSTS, Kind::Anslag, 2, Paging::from_headers(Some("2"), None)).unwrap().next_page,
            None
        );
        assert_eq!(parse_posts(&context(), POSTS, Kind::Anslag, 1, Paging::default()).unwrap().next_page, None);
    }

    #[test]
    fn refuses_errors_and_other_shapes() {
        let error = parse_posts(
            &context(),
            r#"{"code":"rest_post_invalid_page_number","message":"Det begärda sidnumret är större än antalet tillgängliga sidor.","data":{"status":400}}"#,
            Kind::Anslag,
            9,
            Paging::default(),
        )
        .unwrap_err();
        assert!(
            matches!(&error, SourceError::Remote { code, .. } if code == "rest_post_invalid_page_number"),
            "{error}"
        );
        let truncated = &POSTS[..POSTS.len() / 3];
        let cases: [(&str, ErrorCheck); 3] = [
            (ERROR_PAGE, |e| matches!(e, SourceError::HtmlInsteadOfJson { .. })),
            (truncated, |e| matches!(e, SourceError::Truncated { .. })),
            ("{\"posts\": []}", |e| matches!(e, SourceError::WrongShape { .. })),
        ];
        for (payload, check) in cases {
            let error = parse_posts(&context(), payload, Kind::Anslag, 1, Paging::default()).unwrap_err();
            assert!(check(&error), "{error}");
        }
    }

    /// The Nacka sample is not a WordPress response (nor any platform's): it is a third-party
    /// scraper's output (`{source, note, permits: [...]}`) with no ids and no dates. The adapter
    /// must say so instead of producing nothing.
    #[test]
    fn the_nacka_sample_is_a_scraper_export_not_a_wordpress_response() {
        let error = parse_posts(&context(), NACKA, Kind::Anslag, 1, Paging::default()).unwrap_err();
        let SourceError::WrongShape { found, .. } = &error else { panic!("{error}") };
        assert!(found.contains("permits"), "{found}");
    }

    #[test]
    fn the_adapter_pages_as_the_headers_say() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let pass = PassContext { source: context(), page_size: 100, today };
        let mut adapter = WordPressParams { post_type: "anslag".into(), kind: Kind::Anslag }.adapter(pass);
        let (outcome, requests) = run_to_end(adapter.as_mut(), |_| {
            let headers = [("x-wp-totalpages".to_string(), "2".to_string())].into_iter().collect();
            Reply::Body(Response { body: POSTS.to_string(), headers })
        })
        .unwrap();
        let targets: Vec<&str> = requests.iter().map(|r| r.target.as_str()).collect();
        assert_eq!(targets, [posts_url("https://eslov.se", "anslag", 1), posts_url("https://eslov.se", "anslag", 2)]);
        assert!(requests.iter().all(|r| r.listing_page));
        assert!(!outcome.documents.is_empty());
    }

    #[test]
    fn a_posts_pdf_attachments_become_its_files() {
        let pass = PassContext { source: context(), page_size: 100, today: date(2026, 3, 1).unwrap() };
        let params = WordPressParams { post_type: "anslag".into(), kind: Kind::Anslag };
        let adapter = params.adapter(pass);
        let request = adapter.detail_request("4711").unwrap();
        assert_eq!(request.target, "https://eslov.se/wp-json/wp/v2/media?parent=4711&per_page=100");
        let (outcome, _) = run_to_end(
            params
                .adapter(PassContext { source: context(), page_size: 100, today: date(2026, 3, 1).unwrap() })
                .as_mut(),
            |_| Reply::Body(Response { body: POSTS.into(), headers: Default::default() }),
        )
        .unwrap();
        let listed = &outcome.documents[0];
        let media = r#"[{"id":1,"source_url":"https://eslov.se/wp-content/uploads/2026/03/Kungorelse-BN-2026-12.pdf","mime_type":"application/pdf","title":{"rendered":"Kung&ouml;relse BN 2026/12"}},
            {"id":2,"source_url":"https://eslov.se/wp-content/uploads/2026/03/karta.png","mime_type":"image/png","title":{"rendered":"Karta"}}]"#;
        let detailed = adapter.parse_detail("4711", listed, media).unwrap();
        assert_eq!(detailed.id, listed.id);
        assert_eq!(detailed.files.len(), listed.files.len() + 1);
        let file = detailed.files.last().unwrap();
        assert_eq!(file.name, "Kungörelse BN 2026/12");
        assert!(adapter.parse_detail("4711", listed, "<html>").is_none());
    }
}
