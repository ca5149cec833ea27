//! Text helpers shared by every adapter: HTML entities and tags, whitespace, personnummer
//! redaction, diarienummer extraction, document ids and the date spellings platforms use.

use chrono::NaiveDate;
use namndsok_model::{CaseNumber, FileLink};

/// Decodes HTML character references as the HTML5 spec does (through `htmlize`, which knows
/// every named reference): `&#228;`, `&#xE4;`, `&auml;`, `&amp;`, legacy names without `;`, and
/// the Windows-1252 remap of numeric references in 128–159 (`&#150;` → `–`, as browsers show
/// it). Unknown names are left as they are (so `AT&T` survives); one pass only, so `&amp;lt;`
/// becomes `&lt;`. Invisible formatting characters that only break words — soft hyphen, zero
/// width (non-)joiner, left-to-right and right-to-left marks — are dropped, whether they were
/// written as references (`av&shy;stämning`) or literally.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') && !text.contains(is_invisible) {
        return text.to_string();
    }
    let decoded = htmlize::unescape(text);
    debug_assert!(!decoded.contains('\0') || text.contains('\0'), "a reference never decodes to NUL");
    decoded.chars().filter(|&c| !is_invisible(c)).collect()
}

/// Characters that are dropped from decoded text.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{ad}' | '\u{200c}' | '\u{200d}' | '\u{200e}' | '\u{200f}')
}

/// Elements whose content is not text.
const SKIPPED_ELEMENTS: &[&str] = &["script", "style", "head", "template", "noscript"];
/// Elements that break a line.
const BLOCK_ELEMENTS: &[&str] = &[
    "br",
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "dd",
    "dt",
    "hr",
    "pre",
    "header",
    "footer",
];

/// Removes HTML tags, comments and the content of `<script>`/`<style>`, turns block elements
/// into line breaks, then decodes entities, normalises the whitespace of each line and drops
/// empty lines. A `<` that does not start a tag (`a < b`) is kept.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(comment) = tail.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some((name, closing, end)) = parse_tag(tail) else {
            out.push('<');
            rest = &tail[1..];
            continue;
        };
        let lower = name.to_ascii_lowercase();
        rest = &tail[end..];
        if !closing && SKIPPED_ELEMENTS.contains(&lower.as_str()) {
            let close = format!("</{lower}");
            rest = find_ascii_case_insensitive(rest, &close)
                .map_or("", |position| rest[position..].find('>').map_or("", |gt| &rest[position + gt + 1..]));
            continue;
        }
        if BLOCK_ELEMENTS.contains(&lower.as_str()) {
            out.push('\n');
        } else if lower == "td" || lower == "th" {
            out.push(' ');
        }
    }
    out.push_str(rest);
    // Markup says where lines break, not where paragraphs are: no blank lines.
    let lines: Vec<String> =
        decode_entities(&out).lines().map(normalise_whitespace).filter(|l| !l.is_empty()).collect();
    lines.join("\n")
}

/// Reads a tag at the start of `text` (`<p class="x">`, `</div>`, `<br/>`, `<!DOCTYPE …>`):
/// its lowercase-able name, whether it closes, and the byte length of the whole tag.
fn parse_tag(text: &str) -> Option<(&str, bool, usize)> {
    let bytes = text.as_bytes();
    let mut i = 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let declaration = bytes.get(i) == Some(&b'!') || bytes.get(i) == Some(&b'?');
    if declaration {
        i += 1;
    }
    let start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-' || bytes[i] == b':') {
        i += 1;
    }
    if i == start || !bytes[start].is_ascii_alphabetic() {
        return None;
    }
    let name = &text[start..i];
    // Find the closing `>`, skipping quoted attribute values.
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some((if declaration { "!" } else { name }, closing, i + 1)),
            None => {}
        }
        i += 1;
    }
    // An unterminated tag swallows the rest, as a browser would.
    Some((name, closing, text.len()))
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack.as_bytes().windows(needle.len()).position(|window| window.eq_ignore_ascii_case(needle))
}

