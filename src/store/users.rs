//! The `users` table (migration 4): local accounts with their Argon2id hash. Every change (creation,
//! password change, disabling) appends an audit entry in the same transaction; the entries never contain
//! the hash or the password, only that it changed.

use super::{Store, StoreError, utc_now};
use crate::user::{Role, User};
use rusqlite::{OptionalExtension, Row, params};

const COLUMNS: &str = "id, login, display_name, role, created_at, disabled_at";

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<(User, String)> {
    let role: String = row.get(3)?;
    let user = User {
        id: row.get(0)?,
        login: row.get(1)?,
        display_name: row.get(2)?,
        // The CHECK constraint only admits these two names.
        role: if role == "supervisor" {
            Role::Supervisor
        } else {
            Role::Clerk
        },
        created_at: row.get(4)?,
        disabled_at: row.get(5)?,
    };
    Ok((user, role))
}

impl Store {
    /// How many accounts exist (disabled ones included): zero means the first-run screen.
    pub fn user_count(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
            .map_err(|e| self.sql(e))
    }

    /// Every account, by login.
    pub fn users(&self) -> Result<Vec<User>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM users ORDER BY login"))
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], |r| user_from_row(r).map(|(u, _)| u))
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.sql(e))
    }

    /// One account with its stored hash, by login (case-insensitive); `None` if there is none.
    pub fn user_with_hash(&self, login: &str) -> Result<Option<(User, String)>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS}, password_hash FROM users WHERE login = ?1"),
                [login],
                |r| Ok((user_from_row(r)?.0, r.get::<_, String>(6)?)),
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Inserts an account (login already normalised, hash already computed) and audits it.
    pub fn create_user(
        &mut self,
        login: &str,
        display_name: &str,
        role: Role,
        password_hash: &str,
        actor: &str,
    ) -> Result<User, StoreError> {
        let path = self.db_path();
        let tx = self
            .conn
            .transaction()
            .map_err(|e| super::sql_err(&path, e))?;
        let result = (|| {
            let now = utc_now();
            tx.execute(
                "INSERT INTO users (login, display_name, role, password_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![login, display_name, role.as_str(), password_hash, now],
            )?;
            let id = tx.last_insert_rowid();
            super::audit::append(
                &tx,
                actor,
                "user.create",
                &format!("user:{login}"),
                None,
                Some(
                    &serde_json::json!({"login": login, "displayName": display_name, "role": role.as_str()}),
                ),
            )?;
            tx.commit()?;
            Ok(User {
                id,
                login: login.to_owned(),
                display_name: display_name.to_owned(),
                role,
                created_at: now,
                disabled_at: None,
            })
        })();
        result.map_err(|e: rusqlite::Error| super::sql_err(&path, e))
    }

    /// Replaces an account's password hash; the audit entry says only that it changed.
    pub fn set_password_hash(
        &mut self,
        login: &str,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        self.update_user(login, actor, "user.password", |tx| {
            tx.execute(
                "UPDATE users SET password_hash = ?2 WHERE login = ?1",
                params![login, password_hash],
            )
        })
    }

    /// Disables (or re-enables) an account.
    pub fn set_user_disabled(
        &mut self,
        login: &str,
        disabled: bool,
        actor: &str,
    ) -> Result<(), StoreError> {
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        self.update_user(login, actor, action, |tx| {
            let at = disabled.then(utc_now);
            tx.execute(
                "UPDATE users SET disabled_at = ?2 WHERE login = ?1",
                params![login, at],
            )
        })
    }

    /// Records a successful sign-in in the audit log (who worked at the counter, from when).
    pub fn audit_login(&mut self, user: &User) -> Result<(), StoreError> {
        let path = self.db_path();
        let tx = self
            .conn
            .transaction()
            .map_err(|e| super::sql_err(&path, e))?;
        let result = (|| {
            super::audit::append(
                &tx,
                &user.actor(),
                "user.login",
                &format!("user:{}", user.login),
                None,
                None,
            )?;
            tx.commit()
        })();
        result.map_err(|e| super::sql_err(&path, e))
    }

    fn update_user(
        &mut self,
        login: &str,
        actor: &str,
        action: &str,
        change: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<usize>,
    ) -> Result<(), StoreError> {
        let path = self.db_path();
        let tx = self
            .conn
            .transaction()
            .map_err(|e| super::sql_err(&path, e))?;
        let changed = change(&tx).map_err(|e| super::sql_err(&path, e))?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: "tài khoản",
                key: login.to_owned(),
            });
        }
        super::audit::append(&tx, actor, action, &format!("user:{login}"), None, None)
            .and_then(|()| tx.commit())
            .map_err(|e| super::sql_err(&path, e))
    }
}

impl Store {
    /// Appends an audit entry that records an event without a row change of its own (e.g. a certificate
    /// imported into the trust store).
    pub fn audit_note(
        &mut self,
        actor: &str,
        action: &str,
        entity: &str,
        after: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let path = self.db_path();
        let tx = self
            .conn
            .transaction()
            .map_err(|e| super::sql_err(&path, e))?;
        super::audit::append(&tx, actor, action, entity, None, Some(after))
            .and_then(|()| tx.commit())
            .map_err(|e| super::sql_err(&path, e))
    }
}
