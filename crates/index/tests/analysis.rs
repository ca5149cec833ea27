//! Table-driven tests of the Swedish analysis, one table per rule, through the analyzers
//! exactly as `index-config/analyzers.toml` configures them.

use std::sync::OnceLock;

use namndsok_analysis::resources::ConfigFiles;
use namndsok_index::SearchIndex;

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| SearchIndex::create_in_ram(ConfigFiles::bundled()).expect("bundled config is valid"))
}

fn tokens(analyzer: &str, text: &str) -> Vec<String> {
    index().analyze(analyzer, text).unwrap().into_iter().map(|t| t.text).collect()
}

/// Every word of a group must give the same single main-field token.
fn assert_same_token(groups: &[&[&str]]) {
    for group in groups {
        let expected = tokens("sv", group[0]);
        assert_eq!(expected.len(), 1, "{}: {expected:?}", group[0]);
        for word in &group[1..] {
            assert_eq!(tokens("sv", word), expected, "{word} should analyse like {}", group[0]);
        }
    }
}

#[test]
fn inflection_definite_plural_and_genitive_forms_meet() {
    assert_same_token(&[
        &["förskola", "förskolan", "förskolor", "förskolorna", "förskolans"],
        &["flygplats", "flygplatsen", "flygplatser", "flygplatsens"],
        &["ärende", "ärendet", "ärenden", "ärendets"],
        &["protokoll", "protokollet", "protokollen"],
        &["samhälle", "samhället"],
        &["bibliotek", "biblioteket", "biblioteken", "bibliotekens"],
        &["batterifabrik", "batterifabriken", "batterifabrikens", "batterifabriker"],
        &["naturreservat", "naturreservaten", "naturreservatet"],
        &["beslut", "beslutet", "besluten"],
    ]);
}

#[test]
fn genitive_s_of_place_names() {
    assert_same_token(&[
        &["Mariestad", "Mariestads"],
        &["Luleå", "Luleås"],
        &["Gävle", "Gävles"],
        &["Boden", "Bodens"],
    ]);
}

#[test]
fn stop_words_are_dropped_but_keep_their_position() {
    let analysed = index().analyze("sv", "gång- och cykelväg").unwrap();
    let texts: Vec<&str> = analysed.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(texts, ["gång", "cykelväg"]);
    assert_eq!((analysed[0].position, analysed[1].position), (0, 2));
}

#[test]
fn compounds_are_split_into_parts() {
    // (word, parts that must be among the sv_parts tokens)
    let cases: &[(&str, &[&str])] = &[
        ("batterifabriken", &["batteri", "fabrik"]),
        ("batterifabriksetableringen", &["batteri", "fabrik", "etablering"]),
        ("förskoleverksamheten", &["förskol", "verksam"]),
        ("samhällsbyggnadsförvaltningen", &["samhäll", "byggn", "förvaltning"]),
        ("bygglovsansökan", &["bygglov", "ansökan"]),
        ("vindkraftparken", &["vindkraft", "vind", "kraft", "park"]),
        ("grundskolan", &["grund", "skol"]),
        ("solcellsparken", &["solcell", "park"]),
        ("gatubelysningen", &["gat", "belysning"]),
        ("Näsbyparksskolan", &["skol"]),
    ];
    for (word, expected) in cases {
        let parts = tokens("sv_parts", word);
        for part in *expected {
            assert!(parts.contains(&part.to_string()), "{word}: {part} not in {parts:?}");
        }
    }
}

#[test]
fn simple_words_and_place_names_are_not_split() {
    for word in ["kommun", "fabrik", "beslut", "Mariestad", "Mariestads", "Göteborg", "Skellefteå", "information"] {
        assert_eq!(tokens("sv_parts", word), Vec::<String>::new(), "{word}");
    }
}

#[test]
fn folding_only_in_the_fold_field() {
    for (typed, swedish) in [
        ("forskola", "förskola"),
        ("vanersborg", "Vänersborg"),
        ("aterkallelse", "återkallelse"),
        ("oversvamning", "översvämning"),
    ] {
        assert_eq!(tokens("sv_fold", typed)[0], tokens("sv_fold", swedish)[0], "{typed}");
        assert_ne!(tokens("sv", typed), tokens("sv", swedish), "{typed}: the main field keeps å/ä/ö");
    }
    assert_ne!(tokens("sv", "får"), tokens("sv", "far"));
}

#[test]
fn highlighting_tokens_cover_whole_words() {
    let analysed = index().analyze("sv_highlight", "batterifabriken").unwrap();
    assert!(analysed.iter().any(|t| t.text == "fabrik"));
    assert!(analysed.iter().all(|t| (t.offset_from, t.offset_to) == (0, 15)), "parts carry the word's offsets");
}
