//! `/status`: how fresh the data is, per kommun and region, and the harvest status of every
//! source when this service harvests.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use maud::{html, Markup};
use namndsok_harvest::{SourceReport, SourceStatus};
use namndsok_index::KommunFreshness;
use namndsok_model::Registry;

use super::layout::page;

/// The page: `rows` from the index, `sources` when this service harvests (`None` otherwise).
pub fn status_page(rows: &[KommunFreshness], sources: Option<&[SourceReport]>, today: NaiveDate) -> Markup {
    let registry = Registry::global();
    let by_code: BTreeMap<&str, &KommunFreshness> = rows.iter().map(|r| (r.code.as_str(), r)).collect();
    let total: u64 = rows.iter().map(|r| r.documents).sum();
    let missing = registry.all().iter().filter(|o| !by_code.contains_key(o.code.as_str())).count();
    let body = html! {
        h1 { "Datastatus" }
        p {
            (total) " handlingar från " (rows.len()) " av " (registry.all().len()) " kommuner och regioner. "
            (missing) " saknar ännu handlingar."
        }
        p class="note" { "Färskhet räknas från den senaste handlingens datum." }
        (sources_table(sources))
        table class="status" {
            caption { "Handlingar per kommun och region" }
            thead { tr {
                th scope="col" { "Kommun/region" } th scope="col" { "Län" } th scope="col" { "Handlingar" }
                th scope="col" { "Senaste handling" } th scope="col" { "Status" }
            } }
            tbody {
                @for organisation in registry.all() {
                    @let row = by_code.get(organisation.code.as_str());
                    @let (documents, newest) = row.map_or((0, None), |r| (r.documents, r.newest));
                    @let (status_class, status) = freshness(newest.map(|d| (today - d).num_days()));
                    tr {
                        td { a href={ "/?kommun=" (organisation.code) } { (organisation.name) } }
                        td { (organisation.lan_name) }
                        td { (documents) }
                        td { (newest.map(|d| d.to_string()).unwrap_or_else(|| "–".into())) }
                        td class=(status_class) { (status) }
                    }
                }
            }
        }
    };
    page("Datastatus – Nämndsök", None, body)
}

/// The class and text of a kommun's status from the age of its newest document in days.
fn freshness(age: Option<i64>) -> (&'static str, String) {
    match age {
        None => ("missing", "Inga handlingar".to_string()),
        Some(days) if days <= 30 => ("fresh", format!("Aktuell ({days} dagar)")),
        Some(days) if days <= 120 => ("aging", format!("{days} dagar sedan")),
        Some(days) => ("stale", format!("Inaktuell ({days} dagar)")),
    }
}

/// The harvest status of every source, when this service harvests.
fn sources_table(reports: Option<&[SourceReport]>) -> Markup {
    let Some(reports) = reports else {
        return html! {
            p class="note" { "Den här tjänsten samlar inte själv in från kommunernas system (ingen källkatalog angiven)." }
        };
    };
    let registry = Registry::global();
    html! {
        h2 { "Insamling per källa" }
        table class="status sources" {
            caption { "Källor och deras status" }
            thead { tr {
                th scope="col" { "Källa" } th scope="col" { "Kommun" } th scope="col" { "Plattform" }
                th scope="col" { "Status" } th scope="col" { "Senast lyckad" } th scope="col" { "Poster" }
                th scope="col" { "Fel i rad" } th scope="col" { "Senaste fel" }
            } }
            tbody {
                @for report in reports {
                    @let (class, label) = match report.status {
                        SourceStatus::Pending => ("missing", "Ej hämtad än"),
                        SourceStatus::Ok => ("fresh", "OK"),
                        SourceStatus::Degraded => ("aging", "Störd"),
                        SourceStatus::Failing => ("stale", "Fungerar inte"),
                        SourceStatus::Stale => ("aging", "Inget nytt på länge"),
                    };
                    @let kommun = report.kommun_kod.as_deref().and_then(|code| registry.by_code(code));
                    @let success = report.last_success.map(|t| t.format("%Y-%m-%d %H:%M").to_string());
                    tr {
                        td { (report.id) }
                        td { (kommun.map_or("–", |o| o.name.as_str())) }
                        td { (report.platform) }
                        td class=(class) { (label) }
                        td { (success.as_deref().unwrap_or("aldrig")) }
                        td { (report.items_seen) }
                        td { (report.consecutive_failures) }
                        td { (report.last_error.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
        h2 { "Handlingar per kommun och region" }
    }
}
