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
/// Most bytes of the body looked at: a language shows in its first paragraphs, and whatlang's
/// cost grows with the text (it was 8 % of indexing time on whole protokoll).
const MAX_BODY_BYTES: usize = 600;

/// The analyzer name for a document's language: `sv`, or one of [`FOREIGN_LANGUAGES`].
pub fn detect(document: &Document) -> &'static str {
    let mut text = document.title.clone();
    if let Some(body) = &document.body {
        let mut end = body.len().min(MAX_BODY_BYTES);
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        text.push(' ');
        text.push_str(&body[..end]);
    }
    detect_text(&text)
}

/// The analyzer name for a text; see [`detect`].
pub fn detect_text(text: &str) -> &'static str {
    if text.chars().filter(|c| c.is_alphabetic()).count() < MIN_CHARS {
        return "sv";
    }
    if looks_swedish(text) {
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

/// Words common in Swedish prose and absent (or rare) as words in English, Finnish and German.
const SWEDISH_MARKERS: &[&str] = &[
    "och", "att", "som", "för", "är", "på", "av", "till", "med", "ett", "inte", "har", "vid", "enligt", "samt",
    "eller", "kommunen", "nämnden", "beslut", "från", "ska",
];

/// A fast path before whatlang (which costs ~50 µs per document and was a tenth of indexing
/// time): among the first 120 words, at least one in eight is a Swedish marker word. Text in
/// another language does not come near that share, so whatlang still decides for it.
fn looks_swedish(text: &str) -> bool {
    let mut words = 0;
    let mut markers = 0;
    for word in text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).take(120) {
        words += 1;
        if word.len() <= 8 && SWEDISH_MARKERS.contains(&word.to_lowercase().as_str()) {
            markers += 1;
        }
    }
    words >= 10 && markers * 8 >= words
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
    fn the_swedish_fast_path_takes_swedish_prose_only() {
        assert!(looks_swedish("Kommunstyrelsen föreslås godkänna ett markanvisningsavtal för batterifabriken vid Haggården. Ärendet har beretts av förvaltningen och nämnden ska besluta om detaljplanen."));
        for foreign in [
            "The city council approved the detailed development plan for the battery cell factory in Torslanda, which will employ about two thousand people.",
            "Der Gemeinderat hat den Bebauungsplan für die Batteriefabrik beschlossen, die in den nächsten Jahren etwa zweitausend Menschen beschäftigen soll.",
            "Kuulutus: Kunnanhallitus on päättänyt hyväksyä asemakaavan muutoksen ja kaavaselostuksen, jotka ovat nähtävillä kunnantalolla kolmenkymmenen päivän ajan.",
        ] {
            assert!(!looks_swedish(foreign), "{foreign}");
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
