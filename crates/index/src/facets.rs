//! Counting hits per kommun, kind, organ and year in the same pass as the search, straight from
//! the fast-field columns (term ordinals per segment, turned into strings once at the end).

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// String facet fields counted, in output order.
pub(crate) const STRING_FACETS: [&str; 3] = ["kommun_kod", "kind", "organ"];

/// Counts per value.
#[derive(Debug, Default)]
pub(crate) struct FacetCounts {
    pub strings: [HashMap<String, u64>; 3],
    pub years: HashMap<u64, u64>,
}

impl FacetCounts {
    /// Multiplies every count (extrapolating from a sample), rounding to whole documents.
    pub(crate) fn scale(&mut self, factor: f64) {
        let scaled = |count: &mut u64| *count = (*count as f64 * factor).round() as u64;
        for map in &mut self.strings {
            map.values_mut().for_each(scaled);
        }
        self.years.values_mut().for_each(scaled);
    }
}

pub(crate) struct FacetCollector;

pub(crate) struct FacetSegmentCollector {
    columns: Vec<Option<StrColumn>>,
    /// The columns' term ordinals, read directly when a document has at most one value.
    single_ords: Vec<Option<Column<u64>>>,
    ord_counts: Vec<Vec<u64>>,
    year: Option<Column<u64>>,
    /// Counts per year from [`FIRST_YEAR`], an array rather than a hash map: it is touched once
    /// per match.
    years: Vec<u64>,
    other_years: HashMap<u64, u64>,
    /// Column values of a block of matches.
    buffer: Vec<Option<u64>>,
    /// Matches collected one at a time, not yet counted.
    pending: Vec<DocId>,
}

/// Matches counted together.
const BLOCK: usize = tantivy::COLLECT_BLOCK_BUFFER_LEN;

