//! The source catalogue: `index-config/sources.toml`, one `[[source]]` table per source.
//!
//! ```toml
//! [[source]]
//! id = "ange-meetingsplus"
//! kommun = "2260"                    # kommunkod (or länskod), checked against the registry
//! platform = "meetingsplus"
//! url = "https://moten.ange.se"      # base URL: point it at a test server to test
//! rate_per_second = 0.5              # optional, default 1
//! stale_after_days = 30              # optional
//! ```
//!
//! Platform fields: `board` (Netpublicator), `post_type` and `kind` (WordPress), `path` and
//! `portlet` (Sitevision), `doctype`, `search_id` and `kind` (Ciceron), `path` (file). Unknown
//! fields, fields of another platform, missing required fields and duplicate ids are errors that
//! name the source and the field.

use std::collections::HashSet;

use namndsok_model::{Kind, Registry};
use serde::{Deserialize, Serialize};

use crate::SourceContext;

/// The platforms there is an adapter for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    MeetingsPlus,
    Netpublicator,
    Ciceron,
    Sitevision,
    WordPress,
    File,
}

impl Platform {
    pub const ALL: [Platform; 6] = [
        Platform::MeetingsPlus,
        Platform::Netpublicator,
        Platform::Ciceron,
        Platform::Sitevision,
        Platform::WordPress,
        Platform::File,
    ];

    /// The name used in the catalogue, in document ids and in the `source` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::MeetingsPlus => "meetingsplus",
            Platform::Netpublicator => "netpublicator",
            Platform::Ciceron => "ciceron",
            Platform::Sitevision => "sitevision",
            Platform::WordPress => "wordpress",
            Platform::File => "file",
        }
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Default request rate when a source does not set one.
pub const DEFAULT_RATE_PER_SECOND: f64 = 1.0;
/// Ciceron's default document type: 2 = ärenden (what the anslagstavla lists with `is_post`).
pub const DEFAULT_CICERON_DOCTYPE: i64 = 2;
/// Ciceron's search ids are chosen by the client; this one is ours.
pub const DEFAULT_CICERON_SEARCH_ID: &str = "namndsok";

/// One `[[source]]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: String,
    kommun: Option<String>,
    platform: Platform,
    url: Option<String>,
    board: Option<String>,
    post_type: Option<String>,
    portlet: Option<String>,
    path: Option<String>,
    doctype: Option<i64>,
    search_id: Option<String>,
    kind: Option<Kind>,
    rate_per_second: Option<f64>,
    stale_after_days: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    source: Vec<RawSource>,
}

/// A validated source.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    /// Kommunkod or länskod; `None` only for `file` sources, whose lines carry their own.
    pub kommun_kod: Option<String>,
    pub platform: Platform,
    /// Base URL without a trailing slash (empty for `file`).
    pub url: String,
    pub settings: PlatformSettings,
    pub rate_per_second: f64,
    pub stale_after_days: Option<u32>,
}

/// What each platform needs beyond the base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlatformSettings {
    MeetingsPlus,
    Netpublicator { board: String },
    Ciceron { doctype: i64, search_id: String, kind: Kind },
    Sitevision { path: String, portlet: Option<String> },
    WordPress { post_type: String, kind: Kind },
    File { path: String },
}

impl Source {
    /// The context the parsers need. `file` sources without a kommun get an empty kommunkod,
    /// which the file adapter does not use.
    pub fn context(&self) -> SourceContext {
        SourceContext::new(&self.id, self.kommun_kod.clone().unwrap_or_default(), self.platform, &self.url)
    }
}

/// The whole catalogue.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Catalogue {
    pub sources: Vec<Source>,
}

/// Why a catalogue was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("sources file is not valid TOML for the catalogue: {0}")]
    Toml(String),
    #[error("sources file has {} problem(s):\n{}", .0.len(), .0.join("\n"))]
    Invalid(Vec<String>),
}

