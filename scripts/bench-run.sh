#!/usr/bin/env bash
# The whole-process cost of `flowbench run`, as a user measures it: a release
# binary runs task.set chains of 10, 2,000 and 8,000 nodes (written to a temp
# folder), standard error into a pipe (as under CI) and standard output to
# /dev/null; prints each median and the cost per node above the 10-node run.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet -p flowbench
bin="${CARGO_TARGET_DIR:-target}/release/flowbench"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
runs=${RUNS:-25}
python3 - "$dir" <<'PY'
import json, sys
for n in (10, 2000, 8000):
    nodes = [{"id": "start", "type": "trigger.manual"}]
    nodes += [{"id": f"n{i}", "type": "task.set", "config": {"values": {"i": i}}} for i in range(1, n)]
    edges = [{"id": f"e{i}", "from": nodes[i - 1]["id"], "to": nodes[i]["id"]} for i in range(1, n)]
    json.dump({"flowbench": 1, "id": f"chain-{n}", "nodes": nodes, "edges": edges},
              open(f"{sys.argv[1]}/chain-{n}.flow.json", "w"))
PY
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
measure() { # file, extra args: median wall time in microseconds
  for _ in $(seq "$runs"); do
    s=$(date +%s%N); "$bin" run "$1" "${@:2}" 2>&1 >/dev/null | cat >/dev/null; e=$(date +%s%N)
    echo $(( (e - s) / 1000 ))
  done | median
}
# Runs are measured without the history (--no-history), then recorded in a
# fresh database in the temp folder: the difference is what recording costs.
for mode in "--no-history" "--no-history --json" "--db $dir/history.db"; do
  base=$(measure "$dir/chain-10.flow.json" $mode)
  echo "flowbench run ${mode/$dir\//} of 10 nodes: ${base} µs"
  for n in 2000 8000; do
    t=$(measure "$dir/chain-$n.flow.json" $mode)
    echo "flowbench run ${mode/$dir\//} of $n nodes: ${t} µs; $(awk -v t="$t" -v b="$base" -v n="$n" 'BEGIN { printf "%.2f", (t - b) / (n - 10) }') µs a node above 10"
  done
done
