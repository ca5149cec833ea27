//! Nämndsök's index: one tantivy index in one directory, its schema and analyzers described by
//! `index-config/`, and the search that runs on it.
//!
//! - [`config`]: `schema.toml` and `analyzers.toml`, parsed and checked (benchmarks adjust the
//!   parsed values through [`SearchIndex::create_in_ram_with`], never the text).
//! - [`SearchIndex`]: opening (and refusing an index built with other analysis), upserting
//!   documents, atomic commits.
//! - [`import`]: Document JSON v1 files in (through the model's one NDJSON reader), a report of
//!   what was imported and rejected out.
//! - [`query`]: the query language people type, parsed leniently into clauses.
//! - [`request`]: the typed search — [`SearchRequest`] (words, filters, order, page) and
//!   [`SearchOptions`] (typo tolerance, every word required).
//! - [`search`]: the orchestration — counting, tiers, pruning, collecting; `expand` builds the
//!   tantivy query from the clauses, `hits` shapes hits, snippets and facets; underneath,
//!   `tier` (the query types), `prune` (block-max WAND and sampled counts past 200,000
//!   matches), `dates` (what an index kept newest first makes cheap), `fuzzy` (typos as
//!   terms), `facets` and [`cache`] (answers to repeated searches until the next commit).
//!
//! What it deliberately does not do: speak HTTP. Query-string parameters, cursors, status codes
//! and the JSON the API returns belong to `namndsok-server`; the index takes and returns typed
//! values. It also never fetches, schedules or alerts: documents are handed to it.
//!
//! Invariants: every document in the index passed `namndsok_model::Document` validation; the
//! index directory only ever changes through tantivy's atomic commit, so a crash leaves the last
//! committed state; an index is only searched with the analysis configuration it was built with.

pub mod cache;
pub mod config;
mod dates;
mod expand;
mod facets;
mod fuzzy;
mod hits;
pub mod import;
pub mod language;
mod prune;
pub mod query;
pub mod request;
pub mod search;
mod tier;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use namndsok_analysis::resources::ConfigFiles;
use namndsok_analysis::{Resources, Synonyms, TextAnalyzer};
use namndsok_model::{Document, Registry};
use serde::{Deserialize, Serialize};
use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use config::{RankingConfig, SchemaConfig};
pub use import::{ImportReport, RejectedLine};
pub use request::{SearchOptions, SearchRequest, Sort};
pub use search::{FacetValue, Facets, Hit, SearchResponse, SearchStrategy};

/// Errors of the index layer.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("index configuration: {0}")]
    Config(String),
    #[error("the index at {path} was built with another analysis configuration ({found}, now {expected}); rebuild it by importing into a new directory")]
    Incompatible { path: PathBuf, found: String, expected: String },
    #[error("{0} is not a Nämndsök index (it is not empty and has no namndsok.json)")]
    NotAnIndex(PathBuf),
    #[error("index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("search: {0}")]
    Search(String),
}

/// Written beside tantivy's files: what built this index.
#[derive(Debug, Serialize, Deserialize)]
struct IndexMarker {
    format: u32,
    analysis_version: String,
    config_fingerprint: String,
}

const MARKER_FILE: &str = "namndsok.json";
const WRITER_HEAP_BYTES: usize = 200_000_000;

/// How much a kommun or region has in the index, and how new it is.
#[derive(Debug, Clone, Serialize)]
pub struct KommunFreshness {
    pub code: String,
    pub documents: u64,
    pub newest: Option<chrono::NaiveDate>,
}

/// Tantivy fields by name.
pub(crate) struct Fields {
    by_name: HashMap<String, Field>,
}

impl Fields {
    pub(crate) fn get(&self, name: &str) -> Field {
        *self.by_name.get(name).unwrap_or_else(|| panic!("field {name} is checked at start-up"))
    }
}

/// The analyzers the query side runs itself.
#[derive(Clone)]
pub(crate) struct QueryAnalyzers {
    pub sv: TextAnalyzer,
    pub sv_fold: TextAnalyzer,
    pub sv_exact: TextAnalyzer,
    pub sv_highlight: TextAnalyzer,
}

