//! `namndsok analyze`: the tokens a text produces in each analyzer.

use anyhow::{bail, Result};
use namndsok_analysis::resources::ConfigFiles;
use namndsok_index::SearchIndex;

/// Print the tokens a text produces in each analyzer (for tuning the lexicon)
#[derive(clap::Args)]
pub struct Args {
    /// Only this analyzer (sv, sv_parts, sv_fold, sv_highlight, en, keyword)
    #[arg(long)]
    analyzer: Option<String>,
    /// The text to analyse
    #[arg(required = true)]
    text: Vec<String>,
}

pub fn run(args: Args) -> Result<()> {
    analyze(args.analyzer.as_deref(), &args.text.join(" "))
}

fn analyze(only: Option<&str>, text: &str) -> Result<()> {
    let index = SearchIndex::create_in_ram(ConfigFiles::bundled())?;
    let names = index.analyzer_names();
    if let Some(name) = only {
        if !names.iter().any(|n| n == name) {
            bail!("unknown analyzer {name:?} (known: {})", names.join(", "));
        }
    }
    for name in names.iter().filter(|n| only.is_none_or(|o| o == n.as_str())) {
        println!("{name}:");
        for token in index.analyze(name, text)? {
            println!("  {:>3}  {:<28} {}..{}", token.position, token.text, token.offset_from, token.offset_to);
        }
    }
    Ok(())
}
