//! Test servers on 127.0.0.1 (an SMTP server and webhook receivers, plain or TLS), a test
//! certificate authority, and document helpers.
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

use namndsok_alerts::{AccountId, AlertStore, Deliverer, SmtpSettings, SmtpTls, WebhookSettings};
use namndsok_model::{Document, Registry};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

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
    /// Whether the message came over TLS.
    pub tls: bool,
}

impl Mail {
    /// A header's value, unfolded, with RFC 2047 encoded words decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap();
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        let line = unfolded
            .lines()
            .find(|line| line.split_once(':').is_some_and(|(key, _)| key.eq_ignore_ascii_case(name)))?;
        let value = line.split_once(':').unwrap().1.trim();
        Some(decode_words(value))
    }

    /// The body, decoded from its Content-Transfer-Encoding (8bit, quoted-printable or base64),
    /// with CRLF line endings.
    pub fn body(&self) -> String {
        let raw = self.data.split_once("\r\n\r\n").unwrap().1;
        let encoding = self.header("Content-Transfer-Encoding").unwrap_or_default().to_ascii_lowercase();
        match encoding.as_str() {
            "quoted-printable" => String::from_utf8(
                quoted_printable::decode(raw.as_bytes(), quoted_printable::ParseMode::Strict).unwrap(),
            )
            .unwrap(),
            "base64" => String::from_utf8(base64_decode(&raw.replace("\r\n", ""))).unwrap(),
            _ => raw.to_string(),
        }
    }

    /// The body as it came over the wire (still transfer-encoded).
    pub fn raw_body(&self) -> &str {
        self.data.split_once("\r\n\r\n").unwrap().1
    }
}

/// An RFC 2047 encoded word (`=?charset?B|Q?text?=`, UTF-8 only here), decoded.
fn decode_word(word: &str) -> Option<String> {
    let inner = word.strip_prefix("=?")?.strip_suffix("?=")?;
    let mut parts = inner.splitn(3, '?');
    let (charset, encoding, text) = (parts.next()?, parts.next()?, parts.next()?);
    assert!(charset.eq_ignore_ascii_case("utf-8"), "charset {charset}");
    let bytes = match encoding {
        "B" | "b" => base64_decode(text),
        "Q" | "q" => {
            quoted_printable::decode(text.replace('_', " ").as_bytes(), quoted_printable::ParseMode::Strict).unwrap()
        }
        _ => return None,
    };
    Some(String::from_utf8(bytes).unwrap())
}

/// Decodes the encoded words of an unfolded header value; white space between two adjacent
/// encoded words is dropped (RFC 2047 §6.2).
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut previous_encoded = false;
    for (index, part) in value.split(' ').enumerate() {
        match decode_word(part) {
            Some(decoded) => {
                if index > 0 && !previous_encoded {
                    out.push(' ');
                }
                out.push_str(&decoded);
                previous_encoded = true;
            }
            None => {
                if index > 0 {
                    out.push(' ');
                }
                out.push_str(part);
                previous_encoded = false;
            }
        }
    }
    out
}

pub fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).unwrap()
}

