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

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use namndsok_alerts::{
    AlertError, Delivery, DeliveryKind, FollowCase, Frequency, NewSearch, SavedQuery, SavedSearch, SearchId,
    SearchUpdate,
};
use namndsok_index::{ParamError, SearchRequest};
use namndsok_model::Registry;
use serde_json::{json, Map, Value};

use crate::alerts::{
    alert_error, authenticate, blocking, json_object, no_unknown_fields, service, AlertsService,
    MAX_SEARCHES_PER_ACCOUNT,
};
use crate::{ApiError, AppState};

/// The filter parameters a saved search takes (those of `/api/v1/search` that filter).
const REPEATABLE_FILTERS: &[&str] = &["kommun", "lan", "kind", "organ"];
const SINGLE_FILTERS: &[&str] = &["from", "to"];

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
    for (name, values) in [("kommun", &query.kommun), ("lan", &query.lan)] {
        if !values.is_empty() {
            filters.insert(name.to_string(), strings(values));
        }
    }
    if !query.kind.is_empty() {
        filters.insert("kind".into(), query.kind.iter().map(|kind| Value::String(kind.as_str().into())).collect());
    }
    if !query.organ.is_empty() {
        filters.insert("organ".into(), strings(&query.organ));
    }
    for (name, date) in [("from", query.from), ("to", query.to)] {
        if let Some(date) = date {
            filters.insert(name.to_string(), Value::String(date.to_string()));
        }
    }
    (query.q.clone(), Value::Object(filters))
}

/// Validates search parameters (`q=…&kommun=…`, as the search page takes them) with the
/// search API's own parser, as a saved query; order and paging parameters are ignored.
pub(crate) fn saved_query_from_parameters(parameters: &str) -> Result<SavedQuery, ParamError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(parameters.trim().as_bytes())
        .filter(|(key, _)| !matches!(key.as_ref(), "sort" | "limit" | "cursor"))
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    let request = SearchRequest::from_pairs(
        pairs.iter().map(|(key, value)| (key.as_str(), value.as_str())),
        Registry::global(),
        &[],
    )?;
    Ok(SavedQuery::from_request(&request))
}

