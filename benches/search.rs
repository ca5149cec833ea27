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
fn plain_index() -> SearchIndex {
    SearchIndex::create_in_ram_with(ConfigFiles::bundled(), |schema, analyzers| {
        let ranking = &mut schema.ranking;
        (ranking.parts, ranking.fold, ranking.synonym, ranking.fuzzy, ranking.place_name) = (0.0, 0.0, 0.0, 0.0, 0.0);
        let main = analyzers.analyzers.get_mut("sv").expect("the main analyzer");
        main.filters.retain(|filter| filter != "normalise_sv");
    })
    .expect("index")
}

fn new_index(name: &str) -> SearchIndex {
    match name {
        "plain" => plain_index(),
        _ => SearchIndex::create_in_ram(ConfigFiles::bundled()).expect("index"),
    }
}

fn import(c: &mut Criterion) {
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.throughput(Throughput::Elements(DEMO.lines().count() as u64));
    for name in ["full", "plain"] {
        group.bench_function(format!("demo_6000_docs_{name}"), |b| {
            b.iter_batched(
                || new_index(name),
                |index| index.import_jsonl(DEMO.as_bytes()).expect("import"),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

fn query(c: &mut Criterion) {
    let mut group = c.benchmark_group("query");
    for name in ["full", "plain"] {
        let index = new_index(name);
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