/// A real (if minimal) SMTP server capturing every message.
pub struct SmtpServer {
    pub server: Server,
    pub mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        SmtpServer::start_with(ServerTls::None)
    }

    /// An SMTP server offering STARTTLS, or speaking TLS from the start (SMTPS).
    pub fn start_with(tls: ServerTls) -> SmtpServer {
        SmtpServer::start_with_options(SmtpOptions { tls, ..SmtpOptions::default() })
    }

    pub fn start_with_options(options: SmtpOptions) -> SmtpServer {
        let mails = Arc::new(Mutex::new(Vec::new()));
        let captured = mails.clone();
        let server = spawn(move |stream| {
            if let Some(mail) = smtp_session(stream, &options) {
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
            tls: SmtpTls::None,
            extra_root_pem: None,
        }
    }
}

/// What a test SMTP server offers and answers.
#[derive(Clone)]
pub struct SmtpOptions {
    pub tls: ServerTls,
    /// Whether EHLO announces 8BITMIME.
    pub eight_bit_mime: bool,
    /// The AUTH mechanisms announced (`PLAIN`, `LOGIN`, or both).
    pub auth: &'static str,
    /// A reply to RCPT TO other than `250 OK` (e.g. a 5xx or 4xx refusal).
    pub rcpt_reply: Option<&'static str>,
}

impl Default for SmtpOptions {
    fn default() -> Self {
        SmtpOptions { tls: ServerTls::None, eight_bit_mime: true, auth: "PLAIN", rcpt_reply: None }
    }
}

/// How a test SMTP server does TLS.
#[derive(Clone)]
pub enum ServerTls {
    None,
    /// Offers STARTTLS in its EHLO answer.
    StartTls(Arc<ServerConfig>),
    /// TLS from the first byte.
    Implicit(Arc<ServerConfig>),
}

/// A server-side connection, plain or TLS.
enum Conn {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ServerConnection, TcpStream>>),
}

impl Conn {
    fn tls(config: &Arc<ServerConfig>, socket: TcpStream) -> Option<Conn> {
        Some(Conn::Tls(Box::new(StreamOwned::new(ServerConnection::new(config.clone()).ok()?, socket))))
    }
}

impl Read for Conn {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(stream) => stream.read(buffer),
            Conn::Tls(stream) => stream.read(buffer),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(stream) => stream.write(buffer),
            Conn::Tls(stream) => stream.write(buffer),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Conn::Plain(stream) => stream.flush(),
            Conn::Tls(stream) => stream.flush(),
        }
    }
}

fn send(reader: &mut BufReader<Conn>, text: &str) -> Option<()> {
    let writer = reader.get_mut();
    writer.write_all(text.as_bytes()).ok()?;
    writer.flush().ok()
}

