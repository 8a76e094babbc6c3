//! Per-office API tokens. Only the SHA-256 of a token is stored, so a copied database does not leak
//! working credentials; the token itself is shown once, when it is created.

use base64::Engine as _;
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{Store, StoreError, sql};
use crate::time::{format_national, now_vietnam};

/// Prefix of every portal token, so a leaked token is recognisable in logs and secret scanners.
pub const TOKEN_PREFIX: &str = "mcp_";

/// Who is calling: the office a token belongs to and whether it may use the admin endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Token id (not secret), for logs.
    pub token_id: String,
    /// Office code the token was created for; dossiers and uploads are scoped to it.
    pub office: String,
    /// Admin tokens may move dossier statuses (simulated back office).
    pub admin: bool,
}

/// One token as listed by `motcua-portal token list` (never the secret itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub id: String,
    pub office: String,
    pub admin: bool,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

fn token_hash_hex(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl Store {
    /// Creates a token for `office` and returns `(token id, token)`. The token is not stored.
    pub fn create_token(&self, office: &str, admin: bool) -> Result<(String, String), StoreError> {
        let secret: [u8; 32] = rand::random();
        let token = format!(
            "{TOKEN_PREFIX}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret)
        );
        let id = hex::encode(rand::random::<[u8; 6]>());
        let conn = self.lock()?;
        conn.execute(
            "INSERT INTO tokens (id, sha256_hex, office, admin, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, token_hash_hex(&token), office, admin, format_national(now_vietnam())],
        )
        .map_err(sql("creating a token"))?;
        Ok((id, token))
    }

    /// Revokes a token given either its id or the token itself; returns how many tokens were revoked.
    pub fn revoke_token(&self, id_or_token: &str) -> Result<usize, StoreError> {
        let conn = self.lock()?;
        conn.execute(
            "UPDATE tokens SET revoked_at = ?3 WHERE (id = ?1 OR sha256_hex = ?2) AND revoked_at IS NULL",
            params![id_or_token, token_hash_hex(id_or_token), format_national(now_vietnam())],
        )
        .map_err(sql("revoking a token"))
    }

    /// Lists every token, newest first.
    pub fn list_tokens(&self) -> Result<Vec<TokenRow>, StoreError> {
        let conn = self.lock()?;
        let mut statement = conn
            .prepare(
                "SELECT id, office, admin, created_at, revoked_at FROM tokens ORDER BY rowid DESC",
            )
            .map_err(sql("listing tokens"))?;
        let rows = statement
            .query_map([], |row| {
                Ok(TokenRow {
                    id: row.get(0)?,
                    office: row.get(1)?,
                    admin: row.get(2)?,
                    created_at: row.get(3)?,
                    revoked_at: row.get(4)?,
                })
            })
            .map_err(sql("listing tokens"))?;
        rows.collect::<Result<_, _>>()
            .map_err(sql("listing tokens"))
    }

    /// Looks a presented token up; `None` when it is unknown or revoked.
    pub fn authenticate(&self, token: &str) -> Result<Option<Principal>, StoreError> {
        let conn = self.lock()?;
        conn.query_row(
            "SELECT id, office, admin FROM tokens WHERE sha256_hex = ?1 AND revoked_at IS NULL",
            [token_hash_hex(token)],
            |row| {
                Ok(Principal {
                    token_id: row.get(0)?,
                    office: row.get(1)?,
                    admin: row.get(2)?,
                })
            },
        )
        .optional()
        .map_err(sql("checking a token"))
    }
}
