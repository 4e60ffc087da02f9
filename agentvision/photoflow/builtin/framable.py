"""Which asked context objects can share a frame with the subject at all. "The front door with the wall lamp on"
in a hall whose lamp hangs on the wall facing the door: from nowhere the camera may stand do both fit in a 35 mm
frame, and framing the two together (a box the width of the hall) lost the rug that could have been in it. Such
an object is still asked for (the Reviewer still looks for it), but the frame is built without it and the notes
say why."""

from __future__ import annotations

import math

import numpy as np

from agentvision.camera import SENSOR_LONG_MM
from agentvision.photoflow.builtin.anchors import valid_positions
from agentvision.photoflow.builtin.framing import MIN_FOCAL
from agentvision.photoflow.search import SearchState, subject_of

EYE = 1.6  # metres over the floor at which standpoints are tried
GRID = 0.4  # metres between them
MAX_POINTS = 400  # standpoints tried at most (a coarser grid beyond)


def _spread_deg(position: np.ndarray, corners: np.ndarray) -> tuple[float, float]:
    """The horizontal and vertical angles (degrees) that ``corners`` span seen from ``position``, measured
    around the direction to their centre."""
    d = corners - position
    aim = d.mean(axis=0)
    yaw0 = math.atan2(aim[1], aim[0])
    yaw = np.angle(np.exp(1j * (np.arctan2(d[:, 1], d[:, 0]) - yaw0)))
    pitch = np.arctan2(d[:, 2], np.hypot(d[:, 0], d[:, 1]))
    return float(np.degrees(np.ptp(yaw))), float(np.degrees(np.ptp(pitch)))


def standpoints(state: SearchState) -> np.ndarray:
    """Points at a standing eye over the room's floor (outdoors: over the subject's walkable space) where the
    search may put a camera."""
    lo, hi = state.room.lo[:2], state.room.hi[:2]
    if state.area is not None and state.area.mask.any():
        rows, cols = np.nonzero(state.area.mask)
        a_lo = state.area.origin + state.area.cell * np.array([cols.min(), rows.min()])
        a_hi = state.area.origin + state.area.cell * np.array([cols.max() + 1, rows.max() + 1])
        lo, hi = np.maximum(lo, a_lo), np.minimum(hi, a_hi)
    step = max(GRID, math.sqrt(float(np.prod(np.maximum(hi - lo, 0.0))) / MAX_POINTS))
    xs, ys = np.arange(lo[0] + step / 2, hi[0], step), np.arange(lo[1] + step / 2, hi[1], step)
    gx, gy = np.meshgrid(xs, ys)
    pts = np.stack([gx.ravel(), gy.ravel(), np.full(gx.size, state.room.floor + EYE)], axis=1)
    return pts[valid_positions(state, pts)] if len(pts) else pts


def unframable_context(state: SearchState) -> list[str]:
    """The blueprint's context objects that no standpoint frames whole together with the subject with the widest
    lens allowed (the asked one, else MIN_FOCAL), the 36 mm side either way."""
    bp = state.blueprint
    extra = [n for n in bp.context if n not in bp.subjects]
    if not extra or bp.viewpoint or bp.angle == "top_down":
        return []
    pts = standpoints(state)
    if not len(pts):
        return []
    focal = bp.preferred_focal_mm if bp.lens_asked else MIN_FOCAL
    fov = math.degrees(2 * math.atan(SENSOR_LONG_MM / 2 / focal))
    subject = state.subject.corners()
    out = []
    for name in extra:
        corners = np.vstack([subject, subject_of(state.scene, [name]).corners()])
        if not any(max(_spread_deg(p, corners)) <= fov for p in pts):
            out.append(name)
    return out
