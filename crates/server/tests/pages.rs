//! The web pages rendered from a small fixed index, in-process: snapshot tests (insta) of a
//! search page and of a document page, plus the escaping of hostile text.
//!
//! The snapshots hold the HTML one tag per line (the pages themselves have no newlines between
//! tags) with the map's path data left out; nothing in them depends on the date, the clock or
//! a port. With `NAMNDSOK_PAGES_DUMP=<dir>` the test also writes every page it fetches there,
//! to compare the HTML of two versions of the code.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use namndsok_alerts::AlertStore;
use namndsok_analysis::resources::ConfigFiles;
use namndsok_index::SearchIndex;
use namndsok_server::{app, AlertsService, AppState};
use tower::ServiceExt;

/// A case in Mariestad (three documents), an anslag in Skövde taken down long ago, a
/// Göteborg decision, and a document whose title and text try to inject markup.
const DOCS: &str = r#"{"id":"a1","kind":"arende","kommun_kod":"1493","organ":"Kommunstyrelsen","title":"Batterifabrik i Mariestad","date":"2024-03-01","diarienummer":"KS 2023/412","body":"Kommunstyrelsen föreslås ge förvaltningen i uppdrag att utreda en batterifabrik vid hamnen.\n\nBeslutet fattas i kommunfullmäktige.","url":"https://mariestad.se/arenden/412","source":"meetingsplus"}
{"id":"a2","kind":"protokoll","kommun_kod":"1493","organ":"Kommunfullmäktige","title":"Protokoll: beslut om batterifabriken","date":"2024-04-15","diarienummer":"KS 2023/412","body":"Kommunfullmäktige beslutar att anta detaljplanen för batterifabriken."}
{"id":"a3","kind":"arende","kommun_kod":"1493","title":"Tjänsteskrivelse om markköp","date":"2024-02-10","diarienummer":"KS 2023/412","body":"Markköp inför etableringen av en fabrik för battericeller."}
{"id":"b1","kind":"anslag","kommun_kod":"1496","organ":"Byggnadsnämnden","title":"Detaljplan för batterifabrikens väg","date":"2020-05-04","publish_from":"2020-05-04","publish_to":"2020-05-25","body":"Tillkännagivande om antagen detaljplan."}
{"id":"c1","kind":"protokoll","kommun_kod":"1480","organ":"Utbildningsnämnden","title":"Ny förskola i Hisingen","date":"2023-11-20","body":"Nämnden beslutar att bygga en förskola & ett kök."}
{"id":"x1","kind":"arende","kommun_kod":"1480","title":"<script>alert('x')</script> \"Farlig\" titel","date":"2023-01-01","body":"Text med <b>taggar</b> & tecken.","url":"javascript:alert(1)"}
"#;

struct Pages {
    _dir: tempfile::TempDir,
    app: Router,
    service: Arc<AlertsService>,
}

/// The fixed index with alerts and an SMTP relay (so the search page offers the e-mail form).
fn pages() -> Pages {
    let dir = tempfile::tempdir().unwrap();
    let index = common::index_of(DOCS);
    let service = common::alerts_service(AlertStore::open(&dir.path().join("alerts.sqlite")).unwrap(), true);
    let state = AppState { index, harvester: None, harvest_dir: None, alerts: Some(service.clone()) };
    Pages { _dir: dir, app: app(state), service }
}

async fn fetch(app: &Router, method: Method, uri: &str, form: Option<&str>) -> (StatusCode, String) {
    let mut request = Request::builder().method(method).uri(uri);
    if form.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    let response =
        app.clone().oneshot(request.body(Body::from(form.unwrap_or("").to_string())).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24).await.unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

/// Writes a page to `$NAMNDSOK_PAGES_DUMP/<name>.html` when that is set.
fn dump(name: &str, status: StatusCode, html: &str) {
    if let Ok(dir) = std::env::var("NAMNDSOK_PAGES_DUMP") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(format!("{dir}/{name}.html"), format!("<!-- {} -->\n{html}", status.as_u16())).unwrap();
    }
}

