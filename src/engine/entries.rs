//! A run's journal entries in chunks, as a run hands them to its
//! [`RunJournal`](super::RunJournal): the moves a run makes by the thousand
//! kept compact, and written as JSON or given back as entries.

mod json;

use crate::model::journal::{Id, Timestamp};
use crate::model::{JournalEntry, NodeStatus};
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;

/// A run's node and edge ids in file order, as its entries name them.
#[derive(Debug, Default)]
pub struct JournalIds {
    pub nodes: Vec<Id>,
    pub edges: Vec<Id>,
}

/// A chunk of a run's entries, as the run hands them to its [`RunJournal`](super::RunJournal).
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
pub(super) enum Move {
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
    pub(super) fn copy_of(&self, entry: &JournalEntry, index: Option<usize>) -> Move {
        let compact = match (&self.ids, index) {
            (Some(ids), Some(i)) if i <= u32::MAX as usize => Move::of(entry, i as u32, ids),
            _ => None,
        };
        compact.unwrap_or_else(|| Move::Whole(Box::new(entry.clone())))
    }

    /// Keeps a copy made by `copy_of`.
    pub(super) fn keep(&mut self, kept: Move) {
        self.moves.push(kept);
    }

    /// Names the run whose ids the compact moves point into.
    pub(super) fn identify(&mut self, ids: &Arc<JournalIds>) {
        self.ids = Some(ids.clone());
    }

    #[cfg(test)]
    fn push(&mut self, entry: &JournalEntry, index: Option<usize>) {
        let kept = self.copy_of(entry, index);
        self.keep(kept);
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
        for (view, entry) in chunk.views().zip(&expected) {
            assert_eq!(
                serde_json::to_string(&view).unwrap(),
                serde_json::to_string(entry).unwrap()
            );
        }
        assert_eq!(json_of(&chunk), serde_json::to_string(&expected).unwrap());
        let whole: Vec<&JournalEntry> = chunk.whole().collect();
        assert_eq!(whole, expected[7..].iter().collect::<Vec<_>>());
        assert_eq!(chunk.drain().collect::<Vec<_>>(), expected);
        assert!(chunk.is_empty());
        // Drained, it keeps the run's ids: the next moves are compact too.
        chunk.push(&expected[0], Some(1));
        assert!(matches!(chunk.moves[0], Move::Ready(1)));
    }

    /// The chunk as the history writes it: a JSON array of its entries.
    fn json_of(chunk: &Entries) -> String {
        let mut out = Vec::new();
        chunk.write_json(&mut out, |_, out| {
            out.push(if out.is_empty() { b'[' } else { b',' })
        });
        out.push(b']');
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_value_passed_on_is_written_once_and_copied_and_ids_are_escaped() {
        let ids = Arc::new(JournalIds {
            nodes: vec!["a".into(), "say \"hi\"\n".into()],
            edges: vec!["a→b".into()],
        });
        let output = Arc::new(json!({"text": "line\none", "n": [1.5, -2]}));
        let other = Arc::new(json!({"text": "line\none", "n": [1.5, -2]}));
        let node = ids.nodes[1].clone();
        let cases = vec![
            (
                JournalEntry::NodeFinished {
                    node: ids.nodes[0].clone(),
                    status: NodeStatus::Succeeded,
                    attempts: 1,
                    duration_ms: 0,
                    output: output.clone(),
                    error: None,
                    logs: vec![],
                    http: None,
                    iterations: None,
                    subflow: None,
                },
                0,
            ),
            (
                JournalEntry::EdgeResolved {
                    edge: ids.edges[0].clone(),
                    taken: true,
                    payload: Some(output.clone()),
                },
                0,
            ),
            (
                JournalEntry::NodeStarted {
                    node: node.clone(),
                    at: "2026-12-05T10:00:00.000Z".into(),
                    input: output.clone(),
                    mocked: true,
                    pinned: false,
                    reused: true,
                },
                1,
            ),
            // Equal, but another value: written, not copied (the same bytes).
            (
                JournalEntry::NodeStarted {
                    node,
                    at: "2026-12-05T10:00:00.001Z".into(),
                    input: other,
                    mocked: false,
                    pinned: false,
                    reused: false,
                },
                1,
            ),
        ];
        let mut chunk = Entries::with_capacity(4);
        chunk.ids = Some(ids.clone());
        for (entry, index) in &cases {
            chunk.push(entry, Some(*index));
        }
        assert!(chunk.moves.iter().all(|m| !matches!(m, Move::Whole(_))));
        let expected: Vec<&JournalEntry> = cases.iter().map(|(e, _)| e).collect();
        assert_eq!(json_of(&chunk), serde_json::to_string(&expected).unwrap());
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
    fn a_compact_entry_is_a_fraction_of_a_whole_one() {
        let (compact, whole) = (size_of::<Move>(), size_of::<JournalEntry>());
        assert!(compact <= 32 && compact * 4 <= whole, "{compact} / {whole}");
    }
}
