//! Where a run's journal goes. Every move of the state machine is recorded
//! here once: the report fold takes it (the report is the fold), the events
//! the CLI and the app show are read from it, and a [`RunJournal`] given in
//! the run's options (in memory, or the run history) gets every entry, in
//! chunks ([`Entries`]): at each commit, at the run's end, and when a chunk
//! is full.

pub use super::entries::{CompactView, Entries, EntryView, JournalIds};
use super::fold::{JournalError, ReportFold};
use super::EventSink;
use crate::model::{JournalEntry, NodeStatus, RunEvent, RunReport};
use std::sync::{Arc, Mutex};

/// Takes a run's journal entries, in order.
pub trait RunJournal: Send + Sync {
    /// Takes every entry in `entries`, leaving it empty: with room for the
    /// next ones, or none (the run then asks for a chunk when its next entry comes).
    fn append(&self, entries: &mut Entries);

    /// An empty chunk with room for the run to collect its entries into.
    fn chunk(&self) -> Entries {
        Entries::with_capacity(1024)
    }

    /// Makes every entry appended so far durable. The executor calls it
    /// before anything that could have an effect outside the run starts (a
    /// node on a task: HTTP, SQL, a delay) and before it waits, so a node
    /// whose end was committed never runs again when the run is resumed.
    fn commit(&self) -> Result<(), String> {
        Ok(())
    }

