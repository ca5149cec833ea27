//! Atom feeds (RFC 4287), written with `atom_syndication`: one writer ([`write`]) for both of
//! Nämndsök's feeds — the private feed of a saved search ([`feed`]) and the public feed of
//! any search (the server's `GET /api/v1/search.atom`).
//!
//! The writer escapes everything (no text is markup, unless it is an entry's `html` content)
//! and first strips what XML 1.0 cannot carry at all ([`xml_safe`]): C0 control characters
//! other than tab, newline and carriage return, and U+FFFE/U+FFFF. A document title with a
//! stray control character, as council systems sometimes send, so never breaks a feed reader.

use atom_syndication::{Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text, WriteConfig};
use chrono::{DateTime, NaiveTime, Utc};

use crate::store::{FeedEntry, SavedSearch};

/// What a feed says about itself.
#[derive(Debug, Clone)]
pub struct FeedHead {
    pub title: String,
    /// The feed's permanent id (an IRI).
    pub id: String,
    pub updated: DateTime<Utc>,
    /// The feed's own address.
    pub self_url: String,
    /// The page (HTML) that shows the same.
    pub alternate_url: String,
    /// `xml:lang` of the feed.
    pub lang: Option<String>,
    /// Whether the feed names its generator (Nämndsök).
    pub generator: bool,
}

/// One entry: a document.
#[derive(Debug, Clone)]
pub struct FeedItem {
    /// The entry's permanent id (an IRI): feed readers show an id once.
    pub id: String,
    pub title: String,
    pub updated: DateTime<Utc>,
    pub published: Option<DateTime<Utc>>,
    /// The document's page on Nämndsök.
    pub link: String,
    /// The document at its source.
    pub via: Option<String>,
    pub category: Option<String>,
    /// Plain text.
    pub summary: String,
    /// HTML (escaped into the feed as `type="html"` content).
    pub content_html: Option<String>,
}

