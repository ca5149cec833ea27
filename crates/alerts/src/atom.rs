//! The private Atom feed (RFC 4287) of a saved search: its newest matched documents.
//!
//! The feed's URL carries the search's feed token (`{base_url}/feeds/{token}.atom` is a
//! suggestion; the server decides); the feed itself links each entry to its page on Nämndsök.
//! Every piece of text, the document titles above all, is XML-escaped; nothing is markup.

use chrono::{DateTime, NaiveTime, Utc};

use crate::store::{FeedEntry, SavedSearch};

/// Escapes text for XML content and attribute values; characters XML 1.0 forbids are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The feed document. `feed_url` is the feed's own (private) address; `base_url` the site's.
/// `updated` is used when the feed has no entries yet.
pub fn feed(
    search: &SavedSearch,
    entries: &[FeedEntry],
    base_url: &str,
    feed_url: &str,
    updated: DateTime<Utc>,
) -> String {
    let base = base_url.trim_end_matches('/');
    let newest = entries.iter().map(|e| e.added_at).max().unwrap_or(updated);
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    xml.push_str(&format!("  <title>{}</title>\n", escape(&format!("Nämndsök: {}", search.label()))));
    xml.push_str(&format!("  <id>{}</id>\n", escape(&format!("urn:namndsok:saved-search:{}", search.feed_token))));
    xml.push_str(&format!("  <updated>{}</updated>\n", rfc3339(newest)));
    xml.push_str(&format!("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n", escape(feed_url)));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&format!("{base}/?{}", crate::matcher::search_query(search)))
    ));
    xml.push_str("  <author><name>Nämndsök</name></author>\n");
    xml.push_str("  <generator>Nämndsök</generator>\n");
    for entry in entries {
        let link = format!("{base}/d/{}", percent_encode(&entry.document_id));
        let published = entry.date.and_time(NaiveTime::MIN).and_utc();
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <title>{}</title>\n", escape(&entry.title)));
        xml.push_str(&format!("    <id>{}</id>\n", escape(&format!("urn:namndsok:document:{}", entry.document_id))));
        xml.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&link)));
        if let Some(url) = &entry.url {
            xml.push_str(&format!("    <link rel=\"via\" href=\"{}\"/>\n", escape(url)));
        }
        xml.push_str(&format!("    <published>{}</published>\n", rfc3339(published)));
        xml.push_str(&format!("    <updated>{}</updated>\n", rfc3339(entry.added_at)));
        xml.push_str(&format!(
            "    <summary type=\"text\">{}</summary>\n",
            escape(&format!("{}, {}", entry.kommun, entry.date.format("%Y-%m-%d")))
        ));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

fn rfc3339(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{AccountId, Delivery, Frequency, SearchId};
    use chrono::NaiveDate;

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
        assert!(xml.contains("<title>Skola &amp; &lt;b&gt;förskola&lt;/b&gt;  &quot;citat&quot;</title>"), "{xml}");
        assert!(xml.contains("href=\"https://namndsok.se/d/id%2F1%262\""));
        assert!(xml.contains("href=\"https://example.org/?a=1&amp;b=2\""));
        assert!(xml.contains("<title>Nämndsök: &lt;script&gt;</title>"));
        assert!(!xml.contains("<script>") && !xml.contains('\u{1}'));
        assert!(xml.contains("urn:namndsok:saved-search:tok&quot;en"));
        assert!(xml.contains("<published>2024-05-02T00:00:00Z</published>"));
    }
}
