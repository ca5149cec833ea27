//! The web page, server-rendered HTML in Swedish: search (`/`), one document (`/d/{id}`) and
//! data freshness (`/status`).
//!
//! Every function works without JavaScript (there is none): filters and the map are links,
//! paging is links, the search form is a plain GET. When the server has alerts and an SMTP
//! relay, a second form under the results ("Bevaka sökningen med e-post") POSTs the search to
//! `/bevaka` ([`crate::alert_pages`]). Text from sources is untrusted and always goes
//! through [`escape_html`]; the only markup we pass through is the search snippet, which the
//! index builds from escaped text plus our own `<mark>` tags. Pages are sent with a strict
//! Content-Security-Policy (see [`security_headers`]): no scripts, no inline styles, nothing
//! loaded from elsewhere.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use namndsok_index::search::escape_html;
use namndsok_index::{FacetValue, SearchRequest, SearchResponse, Sort};
use namndsok_model::{Document, Kind, OrganisationKind, Registry};

use crate::params::{cursor_for_offset, query_pairs};
use crate::AppState;

/// The stylesheet, served under a versioned name so it can be cached forever.
const STYLESHEET: &str = include_str!("../assets/style.css");
pub const STYLESHEET_PATH: &str = "/assets/style-2.css";
/// The kommun map: `# viewBox 0 0 W H`, then `kommunkod<TAB>name<TAB>svg path`.
const MAP_TSV: &str = include_str!("../assets/kommuner-map.tsv");

/// Kommuner listed before "Fler kommuner".
const TOP_KOMMUNER: usize = 12;

/// Strict headers for every response: no scripts at all, styles and images only from us.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// Percent-encodes a path segment or query value.
pub fn encode_path(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>().replace('+', "%20")
}

fn query_string(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .finish()
}

/// The current search's parameters, without paging.
#[derive(Clone)]
struct PageState {
    pairs: Vec<(String, String)>,
}

impl PageState {
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
}

pub(crate) fn page(title: &str, head_extra: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<link rel=\"stylesheet\" href=\"{STYLESHEET_PATH}\">\n{head_extra}</head>\n<body>\n<a class=\"skip\" href=\"#innehall\">Hoppa till innehållet</a>\n<header class=\"site\"><p class=\"brand\"><a href=\"/\">Nämndsök</a></p><nav aria-label=\"Webbplats\"><a href=\"/\">Sök</a> <a href=\"/status\">Datastatus</a></nav></header>\n<main id=\"innehall\">\n{body}</main>\n<footer class=\"site\"><p>Nämndsök samlar ärenden, protokoll och anslag från Sveriges 290 kommuner och 21 regioner. Uppgifterna kommer från kommunernas egna system; kontrollera alltid mot källan.</p></footer>\n</body>\n</html>\n",
        title = escape_html(title),
    )
}

pub(crate) fn html_response(status: StatusCode, html: String) -> Response {
    (status, [(header::CACHE_CONTROL, "no-cache")], Html(html)).into_response()
}

/// `GET /`: the search page.
pub async fn search_page(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let pairs = query_pairs(raw.as_deref());
    let parsed =
        crate::params::parse_search(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), Registry::global(), &[]);
    let state_pairs: Vec<(String, String)> =
        pairs.iter().filter(|(k, v)| k != "cursor" && !v.trim().is_empty()).cloned().collect();
    let page_state = PageState { pairs: state_pairs };
    let request = match parsed {
        Ok(request) => request,
        Err(error) => {
            let mut body = search_form(&page_state, None);
            let _ = writeln!(
                body,
                "<div class=\"error\" role=\"alert\"><h2>Sökningen kunde inte göras</h2><p>{}</p><p><a href=\"/\">Börja om</a></p></div>",
                escape_html(&error.message)
            );
            return html_response(StatusCode::BAD_REQUEST, page("Fel i sökningen – Nämndsök", "", &body));
        }
    };
    let index = state.index.clone();
    let search = request.clone();
    let response = match tokio::task::spawn_blocking(move || index.search(&search)).await {
        Ok(Ok(response)) => response,
        Ok(Err(error)) => return error_page(error),
        Err(error) => return error_page(error),
    };
    let title = if request.q.is_empty() { "Nämndsök".to_string() } else { format!("{} – Nämndsök", request.q) };
    let feed = format!("/api/v1/search.atom?{}", query_string(&page_state.pairs));
    let head = format!(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Följ sökningen\" href=\"{}\">\n",
        escape_html(&feed)
    );
    let watch = crate::alert_pages::form_available(&state)
        && page_state.pairs.iter().any(|(k, _)| matches!(k.as_str(), "q" | "kommun" | "lan" | "kind" | "organ"));
    let body = render_search(&page_state, &request, &response, &feed, watch);
    html_response(StatusCode::OK, page(&title, &head, &body))
}

