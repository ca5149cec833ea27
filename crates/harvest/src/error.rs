//! Why a source's pass failed.

use crate::fetch::FetchError;

/// Why a source's pass failed.
#[derive(Debug, thiserror::Error)]
pub enum HarvestError {
    #[error("{0}")]
    Fetch(#[from] FetchError),
    #[error("{0}")]
    Source(#[from] namndsok_sources::SourceError),
    #[error("the source listed no items (it listed {0} before); keeping what is indexed")]
    SuddenlyEmpty(u64),
    #[error("index: {0}")]
    Index(#[from] namndsok_index::IndexError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("did not finish listing within {seconds} s (the source's deadline): cut off after {listed} items; those are indexed, the rest and any takedowns wait for the next pass")]
    Deadline { seconds: u64, listed: usize },
    #[error("more than {0} pages; stopped")]
    TooManyPages(u32),
}
