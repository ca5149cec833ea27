//! E-mail: an alert as a message ([`Email`]) and its hand-over to the SMTP relay with lettre.
//!
//! lettre speaks the protocol: EHLO, STARTTLS (RFC 3207) or TLS from the first byte (SMTPS),
//! AUTH PLAIN or LOGIN by what the relay offers, `BODY=8BITMIME`/`SMTPUTF8` when the message
//! or the envelope needs them, dot-stuffing, RFC 2047 encoded words and line folding in the
//! headers, the body's transfer encoding (7bit, quoted-printable or base64; `8bit` only when
//! the relay announced 8BITMIME and no line is longer than 76 characters, so alerts, whose
//! links and titles are longer, go quoted-printable).
//!
//! The connection is plain TCP ([`Tls::None`], the default: a relay on the same host or network
//! such as Postfix or OpenSMTPD that does TLS onwards), upgraded with STARTTLS after the first
//! EHLO ([`Tls::StartTls`]; a relay that does not offer it is an error, never a fallback to
//! plain text), or TLS from the first byte ([`Tls::Implicit`], SMTPS, usually port 465). TLS is
//! rustls on `ring`; the relay's certificate is verified for its host name against the system's
//! roots (`rustls-platform-verifier`), or only against [`SmtpServer::extra_root_pem`] when set.
//! AUTH over plain TCP sends the password readably, so without TLS only use it towards a local
//! relay.
//!
//! Known weakness (lettre 0.11): with STARTTLS, bytes the relay sent after its `220` reply and
//! before the handshake stay in lettre's read buffer and are read as if they came over TLS (the
//! "STARTTLS command/response injection" class, CVE-2011-0411). A man in the middle could so
//! fake replies — a mail reported sent that was not. Our former hand-written client refused
//! such bytes; lettre's API offers no hook to. Until lettre guards against it, prefer a local
//! relay or implicit TLS ([`Tls::Implicit`]) over STARTTLS across untrusted networks.
//!
//! Errors are sorted as the relay meant them: a 5xx reply (or an address that cannot be
//! written) is permanent, everything else (4xx, the network, TLS) is worth trying again —
//! except the 5xx replies about our own credentials (530, 534, 535, 538), which an operator
//! fixes in the configuration: those are retried, so a wrong password loses no alert.

use std::time::{Duration, SystemTime};

use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue, MIME_VERSION_1_0};
use lettre::message::{Body, Mailbox, Message};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, CertificateStore, SmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::{ClientId, Extension};
use lettre::Address;

/// Whether and how the SMTP connection is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tls {
    /// Plain SMTP (a local relay).
    #[default]
    None,
    /// Plain connection upgraded with STARTTLS (usually port 587 or 25).
    StartTls,
    /// TLS from the start (SMTPS, usually port 465).
    Implicit,
}

impl std::str::FromStr for Tls {
    type Err = String;

    /// `none`, `starttls` or `implicit` (also `smtps`), in any case.
    fn from_str(text: &str) -> Result<Tls, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "none" | "plain" => Ok(Tls::None),
            "starttls" => Ok(Tls::StartTls),
            "implicit" | "smtps" => Ok(Tls::Implicit),
            _ => Err(format!("unknown SMTP TLS mode {text:?} (expected none, starttls or implicit)")),
        }
    }
}

impl std::fmt::Display for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Tls::None => "none",
            Tls::StartTls => "starttls",
            Tls::Implicit => "implicit",
        })
    }
}

/// Why a message could not be handed over.
#[derive(Debug, thiserror::Error)]
pub enum SmtpError {
    #[error("invalid address for SMTP: {0:?}")]
    InvalidAddress(String),
    /// TLS setup, the handshake, or a relay that does not offer STARTTLS.
    #[error("SMTP TLS: {0}")]
    Tls(String),
    /// The relay answered 5xx: the same message will not be accepted later either.
    #[error("the SMTP server refused the message permanently: {0}")]
    Permanent(String),
    /// A 4xx answer, the network, a timeout: worth trying again.
    #[error("SMTP: {0}")]
    Transient(String),
}

impl SmtpError {
    /// Whether trying again cannot help.
    pub fn is_permanent(&self) -> bool {
        matches!(self, SmtpError::InvalidAddress(_) | SmtpError::Permanent(_))
    }

