"""A thing up front (blueprint.foreground): "shoot over the back of the chair at the truck", "the leather bench in the
foreground". The camera stands just beyond it from the subject, and the frame takes in both: the thing large at the
bottom, the subject beyond it. One definition of each idea, used alike by the anchors, the Director's re-aim and the
Reviewer.
"""

from __future__ import annotations

import numpy as np

from agentvision.camera import Camera
from agentvision.photoflow.builtin.framing import aim, fit_focal, line_beyond
from agentvision.photoflow.search import SearchState, Subject, subject_of
from agentvision.vision import centroid

UP_FRONT_SHARE = 0.05  # of the frame: a thing up front this large reads as the photo's foreground, not a speck
UP_FRONT_HIDES = 0.5  # of the subject: what the thing up front hides of it, up to this share, is not hidden
# metres past the thing's far side from the subject the camera stands, times its half width when that is over 1 m
# (a fountain up front takes more room than a chair)
STEPS_BEYOND = (0.5, 0.9, 1.4, 2.0, 2.8)
SIDE_STEP = 0.35  # of the thing's half width: positions a little either side of the line through it
TOP_SHARE = 0.5  # the frame's centre of interest: this far from the subject's centre toward the thing's top
# a thing up front may run out of the frame's foot: the lens holds its top part, which spans up to this share
UP_FRONT_FILL, TOP_PART = 1.3, 1 / 3
MAX_SIDE_PASS = 0.1  # metres: the line from the subject to the camera passes this near the thing's box (in plan)


def ids_of(state: SearchState, name: str | None) -> list[int]:
    """The scene indices of the thing's pieces (none without one)."""
    return [state.scene.index(n) for n in subject_of(state.scene, [name]).names] if name else []


def framed_centroid(ids: np.ndarray, aim_ids: list[int], fore_ids: list[int]) -> tuple[float, float] | None:
    """Where the frame's centre of interest sits: the centroid of what the camera centres on, or, with the thing up
    front in view, midway between it and the thing's centroid (the thing low in the frame, the subject above it).
    What the Director places and the Reviewer judges."""
    c = centroid(np.isin(ids, aim_ids))
    fore = centroid(np.isin(ids, fore_ids)) if fore_ids else None
    if c is None or fore is None:
        return c
    return (c[0] + fore[0]) / 2, (c[1] + fore[1]) / 2


def up_front_share(ids: np.ndarray, depth: np.ndarray, subject: np.ndarray, fore_ids: list[int]) -> float:
    """The share of the frame the thing up front covers, when it stands nearer than the subject (0 when it stands
    beside or beyond it: then it is no foreground)."""
    m = np.isin(ids, fore_ids)
    if not m.any():
        return 0.0
    if subject.any() and np.median(depth[m]) >= np.median(depth[subject]):
        return 0.0
    return float(m.mean())


def beyond_it(state: SearchState, positions: np.ndarray) -> np.ndarray:
    """Per position: the camera stands just beyond the thing up front from the subject (no farther from it than
    the farthest of STEPS_BEYOND), the line of sight (in plan) passing over it."""
    p = np.asarray(positions, dtype=float).reshape(-1, 3)
    lo, hi = _box(state)
    c = state.subject.centre[:2]
    far = np.linalg.norm(p[:, :2] - c, axis=1) > np.linalg.norm((lo[:2] + hi[:2]) / 2 - c)
    gap = np.maximum(0.0, np.maximum(lo[:2] - p[:, :2], p[:, :2] - hi[:2]))
    far &= np.hypot(gap[:, 0], gap[:, 1]) <= STEPS_BEYOND[-1] * _scale(lo, hi) + MAX_SIDE_PASS
    t = np.linspace(0.0, 1.0, 60)[None, :, None]
    line = c + t * (p[:, None, :2] - c)  # (n, 60, 2)
    inside = np.all((line >= lo[:2] - MAX_SIDE_PASS) & (line <= hi[:2] + MAX_SIDE_PASS), axis=2)
    return far & inside.any(axis=1)


def positions_beyond(state: SearchState, z: float) -> tuple[list[list[float]], list[tuple[float, float]]]:
    """Positions past the thing up front on the line from the subject through it, a little either side, at height
    ``z`` (framing.line_beyond)."""
    lo, hi = _box(state)
    centre, c = (lo[:2] + hi[:2]) / 2, state.subject.centre[:2]
    u = (centre - c) / max(float(np.linalg.norm(centre - c)), 1e-6)
    half = float(np.abs((hi - lo)[:2]) @ np.abs(u)) / 2  # the thing's depth along the line, halved
    width = float(np.abs((hi - lo)[:2]) @ np.abs([-u[1], u[0]])) / 2
    steps = [half + t for t in np.array(STEPS_BEYOND) * _scale(lo, hi)]
    return line_beyond(c, centre, steps, (0.0, -SIDE_STEP * width, SIDE_STEP * width), z)


def over_it(state: SearchState, camera: Camera, lens_asked: bool) -> Camera:
    """``camera`` (same position) aimed between the subject and the top of the thing up front, and, unless the
    intent chose the lens, on the longest lens that holds the subject whole and the thing's top part (the rest of it
    may run out of the frame's foot)."""
    lo, hi = _box(state)
    top = np.array([(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, hi[2]])
    target = state.aim_at.centre + TOP_SHARE * (top - state.aim_at.centre)
    cam = aim(camera.replace(look_at=tuple(target)), target, (0.5, 0.5))
    if lens_asked:
        return cam
    top_part = np.array([*lo[:2], hi[2] - TOP_PART * (hi[2] - lo[2])])
    thing = Subject([state.blueprint.foreground], top_part, hi)
    focal = min(fit_focal(cam, state.frame, 0.9), fit_focal(cam, thing, UP_FRONT_FILL))
    return cam.replace(focal_mm=focal)


def _scale(lo: np.ndarray, hi: np.ndarray) -> float:
    return max(1.0, float(np.max(hi[:2] - lo[:2])) / 2)


def _box(state: SearchState) -> tuple[np.ndarray, np.ndarray]:
    thing = subject_of(state.scene, [state.blueprint.foreground])
    return thing.lo, thing.hi
