"""The gl engine on its own: platform choice and errors, id encoding, shadows, glass, antialiasing."""

import ctypes.util
import os
import subprocess
import sys

os.environ.setdefault("PYOPENGL_PLATFORM", "egl")  # before anything imports OpenGL

import numpy as np
import pytest
import trimesh

from agentvision.camera import Camera
from agentvision.render import RendererError, RenderSettings, render_scene
from agentvision.render.gl import GLRenderer, _check_pyopengl, decode_ids, id_colour, supersampling
from agentvision.scene.lighting import apply_time_of_day
from agentvision.scene.model import Material, Scene, SceneObject

CAM = Camera((5, -4, 2.5), (0, 0, 0.5), aspect="4:3", width=200)


def _run(code: str, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "PYOPENGL_PLATFORM"} | env
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environ, timeout=60)


def test_id_colours_round_trip():
    indices = [0, 1, 254, 255, 256, 70_000]
    seg = np.array([[id_colour(i) for i in indices] + [np.zeros(3)]], dtype=np.uint8)
    assert decode_ids(seg).tolist() == [indices + [-1]]


def test_supersampling_follows_samples_per_pixel_within_limits():
    assert [supersampling(n, 640, 480) for n in (0, 1, 2, 4, 5, 9, 16)] == [1, 1, 1, 2, 2, 3, 4]
    assert supersampling(16, 3000, 2000) == 2  # the colour pass stays within MAX_VIEWPORT


def test_old_pyopengl_is_refused_with_the_fix(monkeypatch):
    import OpenGL.version

    monkeypatch.setattr(OpenGL.version, "__version__", "3.1.0")
    with pytest.raises(RendererError, match=r"pip install PyOpenGL==3\.1\.10"):
        _check_pyopengl()


def test_no_platform_says_what_to_install():
    out = _run("from agentvision.render.gl import GLRenderer; GLRenderer()", PYOPENGL_PLATFORM="no_such_platform")
    assert out.returncode != 0
    last = out.stderr.strip().splitlines()[-1]
    assert "RendererError" in last and "no_such_platform" in last
    assert all(hint in last for hint in ("libegl1", "libgl1-mesa-dri", "libosmesa6", "--renderer raycast"))


@pytest.mark.skipif(not ctypes.util.find_library("EGL"), reason="libEGL is not installed")
def test_egl_is_picked_when_nothing_is_set(gl):
    out = _run("from agentvision.render.gl import GLRenderer; print(GLRenderer().gl_info()['platform'])")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "egl"


def test_gl_info_names_the_driver(gl):
    info = gl.gl_info()
    assert info["platform"] in ("egl", "osmesa") and info["renderer"] and info["vendor"]
    assert info["version"][0].isdigit()


def test_engines_share_one_context_and_survive_close(toy_scene, gl):
    scene = apply_time_of_day(toy_scene, "noon")
    other = GLRenderer()
    first = other.render(scene, CAM)
    other.close()  # must not take the shared context down with it
    for engine in (gl, other):
        again = engine.render(scene, CAM)
        assert np.array_equal(first.rgb, again.rgb) and np.array_equal(first.ids, again.ids)


def test_antialias_keeps_ids_and_depth(toy_scene, gl):
    scene = apply_time_of_day(toy_scene, "noon")
    plain = gl.render(scene, CAM)
    smooth = gl.render(scene, CAM, RenderSettings(antialias=4, depth_of_field=True))
    assert smooth.rgb.shape == plain.rgb.shape == (150, 200, 3)
    assert np.array_equal(plain.ids, smooth.ids) and np.array_equal(plain.depth, smooth.depth)
    changed = np.abs(plain.rgb.astype(int) - smooth.rgb).max(axis=-1) > 0
    assert 0 < changed.mean() < 0.5 and "dof" in smooth.timings


def test_shadow_falls_away_from_the_sun(toy_scene, gl):
    scene = apply_time_of_day(toy_scene, "golden_hour")
    lit = gl.render(scene, CAM)
    flat = gl.render(scene, CAM, RenderSettings(shadows=False))
    ground = lit.ids == scene.index("ground")
    darker = (lit.rgb.astype(int).sum(-1) < flat.rgb.astype(int).sum(-1) - 30) & ground
    assert darker.sum() > 100
    v, u = np.nonzero(darker)
    d = CAM.ray_directions()[v, u]
    p = np.asarray(CAM.position) + d * (lit.depth[v, u] / (d @ CAM.forward))[:, None]
    sun = np.asarray(scene.lighting.sun.direction)
    assert np.median(p[:, :2] @ sun[:2]) < 0


def _pane_scene(glass: bool) -> Scene:
    ground = trimesh.creation.box((12, 12, 0.1))
    ground.apply_translation((0, 0, -0.05))
    pane = trimesh.creation.box((0.05, 2.0, 1.5))
    pane.apply_translation((0, 0, 1.2))
    objects = [
        SceneObject("ground", "ground", ground, Material((0.4, 0.35, 0.3))),
        SceneObject("pane", "window", pane, Material((0.6, 0.7, 0.75), 0.05, glass=glass)),
    ]
    return apply_time_of_day(Scene("pane", objects), "golden_hour")


def test_glass_shows_the_sky_and_lets_the_sun_through(gl):
    camera = Camera((-4, -3, 1.6), (0, 0, 1.0), aspect="3:2", width=240)
    for glass in (True, False):
        scene = _pane_scene(glass)
        lit, flat = gl.render(scene, camera), gl.render(scene, camera, RenderSettings(shadows=False))
        ground = lit.ids == 0
        shade = (flat.rgb.astype(int).sum(-1) - lit.rgb.astype(int).sum(-1))[ground]
        if glass:
            assert (shade > 3).mean() < 1e-3  # sunlight passes the pane (a stray horizon pixel may differ)
            pane = lit.ids == 1
            assert pane.sum() > 500
            ray = render_scene(scene, camera, engine="raycast")
            assert np.abs(ray.rgb[pane].astype(int) - lit.rgb[pane]).mean() < 3  # the same tinted sky
        else:
            assert (shade > 30).sum() > 200  # the same pane, opaque, casts a shadow
