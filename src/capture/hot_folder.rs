//! Hot folder: pick up files that a network scanner drops into a shared folder, but only
//! once they are complete.
//!
//! Scanners write a page over seconds, and SMB/NFS shares give no reliable "closed" event, so
//! a file is taken when its size and modification time have not changed for a settle period
//! across polls (and it is not empty). Polling also works on every share type where inotify
//! does not. Hidden files and the usual partial-file suffixes are ignored. Each file is
//! delivered once per watcher.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// Watches one folder by polling.
#[derive(Debug)]
pub struct HotFolder {
    folder: PathBuf,
    settle: Duration,
    pending: HashMap<PathBuf, Observation>,
    delivered: HashSet<PathBuf>,
}

#[derive(Debug, Clone, Copy)]
struct Observation {
    size: u64,
    modified: Option<SystemTime>,
    unchanged_since: Instant,
}

const PARTIAL_SUFFIXES: [&str; 5] = [".part", ".tmp", ".crdownload", ".partial", "~"];

impl HotFolder {
    /// Watch `folder`; a file is complete once unchanged for `settle` (2 s suits most
    /// scanners on a LAN share).
    pub fn new(folder: impl Into<PathBuf>, settle: Duration) -> Self {
        HotFolder {
            folder: folder.into(),
            settle,
            pending: HashMap::new(),
            delivered: HashSet::new(),
        }
    }

    /// The watched folder.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Look at the folder once; returns the files that became complete since the last poll,
    /// sorted by name (scanners number their pages). An unreadable folder yields nothing this
    /// time and is retried on the next poll.
    pub fn poll(&mut self) -> std::io::Result<Vec<PathBuf>> {
        let now = Instant::now();
        let mut ready = Vec::new();
        let mut present = HashSet::new();
        for entry in std::fs::read_dir(&self.folder)? {
            let Ok(entry) = entry else { continue };
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || PARTIAL_SUFFIXES.iter().any(|s| name.ends_with(s)) {
                continue;
            }
            let Ok(metadata) = entry.metadata() else {
                continue;
            };
            if !metadata.is_file() || self.delivered.contains(&path) {
                continue;
            }
            present.insert(path.clone());
            let size = metadata.len();
            let modified = metadata.modified().ok();
            match self.pending.get_mut(&path) {
                Some(seen) if seen.size == size && seen.modified == modified => {
                    if size > 0 && now.duration_since(seen.unchanged_since) >= self.settle {
                        ready.push(path.clone());
                    }
                }
                Some(seen) => {
                    *seen = Observation {
                        size,
                        modified,
                        unchanged_since: now,
                    }
                }
                None => {
                    self.pending.insert(
                        path.clone(),
                        Observation {
                            size,
                            modified,
                            unchanged_since: now,
                        },
                    );
                }
            }
        }
        // Forget files that disappeared before they settled.
        self.pending.retain(|path, _| present.contains(path));
        for path in &ready {
            self.pending.remove(path);
            self.delivered.insert(path.clone());
        }
        ready.sort();
        Ok(ready)
    }
}
