//! Wire shapes of the counter screens' commands (reception, capture, sign, receipt); mirrored field for
//! field by `ui/src/lib/backend/counter.ts`.

use chrono::NaiveDate;
use motcua::counter::{CccdData, ImportOutcome, SignKey};
use motcua::store::{CaptureDocument, CapturePage};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// What the QR code of a citizen ID card says; dates are `yyyy-mm-dd`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CccdDto {
    pub citizen_id: String,
    pub old_id: Option<String>,
    pub full_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: String,
    pub address: String,
    pub issued_on: Option<NaiveDate>,
}

impl From<CccdData> for CccdDto {
    fn from(d: CccdData) -> Self {
        CccdDto {
            citizen_id: d.citizen_id,
            old_id: d.old_id,
            full_name: d.full_name,
            date_of_birth: d.date_of_birth,
            sex: d.sex,
            address: d.address,
            issued_on: d.issued_on,
        }
    }
}

/// One captured page. `rotation` is clockwise degrees; `hasThumbnail` is false for PDF pages.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageDto {
    pub id: i64,
    pub doc_code: String,
    pub position: i64,
    pub media_type: String,
    pub page_in_blob: u32,
    pub rotation: u32,
    pub has_thumbnail: bool,
    pub source_name: String,
    /// How assembly cleans the page: `auto`, `color`, `gray`, `bw` or `original`.
    pub cleanup: motcua::store::PageCleanup,
}

impl From<&CapturePage> for PageDto {
    fn from(p: &CapturePage) -> Self {
        PageDto {
            id: p.id,
            doc_code: p.doc_code.clone(),
            position: p.position,
            media_type: p.media_type.clone(),
            page_in_blob: p.page_in_blob,
            rotation: p.rotation,
            has_thumbnail: p.thumb_sha256.is_some(),
            source_name: p.source_name.clone(),
            cleanup: p.cleanup,
        }
    }
}

/// Whether a document's PDF is assembled and signed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaptureDocumentDto {
    pub doc_code: String,
    pub assembled: bool,
    pub signed: bool,
}

impl From<&CaptureDocument> for CaptureDocumentDto {
    fn from(d: &CaptureDocument) -> Self {
        CaptureDocumentDto {
            doc_code: d.doc_code.clone(),
            assembled: d.assembled_sha256.is_some(),
            signed: d.signed_sha256.is_some(),
        }
    }
}

/// The capture state of a dossier: its pages and its documents' PDFs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaptureStateDto {
    pub pages: Vec<PageDto>,
    pub documents: Vec<CaptureDocumentDto>,
}

/// A file that could not be imported, with the core's (Vietnamese) reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportFailureDto {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportOutcomeDto {
    pub pages: Vec<PageDto>,
    pub failures: Vec<ImportFailureDto>,
}

impl From<ImportOutcome> for ImportOutcomeDto {
    fn from(outcome: ImportOutcome) -> Self {
        ImportOutcomeDto {
            pages: outcome.pages.iter().map(PageDto::from).collect(),
            failures: outcome
                .failures
                .into_iter()
                .map(|(path, message)| ImportFailureDto {
                    path: path.display().to_string(),
                    message,
                })
                .collect(),
        }
    }
}

/// Progress of a long counter task, sent as the `counter://progress` event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressDto {
    /// `import`, `assemble` or `sign`.
    pub task: &'static str,
    pub done: usize,
    pub total: usize,
    /// The document being worked on, if any.
    pub doc_code: String,
}

/// An assembled document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssembledDto {
    pub doc_code: String,
    pub pages: usize,
    pub bytes: u64,
}

/// The key the UI chose: `{kind: "p12", path}` or `{kind: "pkcs11", module, token, keyLabel}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SignKeyDto {
    P12 {
        path: String,
    },
    #[serde(rename_all = "camelCase")]
    Pkcs11 {
        module: String,
        token: String,
        #[serde(default)]
        key_label: Option<String>,
    },
}

impl From<SignKeyDto> for SignKey {
    fn from(k: SignKeyDto) -> Self {
        match k {
            SignKeyDto::P12 { path } => SignKey::P12(PathBuf::from(path)),
            SignKeyDto::Pkcs11 {
                module,
                token,
                key_label,
            } => SignKey::Pkcs11 {
                module: PathBuf::from(module),
                token,
                key_label: key_label.filter(|l| !l.trim().is_empty()),
            },
        }
    }
}

