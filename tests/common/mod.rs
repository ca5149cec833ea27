//! Shared harness for the end-to-end tests: run the real `namndsok` binary, serve on a free
//! loopback port, talk HTTP/1.1 to it over a plain TCP socket.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_namndsok")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Runs `namndsok import --index DIR FILES…`.
pub fn import(index: &Path, files: &[&Path]) -> Output {
    let mut command = Command::new(binary());
    command.arg("import").arg("--index").arg(index);
    for file in files {
        command.arg(file);
    }
    command.output().expect("namndsok runs")
}

/// A running `namndsok serve`, stopped (SIGTERM, then kill) on drop.
pub struct Server {
    child: Child,
    pub address: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(index: &Path) -> Server {
        Server::start_with(index, &[])
    }

    /// `namndsok serve --addr 127.0.0.1:0 --index INDEX EXTRA…`.
    pub fn start_with(index: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(binary())
            .args(["serve", "--addr", "127.0.0.1:0", "--index"])
            .arg(index)
            .args(extra)
            .env("NAMNDSOK_LOG", "info")
            .env("NO_COLOR", "1")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("namndsok serve starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (sender, receiver) = std::sync::mpsc::channel();
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = log.clone();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line.clone());
                if !sent {
                    if let Some(start) = line.find("listening on http://") {
                        let address = line[start + "listening on http://".len()..]
                            .split_whitespace()
                            .next()
                            .unwrap_or("")
                            .to_string();
                        let _ = sender.send(address);
                        sent = true;
                    }
                }
            }
        });
        let address = receiver.recv_timeout(Duration::from_secs(60)).expect("the server reports its address");
        Server { child, address, log }
    }

    /// Everything the server logged so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Kills the process outright (SIGKILL: no shutdown, no flushing) and waits for it.
    pub fn kill(mut self) {
        self.child.kill().expect("kill");
        self.child.wait().expect("wait");
    }

    pub fn get(&self, path_and_query: &str) -> Response {
        get(&self.address, path_and_query)
    }

    pub fn json(&self, path_and_query: &str) -> serde_json::Value {
        let response = self.get(path_and_query);
        assert_eq!(response.status, 200, "{path_and_query}: {}", response.body);
        serde_json::from_str(&response.body).expect("JSON body")
    }

    /// Sends SIGTERM and waits for a clean exit.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.1 GET (Connection: close; identity or chunked body).
pub fn get(address: &str, path_and_query: &str) -> Response {
    request(address, "GET", path_and_query, None)
}

/// A minimal HTTP/1.1 request with an optional JSON body.
pub fn request(address: &str, method: &str, path_and_query: &str, json: Option<&str>) -> Response {
    send(address, method, path_and_query, &[], json.map(|body| ("application/json", body)))
}

/// A minimal HTTP/1.1 request with extra headers and an optional `(content type, body)`.
pub fn send(
    address: &str,
    method: &str,
    path_and_query: &str,
    headers: &[(&str, &str)],
    body: Option<(&str, &str)>,
) -> Response {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut content = match body {
        Some((content_type, body)) => format!("Content-Type: {content_type}\r\nContent-Length: {}\r\n", body.len()),
        None => String::new(),
    };
    for (name, value) in headers {
        content.push_str(&format!("{name}: {value}\r\n"));
    }
    let body = body.map_or("", |(_, body)| body);
    write!(stream, "{method} {path_and_query} HTTP/1.1\r\nHost: {address}\r\n{content}Connection: close\r\n\r\n{body}")
        .unwrap();
    // Read the head, then exactly the body (some servers keep the connection open).
    let mut raw = Vec::new();
    let mut buffer = [0u8; 8192];
    let split = loop {
        if let Some(position) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break position;
        }
        let read = stream.read(&mut buffer).expect("read response");
        assert!(read > 0, "connection closed before the response head");
        raw.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.lines();
    let status: u16 =
        lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).expect("status");
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))).collect();
    let header = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    let chunked = header("transfer-encoding").is_some_and(|v| v.contains("chunked"));
    let length: Option<usize> = header("content-length").and_then(|v| v.parse().ok());
    loop {
        let complete = match (chunked, length) {
            (true, _) => body.windows(5).any(|w| w == b"0\r\n\r\n"),
            (false, Some(length)) => body.len() >= length,
            (false, None) => false,
        };
        if complete {
            break;
        }
        let read = stream.read(&mut buffer).expect("read response body");
        if read == 0 {
            break;
        }
        body.extend_from_slice(&buffer[..read]);
    }
    if chunked {
        body = dechunk(&body);
    }
    Response { status, headers, body: String::from_utf8(body).expect("UTF-8 body") }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..line_end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 2 + size + 2..];
    }
    out
}

/// Percent-encodes a query parameter value.
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The ids of a search response's hits.
pub fn ids(response: &serde_json::Value) -> Vec<String> {
    response["hits"].as_array().expect("hits").iter().map(|h| h["id"].as_str().unwrap().to_string()).collect()
}

/// Serves a router (a fake vendor site) on a free loopback port in a background runtime;
/// returns `http://127.0.0.1:port`.
pub fn spawn(router: axum::Router) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, router).await.unwrap();
        });
    });
    format!("http://{address}")
}