fn error_page(error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "page failed");
    html_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        page("Fel – Nämndsök", "", "<h1>Något gick fel</h1><p>Försök igen om en stund.</p>\n"),
    )
}

fn search_form(state: &PageState, request: Option<&SearchRequest>) -> String {
    let value = |key: &str| state.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| escape_html(v)).unwrap_or_default();
    let sort = request.map_or(Sort::Relevance, |r| r.sort);
    let option = |value: Sort, label: &str| {
        let selected = if sort == value { " selected" } else { "" };
        format!("<option value=\"{}\"{selected}>{label}</option>", value.as_str())
    };
    let mut hidden = String::new();
    for (key, value) in &state.pairs {
        if matches!(key.as_str(), "kommun" | "lan" | "kind" | "organ") {
            let _ = write!(
                hidden,
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape_html(key),
                escape_html(value)
            );
        }
    }
    format!(
        "<h1>Sök i kommunernas och regionernas handlingar</h1>\n<form class=\"search\" method=\"get\" action=\"/\" role=\"search\">\n<div class=\"field q\"><label for=\"q\">Sökord</label><input id=\"q\" name=\"q\" type=\"search\" value=\"{q}\" placeholder=\"t.ex. batterifabrik, förskola eller KS 2023/412\"></div>\n<div class=\"field\"><label for=\"from\">Från datum</label><input id=\"from\" name=\"from\" type=\"date\" value=\"{from}\"></div>\n<div class=\"field\"><label for=\"to\">Till datum</label><input id=\"to\" name=\"to\" type=\"date\" value=\"{to}\"></div>\n<div class=\"field\"><label for=\"sort\">Sortering</label><select id=\"sort\" name=\"sort\">{relevance}{newest}{oldest}</select></div>\n{hidden}<button type=\"submit\">Sök</button>\n</form>\n",
        q = value("q"),
        from = value("from"),
        to = value("to"),
        relevance = option(Sort::Relevance, "Relevans"),
        newest = option(Sort::DateDesc, "Nyast först"),
        oldest = option(Sort::DateAsc, "Äldst först"),
    )
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

