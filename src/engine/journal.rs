//! Where a run's journal goes. Every move of the state machine is recorded
//! here once: the report fold takes it (the report is the fold), the events
//! the CLI and the app show are read from it, and a [`RunJournal`] given in
//! the run's options (in memory; the store, later) gets each entry as written.

use super::fold::{JournalError, ReportFold};
use super::EventSink;
use crate::model::{JournalEntry, NodeStatus, RunEvent, RunReport};
use std::sync::{Arc, Mutex};

/// Takes a run's journal entries, in order, as they are written.
pub trait RunJournal: Send + Sync {
    fn append(&self, entry: &JournalEntry);

    /// Makes every entry appended so far durable. The executor calls it
    /// before anything that could have an effect outside the run starts (a
    /// node on a task: HTTP, SQL, a delay) and before it waits, so a node
    /// whose end was committed never runs again when the run is resumed.
    fn commit(&self) -> Result<(), String> {
        Ok(())
    }
}

/// A journal kept in memory: for replay, tests and the debugger.
#[derive(Default)]
pub struct MemoryJournal {
    entries: Mutex<Vec<JournalEntry>>,
}

impl MemoryJournal {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    pub fn entries(&self) -> Vec<JournalEntry> {
        self.entries.lock().expect("journal lock").clone()
    }
}

impl RunJournal for MemoryJournal {
    fn append(&self, entry: &JournalEntry) {
        self.entries
            .lock()
            .expect("journal lock")
            .push(entry.clone());
    }
}

/// A journal to hand to a run, in [`super::RunOptions`].
#[derive(Clone)]
pub struct JournalHandle(pub Arc<dyn RunJournal>);

impl std::fmt::Debug for JournalHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JournalHandle")
    }
}

/// The executor's writer: every entry goes to the observer, the events and the fold.
pub(crate) struct Journal {
    fold: ReportFold,
    observer: Option<Arc<dyn RunJournal>>,
    events: EventSink,
    /// Events not sent yet: they go out in batches, before the executor
    /// waits on anything, so that a burst of quick nodes wakes the listener
    /// once instead of once per event.
    pending: Vec<RunEvent>,
}

/// Pending events past this many are sent at once, whatever the executor does.
const EVENT_BATCH: usize = 1024;

impl Journal {
    pub fn new(observer: Option<Arc<dyn RunJournal>>, events: EventSink) -> Self {
        Journal {
            fold: ReportFold::new(),
            observer,
            events,
            pending: Vec::new(),
        }
    }

    /// Records one move. An illegal move is the executor's bug: it is refused
    /// here, before it reaches any observer, and the caller reports it.
    pub fn record(&mut self, entry: JournalEntry, node: Option<usize>) -> Result<(), JournalError> {
        if self.events.is_some() {
            push_events(&entry, &mut self.pending);
            if self.pending.len() >= EVENT_BATCH {
                self.send_events();
            }
        }
        if let Some(o) = &self.observer {
            o.append(&entry);
        }
        self.fold.apply_at(entry, node)
    }

    /// Applies an entry read back from storage: the fold takes it; the
    /// observer has it already, and the listener saw it in its own process.
    pub fn replay(&mut self, entry: JournalEntry) -> Result<(), JournalError> {
        self.fold.apply(entry)
    }

    /// Makes the observer's entries durable, then sends the pending events:
    /// what a listener is shown has been recorded.
    pub fn commit(&mut self) -> Result<(), String> {
        let committed = match &self.observer {
            Some(o) => o.commit(),
            None => Ok(()),
        };
        self.send_events();
        committed
    }

    /// Sends the pending events to the listener.
    pub fn send_events(&mut self) {
        if let Some(tx) = &self.events {
            for event in self.pending.drain(..) {
                let _ = tx.send(event);
            }
        }
    }

    /// The body a `task.respond` set, if one ran.
    pub fn response_body(&self) -> Option<serde_json::Value> {
        self.fold.response().map(|r| r.body.clone())
    }

    pub fn finish(mut self) -> Result<RunReport, JournalError> {
        self.send_events();
        self.fold.finish()
    }

    /// Makes the run's end durable; an error names what could not be written.
    pub fn commit_end(&self) -> Result<(), String> {
        match &self.observer {
            Some(o) => o.commit(),
            None => Ok(()),
        }
    }
}

/// The events an entry shows to the CLI and the app.
fn push_events(entry: &JournalEntry, out: &mut Vec<RunEvent>) {
    let event = match entry {
        JournalEntry::RunStarted {
            run_id,
            workflow_id,
            trigger,
            at,
            ..
        } => RunEvent::RunStarted {
            run_id: run_id.clone(),
            workflow_id: workflow_id.clone(),
            trigger: trigger.clone(),
            at: at.clone(),
        },
        JournalEntry::NodeStarted { node, at, .. } => RunEvent::NodeStarted {
            node: node.to_string(),
            at: at.clone(),
        },
        JournalEntry::NodeFinished {
            node,
            status,
            duration_ms,
            error,
            logs,
            ..
        } => {
            out.extend(logs.iter().map(|line| RunEvent::Log {
                node: node.to_string(),
                line: line.clone(),
            }));
            RunEvent::NodeFinished {
                node: node.to_string(),
                status: *status,
                duration_ms: *duration_ms,
                error: error.clone(),
            }
        }
        JournalEntry::NodeSkipped { node } | JournalEntry::NodeCancelled { node } => {
            RunEvent::NodeFinished {
                node: node.to_string(),
                status: if matches!(entry, JournalEntry::NodeSkipped { .. }) {
                    NodeStatus::Skipped
                } else {
                    NodeStatus::Cancelled
                },
                duration_ms: 0,
                error: None,
            }
        }
        JournalEntry::EdgeResolved { edge, taken, .. } => RunEvent::EdgeResolved {
            edge: edge.to_string(),
            taken: *taken,
        },
        JournalEntry::RunPaused { node } => RunEvent::RunPaused {
            node: node.to_string(),
        },
        JournalEntry::RunResumed { node } => RunEvent::RunResumed {
            node: node.to_string(),
        },
        JournalEntry::RunWaiting { node, .. } => RunEvent::RunWaiting {
            node: node.to_string(),
        },
        JournalEntry::RunFinished {
            status,
            duration_ms,
            ..
        } => RunEvent::RunFinished {
            status: *status,
            duration_ms: *duration_ms,
        },
        JournalEntry::TaskDecided { node, .. } => RunEvent::NodeFinished {
            node: node.to_string(),
            status: NodeStatus::Succeeded,
            duration_ms: 0,
            error: None,
        },
        JournalEntry::NodeReady { .. }
        | JournalEntry::RunRecovered { .. }
        | JournalEntry::VarsWritten { .. }
        | JournalEntry::ResponseSet { .. } => return,
    };
    out.push(event);
}
