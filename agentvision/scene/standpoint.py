"""Where a camera may stand: the room around what it photographs, and clearance from surfaces.

One definition for everyone who places or checks a camera (the built-in Director's anchors and
moves, the Reviewer's hard rule, the VLM Director's answer check, the ``check_camera`` tool):

- a camera closer than :data:`MIN_CLEARANCE` to a surface, or inside geometry, is invalid;
- the search places its own cameras at least :data:`CLEARANCE` from surfaces (room to move).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agentvision.scene.model import Scene
from agentvision.scene.rays import scene_rays

MIN_CLEARANCE = 0.1  # metres: nearer to a surface than this, a camera is invalid
CLEARANCE = 0.3  # metres: where the search places its own cameras


@dataclass
class Room:
    """Where cameras may stand: floor and ceiling heights, and horizontal bounds."""

    floor: float
    ceiling: float | None  # None outdoors
    lo: np.ndarray
    hi: np.ndarray
    interior: bool


def room_around(scene: Scene, lo, hi) -> Room:
    """The room around a box (``lo``, ``hi``: what the camera photographs): the floor from the scene,
    the ceiling from a ray cast straight up from the box's top; outdoors, the scene's bounds with a margin."""
    lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    centre = (lo + hi) / 2
    s_lo, s_hi = scene.bounds
    floor = scene.floor_z if scene.floor_z is not None else float(lo[2])
    if scene.interior:
        origin = np.array([[centre[0], centre[1], hi[2] + 0.05]], dtype=np.float32)
        hit = scene_rays(scene).all.cast(origin, np.array([[0, 0, 1]], dtype=np.float32))
        ceiling = float(origin[0, 2] + hit.t[0]) if np.isfinite(hit.t[0]) else float(s_hi[2])
        return Room(floor, ceiling, s_lo.copy(), s_hi.copy(), True)
    margin = max(2.0, 0.25 * float(np.max(s_hi[:2] - s_lo[:2])))
    return Room(floor, None, s_lo - [margin, margin, 0], s_hi + [margin, margin, 0], False)


def free_positions(scene: Scene, room: Room, points, clearance: float = CLEARANCE) -> np.ndarray:
    """Boolean per point: a camera may stand there (inside the room, above the floor and below the
    ceiling, at least ``clearance`` from every surface, not inside geometry, and, in an interior,
    with something overhead and underfoot: not outside the walls)."""
    from agentvision.scene.queries import clearance_batch, inside_geometry_batch

    p = np.asarray(points, dtype=float).reshape(-1, 3)
    ok = np.all((p[:, :2] >= room.lo[:2]) & (p[:, :2] <= room.hi[:2]), axis=1)
    ok &= p[:, 2] > room.floor + 0.1
    if room.ceiling is not None:
        ok &= p[:, 2] < room.ceiling - 0.1
    if ok.any():
        idx = np.flatnonzero(ok)
        ok[idx] &= clearance_batch(scene, p[idx]) >= clearance
    if ok.any():
        idx = np.flatnonzero(ok)
        ok[idx] &= ~inside_geometry_batch(scene, p[idx])
    if room.interior and ok.any():
        idx = np.flatnonzero(ok)
        rays = scene_rays(scene).all
        o = p[idx].astype(np.float32)
        up = rays.cast(o, np.tile(np.float32([0, 0, 1]), (len(idx), 1)))
        down = rays.cast(o, np.tile(np.float32([0, 0, -1]), (len(idx), 1)))
        ok[idx] &= np.isfinite(up.t) & np.isfinite(down.t)
    return ok
