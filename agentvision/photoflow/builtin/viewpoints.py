"""Where the intent puts the camera: at an object (a viewpoint: "from the landing", "from the doorway") or
somewhere around the subject (a vantage: straight on, from behind, in profile, from across the room, from a
corner). One predicate per idea, used alike by the anchors, the Director's moves and the Reviewer's rule.
"""

from __future__ import annotations

import math

import numpy as np

from agentvision.camera import TOP_DOWN_PITCH, angle_of
from agentvision.photoflow.builtin.object_words import SEATS
from agentvision.photoflow.search import SearchState
from agentvision.scene.queries import ground_height_below_batch
from agentvision.scene.rays import scene_rays

VIEWPOINT_REACH = 1.2  # metres: a camera this near an object's box (horizontally) stands at it
SEAT_REACH = 0.3  # metres: at a seat the camera is on it (over its box, or just at its edge)
VIEWPOINT_STEP = 0.35  # metres between the positions tried at a viewpoint
STANDING = {"low": 0.5, "eye_level": 1.6, "high": 1.9, "top_down": 1.9}  # eye above what the camera stands on
SEATED_EYE = 1.15  # metres above the floor: the eye of a photographer sitting on a sofa, a chair or a bench
# Degrees around the subject's front a vantage accepts (the offset from the front, and the tolerance).
VANTAGE_AZIMUTH = {
    "front": (0.0, 15.0),
    "three_quarter": (45.0, 15.0),  # either side of the front, as "side" is
    "back": (180.0, 30.0),
    "side": (90.0, 30.0),
}
ACROSS = 0.6  # "across the room": at least this share of the farthest a camera can get in that direction
CORNER = 1.6  # metres from a corner of the room that count as "in the corner"


def _box(state: SearchState, name: str) -> np.ndarray:
    from agentvision.scene.queries import pieces

    b = np.array([state.scene.get(n).bounds for n in pieces(state.scene, name)])
    return np.stack([b[:, 0].min(axis=0), b[:, 1].max(axis=0)])


def at_viewpoint(state: SearchState, points) -> np.ndarray:
    """Per point: the camera stands at the blueprint's viewpoint object (within VIEWPOINT_REACH of its box,
    and no lower than its bottom: on the landing, not under it). All True without a viewpoint."""
    p = np.asarray(points, dtype=float).reshape(-1, 3)
    if not state.blueprint.viewpoint:
        return np.ones(len(p), bool)
    lo, hi = _box(state, state.blueprint.viewpoint)
    gap = np.maximum(0.0, np.maximum(lo[:2] - p[:, :2], p[:, :2] - hi[:2]))
    reach = SEAT_REACH if seated(state) else VIEWPOINT_REACH
    return (np.hypot(gap[:, 0], gap[:, 1]) <= reach) & (p[:, 2] >= lo[2])


def viewpoint_positions(state: SearchState) -> np.ndarray:
    """Where a photographer stands at the viewpoint object: a grid over its box and around it, each point at
    standing height above the surface under it (on a landing: on the landing)."""
    lo, hi = _box(state, state.blueprint.viewpoint)
    pad = (SEAT_REACH if seated(state) else VIEWPOINT_REACH) * 0.8
    xs = np.arange(lo[0] - pad, hi[0] + pad + 1e-9, VIEWPOINT_STEP)
    ys = np.arange(lo[1] - pad, hi[1] + pad + 1e-9, VIEWPOINT_STEP)
    gx, gy = np.meshgrid(xs, ys)
    top = max(float(hi[2]), state.room.floor) + 2.5
    probe = np.column_stack([gx.ravel(), gy.ravel(), np.full(gx.size, top)])
    if state.room.ceiling is not None:
        probe[:, 2] = min(top, state.room.ceiling - 0.05)
    ground = ground_height_below_batch(state.scene, probe)
    ground = np.where(np.isnan(ground), state.room.floor, ground)
    z = ground + STANDING.get(state.blueprint.angle, 1.6)
    if seated(state) and "angle" not in state.blueprint.explicit:
        z = np.full(len(probe), state.room.floor + SEATED_EYE)  # sitting on it, not standing on its cushions
    return np.column_stack([probe[:, :2], z])


