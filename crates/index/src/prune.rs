//! What keeps a search fast when it matches millions of documents.
//!
//! - [`top_k`]: the best page of a tiered relevance query without scoring every match. A flat
//!   sum of the query's terms, each weighted at least as much as anywhere in the query, bounds
//!   the real score from above; tantivy's block-max WAND walks that sum and skips every block
//!   whose bound cannot beat the page's current last hit, and only the documents it yields are
//!   scored with the real query. The page is exactly the exhaustive one (a test compares them).
//! - [`estimate`]: the number of matches and the facet counts of a pruned search. Up to
//!   [`COUNT_BUDGET`] matches they are counted exactly; beyond that, in windows of document
//!   ids, one at a varying offset in each block of the index (stratified), that hold about that
//!   many matches, scaled up and marked as estimates — a result count of "about 8.1 million" is
//!   as useful as the exact figure and costs a fraction of it. [`pilot`] takes the first, small
//!   sample that tells whether a search is large enough to prune at all.
//! - [`exhaustive_top_k`]: the page by scoring every match, for the few documents a bound
//!   leaves out (those near each other for a many-word query).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};

use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentReader};

use crate::facets::{FacetCollector, FacetCounts};
use crate::IndexError;

/// Matches counted exactly before counting switches to sampling.
pub(crate) const COUNT_BUDGET: u64 = 20_000;
/// Document ids per sampled window.
const WINDOW: u32 = 1024;
/// Windows in the pilot sample that measures how dense the matches are.
const PILOT_WINDOWS: u64 = 32;

/// How many documents a query matches and their facet counts.
pub(crate) struct Estimate {
    pub total: usize,
    pub counts: FacetCounts,
    /// False when both were extrapolated from a sample.
    pub exact: bool,
}

/// Counts `query`'s matches (and facets, with `facets`), exactly up to about `budget` matches,
/// from an even sample of windows beyond. `pilot`, when the caller already took it with
/// [`pilot`] (facets included), is not taken again.
pub(crate) fn estimate(
    searcher: &Searcher,
    query: &dyn Query,
    facets: bool,
    budget: u64,
    pilot: Option<Estimate>,
) -> Result<Estimate, IndexError> {
    estimate_within(searcher, query, facets, budget, pilot, &whole)
}

/// Every document of a segment.
fn whole(reader: &SegmentReader) -> tantivy::Result<(DocId, DocId)> {
    Ok((0, reader.max_doc()))
}

/// Where in a segment a query can match: a run of document ids, outside which it matches
/// nothing (a date range in an index kept newest first).
pub(crate) type Span<'a> = dyn Fn(&SegmentReader) -> tantivy::Result<(DocId, DocId)> + Sync + 'a;

/// As [`estimate`], for a query that matches only within `span` of each segment: the sample
/// is spread over the spans, not over documents that cannot match.
pub(crate) fn estimate_within(
    searcher: &Searcher,
    query: &dyn Query,
    facets: bool,
    budget: u64,
    pilot: Option<Estimate>,
    span: &Span<'_>,
) -> Result<Estimate, IndexError> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let max_docs = spanned(searcher, span)?;
    // A pilot of about PILOT_WINDOWS windows tells the density; the sample then takes about
    // `budget` matches, but never fewer windows than the pilot (which it then is).
    let pilot_stride = pilot_stride(max_docs);
    let mut stride = 1;
    if max_docs > budget * 2 && max_docs >= 2 * u64::from(WINDOW) {
        let pilot = match pilot {
            Some(pilot) => pilot,
            None => sample(searcher, weight.as_ref(), pilot_stride, facets, span)?,
        };
        if pilot.total as u64 > budget {
            stride = (pilot.total as u64 / budget).next_power_of_two().min(u64::from(pilot_stride)) as u32;
            if stride == pilot_stride {
                return Ok(pilot);
            }
        }
    }
    sample(searcher, weight.as_ref(), stride, facets, span)
}

/// Roughly how many documents `query` matches, with facets, from about [`PILOT_WINDOWS`]
/// windows of the index (a few tens of thousands of document ids).
pub(crate) fn pilot(searcher: &Searcher, query: &dyn Query) -> Result<Estimate, IndexError> {
    pilot_within(searcher, query, &whole)
}

/// As [`pilot`], for a query that matches only within `span` of each segment.
pub(crate) fn pilot_within(searcher: &Searcher, query: &dyn Query, span: &Span<'_>) -> Result<Estimate, IndexError> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    sample(searcher, weight.as_ref(), pilot_stride(spanned(searcher, span)?), true, span)
}

/// Documents within `span` of every segment.
pub(crate) fn spanned(searcher: &Searcher, span: &Span<'_>) -> Result<u64, IndexError> {
    let mut total = 0;
    for reader in searcher.segment_readers() {
        let (start, end) = span(reader)?;
        total += u64::from(end.saturating_sub(start));
    }
    Ok(total)
}

fn pilot_stride(max_docs: u64) -> u32 {
    (max_docs / u64::from(WINDOW) / PILOT_WINDOWS).clamp(2, u64::from(u32::MAX)) as u32
}

