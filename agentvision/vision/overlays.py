"""Pictures that explain an analysis to a person or a model: thirds grids, marks, region densities.

Pure functions on uint8 RGB arrays (H, W, 3); positions are normalised (x right, y down, 0..1) as in
:mod:`agentvision.vision`.
"""

from __future__ import annotations

import cv2
import numpy as np

GRID_COLOUR = (255, 255, 255)
MARK_COLOUR = (255, 48, 32)
BOX_COLOUR = (255, 210, 0)


def thirds_overlay(
    rgb: np.ndarray,
    point: tuple[float, float] | None = None,
    box: tuple[float, float, float, float] | None = None,
    mask: np.ndarray | None = None,
) -> np.ndarray:
    """The image with the rule-of-thirds grid, an optional subject outline (``mask``), box and centroid mark.

    ``box`` is in pixels (u0, v0, u1, v1); ``point`` is normalised.
    """
    out = np.ascontiguousarray(np.asarray(rgb, np.uint8)[..., :3]).copy()
    h, w = out.shape[:2]
    t = max(1, round(min(w, h) / 300))
    for k in (1, 2):
        x, y = round(w * k / 3), round(h * k / 3)
        cv2.line(out, (x, 0), (x, h - 1), GRID_COLOUR, t, cv2.LINE_AA)
        cv2.line(out, (0, y), (w - 1, y), GRID_COLOUR, t, cv2.LINE_AA)
    if mask is not None and np.asarray(mask).any():
        contours, _ = cv2.findContours(np.asarray(mask, np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        cv2.drawContours(out, contours, -1, BOX_COLOUR, t, cv2.LINE_AA)
    if box is not None:
        u0, v0, u1, v1 = (round(v) for v in box)
        cv2.rectangle(out, (u0, v0), (u1 - 1, v1 - 1), BOX_COLOUR, t, cv2.LINE_AA)
    if point is not None:
        c = (round(point[0] * w), round(point[1] * h))
        r = max(4, round(min(w, h) / 40))
        cv2.circle(out, c, r, MARK_COLOUR, 2 * t, cv2.LINE_AA)
        cv2.line(out, (c[0] - 2 * r, c[1]), (c[0] + 2 * r, c[1]), MARK_COLOUR, t, cv2.LINE_AA)
        cv2.line(out, (c[0], c[1] - 2 * r), (c[0], c[1] + 2 * r), MARK_COLOUR, t, cv2.LINE_AA)
    return out


def grid_density(mask: np.ndarray, rows: int = 3, cols: int = 3) -> np.ndarray:
    """(rows, cols) share of true pixels of a mask (or a 0/255 map) in each cell of an even grid."""
    m = np.asarray(mask) > 0
    h, w = m.shape
    ys = np.linspace(0, h, rows + 1).round().astype(int)
    xs = np.linspace(0, w, cols + 1).round().astype(int)
    return np.array([[float(m[ys[r] : ys[r + 1], xs[c] : xs[c + 1]].mean()) for c in range(cols)] for r in range(rows)])


__all__ = ["grid_density", "thirds_overlay"]
