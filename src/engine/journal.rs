//! Where a run's journal goes. Every move of the state machine is recorded
//! here once: the report fold takes it (the report is the fold), the events
//! the CLI and the app show are read from it, and a [`RunJournal`] given in
//! the run's options (in memory, or the run history) gets every entry, in
//! chunks ([`Entries`]): at each commit, at the run's end, and when a chunk
//! is full.

use super::fold::{JournalError, ReportFold};
use super::EventSink;
use crate::model::journal::{Id, Timestamp};
use crate::model::{JournalEntry, NodeStatus, RunEvent, RunReport};
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
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

/// A run's node and edge ids in file order, as its entries name them.
#[derive(Debug, Default)]
pub struct JournalIds {
    pub nodes: Vec<Id>,
    pub edges: Vec<Id>,
}

/// A chunk of a run's entries, as the run hands them to its [`RunJournal`].
///
/// The moves a run makes by the thousand (a node ready, started, finished
/// with no error or logs, skipped; an edge resolved) are kept as a node's or
/// an edge's index into the run's [`JournalIds`] and the values the entry
/// shares (32 bytes where a whole entry is 144): a run of quick nodes then
/// spends little of its time collecting its journal. Every other entry is
/// kept whole.
#[derive(Default)]
pub struct Entries {
    ids: Option<Arc<JournalIds>>,
    moves: Vec<Move>,
}

/// One entry of a chunk.
enum Move {
    Ready(u32),
    Skipped(u32),
    Cancelled(u32),
    Started {
        node: u32,
        flags: u8,
        at: Timestamp,
        input: Arc<Value>,
    },
    /// A node that ended with no error, logs, HTTP exchange, iterations or subflow.
    Finished {
        node: u32,
        status: NodeStatus,
        attempts: u32,
        duration_ms: u64,
        output: Arc<Value>,
    },
    Edge {
        edge: u32,
        taken: bool,
        payload: Option<Arc<Value>>,
    },
    Whole(Box<JournalEntry>),
}

const MOCKED: u8 = 1;
const PINNED: u8 = 2;
const REUSED: u8 = 4;

impl From<Vec<JournalEntry>> for Entries {
    /// Entries kept whole, in order.
    fn from(entries: Vec<JournalEntry>) -> Self {
        Entries {
            ids: None,
            moves: entries
                .into_iter()
                .map(|e| Move::Whole(Box::new(e)))
                .collect(),
        }
    }
}

impl Entries {
    /// An empty chunk with room for `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Self {
        Entries {
            ids: None,
            moves: Vec::with_capacity(capacity),
        }
    }

    pub fn len(&self) -> usize {
        self.moves.len()
    }

    pub fn is_empty(&self) -> bool {
        self.moves.is_empty()
    }

    /// Room for this many entries without growing.
    pub fn capacity(&self) -> usize {
        self.moves.capacity()
    }

    /// Lets go of the entries, keeping the room.
    pub fn clear(&mut self) {
        self.moves.clear();
        self.ids = None;
    }

    /// A copy of `entry` to keep in this chunk; `index`: the node's or the
    /// edge's index it is about, where the run knows it.
    fn copy_of(&self, entry: &JournalEntry, index: Option<usize>) -> Move {
        let compact = match (&self.ids, index) {
            (Some(ids), Some(i)) if i <= u32::MAX as usize => Move::of(entry, i as u32, ids),
            _ => None,
        };
        compact.unwrap_or_else(|| Move::Whole(Box::new(entry.clone())))
    }

    #[cfg(test)]
    fn push(&mut self, entry: &JournalEntry, index: Option<usize>) {
        let kept = self.copy_of(entry, index);
        self.moves.push(kept);
    }

    /// The entries, in order.
    pub fn iter(&self) -> impl Iterator<Item = Cow<'_, JournalEntry>> {
        self.moves.iter().map(|m| match m {
            Move::Whole(entry) => Cow::Borrowed(&**entry),
            compact => Cow::Owned(compact.entry(self.ids())),
        })
    }

    /// The entries, in order, the chunk emptied (its room and ids kept for
    /// the run's next entries).
    pub fn drain(&mut self) -> impl Iterator<Item = JournalEntry> + '_ {
        let ids = self.ids.clone().unwrap_or_default();
        self.moves.drain(..).map(move |m| match m {
            Move::Whole(entry) => *entry,
            compact => compact.entry(&ids),
        })
    }

    /// The entries kept whole: every entry but the moves kept as indices
    /// (a run's start and end, a response, a task, `$vars` written...).
    pub fn whole(&self) -> impl Iterator<Item = &JournalEntry> {
        self.moves.iter().filter_map(|m| match m {
            Move::Whole(entry) => Some(&**entry),
            _ => None,
        })
    }

    /// The entries, in order, to write as JSON (each as `serde_json` writes
    /// its [`JournalEntry`]) without making them: no id's count is touched,
    /// so the thread writing a run's journal does not contend for them with
    /// the runs.
    pub fn views(&self) -> impl Iterator<Item = EntryView<'_>> {
        let ids = self.ids();
        self.moves.iter().map(move |m| m.view(ids))
    }

    fn ids(&self) -> &JournalIds {
        static NONE: JournalIds = JournalIds {
            nodes: Vec::new(),
            edges: Vec::new(),
        };
        self.ids.as_deref().unwrap_or(&NONE)
    }
}

