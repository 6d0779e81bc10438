//! n8n loops: the Loop Over Items pattern becomes `forEach`; any other loop
//! is refused, since Flowbench's graph is acyclic.

use super::{Connection, ImportError, Source};
use std::collections::{BTreeMap, BTreeSet};

/// The Loop Over Items loops, unrolled into `forEach`.
pub(super) struct Loops {
    /// Each body node, with the node before it (the loop node for the first).
    pub body: BTreeMap<usize, Option<usize>>,
}

/// Finds the loops of the graph. A Loop Over Items node whose `loop` output
/// runs a chain of nodes back to it becomes: the loop node (its items), then
/// the chain, each node running once per item, then what followed `done`.
/// Any other loop is refused.
pub(super) fn loops(
    sources: &[Source],
    connections: &mut Vec<Connection>,
    origin: &str,
) -> Result<Loops, ImportError> {
    use petgraph::graph::DiGraph;
    let mut graph = DiGraph::<usize, ()>::new();
    let ix: Vec<_> = (0..sources.len()).map(|i| graph.add_node(i)).collect();
    for c in connections.iter() {
        graph.add_edge(ix[c.from], ix[c.to], ());
    }
    let mut found = Loops {
        body: BTreeMap::new(),
    };
    for scc in petgraph::algo::tarjan_scc(&graph) {
        let members: BTreeSet<usize> = scc.iter().map(|n| graph[*n]).collect();
        let self_loop = members.len() == 1
            && connections
                .iter()
                .any(|c| c.from == c.to && members.contains(&c.from));
        if members.len() < 2 && !self_loop {
            continue;
        }
        let refuse = || ImportError::Loop {
            origin: origin.into(),
            nodes: members.iter().map(|&i| sources[i].name.clone()).collect(),
        };
        let loopers: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| {
                sources[i].base_type() == Some("splitInBatches") && sources[i].version >= 3.0
            })
            .collect();
        let [looper] = loopers.as_slice() else {
            return Err(refuse());
        };
        // The chain from the loop output back to the loop node.
        let mut chain = Vec::new();
        let mut at = *looper;
        let mut output = 1;
        loop {
            let next: Vec<&Connection> = connections
                .iter()
                .filter(|c| {
                    c.from == at && members.contains(&c.to) && (at != *looper || c.output == output)
                })
                .collect();
            let [c] = next.as_slice() else {
                return Err(refuse());
            };
            if c.to == *looper {
                break;
            }
            if chain.contains(&c.to) {
                return Err(refuse());
            }
            chain.push(c.to);
            at = c.to;
            output = 0;
        }
        if chain.len() + 1 != members.len() || chain.is_empty() {
            return Err(refuse());
        }
        let last = *chain.last().unwrap_or(looper);
        let back_output = connections
            .iter()
            .find(|c| c.from == last && c.to == *looper)
            .map_or(0, |c| c.output);
        connections.retain(|c| !(c.from == last && c.to == *looper));
        for c in connections.iter_mut() {
            if c.from == *looper {
                if c.output == 0 {
                    // `done`: what followed the loop reads the chain's results.
                    c.from = last;
                    c.output = back_output;
                } else {
                    c.output = 0;
                }
            }
        }
        let mut previous = None;
        for &n in &chain {
            found.body.insert(n, previous);
            previous = Some(n);
        }
    }
    Ok(found)
}
