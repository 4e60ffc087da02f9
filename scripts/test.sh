#!/usr/bin/env bash
# Set up (with the test tools) and run the checks: ruff, then the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
# need COMMAND WHY APT_ARGUMENTS...: install Debian packages (apt-get install APT_ARGUMENTS) when COMMAND is missing.
need() {
  local cmd=$1 why=$2; shift 2
  command -v "$cmd" >/dev/null && return 0
  command -v apt-get >/dev/null || { echo "warning: no apt-get to install $cmd, which $why needs" >&2; return 0; }
  local sudo=""; [[ "$(id -u)" != 0 ]] && sudo="sudo"
  echo "installing $cmd for $why"
  $sudo apt-get install -y -qq "$@" >/dev/null 2>&1 || { $sudo apt-get update -qq && $sudo apt-get install -y -qq "$@" >/dev/null; }
}
need tmux "the chat tests (they drive the real program in a terminal)" tmux
need chromium "the web page's browser test (Playwright drives Debian's headless chromium: no browser download)" chromium
# Blender's own glTF importer reads the exported camera back (Debian's 3.4 needs the system numpy).
need blender "the glTF camera test" --no-install-recommends blender python3-numpy
# The transformers backend's tests need torch and transformers (the `local` extra): torch first, pinned to the
# CPU build, so that nothing pulls a multi-GB CUDA torch.
# The extra's requirements are installed on their own: `pip install -e .[local]` would re-resolve pyrender's pin
# and put back the PyOpenGL 3.1.0 that setup.sh replaces.
.venv/bin/pip install -q --disable-pip-version-check "torch==2.13.0"
.venv/bin/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["local"]))' \
  | xargs -d '\n' .venv/bin/pip install -q --disable-pip-version-check
.venv/bin/ruff check agentvision tests scenes tools agents benchmarks examples
.venv/bin/python -m pytest -q "$@"
