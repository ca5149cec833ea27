//! Files end to end: a fake Meetings Plus board on 127.0.0.1 links a text protokoll, a scanned
//! one and hostile files (generated here, never seen by the parsers' unit tests); `namndsok
//! harvest --once` reads them with the real pdftotext and tesseract. The paragraphs, their
//! diarienummer and the OCR text are searchable, the hostile files are dead letters while the
//! rest of the pass completes, an unchanged file is not fetched again, a hanging source is cut
//! off at its deadline, and `serve` reports the harvest's health without harvesting itself.

mod common;

use common::spawn;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use namndsok_analysis::resources::ConfigFiles;
use namndsok_files::testing;
use namndsok_index::{SearchIndex, SearchRequest};
use namndsok_model::{Document, TextOrigin};

/// The pages of a protokoll as kommuner write them: a table of contents, then the paragraphs.
const PROTOKOLL: [&str; 3] = [
    "Kommunstyrelsen\nSammanträdesprotokoll 2026-11-24\nÄrendelista\n§ 31 Information ... 2\n§ 32 Detaljplan för Norra hamnen ... 2\n§ 33 Etablering av batterifabrik ... 3",
    "§ 31\nDnr KS 2026/101\nInformation\nKommundirektören informerar om budgetläget.\n\n§ 32 Dnr KS 2026/412\nDetaljplan för Norra hamnen\nBeslut\nKommunstyrelsen antar detaljplanen för Norra hamnen enligt 5 kap. 27 § plan- och bygglagen.",
    "§ 33\nDnr KS 2026/418\nEtablering av batterifabrik i Storvik\nBeslut\nKommunstyrelsen ställer sig bakom etableringen av battericellsfabriken vid Storviks industriområde.",
];

struct Board {
    files: BTreeMap<&'static str, Vec<u8>>,
    /// Requests per path.
    requests: Mutex<BTreeMap<String, usize>>,
}

type Shared = Arc<Board>;

const HOSTILE: [&str; 5] = ["krypterad.pdf", "trasig.pdf", "bomb.pdf", "inte-pdf.pdf", "sidor.pdf"];

fn board() -> Shared {
    let mut files = BTreeMap::new();
    files.insert("protokoll.pdf", testing::text_pdf(&PROTOKOLL));
    files.insert("skannad.pdf", testing::scanned_pdf(&["Miljönämnden", "Vindkraftsparken vid Granberget godkänns"]));
    files.insert("krypterad.pdf", testing::encrypted_pdf());
    files.insert("trasig.pdf", testing::truncated_pdf());
    files.insert("bomb.pdf", testing::bomb_pdf());
    files.insert("inte-pdf.pdf", testing::not_a_pdf());
    files.insert("sidor.pdf", testing::many_pages_pdf(5_000));
    files.insert(
        "kallelse.docx",
        testing::docx(&["Kallelse till kommunfullmäktige", "Medborgarförslag om utegym vid Storsjön"]),
    );
    Arc::new(Board { files, requests: Mutex::new(BTreeMap::new()) })
}

fn count(board: &Board, path: &str) {
    *board.requests.lock().unwrap().entry(path.to_string()).or_default() += 1;
}

fn announcement(id: &str, title: &str) -> serde_json::Value {
    serde_json::json!({"Id": id, "Type": "Protokoll", "StartDate": "2026-11-26", "EndDate": "2026-12-17",
        "Title": title, "CommitteeName": "Kommunstyrelsen", "CommitteeLink": "committees/kommunstyrelsen"})
}