/// Text without the characters XML 1.0 forbids (C0 controls other than tab, newline and
/// carriage return; U+FFFE, U+FFFF).
pub fn xml_safe(text: &str) -> String {
    text.chars()
        .filter(|&c| matches!(c, '\t' | '\n' | '\r') || !((c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}'))
        .collect()
}

/// The feed document.
pub fn write(head: &FeedHead, items: &[FeedItem]) -> String {
    let feed = Feed {
        title: Text::plain(xml_safe(&head.title)),
        id: xml_safe(&head.id),
        updated: fixed(head.updated),
        authors: vec![Person { name: "Nämndsök".into(), ..Person::default() }],
        generator: head.generator.then(|| Generator { value: "Nämndsök".into(), ..Generator::default() }),
        links: vec![
            link("self", &head.self_url, Some("application/atom+xml")),
            link("alternate", &head.alternate_url, Some("text/html")),
        ],
        lang: head.lang.as_deref().map(xml_safe),
        entries: items.iter().map(entry).collect(),
        ..Feed::default()
    };
    let config = WriteConfig { write_document_declaration: true, indent_size: Some(2) };
    let bytes = feed.write_with_config(Vec::new(), config).expect("writing to memory does not fail");
    let mut xml = String::from_utf8(bytes).expect("the writer writes UTF-8");
    xml.push('\n');
    xml
}

fn entry(item: &FeedItem) -> Entry {
    let mut links = vec![link("alternate", &item.link, Some("text/html"))];
    if let Some(via) = &item.via {
        links.push(link("via", via, None));
    }
    Entry {
        title: Text::plain(xml_safe(&item.title)),
        id: xml_safe(&item.id),
        updated: fixed(item.updated),
        published: item.published.map(fixed),
        links,
        categories: item.category.iter().map(|term| Category { term: xml_safe(term), ..Category::default() }).collect(),
        summary: Some(Text::plain(xml_safe(&item.summary))),
        content: item.content_html.as_ref().map(|html| Content {
            value: Some(xml_safe(html)),
            content_type: Some("html".into()),
            ..Content::default()
        }),
        ..Entry::default()
    }
}

fn link(rel: &str, href: &str, mime_type: Option<&str>) -> Link {
    Link { href: xml_safe(href), rel: rel.into(), mime_type: mime_type.map(String::from), ..Link::default() }
}

fn fixed(time: DateTime<Utc>) -> FixedDateTime {
    time.fixed_offset()
}

/// The private feed of a saved search. `feed_url` is the feed's own (private) address;
/// `base_url` the site's. `updated` is used when the feed has no entries yet.
pub fn feed(
    search: &SavedSearch,
    entries: &[FeedEntry],
    base_url: &str,
    feed_url: &str,
    updated: DateTime<Utc>,
) -> String {
    let base = base_url.trim_end_matches('/');
    let head = FeedHead {
        title: format!("Nämndsök: {}", search.label()),
        id: format!("urn:namndsok:saved-search:{}", search.feed_token),
        updated: entries.iter().map(|e| e.added_at).max().unwrap_or(updated),
        self_url: feed_url.to_string(),
        alternate_url: format!("{base}/?{}", crate::matcher::search_query(search)),
        lang: None,
        generator: true,
    };
    let items: Vec<FeedItem> = entries
        .iter()
        .map(|entry| FeedItem {
            id: format!("urn:namndsok:document:{}", entry.document_id),
            title: entry.title.clone(),
            updated: entry.added_at,
            published: Some(entry.date.and_time(NaiveTime::MIN).and_utc()),
            link: format!("{base}/d/{}", namndsok_model::url::encode_component(&entry.document_id)),
            via: entry.url.clone(),
            category: None,
            summary: format!("{}, {}", entry.kommun, entry.date.format("%Y-%m-%d")),
            content_html: None,
        })
        .collect();
    write(&head, &items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{AccountId, Delivery, Frequency, SearchId};
    use chrono::{NaiveDate, TimeZone};

    #[test]
    fn escapes_everything() {
        let search = SavedSearch {
            id: SearchId(1),
            account_id: AccountId(1),
            query: crate::SavedQuery { kommun: vec!["1493".into()], ..crate::SavedQuery::words("<script>") },
            delivery: Delivery::Email,
            frequency: Frequency::Immediate,
            follow_case: None,
            feed_token: "tok\"en".into(),
            unsubscribe_token: "u".into(),
            disabled: false,
            disabled_reason: None,
            consecutive_failures: 0,
            created: Utc::now(),
        };
        let entry = FeedEntry {
            document_id: "id/1&2".into(),
            title: "Skola & <b>förskola</b> \u{1} \"citat\"".into(),
            kommun: "Mariestad".into(),
            url: Some("https://example.org/?a=1&b=2".into()),
            date: NaiveDate::from_ymd_opt(2024, 5, 2).unwrap(),
            added_at: Utc::now(),
        };
        let xml = feed(&search, &[entry], "https://namndsok.se/", "https://namndsok.se/feeds/x.atom", Utc::now());
        assert!(xml.contains("Skola &amp; &lt;b&gt;förskola&lt;/b&gt;  "), "{xml}");
        assert!(xml.contains("href=\"https://namndsok.se/d/id%2F1%262\""));
        assert!(xml.contains("href=\"https://example.org/?a=1&amp;b=2\""));
        assert!(xml.contains("<title>Nämndsök: &lt;script&gt;</title>"));
        assert!(!xml.contains("<script>") && !xml.contains('\u{1}'));
        // What a feed reader reads back is the text itself.
        let parsed = Feed::read_from(xml.as_bytes()).expect("well-formed Atom");
        assert_eq!(parsed.id, "urn:namndsok:saved-search:tok\"en");
        let entry = &parsed.entries[0];
        assert_eq!(entry.title.value, "Skola & <b>förskola</b>  \"citat\"");
        assert_eq!(entry.id, "urn:namndsok:document:id/1&2");
        assert_eq!(entry.published.unwrap(), Utc.with_ymd_and_hms(2024, 5, 2, 0, 0, 0).unwrap());
        assert_eq!(entry.links[1].href, "https://example.org/?a=1&b=2");
    }

    #[test]
    fn control_characters_never_reach_the_xml() {
        let at = Utc.with_ymd_and_hms(2024, 5, 2, 0, 0, 0).unwrap();
        let head = FeedHead {
            title: "Feed\u{0}\u{8}\u{1b} title".into(),
            id: "urn:x".into(),
            updated: at,
            self_url: "https://x.se/f.atom".into(),
            alternate_url: "https://x.se/".into(),
            lang: Some("sv".into()),
            generator: false,
        };
        let item = FeedItem {
            id: "urn:x:1".into(),
            title: "Bygglov\u{b}\u{c} för\tskola\u{fffe}".into(),
            updated: at,
            published: None,
            link: "https://x.se/d/1".into(),
            via: None,
            category: Some("arende".into()),
            summary: "Mariestad\u{7}".into(),
            content_html: Some("<mark>bygglov</mark>\u{1f}".into()),
        };
        let xml = write(&head, &[item]);
        assert!(!xml.chars().any(|c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')), "{xml:?}");
        let parsed = Feed::read_from(xml.as_bytes()).expect("well-formed Atom");
        assert_eq!(parsed.title.value, "Feed title");
        assert_eq!(parsed.entries[0].title.value, "Bygglov för\tskola");
        assert_eq!(parsed.entries[0].content.as_ref().unwrap().value.as_deref(), Some("<mark>bygglov</mark>"));
    }
}
