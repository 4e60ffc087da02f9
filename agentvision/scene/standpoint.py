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
        return Room(floor, _ceiling_above(scene, centre, hi[2], floor), s_lo.copy(), s_hi.copy(), True)
    margin = max(2.0, 0.25 * float(np.max(s_hi[:2] - s_lo[:2])))
    return Room(floor, None, s_lo - [margin, margin, 0], s_hi + [margin, margin, 0], False)


CEILING_MIN = 2.0  # metres above the floor: anything lower over the subject is furniture, not the ceiling
CEILING_SPAN = 0.5  # share of the scene's width or depth a ceiling spans: a lamp hanging over the subject does not


def _ceiling_above(scene: Scene, centre, top: float, floor: float) -> float:
    """The ceiling over a box: straight up from its top, through the furniture that stands over it (a coffee
    table over the rug it stands on is not the room's ceiling) and what hangs from the ceiling (the pendant lamp
    over the hall's rug had been taken for it, 1.3 m above the landing, and no camera could stand there)."""
    span = np.asarray(scene.bounds[1][:2] - scene.bounds[0][:2], dtype=float)
    wide = [
        (i, o.mesh)
        for i, o in enumerate(scene.objects)
        if np.any(o.bounds[1][:2] - o.bounds[0][:2] >= CEILING_SPAN * span)
    ]
    if not wide:
        return float(scene.bounds[1][2])
    z, up, rays = top + 0.05, np.array([[0, 0, 1]], dtype=np.float32), type(scene_rays(scene).all)(wide)
    for _ in range(8):
        hit = rays.cast(np.array([[centre[0], centre[1], z]], dtype=np.float32), up)
        if not np.isfinite(hit.t[0]):
            return float(scene.bounds[1][2])
        z += float(hit.t[0])
        if z - floor >= CEILING_MIN:
            return z
        z += 0.02
    return float(scene.bounds[1][2])


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


def height_above_ground(scene: Scene, position) -> float | None:
    """Metres from the first surface straight below ``position`` up to it (None over the void)."""
    from agentvision.scene.queries import ground_height_below

    below = ground_height_below(scene, position)
    return None if below is None else float(position[2] - below)


@dataclass(frozen=True)
class Standpoint:
    """Whether a camera may stand at a point, and why not: one verdict for every caller."""

    valid: bool
    reason: str  # empty when valid; else what is wrong and what to do
    clearance: float  # metres to the nearest surface
    nearest: str | None  # the object that surface belongs to

    def to_dict(self) -> dict:
        return {
            "valid": self.valid,
            "reason": self.reason,
            "clearance_m": round(self.clearance, 3),
            "nearest": self.nearest,
        }


def standpoint(scene: Scene, position, room: Room | None = None) -> Standpoint:
    """The verdict on a camera at ``position``: not inside an object, at least :data:`MIN_CLEARANCE` from every
    surface, and in an interior scene inside the building (something overhead and underfoot) and between its
    floor and ceiling. ``room``, when given, also bounds the camera to that room's floor and ceiling."""
    from agentvision.scene.queries import inside_object, nearest_object

    p = np.asarray(position, dtype=float).reshape(3)
    near, clear = nearest_object(scene, p)
    inside = inside_object(scene, p)
    if inside is not None:
        return Standpoint(False, f"the camera is inside {inside}: move it into free space", 0.0, inside)
    if clear < MIN_CLEARANCE:
        return Standpoint(
            False,
            f"the camera is {clear:.2f} m from {near}: keep at least {MIN_CLEARANCE:.2f} m from surfaces",
            clear,
            near,
        )
    if room is not None and p[2] <= room.floor:
        return Standpoint(False, f"the camera is below the floor (z {p[2]:.2f} <= {room.floor:.2f})", clear, near)
    if room is not None and room.ceiling is not None and p[2] >= room.ceiling:
        return Standpoint(False, f"the camera is above the ceiling (z {p[2]:.2f} >= {room.ceiling:.2f})", clear, near)
    if scene.interior:
        rays = scene_rays(scene).all
        o = p[None].astype(np.float32)
        up = rays.cast(o, np.float32([[0, 0, 1]]))
        down = rays.cast(o, np.float32([[0, 0, -1]]))
        if not (np.isfinite(up.t[0]) and np.isfinite(down.t[0])):
            return Standpoint(
                False,
                "the camera is outside the room (nothing overhead or underfoot): move it inside the walls",
                clear,
                near,
            )
    return Standpoint(True, "", clear, near)


