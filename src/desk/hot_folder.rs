//! The scan folder at the counter ("thư mục quét"): network scanners that cannot be driven through SANE
//! write their pages into a shared folder, and while the clerk has it switched on every finished file
//! there becomes pages of the selected document of the dossier in progress, as if imported by hand.
//!
//! Files are taken once complete ([`HotFolder`]: size and time unchanged for the settle period). After the
//! pages are stored (the database commits first), the file is moved into `da-nhap/` beside it, so the next
//! watch — after a restart, on another PC sharing the folder — does not take it again; a file that is not a
//! readable scan moves to `loi/` and is reported with the reason, never retried in a loop. If the folder
//! cannot be written (a read-only share), files stay where they are and this watch remembers them, which
//! is the only case a later watch could take a file twice; the event says so. The watch runs on its own
//! thread until stopped; its target (dossier, document) can change while it runs.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{Desk, DeskError};
use crate::capture::HotFolder;
use crate::counter::CounterError;
use crate::store::CapturePage;

/// Setting: the folder network scanners write into (empty: no scan folder).
pub const HOT_FOLDER: &str = "capture.hot-folder";
/// Where taken files go, inside the scan folder.
pub const TAKEN_FOLDER: &str = "da-nhap";
/// Where files that are not readable scans go, inside the scan folder.
pub const REFUSED_FOLDER: &str = "loi";

/// Which document new pages go into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HotFolderTarget {
    pub dossier: String,
    pub doc_code: String,
}

/// How often the folder is looked at and how long a file must stay unchanged to count as finished.
#[derive(Debug, Clone, Copy)]
pub struct WatchTiming {
    pub poll: Duration,
    pub settle: Duration,
}

impl Default for WatchTiming {
    /// Half a second between looks; 2 s unchanged suits scanners writing over a LAN share.
    fn default() -> Self {
        WatchTiming {
            poll: Duration::from_millis(500),
            settle: Duration::from_secs(2),
        }
    }
}

/// What the watch reports, in order, from its own thread.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum HotFolderEvent {
    /// A page was stored (thumbnail included), as an import reports it.
    Page(CapturePage),
    /// A file became pages of `target`; `moved_to` is None when it could not be moved out of the folder.
    Taken {
        file: PathBuf,
        target: HotFolderTarget,
        pages: usize,
        moved_to: Option<PathBuf>,
    },
    /// A file was not taken: not a readable scan (moved to `loi/` when possible), or the target refused it.
    Refused {
        file: PathBuf,
        reason: String,
        moved_to: Option<PathBuf>,
    },
    /// The folder cannot be read now (a share gone offline); the watch keeps trying.
    FolderUnreadable { folder: PathBuf, reason: String },
    /// The folder can be read again after [`HotFolderEvent::FolderUnreadable`].
    FolderBack { folder: PathBuf },
}

/// A running watch of the scan folder; stopping (or dropping) it ends the thread after its current file.
#[derive(Debug)]
pub struct HotFolderWatch {
    folder: PathBuf,
    target: Arc<Mutex<HotFolderTarget>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl HotFolderWatch {
    /// The folder watched.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Sends the next files to another dossier or document.
    pub fn retarget(&self, target: HotFolderTarget) {
        if let Ok(mut current) = self.target.lock() {
            *current = target;
        }
    }

    /// Stops the watch and waits for its thread.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            // A panic in the watch thread already ended it; nothing more to stop.
            let _ = thread.join();
        }
    }
}

impl Drop for HotFolderWatch {
    fn drop(&mut self) {
        self.halt();
    }
}

impl Desk {
    /// The scan folder set in the office settings, checked to be a readable folder.
    pub fn hot_folder(&self) -> Result<PathBuf, DeskError> {
        let folder = self
            .setting(HOT_FOLDER)?
            .map(|f| f.trim().to_owned())
            .filter(|f| !f.is_empty())
            .ok_or(CounterError::NoHotFolder)?;
        let folder = PathBuf::from(folder);
        std::fs::read_dir(&folder).map_err(|source| CounterError::HotFolderUnreadable {
            folder: folder.clone(),
            source,
        })?;
        Ok(folder)
    }