/// One tag per line, without the newlines the page may have between tags, and the map's
/// path data (a fixed asset of ~80 KB) replaced by `…`.
fn readable(html: &str) -> String {
    let mut joined = String::with_capacity(html.len());
    let mut chars = html.chars().peekable();
    let mut previous = '\0';
    while let Some(c) = chars.next() {
        if c == '\n' && (previous == '>' || chars.peek() == Some(&'<')) {
            continue;
        }
        joined.push(c);
        previous = c;
    }
    let mut out = String::with_capacity(joined.len());
    let mut rest = joined.as_str();
    while let Some(at) = rest.find(" d=\"") {
        out.push_str(&rest[..at + 4]);
        out.push('…');
        rest = &rest[at + 4..];
        rest = &rest[rest.find('"').unwrap()..];
    }
    out.push_str(rest);
    out.replace("><", ">\n<")
}

#[tokio::test]
async fn search_page_snapshot() {
    let pages = pages();
    let (status, html) = fetch(&pages.app, Method::GET, "/?q=batterifabrik", None).await;
    assert_eq!(status, StatusCode::OK);
    dump("search", status, &html);
    insta::assert_snapshot!("search_page", readable(&html));
}

#[tokio::test]
async fn document_page_snapshot() {
    let pages = pages();
    let (status, html) = fetch(&pages.app, Method::GET, "/d/a1", None).await;
    assert_eq!(status, StatusCode::OK);
    dump("document", status, &html);
    insta::assert_snapshot!("document_page", readable(&html));
}

#[tokio::test]
async fn hostile_text_is_shown_as_text() {
    let pages = pages();
    let (status, html) = fetch(&pages.app, Method::GET, "/d/x1", None).await;
    assert_eq!(status, StatusCode::OK);
    dump("document_hostile", status, &html);
    assert!(!html.contains("<script>") && !html.contains("<b>"), "{html}");
    assert!(html.contains("&lt;script&gt;alert("), "{html}");
    assert!(html.contains("&lt;b&gt;taggar&lt;/b&gt; &amp; tecken"), "{html}");
    assert!(!html.contains("javascript:"), "only http(s) source links: {html}");
    let (_, search) = fetch(&pages.app, Method::GET, "/?q=farlig", None).await;
    dump("search_hostile", status, &search);
    assert!(!search.contains("<script>") && search.contains("&lt;script&gt;"), "{search}");
}

