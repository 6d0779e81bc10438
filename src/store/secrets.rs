//! Secrets: values encrypted at rest (XChaCha20-Poly1305, a random nonce per
//! value) in the history database. The key is not in the database: it is a
//! file of 32 random bytes beside it (`NAME.key`, mode 0600), made on first use.

use super::{Store, StoreError};
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rusqlite::{params, OptionalExtension};
use std::path::{Path, PathBuf};

/// A secret's name: letters, digits, `_`, `-` and `.` (as in `webhook.orders`).
pub fn valid_secret_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl Store {
    /// The key file beside the database.
    pub fn key_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".key");
        self.path.with_file_name(name)
    }

    fn cipher(&self) -> Result<XChaCha20Poly1305, StoreError> {
        let path = self.key_path();
        let unavailable = |reason: String| StoreError::Unavailable {
            path: path.display().to_string(),
            reason,
        };
        let key = match std::fs::read(&path) {
            Ok(bytes) if bytes.len() == 32 => bytes,
            Ok(_) => {
                return Err(unavailable(
                    "the secrets key is damaged (not 32 bytes); secrets cannot be read".into(),
                ))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => write_new_key(&path)
                .map_err(|e| unavailable(format!("cannot create the secrets key: {e}")))?,
            Err(e) => return Err(unavailable(format!("cannot read the secrets key: {e}"))),
        };
        XChaCha20Poly1305::new_from_slice(&key).map_err(|e| unavailable(e.to_string()))
    }

    pub fn set_secret(&self, name: &str, value: &str) -> Result<(), StoreError> {
        let cipher = self.cipher()?;
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = cipher
            .encrypt(&nonce, value.as_bytes())
            .map_err(|e| self.sql_error_text(format!("cannot encrypt secret {name}: {e}")))?;
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
            return Err(self.sql_error_text(format!("secret {name} is damaged")));
        }
        let plain = cipher
            .decrypt(XNonce::from_slice(&nonce), sealed.as_slice())
            .map_err(|_| {
                self.sql_error_text(format!(
                    "secret {name} cannot be decrypted with {} (another key?)",
                    self.key_path().display()
                ))
            })?;
        String::from_utf8(plain)
            .map(Some)
            .map_err(|_| self.sql_error_text(format!("secret {name} is not text")))
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

    fn sql_error_text(&self, reason: String) -> StoreError {
        StoreError::Unavailable {
            path: self.path.display().to_string(),
            reason,
        }
    }
}

/// Writes a new random key, readable by its owner only, without replacing one
/// another process wrote meanwhile.
fn write_new_key(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let key = XChaCha20Poly1305::generate_key(&mut OsRng).to_vec();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut f) => {
            f.write_all(&key)?;
            f.sync_all()?;
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => std::fs::read(path),
        Err(e) => Err(e),
    }
}
