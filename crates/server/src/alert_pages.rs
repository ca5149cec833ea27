//! The Swedish pages of alerts, plain HTML without JavaScript like the rest of the site:
//!
//! - `POST /bevaka`: the form under a search ("Bevaka sökningen med e-post"). Creates the
//!   account for the address if there is none and saves the search, disabled until the address
//!   is confirmed, then mails a confirmation link. The page says so, whether or not the address
//!   had an account (nobody learns which addresses have one).
//! - `GET /confirm/{token}` shows a button; `POST /confirm/{token}` confirms the address, starts
//!   the searches that waited for it and, with `?api=1` (the link of `POST /api/v1/accounts`),
//!   shows a new API token. Confirming takes a POST so that mail scanners that open links do
//!   not use the link up.
//! - `GET /unsubscribe/{token}` (and `POST`, RFC 8058 one-click): stops the search the token
//!   belongs to and says so.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
use namndsok_alerts::{AlertError, NewSearch, SearchUpdate};

use crate::alerts::{AlertsService, AWAITING_CONFIRMATION, MAX_SEARCHES_PER_ACCOUNT};
use crate::pages;
pub use crate::pages::alerts::FORM_PARAMETERS;
use crate::pages::layout::html_response;
use crate::AppState;

fn unavailable_page() -> Response {
    html_response(StatusCode::SERVICE_UNAVAILABLE, pages::alerts::unavailable())
}

fn error_page(error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "alert page failed");
    html_response(StatusCode::INTERNAL_SERVER_ERROR, pages::errors::alert_internal_error())
}

/// Whether the form can be offered: alerts are on and e-mail can be sent.
pub fn form_available(state: &AppState) -> bool {
    state.alerts.as_ref().is_some_and(|alerts| alerts.email_enabled())
}

/// The search parameters of a page as a saved query (only those a saved search takes).
pub fn saved_query(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            pairs
                .iter()
                .filter(|(key, value)| FORM_PARAMETERS.contains(&key.as_str()) && !value.trim().is_empty())
                .map(|(key, value)| (key.as_str(), value.trim())),
        )
        .finish()
}

/// `POST /bevaka`.
pub async fn watch(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(service) = state.alerts.clone().filter(|alerts| alerts.email_enabled()) else {
        return unavailable_page();
    };
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return html_response(StatusCode::UNSUPPORTED_MEDIA_TYPE, pages::alerts::not_a_form());
    }
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(&body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let email =
        pairs.iter().find(|(key, _)| key == "epost").map(|(_, value)| value.trim().to_string()).unwrap_or_default();
    let query = saved_query(&pairs);
    let back = if query.is_empty() { "/".to_string() } else { format!("/?{query}") };
    let index = state.index.clone();
    let shown_email = email.clone();
    let result = tokio::task::spawn_blocking(move || save_from_form(&service, &index, &email, &query)).await;
    match result {
        Ok(Ok(label)) => html_response(
            StatusCode::OK,
            pages::alerts::confirmation_sent(
                &shown_email,
                &label,
                namndsok_alerts::store::CONFIRMATION_VALID_HOURS,
                &back,
            ),
        ),
        Ok(Err(FormError::Email)) => html_response(StatusCode::BAD_REQUEST, pages::alerts::invalid_email(&back)),
        Ok(Err(FormError::Query(message))) => {
            html_response(StatusCode::BAD_REQUEST, pages::alerts::invalid_query(&message, &back))
        }
        Ok(Err(FormError::TooMany)) => {
            html_response(StatusCode::CONFLICT, pages::alerts::too_many(MAX_SEARCHES_PER_ACCOUNT, &back))
        }
        Ok(Err(FormError::Internal(error))) => error_page(error),
        Err(error) => error_page(error),
    }
}

enum FormError {
    Email,
    Query(String),
    TooMany,
    Internal(AlertError),
}

impl From<AlertError> for FormError {
    fn from(error: AlertError) -> FormError {
        match error {
            AlertError::InvalidEmail(_) => FormError::Email,
            AlertError::InvalidQuery(message) => FormError::Query(message),
            other => FormError::Internal(other),
        }
    }
}

