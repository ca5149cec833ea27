//! From a [`SearchRequest`] to hits, facets and a cursor: the orchestration (counting, tiers,
//! pruning, collecting). How the query is built is in `expand.rs`, how hits and facets are shaped
//! in `hits.rs`.
//!
//! Each query word becomes a disjunction of the ways it can match, strongest first (weights in
//! `schema.toml` `[ranking]`):
//!
//! 1. the word itself, stemmed, in the title or body;
//! 2. the word as a part of a compound in the document (`fabrik` in `batterifabriken`), or the
//!    parts of the query word together in the document (`solcellspark` ~ `park för solceller`);
//! 3. a synonym of the word (`badhus` ~ `simhall`);
//! 4. the word with å/ä/ö ignored, when it was typed in plain ASCII (`forskola`);
//! 5. only when all of that finds fewer than `fuzzy_below` hits: the word within one or two
//!    edits (`medborgarförlsag`).
//!
//! A one-word kommun name (`Bodens`, `angelholm`) also matches that kommun's documents, since a
//! document about Boden rarely says "Boden". Typo tolerance also applies to a word the index
//! does not contain at all.
//!
//! The ways' scores are summed (BM25 across fields, as Elasticsearch's `most_fields`), so a
//! word that is in the title, in the body and a part of a compound there scores for each; a
//! query is then a sum of weighted term scores, which is what lets a large search be pruned
//! (see [`crate::prune`]).
//!
//! Words are matched in tiers: documents that match every word come first (`matched_all`
//! counts them), then documents that match most of the words (at least half), each tier ranked
//! by relevance. A tier adds [`TIER`] to the score, which is taken off again before scores are
//! shown. Sorting by date uses only the first tier: every word must match. A query that is a
//! diarienummer matches that case's documents, the case's own first.

use std::cell::Cell;
use std::collections::HashMap;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::query::{BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Order, Score, Searcher, SegmentOrdinal, SegmentReader, Term, TERMINATED};

use crate::dates::{self, DateRange, Edges};
use crate::facets::{FacetCollector, FacetCounts};
use crate::hits::to_hit;
use crate::prune;
use crate::query::{self, Clause};
use crate::request::{SearchRequest, Sort};
use crate::tier::{seekable, term_weights, ScoreBound, Weighted};
use crate::{IndexError, SearchIndex};

/// One hit.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub kind: &'static str,
    pub kommun_kod: String,
    pub kommun: String,
    pub organ: Option<String>,
    pub diarienummer: Option<String>,
    pub title: String,
    /// HTML: the source text escaped, matches wrapped in `<mark>`.
    pub snippet: String,
    pub date: NaiveDate,
    pub publish_from: Option<NaiveDate>,
    pub publish_to: Option<NaiveDate>,
    pub url: Option<String>,
    pub score: f32,
    /// The detected language (`sv`, `en`, `fi`, `de`); an addition to the contract.
    pub language: &'static str,
    /// The document this one is part of (a file's text: its item; a paragraph: its protokoll).
    pub part_of: Option<String>,
    /// The paragraph (§) number of a protokoll's paragraph.
    pub paragraph: Option<String>,
    /// The page of the file where the text starts.
    pub page: Option<u32>,
    /// `pdf` or `ocr` for text read from a file.
    pub text_origin: Option<&'static str>,
    /// The item's files.
    pub files: Vec<namndsok_model::FileLink>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub kommun: Vec<FacetValue>,
    pub kind: Vec<FacetValue>,
    pub organ: Vec<FacetValue>,
    pub year: Vec<FacetValue>,
}

/// What a search found: a page of hits, the total, facet counts.
#[derive(Debug, Clone)]
pub struct SearchResponse {
    pub total: usize,
    pub took_ms: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// How many of `total` match every word (the rest match most of them).
    pub matched_all: usize,
    /// True when the hits include typo-tolerant matches.
    pub fuzzy: bool,
    /// True when `total`, `matched_all` and the facet counts are estimates: a search matching
    /// more than about 200,000 documents counts an even sample of the index (about 20,000 of
    /// its matches) and scales it up.
    pub approximate: bool,
    /// The query holds a quoted phrase of two or more words: then `matched_all` counts the
    /// documents with every phrase word for word (they rank first), and 0 means no phrase was
    /// found and every hit is a looser match.
    pub has_phrase: bool,
}