fn meetings_plus(board: Shared) -> Router {
    Router::new()
        .route("/api/dbb/v1.0/announcement-types", get(|| async { "[]" }))
        .route(
            "/api/dbb/v1.0/announcements/published",
            get(|| async {
                let items = [
                    announcement("a1", "Justerat protokoll Kommunstyrelsen 2026-11-24"),
                    announcement("a2", "Justerat protokoll Miljönämnden"),
                    announcement("a3", "Kungörelser med bilagor"),
                    announcement("a4", "Sammanträde Kommunfullmäktige"),
                ];
                serde_json::json!({"Items": items, "TotalItemCount": 4}).to_string()
            }),
        )
        .route(
            "/api/dbb/v1.0/announcements/{id}",
            get(|UrlPath(id): UrlPath<String>| async move {
                // The detail as a newer Meetings Plus answers it: the case number, meeting date
                // and protokoll in fields of their own, attachments with relative URLs.
                let detail = match id.as_str() {
                    "a1" => serde_json::json!({"Description": "Protokollet är justerat.", "DiaryNumber": "KS 2026/400",
                        "MeetingDate": "2026-11-24", "ProtocolUrl": "/files/protokoll.pdf", "DocumentTitle": "Protokoll KS 2026-11-24.pdf"}),
                    "a2" => serde_json::json!({"Description": "Protokollet är justerat.", "MeetingDate": "2026-11-20",
                        "Documents": [{"Title": "Protokoll MN 2026-11-20.pdf", "Url": "/files/skannad.pdf"}]}),
                    "a3" => serde_json::json!({"Description": "Bilagor.",
                        "Attachments": HOSTILE.iter().map(|f| serde_json::json!({"Name": f, "Url": format!("/files/{f}")})).collect::<Vec<_>>()}),
                    _ => serde_json::json!({"Description": "Kallelse.",
                        "Attachments": [{"Name": "Kallelse KF.docx", "Url": "/files/kallelse.docx"}]}),
                };
                detail.to_string()
            }),
        )
        .route(
            "/files/{name}",
            get(|State(board): State<Shared>, UrlPath(name): UrlPath<String>| async move {
                count(&board, &name);
                match board.files.get(name.as_str()) {
                    Some(bytes) if name == "inte-pdf.pdf" => ([("content-type", "text/html")], bytes.clone()).into_response(),
                    Some(bytes) => ([("content-type", "application/pdf")], bytes.clone()).into_response(),
                    None => StatusCode::NOT_FOUND.into_response(),
                }
            }),
        )
        .with_state(board)
}

