#!/usr/bin/env bash
# Installs a kooplab build into a fresh prefix, builds this folder's plugin
# against it through find_package(kooplab), and runs the installed kooplab with
# its shipped plugins and this one.
# Usage: check.sh <kooplab build folder>
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "external plugin check: $*" >&2
  exit 1
}
# step <name> <command...>: runs the command, showing its output only if it fails.
step() {
  local log="$work/$1.log"
  shift
  "$@" >"$log" 2>&1 || { cat "$log" >&2; fail "failed: $*"; }
}

step install cmake --install "$build" --prefix "$work/prefix"
step configure cmake -S "$here" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release
step build cmake --build "$work/build"

kooplab=$work/prefix/bin/kooplab
export KOOPLAB_PLUGIN_PATH=$work/build/plugins

listing=$("$kooplab" plugins) || fail "'kooplab plugins' failed"
for expected in "$work/prefix/lib/kooplab/plugins/libkooplab_estimator_dmd.so" \
                "$KOOPLAB_PLUGIN_PATH/libkooplab_estimator_centered_dmd.so"; do
  grep -qF "($expected)" <<<"$listing" || { echo "$listing" >&2; fail "'kooplab plugins' does not list $expected"; }
done
if grep -q "^not loaded:" <<<"$listing"; then
  echo "$listing" >&2
  fail "'kooplab plugins' reports problems"
fi

cat >"$work/centered_dmd.yaml" <<'YAML'
seed: 0
dataset:
  name: linear_system
  eigenvalues: [0.9, [0.7, 0.4], 0.5]
  trajectories: 3
  steps: 40
estimator:
  name: centered_dmd
application:
  name: spectrum
YAML
step run "$kooplab" run "$work/centered_dmd.yaml" --out "$work/results"

results=$work/results/results.jsonl
[[ -f $results ]] || fail "no $results"
# Noise-free linear data: the centred pairs still obey A exactly.
python3 - "$results" <<'PY' || fail "eigenvalue_error check failed"
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
assert len(records) == 1, f"expected one run, got {len(records)}"
record = records[0]
assert record["status"] == "ok", f"run status {record['status']}: {record.get('error')}"
error = record["metrics"]["eigenvalue_error"]
assert error is not None and error < 1e-8, f"eigenvalue_error {error}"
print(f"centered_dmd eigenvalue_error {error:.3g}")
PY