/// Whether a clause is (or offers) a quoted phrase of two or more words.
fn has_phrase(clause: &Clause) -> bool {
    match clause {
        Clause::Phrase(words) => words.len() > 1 || words.iter().any(|w| w.split_whitespace().count() > 1),
        Clause::Any(alternatives) => alternatives.iter().any(has_phrase),
        Clause::Word(_) => false,
    }
}

/// Most organ facet values returned (kommun, kind and year are returned in full).
pub(crate) const MAX_ORGAN_FACETS: usize = 30;
pub(crate) const SNIPPET_CHARS: usize = 220;

/// Score added per matched query word, so documents matching more words rank above any
/// relevance difference (BM25 scores stay far below this).
pub const TIER: f32 = 10_000.0;

/// Score for an exact phrase match within a quoted clause (below [`TIER`]).
pub(crate) const PHRASE_TIER: f32 = 1_000.0;

/// What one pass over the matches yields: the total, facet counts, the page of hits, and how
/// many matches are in the top tier.
/// Total, facets, page, matches in the top tier, and whether the counts are exact.
pub(crate) type Collected = (usize, FacetCounts, Vec<(Score, DocAddress)>, usize, bool);

/// Weight of a compound query word matched by its modifier parts only, relative to all parts.
pub(crate) const PARTIAL_PARTS: f32 = 0.2;

/// How a text query is assembled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Mode<'a> {
    /// Typo tolerance at all ([`SearchOptions::typo_tolerance`]).
    pub(crate) typos: bool,
    /// Typo tolerance for every word (not only for words the index lacks).
    pub(crate) fuzzy: bool,
    /// Every word must match (no lower tiers).
    pub(crate) strict: bool,
    /// Not strict, but only the top tier: every word matches, loosely.
    pub(crate) top_tier: bool,
    /// With the proximity bonus (all words next to each other).
    pub(crate) proximity: bool,
    /// What a non-strict query added beyond the strict one, recorded while it is built.
    pub(crate) loosened: &'a Loosened,
}

/// How a non-strict query differs from the strict one. When it does not, the strict query's
/// count (`matched_all`) is the total, and when only tiers were added it is the size of the
/// top tier: either way the one pass over the matches yields it.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Loosened {
    /// Number of tiered words (0: no tiers).
    pub(crate) tiers: Cell<usize>,
    /// A word or a quoted clause itself matches more than strictly (compound modifiers alone,
    /// a phrase's words apart).
    pub(crate) within: Cell<bool>,
    /// Typo expansions by typed word, each term with its weight, so that the several queries
    /// of one search walk the term dictionaries and look up document frequencies once.
    pub(crate) expansions: std::cell::RefCell<HashMap<String, Vec<(Term, Score)>>>,
}

impl Loosened {
    pub(crate) fn reset(&self) {
        self.tiers.set(0);
        self.within.set(false);
    }
}

/// Matches (estimated) above which [`SearchStrategy::Auto`] prunes. Measured on the scale
/// bench: at 100,000 documents pruning a common word gains a little and loses on compounds
/// and many-word queries; at a million it wins in every class it applies to.
pub(crate) const PRUNE_ABOVE: u64 = 200_000;

/// How a search visits its matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchStrategy {
    /// Pruned ranking and estimated counts for a search matching more than 200,000 documents;
    /// every match scored and counted below that. The default.
    Auto,
    /// Every match scored and counted (for comparisons in tests and benchmarks).
    Exhaustive,
    /// Pruned ranking and estimated counts whenever the query allows, whatever the index size.
    Pruned,
}

