//! The pages for failures and missing things.

use maud::{html, Markup};

use super::layout::page;

/// A page whose heading is its title: `<h1>{title}</h1>` and then `body`.
pub fn message_page(title: &str, body: Markup) -> Markup {
    page(&format!("{title} – Nämndsök"), None, html! { h1 { (title) } (body) })
}

/// A search, document or status page that failed inside (details are logged, not shown).
pub fn internal_error() -> Markup {
    page("Fel – Nämndsök", None, html! { h1 { "Något gick fel" } p { "Försök igen om en stund." } })
}

/// An alert page that failed inside.
pub fn alert_internal_error() -> Markup {
    message_page("Något gick fel", html! { p { "Försök igen om en stund." } })
}

/// `/d/{id}` for an id the index does not have.
pub fn document_not_found() -> Markup {
    page(
        "Handlingen finns inte – Nämndsök",
        None,
        html! {
            h1 { "Handlingen finns inte" }
            p { "Den kan ha tagits bort vid källan. " a href="/" { "Till sökningen" } }
        },
    )
}
