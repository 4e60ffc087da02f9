#!/usr/bin/env bash
# Set up (with the test tools) and run the checks: ruff, then the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check agentvision tests scenes tools agents benchmarks
.venv/bin/python -m pytest -q "$@"
