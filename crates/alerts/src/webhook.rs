//! Webhooks: a small HTTP/1.1 client for `POST`ing signed JSON, and the address check that keeps
//! webhooks from reaching into our own network (SSRF).
//!
//! `http://` and `https://` URLs are delivered. For `https://` the checked TCP connection is
//! wrapped in TLS (rustls, see [`crate::tls`]): the URL's host is sent as SNI and must be named
//! by the receiver's certificate, which must chain to a system root (or to the configured extra
//! root); a failed handshake is a [`WebhookError::Tls`] failure like any other. Redirects are
//! not followed; any answer other than 2xx is a failure.
//!
//! The host is resolved once per delivery, *every* address is checked, and the connection goes
//! to the checked addresses — the name is not resolved again (TLS included: it runs over the
//! connection already made), so a DNS answer that changes between the check and the connection
//! (rebinding) cannot slip a private address through.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::tls::{self, Stream};
use crate::util::hex;

/// Why a webhook could not be delivered.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("invalid webhook URL: {0}")]
    InvalidUrl(String),
    /// TLS setup or handshake failed (e.g. the receiver's certificate is not trusted).
    #[error("webhook TLS: {0}")]
    Tls(String),
    #[error("the webhook host {host} could not be resolved: {reason}")]
    Resolve { host: String, reason: String },
    #[error("the webhook host {host} resolves to the non-public address {address}; webhooks may only reach public addresses")]
    PrivateAddress { host: String, address: IpAddr },
    #[error("could not connect to the webhook: {0}")]
    Connect(String),
    #[error("webhook i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("the webhook answered HTTP {status}")]
    Status { status: u16 },
    #[error("the webhook's answer is not HTTP: {0:?}")]
    BadResponse(String),
}

/// A parsed `http://` or `https://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl {
    pub https: bool,
    /// Without brackets for IPv6 literals.
    pub host: String,
    pub port: u16,
    /// Path and query, starting with `/`.
    pub target: String,
}

impl WebhookUrl {
    /// Parses a webhook URL (no user info, no fragment, no whitespace).
    pub fn parse(url: &str) -> Result<WebhookUrl, WebhookError> {
        let bad = |why: &str| WebhookError::InvalidUrl(format!("{why}: {url:?}"));
        let url = url.trim();
        if url.len() > 2000 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("too long or contains spaces"));
        }
        let (https, rest) = if let Some(rest) = strip_prefix_ignore_case(url, "http://") {
            (false, rest)
        } else if let Some(rest) = strip_prefix_ignore_case(url, "https://") {
            (true, rest)
        } else {
            return Err(bad("only http:// and https:// URLs are accepted"));
        };
        let rest = rest.split('#').next().unwrap_or("");
        let (authority, target) = match rest.find(['/', '?']) {
            Some(at) if rest[at..].starts_with('/') => (&rest[..at], rest[at..].to_string()),
            Some(at) => (&rest[..at], format!("/{}", &rest[at..])),
            None => (rest, "/".to_string()),
        };
        if authority.contains('@') {
            return Err(bad("user names and passwords in the URL are not accepted"));
        }
        let default_port = if https { 443 } else { 80 };
        let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
            let (host, after) = inner.split_once(']').ok_or_else(|| bad("unclosed IPv6 bracket"))?;
            host.parse::<Ipv6Addr>().map_err(|_| bad("invalid IPv6 address"))?;
            let port = match after.strip_prefix(':') {
                Some(port) => port.parse().map_err(|_| bad("invalid port"))?,
                None if after.is_empty() => default_port,
                None => return Err(bad("invalid authority")),
            };
            (host.to_string(), port)
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host.to_string(), port.parse().map_err(|_| bad("invalid port"))?),
                None => (authority.to_string(), default_port),
            }
        };
        if host.is_empty()
            || !host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
            || port == 0
        {
            return Err(bad("invalid host"));
        }
        Ok(WebhookUrl { https, host: host.to_ascii_lowercase(), port, target })
    }

    /// The `Host` header value.
    fn host_header(&self) -> String {
        let host = if self.host.contains(':') { format!("[{}]", self.host) } else { self.host.clone() };
        let default_port = if self.https { 443 } else { 80 };
        if self.port == default_port {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    (text.len() >= prefix.len()
        && text.is_char_boundary(prefix.len())
        && text[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &text[prefix.len()..])
}

/// Whether an address is one webhooks must not reach: unspecified (0.0.0.0, ::), loopback
/// (127/8, ::1), private (RFC 1918, fc00::/7), link-local (169.254/16, fe80::/10), shared
/// address space (100.64/10), multicast, broadcast, reserved (240/4), the "this network" block
/// (0/8), and IPv4-mapped/-compatible forms of any of these.
pub fn is_non_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_non_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_non_public_v4(v4);
            }
            let segments = v6.segments();
            // IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::/96) embed IPv4.
            if segments[..6] == [0; 6] && !v6.is_loopback() && !v6.is_unspecified() {
                return is_non_public_v4(Ipv4Addr::from(((segments[6] as u32) << 16) | segments[7] as u32));
            }
            if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                return is_non_public_v4(Ipv4Addr::from(((segments[6] as u32) << 16) | segments[7] as u32));
            }
            v6.is_unspecified()
                || v6.is_loopback()
                || v6.is_multicast()
                || (segments[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (segments[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (segments[0] & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated)
        }
    }
}

fn is_non_public_v4(v4: Ipv4Addr) -> bool {
    let [a, b, ..] = v4.octets();
    v4.is_unspecified()
        || v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || v4.is_multicast()
        || v4.is_broadcast()
        || a == 0
        || a >= 240
        || (a == 100 && (64..128).contains(&b))
}

/// Resolves the URL's host and checks every address; returns the addresses to connect to.
pub fn resolve_checked(url: &WebhookUrl, allow_private: bool) -> Result<Vec<SocketAddr>, WebhookError> {
    let addresses: Vec<SocketAddr> = match url.host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, url.port)],
        Err(_) => (url.host.as_str(), url.port)
            .to_socket_addrs()
            .map_err(|e| WebhookError::Resolve { host: url.host.clone(), reason: e.to_string() })?
            .collect(),
    };
    if addresses.is_empty() {
        return Err(WebhookError::Resolve { host: url.host.clone(), reason: "no addresses".into() });
    }
    if !allow_private {
        if let Some(bad) = addresses.iter().find(|a| is_non_public(a.ip())) {
            return Err(WebhookError::PrivateAddress { host: url.host.clone(), address: bad.ip() });
        }
    }
    Ok(addresses)
}

