//! Import throughput and query latency on the bundled demo data (6,000 documents), with the full
//! Swedish analysis and, for comparison, with plain Snowball stemming only (no normaliser,
//! compound parts, folding, synonyms, place names or typo tolerance).
//!
//! `cargo bench --bench search` — figures are reported in the session notes, never asserted.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use namndsok_analysis::resources::ConfigFiles;
use namndsok_index::{SearchIndex, SearchRequest};

const DEMO: &str = include_str!("../demo/documents.jsonl");

const QUERIES: &[&str] = &[
    "batterifabrik",
    "förskola",
    "detaljplan granskning",
    "bygglov nybyggnad enbostadshus",
    "\"gång- och cykelväg\"",
    "KS 2023/412",
    "forskola",
    "medborgarförlsag",
    "särskilt boende",
    "Mariestads batterifabrik",
];

/// Plain stemming: the main analyzer without normaliser, and every extra way of matching off.
fn plain_config() -> ConfigFiles {
    let files = ConfigFiles::bundled();
    let analyzers = files.get("analyzers.toml").replace(
        r#"filters = ["remove_long", "lowercase", "stop_sv", "normalise_sv", "stem_sv"]"#,
        r#"filters = ["remove_long", "lowercase", "stop_sv", "stem_sv"]"#,
    );
    let mut schema = String::new();
    for line in files.get("schema.toml").lines() {
        let key = line.split('=').next().unwrap_or("").trim();
        if matches!(key, "parts" | "fold" | "synonym" | "fuzzy" | "place_name") {
            schema.push_str(&format!("{key} = 0.0\n"));
        } else {
            schema.push_str(line);
            schema.push('\n');
        }
    }
    files.with_file("analyzers.toml", analyzers).with_file("schema.toml", schema)
}

fn import(c: &mut Criterion) {
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.throughput(Throughput::Elements(DEMO.lines().count() as u64));
    for (name, files) in [("full", ConfigFiles::bundled()), ("plain", plain_config())] {
        group.bench_function(format!("demo_6000_docs_{name}"), |b| {
            b.iter_batched(
                || SearchIndex::create_in_ram(files.clone()).expect("index"),
                |index| index.import_jsonl(DEMO.as_bytes()).expect("import"),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

fn query(c: &mut Criterion) {
    let mut group = c.benchmark_group("query");
    for (name, files) in [("full", ConfigFiles::bundled()), ("plain", plain_config())] {
        let index = SearchIndex::create_in_ram(files).expect("index");
        index.import_jsonl(DEMO.as_bytes()).expect("import");
        let requests: Vec<SearchRequest> = QUERIES.iter().map(|q| SearchRequest::query(q)).collect();
        group.bench_function(format!("10_queries_{name}"), |b| {
            b.iter(|| {
                for request in &requests {
                    std::hint::black_box(index.search(request).expect("search"));
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, import, query);
criterion_main!(benches);