fn smtp_session(stream: TcpStream, options: &SmtpOptions) -> Option<Mail> {
    let tls = &options.tls;
    let (conn, mut secured) = match tls {
        ServerTls::Implicit(config) => (Conn::tls(config, stream)?, true),
        _ => (Conn::Plain(stream), false),
    };
    let mut reader = BufReader::new(conn);
    send(&mut reader, "220 test.local ESMTP ready\r\n")?;
    let mut mail = Mail { from: String::new(), to: String::new(), auth: None, data: String::new(), tls: false };
    let mut got_data = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return got_data.then_some(mail);
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            let starttls = if matches!(tls, ServerTls::StartTls(_)) && !secured { "250-STARTTLS\r\n" } else { "" };
            let eight_bit = if options.eight_bit_mime { "250-8BITMIME\r\n" } else { "" };
            let auth = options.auth;
            send(&mut reader, &format!("250-test.local\r\n{eight_bit}{starttls}250 AUTH {auth}\r\n"))?;
        } else if upper == "STARTTLS" {
            let ServerTls::StartTls(config) = tls else {
                send(&mut reader, "502 Command not implemented\r\n")?;
                continue;
            };
            if secured {
                send(&mut reader, "503 Already in TLS\r\n")?;
                continue;
            }
            send(&mut reader, "220 2.0.0 Ready to start TLS\r\n")?;
            let Conn::Plain(socket) = reader.into_inner() else { return None };
            reader = BufReader::new(Conn::tls(config, socket)?);
            secured = true;
        } else if let Some(token) = command.strip_prefix("AUTH PLAIN ") {
            mail.auth = Some(String::from_utf8(base64_decode(token)).unwrap());
            send(&mut reader, "235 2.7.0 Authentication successful\r\n")?;
        } else if upper == "AUTH LOGIN" {
            // "Username:", then "Password:", each answered in base64; recorded as AUTH PLAIN's.
            let mut answers = Vec::new();
            for prompt in ["VXNlcm5hbWU6", "UGFzc3dvcmQ6"] {
                send(&mut reader, &format!("334 {prompt}\r\n"))?;
                let mut line = String::new();
                reader.read_line(&mut line).ok()?;
                answers.push(String::from_utf8(base64_decode(line.trim_end())).unwrap());
            }
            mail.auth = Some(format!("\0{}\0{}", answers[0], answers[1]));
            send(&mut reader, "235 2.7.0 Authentication successful\r\n")?;
        } else if upper.starts_with("MAIL FROM:") {
            mail.from = command[10..].split('>').next().unwrap().trim_start_matches('<').to_string();
            send(&mut reader, "250 OK\r\n")?;
        } else if upper.starts_with("RCPT TO:") {
            mail.to = command[8..].trim_matches(|c| c == '<' || c == '>').to_string();
            send(&mut reader, &format!("{}\r\n", options.rcpt_reply.unwrap_or("250 OK")))?;
        } else if upper == "DATA" {
            send(&mut reader, "354 End data with <CR><LF>.<CR><LF>\r\n")?;
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
            mail.tls = secured;
            got_data = true;
            send(&mut reader, "250 OK queued\r\n")?;
        } else if upper == "QUIT" {
            send(&mut reader, "221 Bye\r\n")?;
            return got_data.then_some(mail);
        } else {
            send(&mut reader, "502 Command not implemented\r\n")?;
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
        Receiver::start_with(fail_first, None)
    }

    /// An HTTPS receiver (TLS with `config`); its URLs are `https://localhost:PORT…`.
    pub fn start_https(config: Arc<ServerConfig>) -> Receiver {
        Receiver::start_with(0, Some(config))
    }

    fn start_with(fail_first: usize, tls: Option<Arc<ServerConfig>>) -> Receiver {
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
            let conn = match &tls {
                Some(config) => match Conn::tls(config, stream) {
                    Some(conn) => conn,
                    None => return,
                },
                None => Conn::Plain(stream),
            };
            if let Some(request) = http_exchange(conn, status) {
                captured.lock().unwrap().push(request);
            }
        });
        Receiver { server, requests, fail_first: fail }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.server.addr.port())
    }

    /// An `https://localhost:PORT{path}` URL (for [`Receiver::start_https`]).
    pub fn https_url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.server.addr.port())
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

fn http_exchange(stream: Conn, status: u16) -> Option<Request> {
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
    let _ = send(&mut reader, &format!("HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
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
    Deliverer::new(
        smtp,
        WebhookSettings {
            allow_private_addresses: allow_private,
            timeout: Duration::from_secs(5),
            extra_root_pem: None,
        },
    )
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
        tls: SmtpTls::None,
        extra_root_pem: None,
    }
}

/// A test certificate authority and a server certificate it issued for `localhost` and
/// 127.0.0.1.
pub struct TestCa {
    /// The CA certificate (PEM), for `extra_root_pem`.
    pub ca_pem: String,
    chain: Vec<CertificateDer<'static>>,
    key_der: Vec<u8>,
}

impl TestCa {
    pub fn new(name: &str) -> TestCa {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(DnType::CommonName, format!("{name} test CA"));
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);
        let server_key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
        params.distinguished_name.push(DnType::CommonName, "localhost");
        let server_cert = params.signed_by(&server_key, &issuer).unwrap();
        TestCa {
            ca_pem: ca_cert.pem(),
            chain: vec![server_cert.der().clone(), ca_cert.der().clone()],
            key_der: server_key.serialize_der(),
        }
    }

    /// A rustls server configuration presenting the server certificate.
    pub fn server_config(&self) -> Arc<ServerConfig> {
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()));
        let config = ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(self.chain.clone(), key)
            .unwrap();
        Arc::new(config)
    }
}

/// A matcher with the bundled configuration and default options.
pub fn matcher() -> namndsok_alerts::Matcher {
    namndsok_alerts::Matcher::new(
        namndsok_analysis::resources::ConfigFiles::bundled(),
        namndsok_alerts::MatchOptions::default(),
    )
    .unwrap()
}

/// An RFC 3339 instant.
pub fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&chrono::Utc)
}
