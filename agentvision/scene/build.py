"""Procedural modelling for the scene library: closed primitives, placement, rooms and a Builder.

Every primitive is a closed (watertight) :class:`trimesh.Trimesh` with outward normals, in
metres with Z up (:mod:`agentvision.conventions`). Functions are pure: they return new meshes.
A :class:`Builder` collects named objects (each one material, its parts merged into one mesh)
and lamps, then hands back a :class:`~agentvision.scene.model.Scene`.

An object made of several materials is several objects: the main one carries the name
(``sofa``), the others are ``<name>_<part>`` (``sofa_legs``) and share its label, so
``scene.find("sofa")`` returns the whole piece. Numbered instances (``tree_1``, ``tree_2``) are
labelled by their stem (``tree``).

Rooms are closed boxes: a floor slab under z=0, walls outside the interior footprint, a ceiling
slab on top. Openings (windows, doors, doorways, skylights) are cut as rectangles and are filled
by the caller (glass panes, door leaves) or lead into another closed room.

Objects may touch face to face (a rug on the floor) or interpenetrate, but two objects must never
share a *visible* plane facing the same way (a trim flush with the wall it runs into): offset such
pieces by :data:`PROUD` so that renderers do not flicker between them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
import trimesh

from agentvision.conventions import hex_to_linear
from agentvision.scene.model import Lamp, Material, Scene, SceneError, SceneObject

Vec = Sequence[float]
Parts = trimesh.Trimesh | Iterable[trimesh.Trimesh]

# ----- materials ----------------------------------------------------------------------------


def material(
    color: str,
    roughness: float = 0.8,
    *,
    emissive: str | None = None,
    strength: float = 1.0,
    glass: bool = False,
    name: str = "",
) -> Material:
    """A Material from sRGB hex codes; ``emissive`` is a hex colour scaled by ``strength``."""
    glow = (0.0, 0.0, 0.0)
    if emissive is not None:
        glow = tuple(c * strength for c in hex_to_linear(emissive))
    return Material(base_color=hex_to_linear(color), roughness=roughness, emissive=glow, glass=glass, name=name)


# ----- placement ----------------------------------------------------------------------------


def rotation(angle_deg: float, axis: Vec = (0, 0, 1), about: Vec = (0, 0, 0)) -> np.ndarray:
    """4x4 rotation by ``angle_deg`` (right-handed) about an axis through ``about``."""
    return trimesh.transformations.rotation_matrix(np.radians(angle_deg), np.asarray(axis, float), np.asarray(about))


def transformed(mesh: trimesh.Trimesh, matrix: np.ndarray) -> trimesh.Trimesh:
    """A copy of ``mesh`` moved by a 4x4 matrix (faces flipped if the matrix mirrors)."""
    out = mesh.copy()
    out.apply_transform(np.asarray(matrix, dtype=float))
    return out


def translated(mesh: trimesh.Trimesh, offset: Vec) -> trimesh.Trimesh:
    return transformed(mesh, trimesh.transformations.translation_matrix(np.asarray(offset, float)))


def rotated(mesh: trimesh.Trimesh, angle_deg: float, axis: Vec = (0, 0, 1), about: Vec = (0, 0, 0)) -> trimesh.Trimesh:
    return transformed(mesh, rotation(angle_deg, axis, about))


def scaled(mesh: trimesh.Trimesh, factors: Vec | float, about: Vec = (0, 0, 0)) -> trimesh.Trimesh:
    """A copy scaled per axis about a point."""
    f = np.broadcast_to(np.asarray(factors, float), (3,))
    m = np.eye(4)
    m[:3, :3] = np.diag(f)
    m[:3, 3] = np.asarray(about, float) - f * np.asarray(about, float)
    return transformed(mesh, m)


def placed(parts: Parts, position: Vec = (0, 0, 0), yaw_deg: float = 0.0) -> list[trimesh.Trimesh]:
    """Parts modelled around the origin, turned by ``yaw_deg`` about Z and moved to ``position``."""
    m = rotation(yaw_deg)
    m[:3, 3] = np.append(np.asarray(position, float), [0.0] * (3 - len(position)))  # (x, y) stands on z=0
    return [transformed(p, m) for p in _as_list(parts)]


def frame_matrix(origin: Vec, x_axis: Vec, y_axis: Vec) -> np.ndarray:
    """4x4 matrix mapping local (x, y, z) to ``origin + x*x_axis + y*y_axis + z*(x_axis cross y_axis)``."""
    x = np.asarray(x_axis, float) / np.linalg.norm(x_axis)
    y = np.asarray(y_axis, float) / np.linalg.norm(y_axis)
    m = np.eye(4)
    m[:3, 0], m[:3, 1], m[:3, 2], m[:3, 3] = x, y, np.cross(x, y), origin
    return m


def merge(parts: Parts) -> trimesh.Trimesh:
    """One mesh holding every part; parts keep their own vertices (no welding across parts)."""
    parts = _as_list(parts)
    if not parts:
        raise SceneError("nothing to merge: give at least one mesh")
    vertices, faces, offset = [], [], 0
    for p in parts:
        vertices.append(np.asarray(p.vertices, dtype=np.float64))
        faces.append(np.asarray(p.faces, dtype=np.int64) + offset)
        offset += len(p.vertices)
    return trimesh.Trimesh(np.concatenate(vertices), np.concatenate(faces), process=False)


def _as_list(parts: Parts) -> list[trimesh.Trimesh]:
    if isinstance(parts, trimesh.Trimesh):
        return [parts]
    out: list[trimesh.Trimesh] = []
    for p in parts:
        out.extend(_as_list(p))
    return out


# ----- primitives ---------------------------------------------------------------------------


def box(size: Vec, center: Vec = (0, 0, 0)) -> trimesh.Trimesh:
    """An axis-aligned box of extents ``size`` centred on ``center``."""
    return translated(trimesh.creation.box(extents=np.asarray(size, float)), center)


def box_between(lo: Vec, hi: Vec) -> trimesh.Trimesh:
    """The axis-aligned box spanning two opposite corners."""
    lo, hi = np.minimum(lo, hi), np.maximum(lo, hi)
    if np.any(hi - lo <= 0):
        raise SceneError(f"box corners {lo.tolist()} and {hi.tolist()} span no volume; give distinct corners")
    return box(hi - lo, (lo + hi) / 2)


def rounded_box(size: Vec, radius: float, center: Vec = (0, 0, 0), detail: int = 1) -> trimesh.Trimesh:
    """A box with edges rounded to ``radius`` (the hull of eight corner spheres): cushions, mattresses."""
    size = np.asarray(size, float)
    r = float(min(radius, size.min() / 2 - 1e-4))
    ball = trimesh.creation.icosphere(subdivisions=detail, radius=r).vertices
    half = size / 2 - r
    corners = np.array([[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)]) * half
    points = (corners[:, None, :] + ball[None, :, :]).reshape(-1, 3)
    return translated(trimesh.convex.convex_hull(points), center)


def lathe(profile: Sequence[Vec], base: Vec = (0, 0, 0), sections: int = 24) -> trimesh.Trimesh:
    """A solid of revolution about the Z axis through ``base``.

    ``profile`` lists (radius, z) points. Either it starts and ends on the axis (radius 0), like a
    vase's outline from the bottom centre round to the top centre, or it touches the axis nowhere
    and is read as a closed loop (a ring, a basin rim).
    """
    p = np.asarray(profile, dtype=float)
    axis = p[:, 0] <= 1e-9
    theta = np.linspace(0, 2 * np.pi, sections, endpoint=False)
    ring = np.stack([np.cos(theta), np.sin(theta)], axis=1)

    def ring_vertices(pts):
        return np.concatenate([np.column_stack([r * ring, np.full(sections, z)]) for r, z in pts])

    faces = []
    k = np.arange(sections)
    if axis[0] and axis[-1] and not axis[1:-1].any() and len(p) >= 3:
        mid = p[1:-1]
        n = len(mid)
        vertices = np.concatenate([ring_vertices(mid), [[0, 0, p[0, 1]], [0, 0, p[-1, 1]]]])
        bottom, top = n * sections, n * sections + 1
        faces += [[bottom, (i + 1) % sections, i] for i in k]
        faces += [[top, (n - 1) * sections + i, (n - 1) * sections + (i + 1) % sections] for i in k]
        rows = [(j, j + 1) for j in range(n - 1)]
    elif not axis.any() and len(p) >= 3:
        n = len(p)
        vertices = ring_vertices(p)
        rows = [(j, (j + 1) % n) for j in range(n)]
    else:
        raise SceneError("a lathe profile must start and end on the axis (radius 0) or avoid it entirely")
    for a, b in rows:
        for i in k:
            i2 = (i + 1) % sections
            faces += [
                [a * sections + i, a * sections + i2, b * sections + i2],
                [a * sections + i, b * sections + i2, b * sections + i],
            ]
    mesh = trimesh.Trimesh(vertices, np.array(faces), process=True)
    mesh = _outward(mesh)
    return translated(mesh, base)


def cylinder(radius: float, height: float, base: Vec = (0, 0, 0), sections: int = 24) -> trimesh.Trimesh:
    """A vertical cylinder standing on ``base``."""
    return lathe([(0, 0), (radius, 0), (radius, height), (0, height)], base, sections)


def frustum(r_bottom: float, r_top: float, height: float, base: Vec = (0, 0, 0), sections: int = 24) -> trimesh.Trimesh:
    """A vertical truncated cone standing on ``base`` (``r_top`` 0 gives a cone)."""
    if r_top <= 0:
        return cone(r_bottom, height, base, sections)
    return lathe([(0, 0), (r_bottom, 0), (r_top, height), (0, height)], base, sections)


def cone(radius: float, height: float, base: Vec = (0, 0, 0), sections: int = 24) -> trimesh.Trimesh:
    """A vertical cone standing on ``base``."""
    return lathe([(0, 0), (radius, 0), (0, height)], base, sections)


def cylinder_between(a: Vec, b: Vec, radius: float, sections: int = 12) -> trimesh.Trimesh:
    """A cylinder whose axis runs from point ``a`` to point ``b`` (rods, legs, rails)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    length = float(np.linalg.norm(b - a))
    if length <= 0:
        raise SceneError("cylinder_between needs two distinct points")
    mesh = cylinder(radius, length, sections=sections)
    m = trimesh.geometry.align_vectors([0, 0, 1], (b - a) / length)
    m[:3, 3] = a
    return transformed(mesh, m)


