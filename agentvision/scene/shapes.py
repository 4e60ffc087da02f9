"""Closed primitives and their placement, for the scene library's builders.

Every primitive is a closed (watertight) :class:`trimesh.Trimesh` with outward normals, in metres
with Z up (:mod:`agentvision.conventions`). Functions are pure: they return new meshes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import trimesh

from agentvision.scene.model import SceneError

Vec = Sequence[float]
Parts = trimesh.Trimesh | Iterable[trimesh.Trimesh]


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
    """One mesh holding every part; parts keep their own vertices (no welding across parts) and the
    per-corner attributes (UVs, colours) that every part has."""
    parts = _as_list(parts)
    if not parts:
        raise SceneError("nothing to merge: give at least one mesh")
    vertices, faces, offset = [], [], 0
    for p in parts:
        vertices.append(np.asarray(p.vertices, dtype=np.float64))
        faces.append(np.asarray(p.faces, dtype=np.int64) + offset)
        offset += len(p.vertices)
    shared = set.intersection(*(set(p.face_attributes) for p in parts))
    attributes = {k: np.concatenate([np.asarray(p.face_attributes[k]) for p in parts]) for k in sorted(shared)}
    return trimesh.Trimesh(np.concatenate(vertices), np.concatenate(faces), face_attributes=attributes, process=False)


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
    mesh = outward(mesh)
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
    return translated(outward(mesh), center)


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
    return outward(trimesh.Trimesh(vertices, np.array(faces), process=False))


def outward(mesh: trimesh.Trimesh) -> trimesh.Trimesh:
    """Flip a closed mesh whose normals point inward."""
    if mesh.volume < 0:
        mesh.invert()
    return mesh
