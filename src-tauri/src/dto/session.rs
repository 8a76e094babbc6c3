//! Wire shapes of the sign-in commands: the account as the UI sees it (never its hash) and the state the
//! login gate starts from.

use motcua::user::User;
use serde::Serialize;

/// A local account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserDto {
    pub login: String,
    pub display_name: String,
    /// `clerk` or `supervisor`.
    pub role: &'static str,
    pub disabled: bool,
}

impl From<&User> for UserDto {
    fn from(u: &User) -> Self {
        UserDto {
            login: u.login.clone(),
            display_name: u.display_name.clone(),
            role: u.role.as_str(),
            disabled: u.is_disabled(),
        }
    }
}

/// What the login gate needs: whether accounts exist (else the first-run screen) and who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionDto {
    pub user_count: i64,
    pub user: Option<UserDto>,
}
