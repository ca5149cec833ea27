//! National-scale benchmark: import a generated corpus into an on-disk index, then time every
//! query class in-process (the full `SearchIndex::search`, facets, snippets and stored documents
//! included, exactly what `GET /api/v1/search` computes).
//!
//! ```sh
//! python3 scripts/gen_corpus.py --docs 100000 > /tmp/corpus-100k.jsonl
//! cargo bench --bench scale -- --corpus /tmp/corpus-100k.jsonl --index /tmp/idx-100k
//! ```
//!
//! An existing index in `--index` is reused (no import). `--runs N` (default 30) repeats each
//! query; `--class NAME` runs one class only (for profiling); `--exhaustive` scores and counts
//! every match (no pruning, no estimates) for comparison; `--json` prints one JSON object per
//! class for the performance document. Figures are
//! reported, never asserted. Without `--corpus` and `--index` (as `cargo test --benches` and CI
//! run it) it builds a small index from the demo data as a smoke run.

use std::path::{Path, PathBuf};
use std::time::Instant;

use namndsok_analysis::resources::ConfigFiles;
use namndsok_index::{SearchIndex, SearchStrategy};
use namndsok_model::Registry;

/// One query given as API parameters.
type Params = &'static [(&'static str, &'static str)];

/// Query classes of issue 9, each a few queries given as API parameters.
const CLASSES: &[(&str, &[Params])] = &[
    ("common_word", &[&[("q", "beslut")], &[("q", "kommunen")], &[("q", "detaljplan")]]),
    ("rare_word", &[&[("q", "vätgasterminal")], &[("q", "bergrumslager")], &[("q", "kvicksilversanering")]]),
    ("compound", &[&[("q", "batterifabrik")], &[("q", "förskoleverksamhet")], &[("q", "äldreomsorgen")]]),
    (
        "words_2_4",
        &[
            &[("q", "detaljplan granskning")],
            &[("q", "bygglov nybyggnad enbostadshus")],
            &[("q", "budget skola omsorg äldreomsorg")],
        ],
    ),
    ("phrase_common", &[&[("q", "\"detaljplan för\"")], &[("q", "\"beslut om\"")]]),
    ("word_kommun", &[&[("q", "bygglov"), ("kommun", "1480")], &[("q", "förskola"), ("kommun", "0180")]]),
    (
        "word_dates_by_date",
        &[
            &[("q", "detaljplan"), ("from", "2024-01-01"), ("to", "2024-06-30"), ("sort", "date_desc")],
            &[("q", "bygglov"), ("from", "2022-01-01"), ("to", "2022-12-31"), ("sort", "date_desc")],
        ],
    ),
    ("diarienummer", &[&[("q", "KS 2023/412")], &[("q", "SBN 2019/108")], &[("q", "KS-2026-0045")]]),
    ("typo", &[&[("q", "detaljplsn")], &[("q", "medborgarförlsag")]]),
    ("ascii", &[&[("q", "forskola")], &[("q", "aldreomsorg")]]),
];

struct Args {
    corpus: Option<PathBuf>,
    index: Option<PathBuf>,
    runs: usize,
    json: bool,
    only: Option<String>,
    exhaustive: bool,
}

fn parse_args() -> Args {
    let mut args = Args { corpus: None, index: None, runs: 30, json: false, only: None, exhaustive: false };
    let mut iter = std::env::args().skip(1);
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--corpus" => args.corpus = iter.next().map(PathBuf::from),
            "--index" => args.index = iter.next().map(PathBuf::from),
            "--runs" => args.runs = iter.next().and_then(|n| n.parse().ok()).unwrap_or(args.runs),
            "--json" => args.json = true,
            "--class" => args.only = iter.next(),
            "--exhaustive" => args.exhaustive = true,
            // `cargo bench` passes `--bench`; anything else is ignored as well.
            _ => {}
        }
    }
    args
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries.flatten().filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum()
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() {
    // `NAMNDSOK_LOG=namndsok_index=debug` shows how each pruned search spent its time.
    if std::env::var_os("NAMNDSOK_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_env("NAMNDSOK_LOG"))
            .with_writer(std::io::stderr)
            .init();
    }
    let args = parse_args();
    let files = ConfigFiles::bundled();
    let smoke_dir;
    let (index, runs) = match (&args.index, &args.corpus) {
        (Some(dir), corpus) => {
            let fresh = !dir.join("namndsok.json").exists();
            let index = SearchIndex::open_or_create(dir, files).expect("open index");
            if fresh {
                let corpus = corpus.as_ref().expect("--corpus is needed to build a new index");
                let file = std::fs::File::open(corpus).expect("open corpus");
                let started = Instant::now();
                let report = index.import_jsonl(std::io::BufReader::with_capacity(1 << 20, file)).expect("import");
                let seconds = started.elapsed().as_secs_f64();
                let size = dir_size(dir);
                println!(
                    "import: {} documents in {seconds:.1} s = {:.0} docs/s, {} rejected; index {:.1} MB = {:.0} bytes/doc",
                    report.accepted(),
                    report.accepted() as f64 / seconds,
                    report.rejected.len(),
                    size as f64 / 1e6,
                    size as f64 / report.accepted().max(1) as f64
                );
            }
            (index, args.runs)
        }
        (None, _) => {
            smoke_dir = tempfile::tempdir().expect("tempdir");
            let index = SearchIndex::open_or_create(smoke_dir.path(), files).expect("open index");
            index.import_jsonl(include_str!("../demo/documents.jsonl").as_bytes()).expect("import demo");
            (index, 2)
        }
    };
    // Every timed search is computed: repeated queries are the point of a benchmark, not of
    // the answer cache.
    index.set_cache_capacity(0);
    if args.exhaustive {
        index.set_strategy(SearchStrategy::Exhaustive);
    }
    println!(
        "documents: {}{}",
        index.num_docs(),
        if args.exhaustive { " (exhaustive: no pruning, exact counts)" } else { "" }
    );
    let registry = Registry::global();
    // Warm-up: one pass over everything (page cache, searcher caches).
    for (_, queries) in CLASSES {
        for pairs in *queries {
            let request = namndsok_server::params::parse_search(pairs.iter().copied(), registry, &[]).expect("request");
            index.search(&request).expect("search");
        }
    }
    println!("{:<20} {:>9} {:>9} {:>9} {:>10}", "class", "p50 ms", "p99 ms", "max ms", "hits(avg)");
    for (class, queries) in CLASSES {
        if args.only.as_deref().is_some_and(|only| only != *class) {
            continue;
        }
        let mut times = Vec::new();
        let mut totals = 0usize;
        for pairs in *queries {
            let request = namndsok_server::params::parse_search(pairs.iter().copied(), registry, &[]).expect("request");
            for _ in 0..runs {
                let started = Instant::now();
                let response = index.search(&request).expect("search");
                times.push(started.elapsed().as_secs_f64() * 1000.0);
                totals += response.total;
            }
        }
        times.sort_by(|a, b| a.total_cmp(b));
        let (p50, p99, max) = (percentile(&times, 50.0), percentile(&times, 99.0), percentile(&times, 100.0));
        let hits = totals / times.len().max(1);
        println!("{class:<20} {p50:>9.2} {p99:>9.2} {max:>9.2} {hits:>10}");
        if args.json {
            println!(
                "{{\"class\":\"{class}\",\"docs\":{},\"p50_ms\":{p50:.3},\"p99_ms\":{p99:.3},\"hits\":{hits}}}",
                index.num_docs()
            );
        }
    }
}
