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

from agentvision.camera import Camera
from agentvision.conventions import BACKGROUND_ID
from agentvision.render import render_scene
from agentvision.scene.library import library_names, load_scene
from agentvision.scene.lighting import apply_time_of_day

MIN_PIXELS = 200  # objects smaller than this are not compared by count
COUNT_TOLERANCE = 0.01
TIE_DEPTH = 2e-3  # relative depth difference under which two different ids are a coincident-surface tie

# Two cameras per library scene (position, look_at), 320 x 213 pixels.
LIBRARY_CAMERAS = {
    "staircase": [((6.2, 0.6, 1.6), (2.5, 3.8, 2.0)), ((0.8, 0.8, 3.6), (5.0, 4.0, 1.0))],
    "living_room": [((0.9, 0.9, 1.6), (5.0, 4.0, 1.0)), ((5.2, 4.2, 1.7), (1.5, 1.2, 0.8))],
    "courtyard": [((-6.0, -6.0, 1.7), (0.0, 0.0, 1.0)), ((6.0, -5.0, 3.0), (-2.0, 3.0, 1.0))],
    "gallery": [((0.9, 0.9, 1.6), (5.0, 4.0, 1.0)), ((5.2, 4.2, 1.7), (1.5, 1.2, 0.8))],
    "parlour": [((-2.4, 2.4, 1.6), (0.9, -1.4, 0.8)), ((1.0, -0.5, 1.5), (-1.5, 2.5, 1.0))],
}


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

    n = len(scene.objects) + 1  # bin 0 is the background
    ca = np.bincount(a.ids[keep] + 1, minlength=n)
    cb = np.bincount(b.ids[keep] + 1, minlength=n)
    assert abs(ca[0] - cb[0]) <= max(COUNT_TOLERANCE * ca[0], 3), f"background {ca[0]} vs {cb[0]}"
    compared = 0
    for i, name in enumerate(scene.names):
        big = max(ca[i + 1], cb[i + 1])
        if big >= MIN_PIXELS:
            compared += 1
            assert abs(int(ca[i + 1]) - int(cb[i + 1])) <= COUNT_TOLERANCE * big, f"{name}: {ca[i + 1]} vs {cb[i + 1]}"

    same = (a.ids == b.ids) & (a.ids >= 0)
    rel = np.abs(a.depth[same] - b.depth[same]) / a.depth[same]
    assert np.median(rel) < 5e-4 and np.quantile(rel, 0.999) < 2e-3
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
    for position in [(5, -4, 2.5), (-3, 3, 4)]:
        camera = Camera(position, (0, 0, 0.5), aspect="4:3", width=240)
        stats = compare(scene, camera, gl)
        assert stats["ties"] == 0 and stats["compared"] >= 2
        assert stats["rgb"] < 12, stats
