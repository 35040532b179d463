#!/usr/bin/env bash
# Installs what is missing, fetches the datasets and builds kooplab into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [[ -x scripts/fetch-datasets.sh ]]; then scripts/fetch-datasets.sh; fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
