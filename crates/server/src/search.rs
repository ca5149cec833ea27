//! `GET /api/v1/search`.

use axum::extract::{RawQuery, State};
use axum::Json;
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::params::{next_cursor, parse_search, query_pairs};
use crate::{ApiError, AppState};

/// Search the documents
#[utoipa::path(get, path = "/api/v1/search", tag = "search", operation_id = "search",
    params(crate::openapi::SearchParams),
    responses(
        (status = 200, description = "One page of hits with facet counts.", body = SearchResponse),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 429, response = crate::openapi::TooManyRequests),
        (status = 500, response = crate::openapi::Internal),
    ))]
pub async fn search(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<SearchResponse>, ApiError> {
    let pairs = query_pairs(raw.as_deref());
    let request =
        parse_search(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), namndsok_model::Registry::global(), &[])?;
    let index = state.index.clone();
    let search = request.clone();
    let answer = tokio::task::spawn_blocking(move || index.search(&search))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(Json(SearchResponse::new(answer, &request)))
}

/// The body of `GET /api/v1/search`: the contract's shape, mapped from the index's answer
/// (the index returns typed values and knows nothing of JSON or cursors).
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    /// Documents that match the whole query (every word; a quoted phrase word for word): the
    /// same whatever the sort, and what the facets count.
    total: u64,
    took_ms: u64,
    hits: Vec<Hit>,
    #[schema(inline)]
    facets: Facets,
    /// Opaque; give it as `cursor` for the next page.
    next_cursor: Option<String>,
    /// How many documents match every word: the same as `total` (kept for clients that
    /// read it).
    matched_all: u64,
    /// With `sort=relevance`, documents that match the query only in part (most of its words,
    /// a compound's parts, a phrase's words apart). They are ranked after the `total` full
    /// matches, and the cursor pages on into them; a date-sorted search shows full matches only.
    near_matches: u64,
    /// True when the hits include typo-tolerant matches.
    fuzzy: bool,
    /// True when `total`, `matched_all` and the facet counts are estimates: a relevance search
    /// matching more than about 200,000 documents counts an even sample of the index (about
    /// 20,000 of its matches) and scales it up. The hits themselves are exact.
    approximate: bool,
    /// Only for a query with a quoted phrase: whether any document has the phrase word for
    /// word. Those documents are the first `matched_all` hits; when it is `false`, every hit is
    /// a looser match (the phrase's words apart, or most of them).
    #[serde(skip_serializing_if = "Option::is_none")]
    phrase_found: Option<bool>,
}

impl SearchResponse {
    pub fn new(answer: namndsok_index::SearchResponse, request: &namndsok_index::SearchRequest) -> SearchResponse {
        let values = |values: Vec<namndsok_index::FacetValue>| {
            values.into_iter().map(|v| FacetValue { value: v.value, label: v.label, count: v.count }).collect()
        };
        SearchResponse {
            total: answer.matched_all as u64,
            took_ms: answer.took_ms,
            next_cursor: next_cursor(request, answer.total),
            hits: answer.hits.into_iter().map(Hit::from).collect(),
            facets: Facets {
                kommun: values(answer.facets.kommun),
                kind: values(answer.facets.kind),
                organ: values(answer.facets.organ),
                year: values(answer.facets.year),
            },
            matched_all: answer.matched_all as u64,
            near_matches: answer.total.saturating_sub(answer.matched_all) as u64,
            fuzzy: answer.fuzzy,
            approximate: answer.approximate,
            phrase_found: answer.has_phrase.then_some(answer.matched_all > 0),
        }
    }
}

/// One hit.
#[derive(Debug, Serialize, ToSchema)]
pub struct Hit {
    id: String,
    #[schema(value_type = crate::openapi::Kind)]
    kind: &'static str,
    kommun_kod: String,
    kommun: String,
    organ: Option<String>,
    diarienummer: Option<String>,
    title: String,
    /// HTML: escaped source text, matches in <mark>.
    snippet: String,
    #[schema(value_type = String, format = Date)]
    date: NaiveDate,
    #[schema(value_type = Option<String>, format = Date)]
    publish_from: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    publish_to: Option<NaiveDate>,
    url: Option<String>,
    score: f32,
    /// The detected language of the text.
    #[schema(value_type = Option<Language>, inline)]
    language: &'static str,
    /// The id of the document this one is part of: the item a file's text came from, or the
    /// protokoll a paragraph (§) belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    part_of: Option<String>,
    /// The paragraph (§) number, for a paragraph of a protokoll.
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraph: Option<String>,
    /// The page of the file where the text starts (the `url` opens it there).
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
    /// Where a file's text came from: a PDF's text layer (`pdf`), optical character recognition
    /// of a scan (`ocr`), or a word processor file (`docx`, `odt`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<TextOrigin>, inline)]
    text_origin: Option<&'static str>,
    /// The item's files (protokoll, kungörelse, bilagor), as the source links them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    files: Vec<FileLink>,
}

/// A file an item links.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileLink {
    url: String,
    name: String,
}

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum TextOrigin {
    Pdf,
    Ocr,
    Docx,
    Odt,
}

impl From<namndsok_index::Hit> for Hit {
    fn from(hit: namndsok_index::Hit) -> Hit {
        Hit {
            id: hit.id,
            kind: hit.kind,
            kommun_kod: hit.kommun_kod,
            kommun: hit.kommun,
            organ: hit.organ,
            diarienummer: hit.diarienummer,
            title: hit.title,
            snippet: hit.snippet,
            date: hit.date,
            publish_from: hit.publish_from,
            publish_to: hit.publish_to,
            url: hit.url,
            score: hit.score,
            language: hit.language,
            part_of: hit.part_of,
            paragraph: hit.paragraph,
            page: hit.page,
            text_origin: hit.text_origin,
            files: hit.files.into_iter().map(|f| FileLink { url: f.url, name: f.name }).collect(),
        }
    }
}

#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum Language {
    Sv,
    En,
    Fi,
    De,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacetValue {
    value: String,
    label: String,
    count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
struct Facets {
    kommun: Vec<FacetValue>,
    kind: Vec<FacetValue>,
    organ: Vec<FacetValue>,
    year: Vec<FacetValue>,
}
