//! Files of one dossier that the Hồ sơ screen saves or writes (issue 8): the result PDF copied out of the
//! blob store to a file the clerk chose, and the Mẫu 04 apology slip written into the data folder's
//! `slips/` (so issuing never waits on a save dialog) and copied out on request.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::{Desk, DeskError, vietnam_now};

/// The folder under the data directory where issued slips are kept.
pub const SLIPS_DIR: &str = "slips";

/// A dossier file that cannot be saved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DossierFileError {
    #[error(
        "hồ sơ {code} chưa có kết quả số hoá để lưu — hãy đính kèm bản quét hoặc chờ cổng trả kết quả"
    )]
    NoResult { code: String },
    #[error("{file} không phải phiếu trong thư mục {dir} — chỉ lưu được bản sao phiếu đã cấp")]
    NotASlip { file: String, dir: String },
    #[error("không đọc được {file}: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("không ghi được {file}: {source} — hãy chọn thư mục khác hoặc kiểm tra dung lượng đĩa")]
    Write {
        file: String,
        source: std::io::Error,
    },
}

fn write_to(out: &Path, bytes: &[u8]) -> Result<(), DossierFileError> {
    crate::atomic::write_file_atomic(out, bytes).map_err(|source| DossierFileError::Write {
        file: out.display().to_string(),
        source,
    })
}

impl Desk {
    /// Writes the dossier's digitised result PDF to `out`; returns its size in bytes.
    pub fn save_result(&self, code: &str, out: &Path) -> Result<usize, DeskError> {
        let code = code.trim();
        let settlement = self.settlement(code)?;
        let result = settlement
            .result
            .ok_or_else(|| DossierFileError::NoResult {
                code: code.to_owned(),
            })?;
        let bytes = self.with_store(|s| s.read_blob(&result.sha256))?;
        write_to(out, &bytes)?;
        Ok(bytes.len())
    }

    /// Issues Mẫu 04 for `code` now, written to `slips/Mau04-<code>-<time>.pdf` in the data folder;
    /// returns the new due time and the file.
    pub fn issue_apology_slip(
        &self,
        code: &str,
        reason: &str,
        extra_days: u32,
        actor: &str,
    ) -> Result<(NaiveDateTime, PathBuf), DeskError> {
        let dir = self.data_dir().join(SLIPS_DIR);
        std::fs::create_dir_all(&dir).map_err(|source| DossierFileError::Write {
            file: dir.display().to_string(),
            source,
        })?;
        let safe: String = code
            .trim()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let out = dir.join(format!(
            "Mau04-{safe}-{}.pdf",
            vietnam_now().format("%Y%m%d%H%M%S")
        ));
        let new_due = self.issue_apology(code, reason, extra_days, None, &out, actor)?;
        Ok((new_due, out))
    }

    /// Copies an issued slip from the data folder's `slips/` to `out`.
    pub fn save_slip_copy(&self, slip: &Path, out: &Path) -> Result<(), DeskError> {
        let dir = self.data_dir().join(SLIPS_DIR);
        let not_slip = || DossierFileError::NotASlip {
            file: slip.display().to_string(),
            dir: dir.display().to_string(),
        };
        let canonical = slip.canonicalize().map_err(|_| not_slip())?;
        let dir_canonical = dir.canonicalize().map_err(|_| not_slip())?;
        if !canonical.starts_with(&dir_canonical) {
            return Err(not_slip().into());
        }
        let bytes = std::fs::read(&canonical).map_err(|source| DossierFileError::Read {
            file: slip.display().to_string(),
            source,
        })?;
        write_to(out, &bytes)?;
        Ok(())
    }
}