/// `query` and `filters` of a request body as a saved query; `current` fills what is absent.
fn build_query(object: &Map<String, Value>, current: Option<&SavedQuery>) -> Result<SavedQuery, ApiError> {
    let (current_q, current_filters) = current.map(split_query).unwrap_or_default();
    let q = match object.get("query") {
        None => current_q,
        Some(Value::String(text)) => text.trim().to_string(),
        Some(Value::Null) => String::new(),
        Some(_) => return Err(ApiError::invalid_parameter("query: must be a string")),
    };
    let filters = match object.get("filters") {
        None => match current_filters {
            Value::Object(map) => map,
            _ => Map::new(),
        },
        Some(Value::Object(map)) => map.clone(),
        Some(Value::Null) => Map::new(),
        Some(_) => return Err(ApiError::invalid_parameter("filters: must be an object")),
    };
    let known: Vec<&str> = REPEATABLE_FILTERS.iter().chain(SINGLE_FILTERS).copied().collect();
    no_unknown_fields(&filters, "filters.", &known)?;
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    if !q.is_empty() {
        serializer.append_pair("q", &q);
    }
    for name in REPEATABLE_FILTERS {
        match filters.get(*name) {
            None | Some(Value::Null) => {}
            Some(Value::String(value)) => {
                serializer.append_pair(name, value.trim());
            }
            Some(Value::Array(values)) => {
                for value in values {
                    let Value::String(value) = value else {
                        return Err(ApiError::invalid_parameter(format!(
                            "filters.{name}: must be a string or a list of strings"
                        )));
                    };
                    serializer.append_pair(name, value.trim());
                }
            }
            Some(_) => {
                return Err(ApiError::invalid_parameter(format!(
                    "filters.{name}: must be a string or a list of strings"
                )))
            }
        }
    }
    for name in SINGLE_FILTERS {
        match filters.get(*name) {
            None | Some(Value::Null) => {}
            Some(Value::String(value)) => {
                serializer.append_pair(name, value.trim());
            }
            Some(_) => {
                return Err(ApiError::invalid_parameter(format!("filters.{name}: must be a date string (YYYY-MM-DD)")))
            }
        }
    }
    saved_query_from_parameters(&serializer.finish()).map_err(|error| {
        let field = if error.parameter == "q" { "query".to_string() } else { format!("filters.{}", error.parameter) };
        ApiError::invalid_parameter(format!("{field}: {}", error.message))
    })
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

fn parse_follow(value: &Value) -> Result<FollowCase, ApiError> {
    let Value::Object(object) = value else {
        return Err(ApiError::invalid_parameter("follow: must be an object {\"kommun\", \"diarienummer\"}"));
    };
    no_unknown_fields(object, "follow.", &["kommun", "diarienummer"])?;
    let field = |name: &str| match object.get(name) {
        Some(Value::String(text)) if !text.trim().is_empty() => Ok(text.trim().to_string()),
        Some(_) => Err(ApiError::invalid_parameter(format!("follow.{name}: must be a non-empty string"))),
        None => Err(ApiError::invalid_parameter(format!("follow.{name}: required"))),
    };
    let kommun = field("kommun")?;
    let diarienummer = field("diarienummer")?;
    FollowCase::new(&kommun, &diarienummer).map_err(|error| match error {
        AlertError::InvalidCase(message) if message.starts_with("unknown kommunkod") => {
            ApiError::invalid_parameter(format!("follow.kommun: {message}"))
        }
        AlertError::InvalidCase(message) => ApiError::invalid_parameter(format!("follow.diarienummer: {message}")),
        other => alert_error(other, "follow"),
    })
}

fn parse_delivery(value: Option<&Value>) -> Result<DeliveryKind, ApiError> {
    let value = value.ok_or_else(|| {
        ApiError::invalid_parameter("delivery: required ({\"email\": true} or {\"webhook\": \"http://…\"})")
    })?;
    let Value::Object(object) = value else {
        return Err(ApiError::invalid_parameter("delivery: must be {\"email\": true} or {\"webhook\": \"http://…\"}"));
    };
    no_unknown_fields(object, "delivery.", &["email", "webhook"])?;
    match (object.get("email"), object.get("webhook")) {
        (Some(Value::Bool(true)), None) => Ok(DeliveryKind::Email),
        (None, Some(Value::String(url))) => Ok(DeliveryKind::Webhook { url: url.trim().to_string() }),
        (Some(_), Some(_)) => Err(ApiError::invalid_parameter("delivery: either email or webhook, not both")),
        (Some(_), None) => Err(ApiError::invalid_parameter("delivery.email: must be true")),
        (None, Some(_)) => Err(ApiError::invalid_parameter("delivery.webhook: must be a URL string")),
        (None, None) => Err(ApiError::invalid_parameter("delivery: either email or webhook is required")),
    }
}

fn parse_frequency(value: Option<&Value>) -> Result<Option<Frequency>, ApiError> {
    match value {
        None => Ok(None),
        Some(Value::String(text)) => Frequency::parse(text.trim())
            .map(Some)
            .ok_or_else(|| ApiError::invalid_parameter("frequency: must be \"immediate\" or \"daily\"")),
        Some(_) => Err(ApiError::invalid_parameter("frequency: must be \"immediate\" or \"daily\"")),
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

/// `GET /api/v1/saved-searches`.
pub async fn list(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    let service = service(&state)?;
    blocking(service, move |service| {
        let account = authenticate(service, &headers)?;
        let searches = service.store().list_saved_searches(account.id).map_err(ApiError::internal)?;
        let list: Vec<Value> = searches.iter().map(|search| search_json(service, search)).collect();
        Ok(Json(json!({"saved_searches": list})))
    })
    .await
}

/// `POST /api/v1/saved-searches`.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let service = service(&state)?;
    let index = state.index.clone();
    blocking(service, move |service| {
        // Who asks comes first: a request without a valid token learns nothing about its body.
        let account = authenticate(service, &headers)?;
        let object = json_object(body)?;
        no_unknown_fields(&object, "", &["query", "filters", "follow", "delivery", "frequency"])?;
        let follow = match object.get("follow") {
            None | Some(Value::Null) => None,
            Some(value) => Some(parse_follow(value)?),
        };
        let has_query = object.get("query").is_some_and(|v| !v.is_null());
        let has_filters = object.get("filters").is_some_and(|v| !v.is_null());
        if follow.is_some() && (has_query || has_filters) {
            return Err(ApiError::invalid_parameter(
                "follow: a followed case takes no query or filters (save a separate search for those)",
            ));
        }
        if follow.is_none() && !has_query && !has_filters {
            return Err(ApiError::invalid_parameter("query: required (or filters, or follow)"));
        }
        let query = if follow.is_some() { SavedQuery::default() } else { build_query(&object, None)? };
        let delivery = parse_delivery(object.get("delivery"))?;
        let frequency = parse_frequency(object.get("frequency"))?.unwrap_or(Frequency::Immediate);
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

/// `GET /api/v1/saved-searches/{id}`.
pub async fn get_one(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let service = service(&state)?;
    blocking(service, move |service| {
        let account = authenticate(service, &headers)?;
        let id = parse_id(&id)?;
        let search = service.store().get_saved_search(account.id, id).map_err(not_found(id))?;
        Ok(Json(search_json(service, &search)))
    })
    .await
}

/// `PATCH /api/v1/saved-searches/{id}`.
pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let service = service(&state)?;
    let index = state.index.clone();
    blocking(service, move |service| {
        let account = authenticate(service, &headers)?;
        let id = parse_id(&id)?;
        let store = service.store();
        let current = store.get_saved_search(account.id, id).map_err(not_found(id))?;
        let object = json_object(body)?;
        no_unknown_fields(&object, "", &["query", "filters", "delivery", "frequency", "enabled"])?;
        let mut update = SearchUpdate::default();
        if object.contains_key("query") || object.contains_key("filters") {
            if current.follow_case.is_some() {
                return Err(ApiError::invalid_parameter(
                    "query: a followed case takes no query or filters (save a separate search for those)",
                ));
            }
            let query = build_query(&object, Some(&current.query))?;
            if query != current.query {
                update.query = Some(query);
            }
        }
        update.frequency = parse_frequency(object.get("frequency"))?;
        if let Some(value) = object.get("delivery") {
            match (parse_delivery(Some(value))?, &current.delivery) {
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
        match object.get("enabled") {
            None => {}
            Some(Value::Bool(enabled)) => update.disabled = Some(!enabled),
            Some(_) => return Err(ApiError::invalid_parameter("enabled: must be true or false")),
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

/// `DELETE /api/v1/saved-searches/{id}`.
pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let service = service(&state)?;
    blocking(service, move |service| {
        let account = authenticate(service, &headers)?;
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

    #[test]
    fn queries_round_trip_through_query_and_filters() {
        let body: Map<String, Value> = serde_json::from_value(json!({
            "query": "batterifabrik",
            "filters": {"kommun": ["1493", "1480"], "kind": "arende", "from": "2024-01-01"}
        }))
        .unwrap();
        let query = build_query(&body, None).unwrap();
        assert_eq!(query.search_page_query(), "q=batterifabrik&kommun=1493&kommun=1480&kind=arende&from=2024-01-01");
        let (q, filters) = split_query(&query);
        assert_eq!(q, "batterifabrik");
        assert_eq!(filters, json!({"kommun": ["1493", "1480"], "kind": ["arende"], "from": "2024-01-01"}));
        // A patch of the words keeps the filters.
        let patch: Map<String, Value> = serde_json::from_value(json!({"query": "skola"})).unwrap();
        assert_eq!(
            build_query(&patch, Some(&query)).unwrap().search_page_query(),
            "q=skola&kommun=1493&kommun=1480&kind=arende&from=2024-01-01"
        );
    }

    #[test]
    fn bad_filters_are_named() {
        for (body, field) in [
            (json!({"filters": {"colour": "red"}}), "filters.colour"),
            (json!({"filters": {"kommun": 1493}}), "filters.kommun"),
            (json!({"filters": {"from": ["2024-01-01"]}}), "filters.from"),
            (json!({"query": 5}), "query"),
        ] {
            let body: Map<String, Value> = serde_json::from_value(body).unwrap();
            let error = build_query(&body, None).unwrap_err();
            assert!(error.message.starts_with(field), "{} for {field}", error.message);
        }
        let error = query_error(AlertError::InvalidQuery("kommun: unknown kommunkod \"9999\"".into()));
        assert!(error.message.starts_with("filters.kommun: "), "{}", error.message);
    }

    #[test]
    fn deliveries_parse() {
        assert_eq!(parse_delivery(Some(&json!({"email": true}))).unwrap(), DeliveryKind::Email);
        assert_eq!(
            parse_delivery(Some(&json!({"webhook": "http://x.se/h"}))).unwrap(),
            DeliveryKind::Webhook { url: "http://x.se/h".into() }
        );
        for bad in [json!({"email": false}), json!({}), json!("email"), json!({"sms": true})] {
            assert!(parse_delivery(Some(&bad)).unwrap_err().message.starts_with("delivery"), "{bad}");
        }
        assert!(parse_delivery(None).unwrap_err().message.starts_with("delivery: required"));
    }
}