FREE_DIRECTIONS = ("ahead", "behind", "left", "right", "up", "down")


def room_to_move(scene: Scene, position, forward, reach: float = 20.0) -> dict[str, float]:
    """Metres from ``position`` to the first surface in each of FREE_DIRECTIONS: ahead, behind, left and right
    level with the floor, along the horizontal part of ``forward`` (north when it looks straight up or down), and
    straight up and down; ``reach`` where nothing is hit."""
    p = np.asarray(position, dtype=float).reshape(3)
    f = np.asarray(forward, dtype=float).reshape(3)[:2]
    f = f / np.linalg.norm(f) if np.linalg.norm(f) > 1e-6 else np.array([0.0, 1.0])
    left = np.array([-f[1], f[0]])
    dirs = np.array([[*f, 0], [*-f, 0], [*left, 0], [*-left, 0], [0, 0, 1], [0, 0, -1]], dtype=np.float32)
    hit = scene_rays(scene).all.cast(np.tile(p.astype(np.float32), (6, 1)), dirs)
    t = np.where(np.isfinite(hit.t), hit.t, reach)
    return {k: float(min(v, reach)) for k, v in zip(FREE_DIRECTIONS, t, strict=True)}


# ----- the walkable area around a subject --------------------------------------------------------
AREA_CELLS = 160  # cells along the longer side of the area's grid (cells no smaller or larger than these):
AREA_MIN_CELL, AREA_MAX_CELL = 0.15, 0.4  # metres
AREA_TOUCH = 0.22  # metres: a cell whose centre is nearer than this (or 0.6 cell) to a surface is blocked
AREA_HEIGHTS = (0.4, 1.2)  # metres above the floor where something in the way blocks a cell (a seat, a chest)
AREA_REACH = 12.0  # metres around the subject's box the grid covers at least (and 6 subject radii)
AREA_GATE = 1.25  # metres: openings narrower than twice this (doors, gates, archways) bound a space
AREA_NEAR = 2.5  # metres around the subject's box that seed the fill of a small enclosure
AREA_SLACK = 0.75  # metres: spaces whose open core comes this much nearer than the nearest one are the subject's too


@dataclass(frozen=True)
class Area:
    """The floor space reachable on foot from a subject (or from other seeds) without crossing walls, fences or
    furniture: where a photographer of that subject would stand. Cells of a grid in the XY plane."""

    origin: np.ndarray  # XY of cell (0, 0)'s corner
    cell: float
    mask: np.ndarray  # (ny, nx) bool: reachable
    open: bool  # the reachable space runs off the grid's edge (an open plaza, not a courtyard)

    def contains(self, points) -> np.ndarray:
        p = np.asarray(points, dtype=float).reshape(-1, 3)
        ij = np.floor((p[:, :2] - self.origin) / self.cell).astype(int)
        ny, nx = self.mask.shape
        inside = (ij[:, 0] >= 0) & (ij[:, 0] < nx) & (ij[:, 1] >= 0) & (ij[:, 1] < ny)
        out = np.zeros(len(p), bool)
        out[inside] = self.mask[ij[inside, 1], ij[inside, 0]]
        return out


def _inside_solids(scene: Scene, gx: np.ndarray, gy: np.ndarray, z: float, candidates: np.ndarray) -> np.ndarray:
    """Cells whose centre (at height ``z``) lies inside a closed object: deep inside a solid building the nearest
    surface is far, yet nobody stands there. Only cells within some object's box are tested."""
    from agentvision.scene.queries import inside_geometry_batch

    test = np.zeros(gx.shape, bool)
    for o in scene.objects:
        b = o.bounds
        if b[0][2] <= z <= b[1][2] and np.prod(b[1][:2] - b[0][:2]) >= 1.0:
            test |= (gx >= b[0][0]) & (gx <= b[1][0]) & (gy >= b[0][1]) & (gy <= b[1][1])
    test &= candidates
    out = np.zeros(gx.shape, bool)
    if test.any():
        pts = np.column_stack([gx[test], gy[test], np.full(int(test.sum()), z)])
        out[test] = inside_geometry_batch(scene, pts)
    return out


