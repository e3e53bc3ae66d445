#!/usr/bin/env bash
# Set up (a virtualenv with Marsad and its test tools) and run the whole test suite: lint, then pytest.
# Usage: bash scripts/test.sh [pytest args]   — .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
.venv/bin/ruff check marsad tests eval bench
.venv/bin/python -m pytest -q "$@"
