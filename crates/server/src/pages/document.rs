//! `/d/{id}`: one document with all its fields and the other documents of its case.

use chrono::NaiveDate;
use maud::{html, Markup};
use namndsok_index::Hit;
use namndsok_model::{Document, Kind, OrganisationKind, Registry, TextOrigin};

use super::layout::{document_href, page};

/// The page of `document`; `related` are the other documents with its diarienummer in its
/// kommun, `today` decides whether an anslag is still up.
pub fn document_page(document: &Document, related: &[Hit], today: NaiveDate) -> Markup {
    page(&format!("{} – Nämndsök", document.title), None, body(document, related, today))
}

fn body(document: &Document, related: &[Hit], today: NaiveDate) -> Markup {
    let organisation = Registry::global().by_code(&document.kommun_kod);
    let kommun_href = format!("/?kommun={}", document.kommun_kod);
    let kind_of = match organisation.map(|o| o.kind) {
        Some(OrganisationKind::Region) => "Region",
        _ => "Kommun",
    };
    let publish_to = document.publish_to.filter(|_| document.kind == Kind::Anslag);
    let published = (document.publish_from.is_some() || document.publish_to.is_some()).then(|| {
        let from = document.publish_from.map(|d| d.to_string()).unwrap_or_else(|| "–".into());
        let to = document.publish_to.map(|d| d.to_string()).unwrap_or_else(|| "–".into());
        format!("{from} – {to}")
    });
    html! {
        p class="crumbs" { a href="/" { "Sök" } " › " a href=(kommun_href) { (document.kommun) } }
        article class="document" {
            h1 { (document.title) }
            @if let Some(to) = publish_to {
                @if to < today {
                    p class="expired" role="status" { "Nedtagen från anslagstavlan " (to) "." }
                } @else {
                    p class="current" role="status" { "Anslagen till och med " (to) "." }
                }
            }
            dl class="fields" {
                dt { "Typ" } dd { (document.kind.label()) }
                dt { (kind_of) } dd { a href=(kommun_href) { (document.kommun) } }
                @if let Some(organisation) = organisation {
                    dt { "Län" } dd { (organisation.lan_name) }
                }
                @if let Some(organ) = &document.organ {
                    dt { "Nämnd" } dd { (organ) }
                }
                @if let Some(dnr) = &document.diarienummer {
                    dt { "Diarienummer" } dd { (dnr) }
                }
                dt { "Datum" } dd { time datetime=(document.date) { (document.date) } }
                @if let Some(published) = published {
                    dt { "Anslagen" } dd { (published) }
                }
                @if let Some(last) = document.last_day_of_appeal() {
                    dt { "Sista dag för överklagande" }
                    dd { time datetime=(last) { (last) } " (tre veckor från anslagsdagen)" }
                }
                @if let Some(source) = &document.source {
                    dt { "Källsystem" } dd { (source) }
                }
                @if let Some(parent) = &document.part_of {
                    dt { "Ingår i" } dd { a href=(document_href(parent)) { "Hela handlingen" } }
                }
                @if let Some(paragraph) = &document.paragraph {
                    dt { "Paragraf" } dd { "§ " (paragraph) }
                }
                @if let Some(url) = document.url.as_deref().filter(|url| is_web_url(url)) {
                    dt { "Källa" }
                    dd {
                        a href=(url) rel="noopener noreferrer external" {
                            @if let Some(page) = document.page { "Originalfilen, sidan " (page) } @else { (url) }
                        }
                    }
                }
                @if let Some(origin) = document.text_origin {
                    dt { "Texten" }
                    dd {
                        @match origin {
                            TextOrigin::Pdf | TextOrigin::Docx | TextOrigin::Odt => "Läst ur filen.",
                            TextOrigin::Ocr => "Tolkad ur en inskannad fil med textigenkänning (OCR) – ord kan vara felstavade.",
                        }
                    }
                }
            }
            @let files: Vec<_> = document.files.iter().filter(|f| is_web_url(&f.url)).collect();
            @if !files.is_empty() {
                h2 { "Filer" }
                ul class="files" {
                    @for file in files {
                        li { a href=(file.url) rel="noopener noreferrer external" { (file.name) } }
                    }
                }
            }
            @if let Some(body) = &document.body {
                h2 { "Text" }
                @for paragraph in body.split("\n\n") {
                    p { (paragraph.trim()) }
                }
            }
        }
        @if document.diarienummer.is_some() {
            section class="related" aria-labelledby="arende-rubrik" {
                h2 id="arende-rubrik" { "Andra handlingar i ärendet" }
                @if related.is_empty() {
                    p { "Inga andra handlingar med samma diarienummer i kommunen." }
                } @else {
                    ul {
                        @for hit in related {
                            li {
                                a href=(document_href(&hit.id)) { (hit.title) }
                                " "
                                span class="meta" {
                                    (Kind::parse(hit.kind).map_or("Handling", |k| k.label())) " · " (hit.date)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Only http(s) links from sources become links (never `javascript:` or `data:`).
fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_web_urls_become_links() {
        assert!(super::is_web_url("https://mariestad.se/a"));
        assert!(super::is_web_url("HTTP://x.se"));
        assert!(!super::is_web_url("javascript:alert(1)"));
        assert!(!super::is_web_url("data:text/html,x"));
        assert!(!super::is_web_url("https://x.se/a b"));
    }
}
