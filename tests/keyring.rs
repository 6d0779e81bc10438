//! The secrets key in the OS keyring (SERVICE.md, "Secrets"): a private
//! session bus and GNOME Keyring's Secret Service in a temporary home, and the
//! real CLI talking to it. Needs `dbus-daemon` and `gnome-keyring-daemon`
//! (scripts/setup.sh installs them).

mod common;

use common::{flowbench, output_with_input, stderr, stdout};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A session bus with a Secret Service on it, stopped when dropped (the
/// keyring daemon leaves with its bus).
struct Keyring {
    _bus: Bus,
    address: String,
    home: tempfile::TempDir,
}

/// The private session bus: stopped when dropped, even by a failed start.
struct Bus(Child);

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Keyring {
    fn start() -> Keyring {
        let home = tempfile::tempdir().unwrap();
        let mut bus = Bus(Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!(
                "--address=unix:path={}",
                home.path().join("bus").display()
            ))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon runs (scripts/setup.sh installs it)"));
        // Its own signal: the address, once it listens.
        let mut address = String::new();
        BufReader::new(bus.0.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_string();
        assert!(address.starts_with("unix:"), "no bus address: {address:?}");
        // It goes to the background once it serves, and prints its environment then.
        let mut daemon = Command::new("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_RUNTIME_DIR", home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon runs (scripts/setup.sh installs it)");
        // The login keyring's password, on standard input: it is made and unlocked.
        let mut stdin = daemon.stdin.take().unwrap();
        stdin.write_all(b"test-password").unwrap();
        drop(stdin);
        // The launcher ends once the daemon serves.
        let started = daemon.wait_with_output().unwrap();
        assert!(
            started.status.success(),
            "gnome-keyring-daemon did not start: {started:?}"
        );
        Keyring {
            _bus: bus,
            address,
            home,
        }
    }

    /// `flowbench` in the desktop session: the keyring answers.
    fn cli(&self, db: &Path) -> Command {
        let mut c = flowbench();
        c.env_remove("FLOWBENCH_KEYRING")
            .env("FLOWBENCH_DB", db)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("XDG_RUNTIME_DIR", self.home.path());
        c
    }
}

/// `flowbench` outside any desktop session: no keyring answers.
fn outside_session(db: &Path) -> Command {
    let mut c = flowbench();
    c.env("FLOWBENCH_DB", db)
        .env_remove("FLOWBENCH_KEYRING")
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
    c
}

fn get(mut cmd: Command, name: &str) -> std::process::Output {
    cmd.args(["secrets", "get", name]).output().unwrap()
}

fn set(cmd: &mut Command, name: &str, value: &str) -> std::process::Output {
    output_with_input(cmd.args(["secrets", "set", name]), value)
}

#[test]
fn the_secrets_key_lives_in_the_keyring_where_one_answers() {
    let keyring = Keyring::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.db");
    let key_file = dir.path().join("history.db.key");

    let o = set(&mut keyring.cli(&db), "PAYMENT_KEY", "pk-live-4242");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        !key_file.exists(),
        "the key went to a file, not the keyring"
    );
    let o = get(keyring.cli(&db), "PAYMENT_KEY");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "pk-live-4242\n");
    // The value is encrypted at rest: not in the database's bytes.
    for file in ["history.db", "history.db-wal"] {
        let bytes = std::fs::read(dir.path().join(file)).unwrap_or_default();
        assert!(!bytes
            .windows(b"pk-live-4242".len())
            .any(|w| w == b"pk-live-4242"));
    }

    // Outside the session the key cannot be found: a clear error, and no
    // new key made over the secrets kept.
    let o = get(outside_session(&db), "PAYMENT_KEY");
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("the secrets key is missing"), "{err}");
    assert!(err.contains("keyring"), "{err}");
    assert!(err.contains("1 secret(s)"), "{err}");
    assert!(!key_file.exists());
    let o = set(&mut outside_session(&db), "OTHER", "x");
    assert_eq!(o.status.code(), Some(2));
    assert!(!key_file.exists());

    // Back in the session, the secret reads as before.
    let o = get(keyring.cli(&db), "PAYMENT_KEY");
    assert_eq!(stdout(&o), "pk-live-4242\n", "{}", stderr(&o));
}

#[test]
fn a_key_file_made_without_a_keyring_stays_in_use() {
    let keyring = Keyring::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.db");
    // First used where no keyring answers: the key is a file.
    let o = set(&mut outside_session(&db), "TOKEN", "t-1");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.path().join("history.db.key").exists());
    // In a session with a keyring, the file's key is still the one used.
    let o = get(keyring.cli(&db), "TOKEN");
    assert_eq!(stdout(&o), "t-1\n", "{}", stderr(&o));
    let o = set(&mut keyring.cli(&db), "SECOND", "t-2");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = get(outside_session(&db), "SECOND");
    assert_eq!(stdout(&o), "t-2\n", "{}", stderr(&o));
}
