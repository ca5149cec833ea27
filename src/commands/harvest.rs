//! `namndsok harvest` and `namndsok sources`: the source catalogue into an index, and its
//! health.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use namndsok_alerts::{AlertStore, MatchOptions, Matcher};
use namndsok_analysis::resources::ConfigFiles;
use namndsok_harvest::{HarvestSettings, HarvestState, Harvester};

use super::{catalogue, config_files, harvester, open_index, ALERTS_FILE};

/// Harvest every source of a catalogue into an index
#[derive(clap::Args)]
pub struct Args {
    /// The source catalogue (TOML, [[source]] tables), e.g. index-config/sources.toml
    #[arg(long)]
    sources: PathBuf,
    /// The index directory (created when absent); the harvest state is kept in it
    #[arg(long)]
    index: PathBuf,
    /// A directory laid out like index-config/ to use instead of the bundled one
    #[arg(long)]
    config: Option<PathBuf>,
    /// One pass, a summary line per source, then exit
    #[arg(long)]
    once: bool,
    /// Seconds between passes (without --once)
    #[arg(long, default_value_t = 300)]
    interval: u64,
    /// Sources harvested at the same time (one request at a time per host regardless)
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Least milliseconds between two requests to the same host
    #[arg(long, default_value_t = 1000)]
    host_interval_ms: u64,
    /// Seconds before a request is given up
    #[arg(long, default_value_t = 30)]
    timeout_secs: u64,
    /// Items asked for per page of paged platforms
    #[arg(long, default_value_t = 100)]
    page_size: u32,
    /// Attempts per request (retries with exponential backoff and jitter)
    #[arg(long, default_value_t = 3)]
    attempts: u32,
    /// The alert database whose saved searches harvested documents are matched against
    /// (default: alerts.sqlite in the index directory, when it exists)
    #[arg(long)]
    alerts_db: Option<PathBuf>,
    /// Do not match harvested documents against saved searches
    #[arg(long, conflicts_with = "alerts_db")]
    no_alerts: bool,
    /// Days an anslag stays searchable after its anslag period ended (default: always)
    #[arg(long)]
    keep_expired_anslag_days: Option<u32>,
    #[command(flatten)]
    pass: PassArgs,
}

/// How long a source may take, and how its files are read (`harvest` and `serve --sources`).
#[derive(clap::Args)]
pub struct PassArgs {
    /// Seconds one source may take per pass; a source still listing then is cut off and
    /// reported failing (what it listed so far is indexed), files not reached are read next pass
    #[arg(long, default_value_t = 120)]
    source_deadline_secs: u64,
    /// Do not follow items' file links (PDF text, OCR, paragraphs)
    #[arg(long)]
    no_files: bool,
    /// Do not run OCR on scanned files without a text layer
    #[arg(long)]
    no_ocr: bool,
    /// Files larger than this many MB are refused
    #[arg(long, default_value_t = 50)]
    file_max_mb: usize,
    /// Seconds one text extraction program (pdftotext, one OCR page) may run
    #[arg(long, default_value_t = 60)]
    extract_timeout_secs: u64,
}

impl PassArgs {
    /// Applies the arguments to `settings`.
    pub fn apply(&self, settings: &mut HarvestSettings) {
        settings.source_deadline = Duration::from_secs(self.source_deadline_secs.max(1));
        settings.files.enabled = !self.no_files;
        settings.files.extract.ocr = !self.no_ocr;
        settings.files.max_bytes = self.file_max_mb.max(1) << 20;
        settings.files.extract.timeout = Duration::from_secs(self.extract_timeout_secs.max(1));
    }
}

/// Show the health of every source (last success, last error, failures, items, status)
#[derive(clap::Args)]
pub struct SourcesArgs {
    /// The source catalogue (TOML)
    #[arg(long)]
    sources: PathBuf,
    /// The index directory holding the harvest state
    #[arg(long)]
    index: PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    let dir = args.index;
    let files = config_files(args.config.as_deref())?;
    let index = Arc::new(open_index(&dir, files.clone())?);
    let mut settings = HarvestSettings {
        concurrency: args.concurrency,
        page_size: args.page_size,
        keep_expired_anslag_days: args.keep_expired_anslag_days,
        ..HarvestSettings::default()
    };
    settings.fetch.min_interval_per_host = Duration::from_millis(args.host_interval_ms);
    settings.fetch.timeout = Duration::from_secs(args.timeout_secs.max(1));
    settings.fetch.connect_timeout = settings.fetch.timeout.min(settings.fetch.connect_timeout);
    settings.fetch.attempts = args.attempts.max(1);
    settings.fetch.backoff = Duration::from_millis(200);
    args.pass.apply(&mut settings);
    let harvester = harvester(&args.sources, index.clone(), &dir, settings)?;
    let alerts_path = args.alerts_db.unwrap_or_else(|| dir.join(ALERTS_FILE));
    if !args.no_alerts && alerts_path.exists() {
        match_harvested(&harvester, &alerts_path, files)?;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        if args.once {
            let summaries = harvester.run_once().await;
            for summary in &summaries {
                println!("{summary}");
            }
            let failed = summaries.iter().filter(|s| s.error.is_some()).count();
            println!("{} sources, {failed} failed; the index holds {} documents", summaries.len(), index.num_docs());
            if failed == summaries.len() && failed > 0 {
                bail!("every source failed");
            }
        } else {
            tokio::select! {
                _ = harvester.run_every(Duration::from_secs(args.interval)) => {}
                _ = namndsok_server::shutdown_signal() => {}
            }
        }
        Ok(())
    })
}

pub fn run_sources(args: SourcesArgs) -> Result<()> {
    show_sources(&args.sources, &args.index)
}

fn show_sources(sources: &Path, dir: &Path) -> Result<()> {
    let catalogue = catalogue(sources)?;
    let state =
        HarvestState::load(dir).with_context(|| format!("cannot read the harvest state in {}", dir.display()))?;
    let now = chrono::Utc::now();
    println!(
        "{:<32} {:<14} {:<8} {:>6} {:>5} {:<20} last error",
        "source", "platform", "status", "items", "fails", "last success"
    );
    for source in &catalogue.sources {
        let memory = state.sources.get(&source.id).cloned().unwrap_or_default();
        let status = memory.status(source.stale_after_days.unwrap_or(30), now);
        let status = serde_json::to_value(status)?.as_str().unwrap_or("").to_string();
        println!(
            "{:<32} {:<14} {:<8} {:>6} {:>5} {:<20} {}",
            source.id,
            source.platform().as_str(),
            status,
            memory.items_seen,
            memory.consecutive_failures,
            memory.last_success.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "never".into()),
            memory.last_error.unwrap_or_default()
        );
    }
    Ok(())
}

/// Matches what `harvester` commits against the saved searches in the database at `path`.
fn match_harvested(harvester: &Harvester, path: &Path, files: ConfigFiles) -> Result<()> {
    let store = AlertStore::open(path).with_context(|| format!("cannot open the alert database {}", path.display()))?;
    let matcher = std::sync::Mutex::new(Matcher::new(files, MatchOptions::default())?);
    harvester.on_committed(Arc::new(move |documents| {
        let mut matcher = matcher.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Err(error) = matcher.match_batch(&store, documents, chrono::Utc::now()) {
            tracing::error!(%error, documents = documents.len(), "matching saved searches failed");
        }
    }));
    tracing::info!(path = %path.display(), "harvested documents are matched against saved searches");
    Ok(())
}
