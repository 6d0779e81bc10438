//! Which process runs a run, so that a run whose process has ended is seen
//! as `interrupted` at once. A process is its pid and its start time: a pid
//! reused by a later process does not make a dead run look alive.

/// A process: its pid and when it started (the kernel's clock ticks since boot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessId {
    pub pid: u32,
    pub started: String,
}

impl ProcessId {
    /// This process.
    pub fn current() -> ProcessId {
        let pid = std::process::id();
        ProcessId {
            pid,
            started: start_time(pid).unwrap_or_default(),
        }
    }

    /// Whether this process is still running.
    pub fn is_alive(&self) -> bool {
        if self.pid == std::process::id() {
            return self.started == ProcessId::current().started;
        }
        match start_time(self.pid) {
            Some(started) => started == self.started,
            None => false,
        }
    }
}

/// The start time of a process, from `/proc/PID/stat` (field 22); `None`
/// when there is no such process. The command name (field 2) may hold spaces
/// and parentheses, so fields are counted from the last `)`.
fn start_time(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    // A zombie has ended: what it ran is not going on.
    let mut fields = rest.split_whitespace();
    if fields.next()? == "Z" {
        return None;
    }
    fields.nth(18).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_child_that_ended_is_not() {
        assert!(ProcessId::current().is_alive());
        assert!(!ProcessId::current().started.is_empty());
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let id = ProcessId {
            pid: child.id(),
            started: start_time(child.id()).unwrap_or_default(),
        };
        child.wait().unwrap();
        assert!(!id.is_alive());
        let reused = ProcessId {
            pid: std::process::id(),
            started: "1".into(),
        };
        assert!(!reused.is_alive(), "another start time is another process");
    }
}
