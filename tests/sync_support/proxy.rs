//! A fault-injecting TCP proxy on loopback for the outbox tests: sits between client and portal and, per
//! connection, may reset it at once, cut it after a random number of bytes (mid-body), stall it for a
//! while, and throttles every connection to a bandwidth limit. Plain threads and std sockets: the point is
//! to be obviously correct, not fast.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What the proxy does to connections.
#[derive(Debug, Clone)]
pub struct Faults {
    /// Probability that a new connection is closed at once.
    pub reset: f64,
    /// Probability that a connection is cut after a random number (< `cut_within`) of upstream bytes.
    pub cut: f64,
    pub cut_within: u64,
    /// Probability that a connection stalls for `stall` before its first byte is forwarded.
    pub stall_rate: f64,
    pub stall: Duration,
    /// Bytes per second per direction and connection; 0 = unlimited.
    pub bytes_per_sec: u64,
    /// The first this-many connections are cut mid-body whatever the dice say, so every run has faults
    /// (the client pools connections, so a short run opens few).
    pub cut_first: u64,
    /// Where those forced cuts happen: after exactly this many upstream bytes; 0 = inside the first
    /// request's headers.
    pub cut_first_at: u64,
}

/// A running proxy; stops accepting when dropped.
pub struct Proxy {
    pub url: String,
    stop: Arc<AtomicBool>,
    pub connections: Arc<AtomicU64>,
    pub faulted: Arc<AtomicU64>,
    /// Bytes forwarded from the client to the portal (requests: headers and bodies), over all connections.
    pub upstream_bytes: Arc<AtomicU64>,
}

fn chance(p: f64) -> bool {
    let r = (uuid::Uuid::new_v4().as_u128() % 1_000_000) as f64 / 1_000_000.0;
    r < p
}

fn below(n: u64) -> u64 {
    (uuid::Uuid::new_v4().as_u128() % u128::from(n.max(1))) as u64
}

impl Proxy {
    /// Listens on a free loopback port and forwards to `upstream` (`host:port`).
    pub fn start(upstream: &str, faults: Faults) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(AtomicU64::new(0));
        let faulted = Arc::new(AtomicU64::new(0));
        let upstream_bytes = Arc::new(AtomicU64::new(0));
        let upstream = upstream.to_owned();
        let (s, c, f, u) = (
            stop.clone(),
            connections.clone(),
            faulted.clone(),
            upstream_bytes.clone(),
        );
        std::thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        let index = c.fetch_add(1, Ordering::SeqCst);
                        let mut faults = faults.clone();
                        let mut forced = None;
                        if index < faults.cut_first {
                            if faults.cut_first_at > 0 {
                                forced = Some(faults.cut_first_at);
                            } else {
                                // Inside the first request's headers: that request surely fails.
                                faults.cut = 1.0;
                                faults.cut_within = 100;
                            }
                        }
                        let upstream = upstream.clone();
                        let (f, u) = (f.clone(), u.clone());
                        std::thread::spawn(move || {
                            handle(client, &upstream, &faults, forced, &f, u)
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Proxy {
            url,
            stop,
            connections,
            faulted,
            upstream_bytes,
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn handle(
    client: TcpStream,
    upstream: &str,
    faults: &Faults,
    forced_cut: Option<u64>,
    faulted: &AtomicU64,
    upstream_bytes: Arc<AtomicU64>,
) {
    let _ = client.set_nonblocking(false);
    if chance(faults.reset) {
        faulted.fetch_add(1, Ordering::SeqCst);
        let _ = client.shutdown(Shutdown::Both);
        return;
    }
    let Ok(server) = TcpStream::connect(upstream) else {
        return;
    };
    let cut_after = if forced_cut.is_some() {
        faulted.fetch_add(1, Ordering::SeqCst);
        forced_cut
    } else if chance(faults.cut) {
        faulted.fetch_add(1, Ordering::SeqCst);
        Some(below(faults.cut_within))
    } else {
        None
    };
    if chance(faults.stall_rate) {
        faulted.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(faults.stall);
    }
    let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    let rate = faults.bytes_per_sec;
    let up =
        std::thread::spawn(move || pump(client, server, rate, cut_after, Some(&upstream_bytes)));
    pump(s2, c2, rate, None, None);
    let _ = up.join();
}

/// Copies `from` → `to` at most `rate` bytes/s, closing both after `cut_after` bytes.
fn pump(
    mut from: TcpStream,
    mut to: TcpStream,
    rate: u64,
    cut_after: Option<u64>,
    counter: Option<&AtomicU64>,
) {
    let mut buf = [0u8; 4096];
    let mut moved = 0u64;
    let start = Instant::now();
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let n = match cut_after {
            Some(limit) if moved + n as u64 >= limit => {
                let keep = (limit - moved) as usize;
                if to.write_all(&buf[..keep]).is_ok()
                    && let Some(counter) = counter
                {
                    counter.fetch_add(keep as u64, Ordering::SeqCst);
                }
                break;
            }
            _ => n,
        };
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
        if let Some(counter) = counter {
            counter.fetch_add(n as u64, Ordering::SeqCst);
        }
        moved += n as u64;
        if rate > 0 {
            let due = Duration::from_secs_f64(moved as f64 / rate as f64);
            if let Some(wait) = due.checked_sub(start.elapsed()) {
                std::thread::sleep(wait);
            }
        }
    }
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
}
