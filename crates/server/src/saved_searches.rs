//! `/api/v1/saved-searches`: an account's saved searches (token required; each account sees
//! and changes only its own — another account's search is `404`, like a missing one).
//!
//! - `GET /api/v1/saved-searches`: the account's searches, oldest first.
//! - `POST /api/v1/saved-searches`: save one. Body:
//!   `{"query": "batterifabrik", "filters": {"kommun": ["1493"], "kind": "arende"},
//!     "delivery": {"email": true} | {"webhook": "http://…"}, "frequency": "immediate" | "daily"}`
//!   or, to follow a case, `{"follow": {"kommun": "1493", "diarienummer": "KS 2023/412"},
//!   "delivery": …}`. Filters take the names of `/api/v1/search` (`kommun`, `lan`, `kind`,
//!   `organ` — a string or a list — and `from`, `to`). What the search finds in the index now is
//!   marked seen, so only documents committed from now on are alerted. Answers `201` with the
//!   search, its private feed URL and, for webhooks, the signing secret (shown only here).
//! - `GET /api/v1/saved-searches/{id}`, `PATCH` (any of `query`, `filters`, `frequency`,
//!   `delivery` (a webhook's URL), `enabled`), `DELETE` (`204`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use namndsok_alerts::{
    AlertError, Delivery, DeliveryKind, FollowCase, Frequency, NewSearch, SavedQuery, SavedSearch, SearchId,
    SearchUpdate,
};
use namndsok_model::Registry;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::alerts::{alert_error, blocking, AlertsService, MAX_SEARCHES_PER_ACCOUNT};
use crate::extract::{present, Authenticated, JsonBody, OneOrMany};
use crate::params::{parse_search, ParamError};
use crate::{ApiError, AppState};

/// The filter parameters a saved search takes (those of `/api/v1/search` that filter).
const REPEATABLE_FILTERS: &[&str] = &["kommun", "lan", "kind", "organ"];
const SINGLE_FILTERS: &[&str] = &["from", "to"];

/// The body of `POST /api/v1/saved-searches`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SavedSearchCreate)]
pub struct NewSavedSearch {
    /// Words, as in `q` of `/api/v1/search`.
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default)]
    pub filters: Option<Filters>,
    #[serde(default)]
    pub follow: Option<Follow>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = DeliveryBody, required = true)]
    pub delivery: Option<Option<DeliveryBody>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<crate::openapi::Frequency>)]
    pub frequency: Option<Option<String>>,
}

/// The body of `PATCH /api/v1/saved-searches/{id}`: what is absent stays as it is.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedSearchPatch {
    #[serde(default, deserialize_with = "present")]
    pub query: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub filters: Option<Option<Filters>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DeliveryBody>)]
    pub delivery: Option<Option<DeliveryBody>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<crate::openapi::Frequency>)]
    pub frequency: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<bool>)]
    pub enabled: Option<Option<bool>>,
}

/// The filters of `/api/v1/search`; the repeatable ones take a string or a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Filters {
    #[serde(default)]
    pub kommun: Option<OneOrMany>,
    #[serde(default)]
    pub lan: Option<OneOrMany>,
    #[serde(default)]
    pub kind: Option<OneOrMany>,
    #[serde(default)]
    pub organ: Option<OneOrMany>,
    #[serde(default)]
    #[schema(format = Date)]
    pub from: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    pub to: Option<String>,
}

impl Filters {
    fn repeatable(&self, name: &str) -> Option<&OneOrMany> {
        match name {
            "kommun" => self.kommun.as_ref(),
            "lan" => self.lan.as_ref(),
            "kind" => self.kind.as_ref(),
            "organ" => self.organ.as_ref(),
            _ => None,
        }
    }

    fn single(&self, name: &str) -> Option<&String> {
        match name {
            "from" => self.from.as_ref(),
            "to" => self.to.as_ref(),
            _ => None,
        }
    }
}

/// A case to follow.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = FollowRequest)]
pub struct Follow {
    /// Kommunkod or länskod.
    pub kommun: String,
    /// In any spelling (`KS 2023/412`, `Dnr KS 2023-0412`).
    pub diarienummer: String,
}

