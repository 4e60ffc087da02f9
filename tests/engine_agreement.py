"""What two engines rendering the same camera must agree on: each object's pixel count and the depth
where they see the same object. Shared by the raycast/gl and raycast/path tests."""

from __future__ import annotations

import numpy as np

MIN_PIXELS = 200  # objects smaller than this are not compared by count
COUNT_TOLERANCE = 0.01

# Two cameras per library scene (position, look_at), 320 x 213 pixels.
LIBRARY_CAMERAS = {
    "staircase": [((6.2, 0.6, 1.6), (2.5, 3.8, 2.0)), ((0.8, 0.8, 3.6), (5.0, 4.0, 1.0))],
    "living_room": [((0.9, 0.9, 1.6), (5.0, 4.0, 1.0)), ((5.2, 4.2, 1.7), (1.5, 1.2, 0.8))],
    "courtyard": [((-6.0, -6.0, 1.7), (0.0, 0.0, 1.0)), ((6.0, -5.0, 3.0), (-2.0, 3.0, 1.0))],
    "gallery": [((0.9, 0.9, 1.6), (5.0, 4.0, 1.0)), ((5.2, 4.2, 1.7), (1.5, 1.2, 0.8))],
    "parlour": [((-2.4, 2.4, 1.6), (0.9, -1.4, 0.8)), ((1.0, -0.5, 1.5), (-1.5, 2.5, 1.0))],
}


def assert_counts_and_depths_agree(scene, a, b, keep: np.ndarray | None = None) -> int:
    """Per-object pixel counts of renders ``a`` and ``b`` (over the pixels ``keep``, default all) within
    COUNT_TOLERANCE, the background's too; depths within 0.05 % (median) where both see the same object.
    Returns how many objects were compared."""
    keep = np.ones(a.ids.shape, bool) if keep is None else keep
    n = len(scene.objects) + 1  # bin 0 is the background
    ca, cb = np.bincount(a.ids[keep] + 1, minlength=n), np.bincount(b.ids[keep] + 1, minlength=n)
    assert abs(int(ca[0]) - int(cb[0])) <= max(COUNT_TOLERANCE * ca[0], 3), f"background {ca[0]} vs {cb[0]}"
    compared = 0
    for i, name in enumerate(scene.names):
        big = max(ca[i + 1], cb[i + 1])
        if big >= MIN_PIXELS:
            compared += 1
            assert abs(int(ca[i + 1]) - int(cb[i + 1])) <= COUNT_TOLERANCE * big, f"{name}: {ca[i + 1]} vs {cb[i + 1]}"
    same = (a.ids == b.ids) & (a.ids >= 0)
    rel = np.abs(a.depth[same] - b.depth[same]) / a.depth[same]
    assert np.median(rel) < 5e-4 and np.quantile(rel, 0.999) < 2e-3
    return compared
