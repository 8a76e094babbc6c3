//! Wire shapes of the Cài đặt screen: the settings with their values, whether the portal token's variable
//! is set (never its value), the trusted certificates, and per-field problems.

use motcua::{OfficeSetting, TrustedCertificate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingDto {
    pub key: String,
    pub value: String,
}

impl From<&OfficeSetting> for SettingDto {
    fn from(s: &OfficeSetting) -> Self {
        SettingDto {
            key: s.key.clone(),
            value: s.value.clone(),
        }
    }
}

/// A problem with one proposed value (Vietnamese reason from the core).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingProblemDto {
    pub key: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrustedCertificateDto {
    pub subject: String,
    pub file: String,
    pub imported: bool,
}

impl From<&TrustedCertificate> for TrustedCertificateDto {
    fn from(c: &TrustedCertificate) -> Self {
        TrustedCertificateDto {
            subject: c.subject.clone(),
            file: c.file.clone(),
            imported: c.imported,
        }
    }
}

/// Everything the settings screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsDto {
    pub settings: Vec<SettingDto>,
    pub token_present: bool,
    pub trusted: Vec<TrustedCertificateDto>,
    pub data_dir: String,
}