const FIRST_YEAR: u64 = 1900;
const YEARS: usize = 256;

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(&self, _segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<FacetSegmentCollector> {
        let fast = reader.fast_fields();
        let mut columns = Vec::new();
        let mut single_ords = Vec::new();
        let mut ord_counts = Vec::new();
        for name in STRING_FACETS {
            let column = fast.str(name)?;
            ord_counts.push(vec![0; column.as_ref().map_or(0, |c| c.dictionary().num_terms())]);
            single_ords
                .push(column.as_ref().map(|c| c.ords().clone()).filter(|ords| !ords.get_cardinality().is_multivalue()));
            columns.push(column);
        }
        let year = fast.u64("year").ok();
        Ok(FacetSegmentCollector {
            columns,
            single_ords,
            ord_counts,
            year,
            years: vec![0; YEARS],
            other_years: HashMap::new(),
            buffer: Vec::new(),
            pending: Vec::with_capacity(BLOCK),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut merged = FacetCounts::default();
        for fruit in fruits {
            for (target, source) in merged.strings.iter_mut().zip(fruit.strings) {
                for (value, count) in source {
                    *target.entry(value).or_default() += count;
                }
            }
            for (year, count) in fruit.years {
                *merged.years.entry(year).or_default() += count;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        // One at a time (scored searches): gathered into blocks, counted as a block.
        self.pending.push(doc);
        if self.pending.len() == BLOCK {
            let pending = std::mem::take(&mut self.pending);
            self.collect_block(&pending);
            self.pending = pending;
            self.pending.clear();
        }
    }

    /// A block of matches: each column read for the whole block at once, which spares a
    /// dynamic dispatch and a bounds check per value.
    fn collect_block(&mut self, docs: &[DocId]) {
        self.buffer.clear();
        self.buffer.resize(docs.len(), None);
        for ((column, single), counts) in self.columns.iter().zip(&self.single_ords).zip(self.ord_counts.iter_mut()) {
            if let Some(single) = single {
                self.buffer.fill(None);
                single.first_vals(docs, &mut self.buffer);
                for ord in self.buffer.iter().flatten() {
                    if let Some(count) = counts.get_mut(*ord as usize) {
                        *count += 1;
                    }
                }
            } else if let Some(column) = column {
                for &doc in docs {
                    for ord in column.term_ords(doc) {
                        if let Some(count) = counts.get_mut(ord as usize) {
                            *count += 1;
                        }
                    }
                }
            }
        }
        if let Some(year) = &self.year {
            self.buffer.fill(None);
            year.first_vals(docs, &mut self.buffer);
            let mut buffer = std::mem::take(&mut self.buffer);
            for year in buffer.iter().flatten() {
                self.count_year(*year);
            }
            buffer.clear();
            self.buffer = buffer;
        }
    }

    fn harvest(mut self) -> FacetCounts {
        let pending = std::mem::take(&mut self.pending);
        self.collect_block(&pending);
        self.into_counts()
    }
}

impl FacetSegmentCollector {
    fn count_year(&mut self, year: u64) {
        match year.checked_sub(FIRST_YEAR).and_then(|offset| self.years.get_mut(offset as usize)) {
            Some(count) => *count += 1,
            None => *self.other_years.entry(year).or_default() += 1,
        }
    }

    fn into_counts(self) -> FacetCounts {
        let mut years = self.other_years;
        for (offset, count) in self.years.into_iter().enumerate().filter(|(_, count)| *count > 0) {
            *years.entry(FIRST_YEAR + offset as u64).or_default() += count;
        }
        let mut counts = FacetCounts { years, ..FacetCounts::default() };
        for (index, (column, ords)) in self.columns.iter().zip(self.ord_counts).enumerate() {
            let Some(column) = column else { continue };
            // Resolve the counted ordinals in one sorted walk of the dictionary: one block
            // decode per block instead of one per value.
            let counted: Vec<(u64, u64)> =
                ords.into_iter().enumerate().filter(|(_, count)| *count > 0).map(|(o, c)| (o as u64, c)).collect();
            let sorted: Vec<u64> = counted.iter().map(|(ord, _)| *ord).collect();
            let mut values = counted.iter().map(|(_, count)| *count);
            let target = &mut counts.strings[index];
            let _ = column.dictionary().sorted_ords_to_term_cb(&sorted, |bytes| {
                if let (Ok(text), Some(count)) = (std::str::from_utf8(bytes), values.next()) {
                    *target.entry(text.to_string()).or_default() += count;
                }
            });
        }
        counts
    }
}

/// Per kommun: how many documents and the newest document date (YYYYMMDD).
#[derive(Debug, Default)]
pub(crate) struct FreshnessCounts {
    pub by_kommun: HashMap<String, (u64, u64)>,
}

pub(crate) struct FreshnessCollector;

pub(crate) struct FreshnessSegmentCollector {
    kommun: Option<StrColumn>,
    date: Option<Column<u64>>,
    per_ord: Vec<(u64, u64)>,
}

impl Collector for FreshnessCollector {
    type Fruit = FreshnessCounts;
    type Child = FreshnessSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FreshnessSegmentCollector> {
        let kommun = reader.fast_fields().str("kommun_kod")?;
        let per_ord = vec![(0, 0); kommun.as_ref().map_or(0, |c| c.dictionary().num_terms())];
        Ok(FreshnessSegmentCollector { kommun, date: reader.fast_fields().u64("date").ok(), per_ord })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FreshnessCounts>) -> tantivy::Result<FreshnessCounts> {
        let mut merged = FreshnessCounts::default();
        for fruit in fruits {
            for (code, (count, newest)) in fruit.by_kommun {
                let entry = merged.by_kommun.entry(code).or_default();
                entry.0 += count;
                entry.1 = entry.1.max(newest);
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for FreshnessSegmentCollector {
    type Fruit = FreshnessCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let Some(kommun) = &self.kommun else { return };
        let date = self.date.as_ref().and_then(|column| column.first(doc)).unwrap_or(0);
        for ord in kommun.term_ords(doc) {
            if let Some(entry) = self.per_ord.get_mut(ord as usize) {
                entry.0 += 1;
                entry.1 = entry.1.max(date);
            }
        }
    }

    fn harvest(self) -> FreshnessCounts {
        let mut counts = FreshnessCounts::default();
        let Some(kommun) = &self.kommun else { return counts };
        let mut text = String::new();
        for (ord, (count, newest)) in self.per_ord.into_iter().enumerate() {
            if count > 0 && kommun.ord_to_str(ord as u64, &mut text).unwrap_or(false) {
                counts.by_kommun.insert(text.clone(), (count, newest));
            }
        }
        counts
    }
}
