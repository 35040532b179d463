#!/usr/bin/env bash
# Runs `kooplab run` on every bad input of cases/ and checks that it ends as the
# case says: the exit code, a piece of the message, and never a signal or a hang.
#
# A case is a .yaml file whose first lines may say:
#   # exit: 2                       the expected exit code (default 2)
#   # message: duplicate key 'name' text the output must contain (repeatable)
#   # args: --jobs 65537            arguments after the config, shell-quoted (default --dry-run)
# Cases generated at run time (an alias bomb, very long expressions, bad bytes)
# are written by generate.sh into the work folder first.
#
# Usage: check.sh KOOPLAB CASES_FOLDER WORK_FOLDER [SECONDS_PER_CASE]
set -uo pipefail
kooplab=$(realpath "$1") cases=$(realpath "$2") work=$(realpath -m "$3") limit=${4:-20}
rm -rf "$work" && mkdir -p "$work/generated"
"$(dirname "$0")/generate.sh" "$work/generated" || { echo "generate.sh failed"; exit 1; }

failed=0 count=0
for file in "$cases"/*.yaml "$work"/generated/*.yaml; do
  [ -f "$file" ] || continue
  name=$(basename "$file")
  header=$(head -n 12 "$file" | LC_ALL=C grep -a '^# ' || true)
  expected=$(sed -n 's/^# exit: //p' <<<"$header" | head -n 1)
  args=$(sed -n 's/^# args: //p' <<<"$header" | head -n 1)
  [ -n "$expected" ] || expected=2
  grep -q '^# args:' <<<"$header" || args=--dry-run
  out="$work/out/$name"
  eval "extra=($args)"  # the args line may quote a word that holds spaces
  (cd "$(dirname "$file")" && exec timeout -s KILL "$limit" "$kooplab" run "$file" --out "$out" "${extra[@]}") \
    >"$work/$name.log" 2>&1
  code=$?
  count=$((count + 1))
  problem=""
  if [ "$code" -eq 137 ]; then problem="killed after ${limit}s (a hang?)"
  elif [ "$code" -gt 128 ]; then problem="ended by signal $((code - 128))"
  elif [ "$code" -ne "$expected" ]; then problem="exit code $code, expected $expected"
  fi
  while IFS= read -r message; do
    [ -n "$message" ] || continue
    LC_ALL=C grep -aqF -- "$message" "$work/$name.log" || problem="${problem:+$problem; }no '$message' in the output"
  done < <(sed -n 's/^# message: //p' <<<"$header")
  if [ -n "$problem" ]; then
    failed=$((failed + 1))
    echo "FAIL $name: $problem"
    sed 's/^/    /' "$work/$name.log" | head -n 5
  fi
done
echo "$count bad inputs, $failed failed"
[ "$count" -gt 0 ] && [ "$failed" -eq 0 ]