/// Counts the documents `query` matches, stopping at `limit`: deciding whether typo tolerance
/// is needed takes a handful of matches, not a pass over millions.
pub(crate) fn count_up_to(searcher: &Searcher, query: &dyn Query, limit: usize) -> Result<usize, IndexError> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut count = 0;
    for reader in searcher.segment_readers() {
        let mut scorer = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|bits| bits.is_alive(doc)) {
                count += 1;
                if count >= limit {
                    return Ok(count);
                }
            }
            doc = scorer.advance();
        }
    }
    Ok(count)
}

impl SearchIndex {
    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse, IndexError> {
        let started = Instant::now();
        let searcher = self.searcher();
        let generation = searcher.generation().generation_id();
        let key = format!(
            "{request:?}|{:?}|{}|{}",
            self.strategy(),
            self.count_budget.load(std::sync::atomic::Ordering::Relaxed),
            chrono::Utc::now().date_naive()
        );
        if let Some(mut response) = self.cache.get(generation, &key) {
            response.took_ms = started.elapsed().as_millis() as u64;
            return Ok(response);
        }
        let response = self.search_uncached(searcher, request, started)?;
        self.cache.put(generation, key, &response);
        Ok(response)
    }

    fn search_uncached(
        &self,
        searcher: Searcher,
        request: &SearchRequest,
        started: Instant,
    ) -> Result<SearchResponse, IndexError> {
        let (parsed, narrowed, filters) = self.prepare(&searcher, request);
        let request = &narrowed;
        let sort = if parsed.is_empty() && request.sort == Sort::Relevance { Sort::DateDesc } else { request.sort };

        let loosened = Loosened::default();
        let typos = request.options.typo_tolerance;
        let mut mode =
            Mode { typos, fuzzy: false, strict: true, top_tier: false, proximity: true, loosened: &loosened };
        let fuzzy_below = self.schema_config.ranking.fuzzy_below;
        if typos && !parsed.required.is_empty() {
            let strict = self.combine(self.text_query(&searcher, &parsed, mode), &filters);
            mode.fuzzy = count_up_to(&searcher, strict.as_ref(), fuzzy_below)? < fuzzy_below;
        }
        mode.strict = sort != Sort::Relevance || request.options.every_word;
        loosened.reset();
        let text = self.text_query(&searcher, &parsed, mode);
        let query = self.combine(text.box_clone(), &filters);
        let (tiers, within) = (loosened.tiers.get(), loosened.within.get());
        let strict_query =
            || self.combine(self.text_query(&searcher, &parsed, Mode { strict: true, ..mode }), &filters);

        // A relevance search over a large index whose score is a sum of term scores is ranked
        // with pruning and counted by estimate, provided the page comes from the top tier alone.
        let wanted = request.offset + request.limit;
        let budget = self.count_budget.load(std::sync::atomic::Ordering::Relaxed);
        // A proximity bonus that is a phrase is left out of the bound: the documents that earn
        // it are ranked exhaustively first (they are few), and the bound holds for all others.
        // (When stop words leave a single word, the "phrase" is that word's terms: bounded.)
        let proximity = self
            .proximity_query(&parsed)
            .filter(|proximity| term_weights(proximity.as_ref(), 1.0, &mut HashMap::new()) != ScoreBound::Exact);
        let exhaustive = self.strategy() == SearchStrategy::Exhaustive;
        let bound = (!exhaustive && sort == Sort::Relevance && tiers > 0 && parsed.case_numbers.is_empty())
            .then(|| {
                let text = self.text_query(&searcher, &parsed, Mode { proximity: proximity.is_none(), ..mode });
                self.bound_query(text.as_ref())
            })
            .flatten();
        // Pruning pays off past a few hundred thousand matches; below that (a rarer word, a
        // kommun's documents) scoring every match is as fast and counts exactly. The pilot
        // sample that tells is the first step of the estimate if it prunes.
        let mut pilot = None;
        let bound = match (bound, self.strategy()) {
            (Some(bound), SearchStrategy::Auto) if searcher.num_docs() > PRUNE_ABOVE => {
                let estimate = prune::pilot(&searcher, query.as_ref())?;
                let large = estimate.total as u64 > PRUNE_ABOVE;
                pilot = Some(estimate);
                large.then_some(bound)
            }
            (bound, SearchStrategy::Pruned) => bound,
            _ => None,
        };
        // The documents that match every word (loosely): the page comes from them alone when
        // there are enough of them.
        let top_tier_query = (tiers > 1)
            .then(|| self.combine(self.text_query(&searcher, &parsed, Mode { top_tier: true, ..mode }), &filters));
        let bound = match (bound, &top_tier_query) {
            (Some(bound), None) => Some(bound),
            (Some(bound), Some(top)) if count_up_to(&searcher, top.as_ref(), wanted)? >= wanted => Some(bound),
            _ => None,
        };
        // A quoted phrase found at least a page of times: the page, the total and the facets
        // come from the exact matches alone (a phrase of common words is a few rare bigrams in
        // the grams fields), and the near matches — the phrase's words apart, which would
        // otherwise all be scored — are only counted, by estimate in a large index.
        let phrase_first = if sort == Sort::Relevance && within && parsed.required.iter().any(has_phrase) {
            let strict = strict_query();
            if count_up_to(&searcher, strict.as_ref(), wanted)? >= wanted {
                let (matched, counts, page, _, strict_exact) =
                    self.collect(&searcher, strict.as_ref(), request, Sort::Relevance, None)?;
                let (all, all_exact) = if searcher.num_docs() > PRUNE_ABOVE {
                    let estimate = prune::estimate(&searcher, seekable(query.as_ref()).as_ref(), false, budget, None)?;
                    (estimate.total, estimate.exact)
                } else {
                    (searcher.search(query.as_ref(), &Count)?, true)
                };
                Some((all.max(matched), counts, page, matched, strict_exact && all_exact))
            } else {
                None
            }
        } else {
            None
        };
        let (total, counts, page, matched_all, exact) = if let Some(found) = phrase_first {
            found
        } else if let Some(bound) = bound {
            let ranking = &self.schema_config.ranking;
            let tweak = prune::Tweak {
                tier: tiers as f32 * TIER,
                recency: ranking.recency,
                today: days(chrono::Utc::now().date_naive()),
            };
            // Without filters and with an exact bound, the bound's score is the score.
            let (bound, kind) = bound;
            let real = top_tier_query.as_deref().unwrap_or(query.as_ref());
            let prepared = started.elapsed();
            let seeding = Instant::now();
            let seeds = match &proximity {
                Some(proximity) => {
                    let near: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                        (Occur::Must, real.box_clone()),
                        (Occur::Must, Box::new(ConstScoreQuery::new(proximity.box_clone(), 0.0))),
                    ]));
                    prune::exhaustive_top_k(&searcher, near.as_ref(), wanted, tweak)?
                }
                None => Vec::new(),
            };
            let seeded = seeding.elapsed();
            // The real query is asked about the bound's candidates only: lazily seeking unions.
            let real =
                (kind != ScoreBound::Exact || !filters.is_empty() || proximity.is_some()).then(|| seekable(real));
            let stage = Instant::now();
            let mut page = prune::top_k(&searcher, bound.as_ref(), real.as_deref(), wanted, tweak, seeds)?;
            let ranked = stage.elapsed();
            let page: Vec<(Score, DocAddress)> = page
                .drain(request.offset.min(page.len())..)
                .map(|(score, address)| (score - (score / TIER).floor() * TIER, address))
                .collect();
            let all = prune::estimate(&searcher, query.as_ref(), true, budget, pilot)?;
            let counted = stage.elapsed();
            let mut counts = all.counts;
            let (matched_all, strict_exact) = if within || tiers > 1 {
                // The facets of the documents with every word, as a date-sorted search counts them.
                let strict =
                    prune::estimate(&searcher, seekable(strict_query().as_ref()).as_ref(), true, budget, None)?;
                counts = strict.counts;
                (strict.total.min(all.total), strict.exact)
            } else {
                (all.total, true)
            };
            tracing::debug!(
                q = %request.q,
                bound = ?kind,
                prepare_ms = prepared.as_secs_f64() * 1e3,
                seed_ms = seeded.as_secs_f64() * 1e3,
                rank_ms = ranked.as_secs_f64() * 1e3,
                count_ms = (counted - ranked).as_secs_f64() * 1e3,
                strict_ms = (stage.elapsed() - counted).as_secs_f64() * 1e3,
                exact = all.exact,
                "pruned search"
            );
            (all.total, counts, page, matched_all, all.exact && strict_exact)
        } else {
            let top_tier = (!within && tiers > 0).then_some(tiers as f32 * TIER);
            let (total, mut counts, page, in_top_tier, exact) =
                self.collect(&searcher, query.as_ref(), request, sort, top_tier)?;
            let matched_all = if within {
                // The strict matches and their facets, counted apart.
                let (strict, strict_counts) = searcher.search(strict_query().as_ref(), &(Count, FacetCollector))?;
                counts = strict_counts;
                strict
            } else if top_tier.is_some() {
                in_top_tier
            } else {
                total
            };
            (total, counts, page, matched_all, exact)
        };
        let (snippets, needles) = self.snippet_generator(&searcher, &parsed)?;
        let mut hits = Vec::with_capacity(page.len());
        for (score, address) in page {
            let document = self.stored_document(&searcher, address)?;
            hits.push(to_hit(document, score, &snippets, &needles));
        }
        Ok(SearchResponse {
            total,
            took_ms: started.elapsed().as_millis() as u64,
            hits,
            facets: self.facets(counts),
            matched_all,
            fuzzy: mode.fuzzy,
            approximate: !exact,
            has_phrase: parsed.required.iter().any(has_phrase),
        })
    }

    /// `text` as a flat sum of its terms' scores, each weighted as much as all its
    /// occurrences in `text` together: `text`'s score above its tiers, or an upper bound of it,
    /// in the shape block-max WAND can prune (see [`prune`]). None when `text` is not a sum.
    fn bound_query(&self, text: &dyn Query) -> Option<(Box<dyn Query>, ScoreBound)> {
        let mut weights = HashMap::new();
        let bound = term_weights(text, 1.0, &mut weights);
        if bound == ScoreBound::None {
            return None;
        }
        let mut weights: Vec<(Term, Score)> = weights.into_iter().filter(|(_, weight)| *weight > 0.0).collect();
        weights.sort_by(|a, b| a.0.cmp(&b.0));
        term_sum(weights).map(|sum| (sum, bound))
    }

    /// The query parsed, the request narrowed by the query's fields, and the filters of both.
    /// `namnd:` is resolved here against the nämnder the index holds (a value that names none
    /// is searched as its words); `titel:` adds a filter that its words be in the title.
    fn prepare(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
    ) -> (query::ParsedQuery, SearchRequest, Vec<Box<dyn tantivy::query::Query>>) {
        let mut parsed = query::parse(&request.q);
        let mut organs: Vec<Vec<String>> = Vec::new();
        let mut unresolved: Vec<String> = Vec::new();
        for filter in &parsed.filters {
            if let query::FieldFilter::Organ(value) = filter {
                match self.organs_named(searcher, value) {
                    found if found.is_empty() => unresolved.push(value.clone()),
                    found => organs.push(found),
                }
            }
        }
        for value in unresolved {
            let words: Vec<String> =
                value.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect();
            match words.len() {
                0 => {}
                1 => parsed.required.push(Clause::Word(words[0].clone())),
                _ => parsed.required.push(Clause::Phrase(words)),
            }
        }
        let mut narrowed = narrowed(request, &parsed);
        for found in organs {
            if narrowed.organ.is_empty() {
                narrowed.organ = found;
            } else {
                narrowed.organ.retain(|organ| found.contains(organ));
                if narrowed.organ.is_empty() {
                    narrowed.organ.push(String::new());
                }
            }
        }
        let mut filters = self.filter_queries(&narrowed);
        for filter in &parsed.filters {
            if let query::FieldFilter::Title(words) = filter {
                filters.extend(self.title_query(words));
            }
        }
        (parsed, narrowed, filters)
    }

    /// The nämnder in the index that `value` names: those equal to it, case and å/ä/ö aside;
    /// failing that, those with a word that starts with it (`bygg` → `Byggnadsnämnden`,
    /// `Bygg- och miljönämnden`).
    fn organs_named(&self, searcher: &Searcher, value: &str) -> Vec<String> {
        let key = |text: &str| namndsok_analysis::AsciiFold::fold(&text.trim().to_lowercase());
        let wanted = key(value);
        if wanted.is_empty() {
            return Vec::new();
        }
        let field = self.fields.get("organ");
        let mut all = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else { continue };
            let Ok(mut stream) = inverted.terms().stream() else { continue };
            while stream.advance() {
                if let Ok(organ) = std::str::from_utf8(stream.key()) {
                    all.insert(organ.to_string());
                }
            }
        }
        let equal: Vec<String> = all.iter().filter(|organ| key(organ) == wanted).cloned().collect();
        if !equal.is_empty() {
            return equal;
        }
        all.into_iter()
            .filter(|organ| {
                let organ = key(organ);
                organ.starts_with(&wanted) || organ.split([' ', '-']).any(|word| word.starts_with(&wanted))
            })
            .collect()
    }

    /// The ids of every document that matches `request` with every word — the semantics of a
    /// date-sorted search, which is what alerts use — without ranking, facets, snippets or
    /// stored documents. Paging parameters are ignored.
    pub fn matching_ids(&self, request: &SearchRequest) -> Result<Vec<String>, IndexError> {
        let searcher = self.searcher();
        let (parsed, narrowed, filters) = self.prepare(&searcher, request);
        let request = &narrowed;
        let loosened = Loosened::default();
        let typos = request.options.typo_tolerance;
        let mut mode =
            Mode { typos, fuzzy: false, strict: true, top_tier: false, proximity: true, loosened: &loosened };
        let mut query = self.combine(self.text_query(&searcher, &parsed, mode), &filters);
        let fuzzy_below = self.schema_config.ranking.fuzzy_below;
        if typos && !parsed.required.is_empty() && count_up_to(&searcher, query.as_ref(), fuzzy_below)? < fuzzy_below {
            mode.fuzzy = true;
            query = self.combine(self.text_query(&searcher, &parsed, mode), &filters);
        }
        let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        let mut by_segment: std::collections::BTreeMap<u32, Vec<u32>> = std::collections::BTreeMap::new();
        for address in addresses {
            by_segment.entry(address.segment_ord).or_default().push(address.doc_id);
        }
        let mut ids = Vec::new();
        let mut text = String::new();
        for (segment, docs) in by_segment {
            let Some(column) = searcher.segment_reader(segment).fast_fields().str("id")? else { continue };
            for doc in docs {
                if let Some(ord) = column.term_ords(doc).next() {
                    if column.ord_to_str(ord, &mut text)? {
                        ids.push(text.clone());
                    }
                }
            }
        }
        Ok(ids)
    }

    /// Counts, facets and one page of hits in one pass over the matches; with `top_tier`, also
    /// how many documents score at least that (match every tiered word).
    fn collect(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        request: &SearchRequest,
        sort: Sort,
        top_tier: Option<Score>,
    ) -> Result<Collected, IndexError> {
        let top = TopDocs::with_limit(request.limit).and_offset(request.offset);
        let sampled = match sort {
            Sort::DateDesc if self.newest_first && self.strategy() != SearchStrategy::Exhaustive => {
                self.date_sample_pilot(searcher, query, request)?
            }
            _ => None,
        };
        Ok(match sort {
            Sort::Relevance => {
                let recency = self.schema_config.ranking.recency;
                let today = days(chrono::Utc::now().date_naive());
                let ranked = top.tweak_score(move |segment: &SegmentReader| {
                    let dates = segment.fast_fields().u64("date").ok();
                    move |doc, score: Score| {
                        let date = dates.as_ref().and_then(|column| column.first(doc)).unwrap_or(0);
                        let tiers = (score / TIER).floor() * TIER;
                        tiers + (score - tiers) * (1.0 + recency * freshness(date, today))
                    }
                });
                // Facets count the documents with every word (the top tier when there are
                // tiers): the same counts a date-sorted search of the query shows.
                let (total, counts, page, in_top_tier) = match top_tier {
                    Some(threshold) => {
                        let (total, page, (in_top_tier, counts)) =
                            searcher.search(query, &(Count, ranked, TopTierFacets(threshold)))?;
                        (total, counts, page, in_top_tier)
                    }
                    None => {
                        let (total, counts, page) = searcher.search(query, &(Count, FacetCollector, ranked))?;
                        (total, counts, page, 0)
                    }
                };
                let page =
                    page.into_iter().map(|(score, address)| (score - (score / TIER).floor() * TIER, address)).collect();
                (total, counts, page, in_top_tier, true)
            }
            Sort::DateDesc if sampled.is_some() => {
                let wanted = request.offset + request.limit;
                let page = dates::newest(searcher, query, wanted)?;
                let page = page.into_iter().skip(request.offset).map(|(_, address)| (0.0, address)).collect();
                let range = requested_dates(request);
                let budget = self.count_budget.load(std::sync::atomic::Ordering::Relaxed);
                let span = |reader: &SegmentReader| range.run(reader);
                let all = prune::estimate_within(searcher, query, true, budget, sampled, &span)?;
                (all.total, all.counts, page, all.total, all.exact)
            }
            Sort::DateDesc | Sort::DateAsc if self.newest_first => {
                let edges = Edges { limit: request.offset + request.limit, newest: sort == Sort::DateDesc };
                let (total, counts, page) = searcher.search(query, &(Count, FacetCollector, edges))?;
                let page = page.into_iter().skip(request.offset).map(|(_, address)| (0.0, address)).collect();
                (total, counts, page, total, true)
            }
            Sort::DateDesc | Sort::DateAsc => {
                let order = if sort == Sort::DateDesc { Order::Desc } else { Order::Asc };
                let (total, counts, page) =
                    searcher.search(query, &(Count, FacetCollector, top.order_by_fast_field::<u64>("date", order)))?;
                (total, counts, page.into_iter().map(|(_, address)| (0.0, address)).collect(), total, true)
            }
        })
    }

    /// For a newest-first search with many matches, the pilot of the sample its total and
    /// facets are estimated from; `None` when counting every match is as cheap. The page is
    /// then each segment's first matches, and the sample covers only the dates asked for (a
    /// date range is one run of document ids per segment). Sampling pays off from a few times
    /// the count budget (measured: at 34,000 matches it was 1.5× slower than counting them all).
    fn date_sample_pilot(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        request: &SearchRequest,
    ) -> Result<Option<prune::Estimate>, IndexError> {
        let range = requested_dates(request);
        let span = |reader: &SegmentReader| range.run(reader);
        let large = 4 * self.count_budget.load(std::sync::atomic::Ordering::Relaxed);
        if prune::spanned(searcher, &span)? <= large {
            return Ok(None);
        }
        Ok(Some(prune::pilot_within(searcher, query, &span)?).filter(|pilot| pilot.total as u64 > large))
    }
}

