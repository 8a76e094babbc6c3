//! The counter workflow's own logic, between the capture/PDF/signing modules and the `Desk` calls the
//! desktop screens use (src/desk/counter.rs): reading the applicant from the QR code of a citizen ID card
//! ([`cccd`]), the pages of the dossier being captured ([`pages`]) and where the signature stamp goes
//! ([`stamp`]).

pub mod cccd;
pub mod pages;
pub mod preview;
pub mod stamp;

pub use cccd::{CccdData, CccdError, parse_cccd_qr, read_cccd_image};

use std::path::PathBuf;

use crate::desk::ErrorCode;
use crate::sign::SignError;

/// A failure of a counter step (reading a card, importing, assembling, signing), with the file involved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CounterError {
    #[error(transparent)]
    Cccd(#[from] CccdError),
    #[error(transparent)]
    Page(#[from] pages::PageError),
    #[error(
        "thành phần {document} của hồ sơ {dossier} chưa có trang nào; hãy quét hoặc nhập tệp trước khi ghép"
    )]
    NoPages { dossier: String, document: String },
    #[error("hồ sơ {dossier} không có thành phần {document}")]
    UnknownDocument { dossier: String, document: String },
    #[error("không ghép được PDF của thành phần {document}: {source}")]
    Assemble {
        document: String,
        #[source]
        source: crate::pdf::PdfError,
    },
    #[error("không ký được: {0}")]
    Sign(#[from] SignError),
    #[error("không ký được thành phần {document}: {source}")]
    SignDocument {
        document: String,
        #[source]
        source: SignError,
    },
    #[error("không dùng được thư mục tạm {path}: {source}; kiểm tra quyền ghi và dung lượng đĩa")]
    Scratch {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Stamp(#[from] stamp::StampError),
    #[error("máy quét: {0}")]
    Scan(#[from] crate::capture::scan::ScanError),
    #[error("đã huỷ theo yêu cầu")]
    Cancelled,
    #[error("chưa đặt thư mục quét: vào Cài đặt → Quét và chọn thư mục máy quét mạng ghi tệp vào")]
    NoHotFolder,
    #[error(
        "không đọc được thư mục quét {folder}: {source}; kiểm tra ổ mạng đã kết nối và quyền đọc, hoặc sửa đường dẫn trong Cài đặt → Quét"
    )]
    HotFolderUnreadable {
        folder: PathBuf,
        source: std::io::Error,
    },
    #[error("không bắt đầu theo dõi được thư mục quét: {0}")]
    HotFolderThread(std::io::Error),
}

impl CounterError {
    /// The stable code the UI translates.
    pub fn code(&self) -> ErrorCode {
        match self {
            CounterError::Cccd(CccdError::NoQrCode { .. }) => ErrorCode::CccdQrNotFound,
            CounterError::Cccd(CccdError::NotACccd { .. }) => ErrorCode::CccdNotACard,
            CounterError::Cccd(_) | CounterError::Page(_) => ErrorCode::FileUnreadable,
            CounterError::NoPages { .. } => ErrorCode::NoPages,
            CounterError::UnknownDocument { .. } => ErrorCode::DossierNotFound,
            CounterError::Assemble { .. } | CounterError::Stamp(_) => ErrorCode::FileUnreadable,
            CounterError::Sign(e) | CounterError::SignDocument { source: e, .. } => sign_code(e),
            CounterError::Scratch { .. } => ErrorCode::FileUnwritable,
            CounterError::Scan(_) => ErrorCode::ScannerFailed,
            CounterError::Cancelled => ErrorCode::Cancelled,
            CounterError::NoHotFolder | CounterError::HotFolderUnreadable { .. } => {
                ErrorCode::InvalidSetting
            }
            CounterError::HotFolderThread(_) => ErrorCode::Internal,
        }
    }
}

fn sign_code(e: &SignError) -> ErrorCode {
    match e {
        SignError::Pkcs12 { .. } | SignError::WrongPin { .. } => ErrorCode::WrongPin,
        SignError::PinLocked { .. } => ErrorCode::PinLocked,
        SignError::CertificateExpired { .. } => ErrorCode::CertificateExpired,
        SignError::CertificateNotYetValid { .. } | SignError::CertificateKeyUsage { .. } => {
            ErrorCode::CertificateUnusable
        }
        SignError::TokenNotFound { .. } | SignError::Pkcs11 { .. } => ErrorCode::TokenUnavailable,
        SignError::Io { .. } | SignError::KeyFile { .. } => ErrorCode::FileUnreadable,
        SignError::InFile { source, .. } => sign_code(source),
        _ => ErrorCode::SigningFailed,
    }
}
pub use crate::desk::{
    AssembledDocument, HotFolderEvent, HotFolderTarget, HotFolderWatch, ImportOutcome, ScanProfile,
    SignKey, SignSummary, SignWith, TokenChoice, WatchTiming,
};
