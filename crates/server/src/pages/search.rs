//! `/`: the search form, the active filters, facets, results with paging and the kommun map.
//!
//! Everything works without JavaScript: filters and the map are links that add or remove a
//! parameter, paging is links, the search form is a plain GET.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::params::cursor_for_offset;
use maud::{html, Markup, PreEscaped};
use namndsok_index::{FacetValue, SearchRequest, SearchResponse, Sort};
use namndsok_model::{Kind, Registry};

use super::layout::{document_href, page, query_string};

/// The kommun map: `# viewBox 0 0 W H`, then `kommunkod<TAB>name<TAB>svg path`.
const MAP_TSV: &str = include_str!("../../assets/kommuner-map.tsv");

/// Kommuner listed before "Fler kommuner".
const TOP_KOMMUNER: usize = 12;

/// The filters a search page carries (and a link can toggle).
const FILTERS: &[&str] = &["kommun", "lan", "kind", "organ"];

/// The current search's parameters, without paging.
#[derive(Clone)]
pub struct PageState {
    pub pairs: Vec<(String, String)>,
}

impl PageState {
    /// The page's state from the request's parameters: without the cursor and empty values.
    pub fn new(pairs: &[(String, String)]) -> PageState {
        PageState { pairs: pairs.iter().filter(|(k, v)| k != "cursor" && !v.trim().is_empty()).cloned().collect() }
    }

    fn href(&self, pairs: &[(String, String)]) -> String {
        let query = query_string(pairs);
        if query.is_empty() {
            "/".to_string()
        } else {
            format!("/?{query}")
        }
    }

    fn has(&self, key: &str, value: &str) -> bool {
        self.pairs.iter().any(|(k, v)| k == key && v == value)
    }

    /// Link that adds a filter (or removes it when already active).
    fn toggle(&self, key: &str, value: &str) -> String {
        let mut pairs: Vec<(String, String)> = self.pairs.clone();
        if self.has(key, value) {
            pairs.retain(|(k, v)| !(k == key && v == value));
        } else {
            pairs.push((key.to_string(), value.to_string()));
        }
        self.href(&pairs)
    }

    fn with_cursor(&self, cursor: &str) -> String {
        let mut pairs = self.pairs.clone();
        pairs.push(("cursor".into(), cursor.into()));
        self.href(&pairs)
    }

    fn without_filters(&self) -> String {
        let pairs: Vec<(String, String)> = self.pairs.iter().filter(|(k, _)| k == "q").cloned().collect();
        self.href(&pairs)
    }

    /// The Atom feed of this search.
    pub fn feed(&self) -> String {
        format!("/api/v1/search.atom?{}", query_string(&self.pairs))
    }

    /// Whether there is something to watch: a query or a filter.
    pub fn watchable(&self) -> bool {
        self.pairs.iter().any(|(k, _)| k == "q" || FILTERS.contains(&k.as_str()))
    }
}

/// The search page with its results. `watch` offers the e-mail alert form.
pub fn search_page(state: &PageState, request: &SearchRequest, response: &SearchResponse, watch: bool) -> Markup {
    let title = if request.q.is_empty() { "Nämndsök".to_string() } else { format!("{} – Nämndsök", request.q) };
    let feed = state.feed();
    let head = html! { link rel="alternate" type="application/atom+xml" title="Följ sökningen" href=(feed); };
    page(&title, Some(head), results(state, request, response, &feed, watch))
}

/// The page for parameters that cannot be searched (400): the form and the reason.
pub fn bad_request_page(state: &PageState, message: &str) -> Markup {
    let body = html! {
        (search_form(state, None))
        div class="error" role="alert" {
            h2 { "Sökningen kunde inte göras" }
            p { (message) }
            p { a href="/" { "Börja om" } }
        }
    };
    page("Fel i sökningen – Nämndsök", None, body)
}

fn search_form(state: &PageState, request: Option<&SearchRequest>) -> Markup {
    let value = |key: &str| state.pairs.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str());
    let sort = request.map_or(Sort::Relevance, |r| r.sort);
    let options = [(Sort::Relevance, "Relevans"), (Sort::DateDesc, "Nyast först"), (Sort::DateAsc, "Äldst först")];
    html! {
        h1 { "Sök i kommunernas och regionernas handlingar" }
        form class="search" method="get" action="/" role="search" {
            div class="field q" {
                label for="q" { "Sökord" }
                input id="q" name="q" type="search" value=(value("q"))
                    placeholder="t.ex. batterifabrik, förskola eller KS 2023/412";
            }
            div class="field" {
                label for="from" { "Från datum" }
                input id="from" name="from" type="date" value=(value("from"));
            }
            div class="field" {
                label for="to" { "Till datum" }
                input id="to" name="to" type="date" value=(value("to"));
            }
            div class="field" {
                label for="sort" { "Sortering" }
                select id="sort" name="sort" {
                    @for (option, label) in options {
                        option value=(option.as_str()) selected[sort == option] { (label) }
                    }
                }
            }
            @for (key, value) in &state.pairs {
                @if FILTERS.contains(&key.as_str()) {
                    input type="hidden" name=(key) value=(value);
                }
            }
            button type="submit" { "Sök" }
        }
    }
}

