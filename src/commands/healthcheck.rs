//! `namndsok healthcheck`: asks a running server's `/healthz` (for container health checks; no
//! curl or shell needed in the image).

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use anyhow::{bail, Context, Result};

/// Check that a running server answers /healthz with "ok"
#[derive(clap::Args)]
pub struct Args {
    /// The server's address
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// Seconds to wait for the answer
    #[arg(long, default_value_t = 3)]
    timeout_secs: u64,
}

pub fn run(args: Args) -> Result<()> {
    let timeout = Duration::from_secs(args.timeout_secs.max(1));
    let address = args
        .addr
        .to_socket_addrs()
        .with_context(|| format!("{} is not an address", args.addr))?
        .next()
        .with_context(|| format!("{} resolves to nothing", args.addr))?;
    let mut stream =
        TcpStream::connect_timeout(&address, timeout).with_context(|| format!("nothing answers on {address}"))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(stream, "GET /healthz HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", args.addr)?;
    let mut answer = Vec::new();
    stream.take(64 * 1024).read_to_end(&mut answer).context("no answer from /healthz")?;
    let answer = String::from_utf8_lossy(&answer);
    let status = answer.lines().next().unwrap_or_default();
    if !status.contains(" 200 ") {
        bail!("/healthz answered {status:?}");
    }
    if !answer.contains("\"status\":\"ok\"") {
        bail!("/healthz did not say ok");
    }
    println!("ok");
    Ok(())
}
