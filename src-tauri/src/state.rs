//! The shell's managed state: the opened [`Desk`] (or why it could not be opened) and the acting user.
//!
//! Opening can fail (read-only data folder, database from a newer version…). The window still opens and
//! every command returns that failure as an [`ErrorEnvelope`], so the clerk sees a translated explanation
//! instead of an app that silently does not start.
//!
//! The acting user is the account signed in on the login screen (`commands/session.rs`); every audit entry
//! made from the window names it (`user:<login>`). Before anyone signs in (a database without accounts,
//! as in older installations and tests) the operating-system account is used, prefixed `desk:`.

use crate::error::ErrorEnvelope;
use motcua::Desk;
use motcua::user::{Permission, User};
use std::sync::{Arc, Mutex, MutexGuard};

/// What the commands share. `Desk` is `Send + Sync`; the `Arc` lets a command move it onto a blocking thread.
pub struct DeskState {
    desk: Result<Arc<Desk>, ErrorEnvelope>,
    os_actor: String,
    user: Mutex<Option<User>>,
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
            os_actor: current_actor(),
            user: Mutex::new(None),
        }
    }

    /// The desk, or the error that kept it from opening.
    pub fn desk(&self) -> Result<Arc<Desk>, ErrorEnvelope> {
        self.desk.clone()
    }

    /// Who is recorded in the audit log for changes made from this window: the signed-in account, else
    /// the operating-system user.
    pub fn actor(&self) -> String {
        match &*self.signed_in() {
            Some(user) => user.actor(),
            None => self.os_actor.clone(),
        }
    }

    fn signed_in(&self) -> MutexGuard<'_, Option<User>> {
        // Only ever replaced whole, so a poisoned lock still holds a consistent value.
        self.user.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The account signed in on this window, if any.
    pub fn user(&self) -> Option<User> {
        self.signed_in().clone()
    }

    /// Records the account that signed in (or `None` on sign-out).
    pub fn set_user(&self, user: Option<User>) {
        *self.signed_in() = user;
    }

    /// The desk and the acting user's audit name, if the signed-in account may do `what`; refused with
    /// `permission_denied` when nobody is signed in or the role does not allow it.
    pub fn require(&self, what: Permission) -> Result<(Arc<Desk>, String), ErrorEnvelope> {
        let desk = self.desk()?;
        let Some(user) = self.user() else {
            return Err(
                motcua::DeskError::from(motcua::user::UserError::NotLoggedIn {
                    action: what.label(),
                })
                .into(),
            );
        };
        desk.authorize(&user, what)?;
        Ok((desk, user.actor()))
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
