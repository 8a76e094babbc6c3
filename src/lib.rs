//! MotCua Desk core: everything a one-stop reception counter does, without any user interface.
//!
//! The desktop shell (`src-tauri/`) and the `motcua` CLI are thin adapters over this crate. Start at [`Desk`],
//! the application service both of them call; each domain noun has its own module:
//! [`dossier`] (model and lifecycle), [`catalog`] (procedures), [`calendar`] (working days), [`store`]
//! (SQLite and blobs). See ARCHITECTURE.md for the code map and invariants.

#![forbid(unsafe_code)]

pub mod atomic;
pub mod calendar;
pub mod capture;
pub mod catalog;
pub mod counter;
mod desk;
pub mod dossier;
pub mod pdf;
pub mod receipt;
pub mod report;
pub mod sign;
pub mod store;
pub mod sync;
pub mod user;
pub mod verify;

pub use desk::{ApologyCandidate, Desk, DeskError, ErrorCode, default_data_dir, vietnam_now};
// The supervisor's screens (issue 9): verification runs, office settings, report trend and exports.
pub use desk::{
    ExportFormat, OfficeDay, OfficeSetting, SettingError, TrendPoint, TrustedCertificate,
    VerifyOutcome, collect_pdfs, combined_html, settings,
};
