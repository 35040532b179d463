#!/usr/bin/env bash
# Everything from a fresh Debian machine to the quickstart's summary table.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
./build/kooplab run configs/quickstart.yaml --out results/quickstart
cat results/quickstart/summary.md
