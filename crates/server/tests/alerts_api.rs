//! The alert routes in-process (no sockets): errors in the API's shape, authentication and
//! scoping, the 503s without alerts, the web form's confirmation flow. End-to-end delivery over
//! real SMTP and HTTP is in the workspace's `tests/alerts.rs`.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use namndsok_alerts::AlertStore;
use namndsok_analysis::resources::ConfigFiles;
use namndsok_index::SearchIndex;
use namndsok_server::{app, AlertsService, AppState};
use serde_json::{json, Value};
use tower::ServiceExt;

struct Fixture {
    _dir: tempfile::TempDir,
    app: Router,
    service: Arc<AlertsService>,
    /// A confirmed account that may ingest, and one that may not.
    feeder: String,
    other: String,
}

const DOCS: &str = r#"{"id":"a1","kind":"arende","kommun_kod":"1493","title":"Batterifabrik i Mariestad","date":"2024-03-01","diarienummer":"KS 2023/412"}
{"id":"a2","kind":"anslag","kommun_kod":"1480","title":"Detaljplan för skola","date":"2024-03-02"}
"#;

fn fixture(smtp: bool) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let index = common::index_of(DOCS);
    let store = AlertStore::open(&dir.path().join("alerts.sqlite")).unwrap();
    let (feeder_id, feeder) = store.create_account("feeder@example.org").unwrap();
    store.set_confirmed(feeder_id, true).unwrap();
    store.set_may_ingest(feeder_id, true).unwrap();
    let (other_id, other) = store.create_account("other@example.org").unwrap();
    store.set_confirmed(other_id, true).unwrap();
    let service = common::alerts_service(store, smtp);
    let state = AppState { index, harvester: None, harvest_dir: None, alerts: Some(service.clone()) };
    Fixture { _dir: dir, app: app(state), service, feeder, other }
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|_| panic!("not JSON: {}", self.text))
    }

    /// The error code and message of an error answer.
    fn error(&self) -> (String, String) {
        let json = self.json();
        (json["error"]["code"].as_str().unwrap().to_string(), json["error"]["message"].as_str().unwrap().to_string())
    }
}

async fn call(app: &Router, method: Method, uri: &str, token: Option<&str>, body: Option<&str>) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = request.body(Body::from(body.unwrap_or("").to_string())).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24).await.unwrap();
    Answer { status, headers, text: String::from_utf8(bytes.to_vec()).unwrap() }
}

async fn form(app: &Router, uri: &str, body: &str) -> Answer {
    let request = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24).await.unwrap();
    Answer { status, headers, text: String::from_utf8(bytes.to_vec()).unwrap() }
}

#[tokio::test]
async fn without_alerts_the_routes_answer_503_cleanly() {
    let index = Arc::new(SearchIndex::create_in_ram(ConfigFiles::bundled()).unwrap());
    let app = app(AppState { index, harvester: None, harvest_dir: None, alerts: None });
    for (method, uri) in [
        (Method::GET, "/api/v1/saved-searches"),
        (Method::POST, "/api/v1/saved-searches"),
        (Method::GET, "/api/v1/saved-searches/1"),
        (Method::POST, "/api/v1/ingest"),
        (Method::POST, "/api/v1/accounts"),
        (Method::GET, "/feeds/abc.atom"),
    ] {
        let answer = call(&app, method.clone(), uri, Some("x"), Some("{}")).await;
        assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE, "{method} {uri}");
        assert_eq!(answer.error().0, "unavailable", "{method} {uri}");
    }
    let page = call(&app, Method::GET, "/unsubscribe/abc", None, None).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.text.contains("<html lang=\"sv\">"));
    let openapi = call(&app, Method::GET, "/api/v1/openapi.yaml", None, None).await;
    assert_eq!(openapi.status, StatusCode::OK);
    assert!(openapi.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/yaml"));
    assert!(openapi.json()["paths"]["/api/v1/saved-searches/{id}"]["patch"].is_object(), "served, and parses");
    let search = call(&app, Method::GET, "/?q=skola", None, None).await;
    assert!(!search.text.contains("action=\"/bevaka\""), "no form without alerts");
}

