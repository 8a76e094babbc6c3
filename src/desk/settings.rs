//! The office settings the Cài đặt screen edits, each with its validation, and the trust store of the
//! verifier (the folder named in the settings plus certificates imported into the data folder).
//!
//! Values live in the `settings` table through [`Desk::set_setting`], so every change is audited. The
//! portal token itself is never stored: only the *name* of the environment variable that holds it
//! (`portal.token-env`, read by `crate::sync`). PKCS#11 module paths are one setting, separated by `;`.
//! The trust folder may also hold CRLs (`*.crl`, `*.crl.pem`), used for offline revocation checks.

use super::{AGENCY_CODE, Desk, DeskError};
use crate::dossier::AgencyId;
use crate::receipt::{AGENCY_NAME, AGENCY_UNIT};
use crate::sync::{PORTAL_TOKEN_ENV, PORTAL_URL};
use crate::verify::{TrustStore, VerifyError};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Setting: the PKCS#11 modules (USB token drivers) to look for signing keys in, separated by `;`.
pub const PKCS11_MODULES: &str = "pkcs11.modules";
/// Setting: the RFC 3161 time-stamping authority the counter's signatures ask for a trusted signing
/// time (PAdES B-T); empty signs without one (the signing time is then only the signer's claim).
pub const SIGN_TSA_URL: &str = "sign.tsa-url";
/// Setting: a folder of trusted root certificates (PEM or DER) for the verifier.
pub const TRUST_DIR: &str = "verify.trust-dir";
/// Setting: the default PDF profile of assembled documents (`compact`, `balanced`, `archive`).
pub const CAPTURE_PROFILE: &str = "capture.profile";
/// Setting: the default colour mode of scanned pages (`auto`, `color`, `gray`, `bw`).
pub const CAPTURE_MODE: &str = "capture.mode";
pub use super::hot_folder::HOT_FOLDER;
use super::scan_profile::{RESOLUTIONS, SCAN_MODES};
pub use super::scan_profile::{SCAN_FEEDER, SCAN_MODE, SCAN_RESOLUTION, SCANNER};
/// Setting: the interface language (`vi`, `en`).
pub const UI_LANGUAGE: &str = "ui.language";
/// Folder of the data directory that holds imported trust anchors.
pub const TRUST_FOLDER: &str = "trust";

/// The keys the settings screen shows, in its order, with the value used when none is stored.
const KNOWN: [(&str, &str); 16] = [
    (AGENCY_CODE, super::DEMO_AGENCY_CODE),
    (AGENCY_NAME, ""),
    (AGENCY_UNIT, ""),
    (PORTAL_URL, ""),
    (PORTAL_TOKEN_ENV, ""),
    (PKCS11_MODULES, ""),
    (SIGN_TSA_URL, ""),
    (TRUST_DIR, ""),
    (CAPTURE_PROFILE, "compact"),
    (CAPTURE_MODE, "auto"),
    (SCANNER, ""),
    (SCAN_RESOLUTION, "300"),
    (SCAN_MODE, "gray"),
    (SCAN_FEEDER, "no"),
    (HOT_FOLDER, ""),
    (UI_LANGUAGE, "vi"),
];

/// One setting as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfficeSetting {
    pub key: String,
    pub value: String,
}

/// A certificate of the verifier's trust store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustedCertificate {
    /// The certificate's name (CN).
    pub subject: String,
    /// The file it came from.
    pub file: String,
    /// Imported into the data folder (true) or found in the configured folder (false).
    pub imported: bool,
}

/// Why a settings change or a trust import was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SettingError {
    #[error("cài đặt không hợp lệ: {}", .0.iter().map(|(k, r)| format!("{k}: {r}")).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<(String, String)>),
    #[error("không có cài đặt {0:?}")]
    UnknownKey(String),
    #[error(
        "tệp chứng thư {path} không dùng được: {reason}; cần tệp chứng thư PEM hoặc DER (.pem, .crt, .cer)"
    )]
    Certificate { path: PathBuf, reason: String },
    #[error("không ghi được chứng thư vào {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The stable code of a settings failure.
pub(super) fn error_code(e: &SettingError) -> super::ErrorCode {
    match e {
        SettingError::Certificate { .. } => super::ErrorCode::CertificateInvalid,
        SettingError::Write { .. } => super::ErrorCode::FileUnwritable,
        _ => super::ErrorCode::InvalidSetting,
    }
}