/// How a new index is laid out: documents newest first within every segment (tantivy keeps
/// the order through merges), so that a date range is a run of document ids and a date-sorted
/// page is a segment's first matches (see [`dates`]). Indexes created before this was the
/// layout keep working, through the slower general paths.
fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        sort_by_field: Some(tantivy::IndexSortByField { field: "date".to_string(), order: tantivy::Order::Desc }),
        ..Default::default()
    }
}

/// A Nämndsök index: open it, write to it, search it.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<Option<IndexWriter>>,
    pub(crate) fields: Fields,
    pub(crate) schema_config: SchemaConfig,
    pub(crate) analyzers: QueryAnalyzers,
    pub(crate) resources: Arc<Resources>,
    pub(crate) synonyms: Synonyms,
    /// The same groups keyed by their ASCII-folded form, for words typed without å/ä/ö.
    pub(crate) synonyms_folded: Synonyms,
    /// One-word kommun names (and their ASCII-folded forms), lowercase → kommunkoder.
    pub(crate) place_names: HashMap<String, Vec<String>>,
    pub(crate) registry: &'static Registry,
    fingerprint: String,
    all_analyzers: std::collections::BTreeMap<String, TextAnalyzer>,
    /// How searches visit their matches: [`search::SearchStrategy`] as a number.
    strategy: std::sync::atomic::AtomicU8,
    /// Matches counted exactly before counts are estimated from a sample.
    pub(crate) count_budget: std::sync::atomic::AtomicU64,
    /// Every segment's documents are newest first (see [`dates`]).
    pub(crate) newest_first: bool,
    /// Answers to repeated searches.
    pub(crate) cache: cache::ResultCache,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when the directory is absent or empty.
    pub fn open_or_create(dir: &Path, files: ConfigFiles) -> Result<SearchIndex, IndexError> {
        let fingerprint = files.fingerprint();
        let (schema_config, analyzers_config) = SchemaConfig::parse(&files)?;
        let resources = Arc::new(Resources::load(files));
        let schema = build_schema(&schema_config)?;

        std::fs::create_dir_all(dir)?;
        let marker_path = dir.join(MARKER_FILE);
        let is_empty = std::fs::read_dir(dir)?.next().is_none();
        let index = if is_empty {
            let index = Index::builder().schema(schema).settings(index_settings()).create_in_dir(dir)?;
            write_marker(&marker_path, &fingerprint)?;
            index
        } else {
            let marker: IndexMarker = match std::fs::read_to_string(&marker_path) {
                Ok(text) => serde_json::from_str(&text).map_err(|_| IndexError::NotAnIndex(dir.to_path_buf()))?,
                Err(_) => return Err(IndexError::NotAnIndex(dir.to_path_buf())),
            };
            if marker.config_fingerprint != fingerprint {
                return Err(IndexError::Incompatible {
                    path: dir.to_path_buf(),
                    found: format!("{}/{}", marker.analysis_version, marker.config_fingerprint),
                    expected: format!("{}/{}", namndsok_analysis::ANALYSIS_VERSION, fingerprint),
                });
            }
            Index::open_in_dir(dir)?
        };
        Self::from_index(index, schema_config, &analyzers_config, resources, fingerprint)
    }

    /// An index in memory (tests, benchmarks, matching batches).
    pub fn create_in_ram(files: ConfigFiles) -> Result<SearchIndex, IndexError> {
        Self::create_in_ram_with(files, |_, _| {})
    }

    /// An index in memory whose parsed configuration `adjust` changes first (benchmarks that
    /// compare with weights or filters switched off). The changed configuration is validated
    /// like a file.
    pub fn create_in_ram_with(
        files: ConfigFiles,
        adjust: impl FnOnce(&mut SchemaConfig, &mut config::AnalyzersConfig),
    ) -> Result<SearchIndex, IndexError> {
        let (mut schema_config, mut analyzers_config) = SchemaConfig::parse(&files)?;
        adjust(&mut schema_config, &mut analyzers_config);
        SchemaConfig::validate(&schema_config, &analyzers_config)?;
        let fingerprint = files.fingerprint();
        let resources = Arc::new(Resources::load(files));
        let index =
            Index::builder().schema(build_schema(&schema_config)?).settings(index_settings()).create_in_ram()?;
        Self::from_index(index, schema_config, &analyzers_config, resources, fingerprint)
    }

    fn from_index(
        mut index: Index,
        schema_config: SchemaConfig,
        analyzers_config: &config::AnalyzersConfig,
        resources: Arc<Resources>,
        fingerprint: String,
    ) -> Result<SearchIndex, IndexError> {
        let mut built = std::collections::BTreeMap::new();
        for (name, spec) in &analyzers_config.analyzers {
            let analyzer = spec.build(&resources).map_err(|e| IndexError::Config(format!("analyzer `{name}`: {e}")))?;
            index.tokenizers().register(name, analyzer.clone());
            built.insert(name.clone(), analyzer);
        }
        let analyzers = QueryAnalyzers {
            sv: built["sv"].clone(),
            sv_fold: built["sv_fold"].clone(),
            sv_exact: built["sv_exact"].clone(),
            sv_highlight: built["sv_highlight"].clone(),
        };
        let schema = index.schema();
        let by_name = schema_config
            .fields
            .keys()
            .map(|name| schema.get_field(name).map(|field| (name.clone(), field)))
            .collect::<Result<HashMap<_, _>, _>>()?;
        // Synonym keys are compared in the main field's analysis, like the query words.
        let mut key_analyzer = analyzers.sv.clone();
        let synonyms = Synonyms::parse(resources.files.get("sv/synonyms.txt"), |term| {
            namndsok_analysis::token_texts(&mut key_analyzer, term).join(" ")
        })
        .map_err(|e| IndexError::Config(e.to_string()))?;
        let mut fold_analyzer = analyzers.sv.clone();
        let synonyms_folded = Synonyms::parse(resources.files.get("sv/synonyms.txt"), |term| {
            namndsok_analysis::AsciiFold::fold(&namndsok_analysis::token_texts(&mut fold_analyzer, term).join(" "))
        })
        .map_err(|e| IndexError::Config(e.to_string()))?;
        let mut place_names: HashMap<String, Vec<String>> = HashMap::new();
        for organisation in Registry::global().kommuner() {
            let name = organisation.name.to_lowercase();
            if name.contains(' ') {
                continue;
            }
            for key in [name.clone(), namndsok_analysis::AsciiFold::fold(&name)] {
                let codes = place_names.entry(key).or_default();
                if !codes.contains(&organisation.code) {
                    codes.push(organisation.code.clone());
                }
            }
        }
        // A search runs its segments in parallel, one thread per core (at most four): a query
        // over millions of matches is bounded by the biggest segment, not by all of them.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
        if threads > 1 {
            index.set_multithread_executor(threads)?;
        }
        // Read-after-write: reloads happen right after our own commits, not on a timer.
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(SearchIndex {
            newest_first: dates::newest_first(&index),
            cache: cache::ResultCache::new(cache::DEFAULT_CAPACITY),
            index,
            reader,
            writer: Mutex::new(None),
            fields: Fields { by_name },
            schema_config,
            analyzers,
            resources,
            synonyms,
            synonyms_folded,
            place_names,
            registry: Registry::global(),
            fingerprint,
            all_analyzers: built,
            strategy: std::sync::atomic::AtomicU8::new(0),
            count_budget: std::sync::atomic::AtomicU64::new(prune::COUNT_BUDGET),
        })
    }

    /// `text` analysed in a foreign language, each token tagged (`en:factori`).
    fn foreign_tokens(&self, language: &str, text: &str) -> tantivy::tokenizer::PreTokenizedString {
        let mut tokens = self.analyze(language, text).unwrap_or_default();
        for token in &mut tokens {
            token.text = format!("{language}:{}", token.text);
        }
        tantivy::tokenizer::PreTokenizedString { text: text.to_string(), tokens }
    }

    /// A query word's tagged tokens in every foreign language (`en:factori`, `fi:…`).
    pub(crate) fn foreign_query_tokens(&self, word: &str) -> Vec<String> {
        let mut tokens = Vec::new();
        for language in language::FOREIGN_LANGUAGES {
            for token in self.analyze(language, word).unwrap_or_default() {
                let tagged = format!("{language}:{}", token.text);
                if !tokens.contains(&tagged) {
                    tokens.push(tagged);
                }
            }
        }
        tokens
    }

    /// The names of the configured analyzers.
    pub fn analyzer_names(&self) -> Vec<String> {
        self.all_analyzers.keys().cloned().collect()
    }

    /// The tokens `text` produces in the named analyzer.
    pub fn analyze(&self, analyzer: &str, text: &str) -> Result<Vec<namndsok_analysis::Token>, IndexError> {
        let mut analyzer = self
            .all_analyzers
            .get(analyzer)
            .cloned()
            .ok_or_else(|| IndexError::Config(format!("unknown analyzer {analyzer:?}")))?;
        Ok(namndsok_analysis::tokens(&mut analyzer, text))
    }

    /// The configuration fingerprint this index was built with.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// How searches visit their matches (default [`SearchStrategy::Auto`]).
    pub fn set_strategy(&self, strategy: SearchStrategy) {
        let value = match strategy {
            SearchStrategy::Auto => 0,
            SearchStrategy::Exhaustive => 1,
            SearchStrategy::Pruned => 2,
        };
        self.strategy.store(value, std::sync::atomic::Ordering::Relaxed);
    }

    pub(crate) fn strategy(&self) -> SearchStrategy {
        match self.strategy.load(std::sync::atomic::Ordering::Relaxed) {
            1 => SearchStrategy::Exhaustive,
            2 => SearchStrategy::Pruned,
            _ => SearchStrategy::Auto,
        }
    }

    /// Matches counted exactly before `total` and the facets are estimated from a sample
    /// (default 20,000; lower in tests that exercise sampling on a small index).
    pub fn set_count_budget(&self, budget: u64) {
        self.count_budget.store(budget.max(1), std::sync::atomic::Ordering::Relaxed);
    }

    /// Answers kept for repeated searches until the next commit (default
    /// [`cache::DEFAULT_CAPACITY`]; 0 turns the cache off, as benchmarks of search cost do).
    pub fn set_cache_capacity(&self, capacity: usize) {
        self.cache.set_capacity(capacity);
    }

    /// The number of searchable documents.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether a document with this id is in the committed index.
    pub fn contains(&self, id: &str) -> Result<bool, IndexError> {
        let term = Term::from_field_text(self.fields.get("id"), id);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        Ok(self.reader.searcher().search(&query, &Count)? > 0)
    }

    /// Adds or replaces documents (by id) and commits them atomically. Returns how many
    /// replaced an existing document.
    pub fn upsert(&self, documents: &[Document]) -> Result<usize, IndexError> {
        let mut replaced = 0;
        let mut seen = std::collections::HashSet::new();
        let mut guard = self.writer.lock().expect("writer lock poisoned");
        let writer = match guard.as_mut() {
            Some(writer) => writer,
            None => guard.insert(self.index.writer(WRITER_HEAP_BYTES)?),
        };
        for document in documents {
            if !seen.insert(document.id.as_str()) || self.contains(&document.id)? {
                replaced += 1;
            }
            writer.delete_term(Term::from_field_text(self.fields.get("id"), &document.id));
            writer.add_document(self.to_tantivy(document))?;
        }
        match writer.commit() {
            Ok(_) => {}
            Err(error) => {
                // Drop what was not committed; the index stays at its last commit.
                writer.rollback()?;
                return Err(error.into());
            }
        }
        self.reader.reload()?;
        Ok(replaced)
    }

    /// Removes documents by id and commits.
    pub fn delete(&self, ids: &[&str]) -> Result<(), IndexError> {
        let mut guard = self.writer.lock().expect("writer lock poisoned");
        let writer = match guard.as_mut() {
            Some(writer) => writer,
            None => guard.insert(self.index.writer(WRITER_HEAP_BYTES)?),
        };
        for id in ids {
            writer.delete_term(Term::from_field_text(self.fields.get("id"), id));
        }
        writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Per kommun or region code: the number of documents and the date of the newest one.
    pub fn freshness(&self) -> Result<Vec<KommunFreshness>, IndexError> {
        let counts = self.searcher().search(&tantivy::query::AllQuery, &facets::FreshnessCollector)?;
        let mut rows: Vec<KommunFreshness> = counts
            .by_kommun
            .into_iter()
            .map(|(code, (documents, newest))| KommunFreshness {
                code,
                documents,
                newest: chrono::NaiveDate::parse_from_str(&newest.to_string(), "%Y%m%d").ok(),
            })
            .collect();
        rows.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(rows)
    }

    /// Removes anslag whose anslag period ended before `cutoff` (a deployment's retention
    /// setting for expired notices). Returns how many were removed.
    pub fn delete_expired_anslag(&self, cutoff: chrono::NaiveDate) -> Result<u64, IndexError> {
        use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery};
        let publish_to = self.fields.get("publish_to");
        let ended: Box<dyn Query> = Box::new(RangeQuery::new(
            std::ops::Bound::Included(Term::from_field_u64(publish_to, 1)),
            std::ops::Bound::Excluded(Term::from_field_u64(publish_to, search::yyyymmdd(cutoff))),
        ));
        let anslag: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(self.fields.get("kind"), namndsok_model::Kind::Anslag.as_str()),
            IndexRecordOption::Basic,
        ));
        let query = BooleanQuery::new(vec![(Occur::Must, ended), (Occur::Must, anslag)]);
        let expired = self.searcher().search(&query, &Count)? as u64;
        if expired == 0 {
            return Ok(0);
        }
        let mut guard = self.writer.lock().expect("writer lock poisoned");
        let writer = match guard.as_mut() {
            Some(writer) => writer,
            None => guard.insert(self.index.writer(WRITER_HEAP_BYTES)?),
        };
        writer.delete_query(Box::new(query))?;
        writer.commit()?;
        self.reader.reload()?;
        Ok(expired)
    }

    /// One document by id.
    pub fn get(&self, id: &str) -> Result<Option<Document>, IndexError> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(Term::from_field_text(self.fields.get("id"), id), IndexRecordOption::Basic);
        let top = searcher.search(&query, &tantivy::collector::TopDocs::with_limit(1).order_by_score())?;
        match top.first() {
            Some((_, address)) => Ok(Some(self.stored_document(&searcher, *address)?)),
            None => Ok(None),
        }
    }

    pub(crate) fn stored_document(
        &self,
        searcher: &tantivy::Searcher,
        address: tantivy::DocAddress,
    ) -> Result<Document, IndexError> {
        use tantivy::schema::Value;
        let stored: TantivyDocument = searcher.doc(address)?;
        let json = stored
            .get_first(self.fields.get("doc"))
            .and_then(|value| value.as_str())
            .ok_or_else(|| IndexError::Search("stored document is missing".into()))?;
        serde_json::from_str(json).map_err(|e| IndexError::Search(format!("stored document is unreadable: {e}")))
    }

    pub(crate) fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// The tantivy document for a validated document, field by field as `schema.toml` says.
    fn to_tantivy(&self, document: &Document) -> TantivyDocument {
        use config::FieldSource;
        let mut out = TantivyDocument::default();
        let yyyymmdd = |date: chrono::NaiveDate| date.format("%Y%m%d").to_string().parse::<u64>().unwrap_or(0);
        let lan = self.registry.by_code(&document.kommun_kod).map(|o| o.lan_code.clone()).unwrap_or_default();
        let language = language::detect(document);
        for (name, field_config) in &self.schema_config.fields {
            let field = self.fields.get(name);
            match field_config.source {
                FieldSource::Id => out.add_text(field, &document.id),
                FieldSource::Json => out.add_text(field, document.to_json().to_string()),
                FieldSource::Kind => out.add_text(field, document.kind.as_str()),
                FieldSource::KommunKod => out.add_text(field, &document.kommun_kod),
                FieldSource::Lan => out.add_text(field, &lan),
                FieldSource::Organ => {
                    if let Some(organ) = &document.organ {
                        out.add_text(field, organ);
                    }
                }
                FieldSource::Date => out.add_u64(field, yyyymmdd(document.date)),
                FieldSource::Year => out.add_u64(field, u64::from(chrono::Datelike::year(&document.date) as u32)),
                FieldSource::PublishTo => out.add_u64(field, document.publish_to.map_or(0, yyyymmdd)),
                FieldSource::Title => out.add_text(field, &document.title),
                FieldSource::Body => {
                    if let Some(body) = &document.body {
                        out.add_text(field, body);
                    }
                }
                FieldSource::CaseNumber => {
                    if let Some(case) = document.case_number() {
                        add_case_keys(&mut out, field, &case);
                        let spelled = document.diarienummer.as_deref().unwrap_or_default();
                        out.add_text(field, namndsok_model::CaseNumber::spelling_key(spelled));
                    }
                }
                FieldSource::TitleForeign | FieldSource::BodyForeign if language != "sv" => {
                    let text = if field_config.source == FieldSource::TitleForeign {
                        document.title.as_str()
                    } else {
                        document.body.as_deref().unwrap_or("")
                    };
                    out.add_field_value(field, &self.foreign_tokens(language, text));
                }
                FieldSource::TitleForeign | FieldSource::BodyForeign => {}
                FieldSource::CaseReferences => {
                    for case in document.referenced_case_numbers() {
                        add_case_keys(&mut out, field, &case);
                    }
                }
            }
        }
        out
    }
}

