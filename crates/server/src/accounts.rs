//! `POST /api/v1/accounts`: ask for an API token by e-mail.
//!
//! Body `{"email": "…"}`. The address is sent a confirmation link (`/confirm/{token}?api=1`);
//! following it confirms the account and shows a new API token on the page. The answer is the
//! same `202` whether or not the address has an account already (so the endpoint tells nobody
//! which addresses have one): for an existing account, the link issues a new token, which is
//! also how a lost token is replaced. At most one link per address and minute is sent.
//! Without an SMTP relay the endpoint answers `503` (the link could never arrive); operators
//! create accounts with `namndsok accounts create` instead.

use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::alerts::{alert_error, blocking};
use crate::extract::{Alerts, JsonBody};
use crate::ApiError;

/// The body of `POST /api/v1/accounts`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    #[schema(format = Email, examples("anna@example.org"))]
    pub email: String,
}

/// Ask for an API token by e-mail
///
/// Mails a confirmation link (`/confirm/{token}?api=1`, valid 48 hours) to the address;
/// following it and pressing the button confirms the account and shows a new API token
/// (an earlier token of the address stops working — this is also how a lost token is
/// replaced). The answer is the same whether or not the address has an account. At most one
/// link per address and minute is sent. Without an SMTP relay the server answers `503`.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "alerts", operation_id = "createAccount",
    request_body = NewAccount,
    responses(
        (status = 202, description = "A confirmation link is on its way.", body = crate::openapi::ConfirmationSent),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 429, response = crate::openapi::TooManyRequests),
        (status = 500, response = crate::openapi::Internal),
        (status = 503, response = crate::openapi::Unavailable),
    ))]
pub async fn create_account(
    Alerts(service): Alerts,
    JsonBody(body): JsonBody<NewAccount>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let email = body.email.trim().to_string();
    if email.is_empty() {
        return Err(ApiError::invalid_parameter("email: must not be empty"));
    }
    if !service.email_enabled() {
        return Err(ApiError::unavailable(
            "this server sends no e-mail, so accounts cannot be confirmed; ask the operator for an account",
        ));
    }
    let shown = email.clone();
    blocking(service, move |service| {
        let store = service.store();
        let account = match store.account_by_email(&email).map_err(ApiError::internal)? {
            Some(account) => account,
            None => match store.create_account(&email) {
                // The first token is never shown: the confirmation link issues the one to use.
                Ok((id, _unused)) => store.account(id).map_err(ApiError::internal)?,
                Err(namndsok_alerts::AlertError::EmailTaken) => store
                    .account_by_email(&email)
                    .map_err(ApiError::internal)?
                    .ok_or_else(|| ApiError::internal("the account vanished between two statements"))?,
                Err(error) => return Err(alert_error(error, "email")),
            },
        };
        service.send_confirmation(&account, None, true).map_err(ApiError::internal)
    })
    .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({
            "status": "confirmation_sent",
            "email": shown,
            "message": "A confirmation link is on its way to this address; following it shows the account's API token."
        })),
    ))
}
