#!/usr/bin/env bash
# Writes the bad inputs too large or too binary to keep as files: YAML alias
# bombs, very deep or long expressions, bytes that are not UTF-8, and IDX
# files with lying headers. Usage: generate.sh FOLDER
set -euo pipefail
out=$1
mkdir -p "$out"
linear='dataset: {name: linear_system, eigenvalues: [0.9, 0.5], trajectories: 2, steps: 10}
estimator: {name: dmd}
application: {name: spectrum}'

# Nine levels of ten aliases: 10^9 values in ten lines.
{
  echo "# message: the config expands to more than 100000 values"
  echo "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"
  for level in 1 2 3 4 5 6 7 8 9; do
    p=$((level - 1))
    echo "a$level: &a$level [*a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p]"
  done
  echo "$linear"
} >"$out/alias_bomb.yaml"

# The same bomb inside nested concat observables.
{
  echo "# message: the config expands to more than 100000 values"
  echo "x0: &c0 {name: concat, parts: [{name: identity}, {name: identity}, {name: identity}, {name: identity}]}"
  for level in 1 2 3 4 5 6 7 8 9 10; do
    p=$((level - 1))
    echo "x$level: &c$level {name: concat, parts: [*c$p, *c$p, *c$p, *c$p]}"
  done
  echo "observable: *c10"
  echo "$linear"
} >"$out/concat_bomb.yaml"

signal() {  # a multiscale_signal whose function is $1
  printf 'dataset: {name: multiscale_signal, function: "%s"}\nestimator: {name: dmd}\napplication: {name: spectrum}\n' "$1"
}
{ echo "# message: nested deeper than 200 levels"; signal "$(printf '(%.0s' $(seq 1000))x"; } >"$out/expression_parentheses.yaml"
{ echo "# message: nested deeper than 200 levels"; signal "$(printf -- '-%.0s' $(seq 5000))x"; } >"$out/expression_minus_chain.yaml"
{ echo "# message: nested deeper than 200 levels"; signal "x$(printf '^x%.0s' $(seq 3000))"; } >"$out/expression_power_tower.yaml"
{ echo "# message: nested deeper than 200 levels"; signal "$(printf 'sin(%.0s' $(seq 1000))x"; } >"$out/expression_functions.yaml"
{ echo "# message: nested deeper than 200 levels"; signal "x$(printf '+x%.0s' $(seq 1000))"; } >"$out/expression_long_sum.yaml"
{ echo "# message: longer than 10000 characters"; signal "1$(printf '*1%.0s' $(seq 200000))"; } >"$out/expression_many_numbers.yaml"

# A key, a value and a swept value with bytes that are not UTF-8.
printf '# message: application.bad\xff: unknown key\n%s\napplication:\n  name: spectrum\n  bad\xff: 1\n' \
  "$(head -n 2 <<<"$linear")" >"$out/non_utf8_key.yaml"
printf '# exit: 0\n# message: 1 run(s)\ndescription: "caf\xe9 \xff"\n%s\n' "$linear" >"$out/non_utf8_description.yaml"
printf '# exit: 0\n# message: 2 run(s)\n# args: --dry-run description=a\xff,b\n%s\n' "$linear" >"$out/non_utf8_swept_value.yaml"
printf '# message: unknown application plugin\napplication: {name: "spec\xfftrum"}\n' >"$out/non_utf8_plugin_name.yaml"

# IDX files whose headers lie, read by the mnist dataset from a folder of its own.
idx_case() {  # name, message, then the train-images file's bytes (printf format)
  mkdir -p "$out/$1.data"
  printf "$3" >"$out/$1.data/train-images-idx3-ubyte"
  printf '\x00\x00\x08\x01\x00\x00\x00\x01\x07' >"$out/$1.data/train-labels-idx1-ubyte"
  cp "$out/$1.data/train-images-idx3-ubyte" "$out/$1.data/t10k-images-idx3-ubyte"
  cp "$out/$1.data/train-labels-idx1-ubyte" "$out/$1.data/t10k-labels-idx1-ubyte"
  printf '# exit: 1\n# message: %s\n# args: --jobs 1\ndataset: {name: mnist, path: %s.data}\nnetwork: {name: mlp, layers: [784, 10]}\napplication: {name: train, epochs: 1, optimizer: {name: sgd, lr: 0.1}}\n' \
    "$2" "$1" >"$out/$1.yaml"
}
idx_case idx_shape_overflow "declares more than 2⁶⁴ bytes" '\x00\x00\x08\x04\x00\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00'
idx_case idx_truncated "truncated" '\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x1c\x00\x00\x00\x1c\x01\x02'
idx_case idx_bad_magic "not an IDX file" 'GIF89a not an idx file'
idx_case idx_empty "too short for an IDX magic number" ''
