//! A local RFC 3161 time-stamping authority for the tests: `tests/support/tsa_server.py` (openssl ts
//! behind HTTP, optionally HTTPS) on a free loopback port, stopped when dropped.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use super::{pki, python};

/// The local TSA; killed when dropped.
pub struct LocalTsa {
    child: Child,
    /// The TSA endpoint, `http(s)://127.0.0.1:PORT/tsa`.
    pub url: String,
}

impl LocalTsa {
    pub fn start() -> Self {
        Self::start_with(None)
    }

    /// `tls`: (chain, key) PEM files to serve HTTPS with.
    pub fn start_with(tls: Option<(&Path, &Path)>) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/tsa_server.py");
        let mut command = Command::new(python());
        command.arg(script).arg(pki(""));
        if let Some((chain, key)) = tls {
            command.arg(chain).arg(key);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 is required for the local TSA");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().strip_prefix("PORT ").unwrap().to_owned();
        let scheme = if tls.is_some() { "https" } else { "http" };
        LocalTsa {
            url: format!("{scheme}://127.0.0.1:{port}/tsa"),
            child,
        }
    }
}

impl Drop for LocalTsa {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