impl Catalogue {
    /// Parses and validates a sources file; every problem is reported, not only the first.
    pub fn parse(text: &str) -> Result<Catalogue, CatalogueError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| CatalogueError::Toml(e.to_string()))?;
        let mut problems = Vec::new();
        let mut seen = HashSet::new();
        let mut sources = Vec::new();
        for (index, source) in raw.source.into_iter().enumerate() {
            let label = if source.id.trim().is_empty() { format!("#{}", index + 1) } else { source.id.clone() };
            if !seen.insert(source.id.clone()) {
                problems.push(format!("source `{label}`: duplicate id"));
                continue;
            }
            match validate(source) {
                Ok(valid) => sources.push(valid),
                Err(mut found) => {
                    problems.extend(
                        found.drain(..).map(|(field, problem)| format!("source `{label}`: field `{field}` {problem}")),
                    );
                }
            }
        }
        if problems.is_empty() {
            Ok(Catalogue { sources })
        } else {
            Err(CatalogueError::Invalid(problems))
        }
    }

    pub fn get(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|source| source.id == id)
    }

    /// How many sources use each platform.
    pub fn count_by_platform(&self) -> Vec<(Platform, usize)> {
        Platform::ALL.iter().map(|&p| (p, self.sources.iter().filter(|s| s.platform == p).count())).collect()
    }
}

