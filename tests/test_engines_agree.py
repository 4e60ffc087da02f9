"""The raycast and gl engines see the same thing: ids per pixel, pixel counts, background and depth;
and, with textures in every library scene, much the same picture.

Both sample pixel centres, so they should agree up to triangle-edge rules and coincident surfaces
(two objects in one plane: either engine may win). Pixels where the engines name different
objects at the same depth are such ties; they are counted, kept small, and left out of the counts.
"""

import os

os.environ.setdefault("PYOPENGL_PLATFORM", "egl")  # before anything imports OpenGL

import numpy as np
import pytest
from engine_agreement import LIBRARY_CAMERAS, assert_counts_and_depths_agree

from agentvision.camera import Camera
from agentvision.conventions import BACKGROUND_ID
from agentvision.render import render_scene
from agentvision.scene.library import library_names, load_scene
from agentvision.scene.lighting import apply_time_of_day

TIE_DEPTH = 2e-3  # relative depth difference under which two different ids are a coincident-surface tie


def compare(scene, camera, gl) -> dict:
    """Render with both engines and assert they agree; return the numbers for messages."""
    a = render_scene(scene, camera, engine="raycast")
    b = gl.render(scene, camera)
    assert a.ids.shape == b.ids.shape == b.depth.shape == (camera.height, camera.width)
    assert b.ids.dtype == np.int32 and b.depth.dtype == np.float32 and b.rgb.dtype == np.uint8
    assert np.isinf(b.depth[b.ids == BACKGROUND_ID]).all() and np.isfinite(b.depth[b.ids >= 0]).all()

    hit = np.isfinite(a.depth) & np.isfinite(b.depth)
    with np.errstate(invalid="ignore"):  # inf - inf where both miss
        close = np.abs(a.depth - b.depth) <= TIE_DEPTH * a.depth
    tie = (a.ids != b.ids) & hit & close
    assert tie.mean() < 0.02, f"{tie.sum()} pixels of coincident surfaces"
    keep = ~tie
    assert (a.ids[keep] == b.ids[keep]).mean() > 0.995

    compared = assert_counts_and_depths_agree(scene, a, b, keep)
    return {"compared": compared, "ties": int(tie.sum()), "rgb": float(np.abs(a.rgb.astype(int) - b.rgb).mean())}


@pytest.mark.parametrize("name", sorted(LIBRARY_CAMERAS))
def test_library_scene_engines_agree(name, gl):
    assert name in library_names(), f"library scene {name!r} is missing"
    scene = load_scene(name, "noon")
    for position, look_at in LIBRARY_CAMERAS[name]:
        camera = Camera(position, look_at, focal_mm=24, aspect="3:2", width=320)
        stats = compare(scene, camera, gl)
        assert stats["compared"] >= 3  # the view holds several sizeable objects
        # Same sky, tone curve and Lambert terms: the pictures differ in highlights and shadow edges
        # (mean 2-10 levels); a wrong exposure, gamma or light scale costs 30 or more.
        assert stats["rgb"] < 16, stats


def test_toy_scene_engines_agree(toy_scene, gl):
    scene = apply_time_of_day(toy_scene, "golden_hour")
    for position, upright in [((5, -4, 2.5), False), ((-3, 3, 4), False), ((5, -4, 1.0), True)]:
        camera = Camera(position, (0, 0, 0.5), aspect="4:3", width=240, upright=upright)  # upright: a shifted lens
        stats = compare(scene, camera, gl)
        assert stats["ties"] == 0 and stats["compared"] >= 2
        assert stats["rgb"] < 12, stats
