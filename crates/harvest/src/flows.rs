//! How each platform is walked: which calls, in which order, with which paging. The parsing is
//! `namndsok-sources`' job; this module only fetches and feeds it.

use std::collections::HashMap;
use std::time::Duration;

use namndsok_sources::{
    ciceron, file, meetingsplus, netpublicator, sitevision, wordpress, ParseOutcome, Platform, PlatformSettings, Source,
};

use crate::fetch::{Body, Validators};
use crate::state::SourceState;
use crate::{content_hash, Entry, HarvestError, Harvester, Listing};

/// The listing of one source.
pub(crate) async fn list(
    harvester: &Harvester,
    source: &Source,
    previous: &SourceState,
    validators: &mut HashMap<String, Validators>,
) -> Result<Listing, HarvestError> {
    let walk = Walk { harvester, source, previous, interval: interval(source) };
    match (&source.platform, &source.settings) {
        (Platform::MeetingsPlus, _) => walk.meetingsplus().await,
        (Platform::Netpublicator, PlatformSettings::Netpublicator { board }) => walk.netpublicator(board).await,
        (Platform::Ciceron, PlatformSettings::Ciceron { doctype, search_id, kind }) => {
            walk.ciceron(*doctype, search_id, *kind).await
        }
        (Platform::Sitevision, PlatformSettings::Sitevision { path, portlet }) => {
            walk.sitevision(path, portlet.as_deref(), validators).await
        }
        (Platform::WordPress, PlatformSettings::WordPress { post_type, kind }) => {
            walk.wordpress(post_type, *kind).await
        }
        (Platform::File, PlatformSettings::File { path }) => walk.file(path).await,
        (platform, settings) => Err(HarvestError::Io(std::io::Error::other(format!(
            "the catalogue gave platform {platform} the settings of another platform: {settings:?}"
        )))),
    }
}

/// A source's own pace from its `rate_per_second`.
fn interval(source: &Source) -> Duration {
    if source.rate_per_second > 0.0 {
        Duration::from_secs_f64(1.0 / source.rate_per_second)
    } else {
        Duration::ZERO
    }
}

struct Walk<'a> {
    harvester: &'a Harvester,
    source: &'a Source,
    previous: &'a SourceState,
    interval: Duration,
}