/// `sha256=<hex HMAC-SHA256 of body keyed with secret>`, the `X-Namndsok-Signature` value.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    format!("sha256={}", hex(&mac.finalize().into_bytes()))
}

/// Checks a signature header in constant time (for receivers, and the tests).
pub fn verify_signature(secret: &str, body: &[u8], header: &str) -> bool {
    crate::util::constant_time_eq(signature(secret, body).as_bytes(), header.trim().as_bytes())
}

/// `POST`s `body` as JSON to a checked URL with the delivery and signature headers. Returns the
/// status on 2xx. `https://` URLs go over TLS, verified against the system roots, or against
/// `extra_root_pem` alone when given.
pub fn post(
    url: &WebhookUrl,
    addresses: &[SocketAddr],
    body: &[u8],
    delivery_id: &str,
    signature: &str,
    timeout: Duration,
    extra_root_pem: Option<&str>,
) -> Result<u16, WebhookError> {
    let tls_config =
        if url.https { Some(tls::client_config(extra_root_pem).map_err(WebhookError::Tls)?) } else { None };
    let mut last_error = String::from("no address");
    let mut stream = None;
    for address in addresses {
        match TcpStream::connect_timeout(address, timeout) {
            Ok(connected) => {
                stream = Some(connected);
                break;
            }
            Err(error) => last_error = format!("{address}: {error}"),
        }
    }
    let socket = stream.ok_or(WebhookError::Connect(last_error))?;
    socket.set_read_timeout(Some(timeout))?;
    socket.set_write_timeout(Some(timeout))?;
    let mut stream = match tls_config {
        Some(config) => Stream::Tls(Box::new(tls::connect(config, &url.host, socket).map_err(WebhookError::Tls)?)),
        None => Stream::Plain(socket),
    };
    let head = format!(
        "POST {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: Namndsok-Alerts/{version}\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {length}\r\n\
         X-Namndsok-Delivery: {delivery_id}\r\nX-Namndsok-Signature: {signature}\r\nConnection: close\r\n\r\n",
        target = url.target,
        host = url.host_header(),
        version = env!("CARGO_PKG_VERSION"),
        length = body.len(),
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;
    // The status line is all we need; read at most a few KiB.
    let mut response = Vec::with_capacity(256);
    let mut buffer = [0u8; 1024];
    while !response.windows(2).any(|w| w == b"\r\n") && response.len() < 8192 {
        let read = stream.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        response.extend_from_slice(&buffer[..read]);
    }
    let text = String::from_utf8_lossy(&response);
    let status_line = text.lines().next().unwrap_or("");
    let mut parts = status_line.split_whitespace();
    let status = match (parts.next(), parts.next().and_then(|s| s.parse::<u16>().ok())) {
        (Some(version), Some(status)) if version.starts_with("HTTP/1.") => status,
        _ => return Err(WebhookError::BadResponse(status_line.chars().take(80).collect())),
    };
    if (200..300).contains(&status) {
        Ok(status)
    } else {
        Err(WebhookError::Status { status })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_webhook_urls() {
        let url = WebhookUrl::parse("http://hooks.example.org:8080/in?x=1").unwrap();
        assert_eq!(
            (url.host.as_str(), url.port, url.target.as_str(), url.https),
            ("hooks.example.org", 8080, "/in?x=1", false)
        );
        let url = WebhookUrl::parse("HTTPS://Example.org").unwrap();
        assert_eq!((url.host.as_str(), url.port, url.target.as_str(), url.https), ("example.org", 443, "/", true));
        let url = WebhookUrl::parse("http://[2001:db8::1]:81/a").unwrap();
        assert_eq!((url.host.as_str(), url.port), ("2001:db8::1", 81));
        assert_eq!(url.host_header(), "[2001:db8::1]:81");
        for bad in
            ["ftp://x", "http://", "http://a b/", "http://user:pw@example.org/", "http://x:99999/", "http://[::1/"]
        {
            assert!(WebhookUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn private_and_special_addresses_are_non_public() {
        for address in [
            "127.0.0.1",
            "127.8.9.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(is_non_public(address.parse().unwrap()), "{address}");
        }
        for address in ["93.184.216.34", "172.32.0.1", "2606:4700::1111", "::ffff:93.184.216.34"] {
            assert!(!is_non_public(address.parse().unwrap()), "{address}");
        }
    }

    #[test]
    fn signatures_are_hmac_sha256() {
        // RFC 4231 test case 2.
        let mac = signature("Jefe", b"what do ya want for nothing?");
        assert_eq!(mac, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assert!(verify_signature("Jefe", b"what do ya want for nothing?", &mac));
        assert!(!verify_signature("Jefe", b"what do ya want for nothing!", &mac));
    }
}