    fn from_lettre(error: lettre::transport::smtp::Error, host: &str) -> SmtpError {
        let code = error.status().map(|code| code.to_string());
        if error.is_permanent() && code.as_deref().is_some_and(is_credentials_code) {
            return SmtpError::Transient(format!("the SMTP server {host} refused our credentials ({error})"));
        }
        if error.is_permanent() {
            return SmtpError::Permanent(error.to_string());
        }
        // lettre's words for a relay without STARTTLS when it was required.
        if error.is_client() && error.to_string().contains("STARTTLS") {
            return SmtpError::Tls(format!("the SMTP server {host} does not offer STARTTLS ({error})"));
        }
        if error.is_tls() || is_tls_failure(&error) {
            return SmtpError::Tls(describe(&error));
        }
        SmtpError::Transient(describe(&error))
    }
}

/// 5xx replies about the client's authentication: a configuration fault, not the message's.
fn is_credentials_code(code: &str) -> bool {
    matches!(code, "530" | "534" | "535" | "538")
}

/// The next cause: an `io::Error`'s inner error (which its `source` skips), else `source`.
fn cause<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a (dyn std::error::Error + 'static)> {
    match error.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
        Some(inner) => Some(inner),
        None => error.source(),
    }
}

/// Whether a rustls error is somewhere in the chain (a failed handshake is an i/o error).
pub(crate) fn is_tls_failure(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(error) = next {
        if error.is::<rustls::Error>() {
            return true;
        }
        next = cause(error);
    }
    false
}

/// The error and its causes as one line (a cause whose text is already there is left out:
/// wrappers often repeat it).
pub(crate) fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut next = cause(error);
    while let Some(error) = next {
        let part = error.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        next = cause(error);
    }
    text
}

/// Where and as whom to send.
#[derive(Debug, Clone)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    /// AUTH credentials (PLAIN or LOGIN, as the relay offers), if the relay wants them.
    pub credentials: Option<(String, String)>,
    /// The name given in EHLO.
    pub helo_name: String,
    pub timeout: Duration,
    pub tls: Tls,
    /// Trust only these certificates (PEM) instead of the system roots when TLS is used.
    pub extra_root_pem: Option<String>,
}

/// One plain-text e-mail, before it is encoded for a relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// The `From:` address (and envelope sender); its display name is "Nämndsök".
    pub from: String,
    pub to: String,
    pub subject: String,
    /// The text; line endings become CRLF when sent.
    pub body: String,
    /// `Message-ID` without the angle brackets (`{delivery id}@{sender domain}`).
    pub message_id: String,
    /// `X-Namndsok-Delivery`.
    pub delivery_id: String,
    /// The one-click unsubscribe link (`List-Unsubscribe`, RFC 8058), for alerts.
    pub unsubscribe: Option<String>,
    pub date: SystemTime,
}

fn address(text: &str) -> Result<Address, SmtpError> {
    text.parse::<Address>().map_err(|_| SmtpError::InvalidAddress(text.to_string()))
}

fn raw_header(name: &'static str, value: String) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
}

