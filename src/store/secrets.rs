//! Secrets: values encrypted at rest (XChaCha20-Poly1305, a random nonce per
//! value) in the history database. The key is not in the database: it is in
//! the OS keyring or a file beside it (`secrets_key.rs`).

use super::{Store, StoreError};
use chacha20poly1305::aead::{Aead, AeadCore, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rusqlite::{params, OptionalExtension};

/// A secret's name: letters, digits, `_`, `-` and `.` (as in `webhook.orders`).
pub fn valid_secret_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl Store {
    pub fn set_secret(&self, name: &str, value: &str) -> Result<(), StoreError> {
        let cipher = self.cipher()?;
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = cipher
            .encrypt(&nonce, value.as_bytes())
            .map_err(|e| self.unavailable(format!("cannot encrypt secret {name}: {e}")))?;
        self.conn()
            .execute(
                "INSERT INTO secrets (name, nonce, value, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO UPDATE SET nonce = excluded.nonce, value = excluded.value,
                 updated_at = excluded.updated_at",
                params![name, nonce.as_slice(), sealed, super::now()],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    pub fn get_secret(&self, name: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(Vec<u8>, Vec<u8>)> = self
            .conn()
            .query_row(
                "SELECT nonce, value FROM secrets WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        let Some((nonce, sealed)) = row else {
            return Ok(None);
        };
        let cipher = self.cipher()?;
        if nonce.len() != 24 {
            return Err(self.unavailable(format!("secret {name} is damaged")));
        }
        let plain = cipher
            .decrypt(XNonce::from_slice(&nonce), sealed.as_slice())
            .map_err(|_| {
                self.unavailable(format!(
                    "secret {name} cannot be decrypted with this history's key (another key?)"
                ))
            })?;
        String::from_utf8(plain)
            .map(Some)
            .map_err(|_| self.unavailable(format!("secret {name} is not text")))
    }

    /// Every secret's name (never a value), in order.
    pub fn secret_names(&self) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT name FROM secrets ORDER BY name")
            .map_err(|e| self.sql_error(e))?;
        let names = stmt
            .query_map([], |r| r.get(0))
            .map_err(|e| self.sql_error(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql_error(e));
        names
    }

    /// Removes a secret; whether there was one.
    pub fn remove_secret(&self, name: &str) -> Result<bool, StoreError> {
        let n = self
            .conn()
            .execute("DELETE FROM secrets WHERE name = ?1", [name])
            .map_err(|e| self.sql_error(e))?;
        Ok(n > 0)
    }
}
