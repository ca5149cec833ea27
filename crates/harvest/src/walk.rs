//! The one loop that walks every source: it asks the source's adapter
//! ([`namndsok_sources::SourceAdapter`]) for requests, sends them through the polite
//! [`Fetcher`] (or reads the local file), hands the replies back, and turns what the adapter
//! parsed into the source's [`Listing`]. Which calls a platform makes, in which order and with
//! which paging, is the adapter's business; the page limit, conditional requests, detail calls
//! for changed items only, and what a failed request means are this loop's, the same for all.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use namndsok_model::Document;
use namndsok_sources::adapter::{Method, Response};
use namndsok_sources::{PassContext, RejectedItem, Reply, Request, SourceAdapter, SourceConfig};

use crate::error::HarvestError;
use crate::fetch::{Body, Fetcher, Validators};
use crate::state::SourceState;

/// One entry of a source's listing.
pub(crate) enum Entry {
    /// Listed exactly as last time: nothing to fetch or write.
    Unchanged { id: String },
    /// A document to compare with what is indexed; `listed` hashes the listing of the item.
    Document { document: Box<Document>, listed: u64 },
}

/// A source's listing in one pass.
#[derive(Default)]
pub(crate) struct Listing {
    pub entries: Vec<Entry>,
    pub rejected: Vec<RejectedItem>,
    /// Whether rejected items carry the platform's raw item id (see
    /// [`SourceAdapter::rejected_ids_are_item_ids`]).
    pub rejected_ids_are_item_ids: bool,
    /// Validators of this pass's conditional requests, by URL.
    pub validators: HashMap<String, Validators>,
    /// The walk reached the end of the listing. `false` when the source's deadline cut it off:
    /// the entries so far are good, but an item missing from them may simply not be reached.
    pub complete: bool,
}

/// How far a walk may go.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Items per page asked of paged platforms.
    pub page_size: u32,
    /// Most listing pages per source and pass.
    pub max_pages: u32,
}

/// Walks one source: the listing of this pass, as far as it gets before `deadline` (a request
/// still running then is abandoned; see [`Listing::complete`]).
pub(crate) async fn list(
    fetcher: &Fetcher,
    limits: Limits,
    source: &SourceConfig,
    previous: &SourceState,
    deadline: tokio::time::Instant,
) -> Result<Listing, HarvestError> {
    let pass = PassContext {
        source: source.context(),
        page_size: limits.page_size.max(1),
        today: chrono::Utc::now().date_naive(),
    };
    let mut adapter = source.params.adapter(pass);
    let walk = Walk { fetcher, source, previous, interval: interval(source) };
    let mut listing = Listing { rejected_ids_are_item_ids: adapter.rejected_ids_are_item_ids(), ..Listing::default() };
    let mut pages = 0;
    let mut request = Some(adapter.first_request());
    while let Some(current) = request {
        if current.listing_page {
            pages += 1;
            if pages > limits.max_pages {
                return Err(HarvestError::TooManyPages(limits.max_pages));
            }
        }
        let Ok(reply) = tokio::time::timeout_at(deadline, walk.send(&current, &mut listing.validators)).await else {
            return Ok(listing);
        };
        let step = adapter.step(reply?)?;
        if step.not_modified {
            listing.entries.extend(previous.items.keys().map(|id| Entry::Unchanged { id: id.clone() }));
        }
        listing.rejected.extend(step.outcome.rejected);
        debug_assert_eq!(step.outcome.documents.len(), step.outcome.item_ids.len());
        for (document, item_id) in step.outcome.documents.into_iter().zip(step.outcome.item_ids) {
            let entry = walk.entry(adapter.as_ref(), document, &item_id, deadline).await;
            listing.entries.push(entry);
        }
        request = step.next;
    }
    listing.complete = true;
    Ok(listing)
}

/// A source's own pace from its `rate_per_second`.
pub(crate) fn interval(source: &SourceConfig) -> Duration {
    if source.rate_per_second > 0.0 {
        Duration::from_secs_f64(1.0 / source.rate_per_second)
    } else {
        Duration::ZERO
    }
}

struct Walk<'a> {
    fetcher: &'a Fetcher,
    source: &'a SourceConfig,
    previous: &'a SourceState,
    interval: Duration,
}