/// `{"email": true}` or `{"webhook": "http://…"}` (exactly one of the two).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Delivery)]
pub struct DeliveryBody {
    /// `true`: to the account's address.
    #[serde(default)]
    pub email: Option<bool>,
    /// An `http://` URL. Each delivery is a `POST` of JSON
    /// `{"delivery_id", "saved_search_id", "query", "label", "total", "summary", "search_url", "documents": [{…, "link"}]}`
    /// with `X-Namndsok-Delivery: <delivery id>` (the same on every retry: drop duplicates) and
    /// `X-Namndsok-Signature: sha256=<hex HMAC-SHA256 of the exact body, keyed with the search's webhook_secret>`.
    /// Failed deliveries are retried with exponential backoff; after 8 failures in a row the
    /// search is disabled and its owner told by e-mail.
    #[serde(default)]
    #[schema(format = "uri")]
    pub webhook: Option<String>,
}

/// The JSON of a saved search.
pub fn search_json(service: &AlertsService, search: &SavedSearch) -> Value {
    let (query, filters) = split_query(&search.query);
    let delivery = match &search.delivery {
        Delivery::Email => json!({"email": true}),
        Delivery::Webhook { url, .. } => json!({"webhook": url}),
    };
    let follow = search.follow_case.as_ref().map(|case| json!({"kommun": case.kommun_kod, "case_key": case.case_key}));
    json!({
        "id": search.id,
        "query": query,
        "filters": filters,
        "follow": follow,
        "label": search.label(),
        "delivery": delivery,
        "frequency": search.frequency.as_str(),
        "enabled": !search.disabled,
        "disabled_reason": search.disabled_reason,
        "feed_url": service.feed_url(&search.feed_token),
        "created": search.created.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })
}

/// A saved query as the API's `query` and `filters`.
fn split_query(query: &SavedQuery) -> (String, Value) {
    let mut filters = Map::new();
    let strings = |values: &[String]| Value::Array(values.iter().cloned().map(Value::String).collect());
    let kinds: Vec<String> = query.kind.iter().map(|kind| kind.as_str().to_string()).collect();
    for (name, values) in [("kommun", &query.kommun), ("lan", &query.lan), ("kind", &kinds), ("organ", &query.organ)] {
        if !values.is_empty() {
            filters.insert(name.to_string(), strings(values));
        }
    }
    for (name, date) in [("from", query.from), ("to", query.to)] {
        if let Some(date) = date {
            filters.insert(name.to_string(), Value::String(date.to_string()));
        }
    }
    (query.q.clone(), Value::Object(filters))
}

/// A saved query's filters in the request body's form.
fn stored_filters(query: &SavedQuery) -> Filters {
    let list = |values: Vec<String>| (!values.is_empty()).then_some(OneOrMany(values));
    Filters {
        kommun: list(query.kommun.clone()),
        lan: list(query.lan.clone()),
        kind: list(query.kind.iter().map(|kind| kind.as_str().to_string()).collect()),
        organ: list(query.organ.clone()),
        from: query.from.map(|date| date.to_string()),
        to: query.to.map(|date| date.to_string()),
    }
}

/// `q` and `filters`, validated by the search API's own parser, as a saved query.
fn saved_query(q: &str, filters: &Filters) -> Result<SavedQuery, ApiError> {
    saved_query_from_parameters(&build_query(q, filters)).map_err(|error| {
        let field = if error.parameter == "q" { "query".to_string() } else { format!("filters.{}", error.parameter) };
        ApiError::invalid_parameter(format!("{field}: {}", error.message))
    })
}

/// Validates search parameters (`q=…&kommun=…`, as the search page takes them) with the
/// search API's own parser, as a saved query; order and paging parameters are ignored.
pub(crate) fn saved_query_from_parameters(parameters: &str) -> Result<SavedQuery, ParamError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(parameters.trim().as_bytes())
        .filter(|(key, _)| !matches!(key.as_ref(), "sort" | "limit" | "cursor"))
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    let request =
        parse_search(pairs.iter().map(|(key, value)| (key.as_str(), value.as_str())), Registry::global(), &[])?;
    Ok(SavedQuery::from_request(&request))
}

