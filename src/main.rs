//! `namndsok`: the one binary. Parses the command line and hands over to the library crates
//! (the commands' bodies are in `commands/`, one file each); nothing else in the workspace reads
//! flags or environment.

mod commands;

use anyhow::Result;
use clap::{Parser, Subcommand};

use commands::{accounts, analyze, demo, harvest, healthcheck, import, serve};

#[derive(Parser)]
#[command(name = "namndsok", version, about = "Search across the council matters of every Swedish kommun and region")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import Document JSON v1 files (one JSON object per line) into an index
    Import(import::Args),
    /// Serve the HTTP API and web page on an index (and harvest, with --sources)
    Serve(serve::Args),
    /// Harvest every source of a catalogue into an index
    Harvest(harvest::Args),
    /// Manage alert accounts (saved searches and their API tokens)
    Accounts {
        #[command(subcommand)]
        command: accounts::AccountsCommand,
    },
    /// Show the health of every source (last success, last error, failures, items, status)
    Sources(harvest::SourcesArgs),
    /// Build an index from the bundled demo data (first run only) and serve it
    Demo(demo::Args),
    /// Print the tokens a text produces in each analyzer (for tuning the lexicon)
    Analyze(analyze::Args),
    /// Check that a running server answers /healthz (exit 0) or not (exit 1)
    Healthcheck(healthcheck::Args),
}

fn main() {
    let filter = || tracing_subscriber::EnvFilter::try_from_env("NAMNDSOK_LOG").unwrap_or_else(|_| "info".into());
    // NAMNDSOK_LOG_FORMAT=json: one JSON object per line, for log collectors.
    if std::env::var("NAMNDSOK_LOG_FORMAT").is_ok_and(|format| format == "json") {
        tracing_subscriber::fmt().json().with_env_filter(filter()).with_writer(std::io::stderr).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter()).with_writer(std::io::stderr).init();
    }
    if let Err(error) = run(Cli::parse()) {
        eprintln!("namndsok: {error:#}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Import(args) => import::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Harvest(args) => harvest::run(args),
        Command::Accounts { command } => accounts::run(command),
        Command::Sources(args) => harvest::run_sources(args),
        Command::Demo(args) => demo::run(args),
        Command::Analyze(args) => analyze::run(args),
        Command::Healthcheck(args) => healthcheck::run(args),
    }
}
