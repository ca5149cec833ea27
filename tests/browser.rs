//! The web page in a real headless Chromium, driven over WebDriver (chromedriver), against a
//! `namndsok serve` on the demo data: type a query, filter from the facet list and from the
//! map, open a document, follow the Atom link, and check a hostile title is shown as text.
//! A screenshot of the search page with the map is saved as a test artifact.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them and sets
//! `NAMNDSOK_REQUIRE_BROWSER=1`, which makes their absence a failure). Elsewhere the test says
//! loudly that it was skipped.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{encode, import, request, Server};
use serde_json::{json, Value};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    child: Child,
    address: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = request(&self.address, "DELETE", &format!("/session/{}", self.session), None);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start() -> Option<Driver> {
        if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
            assert!(
                std::env::var("NAMNDSOK_REQUIRE_BROWSER").is_err(),
                "NAMNDSOK_REQUIRE_BROWSER is set but {CHROMEDRIVER} or {CHROMIUM} is missing"
            );
            eprintln!("SKIPPED: the browser test needs chromium and chromium-driver (apt-get install chromium chromium-driver)");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let address = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(&address).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1600",
                format!("--user-data-dir={}", profile.path().display()),
            ]}
        }}});
        let response = request(&address, "POST", "/session", Some(&capabilities.to_string()));
        let body: Value = serde_json::from_str(&response.body).expect("session JSON");
        let session = body["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {body}")).to_string();
        Some(Driver { child, address, session, _profile: profile })
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        let response = request(&self.address, method, &path, body.map(|b| b.to_string()).as_deref());
        let value: Value = serde_json::from_str(&response.body).unwrap_or(Value::Null);
        assert!(response.status < 400, "{method} {path}: {}", response.body);
        value["value"].clone()
    }

    fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({"url": url})));
    }

    fn url(&self) -> String {
        self.call("GET", "/url", None).as_str().unwrap().to_string()
    }

    fn find(&self, css: &str) -> String {
        let value = self.call("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        value[ELEMENT].as_str().unwrap_or_else(|| panic!("no element {css}")).to_string()
    }

    fn find_all(&self, css: &str) -> Vec<String> {
        let value = self.call("POST", "/elements", Some(json!({"using": "css selector", "value": css})));
        value.as_array().unwrap().iter().map(|e| e[ELEMENT].as_str().unwrap().to_string()).collect()
    }

    fn text(&self, element: &str) -> String {
        self.call("GET", &format!("/element/{element}/text"), None).as_str().unwrap_or("").to_string()
    }

    fn attribute(&self, element: &str, name: &str) -> String {
        self.call("GET", &format!("/element/{element}/attribute/{name}"), None).as_str().unwrap_or("").to_string()
    }

    fn property(&self, element: &str, name: &str) -> String {
        self.call("GET", &format!("/element/{element}/property/{name}"), None).as_str().unwrap_or("").to_string()
    }

    fn click(&self, element: &str) {
        self.call("POST", &format!("/element/{element}/click"), Some(json!({})));
    }

    fn type_text(&self, element: &str, text: &str) {
        self.call("POST", &format!("/element/{element}/value"), Some(json!({"text": text})));
    }

    fn screenshot(&self) -> Vec<u8> {
        decode_base64(self.call("GET", "/screenshot", None).as_str().unwrap())
    }

    fn has_alert(&self) -> bool {
        let path = format!("/session/{}/alert/text", self.session);
        request(&self.address, "GET", &path, None).status < 400
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            _ => 63,
        }
    };
    let bytes: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace() && *b != b'=').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut buffer = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            buffer |= value(c) << (18 - 6 * i);
        }
        out.push((buffer >> 16) as u8);
        if chunk.len() > 2 {
            out.push((buffer >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(buffer as u8);
        }
    }
    out
}

#[test]
fn search_filter_map_document_feed_and_escaping_in_chromium() {
    let Some(driver) = Driver::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/documents.jsonl");
    assert!(import(&index, &[&demo]).status.success());
    let server = Server::start(&index);
    let base = format!("http://{}", server.address);

    // Type a query and submit it with the keyboard.
    driver.goto(&format!("{base}/"));
    let input = driver.find("#q");
    driver.type_text(&input, "batterifabrik\u{E007}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !driver.url().contains("q=batterifabrik") {
        assert!(Instant::now() < deadline, "the form did not submit: {}", driver.url());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(driver.property(&driver.find("#q"), "value"), "batterifabrik", "the box keeps the query");
    let heading = driver.text(&driver.find("#resultat-rubrik"));
    assert!(heading.ends_with("träffar"), "{heading}");
    assert!(!driver.find_all(".hits mark").is_empty(), "hits are highlighted");

    // Filter on a kommun from the facet list.
    let mariestad = driver
        .find_all(".facet-kommun a")
        .into_iter()
        .find(|link| driver.text(link).starts_with("Mariestad"))
        .expect("Mariestad in the kommun facet");
    driver.click(&mariestad);
    assert!(driver.url().contains("kommun=1493"), "{}", driver.url());
    let metas = driver.find_all(".hits .meta");
    assert!(!metas.is_empty());
    for meta in &metas {
        assert!(driver.text(meta).contains("Mariestad"), "{}", driver.text(meta));
    }

    // Screenshot of the search page with the map, as a test artifact.
    driver.goto(&format!("{base}/?q=batterifabrik"));
    let png = driver.screenshot();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    std::fs::write(artifacts.join("search-with-map.png"), &png).unwrap();

    // Filter on a kommun from the map.
    let goteborg = driver.find("svg.kommunkarta a[data-kommun=\"1480\"]");
    assert!(driver.attribute(&goteborg, "aria-label").starts_with("Göteborg: "));
    driver.click(&driver.find("svg.kommunkarta a[data-kommun=\"1480\"] path"));
    assert!(driver.url().contains("kommun=1480"), "{}", driver.url());
    for meta in driver.find_all(".hits .meta") {
        assert!(driver.text(&meta).contains("Göteborg"), "{}", driver.text(&meta));
    }

    // Open a document.
    let first = driver.find(".hits h3 a");
    let title = driver.text(&first);
    driver.click(&first);
    assert!(driver.url().contains("/d/"), "{}", driver.url());
    assert_eq!(driver.text(&driver.find("h1")), title);
    assert!(!driver.find_all("dl.fields dt").is_empty());

    // Follow the Atom link of the search.
    driver.goto(&format!("{base}/?q=batterifabrik"));
    let feed_url = driver.property(&driver.find(".follow a"), "href");
    assert!(feed_url.starts_with(&format!("{base}/api/v1/search.atom?")), "{feed_url}");
    let path = feed_url.trim_start_matches(&base);
    let feed = common::get(&server.address, path);
    assert_eq!(feed.status, 200);
    assert!(feed.header("content-type").unwrap().starts_with("application/atom+xml"));
    assert!(feed.body.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\"") && feed.body.contains("<entry>"));

    // A hostile title is shown as text and runs nothing.
    driver.goto(&format!("{base}/?q={}", encode("Test av rubrik")));
    let hostile = driver
        .find_all(".hits h3 a")
        .into_iter()
        .map(|link| driver.text(&link))
        .find(|text| text.contains("alert(1)"))
        .expect("the hostile title is listed");
    assert_eq!(hostile, "<script>alert(1)</script> Test av rubrik");
    assert!(!driver.has_alert(), "no script ran");
}
