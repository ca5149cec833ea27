//! Harvesting against fake platform servers on 127.0.0.1, started by this test, that serve
//! recorded (and faithfully re-created) payloads with paging and inject faults: HTTP 500,
//! a hanging server, HTML instead of JSON, truncated JSON, a huge body, a malformed item.
//! The real `namndsok harvest --once` runs against them; then a kill mid-pass and a restart.

mod common;

use common::spawn;

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Path as UrlPath, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use namndsok_analysis::resources::ConfigFiles;
use namndsok_index::{SearchIndex, SearchRequest};

#[derive(Default)]
struct Flags {
    /// The Netpublicator board stops listing notice 103 (a takedown).
    drop_notice: AtomicBool,
    /// Notice 104 is still listed but no longer parses.
    break_notice: AtomicBool,
    /// Requests served per site, to check politeness and conditional paths.
    requests: AtomicUsize,
}

type Shared = Arc<Flags>;

const MEETINGS_PLUS_SAMPLE: &str =
    include_str!("../crates/sources/tests/fixtures/meetingsplus-ange-announcements-published.json");

fn meetingsplus_site(flags: Shared) -> Router {
    Router::new()
        .route("/api/dbb/v1.0/announcement-types", get(|| async { r#"[{"Id":"1","Name":"Protokoll"}]"# }))
        .route(
            "/api/dbb/v1.0/announcements/published",
            get(|State(flags): State<Shared>| async move {
                flags.requests.fetch_add(1, Ordering::SeqCst);
                ([("content-type", "application/json")], MEETINGS_PLUS_SAMPLE)
            }),
        )
        .route(
            "/api/dbb/v1.0/announcements/{id}",
            get(|UrlPath(id): UrlPath<String>| async move {
                let body = serde_json::json!({
                    "Id": id, "Type": "Protokoll", "StartDate": "2026-11-20", "EndDate": "2026-12-11",
                    "Title": format!("Protokoll {id}"), "CommitteeName": null,
                    "Description": "Diarienummer: KS 2026-000840. Sökande 19121212-1212 har hörts.",
                    "DocumentTitle": "Protokoll"
                });
                ([("content-type", "application/json")], body.to_string())
            }),
        )
        .with_state(flags)
}

fn notice(id: u32, title: &str, published: &str) -> serde_json::Value {
    serde_json::json!({"id": id, "title": title, "text": format!("Kungörelse om {title}. Diarienummer: BN 2026-{id}"),
        "published": format!("{published} 08:00"), "noticeType": 1, "noticeCategoryId": 7,
        "metadata": [{"title": "Anslås till", "value": "2099-12-31"}], "attachments": []})
}

#[derive(serde::Deserialize)]
struct FindParams {
    jsoncallback: String,
    index: usize,
    length: usize,
}

fn netpublicator_site(flags: Shared, with_bad_item: bool) -> Router {
    Router::new()
        .route(
            "/bulletinboard/public/{board}/setup",
            get(|Query(params): Query<std::collections::HashMap<String, String>>| async move {
                let callback = params.get("jsoncallback").cloned().unwrap_or_default();
                format!("{callback}({{\"categories\":[{{\"id\":7,\"name\":\"Bygg- och milj&#246;n&#228;mnden\"}}],\"types\":[{{\"id\":1,\"name\":\"Kung&#246;relse\",\"type\":\"notice\"}}]}});")
            }),
        )
        .route(
            "/bulletinboard/public/{board}/find",
            get(move |State(flags): State<Shared>, Query(params): Query<FindParams>| async move {
                flags.requests.fetch_add(1, Ordering::SeqCst);
                let mut notices = vec![
                    notice(101, "Bygglov för nybyggnad av förskola, Hagen 1:1", "2026-11-20"),
                    notice(102, "Strandskyddsdispens för brygga, Sjövik 2:3", "2026-11-19"),
                    notice(103, "Rivningslov, Gamla mejeriet", "2026-11-18"),
                    notice(104, "Bygglov för batterifabrik, Haggården 5:1", "2026-11-17"),
                    notice(105, "Tillbyggnad av enbostadshus, Ekbacken 3", "2026-11-16"),
                ];
                if with_bad_item {
                    notices.insert(2, serde_json::json!({"id": 999, "title": "Trasig kungörelse", "published": "inte ett datum"}));
                }
                if flags.drop_notice.load(Ordering::SeqCst) {
                    notices.retain(|n| n["id"] != 103);
                }
                if flags.break_notice.load(Ordering::SeqCst) {
                    for notice in notices.iter_mut().filter(|n| n["id"] == 104) {
                        notice["published"] = serde_json::json!("inte ett datum");
                    }
                }
                let total = notices.len();
                let page: Vec<_> = notices.into_iter().skip(params.index).take(params.length).collect();
                let body = serde_json::json!({"notices": page, "totalIndex": total});
                format!("{}({body});", params.jsoncallback)
            }),
        )
        .with_state(flags)
}

fn faulty_site(fault: &'static str) -> Router {
    Router::new().fallback(get(move || async move {
        match fault {
            "500" => (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "oops").into_response(),
            "hang" => {
                tokio::time::sleep(Duration::from_secs(600)).await;
                "never".into_response()
            }
            "html" => ([("content-type", "text/html")], "<!doctype html><html><body><h1>Underhåll</h1></body></html>")
                .into_response(),
            "truncated" => {
                ([("content-type", "application/json")], r#"{"Items":[{"Id":"a1","Title":"Avbrut"#).into_response()
            }
            "huge" => {
                let body = format!("{{\"Items\":[],\"padding\":\"{}\"}}", "x".repeat(21 * 1024 * 1024));
                ([("content-type", "application/json")], body).into_response()
            }
            _ => Response::default(),
        }
    }))
}

fn harvest(sources: &Path, index: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(common::binary())
        .args([
            "harvest",
            "--once",
            "--host-interval-ms",
            "0",
            "--timeout-secs",
            "3",
            "--attempts",
            "2",
            "--page-size",
            "2",
        ])
        .arg("--sources")
        .arg(sources)
        .arg("--index")
        .arg(index)
        .args(extra)
        .output()
        .expect("namndsok harvest runs")
}

fn line<'a>(stdout: &'a str, source: &str) -> &'a str {
    stdout.lines().find(|l| l.starts_with(source)).unwrap_or_else(|| panic!("no line for {source} in:\n{stdout}"))
}

fn search_ids(index: &Path, q: &str) -> Vec<String> {
    let index = SearchIndex::open_or_create(index, ConfigFiles::bundled()).unwrap();
    let request = SearchRequest { limit: 100, ..SearchRequest::query(q) };
    index.search(&request).unwrap().hits.into_iter().map(|h| h.id).collect()
}

#[test]
fn faults_stay_with_their_source_and_a_restart_resumes() {
    let flags: Shared = Arc::new(Flags::default());
    let meetings = spawn(meetingsplus_site(flags.clone()));
    let netpub = spawn(netpublicator_site(flags.clone(), true));
    let catalogue = format!(
        r#"
[[source]]
id = "ange-meetingsplus"
kommun = "2260"
platform = "meetingsplus"
url = "{meetings}"
rate_per_second = 50.0

[[source]]
id = "mariestad-netpublicator"
kommun = "1493"
platform = "netpublicator"
url = "{netpub}/bulletinboard/public"
rate_per_second = 50.0
board = "5f2c-00a1"

[[source]]
id = "stockholm-500"
kommun = "0180"
platform = "meetingsplus"
url = "{e500}"

[[source]]
id = "goteborg-hangs"
kommun = "1480"
platform = "meetingsplus"
url = "{hang}"

[[source]]
id = "malmo-html"
kommun = "1280"
platform = "meetingsplus"
url = "{html}"

[[source]]
id = "uppsala-truncated"
kommun = "0380"
platform = "meetingsplus"
url = "{truncated}"

[[source]]
id = "skelleftea-huge"
kommun = "2482"
platform = "meetingsplus"
url = "{huge}"
"#,
        e500 = spawn(faulty_site("500")),
        hang = spawn(faulty_site("hang")),
        html = spawn(faulty_site("html")),
        truncated = spawn(faulty_site("truncated")),
        huge = spawn(faulty_site("huge")),
    );
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources.toml");
    std::fs::write(&sources, catalogue).unwrap();
    let index = dir.path().join("index");

    // First pass.
    let output = harvest(&sources, &index, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let ange = line(&stdout, "ange-meetingsplus");
    assert!(ange.contains(" ok ") && ange.contains("new"), "{ange}");
    let mariestad = line(&stdout, "mariestad-netpublicator");
    assert!(mariestad.contains("5 new") && mariestad.contains("1 rejected"), "{mariestad}");
    for (source, error) in [
        ("stockholm-500", "HTTP 500"),
        ("goteborg-hangs", "timed out"),
        ("malmo-html", "HTML"),
        ("uppsala-truncated", "truncated"),
        ("skelleftea-huge", "larger than"),
    ] {
        let summary = line(&stdout, source);
        assert!(summary.contains("degraded") && summary.contains(error), "{summary}");
    }

    // The good sources' documents are searchable; personnummer are redacted.
    let found = search_ids(&index, "batterifabrik");
    assert!(found.iter().any(|id| id.starts_with("1493-netpublicator-104")), "{found:?}");
    assert!(!search_ids(&index, "Protokoll").is_empty());
    assert!(search_ids(&index, "19121212").is_empty(), "personnummer are not indexed");
    let dead_letters = std::fs::read_to_string(index.join("dead-letter.jsonl")).unwrap();
    assert!(dead_letters.contains("mariestad-netpublicator") && dead_letters.contains("999"), "{dead_letters}");

    // Status of every source.
    let status = Command::new(common::binary())
        .arg("sources")
        .arg("--sources")
        .arg(&sources)
        .arg("--index")
        .arg(&index)
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&status.stdout).to_string();
    assert!(line(&status, "ange-meetingsplus").contains(" ok "), "{status}");
    assert!(
        line(&status, "stockholm-500").contains("degraded") && line(&status, "stockholm-500").contains("HTTP 500"),
        "{status}"
    );

    // Second pass: nothing new, nothing rewritten.
    let documents = SearchIndex::open_or_create(&index, ConfigFiles::bundled()).unwrap().num_docs();
    let output = harvest(&sources, &index, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(line(&stdout, "mariestad-netpublicator").contains("0 new, 0 changed, 5 unchanged"), "{stdout}");
    assert!(line(&stdout, "ange-meetingsplus").contains("0 new, 0 changed"), "{stdout}");

    // A listed item that stops parsing is dead-lettered but stays indexed (not a takedown).
    flags.break_notice.store(true, Ordering::SeqCst);
    let output = harvest(&sources, &index, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let summary = line(&stdout, "mariestad-netpublicator");
    assert!(summary.contains("2 rejected") && summary.contains("0 taken down"), "{summary}");
    assert!(search_ids(&index, "batterifabrik").iter().any(|id| id.starts_with("1493-netpublicator-104")));
    flags.break_notice.store(false, Ordering::SeqCst);

    // A takedown: notice 103 disappears before its anslag period ends.
    flags.drop_notice.store(true, Ordering::SeqCst);
    let output = harvest(&sources, &index, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(line(&stdout, "mariestad-netpublicator").contains("1 taken down"), "{stdout}");
    assert!(!search_ids(&index, "Rivningslov mejeriet").iter().any(|id| id.ends_with("-103")));
    let after_takedown = SearchIndex::open_or_create(&index, ConfigFiles::bundled()).unwrap().num_docs();
    assert_eq!(after_takedown, documents - 1);

    // Kill mid-pass, then restart: the restart resumes from the cursors, without duplicates.
    let fresh = dir.path().join("index2");
    let mut child = Command::new(common::binary())
        .args([
            "harvest",
            "--once",
            "--host-interval-ms",
            "0",
            "--timeout-secs",
            "60",
            "--attempts",
            "1",
            "--page-size",
            "2",
        ])
        .arg("--sources")
        .arg(&sources)
        .arg("--index")
        .arg(&fresh)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until both good sources are committed and recorded (the hanging one keeps it busy).
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let state = std::fs::read_to_string(fresh.join("harvest-state.json")).unwrap_or_default();
        if state.contains("\"ange-meetingsplus\"") && state.contains("\"mariestad-netpublicator\"") {
            break;
        }
        assert!(Instant::now() < deadline, "the harvest made no progress");
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let output = harvest(&sources, &fresh, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(line(&stdout, "mariestad-netpublicator").contains("0 new"), "resumed from the cursor: {stdout}");
    assert!(line(&stdout, "ange-meetingsplus").contains("0 new"), "resumed from the cursor: {stdout}");
    let resumed = SearchIndex::open_or_create(&fresh, ConfigFiles::bundled()).unwrap();
    let all = resumed.search(&SearchRequest { limit: 100, ..SearchRequest::query("") }).unwrap();
    let ids: HashSet<String> = all.hits.iter().map(|h| h.id.clone()).collect();
    assert_eq!(ids.len(), all.hits.len(), "no duplicates");
    assert_eq!(resumed.num_docs() as usize, all.total);
    assert_eq!(all.total as u64, after_takedown, "the same documents as the uninterrupted harvest");
    assert!(flags.requests.load(Ordering::SeqCst) > 0);
}
