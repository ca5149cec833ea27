//! Ranking rules, table by table, on a small in-memory corpus.

use namndsok_analysis::resources::ConfigFiles;
use namndsok_index::{SearchIndex, SearchOptions, SearchRequest, SearchStrategy};
use namndsok_model::{Document, Registry};

fn corpus() -> SearchIndex {
    let index = SearchIndex::create_in_ram(ConfigFiles::bundled()).unwrap();
    let lines = [
        ("fabriken", "1480", "arende", "Ny fabrik i hamnen", "Fabriken ska tillverka dörrar.", "2024-01-10", None),
        (
            "batteri",
            "1493",
            "arende",
            "Batterifabriken på Haggården",
            "Etableringen av batterifabriken.",
            "2023-05-02",
            Some("KS 2023/412"),
        ),
        (
            "battericell",
            "1480",
            "protokoll",
            "Fabrik för battericeller",
            "Volvos nya fabrik för battericeller.",
            "2022-03-10",
            None,
        ),
        ("forskola", "0180", "arende", "Ny förskola i Hagastaden", "Förskoleverksamheten växer.", "2024-02-01", None),
        ("laddplats", "0180", "anslag", "Laddplatser vid stadshuset", "Tio nya laddplatser.", "2024-03-01", None),
        (
            "medborgarforslag",
            "1490",
            "arende",
            "Medborgarförslag om hundrastgård",
            "Förslaget gäller en hundrastgård.",
            "2021-06-01",
            None,
        ),
        ("boden", "2582", "arende", "Stålverk i Svartbyn", "Detaljplan för stålverket.", "2022-03-21", None),
        ("far", "1280", "arende", "Far och barn i förskolan", "Text om föräldrar.", "2020-01-01", None),
        ("far2", "1280", "arende", "Får på bete i naturreservatet", "Fåren betar.", "2020-01-02", None),
        (
            "anslag",
            "1493",
            "anslag",
            "Justerat protokoll",
            "Protokollet för KS 2023/412 är justerat.",
            "2023-06-16",
            Some("KS 2023/412"),
        ),
        (
            "english",
            "1480",
            "arende",
            "Summary in English: battery factory",
            "The city council approved the detailed development plans for the battery cell factories in Torslanda, which will employ two thousand people.",
            "2023-01-01",
            None,
        ),
    ];
    let documents: Vec<Document> = lines
        .iter()
        .map(|(id, kommun, kind, title, body, date, dnr)| {
            let json = serde_json::json!({"id": id, "kind": kind, "kommun_kod": kommun, "title": title, "body": body, "date": date, "diarienummer": dnr});
            Document::from_json_line(&json.to_string(), Registry::global()).unwrap().document
        })
        .collect();
    index.upsert(&documents).unwrap();
    index
}

fn ids(index: &SearchIndex, q: &str) -> Vec<String> {
    index.search(&SearchRequest::query(q)).unwrap().hits.into_iter().map(|h| h.id).collect()
}

#[test]
fn every_rule_finds_its_documents() {
    let index = corpus();
    // (query, ids that must be found)
    let table: &[(&str, &[&str])] = &[
        ("batterifabrik", &["batteri", "battericell"]), // compound + its parts in prose
        ("batterifabrikens", &["batteri"]),             // genitive
        ("fabrik", &["fabriken", "batteri", "battericell"]), // part of compounds
        ("förskola", &["forskola"]),                    // definite form and förskoleverksamheten
        ("forskola", &["forskola"]),                    // without å/ä/ö
        ("laddstolpe", &["laddplats"]),                 // synonym
        ("medborgarförlsag", &["medborgarforslag"]),    // typo
        ("Bodens stålverk", &["boden"]),                // kommun name + inflection
        ("ks2023.412", &["batteri", "anslag"]),         // diarienummer
        ("employed", &["english"]),                     // English analysis for English text
        ("councils", &["english"]),
    ];
    for (query, expected) in table {
        let found = ids(&index, query);
        for id in *expected {
            assert!(found.contains(&id.to_string()), "{query}: {id} not in {found:?}");
        }
    }
}