fn render_search(
    state: &PageState,
    request: &SearchRequest,
    response: &SearchResponse,
    feed: &str,
    watch: bool,
) -> String {
    let mut body = search_form(state, Some(request));

    // Active filters, each removable.
    let active: Vec<&(String, String)> =
        state.pairs.iter().filter(|(k, _)| matches!(k.as_str(), "kommun" | "lan" | "kind" | "organ")).collect();
    if !active.is_empty() {
        body.push_str("<ul class=\"active-filters\" aria-label=\"Valda filter\">\n");
        for (key, value) in active {
            let label = filter_label(key, value);
            let _ = writeln!(
                body,
                "<li><a href=\"{}\" aria-label=\"Ta bort filtret {label}\">{label} <span aria-hidden=\"true\">×</span></a></li>",
                escape_html(&state.toggle(key, value)),
                label = escape_html(&label)
            );
        }
        body.push_str("</ul>\n");
    }

    body.push_str("<div class=\"layout\">\n");
    body.push_str(&render_facets(state, response));

    // Results.
    body.push_str("<section class=\"results\" aria-labelledby=\"resultat-rubrik\">\n");
    let heading = match response.total {
        0 => "Inga träffar".to_string(),
        1 => "1 träff".to_string(),
        n if response.approximate => format!("Cirka {} träffar", about(n)),
        n => format!("{n} träffar"),
    };
    let _ = writeln!(body, "<h2 id=\"resultat-rubrik\">{heading}</h2>");
    if response.total > 0 && response.matched_all < response.total && !request.q.is_empty() {
        let (all, rest) = (response.matched_all, response.total - response.matched_all);
        let (all, rest) =
            if response.approximate { (about(all), about(rest)) } else { (all.to_string(), rest.to_string()) };
        let _ = writeln!(
            body,
            "<p class=\"note\">{all} träffar matchar hela sökningen. Övriga {rest} är närliggande: de innehåller de flesta av orden eller delar av ett sammansatt sökord.</p>",
        );
    }
    if response.approximate {
        body.push_str("<p class=\"note\">Sökningen ger så många träffar att antalen är uppskattade från ett stickprov. De bästa träffarna visas ändå i rätt ordning.</p>\n");
    }
    if response.fuzzy {
        body.push_str("<p class=\"note\">Träffarna omfattar också ord som stavas nästan som sökorden.</p>\n");
    }
    let _ = writeln!(
        body,
        "<p class=\"follow\"><a href=\"{}\" type=\"application/atom+xml\">Följ sökningen (Atom-flöde)</a></p>",
        escape_html(feed)
    );
    if watch {
        body.push_str(&crate::alert_pages::watch_form(&state.pairs));
    }
    if response.total == 0 {
        body.push_str(&no_hits_help(state, request));
    } else {
        let start = request.offset + 1;
        let _ = writeln!(body, "<ol class=\"hits\" start=\"{start}\">");
        for hit in &response.hits {
            let mut meta = vec![
                format!("<span class=\"kind kind-{}\">{}</span>", hit.kind, kind_label(hit.kind)),
                escape_html(&hit.kommun),
            ];
            if let Some(organ) = &hit.organ {
                meta.push(escape_html(organ));
            }
            meta.push(format!("<time datetime=\"{0}\">{0}</time>", hit.date));
            if let Some(dnr) = &hit.diarienummer {
                meta.push(format!("<span class=\"dnr\">{}</span>", escape_html(dnr)));
            }
            let _ = writeln!(
                body,
                "<li><article><h3><a href=\"/d/{}\">{}</a></h3><p class=\"meta\">{}</p><p class=\"snippet\">{}</p></article></li>",
                escape_html(&encode_path(&hit.id)),
                escape_html(&hit.title),
                meta.join(" · "),
                hit.snippet
            );
        }
        body.push_str("</ol>\n");
        // Paging.
        let mut pager = Vec::new();
        if request.offset > 0 {
            let previous = request.offset.saturating_sub(request.limit);
            let href = if previous == 0 {
                state.href(&state.pairs)
            } else {
                state.with_cursor(&cursor_for_offset(request, previous))
            };
            pager.push(format!("<a rel=\"prev\" href=\"{}\">Föregående sida</a>", escape_html(&href)));
        }
        if let Some(cursor) = &response.next_cursor {
            pager.push(format!("<a rel=\"next\" href=\"{}\">Nästa sida</a>", escape_html(&state.with_cursor(cursor))));
        }
        if !pager.is_empty() {
            let _ = writeln!(body, "<nav class=\"pager\" aria-label=\"Sidor\">{}</nav>", pager.join(" "));
        }
    }
    body.push_str("</section>\n");
    body.push_str(&render_map(state, &response.facets.kommun));
    body.push_str("</div>\n");
    body
}

fn no_hits_help(state: &PageState, request: &SearchRequest) -> String {
    let mut tips = vec!["Kontrollera stavningen, eller skriv ordet utan å, ä och ö – båda fungerar.".to_string()];
    if request.q.split_whitespace().count() > 1 {
        tips.push("Använd färre ord: varje ord gör sökningen snävare.".into());
    }
    if request.q.contains('"') {
        tips.push("Ta bort citattecknen för att söka på orden var för sig.".into());
    }
    let has_filters = state.pairs.iter().any(|(k, _)| k != "q");
    if has_filters {
        tips.push(format!(
            "<a href=\"{}\">Sök utan filter och datumgränser</a>.",
            escape_html(&state.without_filters())
        ));
    }
    tips.push("Prova ett bredare ord: <em>skola</em> hittar också grundskola och förskola.".into());
    let mut html = String::from("<div class=\"no-hits\"><p>Inga handlingar matchade sökningen. Tips:</p><ul>\n");
    for tip in tips {
        let _ = writeln!(html, "<li>{tip}</li>");
    }
    html.push_str("</ul></div>\n");
    html
}

