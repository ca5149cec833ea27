//! Shaping results: hits with snippets, facet values with labels.

use namndsok_model::Document;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Score, Searcher};

use crate::facets::FacetCounts;
use crate::query::{Clause, ParsedQuery};
use crate::search::*;
use crate::{IndexError, SearchIndex};

impl SearchIndex {
    /// The snippet generator of a search, highlighting every stem the query can match by —
    /// words, their parts and synonyms — and those stems (see [`snippet_window`]; none for a
    /// search by diarienummer or filters only).
    pub(crate) fn snippet_generator(
        &self,
        searcher: &Searcher,
        parsed: &ParsedQuery,
    ) -> Result<(SnippetGenerator, Vec<String>), IndexError> {
        let mut terms = std::collections::BTreeMap::new();
        let mut add = |text: &str, weight: f32| {
            for stem in self.analyse(text) {
                terms.entry(stem).or_insert(weight);
            }
        };
        let mut stack: Vec<&Clause> = parsed.required.iter().collect();
        while let Some(clause) = stack.pop() {
            match clause {
                Clause::Word(word) => {
                    add(word, 1.0);
                    for stem in self.analyse(word) {
                        for synonym in self.synonyms.expansions(&stem) {
                            add(synonym, 0.5);
                        }
                    }
                    if let Some(parts) = self.resources.lexicon.split_top(&word.to_lowercase()) {
                        for part in parts {
                            add(&part, 0.5);
                        }
                    }
                }
                Clause::Phrase(words) => add(&words.join(" "), 1.0),
                Clause::Any(alternatives) => stack.extend(alternatives),
            }
        }
        let _ = searcher;
        let needles: Vec<String> = terms.keys().cloned().collect();
        let mut generator =
            SnippetGenerator::new(terms, self.analyzers.sv_highlight.clone(), self.fields.get("body"), SNIPPET_CHARS);
        generator.set_max_num_chars(SNIPPET_CHARS);
        Ok((generator, needles))
    }

    pub(crate) fn facets(&self, counts: FacetCounts) -> Facets {
        let [kommun, kind, organ] = counts.strings;
        let sorted = |map: std::collections::HashMap<String, u64>, label: &dyn Fn(&str) -> String| {
            let mut values: Vec<FacetValue> =
                map.into_iter().map(|(value, count)| FacetValue { label: label(&value), value, count }).collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            values
        };
        let registry = self.registry;
        let mut organ = sorted(organ, &|value| value.to_string());
        organ.truncate(MAX_ORGAN_FACETS);
        let mut year: Vec<FacetValue> = counts
            .years
            .into_iter()
            .map(|(year, count)| FacetValue { value: year.to_string(), label: year.to_string(), count })
            .collect();
        year.sort_by(|a, b| b.value.cmp(&a.value));
        Facets {
            kommun: sorted(kommun, &|code| registry.by_code(code).map_or_else(|| code.to_string(), |o| o.name.clone())),
            kind: sorted(kind, &|kind| {
                namndsok_model::Kind::parse(kind).map_or(kind.to_string(), |k| k.label().to_string())
            }),
            organ,
            year,
        }
    }
}

pub(crate) fn to_hit(document: Document, score: Score, snippets: &SnippetGenerator, needles: &[String]) -> Hit {
    let language = crate::language::detect(&document);
    let body = document.body.as_deref().unwrap_or("");
    let snippet_html = if needles.is_empty() {
        // Nothing to highlight (a diarienummer, filters only): the text's beginning.
        leading_text_html(body)
    } else {
        let window = snippet_window(body, needles);
        let mut snippet = snippets.snippet(window);
        if snippet.highlighted().is_empty() && window.len() < body.len() {
            // The literal match was not a word the analysis highlights: the whole text.
            snippet = snippets.snippet(body);
        }
        snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
        if snippet.highlighted().is_empty() {
            leading_text_html(body)
        } else {
            snippet.to_html()
        }
    };
    Hit {
        kind: document.kind.as_str(),
        id: document.id,
        kommun_kod: document.kommun_kod,
        kommun: document.kommun,
        organ: document.organ,
        diarienummer: document.diarienummer,
        title: document.title,
        snippet: snippet_html,
        date: document.date,
        publish_from: document.publish_from,
        publish_to: document.publish_to,
        url: document.url,
        score,
        language,
        part_of: document.part_of,
        paragraph: document.paragraph,
        page: document.page,
        text_origin: document.text_origin.map(namndsok_model::TextOrigin::as_str),
        files: document.files,
    }
}

