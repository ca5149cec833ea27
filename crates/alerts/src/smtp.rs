//! A small SMTP client (RFC 5321): EHLO, optional STARTTLS (RFC 3207), optional AUTH PLAIN,
//! MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT.
//!
//! The connection is plain TCP ([`Tls::None`], the default: a relay on the same host or network
//! such as Postfix or OpenSMTPD that does TLS onwards), upgraded with STARTTLS after the first
//! EHLO ([`Tls::StartTls`]; a relay that does not offer it is an error, never a fallback to
//! plain text; EHLO is sent again over TLS), or TLS from the first byte ([`Tls::Implicit`],
//! SMTPS, usually port 465). TLS verifies the relay's certificate for its host name (see
//! [`crate::tls`]). AUTH PLAIN over plain TCP sends the password readably, so without TLS only
//! use it towards a local relay.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::tls::{self, Stream};
use crate::util::base64;

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
    #[error("could not connect to the SMTP server {0}: {1}")]
    Connect(String, String),
    #[error("SMTP i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("the SMTP server answered {code} to {command}: {text}")]
    Rejected { command: &'static str, code: u16, text: String },
    #[error("the SMTP server's answer is not SMTP: {0:?}")]
    Protocol(String),
    #[error("invalid address for SMTP: {0:?}")]
    InvalidAddress(String),
    #[error("SMTP TLS: {0}")]
    Tls(String),
}

/// Where and as whom to send.
#[derive(Debug, Clone)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    /// AUTH PLAIN credentials, if the relay wants them.
    pub credentials: Option<(String, String)>,
    /// The name given in EHLO.
    pub helo_name: String,
    pub timeout: Duration,
    pub tls: Tls,
    /// Trust only these certificates (PEM) instead of the system roots when TLS is used.
    pub extra_root_pem: Option<String>,
}

/// A message ready to send: envelope plus the complete RFC 5322 text (headers and body).
#[derive(Debug, Clone)]
pub struct Envelope<'a> {
    pub from: &'a str,
    pub to: &'a str,
    /// Header lines and body; line endings are normalised to CRLF when sent.
    pub message: &'a str,
}

struct Connection {
    stream: BufReader<Stream>,
}

impl Connection {
    /// Reads one (possibly multi-line) reply: the code and the lines' text.
    fn reply(&mut self) -> Result<(u16, Vec<String>), SmtpError> {
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            if self.stream.read_line(&mut line)? == 0 {
                return Err(SmtpError::Protocol("connection closed".into()));
            }
            let line = line.trim_end_matches(['\r', '\n']);
            let code =
                line.get(..3).and_then(|c| c.parse::<u16>().ok()).ok_or_else(|| SmtpError::Protocol(line.into()))?;
            let more = line.as_bytes().get(3) == Some(&b'-');
            lines.push(line.get(4..).unwrap_or("").to_string());
            if !more {
                return Ok((code, lines));
            }
            if lines.len() > 100 {
                return Err(SmtpError::Protocol("reply too long".into()));
            }
        }
    }

    fn command(&mut self, name: &'static str, line: &str, expect: u16) -> Result<Vec<String>, SmtpError> {
        let writer = self.stream.get_mut();
        writer.write_all(line.as_bytes())?;
        writer.write_all(b"\r\n")?;
        writer.flush()?;
        self.expect(name, expect)
    }

    fn expect(&mut self, name: &'static str, expect: u16) -> Result<Vec<String>, SmtpError> {
        let (code, lines) = self.reply()?;
        if code / 100 != expect / 100 {
            return Err(SmtpError::Rejected { command: name, code, text: lines.join(" ") });
        }
        Ok(lines)
    }
}

fn check_address(address: &str) -> Result<(), SmtpError> {
    if address.is_empty() || address.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>') {
        return Err(SmtpError::InvalidAddress(address.to_string()));
    }
    Ok(())
}