/// An entry of a chunk, to write: whole, or read through the run's ids.
pub enum EntryView<'a> {
    Whole(&'a JournalEntry),
    Compact(CompactView<'a>),
}

impl EntryView<'_> {
    /// The entry, when it is kept whole (every kind but the common moves).
    pub fn whole(&self) -> Option<&JournalEntry> {
        match self {
            EntryView::Whole(entry) => Some(entry),
            EntryView::Compact(_) => None,
        }
    }
}

impl Serialize for EntryView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            EntryView::Whole(entry) => entry.serialize(s),
            EntryView::Compact(view) => view.serialize(s),
        }
    }
}

/// The common moves as `serde_json` writes their [`JournalEntry`]: the same
/// kinds, names and order of fields (a test compares the two, kind by kind).
#[derive(Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum CompactView<'a> {
    NodeReady {
        node: &'a str,
    },
    NodeSkipped {
        node: &'a str,
    },
    NodeStarted {
        node: &'a str,
        at: &'a str,
        input: &'a Value,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        mocked: bool,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        pinned: bool,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        reused: bool,
    },
    NodeFinished {
        node: &'a str,
        status: NodeStatus,
        attempts: u32,
        duration_ms: u64,
        output: &'a Value,
        error: Option<&'a crate::model::ErrorInfo>,
        logs: &'a [crate::model::LogLine],
    },
    NodeCancelled {
        node: &'a str,
    },
    EdgeResolved {
        edge: &'a str,
        taken: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<&'a Value>,
    },
}

impl Move {
    /// The compact copy of a common move about node or edge `i`; `None` for
    /// any other entry, or an index that does not name the entry's node.
    fn of(entry: &JournalEntry, i: u32, ids: &JournalIds) -> Option<Move> {
        let names = |list: &[Id], id: &Id| {
            list.get(i as usize)
                .is_some_and(|known| Arc::ptr_eq(known, id) || known == id)
        };
        let node = |id: &Id| names(&ids.nodes, id);
        Some(match entry {
            JournalEntry::NodeReady { node: id } if node(id) => Move::Ready(i),
            JournalEntry::NodeSkipped { node: id } if node(id) => Move::Skipped(i),
            JournalEntry::NodeCancelled { node: id } if node(id) => Move::Cancelled(i),
            JournalEntry::NodeStarted {
                node: id,
                at,
                input,
                mocked,
                pinned,
                reused,
            } if node(id) => Move::Started {
                node: i,
                flags: [(*mocked, MOCKED), (*pinned, PINNED), (*reused, REUSED)]
                    .iter()
                    .filter(|(set, _)| *set)
                    .fold(0, |flags, (_, flag)| flags | flag),
                at: at.clone(),
                input: input.clone(),
            },
            JournalEntry::NodeFinished {
                node: id,
                status,
                attempts,
                duration_ms,
                output,
                error: None,
                logs,
                http: None,
                iterations: None,
                subflow: None,
            } if logs.is_empty() && node(id) => Move::Finished {
                node: i,
                status: *status,
                attempts: *attempts,
                duration_ms: *duration_ms,
                output: output.clone(),
            },
            JournalEntry::EdgeResolved {
                edge,
                taken,
                payload,
            } if names(&ids.edges, edge) => Move::Edge {
                edge: i,
                taken: *taken,
                payload: payload.clone(),
            },
            _ => return None,
        })
    }

