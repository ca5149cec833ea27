//! `index-config/schema.toml` and `analyzers.toml`, parsed and checked.

use std::collections::BTreeMap;

use namndsok_analysis::resources::ConfigFiles;
use namndsok_analysis::AnalyzerSpec;
use serde::Deserialize;

use crate::IndexError;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaConfig {
    pub fields: BTreeMap<String, FieldConfig>,
    pub ranking: RankingConfig,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Text,
    Keyword,
    U64,
    Stored,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum IndexDepth {
    #[default]
    Positions,
    Freqs,
    Basic,
}

/// Which property of a document fills a field.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FieldSource {
    Id,
    Json,
    Kind,
    KommunKod,
    Lan,
    Organ,
    Date,
    Year,
    PublishTo,
    Title,
    Body,
    CaseNumber,
    CaseReferences,
    /// The title in its own language's analysis, for documents not in Swedish.
    TitleForeign,
    /// The body in its own language's analysis, for documents not in Swedish.
    BodyForeign,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldConfig {
    #[serde(rename = "type")]
    pub field_type: FieldType,
    pub source: FieldSource,
    #[serde(default)]
    pub analyzer: Option<String>,
    #[serde(default)]
    pub index: IndexDepth,
    #[serde(default)]
    pub fast: bool,
}

/// Weights of the ways a query can match; see `schema.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankingConfig {
    pub title: f32,
    pub body: f32,
    pub parts: f32,
    pub fold: f32,
    pub synonym: f32,
    pub fuzzy: f32,
    pub case_number: f32,
    pub case_reference: f32,
    pub phrase: f32,
    pub place_name: f32,
    pub recency: f32,
    pub fuzzy_below: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalyzersConfig {
    pub analyzers: BTreeMap<String, AnalyzerSpec>,
}

/// Fields the search code addresses by name; the schema must define all of them.
pub const REQUIRED_FIELDS: &[(&str, FieldType)] = &[
    ("id", FieldType::Keyword),
    ("doc", FieldType::Stored),
    ("kind", FieldType::Keyword),
    ("kommun_kod", FieldType::Keyword),
    ("lan", FieldType::Keyword),
    ("organ", FieldType::Keyword),
    ("date", FieldType::U64),
    ("year", FieldType::U64),
    ("publish_to", FieldType::U64),
    ("title", FieldType::Text),
    ("body", FieldType::Text),
    ("title_parts", FieldType::Text),
    ("body_parts", FieldType::Text),
    ("title_fold", FieldType::Text),
    ("body_fold", FieldType::Text),
    ("title_grams", FieldType::Text),
    ("body_grams", FieldType::Text),
    ("title_foreign", FieldType::Text),
    ("body_foreign", FieldType::Text),
    ("dnr", FieldType::Keyword),
    ("dnr_ref", FieldType::Keyword),
];

/// Analyzers the query code uses directly.
pub const REQUIRED_ANALYZERS: &[&str] =
    &["sv", "sv_parts", "sv_fold", "sv_exact", "sv_grams", "sv_highlight", "keyword", "en", "fi", "de"];

impl SchemaConfig {
    pub fn parse(files: &ConfigFiles) -> Result<(SchemaConfig, AnalyzersConfig), IndexError> {
        let schema: SchemaConfig = toml::from_str(files.get("schema.toml"))
            .map_err(|e| IndexError::Config(format!("schema.toml: {}", e.message())))?;
        let analyzers: AnalyzersConfig = toml::from_str(files.get("analyzers.toml"))
            .map_err(|e| IndexError::Config(format!("analyzers.toml: {}", e.message())))?;
        Self::validate(&schema, &analyzers)?;
        Ok((schema, analyzers))
    }

    /// Checks that the schema has every field and analyzer the search code needs.
    pub fn validate(schema: &SchemaConfig, analyzers: &AnalyzersConfig) -> Result<(), IndexError> {
        for (name, field_type) in REQUIRED_FIELDS {
            match schema.fields.get(*name) {
                None => return Err(IndexError::Config(format!("schema.toml: field `{name}` is missing"))),
                Some(field) if field.field_type != *field_type => {
                    return Err(IndexError::Config(format!(
                        "schema.toml: field `{name}` must be of type {field_type:?}"
                    )))
                }
                Some(_) => {}
            }
        }
        for (name, field) in &schema.fields {
            if field.field_type == FieldType::Text {
                let analyzer = field.analyzer.as_deref().unwrap_or("");
                if !analyzers.analyzers.contains_key(analyzer) {
                    return Err(IndexError::Config(format!(
                        "schema.toml: field `{name}` uses unknown analyzer {analyzer:?}"
                    )));
                }
            }
        }
        for name in REQUIRED_ANALYZERS {
            if !analyzers.analyzers.contains_key(*name) {
                return Err(IndexError::Config(format!("analyzers.toml: analyzer `{name}` is missing")));
            }
        }
        Ok(())
    }
}