impl Walk<'_> {
    /// Sends a request. A failure fails the pass, unless the request is optional.
    async fn send(
        &self,
        request: &Request,
        validators: &mut HashMap<String, Validators>,
    ) -> Result<Reply, HarvestError> {
        let body = match &request.method {
            Method::ReadFile => {
                let path = request.target.clone();
                let text = tokio::task::spawn_blocking(move || std::fs::read_to_string(path))
                    .await
                    .map_err(|e| std::io::Error::other(e.to_string()))??;
                return Ok(Reply::body(text));
            }
            Method::Get => Body::Get,
            Method::PostJson(json) => Body::PostJson(json.clone()),
        };
        let url = &request.target;
        let previous = if request.conditional { self.previous.validators.get(url) } else { None };
        let fetched = match self.fetcher.fetch(url, &body, previous, self.interval).await {
            Ok(fetched) => fetched,
            Err(error) if request.optional => {
                tracing::debug!(source = %self.source.id, %error, "optional request failed");
                return Ok(Reply::Failed(error.to_string()));
            }
            Err(error) => return Err(error.into()),
        };
        let Some(bytes) = fetched.body else { return Ok(Reply::NotModified) };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if request.conditional && fetched.validators != Validators::default() {
            validators.insert(url.clone(), fetched.validators);
        }
        let headers: BTreeMap<String, String> = fetched
            .headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str().to_string(), value.to_str().ok()?.to_string())))
            .collect();
        Ok(Reply::Body(Response { body: text, headers }))
    }

    /// A listed document as an entry. An item with a detail call is not looked at again while
    /// its listing is unchanged; when it changed, the detail replaces the listed document
    /// (unless the call fails or names another document).
    async fn entry(
        &self,
        adapter: &dyn SourceAdapter,
        document: Document,
        item_id: &str,
        deadline: tokio::time::Instant,
    ) -> Entry {
        let listed = content_hash(&document.to_json().to_string());
        let Some(detail) = adapter.detail_request(item_id) else {
            return Entry::Document { document: Box::new(document), listed };
        };
        if self.previous.items.get(&document.id).is_some_and(|item| item.listed == listed) {
            return Entry::Unchanged { id: document.id };
        }
        let mut unused = HashMap::new();
        let detailed = match tokio::time::timeout_at(deadline, self.send(&detail.optional(), &mut unused)).await {
            Ok(Ok(Reply::Body(response))) => adapter.parse_detail(item_id, &document, &response.body),
            Ok(Ok(Reply::Failed(_))) => {
                tracing::debug!(source = %self.source.id, "detail failed; using the listing");
                None
            }
            Ok(Ok(Reply::NotModified) | Err(_)) => None,
            Err(_) => {
                // Out of time: the listed version now; the detail next pass (the item's
                // listing hash is not remembered as detailed, see the harvester).
                return Entry::Document { document: Box::new(document), listed: 0 };
            }
        };
        let document = detailed.filter(|d| d.id == document.id).unwrap_or(document);
        Entry::Document { document: Box::new(document), listed }
    }
}

/// FNV-1a over a document's JSON: equal documents, equal hashes.
pub(crate) fn content_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use namndsok_sources::Catalogue;

    use super::*;
    use crate::fetch::FetchSettings;

    fn file_source(path: &std::path::Path) -> SourceConfig {
        let text =
            format!("[[source]]\nid = \"local\"\nplatform = \"file\"\npath = {:?}\n", path.display().to_string());
        Catalogue::parse(&text).unwrap().sources.remove(0)
    }

    #[tokio::test]
    async fn walks_a_file_source_without_the_network() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        let line = serde_json::json!({
            "id": "2260-test-1", "kind": "anslag", "kommun_kod": "2260", "title": "Protokoll",
            "date": "2024-03-01"
        });
        writeln!(file, "{line}\nnot json").unwrap();
        let source = file_source(file.path());
        let fetcher = Fetcher::new(FetchSettings::default());
        let limits = Limits { page_size: 100, max_pages: 0 };
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        let listing = list(&fetcher, limits, &source, &SourceState::default(), deadline).await.unwrap();
        assert_eq!(listing.entries.len(), 1);
        assert!(matches!(&listing.entries[0], Entry::Document { document, .. } if document.id == "2260-test-1"));
        assert_eq!(listing.rejected.len(), 1);
        // A file's rejected lines name no item of the platform: nothing may be taken down.
        assert!(!listing.rejected_ids_are_item_ids);
    }

    #[tokio::test]
    async fn a_missing_file_fails_the_pass() {
        let source = file_source(std::path::Path::new("/nonexistent/namndsok/documents.jsonl"));
        let fetcher = Fetcher::new(FetchSettings::default());
        let limits = Limits { page_size: 100, max_pages: 10 };
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        let result = list(&fetcher, limits, &source, &SourceState::default(), deadline).await;
        assert!(matches!(result, Err(HarvestError::Io(_))));
    }
}