def walkable_area(scene: Scene, lo, hi, seeds=(), floor: float | None = None) -> Area:
    """The space reachable on foot around the box ``lo``..``hi`` (and around each XY point in ``seeds``): cells of
    the floor whose air between knee and head height is clear, flood-filled from the cells touching the box."""
    from scipy import ndimage

    from agentvision.scene.queries import clearance_batch

    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    radius = float(np.linalg.norm(hi - lo) / 2)
    reach = max(AREA_REACH, 6 * radius)
    s_lo, s_hi = scene.bounds
    g_lo = np.maximum(lo[:2] - reach, s_lo[:2])
    g_hi = np.minimum(hi[:2] + reach, s_hi[:2])
    seeds = [np.asarray(s, float)[:2] for s in seeds]
    for s in seeds:
        g_lo, g_hi = np.minimum(g_lo, s - 2.0), np.maximum(g_hi, s + 2.0)
    cell = float(np.clip(float(np.max(g_hi - g_lo)) / AREA_CELLS, AREA_MIN_CELL, AREA_MAX_CELL))
    nx, ny = (np.ceil((g_hi - g_lo) / cell).astype(int) + 1).tolist()
    floor = (scene.floor_z if scene.floor_z is not None else float(lo[2])) if floor is None else floor
    xs = g_lo[0] + (np.arange(nx) + 0.5) * cell
    ys = g_lo[1] + (np.arange(ny) + 0.5) * cell
    gx, gy = np.meshgrid(xs, ys)
    blocked = np.zeros((ny, nx), bool)
    for h in AREA_HEIGHTS:
        pts = np.column_stack([gx.ravel(), gy.ravel(), np.full(gx.size, floor + h)])
        blocked |= (clearance_batch(scene, pts) < min(0.6 * cell, AREA_TOUCH)).reshape(ny, nx)
    free = ~blocked
    if not scene.interior:  # a building outdoors is a solid whose inside is far from its walls
        free &= ~_inside_solids(scene, gx, gy, floor + AREA_HEIGHTS[-1], free)
    # Outdoors a space (a walled courtyard) is its open core, the cells at least a gate's half width from anything
    # in the way (gates and archways, narrower, are not in it), grown back within the free cells to its walls.
    # Indoors the walls bound the room already, and the floor between the furniture is too narrow to shrink.
    r = max(1, round(AREA_GATE / cell))
    core = free if scene.interior else ndimage.distance_transform_edt(free) * cell >= AREA_GATE
    labels, _ = ndimage.label(core)  # 4-connected
    # The subject's own spaces: the core components nearest its box (within AREA_SLACK of the nearest: a tree by
    # the courtyard wall belongs to the courtyard, not to the ground outside the wall), and each seed's nearest.
    centres_x = g_lo[0] + (np.arange(nx) + 0.5) * cell
    centres_y = g_lo[1] + (np.arange(ny) + 0.5) * cell
    gap_x = np.maximum(0.0, np.maximum(lo[0] - centres_x, centres_x - hi[0]))
    gap_y = np.maximum(0.0, np.maximum(lo[1] - centres_y, centres_y - hi[1]))
    keep: set[int] = set()
    targets = [np.hypot(gap_x[None, :], gap_y[:, None])]
    targets += [np.hypot(centres_x[None, :] - sx, centres_y[:, None] - sy) for sx, sy in seeds]
    for dist in targets:
        inside = core & (labels > 0)
        if not inside.any():
            break
        nearest = float(dist[inside].min())
        if nearest > reach:
            continue
        keep |= set(np.unique(labels[inside & (dist <= nearest + AREA_SLACK)]).tolist())
    seed_mask = targets[0] <= AREA_NEAR
    if not keep:  # no open core near the subject (a small enclosure): everything reachable without shrinking
        labels, _ = ndimage.label(free)
        core, keep = free, set(np.unique(labels[seed_mask & free]).tolist()) - {0}
    spaces = np.isin(labels, list(keep)) if keep else free
    if core is not free:  # grow back step by step through free cells only: never across a wall
        spaces = ndimage.binary_dilation(spaces, iterations=r + 1, mask=free)
    mask = spaces & free
    edge = np.concatenate([mask[0], mask[-1], mask[:, 0], mask[:, -1]]).any()
    return Area(g_lo, cell, mask, bool(edge))