def seated(state: SearchState) -> bool:
    """The intent's viewpoint is a seat ("from the sofa"): the camera is a seated eye, its height counted from the
    floor (a photographer does not stand on the cushions)."""
    vp = state.blueprint.viewpoint
    return bool(vp) and state.scene.get(vp).label in SEATS


LOW_SUBJECT = 0.35  # metres: a subject no taller than this above the floor (a rug, a mat) lies on the ground
FLOOR_LOOK_PITCH = (-60.0, 7.0)  # at eye level, a camera looks down at such a subject as far as this
EYE_HEIGHTS = (1.0, 1.9)  # metres above the floor: a seated or standing eye


def low_subject(state: SearchState) -> bool:
    """The subject lies on the ground (a rug): "eye level" is then where the camera is, a person's eye, looking
    down at it; held level, an eye-level camera would have to lie on the floor."""
    return float(state.subject.hi[2]) - state.room.floor <= LOW_SUBJECT


def angle_read(state: SearchState, pitch_deg: float, height_m: float) -> str:
    """The angle a camera reads as for this blueprint: :func:`agentvision.camera.angle_of`, except that a
    person's eye looking down at a subject on the ground (not straight down) is eye level."""
    if low_subject(state) and EYE_HEIGHTS[0] <= height_m <= EYE_HEIGHTS[1] and pitch_deg > TOP_DOWN_PITCH:
        return "eye_level"
    return angle_of(pitch_deg, height_m)


def eye_height(scene, position, floor: float) -> float | None:
    """The camera's height above what the photographer stands on: the first surface below, except over a seat
    (a sofa, a chair, a bench), where the photographer sits and the height counts from the floor ``floor``.
    None over the void."""
    p = np.asarray(position, np.float32).reshape(1, 3)
    hit = scene_rays(scene).all.cast(p, np.float32([[0.0, 0.0, -1.0]]))
    if not np.isfinite(hit.t[0]) or hit.ids[0] < 0:
        return None
    if scene.objects[int(hit.ids[0])].label in SEATS:
        return float(p[0, 2] - floor)
    return float(hit.t[0])


def preferred_direction(state: SearchState) -> np.ndarray:
    """Unit XY direction from the subject toward where a photographer would stand by default."""
    scene, c = state.scene, state.subject.centre
    room_centre = (state.room.lo + state.room.hi) / 2 if state.room.interior else scene.bounds.mean(axis=0)
    d = (room_centre - c)[:2]
    if np.linalg.norm(d) < 0.5 and scene.default_view:
        d = (np.asarray(scene.default_view["position"]) - c)[:2]
    n = np.linalg.norm(d)
    return d / n if n > 1e-6 else np.array([0.0, -1.0])


THIN = 0.25  # a subject this much thinner one way than the other, seen from above, is flat: it faces its thin side


def front_of(state: SearchState) -> np.ndarray:
    """The subject's front, a unit XY vector: a flat subject (a door, a painting, a shelf) faces along its thin
    side into the room; anything else faces away from the wall it stands against (a sofa by the wall), else toward
    where a visitor sees it from (the room's middle, or the scene's overview)."""
    subj, rays = state.subject, scene_rays(state.scene).all
    extent = (subj.hi - subj.lo)[:2]
    thin = int(np.argmin(extent))
    if extent[thin] < THIN * extent[1 - thin]:
        # flat (a door, a window, a painting, a shelf): it faces along its thin side, into the room; set in a
        # wall, the probes below meet the wall beside it and had turned a door's front 30-60 degrees off
        axis = np.eye(2)[thin]
        return axis if float(axis @ preferred_direction(state)) >= 0 else -axis
    c = subj.centre.copy()
    c[2] = min(float(subj.hi[2]) - 0.05, max(float(subj.lo[2]) + 0.05, state.room.floor + 1.0))
    own = {state.scene.index(n) for n in subj.names}
    best, direction = None, None
    for k in range(16):
        a = 2 * math.pi * k / 16
        u = np.array([math.cos(a), math.sin(a), 0.0])
        # the subject's own extent along u, then what lies just beyond it
        reach = float(np.max(np.abs((subj.corners() - subj.centre) @ u)))
        o = (c + u * (reach + 0.02)).astype(np.float32)[None]
        hit = rays.cast(o, u.astype(np.float32)[None])
        if np.isfinite(hit.t[0]) and int(hit.ids[0]) not in own and hit.t[0] < 0.6:
            # nearest from the subject's centre: a diagonal probe starts past the box's corner, maybe already
            # inside the wall (a bookshelf against the east wall had faced south-south-west, 67 degrees off)
            dist = reach + 0.02 + float(hit.t[0])
            if best is None or dist < best:
                best, direction = dist, -u[:2]
    return direction if direction is not None else preferred_direction(state)