/// Counts the matches scoring at least a threshold (the top tier of a tiered query), and their
/// facets: the counts of the documents with every word, whatever else the ranking adds.
pub(crate) struct TopTierFacets(Score);

pub(crate) struct TopTierFacetsSegment {
    threshold: Score,
    count: usize,
    facets: crate::facets::FacetSegmentCollector,
}

impl Collector for TopTierFacets {
    type Fruit = (usize, FacetCounts);
    type Child = TopTierFacetsSegment;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<TopTierFacetsSegment> {
        Ok(TopTierFacetsSegment { threshold: self.0, count: 0, facets: FacetCollector.for_segment(segment, reader)? })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<(usize, FacetCounts)>) -> tantivy::Result<(usize, FacetCounts)> {
        let count = fruits.iter().map(|(count, _)| count).sum();
        let facets = FacetCollector.merge_fruits(fruits.into_iter().map(|(_, facets)| facets).collect())?;
        Ok((count, facets))
    }
}

impl SegmentCollector for TopTierFacetsSegment {
    type Fruit = (usize, FacetCounts);

    fn collect(&mut self, doc: DocId, score: Score) {
        if score >= self.threshold {
            self.count += 1;
            self.facets.collect(doc, score);
        }
    }

    fn harvest(self) -> (usize, FacetCounts) {
        (self.count, self.facets.harvest())
    }
}

