//! Sign-in commands: the login gate's state, signing in and out, and the first-run account. The signed-in
//! account becomes the actor of every audit entry made from the window (`DeskState::actor`). Supervisors
//! manage accounts here too (list, add, new password, disable); anyone changes their own password. Passwords
//! are passed straight to the core and never logged.

use super::blocking;
use crate::dto::session::{SessionDto, UserDto};
use crate::error::ErrorEnvelope;
use crate::state::DeskState;
use motcua::user::{Permission, Role, UserError};
use tauri::State;

/// Whether accounts exist and who is signed in.
#[tauri::command]
pub async fn session_status(state: State<'_, DeskState>) -> Result<SessionDto, ErrorEnvelope> {
    let desk = state.desk()?;
    let user_count = blocking(move || desk.user_count()).await?;
    Ok(SessionDto {
        user_count,
        user: state.user().as_ref().map(UserDto::from),
    })
}

/// Signs in; a wrong login or password is `wrong_password`, a disabled account `account_disabled`.
#[tauri::command]
pub async fn login(
    state: State<'_, DeskState>,
    login: String,
    password: String,
) -> Result<UserDto, ErrorEnvelope> {
    let desk = state.desk()?;
    let user = blocking(move || desk.authenticate(&login, &password)).await?;
    let dto = UserDto::from(&user);
    state.set_user(Some(user));
    Ok(dto)
}

/// Signs out (the window returns to the login screen).
#[tauri::command]
pub fn logout(state: State<'_, DeskState>) {
    state.set_user(None);
}

/// First run: creates the first account, a supervisor, and signs it in. Refused once any account exists.
#[tauri::command]
pub async fn create_first_account(
    state: State<'_, DeskState>,
    login: String,
    display_name: String,
    password: String,
) -> Result<UserDto, ErrorEnvelope> {
    let desk = state.desk()?;
    let user =
        blocking(move || desk.create_first_supervisor(&login, &display_name, &password)).await?;
    let dto = UserDto::from(&user);
    state.set_user(Some(user));
    Ok(dto)
}

/// Every account (supervisors only).
#[tauri::command]
pub async fn list_users(state: State<'_, DeskState>) -> Result<Vec<UserDto>, ErrorEnvelope> {
    let (desk, _) = state.require(Permission::ManageUsers)?;
    let users = blocking(move || desk.users()).await?;
    Ok(users.iter().map(UserDto::from).collect())
}

/// Adds an account (supervisors only); `role` is `clerk` or `supervisor`.
#[tauri::command]
pub async fn add_user(
    state: State<'_, DeskState>,
    login: String,
    display_name: String,
    role: String,
    password: String,
) -> Result<UserDto, ErrorEnvelope> {
    let (desk, actor) = state.require(Permission::ManageUsers)?;
    let user = blocking(move || {
        let role = Role::parse(&role)?;
        desk.add_user(&login, &display_name, role, &password, &actor)
    })
    .await?;
    Ok(UserDto::from(&user))
}

/// Sets another account's password, or disables / re-enables it (supervisors only).
#[tauri::command]
pub async fn update_user(
    state: State<'_, DeskState>,
    login: String,
    password: Option<String>,
    disabled: Option<bool>,
) -> Result<(), ErrorEnvelope> {
    let (desk, actor) = state.require(Permission::ManageUsers)?;
    blocking(move || {
        if let Some(password) = password {
            desk.set_password(&login, &password, &actor)?;
        }
        if let Some(disabled) = disabled {
            desk.set_user_disabled(&login, disabled, &actor)?;
        }
        Ok(())
    })
    .await
}

/// The signed-in account changes its own password: the current one is checked first.
#[tauri::command]
pub async fn change_own_password(
    state: State<'_, DeskState>,
    current: String,
    new_password: String,
) -> Result<(), ErrorEnvelope> {
    let desk = state.desk()?;
    let Some(user) = state.user() else {
        return Err(motcua::DeskError::from(UserError::NotLoggedIn {
            action: "đổi mật khẩu",
        })
        .into());
    };
    blocking(move || {
        desk.authenticate(&user.login, &current)?;
        desk.set_password(&user.login, &new_password, &user.actor())
    })
    .await
}

#[cfg(test)]
mod tests {
    use crate::state::DeskState;
    use motcua::Desk;
    use motcua::user::{Permission, Role};

    #[test]
    fn supervisor_commands_need_a_signed_in_supervisor_and_audit_under_that_account() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::open(dir.path()).unwrap();
        let lan = desk
            .create_first_supervisor("lan", "Nguyễn Thị Lan", "mật-khẩu-lan-2026")
            .unwrap();
        let binh = desk
            .add_user("binh", "Trần Văn Bình", Role::Clerk, "mật-khẩu-bình-1", "t")
            .unwrap();
        let state = DeskState::from_result(Ok(desk));

        let nobody = state.require(Permission::Verify).err().unwrap();
        assert_eq!(nobody.code, "permission_denied");
        assert!(state.actor().starts_with("desk:"));

        state.set_user(Some(binh));
        assert_eq!(state.actor(), "user:binh");
        for what in [
            Permission::Verify,
            Permission::Reports,
            Permission::Settings,
        ] {
            assert_eq!(state.require(what).err().unwrap().code, "permission_denied");
        }
        assert!(state.require(Permission::Counter).is_ok());

        state.set_user(Some(lan));
        let (_, actor) = state.require(Permission::Settings).unwrap();
        assert_eq!(actor, "user:lan");
        state.set_user(None);
        assert!(state.actor().starts_with("desk:"));
    }
}
