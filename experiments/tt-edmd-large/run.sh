#!/bin/sh
# Runs the experiment under /usr/bin/time -v (Debian package `time`) and keeps
# the log beside the results. Usage: experiments/tt-edmd-large/run.sh [build folder]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-"$here/../../build"}
out=${OUT:-/tmp/kooplab-tt-edmd-large}
/usr/bin/time -v "$build/kooplab" run "$here/config.yaml" --out "$out" --jobs 1 2>&1 | tee "$out.log"
