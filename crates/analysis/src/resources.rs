//! The configuration files analysis depends on, and the objects built from them.
//!
//! By default the files are the ones in the repository's `index-config/`, compiled into the
//! binary, so a fresh clone needs nothing installed. A directory with the same layout can be
//! given instead (`--config DIR`) to tune the lexicon or synonyms without rebuilding.
//! [`ConfigFiles::fingerprint`] identifies the exact contents, and is stored in every index.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::decompound::Lexicon;
use crate::stop_words::StopWords;

/// The files, by their path relative to `index-config/`.
pub const CONFIG_FILES: &[&str] = &[
    "schema.toml",
    "analyzers.toml",
    "sv/stopwords.txt",
    "sv/synonyms.txt",
    "sv/compound-parts.tsv",
    "sv/compound-parts-extra.tsv",
    "sv/compound-heads.tsv",
    "sv/lexicon-words.txt",
];

macro_rules! bundled {
    ($($path:literal),*) => {
        &[$(($path, include_str!(concat!("../../../index-config/", $path)))),*]
    };
}

const BUNDLED: &[(&str, &str)] = bundled!(
    "schema.toml",
    "analyzers.toml",
    "sv/stopwords.txt",
    "sv/synonyms.txt",
    "sv/compound-parts.tsv",
    "sv/compound-parts-extra.tsv",
    "sv/compound-heads.tsv",
    "sv/lexicon-words.txt"
);

/// The text of every configuration file.
#[derive(Debug, Clone)]
pub struct ConfigFiles {
    files: BTreeMap<&'static str, String>,
}

impl ConfigFiles {
    /// The files compiled into the binary from the repository's `index-config/`.
    pub fn bundled() -> ConfigFiles {
        ConfigFiles { files: BUNDLED.iter().map(|(path, text)| (*path, text.to_string())).collect() }
    }

    /// The files of a directory laid out like `index-config/`.
    pub fn from_dir(dir: &Path) -> std::io::Result<ConfigFiles> {
        let mut files = BTreeMap::new();
        for path in CONFIG_FILES {
            let full = dir.join(path);
            let text = std::fs::read_to_string(&full)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", full.display())))?;
            files.insert(*path, text);
        }
        Ok(ConfigFiles { files })
    }

    /// The same files with one replaced (benchmarks and experiments).
    pub fn with_file(mut self, path: &'static str, text: impl Into<String>) -> ConfigFiles {
        self.files.insert(path, text.into());
        self
    }

    /// The text of one file (`"sv/synonyms.txt"`).
    pub fn get(&self, path: &str) -> &str {
        self.files.get(path).map_or("", String::as_str)
    }

    /// A stable 64-bit FNV-1a hash over every file's path and contents and the analysis version.
    pub fn fingerprint(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |bytes: &[u8]| {
            for &byte in bytes {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        };
        feed(crate::ANALYSIS_VERSION.as_bytes());
        for (path, text) in &self.files {
            feed(path.as_bytes());
            feed(&[0]);
            feed(text.as_bytes());
            feed(&[0]);
        }
        format!("{hash:016x}")
    }
}

/// Objects built once from the files and shared by every analyzer.
pub struct Resources {
    pub files: ConfigFiles,
    pub stop_words: Arc<StopWords>,
    pub lexicon: Arc<Lexicon>,
}

impl Resources {
    pub fn load(files: ConfigFiles) -> Resources {
        let stop_words = Arc::new(StopWords::from_list(files.get("sv/stopwords.txt")));
        let mut lexicon = Lexicon::from_files(
            files.get("sv/compound-parts.tsv"),
            files.get("sv/compound-parts-extra.tsv"),
            files.get("sv/compound-heads.tsv"),
            files.get("sv/lexicon-words.txt"),
        );
        // Place names are words too: the normaliser needs them for genitives (`Luleås`).
        let registry = namndsok_model::Registry::global();
        let names: Vec<String> = registry.all().iter().map(|o| o.name.to_lowercase()).collect();
        lexicon.add_words(names.iter().map(String::as_str));
        lexicon.protect(names.iter().flat_map(|name| name.split(' ')).filter(|word| word.chars().count() >= 4));
        Resources { files, stop_words, lexicon: Arc::new(lexicon) }
    }
}