/// Collapses every run of whitespace (including no-break spaces and line breaks) to one space and
/// trims: for titles, names and other one-line fields.
pub fn normalise_whitespace(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Normalises each line, keeps single line breaks, collapses blank lines to one: for bodies.
pub fn normalise_multiline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_pending = false;
    for line in text.replace("\r\n", "\n").replace('\r', "\n").split('\n') {
        let line = normalise_whitespace(line);
        if line.is_empty() {
            blank_pending = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_pending { "\n\n" } else { "\n" });
        }
        blank_pending = false;
        out.push_str(&line);
    }
    out
}

/// Text that may hold entities but no markup (titles, names): decoded and on one line.
pub fn clean_line(text: &str) -> String {
    normalise_whitespace(&decode_entities(text))
}

pub use namndsok_model::personnummer::{redact_personnummer, PERSONNUMMER_PLACEHOLDER};

/// The first diarienummer mentioned in `text` (`… Diarienummer: BoM 2026-000840`), in the
/// spelling it was written, without the `Diarienummer:`/`Dnr` prefix. Uses the model's prose rules
/// ([`CaseNumber::find_all`]) and is stricter still: a number needs a series code (`KS 2023/12`)
/// or a `Dnr`/`Diarienummer` prefix, because a bare `2023/24` in prose is usually a läsår.
pub fn extract_diarienummer(text: &str) -> Option<String> {
    let spelled = CaseNumber::find_in_query(text);
    CaseNumber::find_all(text).into_iter().find_map(|case| {
        let written = spelled.iter().find(|(_, candidate)| *candidate == case).map(|(range, _)| &text[range.clone()]);
        let has_prefix = written.is_some_and(|w| {
            let lower = w.trim_start().to_lowercase();
            ["dnr", "diarienr", "diarienummer"].iter().any(|p| lower.starts_with(p))
        });
        if case.series.is_none() && !has_prefix {
            return None;
        }
        Some(written.map(strip_dnr_prefix).filter(|w| !w.is_empty()).map_or_else(|| case.to_string(), str::to_string))
    })
}

fn strip_dnr_prefix(text: &str) -> &str {
    let trimmed = text.trim();
    let lower = trimmed.to_lowercase();
    for prefix in ["diarienummer", "diarienr", "dnr"] {
        if lower.starts_with(prefix) {
            return trimmed[prefix.len()..].trim_start_matches(['.', ':', ' ']).trim();
        }
    }
    trimmed
}

/// A platform's item id made safe for a document id: letters (å, ä, ö too), digits, `.`, `_` and
/// `-` kept, every other run of characters becomes one `-`.
pub fn item_key(raw: &str) -> String {
    let mut key = String::with_capacity(raw.len());
    for c in raw.trim().chars() {
        if c.is_alphanumeric() || c == '.' || c == '_' || c == '-' {
            key.push(c);
        } else if !key.ends_with('-') {
            key.push('-');
        }
    }
    key.trim_matches('-').to_string()
}

/// The stable document id: `{kommunkod}-{platform}-{item id}`.
pub fn document_id(kommun_kod: &str, platform: &str, item_id: &str) -> String {
    format!("{kommun_kod}-{platform}-{}", item_key(item_id))
}

/// A date at the start of a string: `2024-03-01`, `2024-03-01T10:00:00`, `2024-03-01 10:00`,
/// `20240301` (ACF's date format), `2024/03/01`, `01.03.2024`, `1 mars 2024`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let is_digits =
        |range: std::ops::Range<usize>| bytes.get(range.clone()).is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    let ends_at = |index: usize| bytes.get(index).is_none_or(|b| !b.is_ascii_digit());
    if is_digits(0..4)
        && matches!(bytes.get(4), Some(b'-' | b'/' | b'.'))
        && is_digits(5..7)
        && bytes.get(7) == bytes.get(4)
        && is_digits(8..10)
        && ends_at(10)
    {
        let number = |r: std::ops::Range<usize>| text[r].parse::<u32>().ok();
        return NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?);
    }
    if is_digits(0..8) && ends_at(8) {
        return NaiveDate::parse_from_str(&text[..8], "%Y%m%d").ok();
    }
    if is_digits(0..2)
        && matches!(bytes.get(2), Some(b'.' | b'/'))
        && is_digits(3..5)
        && bytes.get(5) == bytes.get(2)
        && is_digits(6..10)
        && ends_at(10)
    {
        return NaiveDate::parse_from_str(&text[..10], if bytes[2] == b'.' { "%d.%m.%Y" } else { "%d/%m/%Y" }).ok();
    }
    parse_swedish_date(text)
}