fn render_facets(state: &PageState, response: &SearchResponse) -> String {
    let mut html = String::from(
        "<aside class=\"facets\" aria-labelledby=\"filter-rubrik\">\n<h2 id=\"filter-rubrik\">Filtrera</h2>\n",
    );
    let group = |html: &mut String, title: &str, key: &str, values: &[FacetValue], top: usize| {
        if values.is_empty() {
            return;
        }
        let _ = writeln!(html, "<h3>{title}</h3>");
        let item = |value: &FacetValue| {
            let active = state.has(key, &value.value);
            format!(
                "<li><a href=\"{}\"{}>{} <span class=\"count\">{}</span></a></li>",
                escape_html(&state.toggle(key, &value.value)),
                if active { " aria-current=\"true\" class=\"active\"" } else { "" },
                escape_html(&value.label),
                value.count
            )
        };
        let _ = writeln!(html, "<ul class=\"facet facet-{key}\">");
        for value in values.iter().take(top) {
            html.push_str(&item(value));
            html.push('\n');
        }
        html.push_str("</ul>\n");
        if values.len() > top {
            let _ = writeln!(
                html,
                "<details><summary>Fler ({})</summary><ul class=\"facet facet-{key}\">",
                values.len() - top
            );
            for value in values.iter().skip(top) {
                html.push_str(&item(value));
                html.push('\n');
            }
            html.push_str("</ul></details>\n");
        }
    };
    group(&mut html, "Typ", "kind", &response.facets.kind, 3);
    group(&mut html, "Län", "lan", &lan_facets(&response.facets.kommun), 8);
    group(&mut html, "Kommun och region", "kommun", &response.facets.kommun, TOP_KOMMUNER);
    group(&mut html, "Nämnd", "organ", &response.facets.organ, 8);
    if !response.facets.year.is_empty() {
        // A year is a date range.
        html.push_str("<h3>År</h3>\n<ul class=\"facet facet-year\">\n");
        for year in &response.facets.year {
            let mut pairs: Vec<(String, String)> =
                state.pairs.iter().filter(|(k, _)| k != "from" && k != "to").cloned().collect();
            pairs.push(("from".into(), format!("{}-01-01", year.value)));
            pairs.push(("to".into(), format!("{}-12-31", year.value)));
            let _ = writeln!(
                html,
                "<li><a href=\"{}\">{} <span class=\"count\">{}</span></a></li>",
                escape_html(&state.href(&pairs)),
                escape_html(&year.label),
                year.count
            );
        }
        html.push_str("</ul>\n");
    }
    html.push_str("</aside>\n");
    html
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
/// table of the same counts as its text alternative.
fn render_map(state: &PageState, kommuner: &[FacetValue]) -> String {
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
    let mut html = String::from(
        "<section class=\"map\" aria-labelledby=\"karta-rubrik\">\n<h2 id=\"karta-rubrik\">Träffar per kommun</h2>\n",
    );
    let _ = writeln!(
        html,
        "<svg class=\"kommunkarta\" viewBox=\"{view_box}\" role=\"group\" aria-labelledby=\"karta-rubrik\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for shape in shapes {
        let count = counts.get(shape.code.as_str()).copied().unwrap_or(0);
        let label = format!("{}: {} träffar", shape.name, count);
        let _ = writeln!(
            html,
            "<a href=\"{href}\" aria-label=\"{label}\" data-kommun=\"{code}\"><path class=\"q{level}\" d=\"{d}\"><title>{label}</title></path></a>",
            href = escape_html(&state.toggle("kommun", &shape.code)),
            label = escape_html(&label),
            code = shape.code,
            level = level(count),
            d = shape.path
        );
    }
    html.push_str("</svg>\n<p class=\"legend\" aria-hidden=\"true\"><span class=\"q0\"></span>0 <span class=\"q1\"></span><span class=\"q2\"></span><span class=\"q3\"></span><span class=\"q4\"></span><span class=\"q5\"></span>");
    let _ = writeln!(html, "{max}</p>");
    // The text alternative: the same counts as a table.
    html.push_str("<details><summary>Tabell: träffar per kommun och region</summary>\n<table><caption>Träffar per kommun och region</caption><thead><tr><th scope=\"col\">Kommun/region</th><th scope=\"col\">Län</th><th scope=\"col\">Träffar</th></tr></thead><tbody>\n");
    let registry = Registry::global();
    for value in kommuner {
        let lan = registry.by_code(&value.value).map(|o| o.lan_name.as_str()).unwrap_or("");
        let _ = writeln!(
            html,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
            escape_html(&state.toggle("kommun", &value.value)),
            escape_html(&value.label),
            escape_html(lan),
            value.count
        );
    }
    html.push_str("</tbody></table></details>\n</section>\n");
    html
}

/// `GET /d/{id}`: one document with all its fields and the other documents of its case.
pub async fn document_page(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let index = state.index.clone();
    let lookup = id.clone();
    let found = tokio::task::spawn_blocking(
        move || -> Result<Option<(Document, Vec<namndsok_index::Hit>)>, namndsok_index::IndexError> {
            let Some(document) = index.get(&lookup)? else { return Ok(None) };
            let mut related = Vec::new();
            if let Some(dnr) = &document.diarienummer {
                if namndsok_model::CaseNumber::parse(dnr).is_some() || document.case_number().is_some() {
                    let request = SearchRequest {
                        q: document.case_number().map(|c| c.to_string()).unwrap_or_else(|| dnr.clone()),
                        kommun: vec![document.kommun_kod.clone()],
                        sort: Sort::DateAsc,
                        limit: 50,
                        ..SearchRequest::default()
                    };
                    related = index.search(&request)?.hits.into_iter().filter(|hit| hit.id != document.id).collect();
                }
            }
            Ok(Some((document, related)))
        },
    )
    .await;
    let (document, related) = match found {
        Ok(Ok(Some(found))) => found,
        Ok(Ok(None)) => {
            return html_response(
                StatusCode::NOT_FOUND,
                page("Handlingen finns inte – Nämndsök", "", "<h1>Handlingen finns inte</h1><p>Den kan ha tagits bort vid källan. <a href=\"/\">Till sökningen</a></p>\n"),
            )
        }
        Ok(Err(error)) => return error_page(error),
        Err(error) => return error_page(error),
    };
    html_response(
        StatusCode::OK,
        page(&format!("{} – Nämndsök", document.title), "", &render_document(&document, &related)),
    )
}

fn render_document(document: &Document, related: &[namndsok_index::Hit]) -> String {
    let registry = Registry::global();
    let organisation = registry.by_code(&document.kommun_kod);
    let today = chrono::Utc::now().date_naive();
    let mut html = format!(
        "<p class=\"crumbs\"><a href=\"/\">Sök</a> › <a href=\"/?kommun={code}\">{kommun}</a></p>\n<article class=\"document\">\n<h1>{title}</h1>\n",
        code = escape_html(&document.kommun_kod),
        kommun = escape_html(&document.kommun),
        title = escape_html(&document.title)
    );
    if document.kind == Kind::Anslag {
        if let Some(to) = document.publish_to {
            if to < today {
                let _ = writeln!(html, "<p class=\"expired\" role=\"status\">Nedtagen från anslagstavlan {to}.</p>");
            } else {
                let _ = writeln!(html, "<p class=\"current\" role=\"status\">Anslagen till och med {to}.</p>");
            }
        }
    }
    html.push_str("<dl class=\"fields\">\n");
    let mut row = |term: &str, value: String| {
        let _ = writeln!(html, "<dt>{term}</dt><dd>{value}</dd>");
    };
    row("Typ", escape_html(document.kind.label()));
    let kind_of = match organisation.map(|o| o.kind) {
        Some(OrganisationKind::Region) => "Region",
        _ => "Kommun",
    };
    row(
        kind_of,
        format!("<a href=\"/?kommun={}\">{}</a>", escape_html(&document.kommun_kod), escape_html(&document.kommun)),
    );
    if let Some(organisation) = organisation {
        row("Län", escape_html(&organisation.lan_name));
    }
    if let Some(organ) = &document.organ {
        row("Nämnd", escape_html(organ));
    }
    if let Some(dnr) = &document.diarienummer {
        row("Diarienummer", escape_html(dnr));
    }
    row("Datum", format!("<time datetime=\"{0}\">{0}</time>", document.date));
    if document.publish_from.is_some() || document.publish_to.is_some() {
        let from = document.publish_from.map(|d| d.to_string()).unwrap_or_else(|| "–".into());
        let to = document.publish_to.map(|d| d.to_string()).unwrap_or_else(|| "–".into());
        row("Anslagen", format!("{from} – {to}"));
    }
    if let Some(last) = document.last_day_of_appeal() {
        row(
            "Sista dag för överklagande",
            format!("<time datetime=\"{last}\">{last}</time> (tre veckor från anslagsdagen)"),
        );
    }
    if let Some(source) = &document.source {
        row("Källsystem", escape_html(source));
    }
    if let Some(url) = document.url.as_deref().filter(|url| is_web_url(url)) {
        row("Källa", format!("<a href=\"{0}\" rel=\"noopener noreferrer external\">{0}</a>", escape_html(url)));
    }
    html.push_str("</dl>\n");
    if let Some(body) = &document.body {
        html.push_str("<h2>Text</h2>\n");
        for paragraph in body.split("\n\n") {
            let _ = writeln!(html, "<p>{}</p>", escape_html(paragraph.trim()));
        }
    }
    html.push_str("</article>\n");
    if document.diarienummer.is_some() {
        html.push_str("<section class=\"related\" aria-labelledby=\"arende-rubrik\"><h2 id=\"arende-rubrik\">Andra handlingar i ärendet</h2>\n");
        if related.is_empty() {
            html.push_str("<p>Inga andra handlingar med samma diarienummer i kommunen.</p>\n");
        } else {
            html.push_str("<ul>\n");
            for hit in related {
                let _ = writeln!(
                    html,
                    "<li><a href=\"/d/{}\">{}</a> <span class=\"meta\">{} · {}</span></li>",
                    escape_html(&encode_path(&hit.id)),
                    escape_html(&hit.title),
                    kind_label(hit.kind),
                    hit.date
                );
            }
            html.push_str("</ul>\n");
        }
        html.push_str("</section>\n");
    }
    html
}

/// Only http(s) links from sources become links (never `javascript:` or `data:`).
fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The harvest status of every source, when this service harvests.
fn render_sources(harvester: Option<&namndsok_harvest::Harvester>) -> String {
    let Some(harvester) = harvester else {
        return "<p class=\"note\">Den här tjänsten samlar inte själv in från kommunernas system (ingen källkatalog angiven).</p>\n".into();
    };
    let reports = harvester.reports();
    let registry = Registry::global();
    let mut html = String::from("<h2>Insamling per källa</h2>\n<table class=\"status sources\"><caption>Källor och deras status</caption><thead><tr><th scope=\"col\">Källa</th><th scope=\"col\">Kommun</th><th scope=\"col\">Plattform</th><th scope=\"col\">Status</th><th scope=\"col\">Senast lyckad</th><th scope=\"col\">Poster</th><th scope=\"col\">Fel i rad</th><th scope=\"col\">Senaste fel</th></tr></thead><tbody>\n");
    for report in &reports {
        let (class, label) = match report.status {
            namndsok_harvest::SourceStatus::Pending => ("missing", "Ej hämtad än"),
            namndsok_harvest::SourceStatus::Ok => ("fresh", "OK"),
            namndsok_harvest::SourceStatus::Degraded => ("aging", "Störd"),
            namndsok_harvest::SourceStatus::Failing => ("stale", "Fungerar inte"),
            namndsok_harvest::SourceStatus::Stale => ("aging", "Inget nytt på länge"),
        };
        let kommun =
            report.kommun_kod.as_deref().and_then(|code| registry.by_code(code)).map_or("–", |o| o.name.as_str());
        let _ = writeln!(
            html,
            "<tr><td>{id}</td><td>{kommun}</td><td>{platform}</td><td class=\"{class}\">{label}</td><td>{success}</td><td>{items}</td><td>{failures}</td><td>{error}</td></tr>",
            id = escape_html(&report.id),
            kommun = escape_html(kommun),
            platform = report.platform,
            success = report.last_success.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "aldrig".into()),
            items = report.items_seen,
            failures = report.consecutive_failures,
            error = escape_html(report.last_error.as_deref().unwrap_or("")),
        );
    }
    html.push_str("</tbody></table>\n<h2>Handlingar per kommun och region</h2>\n");
    html
}