    /// The entry this move stands for.
    fn entry(&self, ids: &JournalIds) -> JournalEntry {
        let node = |i: &u32| ids.nodes[*i as usize].clone();
        match self {
            Move::Ready(i) => JournalEntry::NodeReady { node: node(i) },
            Move::Skipped(i) => JournalEntry::NodeSkipped { node: node(i) },
            Move::Cancelled(i) => JournalEntry::NodeCancelled { node: node(i) },
            Move::Started {
                node: i,
                flags,
                at,
                input,
            } => JournalEntry::NodeStarted {
                node: node(i),
                at: at.clone(),
                input: input.clone(),
                mocked: flags & MOCKED != 0,
                pinned: flags & PINNED != 0,
                reused: flags & REUSED != 0,
            },
            Move::Finished {
                node: i,
                status,
                attempts,
                duration_ms,
                output,
            } => JournalEntry::NodeFinished {
                node: node(i),
                status: *status,
                attempts: *attempts,
                duration_ms: *duration_ms,
                output: output.clone(),
                error: None,
                logs: Vec::new(),
                http: None,
                iterations: None,
                subflow: None,
            },
            Move::Edge {
                edge,
                taken,
                payload,
            } => JournalEntry::EdgeResolved {
                edge: ids.edges[*edge as usize].clone(),
                taken: *taken,
                payload: payload.clone(),
            },
            Move::Whole(entry) => (**entry).clone(),
        }
    }

    /// The move as its entry is written.
    fn view<'a>(&'a self, ids: &'a JournalIds) -> EntryView<'a> {
        let node = |i: &u32| &*ids.nodes[*i as usize];
        EntryView::Compact(match self {
            Move::Ready(i) => CompactView::NodeReady { node: node(i) },
            Move::Skipped(i) => CompactView::NodeSkipped { node: node(i) },
            Move::Cancelled(i) => CompactView::NodeCancelled { node: node(i) },
            Move::Started {
                node: i,
                flags,
                at,
                input,
            } => CompactView::NodeStarted {
                node: node(i),
                at,
                input,
                mocked: flags & MOCKED != 0,
                pinned: flags & PINNED != 0,
                reused: flags & REUSED != 0,
            },
            Move::Finished {
                node: i,
                status,
                attempts,
                duration_ms,
                output,
            } => CompactView::NodeFinished {
                node: node(i),
                status: *status,
                attempts: *attempts,
                duration_ms: *duration_ms,
                output,
                error: None,
                logs: &[],
            },
            Move::Edge {
                edge,
                taken,
                payload,
            } => CompactView::EdgeResolved {
                edge: &ids.edges[*edge as usize],
                taken: *taken,
                payload: payload.as_deref(),
            },
            Move::Whole(entry) => return EntryView::Whole(entry),
        })
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
            self.unobserved.ids = Some(self.ids.clone());
        }
        let kept = self.unobserved.copy_of(&entry, index);
        self.fold.apply_at(entry, node)?;
        self.unobserved.moves.push(kept);
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
    use serde_json::json;

    fn ids() -> Arc<JournalIds> {
        Arc::new(JournalIds {
            nodes: vec!["start".into(), "set".into()],
            edges: vec!["e1".into()],
        })
    }