/// Every other page, for `NAMNDSOK_PAGES_DUMP`; checks only the status codes.
#[tokio::test]
async fn every_page_answers() {
    let pages = pages();
    let app = &pages.app;
    let get = [
        ("search_empty", "/", StatusCode::OK),
        (
            "search_filtered",
            "/?q=batterifabrik&kommun=1493&kind=protokoll&sort=date_desc&from=2024-01-01",
            StatusCode::OK,
        ),
        ("search_paged", "/?q=batterifabrik&limit=1", StatusCode::OK),
        ("search_no_hits", "/?q=%22ingenting+alls+h%C3%A4r%22&lan=14", StatusCode::OK),
        ("search_bad", "/?q=skola&from=igår", StatusCode::BAD_REQUEST),
        ("search_fuzzy", "/?q=batterifabrk", StatusCode::OK),
        ("document_anslag", "/d/b1", StatusCode::OK),
        ("document_plain", "/d/c1", StatusCode::OK),
        ("document_missing", "/d/finns-inte", StatusCode::NOT_FOUND),
        ("confirm_form", "/confirm/abc123", StatusCode::OK),
        ("confirm_form_api", "/confirm/abc123?api=1", StatusCode::OK),
        ("confirm_form_invalid", "/confirm/a-b", StatusCode::NOT_FOUND),
        ("unsubscribe_unknown", "/unsubscribe/abc123", StatusCode::NOT_FOUND),
        ("status", "/status", StatusCode::OK),
    ];
    for (name, uri, expected) in get {
        let (status, html) = fetch(app, Method::GET, uri, None).await;
        assert_eq!(status, expected, "{uri}: {html}");
        dump(name, status, &html);
    }
    // The second page of a paged search.
    let (_, first) = fetch(app, Method::GET, "/?q=batterifabrik&limit=1", None).await;
    let next = first.split("rel=\"next\" href=\"").nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&");
    let (status, html) = fetch(app, Method::GET, &next, None).await;
    assert_eq!(status, StatusCode::OK);
    dump("search_page_2", status, &html);
    assert!(html.contains("rel=\"prev\""), "{html}");

    let posts = [
        ("watch_bad_email", "epost=inte-en-adress&q=batterifabrik", StatusCode::BAD_REQUEST),
        ("watch_no_query", "epost=ny%40example.org", StatusCode::BAD_REQUEST),
        ("watch_sent", "epost=ny%40example.org&q=batterifabrik&kommun=1493&sort=date_desc", StatusCode::OK),
    ];
    for (name, body, expected) in posts {
        let (status, html) = fetch(app, Method::POST, "/bevaka", Some(body)).await;
        assert_eq!(status, expected, "{body}: {html}");
        dump(name, status, &html);
    }
    let (status, html) = fetch(app, Method::POST, "/bevaka", None).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    dump("watch_not_a_form", status, &html);

    // Confirming from the mail's link starts the search.
    let store = pages.service.store();
    let account = store.account_by_email("ny@example.org").unwrap().unwrap();
    let mail = store.outbox_for_account(account.id).unwrap()[0].payload["body"].as_str().unwrap().to_string();
    let link = mail.lines().find(|line| line.starts_with("https://namndsok.example/confirm/")).unwrap();
    let path = link.trim_start_matches("https://namndsok.example").to_string();
    let token = path.trim_start_matches("/confirm/").to_string();
    let (status, html) = fetch(app, Method::POST, &format!("{path}?api=1"), None).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let shown = html.split("<code class=\"token\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    dump("confirmed_api", status, &html.replace(&shown, "API-TOKEN").replace(&token, "TOKEN"));
    let (status, html) = fetch(app, Method::POST, &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    dump("confirm_used", status, &html);

    // Unsubscribing with the token of the saved search.
    let search = &store.list_saved_searches(account.id).unwrap()[0];
    let (status, html) = fetch(app, Method::GET, &format!("/unsubscribe/{}", search.unsubscribe_token), None).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    dump("unsubscribed", status, &html);

    // Without alerts.
    let index = Arc::new(SearchIndex::create_in_ram(ConfigFiles::bundled()).unwrap());
    let bare = namndsok_server::app(AppState { index, harvester: None, harvest_dir: None, alerts: None });
    let (status, html) = fetch(&bare, Method::GET, "/unsubscribe/abc", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    dump("unavailable", status, &html);
    let (status, html) = fetch(&bare, Method::GET, "/status", None).await;
    assert_eq!(status, StatusCode::OK);
    dump("status_empty", status, &html);
}

#[tokio::test]
async fn pages_are_html_revalidated_and_under_the_strict_policy() {
    let pages = pages();
    for uri in ["/?q=batterifabrik", "/d/a1", "/d/finns-inte", "/confirm/abc123"] {
        let response = pages.app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let headers = response.headers();
        assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8", "{uri}");
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache", "{uri}");
        let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(policy.starts_with("default-src 'none'; style-src 'self';"), "{uri}: {policy}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
    }
    let response = pages.app.clone().oneshot(Request::get("/assets/style-2.css").body(Body::empty()).unwrap()).await;
    let response = response.unwrap();
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/css; charset=utf-8");
    assert_eq!(response.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
}
