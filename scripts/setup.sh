#!/usr/bin/env bash
# Set up agentvision in ./.venv: system libraries the renderers need, then the package.
#   bash scripts/setup.sh          the package and its command
#   bash scripts/setup.sh --test   also the test tools and the web page's Gradio (the ui extra)
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[[ "${1:-}" == "--test" ]] && extras="[test,ui]"

# open3d needs libusb-1.0 to import; the gl engine needs EGL with Mesa (or OSMesa); the path engine
# (Mitsuba 3 on the CPU) needs libLLVM 16-19 (Debian's 14 and 15 crash Dr.Jit).
missing=()
ldconfig -p | grep -q 'libusb-1.0.so.0' || missing+=(libusb-1.0-0)
ldconfig -p | grep -Eq 'libLLVM(-1[6-9]\.so|\.so\.1[6-9])' || missing+=(libllvm19)
ldconfig -p | grep -q 'libEGL.so.1' || missing+=(libegl1)
[[ -e /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so || -e /usr/lib/aarch64-linux-gnu/dri/swrast_dri.so ]] \
  || missing+=(libgl1-mesa-dri)
if ((${#missing[@]})); then
  sudo=""; [[ "$(id -u)" != 0 ]] && sudo="sudo"
  if command -v apt-get >/dev/null; then
    echo "installing system libraries: ${missing[*]}"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "warning: please install ${missing[*]} with your package manager (open3d, the gl and path engines need them)" >&2
  fi
fi

python=${PYTHON:-python3}
[[ -x .venv/bin/python ]] || "$python" -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check --upgrade pip 2>/dev/null
.venv/bin/pip install -q --disable-pip-version-check -e ".${extras}"
# pyrender 0.1.45 pins PyOpenGL 3.1.0, which breaks EGL on current Pythons: 3.1.10 goes in after it.
.venv/bin/pip install -q --disable-pip-version-check "PyOpenGL==3.1.10" 2>&1 | grep -v "pyrender 0.1.45 requires\|dependency resolver\|dependency conflicts" || true
echo "agentvision is set up in .venv ($(.venv/bin/python -c 'import agentvision; print(agentvision.__version__)'))"
