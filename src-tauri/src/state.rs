//! The shell's managed state: the opened [`Desk`] (or why it could not be opened) and the acting user.
//!
//! Opening can fail (read-only data folder, database from a newer version…). The window still opens and
//! every command returns that failure as an [`ErrorEnvelope`], so the clerk sees a translated explanation
//! instead of an app that silently does not start.

use crate::error::ErrorEnvelope;
use motcua::Desk;
use std::sync::Arc;

/// What the commands share. `Desk` is `Send + Sync`; the `Arc` lets a command move it onto a blocking thread.
pub struct DeskState {
    desk: Result<Arc<Desk>, ErrorEnvelope>,
    actor: String,
}

impl DeskState {
    /// Opens the store in the core's default data directory (`$MOTCUA_DATA_DIR` or the platform folder).
    pub fn open_default() -> Self {
        DeskState::from_result(Desk::open_default())
    }

    /// Wraps the outcome of opening a [`Desk`].
    pub fn from_result(desk: Result<Desk, motcua::DeskError>) -> Self {
        DeskState {
            desk: desk.map(Arc::new).map_err(ErrorEnvelope::from),
            actor: current_actor(),
        }
    }

    /// The desk, or the error that kept it from opening.
    pub fn desk(&self) -> Result<Arc<Desk>, ErrorEnvelope> {
        self.desk.clone()
    }

    /// Who is recorded in the audit log for changes made from this window.
    pub fn actor(&self) -> &str {
        &self.actor
    }
}

/// The operating-system account of the clerk, prefixed so audit entries show they came from the desktop app.
fn current_actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    format!("desk:{user}")
}
