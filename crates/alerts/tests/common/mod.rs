//! Test servers on 127.0.0.1 (an SMTP server and webhook receivers) and document helpers.
//!
//! Each server runs in one thread, handles connections one at a time, and stops when dropped
//! or after 120 seconds, whichever comes first.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use namndsok_alerts::{AccountId, AlertStore, Deliverer, SmtpSettings, WebhookSettings};
use namndsok_model::{Document, Registry};

pub const BASE_URL: &str = "https://namndsok.example";

/// A server thread that stops when dropped.
pub struct Server {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn spawn(mut handle: impl FnMut(TcpStream) + Send + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let stop_flag = stop.clone();
    let thread = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(120);
        while !stop_flag.load(Ordering::SeqCst) && Instant::now() < deadline {
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
    Server { addr, stop, thread: Some(thread) }
}

/// One message as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct Mail {
    pub from: String,
    pub to: String,
    pub auth: Option<String>,
    /// The DATA with dot-stuffing undone.
    pub data: String,
}

impl Mail {
    /// A header's value, unfolded, with RFC 2047 encoded words decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap();
        let unfolded = head.replace("\r\n ", " ");
        let line = unfolded
            .lines()
            .find(|line| line.split_once(':').is_some_and(|(key, _)| key.eq_ignore_ascii_case(name)))?;
        let value = line.split_once(':').unwrap().1.trim();
        Some(decode_words(value))
    }

    pub fn body(&self) -> String {
        self.data.split_once("\r\n\r\n").unwrap().1.to_string()
    }
}

fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut bytes = Vec::new();
    for part in value.split(' ') {
        if let Some(inner) = part.strip_prefix("=?UTF-8?B?").and_then(|p| p.strip_suffix("?=")) {
            bytes.extend(base64_decode(inner));
        } else {
            if !bytes.is_empty() {
                out.push_str(&String::from_utf8(std::mem::take(&mut bytes)).unwrap());
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(part);
        }
    }
    if !bytes.is_empty() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&String::from_utf8(bytes).unwrap());
    }
    out
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in text.bytes().filter(|b| *b != b'=') {
        let value = ALPHABET.iter().position(|c| *c == byte).unwrap() as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

/// A real (if minimal) SMTP server capturing every message.
pub struct SmtpServer {
    pub server: Server,
    pub mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        let mails = Arc::new(Mutex::new(Vec::new()));
        let captured = mails.clone();
        let server = spawn(move |stream| {
            if let Some(mail) = smtp_session(stream) {
                captured.lock().unwrap().push(mail);
            }
        });
        SmtpServer { server, mails }
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }

    pub fn settings(&self) -> SmtpSettings {
        SmtpSettings {
            host: "127.0.0.1".into(),
            port: self.server.addr.port(),
            username: Some("relay-user".into()),
            password: Some("relay-pass".into()),
            from: "bevakning@namndsok.example".into(),
            base_url: BASE_URL.into(),
        }
    }
}

fn smtp_session(stream: TcpStream) -> Option<Mail> {
    let mut writer = stream.try_clone().ok()?;
    let mut reader = BufReader::new(stream);
    let mut send = |text: &str| writer.write_all(text.as_bytes()).ok();
    send("220 test.local ESMTP ready\r\n")?;
    let mut mail = Mail { from: String::new(), to: String::new(), auth: None, data: String::new() };
    let mut got_data = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return got_data.then_some(mail);
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            send("250-test.local\r\n250-8BITMIME\r\n250 AUTH PLAIN\r\n")?;
        } else if let Some(token) = command.strip_prefix("AUTH PLAIN ") {
            mail.auth = Some(String::from_utf8(base64_decode(token)).unwrap());
            send("235 2.7.0 Authentication successful\r\n")?;
        } else if upper.starts_with("MAIL FROM:") {
            mail.from = command[10..].split('>').next().unwrap().trim_start_matches('<').to_string();
            send("250 OK\r\n")?;
        } else if upper.starts_with("RCPT TO:") {
            mail.to = command[8..].trim_matches(|c| c == '<' || c == '>').to_string();
            send("250 OK\r\n")?;
        } else if upper == "DATA" {
            send("354 End data with <CR><LF>.<CR><LF>\r\n")?;
            let mut data = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).ok()? == 0 {
                    return None;
                }
                if line == ".\r\n" {
                    break;
                }
                let line = line.strip_prefix('.').unwrap_or(&line);
                data.push_str(line);
            }
            mail.data = data.trim_end_matches("\r\n").to_string();
            got_data = true;
            send("250 OK queued\r\n")?;
        } else if upper == "QUIT" {
            send("221 Bye\r\n")?;
            return got_data.then_some(mail);
        } else {
            send("502 Command not implemented\r\n")?;
        }
    }
}

/// One request a webhook receiver got.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    /// The status the receiver answered.
    pub status: u16,
}

/// An HTTP receiver that answers 500 to the first `fail_first` requests and 200 after that.
pub struct Receiver {
    pub server: Server,
    pub requests: Arc<Mutex<Vec<Request>>>,
    pub fail_first: Arc<AtomicUsize>,
}

impl Receiver {
    pub fn start(fail_first: usize) -> Receiver {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let fail = Arc::new(AtomicUsize::new(fail_first));
        let (captured, failing) = (requests.clone(), fail.clone());
        let server = spawn(move |stream| {
            let status = if failing.load(Ordering::SeqCst) > 0 {
                failing.fetch_sub(1, Ordering::SeqCst);
                500
            } else {
                200
            };
            if let Some(request) = http_exchange(stream, status) {
                captured.lock().unwrap().push(request);
            }
        });
        Receiver { server, requests, fail_first: fail }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.server.addr.port())
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

fn http_exchange(stream: TcpStream, status: u16) -> Option<Request> {
    let mut writer = stream.try_clone().ok()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
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
    let length: usize = headers.get("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let reason = if status == 200 { "OK" } else { "Internal Server Error" };
    let _ = writer
        .write_all(format!("HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes());
    Some(Request { method, target, headers, body, status })
}

/// A valid document (through the one gate).
pub fn doc(id: &str, kommun_kod: &str, title: &str, date: &str, diarienummer: Option<&str>) -> Document {
    let value = serde_json::json!({
        "id": id,
        "kind": "arende",
        "kommun_kod": kommun_kod,
        "diarienummer": diarienummer,
        "title": title,
        "body": format!("{title}. Ärendet behandlas av kommunstyrelsen."),
        "date": date,
        "url": format!("https://diarium.example/{id}"),
    });
    let serde_json::Value::Object(object) = value else { unreachable!() };
    Document::from_json_object(&object, Registry::global()).unwrap().document
}

pub fn open_store(dir: &std::path::Path) -> AlertStore {
    AlertStore::open(&dir.join("alerts.sqlite")).unwrap()
}

pub fn confirmed_account(store: &AlertStore, email: &str) -> AccountId {
    let (id, _) = store.create_account(email).unwrap();
    store.set_confirmed(id, true).unwrap();
    id
}

pub fn deliverer(smtp: SmtpSettings, allow_private: bool) -> Deliverer {
    Deliverer::new(smtp, WebhookSettings { allow_private_addresses: allow_private, timeout: Duration::from_secs(5) })
}

/// SMTP settings for deliverers that never send e-mail in a test (nothing listens on port 9).
pub fn no_smtp() -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port: 9,
        username: None,
        password: None,
        from: "bevakning@namndsok.example".into(),
        base_url: BASE_URL.into(),
    }
}
