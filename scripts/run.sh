#!/usr/bin/env bash
# Set up Marsad in a virtualenv and run the main job on the seed article with the embedded default store:
# extract it, and print a readable summary.   Usage: bash scripts/run.sh [PATH...]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
if [ "$#" -eq 0 ]; then set -- ../shared/corpus/seed/erem-2025-05-28-coalition-syria.txt; fi
.venv/bin/marsad extract "$@" -o marsad-output.jsonl
echo "wrote marsad-output.jsonl"
