#!/usr/bin/env bash
# Set up (with the test tools) and run the checks: ruff, then the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
# The chat tests drive the real program in tmux.
if ! command -v tmux >/dev/null && command -v apt-get >/dev/null; then
  sudo=""; [[ "$(id -u)" != 0 ]] && sudo="sudo"
  echo "installing tmux for the chat tests"
  $sudo apt-get install -y -qq tmux >/dev/null 2>&1 || { $sudo apt-get update -qq && $sudo apt-get install -y -qq tmux >/dev/null; }
fi
# The export test opens the exported camera in Blender (Debian's, with the numpy its glTF importer needs).
if ! command -v blender >/dev/null && command -v apt-get >/dev/null; then
  sudo=""; [[ "$(id -u)" != 0 ]] && sudo="sudo"
  echo "installing blender for the glTF camera test"
  $sudo apt-get install -y -qq --no-install-recommends blender python3-numpy >/dev/null 2>&1 \
    || { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends blender python3-numpy >/dev/null; } \
    || echo "warning: blender could not be installed; its test will be skipped" >&2
fi
# The transformers backend's tests need torch and transformers (the `local` extra): torch first, pinned to the
# CPU build, so that nothing pulls a multi-GB CUDA torch.
# The extra's requirements are installed on their own: `pip install -e .[local]` would re-resolve pyrender's pin
# and put back the PyOpenGL 3.1.0 that setup.sh replaces.
.venv/bin/pip install -q --disable-pip-version-check "torch==2.13.0"
.venv/bin/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["local"]))' \
  | xargs -d '\n' .venv/bin/pip install -q --disable-pip-version-check
.venv/bin/ruff check agentvision tests scenes tools agents benchmarks examples
.venv/bin/python -m pytest -q "$@"