/// `1 mars 2024`, `den 12 februari 2026`.
fn parse_swedish_date(text: &str) -> Option<NaiveDate> {
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().map(|w| w.trim_matches([',', '.'])).collect();
    words.windows(3).find_map(|w| {
        let day: u32 = w[0].parse().ok()?;
        let month = MONTHS.iter().position(|m| *m == w[1])? as u32 + 1;
        let year: i32 = w[2].parse().ok().filter(|y| (1900..2200).contains(y))?;
        NaiveDate::from_ymd_opt(year, month, day)
    })
}

/// The first `YYYY-MM-DD` anywhere in a text (`Anslås till och med 2024-03-22`), or a Swedish
/// spelled-out date.
pub fn find_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    (0..bytes.len())
        .filter(|&i| bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit()))
        .find_map(|i| parse_date(&text[i..]))
        .or_else(|| parse_swedish_date(text))
}

/// The calendar day in Sweden of a Unix timestamp in milliseconds (Sitevision's dates).
pub use namndsok_model::time::stockholm_date_from_millis;

/// A body built from a main text and labelled facts (`Typ: Kungörelse`), one per line after it.
pub fn compose_body(main: Option<&str>, facts: &[(&str, String)]) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if let Some(main) = main.map(str::trim).filter(|m| !m.is_empty()) {
        parts.push(main.to_string());
    }
    let fact_lines: Vec<String> = facts
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(label, value)| format!("{label}: {}", value.trim()))
        .collect();
    if !fact_lines.is_empty() {
        parts.push(fact_lines.join("\n"));
    }
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// `href` resolved against the page it appears on (`base`, an absolute http(s) URL): absolute
/// URLs as they are, `//host/…`, `/path`, and paths relative to the page's directory. `None`
/// for other schemes (`mailto:`, `javascript:`) and fragments.
pub fn resolve_url(base: &str, href: &str) -> Option<String> {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(href.to_string());
    }
    if href.is_empty()
        || href.starts_with('#')
        || lower.split(['/', '?', '#']).next().is_some_and(|head| head.contains(':'))
    {
        return None;
    }
    let (scheme, rest) = base.split_once("://")?;
    let origin_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..origin_end]);
    if let Some(network) = href.strip_prefix("//") {
        return Some(format!("{scheme}://{network}"));
    }
    if href.starts_with('/') {
        return Some(format!("{origin}{href}"));
    }
    let path = rest[origin_end..].split(['?', '#']).next().unwrap_or("");
    let directory = path.rfind('/').map_or("/", |slash| &path[..=slash]);
    Some(format!("{origin}{directory}{href}"))
}

/// An absolute `http(s)` URL without whitespace.
pub fn looks_like_http_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && !url.trim().chars().any(char::is_whitespace)
}

/// The host of an absolute URL, lower case, without port.
pub fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Whether a link's path names a file we read (a PDF) or a CMS download (`/download/…`).
pub fn looks_like_file(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url).to_ascii_lowercase();
    path.ends_with(".pdf") || path.contains("/download/")
}

