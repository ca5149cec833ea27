//! A small SMTP client (RFC 5321) over plain TCP: EHLO, optional AUTH PLAIN, MAIL FROM, RCPT TO,
//! DATA with dot-stuffing, QUIT.
//!
//! TLS (STARTTLS or SMTPS) is not implemented yet: hand mail to a relay on the same host or
//! network (Postfix, OpenSMTPD, a provider's relay container) that does TLS onwards. AUTH PLAIN
//! over plain TCP sends the password readably, so only use it towards such a local relay.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::util::base64;

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
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Connection {
    /// Reads one (possibly multi-line) reply: the code and the lines' text.
    fn reply(&mut self) -> Result<(u16, Vec<String>), SmtpError> {
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            if self.reader.read_line(&mut line)? == 0 {
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
        self.writer.write_all(line.as_bytes())?;
        self.writer.write_all(b"\r\n")?;
        self.writer.flush()?;
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
    let stream = stream.ok_or(SmtpError::Connect(target, last_error))?;
    stream.set_read_timeout(Some(server.timeout))?;
    stream.set_write_timeout(Some(server.timeout))?;
    let mut connection = Connection { reader: BufReader::new(stream.try_clone()?), writer: stream };

    connection.expect("greeting", 220)?;
    let extensions = connection.command("EHLO", &format!("EHLO {}", server.helo_name), 250)?;
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
    connection.writer.write_all(data.as_bytes())?;
    connection.writer.flush()?;
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