#[test]
fn search_options_switch_typos_off_and_require_every_word() {
    let index = corpus();
    let typo = SearchRequest::query("medborgarförlsag");
    let with_typos = index.search(&typo).unwrap();
    assert!(with_typos.fuzzy && with_typos.hits.iter().any(|h| h.id == "medborgarforslag"));
    let exact = SearchRequest { options: SearchOptions { typo_tolerance: false, ..SearchOptions::default() }, ..typo };
    let without = index.search(&exact).unwrap();
    assert_eq!((without.total, without.fuzzy), (0, false));
    assert!(index.matching_ids(&exact).unwrap().is_empty());

    let most = SearchRequest::query("fabrik battericeller");
    let loose = index.search(&most).unwrap();
    assert!(loose.total > loose.matched_all, "the test needs a query some documents match partly");
    let every = SearchRequest { options: SearchOptions { every_word: true, ..SearchOptions::default() }, ..most };
    let strict = index.search(&every).unwrap();
    assert_eq!((strict.total, strict.matched_all), (loose.matched_all, loose.matched_all));
}

#[test]
fn whole_words_rank_above_parts_and_exact_above_folded() {
    let index = corpus();
    let found = ids(&index, "fabrik");
    let rank = |id: &str| found.iter().position(|f| f == id).unwrap();
    assert!(
        rank("batteri") > rank("fabriken") && rank("batteri") > rank("battericell"),
        "the word itself before compounds containing it: {found:?}"
    );
    assert_eq!(ids(&index, "får")[0], "far2");
    assert!(!ids(&index, "får").contains(&"far".to_string()), "får is not far");
}

#[test]
fn a_case_number_puts_the_case_first() {
    let index = corpus();
    let found = ids(&index, "Dnr KS 2023/0412");
    assert_eq!(found, ["batteri", "anslag"]);
}

#[test]
fn words_all_match_first_then_most() {
    let index = corpus();
    let response = index.search(&SearchRequest::query("fabrik battericeller")).unwrap();
    assert_eq!(response.hits[0].id, "battericell");
    assert!(response.matched_all >= 1 && response.matched_all <= response.total);
    assert_eq!(ids(&index, "xyzzy plugh"), Vec::<String>::new());
}

#[test]
fn expired_anslag_can_be_removed_after_a_retention_period() {
    let index = corpus();
    let anslag = |id: &str, to: &str| {
        let json = serde_json::json!({"id": id, "kind": "anslag", "kommun_kod": "1493", "title": "Kungörelse om bygglov",
            "date": "2024-01-01", "publish_from": "2024-01-01", "publish_to": to});
        Document::from_json_line(&json.to_string(), Registry::global()).unwrap().document
    };
    index.upsert(&[anslag("old", "2024-01-22"), anslag("current", "2099-01-01")]).unwrap();
    let before = index.num_docs();
    let removed = index.delete_expired_anslag(chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()).unwrap();
    assert_eq!(removed, 1);
    assert_eq!(index.num_docs(), before - 1);
    assert!(index.get("old").unwrap().is_none());
    assert!(index.get("current").unwrap().is_some());
    assert!(index.get("batteri").unwrap().is_some(), "other kinds stay");
}

#[test]
fn matching_ids_are_the_date_sorted_search_without_paging() {
    let index = corpus();
    for q in ["fabrik", "batterifabrik", "förskola", "laddstolpe", "Dnr KS 2023/412", "fabrik -battericeller"] {
        let mut request = SearchRequest::query(q);
        request.sort = namndsok_index::Sort::DateDesc;
        request.limit = 100;
        let mut expected: Vec<String> = index.search(&request).unwrap().hits.into_iter().map(|h| h.id).collect();
        let mut found = index.matching_ids(&request).unwrap();
        expected.sort();
        found.sort();
        assert_eq!(found, expected, "{q}");
    }
}

