//! Saved searches and alerts end to end, through the real `namndsok` binary on 127.0.0.1: an
//! SMTP server and a webhook receiver started by this test capture what is delivered.
//!
//! - accounts from the operator CLI and by e-mail confirmation, searches saved over HTTP,
//!   documents ingested, mail and a signed webhook delivered, the private feed, one-click
//!   unsubscribe, and one account kept out of another's searches;
//! - a crash (SIGKILL) while a delivery is pending: after the restart the mail arrives exactly
//!   once, with the delivery id matching computed before the crash.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{binary, fixture, import, send, Response, Server};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

const PUBLIC_URL: &str = "http://namndsok.test";
const FROM: &str = "bevakning@namndsok.example";

// --- servers capturing deliveries -------------------------------------------------------

/// A thread accepting connections one at a time until dropped.
struct Listener {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn listen(listener: TcpListener, mut handle: impl FnMut(TcpStream) + Send + 'static) -> Listener {
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let thread = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(120);
        while !flag.load(Ordering::SeqCst) && Instant::now() < deadline {
            match listener.accept() {
                Ok((stream, _)) => {
                    stream.set_nonblocking(false).unwrap();
                    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                    handle(stream);
                }
                Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(_) => break,
            }
        }
    });
    Listener { port, stop, thread: Some(thread) }
}

/// One message as the SMTP server received it.
#[derive(Debug, Clone)]
struct Mail {
    to: String,
    data: String,
}

impl Mail {
    /// A header's value, unfolded, with RFC 2047 (base64) encoded words decoded; the space
    /// between two adjacent encoded words is dropped (RFC 2047 §6.2).
    fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap().replace("\r\n ", " ");
        let line = head.lines().find(|line| line.split_once(':').is_some_and(|(k, _)| k.eq_ignore_ascii_case(name)))?;
        let value = line.split_once(':').unwrap().1.trim();
        let mut out = String::new();
        let mut previous_encoded = false;
        for (index, part) in value.split(' ').enumerate() {
            let prefix = part.get(..10).filter(|p| p.eq_ignore_ascii_case("=?UTF-8?B?"));
            let encoded = prefix.and_then(|_| part[10..].strip_suffix("?="));
            if index > 0 && !(previous_encoded && encoded.is_some()) {
                out.push(' ');
            }
            match encoded {
                Some(encoded) => out.push_str(&String::from_utf8(base64_decode(encoded)).unwrap()),
                None => out.push_str(part),
            }
            previous_encoded = encoded.is_some();
        }
        Some(out)
    }

    /// The body, quoted-printable decoded when it was sent so.
    fn body(&self) -> String {
        let raw = self.data.split_once("\r\n\r\n").unwrap().1;
        match self.header("Content-Transfer-Encoding").as_deref() {
            Some("quoted-printable") => {
                let decoded = quoted_printable::decode(raw, quoted_printable::ParseMode::Strict).unwrap();
                String::from_utf8(decoded).unwrap()
            }
            _ => raw.to_string(),
        }
    }

    /// The path of the first link in the body that starts with `{PUBLIC_URL}{prefix}`.
    fn link(&self, prefix: &str) -> String {
        let start = format!("{PUBLIC_URL}{prefix}");
        let body = self.body();
        let link = body
            .split_whitespace()
            .find(|word| word.starts_with(&start))
            .unwrap_or_else(|| panic!("no {start} link in {body}"));
        link.trim_start_matches(PUBLIC_URL).to_string()
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut bits, mut count, mut out) = (0u32, 0, Vec::new());
    for byte in text.bytes().filter(|b| *b != b'=') {
        bits = (bits << 6) | ALPHABET.iter().position(|c| *c == byte).unwrap() as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

/// A minimal SMTP server keeping every message.
struct SmtpServer {
    _listener: Listener,
    port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpServer {
    fn start() -> SmtpServer {
        SmtpServer::on(TcpListener::bind("127.0.0.1:0").unwrap())
    }

    fn on(listener: TcpListener) -> SmtpServer {
        let mails = Arc::new(Mutex::new(Vec::new()));
        let captured = mails.clone();
        let listener = listen(listener, move |stream| {
            if let Some(mail) = smtp_session(stream) {
                captured.lock().unwrap().push(mail);
            }
        });
        SmtpServer { port: listener.port, _listener: listener, mails }
    }

    fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }

    /// Waits until `count` messages arrived (panics after 20 s).
    fn wait_for(&self, count: usize) -> Vec<Mail> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let mails = self.mails();
            if mails.len() >= count {
                return mails;
            }
            assert!(Instant::now() < deadline, "waited for {count} mails, got {}", mails.len());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn smtp_session(stream: TcpStream) -> Option<Mail> {
    let mut writer = stream.try_clone().ok()?;
    let mut reader = BufReader::new(stream);
    let mut say = |text: &str| writer.write_all(text.as_bytes()).ok();
    say("220 test.local ESMTP\r\n")?;
    let mut mail = Mail { to: String::new(), data: String::new() };
    let mut got_data = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return got_data.then_some(mail);
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            say("250-test.local\r\n250 8BITMIME\r\n")?;
        } else if upper.starts_with("MAIL FROM:") {
            say("250 OK\r\n")?;
        } else if upper.starts_with("RCPT TO:") {
            mail.to = command[8..].trim_matches(|c| c == '<' || c == '>').to_string();
            say("250 OK\r\n")?;
        } else if upper == "DATA" {
            say("354 go on\r\n")?;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).ok()? == 0 {
                    return None;
                }
                if line == ".\r\n" {
                    break;
                }
                mail.data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            mail.data = mail.data.trim_end_matches("\r\n").to_string();
            got_data = true;
            say("250 queued\r\n")?;
        } else if upper == "QUIT" {
            say("221 bye\r\n")?;
            return got_data.then_some(mail);
        } else {
            say("502 no\r\n")?;
        }
    }
}

