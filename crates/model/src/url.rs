//! Percent-encoding for the URLs Nämndsök builds — links to document pages (`/d/{id}`) in pages,
//! feeds and e-mails, tokens in paths, values in vendor query strings — with one set, so the
//! same id always becomes the same link: RFC 3986's unreserved characters (letters, digits,
//! `-._~`) stay, everything else (space and `/` too) is percent-encoded as UTF-8.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986's unreserved characters.
pub const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `text` as one path segment or query value.
pub fn encode_component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// A percent-encoded component decoded, when that gives UTF-8; otherwise as it is.
pub fn decode_component(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8().map_or_else(|_| text.to_string(), |d| d.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unreserved_characters_stay() {
        assert_eq!(encode_component("a b/ö"), "a%20b%2F%C3%B6");
        assert_eq!(encode_component("KS-2023_412.pdf~1"), "KS-2023_412.pdf~1");
        assert_eq!(encode_component("*+&=?#%"), "%2A%2B%26%3D%3F%23%25");
        let decoded: String =
            percent_encoding::percent_decode_str(&encode_component("åäö € \u{1}")).decode_utf8().unwrap().into_owned();
        assert_eq!(decoded, "åäö € \u{1}");
    }
}
