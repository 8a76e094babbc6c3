//! `Desk` calls for local accounts: the first-run supervisor, adding accounts, signing in, changing a
//! password, disabling. Rules (login format, password length, Argon2id) are in [`crate::user`]; the table
//! in `store/users.rs`. Signing in with an unknown login or a wrong password gives the same error, so the
//! screen does not reveal which logins exist.

use super::{Desk, DeskError};
use crate::user::{self, Permission, Role, User, UserError};

/// A hash checked when the login is unknown, so a wrong login costs the same time as a wrong password
/// (the answer does not tell which logins exist). Made once, of a password nobody knows.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        user::hash_password("no such account / không có tài khoản").unwrap_or_default()
    })
}

impl Desk {
    /// How many accounts exist; zero means the app shows the first-run screen.
    pub fn user_count(&self) -> Result<i64, DeskError> {
        Ok(self.store().user_count()?)
    }

    /// Every account, by login.
    pub fn users(&self) -> Result<Vec<User>, DeskError> {
        Ok(self.store().users()?)
    }

    /// Adds an account. `actor` is who does it (a supervisor in the app, the operator in the CLI).
    pub fn add_user(
        &self,
        login: &str,
        display_name: &str,
        role: Role,
        password: &str,
        actor: &str,
    ) -> Result<User, DeskError> {
        let login = user::normalize_login(login)?;
        let display_name = display_name.trim();
        if display_name.is_empty() {
            return Err(UserError::DisplayNameMissing.into());
        }
        let hash = user::hash_password(password)?;
        let mut store = self.store();
        if store.user_with_hash(&login)?.is_some() {
            return Err(UserError::LoginTaken(login).into());
        }
        Ok(store.create_user(&login, display_name, role, &hash, actor)?)
    }

    /// The first-run screen: creates the first account, a supervisor, only while there is none.
    pub fn create_first_supervisor(
        &self,
        login: &str,
        display_name: &str,
        password: &str,
    ) -> Result<User, DeskError> {
        if self.user_count()? > 0 {
            return Err(UserError::AlreadySetUp.into());
        }
        let actor = format!("user:{}", user::normalize_login(login)?);
        let created = self.add_user(login, display_name, Role::Supervisor, password, &actor)?;
        self.store().audit_login(&created)?;
        Ok(created)
    }

    /// Signs in: the account if the password matches and the account is enabled. Success is audited.
    pub fn authenticate(&self, login: &str, password: &str) -> Result<User, DeskError> {
        let login = login.trim().to_ascii_lowercase();
        let found = self.store().user_with_hash(&login)?;
        let Some((account, hash)) = found else {
            // Same work as a real check, so the time taken does not reveal unknown logins.
            let _ = user::password_matches(password, dummy_hash());
            return Err(UserError::WrongCredentials.into());
        };
        if !user::password_matches(password, &hash) {
            return Err(UserError::WrongCredentials.into());
        }
        if account.is_disabled() {
            return Err(UserError::Disabled(account.login).into());
        }
        self.store().audit_login(&account)?;
        Ok(account)
    }

    /// Sets a new password for `login` (the CLI's `motcua user passwd`, or a supervisor in the app).
    pub fn set_password(&self, login: &str, password: &str, actor: &str) -> Result<(), DeskError> {
        let login = self.existing_login(login)?;
        let hash = user::hash_password(password)?;
        Ok(self.store().set_password_hash(&login, &hash, actor)?)
    }

    /// Disables or re-enables an account.
    pub fn set_user_disabled(
        &self,
        login: &str,
        disabled: bool,
        actor: &str,
    ) -> Result<(), DeskError> {
        let login = self.existing_login(login)?;
        Ok(self.store().set_user_disabled(&login, disabled, actor)?)
    }

    /// Refuses `what` unless `account` may do it (the shell calls this before every supervisor command).
    pub fn authorize(&self, account: &User, what: Permission) -> Result<(), DeskError> {
        Ok(account.require(what)?)
    }

    fn existing_login(&self, login: &str) -> Result<String, DeskError> {
        let login = login.trim().to_ascii_lowercase();
        match self.store().user_with_hash(&login)? {
            Some((account, _)) => Ok(account.login),
            None => Err(UserError::NoSuchUser(login).into()),
        }
    }
}

/// The stable code of an account failure.
pub(super) fn error_code(e: &UserError) -> super::ErrorCode {
    use super::ErrorCode as C;
    match e {
        UserError::WrongCredentials => C::WrongPassword,
        UserError::Disabled(_) => C::AccountDisabled,
        UserError::NotPermitted { .. } | UserError::NotLoggedIn { .. } => C::PermissionDenied,
        UserError::LoginTaken(_) | UserError::AlreadySetUp => C::LoginTaken,
        UserError::Hash(_) => C::Internal,
        _ => C::InvalidUser,
    }
}