/// Saves the form's search for the address, waiting for confirmation; returns its label.
fn save_from_form(
    service: &AlertsService,
    index: &namndsok_index::SearchIndex,
    email: &str,
    query: &str,
) -> Result<String, FormError> {
    let store = service.store();
    if email.is_empty() {
        return Err(FormError::Email);
    }
    let account = match store.account_by_email(email)? {
        Some(account) => account,
        None => match store.create_account(email) {
            Ok((id, _unused_token)) => store.account(id)?,
            Err(AlertError::EmailTaken) => {
                store.account_by_email(email)?.ok_or(FormError::Internal(AlertError::NotFound))?
            }
            Err(error) => return Err(error.into()),
        },
    };
    if store.list_saved_searches(account.id)?.len() >= MAX_SEARCHES_PER_ACCOUNT {
        return Err(FormError::TooMany);
    }
    let now = Utc::now();
    let query = crate::saved_searches::saved_query_from_parameters(query)
        .map_err(|error| FormError::Query(format!("{}: {}", error.parameter, error.message)))?;
    let saved = store.create_saved_search(account.id, &NewSearch::email(query), now)?;
    store.disable_search(saved.id, AWAITING_CONFIRMATION)?;
    if let Err(error) = namndsok_alerts::seed_seen(store, saved.id, index, now) {
        let _ = store.delete_saved_search(account.id, saved.id);
        return Err(FormError::Internal(error));
    }
    service.send_confirmation(&account, Some(&saved.label()), false)?;
    tracing::info!(account = %account.id, search = %saved.id, "saved search from the web form awaits confirmation");
    Ok(saved.label())
}

fn valid_token(token: &str) -> bool {
    !token.is_empty() && token.len() <= 128 && token.chars().all(|c| c.is_ascii_alphanumeric())
}

fn wants_api_token(raw: Option<&str>) -> bool {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes()).any(|(key, value)| key == "api" && value == "1")
}

fn invalid_link_page() -> Response {
    html_response(StatusCode::NOT_FOUND, pages::alerts::invalid_link())
}

/// `GET /confirm/{token}`: a button that confirms (the link itself changes nothing).
pub async fn confirm_form(Path(token): Path<String>, RawQuery(raw): RawQuery) -> Response {
    if !valid_token(&token) {
        return invalid_link_page();
    }
    let action = format!("/confirm/{token}{}", if wants_api_token(raw.as_deref()) { "?api=1" } else { "" });
    html_response(StatusCode::OK, pages::alerts::confirm_form(&action))
}

/// `POST /confirm/{token}`.
pub async fn confirm(State(state): State<AppState>, Path(token): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let Some(service) = state.alerts.clone() else { return unavailable_page() };
    if !valid_token(&token) {
        return invalid_link_page();
    }
    let api = wants_api_token(raw.as_deref());
    let result = tokio::task::spawn_blocking(move || -> Result<Option<(usize, Option<String>)>, AlertError> {
        let store = service.store();
        let account = match store.confirm(&token, Utc::now()) {
            Ok(account) => account,
            Err(AlertError::InvalidConfirmation) => return Ok(None),
            Err(error) => return Err(error),
        };
        let mut started = 0;
        for search in store.list_saved_searches(account)? {
            if search.disabled && search.disabled_reason.as_deref() == Some(AWAITING_CONFIRMATION) {
                store.update_saved_search(
                    account,
                    search.id,
                    &SearchUpdate { disabled: Some(false), ..Default::default() },
                )?;
                started += 1;
            }
        }
        let token = if api { Some(store.rotate_token(account)?) } else { None };
        tracing::info!(account = %account, started, new_token = api, "e-mail address confirmed");
        Ok(Some((started, token)))
    })
    .await;
    let (started, token) = match result {
        Ok(Ok(Some(done))) => done,
        Ok(Ok(None)) => return invalid_link_page(),
        Ok(Err(error)) => return error_page(error),
        Err(error) => return error_page(error),
    };
    html_response(StatusCode::OK, pages::alerts::confirmed(started, token.as_deref()))
}

/// `GET` and `POST /unsubscribe/{token}`.
pub async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let Some(service) = state.alerts.clone() else { return unavailable_page() };
    if !valid_token(&token) {
        return invalid_link_page();
    }
    let result = tokio::task::spawn_blocking(move || -> Result<Option<String>, AlertError> {
        let store = service.store();
        match store.unsubscribe(&token)? {
            Some(id) => {
                tracing::info!(search = %id, "unsubscribed");
                Ok(Some(store.search_by_id(id)?.label()))
            }
            None => Ok(None),
        }
    })
    .await;
    match result {
        Ok(Ok(Some(label))) => html_response(StatusCode::OK, pages::alerts::unsubscribed(&label)),
        Ok(Ok(None)) => html_response(StatusCode::NOT_FOUND, pages::alerts::unsubscribe_unknown()),
        Ok(Err(error)) => error_page(error),
        Err(error) => error_page(error),
    }
}
