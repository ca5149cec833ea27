//! How a parsed query becomes tantivy queries: filters, the ways each word can match (see the
//! module documentation of [`crate::search`]), phrases, synonyms, diarienummer.

use std::ops::Bound;

use chrono::NaiveDate;
use namndsok_model::CaseNumber;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::fuzzy;
use crate::query::{Clause, ParsedQuery};
use crate::request::SearchRequest;
use crate::search::*;
use crate::tier::{seekable, AddScore, AtLeast, PlainSeeks, Weighted};
use crate::SearchIndex;

impl SearchIndex {
    /// Filters as non-scoring clauses.
    pub(crate) fn filter_queries(&self, request: &SearchRequest) -> Vec<Box<dyn Query>> {
        let mut filters: Vec<Box<dyn Query>> = Vec::new();
        let mut any_of = |field: &str, values: &[String]| {
            if values.is_empty() {
                return;
            }
            let field = self.fields.get(field);
            let terms: Vec<(Occur, Box<dyn Query>)> = values
                .iter()
                .map(|value| {
                    let query: Box<dyn Query> =
                        Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic));
                    (Occur::Should, query)
                })
                .collect();
            filters.push(Box::new(BooleanQuery::new(terms)));
        };
        any_of("kommun_kod", &request.kommun);
        any_of("lan", &request.lan);
        any_of("kind", &request.kind.iter().map(|k| k.as_str().to_string()).collect::<Vec<_>>());
        any_of("organ", &request.organ);
        if (request.from.is_some() || request.to.is_some()) && self.newest_first {
            filters.push(Box::new(requested_dates(request)));
        } else if request.from.is_some() || request.to.is_some() {
            let field = self.fields.get("date");
            let bound = |date: Option<NaiveDate>| match date {
                Some(date) => Bound::Included(Term::from_field_u64(field, yyyymmdd(date))),
                None => Bound::Unbounded,
            };
            filters.push(Box::new(RangeQuery::new(bound(request.from), bound(request.to))));
        }
        filters
    }

    pub(crate) fn combine(&self, text: Box<dyn Query>, filters: &[Box<dyn Query>]) -> Box<dyn Query> {
        if filters.is_empty() {
            return text;
        }
        // A filter usually leads the intersection, so the text is asked about sparse
        // candidates: lazily seeking unions (measured: 18–22 % fewer instructions for a word
        // with a kommun or a date range).
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, seekable(text.as_ref()))];
        for filter in filters {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(filter.box_clone(), 0.0))));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// The scoring part of the search.
    pub(crate) fn text_query(&self, searcher: &Searcher, parsed: &ParsedQuery, mode: Mode<'_>) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();

        for (index, case) in parsed.case_numbers.iter().enumerate() {
            let spelling = parsed.case_spellings.get(index).map(String::as_str);
            clauses.push((Occur::Must, self.case_number_query(case, spelling)));
        }
        let words: Vec<ClauseQuery> = self
            .group_synonym_phrases(&parsed.required)
            .iter()
            .filter_map(|clause| self.clause_query(searcher, clause, mode))
            .collect();
        if mode.strict {
            clauses.extend(words.into_iter().map(|query| (Occur::Must, query.plain())));
        } else if !words.is_empty() {
            // Tiers: each matched word adds TIER, so the documents that match every word come
            // first and, unless a word also matched loosely, are counted in the same pass; at
            // least half of the words must match.
            mode.loosened.tiers.set(words.len());
            let minimum = words.len().div_ceil(2);
            if words.iter().any(|word| word.partial.is_some()) {
                mode.loosened.within.set(true);
            }
            let tiered: Vec<Box<dyn Query>> = words.into_iter().map(ClauseQuery::tiered).collect();
            let minimum = if mode.top_tier { tiered.len() } else { minimum };
            clauses.push((Occur::Must, Box::new(AtLeast::new(tiered, minimum))));
        }
        if mode.proximity {
            if let Some(proximity) = self.proximity_query(parsed) {
                clauses.push((Occur::Should, proximity));
            }
        }
        let has_positive = clauses.iter().any(|(occur, _)| *occur == Occur::Must);
        for clause in &parsed.excluded {
            if let Some(query) = self.exclusion_query(searcher, clause, mode.typos) {
                clauses.push((Occur::MustNot, Box::new(PlainSeeks(query))));
            }
        }
        if !has_positive {
            if parsed.is_empty() {
                clauses.push((Occur::Must, Box::new(AllQuery)));
            } else {
                // Words that analyse to nothing (only stop words): nothing matches.
                return Box::new(EmptyQuery);
            }
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Proximity: all the plain words next to each other, in order, score extra.
    pub(crate) fn proximity_query(&self, parsed: &ParsedQuery) -> Option<Box<dyn Query>> {
        let plain: Vec<&str> = parsed
            .required
            .iter()
            .filter_map(|c| if let Clause::Word(w) = c { Some(w.as_str()) } else { None })
            .collect();
        if plain.len() < 2 {
            return None;
        }
        let phrase = self.phrase_query(&plain.join(" "), 2)?;
        Some(Box::new(Weighted::new(phrase, self.schema_config.ranking.phrase)))
    }

    pub(crate) fn case_number_query(&self, case: &CaseNumber, spelling: Option<&str>) -> Box<dyn Query> {
        let ranking = &self.schema_config.ranking;
        let key = case.key();
        let term = |field: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(self.fields.get(field), &key), IndexRecordOption::Basic))
        };
        let matches: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Should, Box::new(Weighted::new(term("dnr"), ranking.case_number))),
            (Occur::Should, Box::new(Weighted::new(term("dnr_ref"), ranking.case_reference))),
        ]));
        // Among the documents that carry the number, the registered case (ärende) comes first.
        let is_case: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(self.fields.get("kind"), namndsok_model::Kind::Arende.as_str()),
            IndexRecordOption::Basic,
        ));
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, matches),
            (Occur::Should, Box::new(ConstScoreQuery::new(is_case, ranking.case_reference))),
        ];
        // Spelled exactly as the kommun spells it: a tie-breaker between kommuner.
        if let Some(spelling) = spelling {
            let spelled =
                TermQuery::new(Term::from_field_text(self.fields.get("dnr"), spelling), IndexRecordOption::Basic);
            clauses
                .push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(spelled), ranking.case_reference / 2.0))));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Runs of words that form a multi-word synonym term (`särskilt boende`) become one clause
    /// that also accepts the synonyms.
    pub(crate) fn group_synonym_phrases(&self, clauses: &[Clause]) -> Vec<Clause> {
        let max = self.synonyms.max_words();
        let mut out = Vec::new();
        let mut index = 0;
        'outer: while index < clauses.len() {
            for length in (2..=max).rev() {
                let Some(run) = clauses.get(index..index + length) else { continue };
                let words: Option<Vec<String>> =
                    run.iter().map(|c| if let Clause::Word(w) = c { Some(w.clone()) } else { None }).collect();
                let Some(words) = words else { continue };
                let key = self.analyse(&words.join(" "));
                if !self.synonyms.expansions(&key.join(" ")).is_empty() {
                    out.push(Clause::Phrase(words));
                    index += length;
                    continue 'outer;
                }
            }
            out.push(clauses[index].clone());
            index += 1;
        }
        out
    }

    pub(crate) fn clause_query(&self, searcher: &Searcher, clause: &Clause, mode: Mode<'_>) -> Option<ClauseQuery> {
        match clause {
            Clause::Word(word) => self.word_query(searcher, word, mode),
            Clause::Phrase(words) => {
                let text = words.join(" ");
                let stems = self.analyse(&text);
                let mut ways: Vec<Box<dyn Query>> = Vec::new();
                // A phrase with stop words ("beslut om") is matched word for word in the exact
                // fields; one without ("norra hamnen") in the main fields, inflections and all.
                let exact = self.exact_phrase_query(&text).filter(|_| self.has_stop_words(&text, &stems));
                let phrase = match (exact, stems.len()) {
                    (Some(exact), _) => exact,
                    (None, 0) => return None,
                    (None, 1) => return self.word_query(searcher, &text, mode),
                    (None, _) => self.phrase_query(&text, 0)?,
                };
                if mode.strict {
                    ways.push(phrase);
                } else {
                    mode.loosened.within.set(true);
                    // The exact phrase first, then all its words anywhere, then most of them.
                    let word_queries: Vec<Box<dyn Query>> = words
                        .iter()
                        .filter_map(|word| self.word_query(searcher, word, mode))
                        .map(ClauseQuery::plain)
                        .collect();
                    let minimum = word_queries.len().div_ceil(2);
                    let all_words =
                        BooleanQuery::new(word_queries.iter().map(|q| (Occur::Must, q.box_clone())).collect());
                    let most_words = BooleanQuery::with_minimum_required_clauses(
                        word_queries.into_iter().map(|q| (Occur::Should, q)).collect(),
                        minimum,
                    );
                    ways.push(Box::new(BooleanQuery::new(vec![
                        (Occur::Must, Box::new(most_words) as Box<dyn Query>),
                        (Occur::Should, Box::new(ConstScoreQuery::new(phrase, PHRASE_TIER))),
                        (Occur::Should, Box::new(ConstScoreQuery::new(Box::new(all_words), PHRASE_TIER / 4.0))),
                    ])));
                }
                for synonym in self.synonyms.expansions(&stems.join(" ")) {
                    if let Some(query) = self.synonym_query(synonym) {
                        // A synonym of the whole phrase ranks just below the phrase itself.
                        let boosted: Box<dyn Query> =
                            Box::new(Weighted::new(query, self.schema_config.ranking.synonym));
                        let tier: Box<dyn Query> = Box::new(ConstScoreQuery::new(boosted.box_clone(), PHRASE_TIER));
                        ways.push(Box::new(BooleanQuery::new(vec![(Occur::Must, boosted), (Occur::Should, tier)])));
                    }
                }
                Some(ClauseQuery { ways, partial: None })
            }
            Clause::Any(alternatives) => {
                let queries: Vec<(Occur, Box<dyn Query>)> = alternatives
                    .iter()
                    .filter_map(|c| self.clause_query(searcher, c, mode))
                    .map(|q| (Occur::Should, q.plain()))
                    .collect();
                (!queries.is_empty())
                    .then(|| ClauseQuery { ways: vec![Box::new(BooleanQuery::new(queries))], partial: None })
            }
        }
    }

    /// What an excluded clause takes away: every document the clause finds as a search of its
    /// own — its stems, compound parts (its modifier alone too, as a search ranks it low),
    /// folded form, synonyms and the kommun a place name names; a quoted clause exactly its
    /// phrase; typo corrections only when that search would make them (few exact matches, or a
    /// word the index lacks). So no hit of `q -w` is a hit of `w`.
    pub(crate) fn exclusion_query(&self, searcher: &Searcher, clause: &Clause, typos: bool) -> Option<Box<dyn Query>> {
        let loosened = Loosened::default();
        let strict = Mode { typos, fuzzy: false, strict: true, top_tier: false, proximity: false, loosened: &loosened };
        let fuzzy = typos && {
            let fuzzy_below = self.schema_config.ranking.fuzzy_below;
            let exact = self.clause_query(searcher, clause, strict)?.plain();
            count_up_to(searcher, exact.as_ref(), fuzzy_below).unwrap_or(fuzzy_below) < fuzzy_below
        };
        let phrase = matches!(clause, Clause::Phrase(_));
        self.clause_query(searcher, clause, Mode { fuzzy, strict: phrase, ..strict }).map(ClauseQuery::plain)
    }

    /// Every way one typed word can match; see the module documentation.
    pub(crate) fn word_query(&self, searcher: &Searcher, word: &str, mode: Mode<'_>) -> Option<ClauseQuery> {
        let ranking = &self.schema_config.ranking;
        let stems = self.analyse(word);
        match stems.len() {
            0 => return None,
            1 => {}
            // `e-tjänst`, `2023/24`: the pieces in a row.
            _ => return self.phrase_query(word, 0).map(|phrase| ClauseQuery { ways: vec![phrase], partial: None }),
        }
        let stem = &stems[0];
        let mut ways: Vec<Box<dyn Query>> = Vec::new();
        let mut partial: Option<Box<dyn Query>> = None;

        // 1. Whole word.
        ways.push(self.fields_query(&[("title", ranking.title), ("body", ranking.body)], stem));
        // 2a. The word as part of a compound in the document. (A zero weight turns a way off.)
        let parts_weight = ranking.parts;
        if parts_weight > 0.0 {
            ways.push(self.fields_query(
                &[("title_parts", ranking.title * parts_weight), ("body_parts", ranking.body * parts_weight)],
                stem,
            ));
        }
        // 2b. The query word's own parts, all of them, anywhere in the document.
        let lowercase = word.to_lowercase();
        let parts = if parts_weight > 0.0 { self.resources.lexicon.split_top(&lowercase) } else { None };
        if let Some(parts) = parts {
            let mut part_stems: Vec<String> = Vec::new();
            for part in parts {
                if let Some(part_stem) = self.analyse(&part).into_iter().next() {
                    if !part_stems.contains(&part_stem) && &part_stem != stem {
                        part_stems.push(part_stem);
                    }
                }
            }
            if part_stems.len() >= 2 {
                let all_parts: Vec<(Occur, Box<dyn Query>)> = part_stems
                    .iter()
                    .map(|part| {
                        let any_field = self.fields_query(
                            &[
                                ("title", ranking.title),
                                ("body", ranking.body),
                                ("title_parts", ranking.title),
                                ("body_parts", ranking.body),
                            ],
                            part,
                        );
                        (Occur::Must, any_field)
                    })
                    .collect();
                let weight = parts_weight / part_stems.len() as f32;
                let modifiers: Vec<(Occur, Box<dyn Query>)> = all_parts[..all_parts.len() - 1]
                    .iter()
                    .map(|(_, query)| (Occur::Must, query.box_clone()))
                    .collect();
                ways.push(Box::new(Weighted::new(Box::new(BooleanQuery::new(all_parts)), weight)));
                // The modifier without the head (`skolskjuts` for `skolskjutsupphandling`,
                // `batteri` for `batterifabrik`): related, but well below all of them. The head
                // alone (`fabrik`) is too general to count.
                if !mode.strict {
                    partial =
                        Some(Box::new(Weighted::new(Box::new(BooleanQuery::new(modifiers)), weight * PARTIAL_PARTS)));
                }
            }
        }
        // 3. Synonyms (looked up folded too, for words typed without å/ä/ö).
        let mut synonyms: Vec<&String> =
            if ranking.synonym > 0.0 { self.synonyms.expansions(stem).iter().collect() } else { Vec::new() };
        if lowercase.is_ascii() && ranking.synonym > 0.0 {
            synonyms.extend(self.synonyms_folded.expansions(&namndsok_analysis::AsciiFold::fold(stem)));
        }
        // (Folded and unfolded lookups often agree: each synonym once.)
        let mut seen = std::collections::HashSet::new();
        synonyms.retain(|synonym| seen.insert(*synonym));
        for synonym in synonyms {
            if let Some(query) = self.synonym_query(synonym) {
                ways.push(Box::new(Weighted::new(query, ranking.synonym)));
            }
        }
        // A kommun's name also matches that kommun's documents.
        let place =
            lowercase.strip_suffix('s').filter(|rest| self.place_names.contains_key(*rest)).unwrap_or(&lowercase);
        if let Some(codes) = self.place_names.get(place).filter(|_| ranking.place_name > 0.0) {
            let field = self.fields.get("kommun_kod");
            for code in codes {
                let query = TermQuery::new(Term::from_field_text(field, code), IndexRecordOption::Basic);
                ways.push(Box::new(ConstScoreQuery::new(Box::new(query), ranking.place_name)));
            }
        }
        // 4. Without å/ä/ö.
        if lowercase.is_ascii() && ranking.fold > 0.0 {
            let mut fold = self.analyzers.sv_fold.clone();
            if let Some(folded) = namndsok_analysis::token_texts(&mut fold, &lowercase).into_iter().next() {
                ways.push(self.fields_query(
                    &[("title_fold", ranking.title * ranking.fold), ("body_fold", ranking.body * ranking.fold)],
                    &folded,
                ));
            }
        }
        // Documents in other languages, in their own analysis (only terms the index holds).
        for tagged in self.foreign_query_tokens(&lowercase) {
            if self.document_frequency(searcher, &["title_foreign", "body_foreign"], &tagged) > 0 {
                ways.push(
                    self.fields_query(&[("title_foreign", ranking.title), ("body_foreign", ranking.body)], &tagged),
                );
            }
        }
        // 5. Typos: for every word when all words together find little, and always for a word
        // the index does not contain.
        let typed_chars = lowercase.chars().count();
        let unknown = || self.document_frequency(searcher, &["title", "body", "title_parts", "body_parts"], stem) == 0;
        let typo_tolerant =
            mode.typos && ranking.fuzzy > 0.0 && typed_chars >= 5 && lowercase.chars().all(char::is_alphabetic);
        if typo_tolerant && (mode.fuzzy || unknown()) {
            let distance = if typed_chars >= 8 { 2 } else { 1 };
            let mut bases = vec![lowercase.clone()];
            if stem != &lowercase {
                bases.push(stem.clone());
            }
            let fields = [("title", ranking.title), ("body", ranking.body)];
            let weighted = mode
                .loosened
                .expansions
                .borrow_mut()
                .entry(lowercase.clone())
                .or_insert_with(|| {
                    let terms =
                        fuzzy::expand(searcher, &fields.map(|(field, _)| self.fields.get(field)), &bases, distance);
                    let mut weighted = Vec::new();
                    for (field, weight) in fields {
                        for (term, factor) in fuzzy::blended(searcher, self.fields.get(field), &terms) {
                            weighted.push((term, weight * ranking.fuzzy * factor));
                        }
                    }
                    weighted
                })
                .clone();
            ways.extend(term_sum(weighted));
        }
        Some(ClauseQuery { ways, partial })
    }

    /// Documents containing `text` in any of `fields` (summed over fields; deleted documents
    /// may be counted until a merge, which is fine for a "does this word exist" check).
    pub(crate) fn document_frequency(&self, searcher: &Searcher, fields: &[&str], text: &str) -> u64 {
        fields
            .iter()
            .map(|field| searcher.doc_freq(&Term::from_field_text(self.fields.get(field), text)).unwrap_or(0))
            .sum()
    }

    /// One term in several fields, each with its weight, summed.
    pub(crate) fn fields_query(&self, fields: &[(&str, f32)], text: &str) -> Box<dyn Query> {
        let clauses: Vec<(Occur, Box<dyn Query>)> = fields
            .iter()
            .map(|(field, weight)| {
                let term = Term::from_field_text(self.fields.get(field), text);
                let query: Box<dyn Query> =
                    Box::new(Weighted::new(Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)), *weight));
                (Occur::Should, query)
            })
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }

    /// A synonym: one word in the title or body, or as a compound part (`busstrafik` in
    /// `stadsbusstrafiken`); several words as a phrase.
    pub(crate) fn synonym_query(&self, text: &str) -> Option<Box<dyn Query>> {
        let ranking = &self.schema_config.ranking;
        let stems = self.analyse(text);
        match stems.len() {
            0 => None,
            1 => Some(self.fields_query(
                &[
                    ("title", ranking.title),
                    ("body", ranking.body),
                    ("title_parts", ranking.title * ranking.parts),
                    ("body_parts", ranking.body * ranking.parts),
                ],
                &stems[0],
            )),
            _ => self.phrase_query(text, 0),
        }
    }

    /// The analysed words of `text` in order, in the title or the body, within `slop`.
    pub(crate) fn phrase_query(&self, text: &str, slop: u32) -> Option<Box<dyn Query>> {
        let ranking = &self.schema_config.ranking;
        let mut analyzer = self.analyzers.sv.clone();
        let tokens = namndsok_analysis::tokens(&mut analyzer, text);
        if tokens.len() < 2 {
            return tokens
                .first()
                .map(|t| self.fields_query(&[("title", ranking.title), ("body", ranking.body)], &t.text));
        }
        let first = tokens[0].position;
        let mut per_field: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, weight) in [("title", ranking.title), ("body", ranking.body)] {
            let field = self.fields.get(field);
            let terms: Vec<(usize, Term)> =
                tokens.iter().map(|t| (t.position - first, Term::from_field_text(field, &t.text))).collect();
            let phrase = PhraseQuery::new_with_offset_and_slop(terms, slop);
            per_field.push((Occur::Should, Box::new(Weighted::new(Box::new(phrase), weight))));
        }
        Some(Box::new(BooleanQuery::new(per_field)))
    }

    /// `text` word for word (lower case, stop words kept) in the title or the body: what a
    /// quoted phrase with stop words means. Its bigrams with stop words (`beslut_om`) in the
    /// common-grams field, and its other words in order in the main field (whose positions keep
    /// the stop words' gaps), in the same field (see `namndsok_analysis::grams`). `None` for
    /// fewer than two words.
    pub(crate) fn exact_phrase_query(&self, text: &str) -> Option<Box<dyn Query>> {
        let ranking = &self.schema_config.ranking;
        let mut analyzer = self.analyzers.sv_exact.clone();
        let words: Vec<String> = namndsok_analysis::token_texts(&mut analyzer, text);
        let bigrams = namndsok_analysis::phrase_terms(&words, &self.resources.stop_words);
        if words.len() < 2 || bigrams.is_empty() {
            return None;
        }
        let mut sv = self.analyzers.sv.clone();
        let tokens = namndsok_analysis::tokens(&mut sv, text);
        let per_field: Vec<(Occur, Box<dyn Query>)> =
            [("title_grams", "title", ranking.title), ("body_grams", "body", ranking.body)]
                .into_iter()
                .map(|(grams, main, weight)| {
                    let grams = self.fields.get(grams);
                    let mut all: Vec<(Occur, Box<dyn Query>)> = bigrams
                        .iter()
                        .map(|bigram| {
                            let term = Term::from_field_text(grams, bigram);
                            (
                                Occur::Must,
                                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
                            )
                        })
                        .collect();
                    // Two or more other words: in order, with the stop words' gaps between them.
                    if tokens.len() >= 2 {
                        let main = self.fields.get(main);
                        let first = tokens[0].position;
                        let terms: Vec<(usize, Term)> =
                            tokens.iter().map(|t| (t.position - first, Term::from_field_text(main, &t.text))).collect();
                        all.push((Occur::Must, Box::new(PhraseQuery::new_with_offset_and_slop(terms, 0))));
                    }
                    (Occur::Should, Box::new(Weighted::new(Box::new(BooleanQuery::new(all)), weight)) as Box<dyn Query>)
                })
                .collect();
        Some(Box::new(BooleanQuery::new(per_field)))
    }

    /// Whether the main-field analysis dropped words of `text` (stop words) to give `stems`.
    fn has_stop_words(&self, text: &str, stems: &[String]) -> bool {
        let mut analyzer = self.analyzers.sv_exact.clone();
        namndsok_analysis::tokens(&mut analyzer, text).len() > stems.len()
    }

    /// A filter: every one of `words` in the title — whole, as a compound part, or without
    /// å/ä/ö. `None` when no word is left after analysis.
    pub(crate) fn title_query(&self, words: &[String]) -> Option<Box<dyn Query>> {
        let mut fold = self.analyzers.sv_fold.clone();
        let clauses: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .filter_map(|word| {
                let stem = self.analyse(word).into_iter().next()?;
                let mut ways = vec![(Occur::Should, self.fields_query(&[("title", 1.0), ("title_parts", 1.0)], &stem))];
                let lowercase = word.to_lowercase();
                if lowercase.is_ascii() {
                    if let Some(folded) = namndsok_analysis::token_texts(&mut fold, &lowercase).into_iter().next() {
                        ways.push((Occur::Should, self.fields_query(&[("title_fold", 1.0)], &folded)));
                    }
                }
                Some((Occur::Must, Box::new(BooleanQuery::new(ways)) as Box<dyn Query>))
            })
            .collect();
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }

    /// The main-field tokens of a text.
    pub(crate) fn analyse(&self, text: &str) -> Vec<String> {
        let mut analyzer = self.analyzers.sv.clone();
        namndsok_analysis::token_texts(&mut analyzer, text)
    }
}

/// One query clause (a word, a quoted phrase, alternatives) as the ways it can match, and a
/// weaker way that a strict search leaves out (a compound's modifier alone: `batteri` for
/// `batterifabrik`).
pub(crate) struct ClauseQuery {
    pub(crate) ways: Vec<Box<dyn Query>>,
    pub(crate) partial: Option<Box<dyn Query>>,
}

impl ClauseQuery {
    /// All ways as one sum.
    pub(crate) fn plain(self) -> Box<dyn Query> {
        let ClauseQuery { mut ways, partial } = self;
        ways.extend(partial);
        if ways.len() == 1 {
            return ways.pop().expect("one way");
        }
        Box::new(BooleanQuery::new(ways.into_iter().map(|way| (Occur::Should, way)).collect()))
    }

    /// As [`plain`](Self::plain), plus [`TIER`] where it matches, so that the score tells how
    /// many clauses a document matches (each clause is scored once).
    pub(crate) fn tiered(self) -> Box<dyn Query> {
        Box::new(AddScore::new(self.plain(), TIER))
    }
}