def _azimuth_gap(a: np.ndarray, b: float) -> np.ndarray:
    return np.abs((a - b + 180.0) % 360.0 - 180.0)


def farthest(state: SearchState) -> float:
    """How far from the subject a camera can stand at most in its space (the walkable area, else the room)."""
    c = state.subject.centre[:2]
    if state.area is not None and state.area.mask.any():
        ys, xs = np.nonzero(state.area.mask)
        cells = state.area.origin + (np.column_stack([xs, ys]) + 0.5) * state.area.cell
        return float(np.max(np.linalg.norm(cells - c, axis=1)))
    lo, hi = state.room.lo[:2], state.room.hi[:2]
    corners = np.array([[lo[0], lo[1]], [lo[0], hi[1]], [hi[0], lo[1]], [hi[0], hi[1]]])
    return float(np.max(np.linalg.norm(corners - c, axis=1)))


def at_vantage(state: SearchState, points) -> np.ndarray:
    """Per point: the camera stands where the blueprint's vantage says ("across": at least ACROSS of the
    farthest a camera can stand from the subject). All True without a vantage."""
    p = np.asarray(points, dtype=float).reshape(-1, 3)
    vantage = state.blueprint.vantage
    if not vantage:
        return np.ones(len(p), bool)
    c = state.subject.centre
    d = p[:, :2] - c[:2]
    if vantage in VANTAGE_AZIMUTH:
        f = front_of(state)
        az = np.degrees(np.arctan2(d[:, 1], d[:, 0]))
        front = math.degrees(math.atan2(f[1], f[0]))
        offset, tolerance = VANTAGE_AZIMUTH[vantage]
        gap = _azimuth_gap(az, front + offset)
        if vantage in ("side", "three_quarter"):
            gap = np.minimum(gap, _azimuth_gap(az, front - offset))
        return gap <= tolerance
    dist = np.hypot(d[:, 0], d[:, 1])
    if vantage == "across":
        return dist >= ACROSS * farthest(state)
    # corner: near a corner of the room (indoors) or of the walkable area (outdoors)
    if state.room.interior:
        lo, hi = state.room.lo[:2], state.room.hi[:2]
    elif state.area is not None:
        ys, xs = np.nonzero(state.area.mask)
        lo = state.area.origin + np.array([xs.min(), ys.min()]) * state.area.cell
        hi = state.area.origin + np.array([xs.max() + 1, ys.max() + 1]) * state.area.cell
    else:
        return np.ones(len(p), bool)
    corners = np.array([[lo[0], lo[1]], [lo[0], hi[1]], [hi[0], lo[1]], [hi[0], hi[1]]])
    near = np.min(np.linalg.norm(p[:, None, :2] - corners[None], axis=2), axis=1)
    return near <= CORNER


def describe(state: SearchState) -> str:
    """Where the blueprint puts the camera, in words (for notes and rule messages)."""
    bp = state.blueprint
    if bp.viewpoint:
        return f"at the {bp.viewpoint.replace('_', ' ')}"
    return {
        "front": "straight on, in front of the subject",
        "three_quarter": "at three-quarters, 45 degrees off the subject's front",
        "back": "behind the subject",
        "side": "to the subject's side",
        "across": "across the space from the subject",
        "corner": "in a corner of the room",
    }.get(bp.vantage or "", "anywhere")