/// `matched_all` (documents matching every word, strictly) is counted in the ranking pass when
/// it can be; it must equal the total of the date-sorted search, which matches exactly those.
#[test]
fn matched_all_is_the_date_sorted_total() {
    let index = SearchIndex::create_in_ram(ConfigFiles::bundled()).unwrap();
    index.import_jsonl(include_str!("../../../demo/documents.jsonl").as_bytes()).unwrap();
    let queries = [
        "batterifabrik",
        "beslut",
        "förskola skola",
        "bygglov detaljplan",
        "budget skola omsorg äldreomsorg",
        "\"detaljplan för\"",
        "medborgarförlsag",
        "forskola",
        "KS 2023/412",
        "batterifabrik Luleå",
        "solcellspark",
        "vatten OR avlopp",
        "förskoleverksamhet -Kiruna",
        "xyzzy plugh",
    ];
    for q in queries {
        let relevance = index.search(&SearchRequest::query(q)).unwrap();
        let by_date =
            index.search(&SearchRequest { sort: namndsok_index::Sort::DateDesc, ..SearchRequest::query(q) }).unwrap();
        assert_eq!(relevance.matched_all, by_date.total, "{q}: matched_all vs the date-sorted total");
        assert_eq!(by_date.matched_all, by_date.total, "{q}");
        assert!(relevance.matched_all <= relevance.total, "{q}");
        assert_eq!(relevance.fuzzy, by_date.fuzzy, "{q}");
    }
}

fn demo_index() -> SearchIndex {
    let index = SearchIndex::create_in_ram(ConfigFiles::bundled()).unwrap();
    index.import_jsonl(include_str!("../../../demo/documents.jsonl").as_bytes()).unwrap();
    index
}

/// Pruned ranking (block-max WAND over a bound of the query) returns exactly the page that
/// scoring every match returns, with the same counts and facets.
#[test]
fn pruned_pages_are_the_exhaustive_pages() {
    let index = demo_index();
    let queries = [
        "batterifabrik",
        "beslut",
        "kommunen",
        "förskola skola",
        "bygglov detaljplan",
        "budget skola omsorg äldreomsorg",
        "forskola",
        "aldreomsorg",
        "solcellspark",
        "vatten OR avlopp",
        "förskoleverksamhet -Kiruna",
        "detaljplan granskning samråd",
        "e-tjänst",
        "badhus",
        "beslut om",
        "bygglov för förskola",
    ];
    let mut pruned_queries = 0;
    for q in queries {
        for offset in ["0", "10", "40"] {
            let mut request = SearchRequest::query(q);
            request.offset = offset.parse().unwrap();
            index.set_strategy(SearchStrategy::Exhaustive);
            let exhaustive = index.search(&request).unwrap();
            index.set_strategy(SearchStrategy::Pruned);
            let pruned = index.search(&request).unwrap();
            assert_eq!(pruned.total, exhaustive.total, "{q}@{offset}: total");
            assert_eq!(pruned.matched_all, exhaustive.matched_all, "{q}@{offset}: matched_all");
            assert!(!pruned.approximate, "{q}: 6,000 documents are counted exactly");
            assert_eq!(pruned.facets, exhaustive.facets, "{q}@{offset}: facets");
            assert_eq!(pruned.hits.len(), exhaustive.hits.len(), "{q}@{offset}: page size");
            for (index, (a, b)) in pruned.hits.iter().zip(&exhaustive.hits).enumerate() {
                assert!((a.score - b.score).abs() <= 1e-3 * b.score.abs().max(1.0), "{q}@{offset} #{index}: score");
                let tied = exhaustive.hits.iter().filter(|h| (h.score - b.score).abs() <= 1e-4).count() > 1;
                if !tied {
                    assert_eq!(a.id, b.id, "{q}@{offset} #{index}");
                }
            }
            pruned_queries += usize::from(!pruned.hits.is_empty());
        }
    }
    assert!(pruned_queries > 20);
}

