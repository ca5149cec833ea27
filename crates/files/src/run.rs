//! Running an external program isolated and bounded.
//!
//! Every program runs in its own process, started through `sh -c 'ulimit …; exec "$0" "$@"'`, so
//! its address space, CPU time and the size of any file it writes are limited by the kernel
//! (without `unsafe` code in this process: the limits are set by the shell, which then replaces
//! itself with the program, so the process we wait for and kill is the program itself). Its
//! standard output is read with a cap, and it is killed when the wall-clock limit passes.

use std::ffi::OsStr;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// Written files are limited to this size (pdftoppm's page rasters are the only files written).
const FILE_SIZE_LIMIT_BYTES: u64 = 512 << 20;

/// Standard error kept for messages.
const STDERR_CAP: usize = 16 << 10;

/// The limits of one program run.
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    pub timeout: Duration,
    pub memory_bytes: u64,
    /// Standard output beyond this many bytes is not read: the pipe is closed and the program
    /// killed, and [`Output::stdout_truncated`] is set.
    pub stdout_cap: usize,
}

/// What a finished (or killed) program left.
#[derive(Debug)]
pub(crate) struct Output {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stdout_truncated: bool,
    pub stderr: String,
}

/// Why a program gave no usable output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RunError {
    /// Not found on `PATH`.
    NotInstalled,
    /// Killed after the wall-clock limit.
    TimedOut(Duration),
    /// Could not be started, or waited for.
    Io(String),
}

/// Where `program` is on `PATH`, if it is an executable file there.
pub(crate) fn find_program(program: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|candidate| {
        std::fs::metadata(candidate).is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
    })
}

/// The shell script that sets the limits and replaces itself with the program.
fn limit_script(limits: &Limits) -> String {
    // `ulimit -v` is in KiB, `ulimit -f` in 512-byte blocks (dash and bash alike), `-t` in s.
    let memory_kib = (limits.memory_bytes / 1024).max(1);
    let cpu_seconds = limits.timeout.as_secs().saturating_add(1).max(1);
    let file_blocks = FILE_SIZE_LIMIT_BYTES / 512;
    format!("ulimit -v {memory_kib} && ulimit -t {cpu_seconds} && ulimit -f {file_blocks} && exec \"$0\" \"$@\"")
}

/// Runs `program` with `args` under `limits`, with `env` added to its environment. Standard
/// input is empty.
pub(crate) fn run(program: &str, args: &[&OsStr], env: &[(&str, &str)], limits: &Limits) -> Result<Output, RunError> {
    let path = find_program(program).ok_or(RunError::NotInstalled)?;
    let mut command = Command::new("sh");
    command.arg("-c").arg(limit_script(limits)).arg(&path).args(args);
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    command.env("LC_ALL", "C.UTF-8");
    for (key, value) in env {
        command.env(key, value);
    }
    // Its own process group, so that anything it starts is killed with it.
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().map_err(|error| RunError::Io(format!("could not start {program}: {error}")))?;

    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    let over_cap = Arc::new(AtomicBool::new(false));
    let stdout_reader = {
        let over_cap = Arc::clone(&over_cap);
        let cap = limits.stdout_cap;
        thread::spawn(move || read_capped(stdout, cap, &over_cap))
    };
    let stderr_reader = thread::spawn(move || {
        let unused = AtomicBool::new(false);
        // Drains all of standard error (so the program never blocks on it) and keeps the start.
        let mut kept = read_capped_draining(stderr, STDERR_CAP, &unused);
        kept.truncate(STDERR_CAP);
        String::from_utf8_lossy(&kept).into_owned()
    });

    let waited = wait_with_timeout(&mut child, limits.timeout, &over_cap);
    // The program has ended (or was killed): its pipes close, and the readers finish.
    let stdout = stdout_reader.join().unwrap_or_default();
    let stderr = stderr_reader.join().unwrap_or_default();
    match waited {
        Ok(Some(status)) => Ok(Output { status, stdout, stdout_truncated: over_cap.load(Ordering::SeqCst), stderr }),
        Ok(None) => Err(RunError::TimedOut(limits.timeout)),
        Err(error) => Err(RunError::Io(format!("waiting for {program}: {error}"))),
    }
}

/// Waits for the child until `timeout`; kills it when the time is up (`Ok(None)`) or when its
/// output went over the cap (then its status is returned: killed by SIGKILL).
fn wait_with_timeout(
    child: &mut Child,
    timeout: Duration,
    over_cap: &AtomicBool,
) -> std::io::Result<Option<ExitStatus>> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if over_cap.load(Ordering::SeqCst) {
            // The reader stopped reading; the program may block on a full pipe or die of
            // SIGPIPE. Either way it is ended here.
            kill(child);
            return child.wait().map(Some);
        }
        let elapsed = started.elapsed();
        if elapsed >= timeout {
            kill(child);
            let _ = child.wait();
            return Ok(None);
        }
        thread::sleep(pause.min(timeout - elapsed));
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

