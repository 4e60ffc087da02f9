"""Shading normals: smooth across soft edges, sharp across creases (one rule for both engines)."""

from __future__ import annotations

import numpy as np
import trimesh

CREASE_DEG = 35.0  # faces meeting at a sharper angle than this keep a hard edge


def corner_normals(mesh: trimesh.Trimesh, crease_deg: float = CREASE_DEG) -> np.ndarray:
    """Per-corner unit normals (F, 3, 3): the area-weighted mean of the normals of the faces
    around each corner's vertex that lie within ``crease_deg`` of the corner's own face."""
    faces = np.asarray(mesh.faces)
    if len(faces) == 0:
        return np.zeros((0, 3, 3))
    fn = np.asarray(mesh.face_normals)
    weighted = fn * np.asarray(mesh.area_faces)[:, None]
    vf = np.asarray(mesh.vertex_faces)  # (V, max_degree), -1 padded
    nbr = vf[faces]  # (F, 3, D)
    valid = nbr >= 0
    nbr_safe = np.where(valid, nbr, 0)
    cos = np.einsum("fkdc,fc->fkd", fn[nbr_safe], fn)
    keep = valid & (cos >= np.cos(np.radians(crease_deg)))
    summed = np.einsum("fkd,fkdc->fkc", keep.astype(np.float64), weighted[nbr_safe])
    norm = np.linalg.norm(summed, axis=-1, keepdims=True)
    out = np.where(norm > 1e-12, summed / np.maximum(norm, 1e-12), fn[:, None, :])
    return out
