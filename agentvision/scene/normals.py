"""Shading normals and tangent frames: smooth across soft edges, sharp across creases (one rule for every engine)."""

from __future__ import annotations

import numpy as np
import trimesh

CREASE_DEG = 35.0  # faces meeting at a sharper angle than this keep a hard edge
WELD_DIGITS = 6  # vertices closer than ~1e-6 m count as one corner (seams of UVs or colours are not edges)


def _welded_faces(mesh: trimesh.Trimesh) -> np.ndarray:
    """Faces indexing vertices merged by position, so texture seams do not break smoothing."""
    vertices = np.round(np.asarray(mesh.vertices, dtype=np.float64), WELD_DIGITS)
    _, inverse = np.unique(vertices, axis=0, return_inverse=True)
    return inverse.reshape(-1)[np.asarray(mesh.faces)]


def corner_normals(mesh: trimesh.Trimesh, crease_deg: float = CREASE_DEG) -> np.ndarray:
    """Per-corner unit normals (F, 3, 3): the area-weighted mean of the normals of the faces
    around each corner's position that lie within ``crease_deg`` of the corner's own face."""
    faces = np.asarray(mesh.faces)
    if len(faces) == 0:
        return np.zeros((0, 3, 3))
    fn = np.asarray(mesh.face_normals)
    weighted = fn * np.asarray(mesh.area_faces)[:, None]
    welded = _welded_faces(mesh)
    vf = trimesh.Trimesh(np.zeros((welded.max() + 1, 3)), welded, process=False, validate=False).vertex_faces
    nbr = vf[welded]  # (F, 3, D), -1 padded
    valid = nbr >= 0
    nbr_safe = np.where(valid, nbr, 0)
    cos = np.einsum("fkdc,fc->fkd", fn[nbr_safe], fn)
    keep = valid & (cos >= np.cos(np.radians(crease_deg)))
    summed = np.einsum("fkd,fkdc->fkc", keep.astype(np.float64), weighted[nbr_safe])
    norm = np.linalg.norm(summed, axis=-1, keepdims=True)
    out = np.where(norm > 1e-12, summed / np.maximum(norm, 1e-12), fn[:, None, :])
    return out


def face_tangents(mesh: trimesh.Trimesh, uv: np.ndarray) -> np.ndarray:
    """Per-face tangent frames (F, 4) for normal maps: xyz = dP/du (unit), w = +-1 handedness.

    ``uv`` (F, 3, 2) per corner is in glTF's convention (v down the image), so the bitangent, ``w * cross(n, t)``,
    points up the image (dP/d(1 - v)), as a normal map's green channel (+Y, OpenGL) expects.
    """
    faces = np.asarray(mesh.faces)
    p = np.asarray(mesh.vertices, dtype=np.float64)[faces]
    t = np.asarray(uv, dtype=np.float64)
    e1, e2 = p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]
    du1, du2 = t[:, 1, 0] - t[:, 0, 0], t[:, 2, 0] - t[:, 0, 0]
    dv1, dv2 = -(t[:, 1, 1] - t[:, 0, 1]), -(t[:, 2, 1] - t[:, 0, 1])  # up the image
    det = du1 * dv2 - du2 * dv1
    inv = np.where(np.abs(det) > 1e-20, 1.0 / np.where(det == 0, 1.0, det), 0.0)[:, None]
    tangent = (e1 * dv2[:, None] - e2 * dv1[:, None]) * inv
    bitangent = (e2 * du1[:, None] - e1 * du2[:, None]) * inv
    n = np.cross(e1, e2)
    length = np.linalg.norm(tangent, axis=1, keepdims=True)
    fallback = np.cross(n, [0.0, 0.0, 1.0])  # no UV gradient: any direction in the plane
    fallback = np.where(np.linalg.norm(fallback, axis=1, keepdims=True) > 1e-12, fallback, np.cross(n, [1.0, 0, 0]))
    tangent = np.where(length > 1e-12, tangent / np.maximum(length, 1e-12), fallback)
    tangent /= np.maximum(np.linalg.norm(tangent, axis=1, keepdims=True), 1e-12)
    w = np.where(np.einsum("ij,ij->i", np.cross(n, tangent), bitangent) < 0, -1.0, 1.0)
    return np.concatenate([tangent, w[:, None]], axis=1)