/// `q` and `filters` as a query string.
fn build_query(q: &str, filters: &Filters) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    let q = q.trim();
    if !q.is_empty() {
        serializer.append_pair("q", q);
    }
    for name in REPEATABLE_FILTERS {
        for value in filters.repeatable(name).map(|values| values.0.as_slice()).unwrap_or_default() {
            serializer.append_pair(name, value.trim());
        }
    }
    for name in SINGLE_FILTERS {
        if let Some(value) = filters.single(name) {
            serializer.append_pair(name, value.trim());
        }
    }
    serializer.finish()
}

/// The engine's complaint about a query, named by the body field it comes from.
fn query_error(error: AlertError) -> ApiError {
    if let AlertError::InvalidQuery(message) = &error {
        if let Some((parameter, rest)) = message.split_once(": ") {
            if parameter == "q" {
                return ApiError::invalid_parameter(format!("query: {rest}"));
            }
            if REPEATABLE_FILTERS.contains(&parameter) || SINGLE_FILTERS.contains(&parameter) {
                return ApiError::invalid_parameter(format!("filters.{parameter}: {rest}"));
            }
        }
        return ApiError::invalid_parameter(format!("query: {message}"));
    }
    alert_error(error, "query")
}

fn parse_follow(follow: &Follow) -> Result<FollowCase, ApiError> {
    let field = |name: &str, value: &str| {
        let value = value.trim();
        if value.is_empty() {
            return Err(ApiError::invalid_parameter(format!("follow.{name}: must be a non-empty string")));
        }
        Ok(value.to_string())
    };
    let kommun = field("kommun", &follow.kommun)?;
    let diarienummer = field("diarienummer", &follow.diarienummer)?;
    FollowCase::new(&kommun, &diarienummer).map_err(|error| match error {
        AlertError::InvalidCase(message) if message.starts_with("unknown kommunkod") => {
            ApiError::invalid_parameter(format!("follow.kommun: {message}"))
        }
        AlertError::InvalidCase(message) => ApiError::invalid_parameter(format!("follow.diarienummer: {message}")),
        other => alert_error(other, "follow"),
    })
}

fn parse_delivery(delivery: Option<&Option<DeliveryBody>>) -> Result<DeliveryKind, ApiError> {
    let delivery = delivery.ok_or_else(|| {
        ApiError::invalid_parameter("delivery: required ({\"email\": true} or {\"webhook\": \"http://…\"})")
    })?;
    let Some(delivery) = delivery else {
        return Err(ApiError::invalid_parameter("delivery: must be {\"email\": true} or {\"webhook\": \"http://…\"}"));
    };
    match (delivery.email, &delivery.webhook) {
        (Some(true), None) => Ok(DeliveryKind::Email),
        (None, Some(url)) => Ok(DeliveryKind::Webhook { url: url.trim().to_string() }),
        (Some(_), Some(_)) => Err(ApiError::invalid_parameter("delivery: either email or webhook, not both")),
        (Some(_), None) => Err(ApiError::invalid_parameter("delivery.email: must be true")),
        (None, None) => Err(ApiError::invalid_parameter("delivery: either email or webhook is required")),
    }
}

fn parse_frequency(frequency: Option<&Option<String>>) -> Result<Option<Frequency>, ApiError> {
    match frequency {
        None => Ok(None),
        Some(Some(text)) => Frequency::parse(text.trim())
            .map(Some)
            .ok_or_else(|| ApiError::invalid_parameter("frequency: must be \"immediate\" or \"daily\"")),
        Some(None) => Err(ApiError::invalid_parameter("frequency: must be \"immediate\" or \"daily\"")),
    }
}

/// Checks a webhook URL before it is saved: form (`http://` or `https://`), and (unless the
/// operator allows them) public addresses only. Blocking (DNS).
fn check_webhook(service: &AlertsService, url: &str) -> Result<(), ApiError> {
    service
        .deliverer()
        .check_webhook_url(url)
        .map_err(|e| ApiError::invalid_parameter(format!("delivery.webhook: {e}")))?;
    Ok(())
}

fn parse_id(id: &str) -> Result<SearchId, ApiError> {
    id.parse::<i64>().map(SearchId).map_err(|_| ApiError::not_found(format!("no saved search with id {id:?}")))
}

fn not_found(id: SearchId) -> impl Fn(AlertError) -> ApiError {
    move |error| match error {
        AlertError::NotFound => ApiError::not_found(format!("no saved search with id {id}")),
        other => alert_error(other, "body"),
    }
}

