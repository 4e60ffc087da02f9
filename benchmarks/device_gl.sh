#!/usr/bin/env bash
# Measure the gl engine on a GPU machine lent through the device tool (NVIDIA EGL).
# Prepared here (see the device tool's README): .gl/ holds the GL loader .debs, .whl/ the wheels the
# device image lacks (trimesh, pyrender, PyOpenGL 3.1.10, pyglet, freetype-py). Run there with
# carry [".gl", ".whl"]: bash benchmarks/device_gl.sh
set -euo pipefail
for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
export PYTHONPATH=/tmp/site:$PWD PYOPENGL_PLATFORM=egl PYTHONUNBUFFERED=1
vendor=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
[[ -f $vendor ]] && export __EGL_VENDOR_LIBRARY_FILENAMES=$vendor
nvidia-smi -L || true
out=${OUT:-/tmp}
python3 - <<'PY'
import os
from agentvision.render import get_renderer, RenderSettings
from agentvision.scene.library import load_scene
from agentvision.commands.render import default_camera
gl = get_renderer("gl")
print("gl_info:", gl.gl_info())
scene = load_scene("staircase", "dusk")
cam = default_camera(scene).with_width(1280)
r = gl.render(scene, cam, RenderSettings.final())
r.save(os.path.join(os.environ.get("OUT", "/tmp"), "gl_gpu_staircase_dusk.png"))
print("final 1280px gl render:", {k: round(v, 3) for k, v in r.timings.items()})
PY
python3 benchmarks/render_speed.py --engines gl --repeat 10 | tee "$out/gl_gpu.md"
