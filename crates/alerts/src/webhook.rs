//! Webhooks: signed JSON `POST`ed with reqwest, and the address check that keeps webhooks from
//! reaching into our own network (SSRF).
//!
//! `http://` and `https://` URLs are delivered. For `https://` the URL's host is sent as SNI and
//! must be named by the receiver's certificate, which must chain to a system root (or to the
//! configured extra root alone); a failed handshake is a [`WebhookError::Tls`] failure like any
//! other. Redirects are not followed, no proxy is used; any answer other than 2xx is a failure.
//!
//! Every name reqwest connects to goes through [`CheckingResolver`]: it resolves the host once,
//! checks *every* address, and hands reqwest exactly the checked addresses, so the connection
//! goes to what was checked and a DNS answer that changes between the check and the connection
//! (rebinding) cannot slip a private address through. A URL whose host is an IP address is
//! checked before the request (reqwest does not resolve those).

use std::net::{IpAddr, Ipv4Addr, SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::Url;
use sha2::Sha256;

/// Why a webhook could not be delivered.
#[derive(Debug, Clone, thiserror::Error)]
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
    #[error("the webhook did not answer in time: {0}")]
    Timeout(String),
    #[error("the webhook answered HTTP {status}")]
    Status { status: u16 },
    #[error("webhook HTTP: {0}")]
    Http(String),
}

/// A checked `http://` or `https://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl {
    url: Url,
}

impl WebhookUrl {
    /// Parses a webhook URL: `http://` or `https://`, a host, no user info, no whitespace, at
    /// most 2000 characters.
    pub fn parse(text: &str) -> Result<WebhookUrl, WebhookError> {
        let bad = |why: &str| WebhookError::InvalidUrl(format!("{why}: {text:?}"));
        let trimmed = text.trim();
        // The URL parser would silently drop tabs and line breaks; refuse them instead.
        if trimmed.len() > 2000 || trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("too long or contains spaces"));
        }
        let url = Url::parse(trimmed).map_err(|e| bad(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("only http:// and https:// URLs are accepted"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("user names and passwords in the URL are not accepted"));
        }
        let host = url.host_str().unwrap_or("");
        if host.is_empty()
            || !host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '[' | ']'))
            || url.port() == Some(0)
        {
            return Err(bad("invalid host"));
        }
        Ok(WebhookUrl { url })
    }

    pub fn https(&self) -> bool {
        self.url.scheme() == "https"
    }

    /// The host, lowercase, without brackets for IPv6 literals.
    pub fn host(&self) -> String {
        let host = self.url.host_str().unwrap_or("");
        host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host).to_string()
    }

    /// The port, explicit or the scheme's.
    pub fn port(&self) -> u16 {
        self.url.port_or_known_default().unwrap_or(80)
    }

    /// Path and query, starting with `/`.
    pub fn target(&self) -> String {
        match self.url.query() {
            Some(query) => format!("{}?{query}", self.url.path()),
            None => self.url.path().to_string(),
        }
    }

    pub fn as_url(&self) -> &Url {
        &self.url
    }

    /// The host as an IP address, when it is one.
    fn ip(&self) -> Option<IpAddr> {
        // The URL parser has already normalised IPv4 in any notation (`0x7f.1`) to dotted quads.
        self.host().parse().ok()
    }
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

/// The addresses, unless one of them must not be reached (and private ones are not allowed).
fn check(host: &str, addresses: Vec<SocketAddr>, allow_private: bool) -> Result<Vec<SocketAddr>, WebhookError> {
    if addresses.is_empty() {
        return Err(WebhookError::Resolve { host: host.to_string(), reason: "no addresses".into() });
    }
    if !allow_private {
        if let Some(bad) = addresses.iter().find(|a| is_non_public(a.ip())) {
            return Err(WebhookError::PrivateAddress { host: host.to_string(), address: bad.ip() });
        }
    }
    Ok(addresses)
}

fn resolve_name(host: &str, port: u16, allow_private: bool) -> Result<Vec<SocketAddr>, WebhookError> {
    let addresses = (host, port)
        .to_socket_addrs()
        .map_err(|e| WebhookError::Resolve { host: host.to_string(), reason: e.to_string() })?
        .collect();
    check(host, addresses, allow_private)
}

/// Resolves the URL's host and checks every address; returns the addresses.
pub fn resolve_checked(url: &WebhookUrl, allow_private: bool) -> Result<Vec<SocketAddr>, WebhookError> {
    match url.ip() {
        Some(ip) => check(&url.host(), vec![SocketAddr::new(ip, url.port())], allow_private),
        None => resolve_name(&url.host(), url.port(), allow_private),
    }
}

/// reqwest's resolver for webhooks: resolves a name once, refuses it if any address is
/// non-public (unless allowed), and returns exactly the checked addresses, which reqwest
/// then connects to.
#[derive(Debug, Clone, Copy)]
pub struct CheckingResolver {
    pub allow_private: bool,
}

impl Resolve for CheckingResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            // getaddrinfo blocks; reqwest's port replaces the 0.
            let resolved = tokio::task::spawn_blocking(move || resolve_name(&host, 0, allow_private))
                .await
                .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
            let addresses = resolved.map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
            Ok(Box::new(addresses.into_iter()) as Addrs)
        })
    }
}

/// `sha256=<hex HMAC-SHA256 of body keyed with secret>`, the `X-Namndsok-Signature` value.
pub fn signature(secret: &str, body: &[u8]) -> String {
    format!("sha256={}", hex::encode(mac(secret, body).finalize().into_bytes()))
}

