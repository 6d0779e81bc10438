//! The secrets key: 32 random bytes, never in the database. It lives in the OS
//! keyring where one answers (the Secret Service on Linux, the Keychain on
//! macOS, the Credential Manager on Windows), else in a file beside the
//! database (`NAME.key`, mode 0600). Found once per process, then remembered.
//!
//! Where to look, in order: the key file (a key made where no keyring
//! answered stays there, so that every process finds the same key); then the
//! keyring's entry for this database. A new key is made only for a history
//! that holds no secrets yet: a missing key is reported, never replaced, since
//! a new one would leave every kept secret unreadable.
//!
//! On Linux the keyring is asked only in a desktop session
//! (`DBUS_SESSION_BUS_ADDRESS` set), never started on demand;
//! `FLOWBENCH_KEYRING=off` keeps the key in the file everywhere.

use super::{Store, StoreError};
use chacha20poly1305::aead::{KeyInit, OsRng};
use chacha20poly1305::XChaCha20Poly1305;
use std::path::{Path, PathBuf};

/// The keyring's service name for Flowbench's entries; the account is the
/// database's absolute path, so that each history has its own key.
const KEYRING_SERVICE: &str = "flowbench";

/// What the OS keyring said when asked for the key.
enum Keyring {
    Has(Vec<u8>),
    /// It answers, and holds no key for this database.
    Empty(keyring::Entry),
    /// It cannot be used here; why.
    Absent(String),
}

impl Store {
    /// The key file beside the database.
    pub fn key_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".key");
        self.path.with_file_name(name)
    }

    /// The cipher for secrets, its key found (or made) on first use.
    pub(super) fn cipher(&self) -> Result<XChaCha20Poly1305, StoreError> {
        let key = match self.secrets_key.get() {
            Some(key) => key,
            None => {
                let found = self.find_or_make_key()?;
                self.secrets_key.get_or_init(|| found)
            }
        };
        XChaCha20Poly1305::new_from_slice(key).map_err(|e| self.unavailable(e.to_string()))
    }

    fn find_or_make_key(&self) -> Result<Vec<u8>, StoreError> {
        if let Some(key) = self.key_file()? {
            return Ok(key);
        }
        let keyring = self.ask_keyring()?;
        if let Keyring::Has(key) = keyring {
            return Ok(key);
        }
        // Made under the database's write lock: two processes making the
        // first key at once agree on one.
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.sql_error(e))?;
        if let Some(key) = self.key_file()? {
            return Ok(key);
        }
        let keyring = match keyring {
            Keyring::Empty(_) => self.ask_keyring()?,
            other => other,
        };
        let kept: i64 = tx
            .query_row("SELECT count(*) FROM secrets", [], |r| r.get(0))
            .map_err(|e| self.sql_error(e))?;
        let key = match keyring {
            Keyring::Has(key) => key,
            _ if kept > 0 => {
                let keyring = match keyring {
                    Keyring::Absent(why) => format!("the OS keyring cannot be used here ({why})"),
                    _ => "the OS keyring has none for it".to_string(),
                };
                return Err(self.unavailable(format!(
                    "the secrets key is missing: there is no key file {} and {keyring}; \
                     the {kept} secret(s) kept cannot be read. Where the key is in a desktop \
                     session's keyring, run this from that session; or remove the secrets \
                     (flowbench secrets rm NAME) and set them again",
                    self.key_path().display()
                )));
            }
            Keyring::Empty(entry) => {
                let key = XChaCha20Poly1305::generate_key(&mut OsRng).to_vec();
                // Read back before it is trusted; a keyring that takes it but
                // cannot give it back leaves it to the file.
                let kept = entry.set_secret(&key).is_ok()
                    && entry.get_secret().is_ok_and(|back| back == key);
                if kept {
                    key
                } else {
                    self.write_key_file()?
                }
            }
            Keyring::Absent(_) => self.write_key_file()?,
        };
        tx.commit().map_err(|e| self.sql_error(e))?;
        Ok(key)
    }

    /// The key file's key, if the file exists.
    fn key_file(&self) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.key_path();
        match std::fs::read(&path) {
            Ok(bytes) if bytes.len() == 32 => Ok(Some(bytes)),
            Ok(_) => Err(self.unavailable(format!(
                "the secrets key {} is damaged (not 32 bytes); secrets cannot be read",
                path.display()
            ))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.unavailable(format!(
                "cannot read the secrets key {}: {e}",
                path.display()
            ))),
        }
    }

    fn write_key_file(&self) -> Result<Vec<u8>, StoreError> {
        let path = self.key_path();
        write_new_key(&path).map_err(|e| {
            self.unavailable(format!(
                "cannot create the secrets key {}: {e}",
                path.display()
            ))
        })
    }

    fn ask_keyring(&self) -> Result<Keyring, StoreError> {
        // The crate's own unit tests keep their keys in files, never in the keyring of whoever runs them.
        if cfg!(test) || std::env::var("FLOWBENCH_KEYRING").is_ok_and(|v| v == "off") {
            return Ok(Keyring::Absent("FLOWBENCH_KEYRING=off".into()));
        }
        if cfg!(target_os = "linux") && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
            return Ok(Keyring::Absent(
                "no desktop session: DBUS_SESSION_BUS_ADDRESS is not set".into(),
            ));
        }
        let account = std::path::absolute(&self.path)
            .unwrap_or_else(|_| self.path.clone())
            .display()
            .to_string();
        let entry = match keyring::Entry::new(KEYRING_SERVICE, &account) {
            Ok(entry) => entry,
            Err(e) => return Ok(Keyring::Absent(e.to_string())),
        };
        match entry.get_secret() {
            Ok(key) if key.len() == 32 => Ok(Keyring::Has(key)),
            Ok(_) => Err(self.unavailable(format!(
                "the secrets key in the OS keyring ({KEYRING_SERVICE}, {account}) is damaged \
                 (not 32 bytes); secrets cannot be read"
            ))),
            Err(keyring::Error::NoEntry) => Ok(Keyring::Empty(entry)),
            Err(e) => Ok(Keyring::Absent(e.to_string())),
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