impl Email {
    /// The message as lettre sends it to a relay that does (`eight_bit`) or does not take
    /// 8BITMIME.
    pub fn message(&self, eight_bit: bool) -> Result<Message, SmtpError> {
        let mut builder = Message::builder()
            .from(Mailbox::new(Some("Nämndsök".to_string()), address(&self.from)?))
            .to(Mailbox::new(None, address(&self.to)?))
            .subject(self.subject.clone())
            .date(self.date)
            .message_id(Some(format!("<{}>", self.message_id)))
            .header(MIME_VERSION_1_0)
            .header(ContentType::TEXT_PLAIN)
            .raw_header(raw_header("Auto-Submitted", "auto-generated".to_string()))
            .raw_header(raw_header("X-Namndsok-Delivery", self.delivery_id.clone()));
        if let Some(unsubscribe) = &self.unsubscribe {
            builder = builder
                .raw_header(raw_header("List-Unsubscribe", format!("<{unsubscribe}>")))
                .raw_header(raw_header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click".to_string()));
        }
        // lettre's choice: 8bit only where the relay takes it and every line is short; else
        // 7bit, quoted-printable or base64, whichever fits and is shortest.
        let body = match eight_bit {
            true => Body::new_with_encoding(self.body.clone(), ContentTransferEncoding::EightBit)
                .unwrap_or_else(|_| Body::new(self.body.clone())),
            false => Body::new(self.body.clone()),
        };
        builder.body(body).map_err(|error| SmtpError::InvalidAddress(format!("{}: {error}", self.to)))
    }

    /// The complete message text (headers and body) as sent to a relay with 8BITMIME.
    pub fn formatted(&self) -> Result<String, SmtpError> {
        Ok(String::from_utf8_lossy(&self.message(true)?.formatted()).into_owned())
    }
}

fn tls_parameters(server: &SmtpServer) -> Result<TlsParameters, SmtpError> {
    crate::install_crypto_provider();
    let mut builder = TlsParameters::builder(server.host.clone());
    if let Some(pem) = &server.extra_root_pem {
        let certificate = Certificate::from_pem(pem.as_bytes())
            .map_err(|e| SmtpError::Tls(format!("TLS setup: unusable extra root certificate: {e}")))?;
        builder = builder.certificate_store(CertificateStore::None).add_root_certificate(certificate);
    }
    builder.build_rustls().map_err(|e| SmtpError::Tls(format!("TLS setup: {e}")))
}

/// Sends one message in one SMTP session.
pub fn send(server: &SmtpServer, email: &Email) -> Result<(), SmtpError> {
    // Written before connecting: an address that cannot be sent is permanent.
    let plain = email.message(false)?;
    let tls = match server.tls {
        Tls::None => None,
        Tls::StartTls | Tls::Implicit => Some(tls_parameters(server)?),
    };
    let hello = ClientId::Domain(server.helo_name.clone());
    let wrapper = tls.as_ref().filter(|_| server.tls == Tls::Implicit);
    let mut connection =
        SmtpConnection::connect((server.host.as_str(), server.port), Some(server.timeout), &hello, wrapper, None)
            .map_err(|error| SmtpError::from_lettre(error, &server.host))?;
    let result = (|| {
        if let (Tls::StartTls, Some(parameters)) = (server.tls, &tls) {
            connection.starttls(parameters, &hello)?;
        }
        if let Some((user, password)) = &server.credentials {
            let credentials = Credentials::new(user.clone(), password.clone());
            connection.auth(&[Mechanism::Plain, Mechanism::Login], &credentials)?;
        }
        let message = match connection.server_info().supports_feature(Extension::EightBitMime) {
            true => email.message(true).unwrap_or(plain),
            false => plain,
        };
        connection.send(message.envelope(), &message.formatted())
    })();
    match result {
        Ok(_) => {
            // The message is accepted; a failed QUIT does not change that.
            let _ = connection.quit();
            Ok(())
        }
        Err(error) => {
            connection.abort();
            Err(SmtpError::from_lettre(error, &server.host))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(body: &str) -> Email {
        Email {
            from: "bevakning@namndsok.example".into(),
            to: "anna@example.org".into(),
            subject: "Nämndsök: 1 ny träff".into(),
            body: body.into(),
            message_id: "d-1@namndsok.example".into(),
            delivery_id: "d-1".into(),
            unsubscribe: None,
            date: SystemTime::UNIX_EPOCH,
        }
    }

    fn encoding(message: &Message) -> String {
        let text = String::from_utf8(message.formatted()).unwrap();
        let line = text.lines().find(|line| line.starts_with("Content-Transfer-Encoding:")).unwrap();
        line.split_once(": ").unwrap().1.to_string()
    }

    #[test]
    fn the_body_goes_8bit_only_where_the_relay_takes_it_and_lines_are_short() {
        let short = email("Hej!\nEn ny träff.\n");
        assert_eq!(encoding(&short.message(true).unwrap()), "8bit");
        assert_eq!(encoding(&short.message(false).unwrap()), "quoted-printable");
        let long = email(&format!("Hej!\n{}\n", "Långt ord ".repeat(20)));
        assert_eq!(encoding(&long.message(true).unwrap()), "quoted-printable");
        assert_eq!(encoding(&email("Hello\n").message(false).unwrap()), "7bit");
    }

    #[test]
    fn addresses_that_cannot_be_sent_are_permanent_errors() {
        let mut bad = email("x");
        bad.to = "not an address".into();
        let error = bad.message(true).unwrap_err();
        assert!(matches!(error, SmtpError::InvalidAddress(_)) && error.is_permanent(), "{error}");
        assert!(!SmtpError::Transient("421".into()).is_permanent());
    }
}