/// The message with CRLF line endings and dot-stuffing (a line starting with `.` gets another).
pub fn dot_stuff(message: &str) -> String {
    let mut out = String::with_capacity(message.len() + 64);
    for line in message.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with('.') {
            out.push('.');
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    // `split` yields a last empty piece after a final newline; drop its extra CRLF.
    if message.ends_with('\n') {
        out.truncate(out.len() - 2);
    }
    out
}

/// Sends one message in one SMTP session.
pub fn send(server: &SmtpServer, envelope: &Envelope<'_>) -> Result<(), SmtpError> {
    check_address(envelope.from)?;
    check_address(envelope.to)?;
    let target = format!("{}:{}", server.host, server.port);
    let addresses: Vec<_> = (server.host.as_str(), server.port)
        .to_socket_addrs()
        .map_err(|e| SmtpError::Connect(target.clone(), e.to_string()))?
        .collect();
    let mut last_error = "no address".to_string();
    let mut stream = None;
    for address in &addresses {
        match TcpStream::connect_timeout(address, server.timeout) {
            Ok(connected) => {
                stream = Some(connected);
                break;
            }
            Err(error) => last_error = error.to_string(),
        }
    }
    let socket = stream.ok_or(SmtpError::Connect(target, last_error))?;
    socket.set_read_timeout(Some(server.timeout))?;
    socket.set_write_timeout(Some(server.timeout))?;
    let tls_config = match server.tls {
        Tls::None => None,
        Tls::StartTls | Tls::Implicit => {
            Some(tls::client_config(server.extra_root_pem.as_deref()).map_err(SmtpError::Tls)?)
        }
    };
    let stream = match (&tls_config, server.tls) {
        (Some(config), Tls::Implicit) => {
            Stream::Tls(Box::new(tls::connect(config.clone(), &server.host, socket).map_err(SmtpError::Tls)?))
        }
        _ => Stream::Plain(socket),
    };
    let mut connection = Connection { stream: BufReader::new(stream) };

    connection.expect("greeting", 220)?;
    let ehlo = format!("EHLO {}", server.helo_name);
    let mut extensions = connection.command("EHLO", &ehlo, 250)?;
    if let (Some(config), Tls::StartTls) = (tls_config, server.tls) {
        if !extensions.iter().any(|line| line.trim().eq_ignore_ascii_case("STARTTLS")) {
            return Err(SmtpError::Tls(format!("the SMTP server {} does not offer STARTTLS", server.host)));
        }
        connection.command("STARTTLS", "STARTTLS", 220)?;
        // Anything the server sent after its 220 would be plaintext injected into the TLS
        // session (CVE-2011-0411 and kin): refuse it.
        if !connection.stream.buffer().is_empty() {
            return Err(SmtpError::Protocol("data after the STARTTLS reply".into()));
        }
        let Stream::Plain(socket) = connection.stream.into_inner() else {
            unreachable!("STARTTLS starts on a plain connection")
        };
        let secured = tls::connect(config, &server.host, socket).map_err(SmtpError::Tls)?;
        connection = Connection { stream: BufReader::new(Stream::Tls(Box::new(secured))) };
        // RFC 3207: forget what was learnt before TLS and ask again.
        extensions = connection.command("EHLO", &ehlo, 250)?;
    }
    let eight_bit = extensions.iter().any(|line| line.eq_ignore_ascii_case("8BITMIME"));
    if let Some((user, password)) = &server.credentials {
        let token = base64(format!("\0{user}\0{password}").as_bytes());
        connection.command("AUTH", &format!("AUTH PLAIN {token}"), 235)?;
    }
    let body_parameter = if eight_bit { " BODY=8BITMIME" } else { "" };
    connection.command("MAIL FROM", &format!("MAIL FROM:<{}>{body_parameter}", envelope.from), 250)?;
    connection.command("RCPT TO", &format!("RCPT TO:<{}>", envelope.to), 250)?;
    connection.command("DATA", "DATA", 354)?;
    let mut data = dot_stuff(envelope.message);
    if !data.ends_with("\r\n") {
        data.push_str("\r\n");
    }
    data.push_str(".\r\n");
    connection.stream.get_mut().write_all(data.as_bytes())?;
    connection.stream.get_mut().flush()?;
    connection.expect("end of DATA", 250)?;
    // The message is accepted; a failed QUIT does not change that.
    let _ = connection.command("QUIT", "QUIT", 221);
    Ok(())
}

/// A header value as an RFC 2047 encoded word when it is not plain ASCII.
pub fn encode_header(value: &str) -> String {
    if value.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
        return value.to_string();
    }
    // Encoded words are at most 75 characters: split the text into chunks of whole characters.
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in value.chars().filter(|c| !c.is_control()) {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
    }
    words.join("\r\n ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_stuffs_and_normalises_line_endings() {
        assert_eq!(dot_stuff("a\n.b\r\n..c\nd"), "a\r\n..b\r\n...c\r\nd\r\n");
        assert_eq!(dot_stuff("a\n.\n"), "a\r\n..\r\n");
    }

    #[test]
    fn encodes_non_ascii_headers() {
        assert_eq!(encode_header("plain"), "plain");
        assert_eq!(encode_header("Nämndsök"), "=?UTF-8?B?TsOkbW5kc8O2aw==?=");
        let long = encode_header(&"å".repeat(60));
        assert!(long.split("\r\n ").all(|word| word.len() <= 75));
    }
}