/// One webhook POST.
#[derive(Debug, Clone)]
struct Hook {
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

/// A webhook receiver answering 200 to everything.
struct Receiver {
    _listener: Listener,
    port: u16,
    hooks: Arc<Mutex<Vec<Hook>>>,
}

impl Receiver {
    fn start() -> Receiver {
        let hooks = Arc::new(Mutex::new(Vec::new()));
        let captured = hooks.clone();
        let listener = listen(TcpListener::bind("127.0.0.1:0").unwrap(), move |stream| {
            if let Some(hook) = http_exchange(stream) {
                captured.lock().unwrap().push(hook);
            }
        });
        Receiver { port: listener.port, _listener: listener, hooks }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    fn wait_for(&self, count: usize) -> Vec<Hook> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let hooks = self.hooks.lock().unwrap().clone();
            if hooks.len() >= count {
                return hooks;
            }
            assert!(Instant::now() < deadline, "waited for {count} webhooks, got {}", hooks.len());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn http_exchange(stream: TcpStream) -> Option<Hook> {
    let mut writer = stream.try_clone().ok()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (key, value) = line.split_once(':')?;
        headers.insert(key.trim().to_ascii_lowercase(), value.trim().to_string());
    }
    let length: usize = headers.get("content-length")?.parse().ok()?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    writer.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").ok()?;
    Some(Hook { headers, body })
}

/// Whether `header` is `sha256=<hex HMAC-SHA256 of body keyed with secret>`.
fn signed_with(secret: &str, body: &[u8], header: &str) -> bool {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    let Some(hex) = header.strip_prefix("sha256=") else { return false };
    let Ok(bytes) =
        (0..hex.len() / 2).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)).collect::<Result<Vec<u8>, _>>()
    else {
        return false;
    };
    mac.verify_slice(&bytes).is_ok()
}

// --- the service --------------------------------------------------------------------------

/// `namndsok accounts create --email E --index INDEX [--ingest]`: the printed token.
fn create_account(index: &Path, email: &str, ingest: bool) -> String {
    let mut command = Command::new(binary());
    command.args(["accounts", "create", "--email", email, "--index"]).arg(index);
    if ingest {
        command.arg("--ingest");
    }
    let output = command.output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let token = String::from_utf8(output.stdout).unwrap().trim().to_string();
    assert_eq!(token.len(), 64, "one token on stdout: {token:?}");
    token
}