/// One pass over the windows `0, stride, 2·stride, …` of every segment, scaled to the segment.
fn sample(
    searcher: &Searcher,
    weight: &dyn Weight,
    stride: u32,
    facets: bool,
    span: &Span<'_>,
) -> Result<Estimate, IndexError> {
    let per_segment = searcher.index().search_executor().map(
        |(ord, reader): (usize, &SegmentReader)| -> tantivy::Result<(f64, FacetCounts)> {
            let mut scorer = weight.scorer(reader, 1.0)?;
            let alive = reader.alive_bitset();
            let mut collector = if facets { Some(FacetCollector.for_segment(ord as u32, reader)?) } else { None };
            let (span_start, span_end) = span(reader)?;
            let (mut matched, mut covered) = (0u64, 0u64);
            // One window per block of `stride` windows, at an offset that varies from block
            // to block (stratified sampling): documents are stored in the order they came, so
            // a fixed offset could keep hitting the same kind of document.
            let block = u64::from(WINDOW) * u64::from(stride);
            let mut first = u64::from(span_start);
            let max_doc = span_end;
            while first < u64::from(max_doc) {
                // Every block has its window, also the short last one (and a segment shorter
                // than a block): a window past the end would count its documents as none.
                let block_windows = (u64::from(max_doc) - first).min(block).div_ceil(u64::from(WINDOW));
                let offset = if stride == 1 { 0 } else { mix(ord as u64, first / block) % block_windows };
                let start = first + offset * u64::from(WINDOW);
                first += block;
                let (start, end) = (start as DocId, (start + u64::from(WINDOW)).min(u64::from(max_doc)) as DocId);
                covered += u64::from(end - start);
                if scorer.doc() < start {
                    scorer.seek(start);
                }
                let mut doc = scorer.doc();
                while doc < end {
                    if alive.is_none_or(|bits| bits.is_alive(doc)) {
                        matched += 1;
                        if let Some(collector) = collector.as_mut() {
                            collector.collect(doc, 0.0);
                        }
                    }
                    doc = scorer.advance();
                }
                // Past the last match the remaining windows are still counted as covered (with
                // no matches), or the scale would overestimate.
            }
            let spanned = f64::from(span_end.saturating_sub(span_start));
            let scale = if stride == 1 || covered == 0 { 1.0 } else { spanned / covered as f64 };
            let mut counts = collector.map(SegmentCollector::harvest).unwrap_or_default();
            if scale != 1.0 {
                counts.scale(scale);
            }
            Ok((matched as f64 * scale, counts))
        },
        searcher.segment_readers().iter().enumerate(),
    )?;
    let mut total = 0.0f64;
    let mut fruits = Vec::with_capacity(per_segment.len());
    for (matched, counts) in per_segment {
        total += matched;
        fruits.push(counts);
    }
    Ok(Estimate { total: total.round() as usize, counts: FacetCollector.merge_fruits(fruits)?, exact: stride == 1 })
}

/// How a raw score of a tiered query becomes the ranking score: the tiers stay, the relevance
/// part above them is raised by up to `recency` for the newest documents.
#[derive(Clone, Copy)]
pub(crate) struct Tweak {
    pub tier: Score,
    pub recency: Score,
    pub today: f32,
}

#[derive(PartialEq)]
struct Entry {
    score: Score,
    address: DocAddress,
}

impl Eq for Entry {}