/// Checks one value; `Err` is the Vietnamese reason shown beside the field.
pub fn check_setting(key: &str, value: &str) -> Result<(), String> {
    let value = value.trim();
    let one_of = |allowed: &[&str]| {
        if allowed.contains(&value) {
            Ok(())
        } else {
            Err(format!("chọn một trong: {}", allowed.join(", ")))
        }
    };
    match key {
        AGENCY_CODE => AgencyId::parse(value)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        AGENCY_NAME if value.is_empty() => Err("cần nhập tên cơ quan".into()),
        AGENCY_NAME | AGENCY_UNIT if value.chars().count() > 200 => Err("dài quá 200 ký tự".into()),
        AGENCY_NAME | AGENCY_UNIT => Ok(()),
        PORTAL_URL if value.is_empty() => Ok(()),
        PORTAL_URL => check_url(value),
        PORTAL_TOKEN_ENV if value.is_empty() => Ok(()),
        PORTAL_TOKEN_ENV => check_env_name(value),
        PKCS11_MODULES => split_list(value)
            .iter()
            .try_for_each(|module| check_module(module)),
        SIGN_TSA_URL if value.is_empty() => Ok(()),
        SIGN_TSA_URL => check_url(value),
        TRUST_DIR => optional_folder(value, ""),
        SCANNER if value.chars().count() > 200 => Err("dài quá 200 ký tự".into()),
        SCANNER => Ok(()),
        SCAN_RESOLUTION => one_of(&RESOLUTIONS),
        SCAN_MODE => one_of(&SCAN_MODES),
        SCAN_FEEDER => one_of(&["yes", "no"]),
        HOT_FOLDER => optional_folder(value, " (ổ mạng chưa kết nối?)"),
        CAPTURE_PROFILE => one_of(&["compact", "balanced", "archive"]),
        CAPTURE_MODE => one_of(&["auto", "color", "gray", "bw"]),
        UI_LANGUAGE => one_of(&["vi", "en"]),
        _ => Err("cài đặt này không có trên màn hình cài đặt".into()),
    }
}

/// An optional folder setting: empty, or a folder that exists (`hint` ends the refusal).
fn optional_folder(value: &str, hint: &str) -> Result<(), String> {
    if value.is_empty() || Path::new(value).is_dir() {
        Ok(())
    } else {
        Err(format!("không tìm thấy thư mục {value}{hint}"))
    }
}

fn check_url(value: &str) -> Result<(), String> {
    let bad = || {
        format!(
            "{value:?} không phải địa chỉ http:// hoặc https:// (ví dụ https://dichvucong.example.vn)"
        )
    };
    let uri: ureq::http::Uri = value.parse().map_err(|_| bad())?;
    match (uri.scheme_str(), uri.host()) {
        (Some("http" | "https"), Some(host)) if !host.is_empty() => Ok(()),
        _ => Err(bad()),
    }
}

fn check_env_name(value: &str) -> Result<(), String> {
    let mut chars = value.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_uppercase() || c == '_');
    if first_ok
        && value.len() <= 64
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    {
        Ok(())
    } else {
        Err(format!(
            "{value:?} không phải tên biến môi trường (chữ in hoa, số, dấu gạch dưới, ví dụ MOTCUA_PORTAL_TOKEN); không nhập chính mã truy cập vào đây"
        ))
    }
}

fn check_module(module: &str) -> Result<(), String> {
    let path = Path::new(module);
    if !path.is_absolute() {
        return Err(format!(
            "{module}: cần đường dẫn đầy đủ tới tệp thư viện PKCS#11"
        ));
    }
    if !path.is_file() {
        return Err(format!("không tìm thấy tệp {module}"));
    }
    Ok(())
}