fn indexed_fixture() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let output = import(&index, &[&fixture("documents.jsonl")]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    (dir, index)
}

fn serve(index: &Path, smtp_port: u16, extra: &[&str]) -> Server {
    let port = smtp_port.to_string();
    let mut args = vec![
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &port,
        "--smtp-from",
        FROM,
        "--public-url",
        PUBLIC_URL,
        "--allow-private-webhooks",
        "--delivery-interval-ms",
        "200",
    ];
    args.extend_from_slice(extra);
    Server::start_with(index, &args)
}

fn api(server: &Server, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> Response {
    let authorization = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = authorization.iter().map(|a| ("Authorization", a.as_str())).collect();
    let text = body.map(Value::to_string);
    send(&server.address, method, path, &headers, text.as_deref().map(|b| ("application/json", b)))
}

fn json(response: &Response) -> Value {
    serde_json::from_str(&response.body).unwrap_or_else(|_| panic!("not JSON: {}", response.body))
}

fn ingest(server: &Server, token: &str, lines: &[Value]) -> Value {
    let body = lines.iter().map(Value::to_string).collect::<Vec<_>>().join("\n") + "\nthis line is not JSON\n";
    let authorization = format!("Bearer {token}");
    let response = send(
        &server.address,
        "POST",
        "/api/v1/ingest",
        &[("Authorization", &authorization)],
        Some(("application/x-ndjson", &body)),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let report = json(&response);
    assert_eq!(report["rejected"][0]["line"].as_u64(), Some(lines.len() as u64 + 1), "{report}");
    report
}

fn doc(id: &str, kommun_kod: &str, title: &str) -> Value {
    json!({"id": id, "kind": "arende", "kommun_kod": kommun_kod, "title": title,
           "body": format!("{title}. Ärendet bereds av kommunstyrelsen."), "date": "2026-11-20",
           "diarienummer": "KS 2026/77", "url": format!("https://diarium.example/{id}")})
}

#[test]
fn saved_searches_alert_by_mail_webhook_and_feed_and_stay_private() {
    let started = Instant::now();
    let (_dir, index) = indexed_fixture();
    let smtp = SmtpServer::start();
    let receiver = Receiver::start();
    let anna = create_account(&index, "anna@example.org", false);
    let bo = create_account(&index, "bo@example.org", false);
    let feeder = create_account(&index, "feeder@example.org", true);
    let server = serve(&index, smtp.port, &[]);

    // Anna saves a search by e-mail, and one by webhook.
    let created = api(
        &server,
        "POST",
        "/api/v1/saved-searches",
        Some(&anna),
        Some(&json!({"query": "batterifabrik", "filters": {"kommun": ["1493"]}, "delivery": {"email": true}})),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let by_mail = json(&created);
    let id = by_mail["id"].as_i64().unwrap();
    let feed_url = by_mail["feed_url"].as_str().unwrap();
    assert!(feed_url.starts_with(&format!("{PUBLIC_URL}/feeds/")) && feed_url.ends_with(".atom"), "{feed_url}");
    assert!(by_mail["marked_seen"].as_u64().unwrap() >= 2, "today's matches are seen: {by_mail}");
    assert!(by_mail.get("webhook_secret").is_none());
    let hooked = api(
        &server,
        "POST",
        "/api/v1/saved-searches",
        Some(&anna),
        Some(&json!({"query": "batterifabrik", "delivery": {"webhook": receiver.url()}, "frequency": "immediate"})),
    );
    assert_eq!(hooked.status, 201, "{}", hooked.body);
    let hooked = json(&hooked);
    let secret = hooked["webhook_secret"].as_str().expect("a signing secret").to_string();
    assert_eq!(secret.len(), 64);

    // Bo can neither read, change nor delete Anna's search; it is not found, like a missing one.
    let path = format!("/api/v1/saved-searches/{id}");
    for (method, body) in [("GET", None), ("PATCH", Some(json!({"query": "skola"}))), ("DELETE", None)] {
        let response = api(&server, method, &path, Some(&bo), body.as_ref());
        assert_eq!(response.status, 404, "{method}: {}", response.body);
        assert_eq!(json(&response)["error"]["code"], "not_found");
    }
    let missing = api(&server, "GET", "/api/v1/saved-searches/999999", Some(&bo), None);
    let theirs = api(&server, "GET", &path, Some(&bo), None);
    assert_eq!(
        (missing.status, json(&missing)["error"]["code"].clone()),
        (theirs.status, json(&theirs)["error"]["code"].clone())
    );
    assert_eq!(json(&theirs)["error"]["message"], format!("no saved search with id {id}"), "like a missing one");
    assert_eq!(json(&api(&server, "GET", "/api/v1/saved-searches", Some(&bo), None))["saved_searches"], json!([]));
    let unchanged = json(&api(&server, "GET", &path, Some(&anna), None));
    assert_eq!((unchanged["query"].as_str(), unchanged["enabled"].as_bool()), (Some("batterifabrik"), Some(true)));
    assert_eq!(
        json(&api(&server, "GET", "/api/v1/saved-searches", Some(&anna), None))["saved_searches"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Tokens are required, and only trusted feeders ingest.
    assert_eq!(api(&server, "GET", "/api/v1/saved-searches", None, None).status, 401);
    let forbidden = send(
        &server.address,
        "POST",
        "/api/v1/ingest",
        &[("Authorization", &format!("Bearer {anna}"))],
        Some(("application/x-ndjson", "{}")),
    );
    assert_eq!(forbidden.status, 403);

    // New documents: two match the e-mail search, one more (another kommun) the webhook only.
    let report = ingest(
        &server,
        &feeder,
        &[
            doc("e2e-1", "1493", "Markköp för den nya batterifabriken"),
            doc("e2e-2", "1493", "Miljötillstånd för batterifabrik"),
            doc("e2e-3", "1480", "Batterifabrik i hamnen utreds"),
            doc("e2e-4", "1493", "Ny förskola i Ekudden"),
        ],
    );
    assert_eq!((report["imported"].as_u64(), report["replaced"].as_u64()), (Some(4), Some(0)), "{report}");

    let mails = smtp.wait_for(1);
    let mail = &mails[0];
    assert_eq!(mail.to, "anna@example.org");
    let subject = mail.header("Subject").unwrap();
    assert_eq!(subject, "Nämndsök: 2 nya träffar för \"batterifabrik\"");
    let body = mail.body();
    assert!(
        body.contains("Markköp för den nya batterifabriken") && body.contains("Miljötillstånd för batterifabrik"),
        "{body}"
    );
    assert!(!body.contains("Batterifabrik i hamnen") && !body.contains("förskola"), "{body}");
    assert!(body.contains(&format!("{PUBLIC_URL}/d/e2e-1")), "{body}");
    let unsubscribe = mail.link("/unsubscribe/");
    assert_eq!(mail.header("List-Unsubscribe").unwrap(), format!("<{PUBLIC_URL}{unsubscribe}>"));
    let delivery = mail.header("X-Namndsok-Delivery").unwrap();
    assert_eq!(mail.header("Message-ID").unwrap(), format!("<{delivery}@namndsok.example>"));

    let hooks = receiver.wait_for(1);
    let hook = &hooks[0];
    assert!(signed_with(&secret, &hook.body, &hook.headers["x-namndsok-signature"]), "{:?}", hook.headers);
    assert!(!signed_with("another secret", &hook.body, &hook.headers["x-namndsok-signature"]));
    let payload: Value = serde_json::from_slice(&hook.body).unwrap();
    assert_eq!(payload["delivery_id"].as_str(), hook.headers.get("x-namndsok-delivery").map(String::as_str));
    let mut ids: Vec<&str> =
        payload["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["e2e-1", "e2e-2", "e2e-3"]);
    assert_eq!(payload["documents"][0]["link"].as_str().unwrap().split("/d/").next(), Some(PUBLIC_URL));

    // The private feed lists the new documents, not the old ones.
    let feed = common::get(&server.address, feed_url.trim_start_matches(PUBLIC_URL));
    assert_eq!(feed.status, 200);
    assert!(feed.header("content-type").unwrap().starts_with("application/atom+xml"));
    assert!(feed.body.contains("<title>Markköp för den nya batterifabriken</title>"), "{}", feed.body);
    assert!(feed.body.contains("<title>Miljötillstånd för batterifabrik</title>"));
    assert_eq!(feed.body.matches("<entry>").count(), 2, "{}", feed.body);
    let parsed = atom_syndication::Feed::read_from(feed.body.as_bytes()).expect("a feed reader can follow it");
    let mut titles: Vec<&str> = parsed.entries().iter().map(|e| e.title().as_str()).collect();
    titles.sort_unstable();
    assert_eq!(titles, ["Markköp för den nya batterifabriken", "Miljötillstånd för batterifabrik"]);
    assert!(parsed.entries().iter().all(|e| e.links().first().is_some_and(|l| l.href().starts_with(PUBLIC_URL))));
    assert_eq!(common::get(&server.address, "/feeds/0123abcd.atom").status, 404);

    // One click unsubscribes; later matches send no mail (the webhook search still works).
    let page = common::get(&server.address, &unsubscribe);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Bevakningen är avslutad") && page.body.contains("batterifabrik"), "{}", page.body);
    let after = json(&api(&server, "GET", &path, Some(&anna), None));
    assert_eq!((after["enabled"].as_bool(), after["disabled_reason"].as_str()), (Some(false), Some("unsubscribed")));
    ingest(&server, &feeder, &[doc("e2e-5", "1493", "Elnät till batterifabriken")]);
    let hooks = receiver.wait_for(2);
    assert!(hooks[1].body.windows(5).any(|w| w == b"e2e-5"));
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(smtp.mails().len(), 1, "no mail after unsubscribing");

    // An account by e-mail: the confirmation link yields a working token.
    let asked = api(&server, "POST", "/api/v1/accounts", None, Some(&json!({"email": "carl@example.org"})));
    assert_eq!(asked.status, 202, "{}", asked.body);
    let mails = smtp.wait_for(2);
    let confirmation = &mails[1];
    assert_eq!(confirmation.to, "carl@example.org");
    let link = confirmation.link("/confirm/");
    assert!(link.ends_with("?api=1"), "{link}");
    let page = common::get(&server.address, &link);
    assert!(page.body.contains("<form class=\"confirm\" method=\"post\""), "{}", page.body);
    let confirmed = send(&server.address, "POST", &link, &[], None);
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let token = confirmed.body.split("<code class=\"token\">").nth(1).unwrap().split('<').next().unwrap();
    let list = api(&server, "GET", "/api/v1/saved-searches", Some(token), None);
    assert_eq!((list.status, json(&list)["saved_searches"].clone()), (200, json!([])));

    assert!(server.stop().success());
    eprintln!("end to end in {:.1} s", started.elapsed().as_secs_f32());
}

#[test]
fn a_crash_with_a_delivery_pending_loses_nothing_and_sends_once() {
    let started = Instant::now();
    let (_dir, index) = indexed_fixture();
    let anna = create_account(&index, "anna@example.org", false);
    let feeder = create_account(&index, "feeder@example.org", true);
    // A port where no SMTP server listens yet.
    let smtp_port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let retry = ["--delivery-retry-base-ms", "1000"];
    let server = serve(&index, smtp_port, &retry);
    let saved = api(
        &server,
        "POST",
        "/api/v1/saved-searches",
        Some(&anna),
        Some(&json!({"query": "batterifabrik", "delivery": {"email": true}})),
    );
    assert_eq!(saved.status, 201, "{}", saved.body);
    let search = json(&saved)["id"].as_i64().unwrap();
    ingest(
        &server,
        &feeder,
        &[doc("crash-1", "1493", "Vatten till batterifabriken"), doc("crash-2", "1480", "Ny skola")],
    );

    // The relay refuses, the delivery is to be retried: kill the server then (the round's
    // summary is logged after the failure is recorded).
    let deadline = Instant::now() + Duration::from_secs(20);
    while !(server.log().contains("e-mail delivery failed") && server.log().contains("alert deliveries")) {
        assert!(Instant::now() < deadline, "no delivery attempt: {}", server.log());
        std::thread::sleep(Duration::from_millis(50));
    }
    server.kill();

    let smtp = SmtpServer::on(TcpListener::bind(("127.0.0.1", smtp_port)).unwrap());
    let server = serve(&index, smtp_port, &retry);
    let mails = smtp.wait_for(1);
    // Long enough for several more delivery rounds: nothing is sent twice.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(smtp.mails().len(), 1, "exactly one mail");
    let expected =
        namndsok_alerts::matcher::immediate_delivery_id(namndsok_alerts::SearchId(search), &["crash-1".to_string()]);
    assert_eq!(mails[0].header("X-Namndsok-Delivery").unwrap(), expected);
    assert_eq!(mails[0].header("Message-ID").unwrap(), format!("<{expected}@namndsok.example>"));
    assert!(mails[0].body().contains("Vatten till batterifabriken"));
    assert!(!mails[0].body().contains("Ny skola"));
    assert!(server.stop().success());
    eprintln!("crash and restart in {:.1} s", started.elapsed().as_secs_f32());
}

#[test]
fn harvested_documents_are_matched_as_they_are_committed() {
    let started = Instant::now();
    let (dir, index) = indexed_fixture();
    let anna = create_account(&index, "anna@example.org", false);
    let smtp = SmtpServer::start();
    let source = dir.path().join("feed.jsonl");
    let line = |value: Value| value.to_string() + "\n";
    std::fs::write(&source, line(doc("h-1", "1493", "Vindkraftpark vid Hova planeras"))).unwrap();
    let catalogue = dir.path().join("sources.toml");
    std::fs::write(
        &catalogue,
        format!("[[source]]\nid = \"lokal-fil\"\nplatform = \"file\"\npath = {:?}\n", source.to_str().unwrap()),
    )
    .unwrap();
    let server = serve(&index, smtp.port, &["--sources", catalogue.to_str().unwrap(), "--harvest-interval", "1"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.json("/api/v1/sources")["sources"][0]["status"] != "ok" {
        assert!(Instant::now() < deadline, "the first pass did not finish");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Saved after the first pass: h-1 is marked seen.
    let saved = api(
        &server,
        "POST",
        "/api/v1/saved-searches",
        Some(&anna),
        Some(&json!({"query": "vindkraftpark", "delivery": {"email": true}})),
    );
    assert_eq!(json(&saved)["marked_seen"], 1, "{}", saved.body);
    let mut file = std::fs::OpenOptions::new().append(true).open(&source).unwrap();
    file.write_all(line(doc("h-2", "1493", "Samråd om vindkraftparken")).as_bytes()).unwrap();
    file.write_all(line(doc("h-3", "1493", "Budget för skolan")).as_bytes()).unwrap();
    drop(file);

    let mails = smtp.wait_for(1);
    assert_eq!(mails[0].header("Subject").unwrap(), "Nämndsök: 1 ny träff för \"vindkraftpark\"");
    assert!(mails[0].body().contains("Samråd om vindkraftparken"), "{}", mails[0].body());
    assert!(!mails[0].body().contains("Hova") && !mails[0].body().contains("Budget"), "{}", mails[0].body());
    // Later passes find nothing new: no more mail.
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(smtp.mails().len(), 1);
    // The status page shows the source's harvest health.
    let status = server.get("/status");
    assert_eq!(status.status, 200);
    assert!(status.body.contains("<td>lokal-fil</td>") && status.body.contains(">OK</td>"), "{}", status.body);
    assert!(server.stop().success());
    eprintln!("harvest hook in {:.1} s", started.elapsed().as_secs_f32());
}
