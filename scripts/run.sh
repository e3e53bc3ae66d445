#!/usr/bin/env bash
# Set up Marsad in a virtualenv and run the main job on the embedded default store (SQLite ./marsad.db):
# ingest the page(s), print a readable summary of what was understood, and the troop-figure timeline.
# Usage: bash scripts/run.sh [PATH...]      (default: the seed article in ../shared/corpus/seed/)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
if [ "$#" -eq 0 ]; then set -- ../shared/corpus/seed/erem-2025-05-28-coalition-syria.txt; fi
.venv/bin/marsad ingest "$@"
.venv/bin/marsad show "$@"
.venv/bin/marsad timeline --entity "United States" --measure troops