fn mac(secret: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    mac
}

/// Checks a signature header in constant time (for receivers, and the tests).
pub fn verify_signature(secret: &str, body: &[u8], header: &str) -> bool {
    let Some(digest) = header.trim().strip_prefix("sha256=") else { return false };
    // Only lowercase hex, as [`signature`] writes it.
    if digest.bytes().any(|b| b.is_ascii_uppercase()) {
        return false;
    }
    match hex::decode(digest) {
        Ok(bytes) => mac(secret, body).verify_slice(&bytes).is_ok(),
        Err(_) => false,
    }
}

/// The HTTP client webhooks are sent with: no redirects, no proxy, every name through
/// [`CheckingResolver`]; TLS with the system roots, or `extra_root_pem` alone when given.
pub fn client(
    timeout: Duration,
    allow_private: bool,
    extra_root_pem: Option<&str>,
) -> Result<reqwest::blocking::Client, WebhookError> {
    crate::install_crypto_provider();
    let mut builder = reqwest::blocking::Client::builder()
        .user_agent(concat!("Namndsok-Alerts/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(timeout)
        .timeout(timeout)
        .dns_resolver(Arc::new(CheckingResolver { allow_private }));
    if let Some(pem) = extra_root_pem {
        let certificates = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
            .map_err(|e| WebhookError::Tls(format!("TLS setup: unreadable extra root certificate: {e}")))?;
        if certificates.is_empty() {
            return Err(WebhookError::Tls("TLS setup: the extra root PEM holds no certificate".into()));
        }
        builder = builder.tls_certs_only(certificates);
    }
    builder.build().map_err(|e| WebhookError::Tls(format!("TLS setup: {}", crate::smtp::describe(&e))))
}

/// `POST`s `body` as JSON to `url` with the delivery and signature headers. Returns the status
/// on 2xx.
pub fn post(
    client: &reqwest::blocking::Client,
    url: &WebhookUrl,
    allow_private: bool,
    body: &[u8],
    delivery_id: &str,
    signature: &str,
) -> Result<u16, WebhookError> {
    // reqwest resolves names through the checking resolver, but connects to IP addresses as
    // they are: check those here.
    if let Some(ip) = url.ip() {
        check(&url.host(), vec![SocketAddr::new(ip, url.port())], allow_private)?;
    }
    let response = client
        .post(url.as_url().clone())
        .header(reqwest::header::CONTENT_TYPE, "application/json; charset=utf-8")
        .header("X-Namndsok-Delivery", delivery_id)
        .header("X-Namndsok-Signature", signature)
        .body(body.to_vec())
        .send()
        .map_err(from_reqwest)?;
    let status = response.status().as_u16();
    if response.status().is_success() {
        Ok(status)
    } else {
        Err(WebhookError::Status { status })
    }
}

/// The webhook's own error when the resolver refused the host; otherwise what kind of failure.
fn from_reqwest(error: reqwest::Error) -> WebhookError {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    while let Some(cause) = next {
        if let Some(refused) = cause.downcast_ref::<WebhookError>() {
            return refused.clone();
        }
        next = cause.source();
    }
    let detail = crate::smtp::describe(&error);
    if crate::smtp::is_tls_failure(&error) {
        WebhookError::Tls(detail)
    } else if error.is_timeout() {
        WebhookError::Timeout(detail)
    } else if error.is_connect() {
        WebhookError::Connect(detail)
    } else {
        WebhookError::Http(detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_webhook_urls() {
        let url = WebhookUrl::parse("http://hooks.example.org:8080/in?x=1").unwrap();
        assert_eq!(
            (url.host().as_str(), url.port(), url.target().as_str(), url.https()),
            ("hooks.example.org", 8080, "/in?x=1", false)
        );
        let url = WebhookUrl::parse("HTTPS://Example.org").unwrap();
        assert_eq!(
            (url.host().as_str(), url.port(), url.target().as_str(), url.https()),
            ("example.org", 443, "/", true)
        );
        let url = WebhookUrl::parse("http://[2001:db8::1]:81/a").unwrap();
        assert_eq!((url.host().as_str(), url.port()), ("2001:db8::1", 81));
        for bad in [
            "ftp://x",
            "http://",
            "http://a b/",
            "http://user:pw@example.org/",
            "http://x:99999/",
            "http://[::1/",
            "http://x/a\tb",
            "http://x:0/",
        ] {
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
    fn ip_hosts_in_any_notation_are_checked() {
        // The URL parser normalises these to 127.0.0.1; the check sees the address.
        for url in ["http://0x7f.1/", "http://2130706433/", "http://[::ffff:7f00:1]/"] {
            let parsed = WebhookUrl::parse(url).unwrap();
            assert!(matches!(resolve_checked(&parsed, false), Err(WebhookError::PrivateAddress { .. })), "{url}");
        }
    }

    #[test]
    fn signatures_are_hmac_sha256() {
        // RFC 4231 test case 2.
        let mac = signature("Jefe", b"what do ya want for nothing?");
        assert_eq!(mac, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assert!(verify_signature("Jefe", b"what do ya want for nothing?", &mac));
        assert!(!verify_signature("Jefe", b"what do ya want for nothing!", &mac));
        assert!(!verify_signature("Jefe", b"what do ya want for nothing?", &mac.to_uppercase()));
        assert!(!verify_signature("Jefe", b"what do ya want for nothing?", &mac[..20]));
        assert!(!verify_signature("Jefe", b"what do ya want for nothing?", "5bdcc146"));
    }
}
