//! E-mail alerts on the web page: the form under a search's results and the pages of
//! `POST /bevaka`, `/confirm/{token}` and `/unsubscribe/{token}` ([`crate::alert_pages`]).

use maud::{html, Markup};

use super::errors::message_page;

/// The search parameters the form carries over into the saved search.
pub const FORM_PARAMETERS: &[&str] = &["q", "kommun", "lan", "kind", "organ", "from", "to"];

/// The form under a search's results ("Bevaka sökningen med e-post").
pub fn watch_form(pairs: &[(String, String)]) -> Markup {
    html! {
        form class="watch" method="post" action="/bevaka" {
            label for="bevaka-epost" { "Bevaka sökningen med e-post" }
            div class="watch-row" {
                input id="bevaka-epost" name="epost" type="email" required autocomplete="email"
                    placeholder="namn@exempel.se";
                @for (key, value) in pairs {
                    @if FORM_PARAMETERS.contains(&key.as_str()) && !value.trim().is_empty() {
                        input type="hidden" name=(key) value=(value);
                    }
                }
                button type="submit" { "Bevaka" }
            }
            p class="note" { "Du får ett mejl när nya handlingar matchar sökningen. Först skickar vi ett bekräftelsemejl." }
        }
    }
}

fn to_search() -> Markup {
    html! { p { a href="/" { "Till sökningen" } } }
}

fn back_to(search: &str) -> Markup {
    html! { p { a href=(search) { "Tillbaka till sökningen" } } }
}

/// Alerts are off on this server, or it cannot send e-mail.
pub fn unavailable() -> Markup {
    message_page(
        "Bevakning finns inte här",
        html! {
            p { "Den här servern skickar inga e-postbevakningar. Du kan fortfarande följa sökningar med Atom-flödet under sökresultatet." }
            (to_search())
        },
    )
}

/// `POST /bevaka` with a body that is not a form.
pub fn not_a_form() -> Markup {
    message_page("Formuläret kunde inte läsas", html! { p { "Skicka formuläret från söksidan." } (to_search()) })
}

/// The search is saved and the confirmation mail sent; `back` is the search's page.
pub fn confirmation_sent(email: &str, label: &str, valid_hours: i64, back: &str) -> Markup {
    message_page(
        "Bekräfta din bevakning",
        html! {
            p role="status" {
                "Vi har skickat ett bekräftelsemejl till " strong { (email) }
                ". Klicka på länken i mejlet för att starta bevakningen av " q { (label) } "."
            }
            p class="note" {
                "Länken gäller i " (valid_hours) " timmar. Kommer inget mejl? Titta i skräpposten, eller kontrollera adressen och försök igen."
            }
            (back_to(back))
        },
    )
}

/// The form's address is not an e-mail address.
pub fn invalid_email(back: &str) -> Markup {
    message_page(
        "Ogiltig e-postadress",
        html! { p { "Skriv en e-postadress som " em { "namn@exempel.se" } "." } (back_to(back)) },
    )
}

/// The form's search cannot be saved (`message` says why).
pub fn invalid_query(message: &str, back: &str) -> Markup {
    message_page(
        "Sökningen kan inte bevakas",
        html! {
            p { "En bevakning behöver sökord eller filter (kommun, län, typ eller nämnd)." }
            p class="note" { (message) }
            (back_to(back))
        },
    )
}

/// The address has the most searches it may have.
pub fn too_many(limit: usize, back: &str) -> Markup {
    message_page(
        "För många bevakningar",
        html! { p { "Adressen har redan " (limit) " bevakningar, det högsta antalet." } (back_to(back)) },
    )
}

/// A confirmation or unsubscribe link that is malformed, used or expired.
pub fn invalid_link() -> Markup {
    message_page(
        "Länken är ogiltig",
        html! {
            p { "Länken är ogiltig, redan använd eller har gått ut. Be om en ny genom att bevaka sökningen igen." }
            (to_search())
        },
    )
}

/// `GET /confirm/{token}`: the button that confirms by POSTing to `action`.
pub fn confirm_form(action: &str) -> Markup {
    message_page(
        "Bekräfta e-postadressen",
        html! {
            p { "Bekräfta att adressen är din, så startar dina bevakningar." }
            form class="confirm" method="post" action=(action) { button type="submit" { "Bekräfta" } }
        },
    )
}

/// The address is confirmed; `started` searches began, `token` is a new API token to show once.
pub fn confirmed(started: usize, token: Option<&str>) -> Markup {
    message_page(
        "Adressen är bekräftad",
        html! {
            p role="status" { "Tack! E-postadressen är bekräftad." }
            @match started {
                0 => {}
                1 => p { "Bevakningen är startad: du får ett mejl när nya handlingar matchar sökningen." },
                n => p { (n) " bevakningar är startade: du får ett mejl när nya handlingar matchar." },
            }
            @if let Some(token) = token {
                h2 { "Din API-nyckel" }
                p { code class="token" { (token) } }
                p {
                    "Spara nyckeln nu: den visas bara den här gången, och en tidigare nyckel för adressen slutar gälla. Skicka den som "
                    code { "Authorization: Bearer <nyckel>" } " till " code { "/api/v1/saved-searches" } "."
                }
            }
            (to_search())
        },
    )
}

/// The search `label` is stopped.
pub fn unsubscribed(label: &str) -> Markup {
    message_page(
        "Bevakningen är avslutad",
        html! { p role="status" { "Du får inga fler mejl om " q { (label) } "." } (to_search()) },
    )
}

/// An unsubscribe link whose search is gone.
pub fn unsubscribe_unknown() -> Markup {
    message_page(
        "Länken är ogiltig",
        html! { p { "Vi hittar ingen bevakning för länken. Den kan redan vara borttagen." } (to_search()) },
    )
}