fn add_case_keys(out: &mut TantivyDocument, field: Field, case: &namndsok_model::CaseNumber) {
    out.add_text(field, case.key());
    if case.series.is_some() {
        out.add_text(field, case.key_without_series());
    }
}

fn build_schema(config: &SchemaConfig) -> Result<Schema, IndexError> {
    use config::{FieldType, IndexDepth};
    let mut builder = Schema::builder();
    for (name, field) in &config.fields {
        match field.field_type {
            FieldType::Text => {
                let record = match field.index {
                    IndexDepth::Positions => IndexRecordOption::WithFreqsAndPositions,
                    IndexDepth::Freqs => IndexRecordOption::WithFreqs,
                    IndexDepth::Basic => IndexRecordOption::Basic,
                };
                let analyzer = field.analyzer.as_deref().unwrap_or("sv");
                let options = TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default().set_tokenizer(analyzer).set_index_option(record),
                );
                builder.add_text_field(name, options);
            }
            FieldType::Keyword => {
                let options = if field.fast { STRING | FAST } else { STRING };
                builder.add_text_field(name, options);
            }
            FieldType::U64 => {
                let options = NumericOptions::default().set_indexed();
                let options = if field.fast { options.set_fast() } else { options };
                builder.add_u64_field(name, options);
            }
            FieldType::Stored => {
                builder.add_text_field(name, STORED);
            }
        }
    }
    Ok(builder.build())
}

fn write_marker(path: &Path, fingerprint: &str) -> Result<(), IndexError> {
    let marker = IndexMarker {
        format: 1,
        analysis_version: namndsok_analysis::ANALYSIS_VERSION.to_string(),
        config_fingerprint: fingerprint.to_string(),
    };
    let temporary = path.with_extension("json.tmp");
    std::fs::write(&temporary, serde_json::to_vec_pretty(&marker).expect("marker serialises"))?;
    std::fs::rename(&temporary, path)?;
    Ok(())
}
