"""Flat outlines made solid: triangulation, extrusion along Z or Y, arch outlines."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import trimesh

from agentvision.scene.model import SceneError
from agentvision.scene.shapes import Vec, outward, rotated, translated


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
    return outward(trimesh.Trimesh(np.concatenate([bottom, top]), np.concatenate(faces), process=False))


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
