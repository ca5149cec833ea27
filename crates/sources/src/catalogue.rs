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
//! Every table has the common fields above ([`SourceConfig`]); `platform` chooses the variant of
//! [`SourceParams`] that reads the rest — each platform's params struct, in the platform's own
//! module (`board` for Netpublicator, `path` and `portlet` for Sitevision, …), denies fields it
//! does not know. A table is read in two parts, common fields and params, so that a source with
//! several problems has them all reported at once, each naming the source and the field; an
//! unknown field, a field of another platform, a missing required field and a duplicate id are
//! all errors.

use std::collections::HashSet;

use namndsok_model::Registry;
use serde::Deserialize;

use crate::adapter::Problem;
use crate::platform::{Platform, SourceParams};
use crate::SourceContext;

/// Default request rate when a source does not set one.
pub const DEFAULT_RATE_PER_SECOND: f64 = 1.0;

/// A validated source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceConfig {
    pub id: String,
    /// Kommunkod or länskod; `None` only for local sources (files), whose lines carry their own.
    pub kommun_kod: Option<String>,
    /// Base URL without a trailing slash (empty for local sources).
    pub url: String,
    /// The platform and its params.
    pub params: SourceParams,
    pub rate_per_second: f64,
    pub stale_after_days: Option<u32>,
}

impl SourceConfig {
    pub fn platform(&self) -> Platform {
        self.params.platform()
    }

    /// The context the parsers need. Sources without a kommun get an empty kommunkod, which
    /// the file adapter does not use.
    pub fn context(&self) -> SourceContext {
        SourceContext::new(&self.id, self.kommun_kod.clone().unwrap_or_default(), self.platform().as_str(), &self.url)
    }
}

/// The whole catalogue.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Catalogue {
    pub sources: Vec<SourceConfig>,
}

/// Why a catalogue was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("sources file is not valid TOML for the catalogue: {0}")]
    Toml(String),
    #[error("sources file has {} problem(s):\n{}", .0.len(), .0.join("\n"))]
    Invalid(Vec<String>),
}

/// The file: `[[source]]` tables, each read in two parts (see the module documentation).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    source: Vec<toml::Table>,
}

/// The fields every `[[source]]` table has, whatever its platform.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommonFields {
    id: String,
    kommun: Option<String>,
    url: Option<String>,
    rate_per_second: Option<f64>,
    stale_after_days: Option<u32>,
}

/// The keys of [`CommonFields`]; every other key of a table belongs to [`SourceParams`].
const COMMON_FIELDS: [&str; 5] = ["id", "kommun", "url", "rate_per_second", "stale_after_days"];

impl Catalogue {
    /// Parses and validates a sources file; every problem is reported, not only the first.
    pub fn parse(text: &str) -> Result<Catalogue, CatalogueError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| CatalogueError::Toml(e.to_string()))?;
        let mut problems = Vec::new();
        let mut seen = HashSet::new();
        let mut sources = Vec::new();
        for (index, mut table) in raw.source.into_iter().enumerate() {
            let common: toml::Table =
                COMMON_FIELDS.iter().filter_map(|&key| Some((key.to_string(), table.remove(key)?))).collect();
            let id = common.get("id").and_then(toml::Value::as_str).unwrap_or_default().to_string();
            let label = if id.trim().is_empty() { format!("#{}", index + 1) } else { id.clone() };
            if !seen.insert(id) {
                problems.push(format!("source `{label}`: duplicate id"));
                continue;
            }
            let remote = table
                .get("platform")
                .and_then(toml::Value::as_str)
                .and_then(Platform::from_name)
                .is_none_or(Platform::is_remote);
            let serde_problem = |error: toml::de::Error| format!("source `{label}`: {}", error.message().trim());
            let common = toml::Value::Table(common).try_into::<CommonFields>().map_err(serde_problem);
            let params = toml::Value::Table(table).try_into::<SourceParams>().map_err(serde_problem);
            let (common, params) = match (common, params) {
                (Ok(common), Ok(params)) => (common, params),
                (Ok(common), Err(params_problem)) => {
                    problems
                        .extend(check_common(&common, remote).err().into_iter().flatten().map(|p| labelled(&label, p)));
                    problems.push(params_problem);
                    continue;
                }
                (Err(common_problem), params) => {
                    problems.push(common_problem);
                    problems.extend(params.err());
                    continue;
                }
            };
            match validate(common, params) {
                Ok(valid) => sources.push(valid),
                Err(found) => problems.extend(found.into_iter().map(|p| labelled(&label, p))),
            }
        }
        if problems.is_empty() {
            Ok(Catalogue { sources })
        } else {
            Err(CatalogueError::Invalid(problems))
        }
    }

    pub fn get(&self, id: &str) -> Option<&SourceConfig> {
        self.sources.iter().find(|source| source.id == id)
    }

    /// How many sources use each platform.
    pub fn count_by_platform(&self) -> Vec<(Platform, usize)> {
        Platform::ALL.iter().map(|&p| (p, self.sources.iter().filter(|s| s.platform() == p).count())).collect()
    }
}

fn labelled(label: &str, (field, problem): Problem) -> String {
    format!("source `{label}`: field `{field}` {problem}")
}

