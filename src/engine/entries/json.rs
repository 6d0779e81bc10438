//! A chunk's entries written as JSON, each byte for byte as `serde_json`
//! writes its [`JournalEntry`](crate::model::JournalEntry): the thread that
//! writes the run history spent half its time escaping the same keys over
//! and over. The common moves are written here with their keys as they
//! are, and a value they share in a row (a node's output is the payload
//! of the edge after it and the next node's input) is serialised once and
//! copied. Every other entry goes through `serde_json`.

use super::{CompactView, Entries, EntryView};
use serde_json::Value;
use std::ops::Range;

/// The last value written and where its JSON is in the buffer. Only within
/// one chunk: the chunk holds every value its views point to, so no other
/// value can have the same address meanwhile.
type Written = Option<(*const Value, Range<usize>)>;

impl Entries {
    /// Appends every entry to `out` as JSON; `before` is called with each
    /// entry first, and may append to `out` too (a separator).
    pub fn write_json(
        &self,
        out: &mut Vec<u8>,
        mut before: impl FnMut(&EntryView<'_>, &mut Vec<u8>),
    ) {
        let mut written: Written = None;
        for view in self.views() {
            before(&view, out);
            match &view {
                EntryView::Whole(entry) => {
                    // Writing into memory cannot fail: every entry is plain JSON.
                    let _ = serde_json::to_writer(&mut *out, entry);
                }
                EntryView::Compact(compact) => write_compact(compact, out, &mut written),
            }
        }
    }
}

/// The move as `serde_json` writes its entry: the same keys, in the same order.
fn write_compact(view: &CompactView<'_>, out: &mut Vec<u8>, written: &mut Written) {
    match view {
        CompactView::NodeReady { node } => {
            out.extend_from_slice(br#"{"kind":"nodeReady","node":"#);
            string(out, node);
        }
        CompactView::NodeSkipped { node } => {
            out.extend_from_slice(br#"{"kind":"nodeSkipped","node":"#);
            string(out, node);
        }
        CompactView::NodeCancelled { node } => {
            out.extend_from_slice(br#"{"kind":"nodeCancelled","node":"#);
            string(out, node);
        }
        CompactView::NodeStarted {
            node,
            at,
            input,
            mocked,
            pinned,
            reused,
        } => {
            out.extend_from_slice(br#"{"kind":"nodeStarted","node":"#);
            string(out, node);
            out.extend_from_slice(br#","at":"#);
            string(out, at);
            out.extend_from_slice(br#","input":"#);
            value(out, input, written);
            for (set, key) in [
                (mocked, &br#","mocked":true"#[..]),
                (pinned, br#","pinned":true"#),
                (reused, br#","reused":true"#),
            ] {
                if *set {
                    out.extend_from_slice(key);
                }
            }
        }
        CompactView::NodeFinished {
            node,
            status,
            attempts,
            duration_ms,
            output,
            error,
            logs,
        } => {
            out.extend_from_slice(br#"{"kind":"nodeFinished","node":"#);
            string(out, node);
            out.extend_from_slice(br#","status":"#);
            let _ = serde_json::to_writer(&mut *out, status);
            out.extend_from_slice(br#","attempts":"#);
            let _ = serde_json::to_writer(&mut *out, attempts);
            out.extend_from_slice(br#","durationMs":"#);
            let _ = serde_json::to_writer(&mut *out, duration_ms);
            out.extend_from_slice(br#","output":"#);
            value(out, output, written);
            out.extend_from_slice(br#","error":"#);
            let _ = serde_json::to_writer(&mut *out, error);
            out.extend_from_slice(br#","logs":"#);
            let _ = serde_json::to_writer(&mut *out, logs);
        }
        CompactView::EdgeResolved {
            edge,
            taken,
            payload,
        } => {
            out.extend_from_slice(br#"{"kind":"edgeResolved","edge":"#);
            string(out, edge);
            out.extend_from_slice(if *taken {
                br#","taken":true"#
            } else {
                br#","taken":false"#
            });
            if let Some(payload) = payload {
                out.extend_from_slice(br#","payload":"#);
                value(out, payload, written);
            }
        }
    }
    out.push(b'}');
}

/// A string as JSON: as it is when nothing in it needs escaping (ids and
/// times, nearly always), else as `serde_json` escapes it.
fn string(out: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// A value as JSON, copied from where it was just written if it was the last one.
fn value(out: &mut Vec<u8>, v: &Value, written: &mut Written) {
    let at = v as *const Value;
    match written {
        Some((last, range)) if *last == at => out.extend_from_within(range.clone()),
        _ => {
            let start = out.len();
            let _ = serde_json::to_writer(&mut *out, v);
            *written = Some((at, start..out.len()));
        }
    }
}
