//! Matching saved searches against new documents: 10,000 saved searches (words, phrases,
//! several words, kommun and kind filters) against a batch of 1,000 new documents from the demo
//! data, through the real `Matcher` and a real SQLite store. Prints the time of the match (store
//! set-up excluded) and the process's peak resident memory.
//!
//! `cargo bench --bench alerts` (release profile). Figures go in the session notes.

mod common;

use common::peak_rss_mb;
use std::time::Instant;

use namndsok_alerts::{AlertStore, MatchOptions, Matcher, NewSearch, SavedQuery};
use namndsok_analysis::resources::ConfigFiles;
use namndsok_model::{Document, Kind, Registry};

const DEMO: &str = include_str!("../demo/documents.jsonl");
const SEARCHES: usize = 10_000;
const BATCH: usize = 1_000;

const WORDS: &[&str] = &[
    "skola",
    "detaljplan",
    "motion",
    "budget",
    "förskola",
    "vindkraft",
    "bygglov",
    "kollektivtrafik",
    "äldreboende",
    "avfall",
    "batterifabrik",
    "strandskydd",
    "simhall",
    "cykelväg",
    "bibliotek",
    "taxa",
    "revision",
    "översiktsplan",
    "laddstolpe",
    "medborgarförslag",
];

fn query(index: usize) -> SavedQuery {
    let word = WORDS[index % WORDS.len()];
    let other = WORDS[(index / WORDS.len()) % WORDS.len()];
    let kommuner: Vec<&str> = Registry::global().kommuner().map(|k| k.code.as_str()).collect();
    match index % 5 {
        0 => SavedQuery::words(word),
        1 => SavedQuery { kommun: vec![kommuner[index % kommuner.len()].to_string()], ..SavedQuery::words(word) },
        2 => SavedQuery::words(&format!("{word} {other}")),
        3 => SavedQuery { kind: vec![Kind::Anslag], ..SavedQuery::words(&format!("\"{word}\"")) },
        _ => SavedQuery { lan: vec![format!("{:02}", [1, 3, 12, 14, 24][index % 5])], ..SavedQuery::words(word) },
    }
}

fn main() {
    let documents: Vec<Document> = DEMO
        .lines()
        .take(BATCH)
        .map(|line| Document::from_json_line(line, Registry::global()).expect("demo line").document)
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let store = AlertStore::open(&dir.path().join("alerts.sqlite")).unwrap();
    let now = chrono::Utc::now();
    let started = Instant::now();
    for index in 0..SEARCHES {
        let (account, _) = store.create_account(&format!("bench{index}@example.org")).unwrap();
        store.set_confirmed(account, true).unwrap();
        store.create_saved_search(account, &NewSearch::email(query(index)), now).unwrap();
    }
    println!("set-up: {SEARCHES} accounts and saved searches in {:.1} s", started.elapsed().as_secs_f64());
    let mut matcher = Matcher::new(ConfigFiles::bundled(), MatchOptions::default()).unwrap();
    let before = peak_rss_mb();
    let started = Instant::now();
    let report = matcher.match_batch(&store, &documents, now).unwrap();
    println!(
        "match: {} saved searches x {} new documents in {:.2} s: {} new matches, {} outbox items; peak RSS {:.0} MB ({before:.0} MB before matching)",
        report.searches,
        report.documents,
        started.elapsed().as_secs_f64(),
        report.new_matches,
        report.enqueued,
        peak_rss_mb()
    );
}