    /// The run ended: its last entries are to be made durable. Nothing
    /// after the end depends on them, so a journal may write them after the
    /// run has returned, as long as its process does before it exits.
    fn commit_end(&self) -> Result<(), String> {
        self.commit()
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
    fn append(&self, entries: &mut Entries) {
        self.entries
            .lock()
            .expect("journal lock")
            .extend(entries.drain());
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
    /// Entries not handed to the observer yet: it takes them a chunk at a
    /// time, so that a run of quick nodes pays for no call, lock or wake-up
    /// per entry.
    unobserved: Entries,
    /// The run's node and edge ids, which the entries in chunks point into.
    ids: Arc<JournalIds>,
    events: EventSink,
    /// Events not sent yet: they go out in batches, before the executor
    /// waits on anything, so that a burst of quick nodes wakes the listener
    /// once instead of once per event.
    pending: Vec<RunEvent>,
    /// Secret values and what stands for each (`[secret NAME]`), longest first.
    secrets: Vec<(String, String)>,
}

/// Pending events past this many are sent at once, whatever the executor does.
const EVENT_BATCH: usize = 1024;

/// Entries past this many go to the observer at once, whatever the executor does.
const OBSERVER_CHUNK: usize = 4096;

impl Journal {
    pub fn new(
        observer: Option<Arc<dyn RunJournal>>,
        events: EventSink,
        ids: Arc<JournalIds>,
    ) -> Self {
        Journal {
            fold: ReportFold::new(),
            unobserved: Entries::default(),
            ids,
            observer,
            events,
            pending: Vec::new(),
            secrets: Vec::new(),
        }
    }

    /// Writes `[secret NAME]` wherever one of these values would be written.
    pub fn redacting(mut self, secrets: &std::collections::BTreeMap<String, String>) -> Self {
        self.secrets = secrets
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (v.clone(), format!("[secret {k}]")))
            .collect();
        self.secrets
            .sort_by_key(|(v, _)| std::cmp::Reverse(v.len()));
        self
    }

    /// A value as the debugger may show it: secrets replaced.
    pub fn redacted(&self, mut value: serde_json::Value) -> serde_json::Value {
        if !self.secrets.is_empty() {
            redact_value(&mut value, &self.secrets);
        }
        value
    }

    /// A message as the debugger may show it: secrets replaced.
    pub fn redacted_text(&self, text: String) -> String {
        match self.redacted(serde_json::Value::String(text)) {
            serde_json::Value::String(t) => t,
            _ => String::new(),
        }
    }

    /// The entry with every secret value in it replaced. Only runs of
    /// workflows that read secrets pay for the walk.
    /// (In place: a run of quick nodes does not copy each entry once more.)
    fn redact(&self, entry: &mut JournalEntry) {
        if self.secrets.is_empty() {
            return;
        }
        let Ok(mut value) = serde_json::to_value(&*entry) else {
            return;
        };
        if redact_value(&mut value, &self.secrets) {
            if let Ok(redacted) = serde_json::from_value(value) {
                *entry = redacted;
            }
        }
    }

    /// Records one move; `index`: the node's (or, for an edge's entry, the
    /// edge's) index, where the caller knows it. An illegal move is the
    /// executor's bug: it is refused here, before it reaches any observer,
    /// and the caller reports it.
    pub fn record(
        &mut self,
        mut entry: JournalEntry,
        index: Option<usize>,
    ) -> Result<(), JournalError> {
        let node = match entry {
            JournalEntry::EdgeResolved { .. } => None,
            _ => index,
        };
        self.redact(&mut entry);
        if self.events.is_some() {
            push_events(&entry, &mut self.pending);
            if self.pending.len() >= EVENT_BATCH {
                self.send_events();
            }
        }
        if self.observer.is_none() {
            return self.fold.apply_at(entry, node);
        }
        // A response goes to the caller at once (`service::watch`).
        let at_once = matches!(entry, JournalEntry::ResponseSet { .. });
        if self.unobserved.capacity() == 0 {
            // Taken when the first entry comes, not after the last one went.
            if let Some(o) = &self.observer {
                self.unobserved = o.chunk();
            }
            self.unobserved.identify(&self.ids);
        }
        let kept = self.unobserved.copy_of(&entry, index);
        self.fold.apply_at(entry, node)?;
        self.unobserved.keep(kept);
        if at_once || self.unobserved.len() >= OBSERVER_CHUNK {
            self.hand_over();
        }
        Ok(())
    }

    /// Hands the entries not handed over yet to the observer.
    fn hand_over(&mut self) {
        if let Some(o) = &self.observer {
            if !self.unobserved.is_empty() {
                o.append(&mut self.unobserved);
            }
        }
    }

    /// Applies an entry read back from storage: the fold takes it; the
    /// observer has it already, and the listener saw it in its own process.
    pub fn replay(&mut self, entry: JournalEntry) -> Result<(), JournalError> {
        self.fold.apply(entry)
    }

    /// Makes the observer's entries durable, then sends the pending events:
    /// what a listener is shown has been recorded.
    pub fn commit(&mut self) -> Result<(), String> {
        self.hand_over();
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

    /// The run ended: its report, and the end handed to the observer to
    /// make durable (an error names what could not be written). The report
    /// is folded first: the observer's thread, woken by the end, does not
    /// compete with it.
    pub fn end(mut self) -> (Result<RunReport, JournalError>, Result<(), String>) {
        self.send_events();
        let report = std::mem::replace(&mut self.fold, ReportFold::new()).finish();
        self.hand_over();
        let committed = match &self.observer {
            Some(o) => o.commit_end(),
            None => Ok(()),
        };
        (report, committed)
    }
}

/// Replaces secret values in every string of a JSON value (keys too); whether any was.
fn redact_value(value: &mut serde_json::Value, secrets: &[(String, String)]) -> bool {
    use serde_json::Value;
    let redact_str = |s: &mut String| {
        let mut changed = false;
        for (secret, stand_in) in secrets {
            if s.contains(secret.as_str()) {
                *s = s.replace(secret.as_str(), stand_in);
                changed = true;
            }
        }
        changed
    };
    match value {
        Value::String(s) => redact_str(s),
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, v| redact_value(v, secrets) | changed),
        Value::Object(map) => {
            let mut changed = map
                .values_mut()
                .fold(false, |changed, v| redact_value(v, secrets) | changed);
            if map
                .keys()
                .any(|k| secrets.iter().any(|(s, _)| k.contains(s.as_str())))
            {
                // Keys rebuilt in their order.
                for (mut key, v) in std::mem::take(map) {
                    redact_str(&mut key);
                    map.insert(key, v);
                }
                changed = true;
            }
            changed
        }
        _ => false,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_the_fold_refuses_reaches_no_observer() {
        let memory = MemoryJournal::new();
        let mut journal = Journal::new(Some(memory.clone()), None, Arc::default());
        let ready = JournalEntry::NodeReady { node: "set".into() };
        // Nothing has started: the move is illegal.
        assert!(matches!(
            journal.record(ready, Some(1)),
            Err(JournalError::NotStarted)
        ));
        journal.commit().unwrap();
        assert!(memory.entries().is_empty());
    }
}
