//! `namndsok import`: Document JSON v1 files into an index.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use super::{config_files, open_index};

/// Import Document JSON v1 files (one JSON object per line) into an index
#[derive(clap::Args)]
pub struct Args {
    /// The index directory (created when absent)
    #[arg(long)]
    index: PathBuf,
    /// A directory laid out like index-config/ to use instead of the bundled one
    #[arg(long)]
    config: Option<PathBuf>,
    /// Files to import
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    import(&args.index, args.config.as_deref(), &args.files)
}

fn import(index_dir: &Path, config: Option<&Path>, files: &[PathBuf]) -> Result<()> {
    let index = open_index(index_dir, config_files(config)?)?;
    let (mut imported, mut replaced, mut rejected) = (0, 0, 0);
    for path in files {
        let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let report =
            index.import_jsonl(BufReader::new(file)).with_context(|| format!("import of {} failed", path.display()))?;
        for warning in &report.warnings {
            eprintln!("{}:{}: warning: {}", path.display(), warning.line, warning.message);
        }
        for line in &report.rejected {
            eprintln!("{}:{}: rejected: {}", path.display(), line.line, line.reason);
        }
        imported += report.imported;
        replaced += report.replaced;
        rejected += report.rejected.len();
    }
    println!(
        "imported {imported}, replaced {replaced}, rejected {rejected} (index now holds {} documents)",
        index.num_docs()
    );
    if imported + replaced == 0 {
        bail!("nothing could be imported");
    }
    Ok(())
}