/// The part of `body` worth analysing for a snippet: a snippet's length either side of the
/// spot where most of `needles` (the highlighted stems) occur close together, found by plain
/// case-insensitive substring search. Analysing a protokoll of several kilobytes through the
/// Swedish pipeline (decompounding, stemming) for each of ten hits was a fixed cost of every
/// search; the window gives the same snippet wherever the words are near each other. When no
/// needle occurs literally (a synonym, a typo, a word typed without å/ä/ö), the whole body.
pub(crate) fn snippet_window<'a>(body: &'a str, needles: &[String]) -> &'a str {
    const REACH: usize = SNIPPET_CHARS;
    if body.len() <= REACH * 2 || needles.is_empty() {
        return body;
    }
    let lower = body.to_lowercase();
    if lower.len() != body.len() {
        return body;
    }
    // Every occurrence of every needle, as (position, needle).
    let mut found: Vec<(usize, usize)> = Vec::new();
    for (index, needle) in needles.iter().enumerate().filter(|(_, needle)| needle.chars().count() >= 3) {
        found.extend(lower.match_indices(needle.as_str()).map(|(at, _)| (at, index)).take(64));
    }
    if found.is_empty() {
        return body;
    }
    found.sort_unstable();
    // The window of one snippet's length holding the most different needles (the earliest wins).
    let (mut best, mut best_count) = (found[0].0, 0);
    let mut seen = vec![0usize; needles.len()];
    let (mut distinct, mut start) = (0, 0);
    for end in 0..found.len() {
        if seen[found[end].1] == 0 {
            distinct += 1;
        }
        seen[found[end].1] += 1;
        while found[end].0 - found[start].0 > SNIPPET_CHARS {
            seen[found[start].1] -= 1;
            if seen[found[start].1] == 0 {
                distinct -= 1;
            }
            start += 1;
        }
        if distinct > best_count {
            (best, best_count) = (found[start].0, distinct);
        }
    }
    let mut from = best.saturating_sub(REACH);
    while !body.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (best + REACH).min(body.len());
    while !body.is_char_boundary(to) {
        to += 1;
    }
    // Start and end at word boundaries, so no word is cut into a different one.
    if from > 0 {
        from = body[from..best].find(char::is_whitespace).map_or(from, |space| from + space + 1);
    }
    if to < body.len() {
        to = body[..to].rfind(char::is_whitespace).filter(|&space| space > from).unwrap_or(to);
    }
    &body[from..to]
}

/// The start of a text, cut at a word boundary, HTML-escaped.
pub(crate) fn leading_text_html(text: &str) -> String {
    let mut end = text.len().min(SNIPPET_CHARS);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end < text.len() {
        end = text[..end].rfind(' ').unwrap_or(end);
    }
    let mut html = escape_html(&text[..end]);
    if end < text.len() {
        html.push_str(" …");
    }
    html
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(crate) fn a_snippet_window_holds_the_words_close_together() {
        let filler = "Sammanträdet öppnades och protokollet justerades utan anmärkning. ".repeat(40);
        let body = format!(
            "{filler}Detaljplanen nämns här. {filler}Kommunstyrelsen antar detaljplan för batterifabriken i Torslanda. {filler}"
        );
        let needles = vec!["detaljplan".to_string(), "batterifabrik".to_string()];
        let window = snippet_window(&body, &needles);
        assert!(window.len() < 600, "{}", window.len());
        assert!(window.contains("antar detaljplan för batterifabriken"), "{window}");
        // Starts and ends between words, never inside one.
        assert!(body.contains(window));
        let at = body.find(window).unwrap();
        assert!(at == 0 || body[..at].ends_with(char::is_whitespace));
        // No needle literally present, or a short body: all of it.
        assert_eq!(snippet_window(&body, &["vätgas".to_string()]), body);
        assert_eq!(snippet_window("kort text om detaljplan", &needles), "kort text om detaljplan");
    }
}
