//! Nodes that do not run: a test case's mock, a pinned output, or an output
//! reused from an earlier run (`--from NODE --reuse`). One mechanism for the
//! three: the node starts and finishes in the journal like any other, with
//! the stand-in's result, and its record says which (`mocked`, `pinned`,
//! `reused`). Conditions are never pinned or reused: they are pure, and their
//! port comes from their expression, so they run again.

use super::attempts::{line, Finished};
use super::context::{error, Step};
use super::now_rfc3339;
use super::RunOptions;
use crate::error::Code;
use crate::model::catalogue::Category;
use crate::model::Mock;
use crate::nodes::Registered;
use serde_json::{json, Value};

/// Which stand-in replaced a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandInKind {
    Mocked,
    Pinned,
    Reused,
}

pub(crate) enum StandIn<'a> {
    Mock(&'a Mock),
    Pin(&'a Value),
    Reuse(&'a Value),
}

impl StandIn<'_> {
    pub fn kind(&self) -> StandInKind {
        match self {
            StandIn::Mock(_) => StandInKind::Mocked,
            StandIn::Pin(_) => StandInKind::Pinned,
            StandIn::Reuse(_) => StandInKind::Reused,
        }
    }
}

/// The stand-in for a node, if any: a mock first, then a pin, then a reused output.
pub(crate) fn stand_in_for<'a>(
    options: &'a RunOptions,
    node: &str,
    kind: &dyn Registered,
) -> Option<StandIn<'a>> {
    if let Some(m) = options.mocks.get(node) {
        return Some(StandIn::Mock(m));
    }
    if kind.category() == Category::Condition {
        return None;
    }
    options
        .pins
        .get(node)
        .map(StandIn::Pin)
        .or_else(|| options.reuse.get(node).map(StandIn::Reuse))
}

/// What a stand-in gives, without running the node.
pub(crate) fn finish(index: usize, stand_in: &StandIn) -> Finished {
    let (result, note) = match stand_in {
        StandIn::Mock(Mock::Output { output }) => (
            Ok(Step::out(output.clone())),
            "mocked: the node did not run",
        ),
        StandIn::Mock(Mock::Error { error: message }) => (
            Err(error(Code::MockedError, message)),
            "mocked: the node did not run",
        ),
        StandIn::Mock(Mock::Decision { decision, comment }) => (
            Ok(Step::on(
                json!({"decision": decision, "comment": comment, "by": "test", "at": now_rfc3339(), "notes": []}),
                decision.clone(),
            )),
            "mocked: the node did not run",
        ),
        StandIn::Pin(output) => (
            Ok(Step::out((*output).clone())),
            "pinned: the node did not run",
        ),
        StandIn::Reuse(output) => (
            Ok(Step::out((*output).clone())),
            "reused from the earlier run: the node did not run",
        ),
    };
    let mut f = Finished::new(index, result, 0);
    f.logs.push(line(note));
    f
}