def sphere(radius: float, center: Vec = (0, 0, 0), detail: int = 2) -> trimesh.Trimesh:
    """An icosphere (detail 2: 320 triangles)."""
    return translated(trimesh.creation.icosphere(subdivisions=detail, radius=radius), center)


def ellipsoid(radii: Vec, center: Vec = (0, 0, 0), detail: int = 2) -> trimesh.Trimesh:
    return translated(scaled(trimesh.creation.icosphere(subdivisions=detail, radius=1.0), radii), center)


def lumpy_sphere(radius: float, center: Vec, seed: int, roughness: float = 0.12, detail: int = 2) -> trimesh.Trimesh:
    """An icosphere with seeded radial noise: foliage clumps, boulders. Deterministic for a seed."""
    mesh = trimesh.creation.icosphere(subdivisions=detail, radius=1.0)
    rng = np.random.default_rng(seed)
    v = mesh.vertices
    bumps = rng.normal(size=(4, 3))
    phase = rng.uniform(0, 2 * np.pi, size=4)
    noise = sum(np.sin(v @ (2.5 * d) + ph) for d, ph in zip(bumps, phase, strict=True)) / 4
    noise = noise + 0.5 * rng.uniform(-1, 1, size=len(v))
    mesh.vertices = v * (radius * (1 + roughness * noise))[:, None]
    return translated(_outward(mesh), center)