/// The entries of a `;`-separated list setting, trimmed, empty ones dropped.
pub fn split_list(value: &str) -> Vec<&str> {
    value
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

impl Desk {
    /// The settings the screen edits, with stored values or defaults.
    pub fn office_settings(&self) -> Result<Vec<OfficeSetting>, DeskError> {
        KNOWN
            .iter()
            .map(|(key, default)| {
                Ok(OfficeSetting {
                    key: (*key).to_owned(),
                    value: self.setting(key)?.unwrap_or_else(|| (*default).to_owned()),
                })
            })
            .collect()
    }

    /// The problems of a set of proposed values, per key (empty when all are acceptable).
    pub fn check_settings(&self, values: &[(String, String)]) -> Vec<(String, String)> {
        values
            .iter()
            .filter_map(|(key, value)| check_setting(key, value).err().map(|r| (key.clone(), r)))
            .collect()
    }

    /// Validates every value first, then stores those that changed (each change audited). Nothing is
    /// stored if any value is refused.
    pub fn update_settings(
        &self,
        values: &[(String, String)],
        actor: &str,
    ) -> Result<usize, DeskError> {
        if let Some((key, _)) = values
            .iter()
            .find(|(k, _)| !KNOWN.iter().any(|(known, _)| known == k))
        {
            return Err(SettingError::UnknownKey(key.clone()).into());
        }
        let problems = self.check_settings(values);
        if !problems.is_empty() {
            return Err(SettingError::Invalid(problems).into());
        }
        let mut changed = 0;
        for (key, value) in values {
            let value = value.trim();
            if self.setting(key)?.as_deref() != Some(value) {
                self.set_setting(key, value, actor)?;
                changed += 1;
            }
        }
        Ok(changed)
    }

    /// Whether the environment variable named by `portal.token-env` is set (the value is never read out).
    pub fn portal_token_present(&self) -> Result<bool, DeskError> {
        Ok(self
            .setting(PORTAL_TOKEN_ENV)?
            .and_then(|var| std::env::var_os(var.trim()))
            .is_some_and(|v| !v.is_empty()))
    }

    fn trust_folder(&self) -> PathBuf {
        self.data_dir().join(TRUST_FOLDER)
    }

    /// Copies a certificate file (PEM or DER) into the data folder's trust store, after checking it parses.
    pub fn import_trust_certificate(
        &self,
        path: &Path,
        actor: &str,
    ) -> Result<Vec<TrustedCertificate>, DeskError> {
        let bad = |reason: String| SettingError::Certificate {
            path: path.to_owned(),
            reason,
        };
        let data = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
        let certificates = crate::verify::trust::parse_certificates(&data, path)
            .map_err(|e| bad(e.to_string()))?;
        if certificates.is_empty() {
            return Err(bad("không có chứng thư nào trong tệp".into()).into());
        }
        let digest = hex::encode(crate::verify::crypto::Digest::Sha256.digest(&data));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "certificate.pem".into());
        let target = self
            .trust_folder()
            .join(format!("{}-{name}", &digest[..16]));
        std::fs::create_dir_all(self.trust_folder())
            .and_then(|()| crate::atomic::write_file_atomic(&target, &data))
            .map_err(|source| SettingError::Write {
                path: target.clone(),
                source,
            })?;
        let subjects: Vec<String> = certificates
            .iter()
            .map(crate::verify::trust::subject_name)
            .collect();
        self.with_store(|s| {
            s.audit_note(
                actor,
                "trust.import",
                &format!("trust:{}", &digest[..16]),
                &serde_json::json!({"file": name, "subjects": subjects}),
            )
        })?;
        Ok(subjects
            .into_iter()
            .map(|subject| TrustedCertificate {
                subject,
                file: target.display().to_string(),
                imported: true,
            })
            .collect())
    }

    /// The certificates the verifier trusts: the configured folder's, then the imported ones.
    pub fn trusted_certificates(&self) -> Result<Vec<TrustedCertificate>, DeskError> {
        let mut out = Vec::new();
        for (folder, imported) in self.trust_sources()? {
            for file in pem_files(&folder).into_iter().filter(|f| !is_crl(f)) {
                let Ok(data) = std::fs::read(&file) else {
                    continue;
                };
                let Ok(certificates) = crate::verify::trust::parse_certificates(&data, &file)
                else {
                    continue;
                };
                out.extend(certificates.iter().map(|c| TrustedCertificate {
                    subject: crate::verify::trust::subject_name(c),
                    file: file.display().to_string(),
                    imported,
                }));
            }
        }
        Ok(out)
    }

    /// The verifier's trust store built from [`Desk::trusted_certificates`]' sources.
    pub fn trust_store(&self) -> Result<TrustStore, DeskError> {
        let mut store = TrustStore::new();
        for (folder, _) in self.trust_sources()? {
            for file in pem_files(&folder) {
                let added = if is_crl(&file) {
                    store.add_crl_file(&file)
                } else {
                    store.add_anchors(&file)
                };
                added.map_err(|e| match e {
                    VerifyError::BadTrustFile { path, reason } => {
                        SettingError::Certificate { path, reason }
                    }
                    other => SettingError::Certificate {
                        path: file.clone(),
                        reason: other.to_string(),
                    },
                })?;
            }
        }
        Ok(store)
    }

    fn trust_sources(&self) -> Result<Vec<(PathBuf, bool)>, DeskError> {
        let mut sources = Vec::new();
        if let Some(dir) = self.setting(TRUST_DIR)?.filter(|d| !d.trim().is_empty()) {
            let dir = PathBuf::from(dir.trim());
            if dir.is_dir() {
                sources.push((dir, false));
            }
        }
        let imported = self.trust_folder();
        if imported.is_dir() {
            sources.push((imported, true));
        }
        Ok(sources)
    }
}

/// Whether a trust-folder file is a certificate revocation list (`.crl`, `.crl.pem`, or PEM `X509 CRL`)
/// rather than an anchor: CRLs placed beside the anchors let the verifier check revocation offline.
fn is_crl(file: &Path) -> bool {
    let by_name = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("crl"))
        || file.to_string_lossy().ends_with(".crl.pem");
    by_name
        || std::fs::read(file)
            .map(|d| d.windows(19).any(|w| w == b"BEGIN X509 CRL-----"))
            .unwrap_or(false)
}

/// Files of a folder, recursively, sorted.
fn pem_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(pem_files(&path));
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
