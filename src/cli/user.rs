//! `motcua user …`: local accounts of the desktop app (issue 9). `add` and `passwd` read the password
//! from the environment variable named by `--password-env` or from the terminal without echo, never from
//! argv (which other users of the machine can read in the process list).

use super::Failure;
use clap::{Subcommand, ValueEnum};
use motcua::Desk;
use motcua::user::Role;

#[derive(Subcommand)]
pub enum UserCmd {
    /// Create an account.
    Add {
        /// clerk (cán bộ tiếp nhận) or supervisor (người phụ trách).
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Display name (default: the login).
        #[arg(long)]
        name: Option<String>,
        /// Environment variable holding the password (default: ask on the terminal).
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
        login: String,
    },
    /// List accounts.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Set a new password.
    Passwd {
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
        login: String,
    },
    /// Disable an account (it can no longer sign in; its audit entries stay).
    Disable { login: String },
    /// Re-enable a disabled account.
    Enable { login: String },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Clerk,
    Supervisor,
}

fn password(env_var: Option<&str>, login: &str) -> Result<String, Failure> {
    match env_var {
        Some(var) => std::env::var(var)
            .ok()
            .filter(|p| !p.is_empty())
            .ok_or_else(|| {
                Failure::Usage(format!(
                    "biến môi trường {var} (mật khẩu cho tài khoản {login}) chưa được đặt hoặc rỗng"
                ))
            }),
        None => rpassword::prompt_password(format!("Mật khẩu cho {login}: ")).map_err(|e| {
            Failure::Usage(format!(
                "không đọc được mật khẩu từ bàn phím ({e}); dùng --password-env TÊN_BIẾN"
            ))
        }),
    }
}

pub fn run(desk: &Desk, command: UserCmd, actor: &str) -> Result<(), Failure> {
    match command {
        UserCmd::Add {
            role,
            name,
            password_env,
            login,
        } => {
            let secret = password(password_env.as_deref(), &login)?;
            let role = match role {
                RoleArg::Clerk => Role::Clerk,
                RoleArg::Supervisor => Role::Supervisor,
            };
            let display = name.unwrap_or_else(|| login.clone());
            let user = desk.add_user(&login, &display, role, &secret, actor)?;
            println!("đã tạo tài khoản {} ({})", user.login, user.role.as_str());
        }
        UserCmd::List { json } => {
            let users = desk.users()?;
            if json {
                println!("{}", super::json::pretty(&users));
            } else {
                for u in users {
                    println!(
                        "{:<20} {:<10} {}{}",
                        u.login,
                        u.role.as_str(),
                        u.display_name,
                        if u.is_disabled() { " (đã khoá)" } else { "" }
                    );
                }
            }
        }
        UserCmd::Passwd {
            password_env,
            login,
        } => {
            let secret = password(password_env.as_deref(), &login)?;
            desk.set_password(&login, &secret, actor)?;
            println!("đã đổi mật khẩu của {}", login.trim().to_ascii_lowercase());
        }
        UserCmd::Disable { login } => desk.set_user_disabled(&login, true, actor)?,
        UserCmd::Enable { login } => desk.set_user_disabled(&login, false, actor)?,
    }
    Ok(())
}
