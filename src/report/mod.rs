//! Figures about the office's dossiers: deadline states per dossier ([`deadlines`]) and the period
//! statistics of `motcua report` ([`stats`]).

pub mod deadlines;

pub use deadlines::{DeadlineHistory, WARNING_DAYS, history_from_audit};