/// A token found through a configured PKCS#11 module.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenDto {
    pub module: String,
    pub label: String,
    pub manufacturer: String,
    pub model: String,
    pub serial_number: String,
}

/// What signing did: the certificate's holder and the signed documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignSummaryDto {
    pub signer: String,
    pub documents: Vec<String>,
    pub dossier: super::DossierDto,
    /// The signatures carry the configured authority's time-stamp.
    pub timestamped: bool,
    /// Why the configured authority gave none (signed without a time-stamp).
    pub timestamp_error: Option<String>,
}

/// A scanner SANE can see.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScannerDto {
    pub name: String,
    pub vendor: String,
    pub model: String,
    pub kind: String,
}

impl From<motcua::capture::scan::ScanDevice> for ScannerDto {
    fn from(d: motcua::capture::scan::ScanDevice) -> Self {
        ScannerDto {
            name: d.name,
            vendor: d.vendor,
            model: d.model,
            kind: d.kind,
        }
    }
}

/// A scan request from the capture screen: `mode` is `colour`, `grey` or `lineart`; `feeder` scans every
/// sheet of the document feeder, otherwise one page from the device's default source (the glass).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanRequestDto {
    pub device: String,
    pub resolution: u32,
    pub mode: String,
    #[serde(default)]
    pub feeder: bool,
}

impl ScanRequestDto {
    /// The core's request; `feeder_source` is the device's feeder source name, when it has one.
    pub fn request(&self, feeder_source: Option<String>) -> motcua::capture::scan::ScanRequest {
        use motcua::capture::scan::{ScanMode, ScanRequest};
        let feeder = if self.feeder { feeder_source } else { None };
        ScanRequest {
            resolution: self.resolution.clamp(75, 600),
            mode: match self.mode.as_str() {
                "colour" => ScanMode::Colour,
                "lineart" => ScanMode::Lineart,
                _ => ScanMode::Grey,
            },
            // Without a feeder, batch mode would scan the glass again and again: stop after one page.
            max_pages: if feeder.is_some() { None } else { Some(1) },
            source: feeder,
            extra_options: Vec::new(),
        }
    }
}

/// A dossier put in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmittedDto {
    pub job_id: i64,
    pub dossier: super::DossierDto,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sign_keys_read_both_shapes() {
        let p12: SignKeyDto =
            serde_json::from_value(json!({"kind": "p12", "path": "/k.p12"})).unwrap();
        assert!(
            matches!(SignKey::from(p12), SignKey::P12(p) if p == std::path::Path::new("/k.p12"))
        );
        let token: SignKeyDto = serde_json::from_value(
            json!({"kind": "pkcs11", "module": "/m.so", "token": "T", "keyLabel": " "}),
        )
        .unwrap();
        match SignKey::from(token) {
            SignKey::Pkcs11 {
                module,
                token,
                key_label,
            } => {
                assert_eq!(module, PathBuf::from("/m.so"));
                assert_eq!(token, "T");
                assert_eq!(key_label, None, "a blank label means the only key");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_scan_without_feeder_takes_one_page() {
        let dto: ScanRequestDto = serde_json::from_value(
            json!({"device": "test", "resolution": 9999, "mode": "colour", "feeder": true}),
        )
        .unwrap();
        let with_feeder = dto.request(Some("Automatic Document Feeder".into()));
        assert_eq!(with_feeder.max_pages, None);
        assert_eq!(with_feeder.resolution, 600);
        let no_feeder = dto.request(None);
        assert_eq!((no_feeder.max_pages, no_feeder.source), (Some(1), None));
    }

    #[test]
    fn card_dates_travel_as_iso_dates() {
        let value = serde_json::to_value(CccdDto::from(
            motcua::counter::parse_cccd_qr("001190012345||Lê Văn An|01021980|Nam|Huế|05062022")
                .unwrap(),
        ))
        .unwrap();
        assert_eq!(value["dateOfBirth"], "1980-02-01");
        assert_eq!(value["issuedOn"], "2022-06-05");
        assert_eq!(value["oldId"], serde_json::Value::Null);
    }
}