impl Ord for Entry {
    /// The heap keeps the worst entry on top: the lowest score, and among equal scores the
    /// latest address (the exhaustive collector prefers the earlier one).
    fn cmp(&self, other: &Self) -> Ordering {
        other.score.total_cmp(&self.score).then_with(|| self.address.cmp(&other.address))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The `k` best documents of `real` that score at least `tweak.tier` (the top tier), by their
/// tweaked score, best first. `bound` must match every document `real` matches and score each
/// at least as high as `real`'s score minus the tier; without `real`, `bound`'s score plus the
/// tier is the score.
///
/// `seeds` are documents already scored (with their tweaked scores) that the bound need not
/// hold for; they are ranked with the rest and not scored again.
pub(crate) fn top_k(
    searcher: &Searcher,
    bound: &dyn Query,
    real: Option<&dyn Query>,
    k: usize,
    tweak: Tweak,
    seeds: Vec<(Score, DocAddress)>,
) -> Result<Vec<(Score, DocAddress)>, IndexError> {
    let bound_weight = bound.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let real_weight = real.map(|real| real.weight(EnableScoring::enabled_from_searcher(searcher))).transpose()?;
    let mut heap: BinaryHeap<Entry> = BinaryHeap::with_capacity(k + 1);
    if k == 0 {
        return Ok(Vec::new());
    }
    let seeded: HashSet<DocAddress> = seeds.iter().map(|(_, address)| *address).collect();
    for (score, address) in seeds {
        heap.push(Entry { score, address });
        if heap.len() > k {
            heap.pop();
        }
    }
    // A slightly lower threshold than the exact one, so float rounding never prunes a hit.
    let factor = (1.0 + tweak.recency) * 1.000_1;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let mut scorer = real_weight.as_ref().map(|weight| weight.scorer(reader, 1.0)).transpose()?;
        let alive = reader.alive_bitset();
        let dates = reader.fast_fields().u64("date").ok();
        let threshold = |heap: &BinaryHeap<Entry>| match heap.peek() {
            Some(worst) if heap.len() >= k => (worst.score - tweak.tier) / factor,
            _ => Score::MIN,
        };
        let start = threshold(&heap);
        bound_weight.for_each_pruning(start, reader, &mut |doc, bound| {
            if alive.is_some_and(|bits| bits.is_deleted(doc))
                || (!seeded.is_empty() && seeded.contains(&DocAddress::new(ord as u32, doc)))
            {
                return threshold(&heap);
            }
            let raw = match scorer.as_mut() {
                None => Some(bound + tweak.tier),
                Some(scorer) => {
                    if scorer.doc() < doc {
                        scorer.seek(doc);
                    }
                    (scorer.doc() == doc).then(|| scorer.score())
                }
            };
            if let Some(raw) = raw {
                if raw >= tweak.tier {
                    let date = dates.as_ref().and_then(|column| column.first(doc)).unwrap_or(0);
                    let score = tweak.tier
                        + (raw - tweak.tier) * (1.0 + tweak.recency * crate::search::freshness(date, tweak.today));
                    let entry = Entry { score, address: DocAddress::new(ord as u32, doc) };
                    if heap.len() < k {
                        heap.push(entry);
                    } else if heap.peek().is_some_and(|worst| entry < *worst) {
                        heap.pop();
                        heap.push(entry);
                    }
                }
            }
            threshold(&heap)
        })?;
    }
    let mut page: Vec<(Score, DocAddress)> =
        heap.into_sorted_vec().into_iter().map(|entry| (entry.score, entry.address)).collect();
    // `into_sorted_vec` is ascending by `Ord`, which is best first here.
    page.truncate(k);
    Ok(page)
}

/// The `k` best documents of `query` by tweaked score, scoring every match.
pub(crate) fn exhaustive_top_k(
    searcher: &Searcher,
    query: &dyn Query,
    k: usize,
    tweak: Tweak,
) -> Result<Vec<(Score, DocAddress)>, IndexError> {
    let ranked = TopDocs::with_limit(k.max(1)).tweak_score(move |segment: &SegmentReader| {
        let dates = segment.fast_fields().u64("date").ok();
        move |doc, score: Score| {
            let date = dates.as_ref().and_then(|column| column.first(doc)).unwrap_or(0);
            tweak.tier + (score - tweak.tier) * (1.0 + tweak.recency * crate::search::freshness(date, tweak.today))
        }
    });
    Ok(searcher.search(query, &ranked)?)
}

/// A well-mixed 64-bit hash of two numbers (splitmix64's finaliser): where a sample window sits
/// in its block.
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.wrapping_add(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter, Term};

    use super::*;

    /// Documents stored in the order they came: `early` only in the first quarter, `every`
    /// everywhere, `tenth` in every tenth. Sampled totals stay close to the truth whatever the
    /// order, also when the matches end early in a segment.
    #[test]
    fn sampled_totals_are_close_whatever_the_order() {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000).unwrap();
        for i in 0..100_000u32 {
            let mut words = vec!["every"];
            if i < 25_000 {
                words.push("early");
            }
            if i % 10 == 0 {
                words.push("tenth");
            }
            writer.add_document(doc!(text => words.join(" "))).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        for (word, truth) in [("early", 25_000.0), ("every", 100_000.0), ("tenth", 10_000.0)] {
            let query = TermQuery::new(Term::from_field_text(text, word), IndexRecordOption::Basic);
            let estimate = estimate(&searcher, &query, false, 1_000, None).unwrap();
            assert!(!estimate.exact, "{word}: sampled");
            let error = (estimate.total as f64 - truth).abs() / truth;
            assert!(error < 0.15, "{word}: estimated {} for {truth}", estimate.total);
            let exact = estimate_exactly(&searcher, &query);
            assert_eq!(exact as f64, truth, "{word}");
        }
    }

    /// Many segments shorter than a sampling block (fresh commits) are each sampled.
    #[test]
    fn segments_shorter_than_a_block_are_sampled_too() {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for i in 0..100_000u32 {
            writer.add_document(doc!(text => "every")).unwrap();
            if i % 2_000 == 1_999 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() >= 40);
        let query = TermQuery::new(Term::from_field_text(text, "every"), IndexRecordOption::Basic);
        let estimate = estimate(&searcher, &query, false, 1_000, None).unwrap();
        assert!(!estimate.exact);
        assert!((estimate.total as f64 - 100_000.0).abs() < 5_000.0, "estimated {}", estimate.total);
    }

    fn estimate_exactly(searcher: &Searcher, query: &dyn Query) -> usize {
        let estimate = estimate(searcher, query, false, 1_000_000, None).unwrap();
        assert!(estimate.exact);
        estimate.total
    }
}
