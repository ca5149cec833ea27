//! TLS for alert delivery (`https://` webhooks, SMTPS and STARTTLS): rustls on the `ring`
//! provider, over a TCP connection the caller has already opened (for webhooks: to an address
//! that passed the private-address check, so TLS never resolves the name again).
//!
//! Certificates are verified against the system's roots with `rustls-platform-verifier` (as
//! the harvester's reqwest does), or, when an extra root is configured (tests, a private CA),
//! against that root alone. The server name sent (SNI) and verified is the URL's or relay's
//! host. The crypto provider is passed explicitly; no process-wide default is installed or used.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, OnceLock};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, ConfigBuilder, RootCertStore, StreamOwned, WantsVerifier};

/// A TLS client stream over TCP.
pub type TlsStream = StreamOwned<ClientConnection, TcpStream>;

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The client configuration: the platform verifier (shared, built once per process: it loads
/// the system roots on first use), or a fresh one trusting only the certificates of
/// `extra_root_pem` (PEM, one or more `CERTIFICATE` blocks).
pub fn client_config(extra_root_pem: Option<&str>) -> Result<Arc<ClientConfig>, String> {
    static PLATFORM: OnceLock<Arc<ClientConfig>> = OnceLock::new();
    let builder = |provider: Arc<CryptoProvider>| -> Result<ConfigBuilder<ClientConfig, WantsVerifier>, String> {
        ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS setup: {e}"))
    };
    match extra_root_pem {
        Some(pem) => {
            let mut roots = RootCertStore::empty();
            for certificate in CertificateDer::pem_slice_iter(pem.as_bytes()) {
                let certificate =
                    certificate.map_err(|e| format!("TLS setup: unreadable extra root certificate: {e}"))?;
                roots.add(certificate).map_err(|e| format!("TLS setup: unusable extra root certificate: {e}"))?;
            }
            if roots.is_empty() {
                return Err("TLS setup: the extra root PEM holds no certificate".into());
            }
            Ok(Arc::new(builder(provider())?.with_root_certificates(roots).with_no_client_auth()))
        }
        None => {
            if let Some(config) = PLATFORM.get() {
                return Ok(config.clone());
            }
            let provider = provider();
            let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
                .map_err(|e| format!("TLS setup: the system certificate verifier: {e}"))?;
            let config = builder(provider)?
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier))
                .with_no_client_auth();
            Ok(PLATFORM.get_or_init(|| Arc::new(config)).clone())
        }
    }
}

/// Runs the TLS handshake with `host` (SNI and the name the certificate must carry; a host
/// that is an IP address must be in the certificate as one) over `socket`, whose timeouts
/// apply. Errors are readable sentences: a certificate that is not trusted, a handshake the
/// server broke off, a timeout.
pub fn connect(config: Arc<ClientConfig>, host: &str, mut socket: TcpStream) -> Result<TlsStream, String> {
    let name = ServerName::try_from(host.to_string()).map_err(|e| format!("invalid TLS server name {host:?}: {e}"))?;
    let mut connection = ClientConnection::new(config, name).map_err(|e| format!("TLS setup: {e}"))?;
    while connection.is_handshaking() {
        match connection.complete_io(&mut socket) {
            Ok((0, 0)) => return Err(format!("TLS handshake with {host}: the connection was closed")),
            Ok(_) => {}
            Err(error) => return Err(format!("TLS handshake with {host} failed: {error}")),
        }
    }
    Ok(StreamOwned::new(connection, socket))
}

/// A connection that is plain TCP or TLS over TCP.
pub(crate) enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream>),
}

impl Read for Stream {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(stream) => stream.read(buffer),
            Stream::Tls(stream) => stream.read(buffer),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(stream) => stream.write(buffer),
            Stream::Tls(stream) => stream.write(buffer),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(stream) => stream.flush(),
            Stream::Tls(stream) => stream.flush(),
        }
    }
}
