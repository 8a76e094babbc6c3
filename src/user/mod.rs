//! Local user accounts of a MotCua Desk installation and what each role may do.
//!
//! An office has clerks (cán bộ tiếp nhận), who receive, scan, sign and submit dossiers, and supervisors
//! (lãnh đạo / người phụ trách), who additionally verify signed files, read the reports and change the
//! settings. Accounts are local to the data folder (table `users`, migration 4): a login, a display name, a
//! role and an Argon2id password hash in the PHC string format (RFC 9106 parameters of the `argon2` crate's
//! defaults: 19 MiB, 2 passes, 1 lane, random 16-byte salt). The password itself is never stored, logged or
//! put in an error message. Pure rules here; the table is `store/users.rs`, the calls `desk/users.rs`.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use serde::Serialize;

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A role of a local account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Counter clerk: the counter workflow only.
    Clerk,
    /// Supervisor: everything a clerk does, plus verification, reports, settings and accounts.
    Supervisor,
}

impl Role {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Supervisor => "supervisor",
        }
    }

    /// Parses `clerk` or `supervisor`.
    pub fn parse(name: &str) -> Result<Role, UserError> {
        match name.trim() {
            "clerk" => Ok(Role::Clerk),
            "supervisor" => Ok(Role::Supervisor),
            other => Err(UserError::UnknownRole(other.to_owned())),
        }
    }

    /// Whether this role may do `what`.
    pub fn may(self, what: Permission) -> bool {
        match what {
            Permission::Counter => true,
            Permission::Verify
            | Permission::Reports
            | Permission::Settings
            | Permission::ManageUsers => self == Role::Supervisor,
        }
    }
}

/// The things access is decided on. The UI hides screens by the same rule the commands enforce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Receive, scan, sign, print and submit dossiers.
    Counter,
    /// The Xác minh screen.
    Verify,
    /// The Báo cáo screen and its exports.
    Reports,
    /// The Cài đặt screen and trust-store imports.
    Settings,
    /// Creating accounts, changing others' passwords.
    ManageUsers,
}

impl Permission {
    /// Vietnamese name for messages.
    pub fn label(self) -> &'static str {
        match self {
            Permission::Counter => "tiếp nhận hồ sơ",
            Permission::Verify => "xác minh chữ ký số",
            Permission::Reports => "xem báo cáo",
            Permission::Settings => "thay đổi cài đặt",
            Permission::ManageUsers => "quản lý tài khoản",
        }
    }
}

/// An account as stored (without its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// UTC, RFC 3339.
    pub created_at: String,
    /// UTC, RFC 3339, when the account was disabled.
    pub disabled_at: Option<String>,
}

impl User {
    /// What the audit log records as the actor of this user's actions.
    pub fn actor(&self) -> String {
        format!("user:{}", self.login)
    }

    pub fn is_disabled(&self) -> bool {
        self.disabled_at.is_some()
    }

    /// `Ok` if this account may do `what`, else the refusal naming the account and the action.
    pub fn require(&self, what: Permission) -> Result<(), UserError> {
        if self.role.may(what) {
            Ok(())
        } else {
            Err(UserError::NotPermitted {
                login: self.login.clone(),
                role: self.role.as_str(),
                action: what.label(),
            })
        }
    }
}