/// The account's saved searches
#[utoipa::path(get, path = "/api/v1/saved-searches", tag = "alerts", operation_id = "listSavedSearches",
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The account's saved searches, oldest first.", body = crate::openapi::SavedSearchList),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 500, response = crate::openapi::Internal),
        (status = 503, response = crate::openapi::Unavailable),
    ))]
pub async fn list(Authenticated { account, service }: Authenticated) -> Result<Json<Value>, ApiError> {
    blocking(service, move |service| {
        let searches = service.store().list_saved_searches(account.id).map_err(ApiError::internal)?;
        let list: Vec<Value> = searches.iter().map(|search| search_json(service, search)).collect();
        Ok(Json(json!({"saved_searches": list})))
    })
    .await
}

/// Save a search, or follow a case
///
/// Give `query` and/or `filters`, or `follow` (a diarienummer in one kommun; not combined
/// with the others). What the search finds in the index now is marked seen, so only
/// documents committed afterwards (harvested or ingested) are alerted. Webhook URLs must be
/// `http://` (TLS is not implemented yet; put a TLS-terminating proxy in front of the
/// receiver) and resolve to public addresses only, unless the operator started the server
/// with `--allow-private-webhooks`. An account has at most 100 saved searches.
#[utoipa::path(post, path = "/api/v1/saved-searches", tag = "alerts", operation_id = "createSavedSearch",
    security(("bearerAuth" = [])),
    request_body(content = NewSavedSearch, examples(
        ("words" = (value = json!({"query": "batterifabrik", "filters": {"kommun": ["1493"], "kind": "arende"}, "delivery": {"email": true}, "frequency": "immediate"}))),
        ("case" = (value = json!({"follow": {"kommun": "1493", "diarienummer": "KS 2023/412"}, "delivery": {"webhook": "http://hooks.example.org/namndsok"}, "frequency": "daily"}))),
    )),
    responses(
        (status = 201, description = "Saved. `webhook_secret` (webhooks only) is shown here and nowhere else.", body = crate::openapi::SavedSearchCreated),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 409, response = crate::openapi::Conflict),
        (status = 500, response = crate::openapi::Internal),
        (status = 503, response = crate::openapi::Unavailable),
    ))]
pub async fn create(
    State(state): State<AppState>,
    Authenticated { account, service }: Authenticated,
    JsonBody(body): JsonBody<NewSavedSearch>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let index = state.index.clone();
    blocking(service, move |service| {
        let follow = body.follow.as_ref().map(parse_follow).transpose()?;
        let has_query = body.query.is_some();
        let has_filters = body.filters.is_some();
        if follow.is_some() && (has_query || has_filters) {
            return Err(ApiError::invalid_parameter(
                "follow: a followed case takes no query or filters (save a separate search for those)",
            ));
        }
        if follow.is_none() && !has_query && !has_filters {
            return Err(ApiError::invalid_parameter("query: required (or filters, or follow)"));
        }
        let query = match follow {
            Some(_) => SavedQuery::default(),
            None => saved_query(body.query.as_deref().unwrap_or(""), &body.filters.clone().unwrap_or_default())?,
        };
        let delivery = parse_delivery(body.delivery.as_ref())?;
        let frequency = parse_frequency(body.frequency.as_ref())?.unwrap_or(Frequency::Immediate);
        if let DeliveryKind::Webhook { url } = &delivery {
            check_webhook(service, url)?;
        }
        let store = service.store();
        if store.list_saved_searches(account.id).map_err(ApiError::internal)?.len() >= MAX_SEARCHES_PER_ACCOUNT {
            return Err(ApiError::conflict(format!(
                "the account has {MAX_SEARCHES_PER_ACCOUNT} saved searches, the most allowed; delete one first"
            )));
        }
        let new = NewSearch { query, delivery, frequency, follow_case: follow };
        let now = Utc::now();
        let saved = store.create_saved_search(account.id, &new, now).map_err(query_error)?;
        let seen = match namndsok_alerts::seed_seen(store, saved.id, &index, now) {
            Ok(seen) => seen,
            Err(error) => {
                // Without its seen list the search would alert everything that matches today.
                let _ = store.delete_saved_search(account.id, saved.id);
                return Err(ApiError::internal(error));
            }
        };
        tracing::info!(account = %account.id, search = %saved.id, seen, "saved search created");
        let mut body = search_json(service, &saved);
        body["marked_seen"] = json!(seen);
        if let Delivery::Webhook { secret, .. } = &saved.delivery {
            body["webhook_secret"] = json!(secret);
        }
        Ok((StatusCode::CREATED, Json(body)))
    })
    .await
}

