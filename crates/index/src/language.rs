//! Which language a document is written in, and the analysis that fits it.
//!
//! Almost everything is Swedish, and whatlang is unreliable on a few words (it calls short
//! Swedish titles Norwegian or Danish). So Swedish is the default, and a document is only
//! treated as another language when its title and body together are long enough, whatlang is
//! confident, and the language is one we analyse differently (English, Finnish, German).
//! Norwegian and Danish stay Swedish: the Swedish analysis serves them well enough.
//!
//! A foreign document keeps its Swedish analysis in the main fields (names and loan words are
//! still found) and is also indexed in `title_foreign`/`body_foreign` with tokens of its own
//! language's analyzer, tagged with the language (`en:factori`), so one pair of fields serves
//! every language and a query word is looked up in each.

use namndsok_model::Document;

/// Languages with their own analysis, by the name of their analyzer in `analyzers.toml`.
pub const FOREIGN_LANGUAGES: &[&str] = &["en", "fi", "de"];

/// Fewest characters of title + body before detection is trusted.
const MIN_CHARS: usize = 60;
/// Least whatlang confidence accepted.
const MIN_CONFIDENCE: f64 = 0.5;

/// The analyzer name for a document's language: `sv`, or one of [`FOREIGN_LANGUAGES`].
pub fn detect(document: &Document) -> &'static str {
    let mut text = document.title.clone();
    if let Some(body) = &document.body {
        text.push(' ');
        text.push_str(body);
    }
    detect_text(&text)
}

/// The analyzer name for a text; see [`detect`].
pub fn detect_text(text: &str) -> &'static str {
    if text.chars().filter(|c| c.is_alphabetic()).count() < MIN_CHARS {
        return "sv";
    }
    let Some(info) = whatlang::detect(text) else { return "sv" };
    if !info.is_reliable() || info.confidence() < MIN_CONFIDENCE {
        return "sv";
    }
    match info.lang() {
        whatlang::Lang::Eng => "en",
        whatlang::Lang::Fin => "fi",
        whatlang::Lang::Deu => "de",
        _ => "sv",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_is_the_default_and_short_text_stays_swedish() {
        for text in [
            "Bygglov",
            "Detaljplan för del av Haga",
            "Beslut om ny förskola",
            "Kommunstyrelsen föreslås godkänna ett markanvisningsavtal för batterifabriken vid Haggården. Batterifabrikens första etapp omfattar 40 hektar.",
            "Kommunestyret vedtar å godkjenne avtalen om salg av tomt til den nye skolen i sentrum av byen.",
        ] {
            assert_eq!(detect_text(text), "sv", "{text}");
        }
    }

    #[test]
    fn long_foreign_text_is_detected() {
        assert_eq!(
            detect_text("The city council approved the detailed development plan for the battery cell factory in Torslanda, which will employ about two thousand people."),
            "en"
        );
        assert_eq!(
            detect_text("Kuulutus: Kunnanhallitus on päättänyt hyväksyä asemakaavan muutoksen ja kaavaselostuksen, jotka ovat nähtävillä kunnantalolla kolmenkymmenen päivän ajan."),
            "fi"
        );
    }
}
