//! The commands' bodies, one file each; `main.rs` only parses the command line and dispatches.

pub mod accounts;
pub mod analyze;
pub mod demo;
pub mod harvest;
pub mod healthcheck;
pub mod import;
pub mod serve;

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use namndsok_analysis::resources::ConfigFiles;
use namndsok_harvest::{HarvestSettings, Harvester};
use namndsok_index::SearchIndex;
use namndsok_sources::Catalogue;

/// The alert database's file name in the index directory (unless `--alerts-db` says otherwise).
pub const ALERTS_FILE: &str = "alerts.sqlite";
/// The file that marks a directory as a Nämndsök index.
pub const INDEX_MARKER: &str = "namndsok.json";

/// The index configuration: a directory laid out like `index-config/`, or the bundled one.
pub fn config_files(dir: Option<&Path>) -> Result<ConfigFiles> {
    match dir {
        Some(dir) => {
            ConfigFiles::from_dir(dir).with_context(|| format!("cannot read the index config in {}", dir.display()))
        }
        None => Ok(ConfigFiles::bundled()),
    }
}

/// Opens (or creates) the index in `dir`.
pub fn open_index(dir: &Path, files: ConfigFiles) -> Result<SearchIndex> {
    SearchIndex::open_or_create(dir, files).with_context(|| format!("cannot open the index at {}", dir.display()))
}

pub fn catalogue(path: &Path) -> Result<Catalogue> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Catalogue::parse(&text).with_context(|| format!("{} is not a valid source catalogue", path.display()))
}

pub fn harvester(sources: &Path, index: Arc<SearchIndex>, dir: &Path, settings: HarvestSettings) -> Result<Harvester> {
    Harvester::new(catalogue(sources)?, index, dir.to_path_buf(), settings)
        .with_context(|| format!("cannot read the harvest state in {}", dir.display()))
}
