//! `namndsok accounts`: alert accounts made by an operator.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use namndsok_alerts::AlertStore;

use super::{ALERTS_FILE, INDEX_MARKER};

#[derive(clap::Subcommand)]
pub enum AccountsCommand {
    /// Create a confirmed account and print its API token (shown only now)
    Create {
        /// The account's e-mail address
        #[arg(long)]
        email: String,
        /// The index directory whose alert database to use (alerts.sqlite in it)
        #[arg(long, required_unless_present = "alerts_db", conflicts_with = "alerts_db")]
        index: Option<PathBuf>,
        /// The alert database to use
        #[arg(long)]
        alerts_db: Option<PathBuf>,
        /// Trust the account to add documents with POST /api/v1/ingest
        #[arg(long)]
        ingest: bool,
    },
}

pub fn run(command: AccountsCommand) -> Result<()> {
    match command {
        AccountsCommand::Create { email, index, alerts_db, ingest } => {
            create_account(&email, index.as_deref(), alerts_db.as_deref(), ingest)
        }
    }
}

fn create_account(email: &str, index: Option<&Path>, alerts_db: Option<&Path>, ingest: bool) -> Result<()> {
    let path = match (alerts_db, index) {
        (Some(path), _) => path.to_path_buf(),
        (None, Some(dir)) => {
            if !dir.join(INDEX_MARKER).exists() {
                bail!(
                    "there is no index at {} (create it first with import, harvest or serve, or give --alerts-db)",
                    dir.display()
                );
            }
            dir.join(ALERTS_FILE)
        }
        (None, None) => bail!("give --index or --alerts-db"),
    };
    let store =
        AlertStore::open(&path).with_context(|| format!("cannot open the alert database {}", path.display()))?;
    let (id, token) = match store.create_account(email) {
        Ok(created) => created,
        Err(namndsok_alerts::AlertError::EmailTaken) => {
            bail!("an account for {email} exists already")
        }
        Err(error) => return Err(error).context("cannot create the account"),
    };
    store.set_confirmed(id, true)?;
    if ingest {
        store.set_may_ingest(id, true)?;
    }
    eprintln!(
        "namndsok: account {id} for {email} created{}; its API token (shown only now) is on stdout",
        if ingest { ", trusted to ingest documents" } else { "" }
    );
    println!("{token}");
    Ok(())
}