    /// Starts watching the scan folder for `target`; `sink` sees every event on the watch's thread.
    /// Fails at once if no folder is set or it cannot be read, or the target document does not exist.
    pub fn watch_hot_folder(
        self: &Arc<Self>,
        target: HotFolderTarget,
        timing: WatchTiming,
        sink: impl Fn(HotFolderEvent) + Send + 'static,
    ) -> Result<HotFolderWatch, DeskError> {
        let folder = self.hot_folder()?;
        let dossier = self.dossier(&target.dossier)?;
        self.document_exists(&dossier, &target.doc_code)?;
        let target = Arc::new(Mutex::new(target));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (desk, folder, target, stop) =
                (self.clone(), folder.clone(), target.clone(), stop.clone());
            std::thread::Builder::new()
                .name("hot-folder".into())
                .spawn(move || desk.watch_loop(&folder, &target, &stop, timing, &sink))
                .map_err(CounterError::HotFolderThread)?
        };
        Ok(HotFolderWatch {
            folder,
            target,
            stop,
            thread: Some(thread),
        })
    }

    fn watch_loop(
        &self,
        folder: &Path,
        target: &Mutex<HotFolderTarget>,
        stop: &AtomicBool,
        timing: WatchTiming,
        sink: &dyn Fn(HotFolderEvent),
    ) {
        let mut watcher = HotFolder::new(folder, timing.settle);
        let mut unreadable = false;
        while !stop.load(Ordering::SeqCst) {
            match watcher.poll() {
                Ok(files) => {
                    if std::mem::take(&mut unreadable) {
                        sink(HotFolderEvent::FolderBack {
                            folder: folder.to_owned(),
                        });
                    }
                    for file in files {
                        if stop.load(Ordering::SeqCst) {
                            return;
                        }
                        let Ok(current) = target.lock().map(|t| t.clone()) else {
                            return;
                        };
                        sink(self.take_file(folder, &file, current, sink));
                    }
                }
                Err(error) if !unreadable => {
                    unreadable = true;
                    sink(HotFolderEvent::FolderUnreadable {
                        folder: folder.to_owned(),
                        reason: error.to_string(),
                    });
                }
                Err(_) => {}
            }
            std::thread::sleep(timing.poll);
        }
    }

    /// Stores one finished file as pages of `target`, then moves it aside.
    fn take_file(
        &self,
        folder: &Path,
        file: &Path,
        target: HotFolderTarget,
        sink: &dyn Fn(HotFolderEvent),
    ) -> HotFolderEvent {
        let never = AtomicBool::new(false);
        let files = [file.to_owned()];
        let outcome =
            self.import_pages(&target.dossier, &target.doc_code, &files, &never, |page| {
                sink(HotFolderEvent::Page(page.clone()))
            });
        match outcome {
            Ok(outcome) if outcome.failures.is_empty() => HotFolderEvent::Taken {
                file: file.to_owned(),
                pages: outcome.pages.len(),
                moved_to: move_aside(folder, TAKEN_FOLDER, file),
                target,
            },
            Ok(outcome) => HotFolderEvent::Refused {
                file: file.to_owned(),
                reason: outcome
                    .failures
                    .into_iter()
                    .map(|(_, reason)| reason)
                    .collect::<Vec<_>>()
                    .join("; "),
                moved_to: move_aside(folder, REFUSED_FOLDER, file),
            },
            // The target is gone (dossier or document): the file is fine and stays for the next watch.
            Err(error) => HotFolderEvent::Refused {
                file: file.to_owned(),
                reason: error.to_string(),
                moved_to: None,
            },
        }
    }
}

/// Moves `file` into `folder/sub/` under its own name (numbered if taken); None if that is not possible.
fn move_aside(folder: &Path, sub: &str, file: &Path) -> Option<PathBuf> {
    let dir = folder.join(sub);
    std::fs::create_dir_all(&dir).ok()?;
    let stem = file.file_stem()?.to_string_lossy().into_owned();
    let extension = file
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (0..1000)
        .map(|n| match n {
            0 => dir.join(format!("{stem}{extension}")),
            n => dir.join(format!("{stem}-{n}{extension}")),
        })
        .find(|candidate| !candidate.exists())
        .filter(|destination| std::fs::rename(file, destination).is_ok())
}