/// Past the count budget, totals and facets are estimated from a sample and say so.
#[test]
fn large_counts_are_estimated_and_marked() {
    let index = demo_index();
    index.set_count_budget(100);
    let request = SearchRequest::query("kommunen");
    index.set_strategy(SearchStrategy::Exhaustive);
    let exact = index.search(&request).unwrap();
    index.set_strategy(SearchStrategy::Pruned);
    let estimated = index.search(&request).unwrap();
    assert!(exact.total > 1_000, "a common word: {}", exact.total);
    assert!(estimated.approximate);
    assert!(!exact.approximate);
    let error = (estimated.total as f64 - exact.total as f64).abs() / exact.total as f64;
    assert!(error < 0.25, "estimate {} vs exact {}", estimated.total, exact.total);
    let ids = |r: &namndsok_index::search::SearchResponse| r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&estimated), ids(&exact), "the page itself is exact");
    let kinds = |r: &namndsok_index::search::SearchResponse| r.facets.kind.iter().map(|f| f.count).sum::<u64>();
    let error = (kinds(&estimated) as f64 - kinds(&exact) as f64).abs() / kinds(&exact) as f64;
    assert!(error < 0.25, "kind facets {} vs {}", kinds(&estimated), kinds(&exact));
}

/// Date-sorted searches (a newest-first index: date ranges as runs of document ids, pages
/// from segment edges, facets counted a block at a time) count what relevance searches count,
/// page without repeating or skipping, and stay within their dates.
#[test]
fn date_sorted_searches_count_and_page_consistently() {
    use chrono::NaiveDate;
    use namndsok_index::request::Sort;
    let index = demo_index();
    let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
    for q in ["beslut", "bygglov", "kommunen", ""] {
        for range in
            [None, Some((date("2023-01-01"), date("2024-06-30"))), Some((date("2024-03-05"), date("2024-03-05")))]
        {
            let request = |sort: Sort, offset: usize, limit: usize| {
                let mut request = SearchRequest::query(q);
                request.sort = sort;
                (request.offset, request.limit) = (offset, limit);
                if let Some((from, to)) = range {
                    (request.from, request.to) = (Some(from), Some(to));
                }
                index.search(&request).unwrap()
            };
            let relevance = request(Sort::Relevance, 0, 10);
            let newest = request(Sort::DateDesc, 0, 30);
            let label = format!("{q:?} {range:?}");
            assert_eq!(newest.total, relevance.total, "{label}: total");
            assert_eq!(newest.facets, relevance.facets, "{label}: facets");
            for (sort, all) in [(Sort::DateDesc, newest), (Sort::DateAsc, request(Sort::DateAsc, 0, 30))] {
                let dates: Vec<NaiveDate> = all.hits.iter().map(|hit| hit.date).collect();
                let mut sorted = dates.clone();
                sorted.sort();
                if sort == Sort::DateDesc {
                    sorted.reverse();
                }
                assert_eq!(dates, sorted, "{label} {sort:?}: order");
                if let Some((from, to)) = range {
                    assert!(dates.iter().all(|d| (from..=to).contains(d)), "{label}: {dates:?} outside the dates");
                }
                // Three pages of ten are the page of thirty.
                let paged: Vec<String> =
                    (0..3).flat_map(|page| request(sort, page * 10, 10).hits.into_iter().map(|hit| hit.id)).collect();
                let ids: Vec<String> = all.hits.iter().map(|hit| hit.id.clone()).collect();
                assert_eq!(paged, ids, "{label} {sort:?}: paging");
            }
        }
    }
}

/// A repeated search is answered from the cache, and never after the index changed: a
/// document committed after the first answer is in the next one.
#[test]
fn cached_answers_end_with_the_next_commit() {
    let index = corpus();
    let first = index.search(&SearchRequest::query("laddplatser")).unwrap();
    assert_eq!(first.total, 1);
    let again = index.search(&SearchRequest::query("laddplatser")).unwrap();
    assert_eq!(again.hits, first.hits);
    let json = serde_json::json!({"id": "ny", "kind": "anslag", "kommun_kod": "1480", "title": "Fler laddplatser",
        "body": "Tjugo nya laddplatser.", "date": "2024-05-01"});
    let document = Document::from_json_line(&json.to_string(), Registry::global()).unwrap().document;
    index.upsert(&[document]).unwrap();
    let after = index.search(&SearchRequest::query("laddplatser")).unwrap();
    assert_eq!(after.total, 2);
    // Other parameters are other answers.
    let mut filtered = SearchRequest::query("laddplatser");
    filtered.kommun = vec!["0180".into()];
    assert_eq!(index.search(&filtered).unwrap().total, 1);
}

