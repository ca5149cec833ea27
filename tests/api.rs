//! The public contract over real HTTP: `namndsok import` on a fixture with bad lines, then
//! `namndsok serve` on 127.0.0.1 and every parameter of `GET /api/v1/search`.

mod common;

use common::{encode, fixture, ids, import, Server};
use serde_json::Value;

fn served_fixture() -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let output = import(&index, &[&fixture("documents.jsonl")]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let server = Server::start(&index);
    (dir, server)
}

fn search(server: &Server, query: &str) -> Value {
    server.json(&format!("/api/v1/search?{query}"))
}

#[test]
fn import_reports_bad_lines_and_upserts() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let output = import(&index, &[&fixture("documents.jsonl")]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("imported 11, replaced 1, rejected 3"), "{stdout}");
    assert!(stderr.contains("documents.jsonl:11: rejected: not valid JSON"), "{stderr}");
    assert!(stderr.contains("documents.jsonl:12: rejected: field `kind`"), "{stderr}");
    assert!(stderr.contains("documents.jsonl:13: rejected: unknown kommun_kod \"9999\""), "{stderr}");
    assert!(stderr.contains("documents.jsonl:10: warning: unknown field `extra_field` ignored"), "{stderr}");

    // The same file again replaces, never duplicates.
    let again = import(&index, &[&fixture("documents.jsonl")]);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("imported 0, replaced 12, rejected 3"), "{stdout}");
    assert!(stdout.contains("index now holds 11 documents"), "{stdout}");
}

#[test]
fn import_of_nothing_usable_fails() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"id\": 1}\nnot json\n").unwrap();
    let output = import(&dir.path().join("index"), &[&bad]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("nothing could be imported"));
    let missing = import(&dir.path().join("index"), &[&dir.path().join("missing.jsonl")]);
    assert!(!missing.status.success());
    assert_eq!(String::from_utf8_lossy(&missing.stderr).trim().lines().count(), 1, "one clear line");
}