/// Why an account operation was refused. Never carries a password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UserError {
    #[error(
        "tên đăng nhập {0:?} không hợp lệ: dùng 3–32 ký tự chữ thường không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang, bắt đầu bằng chữ"
    )]
    InvalidLogin(String),
    #[error("cần nhập họ tên hiển thị của tài khoản")]
    DisplayNameMissing,
    #[error(
        "vai trò {0:?} không có: dùng clerk (cán bộ tiếp nhận) hoặc supervisor (người phụ trách)"
    )]
    UnknownRole(String),
    #[error("mật khẩu quá ngắn: cần ít nhất {MIN_PASSWORD_CHARS} ký tự")]
    WeakPassword,
    #[error("tên đăng nhập {0:?} đã có người dùng")]
    LoginTaken(String),
    #[error("không có tài khoản {0:?}")]
    NoSuchUser(String),
    #[error("sai tên đăng nhập hoặc mật khẩu")]
    WrongCredentials,
    #[error("tài khoản {0:?} đã bị khoá: liên hệ người phụ trách")]
    Disabled(String),
    #[error("tài khoản {login:?} ({role}) không có quyền {action}: cần tài khoản người phụ trách")]
    NotPermitted {
        login: String,
        role: &'static str,
        action: &'static str,
    },
    #[error("chưa đăng nhập: hãy đăng nhập để {action}")]
    NotLoggedIn { action: &'static str },
    #[error("đã có tài khoản: chỉ tạo được tài khoản đầu tiên khi chưa có tài khoản nào")]
    AlreadySetUp,
    #[error("không tính được mã băm mật khẩu: {0}")]
    Hash(String),
}

/// Checks and normalises a login: lower-case ASCII letter first, then letters, digits, `.`, `_`, `-`.
pub fn normalize_login(login: &str) -> Result<String, UserError> {
    let login = login.trim().to_ascii_lowercase();
    let ok_len = (3..=32).contains(&login.len());
    let ok_first = login.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    let ok_rest = login
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok_len && ok_first && ok_rest {
        Ok(login)
    } else {
        Err(UserError::InvalidLogin(login))
    }
}

/// Checks a new password against the policy (length only: the counter PC is not the internet).
pub fn check_password(password: &str) -> Result<(), UserError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(UserError::WeakPassword);
    }
    Ok(())
}

/// Hashes `password` with Argon2id and a fresh random salt; returns the PHC string (`$argon2id$v=19$…`).
pub fn hash_password(password: &str) -> Result<String, UserError> {
    check_password(password)?;
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| UserError::Hash(e.to_string()))
}

/// Whether `password` matches the stored PHC string. A malformed stored hash never matches.
pub fn password_matches(password: &str, phc: &str) -> bool {
    let Ok(hash) = argon2::PasswordHash::new(phc) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_normalised_and_checked() {
        assert_eq!(normalize_login("  Lan.NT ").unwrap(), "lan.nt");
        assert_eq!(normalize_login("ab_9-x").unwrap(), "ab_9-x");
        for bad in ["", "ab", "9abc", "lan nt", "lan@x", "đức", &"a".repeat(33)] {
            assert!(
                matches!(normalize_login(bad), Err(UserError::InvalidLogin(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn only_supervisors_verify_report_and_configure() {
        for p in [
            Permission::Verify,
            Permission::Reports,
            Permission::Settings,
            Permission::ManageUsers,
        ] {
            assert!(Role::Supervisor.may(p));
            assert!(!Role::Clerk.may(p));
        }
        assert!(Role::Clerk.may(Permission::Counter));
        assert_eq!(Role::parse("supervisor").unwrap(), Role::Supervisor);
        assert!(matches!(
            Role::parse("admin"),
            Err(UserError::UnknownRole(_))
        ));
    }

    #[test]
    fn argon2id_hash_verifies_only_the_right_password() {
        let phc = hash_password("mật khẩu 2026").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(!phc.contains("mật khẩu"));
        assert!(password_matches("mật khẩu 2026", &phc));
        assert!(!password_matches("mật khẩu 2025", &phc));
        assert!(!password_matches("mật khẩu 2026", "not a phc string"));
        // Same password, fresh salt: a different string that verifies the same.
        let again = hash_password("mật khẩu 2026").unwrap();
        assert_ne!(phc, again);
        assert!(password_matches("mật khẩu 2026", &again));
        assert!(matches!(
            hash_password("short"),
            Err(UserError::WeakPassword)
        ));
    }
}