def torus(major: float, minor: float, center: Vec = (0, 0, 0), sections: int = 32, tube_sections: int = 12):
    """A ring lying in the XY plane."""
    a = np.linspace(0, 2 * np.pi, tube_sections, endpoint=False)
    profile = np.column_stack([major + minor * np.cos(a), minor * np.sin(a)])
    return lathe(profile, center, sections)


def tube(points: Sequence[Vec], radius: float | Sequence[float], sections: int = 12, closed: bool = False):
    """A tube swept along a polyline (handrails, arches, knots); ``radius`` may vary per point.

    Open tubes are capped at both ends; ``closed`` joins the last point back to the first.
    """
    pts = np.asarray(points, dtype=float)
    n = len(pts)
    radii = np.broadcast_to(np.asarray(radius, float), (n,))
    if closed:
        tangents = np.roll(pts, -1, axis=0) - np.roll(pts, 1, axis=0)
    else:
        tangents = np.gradient(pts, axis=0)
    tangents /= np.linalg.norm(tangents, axis=1, keepdims=True)
    # Parallel-transport frames: no twisting along the path.
    seed = np.eye(3)[np.argmin(np.abs(tangents[0]))]
    normals = np.zeros_like(pts)
    normals[0] = np.cross(tangents[0], seed)
    normals[0] /= np.linalg.norm(normals[0])
    for i in range(1, n):
        v = normals[i - 1] - (normals[i - 1] @ tangents[i]) * tangents[i]
        normals[i] = v / np.linalg.norm(v)
    binormals = np.cross(tangents, normals)
    twist = np.zeros(n)
    if closed:  # spread the seam mismatch along the loop
        end = normals[-1] - (normals[-1] @ tangents[0]) * tangents[0]
        angle = np.arctan2(end @ binormals[0], end @ normals[0])
        twist = -angle * np.arange(n) / n
    a = np.linspace(0, 2 * np.pi, sections, endpoint=False)[None, :] + twist[:, None]
    ring = np.cos(a)[..., None] * normals[:, None, :] + np.sin(a)[..., None] * binormals[:, None, :]
    vertices = (pts[:, None, :] + radii[:, None, None] * ring).reshape(-1, 3)
    faces = []
    rows = range(n) if closed else range(n - 1)
    for j in rows:
        j2 = (j + 1) % n
        for i in range(sections):
            i2 = (i + 1) % sections
            faces += [
                [j * sections + i, j2 * sections + i2, j2 * sections + i],
                [j * sections + i, j * sections + i2, j2 * sections + i2],
            ]
    if not closed:
        start, end = len(vertices), len(vertices) + 1
        vertices = np.concatenate([vertices, [pts[0], pts[-1]]])
        last = (n - 1) * sections
        faces += [[start, (i + 1) % sections, i] for i in range(sections)]
        faces += [[end, last + i, last + (i + 1) % sections] for i in range(sections)]
    return _outward(trimesh.Trimesh(vertices, np.array(faces), process=False))


