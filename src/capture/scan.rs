//! Scanning through SANE's `scanimage` program, behind the [`ScanSource`] trait.
//!
//! Why the program and not libsane through FFI: `scanimage` ships with every SANE install
//! (Debian `sane-utils`), keeps the core free of `unsafe` and of a C library's threading
//! rules, and a crashing backend kills a child process rather than the desk application. Its
//! batch mode writes each page to its own file and, with `--batch-print`, prints the file's
//! name only once the page is complete, so pages stream in as the feeder delivers them and a
//! page cut short by an unplugged scanner is never handed on. Windows (WIA/TWAIN) can
//! implement the same trait later.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Errors from a scan. Pages finished before a failure are listed in the error, so nothing
/// already captured is lost.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// The scanning program could not be started.
    #[error(
        "cannot run {program}: {source}; install SANE's scanimage (Debian: apt install sane-utils)"
    )]
    Spawn {
        /// The program that was run.
        program: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// The scanner reported an error (jam, cover open, unplugged, no documents).
    #[error(
        "scanner {device} stopped after {} page(s): {message}; check the scanner and scan the rest again",
        pages_done.len()
    )]
    Device {
        /// The SANE device name.
        device: String,
        /// What scanimage said on its error output.
        message: String,
        /// Pages that were completed before the failure, in order.
        pages_done: Vec<PathBuf>,
    },
    /// The output folder could not be prepared.
    #[error("cannot use the folder {path} for scanned pages: {source}")]
    Folder {
        /// The output folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Colour mode requested from the scanner (SANE standard option values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanMode {
    /// `Color`.
    Colour,
    /// `Gray`.
    Grey,
    /// `Lineart` (1 bit).
    Lineart,
}

impl ScanMode {
    fn sane_value(self) -> &'static str {
        match self {
            ScanMode::Colour => "Color",
            ScanMode::Grey => "Gray",
            ScanMode::Lineart => "Lineart",
        }
    }
}

/// What to scan.
#[derive(Debug, Clone)]
pub struct ScanRequest {
    /// Resolution in dots per inch.
    pub resolution: u32,
    /// Colour mode.
    pub mode: ScanMode,
    /// The device's source name, verbatim (e.g. `Flatbed`, `ADF`, `ADF Duplex`,
    /// `Automatic Document Feeder`); `None` keeps the device default.
    pub source: Option<String>,
    /// Stop after this many pages (`None`: until the feeder is empty; flatbeds give one).
    pub max_pages: Option<u32>,
    /// Further backend options as `--name value` pairs (page size `-x`/`-y`, test pictures).
    pub extra_options: Vec<(String, String)>,
}

impl Default for ScanRequest {
    fn default() -> Self {
        ScanRequest {
            resolution: 300,
            mode: ScanMode::Grey,
            source: None,
            max_pages: None,
            extra_options: Vec::new(),
        }
    }
}

/// A scanner known to SANE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanDevice {
    /// Device name to pass back when scanning (e.g. `airscan:e0:Office`).
    pub name: String,
    /// Vendor.
    pub vendor: String,
    /// Model.
    pub model: String,
    /// Kind (flatbed scanner, sheetfed scanner, virtual device).
    pub kind: String,
}

/// Something that produces scanned page files.
pub trait ScanSource {
    /// Scan into `out_dir`, calling `on_page` with each completed page file as it arrives;
    /// returns all pages in order.
    fn scan(
        &mut self,
        request: &ScanRequest,
        out_dir: &Path,
        on_page: &mut dyn FnMut(&Path),
    ) -> Result<Vec<PathBuf>, ScanError>;
}

/// A SANE device driven through the `scanimage` program.
#[derive(Debug, Clone)]
pub struct Scanimage {
    /// The program to run (default `scanimage` from `PATH`).
    pub program: PathBuf,
    /// The SANE device name (`test` for SANE's test backend).
    pub device: String,
}

impl Scanimage {
    /// Drive `device` with the `scanimage` found on `PATH`.
    pub fn new(device: impl Into<String>) -> Self {
        Scanimage {
            program: PathBuf::from("scanimage"),
            device: device.into(),
        }
    }