/// The links to files in an HTML text, resolved against `page`, on the page's own host (or a
/// subdomain of it): a kommun's anslag links its protokoll and kungörelser on its own site;
/// links to other sites are not followed. Link text (or the file name) is the name.
pub fn file_links_in_html(html: &str, page: &str) -> Vec<FileLink> {
    static ANCHOR: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let anchor = ANCHOR.get_or_init(|| {
        regex::Regex::new(r#"(?is)<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>(.*?)</a\s*>"#)
            .expect("the anchor pattern compiles")
    });
    let Some(own_host) = url_host(page) else { return Vec::new() };
    let own_site = own_host.trim_start_matches("www.").to_string();
    let mut links: Vec<FileLink> = Vec::new();
    for captures in anchor.captures_iter(html) {
        let href = captures.get(1).or(captures.get(2)).or(captures.get(3)).map_or("", |m| m.as_str());
        let Some(url) = resolve_url(page, &decode_entities(href)) else { continue };
        let Some(host) = url_host(&url) else { continue };
        if !(host == own_host || host == own_site || host.ends_with(&format!(".{own_site}"))) || !looks_like_file(&url)
        {
            continue;
        }
        let text = clean_line(&strip_html(captures.get(4).map_or("", |m| m.as_str())));
        let name = if text.is_empty() { file_name(&url) } else { text };
        if !links.iter().any(|link| link.url == url) {
            links.push(FileLink { url, name });
        }
    }
    links
}

/// The last path segment of a URL, percent-decoded where that gives UTF-8.
pub fn file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let segment = path.rsplit('/').next().unwrap_or_default();
    namndsok_model::url::decode_component(segment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_entities() {
        let cases = [
            ("Bygg- och milj&#246;n&auml;mnden", "Bygg- och miljönämnden"),
            ("Kommunfullm&#228;ktige", "Kommunfullmäktige"),
            ("&#xE5;r &#XC5;", "år Å"),
            ("&Aring;ngermanland &Ouml;&ouml; &aring;", "Ångermanland Öö å"),
            ("Fastighets &amp; Industri AB", "Fastighets & Industri AB"),
            ("AT&T och A & B", "AT&T och A & B"),
            ("&lt;b&gt; &quot;x&quot; &apos;y&apos;", "<b> \"x\" 'y'"),
            ("2024&ndash;2026 &hellip;", "2024–2026 …"),
            ("&okänd; &#; &#xZZ; &", "&okänd; &#; &#xZZ; &"),
            ("&amp;lt;", "&lt;"),
            ("av&shy;stämning", "avstämning"),
            ("&#8211; &#8217;", "– ’"),
            // HTML5: numeric references in 128–159 are Windows-1252 code points.
            ("1990&#150;1995 &#147;citat&#148; &#128;", "1990–1995 “citat” €"),
            ("&#x96; &#x85;", "– …"),
            // Names outside the hand-written list of old, and invalid code points.
            ("&frac34; &thorn; &NotEqualTilde; &#0; &#xD800; &#x110000;", "¾ þ ≂̸ \u{fffd} \u{fffd} \u{fffd}"),
            // Legacy names without `;`, as browsers read them in text.
            ("&copy 2024 &amp Co", "© 2024 & Co"),
            ("zwj&zwj;nj&zwnj;\u{ad}", "zwjnj"),
        ];
        for (input, expected) in cases {
            assert_eq!(decode_entities(input), expected, "{input}");
        }
    }

    mod decoding {
        use proptest::prelude::*;

        use super::super::{decode_entities, is_invisible};

        proptest! {
            #[test]
            fn never_panics(text in "(&|#|x|;|[0-9a-fA-F]|[a-z]{1,8}|\\PC)*") {
                let _ = decode_entities(&text);
            }

            #[test]
            fn leaves_text_without_references_alone(text in "[^&]*") {
                let expected: String = text.chars().filter(|&c| !is_invisible(c)).collect();
                let decoded = decode_entities(&text);
                prop_assert_eq!(&decoded, &expected);
                prop_assert_eq!(decode_entities(&decoded), decoded);
            }

            #[test]
            fn round_trips_escaped_text(text in "\\PC*") {
                let expected: String = text.chars().filter(|&c| !is_invisible(c)).collect();
                prop_assert_eq!(decode_entities(&htmlize::escape_text(text.as_str())), expected.clone());
                prop_assert_eq!(decode_entities(&htmlize::escape_attribute(text.as_str())), expected);
            }
        }
    }

    #[test]
    fn strips_tags() {
        let cases = [
            ("<p>Första stycket.</p><p>Andra <strong>stycket</strong>.</p>", "Första stycket.\nAndra stycket."),
            ("Rad ett<br>Rad två<br />Rad tre", "Rad ett\nRad två\nRad tre"),
            ("<script>var a = '<p>';</script>Text<style>p{}</style>", "Text"),
            ("a <!-- en kommentar <p> --> b", "a b"),
            ("<a href=\"x?a=1&b=>2\" title='>'>länk</a>", "länk"),
            ("1 < 2 och 3 > 2", "1 < 2 och 3 > 2"),
            ("&lt;p&gt; är en tagg", "<p> är en tagg"),
            ("<ul><li>ett</li><li>två</li></ul>", "ett\ntvå"),
            ("<p>a</p>\n\n\n<p>b</p>", "a\nb"),
            ("<P CLASS=x>Versaler</P>", "Versaler"),
            ("<p>Avbruten <b", "Avbruten"),
        ];
        for (input, expected) in cases {
            assert_eq!(strip_html(input), expected, "{input}");
        }
    }

    #[test]
    fn normalises_whitespace() {
        assert_eq!(normalise_whitespace("  a\n\tb\u{a0} c  "), "a b c");
        assert_eq!(normalise_multiline(" a  \r\n  b \n\n\n\n c "), "a\nb\n\nc");
    }

    #[test]
    fn redacts_personnummer_with_valid_date_and_luhn() {
        let cases = [
            ("Sökande 811218-9876 har ansökt", "Sökande [personnummer] har ansökt"),
            ("Sökande 121212+1212", "Sökande [personnummer]"),
            ("pnr 19811218-9876.", "pnr [personnummer]."),
            ("pnr 198112189876", "pnr [personnummer]"),
            ("samordningsnummer 701063-2391", "samordningsnummer [personnummer]"),
            ("två: 811218-9876, 19121212-1212", "två: [personnummer], [personnummer]"),
            // Luhn fails.
            ("811218-9875", "811218-9875"),
            // Not a date (month 13, day 32, 30 February).
            ("811318-9876", "811318-9876"),
            ("810232-9876", "810232-9876"),
            // Organisationsnummer: month 20.
            ("Organisationsnummer 212000-1736", "Organisationsnummer 212000-1736"),
            // Ten digits without a separator are left alone, Luhn-valid or not.
            ("Telefon 0701234567 eller 8112189876", "Telefon 0701234567 eller 8112189876"),
            // Inside longer digit runs.
            ("1811218-9876", "1811218-9876"),
            ("811218-98765", "811218-98765"),
            ("ref 1198112189876", "ref 1198112189876"),
            // Diarienummer and dates.
            ("BN 2025-002614, 2024-03-01", "BN 2025-002614, 2024-03-01"),
            ("Nummer 20240301-1234", "Nummer 20240301-1234"),
        ];
        for (input, expected) in cases {
            assert_eq!(redact_personnummer(input), expected, "{input}");
        }
    }

    #[test]
    fn extracts_diarienummer_in_its_spelling() {
        let cases = [
            ("Diarienummer: BoM 2026-000840", Some("BoM 2026-000840")),
            ("Beslut i ärende Dnr KS 2018/124 om årsredovisning", Some("KS 2018/124")),
            ("..., diarienummer B 2026-000012", Some("B 2026-000012")),
            ("Sammanträdet 2023-05-02 kl 13 i läsåret 2023/24", None),
            ("Dnr 2023/1234 gäller läsåret 2023/24", Some("2023/1234")),
            ("läsåret 2023/24, se KS 2023/412", Some("KS 2023/412")),
            ("Inget nummer alls", None),
        ];
        for (input, expected) in cases {
            assert_eq!(extract_diarienummer(input).as_deref(), expected, "{input}");
        }
    }

    /// The real Nacka sample (a scraper's export of kungörelser): the diarienummer found in each
    /// text is the one the scraper recorded — except where it glued two notices into one text.
    #[test]
    fn finds_the_diarienummer_of_the_real_nacka_texts() {
        let sample: serde_json::Value =
            serde_json::from_str(include_str!("../tests/fixtures/nacka-bygglov-kungorelser-redacted.json")).unwrap();
        let permits = sample["permits"].as_array().unwrap();
        assert_eq!(permits.len(), 12);
        for permit in permits {
            let text = permit["text_redacted"].as_str().unwrap();
            let recorded = permit["diarienummer"].as_str().unwrap();
            let found = extract_diarienummer(text).unwrap();
            if recorded == "B 2025-001330" {
                // "…, B 2025-001666 Förlängning av tidsbegränsat lov …, B 2025-001330": two notices.
                assert_eq!(found, "B 2025-001666");
            } else {
                assert_eq!(found, recorded, "{text}");
            }
            assert_eq!(redact_personnummer(text), text, "nothing to redact in {text}");
        }
    }

    #[test]
    fn builds_stable_ids() {
        assert_eq!(
            document_id("2260", "meetingsplus", "4825b254-0228-4723-8e7c-33ae0d644cc7"),
            "2260-meetingsplus-4825b254-0228-4723-8e7c-33ae0d644cc7"
        );
        assert_eq!(item_key(" /anslagstavla/Kungörelse bygglov.html "), "anslagstavla-Kungörelse-bygglov.html");
        assert_eq!(item_key("KS 2023/412"), "KS-2023-412");
    }

    #[test]
    fn parses_the_date_spellings_platforms_use() {
        let day = NaiveDate::from_ymd_opt(2024, 3, 1);
        for text in [
            "2024-03-01",
            "2024-03-01T00:00:00",
            "2024-03-01 13:37:00",
            "20240301",
            "2024/03/01",
            "01.03.2024",
            "01/03/2024",
            "1 mars 2024",
            "den 1 mars 2024",
        ] {
            assert_eq!(parse_date(text), day, "{text}");
        }
        for text in ["2024-02-30", "1.3.24", "", "mars", "202403011"] {
            assert_eq!(parse_date(text), None, "{text}");
        }
        assert_eq!(find_date("Anslås till och med 2024-03-22."), NaiveDate::from_ymd_opt(2024, 3, 22));
        assert_eq!(find_date("t.o.m. 22 mars 2024"), NaiveDate::from_ymd_opt(2024, 3, 22));
    }

    #[test]
    fn converts_epoch_millis_to_the_swedish_day() {
        // 2024-02-29T23:30:00Z is 1 March in Stockholm (UTC+1).
        assert_eq!(stockholm_date_from_millis(1_709_249_400_000), NaiveDate::from_ymd_opt(2024, 3, 1));
        // 2024-06-30T22:30:00Z is 1 July in Stockholm (UTC+2).
        assert_eq!(stockholm_date_from_millis(1_719_786_600_000), NaiveDate::from_ymd_opt(2024, 7, 1));
        // 2024-06-30T21:30:00Z is still 30 June.
        assert_eq!(stockholm_date_from_millis(1_719_783_000_000), NaiveDate::from_ymd_opt(2024, 6, 30));
    }

    #[test]
    fn composes_bodies() {
        assert_eq!(
            compose_body(Some(" Text "), &[("Typ", "Kungörelse".into()), ("Tom", " ".into())]).unwrap(),
            "Text\n\nTyp: Kungörelse"
        );
        assert_eq!(compose_body(None, &[]), None);
        assert_eq!(compose_body(Some(""), &[("Typ", "X".into())]).unwrap(), "Typ: X");
    }

    #[test]
    fn resolves_links_and_keeps_files_on_the_kommuns_own_site() {
        let page = "https://www.ale.se/anslagstavla/kungorelse.html";
        assert_eq!(
            resolve_url(page, "/download/18.1/Protokoll.pdf").unwrap(),
            "https://www.ale.se/download/18.1/Protokoll.pdf"
        );
        assert_eq!(resolve_url(page, "bilaga.pdf").unwrap(), "https://www.ale.se/anslagstavla/bilaga.pdf");
        assert_eq!(resolve_url(page, "//cdn.ale.se/a.pdf").unwrap(), "https://cdn.ale.se/a.pdf");
        assert_eq!(resolve_url(page, "mailto:x@ale.se"), None);
        assert_eq!(resolve_url(page, "#top"), None);
        let html = r#"<p>Se <a href="/download/18.1/Protokoll%20KS%202026-02-24.pdf">protokollet</a>,
            <a href='https://docs.ale.se/bilaga.pdf'></a>, <a href="https://evil.example/x.pdf">x</a>,
            <a href="/om-kommunen.html">om</a> och <a href="/download/18.1/Protokoll%20KS%202026-02-24.pdf">igen</a></p>"#;
        let links = file_links_in_html(html, page);
        assert_eq!(
            links,
            [
                FileLink {
                    url: "https://www.ale.se/download/18.1/Protokoll%20KS%202026-02-24.pdf".into(),
                    name: "protokollet".into()
                },
                FileLink { url: "https://docs.ale.se/bilaga.pdf".into(), name: "bilaga.pdf".into() },
            ]
        );
        assert_eq!(file_name("https://x.se/a/Protokoll%20KS%20%C3%A5.pdf?v=1"), "Protokoll KS å.pdf");
        assert_eq!(file_name("https://x.se/a/100%"), "100%");
    }
}