def triangulate(polygon: Sequence[Vec]) -> tuple[np.ndarray, np.ndarray]:
    """Ear-clip a simple polygon (no holes). Returns its (distinct) 2D vertices and (k, 3) triangles."""
    pts = np.asarray(polygon, dtype=float)[:, :2]
    keep = [i for i in range(len(pts)) if np.linalg.norm(pts[i] - pts[i - 1]) > 1e-9]
    pts = pts[keep]
    # Drop collinear vertices: they make zero-area ears.
    changed = True
    while changed and len(pts) > 3:
        changed = False
        for i in range(len(pts)):
            a, b, c = pts[i - 1], pts[i], pts[(i + 1) % len(pts)]
            if abs(_cross2(b - a, c - b)) < 1e-12:
                pts = np.delete(pts, i, axis=0)
                changed = True
                break
    if _signed_area(pts) < 0:
        pts = pts[::-1]
    idx = list(range(len(pts)))
    triangles = []
    while len(idx) > 3:
        for k in range(len(idx)):
            i0, i1, i2 = idx[k - 1], idx[k], idx[(k + 1) % len(idx)]
            a, b, c = pts[i0], pts[i1], pts[i2]
            if _cross2(b - a, c - b) <= 1e-12:
                continue
            others = [j for j in idx if j not in (i0, i1, i2)]
            if others and _inside_triangle(pts[others], a, b, c).any():
                continue
            triangles.append((i0, i1, i2))
            idx.pop(k)
            break
        else:
            raise SceneError("polygon is not simple (it crosses itself); give its outline in order without crossings")
    triangles.append(tuple(idx))
    tris = np.array(triangles)
    a, b, c = pts[tris[:, 0]], pts[tris[:, 1]], pts[tris[:, 2]]
    covered = 0.5 * np.abs((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])).sum()
    area = _signed_area(pts)
    if area <= 1e-12 or abs(covered - area) > 1e-6 * area:
        raise SceneError("polygon is not simple (it crosses itself); give its outline in order without crossings")
    return pts, tris