fn kind_label(kind: &str) -> &'static str {
    Kind::parse(kind).map_or("Handling", |k| k.label())
}

fn filter_label(key: &str, value: &str) -> String {
    let registry = Registry::global();
    match key {
        "kommun" => registry.by_code(value).map_or_else(|| value.to_string(), |o| o.name.clone()),
        "lan" => registry.by_code(value).map_or_else(|| value.to_string(), |o| o.lan_name.clone()),
        "kind" => kind_label(value).to_string(),
        _ => value.to_string(),
    }
}

fn results(state: &PageState, request: &SearchRequest, response: &SearchResponse, feed: &str, watch: bool) -> Markup {
    let active: Vec<&(String, String)> = state.pairs.iter().filter(|(k, _)| FILTERS.contains(&k.as_str())).collect();
    // The count is of the full matches, whatever the sort; a relevance search lists the near
    // matches after them, and says how many there are.
    let heading = match response.matched_all {
        0 if response.total > 0 => "Inga träffar på hela sökningen".to_string(),
        0 => "Inga träffar".to_string(),
        1 => "1 träff".to_string(),
        n if response.approximate => format!("Cirka {} träffar", about(n)),
        n => format!("{n} träffar"),
    };
    let near = response.total.saturating_sub(response.matched_all);
    let partial =
        (near > 0 && !request.q.is_empty()).then(|| if response.approximate { about(near) } else { near.to_string() });
    html! {
        (search_form(state, Some(request)))
        @if !active.is_empty() {
            ul class="active-filters" aria-label="Valda filter" {
                @for (key, value) in active {
                    @let label = filter_label(key, value);
                    li {
                        a href=(state.toggle(key, value)) aria-label={ "Ta bort filtret " (label) } {
                            (label) " " span aria-hidden="true" { "×" }
                        }
                    }
                }
            }
        }
        div class="layout" {
            (facets(state, response))
            section class="results" aria-labelledby="resultat-rubrik" {
                h2 id="resultat-rubrik" { (heading) }
                @if response.has_phrase && response.matched_all == 0 && response.total > 0 {
                    p class="note phrase-missing" role="status" {
                        "Ingen handling innehåller frasen ordagrant. Träffarna nedan innehåller orden, men inte i just den följden."
                    }
                }
                @if let Some(near) = partial {
                    p class="note" { "Efter dem visas " (near) " närliggande träffar: de innehåller de flesta av orden, orden var för sig eller delar av ett sammansatt sökord." }
                }
                @if response.approximate {
                    p class="note" { "Sökningen ger så många träffar att antalen är uppskattade från ett stickprov. De bästa träffarna visas ändå i rätt ordning." }
                }
                @if response.fuzzy {
                    p class="note" { "Träffarna omfattar också ord som stavas nästan som sökorden." }
                }
                p class="follow" { a href=(feed) type="application/atom+xml" { "Följ sökningen (Atom-flöde)" } }
                @if watch {
                    (super::alerts::watch_form(&state.pairs))
                }
                @if response.total == 0 {
                    (no_hits_help(state, request))
                } @else {
                    (hits(request, response))
                    (pager(state, request, response))
                }
            }
            (map(state, &response.facets.kommun))
        }
    }
}

