"""Rooms for the scene library: closed shells with openings, skirting, windows and doors.

Rooms are closed boxes: a floor slab under z=0, walls outside the interior footprint, a ceiling
slab on top. Openings (windows, doors, doorways, skylights) are cut as rectangles and are filled
by the caller (glass panes, door leaves) or lead into another closed room.

Objects may touch face to face (a rug on the floor) or interpenetrate, but two objects must never
share a *visible* plane facing the same way (a trim flush with the wall it runs into): offset such
pieces by :data:`PROUD` so that renderers do not flicker between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import trimesh

from agentvision.scene.model import SceneError
from agentvision.scene.shapes import box_between, frame_matrix, transformed

WALLS = ("south", "north", "west", "east")
# Metres by which a trim that meets another surface stands proud of it (sills, casings, light-well
# linings): no two objects share a visible plane, which would flicker between them in the gl engine
# (z-fighting) and tie in ray casts.
PROUD = 0.003


@dataclass(frozen=True)
class Opening:
    """A rectangular hole in a wall: ``center`` is the world x (south/north walls) or y (west/east)."""

    wall: str
    center: float
    width: float
    bottom: float
    top: float

    def __post_init__(self) -> None:
        if self.wall not in WALLS:
            raise SceneError(f"opening wall {self.wall!r} is not one of {', '.join(WALLS)}")
        if self.width <= 0 or self.top <= self.bottom:
            raise SceneError("an opening needs a positive width and top above bottom")


@dataclass(frozen=True)
class RoomPlan:
    """A room's interior: x0..x1 by y0..y1, floor at z=0, ceiling at ``height``. Walls sit outside it."""

    x0: float
    y0: float
    x1: float
    y1: float
    height: float = 2.8
    wall: float = 0.2  # wall thickness
    slab: float = 0.2  # floor and ceiling thickness

    @property
    def center(self) -> np.ndarray:
        return np.array([(self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2, self.height / 2])

    def wall_frame(self, opening: Opening) -> np.ndarray:
        """4x4 frame at the bottom centre of an opening, on the wall's mid-plane.

        Local x runs along the wall, local y points out of the room, local z is up.
        """
        t = self.wall / 2
        c, side = opening.center, opening.wall
        origin, along, out = {
            "south": ((c, self.y0 - t, opening.bottom), (-1, 0, 0), (0, -1, 0)),
            "north": ((c, self.y1 + t, opening.bottom), (1, 0, 0), (0, 1, 0)),
            "west": ((self.x0 - t, c, opening.bottom), (0, 1, 0), (-1, 0, 0)),
            "east": ((self.x1 + t, c, opening.bottom), (0, -1, 0), (1, 0, 0)),
        }[side]
        return frame_matrix(origin, along, out)

    def wall_point(self, wall: str, along: float, z: float, offset: float = 0.0) -> np.ndarray:
        """A point on a wall's inner face (``offset`` metres into the room)."""
        return {
            "south": np.array([along, self.y0 + offset, z]),
            "north": np.array([along, self.y1 - offset, z]),
            "west": np.array([self.x0 + offset, along, z]),
            "east": np.array([self.x1 - offset, along, z]),
        }[wall]

    def wall_yaw(self, wall: str) -> float:
        """Yaw (degrees about Z) turning local +Y (an object's front) to face into the room from ``wall``."""
        return {"south": 0.0, "north": 180.0, "west": -90.0, "east": 90.0}[wall]


def panel_cells(width: float, height: float, holes: Sequence[tuple[float, float, float, float]]):
    """Rectangles (u0, v0, u1, v1) covering a width x height panel except the holes (u0, v0, u1, v1)."""
    us = sorted({0.0, width, *[min(max(h[i], 0.0), width) for h in holes for i in (0, 2)]})
    vs = sorted({0.0, height, *[min(max(h[i], 0.0), height) for h in holes for i in (1, 3)]})
    cells = []
    for u0, u1 in pairwise(us):
        run_start = None
        for v0, v1 in pairwise(vs):
            cu, cv = (u0 + u1) / 2, (v0 + v1) / 2
            filled = not any(h[0] < cu < h[2] and h[1] < cv < h[3] for h in holes)
            if filled and run_start is None:
                run_start = v0
            if not filled and run_start is not None:
                cells.append((u0, run_start, u1, v0))
                run_start = None
        if run_start is not None:
            cells.append((u0, run_start, u1, vs[-1]))
    return [c for c in cells if c[2] - c[0] > 1e-9 and c[3] - c[1] > 1e-9]


def room_shell(
    room: RoomPlan,
    openings: Sequence[Opening] = (),
    skylights: Sequence[tuple[float, float, float, float]] = (),
    walls: Sequence[str] = WALLS,
) -> dict[str, list[trimesh.Trimesh]]:
    """Closed-room geometry: {'floor', 'walls', 'ceiling'} lists of boxes.

    ``openings`` cut the walls; ``skylights`` (x0, y0, x1, y1) cut the ceiling; ``walls`` picks
    which walls to build (leave one out where another room's wall stands).
    """
    r, t, s = room, room.wall, room.slab
    lo, hi = (r.x0 - t, r.y0 - t), (r.x1 + t, r.y1 + t)
    floor = [box_between((*lo, -s), (*hi, 0.0))]
    holes = [(x0 - lo[0], y0 - lo[1], x1 - lo[0], y1 - lo[1]) for x0, y0, x1, y1 in skylights]
    ceiling = [
        box_between((lo[0] + u0, lo[1] + v0, r.height), (lo[0] + u1, lo[1] + v1, r.height + s))
        for u0, v0, u1, v1 in panel_cells(hi[0] - lo[0], hi[1] - lo[1], holes)
    ]
    spans = {  # wall -> (axis start, axis end, fixed lo, fixed hi, along x?)
        "south": (lo[0], hi[0], r.y0 - t, r.y0, True),
        "north": (lo[0], hi[0], r.y1, r.y1 + t, True),
        "west": (r.y0, r.y1, r.x0 - t, r.x0, False),
        "east": (r.y0, r.y1, r.x1, r.x1 + t, False),
    }
    wall_boxes = []
    for side in walls:
        a0, a1, f0, f1, along_x = spans[side]
        cut = [
            (o.center - o.width / 2 - a0, o.bottom, o.center + o.width / 2 - a0, o.top)
            for o in openings
            if o.wall == side
        ]
        for u0, v0, u1, v1 in panel_cells(a1 - a0, r.height, cut):
            if along_x:
                wall_boxes.append(box_between((a0 + u0, f0, v0), (a0 + u1, f1, v1)))
            else:
                wall_boxes.append(box_between((f0, a0 + u0, v0), (f1, a0 + u1, v1)))
    return {"floor": floor, "walls": wall_boxes, "ceiling": ceiling}


def skirting(room: RoomPlan, openings: Sequence[Opening] = (), height: float = 0.12, depth: float = 0.018):
    """Skirting boards along the inner faces of a room's walls, broken at openings that reach the floor."""
    parts = []
    along_x, along_y = (room.x0, room.x1), (room.y0, room.y1)
    spans = {"south": along_x, "north": along_x, "west": along_y, "east": along_y}
    for side, (a0, a1) in spans.items():
        cuts = sorted(
            (o.center - o.width / 2, o.center + o.width / 2) for o in openings if o.wall == side and o.bottom < height
        )
        runs, start = [], a0
        for c0, c1 in cuts:
            if c0 > start:
                runs.append((start, c0))
            start = max(start, c1)
        if start < a1:
            runs.append((start, a1))
        for u0, u1 in runs:
            lo = room.wall_point(side, u0, 0.0)
            hi = room.wall_point(side, u1, height, offset=depth)
            parts.append(box_between(lo, hi))
    return parts


def window_parts(
    room: RoomPlan, opening: Opening, columns: int = 2, rows: int = 1, bar: float = 0.05, sill: bool = True
) -> tuple[list[trimesh.Trimesh], list[trimesh.Trimesh]]:
    """(glass, frame) meshes filling a wall opening: a pane, a frame with mullions, an inside sill."""
    w, h, t = opening.width, opening.top - opening.bottom, room.wall
    depth = min(0.08, t * 0.6)
    frame = [
        box_between((-w / 2, -depth / 2, 0), (w / 2, depth / 2, bar)),
        box_between((-w / 2, -depth / 2, h - bar), (w / 2, depth / 2, h)),
        box_between((-w / 2, -depth / 2, bar), (-w / 2 + bar, depth / 2, h - bar)),
        box_between((w / 2 - bar, -depth / 2, bar), (w / 2, depth / 2, h - bar)),
    ]
    for i in range(1, columns):
        u = -w / 2 + w * i / columns
        frame.append(box_between((u - bar / 2, -depth / 2, bar), (u + bar / 2, depth / 2, h - bar)))
    for j in range(1, rows):
        v = h * j / rows
        frame.append(box_between((-w / 2 + bar, -depth / 2, v - bar / 2), (w / 2 - bar, depth / 2, v + bar / 2)))
    if sill:  # inside sill: local -y points into the room; its top stands proud of the reveal it runs into
        frame.append(box_between((-w / 2 - 0.06, -t / 2 - 0.06, -0.03), (w / 2 + 0.06, -t / 2 + 0.02, PROUD)))
    glass = [box_between((-w / 2 + bar / 2, -0.006, bar / 2), (w / 2 - bar / 2, 0.006, h - bar / 2))]
    m = room.wall_frame(opening)
    return [transformed(g, m) for g in glass], [transformed(f, m) for f in frame]


def door_parts(
    room: RoomPlan, opening: Opening, panels: int = 2, casing: float = 0.08
) -> tuple[list[trimesh.Trimesh], list[trimesh.Trimesh]]:
    """(leaf, frame) meshes for a closed panelled door in a wall opening, with a handle on the leaf."""
    w, h, t = opening.width, opening.top - opening.bottom, room.wall
    leaf_t = 0.045
    leaf = [box_between((-w / 2 + 0.01, -leaf_t / 2, 0.005), (w / 2 - 0.01, leaf_t / 2, h - 0.01))]
    # Raised panels on both faces and a lever handle on both sides.
    margin = 0.12
    ph = (h - margin * (panels + 1)) / panels
    for i in range(panels):
        z0 = margin + i * (ph + margin)
        for sgn in (-1, 1):
            y = sgn * (leaf_t / 2 + 0.006)
            leaf.append(box_between((-w / 2 + margin, y - 0.006, z0), (w / 2 - margin, y + 0.006, z0 + ph)))
    for sgn in (-1, 1):
        y = sgn * (leaf_t / 2 + 0.012)
        leaf.append(box_between((w / 2 - 0.12, y - 0.012, 0.98), (w / 2 - 0.06, y + 0.012, 1.1)))
        leaf.append(
            box_between((w / 2 - 0.24, y + sgn * 0.01 - 0.012, 1.02), (w / 2 - 0.08, y + sgn * 0.01 + 0.012, 1.045))
        )
    frame = []
    # Casings (architraves) on both wall faces. They lap into the opening by PROUD so that a skirting
    # cut at the opening's edge ends inside the casing instead of in the plane of its inner face.
    inner = w / 2 - PROUD
    for sgn in (-1, 1):
        y0, y1 = sorted((sgn * t / 2, sgn * (t / 2 + 0.02)))
        frame += [
            box_between((-w / 2 - casing, y0, 0), (-inner, y1, h + casing)),
            box_between((inner, y0, 0), (w / 2 + casing, y1, h + casing)),
            box_between((-inner, y0, h - PROUD), (inner, y1, h + casing)),
        ]
    m = room.wall_frame(opening)
    return [transformed(p, m) for p in leaf], [transformed(p, m) for p in frame]
