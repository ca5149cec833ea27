//! `GET /api/v1/search.atom` in-process: the whole feed as a snapshot, and a hostile title
//! (markup and a control character) that still yields well-formed Atom.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use namndsok_analysis::resources::ConfigFiles;
use namndsok_index::SearchIndex;
use namndsok_server::{app, AppState};
use tower::ServiceExt;

const DOCS: &str = r#"{"id":"mariestad-ks-1","kind":"arende","kommun_kod":"1493","organ":"Kommunstyrelsen","title":"Batterifabrik i Mariestad","date":"2024-03-01","diarienummer":"KS 2023/412","body":"Kommunstyrelsen föreslår att detaljplanen för batterifabriken antas."}
{"id":"mariestad/anslag 2","kind":"anslag","kommun_kod":"1493","title":"Protokoll \u0001 <script>alert(1)</script> & annat","date":"2024-03-02","body":"Anslag om justerat protokoll."}
"#;

async fn feed(query: &str) -> (StatusCode, String) {
    let index = Arc::new(SearchIndex::create_in_ram(ConfigFiles::bundled()).unwrap());
    index.import_jsonl(DOCS.as_bytes()).unwrap();
    let app = app(AppState { index, harvester: None, harvest_dir: None, alerts: None });
    let request = Request::builder()
        .uri(format!("/api/v1/search.atom?{query}"))
        .header(header::HOST, "namndsok.example")
        .body(Body::empty())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn the_search_feed_as_a_whole() {
    let (status, xml) = feed("kommun=1493").await;
    assert_eq!(status, StatusCode::OK);
    insta::assert_snapshot!(xml);
}

#[tokio::test]
async fn a_title_with_a_control_character_is_well_formed_atom() {
    let (status, xml) = feed("kommun=1493&kind=anslag").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!xml.contains('\u{1}') && !xml.contains("<script>"), "{xml}");
    let parsed = atom_syndication::Feed::read_from(xml.as_bytes()).expect("well-formed Atom");
    assert_eq!(parsed.entries.len(), 1);
    let entry = &parsed.entries[0];
    assert_eq!(entry.title.value, "Protokoll  <script>alert(1)</script> & annat");
    assert_eq!(entry.id, "tag:namndsok,2026:document/mariestad/anslag 2");
    assert_eq!(entry.links[0].href, "http://namndsok.example/d/mariestad%2Fanslag%202");
}