fn hits(request: &SearchRequest, response: &SearchResponse) -> Markup {
    html! {
        ol class="hits" start=(request.offset + 1) {
            @for (position, hit) in response.hits.iter().enumerate() {
                li { article {
                    h3 { a href=(document_href(&hit.id)) { (hit.title) } }
                    p class="meta" {
                        // With a quoted phrase, the exact matches rank first; the rest are looser.
                        @if request.offset + position >= response.matched_all {
                            span class="loose" { @if response.has_phrase { "Inte exakt fras" } @else { "Närliggande" } } " · "
                        }
                        span class={ "kind kind-" (hit.kind) } { (kind_label(hit.kind)) }
                        " · " (hit.kommun)
                        @if let Some(organ) = &hit.organ { " · " (organ) }
                        " · " time datetime=(hit.date) { (hit.date) }
                        @if let Some(dnr) = &hit.diarienummer { " · " span class="dnr" { (dnr) } }
                        @if let Some(page) = hit.page { " · sidan " (page) }
                        @if hit.text_origin == Some("ocr") { " · " span class="ocr" { "Inskannad text (OCR)" } }
                    }
                    // The index builds the snippet from the document's text escaped for HTML,
                    // adding only its own `<mark>` tags: the one markup we pass through.
                    p class="snippet" { (PreEscaped(&hit.snippet)) }
                } }
            }
        }
    }
}

fn pager(state: &PageState, request: &SearchRequest, response: &SearchResponse) -> Markup {
    let previous = (request.offset > 0).then(|| {
        let previous = request.offset.saturating_sub(request.limit);
        if previous == 0 {
            state.href(&state.pairs)
        } else {
            state.with_cursor(&cursor_for_offset(request, previous))
        }
    });
    let next = crate::params::next_cursor(request, response.total).map(|cursor| state.with_cursor(&cursor));
    html! {
        @if previous.is_some() || next.is_some() {
            nav class="pager" aria-label="Sidor" {
                @if let Some(href) = &previous { a rel="prev" href=(href) { "Föregående sida" } }
                @if previous.is_some() && next.is_some() { " " }
                @if let Some(href) = &next { a rel="next" href=(href) { "Nästa sida" } }
            }
        }
    }
}

fn no_hits_help(state: &PageState, request: &SearchRequest) -> Markup {
    let has_filters = state.pairs.iter().any(|(k, _)| k != "q");
    html! {
        div class="no-hits" {
            p { "Inga handlingar matchade sökningen. Tips:" }
            ul {
                li { "Kontrollera stavningen, eller skriv ordet utan å, ä och ö – båda fungerar." }
                @if request.q.split_whitespace().count() > 1 {
                    li { "Använd färre ord: varje ord gör sökningen snävare." }
                }
                @if request.q.contains('"') {
                    li { "Ta bort citattecknen för att söka på orden var för sig." }
                }
                @if has_filters {
                    li { a href=(state.without_filters()) { "Sök utan filter och datumgränser" } "." }
                }
                li { "Prova ett bredare ord: " em { "skola" } " hittar också grundskola och förskola." }
            }
        }
    }
}

fn facets(state: &PageState, response: &SearchResponse) -> Markup {
    let item = |key: &str, value: &FacetValue| {
        let active = state.has(key, &value.value);
        html! {
            li {
                a href=(state.toggle(key, &value.value))
                    aria-current=[active.then_some("true")]
                    class=[active.then_some("active")] {
                    (value.label) " " span class="count" { (value.count) }
                }
            }
        }
    };
    let group = |title: &str, key: &str, values: &[FacetValue], top: usize| {
        html! {
            @if !values.is_empty() {
                h3 { (title) }
                ul class={ "facet facet-" (key) } {
                    @for value in values.iter().take(top) { (item(key, value)) }
                }
                @if values.len() > top {
                    details {
                        summary { "Fler (" (values.len() - top) ")" }
                        ul class={ "facet facet-" (key) } {
                            @for value in values.iter().skip(top) { (item(key, value)) }
                        }
                    }
                }
            }
        }
    };
    // A year is a date range.
    let year_href = |year: &str| {
        let mut pairs: Vec<(String, String)> =
            state.pairs.iter().filter(|(k, _)| k != "from" && k != "to").cloned().collect();
        pairs.push(("from".into(), format!("{year}-01-01")));
        pairs.push(("to".into(), format!("{year}-12-31")));
        state.href(&pairs)
    };
    html! {
        aside class="facets" aria-labelledby="filter-rubrik" {
            h2 id="filter-rubrik" { "Filtrera" }
            (group("Typ", "kind", &response.facets.kind, 3))
            (group("Län", "lan", &lan_facets(&response.facets.kommun), 8))
            (group("Kommun och region", "kommun", &response.facets.kommun, TOP_KOMMUNER))
            (group("Nämnd", "organ", &response.facets.organ, 8))
            @if !response.facets.year.is_empty() {
                h3 { "År" }
                ul class="facet facet-year" {
                    @for year in &response.facets.year {
                        li { a href=(year_href(&year.value)) { (year.label) " " span class="count" { (year.count) } } }
                    }
                }
            }
        }
    }
}