type Problems = Vec<(&'static str, String)>;

fn validate(raw: RawSource) -> Result<Source, Problems> {
    let mut problems: Problems = Vec::new();
    let platform = raw.platform;
    if raw.id.is_empty()
        || !raw.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        problems.push(("id", format!("is {:?}; use lowercase ASCII letters, digits, `-` and `_`", raw.id)));
    }
    let kommun_kod = match (&raw.kommun, platform) {
        (Some(code), _) if Registry::global().by_code(code).is_some() => Some(code.clone()),
        (Some(code), _) => {
            problems.push(("kommun", format!("is {code:?}, not a kommunkod or länskod in the registry")));
            None
        }
        (None, Platform::File) => None,
        (None, _) => {
            problems.push(("kommun", "is required".into()));
            None
        }
    };
    let url = match (&raw.url, platform) {
        (Some(url), _) if url.starts_with("https://") || url.starts_with("http://") => {
            url.trim_end_matches('/').to_string()
        }
        (Some(url), _) => {
            problems.push(("url", format!("is {url:?}, expected an http(s) base URL")));
            String::new()
        }
        (None, Platform::File) => String::new(),
        (None, _) => {
            problems.push(("url", format!("is required for platform {platform}")));
            String::new()
        }
    };
    // Fields that belong to other platforms.
    let allowed: &[&str] = match platform {
        Platform::MeetingsPlus => &[],
        Platform::Netpublicator => &["board"],
        Platform::Ciceron => &["doctype", "search_id", "kind"],
        Platform::Sitevision => &["path", "portlet"],
        Platform::WordPress => &["post_type", "kind"],
        Platform::File => &["path"],
    };
    let present: [(&'static str, bool); 7] = [
        ("board", raw.board.is_some()),
        ("post_type", raw.post_type.is_some()),
        ("portlet", raw.portlet.is_some()),
        ("path", raw.path.is_some()),
        ("doctype", raw.doctype.is_some()),
        ("search_id", raw.search_id.is_some()),
        ("kind", raw.kind.is_some()),
    ];
    for (field, is_present) in present {
        if is_present && !allowed.contains(&field) {
            problems.push((field, format!("does not apply to platform {platform}")));
        }
    }
    let mut required =
        |field: &'static str, value: &Option<String>, valid: fn(&str) -> bool, expected: &str| match value {
            Some(v) if valid(v) => v.clone(),
            Some(v) => {
                problems.push((field, format!("is {v:?}, expected {expected}")));
                String::new()
            }
            None => {
                problems.push((field, format!("is required for platform {platform}")));
                String::new()
            }
        };
    let settings = match platform {
        Platform::MeetingsPlus => PlatformSettings::MeetingsPlus,
        Platform::Netpublicator => PlatformSettings::Netpublicator {
            board: required(
                "board",
                &raw.board,
                |b| !b.is_empty() && b.bytes().all(|c| c.is_ascii_hexdigit() || c == b'-'),
                "a board id (hex digits and `-`)",
            ),
        },
        Platform::WordPress => PlatformSettings::WordPress {
            post_type: required(
                "post_type",
                &raw.post_type,
                |t| !t.is_empty() && t.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'),
                "a REST post type such as `anslag`",
            ),
            kind: raw.kind.unwrap_or(Kind::Anslag),
        },
        Platform::Sitevision => PlatformSettings::Sitevision {
            path: required("path", &raw.path, |p| p.starts_with('/'), "a page path starting with `/`"),
            portlet: raw.portlet.clone().filter(|p| !p.is_empty()),
        },
        Platform::Ciceron => PlatformSettings::Ciceron {
            doctype: raw.doctype.unwrap_or(DEFAULT_CICERON_DOCTYPE),
            search_id: raw
                .search_id
                .clone()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| DEFAULT_CICERON_SEARCH_ID.to_string()),
            kind: raw.kind.unwrap_or(Kind::Anslag),
        },
        Platform::File => {
            PlatformSettings::File { path: required("path", &raw.path, |p| !p.is_empty(), "a file path") }
        }
    };
    if let Some(rate) = raw.rate_per_second {
        if !(rate.is_finite() && rate > 0.0 && rate <= 100.0) {
            problems.push(("rate_per_second", format!("is {rate}, expected a number above 0 and at most 100")));
        }
    }
    if raw.stale_after_days == Some(0) {
        problems.push(("stale_after_days", "is 0, expected at least 1".into()));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Source {
        id: raw.id,
        kommun_kod,
        platform,
        url,
        settings,
        rate_per_second: raw.rate_per_second.unwrap_or(DEFAULT_RATE_PER_SECOND),
        stale_after_days: raw.stale_after_days,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../../index-config/sources.toml");

    #[test]
    fn parses_the_shipped_sources_file() {
        let catalogue = Catalogue::parse(SHIPPED).unwrap();
        assert!(catalogue.sources.len() > 150, "{}", catalogue.sources.len());
        let counts = catalogue.count_by_platform();
        for platform in [
            Platform::MeetingsPlus,
            Platform::Netpublicator,
            Platform::Ciceron,
            Platform::Sitevision,
            Platform::WordPress,
        ] {
            let count = counts.iter().find(|(p, _)| *p == platform).unwrap().1;
            assert!(count > 0, "no {platform} sources");
        }
        let ange = catalogue.get("ange-meetingsplus").unwrap();
        assert_eq!(ange.kommun_kod.as_deref(), Some("2260"));
        assert_eq!(ange.url, "https://moten.ange.se");
        let eslov = catalogue.get("eslov-wordpress").unwrap();
        assert_eq!(eslov.settings, PlatformSettings::WordPress { post_type: "anslag".into(), kind: Kind::Anslag });
        assert!(catalogue.sources.iter().all(|s| s.kommun_kod.is_some()));
    }

    #[test]
    fn parses_every_platform_with_defaults() {
        let text = r#"
            [[source]]
            id = "x-mp"
            kommun = "2260"
            platform = "meetingsplus"
            url = "http://127.0.0.1:8080/"

            [[source]]
            id = "x-np"
            kommun = "1282"
            platform = "netpublicator"
            url = "https://www.netpublicator.com/bulletinboard/public"
            board = "59197884-5b86-40ff-928f-9410b17bae0d"
            rate_per_second = 0.2
            stale_after_days = 30

            [[source]]
            id = "x-cic"
            kommun = "1292"
            platform = "ciceron"
            url = "https://anslagstavlan.engelholm.se"

            [[source]]
            id = "x-diarium"
            kommun = "1283"
            platform = "ciceron"
            url = "https://diariet.helsingborg.se"
            doctype = 2
            search_id = "diarium"
            kind = "arende"

            [[source]]
            id = "x-sv"
            kommun = "1440"
            platform = "sitevision"
            url = "https://ale.se"
            path = "/anslagstavla-officiell.html"
            portlet = "12.abc"

            [[source]]
            id = "x-wp"
            kommun = "1285"
            platform = "wordpress"
            url = "https://eslov.se"
            post_type = "anslag"

            [[source]]
            id = "x-file"
            platform = "file"
            path = "demo/documents.jsonl"
        "#;
        let catalogue = Catalogue::parse(text).unwrap();
        assert_eq!(catalogue.sources.len(), 7);
        let mp = catalogue.get("x-mp").unwrap();
        assert_eq!(mp.url, "http://127.0.0.1:8080");
        assert_eq!(mp.rate_per_second, DEFAULT_RATE_PER_SECOND);
        assert_eq!(catalogue.get("x-np").unwrap().stale_after_days, Some(30));
        assert_eq!(
            catalogue.get("x-cic").unwrap().settings,
            PlatformSettings::Ciceron { doctype: 2, search_id: "namndsok".into(), kind: Kind::Anslag }
        );
        assert_eq!(
            catalogue.get("x-diarium").unwrap().settings,
            PlatformSettings::Ciceron { doctype: 2, search_id: "diarium".into(), kind: Kind::Arende }
        );
        assert_eq!(catalogue.get("x-file").unwrap().kommun_kod, None);
        let context = catalogue.get("x-sv").unwrap().context();
        assert_eq!((context.kommun_kod.as_str(), context.platform), ("1440", Platform::Sitevision));
    }

    #[test]
    fn names_the_source_and_field_of_each_problem() {
        let source = |body: &str| format!("[[source]]\n{body}\n");
        let cases = [
            (source("id = \"a\"\nkommun = \"9999\"\nplatform = \"meetingsplus\"\nurl = \"https://x\""), "source `a`: field `kommun`"),
            (source("id = \"a\"\nplatform = \"meetingsplus\"\nurl = \"https://x\""), "source `a`: field `kommun` is required"),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"meetingsplus\"\nurl = \"ftp://x\""), "source `a`: field `url`"),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"meetingsplus\""), "source `a`: field `url` is required"),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"netpublicator\"\nurl = \"https://x\""), "source `a`: field `board` is required"),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"netpublicator\"\nurl = \"https://x\"\nboard = \"not a board\""), "source `a`: field `board` is \"not a board\""),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"meetingsplus\"\nurl = \"https://x\"\nboard = \"abc\""), "source `a`: field `board` does not apply to platform meetingsplus"),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"wordpress\"\nurl = \"https://x\""), "source `a`: field `post_type` is required"),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"sitevision\"\nurl = \"https://x\"\npath = \"anslag\""), "source `a`: field `path`"),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"meetingsplus\"\nurl = \"https://x\"\nrate_per_second = 0.0"), "field `rate_per_second`"),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"meetingsplus\"\nurl = \"https://x\"\nstale_after_days = 0"), "field `stale_after_days`"),
            (source("id = \"Å B\"\nkommun = \"2260\"\nplatform = \"meetingsplus\"\nurl = \"https://x\""), "field `id`"),
            (format!("{}{}", source("id = \"a\"\nkommun = \"2260\"\nplatform = \"meetingsplus\"\nurl = \"https://x\""), source("id = \"a\"\nkommun = \"2260\"\nplatform = \"meetingsplus\"\nurl = \"https://y\"")), "source `a`: duplicate id"),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"lex\"\nurl = \"https://x\""), "unknown variant `lex`"),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"meetingsplus\"\nurl = \"https://x\"\nboardd = \"x\""), "unknown field `boardd`"),
            ("[[sources]]\nid = \"a\"".to_string(), "unknown field `sources`"),
        ];
        for (text, expected) in cases {
            let error = Catalogue::parse(&text).unwrap_err().to_string();
            assert!(error.contains(expected), "{text}\n→ {error}");
        }
    }

    #[test]
    fn reports_every_problem_at_once() {
        let text = "[[source]]\nid = \"a\"\nplatform = \"netpublicator\"\n\n[[source]]\nid = \"b\"\nkommun = \"0\"\nplatform = \"file\"\n";
        let CatalogueError::Invalid(problems) = Catalogue::parse(text).unwrap_err() else { panic!("expected Invalid") };
        assert_eq!(problems.len(), 5, "{problems:#?}");
    }
}