    /// List the devices SANE can see (`scanimage -L` with a machine-readable format).
    pub fn list_devices(program: &Path) -> Result<Vec<ScanDevice>, ScanError> {
        let output = Command::new(program)
            .args(["-f", "%d\t%v\t%m\t%t%n", "-L"])
            .stderr(Stdio::null())
            .output()
            .map_err(|source| ScanError::Spawn {
                program: program.to_path_buf(),
                source,
            })?;
        Ok(parse_device_list(&String::from_utf8_lossy(&output.stdout)))
    }

    /// The paper sources the device offers (`scanimage -A`'s `--source` choices), e.g.
    /// `["Flatbed", "Automatic Document Feeder"]`; empty when the device cannot be asked.
    pub fn source_names(&self) -> Vec<String> {
        let output = Command::new(&self.program)
            .arg("-d")
            .arg(&self.device)
            .arg("-A")
            .stderr(Stdio::null())
            .output();
        match output {
            Ok(output) => parse_source_names(&String::from_utf8_lossy(&output.stdout)),
            Err(_) => Vec::new(),
        }
    }
}

/// Parse the `--source A|B|C [A]` line of `scanimage -A` into its choices.
pub fn parse_source_names(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("--source "))
        .next()
        .map(|choices| {
            let choices = choices.split(" [").next().unwrap_or(choices);
            choices.split('|').map(|c| c.trim().to_string()).collect()
        })
        .unwrap_or_default()
}

/// Parse `scanimage -L -f "%d\t%v\t%m\t%t%n"` output; other lines (notices) are skipped.
pub fn parse_device_list(text: &str) -> Vec<ScanDevice> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let device = ScanDevice {
                name: fields.next()?.to_string(),
                vendor: fields.next()?.to_string(),
                model: fields.next()?.to_string(),
                kind: fields.next()?.to_string(),
            };
            Some(device)
        })
        .collect()
}

impl ScanSource for Scanimage {
    fn scan(
        &mut self,
        request: &ScanRequest,
        out_dir: &Path,
        on_page: &mut dyn FnMut(&Path),
    ) -> Result<Vec<PathBuf>, ScanError> {
        std::fs::create_dir_all(out_dir).map_err(|source| ScanError::Folder {
            path: out_dir.to_path_buf(),
            source,
        })?;
        let pattern = out_dir.join("page-%04d.tif");
        let mut command = Command::new(&self.program);
        command
            .arg("-d")
            .arg(&self.device)
            .arg("--format=tiff")
            .arg(format!("--resolution={}", request.resolution))
            .arg(format!("--mode={}", request.mode.sane_value()))
            .arg(format!("--batch={}", pattern.display()))
            .arg("--batch-print");
        if let Some(source) = &request.source {
            command.arg(format!("--source={source}"));
        }
        if let Some(count) = request.max_pages {
            command.arg(format!("--batch-count={count}"));
        }
        for (name, value) in &request.extra_options {
            command.arg(format!("--{name}={value}"));
        }
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|source| ScanError::Spawn {
                program: self.program.clone(),
                source,
            })?;
        // Read stderr on its own thread so a chatty backend cannot block the page stream.
        let stderr = child.stderr.take();
        let stderr_reader = std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut err) = stderr {
                let _ = err.read_to_string(&mut text);
            }
            text
        });
        let mut pages = Vec::new();
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let page = PathBuf::from(line.trim());
                if page.is_file() {
                    on_page(&page);
                    pages.push(page);
                }
            }
        }
        let status = child.wait().map_err(|source| ScanError::Spawn {
            program: self.program.clone(),
            source,
        })?;
        let messages = stderr_reader.join().unwrap_or_default();
        // An empty feeder ends every ADF batch and is not an error once pages were scanned.
        let feeder_emptied = messages.contains("out of documents") && !pages.is_empty();
        if status.success() || feeder_emptied {
            return Ok(pages);
        }
        let message = messages
            .lines()
            .filter(|l| l.contains("scanimage:"))
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("; ");
        Err(ScanError::Device {
            device: self.device.clone(),
            message: if message.is_empty() {
                format!("scanimage exited with {status}")
            } else {
                message
            },
            pages_done: pages,
        })
    }
}