/// Past the count budget a newest-first search estimates its total and facets from a sample
/// of the dates asked for, says so, and still returns exactly the newest page.
#[test]
fn large_date_sorted_counts_are_sampled_within_the_dates() {
    use chrono::NaiveDate;
    use namndsok_index::request::Sort;
    let index = demo_index();
    let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
    for (q, from, to) in
        [("", None, None), ("", Some("2021-01-01"), Some("2024-06-30")), ("kommunen", Some("2020-06-01"), None)]
    {
        let mut request = SearchRequest::query(q);
        request.sort = Sort::DateDesc;
        (request.from, request.to) = (from.map(date), to.map(date));
        index.set_strategy(SearchStrategy::Exhaustive);
        let exact = index.search(&request).unwrap();
        assert!(!exact.approximate);
        index.set_strategy(SearchStrategy::Auto);
        index.set_count_budget(300);
        let sampled = index.search(&request).unwrap();
        index.set_count_budget(20_000);
        let label = format!("{q:?} {from:?}..{to:?}");
        assert!(exact.total > 1_200, "{label}: {} matches is too few to sample", exact.total);
        assert!(sampled.approximate, "{label}");
        let error = (sampled.total as f64 - exact.total as f64).abs() / exact.total as f64;
        assert!(error < 0.25, "{label}: estimated {} for {}", sampled.total, exact.total);
        let ids = |response: &namndsok_index::search::SearchResponse| {
            response.hits.iter().map(|hit| hit.id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(ids(&sampled), ids(&exact), "{label}: page");
    }
}

/// An exclusion takes away everything the excluded word finds on its own: its compound parts,
/// and the kommun a place name names (issue 15: `batterifabrik -Luleå` kept Luleå's documents).
#[test]
fn an_exclusion_removes_what_the_word_finds() {
    let index = corpus();
    // `Boden` matches Boden's documents through the kommun name, though they never say "Boden".
    assert_eq!(ids(&index, "stålverk"), ["boden"]);
    assert_eq!(ids(&index, "stålverk -Boden"), Vec::<String>::new());
    assert_eq!(ids(&index, "stålverk -Bodens"), Vec::<String>::new());
    // `batteri` is a part of `Batterifabriken`.
    assert!(ids(&index, "fabrik").contains(&"batteri".to_string()));
    assert!(!ids(&index, "fabrik -batteri").contains(&"batteri".to_string()));
    // A quoted exclusion takes away its phrase only.
    let without_phrase = ids(&index, "fabrik -\"nya fabrik\"");
    assert!(!without_phrase.contains(&"battericell".to_string()), "{without_phrase:?}");
    assert!(without_phrase.contains(&"fabriken".to_string()), "{without_phrase:?}");
}

mod exclusions {
    use std::collections::HashSet;
    use std::sync::OnceLock;

    use namndsok_index::{SearchIndex, SearchRequest, Sort};
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "skola",
        "förskola",
        "detaljplan",
        "bygglov",
        "Mariestad",
        "Luleå",
        "Boden",
        "batteri",
        "fabrik",
        "vindkraft",
        "budget",
        "motion",
        "avfall",
        "trafik",
        "granskning",
        "kommunstyrelsen",
        "forskola",
        "vatten",
        "äldreomsorg",
        "medborgarförlsag",
    ];

    fn index() -> &'static SearchIndex {
        static INDEX: OnceLock<SearchIndex> = OnceLock::new();
        INDEX.get_or_init(super::demo_index)
    }

    /// Every hit of a relevance search, page by page.
    fn all_hits(q: &str) -> HashSet<String> {
        let mut request = SearchRequest { limit: 100, ..SearchRequest::query(q) };
        let mut ids = HashSet::new();
        loop {
            let response = index().search(&request).unwrap();
            let page = response.hits.len();
            ids.extend(response.hits.into_iter().map(|hit| hit.id));
            request.offset += request.limit;
            if page == 0 || request.offset >= response.total {
                return ids;
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// For random queries `q` and words `w`, no hit of `q -w` is a hit of `w` alone, in
        /// relevance order (every tier) and in date order.
        #[test]
        fn no_hit_of_q_minus_w_is_a_hit_of_w(
            q in prop::collection::vec(prop::sample::select(WORDS), 1..3),
            w in prop::sample::select(WORDS),
        ) {
            let q = q.join(" ");
            let excluded = all_hits(w);
            let kept = all_hits(&format!("{q} -{w}"));
            let both: Vec<&String> = kept.intersection(&excluded).collect();
            prop_assert!(both.is_empty(), "{q} -{w}: {both:?}");
            let by_date = SearchRequest { sort: Sort::DateDesc, ..SearchRequest::query(&format!("{q} -{w}")) };
            let dated: HashSet<String> = index().matching_ids(&by_date).unwrap().into_iter().collect();
            prop_assert!(dated.is_disjoint(&excluded), "{q} -{w} by date");
        }
    }
}

/// Field syntax narrows like the API's filters, together with them (issue 15).
#[test]
fn query_fields_narrow_the_search() {
    let index = corpus();
    let mut found = ids(&index, "fabrik kommun:Göteborg");
    found.sort();
    assert_eq!(found, ["battericell", "fabriken"]);
    assert_eq!(ids(&index, "fabrik typ:protokoll"), ["battericell"]);
    assert_eq!(ids(&index, "fabrik datum:2024"), ["fabriken"]);
    assert_eq!(ids(&index, "dnr:\"KS 2023/412\""), ["batteri", "anslag"]);
    let mut found = ids(&index, "fabrik datum:2022-03..2023-05 lan:14");
    found.sort();
    assert_eq!(found, ["batteri", "battericell"]);
    // Both ways at once: both must hold.
    let with = |q: &str, adjust: &dyn Fn(&mut SearchRequest)| {
        let mut request = SearchRequest::query(q);
        adjust(&mut request);
        index.search(&request).unwrap().hits.into_iter().map(|hit| hit.id).collect::<Vec<_>>()
    };
    assert!(with("fabrik kommun:1480", &|r| r.kommun = vec!["1493".into()]).is_empty());
    assert_eq!(with("fabrik kommun:1480 typ:arende", &|r| r.kommun = vec!["1480".into(), "1493".into()]), ["fabriken"]);
    assert!(with("fabrik typ:protokoll", &|r| r.kind = vec![namndsok_model::Kind::Arende]).is_empty());
    assert!(with("fabrik datum:2024", &|r| r.from = chrono::NaiveDate::from_ymd_opt(2025, 1, 1)).is_empty());
    // A range that ends before it starts finds nothing, in either order.
    assert!(ids(&index, "fabrik datum:2024..2023").is_empty());
    let by_date = |r: &mut SearchRequest| r.sort = namndsok_index::Sort::DateDesc;
    assert!(with("fabrik datum:2024..2023", &by_date).is_empty());
    // A field that names nothing is searched as words: nothing in the corpus says "atlantis"
    // (date order requires every word).
    assert!(with("fabrik kommun:Atlantis", &by_date).is_empty());
    assert!(with("stålverk foo:bar", &by_date).is_empty());
    assert_eq!(with("stålverk detaljplan:stålverket", &by_date), ["boden"]);
}

/// A quoted phrase is its words in that order, stop words included; when no document has it,
/// the response says so (`matched_all` 0 with `has_phrase`) and the looser matches follow.
#[test]
fn a_quoted_phrase_means_its_words_in_order_stop_words_included() {
    let index = corpus();
    let by_date = |q: &str| {
        let request = SearchRequest { sort: namndsok_index::Sort::DateDesc, ..SearchRequest::query(q) };
        index.search(&request).unwrap().hits.into_iter().map(|hit| hit.id).collect::<Vec<_>>()
    };
    // (query, what date order — exact matches only — finds, whether the phrase is found)
    let table: [(&str, &[&str], bool); 7] = [
        ("\"fabrik för battericeller\"", &["battericell"], true),
        ("\"detaljplan för\"", &["boden"], true),
        ("\"detaljplan för stålverket\"", &["boden"], true),
        // The stop word is part of the phrase: another one in its place is not the phrase.
        ("\"detaljplan om stålverket\"", &[], false),
        ("\"fabrik i battericeller\"", &[], false),
        // Without stop words a phrase matches inflected forms.
        ("\"ny fabrik\"", &["fabriken"], true),
        ("\"fabriker för battericell\"", &[], false),
    ];
    for (q, exact, found) in table {
        assert_eq!(by_date(q), exact, "{q}");
        let answer = index.search(&SearchRequest::query(q)).unwrap();
        assert!(answer.has_phrase, "{q}");
        assert_eq!(answer.matched_all > 0, found, "{q}");
        // The exact matches rank first; a missing phrase still gets the looser matches.
        let ranked: Vec<&str> = answer.hits.iter().map(|hit| hit.id.as_str()).collect();
        assert_eq!(&ranked[..exact.len()], exact, "{q}: {ranked:?}");
        if !found {
            assert!(!ranked.is_empty(), "{q}: the words apart are still offered");
        }
    }
    assert!(!index.search(&SearchRequest::query("fabrik")).unwrap().has_phrase);
    // An excluded phrase takes away the phrase only.
    assert_eq!(ids(&index, "stålverk -\"detaljplan för stålverket\""), Vec::<String>::new());
    assert_eq!(ids(&index, "stålverk -\"detaljplan om stålverket\""), ["boden"]);
}

/// `namnd:` names a nämnd the index holds (case and å/ä/ö aside, or a word it starts), and
/// `titel:` keeps the documents with its words in the title.
#[test]
fn namnd_and_titel_fields_narrow_the_search() {
    let index = SearchIndex::create_in_ram(ConfigFiles::bundled()).unwrap();
    let documents: Vec<Document> = [
        ("garage", "Byggnadsnämnden", "Bygglov för garage", "Enligt kommunens policy."),
        ("carport", "Bygg- och miljönämnden", "Bygglov för carport", "Beslut om bygglov."),
        ("policy", "Kommunstyrelsen", "Policy för bygglov", "Byggnadsnämnden yttrar sig."),
    ]
    .iter()
    .map(|(id, organ, title, body)| {
        let json = serde_json::json!({"id": id, "kind": "arende", "kommun_kod": "1480", "organ": organ, "title": title, "body": body, "date": "2024-01-10"});
        Document::from_json_line(&json.to_string(), Registry::global()).unwrap().document
    })
    .collect();
    index.upsert(&documents).unwrap();
    let sorted = |q: &str| {
        let mut found = ids(&index, q);
        found.sort();
        found
    };
    let table: [(&str, &[&str]); 8] = [
        ("bygglov namnd:byggnadsnämnden", &["garage"]),
        ("bygglov namnd:Byggnadsnamnden", &["garage"]),
        ("bygglov nämnd:bygg", &["carport", "garage"]),
        ("bygglov namnd:miljönämnden", &["carport"]),
        ("namnd:\"bygg- och miljönämnden\"", &["carport"]),
        ("policy", &["garage", "policy"]),
        ("titel:policy", &["policy"]),
        ("titel:bygglov namnd:kommunstyrelsen", &["policy"]),
    ];
    for (q, expected) in table {
        assert_eq!(sorted(q), expected, "{q}");
    }
    // A nämnd the index does not hold is searched as its words: "kulturnämnden" is in no
    // document (date order requires every word).
    let by_date =
        SearchRequest { sort: namndsok_index::Sort::DateDesc, ..SearchRequest::query("bygglov namnd:kulturnämnden") };
    assert!(index.search(&by_date).unwrap().hits.is_empty());
    // With the organ parameter, both must hold.
    let request = SearchRequest { organ: vec!["Kommunstyrelsen".into()], ..SearchRequest::query("bygglov namnd:bygg") };
    assert!(index.search(&request).unwrap().hits.is_empty());
}