def extrude(polygon: Sequence[Vec], height: float, base_z: float = 0.0) -> trimesh.Trimesh:
    """A prism: a simple XY polygon extruded up by ``height`` from ``base_z``."""
    pts, tris = triangulate(polygon)
    n = len(pts)
    bottom = np.column_stack([pts, np.full(n, base_z)])
    top = np.column_stack([pts, np.full(n, base_z + height)])
    faces = [tris[:, ::-1], tris + n]
    i = np.arange(n)
    j = (i + 1) % n
    faces.append(np.column_stack([i, j, j + n]))
    faces.append(np.column_stack([i, j + n, i + n]))
    return _outward(trimesh.Trimesh(np.concatenate([bottom, top]), np.concatenate(faces), process=False))


def extrude_profile(polygon: Sequence[Vec], depth: float) -> trimesh.Trimesh:
    """A polygon drawn in the XZ plane (x, z pairs) extruded along +Y by ``depth`` from y=0."""
    mesh = extrude(polygon, depth)
    # (x, y, z) -> (x, z, y) would mirror; rotate +90 deg about X: (x, y, z) -> (x, -z, y), then y += depth.
    return translated(rotated(mesh, 90, (1, 0, 0)), (0, depth, 0))


def arch_outline(width: float, height: float, opening: float, spring: float, segments: int = 16) -> np.ndarray:
    """XZ outline of a block ``width`` x ``height`` with a round-headed opening through its base.

    The opening is ``opening`` wide; its sides rise to ``spring`` before a semicircular head.
    """
    half, r = width / 2, opening / 2
    a = np.linspace(np.pi, 0, segments + 1)
    head = np.column_stack([r * np.cos(a), spring + r * np.sin(a)])
    return np.concatenate([[[-half, 0], [-r, 0]], head, [[r, 0], [half, 0], [half, height], [-half, height]]])


def _cross2(u: np.ndarray, v: np.ndarray) -> float:
    return float(u[0] * v[1] - u[1] * v[0])


def _signed_area(pts: np.ndarray) -> float:
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def _inside_triangle(p: np.ndarray, a, b, c) -> np.ndarray:
    def side(u, v):
        return (v[0] - u[0]) * (p[:, 1] - u[1]) - (v[1] - u[1]) * (p[:, 0] - u[0])

    return (side(a, b) >= -1e-12) & (side(b, c) >= -1e-12) & (side(c, a) >= -1e-12)


def _outward(mesh: trimesh.Trimesh) -> trimesh.Trimesh:
    """Flip a closed mesh whose normals point inward."""
    if mesh.volume < 0:
        mesh.invert()
    return mesh