#[tokio::test]
async fn tokens_are_required_and_bodies_are_checked_field_by_field() {
    let f = fixture(false);
    let answer = call(&f.app, Method::GET, "/api/v1/saved-searches", None, None).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.error().0, "unauthorized");
    assert_eq!(answer.headers.get(header::WWW_AUTHENTICATE).unwrap(), "Bearer");
    let answer = call(&f.app, Method::GET, "/api/v1/saved-searches", Some("not-a-token"), None).await;
    assert_eq!((answer.status, answer.error().0.as_str()), (StatusCode::UNAUTHORIZED, "unauthorized"));

    for (body, field) in [
        ("not json", "body"),
        ("[1]", "body"),
        ("", "body"),
        (r#"{"query": "skola"}"#, "delivery"),
        (r#"{"delivery": {"email": true}}"#, "query"),
        (r#"{"query": "skola", "delivery": {"email": true}, "colour": 1}"#, "colour"),
        (r#"{"query": "skola", "delivery": {"email": false}}"#, "delivery.email"),
        (r#"{"query": "skola", "delivery": {"email": true}, "frequency": "hourly"}"#, "frequency"),
        (r#"{"filters": {"kommun": "9999"}, "delivery": {"email": true}}"#, "filters.kommun"),
        (r#"{"filters": {"color": "x"}, "delivery": {"email": true}}"#, "filters.color"),
        (r#"{"query": "x", "delivery": {"webhook": "ftp://x"}}"#, "delivery.webhook"),
        (r#"{"query": "x", "delivery": {"webhook": "http://127.0.0.1:8080/hook"}}"#, "delivery.webhook"),
        (r#"{"query": "x", "delivery": {"webhook": "https://10.0.0.1/hook"}}"#, "delivery.webhook"),
        (r#"{"follow": {"kommun": "1493"}, "delivery": {"email": true}}"#, "follow.diarienummer"),
        (
            r#"{"follow": {"kommun": "9999", "diarienummer": "KS 2023/412"}, "delivery": {"email": true}}"#,
            "follow.kommun",
        ),
        (
            r#"{"follow": {"kommun": "1493", "diarienummer": "KS 2023/412"}, "query": "x", "delivery": {"email": true}}"#,
            "follow",
        ),
    ] {
        let answer = call(&f.app, Method::POST, "/api/v1/saved-searches", Some(&f.other), Some(body)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}: {}", answer.text);
        let (code, message) = answer.error();
        assert_eq!(code, "invalid_parameter");
        assert!(message.starts_with(&format!("{field}:")), "{body}: {message}");
    }
}

#[tokio::test]
async fn each_account_sees_and_changes_only_its_own_searches() {
    let f = fixture(false);
    let created = call(
        &f.app,
        Method::POST,
        "/api/v1/saved-searches",
        Some(&f.feeder),
        Some(r#"{"query": "batterifabrik", "filters": {"kommun": ["1493"]}, "delivery": {"email": true}}"#),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let search = created.json();
    assert_eq!(search["marked_seen"], 1, "the existing match is marked seen");
    assert!(search["feed_url"].as_str().unwrap().starts_with("https://namndsok.example/feeds/"));
    assert!(search["feed_url"].as_str().unwrap().ends_with(".atom"));
    assert!(search.get("webhook_secret").is_none());
    let id = search["id"].as_i64().unwrap();
    let path = format!("/api/v1/saved-searches/{id}");

    for (method, body) in [(Method::GET, None), (Method::PATCH, Some(r#"{"query": "skola"}"#)), (Method::DELETE, None)]
    {
        let answer = call(&f.app, method.clone(), &path, Some(&f.other), body).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{method}");
        assert_eq!(answer.error().0, "not_found");
    }
    // Whose search it is comes before what the body says.
    let answer = call(&f.app, Method::PATCH, &path, Some(&f.other), Some(r#"{"colour": 1}"#)).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.text);
    let answer = call(&f.app, Method::PATCH, &path, Some(&f.feeder), Some(r#"{"colour": 1}"#)).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.error().1.starts_with("colour: unknown field"), "{}", answer.text);
    let answer = call(&f.app, Method::PATCH, &path, Some(&f.feeder), Some(r#"{"enabled": "yes"}"#)).await;
    assert!(answer.error().1.starts_with("enabled: "), "{}", answer.text);
    assert!(answer.headers.contains_key("x-request-id"), "every answer carries a request id");
    let missing = call(&f.app, Method::GET, "/api/v1/saved-searches/9999", Some(&f.feeder), None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        call(&f.app, Method::GET, "/api/v1/saved-searches", Some(&f.other), None).await.json()["saved_searches"],
        json!([])
    );
    let mine = call(&f.app, Method::GET, &path, Some(&f.feeder), None).await.json();
    assert_eq!(mine["query"], "batterifabrik", "unchanged by the other account");
    assert_eq!(mine["filters"], json!({"kommun": ["1493"]}));

    let patched =
        call(&f.app, Method::PATCH, &path, Some(&f.feeder), Some(r#"{"frequency": "daily", "enabled": false}"#)).await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    assert_eq!(patched.json()["frequency"], "daily");
    assert_eq!(patched.json()["enabled"], false);
    let bad =
        call(&f.app, Method::PATCH, &path, Some(&f.feeder), Some(r#"{"delivery": {"webhook": "http://x.se/"}}"#)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.error().1.starts_with("delivery:"), "{}", bad.text);

    let deleted = call(&f.app, Method::DELETE, &path, Some(&f.feeder), None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(call(&f.app, Method::GET, &path, Some(&f.feeder), None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_trusted_feeders_ingest_and_matches_reach_the_feed() {
    let f = fixture(false);
    let created = call(
        &f.app,
        Method::POST,
        "/api/v1/saved-searches",
        Some(&f.other),
        Some(r#"{"follow": {"kommun": "1493", "diarienummer": "ks 2023-0412"}, "delivery": {"email": true}}"#),
    )
    .await
    .json();
    let feed_path = created["feed_url"].as_str().unwrap().trim_start_matches("https://namndsok.example").to_string();
    let body = "{\"id\":\"a3\",\"kind\":\"protokoll\",\"kommun_kod\":\"1493\",\"title\":\"Beslut om batterifabriken\",\"date\":\"2024-04-01\",\"diarienummer\":\"KS 2023/412\"}\n{\"id\": 5}\n";
    let refused = call(&f.app, Method::POST, "/api/v1/ingest", Some(&f.other), Some(body)).await;
    assert_eq!((refused.status, refused.error().0.as_str()), (StatusCode::FORBIDDEN, "forbidden"));
    let unauthenticated = call(&f.app, Method::POST, "/api/v1/ingest", None, Some(body)).await;
    assert_eq!(unauthenticated.status, StatusCode::UNAUTHORIZED);

    let report = call(&f.app, Method::POST, "/api/v1/ingest", Some(&f.feeder), Some(body)).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.text);
    let report = report.json();
    assert_eq!((report["imported"].as_u64(), report["replaced"].as_u64()), (Some(1), Some(0)));
    assert_eq!(report["rejected"][0]["line"], 2);
    let feed = call(&f.app, Method::GET, &feed_path, None, None).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/atom+xml"));
    assert!(feed.text.contains("<title>Beslut om batterifabriken</title>"), "{}", feed.text);
    assert!(!feed.text.contains("Batterifabrik i Mariestad"), "seen at save time: {}", feed.text);
    // The same body again changes nothing and alerts nothing.
    let again = call(&f.app, Method::POST, "/api/v1/ingest", Some(&f.feeder), Some(body)).await.json();
    assert_eq!((again["imported"].as_u64(), again["replaced"].as_u64()), (Some(0), Some(1)));
    let outbox =
        f.service.store().outbox_for_search(namndsok_alerts::SearchId(created["id"].as_i64().unwrap())).unwrap();
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert_eq!(call(&f.app, Method::GET, "/feeds/0000.atom", None, None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_web_form_saves_a_search_that_waits_for_the_confirmed_address() {
    let without_mail = fixture(false);
    let page = call(&without_mail.app, Method::GET, "/?q=batterifabrik", None, None).await;
    assert!(!page.text.contains("action=\"/bevaka\""), "no form without e-mail");
    let refused =
        call(&without_mail.app, Method::POST, "/api/v1/accounts", None, Some(r#"{"email": "x@example.org"}"#)).await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);

    let f = fixture(true);
    let page = call(&f.app, Method::GET, "/?q=batterifabrik&kommun=1493", None, None).await;
    assert!(page.text.contains("<form class=\"watch\" method=\"post\" action=\"/bevaka\">"), "{}", page.text);
    assert!(page.text.contains("Bevaka sökningen med e-post"));
    assert!(page.text.contains("<input type=\"hidden\" name=\"q\" value=\"batterifabrik\">"));
    assert!(page.text.contains("<input type=\"hidden\" name=\"kommun\" value=\"1493\">"));
    let empty = call(&f.app, Method::GET, "/", None, None).await;
    assert!(!empty.text.contains("action=\"/bevaka\""), "nothing to watch on the empty page");

    let bad = form(&f.app, "/bevaka", "epost=inte-en-adress&q=batterifabrik").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text.contains("Ogiltig e-postadress"));
    let nothing = form(&f.app, "/bevaka", "epost=ny%40example.org").await;
    assert_eq!(nothing.status, StatusCode::BAD_REQUEST);

    let sent = form(&f.app, "/bevaka", "epost=ny%40example.org&q=batterifabrik&kommun=1493&sort=date_desc").await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text);
    assert!(sent.text.contains("Vi har skickat ett bekräftelsemejl till <strong>ny@example.org</strong>"));
    let store = f.service.store();
    let account = store.account_by_email("ny@example.org").unwrap().unwrap();
    assert!(!account.confirmed);
    let searches = store.list_saved_searches(account.id).unwrap();
    assert_eq!(searches.len(), 1);
    assert_eq!(searches[0].search_page_query(), "q=batterifabrik&kommun=1493");
    assert!(searches[0].disabled, "waits for the confirmation");
    let notices = store.outbox_for_account(account.id).unwrap();
    assert_eq!(notices.len(), 1);
    let mail = notices[0].payload["body"].as_str().unwrap();
    let link = mail.lines().find(|line| line.starts_with("https://namndsok.example/confirm/")).unwrap();
    let path = link.trim_start_matches("https://namndsok.example");
    assert!(!path.contains("api=1"));

    // Opening the link changes nothing; the button does.
    let opened = call(&f.app, Method::GET, path, None, None).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.text.contains(&format!("action=\"{path}\"")), "{}", opened.text);
    assert!(!store.account(account.id).unwrap().confirmed);
    let confirmed = call(&f.app, Method::POST, path, None, None).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.text);
    assert!(confirmed.text.contains("Bevakningen är startad"));
    assert!(!confirmed.text.contains("API-nyckel"));
    assert!(store.account(account.id).unwrap().confirmed);
    assert!(!store.list_saved_searches(account.id).unwrap()[0].disabled);
    let used = call(&f.app, Method::POST, path, None, None).await;
    assert_eq!(used.status, StatusCode::NOT_FOUND);

    // An API token by e-mail: the same answer for an address with and without an account.
    let known = call(&f.app, Method::POST, "/api/v1/accounts", None, Some(r#"{"email": "other@example.org"}"#)).await;
    let unknown = call(&f.app, Method::POST, "/api/v1/accounts", None, Some(r#"{"email": "api@example.org"}"#)).await;
    assert_eq!((known.status, unknown.status), (StatusCode::ACCEPTED, StatusCode::ACCEPTED));
    assert_eq!(known.json()["status"], unknown.json()["status"]);
    let bad_email = call(&f.app, Method::POST, "/api/v1/accounts", None, Some(r#"{"email": "nope"}"#)).await;
    assert_eq!(bad_email.status, StatusCode::BAD_REQUEST);
    assert!(bad_email.error().1.starts_with("email:"));
    let missing = call(&f.app, Method::POST, "/api/v1/accounts", None, Some(r#"{}"#)).await;
    assert_eq!(missing.error().1, "email: required");

    let api = store.account_by_email("api@example.org").unwrap().unwrap();
    let mail = store.outbox_for_account(api.id).unwrap()[0].payload["body"].as_str().unwrap().to_string();
    let link = mail.lines().find(|line| line.contains("/confirm/")).unwrap();
    assert!(link.ends_with("?api=1"), "{link}");
    let confirmed = call(&f.app, Method::POST, link.trim_start_matches("https://namndsok.example"), None, None).await;
    let token = confirmed.text.split("<code class=\"token\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    assert_eq!(token.len(), 64);
    let list = call(&f.app, Method::GET, "/api/v1/saved-searches", Some(&token), None).await;
    assert_eq!(list.status, StatusCode::OK, "the shown token works");
}
