//! Figures about the office's dossiers: deadline states per dossier ([`deadlines`]), the period report of
//! `motcua report` ([`stats`]) and its CSV / XLSX exports ([`export`]).

pub mod clock;
pub mod deadlines;
pub mod export;
mod replay;
pub mod stats;

pub use deadlines::{DeadlineHistory, WARNING_DAYS, history_from_audit};
pub use export::{CLERK_LABEL, ExportError, write_csv, write_xlsx};
pub use stats::{
    ClerkCounts, Counts, HEADERS, ProcedureCounts, RATE_HEADERS, Report, Verdict, verdict,
};