# ----- rooms --------------------------------------------------------------------------------

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


# ----- the builder ---------------------------------------------------------------------------

_NUMBERED = re.compile(r"^(.*?)_\d+$")


def label_for(name: str) -> str:
    """``tree_2`` -> ``tree``; other names are their own label."""
    m = _NUMBERED.match(name)
    return m.group(1) if m else name


@dataclass
class Builder:
    """Collects named objects and lamps; :meth:`scene` returns the finished Scene."""

    name: str
    objects: list[SceneObject] = field(default_factory=list)
    lamps: list[Lamp] = field(default_factory=list)

    def add(self, name: str, parts: Parts, mat: Material, label: str | None = None) -> SceneObject:
        """Merge ``parts`` into one object. Each part must be closed; inside-out parts are flipped."""
        if any(o.name == name for o in self.objects):
            raise SceneError(f"scene {self.name!r} already has an object {name!r}; pick another name")
        meshes = []
        for i, part in enumerate(_as_list(parts)):
            if len(part.faces) == 0:
                continue
            if not part.is_watertight:
                raise SceneError(f"part {i} of {name!r} is not closed; build it from the closed primitives in build.py")
            meshes.append(_outward(part.copy()))
        if not meshes:
            raise SceneError(f"object {name!r} has no geometry")
        obj = SceneObject(name=name, label=label or label_for(name), mesh=merge(meshes), material=mat)
        self.objects.append(obj)
        return obj

    def add_part(self, owner: str, part: str, parts: Parts, mat: Material) -> SceneObject:
        """Another material of object ``owner``: named ``<owner>_<part>``, sharing its label."""
        owner_obj = next((o for o in self.objects if o.name == owner), None)
        if owner_obj is None:
            raise SceneError(f"add {owner!r} before its part {part!r}")
        return self.add(f"{owner}_{part}", parts, mat, label=owner_obj.label)

    def lamp(self, obj: str, position: Vec, color: str = "#ffc987", intensity: float = 2.0) -> Lamp:
        """A light at ``position`` (the bulb) belonging to emissive object ``obj``."""
        target = next((o for o in self.objects if o.name == obj), None)
        if target is None or not target.material.is_emissive:
            raise SceneError(f"lamp object {obj!r} must be added first, with an emissive material")
        lamp = Lamp(
            object=obj, position=tuple(float(v) for v in position), color=hex_to_linear(color), intensity=intensity
        )
        self.lamps.append(lamp)
        return lamp

    def room(
        self,
        room: RoomPlan,
        floor: Material,
        walls: Material,
        ceiling: Material,
        openings: Sequence[Opening] = (),
        skylights: Sequence[tuple[float, float, float, float]] = (),
        skirting_material: Material | None = None,
    ) -> dict[str, SceneObject]:
        """Add a closed room as objects ``floor``, ``walls`` and ``ceiling``.

        With ``skirting_material``, also ``walls_skirting``: :func:`skirting` broken at the same openings.
        """
        shell = room_shell(room, openings, skylights)
        added = {
            key: self.add(key, shell[key], mat)
            for key, mat in (("floor", floor), ("walls", walls), ("ceiling", ceiling))
        }
        if skirting_material is not None:
            added["skirting"] = self.add_part("walls", "skirting", skirting(room, openings), skirting_material)
        return added

    def window(
        self,
        name: str,
        room: RoomPlan,
        opening: Opening,
        frame: Material,
        glass: Material | None = None,
        label: str | None = None,
        **kwargs,
    ) -> SceneObject:
        """A glazed window in ``opening``: ``name`` is the glass, ``<name>_frame`` its frame."""
        panes, bars = window_parts(room, opening, **kwargs)
        obj = self.add(name, panes, glass or GLASS, label=label)
        self.add_part(name, "frame", bars, frame)
        return obj

    def door(
        self,
        name: str,
        room: RoomPlan,
        opening: Opening,
        leaf: Material,
        frame: Material,
        label: str | None = None,
        **kwargs,
    ) -> SceneObject:
        """A closed door in ``opening``: ``name`` is the leaf, ``<name>_frame`` its casing."""
        leaf_parts, frame_parts = door_parts(room, opening, **kwargs)
        obj = self.add(name, leaf_parts, leaf, label=label)
        self.add_part(name, "frame", frame_parts, frame)
        return obj

    def scene(
        self, *, interior: bool, description: str = "", floor_z: float | None = 0.0, view: dict | None = None
    ) -> Scene:
        """The finished Scene (unlit); ``view`` holds camera JSON fields of a good overview."""
        return Scene(
            name=self.name,
            objects=list(self.objects),
            lamps=list(self.lamps),
            floor_z=floor_z,
            interior=interior,
            description=description,
            default_view=view,
        )