/// One saved search
#[utoipa::path(get, path = "/api/v1/saved-searches/{id}", tag = "alerts", operation_id = "getSavedSearch",
    security(("bearerAuth" = [])),
    params(("id" = i64, Path, description = "The saved search's id (another account's id is `404`, like a missing one).")),
    responses(
        (status = 200, description = "The saved search.", body = crate::openapi::SavedSearch),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 500, response = crate::openapi::Internal),
        (status = 503, response = crate::openapi::Unavailable),
    ))]
pub async fn get_one(
    Authenticated { account, service }: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    blocking(service, move |service| {
        let id = parse_id(&id)?;
        let search = service.store().get_saved_search(account.id, id).map_err(not_found(id))?;
        Ok(Json(search_json(service, &search)))
    })
    .await
}

/// Change a saved search
///
/// Fields left out stay as they are. `query` and `filters` replace the words and the filters
/// (each on its own); a changed search marks what it finds now as seen, like a new one.
/// `delivery` may change a webhook's URL, not switch between e-mail and webhook.
/// `enabled: true` starts a search again (after an unsubscribe, or a webhook disabled for
/// failing) and clears its failure count.
#[utoipa::path(patch, path = "/api/v1/saved-searches/{id}", tag = "alerts", operation_id = "updateSavedSearch",
    security(("bearerAuth" = [])),
    params(("id" = i64, Path, description = "The saved search's id (another account's id is `404`, like a missing one).")),
    request_body = SavedSearchPatch,
    responses(
        (status = 200, description = "The changed search.", body = crate::openapi::SavedSearch),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 500, response = crate::openapi::Internal),
        (status = 503, response = crate::openapi::Unavailable),
    ))]
pub async fn update(
    State(state): State<AppState>,
    Authenticated { account, service }: Authenticated,
    Path(id): Path<String>,
    // Taken as a result: a search that is not the account's is `404` whatever the body says.
    body: Result<JsonBody<SavedSearchPatch>, ApiError>,
) -> Result<Json<Value>, ApiError> {
    let index = state.index.clone();
    blocking(service, move |service| {
        let id = parse_id(&id)?;
        let store = service.store();
        let current = store.get_saved_search(account.id, id).map_err(not_found(id))?;
        let JsonBody(patch) = body?;
        let mut update = SearchUpdate::default();
        if patch.query.is_some() || patch.filters.is_some() {
            if current.follow_case.is_some() {
                return Err(ApiError::invalid_parameter(
                    "query: a followed case takes no query or filters (save a separate search for those)",
                ));
            }
            let (current_q, _) = split_query(&current.query);
            let q = match &patch.query {
                None => current_q,
                Some(q) => q.clone().unwrap_or_default(),
            };
            let filters = match &patch.filters {
                None => stored_filters(&current.query),
                Some(filters) => filters.clone().unwrap_or_default(),
            };
            let query = saved_query(&q, &filters)?;
            if query != current.query {
                update.query = Some(query);
            }
        }
        update.frequency = parse_frequency(patch.frequency.as_ref())?;
        if let Some(delivery) = &patch.delivery {
            match (parse_delivery(Some(delivery))?, &current.delivery) {
                (DeliveryKind::Email, Delivery::Email) => {}
                (DeliveryKind::Webhook { url }, Delivery::Webhook { .. }) => {
                    check_webhook(service, &url)?;
                    update.webhook_url = Some(url);
                }
                _ => {
                    return Err(ApiError::invalid_parameter(
                        "delivery: cannot change between e-mail and webhook; save a new search instead",
                    ))
                }
            }
        }
        match patch.enabled {
            None => {}
            Some(Some(enabled)) => update.disabled = Some(!enabled),
            Some(None) => return Err(ApiError::invalid_parameter("enabled: must be true or false")),
        }
        let updated = store.update_saved_search(account.id, id, &update).map_err(|error| match error {
            AlertError::NotFound => ApiError::not_found(format!("no saved search with id {id}")),
            other => query_error(other),
        })?;
        if update.query.is_some() {
            // A changed search starts from what it finds now, like a new one.
            namndsok_alerts::seed_seen(store, id, &index, Utc::now()).map_err(ApiError::internal)?;
        }
        Ok(Json(search_json(service, &updated)))
    })
    .await
}