#[test]
fn search_contract_over_http() {
    let (_dir, server) = served_fixture();

    let health = server.json("/healthz");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["documents"], 11);

    // Words: compounds and inflections of batterifabrik.
    let response = search(&server, "q=batterifabrik");
    let found = ids(&response);
    for id in ["t-1493-1", "t-1493-2"] {
        assert!(found.contains(&id.to_string()), "{id} in {found:?}");
    }
    // Full matches are counted; near matches are ranked after them and counted apart.
    let (total, near) = (response["total"].as_u64().unwrap(), response["near_matches"].as_u64().unwrap());
    assert_eq!((total + near) as usize, found.len(), "{response}");
    assert_eq!(response["matched_all"], response["total"]);
    let first = &response["hits"][0];
    for field in [
        "id",
        "kind",
        "kommun_kod",
        "kommun",
        "organ",
        "diarienummer",
        "title",
        "snippet",
        "date",
        "publish_from",
        "publish_to",
        "url",
        "score",
    ] {
        assert!(first.get(field).is_some(), "hit has {field}: {first}");
    }
    assert!(
        response["hits"].as_array().unwrap().iter().any(|h| h["snippet"].as_str().unwrap().contains("<mark>")),
        "{response}"
    );
    assert!(response["took_ms"].is_u64());

    // Facets with counts and labels.
    let facets = &response["facets"];
    let mariestad =
        facets["kommun"].as_array().unwrap().iter().find(|f| f["value"] == "1493").expect("Mariestad facet");
    assert_eq!(mariestad["label"], "Mariestad");
    assert!(mariestad["count"].as_u64().unwrap() >= 2);
    for facet in ["kommun", "kind", "organ", "year"] {
        let values = facets[facet].as_array().unwrap();
        let sum: u64 = values.iter().map(|v| v["count"].as_u64().unwrap()).sum();
        assert!(!values.is_empty(), "{facet}");
        if facet != "organ" {
            assert_eq!(sum, response["total"].as_u64().unwrap(), "{facet} counts add up");
        }
    }

    // The total and the facets are the same whatever the sort: the documents that match the
    // whole query. A relevance search adds near matches after them, labelled by their count.
    for q in [
        "batterifabrik",
        "batterifabrik+Luleå",
        "batteri+fabrik+skola",
        "%22ny+batterifabrik%22",
        "förskola",
        "kommun:1493",
    ] {
        let relevance = search(&server, &format!("q={q}&limit=100"));
        for sort in ["date_desc", "date_asc"] {
            let dated = search(&server, &format!("q={q}&limit=100&sort={sort}"));
            assert_eq!(relevance["total"], dated["total"], "{q} {sort}");
            assert_eq!(relevance["facets"], dated["facets"], "{q} {sort}");
            assert_eq!(dated["near_matches"], 0, "{q} {sort}");
            assert_eq!(dated["hits"].as_array().unwrap().len() as u64, dated["total"].as_u64().unwrap(), "{q} {sort}");
            // The full matches are the first hits of the relevance order.
            let total = dated["total"].as_u64().unwrap() as usize;
            let mut first: Vec<String> = ids(&relevance).into_iter().take(total).collect();
            let mut full = ids(&dated);
            first.sort();
            full.sort();
            assert_eq!(first, full, "{q} {sort}");
        }
    }

    // Filters.
    assert_eq!(ids(&search(&server, "q=batterifabrik&kommun=1480")), ["t-1480-1"]);
    assert!(ids(&search(&server, "q=batterifabrik&kommun=1480&kommun=1493")).len() >= 3);
    let in_lan = ids(&search(&server, "q=batteri&lan=14"));
    assert!(in_lan.contains(&"t-14-1".to_string()), "the region is in its län: {in_lan:?}");
    assert!(!in_lan.iter().any(|id| id.starts_with("t-2482")));
    assert_eq!(ids(&search(&server, "q=batterifabrik&kind=anslag")), Vec::<String>::new());
    assert_eq!(ids(&search(&server, "kind=anslag&kommun=1493")), ["t-1493-3"]);
    assert_eq!(ids(&search(&server, &format!("organ={}", encode("Utbildningsnämnden")))), ["t-0180-1"]);
    let dated = ids(&search(&server, "from=2023-06-01&to=2023-06-30"));
    assert_eq!(dated.len(), 2, "{dated:?}");

    // Sorting.
    let newest = search(&server, "sort=date_desc&limit=100");
    let dates: Vec<&str> = newest["hits"].as_array().unwrap().iter().map(|h| h["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    let oldest = search(&server, "sort=date_asc&limit=1");
    assert_eq!(oldest["hits"][0]["date"], "2020-11-11");

    // Paging: walk every page with the cursor; no duplicates, nothing missing.
    let mut seen = Vec::new();
    let mut query = "sort=date_desc&limit=5".to_string();
    loop {
        let page = search(&server, &query);
        assert_eq!(page["total"], 11);
        seen.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("sort=date_desc&limit=5&cursor={}", encode(cursor)),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (11, 11));
}

#[test]
fn query_language() {
    let (_dir, server) = served_fixture();
    // A diarienummer typed any way puts that case first.
    for typed in ["KS 2023/412", "Dnr KS 2023/412", "ks2023.412", "ks 2023-412", "KS 2023/0412"] {
        let found = ids(&search(&server, &format!("q={}", encode(typed))));
        assert_eq!(found.first().map(String::as_str), Some("t-1493-1"), "{typed}: the case itself first");
        assert!(found.iter().take(3).all(|id| id.starts_with("t-1493-")), "{typed}: {found:?}");
        assert_eq!(found.len(), 3, "{typed}: {found:?}");
    }
    assert_eq!(ids(&search(&server, &format!("q={}", encode("SBN 2021-512"))))[0], "t-2482-1");

    // Phrases, exclusion, OR.
    let phrase = ids(&search(&server, &format!("q={}", encode("\"gång- och cykelväg\""))));
    assert_eq!(phrase, ["t-0180-2"]);
    let excluded = ids(&search(&server, &format!("q={}", encode("batterifabrik -markanvisningsavtal"))));
    assert!(!excluded.contains(&"t-1493-2".to_string()) && !excluded.contains(&"t-1493-1".to_string()), "{excluded:?}");
    let either = ids(&search(&server, &format!("q={}", encode("förskola OR äldreboende"))));
    assert!(either.contains(&"t-0180-1".to_string()) && either.contains(&"t-1490-1".to_string()), "{either:?}");
    // Documents with every word first; `matched_all` counts them.
    let both = search(&server, &format!("q={}", encode("batterifabrik torslanda")));
    assert_eq!(ids(&both)[0], "t-1480-1");
    assert_eq!(both["matched_all"], 1);
    let strict = search(&server, &format!("q={}&sort=date_desc", encode("batterifabrik torslanda")));
    assert_eq!(ids(&strict), ["t-1480-1"], "sorted by date, every word must match");

    // Malformed syntax is searched, never a 500.
    for hostile in
        ["\"unclosed", "((( fabrik", "OR", "-", "\"\"", ")(", "*", "AND OR NOT", "fabrik\u{0}", "'; DROP TABLE"]
    {
        let response = server.get(&format!("/api/v1/search?q={}", encode(hostile)));
        assert_eq!(response.status, 200, "{hostile}: {}", response.body);
    }
}

#[test]
fn errors_are_json_and_name_the_parameter() {
    let (_dir, server) = served_fixture();
    for query in [
        "limit=0",
        "limit=abc",
        "kommun=9999",
        "lan=99",
        "kind=beslut",
        "from=2023-02-30",
        "sort=random",
        "cursor=nope",
        "colour=red",
    ] {
        let response = server.get(&format!("/api/v1/search?{query}"));
        assert_eq!(response.status, 400, "{query}");
        let body: Value = serde_json::from_str(&response.body).unwrap();
        assert_eq!(body["error"]["code"], "invalid_parameter", "{query}");
        let parameter = query.split('=').next().unwrap();
        assert!(body["error"]["message"].as_str().unwrap().contains(parameter), "{query}: {body}");
    }
    let missing = server.get("/api/v1/documents/does-not-exist");
    assert_eq!(missing.status, 404);
    let body: Value = serde_json::from_str(&missing.body).unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(server.get("/no/such/route").status, 404);
}

#[test]
fn documents_by_id_and_escaping() {
    let (_dir, server) = served_fixture();
    let document = server.json("/api/v1/documents/t-1493-3");
    assert_eq!(document["kommun"], "Mariestad");
    assert_eq!(document["publish_to"], "2023-07-07");
    assert_eq!(document["last_day_of_appeal"], "2023-07-07");
    let filled = server.json("/api/v1/documents/t-1480-1");
    assert_eq!(filled["kommun"], "Göteborg", "the name comes from the registry");

    // Source text is returned as data; snippets are HTML with the text escaped.
    let hostile = search(&server, "q=fabriken&kommun=0114");
    assert_eq!(hostile["hits"][0]["title"], "<script>alert(1)</script> Fabrik");
    let snippet = hostile["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("&lt;b&gt;taggar&lt;/b&gt; &amp; tecken"), "{snippet}");
    assert!(snippet.contains("<mark>fabriken</mark>"), "{snippet}");
}

#[test]
fn graceful_shutdown_on_sigterm() {
    let (_dir, server) = served_fixture();
    assert_eq!(server.get("/healthz").status, 200);
    let status = server.stop();
    assert!(status.success(), "clean exit on SIGTERM: {status:?}");
}

#[test]
fn the_atom_feed_of_a_search_parses_with_a_feed_parser() {
    let (_dir, server) = served_fixture();
    let response = server.get(&format!("/api/v1/search.atom?q={}&kommun=0114", encode("fabrik")));
    assert_eq!(response.status, 200);
    assert!(response.header("content-type").unwrap().starts_with("application/atom+xml"));
    let feed = atom_syndication::Feed::read_from(response.body.as_bytes()).expect("valid Atom");
    assert_eq!(feed.entries().len(), 1);
    let entry = &feed.entries()[0];
    assert_eq!(entry.title().as_str(), "<script>alert(1)</script> Fabrik", "hostile text survives as text");
    assert!(entry.links()[0].href().ends_with("/d/t-xss"), "{}", entry.links()[0].href());
    assert!(entry.id().contains("t-xss"));

    // Every word must match in a feed, newest first.
    let response = server.get(&format!("/api/v1/search.atom?q={}", encode("batterifabrik")));
    let feed = atom_syndication::Feed::read_from(response.body.as_bytes()).expect("valid Atom");
    let dates: Vec<String> = feed.entries().iter().map(|e| e.updated().to_rfc3339()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    assert!(feed.entries().len() >= 2);
    assert_eq!(server.get("/api/v1/search.atom?cursor=x").status, 400);
}

#[test]
fn responses_are_gzipped_for_clients_that_accept_it() {
    use std::io::{Read, Write};
    let (_dir, server) = served_fixture();
    let mut stream = std::net::TcpStream::connect(&server.address).unwrap();
    write!(stream, "GET /?q=fabrik HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let head = String::from_utf8_lossy(&raw[..raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap()]).to_lowercase();
    assert!(head.contains("content-encoding: gzip"), "{head}");
    assert!(head.contains("content-security-policy"), "{head}");
}

/// Every rule of the query language over HTTP, date-sorted (full matches only) so that each row
/// says exactly which documents the query means; phrase rows also say whether the phrase was
/// found.
#[test]
fn the_query_language_over_http() {
    let (_dir, server) = served_fixture();
    // (q, the ids a date-sorted search returns, sorted)
    let table: &[(&str, &[&str])] = &[
        ("batterifabrik", &["t-1480-1", "t-1493-1", "t-1493-2"]),
        // Exclusions take away everything the word finds alone: its forms, and the kommun it names.
        ("batterifabrik -markanvisningsavtal", &["t-1480-1"]),
        ("batterifabrik -Mariestad", &["t-1480-1"]),
        ("fabrik -\"fabrik för battericeller\"", &["t-1493-1", "t-1493-2", "t-2482-1", "t-xss"]),
        // Phrases: the words in order, stop words included.
        ("\"detaljplan för\"", &["t-1280-1", "t-1480-1"]),
        ("\"detaljplan för en fabrik\"", &["t-1480-1"]),
        ("\"detaljplan om en fabrik\"", &[]),
        ("\"gång- och cykelväg\"", &["t-0180-2"]),
        // Fields.
        ("batterifabrik kommun:Göteborg", &["t-1480-1"]),
        ("batterifabrik kommun:1493", &["t-1493-1", "t-1493-2"]),
        ("batteri lan:\"Västra Götaland\"", &["t-14-1", "t-1480-1", "t-1493-1", "t-1493-2"]),
        ("batteri lan:14", &["t-14-1", "t-1480-1", "t-1493-1", "t-1493-2"]),
        ("batterifabrik typ:protokoll", &["t-1493-2"]),
        ("namnd:utbildningsnämnden", &["t-0180-1"]),
        ("förskola namnd:utbildning", &["t-0180-1"]),
        ("titel:markanvisningsavtal", &["t-1493-2"]),
        ("dnr:\"KS 2023/412\"", &["t-1493-1", "t-1493-2", "t-1493-3"]),
        ("fabrik datum:2022..2023", &["t-1480-1", "t-1493-1", "t-1493-2"]),
        ("fabrik datum:2024", &["t-xss"]),
        // An unknown field, or one that names nothing, is searched as its words.
        ("hästen färg:okänd", &[]),
        ("batterifabrik kommun:Atlantis", &[]),
    ];
    let mut wrong = Vec::new();
    for (q, expected) in table {
        let response = search(&server, &format!("q={}&sort=date_desc&limit=100", encode(q)));
        let mut found = ids(&response);
        found.sort();
        if found != *expected {
            wrong.push(format!("{q}: {found:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    for (q, expected) in table {
        let response = search(&server, &format!("q={}&sort=date_desc&limit=100", encode(q)));
        assert_eq!(response["total"].as_u64().unwrap() as usize, expected.len(), "{q}");
        if q.contains('"') && !q.contains('-') && !q.contains(':') {
            assert_eq!(response["phrase_found"], !expected.is_empty(), "{q}: {response}");
        }
    }
    // A phrase nobody wrote: relevance still offers its words, after saying so.
    let missing = search(&server, &format!("q={}", encode("\"detaljplan om en fabrik\"")));
    assert_eq!(missing["phrase_found"], false);
    assert_eq!(missing["total"], 0);
    assert!(missing["near_matches"].as_u64().unwrap() > 0, "{missing}");
    assert!(!ids(&missing).is_empty());
    let page = server.get(&format!("/?q={}", encode("\"detaljplan om en fabrik\"")));
    assert!(page.body.contains("Ingen handling innehåller frasen ordagrant"), "{}", page.body);
    assert!(page.body.contains("Inte exakt fras"));
    // The help page documents every field.
    let help = server.get("/hjalp");
    assert_eq!(help.status, 200);
    for field in ["kommun:", "lan:", "namnd:", "typ:", "titel:", "dnr:", "datum:", "exakt fras", "-ord"] {
        assert!(help.body.contains(field), "{field}");
    }
}

/// `namndsok healthcheck` (the container's health check) says ok for a serving server and
/// fails, with the reason, where nothing answers.
#[test]
fn the_healthcheck_command_asks_healthz() {
    let (_dir, server) = served_fixture();
    let run = |addr: &str| {
        std::process::Command::new(common::binary()).args(["healthcheck", "--addr", addr]).output().unwrap()
    };
    let ok = run(&server.address);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert_eq!(String::from_utf8_lossy(&ok.stdout).trim(), "ok");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let down = run(&closed.to_string());
    assert!(!down.status.success());
    assert!(
        String::from_utf8_lossy(&down.stderr).contains("nothing answers"),
        "{}",
        String::from_utf8_lossy(&down.stderr)
    );
}

/// Per-client rate limits: past its burst a client is answered 429 with Retry-After (JSON for
/// the API, a Swedish page for the web page, one quota for both); sign-up has its own quota;
/// other routes are not limited.
#[test]
fn a_client_over_its_quota_is_told_when_to_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    import(&index, &[&fixture("documents.jsonl")]);
    let limits =
        ["--search-burst", "3", "--search-per-second", "0.01", "--signup-burst", "1", "--signup-per-minute", "0.01"];
    let server = Server::start_with(&index, &limits);
    for _ in 0..3 {
        assert_eq!(server.get("/api/v1/search?q=batterifabrik").status, 200);
    }
    let refused = server.get("/api/v1/search?q=batterifabrik");
    assert_eq!(refused.status, 429);
    let wait: u64 = refused.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!(wait >= 1, "{wait}");
    let body: serde_json::Value = serde_json::from_str(&refused.body).unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    let page = server.get("/?q=batterifabrik");
    assert_eq!(page.status, 429);
    assert!(page.body.contains("Försök igen om"), "{}", page.body);
    assert!(page.header("retry-after").is_some());
    // Not limited: health, documents, the help page.
    assert_eq!(server.get("/healthz").status, 200);
    assert_eq!(server.get("/api/v1/documents/t-1493-1").status, 200);
    assert_eq!(server.get("/hjalp").status, 200);
    // Sign-up: one, then refused.
    let signup = |email: &str| {
        common::request(&server.address, "POST", "/api/v1/accounts", Some(&format!(r#"{{"email":"{email}"}}"#))).status
    };
    assert_ne!(signup("a@example.org"), 429);
    assert_eq!(signup("b@example.org"), 429);
    // Without limits nothing is refused.
    let unlimited = Server::start_with(&index, &["--no-rate-limits"]);
    for _ in 0..20 {
        assert_eq!(unlimited.get("/api/v1/search?q=fabrik").status, 200);
    }
}