/// `GET /status`: how fresh the data is, per kommun and region.
pub async fn status_page(State(state): State<AppState>) -> Response {
    let index = state.index.clone();
    let rows = match tokio::task::spawn_blocking(move || index.freshness()).await {
        Ok(Ok(rows)) => rows,
        Ok(Err(error)) => return error_page(error),
        Err(error) => return error_page(error),
    };
    let today = chrono::Utc::now().date_naive();
    let registry = Registry::global();
    let by_code: BTreeMap<&str, &namndsok_index::KommunFreshness> = rows.iter().map(|r| (r.code.as_str(), r)).collect();
    let total: u64 = rows.iter().map(|r| r.documents).sum();
    let missing = registry.all().iter().filter(|o| !by_code.contains_key(o.code.as_str())).count();
    let mut html = format!(
        "<h1>Datastatus</h1>\n<p>{total} handlingar från {} av {} kommuner och regioner. {missing} saknar ännu handlingar.</p>\n<p class=\"note\">Färskhet räknas från den senaste handlingens datum.</p>\n",
        rows.len(),
        registry.all().len()
    );
    html.push_str(&render_sources(state.harvester.as_ref()));
    html.push_str("<table class=\"status\"><caption>Handlingar per kommun och region</caption><thead><tr><th scope=\"col\">Kommun/region</th><th scope=\"col\">Län</th><th scope=\"col\">Handlingar</th><th scope=\"col\">Senaste handling</th><th scope=\"col\">Status</th></tr></thead><tbody>\n");
    for organisation in registry.all() {
        let row = by_code.get(organisation.code.as_str());
        let (documents, newest) = row.map_or((0, None), |r| (r.documents, r.newest));
        let (status_class, status) = match newest.map(|d| (today - d).num_days()) {
            None => ("missing", "Inga handlingar".to_string()),
            Some(days) if days <= 30 => ("fresh", format!("Aktuell ({days} dagar)")),
            Some(days) if days <= 120 => ("aging", format!("{days} dagar sedan")),
            Some(days) => ("stale", format!("Inaktuell ({days} dagar)")),
        };
        let _ = writeln!(
            html,
            "<tr><td><a href=\"/?kommun={code}\">{name}</a></td><td>{lan}</td><td>{documents}</td><td>{newest}</td><td class=\"{status_class}\">{status}</td></tr>",
            code = escape_html(&organisation.code),
            name = escape_html(&organisation.name),
            lan = escape_html(&organisation.lan_name),
            newest = newest.map(|d| d.to_string()).unwrap_or_else(|| "–".into()),
        );
    }
    html.push_str("</tbody></table>\n");
    html_response(StatusCode::OK, page("Datastatus – Nämndsök", "", &html))
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
mod about_tests {
    #[test]
    fn rounds_to_two_significant_digits_with_swedish_grouping() {
        assert_eq!(super::about(812_571), "810\u{a0}000");
        assert_eq!(super::about(95), "95");
        assert_eq!(super::about(1_249_999), "1\u{a0}200\u{a0}000");
        assert_eq!(super::about(25_500), "26\u{a0}000");
    }
}