/// Län counts from kommun counts (a region counts in its own län).
fn lan_facets(kommuner: &[FacetValue]) -> Vec<FacetValue> {
    let registry = Registry::global();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for value in kommuner {
        if let Some(organisation) = registry.by_code(&value.value) {
            *counts.entry(organisation.lan_code.clone()).or_default() += value.count;
        }
    }
    let mut values: Vec<FacetValue> = counts
        .into_iter()
        .map(|(code, count)| FacetValue {
            label: registry.by_code(&code).map_or_else(|| code.clone(), |o| o.lan_name.clone()),
            value: code,
            count,
        })
        .collect();
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    values
}

struct MapShape {
    code: String,
    name: String,
    path: String,
}

fn map_shapes() -> &'static (String, Vec<MapShape>) {
    static SHAPES: OnceLock<(String, Vec<MapShape>)> = OnceLock::new();
    SHAPES.get_or_init(|| {
        let mut view_box = "0 0 500 1000".to_string();
        let mut shapes = Vec::new();
        for line in MAP_TSV.lines() {
            if let Some(rest) = line.strip_prefix("# viewBox ") {
                view_box = rest.trim().to_string();
                continue;
            }
            let mut columns = line.splitn(3, '\t');
            if let (Some(code), Some(name), Some(path)) = (columns.next(), columns.next(), columns.next()) {
                shapes.push(MapShape { code: code.to_string(), name: name.to_string(), path: path.to_string() });
            }
        }
        (view_box, shapes)
    })
}

/// The 290 kommuner as an inline SVG, shaded by hits, each a link that filters on it; with a
/// table of the same counts as its text alternative. The SVG is built element by element from
/// the map asset, so its names and path data are escaped like any other value.
fn map(state: &PageState, kommuner: &[FacetValue]) -> Markup {
    let counts: BTreeMap<&str, u64> = kommuner.iter().map(|v| (v.value.as_str(), v.count)).collect();
    let max = kommuner.iter().filter(|v| v.value.len() == 4).map(|v| v.count).max().unwrap_or(0);
    let level = |count: u64| -> u32 {
        if count == 0 || max == 0 {
            0
        } else {
            (5.0 * ((1.0 + count as f64).ln() / (1.0 + max as f64).ln())).ceil().clamp(1.0, 5.0) as u32
        }
    };
    let (view_box, shapes) = map_shapes();
    let registry = Registry::global();
    html! {
        section class="map" aria-labelledby="karta-rubrik" {
            h2 id="karta-rubrik" { "Träffar per kommun" }
            svg class="kommunkarta" viewBox=(view_box) role="group" aria-labelledby="karta-rubrik"
                xmlns="http://www.w3.org/2000/svg" {
                @for shape in shapes {
                    @let count = counts.get(shape.code.as_str()).copied().unwrap_or(0);
                    @let label = format!("{}: {} träffar", shape.name, count);
                    a href=(state.toggle("kommun", &shape.code)) aria-label=(label) data-kommun=(shape.code) {
                        path class={ "q" (level(count)) } d=(shape.path) { title { (label) } }
                    }
                }
            }
            p class="legend" aria-hidden="true" {
                span class="q0" {} "0 "
                span class="q1" {} span class="q2" {} span class="q3" {} span class="q4" {} span class="q5" {}
                (max)
            }
            // The text alternative: the same counts as a table.
            details {
                summary { "Tabell: träffar per kommun och region" }
                table {
                    caption { "Träffar per kommun och region" }
                    thead { tr {
                        th scope="col" { "Kommun/region" } th scope="col" { "Län" } th scope="col" { "Träffar" }
                    } }
                    tbody {
                        @for value in kommuner {
                            tr {
                                td { a href=(state.toggle("kommun", &value.value)) { (value.label) } }
                                td { (registry.by_code(&value.value).map_or("", |o| o.lan_name.as_str())) }
                                td { (value.count) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A large estimated count rounded to two significant digits, with Swedish digit grouping
/// (`812571` → `810 000`).
fn about(n: usize) -> String {
    let mut magnitude = 1;
    while n / magnitude >= 100 {
        magnitude *= 10;
    }
    let rounded = (n + magnitude / 2) / magnitude * magnitude;
    let digits = rounded.to_string();
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    #[test]
    fn rounds_to_two_significant_digits_with_swedish_grouping() {
        assert_eq!(super::about(812_571), "810\u{a0}000");
        assert_eq!(super::about(95), "95");
        assert_eq!(super::about(1_249_999), "1\u{a0}200\u{a0}000");
        assert_eq!(super::about(25_500), "26\u{a0}000");
    }
}