GLASS = material("#dfe9ee", 0.05, glass=True, name="glass")


# ----- shared furnishings (modelled at the origin, front facing +Y; move them with placed()) ----


def potted_plant(height: float = 1.1, pot_radius: float = 0.2, leaves: int = 16, seed: int = 0):
    """(foliage, pot) parts of a leafy house plant standing on the origin."""
    pot_h = 0.32 * height
    r = pot_radius
    pot = [
        lathe([(0, 0), (0.72 * r, 0), (r, pot_h * 0.92), (r * 1.08, pot_h * 0.92), (r * 1.08, pot_h), (0, pot_h)]),
    ]
    rng = np.random.default_rng(seed)
    foliage = [lumpy_sphere(0.55 * r, (0, 0, pot_h + 0.35 * r), seed=seed + 1, roughness=0.2, detail=1)]
    golden = np.radians(137.5)
    for i in range(leaves):
        yaw = i * golden + rng.uniform(-0.2, 0.2)
        tilt = np.radians(15 + 55 * (i / leaves) + rng.uniform(-8, 8))  # inner leaves upright, outer ones arching
        length = (height - pot_h) * (0.55 + 0.35 * (1 - i / leaves)) * rng.uniform(0.85, 1.1)
        leaf = ellipsoid((0.12 * length, 0.018, length / 2), (0, 0, length / 2), detail=1)
        m = rotation(np.degrees(yaw)) @ rotation(np.degrees(tilt), (0, 1, 0))  # tilt off the axis, then turn
        m[:3, 3] = (0, 0, pot_h * 0.95)
        foliage.append(transformed(leaf, m))
    return foliage, pot


def framed_canvas(width: float, height: float, frame: float = 0.05, depth: float = 0.04):
    """(canvas, frame) parts of a picture hung flat on a wall: local y is out of the wall, z up, centred."""
    canvas = [box_between((-width / 2, 0.0, -height / 2), (width / 2, depth * 0.6, height / 2))]
    w, h = width / 2 + frame, height / 2 + frame
    bars = [
        box_between((-w, 0, -h), (w, depth, -height / 2)),
        box_between((-w, 0, height / 2), (w, depth, h)),
        box_between((-w, 0, -height / 2), (-width / 2, depth, height / 2)),
        box_between((width / 2, 0, -height / 2), (w, depth, height / 2)),
    ]
    return canvas, bars


def rug(width: float, length: float, center: Vec, yaw_deg: float = 0.0, thickness: float = 0.012):
    """A flat rug lying on the floor (z=0)."""
    return placed(box_between((-width / 2, -length / 2, 0), (width / 2, length / 2, thickness)), center, yaw_deg)


def shade(r_bottom: float, r_top: float, height: float, base: Vec = (0, 0, 0), wall: float = 0.006, sections: int = 32):
    """A lamp shade: a thin-walled frustum open at both ends (the bulb inside lights up and down)."""
    profile = [(r_bottom - wall, 0), (r_bottom, 0), (r_top, height), (r_top - wall, height)]
    return lathe(profile, base, sections)
