//! The run's state machine: the states of a run and of a node, and every legal
//! move between them, declared here and nowhere else. The executor moves
//! through [`NodeState::move_to`] and [`run_move`]; the report fold checks a
//! journal against the same tables, so a journal that makes an illegal move
//! (a corrupt or hand-edited one) is refused, not folded into a wrong report.

use crate::model::{NodeStatus, RunStatus};

/// A node's state in a run. `Ready` is the executor's own (every incoming
/// edge resolved, not started yet); the report shows it as `pending`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeState {
    Pending,
    Ready,
    Running,
    Succeeded,
    Failed,
    Skipped,
    Waiting,
    Cancelled,
}

use NodeState::*;

/// Every legal move of a node.
pub const NODE_MOVES: &[(NodeState, NodeState)] = &[
    (Pending, Ready),     // an incoming edge was taken and the last one resolved
    (Pending, Skipped),   // every incoming edge is dead, or a trigger did not fire
    (Pending, Cancelled), // the run stopped before the node was reached
    (Ready, Running),     // the scheduler started it
    (Ready, Cancelled),   // the run stopped before it started
    (Running, Succeeded),
    (Running, Failed),
    (Running, Waiting),   // a human task: the run waits for a decision
    (Running, Cancelled), // the run stopped while it ran
    (Running, Ready),     // its process died while it ran: a resumed run starts it again
    (Waiting, Succeeded), // the decision was taken
    (Waiting, Cancelled), // the waiting run was cancelled
];

/// `NODE_MOVES` as a table, built at compile time: a move is checked in one look-up.
const LEGAL: [[bool; 8]; 8] = {
    let mut table = [[false; 8]; 8];
    let mut i = 0;
    while i < NODE_MOVES.len() {
        table[NODE_MOVES[i].0 as usize][NODE_MOVES[i].1 as usize] = true;
        i += 1;
    }
    table
};

/// Every legal move of a run. A run starts `running`.
pub const RUN_MOVES: &[(RunStatus, RunStatus)] = &[
    (RunStatus::Running, RunStatus::Succeeded),
    (RunStatus::Running, RunStatus::Failed),
    (RunStatus::Running, RunStatus::Cancelled),
    (RunStatus::Running, RunStatus::Waiting),
    (RunStatus::Waiting, RunStatus::Running), // a decision continues it
    (RunStatus::Waiting, RunStatus::Cancelled),
    (RunStatus::Running, RunStatus::Paused), // the debugger paused it before a node
    (RunStatus::Paused, RunStatus::Running), // step or continue
    (RunStatus::Paused, RunStatus::Cancelled), // quit while paused
];

/// A move the tables above do not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} cannot go from {from} to {to}")]
pub struct IllegalMove {
    pub what: String,
    pub from: String,
    pub to: String,
}

impl NodeState {
    /// The status the report shows.
    pub fn status(self) -> NodeStatus {
        match self {
            Pending | Ready => NodeStatus::Pending,
            Running => NodeStatus::Running,
            Succeeded => NodeStatus::Succeeded,
            Failed => NodeStatus::Failed,
            Skipped => NodeStatus::Skipped,
            Waiting => NodeStatus::Waiting,
            Cancelled => NodeStatus::Cancelled,
        }
    }

    /// The state a finished node's status names.
    pub fn of_status(status: NodeStatus) -> NodeState {
        match status {
            NodeStatus::Pending => Pending,
            NodeStatus::Running => Running,
            NodeStatus::Succeeded => Succeeded,
            NodeStatus::Failed => Failed,
            NodeStatus::Skipped => Skipped,
            NodeStatus::Waiting => Waiting,
            NodeStatus::Cancelled => Cancelled,
        }
    }

    pub fn is_final(self) -> bool {
        !NODE_MOVES.iter().any(|&(from, _)| from == self)
    }

    /// Moves `self` to `to` when the move is legal.
    pub fn move_to(&mut self, to: NodeState, node: &str) -> Result<(), IllegalMove> {
        if LEGAL[*self as usize][to as usize] {
            *self = to;
            Ok(())
        } else {
            Err(IllegalMove {
                what: format!("node \"{node}\""),
                from: format!("{self:?}").to_lowercase(),
                to: format!("{to:?}").to_lowercase(),
            })
        }
    }
}

/// Moves a run from `from` to `to` when the move is legal.
pub fn run_move(from: RunStatus, to: RunStatus) -> Result<RunStatus, IllegalMove> {
    if RUN_MOVES.contains(&(from, to)) {
        Ok(to)
    } else {
        Err(IllegalMove {
            what: "the run".into(),
            from: format!("{from:?}").to_lowercase(),
            to: format!("{to:?}").to_lowercase(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_NODE: [NodeState; 8] = [
        Pending, Ready, Running, Succeeded, Failed, Skipped, Waiting, Cancelled,
    ];
    const ALL_RUN: [RunStatus; 6] = [
        RunStatus::Running,
        RunStatus::Succeeded,
        RunStatus::Failed,
        RunStatus::Cancelled,
        RunStatus::Waiting,
        RunStatus::Paused,
    ];

    #[test]
    fn every_listed_node_move_is_taken_and_every_other_refused() {
        for from in ALL_NODE {
            for to in ALL_NODE {
                let mut state = from;
                let result = state.move_to(to, "n");
                if NODE_MOVES.contains(&(from, to)) {
                    assert_eq!(result, Ok(()), "{from:?} → {to:?}");
                    assert_eq!(state, to);
                } else {
                    let err = result.unwrap_err();
                    assert_eq!(state, from, "an illegal move leaves the state");
                    assert_eq!(
                        err.to_string(),
                        format!(
                            "node \"n\" cannot go from {} to {}",
                            format!("{from:?}").to_lowercase(),
                            format!("{to:?}").to_lowercase()
                        )
                    );
                }
            }
        }
    }

    #[test]
    fn every_node_state_is_reachable_from_pending_and_the_ends_are_final() {
        let mut reached = vec![Pending];
        let mut i = 0;
        while i < reached.len() {
            for &(from, to) in NODE_MOVES {
                if from == reached[i] && !reached.contains(&to) {
                    reached.push(to);
                }
            }
            i += 1;
        }
        assert_eq!(reached.len(), ALL_NODE.len(), "reached {reached:?}");
        for s in [Succeeded, Failed, Skipped, Cancelled] {
            assert!(s.is_final(), "{s:?}");
        }
        for s in [Pending, Ready, Running, Waiting] {
            assert!(!s.is_final(), "{s:?}");
        }
    }

    #[test]
    fn every_listed_run_move_is_taken_and_every_other_refused() {
        for from in ALL_RUN {
            for to in ALL_RUN {
                let result = run_move(from, to);
                assert_eq!(
                    result.is_ok(),
                    RUN_MOVES.contains(&(from, to)),
                    "{from:?} → {to:?}"
                );
            }
        }
        assert_eq!(
            run_move(RunStatus::Succeeded, RunStatus::Running)
                .unwrap_err()
                .to_string(),
            "the run cannot go from succeeded to running"
        );
    }

    #[test]
    fn statuses_round_trip_through_states() {
        for s in ALL_NODE {
            let status = s.status();
            let back = NodeState::of_status(status);
            assert!(back == s || (s == Ready && back == Pending));
        }
    }
}