fn harvest(sources: &Path, index: &Path, extra: &[&str]) -> String {
    let output = Command::new(common::binary())
        .args(["harvest", "--once", "--host-interval-ms", "0", "--timeout-secs", "20", "--attempts", "1"])
        .args(["--extract-timeout-secs", "30"])
        .arg("--sources")
        .arg(sources)
        .arg("--index")
        .arg(index)
        .args(extra)
        .output()
        .expect("namndsok harvest runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

fn search(index: &SearchIndex, q: &str) -> Vec<namndsok_index::Hit> {
    index.search(&SearchRequest { limit: 50, ..SearchRequest::query(q) }).unwrap().hits
}

#[test]
fn protokoll_files_are_read_into_paragraphs_and_hostile_files_are_dead_letters() {
    if testing::skip_without_tools() {
        return;
    }
    let board = board();
    let base = spawn(meetings_plus(board.clone()));
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources.toml");
    let index_dir = dir.path().join("index");
    std::fs::write(
        &sources,
        format!("[[source]]\nid = \"ange-filer\"\nkommun = \"2260\"\nplatform = \"meetingsplus\"\nurl = \"{base}\"\nrate_per_second = 100.0\n"),
    )
    .unwrap();

    let first = harvest(&sources, &index_dir, &[]);
    let line = first.lines().find(|l| l.starts_with("ange-filer")).unwrap_or_else(|| panic!("{first}"));
    assert!(line.contains("4 listed, 4 new"), "{line}");
    assert!(line.contains("3 files read, 5 files failed"), "{line}");

    let index = SearchIndex::open_or_create(&index_dir, ConfigFiles::bundled()).unwrap();
    // The paragraph that decided the matter is a hit of its own, linked to its page and its protokoll.
    let hits = search(&index, "Norra hamnen");
    let paragraph = hits.iter().find(|h| h.paragraph.as_deref() == Some("32")).unwrap_or_else(|| panic!("{hits:#?}"));
    assert_eq!(paragraph.title, "§ 32 Detaljplan för Norra hamnen");
    assert_eq!(paragraph.diarienummer.as_deref(), Some("KS 2026/412"));
    assert_eq!(paragraph.page, Some(2));
    assert!(paragraph.url.as_deref().unwrap().ends_with("/files/protokoll.pdf#page=2"), "{:?}", paragraph.url);
    let whole_id = paragraph.part_of.clone().unwrap();
    let whole = index.get(&whole_id).unwrap().unwrap();
    assert_eq!(whole.title, "Protokoll KS 2026-11-24");
    assert_eq!(whole.part_of.as_deref(), Some("2260-meetingsplus-a1"));
    assert_eq!(whole.text_origin, Some(TextOrigin::Pdf));
    // The whole protokoll is findable too, and the anslag names its file.
    assert!(hits.iter().any(|h| h.id == whole_id), "{hits:#?}");
    let anslag: Document = index.get("2260-meetingsplus-a1").unwrap().unwrap();
    assert_eq!(anslag.diarienummer.as_deref(), Some("KS 2026/400"), "the detail's case number");
    assert_eq!(anslag.files.len(), 1);
    // The paragraph's diarienummer finds it; a compound in the text finds the batterifabrik paragraph.
    let by_case = search(&index, "KS 2026/412");
    assert!(by_case.iter().any(|h| h.id == paragraph.id), "{by_case:#?}");
    let battery = search(&index, "batterifabrik");
    assert!(battery.iter().any(|h| h.paragraph.as_deref() == Some("33")), "{battery:#?}");

    // The scanned protokoll went through OCR, and says so.
    let scanned = search(&index, "Granberget");
    let ocr = scanned.iter().find(|h| h.text_origin == Some("ocr")).unwrap_or_else(|| panic!("{scanned:#?}"));
    assert_eq!(ocr.part_of.as_deref(), Some("2260-meetingsplus-a2"));

    // A DOCX attachment is read too.
    let docx = search(&index, "utegym");
    assert!(
        docx.iter().any(|h| h.text_origin == Some("docx") && h.part_of.as_deref() == Some("2260-meetingsplus-a4")),
        "{docx:#?}"
    );

    // Every hostile file is a dead letter with its reason; the item that linked them is indexed.
    let dead = std::fs::read_to_string(index_dir.join("dead-letter.jsonl")).unwrap();
    for name in HOSTILE {
        let entry =
            dead.lines().find(|l| l.contains(&format!("/files/{name}"))).unwrap_or_else(|| panic!("{name}: {dead}"));
        assert!(entry.contains("2260-meetingsplus-a3"), "{entry}");
    }
    assert!(dead.contains("not a PDF, DOCX or ODT"), "{dead}");
    assert!(dead.contains("pages"), "{dead}");
    assert!(index.get("2260-meetingsplus-a3").unwrap().is_some());
    let documents_after_first = index.num_docs();
    drop(index);

    // A second pass over an unchanged board fetches no file again, and changes nothing.
    let before: BTreeMap<String, usize> = board.requests.lock().unwrap().clone();
    assert_eq!(before.get("protokoll.pdf"), Some(&1));
    let second = harvest(&sources, &index_dir, &[]);
    let line = second.lines().find(|l| l.starts_with("ange-filer")).unwrap();
    assert!(line.contains("0 new, 0 changed, 4 unchanged") && line.contains("0 files read, 0 files failed"), "{line}");
    assert_eq!(*board.requests.lock().unwrap(), before, "no file was fetched again");
    let index = SearchIndex::open_or_create(&index_dir, ConfigFiles::bundled()).unwrap();
    assert_eq!(index.num_docs(), documents_after_first);
    drop(index);

    // `serve` without --sources reports the health the harvest recorded.
    let server = common::Server::start(&index_dir);
    let reported = server.json("/api/v1/sources");
    let source = &reported["sources"][0];
    assert_eq!(source["id"], "ange-filer", "{reported}");
    assert_eq!(source["platform"], "meetingsplus");
    assert_eq!(source["items_seen"], 4);
    assert_eq!(reported["harvesting"], false);
    // The API names a paragraph's part and page.
    let found = server.json("/api/v1/search?q=Norra+hamnen");
    let hit =
        found["hits"].as_array().unwrap().iter().find(|h| h["paragraph"] == "32").unwrap_or_else(|| panic!("{found}"));
    assert_eq!(hit["page"], 2);
    assert_eq!(hit["text_origin"], "pdf");
}

#[test]
fn a_hanging_source_is_cut_off_at_its_deadline_while_the_others_finish() {
    if testing::skip_without_tools() {
        return;
    }
    let hanging = spawn(Router::new().fallback(get(|| async {
        tokio::time::sleep(Duration::from_secs(600)).await;
        "never"
    })));
    let board = board();
    let good = spawn(meetings_plus(board));
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources.toml");
    std::fs::write(
        &sources,
        format!(
            "[[source]]\nid = \"haenger\"\nkommun = \"2260\"\nplatform = \"meetingsplus\"\nurl = \"{hanging}\"\n\n\
             [[source]]\nid = \"fungerar\"\nkommun = \"2260\"\nplatform = \"meetingsplus\"\nurl = \"{good}\"\nrate_per_second = 100.0\n"
        ),
    )
    .unwrap();
    let stdout = harvest(&sources, &dir.path().join("index"), &["--source-deadline-secs", "3", "--no-files"]);
    let hung = stdout.lines().find(|l| l.starts_with("haenger")).unwrap();
    assert!(hung.contains("did not finish listing within 3 s"), "{hung}");
    let fine = stdout.lines().find(|l| l.starts_with("fungerar")).unwrap();
    assert!(fine.contains("4 listed, 4 new"), "{fine}");
}