/// Kills the child's process group (the program and anything it started), then the child.
fn kill(child: &mut Child) {
    let _ = Command::new("sh")
        .arg("-c")
        .arg(format!("kill -9 -{} 2>/dev/null", child.id()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
}

/// Reads up to `cap` bytes, then stops reading (dropping the pipe) and sets `over_cap` if there
/// was more.
fn read_capped(mut reader: impl Read, cap: usize, over_cap: &AtomicBool) -> Vec<u8> {
    let mut kept = Vec::new();
    let mut buffer = [0u8; 64 << 10];
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => return kept,
            Ok(n) => {
                if kept.len() + n > cap {
                    kept.extend_from_slice(&buffer[..cap - kept.len()]);
                    over_cap.store(true, Ordering::SeqCst);
                    return kept;
                }
                kept.extend_from_slice(&buffer[..n]);
            }
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return kept,
        }
    }
}

/// Reads everything, keeping the first `cap` bytes.
fn read_capped_draining(mut reader: impl Read, cap: usize, over_cap: &AtomicBool) -> Vec<u8> {
    let mut kept = Vec::new();
    let mut buffer = [0u8; 16 << 10];
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => return kept,
            Ok(n) => {
                let room = cap.saturating_sub(kept.len()).min(n);
                kept.extend_from_slice(&buffer[..room]);
                if room < n {
                    over_cap.store(true, Ordering::SeqCst);
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return kept,
        }
    }
}

/// The line of standard error that says most: the first that reports an error, else the first
/// non-empty one.
pub(crate) fn stderr_line(stderr: &str) -> Option<&str> {
    let lines = || stderr.lines().map(str::trim).filter(|line| !line.is_empty());
    lines().find(|line| line.to_ascii_lowercase().contains("error")).or_else(|| lines().next()).map(|line| {
        match line.char_indices().nth(300) {
            Some((at, _)) => &line[..at],
            None => line,
        }
    })
}

/// True when standard error says an allocation failed (or the program could not even be
/// loaded into its address space limit).
pub(crate) fn says_out_of_memory(stderr: &str) -> bool {
    let lower = stderr.to_ascii_lowercase();
    [
        "out of memory",
        "bad_alloc",
        "cannot allocate",
        "failed to map segment",
        "malloc fail",
        "memory allocation failed",
    ]
    .iter()
    .any(|needle| lower.contains(needle))
}

/// A one-line reason why `program` ended unsuccessfully, or `None` when it exited with 0.
pub(crate) fn failure(program: &str, output: &Output, limits: &Limits) -> Option<String> {
    let status = output.status;
    if status.success() {
        return None;
    }
    let said = stderr_line(&output.stderr);
    let memory_mib = limits.memory_bytes >> 20;
    if says_out_of_memory(&output.stderr) {
        return Some(format!("{program} ran out of memory (limit {memory_mib} MiB)"));
    }
    if let Some(signal) = status.signal() {
        let reason = match signal {
            24 => format!("{program} used more than its CPU time limit and was killed"),
            25 => format!("{program} wrote more than {} MiB and was killed", FILE_SIZE_LIMIT_BYTES >> 20),
            6 | 7 | 11 => format!(
                "{program} crashed (signal {signal}), perhaps out of memory (limit {memory_mib} MiB){}",
                said.map(|line| format!(": {line}")).unwrap_or_default()
            ),
            _ => format!("{program} was killed by signal {signal}"),
        };
        return Some(reason);
    }
    let code = status.code().unwrap_or(-1);
    Some(match said {
        Some(line) => format!("{program}: {line}"),
        None => format!("{program} failed (exit code {code})"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits { timeout: Duration::from_secs(5), memory_bytes: 256 << 20, stdout_cap: 1 << 20 }
    }

    #[test]
    fn runs_a_program_and_reads_its_output() {
        let output = run("echo", &[OsStr::new("hej")], &[], &limits()).unwrap();
        assert!(output.status.success());
        assert_eq!(output.stdout, b"hej\n");
        assert!(!output.stdout_truncated);
    }

    #[test]
    fn a_missing_program_is_not_installed() {
        assert_eq!(run("no-such-program-namndsok", &[], &[], &limits()).unwrap_err(), RunError::NotInstalled);
    }

    #[test]
    fn a_slow_program_is_killed_at_the_timeout() {
        let limits = Limits { timeout: Duration::from_millis(300), ..limits() };
        let started = Instant::now();
        let error = run("sleep", &[OsStr::new("30")], &[], &limits).unwrap_err();
        assert_eq!(error, RunError::TimedOut(Duration::from_millis(300)));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn endless_output_is_cut_at_the_cap() {
        let limits = Limits { stdout_cap: 100_000, ..limits() };
        let output = run("yes", &[], &[], &limits).unwrap();
        assert!(output.stdout_truncated);
        assert_eq!(output.stdout.len(), 100_000);
    }

    #[test]
    fn the_cpu_limit_applies() {
        let limits = Limits { timeout: Duration::from_millis(100), ..limits() };
        // `ulimit -t` is whole seconds: 0 s + 1; the wall clock ends the loop first anyway.
        let started = Instant::now();
        let result = run("sh", &[OsStr::new("-c"), OsStr::new("while :; do :; done")], &[], &limits);
        assert!(matches!(result, Err(RunError::TimedOut(_))) || result.is_ok_and(|output| !output.status.success()));
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn the_memory_limit_applies() {
        // 64 MiB of address space: a shell cannot grow a 200 MB string.
        let limits = Limits { memory_bytes: 64 << 20, ..limits() };
        let script = "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo ${#x}";
        let output = run("bash", &[OsStr::new("-c"), OsStr::new(script)], &[], &limits).unwrap();
        assert_ne!(output.stdout, b"200000000\n");
    }
}