impl Walk<'_> {
    async fn get(&self, url: &str) -> Result<String, HarvestError> {
        let fetched = self.harvester.fetcher().fetch(url, &Body::Get, None, self.interval).await?;
        Ok(fetched.body.unwrap_or_default())
    }

    async fn post(&self, url: &str, json: String) -> Result<String, HarvestError> {
        let fetched = self.harvester.fetcher().fetch(url, &Body::PostJson(json), None, self.interval).await?;
        Ok(fetched.body.unwrap_or_default())
    }

    fn page_size(&self) -> u32 {
        self.harvester.settings().page_size.max(1)
    }

    fn check_pages(&self, pages: u32) -> Result<(), HarvestError> {
        let max = self.harvester.settings().max_pages;
        if pages > max {
            return Err(HarvestError::TooManyPages(max));
        }
        Ok(())
    }

    /// Adds a page's documents: unchanged listings are not looked at again.
    fn add(&self, listing: &mut Listing, outcome: ParseOutcome) {
        listing.rejected.extend(outcome.rejected);
        for document in outcome.documents {
            let listed = content_hash(&document.to_json().to_string());
            listing.entries.push(Entry::Document { document: Box::new(document), listed });
        }
    }

    /// Formpipe Meetings Plus: announcement types, then the published list page by page, and
    /// the detail (with the description) of every item whose listing changed.
    async fn meetingsplus(&self) -> Result<Listing, HarvestError> {
        let base = &self.source.url;
        let context = self.source.context();
        let types = match self.get(&meetingsplus::types_url(base)).await {
            Ok(payload) => meetingsplus::parse_announcement_types(&payload).ok(),
            Err(error) => {
                tracing::debug!(source = %self.source.id, %error, "no announcement types");
                None
            }
        };
        let size = self.page_size();
        let mut listing = Listing::default();
        let mut page = 1;
        loop {
            self.check_pages(page)?;
            let payload = self.get(&meetingsplus::list_url(base, page, size)).await?;
            let outcome = meetingsplus::parse_list(&context, &payload, page, size, types.as_ref())?;
            let raw_ids = raw_ids(self.source, &payload, &["Items", "items"], &["Id", "id"]);
            listing.rejected.extend(outcome.rejected);
            for document in outcome.documents {
                let listed = content_hash(&document.to_json().to_string());
                if self.previous.items.get(&document.id).is_some_and(|item| item.listed == listed) {
                    listing.entries.push(Entry::Unchanged { id: document.id });
                    continue;
                }
                // New or changed: the detail has the description (and the diarienummer in it).
                let detailed = match raw_ids.get(&document.id) {
                    Some(raw) => match self.get(&meetingsplus::detail_url(base, raw)).await {
                        Ok(payload) => meetingsplus::parse_detail(&context, &payload, types.as_ref())
                            .ok()
                            .and_then(|outcome| outcome.documents.into_iter().next()),
                        Err(error) => {
                            tracing::debug!(source = %self.source.id, %error, "detail failed; using the listing");
                            None
                        }
                    },
                    None => None,
                };
                let document = detailed.filter(|d| d.id == document.id).unwrap_or(document);
                listing.entries.push(Entry::Document { document: Box::new(document), listed });
            }
            match outcome.next_page {
                Some(next) => page = next,
                None => break,
            }
        }
        Ok(listing)
    }

    /// Netpublicator: the board's setup (nämnder), then `find` pages.
    async fn netpublicator(&self, board: &str) -> Result<Listing, HarvestError> {
        let base = &self.source.url;
        let context = self.source.context();
        let setup = match self.get(&netpublicator::setup_url(base, board)).await {
            Ok(payload) => netpublicator::parse_setup(&payload).ok(),
            Err(_) => None,
        };
        let size = self.page_size();
        let mut listing = Listing::default();
        let mut index = 0;
        let mut pages = 0;
        loop {
            pages += 1;
            self.check_pages(pages)?;
            let payload = self.get(&netpublicator::find_url(base, board, index, size)).await?;
            let outcome = netpublicator::parse_find(&context, board, &payload, index, size, setup.as_ref())?;
            let next = outcome.next_page;
            self.add(&mut listing, outcome);
            match next {
                Some(next) => index = next,
                None => break,
            }
        }
        Ok(listing)
    }

    /// Ciceron JSON-RPC: `Test` for a session (reused for every call), `Search`, then
    /// `ReadItems` pages.
    async fn ciceron(
        &self,
        doctype: i64,
        search_id: &str,
        kind: namndsok_model::Kind,
    ) -> Result<Listing, HarvestError> {
        let endpoint = ciceron::endpoint_url(&self.source.url);
        let context = self.source.context();
        let mut call_id = 1;
        let session = ciceron::parse_test(&self.post(&endpoint, ciceron::test_request(call_id).to_string()).await?)?;
        call_id += 1;
        let search =
            ciceron::search_request(Some(&session), search_id, doctype, "", &ciceron::anslagstavla_param(), call_id);
        let hits = ciceron::parse_search(&self.post(&endpoint, search.to_string()).await?)?;
        let session = hits.session_id.clone().unwrap_or(session);
        let size = self.page_size();
        let mut listing = Listing::default();
        let mut offset = 0;
        let mut pages = 0;
        loop {
            pages += 1;
            self.check_pages(pages)?;
            call_id += 1;
            let request = ciceron::read_items_request(Some(&session), search_id, offset, size, call_id);
            let payload = self.post(&endpoint, request.to_string()).await?;
            let outcome = ciceron::parse_items(
                &context,
                &payload,
                kind,
                offset,
                size,
                Some(hits.hits),
                chrono::Utc::now().date_naive(),
            )?;
            let next = outcome.next_page;
            self.add(&mut listing, outcome);
            match next {
                Some(next) => offset = next,
                None => break,
            }
        }
        Ok(listing)
    }

    /// Sitevision: one page with the listing embedded as JSON. Fetched conditionally: an
    /// unchanged page (304) means every item is unchanged.
    async fn sitevision(
        &self,
        path: &str,
        portlet: Option<&str>,
        validators: &mut HashMap<String, Validators>,
    ) -> Result<Listing, HarvestError> {
        let url = sitevision::page_url(&self.source.url, path);
        let previous = self.previous.validators.get(&url);
        let fetched = self.harvester.fetcher().fetch(&url, &Body::Get, previous, self.interval).await?;
        let mut listing = Listing::default();
        let Some(html) = fetched.body else {
            listing.entries = self.previous.items.keys().map(|id| Entry::Unchanged { id: id.clone() }).collect();
            return Ok(listing);
        };
        if fetched.validators != Validators::default() {
            validators.insert(url, fetched.validators);
        }
        let outcome = sitevision::parse_page(&self.source.context(), &html, portlet)?;
        self.add(&mut listing, outcome);
        Ok(listing)
    }

    /// WordPress REST: pages of posts, as many as `X-WP-TotalPages` says.
    async fn wordpress(&self, post_type: &str, kind: namndsok_model::Kind) -> Result<Listing, HarvestError> {
        let context = self.source.context();
        let mut listing = Listing::default();
        let mut page = 1;
        loop {
            self.check_pages(page)?;
            let url = wordpress::posts_url(&self.source.url, post_type, page);
            let fetched = self.harvester.fetcher().fetch(&url, &Body::Get, None, self.interval).await?;
            let header = |name: &str| fetched.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
            let paging =
                wordpress::Paging::from_headers(header("x-wp-totalpages").as_deref(), header("x-wp-total").as_deref());
            let outcome = wordpress::parse_posts(&context, fetched.body.as_deref().unwrap_or(""), kind, page, paging)?;
            let next = outcome.next_page;
            self.add(&mut listing, outcome);
            match next {
                Some(next) => page = next,
                None => break,
            }
        }
        Ok(listing)
    }

    /// A local NDJSON file (Document JSON v1 lines).
    async fn file(&self, path: &str) -> Result<Listing, HarvestError> {
        let path = path.to_string();
        let text = tokio::task::spawn_blocking(move || std::fs::read_to_string(path))
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))??;
        let mut listing = Listing::default();
        self.add(&mut listing, file::parse_ndjson(&self.source.context(), &text));
        Ok(listing)
    }
}

/// Document id → the platform's raw item id, read from a list payload (`Items[].Id`), so that
/// detail calls can be made for documents the parser produced.
fn raw_ids(source: &Source, payload: &str, arrays: &[&str], id_keys: &[&str]) -> HashMap<String, String> {
    let kommun = source.kommun_kod.as_deref().unwrap_or_default();
    let mut ids = HashMap::new();
    let Ok(value) = serde_json::from_str::<serde_json::Value>(payload) else { return ids };
    let items = arrays.iter().find_map(|key| value.get(key)).or(value.as_array().map(|_| &value));
    let Some(serde_json::Value::Array(items)) = items else { return ids };
    for item in items {
        let raw = id_keys.iter().find_map(|key| item.get(key)).and_then(|v| match v {
            serde_json::Value::String(s) => Some(s.trim().to_string()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
        if let Some(raw) = raw {
            ids.insert(namndsok_sources::text::document_id(kommun, source.platform.as_str(), &raw), raw);
        }
    }
    ids
}