/// The kommunkod and base URL, checked; `remote` sources need both.
fn check_common(common: &CommonFields, remote: bool) -> Result<(Option<String>, String), Vec<Problem>> {
    let mut problems: Vec<Problem> = Vec::new();
    let id = &common.id;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_') {
        problems.push(("id", format!("is {id:?}; use lowercase ASCII letters, digits, `-` and `_`")));
    }
    let kommun_kod = match &common.kommun {
        Some(code) if Registry::global().by_code(code).is_some() => Some(code.clone()),
        Some(code) => {
            problems.push(("kommun", format!("is {code:?}, not a kommunkod or länskod in the registry")));
            None
        }
        None if remote => {
            problems.push(("kommun", "is required".into()));
            None
        }
        None => None,
    };
    let url = match &common.url {
        Some(url) if url.starts_with("https://") || url.starts_with("http://") => url.trim_end_matches('/').to_string(),
        Some(url) => {
            problems.push(("url", format!("is {url:?}, expected an http(s) base URL")));
            String::new()
        }
        None if remote => {
            problems.push(("url", "is required for a source on the web".into()));
            String::new()
        }
        None => String::new(),
    };
    if let Some(rate) = common.rate_per_second {
        if !(rate.is_finite() && rate > 0.0 && rate <= 100.0) {
            problems.push(("rate_per_second", format!("is {rate}, expected a number above 0 and at most 100")));
        }
    }
    if common.stale_after_days == Some(0) {
        problems.push(("stale_after_days", "is 0, expected at least 1".into()));
    }
    if problems.is_empty() {
        Ok((kommun_kod, url))
    } else {
        Err(problems)
    }
}

fn validate(common: CommonFields, params: SourceParams) -> Result<SourceConfig, Vec<Problem>> {
    let checked = check_common(&common, params.platform().is_remote());
    let mut problems = checked.as_ref().err().cloned().unwrap_or_default();
    problems.extend(params.check());
    match checked {
        Ok((kommun_kod, url)) if problems.is_empty() => Ok(SourceConfig {
            id: common.id,
            kommun_kod,
            url,
            params,
            rate_per_second: common.rate_per_second.unwrap_or(DEFAULT_RATE_PER_SECOND),
            stale_after_days: common.stale_after_days,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use namndsok_model::Kind;

    use super::*;
    use crate::ciceron::CiceronParams;
    use crate::wordpress::WordPressParams;

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
        assert_eq!(
            eslov.params,
            SourceParams::WordPress(WordPressParams { post_type: "anslag".into(), kind: Kind::Anslag })
        );
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
            catalogue.get("x-cic").unwrap().params,
            SourceParams::Ciceron(CiceronParams { doctype: 2, search_id: "namndsok".into(), kind: Kind::Anslag })
        );
        assert_eq!(
            catalogue.get("x-diarium").unwrap().params,
            SourceParams::Ciceron(CiceronParams { doctype: 2, search_id: "diarium".into(), kind: Kind::Arende })
        );
        assert_eq!(catalogue.get("x-file").unwrap().kommun_kod, None);
        let context = catalogue.get("x-sv").unwrap().context();
        assert_eq!((context.kommun_kod.as_str(), context.platform), ("1440", "sitevision"));
    }

    #[test]
    fn names_the_source_and_field_of_each_problem() {
        let source = |body: &str| format!("[[source]]\n{body}\n");
        let cases = [
            (source("id = \"a\"\nkommun = \"9999\"\nplatform = \"meetingsplus\"\nurl = \"https://x\""), "source `a`: field `kommun`"),
            (source("id = \"a\"\nplatform = \"meetingsplus\"\nurl = \"https://x\""), "source `a`: field `kommun` is required"),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"meetingsplus\"\nurl = \"ftp://x\""), "source `a`: field `url`"),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"meetingsplus\""), "source `a`: field `url` is required"),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"netpublicator\"\nurl = \"https://x\""), "source `a`: missing field `board`"),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"netpublicator\"\nurl = \"https://x\"\nboard = \"not a board\""), "source `a`: field `board` is \"not a board\""),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"meetingsplus\"\nurl = \"https://x\"\nboard = \"abc\""), "source `a`: unknown field `board`"),
            (source("id = \"a\"\nkommun = \"2260\"\nplatform = \"wordpress\"\nurl = \"https://x\""), "source `a`: missing field `post_type`"),
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

    /// Every catalogue in `index-config/` parses.
    #[test]
    fn parses_every_catalogue_in_index_config() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../index-config");
        let mut parsed = 0;
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !(name.starts_with("sources") && name.ends_with(".toml")) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let catalogue = Catalogue::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!catalogue.sources.is_empty(), "{name}");
            parsed += 1;
        }
        assert!(parsed >= 1, "no catalogue in {}", folder.display());
    }

    /// `tests/fixtures/catalogue/valid-*.toml` parse; each `invalid-*.toml` is refused with the
    /// problem its first line (`# expect: …`) names.
    #[test]
    fn accepts_and_refuses_the_catalogue_fixtures() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalogue");
        let mut seen = (0, 0);
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            if name.starts_with("valid-") {
                let catalogue = Catalogue::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
                let platforms: HashSet<Platform> = catalogue.sources.iter().map(SourceConfig::platform).collect();
                assert_eq!(platforms.len(), Platform::ALL.len(), "{name} should have every platform");
                seen.0 += 1;
            } else {
                let expected = text.lines().next().and_then(|line| line.strip_prefix("# expect: ")).unwrap();
                let error = Catalogue::parse(&text).expect_err(&name).to_string();
                assert!(error.contains(expected), "{name}: {error}");
                seen.1 += 1;
            }
        }
        assert!(seen.0 >= 1 && seen.1 >= 3, "{seen:?}");
    }
}
