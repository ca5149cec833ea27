//! One full harvest pass over 290 fake sources — one per kommun, mixed platforms (Meetings Plus,
//! Netpublicator on one shared host as in reality, Sitevision, WordPress), ~50 items each —
//! served from 127.0.0.1 by this program. Prints wall time, documents indexed, and the peak
//! resident memory (VmHWM) of the process, which also holds the fake servers.
//!
//! Every tenth Meetings Plus item links a 6-page protokoll PDF (paragraphs, diarienummer),
//! so the passes run twice: without files, then on a fresh index with the file stage on
//! (pdftotext from poppler-utils must be installed); the index size on disk is printed for
//! both, which is the index growth from file text. Subprocess memory (pdftotext) is not in
//! the peak RSS: it is bounded per process by the extraction limits.
//!
//! `cargo bench --bench harvest` (release profile). Figures go in the session notes.

mod common;

use common::peak_rss_mb;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Path, Query};
use axum::routing::get;
use axum::Router;
use namndsok_analysis::resources::ConfigFiles;
use namndsok_harvest::{HarvestSettings, Harvester};
use namndsok_index::SearchIndex;
use namndsok_model::Registry;
use namndsok_sources::Catalogue;

const ITEMS: usize = 50;
const TOPICS: &[&str] = &[
    "Bygglov för nybyggnad av enbostadshus",
    "Detaljplan för bostäder vid stationen",
    "Strandskyddsdispens för brygga",
    "Justerat protokoll från kommunstyrelsen",
    "Kungörelse om granskning av översiktsplan",
    "Rivningslov för ekonomibyggnad",
    "Tillstånd för servering av alkohol",
    "Beslut om ny förskola i centrum",
];

fn title(kommun: &str, i: usize) -> String {
    format!("{} {kommun} nr {i}", TOPICS[i % TOPICS.len()])
}

/// A protokoll of six pages, ten paragraphs, for kommun `kommun`.
fn protokoll_pdf(kommun: &str) -> Vec<u8> {
    let pages: Vec<String> = (0..6)
        .map(|page| {
            let mut text = format!("Kommunstyrelsen {kommun}\nSammanträdesprotokoll 2026-11-24\n");
            for p in 0..2 {
                let n = 30 + page * 2 + p;
                let topic = TOPICS[n % TOPICS.len()];
                text.push_str(&format!("§ {n}\nDnr KS 2026/{}\n{topic}\nBeslut\n", 100 + n));
                for line in 0..12 {
                    text.push_str(&format!(
                        "Kommunstyrelsen beslutar i ärendet om {} enligt förslaget, punkt {line}.\n",
                        topic.to_lowercase()
                    ));
                }
            }
            text
        })
        .collect();
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    namndsok_files::testing::text_pdf(&pages)
}

fn meetingsplus(kommun: String) -> Router {
    let pdf = protokoll_pdf(&kommun);
    let list = {
        let items: Vec<_> = (0..ITEMS)
            .map(|i| {
                serde_json::json!({"Id": format!("{kommun}-{i:04}"), "Type": "Kungörelse", "StartDate": "2026-11-20",
                "EndDate": "2026-12-11", "Title": title(&kommun, i), "CommitteeName": "Byggnadsnämnden"})
            })
            .collect();
        serde_json::json!({"Items": items, "TotalItemCount": ITEMS}).to_string()
    };
    Router::new()
        .route("/api/dbb/v1.0/announcement-types", get(|| async { "[]" }))
        .route("/api/dbb/v1.0/announcements/published", get(move || async move { list }))
        .route(
            "/api/dbb/v1.0/announcements/{id}",
            get(|Path(id): Path<String>| async move {
                let mut detail = serde_json::json!({"Id": id, "Type": "Kungörelse", "StartDate": "2026-11-20", "EndDate": "2026-12-11",
                    "Title": format!("Kungörelse {id}"), "CommitteeName": "Byggnadsnämnden",
                    "Description": format!("Diarienummer: BN 2026-{}. Beslutet kan överklagas inom tre veckor.", id.len())});
                if id.ends_with('0') {
                    detail["ProtocolUrl"] = format!("/files/{id}.pdf").into();
                    detail["DocumentTitle"] = format!("Protokoll {id}.pdf").into();
                }
                detail.to_string()
            }),
        )
        .route("/files/{name}", get(move || async move { ([("content-type", "application/pdf")], pdf) }))
}

fn netpublicator() -> Router {
    Router::new()
        .route("/bulletinboard/public/{board}/setup", get(|| async { "cb({\"categories\":[],\"types\":[]});" }))
        .route(
            "/bulletinboard/public/{board}/find",
            get(|Path(board): Path<String>, Query(q): Query<std::collections::HashMap<String, String>>| async move {
                let index: usize = q.get("index").and_then(|v| v.parse().ok()).unwrap_or(0);
                let length: usize = q.get("length").and_then(|v| v.parse().ok()).unwrap_or(100);
                let notices: Vec<_> = (0..ITEMS)
                    .skip(index)
                    .take(length)
                    .map(|i| serde_json::json!({"id": i + 1, "title": title(&board, i), "text": "Kungörelse enligt plan- och bygglagen.",
                        "published": "2026-11-20 08:00", "noticeType": 1, "noticeCategoryId": 1, "metadata": [], "attachments": []}))
                    .collect();
                format!("cb({});", serde_json::json!({"notices": notices, "totalIndex": ITEMS}))
            }),
        )
}