/// Terms scored by BM25, each times its weight, summed: the shape block-max WAND prunes.
pub(crate) fn term_sum(terms: Vec<(Term, Score)>) -> Option<Box<dyn Query>> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = terms
        .into_iter()
        .map(|(term, weight)| {
            let term: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
            (Occur::Should, Box::new(Weighted::new(term, weight)) as Box<dyn Query>)
        })
        .collect();
    (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
}

/// The dates a request asks for, as a range over an index kept newest first.
pub(crate) fn requested_dates(request: &SearchRequest) -> DateRange {
    DateRange { from: request.from.map_or(0, yyyymmdd), to: request.to.map_or(u64::MAX, yyyymmdd) }
}

pub(crate) fn yyyymmdd(date: NaiveDate) -> u64 {
    date.year() as u64 * 10_000 + date.month() as u64 * 100 + date.day() as u64
}

/// Approximate day number of a date, for recency only.
pub(crate) fn days(date: NaiveDate) -> f32 {
    date.year() as f32 * 365.25 + date.ordinal() as f32
}

/// 1 for today, falling linearly to 0 at ten years old.
pub(crate) fn freshness(yyyymmdd: u64, today: f32) -> f32 {
    if yyyymmdd == 0 {
        return 0.0;
    }
    let (year, month, day) = ((yyyymmdd / 10_000) as f32, ((yyyymmdd / 100) % 100) as f32, (yyyymmdd % 100) as f32);
    let date = year * 365.25 + (month - 1.0) * 30.4 + day;
    (1.0 - (today - date).max(0.0) / 3652.5).clamp(0.0, 1.0)
}