/// Delete a saved search (with its seen list, pending deliveries and feed)
#[utoipa::path(delete, path = "/api/v1/saved-searches/{id}", tag = "alerts", operation_id = "deleteSavedSearch",
    security(("bearerAuth" = [])),
    params(("id" = i64, Path, description = "The saved search's id (another account's id is `404`, like a missing one).")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 500, response = crate::openapi::Internal),
        (status = 503, response = crate::openapi::Unavailable),
    ))]
pub async fn delete(
    Authenticated { account, service }: Authenticated,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    blocking(service, move |service| {
        let id = parse_id(&id)?;
        service.store().delete_saved_search(account.id, id).map_err(not_found(id))?;
        tracing::info!(account = %account.id, search = %id, "saved search deleted");
        Ok(StatusCode::NO_CONTENT.into_response())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::parse_json_object;

    #[test]
    fn queries_round_trip_through_query_and_filters() {
        let body: NewSavedSearch = parse_json_object(
            br#"{"query": "batterifabrik", "filters": {"kommun": ["1493", "1480"], "kind": "arende", "from": "2024-01-01"}}"#,
        )
        .unwrap();
        let query = saved_query(body.query.as_deref().unwrap(), body.filters.as_ref().unwrap()).unwrap();
        assert_eq!(query.search_page_query(), "q=batterifabrik&kommun=1493&kommun=1480&kind=arende&from=2024-01-01");
        let (q, filters) = split_query(&query);
        assert_eq!(q, "batterifabrik");
        assert_eq!(filters, json!({"kommun": ["1493", "1480"], "kind": ["arende"], "from": "2024-01-01"}));
        // A patch of the words keeps the filters.
        assert_eq!(
            saved_query("skola", &stored_filters(&query)).unwrap().search_page_query(),
            "q=skola&kommun=1493&kommun=1480&kind=arende&from=2024-01-01"
        );
        // Values the search API rejects are named by their body field.
        let bad = Filters { kommun: Some(OneOrMany(vec!["9999".into()])), ..Filters::default() };
        assert!(saved_query("skola", &bad).unwrap_err().message.starts_with("filters.kommun: "));
    }

    #[test]
    fn bad_filters_are_named() {
        for (body, field) in [
            (r#"{"filters": {"colour": "red"}}"#, "filters.colour"),
            (r#"{"filters": {"kommun": 1493}}"#, "filters.kommun"),
            (r#"{"filters": {"from": ["2024-01-01"]}}"#, "filters.from"),
            (r#"{"query": 5}"#, "query"),
        ] {
            let error = parse_json_object::<NewSavedSearch>(body.as_bytes()).unwrap_err();
            assert!(error.message.starts_with(&format!("{field}: ")), "{} for {field}", error.message);
        }
        let error = query_error(AlertError::InvalidQuery("kommun: unknown kommunkod \"9999\"".into()));
        assert!(error.message.starts_with("filters.kommun: "), "{}", error.message);
    }

    #[test]
    fn deliveries_parse() {
        let delivery = |text: &str| -> Result<DeliveryKind, ApiError> {
            let body: NewSavedSearch = parse_json_object(format!("{{\"delivery\": {text}}}").as_bytes())?;
            parse_delivery(body.delivery.as_ref())
        };
        assert_eq!(delivery(r#"{"email": true}"#).unwrap(), DeliveryKind::Email);
        assert_eq!(
            delivery(r#"{"webhook": "http://x.se/h"}"#).unwrap(),
            DeliveryKind::Webhook { url: "http://x.se/h".into() }
        );
        for bad in [r#"{"email": false}"#, "{}", r#""email""#, r#"{"sms": true}"#, "null"] {
            assert!(delivery(bad).unwrap_err().message.starts_with("delivery"), "{bad}");
        }
        assert!(parse_delivery(None).unwrap_err().message.starts_with("delivery: required"));
    }
}