fn sitevision(kommun: String) -> Router {
    let announcements: Vec<_> = (0..ITEMS)
        .map(|i| serde_json::json!({"title": title(&kommun, i), "uri": format!("/anslagstavla/{i}.html"), "published": "2026-11-20",
            "organ": "Kommunstyrelsen", "freeText": "<p>Protokollet är justerat.</p>", "type": "Anslag"}))
        .collect();
    let page = format!(
        "<!DOCTYPE html><html><body><script>AppRegistry.registerInitialState('12.abc',{});</script></body></html>",
        serde_json::json!({"announcements": announcements})
    );
    Router::new().route("/anslagstavla.html", get(move || async move { axum::response::Html(page) }))
}

fn wordpress(kommun: String) -> Router {
    let posts: Vec<_> = (0..ITEMS)
        .map(|i| {
            serde_json::json!({"id": i + 1, "date": "2026-11-20T09:00:00", "modified": "2026-11-20T09:00:00",
            "link": format!("https://example.se/anslag/{i}/"), "title": {"rendered": title(&kommun, i)},
            "content": {"rendered": "<p>Beslut om bygglov.</p>"}})
        })
        .collect();
    let body = serde_json::Value::Array(posts).to_string();
    Router::new().route(
        "/wp-json/wp/v2/{post_type}",
        get(move || async move { ([("x-wp-totalpages", "1"), ("x-wp-total", "50")], body) }),
    )
}

/// The size of the files in `dir`, in MB.
fn dir_mb(dir: &std::path::Path) -> f64 {
    let bytes: u64 = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    bytes as f64 / 1e6
}

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}")
}

fn main() {
    // `cargo bench` passes `--bench`; this program takes no options.
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let netpublicator_base = serve(netpublicator()).await;
        let mut catalogue = String::new();
        for (i, kommun) in Registry::global().kommuner().enumerate() {
            let code = &kommun.code;
            let entry = match i % 4 {
                0 => format!("platform = \"meetingsplus\"\nurl = \"{}\"\n", serve(meetingsplus(code.clone())).await),
                1 => format!(
                    "platform = \"netpublicator\"\nurl = \"{netpublicator_base}/bulletinboard/public\"\nboard = \"{:04x}\"\n",
                    i
                ),
                2 => format!("platform = \"sitevision\"\nurl = \"{}\"\npath = \"/anslagstavla.html\"\n", serve(sitevision(code.clone())).await),
                _ => format!("platform = \"wordpress\"\nurl = \"{}\"\npost_type = \"anslag\"\n", serve(wordpress(code.clone())).await),
            };
            // 100 requests/s/host (the catalogue maximum): this measures the harvester, not the default
            // politeness delay of 1 request/s/host.
            catalogue.push_str(&format!("[[source]]\nid = \"bench-{code}\"\nkommun = \"{code}\"\nrate_per_second = 100.0\n{entry}\n"));
        }
        let catalogue = Catalogue::parse(&catalogue).expect("bench catalogue");
        for files in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let index = Arc::new(SearchIndex::open_or_create(dir.path(), ConfigFiles::bundled()).unwrap());
            let mut settings = HarvestSettings { concurrency: 16, page_size: 100, ..HarvestSettings::default() };
            settings.fetch.min_interval_per_host = Duration::ZERO;
            settings.files.enabled = files;
            let before = peak_rss_mb();
            let harvester = Harvester::new(catalogue.clone(), index.clone(), dir.path().to_path_buf(), settings).unwrap();
            let mode = if files { "with files" } else { "without files" };
            for pass in ["first (everything new)", "second (nothing changed)"] {
                let started = Instant::now();
                let summaries = harvester.run_once().await;
                let failed: Vec<_> = summaries.iter().filter(|s| s.error.is_some()).collect();
                let new: usize = summaries.iter().map(|s| s.new).sum();
                let unchanged: usize = summaries.iter().map(|s| s.unchanged).sum();
                let files_read: usize = summaries.iter().map(|s| s.files_read).sum();
                let files_failed: usize = summaries.iter().map(|s| s.files_failed).sum();
                println!(
                    "harvest {mode}, {pass}: {} sources, {} failed, {new} new, {unchanged} unchanged, {files_read} files read, {files_failed} files failed, {:.2} s wall, index {} documents, {:.1} MB on disk, peak RSS {:.0} MB (before the pass {before:.0} MB)",
                    summaries.len(),
                    failed.len(),
                    started.elapsed().as_secs_f64(),
                    index.num_docs(),
                    dir_mb(dir.path()),
                    peak_rss_mb(),
                );
                for failure in failed.iter().take(3) {
                    println!("  failed: {failure}");
                }
            }
        }
    });
}
