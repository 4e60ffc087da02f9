#!/usr/bin/env bash
# Set up (with the test tools) and run the checks: ruff, then the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
# The transformers backend's tests need torch and transformers (the `local` extra): torch first, pinned to the
# CPU build, so that nothing pulls a multi-GB CUDA torch.
.venv/bin/pip install -q --disable-pip-version-check "torch==2.13.0"
.venv/bin/pip install -q --disable-pip-version-check -e ".[local]"
.venv/bin/ruff check agentvision tests scenes tools agents benchmarks examples
.venv/bin/python -m pytest -q "$@"