/// The request narrowed by the query's fields (`kommun:Luleå datum:2024`): dates intersected;
/// a kommun, län or kind given both ways must satisfy both (a document has one of each, so the
/// lists are intersected; an empty intersection matches nothing, spelled as the empty code,
/// which no document has). Fields of one kind given twice are alternatives.
pub(crate) fn narrowed(request: &SearchRequest, parsed: &query::ParsedQuery) -> SearchRequest {
    use query::FieldFilter;
    let mut narrowed = request.clone();
    if parsed.filters.is_empty() {
        return narrowed;
    }
    fn narrow<T: Clone + PartialEq>(list: &mut Vec<T>, wanted: Vec<T>, nothing: T) {
        if wanted.is_empty() {
            return;
        }
        if list.is_empty() {
            *list = wanted;
            return;
        }
        list.retain(|value| wanted.contains(value));
        if list.is_empty() {
            list.push(nothing);
        }
    }
    let mut kommun = Vec::new();
    let mut lan = Vec::new();
    let mut kinds = Vec::new();
    for filter in &parsed.filters {
        match filter {
            FieldFilter::Kommun(code) => kommun.push(code.clone()),
            FieldFilter::Lan(code) => lan.push(code.clone()),
            FieldFilter::Kind(kind) => kinds.push(*kind),
            // Resolved against the index (see `SearchIndex::prepare`), or title words.
            FieldFilter::Organ(_) | FieldFilter::Title(_) => {}
            FieldFilter::Dates(from, to) => {
                narrowed.from = narrowed.from.max(*from);
                narrowed.to = match (narrowed.to, *to) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
        }
    }
    narrow(&mut narrowed.kommun, kommun, String::new());
    narrow(&mut narrowed.lan, lan, String::new());
    if !kinds.is_empty() && !narrowed.kind.is_empty() && !narrowed.kind.iter().any(|kind| kinds.contains(kind)) {
        // No kind is both asked for and typed: nothing matches.
        narrowed.kommun = vec![String::new()];
    } else {
        narrow(&mut narrowed.kind, kinds, namndsok_model::Kind::Arende);
    }
    narrowed
}
