//! What an index kept newest first makes cheap.
//!
//! A new index sorts every segment's documents by date, newest first (tantivy keeps the order
//! through merges; see `index_settings` in the crate root). Two things follow:
//!
//! - a date range is one run of document ids per segment, found by binary search in the date
//!   column ([`DateRange`]), so a filtered search visits only the documents inside the range
//!   instead of testing every match of its words against the date column;
//! - a date-sorted page is the first (newest first) or last (oldest first) matches of each
//!   segment ([`Edges`]): no date is read or compared for the others.
//!
//! Both are used only when [`newest_first`] says the index is laid out this way.

use std::collections::VecDeque;
use std::fmt;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocAddress, DocId, DocSet, Index, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED};

/// Whether `index` keeps every segment's documents newest first by `date`.
pub(crate) fn newest_first(index: &Index) -> bool {
    index
        .settings()
        .sort_by_field
        .as_ref()
        .is_some_and(|sort| sort.field == "date" && sort.order == tantivy::Order::Desc)
}

/// Documents dated `from..=to` (`YYYYMMDD`) in an index kept newest first.
#[derive(Debug, Clone)]
pub(crate) struct DateRange {
    pub(crate) from: u64,
    pub(crate) to: u64,
}

impl Query for DateRange {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl DateRange {
    /// The run of document ids of `reader` dated within the range.
    pub(crate) fn run(&self, reader: &SegmentReader) -> tantivy::Result<(DocId, DocId)> {
        let column = reader.fast_fields().u64("date")?;
        // Every document has a date (Document JSON requires one), so the column is dense and
        // falls monotonically; the binary search relies on that.
        let date = |doc: DocId| column.first(doc).unwrap_or(0);
        // Dates fall as document ids grow: the run starts at the first document not newer
        // than `to` and ends at the first one older than `from`.
        let first_not_after = |bound: u64| -> DocId {
            let (mut low, mut high) = (0, reader.max_doc());
            while low < high {
                let middle = low + (high - low) / 2;
                if date(middle) > bound {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            low
        };
        let start = first_not_after(self.to);
        let end = if self.from == 0 { reader.max_doc() } else { first_not_after(self.from - 1) };
        Ok((start, end.max(start)))
    }
}

impl Weight for DateRange {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let (start, end) = self.run(reader)?;
        let run = DocRun { doc: if start < end { start } else { TERMINATED }, end, len: end - start };
        Ok(Box::new(ConstScorer::new(run, boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let (start, end) = self.run(reader)?;
        if !(start..end).contains(&doc) {
            return Err(tantivy::TantivyError::InvalidArgument(format!("document {doc} is outside the dates")));
        }
        Ok(Explanation::new("DateRange", 1.0))
    }
}

/// The document ids `doc..end`.
struct DocRun {
    doc: DocId,
    end: DocId,
    len: u32,
}

impl DocSet for DocRun {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc += 1;
            if self.doc >= self.end {
                self.doc = TERMINATED;
            }
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc != TERMINATED && target > self.doc {
            self.doc = if target >= self.end { TERMINATED } else { target };
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.len
    }

    fn cost(&self) -> u64 {
        // Cheaper to drive than any posting list of the same length: no decoding.
        u64::from(self.len / 2)
    }
}

/// The `limit` newest matches of `query` in an index kept newest first, without visiting the
/// others: each segment's first `limit` matches, merged as [`Edges`] merges them.
pub(crate) fn newest(searcher: &Searcher, query: &dyn Query, limit: usize) -> tantivy::Result<Vec<(u64, DocAddress)>> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let edges = Edges { limit, newest: true };
    let mut fruits = Vec::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let mut segment = edges.for_segment(ord as SegmentOrdinal, reader)?;
        let alive = reader.alive_bitset();
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED && segment.docs.len() < limit {
            if alive.is_none_or(|bits| bits.is_alive(doc)) {
                segment.collect(doc, 0.0);
            }
            doc = scorer.advance();
        }
        fruits.push(segment.harvest());
    }
    edges.merge_fruits(fruits)
}

/// The `limit` newest (or oldest) matches in an index kept newest first: the first (or last)
/// `limit` matches of each segment, merged. Between equal dates the order is the reverse of
/// the other: newest first puts the lower document address first, oldest first the higher, so
/// that either order is a segment's documents read forwards or backwards and a longer page
/// always starts with the shorter one.
pub(crate) struct Edges {
    pub(crate) limit: usize,
    pub(crate) newest: bool,
}

pub(crate) struct EdgesSegment {
    segment: SegmentOrdinal,
    limit: usize,
    newest: bool,
    docs: VecDeque<DocId>,
    dates: Option<tantivy::columnar::Column<u64>>,
}

impl Collector for Edges {
    type Fruit = Vec<(u64, DocAddress)>;
    type Child = EdgesSegment;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<EdgesSegment> {
        Ok(EdgesSegment {
            segment,
            limit: self.limit,
            newest: self.newest,
            docs: VecDeque::with_capacity(self.limit + 1),
            dates: reader.fast_fields().u64("date").ok(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(u64, DocAddress)>>) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<(u64, DocAddress)> = fruits.into_iter().flatten().collect();
        if self.newest {
            all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        } else {
            all.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        }
        all.truncate(self.limit);
        Ok(all)
    }
}

impl SegmentCollector for EdgesSegment {
    type Fruit = Vec<(u64, DocAddress)>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if self.newest {
            if self.docs.len() < self.limit {
                self.docs.push_back(doc);
            }
        } else {
            // Oldest first: the segment's last matches.
            self.docs.push_back(doc);
            if self.docs.len() > self.limit {
                self.docs.pop_front();
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let date = |doc: DocId| self.dates.as_ref().and_then(|column| column.first(doc)).unwrap_or(0);
        self.docs.iter().map(|&doc| (date(doc), DocAddress::new(self.segment, doc))).collect()
    }
}

impl fmt::Debug for Edges {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Edges(limit={}, newest={})", self.limit, self.newest)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{DocSetCollector, TopDocs};
    use tantivy::query::{BooleanQuery, Occur, QueryClone, RangeQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, FAST, INDEXED, STRING};
    use tantivy::{doc, IndexWriter, Order, Term};

    use super::*;

    /// Several segments (some merged, some with deletions) of documents in no date order,
    /// many sharing a date; `tag` is `x` on every third.
    fn index() -> (Index, tantivy::schema::Field, tantivy::schema::Field) {
        let mut builder = Schema::builder();
        let date = builder.add_u64_field("date", FAST | INDEXED);
        let tag = builder.add_text_field("tag", STRING);
        let id = builder.add_u64_field("id", INDEXED);
        let settings = tantivy::IndexSettings {
            sort_by_field: Some(tantivy::IndexSortByField { field: "date".to_string(), order: Order::Desc }),
            ..Default::default()
        };
        let index = Index::builder().schema(builder.build()).settings(settings).create_in_ram().unwrap();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for i in 0..6_000u64 {
            // Scrambled dates over 2017..2026, about 20 documents per date.
            let day = (i * 7_919) % 300;
            let value = 20170101 + (day / 30) * 10_000 + (day % 30) / 3 * 100 + day % 3 + 1;
            let label = if i % 3 == 0 { "x" } else { "y" };
            writer.add_document(doc!(date => value, tag => label, id => i)).unwrap();
            if i % 1_000 == 999 {
                writer.commit().unwrap();
            }
        }
        writer.delete_term(Term::from_field_u64(id, 3));
        writer.delete_term(Term::from_field_u64(id, 4_500));
        writer.commit().unwrap();
        let segments = index.searchable_segment_ids().unwrap();
        writer.merge(&segments[..2]).wait().unwrap();
        writer.wait_merging_threads().unwrap();
        (index, date, tag)
    }

    #[test]
    fn a_newest_first_index_is_recognised() {
        let (index, ..) = index();
        assert!(newest_first(&index));
        let plain = Index::create_in_ram(Schema::builder().build());
        assert!(!newest_first(&plain));
    }

    #[test]
    fn date_ranges_match_what_a_range_query_matches() {
        let (index, date, tag) = index();
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() >= 3);
        let x: Box<dyn Query> = Box::new(TermQuery::new(Term::from_field_text(tag, "x"), IndexRecordOption::Basic));
        for (from, to) in
            [(0, u64::MAX), (20190101, 20191231), (20200302, 20200302), (20260101, u64::MAX), (0, 20161231)]
        {
            let ours = DateRange { from, to };
            let theirs = RangeQuery::new(
                std::ops::Bound::Included(Term::from_field_u64(date, from)),
                std::ops::Bound::Included(Term::from_field_u64(date, to)),
            );
            let found = searcher.search(&ours, &DocSetCollector).unwrap();
            assert_eq!(found, searcher.search(&theirs, &DocSetCollector).unwrap(), "{from}..{to}");
            // Leading an intersection and being led.
            let and_ours = BooleanQuery::new(vec![(Occur::Must, x.box_clone()), (Occur::Must, ours.box_clone())]);
            let and_theirs = BooleanQuery::new(vec![(Occur::Must, x.box_clone()), (Occur::Must, theirs.box_clone())]);
            assert_eq!(
                searcher.search(&and_ours, &DocSetCollector).unwrap(),
                searcher.search(&and_theirs, &DocSetCollector).unwrap()
            );
        }
    }

    #[test]
    fn edges_are_the_newest_and_oldest_pages() {
        let (index, _, tag) = index();
        let searcher = index.reader().unwrap().searcher();
        let x = TermQuery::new(Term::from_field_text(tag, "x"), IndexRecordOption::Basic);
        for newest in [true, false] {
            let order = if newest { Order::Desc } else { Order::Asc };
            let mut previous: Vec<(u64, DocAddress)> = Vec::new();
            for limit in [1, 7, 25, 300] {
                let page = searcher.search(&x, &Edges { limit, newest }).unwrap();
                let reference =
                    searcher.search(&x, &TopDocs::with_limit(limit).order_by_fast_field::<u64>("date", order)).unwrap();
                // The same dates as a date-sorted collector (ties may be other documents).
                let dates: Vec<u64> = page.iter().map(|(date, _)| *date).collect();
                let expected: Vec<u64> = reference.iter().map(|(date, _)| date.unwrap_or(0)).collect();
                assert_eq!(dates, expected, "newest={newest} limit={limit}");
                // A longer page starts with the shorter one, so paging never repeats a hit.
                assert_eq!(&page[..previous.len()], &previous[..], "newest={newest} limit={limit}");
                previous = page;
            }
        }
    }
}