    /// Every kind a chunk keeps compact, and some it keeps whole: each with
    /// the index it is recorded with and whether it is kept compact.
    fn entries(ids: &JournalIds) -> Vec<(JournalEntry, Option<usize>, bool)> {
        let node = ids.nodes[1].clone();
        let output = Arc::new(json!({"status": "ok", "count": 3}));
        let finished = |logs: Vec<crate::model::LogLine>| JournalEntry::NodeFinished {
            node: node.clone(),
            status: NodeStatus::Succeeded,
            attempts: 2,
            duration_ms: 7,
            output: output.clone(),
            error: None,
            logs,
            http: None,
            iterations: None,
            subflow: None,
        };
        vec![
            (
                JournalEntry::NodeReady { node: node.clone() },
                Some(1),
                true,
            ),
            (
                JournalEntry::NodeSkipped { node: node.clone() },
                Some(1),
                true,
            ),
            (
                JournalEntry::NodeCancelled { node: node.clone() },
                Some(1),
                true,
            ),
            (
                JournalEntry::NodeStarted {
                    node: node.clone(),
                    at: "2026-12-05T10:00:00.000Z".into(),
                    input: Arc::new(json!({"a": [1, 2]})),
                    mocked: false,
                    pinned: true,
                    reused: false,
                },
                Some(1),
                true,
            ),
            (finished(vec![]), Some(1), true),
            (
                JournalEntry::EdgeResolved {
                    edge: ids.edges[0].clone(),
                    taken: true,
                    payload: None,
                },
                Some(0),
                true,
            ),
            (
                JournalEntry::EdgeResolved {
                    edge: "e1".into(),
                    taken: false,
                    payload: Some(Arc::new(json!(["x"]))),
                },
                Some(0),
                true,
            ),
            // Kept whole: logs, an index that names another node, no index.
            (
                finished(vec![crate::model::LogLine {
                    at: "2026-12-05T10:00:00.001Z".into(),
                    level: crate::model::LogLevel::Info,
                    message: "hello".into(),
                }]),
                Some(1),
                false,
            ),
            (
                JournalEntry::NodeReady { node: node.clone() },
                Some(0),
                false,
            ),
            (JournalEntry::NodeReady { node }, None, false),
            (
                JournalEntry::RunPaused {
                    node: "start".into(),
                },
                Some(0),
                false,
            ),
        ]
    }

    #[test]
    fn a_chunk_gives_back_every_entry_and_writes_it_as_the_entry_is_written() {
        let ids = ids();
        let cases = entries(&ids);
        let mut chunk = Entries::with_capacity(4);
        chunk.ids = Some(ids.clone());
        for (entry, index, _) in &cases {
            chunk.push(entry, *index);
        }
        let expected: Vec<JournalEntry> = cases.iter().map(|(e, ..)| e.clone()).collect();
        let compact: Vec<bool> = chunk
            .moves
            .iter()
            .map(|m| !matches!(m, Move::Whole(_)))
            .collect();
        assert_eq!(compact, cases.iter().map(|c| c.2).collect::<Vec<_>>());
        assert_eq!(
            chunk.iter().map(Cow::into_owned).collect::<Vec<_>>(),
            expected
        );
        for (view, entry) in chunk.views().zip(&expected) {
            assert_eq!(
                serde_json::to_string(&view).unwrap(),
                serde_json::to_string(entry).unwrap()
            );
        }
        let whole: Vec<&JournalEntry> = chunk.whole().collect();
        assert_eq!(whole, expected[7..].iter().collect::<Vec<_>>());
        assert_eq!(chunk.drain().collect::<Vec<_>>(), expected);
        assert!(chunk.is_empty());
        // Drained, it keeps the run's ids: the next moves are compact too.
        chunk.push(&expected[0], Some(1));
        assert!(matches!(chunk.moves[0], Move::Ready(1)));
    }

    #[test]
    fn a_chunk_without_ids_keeps_entries_whole() {
        let ids = ids();
        let mut chunk = Entries::default();
        let (entry, index, _) = entries(&ids).remove(0);
        chunk.push(&entry, index);
        assert!(matches!(chunk.moves[0], Move::Whole(_)));
        assert_eq!(chunk.drain().collect::<Vec<_>>(), vec![entry]);
    }

    #[test]
    fn a_move_the_fold_refuses_reaches_no_observer() {
        let memory = MemoryJournal::new();
        let mut journal = Journal::new(Some(memory.clone()), None, ids());
        let ready = JournalEntry::NodeReady { node: "set".into() };
        // Nothing has started: the move is illegal.
        assert!(matches!(
            journal.record(ready, Some(1)),
            Err(JournalError::NotStarted)
        ));
        journal.commit().unwrap();
        assert!(memory.entries().is_empty());
    }

    #[test]
    fn a_compact_entry_is_a_fraction_of_a_whole_one() {
        let (compact, whole) = (size_of::<Move>(), size_of::<JournalEntry>());
        assert!(compact <= 32 && compact * 4 <= whole, "{compact} / {whole}");
    }
}
