//! The frame every page shares: head (charset, viewport, title, stylesheet), the skip link,
//! header, `<main id="innehall">` and footer; the stylesheet and the security headers; the
//! HTML response and URL helpers.
//!
//! Every response carries a strict Content-Security-Policy ([`security_headers`]): no scripts,
//! no inline styles, nothing loaded from elsewhere. The templates must keep to that: no
//! `style` attributes, no `<script>`, no external URLs.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, PreEscaped};

/// Where the stylesheet is served, under a versioned name so it can be cached forever.
pub const STYLESHEET_PATH: &str = "/assets/style-2.css";

/// The stylesheet, served at [`STYLESHEET_PATH`].
const STYLESHEET: &str = include_str!("../../assets/style.css");

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

/// `GET` [`STYLESHEET_PATH`]: the stylesheet, cacheable forever (a change gets a new path).
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

/// A whole page: `title` goes into `<title>` as is (pages add " – Nämndsök"), `head` after the
/// stylesheet link, `body` inside `<main>`.
pub fn page(title: &str, head: Option<Markup>, body: Markup) -> Markup {
    html! {
        // A fixed literal: the doctype as the pages have always spelled it.
        (PreEscaped("<!doctype html>"))
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href=(STYLESHEET_PATH);
                @if let Some(head) = head { (head) }
            }
            body {
                a class="skip" href="#innehall" { "Hoppa till innehållet" }
                header class="site" {
                    p class="brand" { a href="/" { "Nämndsök" } }
                    nav aria-label="Webbplats" { a href="/" { "Sök" } " " a href="/hjalp" { "Så söker du" } " " a href="/status" { "Datastatus" } }
                }
                main id="innehall" { (body) }
                footer class="site" {
                    p { "Nämndsök samlar ärenden, protokoll och anslag från Sveriges 290 kommuner och 21 regioner. Uppgifterna kommer från kommunernas egna system; kontrollera alltid mot källan." }
                }
            }
        }
    }
}

/// A page as a response; pages change with the index, so caches revalidate them.
pub fn html_response(status: StatusCode, page: Markup) -> Response {
    (status, [(header::CACHE_CONTROL, "no-cache")], Html(page.into_string())).into_response()
}

/// Percent-encodes a path segment or query value (the workspace's one set).
pub use namndsok_model::url::encode_component as encode_path;

/// `pairs` as a query string (`application/x-www-form-urlencoded`).
pub fn query_string(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .finish()
}

/// The link to a document's page.
pub fn document_href(id: &str) -> String {
    format!("/d/{}", encode_path(id))
}
